"""Storage of the broadcast area: who a segment reaches, each campaign's life (draft,
running, cancelled, finished) and progress (:class:`CampaignRepository`, ``db.campaigns``),
and the outbox every message to a person goes through (:class:`OutboxRepository`,
``db.outbox``).

The outbox: each recipient's outcome is a row, so a crash resumes.

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
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from bot.models import (
    CampaignProgress,
    OutboxItem,
    OutboxRow,
    Outcome,
    Recheck,
    RsvpStatus,
    Segment,
    SegmentKind,
    SegmentMember,
    SegmentSize,
)
from bot.storage.database import Database, Row, from_db, to_db
from bot.storage.leases import stamp as stamp_ms

REACHABLE = (
    "p.telegram_id IS NOT NULL AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL "
    "AND p.forgotten_at IS NULL"
)


def normalise_org(text: str) -> str:
    """One key per organisation however it was typed (case, spaces, accents kept)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _segment_sql(segment: Segment) -> tuple[str, list[Any]]:
    """``FROM ... WHERE ...`` (without reachability) and its parameters; selects p and r."""
    params: list[Any] = []
    if segment.event_id is not None:
        frm = "FROM participants p LEFT JOIN rsvps r ON r.event_id = ? AND r.participant_id = p.id"
        params.append(segment.event_id)
    else:
        frm = "FROM participants p LEFT JOIN (SELECT NULL AS status) r ON FALSE"
    invitee = (
        "(r.status IS NOT NULL OR EXISTS (SELECT 1 FROM invitations i "
        "WHERE i.event_id = ? AND i.participant_id = p.id))"
    )
    conditions: list[str] = []
    if segment.kind is SegmentKind.INVITEES:
        conditions.append(invitee)
        params.append(segment.event_id)
    elif segment.kind is SegmentKind.RSVP:
        answered = [s for s in segment.statuses if s != "none"]
        parts = []
        if answered:
            parts.append(f"r.status IN ({','.join('?' * len(answered))})")
            params.extend(answered)
        if "none" in segment.statuses:
            parts.append(
                "(r.status IS NULL AND EXISTS (SELECT 1 FROM invitations i "
                "WHERE i.event_id = ? AND i.participant_id = p.id))"
            )
            params.append(segment.event_id)
        conditions.append("(" + " OR ".join(parts) + ")")
    elif segment.kind is SegmentKind.ORGANISATION:
        conditions.append(f"p.organisation IN ({','.join('?' * len(segment.organisations))})")
        params.extend(segment.organisations)
        if segment.event_id is not None:
            conditions.append(invitee)
            params.append(segment.event_id)
    elif segment.kind is SegmentKind.PROGRAMME:
        conditions.append(
            "p.id IN (SELECT i.participant_id FROM invitations i JOIN events e "
            "ON e.id = i.event_id WHERE e.programme_id = ? UNION SELECT x.participant_id "
            "FROM rsvps x JOIN events e ON e.id = x.event_id WHERE e.programme_id = ?)"
        )
        params.extend([segment.programme_id, segment.programme_id])
    where = " AND ".join(conditions) or "TRUE"
    return f"{frm} WHERE p.forgotten_at IS NULL AND {where}", params


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


def _progress(r: Row) -> CampaignProgress:
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


class CampaignRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def segment_size(self, segment: Segment) -> SegmentSize:
        sql, params = _segment_sql(segment)
        row = await self.database.fetch_one(
            f"SELECT COUNT(*) AS total, SUM(CASE WHEN {REACHABLE} THEN 1 ELSE 0 END) "
            f"AS reachable {sql}",
            params,
        )
        total = int(row["total"] or 0) if row else 0
        reachable = int(row["reachable"] or 0) if row else 0
        return SegmentSize(reachable=reachable, skipped=total - reachable)

    async def segment_members(
        self, segment: Segment, *, after_id: int = 0, limit: int = 500
    ) -> list[SegmentMember]:
        """Reachable members with ids above ``after_id``, in id order (one chunk)."""
        sql, params = _segment_sql(segment)
        rows = await self.database.fetch_all(
            f"SELECT p.id, p.telegram_id, p.language, r.status {sql} AND {REACHABLE} "
            f"AND p.id > ? ORDER BY p.id LIMIT ?",
            (*params, after_id, limit),
        )
        return [
            SegmentMember(
                r[0],
                r[1],
                r[2],
                RsvpStatus(r[3]) if r[3] in RsvpStatus._value2member_map_ else None,
            )
            for r in rows
        ]

    async def segment_languages(self, segment: Segment) -> dict[str, int]:
        sql, params = _segment_sql(segment)
        rows = await self.database.fetch_all(
            f"SELECT COALESCE(p.language, ''), COUNT(*) {sql} AND {REACHABLE} "
            "GROUP BY 1 ORDER BY 2 DESC",
            params,
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def organisation_counts(self, event_id: int | None) -> list[tuple[str, list[str], int]]:
        """Organisations of reachable people (the event's invitees if given), largest
        first: (shown name, spellings, people). The name shown is the commonest spelling."""
        segment_sql, params = _segment_sql(
            Segment(SegmentKind.INVITEES, event_id=event_id)
            if event_id is not None
            else Segment(SegmentKind.EVERYONE)
        )
        rows = await self.database.fetch_all(
            f"SELECT p.organisation, COUNT(*) {segment_sql} AND {REACHABLE} "
            "AND p.organisation IS NOT NULL AND p.organisation != '' GROUP BY p.organisation",
            params,
        )
        groups: dict[str, list[tuple[int, str]]] = {}
        for raw, count in ((str(r[0]), int(r[1])) for r in rows):
            groups.setdefault(normalise_org(raw), []).append((count, raw))
        result = []
        for spellings in groups.values():
            spellings.sort(key=lambda s: (-s[0], s[1]))
            result.append(
                (spellings[0][1], [raw for _, raw in spellings], sum(c for c, _ in spellings))
            )
        return sorted(result, key=lambda g: (-g[2], g[0].casefold()))

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
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "INSERT INTO campaigns (event_id, kind, segment, created_by, created_at, status, "
                "body, started_at, language) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
                (
                    event_id, kind, json.dumps(segment, ensure_ascii=False), created_by,
                    to_db(now), status, body, None if status == "draft" else to_db(now),
                    language,
                ),
            )  # fmt: skip
            assert row is not None
            return int(row[0])

    async def activate_campaign(self, campaign_id: int, now: datetime) -> int:
        """Release a draft campaign's held rows to the sender, atomically. Returns the count."""
        async with self.database.transaction() as db:
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

    async def cancel_campaign(self, campaign_id: int, now: datetime) -> int:
        """Stop a running campaign: its unsent rows stay 'pending' but are held, so the
        sender skips them (and a resume can release them). Returns how many are held."""
        async with self.database.transaction() as db:
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
        async with self.database.transaction() as db:
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
        changed = await self.database.execute(
            "UPDATE campaigns SET status = 'done', finished_at = ? WHERE id = ? "
            "AND status = 'running' AND NOT EXISTS (SELECT 1 FROM outbox WHERE campaign_id = ? "
            "AND status IN ('pending', 'sending'))",
            (to_db(now), campaign_id, campaign_id),
        )
        return changed > 0

    async def finish_done_campaigns(self, now: datetime) -> int:
        """Mark every running campaign with nothing left to send as done (cheap: by index)."""
        return await self.database.execute(
            "UPDATE campaigns SET status = 'done', finished_at = ? WHERE status = 'running' "
            "AND started_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o "
            "WHERE o.campaign_id = campaigns.id AND o.status IN ('pending', 'sending'))",
            (to_db(now),),
        )

    async def set_campaign_progress_message(
        self, campaign_id: int, chat_id: int, message_id: int
    ) -> None:
        await self.database.execute(
            "UPDATE campaigns SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, campaign_id),
        )

    async def mark_campaign_reported(self, campaign_id: int, now: datetime) -> bool:
        """True for the one caller that gets to send the final report."""
        changed = await self.database.execute(
            "UPDATE campaigns SET reported_at = ? WHERE id = ? AND reported_at IS NULL "
            "AND status IN ('done', 'cancelled')",
            (to_db(now), campaign_id),
        )
        return changed > 0

    async def campaign_progress(self, campaign_id: int) -> CampaignProgress | None:
        row = await self.database.fetch_one(_PROGRESS_SQL + " WHERE c.id = ?", (campaign_id,))
        return None if row is None else _progress(row)

    async def campaigns_to_report(self) -> list[CampaignProgress]:
        """Campaigns with a live progress message and no final report yet."""
        rows = await self.database.fetch_all(
            _PROGRESS_SQL + " WHERE c.progress_message_id IS NOT NULL AND c.reported_at IS NULL "
            "AND c.status IN ('running', 'done', 'cancelled') ORDER BY c.id"
        )
        return [_progress(r) for r in rows]

    async def running_campaigns(self, created_by: int | None = None) -> list[int]:
        if created_by is None:
            rows = await self.database.fetch_all(
                "SELECT id FROM campaigns WHERE status = 'running'"
            )
        else:
            rows = await self.database.fetch_all(
                "SELECT id FROM campaigns WHERE status = 'running' AND created_by = ? ORDER BY id",
                (created_by,),
            )
        return [int(r[0]) for r in rows]

    async def add_possible_duplicates(self, campaign_id: int, count: int = 1) -> None:
        await self.database.execute(
            "UPDATE campaigns SET possible_duplicates = possible_duplicates + ? WHERE id = ?",
            (count, campaign_id),
        )

    # -- drafts across workers ---------------------------------------------------------------

    async def set_campaign_queuer(self, campaign_id: int, worker: str) -> None:
        """The worker queueing a draft: another worker's sender discards the draft only
        when that worker is gone (:meth:`discard_orphan_drafts`)."""
        await self.database.execute(
            "UPDATE campaigns SET queued_by = ? WHERE id = ?", (worker, campaign_id)
        )

    async def discard_orphan_drafts(
        self, worker: str, *, live_at: datetime, own: bool, unclaimed_before: datetime
    ) -> list[tuple[int, int | None, int | None, str | None]]:
        """Drafts nobody will finish queueing, deleted with their rows (nothing of them was
        sent): those whose worker holds no live ``worker:<id>`` lease, with ``own`` those
        of ``worker`` itself (a restart), and those created before ``unclaimed_before``
        without a worker (from before the upgrade). ``live_at``: the real time now, as
        leases are stamped. Returns (id, progress chat, progress
        message, language) of each."""
        conditions = [
            "(c.queued_by IS NULL AND c.created_at < ?)",
            "(c.queued_by IS NOT NULL AND c.queued_by <> ? AND NOT EXISTS (SELECT 1 FROM "
            "leases l WHERE l.name = 'worker:' || c.queued_by AND l.expires_at >= ?))",
        ]
        params: list[Any] = [to_db(unclaimed_before), worker, stamp_ms(live_at)]
        if own:
            conditions.append("c.queued_by = ?")
            params.append(worker)
        async with self.database.transaction() as db:
            drafts = [
                (int(r[0]), r[1], r[2], r[3])
                for r in await db.fetch_all(
                    "SELECT c.id, c.progress_chat_id, c.progress_message_id, c.language "
                    "FROM campaigns c WHERE c.status = 'draft' AND ("
                    + " OR ".join(conditions)
                    + ")",
                    params,
                )
            ]
            for campaign_id, *_ in drafts:
                await db.execute("DELETE FROM outbox WHERE campaign_id = ?", (campaign_id,))
                await db.execute("DELETE FROM campaigns WHERE id = ?", (campaign_id,))
        return drafts


