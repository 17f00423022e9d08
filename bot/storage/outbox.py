"""Outbox and campaign queries: each recipient's outcome is a row, so a crash resumes.

Row life: ``pending`` -> ``sending`` (claimed by the sender just before the request) ->
``sent`` (with the message id) | ``failed`` (with the reason) | ``unreachable``; or
``cancelled`` (the person opted out or was forgotten before the turn came). A row with
``on_hold = 1`` stays ``pending`` but is not due: its campaign is still being queued
(``draft``) or was stopped by the organiser (``cancelled``), and can be resumed.

A crash leaves some rows ``sending``: they may or may not have reached Telegram. They are
sent again at start-up and counted on their campaign (``possible_duplicates``), so the
bound on duplicates is recorded, not guessed.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from bot.storage.base import StorageBase, from_db, to_db


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
    kind: str = "update"
    event_id: int | None = None
    segment: str = "{}"
    created_by: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    reported_at: datetime | None = None
    language: str | None = None  # the organiser's, for the progress message and report

    @property
    def remaining(self) -> int:
        return self.pending + self.sending

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unreachable + self.cancelled


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one claimed row ended (written in batches by :meth:`OutboxQueries.finish_many`)."""

    row_id: int
    status: str  # sent, failed, unreachable
    message_id: int | None = None
    error: str | None = None
    attempts: int | None = None  # tries made, when known


class Recheck(StrEnum):
    """What the sender finds when it reads a claimed row again before an attempt."""

    SEND = "send"
    HOLD = "campaign stopped"  # back to pending, held with its campaign
    CANCELLED = "cancelled"  # the row is no longer ours to send (e.g. forgotten)
    OPTED_OUT = "opted out"
    FORGOTTEN = "forgotten"


_PROGRESS_SQL = """
    SELECT c.id, c.status, c.kind, c.event_id, c.segment, c.created_by, c.possible_duplicates,
           c.progress_chat_id, c.progress_message_id, c.started_at, c.finished_at,
           c.reported_at, c.language,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id) AS total,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'pending') AS pending,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'sending') AS sending,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'sent') AS sent,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'failed') AS failed,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'unreachable') AS unreachable,
           (SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = c.id
                AND o.status = 'cancelled') AS cancelled
    FROM campaigns c
"""


# A row going back to pending is held if its campaign is not running (stopped meanwhile).
_HELD_BY_CAMPAIGN = (
    "COALESCE((SELECT c.status IN ('draft', 'cancelled') FROM campaigns c "
    "WHERE c.id = outbox.campaign_id), 0)"
)


def _progress(r: aiosqlite.Row) -> CampaignProgress:
    return CampaignProgress(
        campaign_id=r["id"],
        status=r["status"],
        total=r["total"] or 0,
        pending=r["pending"] or 0,
        sending=r["sending"] or 0,
        sent=r["sent"] or 0,
        failed=r["failed"] or 0,
        unreachable=r["unreachable"] or 0,
        cancelled=r["cancelled"] or 0,
        possible_duplicates=r["possible_duplicates"],
        progress_chat_id=r["progress_chat_id"],
        progress_message_id=r["progress_message_id"],
        kind=r["kind"],
        event_id=r["event_id"],
        segment=r["segment"],
        created_by=r["created_by"],
        started_at=from_db(r["started_at"]),
        finished_at=from_db(r["finished_at"]),
        reported_at=from_db(r["reported_at"]),
        language=r["language"],
    )


