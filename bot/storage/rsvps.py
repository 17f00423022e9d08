"""RSVP queries. Capacity and the waitlist are decided inside one immediate transaction, so
simultaneous presses can never put more people on "yes" than the event has places."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.models import RsvpCounts, RsvpListEntry, RsvpStatus
from bot.storage.base import StorageBase, from_db_required, to_db


@dataclass(frozen=True, slots=True)
class RsvpChange:
    previous: RsvpStatus | None
    current: RsvpStatus
    promoted: tuple[int, ...] = ()  # participant ids moved from the waitlist to yes

    @property
    def changed(self) -> bool:
        return self.previous != self.current


@dataclass(frozen=True, slots=True)
class Recipient:
    participant_id: int
    telegram_id: int
    language: str | None


@dataclass(frozen=True, slots=True)
class MyRsvp:
    event_id: int
    title: str
    starts_at: datetime
    timezone: str
    status: RsvpStatus


async def _status(
    db: aiosqlite.Connection, event_id: int, participant_id: int
) -> RsvpStatus | None:
    async with db.execute(
        "SELECT status FROM rsvps WHERE event_id = ? AND participant_id = ?",
        (event_id, participant_id),
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else RsvpStatus(row[0])


async def _write(
    db: aiosqlite.Connection,
    event_id: int,
    participant_id: int,
    status: RsvpStatus,
    reason: str,
    stamp: str | None,
) -> None:
    cur = await db.execute(
        "INSERT INTO rsvp_history (event_id, participant_id, status, reason, changed_at) "
        "VALUES (?,?,?,?,?)",
        (event_id, participant_id, status.value, reason, stamp),
    )
    seq = cur.lastrowid if status is RsvpStatus.WAITLIST else None
    await db.execute(
        """INSERT INTO rsvps (event_id, participant_id, status, waitlist_seq, updated_at)
           VALUES (?,?,?,?,?)
           ON CONFLICT(event_id, participant_id) DO UPDATE SET status=excluded.status,
               waitlist_seq=excluded.waitlist_seq, updated_at=excluded.updated_at""",
        (event_id, participant_id, status.value, seq, stamp),
    )


async def _yes_count(db: aiosqlite.Connection, event_id: int) -> int:
    async with db.execute(
        "SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'yes'", (event_id,)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def _promote(
    db: aiosqlite.Connection, event_id: int, capacity: int | None, stamp: str | None
) -> list[int]:
    promoted: list[int] = []
    while True:
        if capacity is not None and await _yes_count(db, event_id) >= capacity:
            return promoted
        async with db.execute(
            "SELECT participant_id FROM rsvps WHERE event_id = ? AND status = 'waitlist' "
            "ORDER BY waitlist_seq LIMIT 1",
            (event_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return promoted
        await _write(db, event_id, int(row[0]), RsvpStatus.YES, "promoted", stamp)
        promoted.append(int(row[0]))


class RsvpQueries(StorageBase):
    async def apply_rsvp(
        self,
        event_id: int,
        participant_id: int,
        wanted: RsvpStatus,
        *,
        capacity: int | None,
        now: datetime,
        reason: str = "participant",
        invite_source: str | None = None,
    ) -> RsvpChange:
        """Set an answer; "yes" over capacity becomes "waitlist"; a freed place promotes.

        With ``invite_source`` the person is also recorded as invited (if not yet), in the
        same transaction: an answer always belongs to an invitee."""
        if wanted is RsvpStatus.WAITLIST:
            raise ValueError("nobody asks for the waitlist; they ask for yes")
        stamp = to_db(now)
        async with self._tx() as db:
            if invite_source is not None:
                await db.execute(
                    "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (event_id, participant_id, invite_source, stamp),
                )
            previous = await _status(db, event_id, participant_id)
            if wanted is RsvpStatus.YES and previous in (RsvpStatus.YES, RsvpStatus.WAITLIST):
                return RsvpChange(previous, previous)  # a double tap changes nothing
            if wanted is previous:
                return RsvpChange(previous, wanted)
            current: RsvpStatus = wanted
            if (
                wanted is RsvpStatus.YES
                and capacity is not None
                and await _yes_count(db, event_id) >= capacity
            ):
                current = RsvpStatus.WAITLIST
            await _write(db, event_id, participant_id, current, reason, stamp)
            promoted: list[int] = []
            if previous is RsvpStatus.YES:
                promoted = await _promote(db, event_id, capacity, stamp)
        return RsvpChange(previous, current, tuple(promoted))

    async def promote_waitlist(
        self, event_id: int, capacity: int | None, now: datetime
    ) -> list[int]:
        """Fill places freed by a larger capacity; returns the promoted participant ids."""
        async with self._tx() as db:
            return await _promote(db, event_id, capacity, to_db(now))

    async def get_rsvp(self, event_id: int, participant_id: int) -> RsvpStatus | None:
        async with self._lock:
            return await _status(self.db, event_id, participant_id)

    async def rsvp_counts(self, event_ids: Sequence[int]) -> dict[int, RsvpCounts]:
        if not event_ids:
            return {}
        marks = ",".join("?" * len(event_ids))
        rows = await self._fetchall(
            f"""SELECT e.id,
                   (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.id) AS invited,
                   SUM(r.status = 'yes') AS yes, SUM(r.status = 'no') AS no,
                   SUM(r.status = 'maybe') AS maybe, SUM(r.status = 'waitlist') AS waitlist
                FROM events e LEFT JOIN rsvps r ON r.event_id = e.id
                WHERE e.id IN ({marks}) GROUP BY e.id""",
            event_ids,
        )
        return {
            r["id"]: RsvpCounts(
                yes=r["yes"] or 0,
                no=r["no"] or 0,
                maybe=r["maybe"] or 0,
                waitlist=r["waitlist"] or 0,
                invited=r["invited"] or 0,
            )
            for r in rows
        }

    async def rsvp_list(self, event_id: int) -> list[RsvpListEntry]:
        rows = await self._fetchall(
            """SELECT p.id, COALESCE(p.name, '') AS name, COALESCE(p.organisation, '') AS org,
                      r.status
               FROM rsvps r JOIN participants p ON p.id = r.participant_id
               WHERE r.event_id = ?
               ORDER BY org COLLATE NOCASE, name COLLATE NOCASE, p.id""",
            (event_id,),
        )
        return [RsvpListEntry(r["id"], r["name"], r["org"], RsvpStatus(r["status"])) for r in rows]

    async def participant_rsvps(self, participant_id: int, *, ends_after: datetime) -> list[MyRsvp]:
        rows = await self._fetchall(
            """SELECT e.id, e.title, e.starts_at, e.timezone, r.status
               FROM rsvps r JOIN events e ON e.id = r.event_id
               WHERE r.participant_id = ? AND e.status = 'active' AND e.ends_at > ?
               ORDER BY e.starts_at""",
            (participant_id, to_db(ends_after)),
        )
        return [
            MyRsvp(
                r["id"], r["title"], from_db_required(r["starts_at"]), r["timezone"],
                RsvpStatus(r["status"]),
            )
            for r in rows
        ]  # fmt: skip

    async def event_recipients(
        self, event_id: int, statuses: Sequence[RsvpStatus]
    ) -> list[Recipient]:
        """Reachable participants of the event whose answer is one of ``statuses``."""
        marks = ",".join("?" * len(statuses))
        rows = await self._fetchall(
            f"""SELECT p.id, p.telegram_id, p.language FROM rsvps r
                JOIN participants p ON p.id = r.participant_id
                WHERE r.event_id = ? AND r.status IN ({marks}) AND p.telegram_id IS NOT NULL
                  AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL
                ORDER BY p.id""",
            (event_id, *[s.value for s in statuses]),
        )
        return [Recipient(r["id"], r["telegram_id"], r["language"]) for r in rows]

    async def participants_by_ids(self, ids: Sequence[int]) -> list[Recipient]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._fetchall(
            f"SELECT id, telegram_id, language FROM participants WHERE id IN ({marks}) "
            "AND telegram_id IS NOT NULL AND unreachable_at IS NULL AND opted_out_at IS NULL",
            ids,
        )
        return [Recipient(r["id"], r["telegram_id"], r["language"]) for r in rows]
