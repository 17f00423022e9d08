"""Files organisers open are safe and readable, through the real bot and the command line.

The attack: participants type formulas as their name, organisation and comments, and an
organiser's imported list carries them too. Every CSV and XLSX the bot or the CLI writes
(/export, /report, the personal links and their ZIP, ``python -m bot export`` and
``python -m bot participants export``) is opened: no XLSX cell is a formula and each typed
text is there exactly as typed; every CSV text that starts like a formula has a leading '.
"""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.__main__ import main
from bot.documents.sheets import RISKY_FIRST
from bot.models import Event
from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from tests.conftest import add_event, register

END = datetime.fromisoformat("2027-03-09T16:00:00+02:00")  # the example event's end
NAME = '=HYPERLINK("http://x","click")'
ORGANISATION = "+1-2"
COMMENT = "@SUM(1+1)*cmd|' /C calc'!A0"
# (name, organisation, comment) typed in the chat by three participants.
ATTACKERS = (
    (NAME, ORGANISATION, COMMENT),
    ("-2+3+cmd|' /C calc'!A0", "=1+1", "-3+3"),
    ("＝1+1 Full-width", "@Užimtumo tarnyba", "=cmd|' /C notepad'!'A1'"),
)
# Stored as older data could be (the chat trims a typed tab, the import drops it).
TAB_COMMENT = "\t=1+2"
TYPED = {text for row in ATTACKERS for text in row} | {TAB_COMMENT}
# A list the organiser uploads: every typed column carries a formula.
LIST_ROWS = (
    ("name", "email", "organisation", "role", "category"),
    (NAME, "=1+1@evil.lt", ORGANISATION, COMMENT, "-3+3"),
    ("Asta Jonaitė", "asta@akmene.lt", "@Akmenė", "\u2212ok", "#N/A"),
)
LISTED = {text for row in LIST_ROWS[1:] for text in row}


