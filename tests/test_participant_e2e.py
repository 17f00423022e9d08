"""A participant's whole path, through the real Application and the emulator."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from bot.models import RsvpStatus
from bot.sim import Simulation
from tests.conftest import add_event, register
from tests.dbcheck import count_rows, rsvp_history


async def rsvp_rows(sim: Simulation, event_id: int) -> list[tuple[int, str]]:
    rows = await sim.db.database.fetch_all(
        "SELECT participant_id, status FROM rsvps WHERE event_id = ? ORDER BY participant_id",
        (event_id,),
    )
    return [(r[0], r[1]) for r in rows]


async def test_invitation_registration_and_rsvp_in_english(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice", language="en")

    await alice.send(f"/start e_{event.invite_code}")
    texts = alice.texts()
    assert "You are invited to Mokymai Akmenės rajonui" in texts[-2]
    assert "keeps your name, organisation" in texts[-1]
    assert alice.buttons() == ["✅ I agree"]

    await alice.press("✅ I agree")
    assert alice.last_text == "What is your name and surname?"
    await alice.send("Alice Smith")
    assert alice.last_text == "Which organisation or institution do you work for?"
    await alice.send("Akmenės rajono savivaldybės administracija")

    card = alice.last_text
    assert "Thank you, Alice Smith! You are registered." in alice.texts()[-2]
    assert "Mokymai Akmenės rajonui" in card
    assert "L. Petravičiaus a. 2, Naujoji Akmenė, Didžioji salė, II aukštas" in card
    assert "Tuesday, March 9, 2027, 10:00–16:00" in card
    assert "Prieglobsčio ir migracijos procesai Lietuvoje — Eglė Samuchovaitė" in card
    assert "30 of 30 places left" in card
    assert "Your answer: not given yet" in card
    assert alice.buttons() == ["✅ Yes", "❌ No", "🤔 Maybe", "📅 Add to calendar"]

    await alice.press("✅ Yes")
    assert "Your answer: ✅ I will come" in alice.last_text
    assert "29 of 30 places left" in alice.last_text
    answered = sim.emulator.answered_callbacks
    assert any("you will come" in str(a.get("text")) for a in answered.values())

    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert participant.name == "Alice Smith"
    assert participant.organisation == "Akmenės rajono savivaldybės administracija"
    assert participant.consent_at is not None
    assert await rsvp_rows(sim, event.id) == [(participant.id, "yes")]

    # She changes her mind: still one row, and the history keeps both answers.
    await alice.press("🤔 Maybe")
    assert "Your answer: 🤔 Maybe" in alice.last_text
    assert await rsvp_rows(sim, event.id) == [(participant.id, "maybe")]
    assert await rsvp_history(sim.db) == ["yes", "maybe"]


async def test_lithuanian_participant_sees_lithuanian(sim: Simulation) -> None:
    event = await add_event(sim)
    jonas = sim.user(2002, "Jonas", language="lt")
    await jonas.send(f"/start e_{event.invite_code}")
    await jonas.press(sim.services.t("lt", "btn-consent"))
    await jonas.send("Jonas Petrauskas")
    await jonas.send("Užimtumo tarnyba")
    card = jonas.last_text
    assert "2027 m. kovo 9 d., antradienis" in card
    assert jonas.buttons()[0] == sim.services.t("lt", "btn-yes")
    await jonas.press(sim.services.t("lt", "btn-yes"))
    assert sim.services.t("lt", "status-yes") in jonas.last_text


async def test_double_tap_keeps_one_answer(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    message_id = alice.last.message_id
    await alice.press("✅ Yes", message_id=message_id)
    await alice.press("✅ Yes", message_id=message_id)
    rows = await rsvp_rows(sim, event.id)
    assert [status for _, status in rows] == ["yes"]
    assert await count_rows(sim.db, "rsvp_history") == 1


async def test_full_event_waitlist_and_promotion(sim: Simulation) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 2"})
    people = [sim.user(3000 + i, f"P{i}") for i in range(3)]
    for i, person in enumerate(people):
        await register(sim, person, event, name=f"Person Number{i}")
        await person.press("✅ Yes")
    assert "Your answer: ⏳ On the waiting list" in people[2].last_text
    assert "0 of 2 places left" in people[2].last_text

    await people[0].press("❌ No")
    promoted = people[2].last_text
    assert "A place has become free" in promoted
    assert "Your answer: ✅ I will come" in promoted
    statuses = dict(await rsvp_rows(sim, event.id))
    assert sorted(statuses.values()) == ["no", "yes", "yes"]


async def test_answer_after_deadline_is_refused(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    sim.clock.advance(timedelta(days=5))  # past 2027-03-05 18:00
    await alice.press("❌ No")
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    assert any("deadline has passed" in str(a.get("text")) for a in alerts)
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert await sim.db.rsvps.get_rsvp(event.id, participant.id) is RsvpStatus.YES


async def test_calendar_file(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("📅 Add to calendar")
    document = alice.last.document
    assert document.filename == f"event-{event.id}.ics"
    calendar = Calendar.from_ical(document.content)
    item = next(iter(calendar.walk("VEVENT")))
    assert str(item["summary"]).startswith("Mokymai Akmenės rajonui")
    assert item.decoded("dtstart") == event.starts_at
    assert "Naujoji Akmenė" in str(item["location"])


async def test_my_events_and_reopening_a_card(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("🤔 Maybe")
    await alice.send("/my")
    assert "Mokymai Akmenės rajonui" in alice.last_text
    assert "2027-03-09 10:00" in alice.last_text
    assert "🤔 Maybe" in alice.last_text
    await alice.press(alice.buttons()[0])
    assert "Your answer: 🤔 Maybe" in alice.last_text


async def test_language_switch(sim: Simulation) -> None:
    alice = sim.user(2001, "Alice", language="en")
    await register(sim, alice, await add_event(sim))  # a language is kept for people held
    await alice.send("/language")
    assert alice.buttons() == ["🇱🇹 Lietuvių", "🇬🇧 English", "🇺🇦 Українська"]
    await alice.press("🇺🇦 Українська")
    assert alice.last_text == sim.services.t("uk", "language-set")
    await alice.send("/help")
    assert alice.last_html.startswith(sim.services.t("uk", "help-participant")[:40])
    assert "відповідь" in alice.last_text or "запрошен" in alice.last_text


async def test_registration_resumes_after_restart(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await alice.send(f"/start e_{event.invite_code}")
    await alice.press("✅ I agree")
    await alice.send("Alice Smith")
    await sim.restart()
    await alice.send("Akmenė library")
    assert "Mokymai Akmenės rajonui" in alice.last_text
    assert alice.buttons()[0] == "✅ Yes"


async def test_online_event_shows_join_link_after_yes(sim: Simulation) -> None:
    text = """
