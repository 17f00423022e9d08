"""The funder's report: one PDF (fpdf2) and one XLSX per event or per programme, in the
documents' language (``[documents] language``, not the organiser's chat language).

Contents: the funding block (``bot/documents/__init__.py``); the events with dates, times, places
and hours; participants invited / said yes / present; the institutions with their counts;
the questionnaire's response counts, the 1-5 score table (each scale labelled), its chart
(``bot/surveys/charts.py``), the recommendation (NPS, 0-10) in its own section, the score
per organisation, and the free-text comments.

Anonymity, as the consent promises ("results go to the funder anonymised"): whatever the
questionnaire's mode, the report never prints who said what (comments come without names
or organisations), and organisations with fewer respondents than
``privacy.min_group_size`` are merged into "other organisations", or left out when even
that group is smaller; the report says so. Scores come from ``bot/surveys/scoring.py``
(computed in SQL), attendance counts from ``bot/storage/attendance.py``.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from babel.dates import format_date
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from bot.attendance import event_place, plain
from bot.documents import (
    FONT,
    FundingBlock,
    add_fonts,
    certificates,
    draw_funding_block,
    funding_block,
    sheets,
)
from bot.documents.sheets import Kind, Table, local_time
from bot.documents.signin import event_times
from bot.i18n import Translator, local
from bot.models import AttendanceCounts, Event, EventStatus, InstitutionCount
from bot.services import Services
from bot.surveys.charts import distribution_chart
from bot.surveys.model import Question, QuestionKind, pick
from bot.surveys.report import number, percent
from bot.surveys.scoring import QuestionScore, ScoreReport, score_report

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
    scores: ScoreReport  # anonymised whatever the questionnaire's mode
    funding: FundingBlock
    hours: dict[int, float]  # per event: declared, else computed (``declared_hours``)

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


async def declared_hours(services: Services, events: Sequence[Event]) -> dict[int, float]:
    """The hours the report shows for each event: the same number its certificates print
    (declared by the organiser, else computed from the times; see docs/documents.md)."""
    return {e.id: (await certificates.certificate_choice(services, e)).hours for e in events}


async def _collect(
    services: Services,
    events: Sequence[Event],
    lang: str,
    *,
    title: str,
    programme: str | None,
    is_programme: bool,
) -> ReportData:
    storage = services.db
    ids = [e.id for e in events]
    scores = await score_report(
        services, events, title=title, programme=is_programme, comments_limit=MAX_COMMENTS,
        anonymise=True,
    )  # fmt: skip
    return ReportData(
        lang=lang,
        title=title,
        programme=programme,
        is_programme=is_programme,
        organiser=services.settings.organisation_name,
        prepared=str(
            format_date(
                local(services.clock.now(), services.settings.timezone).date(), "long", locale=lang
            )
        ),
        events=tuple(events),
        counts=await storage.attendance.attendance_counts(ids),
        institutions=tuple(await storage.attendance.institution_counts(ids)),
        scores=scores,
        funding=(
            await certificates.event_funding(services, events[0])
            if events
            else funding_block(services.settings.documents.funding)
        ),
        hours=await declared_hours(services, events),
    )


def report_language(services: Services) -> str:
    return services.settings.documents.language


async def event_report(services: Services, event: Event, lang: str | None = None) -> ReportFiles:
    data = await _collect(
        services, [event], lang or report_language(services), title=event.title,
        programme=event.programme_title, is_programme=False,
    )  # fmt: skip
    return await _render(services.translator, data, f"report-event-{event.id}")


async def report_for(
    services: Services, *, event_id: int = 0, programme_id: int = 0
) -> ReportFiles | None:
    """``/report`` of an event or of a programme (None: no such event or programme)."""
    if programme_id:
        return await programme_report(services, programme_id)
    event = await services.db.events.get_event(event_id)
    return None if event is None else await event_report(services, event)


async def programme_report(
    services: Services, programme_id: int, lang: str | None = None
) -> ReportFiles | None:
    """All active events of the programme together (None: no such programme or no events)."""
    programmes = {p.id: p.title for p in await services.db.events.list_programmes()}
    if programme_id not in programmes:
        return None
    events = [
        e
        for e in await services.db.events.list_programme_events(programme_id)
        if e.status is EventStatus.ACTIVE
    ]
    if not events:
        return None
    data = await _collect(
        services, events, lang or report_language(services), title=programmes[programme_id],
        programme=None, is_programme=True,
    )  # fmt: skip
    return await _render(services.translator, data, f"report-programme-{programme_id}")


async def _render(tr: Translator, data: ReportData, name: str) -> ReportFiles:
    pdf, xlsx = await asyncio.to_thread(lambda: (render_pdf(tr, data), render_xlsx(tr, data)))
    log.info("report %s: %d events, pdf %d bytes", name, len(data.events), len(pdf))
    return ReportFiles(name, pdf, xlsx)


# -- rows shared by the PDF and the spreadsheet -----------------------------------------------


def _t(tr: Translator, data: ReportData, key: str, /, **args: object) -> str:
    return plain(tr, data.lang, key, **args)


def table_dates(event: Event, lang: str) -> str:
    """ "2027 m. kovo 9 d." (no weekday: the table has 36 rows to fit); a span for
    several days."""
    first = format_date(local(event.starts_at, event.timezone).date(), "long", locale=lang)
    last = format_date(local(event.ends_at, event.timezone).date(), "long", locale=lang)
    return str(first) if first == last else f"{first} – {last}"


def hours_text(hours: float, lang: str) -> str:
    return number(hours, lang, "0.##")


def event_rows(tr: Translator, data: ReportData) -> list[list[Any]]:
    """Date(s), time of day (the event's zone), title, place, hours, invited, said yes,
    present, present without a yes; a total row for several events."""
    rows: list[list[Any]] = []
    for event in data.events:
        c = data.counts.get(event.id, AttendanceCounts())
        rows.append([
            table_dates(event, data.lang), event_times(event, data.lang), event.title,
            event_place(tr, data.lang, event), data.hours.get(event.id),
            c.invited, c.yes, c.present, c.present_without_yes,
        ])  # fmt: skip
    if len(data.events) > 1:
        t = data.total
        hours = sum(data.hours.get(e.id, 0.0) for e in data.events)
        rows.append([_t(tr, data, "report-total"), "", "", "", hours, t.invited, t.yes,
                     t.present, t.present_without_yes])  # fmt: skip
    return rows


def event_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-date", "report-col-time", "report-col-event", "report-col-place",
                    "report-col-hours", "report-col-invited", "report-col-yes",
                    "report-col-present", "report-col-walkin")
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


def _scored(data: ReportData, kind: QuestionKind) -> list[QuestionScore]:
    return [s for s in data.scores.questions if s.question.kind is kind]


def scale_text(tr: Translator, data: ReportData, question: Question) -> str:
    """ "1 = very poor … 5 = excellent" (0 … 10 for a recommendation question)."""
    low, high = (0, 10) if question.kind is QuestionKind.NPS else (1, 5)
    return _t(
        tr, data, "report-scale", low=str(low), high=str(high),
        low_label=pick(question.low, data.lang), high_label=pick(question.high, data.lang),
    )  # fmt: skip


def score_rows(data: ReportData) -> list[list[Any]]:
    """1-5 questions only: question, n, mean, median, share of 4-5 (NPS has its own rows)."""
    rows: list[list[Any]] = []
    for score in _scored(data, QuestionKind.RATING):
        stats = score.stats
        rows.append([score.question.label(data.lang), stats.n, stats.mean, stats.median,
                     stats.top2])  # fmt: skip
    return rows


def score_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-question", "report-col-n", "report-col-mean",
                    "report-col-median", "report-col-rated-top")
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class NpsRow:
    label: str
    n: int
    promoters: int  # 9-10
    passives: int  # 7-8
    detractors: int  # 0-6
    score: float | None  # -100..100


def nps_rows(data: ReportData) -> list[NpsRow]:
    rows = []
    for score in _scored(data, QuestionKind.NPS):
        h = score.stats.histogram
        rows.append(
            NpsRow(
                score.question.label(data.lang), score.stats.n,
                promoters=sum(h.get(v, 0) for v in (9, 10)),
                passives=sum(h.get(v, 0) for v in (7, 8)),
                detractors=sum(h.get(v, 0) for v in range(0, 7)),
                score=score.stats.nps,
            )
        )  # fmt: skip
    return rows


def nps_headers(tr: Translator, data: ReportData) -> list[str]:
    return [
        _t(tr, data, key)
        for key in ("report-col-question", "report-col-n", "report-col-promoters",
                    "report-col-passives", "report-col-detractors", "report-col-nps")
    ]  # fmt: skip


def nps_text(value: float | None, lang: str) -> str:
    return number(value, lang, "+0;-0") if value else number(value, lang, "0")


def comment_rows(data: ReportData) -> list[tuple[str, str]]:
    """(question, comment): never who wrote it (the report is anonymised)."""
    rows: list[tuple[str, str]] = []
    for score in _scored(data, QuestionKind.TEXT):
        for comment in score.comments:
            rows.append((score.question.label(data.lang), comment.text))
    return rows


def response_line(tr: Translator, data: ReportData) -> str:
    counts = data.scores.counts
    rate = counts.completed / counts.eligible if counts.eligible else None
    return _t(
        tr, data, "report-responses", completed=counts.completed, eligible=counts.eligible,
        rate=percent(rate, data.lang),
    )  # fmt: skip


def n_note(tr: Translator, data: ReportData) -> str:
    """What n per question counts, and why it differs from the completed questionnaires."""
    return _t(tr, data, "report-n-note", unfinished=data.scores.counts.unfinished)


def overall_line(tr: Translator, data: ReportData) -> str | None:
    if data.scores.overall is None:
        return None
    return _t(
        tr, data, "report-overall", score=number(data.scores.overall, data.lang),
        count=data.scores.overall_questions,
    )  # fmt: skip


def organisation_rows(tr: Translator, data: ReportData) -> list[list[Any]]:
    """Score per organisation; small organisations merged into one "other" row."""
    groups = data.scores.breakdown
    rows: list[list[Any]] = [
        [g.organisation or _t(tr, data, "report-no-organisation"), g.respondents, g.overall]
        for g in groups.groups
    ]
    if groups.other is not None:
        rows.append([_t(tr, data, "report-other-organisations"), groups.other.respondents,
                     groups.other.overall])  # fmt: skip
    return rows


def organisation_notes(tr: Translator, data: ReportData) -> list[str]:
    """What the merge did: how many organisations are together as "other", how many
    respondents are left out because even together they are too few."""
    groups, size = data.scores.breakdown, data.scores.min_group_size
    notes = []
    if groups.other is not None:
        notes.append(_t(tr, data, "report-merged-note", count=groups.merged, min=size))
        if groups.topped_up:
            notes.append(_t(tr, data, "report-topped-up-note", min=size))
    if groups.hidden:
        notes.append(
            _t(tr, data, "report-suppressed-note", count=groups.hidden, orgs=groups.merged,
               min=size)
        )  # fmt: skip
    return notes


# -- PDF ------------------------------------------------------------------------------------------

MARGIN = 18.0


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
    pdf.set_margins(MARGIN, 16, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    heading = FontFace(emphasis="BOLD", fill_color=(225, 233, 243))

    def room(height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_x(MARGIN)
        pdf.multi_cell(width, size * 0.48, text, align="L")  # never justified
        pdf.ln(gap)

    def section(text: str, keep: float = 30) -> None:
        """A heading kept on one page with at least ``keep`` mm of what follows it."""
        room(12 + keep)
        pdf.ln(3)
        pdf.set_text_color(30, 70, 120)
        para(text, 13, "B", 2)
        pdf.set_text_color(20, 20, 20)

    def subheading(text: str, keep: float = 25) -> None:
        room(8 + keep)
        pdf.ln(1)
        para(text, 11, "B", 1.5)

    def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
              numeric_from: int, head_size: float = 8.5) -> None:  # fmt: skip
        pdf.set_font(FONT, "", 8.5)
        align = ["LEFT"] * numeric_from + ["RIGHT"] * (len(headers) - numeric_from)
        style = replace(heading, size_pt=head_size)
        with pdf.table(
            col_widths=tuple(widths), text_align=tuple(align), headings_style=style,
            line_height=4.6, width=width, repeat_headings=1,
        ) as grid:  # fmt: skip
            head = grid.row()
            for h in headers:
                head.cell(h)
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(_fmt(value, lang))
        pdf.ln(2)

    used = draw_funding_block(pdf, data.funding, MARGIN, pdf.get_y(), width)
    if used:
        pdf.set_y(pdf.get_y() + used + 4)
    pdf.set_text_color(30, 70, 120)
    para(_t(tr, data, "report-title"), 11, "B", 1)
    pdf.set_text_color(20, 20, 20)
    para(data.title, 17, "B", 2)
    if data.programme:
        para(_t(tr, data, "report-programme", programme=data.programme), 10, "I")
    para(_t(tr, data, "report-organiser", organiser=data.organiser), 10)
    para(_t(tr, data, "report-prepared", date=data.prepared), 9)

    section(_t(tr, data, "report-section-events"))
    headers = event_headers(tr, data)
    event_table = [
        [f"{dates}\n{times}" if times else dates, title, place, hours_text(hours, lang),
         *figures]
        for dates, times, title, place, hours, *figures in event_rows(tr, data)
    ]  # fmt: skip
    table([headers[0] + " / " + headers[1].lower(), *headers[2:]], event_table,
          (29, 34, 31, 10, 17.5, 17.5, 17.5, 17.5), 3, head_size=6.5)  # fmt: skip

    section(_t(tr, data, "report-section-institutions"))
    if data.institutions:
        table(institution_headers(tr, data), institution_rows(tr, data), (102, 24, 24, 24), 1)
    else:
        para(_t(tr, data, "report-none"))

    section(_t(tr, data, "report-section-survey"))
    para(response_line(tr, data))
    overall = overall_line(tr, data)
    if overall:
        para(overall, 10, "B")
    para(_t(tr, data, "report-privacy-note", min=data.scores.min_group_size), 9, "I")
    ratings = _scored(data, QuestionKind.RATING)
    nps = nps_rows(data)
    answered = any(s.stats.n for s in ratings) or any(r.n for r in nps)
    if answered:
        para(n_note(tr, data), 9, "I")
    else:
        para(_t(tr, data, "report-no-answers"))
    if ratings and any(s.stats.n for s in ratings):
        subheading(_t(tr, data, "report-ratings"))
        rows = [
            [f"{q}\n{scale_text(tr, data, s.question)}", n, m, med,
             percent(top, lang) if top is not None else None]
            for s, (q, n, m, med, top) in zip(ratings, score_rows(data), strict=True)
        ]  # fmt: skip
        table(score_headers(tr, data), rows, (96, 14, 20, 20, 24), 1)
        chart = distribution_chart(replace(data.scores, questions=tuple(ratings)), lang)
        with Image.open(io.BytesIO(chart)) as image:
            chart_height = width * image.height / image.width
        # The heading and its chart on one page: a new page first if they do not fit.
        room(8 + min(chart_height, pdf.page_break_trigger - 40))
        subheading(_t(tr, data, "report-chart"), keep=0)
        pdf.image(io.BytesIO(chart), x=MARGIN, w=width)
        pdf.ln(2)

    if any(r.n for r in nps):
        section(_t(tr, data, "report-section-nps"))
        para(_t(tr, data, "report-nps-how"), 9, "I")
        nps_questions = _scored(data, QuestionKind.NPS)
        table(
            nps_headers(tr, data),
            [[f"{r.label}\n{scale_text(tr, data, s.question)}", r.n,
              f"{r.promoters} ({percent(r.promoters / r.n if r.n else None, lang)})",
              f"{r.passives} ({percent(r.passives / r.n if r.n else None, lang)})",
              f"{r.detractors} ({percent(r.detractors / r.n if r.n else None, lang)})",
              nps_text(r.score, lang)]
             for s, r in zip(nps_questions, nps, strict=True)],
            (66, 12, 26, 26, 26, 18), 1,
        )  # fmt: skip

    groups = data.scores.breakdown
    if groups.groups or groups.other is not None or groups.hidden:
        section(_t(tr, data, "report-by-organisation"))
        for note in organisation_notes(tr, data):
            para(note, 9, "I")
        org_rows = organisation_rows(tr, data)
        if org_rows:
            table(
                [_t(tr, data, "report-col-organisation"), _t(tr, data, "report-col-respondents"),
                 _t(tr, data, "report-col-mean")],
                org_rows, (122, 26, 26), 1,
            )  # fmt: skip

    comments = comment_rows(data)
    if comments:
        section(_t(tr, data, "report-section-comments"))
        para(_t(tr, data, "report-comments-anonymous"), 9, "I")
        current = None
        for question, text in comments:
            if question != current:
                room(14)
                para(question, 10, "B", 1)
                current = question
            para(f"• {text}", 9.5, "", 1)
    return bytes(pdf.output())


# -- XLSX -----------------------------------------------------------------------------------------


def render_xlsx(tr: Translator, data: ReportData) -> bytes:
    """The report's figures as a workbook (through ``bot/documents/sheets.py``: typed text is inert,
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
        [_t(tr, data, "report-col-unfinished"), counts.unfinished],
        [_t(tr, data, "report-col-overall"), overall],
    ]  # fmt: skip
    # The events: the PDF's date and time-of-day texts become two real dates (start and
    # end, in the event's zone); the total row, if any, is set apart below the events.
    headers, rows = event_headers(tr, data), event_rows(tr, data)
    count = len(data.events)
    texts = [_t(tr, data, "report-col-date"), _t(tr, data, "report-col-time")]
    if headers[:2] == texts:
        # Without the date and time texts; a total's label moves into the title column.
        headers = headers[2:]
        rows = [row[2:] for row in rows[:count]] + [[row[0], *row[3:]] for row in rows[count:]]
    when = [[local_time(e.starts_at, e.timezone), local_time(e.ends_at, e.timezone)]
            for e in data.events]  # fmt: skip
    events = Table(
        _t(tr, data, "report-section-events"),
        sheets.columns(
            [_t(tr, data, "sheets-col-starts"), _t(tr, data, "sheets-col-ends"), *headers],
            (Kind.DATETIME, Kind.DATETIME, Kind.TEXT, Kind.TEXT, Kind.DECIMAL),
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
    nps = [
        [r.label, r.n, r.promoters, r.passives, r.detractors,
         None if r.score is None else round(r.score)]
        for r in nps_rows(data)
    ]  # fmt: skip
    organisations = [
        [org, n, None if mean is None else round(mean, 2)]
        for org, n, mean in organisation_rows(tr, data)
    ]
    organisation_headers = [_t(tr, data, "report-col-organisation"),
                            _t(tr, data, "report-col-respondents"),
                            _t(tr, data, "report-col-mean")]  # fmt: skip
    comment_headers = [_t(tr, data, "report-col-question"), _t(tr, data, "report-col-comment")]
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
        Table(_t(tr, data, "report-sheet-nps"),
              sheets.columns(nps_headers(tr, data), (Kind.TEXT, *[Kind.INT] * 5)), nps),
        Table(_t(tr, data, "report-sheet-organisations"),
              sheets.columns(organisation_headers, (Kind.TEXT, Kind.INT, Kind.DECIMAL)),
              organisations, totals=[[note] for note in organisation_notes(tr, data)]),
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
