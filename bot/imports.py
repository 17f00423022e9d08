"""Participant lists: import (CSV or XLSX) with personal invitation links, and the export
(CSV and XLSX with each person's link and QR code, plus the QR images) for a mail merge.

Import is all or nothing: every row is checked first and every problem is reported with its
row number (as the spreadsheet shows it: the header is row 1); only a clean file is written,
in one transaction. A known e-mail updates that person and keeps their link, so importing
the same list twice gives the same links.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from bot import sheets
from bot.clock import SystemClock
from bot.config import LANGUAGES, Settings
from bot.i18n import Translator
from bot.payloads import Payload, PayloadKind, deep_link, new_code
from bot.qr import qr_png
from bot.storage import Storage
from bot.storage.broadcast import ImportRow, PersonalRow

MAX_ROWS = 50_000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NAME = 100
MAX_ORGANISATION = 150
MAX_SHORT = 100  # role, category

# Header spellings we understand (compared case-, space- and accent-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "vardas", "vardas pavarde", "vardas ir pavarde", "imya", "піб",
             "ім'я", "ім’я", "прізвище та ім'я"),
    "email": ("email", "e-mail", "e mail", "el. pastas", "el pastas", "el.pastas",
              "elektroninis pastas", "електронна пошта", "пошта"),
    "organisation": ("organisation", "organization", "institution", "organizacija", "istaiga",
                     "institucija", "організація", "установа"),
    "role": ("role", "position", "pareigos", "role/category", "посада", "роль"),
    "category": ("category", "kategorija", "grupe", "категорія"),
}  # fmt: skip
REQUIRED = ("name", "email", "organisation")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]{2,}$")
# Text that was UTF-8 read as Latin-1/Windows-1257 and saved again ("JonaitÄ—", "Ã¤").
_MOJIBAKE = re.compile(r"[ÃÄÅÐÑ][\u0080-\u00bf\u2013-\u203a\u0100-\u017f]")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the row as the spreadsheet numbers it, a catalog key and its arguments."""

    row: int
    key: str
    args: dict[str, Any] = field(default_factory=dict)


class ImportFailed(Exception):
    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = list(errors)