title = "Nuotolinė apskritojo stalo diskusija"
starts = 2027-03-10T10:00:00
ends = 12:00:00
online_url = "https://meet.example.org/round-table?id=1&x=2"
"""
    event = await add_event(sim, text)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    assert "Online (after you answer “Yes”, the “Join the meeting” button" in alice.last_text
    assert "meet.example.org" not in alice.last_html
    await alice.press("✅ Yes")
    # The card can be forwarded: the link is never in it, the Join button gives it privately.
    assert "meet.example.org" not in alice.last_html
    assert alice.buttons()[0] == "💻 Join the meeting"


async def test_double_tap_on_consent_asks_for_the_name_once(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await alice.send(f"/start e_{event.invite_code}")
    consent_message = alice.last.message_id
    await alice.press("✅ I agree", message_id=consent_message)
    await alice.press_data(
        alice_consent_data(sim, 2001, consent_message), message_id=consent_message
    )
    asks = [t for t in alice.texts() if t == "What is your name and surname?"]
    assert len(asks) == 1
    await alice.send("Alice Smith")
    await alice.send("Akmenė library")
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert (participant.name, participant.organisation) == ("Alice Smith", "Akmenė library")


def alice_consent_data(sim: Simulation, chat_id: int, message_id: int) -> str:
    """The consent button's data as sent, pressed again (the keyboard is gone by then)."""
    for call in sim.emulator.calls_to("sendMessage", chat_id):
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button.get("text") == "✅ I agree":
                    return str(button["callback_data"])
    raise AssertionError("no consent button was sent")
