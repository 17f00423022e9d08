"""Outbox and campaign queries: each recipient's outcome is a row, so a crash resumes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.storage.base import StorageBase, to_db


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to enqueue."""

    chat_id: int
    payload: str  # OutgoingMessage JSON
    participant_id: int | None = None
    dedup_key: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    campaign_id: int | None
    chat_id: int
    participant_id: int | None
    payload: str
    attempts: int


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    campaign_id: int
    status: str
    total: int
    pending: int
    sending: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    possible_duplicates: int
    progress_chat_id: int | None
    progress_message_id: int | None

    @property
    def remaining(self) -> int:
        return self.pending + self.sending


class OutboxQueries(StorageBase):
    async def create_campaign(
        self,
        *,
        kind: str,
        event_id: int | None,
        segment: dict[str, object],
        created_by: int | None,
        now: datetime,
    ) -> int:
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO campaigns (event_id, kind, segment, created_by, created_at) "
                "VALUES (?,?,?,?,?)",
                (event_id, kind, json.dumps(segment), created_by, to_db(now)),
            )
            return int(cur.lastrowid or 0)

    async def enqueue(
        self,
        items: Sequence[OutboxItem],
        *,
        campaign_id: int | None,
        not_before: datetime,
        now: datetime,
    ) -> int:
        """Insert messages; an item whose dedup_key exists already is skipped. Returns count."""
        stamp, due = to_db(now), to_db(not_before)
        async with self._tx() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO outbox (campaign_id, chat_id, participant_id, dedup_key, payload, "
                "not_before, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) "
                "ON CONFLICT(dedup_key) DO NOTHING",
                [
                    (campaign_id, i.chat_id, i.participant_id, i.dedup_key, i.payload, due, stamp,
                     stamp)
                    for i in items
                ],
            )  # fmt: skip
            return db.total_changes - before

    async def claim_due(self, now: datetime, limit: int) -> list[OutboxRow]:
        """Pending rows that are due, marked 'sending' in the same transaction."""
        async with self._tx() as db:
            async with db.execute(
                "SELECT id, campaign_id, chat_id, participant_id, payload, attempts FROM outbox "
                "WHERE status = 'pending' AND not_before <= ? ORDER BY not_before, id LIMIT ?",
                (to_db(now), limit),
            ) as cur:
                rows = [OutboxRow(*r) for r in await cur.fetchall()]
            if rows:
                marks = ",".join("?" * len(rows))
                await db.execute(
                    f"UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                    f"updated_at = ? WHERE id IN ({marks})",
                    (to_db(now), *[r.id for r in rows]),
                )
        return rows

    async def next_due_at(self) -> str | None:
        value = await self._scalar("SELECT MIN(not_before) FROM outbox WHERE status = 'pending'")
        return None if value is None else str(value)

    async def finish_outbox(
        self,
        row_id: int,
        status: str,
        *,
        now: datetime,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        await self._execute(
            "UPDATE outbox SET status = ?, message_id = ?, error = ?, updated_at = ? "
            "WHERE id = ? AND status = 'sending'",
            (status, message_id, error, to_db(now), row_id),
        )

    async def release_outbox(self, row_ids: Sequence[int], *, now: datetime) -> None:
        """Put claimed rows back to pending (sender stopping before it sent them)."""
        if not row_ids:
            return
        marks = ",".join("?" * len(row_ids))
        await self._execute(
            f"UPDATE outbox SET status = 'pending', attempts = MAX(attempts - 1, 0), "
            f"updated_at = ? WHERE status = 'sending' AND id IN ({marks})",
            (to_db(now), *row_ids),
        )

    async def recover_in_flight(self, now: datetime) -> int:
        """At start-up: rows left 'sending' by a crash may or may not have been delivered.

        They are sent again (nothing is lost) and counted on their campaign as possible
        duplicates, so the bound on duplicates is recorded, not guessed.
        """
        async with self._tx() as db:
            await db.execute(
                "UPDATE campaigns SET possible_duplicates = possible_duplicates + ("
                "SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = campaigns.id "
                "AND o.status = 'sending') WHERE id IN (SELECT campaign_id FROM outbox "
                "WHERE status = 'sending')"
            )
            cur = await db.execute(
                "UPDATE outbox SET status = 'pending', updated_at = ? WHERE status = 'sending'",
                (to_db(now),),
            )
            return int(cur.rowcount)

    async def cancel_campaign(self, campaign_id: int, now: datetime) -> int:
        """Stop a campaign: its unsent rows become 'cancelled'. Returns how many."""
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE outbox SET status = 'cancelled', updated_at = ? "
                "WHERE campaign_id = ? AND status = 'pending'",
                (to_db(now), campaign_id),
            )
            await db.execute(
                "UPDATE campaigns SET status = 'cancelled', finished_at = ? "
                "WHERE id = ? AND status = 'running'",
                (to_db(now), campaign_id),
            )
            return int(cur.rowcount)

    async def finish_campaign_if_done(self, campaign_id: int, now: datetime) -> bool:
        changed = await self._execute(
            "UPDATE campaigns SET status = 'done', finished_at = ? WHERE id = ? "
            "AND status = 'running' AND NOT EXISTS (SELECT 1 FROM outbox WHERE campaign_id = ? "
            "AND status IN ('pending', 'sending'))",
            (to_db(now), campaign_id, campaign_id),
        )
        return changed > 0

    async def set_campaign_progress_message(
        self, campaign_id: int, chat_id: int, message_id: int
    ) -> None:
        await self._execute(
            "UPDATE campaigns SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, campaign_id),
        )

    async def campaign_progress(self, campaign_id: int) -> CampaignProgress | None:
        row = await self._fetchone(
            """SELECT c.id, c.status, c.possible_duplicates, c.progress_chat_id,
                      c.progress_message_id, COUNT(o.id) AS total,
                      SUM(o.status = 'pending') AS pending, SUM(o.status = 'sending') AS sending,
                      SUM(o.status = 'sent') AS sent, SUM(o.status = 'failed') AS failed,
                      SUM(o.status = 'unreachable') AS unreachable,
                      SUM(o.status = 'cancelled') AS cancelled
               FROM campaigns c LEFT JOIN outbox o ON o.campaign_id = c.id
               WHERE c.id = ? GROUP BY c.id""",
            (campaign_id,),
        )
        if row is None:
            return None
        return CampaignProgress(
            campaign_id=row["id"],
            status=row["status"],
            total=row["total"] or 0,
            pending=row["pending"] or 0,
            sending=row["sending"] or 0,
            sent=row["sent"] or 0,
            failed=row["failed"] or 0,
            unreachable=row["unreachable"] or 0,
            cancelled=row["cancelled"] or 0,
            possible_duplicates=row["possible_duplicates"],
            progress_chat_id=row["progress_chat_id"],
            progress_message_id=row["progress_message_id"],
        )

    async def running_campaigns(self) -> list[int]:
        rows = await self._fetchall("SELECT id FROM campaigns WHERE status = 'running'")
        return [int(r[0]) for r in rows]

    async def outbox_pending_count(self) -> int:
        return int(
            await self._scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
        )