def csv_bytes(rows: tuple[tuple[str, ...], ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


async def coming(
    sim: Simulation, user_id: int, name: str, organisation: str, event: Event
) -> SimUser:
    user = sim.user(user_id, "Guest", language="en")
    await register(sim, user, event, name=name, organisation=organisation)
    await user.press(sim.services.t("en", "btn-yes"))
    return user


async def answer_in_chat(user: SimUser, comment: str) -> None:
    """The default questionnaire: six ratings, the 0-10 question, then a typed comment."""
    await user.press("📝 Start the questionnaire")
    for rating in (5, 4, 4, 5, 4, 5):
        await user.press(str(rating))
    await user.press("9")
    await user.send(comment)
    assert "Thank you!" in user.last_text


async def stored_answer(sim: Simulation, event: Event, telegram_id: int, comment: str) -> None:
    """A completed questionnaire written as the runner writes one."""
    storage, now = sim.db, sim.clock.now()
    person = await storage.people.get_participant_by_telegram(telegram_id)
    assert person is not None
    response = await storage.surveys.start_response(
        event.id, person.id, organisation=person.organisation, now=now
    )
    for position, (question, rating, text) in enumerate(
        (("overall", 4, None), ("improve", None, comment)), start=1
    ):
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question=question, rating=rating, text=text,
            position=position, now=now,
        )  # fmt: skip
    await storage.surveys.complete_response(
        response.id, participant_id=person.id, position=3, now=now
    )


def xlsx_cells(content: bytes) -> Iterator[tuple[str, object, str]]:
    """(sheet, value, data type) of every cell, read as a spreadsheet program reads them."""
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        assert isinstance(sheet, Worksheet)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.value, cell.data_type


def csv_cells(content: bytes) -> list[object]:
    """Every cell; texts are quoted, so QUOTE_NONNUMERIC reads unquoted numbers as floats."""
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    return [cell for row in reader for cell in row]


def assert_inert_xlsx(name: str, content: bytes, expected: set[str]) -> None:
    cells = list(xlsx_cells(content))
    formulas = [(sheet, value) for sheet, value, kind in cells if kind == "f"]
    assert formulas == [], f"{name}: formula cells {formulas}"
    texts = {value for _, value, _ in cells if isinstance(value, str)}
    assert expected <= texts, f"{name}: missing {expected - texts}"
    quoted = {text for text in texts if text.startswith("'") and text[1:] in TYPED | LISTED}
    assert quoted == set(), f"{name}: text changed {quoted}"


def assert_inert_csv(name: str, content: bytes, expected: set[str]) -> None:
    cells = csv_cells(content)
    risky = [c for c in cells if isinstance(c, str) and c.lstrip(" ")[:1] in RISKY_FIRST]
    assert risky == [], f"{name}: cells that start like a formula {risky}"
    texts = {c for c in cells if isinstance(c, str)}
    missing = {text for text in expected if "'" + text not in texts and text not in texts}
    assert missing == set(), f"{name}: missing {missing}"
    for text in expected:
        if text.lstrip(" ")[:1] in RISKY_FIRST:
            assert "'" + text in texts, f"{name}: {text!r} without its leading '"


def documents(user: SimUser) -> dict[str, bytes]:
    return {m.document.filename: m.document.content for m in user.messages if m.document}


async def test_formulas_typed_by_participants_stay_text_in_every_export(
    sim: Simulation, organiser: SimUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await add_event(sim)
    guests = [
        await coming(sim, 3001 + i, name, organisation, event)
        for i, (name, organisation, _) in enumerate(ATTACKERS)
    ]
    await coming(sim, 3010, "Rūta Butkutė", "Užimtumo tarnyba", event)
    # The organiser uploads a list whose cells are formulas, and gets the personal links.
    await organiser.send_document("list.csv", csv_bytes(LIST_ROWS), "text/csv")
    assert "The list has 2 people" in organiser.last_text
    await organiser.press(next(b for b in organiser.buttons() if b.startswith(f"#{event.id}")))
    sim.clock.set(END)
    assert await lifecycle.open_survey(sim.services, event.id, now=sim.clock.now()) == 4
    await sim.settle()
    for guest, (_, _, comment) in zip(guests, ATTACKERS, strict=True):
        await answer_in_chat(guest, comment)
    await stored_answer(sim, event, 3010, TAB_COMMENT)
    person = await sim.db.people.get_participant_by_telegram(3001)
    assert person is not None
    assert (person.name, person.organisation) == (NAME, ORGANISATION)  # stored as typed

    await organiser.send(f"/export {event.id}")
    await organiser.send(f"/report {event.id}")
    files = documents(organiser)
    with zipfile.ZipFile(io.BytesIO(files.pop("personal-links.zip"))) as kit:
        files["zip:participants.csv"] = kit.read("participants.csv")
        files["zip:participants.xlsx"] = kit.read("participants.xlsx")

    # The same files from the command line.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE__PATH", str(sim.db.path))
    monkeypatch.setenv("BOT_TELEGRAM__USERNAME", "kvietimas_test_bot")
    out = tmp_path / "out"
    argv = ["export", "--event", str(event.id), "--out", str(out), "--lang", "en"]
    assert await asyncio.to_thread(main, argv) == 0
    argv = ["participants", "export", str(out / "links"), "--event", str(event.id)]
    assert await asyncio.to_thread(main, argv) == 0
    for path in sorted(out.rglob("*")):
        if path.suffix in (".csv", ".xlsx"):
            files[f"cli:{path.relative_to(out)}"] = path.read_bytes()

    stem = f"scores-event-{event.id}"
    report = f"report-event-{event.id}"
    chat = {NAME, ORGANISATION} | {c for *_, c in ATTACKERS} | {TAB_COMMENT}
    expected: dict[str, set[str]] = {
        f"{stem}.xlsx": TYPED,
        f"{stem}-answers.csv": TYPED,
        f"{report}.xlsx": {c for *_, c in ATTACKERS} | {TAB_COMMENT},
        "personal-links.xlsx": LISTED,
        "zip:participants.csv": LISTED,
        "zip:participants.xlsx": LISTED,
        f"cli:{stem}.xlsx": TYPED,
        f"cli:{stem}-answers.csv": TYPED,
        f"cli:{stem}-summary.csv": set(),
        "cli:links/participants.csv": LISTED,
        "cli:links/participants.xlsx": LISTED,
    }
    assert sorted(n for n in files if n.endswith((".csv", ".xlsx"))) == sorted(expected)
    assert chat <= TYPED
    for name, must in expected.items():
        if name.endswith(".xlsx"):
            assert_inert_xlsx(name, files[name], must)
        else:
            assert_inert_csv(name, files[name], must)


async def test_lithuanian_sheets_read_like_a_report(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await coming(sim, 3101, "Rūta Butkutė", "Užimtumo tarnyba", event)
    sim.clock.set(END)
    await lifecycle.open_survey(sim.services, event.id, now=sim.clock.now())
    await sim.settle()
    await stored_answer(sim, event, 3101, "Daugiau praktinių užduočių")
    await organiser.send("/language")
    await organiser.press("🇱🇹 Lietuvių")
    await organiser.send(f"/export {event.id}")
    await organiser.send(f"/report {event.id}")
    files = documents(organiser)

    book = load_workbook(io.BytesIO(files[f"scores-event-{event.id}.xlsx"]))
    assert book.sheetnames == ["Suvestinė", "Atsakiusieji", "Atsakymai"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"  # no totals to keep out
    answers = book["Atsakymai"]
    head = [cell.value for cell in answers[1]]
    assert head[:3] == ["Renginio ID", "Renginys", "Data"]
    assert head[-1] == "Atsakyta (renginio vietos laiku)"
    rows = [[cell for cell in row] for row in answers.iter_rows(min_row=2)]
    kinds = {row[8].value for row in rows}
    assert kinds == {"Vertinimas (1–5)", "Laisvas atsakymas"}  # not "rating", "text"
    assert {row[2].value for row in rows} == {datetime(2027, 3, 9, 10, 0)}  # the event's start
    assert rows[0][2].is_date
    assert rows[0][11].value == datetime(2027, 3, 9, 16, 0)  # answered, Vilnius wall clock
    assert rows[0][11].number_format == "yyyy-mm-dd hh:mm"
    assert answers.column_dimensions["H"].width > 20  # the question's text

    summary = book["Suvestinė"]
    overall = next(row for row in summary.iter_rows(min_row=2) if row[2].value == "overall")
    assert overall[10].value == 1.0  # top-2 share: a number...
    assert overall[10].number_format == "0.0%"  # ...shown as 100.0%
    assert overall[7].number_format == "0.00"
    summary_row = next(row for row in summary.iter_rows(min_row=2) if row[2].value == "(overall)")
    assert summary_row[0].font.b  # the event's overall score stands out
    responses = book["Atsakiusieji"]
    row = [cell for cell in responses[2]]
    assert row[2].value == datetime(2027, 3, 9, 10, 0)
    assert (row[8].value, row[8].number_format) == (1.0, "0.0%")
    assert row[10].value == "Mokymų vertinimo anketa"  # the template's name, in Lithuanian

    report = load_workbook(io.BytesIO(files[f"report-event-{event.id}.xlsx"]))
    for sheet in report.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    events = report["Renginiai"]
    assert [c.value for c in events[1]][:3] == ["Pradžia", "Pabaiga", "Renginys"]
    assert events["A2"].value == datetime(2027, 3, 9, 10, 0)
    assert events["B2"].value == datetime(2027, 3, 9, 16, 0)
    scores = report["Įvertinimai"]
    assert scores["E2"].number_format == "0.0%"
    assert scores["E2"].value == 1  # the share 1.0, shown as 100.0%

    answers_csv = csv_cells(files[f"scores-event-{event.id}-answers.csv"])
    assert "2027-03-09 10:00" in answers_csv
    assert "Vertinimas (1–5)" in answers_csv
