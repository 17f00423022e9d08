"""Outbox claims across workers (bot/storage/broadcast.py, "claims across workers"): a row
is claimed by one worker until a moment; recovery takes back only expired claims (and a
restarted worker's own), never a row a live worker is sending; outcomes are recorded only
by the claimer; duplicates are counted exactly for the rows taken back. Drafts of a live
worker are not discarded by another worker's sender.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.messages import OutgoingMessage
from bot.models import OutboxItem, Outcome
from bot.storage import Storage
from tests.engines import ENGINES, shared_storages

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TTL = timedelta(seconds=6)


@pytest.fixture(params=ENGINES)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    async with shared_storages(request, request.param, tmp_path, 1) as (storage,):
        yield storage


async def campaign_with(db: Storage, count: int) -> int:
    campaign = await db.campaigns.create_campaign(
        kind="notice", event_id=None, segment={}, created_by=1000, now=NOW
    )
    items = []
    for i in range(count):
        person = await db.people.ensure_participant(5000 + i, language="en", now=NOW)
        items.append(OutboxItem(5000 + i, OutgoingMessage(f"m{i}").to_json(), person.id))
    await db.outbox.enqueue(items, campaign_id=campaign, not_before=NOW, now=NOW)
    return campaign


async def statuses(db: Storage) -> dict[str, int]:
    rows = await db.database.fetch_all(
        "SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status"
    )
    return {str(r[0]): int(r[1]) for r in rows}


async def duplicates(db: Storage, campaign: int) -> int:
    progress = await db.campaigns.campaign_progress(campaign)
    assert progress is not None
    return progress.possible_duplicates


async def test_two_workers_never_claim_the_same_row(db: Storage) -> None:
    await campaign_with(db, 10)
    a = await db.outbox.claim_due_for("a", NOW, 6, until=NOW + TTL)
    b = await db.outbox.claim_due_for("b", NOW, 6, until=NOW + TTL)
    assert len(a) == 6
    assert len(b) == 4
    assert not {r.id for r in a} & {r.id for r in b}
    assert await db.outbox.claimed_count("a") == 6


async def test_recovery_leaves_a_live_workers_rows_alone(db: Storage) -> None:
    campaign = await campaign_with(db, 5)
    await db.outbox.claim_due_for("a", NOW, 5, until=NOW + TTL)
    # b takes the sender over while a still sends (a lost its lease, finishing its sends).
    assert await db.outbox.recover_claims("b", NOW + timedelta(seconds=3), own=True) == 0
    assert await statuses(db) == {"sending": 5}
    # a is alive: it extends its claims; later recovery still leaves them alone.
    await db.outbox.extend_claims("a", until=NOW + timedelta(seconds=9))
    assert await db.outbox.recover_claims("b", NOW + timedelta(seconds=8)) == 0
    assert await duplicates(db, campaign) == 0


async def test_expired_claims_come_back_counted_as_possible_duplicates(db: Storage) -> None:
    campaign = await campaign_with(db, 5)
    claimed = await db.outbox.claim_due_for("a", NOW, 3, until=NOW + TTL)
    # a dies: nobody extends its claims. Once expired, b takes them back.
    assert await db.outbox.recover_claims("b", NOW + TTL + timedelta(seconds=1)) == 3
    assert await statuses(db) == {"pending": 5}
    assert await duplicates(db, campaign) == 3
    # a, a zombie that was only slow, reports an outcome: not recorded (b owns it now).
    late = Outcome(claimed[0].id, "sent", message_id=77)
    assert await db.outbox.finish_claimed([late], worker="a", now=NOW) == 0
    assert await statuses(db) == {"pending": 5}


async def test_a_restarted_worker_takes_its_own_rows_back_at_once(db: Storage) -> None:
    campaign = await campaign_with(db, 4)
    await db.outbox.claim_due_for("host", NOW, 4, until=NOW + TTL)
    assert await db.outbox.recover_claims("host", NOW + timedelta(seconds=1)) == 0
    assert await db.outbox.recover_claims("host", NOW + timedelta(seconds=1), own=True) == 4
    assert await duplicates(db, campaign) == 4


async def test_outcomes_and_releases_only_by_the_claimer(db: Storage) -> None:
    await campaign_with(db, 2)
    first, second = await db.outbox.claim_due_for("a", NOW, 2, until=NOW + TTL)
    await db.outbox.release_claimed([first.id, second.id], worker="b", now=NOW)
    assert await statuses(db) == {"sending": 2}
    assert await db.outbox.finish_claimed([Outcome(first.id, "sent", 1)], worker="a", now=NOW)
    await db.outbox.release_claimed([second.id], worker="a", now=NOW)
    assert await statuses(db) == {"pending": 1, "sent": 1}
    (attempts,) = await db.database.fetch_all(
        "SELECT attempts FROM outbox WHERE id = ?", (second.id,)
    )
    assert attempts[0] == 0  # a release gives the attempt back


async def test_a_live_workers_draft_is_not_discarded(db: Storage) -> None:
    """Worker b's sender starts while worker a queues a campaign (a draft): the draft
    stays; once a is gone (its worker lease expired), b's sender discards it."""
    real_now = datetime.now(UTC)
    draft = await db.campaigns.create_campaign(
        kind="notice", event_id=None, segment={}, created_by=1000, now=NOW, status="draft"
    )
    await db.campaigns.set_campaign_queuer(draft, "a")
    assert await db.leases.acquire_lease("worker:a", "a", now=real_now, until=real_now + TTL)
    kwargs = {"unclaimed_before": NOW - timedelta(minutes=1)}
    assert await db.campaigns.discard_orphan_drafts("b", live_at=real_now, own=True, **kwargs) == []
    later = real_now + TTL + timedelta(seconds=1)
    gone = await db.campaigns.discard_orphan_drafts("b", live_at=later, own=False, **kwargs)
    assert [d[0] for d in gone] == [draft]


async def test_a_restarted_worker_discards_its_own_drafts(db: Storage) -> None:
    real_now = datetime.now(UTC)
    draft = await db.campaigns.create_campaign(
        kind="notice", event_id=None, segment={}, created_by=1000, now=NOW, status="draft"
    )
    await db.campaigns.set_campaign_queuer(draft, "host")
    await db.leases.acquire_lease("worker:host", "host", now=real_now, until=real_now + TTL)
    kwargs = {"live_at": real_now, "unclaimed_before": NOW - timedelta(minutes=1)}
    assert await db.campaigns.discard_orphan_drafts("host", own=False, **kwargs) == []
    gone = await db.campaigns.discard_orphan_drafts("host", own=True, **kwargs)
    assert [d[0] for d in gone] == [draft]
