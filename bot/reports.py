"""The funder's report: one PDF (fpdf2) and one XLSX per event or per programme, in the
organiser's language.

Contents: the events with dates and places; participants invited / said yes / present;
the institutions with their counts; the questionnaire's response rate, score table, chart
(``bot/surveys/charts.py``) and score per organisation; the free-text comments, without
names where the questionnaire is anonymous. Scores come from ``bot/surveys/scoring.py``
(computed in SQL), attendance counts from ``bot/storage/attendance.py``.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot import sheets
from bot.attendance import event_dates, event_place, plain
from bot.documents import FONT, add_fonts
from bot.i18n import Translator, format_day
from bot.models import Event, EventStatus
from bot.services import Services
from bot.sheets import Kind, Table, local_time
from bot.storage.attendance import AttendanceCounts, InstitutionCount
from bot.surveys.charts import distribution_chart
from bot.surveys.model import QuestionKind
from bot.surveys.report import number, percent
from bot.surveys.scoring import ScoreReport, score_report

if TYPE_CHECKING:
    from bot.sim import Simulation

log = logging.getLogger(__name__)

MAX_COMMENTS = 500  # per free-text question; the report is the place to read them all


@dataclass(frozen=True, slots=True)
class ReportFiles:
    name: str  # file name without extension
    pdf: bytes
    xlsx: bytes


@dataclass(frozen=True)
class ReportData:
    lang: str
    title: str
    programme: str | None  # the event's programme (event reports)
    is_programme: bool
    organiser: str
    prepared: str
    events: tuple[Event, ...]
    counts: dict[int, AttendanceCounts]
    institutions: tuple[InstitutionCount, ...]
    scores: ScoreReport

    @property
    def total(self) -> AttendanceCounts:
        items = [self.counts[e.id] for e in self.events if e.id in self.counts]
        return AttendanceCounts(
            invited=sum(c.invited for c in items),
            yes=sum(c.yes for c in items),
            present=sum(c.present for c in items),
            present_without_yes=sum(c.present_without_yes for c in items),
            absent=sum(c.absent for c in items),
            no_show=sum(c.no_show for c in items),
        )


async def _collect(
    services: Services,
    events: Sequence[Event],
    lang: str,
    *,
    title: str,
    programme: str | None,
    is_programme: bool,
) -> ReportData:
    storage = services.storage
    ids = [e.id for e in events]
    scores = await score_report(
        services, events, title=title, programme=is_programme, comments_limit=MAX_COMMENTS
    )
    return ReportData(
        lang=lang,
        title=title,
        programme=programme,
        is_programme=is_programme,
        organiser=services.settings.organisation_name,
        prepared=format_day(services.clock.now(), lang, services.settings.timezone),
        events=tuple(events),
        counts=await storage.attendance_counts(ids),
        institutions=tuple(await storage.institution_counts(ids)),
        scores=scores,
    )


async def event_report(services: Services, event: Event, lang: str) -> ReportFiles:
    data = await _collect(
        services, [event], lang, title=event.title, programme=event.programme_title,
        is_programme=False,
    )  # fmt: skip
    return await _render(services.translator, data, f"report-event-{event.id}")


async def programme_report(services: Services, programme_id: int, lang: str) -> ReportFiles | None:
    """All active events of the programme together (None: no such programme or no events)."""
    programmes = {p.id: p.title for p in await services.storage.list_programmes()}
    if programme_id not in programmes:
        return None
    events = [
        e
        for e in await services.storage.list_programme_events(programme_id)
        if e.status is EventStatus.ACTIVE
    ]
    if not events:
        return None
    data = await _collect(
        services, events, lang, title=programmes[programme_id], programme=None,
        is_programme=True,
    )  # fmt: skip
    return await _render(services.translator, data, f"report-programme-{programme_id}")


async def _render(tr: Translator, data: ReportData, name: str) -> ReportFiles:
    pdf, xlsx = await asyncio.to_thread(lambda: (render_pdf(tr, data), render_xlsx(tr, data)))
    log.info("report %s: %d events, pdf %d bytes", name, len(data.events), len(pdf))
    return ReportFiles(name, pdf, xlsx)


# -- rows shared by the PDF and the spreadsheet -----------------------------------------------


def _t(tr: Translator, data: ReportData, key: str, /, **args: object) -> str:
    return plain(tr, data.lang, key, **args)


def event_rows(tr: Translator, data: ReportData) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for event in data.events:
        c = data.counts.get(event.id, AttendanceCounts())
        rows.append([
            event_dates(event, data.lang), event.title, event_place(tr, data.lang, event),
            c.invited, c.yes, c.present, c.present_without_yes,
        ])  # fmt: skip
    if len(data.events) > 1:
        t = data.total
        rows.append([_t(tr, data, "report-total"), "", "", t.invited, t.yes, t.present,
                     t.present_without_yes])  # fmt: skip
    return rows


def event_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-date", "report-col-event", "report-col-place",
                    "report-col-invited", "report-col-yes", "report-col-present",
                    "report-col-walkin")
    ]  # fmt: skip


def institution_rows(tr: Translator, data: ReportData) -> list[list[Any]]:
    return [
        [i.organisation or _t(tr, data, "report-no-organisation"), i.invited, i.yes, i.present]
        for i in data.institutions
    ]


def institution_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-organisation", "report-col-invited", "report-col-yes",
                    "report-col-present")
    ]  # fmt: skip


def score_rows(data: ReportData) -> list[list[Any]]:
    """Question, n, mean, median, share of the two best values (rating and 0-10 questions)."""
    rows: list[list[Any]] = []
    for score in data.scores.questions:
        if score.question.kind not in (QuestionKind.RATING, QuestionKind.NPS):
            continue
        stats = score.stats
        rows.append([score.question.label(data.lang), stats.n, stats.mean, stats.median,
                     stats.top2])  # fmt: skip
    return rows


def score_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-question", "report-col-n", "report-col-mean",
                    "report-col-median", "report-col-top2")
    ]  # fmt: skip


def comment_rows(data: ReportData) -> list[tuple[str, str, str]]:
    """(question, comment, who): who is empty where the questionnaire is anonymous."""
    rows: list[tuple[str, str, str]] = []
    for score in data.scores.questions:
        if score.question.kind is not QuestionKind.TEXT:
            continue
        for comment in score.comments:
            who = ""
            if not data.scores.anonymous and comment.name:
                who = ", ".join(p for p in (comment.name, comment.organisation) if p)
            rows.append((score.question.label(data.lang), comment.text, who))
    return rows


def response_line(tr: Translator, data: ReportData) -> str:
    counts = data.scores.counts
    rate = counts.completed / counts.eligible if counts.eligible else None
    return _t(
        tr, data, "report-responses", completed=counts.completed, eligible=counts.eligible,
        rate=percent(rate, data.lang),
    )  # fmt: skip


def overall_line(tr: Translator, data: ReportData) -> str | None:
    if data.scores.overall is None:
        return None
    return _t(
        tr, data, "report-overall", score=number(data.scores.overall, data.lang),
        count=data.scores.overall_questions,
    )  # fmt: skip


# -- PDF ------------------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    page_label: str = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.page_label.replace("{page}", str(self.page_no())), align="C")


def _fmt(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return number(value, lang)
    return str(value)


def render_pdf(tr: Translator, data: ReportData) -> bytes:
    lang = data.lang
    pdf = _ReportPDF(orientation="P", unit="mm", format="A4")
    pdf.page_label = _t(tr, data, "report-page", page="{page}", pages="{nb}")
    pdf.alias_nb_pages("{nb}")
    pdf.set_title(f"{_t(tr, data, 'report-title')}: {data.title}")
    pdf.set_author(data.organiser)
    pdf.set_creator("Kvietimas")
    add_fonts(pdf)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - 36
    heading = FontFace(emphasis="BOLD", fill_color=(225, 233, 243))

    def para(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_x(18)
        pdf.multi_cell(width, size * 0.48, text)
        pdf.ln(gap)

    def section(text: str) -> None:
        pdf.ln(3)
        pdf.set_text_color(30, 70, 120)
        para(text, 13, "B", 2)
        pdf.set_text_color(20, 20, 20)

    def table(headers: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[int], numeric_from: int) -> None:  # fmt: skip
        pdf.set_font(FONT, "", 8.5)
        align = ["LEFT"] * numeric_from + ["RIGHT"] * (len(headers) - numeric_from)
        with pdf.table(
            col_widths=tuple(widths), text_align=tuple(align), headings_style=heading,
            line_height=4.6, width=width,
        ) as grid:  # fmt: skip
            head = grid.row()
            for h in headers:
                head.cell(h)
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(_fmt(value, lang))
        pdf.ln(2)

    pdf.set_text_color(30, 70, 120)
    para(_t(tr, data, "report-title"), 11, "B", 1)
    pdf.set_text_color(20, 20, 20)
    para(data.title, 17, "B", 2)
    if data.programme:
        para(_t(tr, data, "report-programme", programme=data.programme), 10, "I")
    para(_t(tr, data, "report-organiser", organiser=data.organiser), 10)
    para(_t(tr, data, "report-prepared", date=data.prepared), 9)

    section(_t(tr, data, "report-section-events"))
    table(event_headers(tr, data), event_rows(tr, data), (22, 38, 34, 20, 20, 20, 20), 3)

    section(_t(tr, data, "report-section-institutions"))
    if data.institutions:
        table(institution_headers(tr, data), institution_rows(tr, data), (94, 20, 20, 20), 1)
    else:
        para(_t(tr, data, "report-none"))

    section(_t(tr, data, "report-section-survey"))
    para(response_line(tr, data))
    overall = overall_line(tr, data)
    if overall:
        para(overall, 10, "B")
    if data.scores.anonymous:
        para(_t(tr, data, "report-anonymous"), 9, "I")
    scores = score_rows(data)
    if scores and any(row[1] for row in scores):
        table(
            score_headers(tr, data),
            [[q, n, m, med, percent(top, lang) if top is not None else None]
             for q, n, m, med, top in scores],
            (86, 14, 20, 20, 22),
            1,
        )  # fmt: skip
        chart = distribution_chart(data.scores, lang)
        pdf.image(io.BytesIO(chart), x=18, w=width)
        pdf.ln(2)
        groups = data.scores.breakdown
        if groups.groups or groups.other:
            para(_t(tr, data, "report-by-organisation"), 11, "B")
            rows = [[g.organisation or _t(tr, data, "report-no-organisation"), g.respondents,
                     g.overall] for g in groups.groups]  # fmt: skip
            if groups.other is not None:
                rows.append([_t(tr, data, "report-other-organisations"),
                             groups.other.respondents, groups.other.overall])  # fmt: skip
            table(
                [_t(tr, data, "report-col-organisation"), _t(tr, data, "report-col-respondents"),
                 _t(tr, data, "report-col-mean")],
                rows, (110, 26, 26), 1,
            )  # fmt: skip
    else:
        para(_t(tr, data, "report-no-answers"))

    comments = comment_rows(data)
    if comments:
        section(_t(tr, data, "report-section-comments"))
        current = None
        for question, text, who in comments:
            if question != current:
                para(question, 10, "B", 1)
                current = question
            para(f"• {text}" + (f" — {who}" if who else ""), 9.5, "", 1)
    return bytes(pdf.output())


# -- XLSX -----------------------------------------------------------------------------------------


def render_xlsx(tr: Translator, data: ReportData) -> bytes:
    """The report's figures as a workbook (through ``bot/sheets.py``: typed text is inert,
    headers bold and frozen, dates real, shares as percentages, totals set apart)."""
    total = data.total
    counts = data.scores.counts
    overall = None if data.scores.overall is None else round(data.scores.overall, 2)
    summary: list[list[Any]] = [
        [_t(tr, data, "report-title"), data.title],
        [_t(tr, data, "report-col-programme"), data.programme or ""],
        [_t(tr, data, "report-col-organiser"), data.organiser],
        [_t(tr, data, "report-col-events"), len(data.events)],
        [_t(tr, data, "report-col-invited"), total.invited],
        [_t(tr, data, "report-col-yes"), total.yes],
        [_t(tr, data, "report-col-present"), total.present],
        [_t(tr, data, "report-col-walkin"), total.present_without_yes],
        [_t(tr, data, "report-col-asked"), counts.eligible],
        [_t(tr, data, "report-col-completed"), counts.completed],
        [_t(tr, data, "report-col-overall"), overall],
    ]  # fmt: skip
    # The events: the PDF's date text becomes two real dates (start and end, with the time
    # of day, in the event's zone); the total row, if any, is set apart below the events.
    headers, rows = event_headers(tr, data), event_rows(tr, data)
    count = len(data.events)
    if headers and headers[0] == _t(tr, data, "report-col-date"):
        # Without the date text; a total's label moves into the next (the title) column.
        headers = headers[1:]
        rows = [row[1:] for row in rows[:count]] + [[row[0], *row[2:]] for row in rows[count:]]
    when = [[local_time(e.starts_at, e.timezone), local_time(e.ends_at, e.timezone)]
            for e in data.events]  # fmt: skip
    events = Table(
        _t(tr, data, "report-section-events"),
        sheets.columns(
            [_t(tr, data, "sheets-col-starts"), _t(tr, data, "sheets-col-ends"), *headers],
            (Kind.DATETIME, Kind.DATETIME),
        ),
        [[*w, *row] for w, row in zip(when, rows[:count], strict=True)],
        totals=[[None, None, *row] for row in rows[count:]],
    )
    institutions = Table(
        _t(tr, data, "report-section-institutions"),
        sheets.columns(institution_headers(tr, data)),
        institution_rows(tr, data),
    )
    scores = [
        [q, n, None if m is None else round(m, 2), med, None if top is None else round(top, 4)]
        for q, n, m, med, top in score_rows(data)
    ]
    score_kinds = (Kind.TEXT, Kind.INT, Kind.DECIMAL, Kind.DECIMAL1, Kind.PERCENT)
    comment_headers = [_t(tr, data, "report-col-question"), _t(tr, data, "report-col-comment"),
                       _t(tr, data, "report-col-author")]  # fmt: skip
    return sheets.to_xlsx(
        Table(
            _t(tr, data, "report-sheet-summary"),
            sheets.columns([_t(tr, data, "sheets-col-item"), _t(tr, data, "sheets-col-value")]),
            summary,
        ),
        events,
        institutions,
        Table(_t(tr, data, "report-sheet-scores"),
              sheets.columns(score_headers(tr, data), score_kinds), scores),
        Table(_t(tr, data, "report-section-comments"), sheets.columns(comment_headers),
              [list(row) for row in comment_rows(data)]),
    )  # fmt: skip


async def write_event_report(
    services: Services, event: Event, lang: str, folder: Path
) -> list[Path]:
    """The event's report files written to ``folder`` (the demo prints their paths)."""
    files = await event_report(services, event, lang)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{files.name}.pdf", folder / f"{files.name}.xlsx"]
    paths[0].write_bytes(files.pdf)
    paths[1].write_bytes(files.xlsx)
    return paths


