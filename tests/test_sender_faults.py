"""The sender under faults: 429, 5xx, time-outs, lost answers, 403, restart and crash.

The fault tests pace on virtual time shared with the emulator (bot.pacing.VirtualTime):
backoffs and 429 pauses take no real time and their timing does not depend on the load of
the machine. Restart and crash tests need a campaign that is still running when they
interrupt it, so they keep real time (``slow``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.broadcast import CampaignKind
from bot.clock import FakeClock
from bot.emulator import Emulator
from bot.pacing import VirtualTime
from bot.sim import Simulation
from tests.conftest import ORGANISER_ID, add_event
from tests.dbcheck import count_rows
from tests.test_broadcast_e2e import (
    begin,
    cards,
    last_campaign,
    outbox,
    people,
    queue_direct,
    slow,
    start_campaign,
    until_sent,
)

__all__ = ["slow"]  # fixtures


@pytest.fixture
async def fast(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    """200 messages/s against an emulator enforcing 210/s (and 1/s per chat on average),
    both on one virtual clock."""
    time = VirtualTime()
    emulator = Emulator(
        global_limit_per_s=210, per_chat_limit_per_s=1, per_chat_burst=20, clock=time.now
    )
    settings = {
        "broadcast": {
            "rate_per_second": 200,
            "progress_interval_s": 0.5,
            "send_timeout_s": 0.5,
            "max_attempts": 4,
        }
    }
    async with Simulation(
        tmp_path / "fast.sqlite3", clock=clock, organisers=(ORGANISER_ID,), emulator=emulator,
        settings=settings, monotonic=time,
    ) as running:  # fmt: skip
        yield running


async def test_429_pauses_all_sending_and_nothing_is_lost(fast: Simulation) -> None:
    sim = fast
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 30)
    sim.emulator.reset_records()
    sim.emulator.fail_next(method="sendMessage", chat_id=guests[5].id, status=429, retry_after=1)
    await start_campaign(organiser, event, "👥 Everyone invited", "📨 The invitation")
    assert [cards(g) for g in guests] == [1] * 30
    calls = sim.emulator.calls_to("sendMessage")
    limited = [i for i, c in enumerate(calls) if c.status == 429]
    assert len(limited) == 1
    assert sim.emulator.stats["http_429"] == 1
    assert sim.app.sender.http_429 == 1
    # Everything paused: only sends already on their way when the 429 came back arrive
    # within the second after it.
    t429 = calls[limited[0]].time
    assert len([c for c in calls if 0 < c.time - t429 < 0.9]) <= 2
    assert calls[-1].time - t429 >= 1.0
    assert await outbox(sim, await last_campaign(sim)) == {"sent": 30}


async def test_5xx_are_retried_with_backoff(fast: Simulation) -> None:
    sim = fast
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 10)
    sim.emulator.fail_next(method="sendMessage", chat_id=guests[2].id, status=502, count=2)
    sim.emulator.fail_next(method="sendMessage", chat_id=guests[7].id, status=500)
    await start_campaign(organiser, event, "👥 Everyone invited", "📨 The invitation")
    assert [cards(g) for g in guests] == [1] * 10
    campaign = await last_campaign(sim)
    assert await outbox(sim, campaign) == {"sent": 10}
    attempts = await sim.db.database.fetch_all(
        "SELECT attempts FROM outbox WHERE campaign_id = ? ORDER BY id", (campaign,)
    )
    assert sorted(r[0] for r in attempts)[-1] >= 2
    progress = await sim.db.campaigns.campaign_progress(campaign)
    assert progress.possible_duplicates == 0  # a 5xx is an answer: nothing was delivered


async def test_timeouts_and_lost_answers_are_retried_and_counted(fast: Simulation) -> None:
    sim = fast
    event = await add_event(sim)
    guests = await people(sim, event, 8)
    # Telegram delivers, but the answer never arrives: the retry is a real duplicate.
    sim.emulator.drop_connection_next(method="sendMessage", after_processing=True)
    campaign = await queue_direct(sim, event, CampaignKind.INVITATION)
    assert sorted(cards(g) for g in guests) == [1] * 7 + [2]
    assert await outbox(sim, campaign) == {"sent": 8}
    assert (await sim.db.campaigns.campaign_progress(campaign)).possible_duplicates == 1

    # A slow answer (past send_timeout_s) is the same case.
    sim.emulator.delay(1.0, method="sendMessage", count=1)
    campaign = await queue_direct(sim, event, CampaignKind.REMINDER)
    assert sorted(cards(g, "Reminder:") for g in guests) == [1] * 7 + [2]
    assert (await sim.db.campaigns.campaign_progress(campaign)).possible_duplicates == 1
    assert await outbox(sim, campaign) == {"sent": 8}


async def test_403_and_chat_not_found_mid_campaign(fast: Simulation) -> None:
    sim = fast
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 12)
    blocked, gone, lost, shy = guests[3], guests[6], guests[9], guests[10]
    sim.emulator.set_deactivated(gone.id)
    sim.emulator.fail_next(
        chat_id=blocked.id, status=403, description="Forbidden: bot was blocked by the user"
    )
    sim.emulator.fail_next(chat_id=lost.id, status=400, description="Bad Request: chat not found")
    # Sometimes transient: tried once more, and delivered.
    sim.emulator.fail_next(
        chat_id=shy.id, status=403, description="Forbidden: bot can't send messages to the user"
    )
    await start_campaign(organiser, event, "👥 Everyone invited", "📨 The invitation")
    campaign = await last_campaign(sim)
    assert await outbox(sim, campaign) == {"sent": 9, "unreachable": 3}
    assert cards(shy) == 1
    for user in (blocked, gone, lost):
        person = await sim.db.people.get_participant_by_telegram(user.id)
        assert person.unreachable_at is not None
    assert "Unreachable (blocked the bot or deleted the account): 3" in organiser.last_text
    # The next campaign skips them without asking Telegram.
    await organiser.send(f"/broadcast {event.id}")
    assert "👥 Everyone invited (9)" in organiser.buttons()


async def test_restart_mid_campaign_resumes_without_duplicates(slow: Simulation) -> None:
    sim = slow
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 24)
    await begin(sim, organiser, event)
    campaign = await until_sent(sim, 6)
    await sim.restart()  # a clean stop: sends in flight finish, claimed rows go back
    await sim.settle()
    assert await outbox(sim, campaign) == {"sent": 24}
    assert [cards(g) for g in guests] == [1] * 24
    assert (await sim.db.campaigns.campaign_progress(campaign)).possible_duplicates == 0
    assert f"Campaign #{campaign} is finished" in organiser.last_text


async def test_crash_mid_campaign_loses_nothing_and_records_the_duplicate_bound(
    slow: Simulation,
) -> None:
    sim = slow
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 24)
    await begin(sim, organiser, event)
    campaign = await until_sent(sim, 6)
    # A crash: the sender dies mid-flight, nothing is released or recorded any more.
    assert sim.app is not None
    assert sim.app.sender is not None
    sender, sim.app.sender = sim.app.sender, None
    in_flight = await count_rows(
        sim.db, "outbox", "campaign_id = ? AND status = 'sending'", (campaign,)
    )
    for task in [sender._task, sender._report_task, *sender._in_flight]:
        assert task is not None
        task.cancel()
    await asyncio.sleep(0.05)
    await sim.restart()
    await sim.settle()
    assert await outbox(sim, campaign) == {"sent": 24}
    counts = [cards(g) for g in guests]
    assert min(counts) == 1  # nothing lost
    duplicates = sum(counts) - 24
    recorded = (await sim.db.campaigns.campaign_progress(campaign)).possible_duplicates
    assert duplicates <= recorded <= in_flight + 1
    assert recorded <= 4  # claimed only ~0.1 s of sending ahead
