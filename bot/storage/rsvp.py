"""RSVP queries. Capacity and the waitlist are decided inside one immediate transaction, so
simultaneous presses can never put more people on "yes" than the event has places.

Waitlist offers (docs/attendance.md): when an event has an offer window
(``attendance_settings.offer_minutes``), a freed place is not given at once but offered to
the first person on the waitlist until the offer expires. An open offer holds its place:
"taken" places are the yes answers plus the open offers, and a new "yes" only gets a place
when taken < capacity, so accepting an offer can never overfill the event."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

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
from bot.storage.database import (
    Database,
    Row,
    Step,
    every,
    from_db_required,
    lock,
    one,
    to_db,
    write,
)
from bot.storage.events import _EVENT_COLUMNS, _EVENT_FROM, _event

R = TypeVar("R")
T = TypeVar("T")
# A piece of an RSVP transaction, written once for both engines (bot/storage/database.py):
# on SQLite a whole transaction runs on the connection's thread in one hop; on PostgreSQL
# it is an async transaction that first locks the event's row (``lock``), so capacity and
# the waitlist hold across connections and worker processes.
Steps = Generator[Step, Any, T]


def _status(event_id: int, participant_id: int) -> Steps[RsvpStatus | None]:
    row = yield from one(
        "SELECT status FROM rsvps WHERE event_id = ? AND participant_id = ?",
        (event_id, participant_id),
    )
    return None if row is None else RsvpStatus(row[0])


def _write(
    event_id: int,
    participant_id: int,
    status: RsvpStatus,
    reason: str,
    stamp: str | None,
) -> Steps[None]:
    row = yield from one(
        "INSERT INTO rsvp_history (event_id, participant_id, status, reason, changed_at) "
        "VALUES (?,?,?,?,?) RETURNING id",
        (event_id, participant_id, status.value, reason, stamp),
    )
    seq = row[0] if row is not None and status is RsvpStatus.WAITLIST else None
    yield from write(
        """INSERT INTO rsvps (event_id, participant_id, status, waitlist_seq, updated_at)
           VALUES (?,?,?,?,?)
           ON CONFLICT(event_id, participant_id) DO UPDATE SET status=excluded.status,
               waitlist_seq=excluded.waitlist_seq, updated_at=excluded.updated_at""",
        (event_id, participant_id, status.value, seq, stamp),
    )


def _taken(event_id: int) -> Steps[int]:
    """Places in use: yes answers plus open offers (an offer holds its place)."""
    row = yield from one(
        "SELECT (SELECT COUNT(*) FROM rsvps WHERE event_id = ? AND status = 'yes') + "
        "(SELECT COUNT(*) FROM waitlist_offers WHERE event_id = ? AND state = 'open')",
        (event_id, event_id),
    )
    return int(row[0]) if row else 0


def _offer_minutes(event_id: int) -> Steps[int | None]:
    row = yield from one(
        "SELECT offer_minutes FROM attendance_settings WHERE event_id = ?", (event_id,)
    )
    return None if row is None or row[0] is None else int(row[0])


def _promote(
    event_id: int, capacity: int | None, now: datetime
) -> Steps[tuple[list[int], list[int]]]:
    """Fill free places from the waitlist, in order: at once, or (with an offer window) by
    offering each place to the next person. Returns (promoted, offered) participant ids."""
    stamp = to_db(now)
    minutes = yield from _offer_minutes(event_id)
    promoted: list[int] = []
    offered: list[int] = []
    while True:
        if capacity is not None and (yield from _taken(event_id)) >= capacity:
            break
        row = yield from one(
            "SELECT r.participant_id, e.starts_at FROM rsvps r JOIN events e ON e.id = r.event_id "
            "WHERE r.event_id = ? AND r.status = 'waitlist' AND NOT EXISTS (SELECT 1 FROM "
            "waitlist_offers o WHERE o.event_id = r.event_id AND o.participant_id = "
            "r.participant_id AND o.state = 'open') ORDER BY r.waitlist_seq LIMIT 1",
            (event_id,),
        )
        if row is None:
            break
        participant_id = int(row[0])
        if minutes is None:
            yield from _write(event_id, participant_id, RsvpStatus.YES, "promoted", stamp)
            promoted.append(participant_id)
            continue
        # An offer ends at the latest when the event starts; once it has, none is made.
        expires = min(now + timedelta(minutes=minutes), from_db_required(row[1]))
        if expires <= now:
            break
        yield from write(
            "INSERT INTO waitlist_offers (event_id, participant_id, offered_at, expires_at) "
            "VALUES (?,?,?,?)",
            (event_id, participant_id, stamp, to_db(expires)),
        )
        offered.append(participant_id)
    return promoted, offered


def _open_offer(event_id: int, participant_id: int) -> Steps[tuple[int, datetime] | None]:
    row = yield from one(
        "SELECT id, expires_at FROM waitlist_offers WHERE event_id = ? AND participant_id = ? "
        "AND state = 'open'",
        (event_id, participant_id),
    )
    return None if row is None else (int(row[0]), from_db_required(row[1]))


def _close_offer(offer_id: int, state: str, stamp: str | None) -> Steps[None]:
    yield from write(
        "UPDATE waitlist_offers SET state = ?, answered_at = ? WHERE id = ? AND state = 'open'",
        (state, stamp, offer_id),
    )


def _event_capacity(event_id: int) -> Steps[int | None]:
    row = yield from one("SELECT capacity FROM events WHERE id = ?", (event_id,))
    return None if row is None or row[0] is None else int(row[0])


def _apply(
    event_id: int,
    participant_id: int,
    wanted: RsvpStatus,
    *,
    capacity: int | None,
    now: datetime,
    reason: str = "participant",
    invite_source: str | None = None,
) -> Steps[RsvpChange]:
    """The body of :meth:`RsvpRepository.apply_rsvp` (inside its transaction, the event's
    row locked)."""
    stamp = to_db(now)
    if invite_source is not None:
        yield from write(
            "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (event_id, participant_id, invite_source, stamp),
        )
    previous = yield from _status(event_id, participant_id)
    offer = yield from _open_offer(event_id, participant_id)
    if (
        wanted is RsvpStatus.YES
        and previous is RsvpStatus.WAITLIST
        and offer is not None
        and offer[1] > now
    ):
        # "Yes" from someone holding an offer accepts it (its place is theirs).
        yield from _close_offer(offer[0], "accepted", stamp)
        yield from _write(event_id, participant_id, RsvpStatus.YES, "offer", stamp)
        return RsvpChange(previous, RsvpStatus.YES)
    if wanted is RsvpStatus.YES and previous in (RsvpStatus.YES, RsvpStatus.WAITLIST):
        return RsvpChange(previous, previous)  # a double tap changes nothing
    if wanted is previous:
        return RsvpChange(previous, wanted)
    current: RsvpStatus = wanted
    if (
        wanted is RsvpStatus.YES
        and capacity is not None
        and (yield from _taken(event_id)) >= capacity
    ):
        current = RsvpStatus.WAITLIST
    yield from _write(event_id, participant_id, current, reason, stamp)
    promoted: list[int] = []
    offered: list[int] = []
    if offer is not None:  # leaving the waitlist gives up the offered place
        yield from _close_offer(offer[0], "withdrawn", stamp)
    if previous is RsvpStatus.YES or offer is not None:
        promoted, offered = yield from _promote(event_id, capacity, now)
    return RsvpChange(previous, current, tuple(promoted), tuple(offered))


_COUNTS_SQL = """SELECT e.id,
       (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.id) AS invited,
       SUM(CASE WHEN r.status = 'yes' THEN 1 ELSE 0 END) AS yes,
       SUM(CASE WHEN r.status = 'no' THEN 1 ELSE 0 END) AS no,
       SUM(CASE WHEN r.status = 'maybe' THEN 1 ELSE 0 END) AS maybe,
       SUM(CASE WHEN r.status = 'waitlist' THEN 1 ELSE 0 END) AS waitlist
    FROM events e LEFT JOIN rsvps r ON r.event_id = e.id
    WHERE e.id IN ({marks}) GROUP BY e.id"""


def _counts(row: Row) -> RsvpCounts:
    return RsvpCounts(
        yes=int(row["yes"] or 0),
        no=int(row["no"] or 0),
        maybe=int(row["maybe"] or 0),
        waitlist=int(row["waitlist"] or 0),
        invited=int(row["invited"] or 0),
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

        def work() -> Steps[RsvpChange]:
            yield from lock("events", event_id)
            return (
                yield from _apply(
                    event_id, participant_id, wanted, capacity=capacity, now=now,
                    reason=reason, invite_source=invite_source,
                )
            )  # fmt: skip

        return await self.database.run_program(work())

    async def answer_rsvp(
        self,
        event_id: int,
        participant_id: int,
        wanted: RsvpStatus,
        *,
        now: datetime,
        window: AnswerWindow[R],
    ) -> RsvpAnswered[R]:
        """A participant's press, in one transaction (on SQLite one hop to the database
        thread): lock and read the event, ask ``window`` whether it still takes answers,
        apply the answer (as :meth:`apply_rsvp`) and count the answers for the card."""
        if wanted is RsvpStatus.WAITLIST:
            raise ValueError("nobody asks for the waitlist; they ask for yes")

        def work() -> Steps[RsvpAnswered[R]]:
            yield from lock("events", event_id)
            row = yield from one(
                f"SELECT {_EVENT_COLUMNS} FROM {_EVENT_FROM} WHERE e.id = ?", (event_id,)
            )
            if row is None:
                return RsvpAnswered(None)
            event = _event(row)
            refused = window(event, now)
            if refused is not None:
                return RsvpAnswered(event, refused)
            change = yield from _apply(
                event_id, participant_id, wanted, capacity=event.capacity, now=now
            )
            counted = yield from one(_COUNTS_SQL.format(marks="?"), (event_id,))
            return RsvpAnswered(event, None, change, _counts(counted) if counted else None)

        return await self.database.run_program(work())

    async def promote_waitlist(
        self, event_id: int, capacity: int | None, now: datetime
    ) -> list[int]:
        """Fill places freed by a larger capacity; returns the promoted participant ids
        (with an offer window, places are offered instead and sent by the due-work pass)."""

        def work() -> Steps[list[int]]:
            yield from lock("events", event_id)
            promoted, _ = yield from _promote(event_id, capacity, now)
            return promoted

        return await self.database.run_program(work())

    async def answer_offer(
        self, event_id: int, participant_id: int, *, accept: bool, now: datetime
    ) -> OfferResult:
        """Confirm or decline an offered place. A decline leaves the waitlist ("no") and
        offers the place to the next person, in the same transaction."""
        stamp = to_db(now)

        def work() -> Steps[OfferResult]:
            yield from lock("events", event_id)
            offer = yield from _open_offer(event_id, participant_id)
            status = yield from _status(event_id, participant_id)
            if offer is None or status is not RsvpStatus.WAITLIST:
                return OfferResult(OfferOutcome.NONE)
            if offer[1] <= now:
                return OfferResult(OfferOutcome.EXPIRED)
            if accept:
                yield from _close_offer(offer[0], "accepted", stamp)
                yield from _write(event_id, participant_id, RsvpStatus.YES, "offer", stamp)
                return OfferResult(OfferOutcome.ACCEPTED)
            yield from _close_offer(offer[0], "declined", stamp)
            yield from _write(event_id, participant_id, RsvpStatus.NO, "offer-declined", stamp)
            capacity = yield from _event_capacity(event_id)
            _, offered = yield from _promote(event_id, capacity, now)
            return OfferResult(OfferOutcome.DECLINED, tuple(offered))

        return await self.database.run_program(work())

    async def expire_offers(self, now: datetime) -> LapsedOffers:
        """Lapse every open offer whose time is up (the person leaves the waitlist) and
        fill the freed places: the next person is offered the place, or promoted when the
        event no longer has an offer window. Also fills places that are free while people
        wait (an offer withdrawn by a forgotten person, a window switched off)."""
        stamp = to_db(now)

        def work() -> Steps[LapsedOffers]:
            lapsed: list[tuple[int, int, int]] = []
            promoted: list[tuple[int, int]] = []
            offered: list[tuple[int, int]] = []
            due = [
                (int(r[0]), int(r[1]), int(r[2]))
                for r in (
                    yield from every(
                        "SELECT id, event_id, participant_id FROM waitlist_offers "
                        "WHERE state = 'open' AND expires_at <= ? ORDER BY expires_at, id",
                        (stamp,),
                    )
                )
            ]
            waiting = yield from every(
                "SELECT DISTINCT r.event_id FROM rsvps r JOIN events e ON e.id = r.event_id "
                "WHERE r.status = 'waitlist' AND e.status = 'active' AND e.starts_at > ? "
                "AND (e.capacity IS NULL OR e.capacity > (SELECT COUNT(*) FROM rsvps y "
                "WHERE y.event_id = e.id AND y.status = 'yes') + (SELECT COUNT(*) FROM "
                "waitlist_offers o WHERE o.event_id = e.id AND o.state = 'open'))",
                (stamp,),
            )
            # Every event this pass may change, locked in id order (no deadlock with
            # another pass); a place freed by a lapsing offer is in ``due``'s events.
            events = sorted({e for _, e, _ in due} | {int(r[0]) for r in waiting})
            for event_id in events:
                yield from lock("events", event_id)
            for offer_id, event_id, participant_id in due:
                yield from _close_offer(offer_id, "expired", stamp)
                if (yield from _status(event_id, participant_id)) is RsvpStatus.WAITLIST:
                    yield from _write(
                        event_id, participant_id, RsvpStatus.NO, "offer-lapsed", stamp
                    )
                    lapsed.append((event_id, participant_id, offer_id))
            for event_id in events:
                capacity = yield from _event_capacity(event_id)
                now_promoted, now_offered = yield from _promote(event_id, capacity, now)
                promoted += [(event_id, p) for p in now_promoted]
                offered += [(event_id, p) for p in now_offered]
            return LapsedOffers(tuple(lapsed), tuple(promoted), tuple(offered))

        return await self.database.run_program(work())

    async def get_rsvp(self, event_id: int, participant_id: int) -> RsvpStatus | None:
        return await self.database.run_program(_status(event_id, participant_id), transaction=False)

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
               ORDER BY lower(COALESCE(p.organisation, '')), lower(COALESCE(p.name, '')),
                        p.id""",
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