def _fold(text: str) -> str:
    """Compare headers without case, accents, extra spaces, underscores or a BOM."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", "").strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("_", " ").split())


_ALIASES = {_fold(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


# -- reading ------------------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) of the first sheet or the CSV, header included, blank rows out."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFailed([RowError(0, "broadcast-import-too-big", {"max": MAX_FILE_BYTES})])
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(content)
    if suffix in (".csv", ".txt"):
        return _read_csv(content)
    raise ImportFailed([RowError(0, "broadcast-import-format", {"name": Path(filename).name})])


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(_bad_line(content), "broadcast-import-encoding")]) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for cells in reader:
            row_number += 1  # rows as a spreadsheet counts them (a quoted line break is one)
            if any(c.strip() for c in cells):
                table.append((row_number, cells))
            if len(table) > MAX_ROWS + 1:
                raise ImportFailed([RowError(row_number, "broadcast-import-too-many",
                                             {"max": MAX_ROWS})])  # fmt: skip
    except csv.Error as exc:
        raise ImportFailed(
            [RowError(row_number + 1, "broadcast-import-csv", {"detail": str(exc)})]
        ) from None
    return table


def _bad_line(content: bytes) -> int:
    for number, line in enumerate(content.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ValueError...: not a workbook
        raise ImportFailed(
            [RowError(0, "broadcast-import-xlsx", {"detail": type(exc).__name__})]
        ) from None
    try:
        sheet = book.worksheets[0]
        table: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else _cell_text(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                table.append((number, cells))
            if len(table) > MAX_ROWS + 1:
                raise ImportFailed([RowError(number, "broadcast-import-too-many",
                                             {"max": MAX_ROWS})])  # fmt: skip
        return table
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- checking -----------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_rows(table: Sequence[tuple[int, list[str]]]) -> list[ImportRow]:
    """Validated rows, or ImportFailed listing every problem found."""
    if not table:
        raise ImportFailed([RowError(1, "broadcast-import-empty")])
    header_row, header = table[0]
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        name = _fold(raw)
        if not name:
            continue
        column = _ALIASES.get(name)
        if column is None:
            errors.append(RowError(header_row, "broadcast-import-unknown-column", {"column": raw}))
        elif column in positions:
            errors.append(RowError(header_row, "broadcast-import-repeated-column", {"column": raw}))
        else:
            positions[column] = index
    for column in REQUIRED:
        if column not in positions:
            errors.append(
                RowError(header_row, "broadcast-import-missing-column", {"column": column})
            )
    if errors:
        raise ImportFailed(errors)
    if len(table) == 1:
        raise ImportFailed([RowError(header_row, "broadcast-import-empty")])

    rows: list[ImportRow] = []
    emails: dict[str, int] = {}
    width = max(positions.values()) + 1
    for number, cells in table[1:]:
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            errors.append(RowError(number, "broadcast-import-extra-cells"))
            continue
        cells = cells + [""] * (width - len(cells))
        values = {column: cells[index] for column, index in positions.items()}
        if any("\ufffd" in v or _MOJIBAKE.search(v) for v in values.values()):
            errors.append(RowError(number, "broadcast-import-encoding"))
            continue
        name = _clean(values["name"])
        if not name:
            errors.append(RowError(number, "broadcast-import-missing-name"))
            continue
        if not 2 <= len(name) <= MAX_NAME:
            errors.append(RowError(number, "broadcast-import-bad-name", {"max": MAX_NAME}))
            continue
        email = _clean(values["email"]).lower() or None
        if email is not None:
            if len(email) > 254 or not _EMAIL.match(email):
                errors.append(RowError(number, "broadcast-import-bad-email", {"email": email}))
                continue
            if email in emails:
                errors.append(
                    RowError(number, "broadcast-import-duplicate-email",
                             {"email": email, "first": emails[email]})
                )  # fmt: skip
                continue
            emails[email] = number
        organisation = _clean(values["organisation"]) or None
        if organisation is not None and len(organisation) > MAX_ORGANISATION:
            errors.append(
                RowError(number, "broadcast-import-bad-organisation", {"max": MAX_ORGANISATION})
            )
            continue
        role = _clean(values.get("role", "")) or None
        category = _clean(values.get("category", "")) or None
        if any(v is not None and len(v) > MAX_SHORT for v in (role, category)):
            errors.append(RowError(number, "broadcast-import-too-long", {"max": MAX_SHORT}))
            continue
        rows.append(ImportRow(number, name, email, organisation, role, category))
    if errors:
        raise ImportFailed(errors)
    return rows


def new_codes(count: int, taken: Iterable[str] = ()) -> list[str]:
    """Random personal codes (72 bits each), distinct from each other and from ``taken``."""
    seen = set(taken)
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


# -- export -------------------------------------------------------------------------------

# Columns of the mail-merge files; headers from sheets.ftl (sheets-links-col-*), in the
# organiser's language (the first five in words the import also understands).
EXPORT_COLUMNS = ("name", "email", "organisation", "role", "category", "link", "qr-file", "opened")
QR_WIDTH = 14  # characters: the 90-pixel QR image


def personal_link(username: str, code: str) -> str:
    return deep_link(username, Payload(PayloadKind.PERSONAL, code))


def export_rows(
    rows: Sequence[PersonalRow], username: str, opened: tuple[str, str] = ("yes", "no")
) -> list[list[str]]:
    yes, no = opened
    return [
        [
            r.name, r.email or "", r.organisation or "", r.role or "", r.category or "",
            personal_link(username, r.personal_code), f"qr/{r.personal_code}.png",
            yes if r.bound else no,
        ]
        for r in rows
    ]  # fmt: skip


def export_table(rows: Sequence[PersonalRow], username: str, lang: str) -> sheets.Table:
    """The people with their links as a sheet in ``lang`` (headers, "yes"/"no")."""
    tr = _translator()
    headers = [tr.text(lang, f"sheets-links-col-{c}") for c in EXPORT_COLUMNS]
    opened = (tr.text(lang, "sheets-yes"), tr.text(lang, "sheets-no"))
    return sheets.Table(
        tr.text(lang, "sheets-links-sheet"), sheets.columns(headers),
        export_rows(rows, username, opened),
    )  # fmt: skip


def export_csv(rows: Sequence[PersonalRow], username: str, lang: str = "lt") -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the Lithuanian letters right; typed
    text that starts like a formula gets a leading ' (bot/sheets.py)."""
    return sheets.to_csv(export_table(rows, username, lang))


