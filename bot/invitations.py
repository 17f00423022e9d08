"""Invitations: participant lists, personal links, group cards (the service of
bot/handlers/invitations.py; its results are Telegram-free, the handler renders them).

Participant lists: import (CSV or XLSX) with personal invitation links, and the export
(CSV and XLSX with each person's link and QR code, plus the QR images) for a mail merge,
from the chat (an organiser's upload, /personal) or the command line
(``python -m bot participants import|export``). Personal links: whose invitation is it
(bound to the first account that opens it; a person with an identity of their own is asked
first). Group cards: /postcard posts an event card in a group or channel; a press on it is
that person's answer; the bot remembers the chats it is in and which an organiser trusts.

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
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from openpyxl.utils import get_column_letter

from bot import rsvp
from bot.broadcast import (
    MAX_CHOICES,
    BroadcastAction,
    active_event,
    event_choices,
    event_label,
    flow_state,
    press,
)
from bot.callbacks import Answer, CallbackData, PersonalLinkPress
from bot.clock import SystemClock
from bot.config import LANGUAGES, Settings
from bot.documents import sheets
from bot.i18n import Markup, Translator, normalise_language
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    BindOutcome,
    BindResult,
    Event,
    ImportRow,
    OutboxItem,
    Participant,
    PendingInput,
    PersonalRow,
    RsvpStatus,
)
from bot.payloads import Payload, PayloadKind, deep_link, new_code
from bot.qr import qr_png
from bot.services import Services
from bot.storage import Storage, storage_for
from bot.views import event_card, event_picker, fit

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
_WORKER = (
    "import sys; sys.path.insert(0, sys.argv[1]); from bot.invitations import worker; worker()"
)


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
    from bot.tenancy import cli_settings  # --bot KEY when the deployment has several

    return cli_settings(args)


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
    storage = storage_for(settings)
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
    storage = storage_for(settings)
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


# -- participant lists in the chat: an organiser's upload, /personal ------------------------

IMPORT_FLOW = "import"

# A file id -> the file's bytes (the handler downloads from Telegram).
Fetch = Callable[[str], Awaitable[bytes]]


class FileGone(Exception):
    """Raised by a :data:`Fetch` when the uploaded file can no longer be had."""


@dataclass(frozen=True, slots=True)
class LinksFiles:
    """personal-links.xlsx and the mail-merge ZIP, with the caption of the first."""

    caption: str
    workbook: bytes
    kit: bytes


@dataclass(frozen=True, slots=True)
class ListStep:
    """What the organiser gets: messages, then the files (if any)."""

    messages: tuple[OutgoingMessage, ...] = ()
    files: LinksFiles | None = None


def _said(services: Services, lang: str, key: str, /, **args: object) -> OutgoingMessage:
    return OutgoingMessage(services.t(lang, key, **args))


def problems(services: Services, lang: str, errors: Sequence[RowError]) -> str:
    """The problems of a rejected list, one line each (the first 25)."""
    lines = [services.t(lang, "broadcast-import-rejected", count=len(errors))]
    for error in errors[:25]:
        reason = services.t(lang, error.key, **error.args)
        lines.append(
            services.t(lang, "broadcast-import-row", row=error.row, reason=Markup(reason))
            if error.row
            else reason
        )
    if len(errors) > 25:
        lines.append(services.t(lang, "broadcast-import-more", count=len(errors) - 25))
    return fit(lines)


async def upload(
    services: Services,
    user_id: int,
    lang: str,
    *,
    file_id: str,
    name: str | None,
    size: int | None,
    fetch: Fetch,
) -> ListStep:
    """An organiser sent a CSV or XLSX list: check it all, then ask which event it is for."""
    name = name or "list.csv"
    too_big = upload_too_big(size)
    if too_big is not None:  # checked before downloading anything
        return ListStep((OutgoingMessage(problems(services, lang, [too_big])),))
    try:
        # Read in a separate process, within limits.
        entries = await read_list(name, await fetch(file_id))
    except ImportFailed as failed:
        log.info("organiser %s: list %s rejected (%d problems)", user_id, name,
                 len(failed.errors))  # fmt: skip
        return ListStep((OutgoingMessage(problems(services, lang, failed.errors)),))
    known = await services.db.invitations.existing_emails([r.email for r in entries if r.email])
    updated = sum(1 for r in entries if r.email and r.email in known)
    await services.db.people.set_pending_input(
        PendingInput(user_id, IMPORT_FLOW, {"file_id": file_id, "name": name}),
        services.clock.now(),
    )
    picker = await event_choices(
        services, lang, BroadcastAction.IMPORT, "broadcast-btn-import-no-event",
        "broadcast-import-ready", count=len(entries), new=len(entries) - updated, updated=updated,
    )  # fmt: skip
    return ListStep((picker,))


async def import_to_event(
    services: Services, user_id: int, lang: str, event_id: int, fetch: Fetch
) -> ListStep:
    """The event for the checked list was picked (0: none): import it, then the links."""
    data = await services.db.people.take_pending_input(user_id, IMPORT_FLOW)
    if data is None:
        return ListStep((_said(services, lang, "broadcast-flow-expired"),))
    event = await active_event(services, event_id) if event_id else None
    if event_id and event is None:
        return ListStep((_said(services, lang, "error-event-not-found"),))
    try:
        rows = await read_list(str(data["name"]), await fetch(str(data["file_id"])))
    except (ImportFailed, FileGone, KeyError) as exc:
        log.info("organiser %s: list could not be read again: %s", user_id, exc)
        return ListStep((_said(services, lang, "broadcast-flow-expired"),))
    result = await services.db.invitations.import_participants(
        rows, codes=new_codes(len(rows)), event_id=event.id if event else None,
        now=services.clock.now(),
    )  # fmt: skip
    log.info("organiser %s imported %d people (%d new)", user_id, len(rows), result.created)
    done = _said(
        services, lang, "broadcast-import-done", new=result.created, updated=result.updated,
        invited=result.invited,
    )  # fmt: skip
    if event is not None:  # the list's people can be written to at once (bot/email/)
        from bot.email.invitations import start_button

        by_email = start_button(services, lang, event.id)
        if by_email is not None:
            done = OutgoingMessage(done.text, ((by_email,),))
    links = await personal_links(services, lang, event.id if event else None)
    return ListStep((done, *links.messages), links.files)


async def personal_links(services: Services, lang: str, event_id: int | None) -> ListStep:
    """/personal [event]: the personal links and QR codes as files for a mail merge."""
    limit = MAX_CHAT_EXPORT
    people = await services.db.invitations.personal_rows(event_id=event_id, limit=limit + 1)
    if not people:
        return ListStep((_said(services, lang, "broadcast-export-none"),))
    if len(people) > limit:
        return ListStep((_said(services, lang, "broadcast-export-too-many", max=limit),))
    caption = services.t(lang, "broadcast-export-caption", count=len(people))
    workbook, kit = await export_files(people, services.bot_username, lang)
    return ListStep(files=LinksFiles(caption[:1024], workbook, kit))


# -- personal links: whose invitation is it? ------------------------------------------------

PERSONAL_CONFIRM_FLOW = "personal-confirm"


def identity_hint(name: str | None, email: str | None) -> str:
    """Enough for the right person to recognise the invitation, too little for anyone else
    to learn who it is for: initials and a masked e-mail (``A. J., a•••@akmene.lt``)."""
    parts = []
    initials = " ".join(
        f"{word[0].upper()}." for word in (name or "").split() if word[:1].isalpha()
    )
    if initials:
        parts.append(initials)
    if email and "@" in email:
        local, _, domain = email.partition("@")
        parts.append(f"{local[:1]}•••@{domain}")
    return ", ".join(parts) or "•••"


async def open_personal_link(
    services: Services, code: str, telegram_id: int, *, language: str | None, confirmed: bool
) -> BindResult:
    """Bind a personal link to the account that opened it (see
    :meth:`bot.storage.invitations.InvitationRepository.bind_personal_code`). A link
    already bound to another account is refused; the organisers are told the first time."""
    result = await services.db.invitations.bind_personal_code(
        code, telegram_id, language=language, now=services.clock.now(), confirmed=confirmed
    )
    if result.outcome is BindOutcome.TAKEN and result.refusals == 1:
        await _tell_organisers_of_refusal(services, result)
    if result.outcome is BindOutcome.BOUND and result.participant_id is not None:
        from bot.email.invitations import link_opened  # "opened the bot" in the e-mail report

        await link_opened(services, code, result.participant_id)
    return result


async def _tell_organisers_of_refusal(services: Services, result: BindResult) -> None:
    from bot.notify import queue_messages

    items = []
    for organiser_id in services.settings.organisers:
        known = await services.db.people.get_participant_by_telegram(organiser_id)
        lang = services.language_of(known.language if known else None)
        text = services.t(lang, "identity-link-refused-notice", name=result.name or "—")
        items.append(
            OutboxItem(
                organiser_id,
                OutgoingMessage(text).to_json(),
                dedup_key=f"link-refused:{result.participant_id}:{organiser_id}",
            )
        )
    await queue_messages(services, items)


@dataclass(frozen=True, slots=True)
class LinkStep:
    """What opening a personal link (or answering "Is it you?") shows: the press answered
    (``notice``), the question replaced (``edit``), messages, then - when the link is bound
    to this person - their registration (``register``, from ``event``) or ``event``'s card."""

    messages: tuple[OutgoingMessage, ...] = ()
    edit: OutgoingMessage | None = None
    notice: str | None = None
    alert: bool = False
    participant: Participant | None = None
    event: Event | None = None
    register: bool = False