async def run_attendance_demo(
    sim: Simulation, event: Event, output: Path, *, say: Callable[[str], None]
) -> list[Path]:
    """``make demo``, the end: the organiser marks who came, sends the certificates, and the
    demo writes one certificate and the event's report (PDF and XLSX) to ``output``."""
    from bot.attendance import render_certificate

    services, lang = sim.services, "lt"
    organiser = sim.user(sim.organisers[0], "Organiser", language=lang)
    await organiser.send(f"/attendance {event.id}")
    await organiser.press(services.t(lang, "attendance-btn-all-yes"))
    say("\nThe organiser marks everyone who said yes as present (/attendance):")
    say("  " + html.unescape(re.sub(r"<[^>]+>", "", organiser.last_text)).replace("\n", "\n  "))
    await organiser.press(services.t(lang, "attendance-btn-issue"))
    say("  " + organiser.last_text)
    await sim.settle(timeout=60)  # certificates go out paced, one per chat per second
    paths: list[Path] = []
    certificates = await services.storage.event_certificates(event.id)
    if certificates:
        first = certificates[0]
        content = await render_certificate(services, first.code)
        if content is not None:
            path = output / f"certificate-{first.code}.pdf"
            path.write_bytes(content)
            paths.append(path)
    paths += await write_event_report(services, event, lang, output)
    say(f"\n{len(certificates)} certificates sent. Written:")
    for path in paths:
        say(f"  {path}")
    return paths
