"""Queries for programmes, events and agenda items."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import AgendaItem, Event, EventDraft, EventStatus, Programme
from bot.storage.database import Database, Row, Tx, from_db, from_db_required, to_db


def _counted(column: str) -> str:
    """SQL for ``column`` as ``<characters>:<text>``, readable back whatever it holds."""
    return f"length({column}) || ':' || {column}"


# The agenda in the event's own row, in one portable statement (no engine's JSON or string
# aggregate): a recursive query walks the items by position (0, 1, 2 ... as _write_agenda
# writes them) and appends each one's time, title and lecturer, each prefixed by its length.
_AGENDA_TEXT = f"""
    (WITH RECURSIVE agenda_so_far(pos, items) AS (
         SELECT CAST(-1 AS BIGINT), CAST('' AS TEXT)
       UNION ALL
         SELECT a.position, agenda_so_far.items || {_counted("a.time")}
                || {_counted("a.title")} || {_counted("a.lecturer")}
         FROM agenda_so_far JOIN agenda_items a
              ON a.event_id = e.id AND a.position = agenda_so_far.pos + 1)
     SELECT items FROM agenda_so_far ORDER BY pos DESC LIMIT 1) AS agenda_text"""

_EVENT_COLUMNS = f"""
    e.id, e.slug, e.programme_id, p.title AS programme_title, e.title, e.description,
    e.starts_at, e.ends_at, e.timezone, e.address, e.hall, e.floor, e.online_url,
    e.capacity, e.rsvp_deadline, e.invite_code, e.status, {_AGENDA_TEXT}
