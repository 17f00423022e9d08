"""CSV and XLSX for a funder's report: one row per answer, plus summary and response sheets.

Rows are read one event at a time (memory bounded by the largest event) and the workbook
is written in openpyxl's write-only mode. Anonymous surveys export no names and no times;
an organisation is kept only if at least ``privacy.min_group_size`` people of it responded,
so a small group cannot be told apart by its ratings.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from bot.i18n import Translator, format_short
from bot.models import Event
from bot.services import Services
from bot.storage.surveys import AnswerExportRow
from bot.surveys.model import Question, QuestionKind, SurveyDefinition, pick
from bot.surveys.scoring import ScoreReport, definition_of, score_report

# The summary row of the overall score; not a possible question id (see model._ID).
OVERALL_ROW = "(overall)"
ANSWER_COLUMNS = (
    "event-id", "event", "date", "response", "participant", "organisation", "question-id",
    "question", "kind", "value", "answer", "answered-at",
)  # fmt: skip
SUMMARY_COLUMNS = (
    "event-id", "event", "question-id", "question", "kind", "n", "skipped", "mean", "median",
    "sd", "top2", "nps", "distribution",
)  # fmt: skip
RESPONSE_COLUMNS = (
    "event-id", "event", "date", "invited", "eligible", "completed", "unfinished",
    "rate-invited", "rate-eligible", "overall",
)  # fmt: skip


@dataclass
class Export:
    answers_csv: bytes
    summary_csv: bytes
    xlsx: bytes
    rows: int  # answers written


def _headers(tr: Translator, lang: str, columns: Sequence[str]) -> list[str]:
    return [tr.text(lang, f"scores-export-col-{c}") for c in columns]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def answer_value(question: Question, row: AnswerExportRow, lang: str) -> tuple[Any, str]:
    """(machine value, what the person chose or wrote)."""
    if question.kind is QuestionKind.TEXT:
        return None, row.text or ""
    value = row.rating
    if value is None:
        return None, ""
    if question.kind is QuestionKind.SINGLE and 1 <= value <= len(question.options):
        option = question.options[value - 1]
        return option.id, pick(option.text, lang)
    if question.kind is QuestionKind.MULTI:
        chosen = [o for i, o in enumerate(question.options) if value >> i & 1]
        return ";".join(o.id for o in chosen), "; ".join(pick(o.text, lang) for o in chosen)
    return value, str(value)


def _answer_rows(
    event: Event,
    definition: SurveyDefinition,
    rows: Sequence[AnswerExportRow],
    *,
    anonymous: bool,
    min_group: int,
    lang: str,
) -> list[list[Any]]:
    position = {q.id: i for i, q in enumerate(definition.questions)}
    numbers: dict[int, int] = {}
    for row in rows:
        numbers.setdefault(row.response_id, len(numbers) + 1)
    sizes = Counter(org for _, org in {(r.response_id, r.organisation) for r in rows})
    date = format_short(event.starts_at, event.timezone)
    out: list[list[Any]] = []
    ordered = sorted(
        (r for r in rows if r.question in position and (r.rating is not None or r.text)),
        key=lambda r: (numbers[r.response_id], position[r.question]),
    )
    for row in ordered:
        question = definition.questions[position[row.question]]
        value, answer = answer_value(question, row, lang)
        organisation = row.organisation or ""
        if anonymous and sizes[row.organisation] < min_group:
            organisation = ""
        out.append(
            [
                event.id, event.title, date, f"R{numbers[row.response_id]}",
                "" if anonymous else (row.name or ""), organisation, question.id,
                pick(question.text, lang), question.kind.value, value, answer,
                "" if anonymous else row.answered_at,
            ]
        )  # fmt: skip
    return out


def _summary_rows(
    tr: Translator, lang: str, report: ScoreReport, event_id: object, title: str
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for score in report.questions:
        q, stats = score.question, score.stats
        if q.kind is QuestionKind.TEXT:
            rows.append(
                [event_id, title, q.id, pick(q.text, lang), q.kind.value, score.comments_total,
                 stats.skipped, None, None, None, None, None, ""]
            )  # fmt: skip
            continue
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            counts = stats.option_counts(len(q.options))
            distribution = "; ".join(
                f"{pick(o.text, lang)}: {c}" for o, c in zip(q.options, counts, strict=True)
            )
        else:
            distribution = "; ".join(f"{v}: {stats.histogram.get(v, 0)}" for v in q.scale)
        rows.append(
            [event_id, title, q.id, pick(q.text, lang), q.kind.value, stats.n, stats.skipped,
             _round(stats.mean), _round(stats.median, 1), _round(stats.sd), _round(stats.top2, 4),
             _round(stats.nps, 1), distribution]
        )  # fmt: skip
    rows.append(
        [event_id, title, OVERALL_ROW, tr.text(lang, "scores-export-overall"), "rating",
         report.overall_questions, None, _round(report.overall), None, None, None, None,
         tr.text(lang, "scores-overall-how", count=report.overall_questions)]
    )  # fmt: skip
    return rows


def _response_row(report: ScoreReport, event_id: object, title: str, date: str) -> list[Any]:
    c = report.counts
    return [
        event_id, title, date, c.invited, c.eligible, c.completed, c.unfinished,
        _round(c.completed / c.invited, 4) if c.invited else None,
        _round(c.completed / c.eligible, 4) if c.eligible else None, _round(report.overall),
    ]  # fmt: skip


async def export_events(
    services: Services,
    events: Sequence[Event],
    *,
    lang: str,
    programme_title: str | None = None,
) -> Export:
    """Everything answered for these events (and, for a programme, its totals)."""
    tr, storage = services.translator, services.storage
    min_group = services.settings.privacy.min_group_size
    surveys = await storage.surveys_for([e.id for e in events])
    answers: list[list[Any]] = []
    summary: list[list[Any]] = []
    responses: list[list[Any]] = []
    for event in events:
        survey = surveys.get(event.id)
        definition = definition_of(survey)
        anonymous = survey.anonymous if survey is not None else definition.anonymous
        rows = await storage.export_answers(event.id, named=not anonymous)
        answers += _answer_rows(
            event, definition, rows, anonymous=anonymous, min_group=min_group, lang=lang
        )
        report = await score_report(services, [event], title=event.title, comments_limit=0)
        summary += _summary_rows(tr, lang, report, event.id, event.title)
        date = format_short(event.starts_at, event.timezone)
        responses.append(_response_row(report, event.id, event.title, date))
    if programme_title is not None and len(events) > 1:
        total = await score_report(
            services, events, title=programme_title, programme=True, comments_limit=0
        )
        summary += _summary_rows(tr, lang, total, "", programme_title)
        responses.append(_response_row(total, "", programme_title, ""))
    answer_head = _headers(tr, lang, ANSWER_COLUMNS)
    summary_head = _headers(tr, lang, SUMMARY_COLUMNS)
    response_head = _headers(tr, lang, RESPONSE_COLUMNS)
    sheets = [
        (tr.text(lang, "scores-export-sheet-summary"), [summary_head, *summary]),
        (tr.text(lang, "scores-export-sheet-responses"), [response_head, *responses]),
        (tr.text(lang, "scores-export-sheet-answers"), [answer_head, *answers]),
    ]
    # Building the files is CPU work (openpyxl writes ~50,000 cells/s): a worker thread, so
    # the bot keeps answering everyone else meanwhile.
    return await asyncio.to_thread(
        lambda: Export(
            answers_csv=to_csv([answer_head, *answers]),
            summary_csv=to_csv([summary_head, *summary, [], response_head, *responses]),
            xlsx=to_xlsx(sheets),
            rows=len(answers),
        )
    )


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read ą, č, ї correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"