def export_xlsx(rows: Sequence[PersonalRow], username: str, lang: str = "lt") -> bytes:
    """The same columns, the link clickable, and each person's QR code in the last column."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image

    table = export_table(rows, username, lang)
    qr = sheets.Column(_translator().text(lang, "sheets-links-col-qr"), width=QR_WIDTH)
    table = replace(table, columns=[*table.columns, qr])
    book = Workbook()  # not write-only: it holds images
    book.remove(book.active)
    sheet = sheets.add_table(book, table)
    link_column = EXPORT_COLUMNS.index("link") + 1
    qr_letter = get_column_letter(len(table.columns))
    for number, values in enumerate(table.rows, start=2):
        link = sheet.cell(row=number, column=link_column)
        link.hyperlink = values[link_column - 1]
        link.font = sheets.LINK_FONT
        image = Image(io.BytesIO(qr_png(values[link_column - 1], scale=3)))
        image.width = image.height = 90
        sheet.add_image(image, f"{qr_letter}{number}")
        sheet.row_dimensions[number].height = 70
    return sheets.save(book)


def write_export(
    rows: Sequence[PersonalRow], username: str, folder: Path, lang: str = "lt"
) -> list[Path]:
    """participants.csv, participants.xlsx and qr/<code>.png for every row."""
    qr_folder = folder / "qr"
    qr_folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        png = qr_png(personal_link(username, row.personal_code))
        (qr_folder / f"{row.personal_code}.png").write_bytes(png)
    paths = [folder / "participants.csv", folder / "participants.xlsx"]
    paths[0].write_bytes(export_csv(rows, username, lang))
    paths[1].write_bytes(export_xlsx(rows, username, lang))
    return paths


def export_zip(
    rows: Sequence[PersonalRow], username: str, lang: str = "lt", workbook: bytes | None = None
) -> bytes:
    """The whole mail-merge kit in one file: the CSV, the XLSX (``workbook`` if it is built
    already) and qr/<code>.png."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("participants.csv", export_csv(rows, username, lang))
        archive.writestr("participants.xlsx", workbook or export_xlsx(rows, username, lang))
        for row in rows:
            png = qr_png(personal_link(username, row.personal_code))
            archive.writestr(f"qr/{row.personal_code}.png", png)
    return buffer.getvalue()


async def export_files(
    rows: Sequence[PersonalRow], username: str, lang: str
) -> tuple[bytes, bytes]:
    """personal-links.xlsx and the ZIP, built in a worker thread (a QR image per person takes
    a few milliseconds: 460 people about 3 s of CPU), so the bot keeps answering meanwhile."""

    def build() -> tuple[bytes, bytes]:
        workbook = export_xlsx(rows, username, lang)
        return workbook, export_zip(rows, username, lang, workbook)

    return await asyncio.to_thread(build)


# -- command line: python -m bot participants import|export ----------------------------


