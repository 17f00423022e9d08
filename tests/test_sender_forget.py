"""/forget (and a stopped campaign) also stop a message that is in the sender's retries.

The sender reads the row again before every attempt. These tests hold the sender's virtual
time still while a delivery waits in its backoff, act, then let time run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import broadcast as service
from bot.broadcast import CampaignKind, Segment, SegmentKind
from bot.clock import FakeClock
from bot.emulator import Emulator
from bot.models import Event
from bot.pacing import VirtualTime
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID, add_event, register

MARKER = "📨 <b>You are invited"  # the request carries HTML


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime(autojump=False)  # time moves only when the test says so


@pytest.fixture
async def held(tmp_path: Path, clock: FakeClock, time: VirtualTime) -> AsyncIterator[Simulation]:
    emulator = Emulator(clock=time.now)
    settings = {"broadcast": {"max_attempts": 6, "send_timeout_s": 0.5}}
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), emulator=emulator,
        settings=settings, monotonic=time,
    ) as sim:  # fmt: skip
        yield sim


async def invite_in_retries(
    sim: Simulation, time: VirtualTime, event: Event, guest: SimUser, fault: str
) -> int:
    """Queue the invitation to the event's invitees; the guest's first attempt fails
    (``fault``) and their delivery waits in its backoff. Returns the campaign id."""
    if fault == "5xx":
        sim.emulator.fail_next(method="sendMessage", chat_id=guest.id, status=502)
    else:  # answered after the client gave up: delivered, but the sender cannot know
        sim.emulator.delay(1.0, method="sendMessage", count=1)
    queued = await service.queue_campaign(
        sim.services, kind=CampaignKind.INVITATION, segment=Segment(SegmentKind.INVITEES, event.id),
        event=event, body=None, created_by=None,
    )  # fmt: skip
    await service.activate(sim.services, queued.campaign_id)
    async with asyncio.timeout(10):
        while True:
            if invitations(sim, guest) and time.sleeping:
                return queued.campaign_id
            await asyncio.sleep(0.01)  # real time passes, virtual time does not


async def let_time_run(sim: Simulation, time: VirtualTime) -> None:
    time.autojump = True
    time.advance(60.0)  # past any backoff
    await sim.settle()


def invitations(sim: Simulation, user: SimUser) -> list[int]:
    """Status of every request that tried to bring the invitation to ``user``."""
    return [
        c.status
        for c in sim.emulator.calls_to("sendMessage", user.id)
        if MARKER in str(c.params.get("text", ""))
    ]


async def row_of(sim: Simulation, campaign: int) -> tuple[str, int, str | None]:
    row = await sim.db.database.fetch_one(
        "SELECT status, on_hold, error FROM outbox WHERE campaign_id = ?", (campaign,)
    )
    assert row is not None
    return row[0], row[1], row[2]


@pytest.mark.parametrize("fault", ["5xx", "timeout"])
async def test_forget_during_retries_stops_the_message(
    held: Simulation, time: VirtualTime, fault: str
) -> None:
    sim = held
    event = await add_event(sim)
    guest = sim.user(5001, "Guest")
    await register(sim, guest, event)
    campaign = await invite_in_retries(sim, time, event, guest, fault)
    tries_before = invitations(sim, guest)
    assert len(tries_before) == 1

    # The person deletes their data while the sender waits to try again.
    assert sim.app is not None
    await sim.wait_processed(await guest.tg.send("/forget"))
    await sim.wait_processed(await guest.tg.press("🗑 Yes, delete my data"))
    assert "deleted" in guest.last_text
    received = len(guest.messages)

    await let_time_run(sim, time)
    assert invitations(sim, guest) == tries_before  # not one more attempt
    assert len(guest.messages) == received  # nothing more reached the person
    status, _, error = await row_of(sim, campaign)
    assert (status, error) == ("cancelled", "forgotten")
    progress = await sim.db.campaigns.campaign_progress(campaign)
    assert progress is not None
    assert (progress.status, progress.cancelled) == ("done", 1)


async def test_opt_out_during_retries_stops_the_message(
    held: Simulation, time: VirtualTime
) -> None:
    sim = held
    event = await add_event(sim)
    guest = sim.user(5001, "Guest")
    await register(sim, guest, event)
    campaign = await invite_in_retries(sim, time, event, guest, "5xx")
    person = await sim.db.people.get_participant_by_telegram(guest.id)
    await sim.db.database.execute(
        "UPDATE participants SET opted_out_at = '2027-03-01T07:00:00+00:00' WHERE id = ?",
        (person.id,),
    )
    await let_time_run(sim, time)
    assert invitations(sim, guest) == [502]
    assert await row_of(sim, campaign) == ("cancelled", 0, "opted out")


async def test_stopped_campaign_keeps_a_retrying_message_held(
    held: Simulation, time: VirtualTime
) -> None:
    sim = held
    event = await add_event(sim)
    guest = sim.user(5001, "Guest")
    await register(sim, guest, event)
    campaign = await invite_in_retries(sim, time, event, guest, "5xx")
    assert await service.stop(sim.services, campaign) == 0  # the row is in flight, not pending
    await let_time_run(sim, time)
    assert invitations(sim, guest) == [502]
    status, on_hold, _ = await row_of(sim, campaign)
    assert (status, on_hold) == ("pending", 1)  # back in the queue, held: a resume sends it
