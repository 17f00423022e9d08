"""Waitlist offers end to end: timed offers, lapses, declines, leaving, simultaneous presses."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register


async def statuses(sim: Simulation, event_id: int) -> dict[str, str]:
    rows = await sim.db.database.fetch_all(
        "SELECT p.name, r.status FROM rsvps r JOIN participants p ON p.id = r.participant_id "
        "WHERE r.event_id = ?",
        (event_id,),
    )
    return {r[0]: r[1] for r in rows}


async def offers(sim: Simulation, event_id: int) -> list[tuple[str, str]]:
    rows = await sim.db.database.fetch_all(
        "SELECT p.name, o.state FROM waitlist_offers o "
        "JOIN participants p ON p.id = o.participant_id WHERE o.event_id = ? ORDER BY o.id",
        (event_id,),
    )
    return [(r[0], r[1]) for r in rows]


async def set_offer_window(sim: Simulation, organiser: SimUser, event: Event, label: str) -> None:
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("⚙️ Settings")
    assert "Waiting list: a freed place goes to the next person at once." in organiser.last_text
    await organiser.press(label)
    assert "offered to the next person, who has" in organiser.last_text


async def people_on_full_event(
    sim: Simulation, organiser: SimUser, capacity: int, count: int
) -> tuple[Event, list[SimUser]]:
    event = await add_event(sim, **{"capacity = 30": f"capacity = {capacity}"})
    await set_offer_window(sim, organiser, event, "Offer 24 h")
    users = []
    for i in range(count):
        user = sim.user(4000 + i, f"P{i}")
        await register(sim, user, event, name=f"Person {i}")
        await user.press("✅ Yes")
        users.append(user)
    return event, users


async def test_a_timed_offer_lapses_to_the_next_person(sim: Simulation, organiser: SimUser) -> None:
    event, (ana, ben, cai) = await people_on_full_event(sim, organiser, 1, 3)
    assert await statuses(sim, event.id) == {
        "Person 0": "yes", "Person 1": "waitlist", "Person 2": "waitlist",
    }  # fmt: skip
    assert ben.buttons()[-1] == "🚪 Leave the waiting list"

    await ana.press("❌ No")  # a place frees up: offered to Ben, held for 24 hours
    offer = ben.last_text
    assert "A place has become free at Mokymai Akmenės rajonui: trečiųjų" in offer
    assert "integracija (2027-03-09 10:00)" in offer
    assert "It is held for you until 2027-03-02 09:00" in offer
    assert "Please confirm within 24 hours" in offer
    assert ben.buttons() == ["✅ Confirm my place", "❌ I cannot come", "📅 Show the event"]
    assert await statuses(sim, event.id) == {
        "Person 0": "no", "Person 1": "waitlist", "Person 2": "waitlist",
    }  # fmt: skip
    assert await offers(sim, event.id) == [("Person 1", "open")]

    # The held place is not free for anyone else meanwhile.
    dan = sim.user(4010, "Dan")
    await register(sim, dan, event, name="Dan Newcomer")
    await dan.press("✅ Yes")
    assert "Your answer: ⏳ On the waiting list" in dan.last_text

    # A pass before the deadline changes nothing.
    sim.clock.advance(timedelta(hours=23))
    await sim.tick()
    assert await offers(sim, event.id) == [("Person 1", "open")]

    sim.clock.advance(timedelta(hours=1, minutes=1))
    await sim.tick()
    assert "was not confirmed in time and has gone to the next person" in ben.last_text
    assert "Please confirm within 24 hours" in cai.last_text
    assert await offers(sim, event.id) == [("Person 1", "expired"), ("Person 2", "open")]
    assert (await statuses(sim, event.id))["Person 1"] == "no"
    history = await sim.db.database.fetch_all(
        "SELECT reason FROM rsvp_history h JOIN participants p ON p.id = h.participant_id "
        "WHERE p.name = 'Person 1' ORDER BY h.id DESC LIMIT 1"
    )
    assert history[0][0] == "offer-lapsed"

    # Ben's old buttons no longer work.
    await ben.press("✅ Confirm my place", message_id=ben.messages[-2].message_id)
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    assert alerts[-1]["text"] == "This offer is no longer open."

    await cai.press("✅ Confirm my place")
    assert "Your place is confirmed" in cai.last_text
    assert "Your answer: ✅ I will come" in cai.last_text
    assert await statuses(sim, event.id) == {
        "Person 0": "no", "Person 1": "no", "Person 2": "yes", "Dan Newcomer": "waitlist",
    }  # fmt: skip
    await sim.tick()  # nothing left to offer: the event is full
    assert await offers(sim, event.id) == [("Person 1", "expired"), ("Person 2", "accepted")]


async def test_a_declined_offer_moves_on_at_once(sim: Simulation, organiser: SimUser) -> None:
    event, (ana, ben, cai) = await people_on_full_event(sim, organiser, 1, 3)
    await ana.press("❌ No")
    await ben.press("❌ I cannot come")
    assert "The place goes to the next person on the waiting list." in ben.last_text
    assert "A place has become free" in cai.last_text
    assert await offers(sim, event.id) == [("Person 1", "declined"), ("Person 2", "open")]
    # "Yes" on the event card accepts the offer too.
    await cai.press("📅 Show the event")
    await cai.press("✅ Yes")
    assert "Your answer: ✅ I will come" in cai.last_text
    assert await statuses(sim, event.id) == {
        "Person 0": "no", "Person 1": "no", "Person 2": "yes",
    }  # fmt: skip


async def test_anyone_can_leave_the_waitlist(sim: Simulation, organiser: SimUser) -> None:
    event, (ana, ben, cai) = await people_on_full_event(sim, organiser, 1, 3)
    await cai.press("🚪 Leave the waiting list")
    assert "Your answer: ❌ I will not come" in cai.last_text
    await ana.press("❌ No")
    assert await offers(sim, event.id) == [("Person 1", "open")]
    # Leaving while holding an offer passes it on (here: nobody left, so the place is free).
    await ben.press("🚪 Leave the waiting list", message_id=ben.messages[-2].message_id)
    assert await offers(sim, event.id) == [("Person 1", "withdrawn")]
    assert await statuses(sim, event.id) == {
        "Person 0": "no", "Person 1": "no", "Person 2": "no",
    }  # fmt: skip


async def test_without_an_offer_window_the_place_goes_at_once(sim: Simulation) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 1"})
    ana, ben = sim.user(4000, "Ana"), sim.user(4001, "Ben")
    await register(sim, ana, event, name="Person 0")
    await ana.press("✅ Yes")
    await register(sim, ben, event, name="Person 1")
    await ben.press("✅ Yes")
    await ana.press("❌ No")
    assert "A place has become free: you are now registered" in ben.last_text
    assert await offers(sim, event.id) == []


async def test_simultaneous_presses_never_exceed_capacity(
    sim: Simulation, organiser: SimUser
) -> None:
    capacity = 4
    event = await add_event(sim, **{"capacity = 30": f"capacity = {capacity}"})
    await set_offer_window(sim, organiser, event, "Offer 2 h")
    users = []
    for i in range(16):
        user = sim.user(5000 + i, f"U{i}")
        await register(sim, user, event, name=f"User {i:02d}")
        users.append(user)

    async def yes_count() -> int:
        rows = await sim.db.database.fetch_all(
            "SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'yes'", (event.id,)
        )
        return int(rows[0][0])

    await asyncio.gather(*(u.press("✅ Yes") for u in users))
    assert await yes_count() == capacity
    assert sorted((await statuses(sim, event.id)).values()).count("waitlist") == 12

    # Two people leave at once: two offers; meanwhile everyone else hammers "Yes" and the
    # offered ones confirm (some twice): never more than the capacity.
    going = [u for u in users if "I will come" in u.last_text][:2]
    await asyncio.gather(*(u.press("❌ No") for u in going))
    offered = [u for u in users if "A place has become free" in u.last_text]
    assert len(offered) == 2
    waiting = [u for u in users if u not in going and u not in offered]
    presses = [u.press("✅ Confirm my place") for u in offered for _ in range(2)]
    presses += [u.press_data(f"v1:r:{event.id}:y") for u in waiting]
    await asyncio.gather(*presses)
    assert await yes_count() == capacity
    states = [s for _, s in await offers(sim, event.id)]
    assert states == ["accepted", "accepted"]
