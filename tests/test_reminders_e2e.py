"""Reminders and timed work through the real Application, the emulator and a fake clock.

The example event starts 2027-03-09 10:00 Vilnius (08:00 UTC), ends 16:00 (14:00 UTC),
takes answers until 2027-03-05 18:00 (16:00 UTC). With the default settings its moments are:
reminders 2027-03-08 08:00 and 2027-03-09 07:00 UTC; deadline nudge 2027-03-04 16:00 UTC;
questionnaire open 03-09 14:00, reminder 03-11 14:00, close 03-23 14:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Event, RsvpStatus
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register

REMINDER_24H = "2027-03-08T08:00:00"
REMINDER_1H = "2027-03-09T07:00:00"
DEADLINE_NUDGE = "2027-03-04T16:00:00"
START = "2027-03-09T08:00:00"
END = "2027-03-09T14:00:00"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def at(sim: Simulation, moment: str, *, minus: timedelta = timedelta(0)) -> None:
    """Move the fake clock and let the scheduler run what is due."""
    sim.clock.set(utc(moment) - minus)
    await sim.tick()


async def rows(sim: Simulation, event_id: int) -> dict[str, tuple[str, str]]:
    found = await sim.db.database.fetch_all(
        "SELECT key, state, detail FROM scheduled_items WHERE event_id = ?", (event_id,)
    )
    return {r[0].split(":", 1)[1]: (r[1], r[2]) for r in found}


def reminders(user: SimUser) -> list[str]:
    return [t for t in user.texts() if t.startswith("⏰")]


async def crowd(sim: Simulation, event: Event) -> dict[str, SimUser]:
    """alice yes (through the chat), bob maybe, carol no, dave no answer, erin yes but
    opted out, frank yes but unreachable (the others stored directly, to keep tests fast)."""
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event, name="Alice Person")
    await alice.press("✅ Yes")
    people = {"alice": alice}
    storage, now = sim.db, sim.clock.now()
    others = [("bob", "maybe"), ("carol", "no"), ("dave", None), ("erin", "yes"), ("frank", "yes")]
    for number, (name, answer) in enumerate(others, start=2):
        user = sim.user(2000 + number, name.title())
        await user.send("/start")  # the chat exists: the bot may write to them
        participant = await storage.people.ensure_participant(user.id, language="en", now=now)
        await storage.people.record_consent(participant.id, "test", now)
        await storage.people.set_participant_profile(
            participant.id, name=f"{name.title()} Person", organisation="Biblioteka", now=now
        )
        await storage.invitations.invite(event.id, participant.id, "link", now)
        if answer:
            await storage.rsvps.apply_rsvp(
                event.id, participant.id, RsvpStatus(answer), capacity=event.capacity, now=now
            )
        people[name] = user
    await storage.database.execute(
        "UPDATE participants SET opted_out_at = ? WHERE telegram_id = ?", (now.isoformat(), 2005)
    )
    await storage.database.execute(
        "UPDATE participants SET unreachable_at = ? WHERE telegram_id = ?", (now.isoformat(), 2006)
    )
    return people


async def test_each_reminder_at_its_moment(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    alice, bob, carol, dave = (people[n] for n in ("alice", "bob", "carol", "dave"))
    await sim.tick()
    assert set((await rows(sim, event.id)).values()) == {("pending", "")}

    # The RSVP-deadline nudge: only to the invitee who has not answered.
    await at(sim, DEADLINE_NUDGE, minus=timedelta(minutes=1))
    assert reminders(dave) == []
    await at(sim, DEADLINE_NUDGE)
    assert "You have not answered this invitation yet" in dave.last_text
    assert "Answers are accepted until 2027-03-05 18:00" in dave.last_text
    assert dave.buttons()[:3] == ["✅ Yes", "❌ No", "🤔 Maybe"]
    assert [reminders(u) for u in (alice, bob, carol)] == [[], [], []]

    # 24 hours before: yes and maybe, with the place and directions.
    await at(sim, REMINDER_24H, minus=timedelta(seconds=1))
    assert reminders(alice) == []
    await at(sim, REMINDER_24H)
    card = alice.last_text
    assert card.startswith("⏰ Reminder: the event starts in 24 hours.")
    assert "L. Petravičiaus a. 2, Naujoji Akmenė, Didžioji salė, II aukštas" in card
    assert "Your answer: ✅ I will come" in card
    directions = alice.last.keyboard[0][0]
    assert directions["text"] == "🗺 How to get there"
    assert directions["url"].startswith("https://www.openstreetmap.org/search?query=L.+Petravi")
    assert "starts in 24 hours" in bob.last_text
    assert "Your answer: 🤔 Maybe" in bob.last_text

    # 1 hour before.
    await at(sim, REMINDER_1H)
    assert alice.last_text.startswith("⏰ Reminder: the event starts in 1 hour.")
    assert len(reminders(alice)) == len(reminders(bob)) == 2
    # Not to "no", not to the opted-out or unreachable, the nudge only once.
    assert reminders(carol) == []
    assert len(reminders(dave)) == 1
    assert reminders(people["erin"]) == []
    assert reminders(people["frank"]) == []

    state = await rows(sim, event.id)
    assert state["reminder:1440m@20270309T080000Z"] == ("done", "2")
    assert state["reminder:60m@20270309T080000Z"] == ("done", "2")
    assert state["deadline@20270305T160000Z"] == ("done", "1")


async def test_online_event_reminder_carries_the_join_link(sim: Simulation) -> None:
    text = """
