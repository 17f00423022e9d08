"""The organiser's side: create in chat, list, link and QR, answers, edit and notify."""

from __future__ import annotations

from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def test_newevent_guided_flow_with_validation_preview_and_save(
    sim: Simulation, organiser: SimUser
) -> None:
    await organiser.send("/newevent")
    assert organiser.last_text == "Title of the event?"
    await organiser.send("Jonavos rajono mokymai")
    assert "Which programme" in organiser.last_text
    assert organiser.buttons() == ["Skip ⏭", "Cancel ✖"]
    await organiser.send("Savivaldybių kompetencijų didinimas")

    await organiser.send("tomorrow at ten")
    assert "2027-03-09 10:00" in organiser.last_text  # the format is explained again
    await organiser.send("2027-03-16 10:00")
    await organiser.send("09:00")
    assert organiser.last_text == "The end must be after the start."
    await organiser.send("15:30")
    assert "Where?" in organiser.last_text
    await organiser.send("Žeimių g. 13, Jonava")
    assert "Hall or room" in organiser.last_text
    await organiser.send("Posėdžių salė, 3 aukštas")
    await organiser.send("many")
    assert "whole number from 1 to 10,000" in organiser.last_text
    await organiser.send("40")
    await organiser.press("Skip ⏭")  # no deadline
    await organiser.send("10:00 Įvadas — Eglė Samuchovaitė\nnot a line")
    assert "Line 2 of the agenda" in organiser.last_text
    await organiser.send("10:00 Įvadas — Eglė Samuchovaitė\n11:00 Praktika")
    await organiser.press("Skip ⏭")  # no description

    preview = organiser.last_text
    assert preview.startswith("Preview.")
    assert "Jonavos rajono mokymai" in preview
    assert "Žeimių g. 13, Jonava, Posėdžių salė, 3 aukštas" in preview
    assert "Tuesday, March 16, 2027, 10:00–15:30" in preview
    assert "40 of 40 places left" not in preview  # counts are not known before saving
    assert organiser.buttons() == ["💾 Save", "✖ Discard"]

    await organiser.press("💾 Save")
    saved = [t for t in organiser.texts() if "saved" in t]
    assert "Event #1 Jonavos rajono mokymai saved" in saved[-1]
    photo = organiser.last.photo
    assert photo.content.startswith(PNG_MAGIC)
    link_text = organiser.last_text
    event = await sim.db.events.get_event(1)
    assert event is not None
    assert f"https://t.me/{sim.emulator.bot_username}?start=e_{event.invite_code}" in link_text
    assert event.capacity == 40
    assert event.programme_title == "Savivaldybių kompetencijų didinimas"
    assert [a.title for a in event.agenda] == ["Įvadas", "Praktika"]
    assert await sim.db.people.get_pending_input(organiser.id) is None


async def test_newevent_can_be_cancelled_and_saves_nothing(
    sim: Simulation, organiser: SimUser
) -> None:
    await organiser.send("/newevent")
    await organiser.send("Something")
    await organiser.send("/cancel")
    assert organiser.last_text == "Cancelled. Nothing was saved."
    assert await sim.db.events.list_recent_events() == []
    await organiser.send("hello")
    assert "I work mostly with buttons" in organiser.last_text


async def test_online_event_in_chat(sim: Simulation, organiser: SimUser) -> None:
    await organiser.send("/newevent")
    for answer in ("Apskritojo stalo diskusija", "Projektas", "2027-03-20 14:00", "16:00",
                   "https://meet.example.org/abc"):  # fmt: skip
        await organiser.send(answer)
    assert "How many places" in organiser.last_text  # no hall step for an online event
    for _ in range(4):
        await organiser.press("Skip ⏭")
    assert "Online" in organiser.last_text
    await organiser.press("💾 Save")
    event = await sim.db.events.get_event(1)
    assert event.online_url == "https://meet.example.org/abc"
    assert event.address is None


async def test_events_list_link_and_rsvps_by_organisation(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    for i, org in enumerate(("Užimtumo tarnyba", "Užimtumo tarnyba", "Akmenės biblioteka")):
        person = sim.user(4000 + i, f"P{i}")
        await register(sim, person, event, name=f"Dalyvis Nr{i}", organisation=org)
        await person.press("✅ Yes" if i < 2 else "🤔 Maybe")

    await organiser.send("/events")
    listing = organiser.last_text
    assert f"#{event.id} Mokymai Akmenės rajonui" in listing
    assert "✅ 2 · 🤔 1 · ❌ 0 · ⏳ 0 · invited 3 · places 30" in listing
    assert organiser.buttons() == [f"#{event.id} 🔗 Link", "📋 Answers", "✏️ Edit"]

    await organiser.press(f"#{event.id} 🔗 Link")
    assert organiser.last.photo.content.startswith(PNG_MAGIC)
    assert f"start=e_{event.invite_code}" in organiser.last_text

    await organiser.press("📋 Answers")
    report = organiser.last_text
    assert "Akmenės biblioteka: 0 yes of 1" in report
    assert "Užimtumo tarnyba: 2 yes of 2" in report
    assert report.index("Akmenės biblioteka") < report.index("Užimtumo tarnyba")
    assert "✅ Dalyvis Nr0" in report


async def test_editing_time_tells_yes_and_maybe_but_not_no(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    people = {}
    for i, answer in enumerate(("✅ Yes", "🤔 Maybe", "❌ No")):
        person = sim.user(4100 + i, f"P{i}")
        await register(sim, person, event, name=f"Dalyvis Nr{i}")
        await person.press(answer)
        people[answer] = person
    before = {a: len(p.messages) for a, p in people.items()}

    await organiser.send(f"/editevent {event.id}")
    await organiser.press("Date and time")
    await organiser.send("2027-03-10 11:00-17:00")
    assert "Wednesday, March 10, 2027, 11:00–17:00" in organiser.last_text
    await organiser.press("💾 Save and tell participants")
    assert f"Event #{event.id} saved. 2 participants will be told" in organiser.last_text

    for answer in ("✅ Yes", "🤔 Maybe"):
        notice = people[answer].last_text
        assert len(people[answer].messages) == before[answer] + 1
        assert "Change to Mokymai Akmenės rajonui" in notice
        assert "New time: 📅 Wednesday, March 10, 2027, 11:00–17:00" in notice
        assert people[answer].buttons()[:3] == ["✅ Yes", "❌ No", "🤔 Maybe"]
    assert len(people["❌ No"].messages) == before["❌ No"]
    changed = await sim.db.events.get_event(event.id)
    assert changed.starts_at.isoformat() == "2027-03-10T09:00:00+00:00"


async def test_more_places_promote_the_waitlist(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 1"})
    first, second = sim.user(4200, "A"), sim.user(4201, "B")
    for person in (first, second):
        await register(sim, person, event, name=f"Person {person.id}")
        await person.press("✅ Yes")
    assert "On the waiting list" in second.last_text
    await organiser.send(f"/editevent {event.id}")
    await organiser.press("Places")
    await organiser.send("2")
    await organiser.press("💾 Save and tell participants")
    assert "A place has become free" in second.last_text
