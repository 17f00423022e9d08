"""CSV and XLSX for a funder's report: one row per answer, plus summary and response sheets.

Rows are read one event at a time (memory bounded by the largest event) and the workbook
is written in openpyxl's write-only mode through ``bot/documents/sheets.py`` (typed text is never a
formula; bold frozen headers, real dates in the event's zone, percent-formatted shares,
question kinds in the sheet's language, totals set apart). Anonymous surveys export no names
and no times; an organisation is kept only if at least ``privacy.min_group_size`` people of
it responded, so a small group cannot be told apart by its ratings.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.documents import sheets
from bot.documents.sheets import Column, Kind, Table, local_time, local_time_from_iso
from bot.i18n import Translator
from bot.models import AnswerExportRow, Event
from bot.services import Services
from bot.surveys.model import Question, QuestionKind, SurveyDefinition, pick
from bot.surveys.scoring import ScoreReport, definition_of, score_report

# The summary row of the overall score; not a possible question id (see model._ID).
OVERALL_ROW = "(overall)"
ANSWER_COLUMNS = (
    ("event-id", Kind.INT), ("event", Kind.TEXT), ("date", Kind.DATETIME),
    ("response", Kind.TEXT), ("participant", Kind.TEXT), ("organisation", Kind.TEXT),
    ("question-id", Kind.TEXT), ("question", Kind.TEXT), ("kind", Kind.TEXT),
    ("value", Kind.TEXT), ("answer", Kind.TEXT), ("answered-at", Kind.DATETIME),
)  # fmt: skip
SUMMARY_COLUMNS = (
    ("event-id", Kind.INT), ("event", Kind.TEXT), ("question-id", Kind.TEXT),
    ("question", Kind.TEXT), ("kind", Kind.TEXT), ("n", Kind.INT), ("skipped", Kind.INT),
    ("mean", Kind.DECIMAL), ("median", Kind.DECIMAL1), ("sd", Kind.DECIMAL),
    ("top2", Kind.PERCENT), ("nps", Kind.DECIMAL1), ("distribution", Kind.TEXT),
)  # fmt: skip
RESPONSE_COLUMNS = (
    ("event-id", Kind.INT), ("event", Kind.TEXT), ("date", Kind.DATETIME),
    ("invited", Kind.INT), ("eligible", Kind.INT), ("completed", Kind.INT),
    ("unfinished", Kind.INT), ("rate-invited", Kind.PERCENT), ("rate-eligible", Kind.PERCENT),
    ("overall", Kind.DECIMAL), ("questionnaire", Kind.TEXT),
)  # fmt: skip
# Column headers from the sheets catalog (documents.ftl, sheets-*) rather than scores-export-col-*.
_SHEETS_HEADERS = {"answered-at", "questionnaire"}


@dataclass
class Export:
    answers_csv: bytes
    summary_csv: bytes
    xlsx: bytes
    rows: int  # answers written


def _columns(tr: Translator, lang: str, spec: Sequence[tuple[str, Kind]]) -> list[Column]:
    return [
        Column(
            tr.text(lang, f"sheets-col-{c}" if c in _SHEETS_HEADERS else f"scores-export-col-{c}"),
            kind,
        )
        for c, kind in spec
    ]


def kind_label(tr: Translator, lang: str, kind: QuestionKind) -> str:
    """The question kind in words ("Vertinimas (1–5)"), not its code."""
    return tr.text(lang, f"sheets-kind-{kind.value}")


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
    tr: Translator,
    event: Event,
    definition: SurveyDefinition,
    rows: Sequence[AnswerExportRow],
    *,
    anonymous: bool,
    min_group: int,
    lang: str,
) -> list[list[Any]]:
    position = {q.id: i for i, q in enumerate(definition.questions)}
    texts = [pick(q.text, lang) for q in definition.questions]
    kinds = [kind_label(tr, lang, q.kind) for q in definition.questions]
    numbers: dict[int, int] = {}
    for row in rows:
        numbers.setdefault(row.response_id, len(numbers) + 1)
    sizes = Counter(org for _, org in {(r.response_id, r.organisation) for r in rows})
    starts = local_time(event.starts_at, event.timezone)
    out: list[list[Any]] = []
    ordered = sorted(
        (r for r in rows if r.question in position and (r.rating is not None or r.text)),
        key=lambda r: (numbers[r.response_id], position[r.question]),
    )
    for row in ordered:
        index = position[row.question]
        question = definition.questions[index]
        value, answer = answer_value(question, row, lang)
        organisation = row.organisation or ""
        if anonymous and sizes[row.organisation] < min_group:
            organisation = ""
        out.append(
            [
                event.id, event.title, starts, f"R{numbers[row.response_id]}",
                "" if anonymous else (row.name or ""), organisation, question.id,
                texts[index], kinds[index], value, answer,
                None if anonymous else local_time_from_iso(row.answered_at, event.timezone),
            ]
        )  # fmt: skip
    return out


def _summary_rows(
    tr: Translator, lang: str, report: ScoreReport, event_id: int | None, title: str
) -> list[list[Any]]:
    """One row per question, the overall score last."""
    rows: list[list[Any]] = []
    for score in report.questions:
        q, stats = score.question, score.stats
        kind = kind_label(tr, lang, q.kind)
        if q.kind is QuestionKind.TEXT:
            rows.append(
                [event_id, title, q.id, pick(q.text, lang), kind, score.comments_total,
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
            [event_id, title, q.id, pick(q.text, lang), kind, stats.n, stats.skipped,
             _round(stats.mean), _round(stats.median, 1), _round(stats.sd), _round(stats.top2, 4),
             _round(stats.nps, 1), distribution]
        )  # fmt: skip
    rows.append(
        [event_id, title, OVERALL_ROW, tr.text(lang, "scores-export-overall"),
         kind_label(tr, lang, QuestionKind.RATING), report.overall_questions, None,
         _round(report.overall), None, None, None, None,
         tr.text(lang, "scores-overall-how", count=report.overall_questions)]
    )  # fmt: skip
    return rows


def _response_row(
    report: ScoreReport, event_id: int | None, title: str, starts: Any, questionnaire: str
) -> list[Any]:
    c = report.counts
    return [
        event_id, title, starts, c.invited, c.eligible, c.completed, c.unfinished,
        _round(c.completed / c.invited, 4) if c.invited else None,
        _round(c.completed / c.eligible, 4) if c.eligible else None, _round(report.overall),
        questionnaire,
    ]  # fmt: skip


async def export_events(
    services: Services,
    events: Sequence[Event],
    *,
    lang: str,
    programme_title: str | None = None,
) -> Export:
    """Everything answered for these events (and, for a programme, its totals)."""
    tr, storage = services.translator, services.db
    min_group = services.settings.privacy.min_group_size
    surveys = await storage.surveys.surveys_for([e.id for e in events])
    answers: list[list[Any]] = []
    summary: list[list[Any]] = []
    overall_rows: set[int] = set()
    responses: list[list[Any]] = []
    for event in events:
        survey = surveys.get(event.id)
        definition = definition_of(survey)
        anonymous = survey.anonymous if survey is not None else definition.anonymous
        rows = await storage.surveys.export_answers(event.id, named=not anonymous)
        answers += _answer_rows(
            tr, event, definition, rows, anonymous=anonymous, min_group=min_group, lang=lang
        )
        report = await score_report(services, [event], title=event.title, comments_limit=0)
        summary += _summary_rows(tr, lang, report, event.id, event.title)
        overall_rows.add(len(summary) - 1)
        starts = local_time(event.starts_at, event.timezone)
        responses.append(
            _response_row(report, event.id, event.title, starts, pick(definition.title, lang))
        )
    summary_totals: list[list[Any]] = []
    response_totals: list[list[Any]] = []
    if programme_title is not None and len(events) > 1:
        total = await score_report(
            services, events, title=programme_title, programme=True, comments_limit=0
        )
        summary_totals = _summary_rows(tr, lang, total, None, programme_title)
        response_totals = [_response_row(total, None, programme_title, None, "")]
    answer_sheet = Table(
        tr.text(lang, "scores-export-sheet-answers"), _columns(tr, lang, ANSWER_COLUMNS), answers
    )
    summary_sheet = Table(
        tr.text(lang, "scores-export-sheet-summary"), _columns(tr, lang, SUMMARY_COLUMNS),
        summary, totals=summary_totals, bold_rows=frozenset(overall_rows),
    )  # fmt: skip
    response_sheet = Table(
        tr.text(lang, "scores-export-sheet-responses"), _columns(tr, lang, RESPONSE_COLUMNS),
        responses, totals=response_totals,
    )  # fmt: skip
    # Building the files is CPU work (openpyxl writes ~50,000 cells/s): a worker thread, so
    # the bot keeps answering everyone else meanwhile.
    return await asyncio.to_thread(
        lambda: Export(
            answers_csv=sheets.to_csv(answer_sheet),
            summary_csv=sheets.to_csv(summary_sheet, response_sheet),
            xlsx=sheets.to_xlsx(summary_sheet, response_sheet, answer_sheet),
            rows=len(answers),
        )
    )


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """Plain rows (the first is the header) as CSV through ``bot.documents.sheets``: inert text."""
    if not rows:
        return sheets.to_csv(Table("", [], []))
    return sheets.to_csv(Table("", sheets.columns(map(str, rows[0])), rows[1:]))


def to_xlsx(tables: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    """(title, rows) sheets whose first row is the header, through ``bot.documents.sheets``."""
    return sheets.to_xlsx(
        *(
            Table(title, sheets.columns(map(str, rows[0]) if rows else ()), rows[1:])
            for title, rows in tables
        )
    )
