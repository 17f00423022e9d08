"""Spreadsheets the bot writes (CSV and XLSX): safe to open and easy to read.

Every CSV or XLSX writer of the bot describes its sheets as :class:`Table` values and lets
this module write them, so two rules hold everywhere without a writer having to remember:

- **Inert text.** Nothing a person typed becomes a formula (the OWASP CSV-injection rules).
  In CSV a text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (or their
  full-width forms, after leading spaces) gets a leading ``'`` and every text is quoted, so
  a spreadsheet program shows it as text even with ``;`` as its list separator. In XLSX a
  text is an explicit string cell (openpyxl would make any ``str`` starting with ``=`` a
  formula, and ``#N/A`` an error): the text stays exactly as typed, with no quote added.
- **Readable.** A bold, filled, frozen header row with an auto-filter; column widths from
  the content (bounded); numbers as numbers, shares as percent-formatted numbers (0.873
  shown as 87.3%), dates and times as real Excel dates (naive, in the event's zone); summary
  rows set apart: bold, after a blank row and outside the filter range.

Large sheets are written in openpyxl's write-only mode: only cells that need a style or an
explicit type become cell objects, the rest are appended as plain values.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# First characters that make a spreadsheet program read a cell as a formula (OWASP), with
# the full-width forms some programs fold to them.
RISKY_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# Texts that begin with one of these get the careful path (safe_text) in CSV.
_CSV_ATTENTION = RISKY_FIRST | {" "}
# Texts the XLSX writer must not pass to openpyxl as they are: "=..." would become a formula
# and "#N/A" an error, and XML cannot hold most control characters.
_XLSX_ATTENTION = re.compile(r"^[=#]|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 cannot hold (lxml refuses it): dropped from XLSX text.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE = 2_000  # rows looked at for a column's width

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1")
HEADER_ALIGNMENT = Alignment(vertical="top")
BOLD = Font(bold=True)
LINK_FONT = Font(color="0563C1", underline="single")  # for a cell given a hyperlink


class Kind(StrEnum):
    """What a column holds: decides the number format and the width."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"  # 4.33
    DECIMAL1 = "decimal1"  # 4.5
    PERCENT = "percent"  # 0.873 shown as 87.3%
    DATE = "date"
    DATETIME = "datetime"


NUMBER_FORMATS: dict[Kind, str] = {  # INT and TEXT keep Excel's "General"
    Kind.DECIMAL: "0.00",
    Kind.DECIMAL1: "0.0",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
_FIXED_WIDTH = {Kind.PERCENT: 9, Kind.DATE: 12, Kind.DATETIME: 17, Kind.DECIMAL: 9}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    width: float | None = None  # None: from the content


@dataclass(frozen=True)
class Table:
    """One sheet: a header row, data rows, and summary rows set apart below them."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    totals: Sequence[Sequence[Any]] = ()  # after a blank row, bold, outside the filter
    bold_rows: frozenset[int] = field(default_factory=frozenset)  # data rows summing up others


def columns(headers: Iterable[str], kinds: Sequence[Kind] = ()) -> list[Column]:
    """Columns from headers, with kinds by position (TEXT where none is given)."""
    return [Column(h, kinds[i] if i < len(kinds) else Kind.TEXT) for i, h in enumerate(headers)]


# -- values --------------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """The text as a CSV cell that no spreadsheet program runs as a formula: a leading ``'``
    where the text (after leading spaces) starts with a formula character."""
    stripped = value.lstrip(" ")
    if stripped and stripped[0] in RISKY_FIRST:
        return "'" + value
    return value


def local_time(moment: datetime | None, zone: str) -> datetime | None:
    """An aware moment as the naive wall-clock time of ``zone`` (Excel has no time zones)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)


def local_time_from_iso(stamp: str | None, zone: str) -> datetime | None:
    """A stored ISO timestamp (UTC) as the naive wall-clock time of ``zone``."""
    if not stamp:
        return None
    try:
        return local_time(datetime.fromisoformat(stamp), zone)
    except ValueError:
        return None


def csv_value(value: Any, kind: Kind = Kind.TEXT) -> Any:
    cls = value.__class__
    if cls is str:
        return safe_text(value) if value and value[0] in _CSV_ATTENTION else value
    if cls is int or cls is float:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return _csv_moment(value, kind is Kind.DATE)
    if isinstance(value, date | time):
        return value.isoformat()
    return value


@lru_cache(maxsize=4096)
def _csv_moment(value: datetime, date_only: bool) -> str:
    return value.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")


def _xlsx_text(value: str) -> str:
    if _NOT_XML.search(value):  # control characters and the like that XML cannot hold
        value = _NOT_XML.sub("", value)
    return value[:MAX_CELL_TEXT]


def _number_format(value: Any, kind: Kind) -> str | None:
    """The format a non-text value is shown with (None: Excel's General)."""
    if isinstance(value, datetime):
        return NUMBER_FORMATS[Kind.DATE if kind is Kind.DATE else Kind.DATETIME]
    if isinstance(value, date):
        return NUMBER_FORMATS[Kind.DATE]
    if isinstance(value, bool):
        return None
    return NUMBER_FORMATS.get(kind)


def xlsx_value(
    sheet: Worksheet | WriteOnlyWorksheet, value: Any, kind: Kind = Kind.TEXT, bold: bool = False
) -> Any:
    """A value for ``sheet.append``: a plain value where openpyxl writes it as it is, else a
    new cell with an explicit type and style. A text is never a formula: openpyxl makes a
    ``str`` a string cell unless it starts with ``=`` or is an error code such as ``#N/A``;
    those get an explicit string cell (``data_type = "s"``), so the text stays as typed."""
    if value is None:
        return None
    if isinstance(value, str):
        text = _xlsx_text(value)
        if not bold and not (text.startswith("=") or text in ERROR_CODES):
            return text
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
    else:
        number_format = _number_format(value, kind)
        if number_format is None and not bold:
            return value
        cell = WriteOnlyCell(sheet, value)
        if number_format is not None:
            cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


