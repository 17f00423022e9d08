"""Updates from one person are handled in order; different people still run side by side.

The attack is a phone flushing its offline queue: the name and the organisation arrive in
the same getUpdates batch. Handled side by side, both answers would read "no name yet" and
the organisation would land in the name.
"""

from __future__ import annotations

from typing import Any

from bot.app import PerUserUpdateProcessor
from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event


async def consent_given(sim: Simulation, user: SimUser, event: Event) -> None:
    tr = sim.services.translator
    await user.send(f"/start e_{event.invite_code}")
    await user.press(tr.text("en", "btn-consent"))
    assert "What is your name" in user.last_text


def queue_together(sim: Simulation, user: SimUser, *texts: str) -> list[int]:
    """Messages queued at the emulator with no chance for the bot to poll in between."""
    return [sim.emulator._user_text(user.tg, user.id, text) for text in texts]


def batch_of(sim: Simulation, update_ids: list[int]) -> list[int]:
    """The update ids of the one getUpdates answer that carried the first of ``update_ids``."""
    for call in sim.emulator.calls_to("getUpdates"):
        result: list[dict[str, Any]] = (call.response or {}).get("result") or []
        ids = [u["update_id"] for u in result]
        if update_ids[0] in ids:
            return ids
    return []


async def test_name_and_organisation_in_one_batch_land_in_their_fields(sim: Simulation) -> None:
    event = await add_event(sim)
    people = [sim.user(5000 + n, f"P{n}") for n in range(4)]
    for user in people:
        await consent_given(sim, user, event)
    sent: list[int] = []
    for n, user in enumerate(people):  # everyone's two answers at once, interleaved
        sent += queue_together(sim, user, f"Vardenis Pavardenis {n}", f"Įstaiga Nr. {n}")
    for update_id in sent:
        await sim.settle(update_id)
    assert set(sent) <= set(batch_of(sim, sent))  # really one batch
    for n, user in enumerate(people):
        person = await sim.db.people.get_participant_by_telegram(user.id)
        assert (person.name, person.organisation) == (
            f"Vardenis Pavardenis {n}",
            f"Įstaiga Nr. {n}",
        )
        assert any("You are registered" in t or "Thank you" in t for t in user.texts())
    assert sim.app is not None
    processor = sim.app.update_processor
    assert isinstance(processor, PerUserUpdateProcessor)
    assert processor.people_in_hand == 0  # nothing left behind


async def test_other_people_are_not_held_up_by_one_persons_queue() -> None:
    """One person's turn is taken before a running place, so their queue waits in line
    without taking the places of others (unit level: no real timing)."""
    import asyncio

    from telegram import Chat, Message, Update, User

    processor = PerUserUpdateProcessor(limit=2)

    def update(update_id: int, user_id: int) -> Update:
        user = User(user_id, "U", is_bot=False)
        chat = Chat(user_id, "private")
        return Update(update_id, message=Message(update_id, None, chat, from_user=user))  # type: ignore[arg-type]

    order: list[tuple[int, str]] = []
    gate = asyncio.Event()

    async def handle(update_id: int, wait: bool) -> None:
        order.append((update_id, "start"))
        if wait:
            await gate.wait()
        order.append((update_id, "end"))

    busy = [
        asyncio.create_task(processor.process_update(update(n, 1), handle(n, wait=True)))
        for n in range(1, 6)
    ]
    other = asyncio.create_task(processor.process_update(update(9, 2), handle(9, wait=False)))
    await asyncio.wait_for(other, timeout=5)  # done while person 1's first update still runs
    assert order[:3] == [(1, "start"), (9, "start"), (9, "end")]
    assert processor.people_in_hand == 1
    gate.set()
    await asyncio.gather(*busy)
    firsts = [n for n, what in order if what == "start" and n != 9]
    assert firsts == [1, 2, 3, 4, 5]  # person 1's updates in order
    assert processor.people_in_hand == 0