# A row going back to pending is held if its campaign is not running (stopped meanwhile).
_HELD_BY_CAMPAIGN = (
    "COALESCE((SELECT CASE WHEN c.status IN ('draft', 'cancelled') THEN 1 ELSE 0 END "
    "FROM campaigns c WHERE c.id = outbox.campaign_id), 0)"
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
            return await db.executemany(
                "INSERT INTO outbox (campaign_id, chat_id, participant_id, dedup_key, payload, "
                "not_before, created_at, updated_at, on_hold) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(dedup_key) DO NOTHING",
                [
                    (campaign_id, i.chat_id, i.participant_id, i.dedup_key, i.payload, due, stamp,
                     stamp, held)
                    for i in items
                ],
            )  # fmt: skip

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
                        f"attempts = attempts + ?, updated_at = ? "
                        f"WHERE id IN ({','.join('?' * len(ids))})",
                        (status, error, int(status == "sending"), stamp, *ids),
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
            f"UPDATE outbox SET status = 'pending', "
            f"attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
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

    # -- claims across workers (docs/operations.md, "Several workers") -----------------------
    #
    # The sender of a bot runs in one worker at a time (its lease, bot/leases.py), but a
    # worker that lost its lease may still be finishing its sends while the next holder
    # starts. So a row is claimed *by a worker until a moment*: the claimer extends its
    # claims while it sends, and recovery takes back only rows whose claim expired (or that
    # the same worker claimed in a previous life), never rows a live worker is sending.
    # On PostgreSQL the claim skips rows another transaction holds (FOR UPDATE SKIP LOCKED).

    async def claim_due_for(
        self,
        worker: str,
        now: datetime,
        limit: int,
        *,
        until: datetime,
        exclude_chats: Collection[int] = (),
    ) -> list[OutboxRow]:
        """Like :meth:`claim_due`, and the rows are marked claimed by ``worker`` until
        ``until`` (:meth:`extend_claims` keeps them so while they are being sent)."""
        excluded = list(exclude_chats)[:500]
        marks = ",".join("?" * len(excluded))
        skip_chats = f"AND o.chat_id NOT IN ({marks})" if excluded else ""
        lock = " FOR UPDATE OF o SKIP LOCKED" if self.database.engine == "postgresql" else ""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            found = list(
                await db.fetch_all(
                    f"""SELECT o.id, o.campaign_id, o.chat_id, o.participant_id, o.payload,
                          o.attempts,
                          CASE WHEN p.opted_out_at IS NOT NULL OR p.forgotten_at IS NOT NULL
                               THEN 1 ELSE 0 END AS gone,
                          CASE WHEN p.unreachable_at IS NOT NULL THEN 1 ELSE 0 END
                               AS unreachable
                   FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id
                   WHERE o.status = 'pending' AND o.on_hold = 0 AND o.not_before <= ?
                         {skip_chats}
                   ORDER BY o.not_before, o.id LIMIT ?{lock}""",
                    (stamp, *excluded, limit),
                )
            )
            rows = [OutboxRow(*r[:6]) for r in found if r[6] != 1 and r[7] != 1]
            gone = [r[0] for r in found if r[6] == 1]
            unreachable = [r[0] for r in found if r[7] == 1 and r[6] != 1]
            if rows:
                ids = [r.id for r in rows]
                await db.execute(
                    f"UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                    f"claimed_by = ?, claim_expires_at = ?, updated_at = ? "
                    f"WHERE id IN ({','.join('?' * len(ids))})",
                    (worker, to_db(until), stamp, *ids),
                )
            for ids, status, error in (
                (gone, "cancelled", "opted out"),
                (unreachable, "unreachable", "skipped: unreachable"),
            ):
                if ids:
                    await db.execute(
                        f"UPDATE outbox SET status = ?, error = ?, updated_at = ? "
                        f"WHERE id IN ({','.join('?' * len(ids))})",
                        (status, error, stamp, *ids),
                    )
        return rows

    async def extend_claims(self, worker: str, *, until: datetime) -> int:
        """``worker`` is alive and still sending its claimed rows: keep them until ``until``."""
        return await self.database.execute(
            "UPDATE outbox SET claim_expires_at = ? WHERE status = 'sending' AND claimed_by = ?",
            (to_db(until), worker),
        )

    async def recover_claims(self, worker: str, now: datetime, *, own: bool = False) -> int:
        """Rows left 'sending' whose claim expired (their worker died or stopped renewing),
        and with ``own`` those ``worker`` claimed before a restart, go back to pending and
        are counted on their campaign as possible duplicates. Rows a live worker is
        sending are not touched. Returns how many."""
        stale = "(o.claim_expires_at IS NULL OR o.claim_expires_at < ?"
        params: list[Any] = [to_db(now)]
        if own:
            stale += " OR o.claimed_by = ?"
            params.append(worker)
        stale += ")"
        async with self.database.transaction() as db:
            await db.execute(
                "UPDATE campaigns SET possible_duplicates = possible_duplicates + ("
                "SELECT COUNT(*) FROM outbox o WHERE o.campaign_id = campaigns.id "
                f"AND o.status = 'sending' AND {stale}) WHERE id IN ("
                f"SELECT o.campaign_id FROM outbox o WHERE o.status = 'sending' AND {stale})",
                (*params, *params),
            )
            cur = await db.execute(
                f"UPDATE outbox SET status = 'pending', on_hold = {_HELD_BY_CAMPAIGN}, "
                "claimed_by = NULL, claim_expires_at = NULL, updated_at = ? "
                f"WHERE id IN (SELECT o.id FROM outbox o WHERE o.status = 'sending' AND {stale})",
                (to_db(now), *params),
            )
            return int(cur.rowcount)

    async def finish_claimed(
        self, outcomes: Sequence[Outcome], *, worker: str, now: datetime
    ) -> int:
        """Record outcomes of rows ``worker`` still holds the claim of (a row taken back
        meanwhile by recovery is left to its new claimer). Returns how many were recorded."""
        if not outcomes:
            return 0
        stamp = to_db(now)
        recorded = 0
        async with self.database.transaction() as db:
            for o in outcomes:
                cur = await db.execute(
                    "UPDATE outbox SET status = ?, message_id = ?, error = ?, updated_at = ?, "
                    "attempts = COALESCE(?, attempts), claim_expires_at = NULL "
                    "WHERE id = ? AND status = 'sending' AND claimed_by = ?",
                    (o.status, o.message_id, o.error, stamp, o.attempts, o.row_id, worker),
                )
                recorded += int(cur.rowcount)
        return recorded

    async def release_claimed(self, row_ids: Sequence[int], *, worker: str, now: datetime) -> None:
        """Put ``worker``'s claimed rows back to pending, unsent (the sender stopping, or
        their campaign stopped)."""
        if not row_ids:
            return
        marks = ",".join("?" * len(row_ids))
        await self.database.execute(
            f"UPDATE outbox SET status = 'pending', "
            f"attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
            f"on_hold = {_HELD_BY_CAMPAIGN}, claimed_by = NULL, "
            f"claim_expires_at = NULL, updated_at = ? "
            f"WHERE status = 'sending' AND claimed_by = ? AND id IN ({marks})",
            (to_db(now), worker, *row_ids),
        )

    async def claimed_count(self, worker: str | None = None) -> int:
        """Rows being sent now (by ``worker``, or by anyone)."""
        if worker is None:
            return int(
                await self.database.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
            )
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND claimed_by = ?",
                (worker,),
            )
        )
