"""Participant lists: import (CSV or XLSX) with personal invitation links, and the export
(CSV and XLSX with each person's link and QR code, plus the QR images) for a mail merge.

Import is all or nothing: every row is checked first and every problem is reported with its
row number (as the spreadsheet shows it: the header is row 1); only a clean file is written,
in one transaction. A known e-mail updates that person and keeps their link, so importing
the same list twice gives the same links.

An uploaded file is someone else's bytes: :func:`read_list` reads and checks it in a
separate, short-lived process under :class:`ListLimits` (size, rows, columns, unpacked XLSX
size, time and memory), so the bot keeps answering everyone else meanwhile and a hostile
file (a zip bomb, a sheet claiming a million columns, a parser trap) costs at most that
process, killed at the limit. A process rather than a thread: only a process can be given a
real memory limit (``RLIMIT_AS``) and be killed when it overruns its time, and its parsing
does not compete with the event loop for the GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import functools
import io
import json
import logging
import math
import os
import re
import signal
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from bot.clock import SystemClock
from bot.config import LANGUAGES, Settings
from bot.documents import sheets
from bot.i18n import Translator
from bot.models import ImportRow, PersonalRow
from bot.payloads import Payload, PayloadKind, deep_link, new_code
from bot.qr import qr_png
from bot.storage import Storage

log = logging.getLogger(__name__)

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ListLimits:
    """How much of an uploaded list is read at most (docs/operations.md)."""

    max_bytes: int = 20 * MB  # the file itself (bots can download at most 20 MB anyway)
    max_rows: int = 50_000  # people, the header not counted
    max_columns: int = 50
    max_unpacked_bytes: int = 200 * MB  # an XLSX is a zip: its members unpacked, in total
    seconds: float = 60.0  # wall-clock time of the reading process
    memory_bytes: int = 512 * MB  # address space the reading process may add to its start


LIMITS = ListLimits()
MAX_ROWS = LIMITS.max_rows
MAX_FILE_BYTES = LIMITS.max_bytes
# The reading process exits with this code when it ran out of its memory limit.
_EXIT_MEMORY = 75
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


def read_table(
    filename: str, content: bytes, limits: ListLimits = LIMITS
) -> list[tuple[int, list[str]]]:
    """(row number, cells) of the first sheet or the CSV, header included, blank rows out.

    Runs in the reading process (:func:`read_list`); the checks here are the ones that can
    be made before or while reading, the process limits catch the rest."""
    if len(content) > limits.max_bytes:
        raise ImportFailed([_too_big(len(content), limits)])
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(content, limits)
    if suffix in (".csv", ".txt"):
        return _read_csv(content, limits)
    raise ImportFailed([RowError(0, "broadcast-import-format", {"name": Path(filename).name})])


def upload_too_big(size: int | None, limits: ListLimits | None = None) -> RowError | None:
    """The problem with a file of ``size`` bytes (as Telegram announces it), if any."""
    limits = limits or LIMITS
    return _too_big(size, limits) if size is not None and size > limits.max_bytes else None


def _too_big(size: int, limits: ListLimits) -> RowError:
    return RowError(
        0,
        "broadcast-import-file-too-big",
        {"size": math.ceil(size * 10 / MB) / 10, "max": limits.max_bytes // MB},
    )


def _too_many(row: int, limits: ListLimits) -> ImportFailed:
    return ImportFailed([RowError(row, "broadcast-import-too-many", {"max": limits.max_rows})])


def _too_wide(row: int, limits: ListLimits) -> ImportFailed:
    return ImportFailed([RowError(row, "broadcast-import-too-wide", {"max": limits.max_columns})])


def _read_csv(content: bytes, limits: ListLimits) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(_bad_line(content), "broadcast-import-encoding")]) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    # strict: a stray quote is reported with its row, not silently merged with the next rows.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: list[tuple[int, list[str]]] = []
    row_number = 0
    try:
        for cells in reader:
            row_number += 1  # rows as a spreadsheet counts them (a quoted line break is one)
            if len(cells) > limits.max_columns:
                while cells and not cells[-1].strip():
                    cells.pop()
                if len(cells) > limits.max_columns:
                    raise _too_wide(row_number, limits)
            if any(c.strip() for c in cells):
                table.append((row_number, cells))
            if len(table) > limits.max_rows + 1:
                raise _too_many(row_number, limits)
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


def _check_zip(content: bytes, limits: ListLimits) -> None:
    """A zip bomb is refused by its directory, before anything is unpacked. (Python's
    zipfile never unpacks a member beyond the size its directory declares.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(
            [RowError(0, "broadcast-import-xlsx", {"detail": type(exc).__name__})]
        ) from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > 10_000 or unpacked > limits.max_unpacked_bytes:
        raise ImportFailed(
            [RowError(0, "broadcast-import-unpacked-too-big",
                      {"max": limits.max_unpacked_bytes // MB})]
        )  # fmt: skip


def _read_xlsx(content: bytes, limits: ListLimits) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_zip(content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ValueError...: not a workbook
        raise ImportFailed(
            [RowError(0, "broadcast-import-xlsx", {"detail": type(exc).__name__})]
        ) from None
    try:
        if not book.worksheets:
            raise ImportFailed([RowError(1, "broadcast-import-empty")])
        sheet = book.worksheets[0]
        # The size the sheet declares (its <dimension> tag), checked before reading a row.
        if isinstance(sheet.max_row, int) and sheet.max_row > limits.max_rows + 1:
            raise _too_many(0, limits)
        if isinstance(sheet.max_column, int) and sheet.max_column > limits.max_columns:
            raise _too_wide(0, limits)
        table: list[tuple[int, list[str]]] = []
        # max_col: a sheet without a dimension is never widened beyond the limit per row.
        rows = sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1)
        for number, values in enumerate(rows, start=1):
            cells = ["" if v is None else _cell_text(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            if len(cells) > limits.max_columns:
                raise _too_wide(number, limits)
            if cells:
                table.append((number, cells))
            if len(table) > limits.max_rows + 1:
                raise _too_many(number, limits)
        return table
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- checking -----------------------------------------------------------------------------


def _clean(text: str) -> str:
    if not text.isprintable():  # (printable text has no control or format characters)
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


# -- the reading process ------------------------------------------------------------------


async def read_list(
    filename: str, content: bytes, limits: ListLimits | None = None
) -> list[ImportRow]:
    """The checked rows of an uploaded list, read in a separate process within ``limits``
    (default :data:`LIMITS`); raises ImportFailed with the problems, or with the limit that
    stopped the reading."""
    limits = limits or LIMITS
    if len(content) > limits.max_bytes:
        raise ImportFailed([_too_big(len(content), limits)])
    spec = json.dumps({"name": filename, "limits": dataclasses.asdict(limits)})
    try:
        return await _run_worker(spec, content, limits)
    except TimeoutError:
        raise _too_slow(limits) from None


def _too_slow(limits: ListLimits) -> ImportFailed:
    log.warning("reading a list took longer than %.0f s: stopped", limits.seconds)
    return ImportFailed(
        [RowError(0, "broadcast-import-too-slow", {"seconds": round(limits.seconds)})]
    )


async def _run_worker(spec: str, content: bytes, limits: ListLimits) -> list[ImportRow]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _WORKER, str(Path(__file__).resolve().parent.parent), spec,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with asyncio.timeout(limits.seconds):
            output, _ = await process.communicate(content)
    finally:
        if process.returncode is None:  # over time, or the bot is stopping
            process.kill()
            await process.wait()
    # (asyncio.timeout raises TimeoutError; RLIMIT_CPU ends the process with SIGXCPU.)
    # Decoding 50,000 rows takes a moment: in a thread, so the loop keeps its turns.
    return await asyncio.to_thread(_result, process.returncode, output, limits)


def _result(code: int | None, output: bytes, limits: ListLimits) -> list[ImportRow]:
    if code == -signal.SIGXCPU:
        raise _too_slow(limits)
    if code in (_EXIT_MEMORY, -signal.SIGKILL):  # SIGKILL: the kernel's out-of-memory killer
        log.warning("reading a list needed more than %d MB: stopped", limits.memory_bytes // MB)
        raise ImportFailed(
            [RowError(0, "broadcast-import-too-much-memory", {"max": limits.memory_bytes // MB})]
        )
    try:
        if code != 0:
            raise ValueError(f"exit code {code}")
        result = json.loads(output)
        if "errors" in result:
            raise ImportFailed([RowError(int(r), str(k), dict(a)) for r, k, a in result["errors"]])
        return [ImportRow(*row) for row in result["rows"]]
    except (ValueError, TypeError, KeyError) as exc:
        log.error("the list reading process failed: %s", type(exc).__name__)
        raise ImportFailed([RowError(0, "broadcast-import-unreadable")]) from None


# Runs in the reading process: the parent's code (argv[1] is its folder), limits set first.
_WORKER = "import sys; sys.path.insert(0, sys.argv[1]); from bot.imports import worker; worker()"


def worker() -> None:
    """The reading process: set the limits, read stdin, print the rows or problems as JSON."""
    spec = json.loads(sys.argv[2])
    limits = ListLimits(**spec["limits"])
    import openpyxl  # noqa: F401  (imported before the memory limit: it is the baseline)

    _limit_self(limits)
    try:
        content = sys.stdin.buffer.read(limits.max_bytes + 1)
        try:
            rows = parse_rows(read_table(spec["name"], content, limits))
            result: dict[str, Any] = {"rows": [dataclasses.astuple(row) for row in rows]}
        except ImportFailed as failed:
            result = {"errors": [[e.row, e.key, e.args] for e in failed.errors]}
        sys.stdout.write(json.dumps(result, ensure_ascii=False))
        sys.stdout.flush()
    except MemoryError:
        os._exit(_EXIT_MEMORY)


def _limit_self(limits: ListLimits) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: only the parent's time limit applies
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core dump full of people's data
    cpu = math.ceil(limits.seconds) + 1  # a backstop: the parent kills at the wall-clock limit
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    ceiling = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _address_space() -> int:
    """Bytes of address space this process uses now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


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

# Columns of the mail-merge files; headers from documents.ftl (sheets-links-col-*), in the
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
    text that starts like a formula gets a leading ' (bot/documents/sheets.py)."""
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


# Beyond MAX_CHAT_EXPORT people the files are not built in the chat (a QR code and its image
# per person: 5,000 people are about half a minute of CPU); the organiser is pointed to the
# command line, which writes the same files.
MAX_CHAT_EXPORT = 5_000


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
        storage.events.get_event(int(ref.lstrip("#")))
        if ref.lstrip("#").isdigit()
        else storage.events.get_event_by_slug(ref)
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
        too_big = upload_too_big(path.stat().st_size)
        if too_big is not None:  # not even read
            raise ImportFailed([too_big])
        rows = await read_list(path.name, path.read_bytes())
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
        result = await storage.invitations.import_participants(
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
        rows = await storage.invitations.personal_rows(
            event_id=event_id, include_bound=not unopened
        )
    finally:
        await storage.close()
    paths = write_export(rows, username, folder, lang or settings.default_language)
    print(f"{len(rows)} people with personal links:")
    for written in paths:
        print(f"  {written}")
    print(f"  {folder / 'qr'}/ ({len(rows)} QR images)")
    return 0
