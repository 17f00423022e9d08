"""Several workers sharing one database, as real processes (issue 14; docs/operations.md
"Several workers").

Three ``python -m bot run --worker-id wN`` processes serve three bots on the emulator (each
its own token, limited to 30 messages/s as Telegram does), on PostgreSQL when a server can
be started (bot/pgcluster.py) and on SQLite in WAL mode (the one-machine mode). A campaign
runs in every bot; the worker holding one bot's sender is killed with SIGKILL mid-campaign.
Then:

* every recipient got the message, and no more often than the duplicates the campaign
  counted (rows in flight at the crash), in every bot;
* the sender's lease moved to a live worker within seconds (the failover time is printed);
* each reminder due meanwhile went out exactly once;
* no token was ever polled by two workers at once (the emulator answers a second
  ``getUpdates`` with 409 Conflict, as Telegram does) and the leases of the three bots
  were spread over the workers.

Slow (it starts Python and PTB three times and runs for about half a minute per engine):
``make test-slow``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.workers_support import (
    Deployment,
    Worker,
    delivered,
    drop_schemas,
    lease_of,
    seed_bot,
    soon_event,
    started_users,
    until,
)

pytestmark = pytest.mark.slow

KEYS = ("alpha", "beta", "gamma")
RECIPIENTS = 180  # per bot: six seconds of sending at 30/s
YES = 20  # of them answered yes to the event: they get its reminder
TEXT = "Kvietimas: programme news for everyone"


@pytest.fixture(params=["postgresql", "sqlite"])
async def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Deployment]:
    url: str | None = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    host = Emulator(token="700001:ALPHA-TOKEN", bot_username="alpha_bot", global_limit_per_s=30)
    bots = {"alpha": host}
    bots["beta"] = host.add_bot("700002:BETA-TOKEN", bot_username="beta_bot")
    bots["gamma"] = host.add_bot("700003:GAMMA-TOKEN", bot_username="gamma_bot")
    deployment = Deployment(
        tmp_path, host, bots, postgres_url=url,
        extra_env={
            # One reminder, an hour before the start; no deadline reminder.
            "BOT_REMINDERS__BEFORE_EVENT_HOURS": "[1.0]",
            "BOT_REMINDERS__BEFORE_DEADLINE_HOURS": "0",
        },
    )  # fmt: skip
    if url is not None:
        drop_schemas(url, deployment.schemas())
    async with host:
        yield deployment
    if url is not None:
        drop_schemas(url, deployment.schemas())


async def test_sigkill_of_a_senders_worker_moves_its_lease_and_loses_nothing(
    deployment: Deployment,
) -> None:
    storages = deployment.storages()
    users = {
        key: started_users(emu, 10_000 * (n + 1), RECIPIENTS)
        for n, (key, emu) in enumerate(deployment.bots.items())
    }
    campaigns: dict[str, int] = {}
    events: dict[str, int | None] = {}
    # The campaigns start in 12 s, once the workers are up and have spread the leases;
    # the reminder (an hour before the start) falls due about 35 s from now: after the
    # kill below, so the scheduler's lease may have moved by then.
    event_text = soon_event(timedelta(seconds=3600 + 35))
    for key, storage in storages.items():
        await storage.open()
        campaigns[key], events[key] = await seed_bot(
            storage, users[key], text=TEXT, event_text=event_text, yes=YES,
            due_in=timedelta(seconds=12),
        )  # fmt: skip
    workers = [Worker(deployment, f"w{i}") for i in (1, 2, 3)]
    alpha = storages["alpha"]
    try:
        for worker in workers:
            await worker.start()
        by_id = {w.id: w for w in workers}

        async def all_leases_held() -> bool:
            for worker in workers:
                assert worker.alive, worker.tail()
            for storage in storages.values():
                for name in ("sender", "scheduler", "poller"):
                    if await lease_of(storage, name) is None:
                        return False
            return True

        await until(all_leases_held, timeout=90)

        async def spread() -> set[str]:
            return {
                row.holder
                for storage in storages.values()
                for row in await storage.leases.lease_rows()
                if not row.name.startswith("worker:")
            }

        # The first worker up took every lease; the others get their share within rounds.
        await until(lambda: _more_than_one(spread()), timeout=30)
        await until(lambda: sum(delivered(deployment.bots["alpha"], TEXT).values()) >= 40)
        holder = await lease_of(alpha, "sender")
        assert holder is not None
        victim = by_id[holder.holder]
        killed_at = time.monotonic()
        await victim.kill()
        in_flight = await alpha.outbox.claimed_count(victim.id)

        async def moved() -> bool:
            row = await lease_of(alpha, "sender")
            return row is not None and row.holder != victim.id

        await until(moved, timeout=30, step=0.05)
        failover_s = time.monotonic() - killed_at
        print(f"failover of alpha's sender: {failover_s:.1f} s ({in_flight} rows in flight)")
        assert failover_s < 10
        new = await lease_of(alpha, "sender")
        assert new is not None
        assert new.generation > holder.generation

        async def finished() -> bool:
            for storage in storages.values():
                if await storage.outbox.outbox_pending_count():
                    return False
            return True

        await until(finished, timeout=120)
        # The reminders: due ~25 s after the start of the test.
        await until(lambda: all(reminded(deployment, key) >= YES for key in KEYS), timeout=90)
        await asyncio.sleep(2)  # a second scheduler would have sent its copies by now
        survivors = [w for w in workers if w is not victim]
        for worker in survivors:
            assert await worker.terminate() == 0, worker.tail()
    finally:
        for worker in workers:
            await worker.ensure_stopped()

    for key, storage in storages.items():
        emu = deployment.bots[key]
        counts = delivered(emu, TEXT)
        assert sorted(counts) == [u.id for u in users[key]], f"{key}: someone got nothing"
        duplicates = sum(counts.values()) - RECIPIENTS
        progress = await storage.campaigns.campaign_progress(campaigns[key])
        assert progress is not None
        assert progress.sent == RECIPIENTS
        assert duplicates <= progress.possible_duplicates, key  # counted, never silent
        if key != "alpha" and progress.possible_duplicates == 0:
            assert duplicates == 0
        # Each reminder exactly once, to exactly the people who said yes.
        assert reminded(deployment, key) == YES, key
        assert max(reminder_counts(deployment, key).values()) == 1, key
        # One poller per token at a time: Telegram would have said 409 Conflict.
        assert not [c for c in emu.calls_to("getUpdates") if c.status == 409], key
    for storage in storages.values():
        await storage.close()


async def _more_than_one(holders: Awaitable[set[str]]) -> bool:
    return len(await holders) > 1


def reminder_counts(deployment: Deployment, key: str) -> dict[int, int]:
    """chat -> messages other than the campaign (the event's reminder)."""
    counts: dict[int, int] = {}
    for call in deployment.bots[key].calls_to("sendMessage"):
        text = call.params.get("text")
        if call.ok and text != TEXT and isinstance(call.chat_id, int):
            counts[call.chat_id] = counts.get(call.chat_id, 0) + 1
    return counts


def reminded(deployment: Deployment, key: str) -> int:
    return sum(reminder_counts(deployment, key).values())
