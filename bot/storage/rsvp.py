"""RSVP queries. Capacity and the waitlist are decided inside one immediate transaction, so
simultaneous presses can never put more people on "yes" than the event has places.

Waitlist offers (docs/attendance.md): when an event has an offer window
(``attendance_settings.offer_minutes``), a freed place is not given at once but offered to
the first person on the waitlist until the offer expires. An open offer holds its place:
"taken" places are the yes answers plus the open offers, and a new "yes" only gets a place
when taken < capacity, so accepting an offer can never overfill the event."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from bot.models import (
    AnswerWindow,
    LapsedOffers,
    MyRsvp,
    OfferOutcome,
    OfferResult,
    Recipient,
    RsvpAnswered,
    RsvpChange,
    RsvpCounts,
    RsvpListEntry,
    RsvpStatus,
)
from bot.storage.database import Database, from_db_required, to_db
from bot.storage.events import _EVENT_COLUMNS, _EVENT_FROM, _event

R = TypeVar("R")


# The helpers below run on the connection's own thread, inside a transaction that
# ``Database.run_transaction`` began there: a whole RSVP transaction is one hop from the event loop.


def _status(db: sqlite3.Connection, event_id: int, participant_id: int) -> RsvpStatus | None:
    row = db.execute(
        "SELECT status FROM rsvps WHERE event_id = ? AND participant_id = ?",
        (event_id, participant_id),
    ).fetchone()
    return None if row is None else RsvpStatus(row[0])


def _write(
    db: sqlite3.Connection,
    event_id: int,
    participant_id: int,
    status: RsvpStatus,
    reason: str,
    stamp: str | None,
) -> None:
    cur = db.execute(
        "INSERT INTO rsvp_history (event_id, participant_id, status, reason, changed_at) "
        "VALUES (?,?,?,?,?)",
        (event_id, participant_id, status.value, reason, stamp),
    )
    seq = cur.lastrowid if status is RsvpStatus.WAITLIST else None
    db.execute(
        """INSERT INTO rsvps (event_id, participant_id, status, waitlist_seq, updated_at)
           VALUES (?,?,?,?,?)
           ON CONFLICT(event_id, participant_id) DO UPDATE SET status=excluded.status,
               waitlist_seq=excluded.waitlist_seq, updated_at=excluded.updated_at""",
        (event_id, participant_id, status.value, seq, stamp),
    )


def _taken(db: sqlite3.Connection, event_id: int) -> int:
    """Places in use: yes answers plus open offers (an offer holds its place)."""
    row = db.execute(
        "SELECT (SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'yes') + "
        "(SELECT COUNT(*) FROM waitlist_offers WHERE event_id = ? AND state = 'open')",
        (event_id, event_id),
    ).fetchone()
    return int(row[0]) if row else 0


def _offer_minutes(db: sqlite3.Connection, event_id: int) -> int | None:
    row = db.execute(
        "SELECT offer_minutes FROM attendance_settings WHERE event_id = ?", (event_id,)
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _promote(
    db: sqlite3.Connection, event_id: int, capacity: int | None, now: datetime
) -> tuple[list[int], list[int]]:
    """Fill free places from the waitlist, in order: at once, or (with an offer window) by
    offering each place to the next person. Returns (promoted, offered) participant ids."""
    stamp = to_db(now)
    minutes = _offer_minutes(db, event_id)
    promoted: list[int] = []
    offered: list[int] = []
    while True:
        if capacity is not None and _taken(db, event_id) >= capacity:
            break
        row = db.execute(
            "SELECT r.participant_id, e.starts_at FROM rsvps r JOIN events e ON e.id = r.event_id "
            "WHERE r.event_id = ? AND r.status = 'waitlist' AND NOT EXISTS (SELECT 1 FROM "
            "waitlist_offers o WHERE o.event_id = r.event_id AND o.participant_id = "
            "r.participant_id AND o.state = 'open') ORDER BY r.waitlist_seq LIMIT 1",
            (event_id,),
        ).fetchone()
        if row is None:
            break
        participant_id = int(row[0])
        if minutes is None:
            _write(db, event_id, participant_id, RsvpStatus.YES, "promoted", stamp)
            promoted.append(participant_id)
            continue
        # An offer ends at the latest when the event starts; once it has, none is made.
        expires = min(now + timedelta(minutes=minutes), from_db_required(row[1]))
        if expires <= now:
            break
        db.execute(
            "INSERT INTO waitlist_offers (event_id, participant_id, offered_at, expires_at) "
            "VALUES (?,?,?,?)",
            (event_id, participant_id, stamp, to_db(expires)),
        )
        offered.append(participant_id)
    return promoted, offered


def _open_offer(
    db: sqlite3.Connection, event_id: int, participant_id: int
) -> tuple[int, datetime] | None:
    row = db.execute(
        "SELECT id, expires_at FROM waitlist_offers WHERE event_id = ? AND participant_id = ? "
        "AND state = 'open'",
        (event_id, participant_id),
    ).fetchone()
    return None if row is None else (int(row[0]), from_db_required(row[1]))


def _close_offer(db: sqlite3.Connection, offer_id: int, state: str, stamp: str | None) -> None:
    db.execute(
        "UPDATE waitlist_offers SET state = ?, answered_at = ? WHERE id = ? AND state = 'open'",
        (state, stamp, offer_id),
    )


def _event_capacity(db: sqlite3.Connection, event_id: int) -> int | None:
    row = db.execute("SELECT capacity FROM events WHERE id = ?", (event_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _apply(
    db: sqlite3.Connection,
    event_id: int,
    participant_id: int,
    wanted: RsvpStatus,
    *,
    capacity: int | None,
    now: datetime,
    reason: str = "participant",
    invite_source: str | None = None,
) -> RsvpChange:
    """The body of :meth:`RsvpRepository.apply_rsvp` (inside its transaction)."""
    stamp = to_db(now)
    if invite_source is not None:
        db.execute(
            "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (event_id, participant_id, invite_source, stamp),
        )
    previous = _status(db, event_id, participant_id)
    offer = _open_offer(db, event_id, participant_id)
    if (
        wanted is RsvpStatus.YES
        and previous is RsvpStatus.WAITLIST
        and offer is not None
        and offer[1] > now
    ):
        # "Yes" from someone holding an offer accepts it (its place is theirs).
        _close_offer(db, offer[0], "accepted", stamp)
        _write(db, event_id, participant_id, RsvpStatus.YES, "offer", stamp)
        return RsvpChange(previous, RsvpStatus.YES)
    if wanted is RsvpStatus.YES and previous in (RsvpStatus.YES, RsvpStatus.WAITLIST):
        return RsvpChange(previous, previous)  # a double tap changes nothing
    if wanted is previous:
        return RsvpChange(previous, wanted)
    current: RsvpStatus = wanted
    if wanted is RsvpStatus.YES and capacity is not None and _taken(db, event_id) >= capacity:
        current = RsvpStatus.WAITLIST
    _write(db, event_id, participant_id, current, reason, stamp)
    promoted: list[int] = []
    offered: list[int] = []
    if offer is not None:  # leaving the waitlist gives up the offered place
        _close_offer(db, offer[0], "withdrawn", stamp)
    if previous is RsvpStatus.YES or offer is not None:
        promoted, offered = _promote(db, event_id, capacity, now)
    return RsvpChange(previous, current, tuple(promoted), tuple(offered))


_COUNTS_SQL = """SELECT e.id,
       (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.id) AS invited,
       SUM(r.status = 'yes') AS yes, SUM(r.status = 'no') AS no,
       SUM(r.status = 'maybe') AS maybe, SUM(r.status = 'waitlist') AS waitlist
    FROM events e LEFT JOIN rsvps r ON r.event_id = e.id
    WHERE e.id IN ({marks}) GROUP BY e.id"""


def _counts(row: sqlite3.Row) -> RsvpCounts:
    return RsvpCounts(
        yes=row["yes"] or 0,
        no=row["no"] or 0,
        maybe=row["maybe"] or 0,
        waitlist=row["waitlist"] or 0,
        invited=row["invited"] or 0,
    )


class RsvpRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

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
        return await self.database.run_transaction(
            lambda db: _apply(
                db, event_id, participant_id, wanted, capacity=capacity, now=now,
                reason=reason, invite_source=invite_source,
            )
        )  # fmt: skip

    async def answer_rsvp(
        self,
        event_id: int,
        participant_id: int,
        wanted: RsvpStatus,
        *,
        now: datetime,
        window: AnswerWindow[R],
    ) -> RsvpAnswered[R]:
        """A participant's press, in one transaction and one hop to the database thread:
        read the event, ask ``window`` whether it still takes answers, apply the answer
        (as :meth:`apply_rsvp`) and count the answers for the card."""
        if wanted is RsvpStatus.WAITLIST:
            raise ValueError("nobody asks for the waitlist; they ask for yes")

        def work(db: sqlite3.Connection) -> RsvpAnswered[R]:
            row = db.execute(
                f"SELECT {_EVENT_COLUMNS} FROM {_EVENT_FROM} WHERE e.id = ?", (event_id,)
            ).fetchone()
            if row is None:
                return RsvpAnswered(None)
            event = _event(row)
            refused = window(event, now)
            if refused is not None:
                return RsvpAnswered(event, refused)
            change = _apply(db, event_id, participant_id, wanted, capacity=event.capacity, now=now)
            counted = db.execute(_COUNTS_SQL.format(marks="?"), (event_id,)).fetchone()
            return RsvpAnswered(event, None, change, _counts(counted) if counted else None)

        return await self.database.run_transaction(work)

    async def promote_waitlist(
        self, event_id: int, capacity: int | None, now: datetime
    ) -> list[int]:
        """Fill places freed by a larger capacity; returns the promoted participant ids
        (with an offer window, places are offered instead and sent by the due-work pass)."""
        return await self.database.run_transaction(
            lambda db: _promote(db, event_id, capacity, now)[0]
        )

    async def answer_offer(
        self, event_id: int, participant_id: int, *, accept: bool, now: datetime
    ) -> OfferResult:
        """Confirm or decline an offered place. A decline leaves the waitlist ("no") and
        offers the place to the next person, in the same transaction."""
        stamp = to_db(now)

        def work(db: sqlite3.Connection) -> OfferResult:
            offer = _open_offer(db, event_id, participant_id)
            status = _status(db, event_id, participant_id)
            if offer is None or status is not RsvpStatus.WAITLIST:
                return OfferResult(OfferOutcome.NONE)
            if offer[1] <= now:
                return OfferResult(OfferOutcome.EXPIRED)
            if accept:
                _close_offer(db, offer[0], "accepted", stamp)
                _write(db, event_id, participant_id, RsvpStatus.YES, "offer", stamp)
                return OfferResult(OfferOutcome.ACCEPTED)
            _close_offer(db, offer[0], "declined", stamp)
            _write(db, event_id, participant_id, RsvpStatus.NO, "offer-declined", stamp)
            capacity = _event_capacity(db, event_id)
            _, offered = _promote(db, event_id, capacity, now)
            return OfferResult(OfferOutcome.DECLINED, tuple(offered))

        return await self.database.run_transaction(work)

    async def expire_offers(self, now: datetime) -> LapsedOffers:
        """Lapse every open offer whose time is up (the person leaves the waitlist) and
        fill the freed places: the next person is offered the place, or promoted when the
        event no longer has an offer window. Also fills places that are free while people
        wait (an offer withdrawn by a forgotten person, a window switched off)."""
        stamp = to_db(now)

        def work(db: sqlite3.Connection) -> LapsedOffers:
            lapsed: list[tuple[int, int, int]] = []
            promoted: list[tuple[int, int]] = []
            offered: list[tuple[int, int]] = []
            due = [
                (int(r[0]), int(r[1]), int(r[2]))
                for r in db.execute(
                    "SELECT id, event_id, participant_id FROM waitlist_offers "
                    "WHERE state = 'open' AND expires_at <= ? ORDER BY expires_at, id",
                    (stamp,),
                ).fetchall()
            ]
            events: set[int] = set()
            for offer_id, event_id, participant_id in due:
                _close_offer(db, offer_id, "expired", stamp)
                if _status(db, event_id, participant_id) is RsvpStatus.WAITLIST:
                    _write(db, event_id, participant_id, RsvpStatus.NO, "offer-lapsed", stamp)
                    lapsed.append((event_id, participant_id, offer_id))
                events.add(event_id)
            waiting = db.execute(
                "SELECT DISTINCT r.event_id FROM rsvps r JOIN events e ON e.id = r.event_id "
                "WHERE r.status = 'waitlist' AND e.status = 'active' AND e.starts_at > ? "
                "AND (e.capacity IS NULL OR e.capacity > (SELECT COUNT(*) FROM rsvps y "
                "WHERE y.event_id = e.id AND y.status = 'yes') + (SELECT COUNT(*) FROM "
                "waitlist_offers o WHERE o.event_id = e.id AND o.state = 'open'))",
                (stamp,),
            ).fetchall()
            events.update(int(r[0]) for r in waiting)
            for event_id in sorted(events):
                capacity = _event_capacity(db, event_id)
                now_promoted, now_offered = _promote(db, event_id, capacity, now)
                promoted += [(event_id, p) for p in now_promoted]
                offered += [(event_id, p) for p in now_offered]
            return LapsedOffers(tuple(lapsed), tuple(promoted), tuple(offered))

        return await self.database.run_transaction(work)

    async def get_rsvp(self, event_id: int, participant_id: int) -> RsvpStatus | None:
        return await self.database.run(lambda db: _status(db, event_id, participant_id))

    async def rsvp_counts(self, event_ids: Sequence[int]) -> dict[int, RsvpCounts]:
        if not event_ids:
            return {}
        marks = ",".join("?" * len(event_ids))
        rows = await self.database.fetch_all(_COUNTS_SQL.format(marks=marks), event_ids)
        return {r["id"]: _counts(r) for r in rows}

    async def rsvp_list(self, event_id: int) -> list[RsvpListEntry]:
        rows = await self.database.fetch_all(
            """SELECT p.id, COALESCE(p.name, '') AS name, COALESCE(p.organisation, '') AS org,
                      r.status
               FROM rsvps r JOIN participants p ON p.id = r.participant_id
               WHERE r.event_id = ? AND p.forgotten_at IS NULL
               ORDER BY org COLLATE NOCASE, name COLLATE NOCASE, p.id""",
            (event_id,),
        )
        return [RsvpListEntry(r["id"], r["name"], r["org"], RsvpStatus(r["status"])) for r in rows]

    async def organisation_answers(self, event_id: int) -> list[tuple[str, str, int]]:
        """(organisation, answer, people) of one event's answers, from its own rows (the
        primary key's event prefix); organisation '' = not given."""
        rows = await self.database.fetch_all(
            """SELECT COALESCE(TRIM(p.organisation), '') AS org, r.status, COUNT(*) AS n
               FROM rsvps r JOIN participants p ON p.id = r.participant_id
               WHERE r.event_id = ? AND p.forgotten_at IS NULL
               GROUP BY COALESCE(TRIM(p.organisation), ''), r.status""",
            (event_id,),
        )
        return [(r["org"], r["status"], r["n"]) for r in rows]

    async def participant_rsvps(self, participant_id: int, *, ends_after: datetime) -> list[MyRsvp]:
        rows = await self.database.fetch_all(
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
        rows = await self.database.fetch_all(
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
        rows = await self.database.fetch_all(
            f"SELECT id, telegram_id, language FROM participants WHERE id IN ({marks}) "
            "AND telegram_id IS NOT NULL AND unreachable_at IS NULL AND opted_out_at IS NULL",
            ids,
        )
        return [Recipient(r["id"], r["telegram_id"], r["language"]) for r in rows]