async def open_link(services: Services, person: Participant, user_id: int, code: str) -> LinkStep:
    """``/start p_<code>``: bind this Telegram account to the imported row, then go on
    as with an invitation (consent if not yet given; name and organisation are known).

    A person who already has an identity of their own is asked first whether the
    invitation is theirs (a masked hint of whom it is for); a link bound to another account
    is refused, and the organisers learn of it."""
    lang = services.language_of(person.language)
    result = await open_personal_link(
        services, code, user_id, language=person.language, confirmed=False
    )
    if result.outcome is BindOutcome.CONFIRM:
        log.info("start: user %s asked to confirm a personal link", user_id)
        await services.db.people.set_pending_input(
            PendingInput(user_id, PERSONAL_CONFIRM_FLOW, {"code": code}), services.clock.now()
        )
        buttons = (
            (
                Button(
                    services.t(lang, "identity-btn-its-me"),
                    PersonalLinkPress(Answer.YES).pack(),
                ),
                Button(
                    services.t(lang, "identity-btn-not-me"), PersonalLinkPress(Answer.NO).pack()
                ),
            ),
        )
        hint = identity_hint(result.name, result.email)
        text = services.t(lang, "identity-link-confirm", hint=hint)
        return LinkStep((OutgoingMessage(text, buttons),))
    return await _after_binding(services, user_id, lang, result)


