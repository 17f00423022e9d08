"""Network faults between the bot and Telegram: polling, replies, a whole outage.

The sender's own retries (429, 5xx, lost answers per message) are covered in
tests/test_sender_faults.py; here the rest of the bot: getUpdates failing, timing out or
losing its answer must neither lose nor repeat an update; a failed reply must not undo
or repeat what the person did; after an outage of the whole API the bot catches up on
its own, with duplicates bounded by the answers that were lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.messages import OutgoingMessage
from bot.models import OutboxItem, RsvpStatus
from bot.sim import Simulation
from tests.conftest import add_event, register
from tests.dbcheck import rsvp_history


class Bugs(logging.Handler):
    """Exceptions other than Telegram API errors (on_error logs those with a traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("bot") and record.exc_info is not None:
            self.records.append(record.getMessage())


@pytest.fixture
def bugs() -> Iterator[Bugs]:
    handler = Bugs()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def count_updates(sim: Simulation) -> Counter[int]:
    """How many times each update reached the handlers."""
    seen: Counter[int] = Counter()

    async def record(update: Update, context: Any) -> None:
        seen[update.update_id] += 1

    assert sim.app is not None
    sim.app.add_handler(TypeHandler(Update, record), group=-100)
    return seen


async def wait_all(sim: Simulation, update_ids: list[int], timeout: float = 30) -> None:
    assert sim.app is not None
    for update_id in update_ids:
        await sim.wait_processed(update_id, timeout=timeout)
    await sim.settle()


async def until_sent(sim: Simulation) -> None:
    """Until nothing is left to send (retries back off in real time)."""
    async with asyncio.timeout(40):
        while await sim.db.outbox.outbox_pending_count():
            await sim.settle()


async def test_polling_survives_5xx_drops_and_lost_answers(sim: Simulation, bugs: Bugs) -> None:
    """Updates waiting while getUpdates fails three ways are each handled exactly once."""
    event = await add_event(sim)
    seen = count_updates(sim)
    assert sim.app is not None
    assert sim.app.updater is not None
    await sim.app.updater.stop()  # queue updates while the bot is not polling
    users = [sim.user(3000 + i, f"U{i}") for i in range(5)]
    ids = [await u.tg.send(f"/start e_{event.invite_code}") for u in users]
    emulator = sim.emulator
    emulator.fail_next(method="getUpdates", status=502)
    emulator.drop_connection_next(method="getUpdates")
    emulator.drop_connection_next(method="getUpdates", after_processing=True)  # answer lost
    await sim.app.updater.start_polling(poll_interval=0.0, timeout=1)

    await wait_all(sim, ids)

    assert [seen[i] for i in ids] == [1] * 5
    assert emulator.stats["http_502"] == 1
    assert emulator.stats["dropped_connections"] == 2
    for user in users:
        assert user.buttons() == ["✅ I agree"]
    assert bugs.records == []


async def test_polling_survives_an_answer_slower_than_the_timeout(
    sim: Simulation, bugs: Bugs
) -> None:
    event = await add_event(sim)
    seen = count_updates(sim)
    assert sim.app is not None
    assert sim.app.updater is not None
    await sim.app.updater.stop()
    alice = sim.user(3001, "Alice")
    update_id = await alice.tg.send(f"/start e_{event.invite_code}")
    sim.emulator.delay(12.0, method="getUpdates", count=1)  # past PTB's read timeout
    await sim.app.updater.start_polling(poll_interval=0.0, timeout=1)
    await wait_all(sim, [update_id], timeout=40)
    assert seen[update_id] == 1
    assert alice.buttons() == ["✅ I agree"]
    assert bugs.records == []


async def test_failed_replies_neither_undo_nor_repeat_an_answer(
    sim: Simulation, bugs: Bugs
) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert participant is not None
    card = alice.last.message_id
    emulator = sim.emulator

    emulator.fail_next(method="answerCallbackQuery", status=500)
    await alice.press("✅ Yes", message_id=card)
    assert await sim.db.rsvps.get_rsvp(event.id, participant.id) is RsvpStatus.YES

    emulator.fail_next(method="editMessageText", status=502)
    await alice.press("🤔 Maybe", message_id=card)
    assert await sim.db.rsvps.get_rsvp(event.id, participant.id) is RsvpStatus.MAYBE

    emulator.drop_connection_next(method="editMessageText", after_processing=True)
    await alice.press("❌ No", message_id=card)
    assert (
        "Your answer: ❌ I will not come" in alice.last_text
    )  # the edit happened; its answer was lost

    emulator.fail_next(method="sendMessage", status=503)
    await alice.send("/my")  # the list is lost; the apology gets through
    assert "something went wrong" in alice.last_text
    await alice.send("/my")
    assert "Mokymai Akmenės rajonui" in alice.last_text

    history = await rsvp_history(sim.db, participant.id)
    assert history == ["yes", "maybe", "no"]  # each press counted once
    assert bugs.records == []


async def test_bot_catches_up_after_the_api_is_unreachable(sim: Simulation, bugs: Bugs) -> None:
    """Telegram unreachable for a while (connections refused): updates sent meanwhile are
    handled afterwards and queued messages delivered, with no duplicates."""
    event = await add_event(sim)
    people = [sim.user(3100 + i, f"P{i}") for i in range(6)]
    for person in people:
        await register(sim, person, event, name=f"Person Nr{person.id}")
    storage, emulator = sim.db, sim.emulator
    port = emulator.port
    seen = count_updates(sim)
    before = {p.id: len(emulator.calls_to("sendMessage", p.id)) for p in people}

    await emulator.stop()  # the API is gone: polling and sending both fail
    now = sim.clock.now()
    items = []
    for person in people:
        participant = await storage.people.get_participant_by_telegram(person.id)
        assert participant is not None
        text = OutgoingMessage(f"Notice for {person.id}").to_json()
        items.append(OutboxItem(person.id, text, participant.id))
    await storage.outbox.enqueue(items, campaign_id=None, not_before=now, now=now)
    sim.services.wake_sender()
    ids = [await p.tg.send("/my") for p in people[:3]]  # waiting in "Telegram"
    await asyncio.sleep(1.5)
    await emulator.start(port=port)

    await wait_all(sim, ids, timeout=40)
    await until_sent(sim)

    assert [seen[i] for i in ids] == [1, 1, 1]
    for person in people:
        sent = [
            c
            for c in emulator.calls_to("sendMessage", person.id)[before[person.id] :]
            if c.ok and "Notice for" in str(c.params.get("text"))
        ]
        assert len(sent) == 1, person.id
    statuses = await storage.database.fetch_all(
        "SELECT status, COUNT(*) FROM outbox GROUP BY status"
    )
    assert dict((r[0], r[1]) for r in statuses).get("failed") is None
    assert bugs.records == []


async def test_lost_answers_bound_the_duplicates(sim: Simulation, bugs: Bugs) -> None:
    """A send whose answer is lost may arrive twice: never more often than answers lost."""
    event = await add_event(sim)
    people = [sim.user(3200 + i, f"Q{i}") for i in range(8)]
    for person in people:
        await register(sim, person, event, name=f"Person Nr{person.id}")
    storage, emulator = sim.db, sim.emulator
    emulator.drop_connection_next(method="sendMessage", after_processing=True, count=2)
    emulator.fail_next(method="sendMessage", status=502, count=2)
    now = sim.clock.now()
    items = []
    for person in people:
        participant = await storage.people.get_participant_by_telegram(person.id)
        assert participant is not None
        items.append(OutboxItem(person.id, OutgoingMessage("Reminder").to_json(), participant.id))
    await storage.outbox.enqueue(items, campaign_id=None, not_before=now, now=now)
    sim.services.wake_sender()
    await until_sent(sim)
    delivered = [sum(m.text == "Reminder" for m in p.messages) for p in people]
    assert all(n >= 1 for n in delivered)
    assert sum(delivered) - len(people) <= emulator.stats["dropped_connections"] == 2
    assert bugs.records == []