class OutboxQueries(StorageBase):
    # -- campaigns --------------------------------------------------------------------------

    async def create_campaign(
        self,
        *,
        kind: str,
        event_id: int | None,
        segment: dict[str, object],
        created_by: int | None,
        now: datetime,
        status: str = "running",
        body: str | None = None,
        language: str | None = None,
    ) -> int:
        """A campaign; ``status='draft'`` while its rows are queued held (see activate)."""
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO campaigns (event_id, kind, segment, created_by, created_at, status, "
                "body, started_at, language) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    event_id, kind, json.dumps(segment, ensure_ascii=False), created_by,
                    to_db(now), status, body, None if status == "draft" else to_db(now),
                    language,
                ),
            )  # fmt: skip
            return int(cur.lastrowid or 0)

    async def activate_campaign(self, campaign_id: int, now: datetime) -> int:
        """Release a draft campaign's held rows to the sender, atomically. Returns the count."""
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE campaigns SET status = 'running', started_at = ? "
                "WHERE id = ? AND status = 'draft'",
                (to_db(now), campaign_id),
            )
            if cur.rowcount == 0:
                return 0
            cur = await db.execute(
                "UPDATE outbox SET on_hold = 0, not_before = ?, updated_at = ? "
                "WHERE campaign_id = ? AND status = 'pending' AND on_hold = 1",
                (to_db(now), to_db(now), campaign_id),
            )
            return int(cur.rowcount)

    async def discard_draft_campaigns(
        self,
    ) -> list[tuple[int, int | None, int | None, str | None]]:
        """At start-up: drafts a crash left half-queued are deleted with their rows (nothing
        of them was sent). Returns (id, progress chat, progress message, language) of each."""
        async with self._tx() as db:
            async with db.execute(
                "SELECT id, progress_chat_id, progress_message_id, language FROM campaigns "
                "WHERE status = 'draft'"
            ) as cur:
                drafts = [(int(r[0]), r[1], r[2], r[3]) for r in await cur.fetchall()]
            for campaign_id, *_ in drafts:
                await db.execute("DELETE FROM outbox WHERE campaign_id = ?", (campaign_id,))
                await db.execute("DELETE FROM campaigns WHERE id = ?", (campaign_id,))
        return drafts

    async def cancel_campaign(self, campaign_id: int, now: datetime) -> int:
        """Stop a running campaign: its unsent rows stay 'pending' but are held, so the
        sender skips them (and a resume can release them). Returns how many are held."""
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE campaigns SET status = 'cancelled', finished_at = ? "
                "WHERE id = ? AND status = 'running'",
                (to_db(now), campaign_id),
            )
            if cur.rowcount == 0:
                return 0
            cur = await db.execute(
                "UPDATE outbox SET on_hold = 1, updated_at = ? "
                "WHERE campaign_id = ? AND status = 'pending'",
                (to_db(now), campaign_id),
            )
            return int(cur.rowcount)

    async def resume_campaign(self, campaign_id: int, now: datetime) -> int:
        """Continue a stopped campaign: its held rows are due again. Returns how many."""
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE campaigns SET status = 'running', finished_at = NULL, reported_at = NULL "
                "WHERE id = ? AND status = 'cancelled'",
                (campaign_id,),
            )
            if cur.rowcount == 0:
                return -1
            cur = await db.execute(
                "UPDATE outbox SET on_hold = 0, not_before = ?, updated_at = ? "
                "WHERE campaign_id = ? AND status = 'pending' AND on_hold = 1",
                (to_db(now), to_db(now), campaign_id),
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

    async def finish_done_campaigns(self, now: datetime) -> int:
        """Mark every running campaign with nothing left to send as done (cheap: by index)."""
        return await self._execute(
            "UPDATE campaigns SET status = 'done', finished_at = ? WHERE status = 'running' "
            "AND started_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o "
            "WHERE o.campaign_id = campaigns.id AND o.status IN ('pending', 'sending'))",
            (to_db(now),),
        )

    async def set_campaign_progress_message(
        self, campaign_id: int, chat_id: int, message_id: int
    ) -> None:
        await self._execute(
            "UPDATE campaigns SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, campaign_id),
        )

    async def mark_campaign_reported(self, campaign_id: int, now: datetime) -> bool:
        """True for the one caller that gets to send the final report."""
        changed = await self._execute(
            "UPDATE campaigns SET reported_at = ? WHERE id = ? AND reported_at IS NULL "
            "AND status IN ('done', 'cancelled')",
            (to_db(now), campaign_id),
        )
        return changed > 0

    async def campaign_progress(self, campaign_id: int) -> CampaignProgress | None:
        row = await self._fetchone(_PROGRESS_SQL + " WHERE c.id = ?", (campaign_id,))
        return None if row is None else _progress(row)

    async def campaigns_to_report(self) -> list[CampaignProgress]:
        """Campaigns with a live progress message and no final report yet."""
        rows = await self._fetchall(
            _PROGRESS_SQL + " WHERE c.progress_message_id IS NOT NULL AND c.reported_at IS NULL "
            "AND c.status IN ('running', 'done', 'cancelled') ORDER BY c.id"
        )
        return [_progress(r) for r in rows]

    async def running_campaigns(self, created_by: int | None = None) -> list[int]:
        if created_by is None:
            rows = await self._fetchall("SELECT id FROM campaigns WHERE status = 'running'")
        else:
            rows = await self._fetchall(
                "SELECT id FROM campaigns WHERE status = 'running' AND created_by = ? ORDER BY id",
                (created_by,),
            )
        return [int(r[0]) for r in rows]

    async def add_possible_duplicates(self, campaign_id: int, count: int = 1) -> None:
        await self._execute(
            "UPDATE campaigns SET possible_duplicates = possible_duplicates + ? WHERE id = ?",
            (count, campaign_id),
        )

    # -- rows -------------------------------------------------------------------------------

    async def enqueue(
        self,
        items: Sequence[OutboxItem],
        *,
        campaign_id: int | None,
        not_before: datetime,
        now: datetime,
        on_hold: bool = False,
    ) -> int:
        """Insert messages; an item whose dedup_key exists already is skipped. Returns count."""
        stamp, due, held = to_db(now), to_db(not_before), int(on_hold)
        async with self._tx() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO outbox (campaign_id, chat_id, participant_id, dedup_key, payload, "
                "not_before, created_at, updated_at, on_hold) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(dedup_key) DO NOTHING",
                [
                    (campaign_id, i.chat_id, i.participant_id, i.dedup_key, i.payload, due, stamp,
                     stamp, held)
                    for i in items
                ],
            )  # fmt: skip
            return db.total_changes - before

    async def claim_due(
        self, now: datetime, limit: int, *, exclude_chats: Collection[int] = ()
    ) -> list[OutboxRow]:
        """Due rows, marked 'sending' in the same transaction (oldest first).

        Rows for ``exclude_chats`` (chats the sender is busy with) are left for later, so
        one slow chat never holds up the others. Rows whose person has meanwhile opted out
        or been forgotten become 'cancelled', and those of people known to be unreachable
        'unreachable', without a request.
        """
        excluded = list(exclude_chats)[:500]
        marks = ",".join("?" * len(excluded))
        skip_chats = f"AND o.chat_id NOT IN ({marks})" if excluded else ""
        stamp = to_db(now)
        async with self._tx() as db:
            async with db.execute(
                f"""SELECT o.id, o.campaign_id, o.chat_id, o.participant_id, o.payload,
                          o.attempts,
                          (p.opted_out_at IS NOT NULL OR p.forgotten_at IS NOT NULL) AS gone,
                          p.unreachable_at IS NOT NULL AS unreachable
                   FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id
                   WHERE o.status = 'pending' AND o.on_hold = 0 AND o.not_before <= ?
                         {skip_chats}
                   ORDER BY o.not_before, o.id LIMIT ?""",
                (stamp, *excluded, limit),
            ) as cur:
                found = list(await cur.fetchall())
            rows = [OutboxRow(*r[:6]) for r in found if not r["gone"] and not r["unreachable"]]
            gone = [r[0] for r in found if r["gone"]]
            unreachable = [r[0] for r in found if r["unreachable"] and not r["gone"]]
            for ids, status, error in (
                ([r.id for r in rows], "sending", None),
                (gone, "cancelled", "opted out"),
                (unreachable, "unreachable", "skipped: unreachable"),
            ):
                if ids:
                    await db.execute(
                        f"UPDATE outbox SET status = ?, error = COALESCE(?, error), "
                        f"attempts = attempts + (? = 'sending'), updated_at = ? "
                        f"WHERE id IN ({','.join('?' * len(ids))})",
                        (status, error, status, stamp, *ids),
                    )
        return rows

    async def outbox_recheck(self, row_id: int) -> Recheck:
        """Is a claimed row still to be sent? Read before every attempt, so a /forget, an
        opt-out or a stopped campaign also stops a message that is in its retries."""
        row = await self._fetchone(
            """SELECT o.status, o.chat_id, c.status AS campaign,
                      p.opted_out_at IS NOT NULL AS opted_out,
                      p.forgotten_at IS NOT NULL AS forgotten
               FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id
                    LEFT JOIN campaigns c ON c.id = o.campaign_id
               WHERE o.id = ?""",
            (row_id,),
        )
        if row is None or row["status"] != "sending" or row["chat_id"] == 0:
            return Recheck.CANCELLED
        if row["forgotten"]:
            return Recheck.FORGOTTEN
        if row["opted_out"]:
            return Recheck.OPTED_OUT
        if row["campaign"] in ("draft", "cancelled"):
            return Recheck.HOLD
        return Recheck.SEND

    async def next_due_at(self) -> str | None:
        value = await self._scalar(
            "SELECT MIN(not_before) FROM outbox WHERE status = 'pending' AND on_hold = 0"
        )
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
        await self.finish_many([Outcome(row_id, status, message_id, error)], now=now)

    async def finish_many(self, outcomes: Sequence[Outcome], *, now: datetime) -> None:
        """Record outcomes of claimed rows in one transaction."""
        if not outcomes:
            return
        stamp = to_db(now)
        async with self._tx() as db:
            await db.executemany(
                "UPDATE outbox SET status = ?, message_id = ?, error = ?, updated_at = ?, "
                "attempts = COALESCE(?, attempts) WHERE id = ? AND status = 'sending'",
                [(o.status, o.message_id, o.error, stamp, o.attempts, o.row_id) for o in outcomes],
            )

    async def release_outbox(self, row_ids: Sequence[int], *, now: datetime) -> None:
        """Put claimed rows back to pending (sender stopping before it sent them)."""
        if not row_ids:
            return
        marks = ",".join("?" * len(row_ids))
        await self._execute(
            f"UPDATE outbox SET status = 'pending', attempts = MAX(attempts - 1, 0), "
            f"on_hold = {_HELD_BY_CAMPAIGN}, updated_at = ? "
            f"WHERE status = 'sending' AND id IN ({marks})",
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
                f"UPDATE outbox SET status = 'pending', on_hold = {_HELD_BY_CAMPAIGN}, "
                "updated_at = ? WHERE status = 'sending'",
                (to_db(now),),
            )
            return int(cur.rowcount)

    async def outbox_due_count(self, now: datetime) -> int:
        """Rows the sender should be sending now (held rows of a stopped campaign are not)."""
        return int(
            await self._scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND on_hold = 0 "
                "AND not_before <= ?",
                (to_db(now),),
            )
        )

    async def outbox_pending_count(self) -> int:
        """Messages still to be sent (held rows of stopped campaigns are not counted)."""
        return int(
            await self._scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'sending' "
                "OR (status = 'pending' AND on_hold = 0)"
            )
        )