async def answer_link_question(
    services: Services, user_id: int, lang: str, *, yes: bool
) -> LinkStep:
    """ "Is this invitation yours?" answered. The code comes from the pending input stored
    when the link was opened, never from the button: a forged press binds nothing."""
    state = await services.db.people.get_pending_input(user_id)
    code = state.data.get("code") if state and state.kind == PERSONAL_CONFIRM_FLOW else None
    if not isinstance(code, str):
        log.info("personal link answer without a pending question from user %s", user_id)
        return LinkStep(notice=services.t(lang, "error-stale-button"), alert=True)
    await services.db.people.clear_pending_input(user_id)
    if not yes:
        log.info("user %s said a personal link is not theirs", user_id)
        return LinkStep(edit=OutgoingMessage(services.t(lang, "identity-link-not-mine")))
    result = await open_personal_link(services, code, user_id, language=lang, confirmed=True)
    step = await _after_binding(services, user_id, lang, result)
    return replace(step, edit=OutgoingMessage(services.t(lang, "identity-link-confirmed")))


async def _after_binding(
    services: Services, user_id: int, lang: str, result: BindResult
) -> LinkStep:
    if result.outcome is BindOutcome.UNKNOWN:
        log.info("start: unknown personal code from user %s", user_id)
        return LinkStep((_said(services, lang, "error-bad-link"),))
    if result.outcome is BindOutcome.TAKEN:
        log.warning(
            "start: personal link of participant %s opened by another account (user %s); "
            "refused (%d so far)",
            result.participant_id, user_id, result.refusals,
        )  # fmt: skip
        return LinkStep((_said(services, lang, "broadcast-personal-taken"),))
    assert result.participant_id is not None
    bound = await services.db.people.get_participant(result.participant_id)
    assert bound is not None
    event = await services.db.events.get_event(result.event_ids[0]) if result.event_ids else None
    messages: list[OutgoingMessage] = []
    if result.outcome is BindOutcome.BOUND:
        log.info("user %s bound to imported participant %s", user_id, bound.id)
        messages.append(_said(services, lang, "broadcast-personal-welcome", name=bound.name or ""))
    if not bound.registered:
        return LinkStep(tuple(messages), participant=bound, event=event, register=True)
    if event is None:
        messages.append(_said(services, lang, "welcome-back", name=bound.name or ""))
    return LinkStep(tuple(messages), participant=bound, event=event)


