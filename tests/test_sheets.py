"""bot/documents/sheets.py: inert text (OWASP CSV injection) and readable sheets, both modes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook

from bot.documents import sheets
from bot.documents.sheets import Column, Kind, Table, safe_text
from bot.i18n import Translator
from bot.invitations import export_csv, export_xlsx
from bot.models import PersonalRow
from bot.surveys import export

RISKY = ["=1+1", "+1-2", "-3+3", "@SUM(1)", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠x", "  =1"]
PLAIN = ["Ona", "", "1-2", "a=b", "'=x", "Akmenės r.", "#N/A", "\n=1"]


@pytest.mark.parametrize("text", RISKY)
def test_text_that_starts_like_a_formula_gets_a_leading_quote(text: str) -> None:
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_left_alone(text: str) -> None:
    assert safe_text(text) == text


def test_csv_quotes_every_text_and_keeps_numbers_numbers() -> None:
    table = Table(
        "t",
        sheets.columns(["Name", "N", "Share", "When"], (Kind.TEXT, Kind.INT, Kind.PERCENT)),
        [["=1+1;=2+2", -3, 0.873, datetime(2027, 3, 9, 10, 0)], [None, 4, None, None]],
        totals=[["Total", 1, None, None]],
    )
    content = sheets.to_csv(table)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines() == [
        '"Name","N","Share","When"',
        '"\'=1+1;=2+2",-3,0.873,"2027-03-09 10:00"',  # ";" stays inside one quoted cell
        '"",4,"",""',
        "",
        '"Total",1,"",""',
    ]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'=1+1;=2+2"
    odd = sheets.to_csv(Table("t", [Column("h")], [["a\ud800b"]]))  # never a crash
    assert odd.decode("utf-8-sig").splitlines()[1] == '"a?b"'


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_is_an_explicit_string_never_a_formula(write_only: bool) -> None:
    typed = ["=1+1", '=HYPERLINK("http://x","click")', "#N/A", "+1", "-3+3", "@A1", "\t=1"]
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    table = Table("Sąrašas: [1]", [Column("Vardas"), Column("N", Kind.INT)],
                  [[t, i] for i, t in enumerate(typed)]
                  + [["bell\x07 ring", 9], ["odd\ufffe\ud800 one", 10]])  # fmt: skip
    sheets.add_table(book, table)
    read = load_workbook(io.BytesIO(sheets.save(book)))
    sheet = read["Sąrašas 1"]  # a title without the characters Excel refuses
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*typed, "bell ring", "odd one"]  # exactly as typed
    assert {c.data_type for c in cells} == {"s"}


def test_header_totals_widths_and_formats() -> None:
    long = "Labai ilgas komentaras " * 30
    table = Table(
        "Suvestinė",
        [Column("Klausimas"), Column("Vidurkis", Kind.DECIMAL), Column("4–5", Kind.PERCENT),
         Column("Pradžia", Kind.DATETIME), Column("Diena", Kind.DATE), Column("n", Kind.INT)],
        [["overall", 4.333, 0.873, datetime(2027, 3, 9, 10), datetime(2027, 3, 9), 12],
         [long, None, None, None, None, 3],
         ["(overall)", 4.2, None, None, None, 15]],
        totals=[["Programa", 4.1, 0.5, None, None, 30]],
        bold_rows=frozenset({2}),
    )  # fmt: skip
    book = load_workbook(io.BytesIO(sheets.to_xlsx(table)))
    sheet = book["Suvestinė"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"  # the totals stay out of sorting and filtering
    assert all(c.font.b for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb.endswith("DCE6F1")
    assert (sheet["B2"].value, sheet["B2"].number_format) == (4.333, "0.00")
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0.873, "0.0%")
    assert sheet["D2"].value == datetime(2027, 3, 9, 10)
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["F2"].number_format == "General"  # counts need no format
    assert not sheet["A2"].font.b
    assert sheet["A4"].font.b  # a summary row among the data
    assert [c.value for c in sheet[5]] == [None] * 6  # a blank row, then the totals, bold
    assert sheet["A6"].value == "Programa"
    assert sheet["A6"].font.b
    assert sheet["C6"].number_format == "0.0%"
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEF"}
    assert widths["A"] == sheets.MAX_WIDTH  # the long comment, within bounds
    assert sheets.MIN_WIDTH <= widths["F"] < 10
    assert widths["D"] >= 16  # a date and time fit


def test_times_are_naive_wall_clock_of_the_zone() -> None:
    moment = datetime(2027, 3, 9, 8, 0, 30, 123, tzinfo=UTC)
    assert sheets.local_time(moment, "Europe/Vilnius") == datetime(2027, 3, 9, 10, 0, 30)
    assert sheets.local_time_from_iso("2027-07-01T08:00:00+00:00", "Europe/Vilnius") == (
        datetime(2027, 7, 1, 11, 0)
    )
    assert sheets.local_time_from_iso("not a time", "Europe/Vilnius") is None
    assert sheets.local_time_from_iso(None, "Europe/Vilnius") is None


def test_plain_row_helpers_still_write_inert_text() -> None:
    """The old row-list entry points (other writers may still call them) go through sheets."""
    content = export.to_xlsx([("S", [["Vardas"], ["=1+1"]]), ("Tuščias", [])])
    cell = load_workbook(io.BytesIO(content))["S"]["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert export.to_csv([["Vardas"], ["@x"]]).decode("utf-8-sig").splitlines() == [
        '"Vardas"',
        '"\'@x"',
    ]


@pytest.mark.parametrize("lang", ["lt", "en", "uk"])
def test_personal_links_in_the_sheet_language(lang: str) -> None:
    people = [
        PersonalRow(1, "Asta Jonaitė", "asta@akmene.lt", "Akmenės r. savivaldybė", "vedėja", None,
                    "code-aaaaaaa", True),
        PersonalRow(2, "Oksana Shevchenko", "oksana@example.lt", "=1+1", None, "-3", "code-bbbbbbb",
                    False),
    ]  # fmt: skip
    tr = Translator("lt")
    content = export_csv(people, "kv_bot", lang)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == tr.text(lang, "sheets-links-col-name")
    assert rows[1][7] == tr.text(lang, "sheets-yes")
    assert rows[2][2] == "'=1+1"
    sheet = load_workbook(io.BytesIO(export_xlsx(people, "kv_bot", lang))).active
    assert sheet.title == tr.text(lang, "sheets-links-sheet")
    assert sheet.freeze_panes == "A2"
    assert (sheet["C3"].value, sheet["C3"].data_type) == ("=1+1", "s")
    assert sheet["F2"].hyperlink.target == "https://t.me/kv_bot?start=p_code-aaaaaaa"
    assert len(sheet._images) == 2
