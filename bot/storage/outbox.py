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

from collections.abc import Collection, Sequence
from datetime import datetime

from bot.models import OutboxItem, OutboxRow, Outcome, Recheck
from bot.storage.database import Database, to_db

# A row going back to pending is held if its campaign is not running (stopped meanwhile).
_HELD_BY_CAMPAIGN = (
    "COALESCE((SELECT c.status IN ('draft', 'cancelled') FROM campaigns c "
    "WHERE c.id = outbox.campaign_id), 0)"
)


class OutboxRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- campaigns --------------------------------------------------------------------------

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
        async with self.database.transaction() as db:
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
        async with self.database.transaction() as db:
            found = list(
                await db.fetch_all(
                    f"""SELECT o.id, o.campaign_id, o.chat_id, o.participant_id, o.payload,
                          o.attempts,
                          (p.opted_out_at IS NOT NULL OR p.forgotten_at IS NOT NULL) AS gone,
                          p.unreachable_at IS NOT NULL AS unreachable
                   FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id
                   WHERE o.status = 'pending' AND o.on_hold = 0 AND o.not_before <= ?
                         {skip_chats}
                   ORDER BY o.not_before, o.id LIMIT ?""",
                    (stamp, *excluded, limit),
                )
            )
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
        row = await self.database.fetch_one(
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
        value = await self.database.scalar(
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
        async with self.database.transaction() as db:
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
        await self.database.execute(
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
        async with self.database.transaction() as db:
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
            await self.database.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND on_hold = 0 "
                "AND not_before <= ?",
                (to_db(now),),
            )
        )

    async def outbox_pending_count(self) -> int:
        """Messages still to be sent (held rows of stopped campaigns are not counted)."""
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'sending' "
                "OR (status = 'pending' AND on_hold = 0)"
            )
        )