# -- group cards: /postcard, presses on cards in groups and channels, trusted groups --------

POST_FLOW = "postcard"


@dataclass(frozen=True)
class GroupRsvpPress(CallbackData):
    """An RSVP button on a card posted into a group or channel (anyone may press)."""

    prefix: ClassVar[str] = "gr"
    event_id: int
    answer: str  # y, n, m


GROUP_ANSWERS = {"y": RsvpStatus.YES, "n": RsvpStatus.NO, "m": RsvpStatus.MAYBE}


def group_card(services: Services, event: Event) -> OutgoingMessage:
    """The event card for many readers: no personal answer, buttons that work in groups."""
    lang = services.settings.default_language
    tr = services.translator
    card = event_card(
        tr, lang, event, status=None, personal=False,
        header=tr.text(lang, "broadcast-group-header"),
    )  # fmt: skip
    buttons = (
        tuple(
            Button(tr.text(lang, f"btn-{name}"), GroupRsvpPress(event.id, code).pack())
            for code, name in (("y", "yes"), ("n", "no"), ("m", "maybe"))
        ),
    )
    return OutgoingMessage(card.text, buttons)


@dataclass(frozen=True, slots=True)
class Post:
    """Post ``card`` (of ``event``) to ``chat_id``; if Telegram refuses, say ``failed``."""

    event: Event
    chat_id: int | str
    card: OutgoingMessage
    failed: str


@dataclass(frozen=True, slots=True)
class PostStep:
    """A ``message`` for the organiser (in their private chat when ``private``, else
    ``fallback`` where they are), or a card to ``post``."""

    message: OutgoingMessage | None = None
    private: bool = False
    fallback: str | None = None
    post: Post | None = None


def _post(services: Services, lang: str, event: Event, chat_id: int | str) -> PostStep:
    failed = services.t(lang, "broadcast-post-failed")
    return PostStep(post=Post(event, chat_id, group_card(services, event), failed))


def _stale_post(services: Services, lang: str) -> PostStep:
    return PostStep(_said(services, lang, "broadcast-flow-expired"))


async def confirm_group(
    services: Services, chat_id: int, chat_type: str, title: str, user_id: int
) -> None:
    """An organiser sent /postcard inside a group: that confirms the group."""
    now = services.clock.now()
    await services.db.invitations.remember_chat(chat_id, chat_type, title, is_admin=True, now=now)
    await services.db.invitations.trust_chat(chat_id, user_id, now)


async def postcard(
    services: Services, user_id: int, lang: str, event: Event | None, *, group_id: int | None
) -> PostStep:
    """/postcard [event], in the private chat or inside the group ``group_id``."""
    if event is None:
        upcoming = await services.db.events.list_events(ends_after=services.clock.now())
        if not upcoming:
            return PostStep(_said(services, lang, "org-no-events"))
        if len(upcoming) > 1:
            await services.db.people.set_pending_input(
                PendingInput(user_id, POST_FLOW, {"step": "event", "chat_id": group_id}),
                services.clock.now(),
            )
            picker = event_picker(
                services.translator, lang, upcoming,
                lambda e: press(BroadcastAction.POST_EVENT, e.id),
                prompt="broadcast-post-choose-event", label=event_label, limit=MAX_CHOICES,
            )  # fmt: skip
            if group_id is None:
                return PostStep(picker)
            # Organiser buttons work only in the private chat: the picker goes there.
            fallback = services.t(lang, "access-private-chat-only")
            return PostStep(picker, private=True, fallback=fallback)
        event = upcoming[0]
    if group_id is not None:
        return _post(services, lang, event, group_id)
    return await _choose_chat(services, user_id, lang, event)