def register_cli(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    participants = sub.add_parser(
        "participants", help="participant lists with personal invitation links"
    ).add_subparsers(dest="participants_command", required=True)
    imp = participants.add_parser(
        "import", help="import a CSV or XLSX list (name, email, organisation[, role, category])"
    )
    imp.add_argument("file")
    imp.add_argument("--event", help="event id or slug: everyone on the list is invited to it")
    imp.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    imp.set_defaults(func=_cmd_import)
    exp = participants.add_parser(
        "export", help="write participants.csv, participants.xlsx and qr/*.png to a folder"
    )
    exp.add_argument("folder")
    exp.add_argument("--event", help="only people invited to this event (id or slug)")
    exp.add_argument("--unopened", action="store_true", help="only links nobody opened yet")
    exp.add_argument("--lang", choices=LANGUAGES, help="language of the column names")
    exp.set_defaults(func=_cmd_export)


def _settings(args: argparse.Namespace) -> Settings:
    from bot.config import load_settings

    return load_settings(Path(args.config) if getattr(args, "config", None) else None)


def _cmd_import(args: argparse.Namespace) -> int:
    return asyncio.run(
        import_file(_settings(args), Path(args.file), event=args.event, dry_run=args.dry_run)
    )


def _cmd_export(args: argparse.Namespace) -> int:
    return asyncio.run(
        export_folder(
            _settings(args),
            Path(args.folder),
            event=args.event,
            unopened=args.unopened,
            lang=args.lang,
        )
    )


async def _event_id(storage: Storage, ref: str | None) -> int | None:
    """The event named by id or slug; raises LookupError if there is none."""
    if ref is None:
        return None
    event = await (
        storage.get_event(int(ref.lstrip("#")))
        if ref.lstrip("#").isdigit()
        else storage.get_event_by_slug(ref)
    )
    if event is None:
        raise LookupError(ref)
    return event.id


@functools.cache
def _translator() -> Translator:
    return Translator("en")


def describe(error: RowError, lang: str = "en") -> str:
    """A problem as plain text (the command line prints it)."""
    text = _translator().text(lang, error.key, **error.args)
    return re.sub(r"<[^>]+>", "", text)


async def import_file(
    settings: Settings, path: Path, *, event: str | None = None, dry_run: bool = False
) -> int:
    if not path.is_file():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    try:
        rows = parse_rows(read_table(path.name, path.read_bytes()))
    except ImportFailed as failed:
        for error in failed.errors:
            where = f"row {error.row}" if error.row else "file"
            print(f"error: {path.name} {where}: {describe(error)}", file=sys.stderr)
        print(f"nothing was imported ({len(failed.errors)} problems)", file=sys.stderr)
        return 1
    storage = Storage(settings.database.path)
    await storage.open()
    try:
        try:
            event_id = await _event_id(storage, event)
        except LookupError:
            print(f"error: there is no event {event}", file=sys.stderr)
            return 1
        if dry_run:
            print(f"{path.name}: {len(rows)} rows are fine; nothing was written (--dry-run)")
            return 0
        result = await storage.import_participants(
            rows, codes=new_codes(len(rows)), event_id=event_id, now=SystemClock().now()
        )
    finally:
        await storage.close()
    print(f"imported {len(rows)} rows: {result.created} new, {result.updated} updated")
    if event_id is not None:
        print(f"invited to event #{event_id}: {result.invited} more")
    print("next: python -m bot participants export FOLDER  (links and QR codes)")
    return 0


async def export_folder(
    settings: Settings,
    folder: Path,
    *,
    event: str | None = None,
    unopened: bool = False,
    lang: str | None = None,
) -> int:
    from bot.cli import bot_username

    username = await bot_username(settings)
    storage = Storage(settings.database.path)
    await storage.open()
    try:
        try:
            event_id = await _event_id(storage, event)
        except LookupError:
            print(f"error: there is no event {event}", file=sys.stderr)
            return 1
        rows = await storage.personal_rows(event_id=event_id, include_bound=not unopened)
    finally:
        await storage.close()
    paths = write_export(rows, username, folder, lang or settings.default_language)
    print(f"{len(rows)} people with personal links:")
    for written in paths:
        print(f"  {written}")
    print(f"  {folder / 'qr'}/ ({len(rows)} QR images)")
    return 0
