"""Participant lists: reading, checking (row numbers, all or nothing), the CLI, the export."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.invitations import (
    ImportFailed,
    describe,
    export_csv,
    export_folder,
    export_zip,
    import_file,
    parse_rows,
    read_table,
    write_export,
)
from bot.storage import Storage, storage_for
from tests.conftest import START
from tests.dbcheck import count_rows

GOOD = (
    "\ufeffVardas;El. paštas;Organizacija;Pareigos\n"
    "Asta Jonaitė;asta@akmene.lt;Akmenės r. savivaldybė;socialinė darbuotoja\n"
    "Petras Petraitis;PETRAS@example.LT;Užimtumo tarnyba;\n"
    "Oksana Shevchenko;;Mažeikių biblioteka;bibliotekininkė\n"
)


def problems(filename: str, content: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as failed:
        parse_rows(read_table(filename, content))
    return [(e.row, describe(e)) for e in failed.value.errors]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_good_csv_with_lithuanian_headers_and_semicolons() -> None:
    rows = parse_rows(read_table("sąrašas.csv", GOOD.encode()))
    assert [(r.row, r.name, r.email, r.organisation, r.role) for r in rows] == [
        (2, "Asta Jonaitė", "asta@akmene.lt", "Akmenės r. savivaldybė", "socialinė darbuotoja"),
        (3, "Petras Petraitis", "petras@example.lt", "Užimtumo tarnyba", None),
        (4, "Oksana Shevchenko", None, "Mažeikių biblioteka", "bibliotekininkė"),
    ]


def test_every_bad_row_is_reported_with_its_number() -> None:
    content = (
        "name,email,organisation,category\n"
        "Asta Jonaitė,asta@akmene.lt,Akmenės r. sav.,A\n"  # row 2
        ",nobody@example.lt,Org,B\n"  # 3: no name
        "JonaitÄ— Ona,ona@example.lt,Org,\n"  # 4: garbled (UTF-8 read as Windows-1257)
        "Petras,asta@AKMENE.lt,Org,\n"  # 5: same e-mail as row 2
        "Rūta,not-an-address,Org,\n"  # 6: not an e-mail
        "Jonas,jonas@example.lt,Org,B,surplus\n"  # 7: a cell too many
    ).encode()
    assert problems("list.csv", content) == [
        (3, "the name is missing."),
        (4, "broken encoding: the file must be UTF-8 (in Excel: “CSV UTF-8”), and no cell "
            "may contain garbled letters."),
        (5, "the e-mail asta@akmene.lt is already on row 2."),
        (6, "“not-an-address” is not an e-mail address."),
        (7, "more cells than the header has columns."),
    ]  # fmt: skip


def test_a_file_that_is_not_utf8_names_the_first_bad_line() -> None:
    content = "name,email,organisation\nAsta,a@b.lt,Org\nŽydrūnė,z@b.lt,Šiaulių biblioteka\n"
    rows = problems("list.csv", content.encode("cp1257"))
    assert rows == [(3, rows[0][1])]
    assert rows[0][1].startswith("broken encoding")


def test_wrong_columns() -> None:
    content = b"name,phone,organisation,organisation\nAsta,+370,Org,Org\n"
    assert problems("list.csv", content) == [
        (1, "unknown column “phone” (expected: name, email, organisation, role, category)."),
        (1, "the column “organisation” appears twice."),
        (1, "the column “email” is missing."),
    ]
    assert problems("list.csv", b"name,email,organisation\n") == [(1, "the list has no rows.")]
    assert problems("list.pdf", b"%PDF") == [(0, "list.pdf is not a CSV or XLSX file.")]


def test_xlsx_rows_are_numbered_as_the_sheet_shows_them() -> None:
    content = xlsx([
        ["Name", "E-mail", "Organisation", "Role"],
        ["Asta Jonaitė", "asta@akmene.lt", "Akmenės r. sav.", None],
        [None, None, None, None],  # a blank row is skipped, not counted as a person
        ["Jonas", "jonas@example.lt", 12345, "vadovas"],
        ["", "x@example.lt", "Org", None],
    ])  # fmt: skip
    assert problems("list.xlsx", content) == [(5, "the name is missing.")]
    rows = parse_rows(
        read_table(
            "list.xlsx",
            xlsx(
                [
                    ["Name", "E-mail", "Organisation"],
                    [None, None, None],
                    ["Jonas", "jonas@example.lt", 12345],
                ]
            ),
        )
    )
    assert [(r.row, r.name, r.organisation) for r in rows] == [(3, "Jonas", "12345")]
    assert problems("list.xlsx", b"PK\x03\x04 not really a workbook")[0][1].startswith(
        "the XLSX file cannot be read"
    )


async def test_cli_import_is_all_or_nothing_and_idempotent(tmp_path: Path) -> None:
    settings = explicit_settings(
        database={"path": str(tmp_path / "bot.sqlite3")}, telegram={"username": "kv_bot"}
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + ";no-name@example.lt;Org;\n", encoding="utf-8")
    assert await import_file(settings, bad) == 1
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert await import_file(settings, good, event="no-such-event") == 1
    storage = storage_for(settings)
    await storage.open()
    try:
        assert await count_rows(storage, "participants") == 0  # nothing half
    finally:
        await storage.close()

    assert await import_file(settings, good) == 0
    assert await import_file(settings, good) == 0  # the same list again: same people, links
    storage = storage_for(settings)
    await storage.open()
    try:
        rows = await storage.database.fetch_all(
            "SELECT name, email, personal_code FROM participants ORDER BY id"
        )
        # Without an e-mail a row cannot be recognised again: Oksana is there twice.
        assert [r[0] for r in rows] == [
            "Asta Jonaitė", "Petras Petraitis", "Oksana Shevchenko", "Oksana Shevchenko",
        ]  # fmt: skip
        assert len({r[2] for r in rows}) == 4
    finally:
        await storage.close()

    out = tmp_path / "export"
    assert await export_folder(settings, out, lang="en") == 0
    with (out / "participants.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    asta = next(r for r in exported if r["Name"] == "Asta Jonaitė")
    code = next(r[2] for r in rows if r[0] == "Asta Jonaitė")
    assert asta["Personal link"] == f"https://t.me/kv_bot?start=p_{code}"
    assert asta["Link opened"] == "no"
    assert (out / asta["QR code file"]).read_bytes().startswith(b"\x89PNG")
    book = load_workbook(out / "participants.xlsx")
    assert book.active["F2"].hyperlink.target.startswith("https://t.me/kv_bot?start=p_")
    assert len(book.active._images) == 4


async def test_export_zip_holds_csv_xlsx_and_qr_images(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "bot.sqlite3")
    await storage.open()
    try:
        rows = parse_rows(read_table("l.csv", GOOD.encode()))
        await storage.invitations.import_participants(
            rows, codes=["code-aaaaaaa", "code-bbbbbbb", "code-ccccccc"], event_id=None,
            now=FakeClock(START).now(),
        )  # fmt: skip
        people = await storage.invitations.personal_rows()
    finally:
        await storage.close()
    archive = zipfile.ZipFile(io.BytesIO(export_zip(people, "kv_bot")))
    assert sorted(archive.namelist()) == [
        "participants.csv", "participants.xlsx", "qr/code-aaaaaaa.png", "qr/code-bbbbbbb.png",
        "qr/code-ccccccc.png",
    ]  # fmt: skip
    text = export_csv(people, "kv_bot").decode("utf-8-sig")
    assert '"Asta Jonaitė","asta@akmene.lt","Akmenės r. savivaldybė"' in text
    assert write_export(people, "kv_bot", tmp_path / "out")[0].exists()
