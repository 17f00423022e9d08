"""Scores against hand-computed numbers; the chart and the workbook read back."""

from __future__ import annotations

import io
import math
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.events import import_event
from bot.i18n import Translator
from bot.models import Event
from bot.services import Services
from bot.storage import Storage
from bot.surveys import charts
from bot.surveys.export import export_events
from bot.surveys.lifecycle import ensure_survey
from bot.surveys.model import QuestionKind, load_template
from bot.surveys.report import report_lines, split_messages
from bot.surveys.scoring import (
    Comparison,
    Stats,
    _breakdown,
    compare,
    event_scores,
    overall,
    programme_scores,
)
from tests.conftest import EXAMPLE_EVENT, START

RATING, NPS = QuestionKind.RATING, QuestionKind.NPS


# -- statistics from histograms ---------------------------------------------------------------


def test_no_answers() -> None:
    stats = Stats(RATING, {})
    assert stats.n == 0
    assert (stats.mean, stats.median, stats.sd, stats.top2) == (None, None, None, None)


def test_one_answer() -> None:
    stats = Stats(RATING, {4: 1})
    assert (stats.n, stats.mean, stats.median, stats.top2) == (1, 4.0, 4.0, 1.0)
    assert stats.sd is None  # a sample SD needs two answers


def test_hand_computed_ratings() -> None:
    # 5, 5, 4, 4, 4, 3, 2: n 7, sum 27, mean 27/7; middle (4th) value 4;
    # squared deviations sum = 7 * (sum of squares / 7 - mean^2) = 111 - 27^2/7 = 6.857...
    stats = Stats(RATING, {5: 2, 4: 3, 3: 1, 2: 1})
    assert stats.n == 7
    assert stats.mean == pytest.approx(27 / 7)
    assert stats.median == 4
    assert stats.sd == pytest.approx(math.sqrt((111 - 27**2 / 7) / 6))
    assert stats.top2 == pytest.approx(5 / 7)


def test_median_of_an_even_count_is_between_the_middle_values() -> None:
    assert Stats(RATING, {3: 1, 4: 1}).median == 3.5
    assert Stats(RATING, {1: 2, 5: 2}).median == 3.0
    assert Stats(RATING, {2: 1, 4: 3}).median == 4.0


def test_recommendation_score() -> None:
    # 10, 9, 9, 8, 6, 3: 3 promoters, 2 detractors of 6 -> NPS = (3 - 2) / 6 * 100.
    stats = Stats(NPS, {10: 1, 9: 2, 8: 1, 6: 1, 3: 1})
    assert stats.nps == pytest.approx(100 / 6)
    assert stats.mean == pytest.approx(45 / 6)
    assert stats.median == 8.5
    assert stats.top2 == pytest.approx(0.5)


def test_choices_from_option_numbers_and_bitmasks() -> None:
    assert Stats(QuestionKind.SINGLE, {1: 3, 2: 1}).option_counts(3) == [3, 1, 0]
    # {0b011: 2, 0b100: 1, 0b110: 1}: option 1 chosen 2x, option 2 3x, option 3 2x.
    multi = Stats(QuestionKind.MULTI, {0b011: 2, 0b100: 1, 0b110: 1})
    assert multi.option_counts(3) == [2, 3, 2]
    assert multi.mean is None
    assert multi.n == 4


def test_overall_is_the_average_of_question_means() -> None:
    assert overall([4.0, 3.0, None, 5.0]) == (4.0, 3)
    assert overall([None, None]) == (None, 0)


def test_breakdown_merges_small_groups_only_when_anonymous() -> None:
    histograms = [
        ("Big", "q", 5, 5), ("Big", "q", 3, 1),
        ("Small A", "q", 2, 2), ("Small B", "q", 4, 3), ("Tiny", "q", 1, 1),
    ]  # fmt: skip
    respondents: dict[str | None, int] = {"Big": 6, "Small A": 2, "Small B": 3, "Tiny": 1}
    named = _breakdown(histograms, respondents, anonymous=False, min_group=5)
    assert [(g.organisation, g.respondents) for g in named.groups] == [
        ("Big", 6), ("Small B", 3), ("Small A", 2), ("Tiny", 1)
    ]  # fmt: skip
    anonymous = _breakdown(histograms, respondents, anonymous=True, min_group=5)
    assert [(g.organisation, g.respondents) for g in anonymous.groups] == [("Big", 6)]
    assert anonymous.groups[0].overall == pytest.approx(28 / 6)
    assert anonymous.other is not None
    assert anonymous.other.respondents == 6
    assert anonymous.other.overall == pytest.approx((2 * 2 + 4 * 3 + 1) / 6)
    merged = _breakdown(histograms, respondents, anonymous=True, min_group=7)
    assert merged.groups == ()
    assert merged.other is not None
    assert merged.other.respondents == 12
    too_small = _breakdown(histograms, respondents, anonymous=True, min_group=13)
    assert too_small.groups == ()
    assert too_small.other is None
    assert too_small.hidden == 12