title = "Nuotolinė apskritojo stalo diskusija"
starts = 2027-03-10T10:00:00
ends = 12:00:00
online_url = "https://meet.example.org/round-table?id=1&x=2"
"""
    event = await add_event(sim, text)
    jonas = sim.user(2002, "Jonas", language="lt")
    await register(sim, jonas, event, name="Jonas Petrauskas", lang="lt")
    await jonas.press(sim.services.t("lt", "btn-yes"))
    await at(sim, "2027-03-10T07:00:00")  # 1 hour before 10:00 EET
    assert jonas.last_text.startswith("⏰ Primename: renginys prasidės po 1 valandos.")
    assert "meet.example.org" not in jonas.last_html  # never in a message (docs/privacy.md)
    # One join button: the card's own, which records attendance and gives the link.
    labels = jonas.buttons()
    assert labels[0] == sim.services.t("lt", "attendance-btn-join")
    assert sum("💻" in label for label in labels) == 1


async def test_dst_in_march_24_real_hours(sim: Simulation) -> None:
    # Monday after the last Sunday of March 2027: 10:00 EEST = 07:00 UTC.
    text = """
title = "Seminaras po laiko keitimo"
starts = 2027-03-29T10:00:00
ends = 12:00:00
[place]
address = "Gedimino pr. 11, Vilnius"
"""
    event = await add_event(sim, text)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    await sim.tick()
    await at(sim, "2027-03-28T06:59:59")
    assert reminders(alice) == []
    await at(sim, "2027-03-28T07:00:00")
    assert alice.last_text.startswith("⏰ Reminder: the event starts in 24 hours.")
    assert "Monday, March 29, 2027, 10:00–12:00" in alice.last_text


async def test_dst_in_october_with_a_48_hour_reminder(sim: Simulation, organiser: SimUser) -> None:
    # Monday after the last Sunday of October 2027: 10:00 EET = 08:00 UTC. 48 real hours
    # before is Saturday 08:00 UTC = 11:00 EEST, not 10:00 local.
    text = """
title = "Seminaras rudenį"
starts = 2027-11-01T10:00:00
ends = 12:00:00
[place]
address = "Gedimino pr. 11, Vilnius"
"""
    event = await add_event(sim, text)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    await organiser.send(f"/schedule {event.id}")
    await organiser.press("⏰ Change reminder times")
    await organiser.press("✏️ Other times")
    await organiser.send("48")
    assert "2027-10-30 11:00 · reminder 48 h before the start" in organiser.last_text
    await at(sim, "2027-10-30T07:00:00")
    assert reminders(alice) == []
    await at(sim, "2027-10-30T08:00:00")
    assert alice.last_text.startswith("⏰ Reminder: the event starts in 2 days.")


async def test_event_moved_after_its_reminders_were_planned(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    # The organiser re-imports the file a week later (same slug: an update).
    await add_event(sim, **{"starts = 2027-03-09T10:00:00": "starts = 2027-03-16T10:00:00"})
    await sim.tick()
    state = await rows(sim, event.id)
    assert "reminder:1440m@20270309T080000Z" not in state  # the old moments are gone
    assert state["reminder:1440m@20270316T080000Z"] == ("pending", "")
    await at(sim, REMINDER_24H)
    await at(sim, REMINDER_1H)
    assert reminders(people["alice"]) == []
    await at(sim, "2027-03-15T08:00:00")
    assert "starts in 24 hours" in people["alice"].last_text
    assert "Tuesday, March 16, 2027, 10:00–16:00" in people["alice"].last_text


async def test_event_moved_closer_skips_a_moment_already_past(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    sim.clock.set(utc("2027-03-01T12:00:00"))
    # Moved to tomorrow 08:00 local (06:00 UTC): its 24 h moment was at 06:00 UTC today.
    await add_event(
        sim,
        **{
            "starts = 2027-03-09T10:00:00": "starts = 2027-03-02T08:00:00",
            "rsvp_deadline = 2027-03-05T18:00:00": "rsvp_deadline = 2027-03-01T18:00:00",
        },
    )
    await sim.tick()
    state = await rows(sim, event.id)
    assert state["reminder:1440m@20270302T060000Z"] == ("skipped", "planned-late")
    assert reminders(people["alice"]) == []
    await at(sim, "2027-03-02T05:00:00")
    assert people["alice"].last_text.startswith("⏰ Reminder: the event starts in 1 hour.")


async def test_cancelled_event_gets_no_reminders(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    await organiser.send("/editevent")
    await organiser.press("❌ Cancel the event")
    await organiser.press("Yes, cancel it and tell participants")
    await at(sim, REMINDER_24H)
    await at(sim, REMINDER_1H)
    assert reminders(people["alice"]) == []
    assert await sim.db.schedule.pending_scheduled_count() == 0


async def test_organiser_moves_the_event_in_chat(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    await organiser.send("/editevent")
    await organiser.press("Date and time")
    await organiser.send("2027-03-09 14:00-18:00")
    await organiser.press("💾 Save and tell participants")
    assert "time" in people["alice"].last_text.lower()  # the change notice
    await at(sim, REMINDER_24H)
    await at(sim, "2027-03-08T12:00:00")  # 24 h before 14:00 EET
    assert people["alice"].last_text.startswith("⏰ Reminder: the event starts in 24 hours.")
    await at(sim, REMINDER_1H)
    await at(sim, "2027-03-09T11:00:00")  # 1 h before 14:00 EET
    assert people["alice"].last_text.startswith("⏰ Reminder: the event starts in 1 hour.")
    assert "14:00–18:00" in people["alice"].last_text
    assert len(reminders(people["alice"])) == 2