"""
_EVENT_FROM = "events e LEFT JOIN programmes p ON p.id = e.programme_id"


def _agenda(text: str | None) -> list[AgendaItem]:
    """The items of an ``agenda_text`` column (fields as ``<characters>:<text>``)."""
    text = text or ""
    items: list[AgendaItem] = []
    fields: list[str] = []
    at = 0
    while at < len(text):
        colon = text.index(":", at)
        end = colon + 1 + int(text[at:colon])
        fields.append(text[colon + 1 : end])
        at = end
        if len(fields) == 3:
            items.append(AgendaItem(*fields))
            fields = []
    return items


def _event(row: Row) -> Event:
    # The agenda comes in the same row: one round trip per event lookup.
    return Event(
        id=row["id"],
        slug=row["slug"],
        programme_id=row["programme_id"],
        programme_title=row["programme_title"],
        title=row["title"],
        description=row["description"],
        starts_at=from_db_required(row["starts_at"]),
        ends_at=from_db_required(row["ends_at"]),
        timezone=row["timezone"],
        address=row["address"],
        hall=row["hall"],
        floor=row["floor"],
        online_url=row["online_url"],
        capacity=row["capacity"],
        rsvp_deadline=from_db(row["rsvp_deadline"]),
        invite_code=row["invite_code"],
        status=EventStatus(row["status"]),
        agenda=tuple(_agenda(row["agenda_text"])),
    )


class EventRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def _programme_id(self, db: Tx, title: str | None, now: str) -> int | None:
        if not title:
            return None
        await db.execute(
            "INSERT INTO programmes (title, created_at) VALUES (?, ?) "
            "ON CONFLICT(title) DO NOTHING",
            (title, now),
        )
        row = await db.fetch_one("SELECT id FROM programmes WHERE title = ?", (title,))
        assert row is not None
        return int(row[0])

    async def _write_agenda(self, db: Tx, event_id: int, agenda: Sequence[AgendaItem]) -> None:
        await db.execute("DELETE FROM agenda_items WHERE event_id = ?", (event_id,))
        await db.executemany(
            "INSERT INTO agenda_items (event_id, position, time, title, lecturer) "
            "VALUES (?,?,?,?,?)",
            [(event_id, i, a.time, a.title, a.lecturer) for i, a in enumerate(agenda)],
        )

    async def insert_event(
        self, draft: EventDraft, *, invite_code: str, created_by: int | None, now: datetime
    ) -> int:
        stamp = to_db(now)
        async with self.database.transaction() as db:
            programme_id = await self._programme_id(db, draft.programme, str(stamp))
            row = await db.fetch_one(
                """INSERT INTO events (slug, programme_id, title, description, starts_at, ends_at,
                       timezone, address, hall, floor, online_url, capacity, rsvp_deadline,
                       invite_code, created_by, created_at, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id""",
                (
                    draft.slug, programme_id, draft.title, draft.description,
                    to_db(draft.starts_at), to_db(draft.ends_at), draft.timezone, draft.address,
                    draft.hall, draft.floor, draft.online_url, draft.capacity,
                    to_db(draft.rsvp_deadline), invite_code, created_by, stamp, stamp,
                ),
            )  # fmt: skip
            assert row is not None
            event_id = int(row[0])
            await self._write_agenda(db, event_id, draft.agenda)
        return event_id

    async def update_event(self, event_id: int, draft: EventDraft, *, now: datetime) -> None:
        stamp = to_db(now)
        async with self.database.transaction() as db:
            programme_id = await self._programme_id(db, draft.programme, str(stamp))
            await db.execute(
                """UPDATE events SET programme_id=?, title=?, description=?, starts_at=?, ends_at=?,
                       timezone=?, address=?, hall=?, floor=?, online_url=?, capacity=?,
                       rsvp_deadline=?, updated_at=?
                   WHERE id = ?""",
                (
                    programme_id, draft.title, draft.description, to_db(draft.starts_at),
                    to_db(draft.ends_at), draft.timezone, draft.address, draft.hall, draft.floor,
                    draft.online_url, draft.capacity, to_db(draft.rsvp_deadline), stamp, event_id,
                ),
            )  # fmt: skip
            await self._write_agenda(db, event_id, draft.agenda)

    async def set_event_status(self, event_id: int, status: EventStatus, *, now: datetime) -> bool:
        changed = await self.database.execute(
            "UPDATE events SET status = ?, updated_at = ? WHERE id = ? AND status != ?",
            (status.value, to_db(now), event_id, status.value),
        )
        return changed > 0

    async def _events_where(self, where: str, params: Sequence[object]) -> list[Event]:
        rows = await self.database.fetch_all(
            f"SELECT {_EVENT_COLUMNS} FROM {_EVENT_FROM} WHERE {where}", params
        )
        return [_event(r) for r in rows]

    async def get_event(self, event_id: int) -> Event | None:
        found = await self._events_where("e.id = ?", (event_id,))
        return found[0] if found else None

    async def get_event_by_code(self, invite_code: str) -> Event | None:
        found = await self._events_where("e.invite_code = ?", (invite_code,))
        return found[0] if found else None

    async def get_event_by_slug(self, slug: str) -> Event | None:
        found = await self._events_where("e.slug = ?", (slug,))
        return found[0] if found else None

    async def list_events(self, *, ends_after: datetime, limit: int = 50) -> list[Event]:
        """Active events that have not ended yet, soonest first."""
        return await self._events_where(
            "e.status = 'active' AND e.ends_at > ? ORDER BY e.starts_at, e.id LIMIT ?",
            (to_db(ends_after), limit),
        )

    async def list_recent_events(self, *, limit: int = 50) -> list[Event]:
        """All events, newest start first (for organiser pickers that include past events)."""
        return await self._events_where(
            "TRUE ORDER BY e.starts_at DESC, e.id DESC LIMIT ?", (limit,)
        )

    async def list_programme_events(self, programme_id: int) -> list[Event]:
        return await self._events_where(
            "e.programme_id = ? ORDER BY e.starts_at, e.id", (programme_id,)
        )

    async def events_between(
        self,
        *,
        starts_from: datetime | None,
        starts_before: datetime | None,
        programme_id: int | None = None,
        limit: int = 200,
    ) -> list[Event]:
        """Events (cancelled too) starting in [from, before), soonest first, at most
        ``limit``: the dashboard's list (read through events_by_start / events_by_programme)."""
        where: list[str] = []
        params: list[object] = []
        if starts_from is not None:
            where.append("e.starts_at >= ?")
            params.append(to_db(starts_from))
        if starts_before is not None:
            where.append("e.starts_at < ?")
            params.append(to_db(starts_before))
        if programme_id is not None:
            where.append("e.programme_id = ?")
            params.append(programme_id)
        clause = " AND ".join(where) if where else "e.id > 0"
        params.append(limit)
        return await self._events_where(f"{clause} ORDER BY e.starts_at, e.id LIMIT ?", params)

    async def list_programmes(self) -> list[Programme]:
        rows = await self.database.fetch_all("SELECT id, title FROM programmes ORDER BY title")
        return [Programme(id=r["id"], title=r["title"]) for r in rows]
