"""Attendance end to end: check-in by QR, online join, bulk marking, who gets the survey."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register

VILNIUS = "+02:00"
ONLINE_EVENT = """
title = "Nuotolinė apskritojo stalo diskusija"
starts = 2027-03-10T10:00:00
ends = 12:00:00
online_url = "https://meet.example.org/round-table?id=1"
"""


def at(local: str) -> datetime:
    return datetime.fromisoformat(local + VILNIUS)


async def checkin_payload(sim: Simulation, organiser: SimUser, event: Event) -> str:
    await organiser.send(f"/checkin {event.id}")
    message = organiser.last
    assert message.kind == "photo"
    assert "Check-in: Mokymai Akmenės rajonui" in message.text
    assert "It works from 2027-03-09 09:00 until 2027-03-09 16:00" in message.text
    match = re.search(r"start=(c_[A-Za-z0-9_-]+)", message.text)
    assert match is not None
    return match.group(1)


async def presence(sim: Simulation, event_id: int) -> dict[str, tuple[str, str]]:
    rows = await sim.db.database.fetch_all(
        "SELECT p.name, a.status, a.source FROM attendance a "
        "JOIN participants p ON p.id = a.participant_id WHERE a.event_id = ? ORDER BY p.name",
        (event_id,),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def test_checkin_by_qr_only_inside_the_window(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    payload = await checkin_payload(sim, organiser, event)
    # The same code every time the organiser asks.
    assert await checkin_payload(sim, organiser, event) == payload

    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")

    await alice.send(f"/start {payload}")  # a week early
    assert "Check-in for Mokymai Akmenės rajonui" in alice.last_text
    assert "opens at 2027-03-09 09:00" in alice.last_text
    assert await presence(sim, event.id) == {}

    sim.clock.set(at("2027-03-09T09:40:00"))
    await alice.send(f"/start {payload}")
    assert alice.last_text.startswith("✅ You are checked in at Mokymai Akmenės rajonui")
    assert await presence(sim, event.id) == {"Alice Smith": ("present", "qr")}
    await alice.send(f"/start {payload}")
    assert "already checked in" in alice.last_text

    sim.clock.set(at("2027-03-09T16:00:00"))
    bob = sim.user(2002, "Bob")
    await register(sim, bob, event, name="Bob Jones")
    await bob.send(f"/start {payload}")
    assert "has ended, so check-in is closed" in bob.last_text
    assert "Bob Jones" not in await presence(sim, event.id)

    await bob.send("/start c_NotARealCode1")
    assert (
        bob.last_text
        == "This check-in code is not valid. Please scan the code shown at the entrance."
    )


async def test_checkin_registers_newcomers_first_and_resumes(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    payload = await checkin_payload(sim, organiser, event)
    sim.clock.set(at("2027-03-09T10:05:00"))
    vida = sim.user(2003, "Vida", language="lt")
    lt = sim.services.translator
    await vida.send(f"/start {payload}")
    texts = vida.texts()
    assert lt.text("lt", "attendance-checkin-register") in texts[-2]
    assert vida.buttons() == [lt.text("lt", "btn-consent")]
    await vida.press(lt.text("lt", "btn-consent"))
    await vida.send("Vida Žukauskienė")
    await sim.restart()  # the check-in survives a restart in the middle of registration
    await vida.send("Naujosios Akmenės kultūros centras")
    assert "Užregistravome Jus vardu Vida Žukauskienė" in vida.texts()[-2]
    assert vida.last_text.startswith("✅ Pažymėjome Jūsų atvykimą į renginį Mokymai")
    assert await presence(sim, event.id) == {"Vida Žukauskienė": ("present", "qr")}


async def test_online_join_records_attendance_and_gives_the_link(sim: Simulation) -> None:
    event = await add_event(sim, ONLINE_EVENT)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    assert "💻 Join the meeting" not in alice.buttons()  # only after yes
    await alice.press("🤔 Maybe")
    assert "💻 Join the meeting" not in alice.buttons()
    await alice.press("✅ Yes")
    assert alice.buttons()[0] == "💻 Join the meeting"

    await alice.press("💻 Join the meeting")  # days before: when it opens, not the link
    assert "opens at 2027-03-10 09:00" in alice.last_text
    assert alice.last.keyboard == []
    assert "meet.example.org" not in alice.last_html
    assert await presence(sim, event.id) == {}

    sim.clock.set(at("2027-03-10T10:02:00"))
    await alice.send("/my")
    await alice.press(alice.buttons()[0])  # the card again, from /my
    await alice.press("💻 Join the meeting")
    assert alice.last_text.startswith("✅ You are marked present at Nuotolinė")
    assert alice.last.keyboard[0][0]["url"] == "https://meet.example.org/round-table?id=1"
    assert await presence(sim, event.id) == {"Alice Smith": ("present", "join")}

    sim.clock.set(at("2027-03-10T12:30:00"))
    await alice.press("💻 Join the meeting", message_id=alice.messages[-2].message_id)
    assert alice.last_text == "Nuotolinė apskritojo stalo diskusija has already ended."


async def test_bulk_marking_from_the_rsvp_list(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    people = {}
    for number, (name, answer) in enumerate(
        [
            ("Asta Kazlauskienė", "✅ Yes"),
            ("Jonas Petrauskas", "✅ Yes"),
            ("Rūta Butkutė", "🤔 Maybe"),
        ]
    ):
        user = sim.user(3000 + number, name.split()[0])
        await register(sim, user, event, name=name, organisation=f"Org {number}")
        await user.press(answer)
        people[name] = user
    payload = await checkin_payload(sim, organiser, event)
    sim.clock.set(at("2027-03-09T09:55:00"))
    walk_in = sim.user(3100, "Olena", language="uk")
    await walk_in.send(f"/start {payload}")
    await walk_in.press(sim.services.t("uk", "btn-consent"))
    await walk_in.send("Олена Ковальчук")
    await walk_in.send("Akmenės biblioteka")
    assert "Вашу присутність на заході" in walk_in.last_text

    await organiser.send(f"/attendance {event.id}")
    screen = organiser.last_text
    assert "Attendance: #1 Mokymai Akmenės rajonui" in screen
    assert "Invited: 3 · said yes: 2" in screen
    assert "Present: 1 (of them without a “yes”: 1)" in screen
    assert "▫️ Asta Kazlauskienė" in organiser.buttons()
    assert "✅ Олена Ковальчук (—)" in organiser.buttons()
    assert "▫️ Rūta Butkutė (🤔)" in organiser.buttons()

    await organiser.press("✅ All who said yes: present")
    assert "Present: 3 (of them without a “yes”: 1)" in organiser.last_text
    assert "said yes, not present: 0" in organiser.last_text
    await organiser.press("✅ Jonas Petrauskas")  # he left early: absent
    assert "❌ Jonas Petrauskas" in organiser.buttons()
    await organiser.press("❌ The rest: absent")
    screen = organiser.last_text
    assert "Present: 2 (of them without a “yes”: 1)" in screen
    assert "Absent: 2 · said yes, not present: 1" in screen
    assert await presence(sim, event.id) == {
        "Asta Kazlauskienė": ("present", "organiser"),
        "Jonas Petrauskas": ("absent", "organiser"),
        "Olena Kovalchuk" if False else "Олена Ковальчук": ("present", "qr"),
        "Rūta Butkutė": ("absent", "organiser"),
    }

    # A participant cannot press the organiser's buttons.
    intruder = people["Rūta Butkutė"]
    await intruder.press_data(f"v1:oa:tog:{event.id}:1:0")
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    assert any(a.get("text") == "This is for organisers only." for a in alerts)


async def survey_recipient_names(sim: Simulation, event_id: int) -> list[str]:
    recipients = await sim.db.surveys.survey_recipients(event_id)
    names: list[str] = []
    for r in recipients:
        person = await sim.db.people.get_participant(r.participant_id)
        names.append(person.name or "")
    return sorted(names)


async def test_questionnaire_goes_to_those_present(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    for number, (name, answer) in enumerate(
        [("Asta A", "✅ Yes"), ("Jonas B", "✅ Yes"), ("Rūta C", "🤔 Maybe")]
    ):
        user = sim.user(3000 + number, name.split()[0])
        await register(sim, user, event, name=name)
        await user.press(answer)
    # Nobody marked: the questionnaire goes to those who said yes.
    assert await survey_recipient_names(sim, event.id) == ["Asta A", "Jonas B"]

    await organiser.send(f"/attendance {event.id}")
    await organiser.press("▫️ Asta A")
    await organiser.press("▫️ Rūta C (🤔)")
    assert await survey_recipient_names(sim, event.id) == ["Asta A", "Rūta C"]

    # The organiser chooses "all yes" for this event: yes answers plus those present.
    await organiser.press("⚙️ Settings")
    assert "Questionnaire: to those present; if nobody was marked" in organiser.last_text
    await organiser.press("… all “yes”")
    assert "Questionnaire: to everyone who said yes, and anyone present." in organiser.last_text
    assert await survey_recipient_names(sim, event.id) == ["Asta A", "Jonas B", "Rūta C"]

    await organiser.press("… present only")
    assert await survey_recipient_names(sim, event.id) == ["Asta A", "Rūta C"]

    # At the end the scheduler opens the questionnaire for exactly those people.
    sim.clock.set(at("2027-03-09T16:01:00"))
    await sim.tick()
    rows = await sim.db.database.fetch_all(
        "SELECT p.name FROM outbox o JOIN participants p ON p.id = o.participant_id "
        "WHERE o.dedup_key LIKE 'survey-open:%' ORDER BY p.name"
    )
    assert [r[0] for r in rows] == ["Asta A", "Rūta C"]
    assert await sim.db.surveys.survey_eligible_count(event.id) == 2
    assert timedelta(0) < sim.clock.now() - event.ends_at
