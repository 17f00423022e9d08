"""The printable attendance sign-in sheet: from /attendance (organisers, private chat) and
the CLI, at real size (120 names over several pages), read back with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.attendance import AttAction, AttendancePress
from bot.documents.signin import BLANK_ROWS, collation_key, sort_entries
from bot.models import Event, Presence, RsvpStatus, SignInEntry
from bot.sim import Simulation, SimUser
from tests.conftest import add_event
from tests.report_seed import Person, enrol, people
from tests.test_access_groups import bot_added

BUTTON = "🖨 Sign-in sheet"


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_names_sort_in_lithuanian_order() -> None:
    """C < Č, I < Y < J, S < Š, Z < Ž: a plain code-point sort puts Č, Š, Ž after Z and
    Y after J."""
    names = ["Žukas Jonas", "Šimkus Tomas", "Sakalauskas Ignas", "Čepulis Darius",
             "Cibulskis Paulius", "Yčas Mykolas", "Jonaitis Andrius", "Ivanauskas Tomas",
             "Zabiela Jonas", "ąžuolaitis Rimas", "Abromaitis Jonas"]  # fmt: skip
    entries = [SignInEntry(n, "") for n in names]
    assert [e.name for e in sort_entries(entries, "lt")] == [
        "Abromaitis Jonas", "ąžuolaitis Rimas", "Cibulskis Paulius", "Čepulis Darius",
        "Ivanauskas Tomas", "Yčas Mykolas", "Jonaitis Andrius", "Sakalauskas Ignas",
        "Šimkus Tomas", "Zabiela Jonas", "Žukas Jonas",
    ]  # fmt: skip
    # Ukrainian: Г < Ґ, Е < Є, И < І < Ї < Й.
    ukrainian = ["Їжак", "Ігор", "Йосип", "Ґава", "Гнат", "Євген", "Ера"]
    assert sorted(ukrainian, key=lambda n: collation_key(n, "uk")) == [
        "Гнат", "Ґава", "Ера", "Євген", "Ігор", "Їжак", "Йосип",
    ]  # fmt: skip


async def crowd_at_event(sim: Simulation, count: int) -> tuple[Event, list[Person]]:
    event = await add_event(sim)
    crowd = people(count)
    for person in crowd:
        await enrol(sim, event, person)
    return event, crowd


async def test_sign_in_sheet_of_120_people_from_the_attendance_screen(
    sim: Simulation, organiser: SimUser
) -> None:
    event, crowd = await crowd_at_event(sim, 120)
    storage, now = sim.db, sim.clock.now()
    # Not on the sheet: a "no", a "maybe", someone on the waitlist, a forgotten person.
    others = [Person(800_000 + i, name, "Užimtumo tarnyba") for i, name in enumerate(
        ("Nerijus Neateisiantis", "Gal Būtų", "Laukia Eilėje", "Pamirštas Žmogus"))]  # fmt: skip
    await enrol(sim, event, others[0], RsvpStatus.NO)
    await enrol(sim, event, others[1], RsvpStatus.MAYBE)
    waiting = await enrol(sim, event, others[2], RsvpStatus.NO)
    await storage.database.execute(
        "UPDATE rsvps SET status = 'waitlist' WHERE event_id = ? AND participant_id = ?",
        (event.id, waiting),
    )
    forgotten = await enrol(sim, event, others[3])
    await storage.database.execute(
        "UPDATE participants SET forgotten_at = ? WHERE id = ?", (now.isoformat(), forgotten)
    )
    # On the sheet: a walk-in the organiser marked present without a "yes".
    walk_in = Person(800_100, "Ona Atėjusi", "Akmenės krašto muziejus")
    walk_in_id = await enrol(sim, event, walk_in, RsvpStatus.NO)
    await storage.attendance.mark_presence(
        event.id, [walk_in_id], Presence.PRESENT, source="organiser", now=now
    )

    await organiser.send(f"/attendance {event.id}")
    assert BUTTON in organiser.buttons()
    await organiser.press(BUTTON)
    document = organiser.last.document
    assert document is not None
    assert document.filename == "signin-akmene-2027-03.pdf"
    pages = page_texts(document.content)
    text = " ".join(" ".join(pages).split())

    # Lithuanian ([documents] language), whatever the organiser's chat language.
    assert text.startswith("Renginio dalyvių sąrašas Mokymai Akmenės rajonui")
    assert "Data ir laikas: 2027 m. kovo 9 d., antradienis, 10:00–16:00" in text
    assert "Vieta: L. Petravičiaus a. 2, Naujoji Akmenė, Didžioji salė, II aukštas" in text

    # 121 names and 6 blank rows over several pages, each with the header and "n / N".
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert "Eil. Nr. Vardas, pavardė Organizacija Parašas" in " ".join(page.split())
        assert f"{number} / {len(pages)}" in page.splitlines()[-1]
    listed = sorted([p.name for p in crowd] + [walk_in.name],
                    key=lambda n: collation_key(n, "lt"))  # fmt: skip
    missing = [
        f"{i}. {name}" for i, name in enumerate(listed, start=1) if f"{i}. {name} " not in text
    ]
    assert missing == [], text[:3000]
    positions = [text.index(f"{i}. {name} ") for i, name in enumerate(listed, start=1)]
    assert positions == sorted(positions)
    last = len(listed)
    for blank in range(last + 1, last + 1 + BLANK_ROWS):
        assert f" {blank}. " in text
    assert f" {last + BLANK_ROWS + 1}. " not in text
    for person in others:
        assert person.name not in text
    # A < Ą < Č < D, Š before T: the Lithuanian alphabet, not code points.
    order = ["Asta Kazlauskienė", "Ąžuolė Kazlauskienė", "Česlava Kazlauskienė",
             "Darius Petrauskas", "Šarūnas Petrauskas", "Tomas Petrauskas"]  # fmt: skip
    assert [text.index(name) for name in order] == sorted(text.index(name) for name in order)


async def test_a_participant_cannot_get_the_sheet(sim: Simulation) -> None:
    """The sheet lists names: a forged button press from a non-organiser is refused."""
    event, _ = await crowd_at_event(sim, 5)
    mallory = sim.user(4242, "Mallory", language="en")
    await mallory.send("/start")
    await mallory.send("/language")  # a message with buttons to press forged data on
    before = len(mallory.messages)
    await mallory.press_data(AttendancePress(AttAction.SIGNIN, event.id).pack())
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    assert alerts
    assert alerts[-1].get("text") == "This is for organisers only."
    assert len(mallory.messages) == before
    assert all(m.document is None for m in mallory.messages)


async def test_the_sheet_is_not_sent_into_a_group(sim: Simulation, organiser: SimUser) -> None:
    """Neither /attendance nor a (forged) sign-in button pressed in a group sends names there:
    the organiser is asked, in one line, to use the private chat."""
    event, crowd = await crowd_at_event(sim, 5)
    group = sim.emulator.group(-100777, "Mokymų organizatoriai")
    await sim.settle(bot_added(sim, group, organiser))
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    await sim.settle(await group.send(organiser.tg, f"/attendance {event.id}"))
    assert BUTTON not in group.buttons()
    card = group.messages()[0].message_id
    await sim.settle(
        await organiser.tg.press_data(
            AttendancePress(AttAction.SIGNIN, event.id).pack(), chat_id=group.id, message_id=card
        )
    )
    assert sim.emulator.calls_to("sendDocument", group.id) == []
    assert sim.emulator.calls_to("sendDocument", organiser.id) == []
    texts = [str(m.text or "") for m in group.messages()]
    assert not any(p.name in t for t in texts for p in crowd)