async def _choose_chat(services: Services, user_id: int, lang: str, event: Event) -> PostStep:
    chats = await services.db.invitations.postable_chats()
    data = {"step": "chat", "event_id": event.id, "chats": [c.chat_id for c in chats]}
    await services.db.people.set_pending_input(
        PendingInput(user_id, POST_FLOW, data), services.clock.now()
    )
    buttons = [
        Button(f"{c.title or c.chat_id}"[:60], press(BroadcastAction.POST_CHAT, i))
        for i, c in enumerate(chats[:MAX_CHOICES])
    ]
    key = "broadcast-post-choose-chat" if chats else "broadcast-post-no-chats"
    return PostStep(OutgoingMessage(services.t(lang, key), rows(*buttons, per_row=1)))


async def postcard_press(
    services: Services, user_id: int, lang: str, action: BroadcastAction, arg: int
) -> PostStep:
    """The event or the chat of /postcard picked."""
    state = await flow_state(services, user_id, POST_FLOW)
    if state is None:
        return _stale_post(services, lang)
    if action is BroadcastAction.POST_EVENT and state.data.get("step") == "event":
        event = await active_event(services, arg)
        if event is None:
            return PostStep(_said(services, lang, "error-event-not-found"))
        target = state.data.get("chat_id")
        if isinstance(target, int):
            await services.db.people.clear_pending_input(user_id)
            return _post(services, lang, event, target)
        return await _choose_chat(services, user_id, lang, event)
    if action is BroadcastAction.POST_CHAT and state.data.get("step") == "chat":
        chats = state.data.get("chats")
        event = await active_event(services, state.data.get("event_id"))
        if (
            not isinstance(chats, list)
            or not 0 <= arg < len(chats)
            or event is None
            or not await services.db.invitations.is_postable(int(chats[arg]))
        ):
            return _stale_post(services, lang)
        await services.db.people.clear_pending_input(user_id)
        return _post(services, lang, event, int(chats[arg]))
    return _stale_post(services, lang)


async def postcard_typed(
    services: Services, user_id: int, lang: str, state: PendingInput, text: str
) -> PostStep:
    """A chat id or @username typed instead of picking a known chat."""
    event = await active_event(services, state.data.get("event_id"))
    target = text.strip()
    if state.data.get("step") != "chat" or event is None:
        return PostStep(_said(services, lang, "broadcast-use-buttons"))
    valid = (
        target.startswith("@") and 5 <= len(target) <= 33 and target[1:].replace("_", "").isalnum()
    ) or (target.startswith("-") and target[1:].isdigit() and len(target) < 20)
    if not valid:
        return PostStep(_said(services, lang, "broadcast-post-bad-chat"))
    await services.db.people.clear_pending_input(user_id)
    return _post(services, lang, event, int(target) if target.startswith("-") else target)


async def posted(
    services: Services,
    user_id: int,
    lang: str,
    event: Event,
    *,
    chat_id: int,
    chat_type: str,
    chat_title: str | None,
    message_id: int,
    from_chat_id: int | None,
) -> OutgoingMessage | None:
    """The card is in the chat: remember the chat (trusted: the organiser chose it) and the
    post (presses on it count); the organiser is told unless they posted from inside it."""
    now = services.clock.now()
    invitations = services.db.invitations
    await invitations.remember_chat(chat_id, chat_type, chat_title or "", is_admin=True, now=now)
    await invitations.trust_chat(chat_id, user_id, now)
    await invitations.record_group_post(event.id, chat_id, message_id, user_id, now)
    log.info("organiser %s posted event %d to chat %d", user_id, event.id, chat_id)
    if from_chat_id is None or from_chat_id == chat_id:
        return None
    return _said(
        services, lang, "broadcast-posted", title=event.title, chat=chat_title or str(chat_id)
    )


@dataclass(frozen=True, slots=True)
class GroupAnswer:
    """How a press on a group card is answered: a toast (an alert when ``alert``), or one
    that opens ``url`` (the private chat with the invitation)."""

    notice: str
    alert: bool = False
    url: str | None = None


