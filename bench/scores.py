"""Scores over 1,000,000 answers: 100 events x 1,000 respondents x 10 questions.

The events form 4 programmes of 25 (the seeds' "24 seminars" scale). Every figure times the
same functions /scores and /export use, through aiosqlite, on a fresh database without
ANALYZE statistics (as a real one is):

- event_scores_ms: median of one event's whole report (histograms, response counts,
  comments, the breakdown by organisation), over 20 events;
- programme_scores_ms: median of one programme's report (25 events, 250,000 answers);
- export_rows_per_s: answers of 5 events of a programme (~45,000 rows; skipped answers are
  not rows) to CSV and XLSX, as /export builds them (openpyxl's write-only workbook with
  lxml, ~50,000 cells/s, dominates; the CSV alone is several times faster).

Last line: {"answers": ..., "event_scores_ms": ..., "programme_scores_ms": ...,
"export_rows_per_s": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.i18n import Translator
from bot.models import Event, EventDraft
from bot.services import Services
from bot.storage import Storage
from bot.surveys.export import export_events
from bot.surveys.model import QuestionKind, load_template
from bot.surveys.scoring import event_scores, programme_scores

ORGANISATIONS = (
    "Akmenės rajono savivaldybės administracija",
    "Užimtumo tarnyba",
    "Akmenės rajono savivaldybės viešoji biblioteka",
    "Akmenės rajono paramos šeimai centras",
    "Joniškio rajono savivaldybė",
    "Šiaulių miesto socialinių paslaugų centras",
    "Vilniaus miesto savivaldybė",
    "Kauno rajono švietimo centras",
)
COMMENTS = ("Daugiau praktinių pavyzdžių.", "Puikūs lektoriai.", "Per trumpa pertrauka.")


async def build(
    services: Services, events: int, respondents: int, programmes: int
) -> tuple[list[int], dict[int, list[int]], int]:
    storage, now = services.db, services.clock.now()
    definition = load_template("extended")  # 10 questions: 6 ratings, choices, 0-10, text
    assert len(definition.questions) == 10
    rng = random.Random(2027)
    event_ids: list[int] = []
    by_programme: dict[int, list[int]] = {}
    start = datetime(2027, 1, 11, 8, tzinfo=UTC)
    for i in range(events):
        programme = f"Programa {i % programmes + 1}"
        draft = EventDraft(
            title=f"Seminaras {i + 1}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=6),
            timezone="Europe/Vilnius",
            programme=programme,
        )
        event_id = await storage.events.insert_event(
            draft, invite_code=f"bench{i:05d}", created_by=None, now=now
        )
        await storage.surveys.replace_survey(
            event_id, template=definition.name, definition=definition.to_json(),
            anonymous=False, now=now,
        )  # fmt: skip
        event = await storage.events.get_event(event_id)
        assert event is not None
        assert event.programme_id is not None
        by_programme.setdefault(event.programme_id, []).append(event_id)
        event_ids.append(event_id)

    stamp = now.isoformat(timespec="seconds")
    answers = 0
    response_id = 0
    async with storage.database.transaction() as db:
        for event_id in event_ids:
            responses, rows = [], []
            mood_of_event = rng.uniform(3.2, 4.6)
            for _ in range(respondents):
                response_id += 1
                responses.append(
                    (response_id, event_id, rng.choice(ORGANISATIONS), 10, stamp, stamp, stamp)
                )
                mood = mood_of_event + rng.gauss(0, 0.6)
                for q in definition.questions:
                    rating: int | None = None
                    text: str | None = None
                    if q.kind is QuestionKind.RATING:
                        rating = min(5, max(1, round(mood + rng.gauss(0, 0.7))))
                    elif q.kind is QuestionKind.NPS:
                        rating = min(10, max(0, round(2 * mood + rng.gauss(0, 1.2))))
                    elif q.kind is QuestionKind.SINGLE:
                        rating = rng.randint(1, len(q.options))
                    elif q.kind is QuestionKind.MULTI:
                        rating = rng.randint(0, 2 ** len(q.options) - 1) or None
                    elif rng.random() < 0.3:
                        text = rng.choice(COMMENTS)
                    rows.append((response_id, q.id, event_id, rating, text, stamp))
            await db.executemany(
                "INSERT INTO survey_responses (id, event_id, organisation, position, started_at, "
                "updated_at, completed_at) VALUES (?,?,?,?,?,?,?)",
                responses,
            )
            await db.executemany(
                "INSERT INTO survey_answers (response_id, question, event_id, rating, text, "
                "answered_at) VALUES (?,?,?,?,?,?)",
                rows,
            )
            answers += len(rows)
    return event_ids, by_programme, answers


async def timed(coro_factory: Callable[[], Awaitable[object]], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await coro_factory()
        times.append((time.perf_counter() - began) * 1000)
    return times


async def main(events: int, respondents: int, programmes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        storage = Storage(Path(tmp) / "scores.sqlite3")
        await storage.open()
        clock = FakeClock(datetime(2027, 6, 1, tzinfo=UTC))
        services = Services(explicit_settings(), storage, Translator("lt"), clock)
        began = time.perf_counter()
        event_ids, by_programme, answers = await build(services, events, respondents, programmes)
        print(f"built {answers} answers in {time.perf_counter() - began:.1f} s", flush=True)

        sample = event_ids[:: max(1, len(event_ids) // 20)][:20]
        events_by_id: dict[int, Event] = {}
        for event_id in event_ids:
            found = await storage.events.get_event(event_id)
            assert found is not None
            events_by_id[event_id] = found
        await event_scores(services, events_by_id[sample[0]])  # warm the page cache
        event_times = []
        for event_id in sample:
            event = events_by_id[event_id]
            event_times += await timed(functools.partial(event_scores, services, event))
        histogram = await timed(lambda: storage.surveys.answer_histograms([sample[0]]), repeat=20)

        programme_times = []
        for programme_id, ids in by_programme.items():
            members = [events_by_id[i] for i in ids]
            report = await programme_scores(services, f"P{programme_id}", members)
            assert report.questions[0].stats.n == len(ids) * respondents
            programme_times += await timed(
                functools.partial(programme_scores, services, "P", members)
            )

        first_programme = next(iter(by_programme.values()))
        members = [events_by_id[i] for i in first_programme[:5]]
        began = time.perf_counter()
        result = await export_events(services, members, lang="lt", programme_title="P")
        export_s = time.perf_counter() - began
        await storage.close()

    figures = {
        "answers": answers,
        "event_scores_ms": round(statistics.median(event_times), 2),
        "programme_scores_ms": round(statistics.median(programme_times), 1),
        "export_rows_per_s": round(result.rows / export_s),
    }
    print(
        f"one event's histogram query alone: {statistics.median(histogram):.2f} ms; "
        f"export of {result.rows} answers: {export_s:.1f} s "
        f"({len(result.xlsx) / 1e6:.1f} MB XLSX, {len(result.answers_csv) / 1e6:.1f} MB CSV)"
    )
    print(
        f"vs aims: event {figures['event_scores_ms'] / 50:.2f} of 50 ms, "
        f"programme {figures['programme_scores_ms'] / 1000:.2f} of 1 s"
    )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--programmes", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.events, args.respondents, args.programmes))))