class _RowWriter:
    """Converts rows for ``append``. In write-only mode a row is written out as soon as it
    is appended, so each formatted column reuses one cell object instead of building (and
    styling) a new one per row, and a date goes in as its Excel serial number (what openpyxl
    would write for it anyway): this keeps large exports fast."""

    def __init__(self, sheet: Worksheet | WriteOnlyWorksheet, kinds: Sequence[Kind]) -> None:
        self.sheet = sheet
        self.kinds = list(kinds)
        self.formats = [NUMBER_FORMATS.get(kind) for kind in kinds]
        self.reuse = isinstance(sheet, WriteOnlyWorksheet)
        self.cells: dict[tuple[int, str], WriteOnlyCell] = {}

    def __call__(self, row: Sequence[Any], bold: bool = False) -> list[Any]:
        sheet, formats, count = self.sheet, self.formats, len(self.formats)
        out: list[Any] = []
        for index, value in enumerate(row):
            cls = value.__class__
            if bold or not self.reuse or value is None:
                out.append(xlsx_value(sheet, value, self._kind(index), bold))
                continue
            if cls is str:  # the common case, kept short
                if len(value) <= MAX_CELL_TEXT and not _XLSX_ATTENTION.search(value):
                    out.append(value)  # openpyxl writes it as a string cell
                else:
                    out.append(xlsx_value(sheet, value))
                continue
            if cls is datetime:
                number_format = _number_format(value, self._kind(index))
                value = _excel_serial(value)
            elif cls is int or cls is float:
                number_format = formats[index] if index < count else None
                if number_format is None:
                    out.append(value)
                    continue
            else:
                out.append(xlsx_value(sheet, value, self._kind(index)))
                continue
            cell = self.cells.get((index, number_format or ""))
            if cell is None:
                cell = self.cells[index, number_format or ""] = WriteOnlyCell(sheet)
                cell.number_format = number_format or "General"
            cell.value = value
            out.append(cell)
        return out

    def _kind(self, index: int) -> Kind:
        return self.kinds[index] if index < len(self.kinds) else Kind.TEXT


@lru_cache(maxsize=4096)
def _excel_serial(value: datetime) -> float:
    """Days since Excel's epoch, as openpyxl writes a naive datetime."""
    return float(to_excel(value))


def _kind(kinds: Sequence[Kind], index: int) -> Kind:
    return kinds[index] if index < len(kinds) else Kind.TEXT


# -- CSV -----------------------------------------------------------------------------------


def csv_rows(table: Table, *, header: bool = True) -> list[list[Any]]:
    kinds = [c.kind for c in table.columns]

    def convert(row: Sequence[Any]) -> list[Any]:
        # Numbers and ordinary texts pass as they are; the rest goes through csv_value.
        return [
            v
            if (c := v.__class__) is int
            or c is float
            or (c is str and not (v and v[0] in _CSV_ATTENTION))
            else csv_value(v, _kind(kinds, i))
            for i, v in enumerate(row)
        ]

    out = [[safe_text(c.header) for c in table.columns]] if header else []
    out += [convert(row) for row in table.rows]
    if table.totals:
        out.append([])
        out += [convert(row) for row in table.totals]
    return out


def to_csv(*tables: Table) -> bytes:
    """The tables one after another (a blank row between them), UTF-8 with a byte-order mark
    so spreadsheet programs read ą, č, ї right; every text is quoted."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for number, table in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerows(csv_rows(table))
    return buffer.getvalue().encode("utf-8-sig", errors="replace")  # a lone surrogate: "?"


# -- XLSX ----------------------------------------------------------------------------------


def sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def _display_width(value: Any, kind: Kind) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return 8 if kind is not Kind.PERCENT else 7
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    if "\n" in text:
        text = max(text.split("\n"), key=len)
    return len(text)


def column_widths(table: Table) -> list[float]:
    """Widths in characters from the header and the first rows, within bounds."""
    widths: list[float] = []
    sample = [*table.rows[:WIDTH_SAMPLE], *table.totals]
    for index, column in enumerate(table.columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        content = max(
            (_display_width(row[index], column.kind) for row in sample if index < len(row)),
            default=0,
        )
        content = max(content, _FIXED_WIDTH.get(column.kind, 0))
        # A long header may wrap onto two lines rather than widen a narrow column much.
        header = len(column.header) if len(column.header) <= 24 else 24
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, content + 2, header + 3))))
    return widths


def add_table(book: Workbook, table: Table) -> Worksheet | WriteOnlyWorksheet:
    """Write ``table`` as a new sheet of ``book`` (write-only or normal) and return it."""
    sheet: Worksheet | WriteOnlyWorksheet = book.create_sheet(title=sheet_title(table.title))
    count = len(table.columns)
    last = get_column_letter(max(count, 1))
    # Write-only sheets write widths and panes before the first row: set them first.
    for number, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    head = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, _xlsx_text(column.header))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        head.append(cell)
    sheet.append(head)
    convert = _RowWriter(sheet, [c.kind for c in table.columns])
    for index, row in enumerate(table.rows):
        sheet.append(convert(row, index in table.bold_rows))
    if table.totals:
        sheet.append([])
        for row in table.totals:
            sheet.append(convert(row, True))
    return sheet


def to_xlsx(*tables: Table) -> bytes:
    """The tables as sheets of one workbook, in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    for table in tables:
        add_table(book, table)
    return save(book)


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
