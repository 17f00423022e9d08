"""The attendance sign-in sheet: one printable A4 PDF per event for people to sign on the day.

EU-funded trainings are audited on signed lists, so the sheet carries the funding block
(``bot/documents/__init__.py``, from ``[documents.funding]``), the event's title, date and time and
place, then a numbered table of those who said yes (waitlist promotions included) and
anyone already marked present: name, organisation and a wide signature column, sorted by
name in the document's language, the header row repeated on every page, "1 / 3" page
numbers, and a few blank rows at the end for people who come without having answered.

Language: ``[documents] language`` (the organisation's, not the organiser's chat language).
Reached from ``/attendance`` ("🖨 Sign-in sheet") and the CLI
(``python -m bot attendance sheet --event <id|slug>``). See docs/attendance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from bot.attendance import event_dates, event_place, plain
from bot.config import Settings
from bot.documents import FONT, FundingBlock, add_fonts, draw_funding_block
from bot.documents.certificates import event_funding
from bot.events import find_event
from bot.i18n import Translator, format_clock
from bot.models import Event, SignInEntry
from bot.services import Services

log = logging.getLogger(__name__)

BLANK_ROWS = 6  # for people who come without a "yes" (walk-ins)
ROW_HEIGHT = 9.0  # mm: room for a signature
MARGIN = 15.0

# Alphabets in their own order (Lithuanian: y between į and j; ch is not a letter here,
# as in the official order of personal names). Letters not listed sort by their base
# letter after the listed ones of the same base.
_ALPHABETS = {
    "lt": "aąbcčdeęėfghiįyjklmnoprsštuųūvzž",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}


def collation_key(text: str, lang: str) -> tuple[tuple[int, ...], str]:
    """Sort key for names in ``lang``: letters by the language's alphabet (Lithuanian
    "Čepas" after "Cibulskis", "Šimkus" after "Sakalauskas", "Žukas" last), then case
    and anything else by a casefold fallback so the order is total and stable."""
    alphabet = _ALPHABETS.get(lang, _ALPHABETS["en"])
    rank = {letter: i for i, letter in enumerate(alphabet)}
    key: list[int] = []
    for char in text.casefold():
        if char in rank:
            key.append(100 + rank[char] * 4)
            continue
        base = unicodedata.normalize("NFD", char)[0]
        if base in rank:
            key.append(100 + rank[base] * 4 + 1)  # é after e, before the next letter
        elif char.isspace() or char in "-'’.,":
            key.append(0)  # separators first: "Kaz Rūta" before "Kaza Asta"
        elif char.isdigit():
            key.append(10 + int(char))
        else:
            key.append(100 + len(alphabet) * 4 + ord(char))  # other scripts after
    return tuple(key), text


def sort_entries(entries: list[SignInEntry], lang: str) -> list[SignInEntry]:
    return sorted(entries, key=lambda e: (collation_key(e.name, lang), e.organisation))


@dataclass(frozen=True)
class SignInSheet:
    lang: str
    event: Event
    organiser: str
    funding: FundingBlock
    entries: tuple[SignInEntry, ...]


def event_times(event: Event, lang: str) -> str:
    """ "10:00–16:00" in the event's own zone."""
    start = format_clock(event.starts_at, lang, event.timezone)
    end = format_clock(event.ends_at, lang, event.timezone)
    return f"{start}–{end}"


class _SheetPDF(FPDF):
    page_label: str = ""
    running_head: str = ""

    def header(self) -> None:
        if self.page_no() > 1 and self.running_head:
            self.set_font(FONT, "", 8)
            self.set_text_color(90, 90, 90)
            self.set_xy(MARGIN, 8)
            self.cell(self.w - 2 * MARGIN, 4, self.running_head[:150], align="L")
            self.set_text_color(20, 20, 20)
            self.set_y(MARGIN)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.page_label.replace("{page}", str(self.page_no())), align="C")


