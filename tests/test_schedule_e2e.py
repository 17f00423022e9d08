"""/schedule: what the organiser sees and how reminder times are changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.schedule import SchAction, SchedulePress
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register


async def pending_keys(sim: Simulation, event_id: int) -> list[str]:
    found = await sim.db.database.fetch_all(
        "SELECT key FROM scheduled_items WHERE event_id = ? AND state = 'pending' ORDER BY key",
        (event_id,),
    )
    return [r[0].split(":", 1)[1] for r in found]


async def test_schedule_shows_every_moment_in_local_time(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    await organiser.send("/schedule")  # the only upcoming event is shown directly
    text = organiser.last_text
    assert text.startswith(f"🗓 Schedule of #{event.id} Mokymai Akmenės rajonui")
    assert "Times below are in Vilnius time." in text
    assert "Reminders to those who said yes or maybe: 24 h + 1 h before the start (default)." in (
        text
    )
    lines = text.splitlines()
    expected = [
        "⏳ 2027-03-04 18:00 · reminder to those who have not answered",
        "⏳ 2027-03-08 10:00 · reminder 24 h before the start",
        "⏳ 2027-03-09 09:00 · reminder 1 h before the start",
        "⏳ 2027-03-09 16:00 · questionnaire goes out",
        "⏳ 2027-03-11 16:00 · questionnaire reminder",
        "⏳ 2027-03-23 16:00 · questionnaire closes",
    ]
    assert lines[-6:] == expected
    assert organiser.buttons() == ["⏰ Change reminder times"]

    # After the 24 h reminder went out to one person, the screen says so.
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    sim.clock.set(datetime(2027, 3, 8, 8, 0, tzinfo=UTC))
    await sim.tick()
    await organiser.send(f"/schedule {event.id}")
    assert "✅ 2027-03-08 10:00 · reminder 24 h before the start — queued for 1 person" in (
        organiser.last_text
    )
    # The clock jumped over the deadline nudge without a pass in between: a break.
    assert "➖ 2027-03-04 18:00 · reminder to those who have not answered — skipped: too late " in (
        organiser.last_text
    )


async def test_change_offsets_with_a_preset_button(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await sim.tick()
    await organiser.send(f"/schedule {event.id}")
    await organiser.press("⏰ Change reminder times")
    assert "When should those who said yes or maybe" in organiser.last_text
    assert organiser.buttons() == [
        "24 h + 1 h", "48 h + 2 h", "72 h + 24 h + 1 h", "24 h", "2 h", "no reminders",
        "Default: 24 h + 1 h", "✏️ Other times",
    ]  # fmt: skip
    await organiser.press("48 h + 2 h")
    assert "48 h + 2 h before the start (set for this event)" in organiser.last_text
    assert "2027-03-07 10:00 · reminder 48 h before the start" in organiser.last_text
    await sim.tick()
    assert await pending_keys(sim, event.id) == [
        "deadline@20270305T160000Z",
        "reminder:120m@20270309T080000Z",
        "reminder:2880m@20270309T080000Z",
        "survey-close",
        "survey-open",
        "survey-remind",
    ]
    # Back to the default; then none at all.
    await organiser.press("⏰ Change reminder times")
    await organiser.press("Default: 24 h + 1 h")
    assert "24 h + 1 h before the start (default)" in organiser.last_text
    await organiser.press("⏰ Change reminder times")
    await organiser.press("no reminders")
    assert "no reminders before the start (set for this event)" in organiser.last_text
    await sim.tick()
    assert not [k for k in await pending_keys(sim, event.id) if k.startswith("reminder")]


async def test_change_offsets_by_typing(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await organiser.send(f"/schedule {event.id}")
    await organiser.press("⏰ Change reminder times")
    await organiser.press("✏️ Other times")
    assert "how many hours before the start" in organiser.last_text
    await organiser.send("tomorrow please")
    assert organiser.last_text.startswith("Please write hours before the start")
    await organiser.send("3, 0.5")
    assert "Reminder times saved." in organiser.texts()[-2]
    assert "3 h + 30 min before the start (set for this event)" in organiser.last_text
    assert "2027-03-09 09:30 · reminder 30 min before the start" in organiser.last_text
    # The flow is over: more text is not taken as hours.
    assert await sim.db.people.get_pending_input(organiser.id) is None


async def test_schedule_picker_and_unknown_event(sim: Simulation, organiser: SimUser) -> None:
    await organiser.send("/schedule")
    assert organiser.last_text == "There are no upcoming events. Create one with /newevent."
    first = await add_event(sim)
    second = await add_event(sim, **{'slug = "akmene-2027-03"': 'slug = "akmene-2027-04"'})
    await organiser.send("/schedule")
    assert organiser.last_text == "Whose schedule do you want to see?"
    assert len(organiser.buttons()) == 2
    await organiser.press(organiser.buttons()[1])
    assert f"Schedule of #{second.id}" in organiser.last_text
    await organiser.send("/schedule 999")
    assert organiser.last_text == "There is no such event (it may have been cancelled)."
    assert first.id != second.id


async def test_a_cancelled_event_shows_what_was_done(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await sim.db.database.execute(
        "UPDATE events SET status = 'cancelled' WHERE id = ?", (event.id,)
    )
    await organiser.send(f"/schedule {event.id}")
    assert "The event is cancelled: no more reminders are sent." in organiser.last_text
    assert "⏳" not in organiser.last_text
    assert organiser.buttons() == []


async def test_participants_cannot_use_schedule(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.send(f"/schedule {event.id}")
    assert alice.last_text == "This is for organisers only."
    await alice.press_data(SchedulePress(SchAction.PRESET, event.id, "none").pack())
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    assert any(a.get("text") == "This is for organisers only." for a in alerts)
    found = await sim.db.database.fetch_all("SELECT COUNT(*) FROM event_reminder_offsets")
    assert found[0][0] == 0


async def test_forged_and_stale_schedule_buttons(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await organiser.send(f"/schedule {event.id}")
    for data in (
        f"v1:sch:set:{event.id}:bogus",
        f"v1:sch:nope:{event.id}:-",
        "v1:sch:set:abc:24-1",
        f"v1:sch:set:{event.id}",
        "v1:sch:set:999999:24-1",
    ):
        await organiser.press_data(data)
    texts = [str(a.get("text")) for a in sim.emulator.answered_callbacks.values()]
    assert texts.count("This button is no longer valid. Send /my to see your events.") >= 3
    assert "There is no such event (it may have been cancelled)." in texts
    found = await sim.db.database.fetch_all("SELECT COUNT(*) FROM event_reminder_offsets")
    assert found[0][0] == 0
    # The bot still works.
    await organiser.send(f"/schedule {event.id}")
    assert "Schedule of" in organiser.last_text


async def test_lithuanian_organiser_sees_lithuanian(sim: Simulation) -> None:
    rasa = sim.user(1000, "Rasa", language="lt")
    event = await add_event(sim)
    await rasa.send(f"/schedule {event.id}")
    assert "tvarkaraštis" in rasa.last_text
    assert "priminimas 24 val. iki pradžios" in rasa.last_text
    assert rasa.buttons() == ["⏰ Keisti priminimų laiką"]
    assert sim.clock.now() < event.starts_at - timedelta(days=1)