async def group_answer(
    services: Services,
    *,
    user_id: int,
    is_bot: bool,
    language_code: str | None,
    data: CallbackData | None,
    raw: str,
    chat_id: int | None,
    chat_type: str | None,
    message_id: int | None,
) -> GroupAnswer:
    """An RSVP pressed on a card in a group or channel: it counts as that person's answer,
    and the person is invited to the private chat (reminders arrive there)."""
    language = normalise_language(language_code, services.settings.default_language)
    if not isinstance(data, GroupRsvpPress) or data.answer not in GROUP_ANSWERS or is_bot:
        log.info("stale or forged group button %r from %s", raw[:64], user_id)
        return GroupAnswer(services.t(language, "error-stale-button"), alert=True)
    # Only a press on a card an organiser posted in this group or channel (never typed data
    # in a private chat, never another event's card) invites the presser (bot/access.py).
    if (
        chat_id is None
        or message_id is None
        or chat_type == "private"
        or await services.db.invitations.group_post_event(chat_id, message_id) != data.event_id
    ):
        log.info("group button %r pressed off its posted card by %s", raw[:64], user_id)
        return GroupAnswer(services.t(language, "error-stale-button"), alert=True)
    now = services.clock.now()
    person = await services.db.people.ensure_participant(user_id, language=language, now=now)
    lang = services.language_of(person.language)
    event = await services.db.events.get_event(data.event_id)
    if event is not None and rsvp.answer_window_closed(event, now) is None:
        await services.db.invitations.invite(event.id, person.id, "group", now)
    result = await rsvp.answer(
        services.db, data.event_id, person.id, GROUP_ANSWERS[data.answer], now=now
    )
    if result.change is None or result.event is None:
        return GroupAnswer(services.t(lang, f"rsvp-refused-{result.outcome.value}"), alert=True)
    status = result.change.current
    toast = services.t(lang, f"rsvp-toast-{status.value}")
    log.info("group rsvp %s for user %s event %s", status.value, user_id, data.event_id)
    from bot.notify import notify_promoted, queue_messages

    if person.registered and person.unreachable_at is None:
        # They use the private chat already: the card with their answer goes there.
        counts = (await services.db.rsvps.rsvp_counts([result.event.id])).get(result.event.id)
        card = event_card(
            services.translator, lang, result.event, status=status, counts=counts,
            header=services.t(lang, "broadcast-group-private-header"),
        )  # fmt: skip
        await queue_messages(services, [OutboxItem(user_id, card.to_json(), person.id)])
        answer = GroupAnswer(toast + " " + services.t(lang, "broadcast-group-see-private"))
    else:
        # The bot may not write first: Telegram opens the private chat with the invitation.
        link = deep_link(
            services.bot_username, Payload(PayloadKind.EVENT, result.event.invite_code)
        )
        answer = GroupAnswer(toast, url=link)
    if result.change.promoted:
        await notify_promoted(services, result.event, result.change.promoted)
    return answer


# Chat member statuses and chat types as Telegram names them.
_GONE = ("kicked", "left")
_ADMIN = ("administrator", "creator")


async def chat_membership(
    services: Services,
    *,
    chat_id: int,
    chat_type: str,
    title: str | None,
    status: str,
    old_status: str,
    by: int | None,
) -> None:
    """Where the bot may post (groups, channels), and who blocked or unblocked it."""
    now = services.clock.now()
    if chat_type == "private":
        if status in _GONE:
            log.info("user %s blocked the bot", chat_id)
            await services.db.people.mark_unreachable(chat_id, now)
        elif status == "member":
            await services.db.people.mark_reachable(chat_id, now)
        return
    admin = status in _ADMIN
    member = admin or (status == "member" and chat_type != "channel")
    await services.db.invitations.remember_chat(
        chat_id, chat_type, title or "", is_admin=member, now=now
    )
    was_in = old_status not in _GONE
    if not member or not was_in:
        # Added (or removed): /postcard offers the chat only if an organiser added the bot,
        # never a stranger's group (docs/privacy.md). A change of rights keeps the trust.
        trusted = by if member and services.is_organiser(by) else None
        await services.db.invitations.trust_chat(chat_id, trusted, now)
        log.info("bot %s chat %s (added by %s)", "added to" if member else "left", chat_id,
                 "an organiser" if trusted else "someone else")  # fmt: skip