# -- reports over a real database -------------------------------------------------------------


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    storage = Storage(tmp_path / "scores.sqlite3")
    await storage.open()
    settings = explicit_settings(organisers=[1000])
    yield Services(settings, storage, Translator("lt"), FakeClock(START))
    await storage.close()


async def make_event(services: Services, slug: str, title: str) -> Event:
    text = EXAMPLE_EVENT.read_text(encoding="utf-8")
    text = text.replace('slug = "akmene-2027-03"', f'slug = "{slug}"')
    text = text.replace('title = "Mokymai Akmenės rajonui', f'title = "{title}')
    event, _ = await import_event(
        services.db, text, default_zone="Europe/Vilnius", now=services.clock.now()
    )
    return event


async def respond(
    services: Services,
    event: Event,
    telegram_id: int,
    organisation: str,
    answers: Mapping[str, int | str | None],
    *,
    name: str = "",
) -> None:
    """One person's response, stored as the runner stores it (None: skipped)."""
    storage, now = services.db, services.clock.now()
    participant = await storage.people.ensure_participant(telegram_id, language="en", now=now)
    if name:
        await storage.people.set_participant_profile(participant.id, name=name, now=now)
    response = await storage.surveys.start_response(
        event.id, participant.id, organisation=organisation, now=now
    )
    assert response is not None
    for position, (question, value) in enumerate(answers.items()):
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question=question,
            rating=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else None, position=position, now=now,
        )  # fmt: skip
    await storage.surveys.complete_response(
        response.id, participant_id=participant.id, position=8, now=now
    )


async def test_event_without_answers(services: Services) -> None:
    event = await make_event(services, "empty", "Empty")
    report = await event_scores(services, event)
    assert report.overall is None
    assert report.overall_questions == 0
    assert [s.stats.n for s in report.questions] == [0] * 8
    assert report.counts.completed == 0
    assert report.breakdown.groups == ()
    lines = report_lines(services.translator, "en", report)
    assert "⭐ Overall score: — (no ratings yet)" in lines
    assert lines.count("No answers yet.") == 7


async def test_one_response_with_skipped_optional_questions(services: Services) -> None:
    event = await make_event(services, "one", "One")
    await respond(
        services, event, 1, "Org",
        {"overall": 4, "content": 5, "knowledge": 3, "use_at_work": 4, "lecturers": 5,
         "organisation": 2, "recommend": None, "improve": None},
    )  # fmt: skip
    report = await event_scores(services, event)
    by_id = {s.question.id: s for s in report.questions}
    assert by_id["overall"].stats.n == 1
    assert by_id["overall"].stats.mean == 4
    assert by_id["overall"].stats.sd is None
    # Skipped optional questions count as skipped, never as answers.
    assert (by_id["recommend"].stats.n, by_id["recommend"].stats.skipped) == (0, 1)
    assert (by_id["improve"].comments_total, by_id["improve"].stats.skipped) == (0, 1)
    assert report.overall == pytest.approx((4 + 5 + 3 + 4 + 5 + 2) / 6)
    assert report.counts.started == report.counts.completed == 1


async def test_programme_merges_events_and_compare_keeps_them_apart(
    services: Services,
) -> None:
    first = await make_event(services, "first", "First")
    second = await make_event(services, "second", "Second")
    ratings = ("overall", "content", "knowledge", "use_at_work", "lecturers", "organisation")
    await respond(services, first, 1, "A", {q: 5 for q in ratings} | {"recommend": 10})
    await respond(services, first, 2, "A", {q: 4 for q in ratings} | {"recommend": 6})
    await respond(services, second, 3, "B", {q: 2 for q in ratings} | {"improve": "Shorter"})
    report = await programme_scores(services, "Programme", [first, second])
    overall_stats = report.questions[0].stats
    assert dict(overall_stats.histogram) == {5: 1, 4: 1, 2: 1}
    assert overall_stats.mean == pytest.approx(11 / 3)
    assert report.overall == pytest.approx(11 / 3)
    assert report.counts.completed == 3
    assert report.questions[7].comments_total == 1
    comparison = await compare(services, [first, second])
    assert [c.overall for c in comparison.columns] == [4.5, 2.0]
    assert comparison.columns[0].means["recommend"] == (2, 8.0)
    assert comparison.columns[1].means["recommend"] == (0, None)


