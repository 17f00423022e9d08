"""Uploaded participant lists are read off the event loop, within bounds (issue 12).

Each attack is a file an organiser's account (or whoever holds it) could send: the bot
answers with a short message, stores nothing, and keeps answering everyone else meanwhile.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import re
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psutil
import pytest
from openpyxl import Workbook

from bot import invitations
from bot.invitations import ListLimits
from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows

HEADER = "name,email,organisation\n"


def big_list(count: int) -> bytes:
    rows = (f"Vardenis Pavardenis {i},p{i}@akmene.lt,Akmenės r. įstaiga {i % 40}\n"
            for i in range(count))  # fmt: skip
    return (HEADER + "".join(rows)).encode()


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SMALL_DIMENSION = b'<dimension ref="A1:C2"/>'


def rewrite_member(content: bytes, name: str, change: dict[bytes, bytes]) -> bytes:
    """The same workbook with one member's bytes replaced (and optionally others added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == name:
                for old, new in change.items():
                    assert old in data, old
                    data = data.replace(old, new)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def use_limits(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    monkeypatch.setattr(invitations, "LIMITS", dataclasses.replace(invitations.LIMITS, **changes))


async def people(sim: Simulation) -> int:
    return int(await count_rows(sim.db, "participants"))


async def reading_process() -> psutil.Process:
    """The process reading an uploaded list (a child of this one), once it has started."""
    async with asyncio.timeout(30):
        while True:
            for child in psutil.Process().children(recursive=True):
                try:
                    if "from bot.invitations import worker" in " ".join(child.cmdline()):
                        return child
                except psutil.NoSuchProcess:
                    continue
            await asyncio.sleep(0.01)


@asynccontextmanager
async def reading_suspended() -> AsyncIterator[psutil.Process]:
    """Hold the list-reading process still: whatever the bot answers meanwhile, it answered
    while a list was being read."""
    child = await reading_process()
    child.suspend()
    try:
        yield child
    finally:
        if child.is_running():
            child.resume()


async def participant_with_card(sim: Simulation, event: Event) -> SimUser:
    ona = sim.user(3001, "Ona", language="en")
    await register(sim, ona, event, name="Ona Petraitienė")
    return ona


async def test_the_bot_answers_others_while_a_list_of_20000_rows_is_imported(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    ona = await participant_with_card(sim, event)
    yes, no = sim.services.t("en", "btn-yes"), sim.services.t("en", "btn-no")

    # Checking the uploaded list: Ona's taps are answered while the list is being read.
    # (SimUser.send_document and press, with a longer wait: the machine may be loaded.)
    upload = asyncio.create_task(
        sim.settle(await organiser.tg.send_document("list.csv", big_list(20_000), "text/csv"), 120)
    )
    async with reading_suspended():
        await ona.press(yes)
        assert ona.last_text.endswith("Your answer: ✅ I will come")
        assert not upload.done()
        await ona.press(no)
        assert not upload.done()
    await upload
    assert "The list has 20,000 people: 20,000 new, 0 already known" in organiser.last_text
    status = await sim.db.database.scalar(
        "SELECT status FROM rsvps r JOIN participants p ON p.id = r.participant_id "
        "WHERE p.telegram_id = 3001"
    )
    assert status == "no"

    # Importing it (read again, then written): the same.
    choice = next(b for b in organiser.buttons() if b.startswith(f"#{event.id}"))
    imported = asyncio.create_task(sim.settle(await organiser.tg.press(choice), 120))
    async with reading_suspended():
        await ona.press(yes)
        assert not imported.done()
    await imported
    assert await people(sim) == 20_001  # Ona and the list
    assert any("Imported: 20,000 new" in t for t in organiser.texts()[-3:])
    # 20,000 QR codes are not built in the chat: the organiser is pointed to the shell.
    assert "python -m bot participants export FOLDER" in organiser.last_text


async def test_a_file_over_the_size_limit_is_refused_before_it_is_downloaded(
    sim: Simulation, organiser: SimUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_limits(monkeypatch, max_bytes=1024 * 1024)
    content = big_list(30_000)  # about 1.5 MB
    await organiser.send_document("list.csv", content, "text/csv")
    assert "The file is too large (1.9 MB; at most 1 MB)" in organiser.last_text
    assert sim.emulator.calls_to("getFile") == []  # not even downloaded
    assert await people(sim) == 0


async def test_too_many_rows(
    sim: Simulation, organiser: SimUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_limits(monkeypatch, max_rows=100)
    await organiser.send_document("list.csv", big_list(101), "text/csv")
    assert "Row 102: too many rows (at most 100)." in organiser.last_text
    assert await people(sim) == 0
    rows = [[f"Vardenis {i}", f"v{i}@x.lt", "Org"] for i in range(101)]
    content = xlsx([["name", "email", "organisation"], *rows])
    await organiser.send_document("list.xlsx", content, "application/xlsx")
    assert "too many rows (at most 100)." in organiser.last_text
    assert await people(sim) == 0


async def test_an_xlsx_claiming_a_huge_sheet_is_refused_before_its_rows_are_read(
    sim: Simulation, organiser: SimUser
) -> None:
    small = xlsx([["name", "email", "organisation"], ["Asta Jonaitė", "asta@x.lt", "Org"]])
    huge = rewrite_member(small, SHEET, {SMALL_DIMENSION: b'<dimension ref="A1:XFD1048576"/>'})
    await organiser.send_document("list.xlsx", huge, "application/xlsx")
    assert "too many rows (at most 50,000)" in organiser.last_text
    assert await people(sim) == 0
    wide = rewrite_member(small, SHEET, {SMALL_DIMENSION: b'<dimension ref="A1:XFD2"/>'})
    await organiser.send_document("list.xlsx", wide, "application/xlsx")
    assert "too many columns (at most 50)" in organiser.last_text
    assert await people(sim) == 0


async def test_a_zip_bomb_is_refused_by_its_directory(sim: Simulation, organiser: SimUser) -> None:
    """250 MB of rows that compress to a few hundred KB: never unpacked."""
    small = xlsx([["name", "email", "organisation"], ["Asta Jonaitė", "asta@x.lt", "Org"]])
    filler = b"<row/>" * (250 * 1024 * 1024 // 6)
    bomb = rewrite_member(
        small, "xl/worksheets/sheet1.xml", {b"</sheetData>": filler + b"</sheetData>"}
    )
    del filler
    assert len(bomb) < 1024 * 1024
    await organiser.send_document("list.xlsx", bomb, "application/xlsx")
    assert "The XLSX file unpacks to more than 200 MB" in organiser.last_text
    assert await people(sim) == 0


async def test_a_malformed_csv_names_its_row(sim: Simulation, organiser: SimUser) -> None:
    bad = HEADER + 'Asta Jonaitė,asta@x.lt,Org\n"Petras" Petraitis,petras@x.lt,Org\n'
    await organiser.send_document("list.csv", bad.encode(), "text/csv")
    assert re.search(r"Row 3: the CSV cannot be read \(.*expected after", organiser.last_text)
    assert await people(sim) == 0


async def test_reading_that_takes_too_long_is_stopped(
    sim: Simulation, organiser: SimUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_limits(monkeypatch, seconds=2.0)
    upload = asyncio.create_task(organiser.send_document("list.csv", big_list(50), "text/csv"))
    child = await reading_process()
    child.suspend()  # a parser trap that never returns
    await upload
    assert "Reading the list took longer than 2 s and was stopped" in organiser.last_text
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE  # killed
    assert await people(sim) == 0


async def test_reading_that_needs_too_much_memory_is_stopped(
    sim: Simulation, organiser: SimUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_limits(monkeypatch, memory_bytes=1024 * 1024)
    await organiser.send_document("list.csv", big_list(20_000), "text/csv")
    assert "Reading the list needed more than 1 MB of memory and was stopped" in (
        organiser.last_text
    )
    assert await people(sim) == 0
    # Within the (default) limit the same list is fine.
    monkeypatch.setattr(invitations, "LIMITS", ListLimits())
    await organiser.send_document("list.csv", big_list(20_000), "text/csv")
    assert "The list has 20" in organiser.last_text