def render_signin_pdf(tr: Translator, sheet: SignInSheet) -> bytes:
    lang, event = sheet.lang, sheet.event

    def t(key: str, /, **args: object) -> str:
        return plain(tr, lang, key, **args)

    pdf = _SheetPDF(orientation="P", unit="mm", format="A4")
    pdf.page_label = "{page} / {nb}"
    pdf.alias_nb_pages("{nb}")
    when = f"{event_dates(event, lang)}, {event_times(event, lang)}"
    pdf.running_head = f"{t('signin-title')}: {event.title} · {when}"
    pdf.set_title(f"{t('signin-title')}: {event.title}")
    pdf.set_author(sheet.organiser)
    pdf.set_creator("Kvietimas")
    add_fonts(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN

    used = draw_funding_block(pdf, sheet.funding, MARGIN, MARGIN, width)
    pdf.set_y(MARGIN + used + (4 if used else 0))

    def line(text: str, size: float, style: str = "", gap: float = 1.0) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_x(MARGIN)
        pdf.multi_cell(width, size * 0.45, text, align="L")
        pdf.ln(gap)

    pdf.set_text_color(30, 70, 120)
    line(t("signin-title"), 11, "B")
    pdf.set_text_color(20, 20, 20)
    line(event.title, 15, "B", 2)
    if event.programme_title:
        line(t("signin-programme", programme=event.programme_title), 9.5)
    line(t("signin-when", when=when), 10)
    line(t("signin-place", place=event_place(tr, lang, event)), 10)
    line(t("signin-organiser", organiser=sheet.organiser), 10, gap=4)

    heading = FontFace(emphasis="BOLD", fill_color=(225, 233, 243))
    pdf.set_font(FONT, "", 9.5)
    entries = list(sheet.entries)
    with pdf.table(
        col_widths=(13, 50, 60, width - 123), text_align=("RIGHT", "LEFT", "LEFT", "LEFT"),
        headings_style=heading, line_height=4.4, width=width, min_row_height=ROW_HEIGHT,
        v_align="MIDDLE", padding=(1.2, 1.5), repeat_headings=1,
    ) as table:  # fmt: skip
        head = table.row()
        for key in ("signin-col-number", "signin-col-name", "signin-col-organisation",
                    "signin-col-signature"):  # fmt: skip
            head.cell(t(key))
        for number, entry in enumerate(entries, start=1):
            row = table.row()
            for value in (f"{number}.", entry.name, entry.organisation, ""):
                row.cell(value)
        for number in range(len(entries) + 1, len(entries) + 1 + BLANK_ROWS):
            row = table.row()
            for value in (f"{number}.", "", "", ""):
                row.cell(value)
    pdf.ln(6)
    if pdf.get_y() + 12 > pdf.page_break_trigger:
        pdf.add_page()
    line(t("signin-certified"), 9.5)
    return bytes(pdf.output())


async def build_sheet(services: Services, event: Event) -> SignInSheet:
    settings = services.settings
    lang = settings.documents.language
    entries = await services.db.attendance.signin_list(event.id)
    return SignInSheet(
        lang=lang,
        event=event,
        organiser=settings.organisation_name,
        funding=await event_funding(services, event),
        entries=tuple(sort_entries(entries, lang)),
    )


def sheet_filename(event: Event) -> str:
    return f"signin-{event.slug or event.id}.pdf"


async def signin_pdf(services: Services, event: Event) -> bytes:
    """The event's sign-in sheet as PDF bytes (rendered in a thread)."""
    sheet = await build_sheet(services, event)
    content = await asyncio.to_thread(render_signin_pdf, services.translator, sheet)
    log.info(
        "sign-in sheet of event %s: %d names, %d bytes", event.id, len(sheet.entries), len(content)
    )
    return content


# -- command line: python -m bot attendance sheet --event <id|slug> [--out FILE] ------------


async def write_sheet(settings: Settings, ref: str, out: Path | None) -> int:
    from bot.clock import SystemClock
    from bot.storage import storage_for

    storage = storage_for(settings)
    await storage.open()
    try:
        services = Services(settings, storage, Translator(settings.default_language), SystemClock())
        event = await find_event(services.db, ref)
        if event is None:
            print(f"error: no event with id or slug {ref!r}", file=sys.stderr)
            return 1
        sheet = await build_sheet(services, event)
        content = render_signin_pdf(services.translator, sheet)
    finally:
        await storage.close()
    path = out if out is not None else Path(sheet_filename(event))
    try:
        path.write_bytes(content)
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    count = len(sheet.entries)
    names = f"{count} name" if count == 1 else f"{count} names"
    print(f"sign-in sheet of event #{event.id} ({names}) written: {path}")
    return 0


def cmd_attendance_sheet(args: argparse.Namespace) -> int:
    from bot.tenancy import cli_settings  # --bot KEY when the deployment has several

    settings = cli_settings(args)
    if not settings.database.path.exists():
        print(f"error: database {settings.database.path} does not exist", file=sys.stderr)
        return 2
    return asyncio.run(write_sheet(settings, args.event, Path(args.out) if args.out else None))


def register_cli(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    attendance = sub.add_parser("attendance", help="attendance documents").add_subparsers(
        dest="attendance_command", required=True
    )
    sheet = attendance.add_parser(
        "sheet", help="write an event's printable sign-in sheet (PDF) for people to sign"
    )
    sheet.add_argument("--event", required=True, help="the event's id or slug")
    sheet.add_argument("--out", help="PDF file to write (default: signin-<slug or id>.pdf)")
    sheet.set_defaults(func=cmd_attendance_sheet)