async def test_anonymous_comments_carry_no_names(services: Services) -> None:
    event = await make_event(services, "anon", "Anon")
    await respond(services, event, 1, "Org", {"improve": "Named?"}, name="Ona Onaitė")
    report = await event_scores(services, event)
    assert report.questions[7].comments[0].name == "Ona Onaitė"
    # Once someone has answered the mode is locked for organisers; flipped here directly.
    definition = load_template("default")
    assert not await services.db.surveys.replace_survey(
        event.id, template="default", definition=definition.to_json(), anonymous=True,
        now=services.clock.now(),
    )  # fmt: skip
    await services.db.database.execute(
        "INSERT INTO surveys (event_id, template, definition, anonymous, created_at, updated_at) "
        "VALUES (?, 'default', ?, 1, '', '')",
        (event.id, definition.to_json()),
    )
    report = await event_scores(services, event)
    assert report.anonymous
    assert report.questions[7].comments[0].name is None
    assert report.questions[7].comments[0].organisation is None


async def test_split_messages_never_exceeds_the_limit() -> None:
    lines = [f"<b>line {i}</b> " + "x" * 150 for i in range(100)] + ["y" * 5000]
    messages = split_messages(lines, limit=1000)
    assert all(len(m) <= 1000 for m in messages)
    assert all(m.count("<b>") == m.count("</b>") for m in messages)
    assert sum(m.count("<b>line") for m in messages) == 100
    assert split_messages(["", "only"]) == ["only"]


# -- chart and workbook ------------------------------------------------------------------------


async def test_chart_and_workbook_are_produced_and_read_back(services: Services) -> None:
    event = await make_event(services, "files", "Mokymai Šiauliuose – ąčęėįšųūž, її")
    await ensure_survey(services, event.id)
    await respond(
        services,
        event,
        1,
        "Org",
        {"overall": 5, "content": 4, "recommend": 9, "improve": "Ačiū"},
        name="Ona",
    )
    await respond(services, event, 2, "Org", {"overall": 3, "content": 4, "recommend": 5})
    report = await event_scores(services, event)

    png = charts.distribution_chart(report, "lt", subtitle="Užpildė: 2")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.width > 500
    assert image.height > 200
    comparison = await compare(services, [event])
    assert Image.open(io.BytesIO(charts.comparison_chart(comparison, "en"))).format == "PNG"
    many = Comparison(comparison.columns * 9, comparison.questions)  # one bar per event
    assert Image.open(io.BytesIO(charts.comparison_chart(many, "en"))).height > 300

    result = await export_events(services, [event], lang="en")
    assert result.rows == 7
    book = load_workbook(io.BytesIO(result.xlsx), read_only=True)
    assert book.sheetnames == ["Summary", "Responses", "Answers"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert answers[0] == (
        "Event ID", "Event", "Date", "Response", "Participant", "Organisation", "Question ID",
        "Question", "Kind", "Value", "Answer", "Answered at (event's local time)",
    )  # fmt: skip
    assert answers[1][1].startswith("Mokymai Šiauliuose – ąčęėįšųūž, її")
    assert [(r[3], r[4], r[6], r[9], r[10]) for r in answers[1:]] == [
        ("R1", "Ona", "overall", 5, "5"), ("R1", "Ona", "content", 4, "4"),
        ("R1", "Ona", "recommend", 9, "9"), ("R1", "Ona", "improve", None, "Ačiū"),
        ("R2", None, "overall", 3, "3"), ("R2", None, "content", 4, "4"),
        ("R2", None, "recommend", 5, "5"),
    ]  # fmt: skip
    summary = {row[2]: row for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["overall"][5:11] == (2, 0, 4.0, 4.0, 1.41, 0.5)
    assert summary["content"][12] == "1: 0; 2: 0; 3: 0; 4: 2; 5: 0"
    assert summary["recommend"][11] == 0.0  # one promoter, one detractor
    assert summary["(overall)"][7] == 4.0  # overall 4, content 4
    responses = list(book["Responses"].iter_rows(values_only=True))
    assert responses[1][5] == 2
    assert result.answers_csv.startswith(b"\xef\xbb\xbf")
    assert "Ačiū" in result.answers_csv.decode("utf-8-sig")
