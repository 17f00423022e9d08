"""Queries of the schedule area: the event times work is derived from, the derived items
with their done markers, per-event reminder offsets, and who a reminder goes to.

``bot/schedule.py`` owns the logic; this module only reads and writes rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.models import NewItem, ReminderRecipient, RsvpStatus, ScheduledRow, ScheduleEvent
from bot.storage.database import Database, Row, from_db, from_db_required, to_db

# Events that may still have work: not closed yet, and active (a cancelled event only
# keeps the close of a questionnaire that was already sent out).
_OPEN_EVENTS = """
    e.id NOT IN (SELECT event_id FROM scheduled_items
                 WHERE kind = 'survey-close' AND state != 'pending')
    AND (e.status = 'active' OR e.id IN (SELECT event_id FROM scheduled_items
                                        WHERE kind = 'survey-open' AND state = 'done'))
"""


def _schedule_event(row: Row) -> ScheduleEvent:
    offsets = row["minutes_before"]
    return ScheduleEvent(
        id=row["id"],
        active=row["status"] == "active",
        starts_at=from_db_required(row["starts_at"]),
        ends_at=from_db_required(row["ends_at"]),
        rsvp_deadline=from_db(row["rsvp_deadline"]),
        timezone=row["timezone"],
        changed_at=from_db_required(row["updated_at"]),
        minutes_before=None if offsets is None else tuple(int(m) for m in json.loads(offsets)),
        offsets_changed_at=from_db(row["offsets_at"]),
    )


def _row(row: Row) -> ScheduledRow:
    return ScheduledRow(
        key=row["key"],
        event_id=row["event_id"],
        kind=row["kind"],
        due_at=from_db_required(row["due_at"]),
        basis_at=from_db_required(row["basis_at"]),
        planned_at=from_db_required(row["planned_at"]),
        state=row["state"],
        detail=row["detail"],
        finished_at=from_db(row["finished_at"]),
    )


class ScheduleRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def schedule_events(self, event_id: int | None = None) -> list[ScheduleEvent]:
        """Events that may still have timed work (or just ``event_id``, whatever its state)."""
        params: tuple[int, ...] = ()
        where = _OPEN_EVENTS
        if event_id is not None:
            where, params = "e.id = ?", (event_id,)
        rows = await self.database.fetch_all(
            f"""SELECT e.id, e.status, e.starts_at, e.ends_at, e.rsvp_deadline, e.timezone,
                       e.updated_at, o.minutes_before, o.updated_at AS offsets_at
                FROM events e LEFT JOIN event_reminder_offsets o ON o.event_id = e.id
                WHERE {where} ORDER BY e.id""",
            params,
        )
        return [_schedule_event(r) for r in rows]

    async def scheduled_rows(self, event_id: int | None = None) -> list[ScheduledRow]:
        """Stored items of the events :meth:`schedule_events` returns (or of one event)."""
        params: tuple[int, ...] = ()
        if event_id is None:
            where = f"event_id IN (SELECT e.id FROM events e WHERE {_OPEN_EVENTS})"
        else:
            where, params = "event_id = ?", (event_id,)
        rows = await self.database.fetch_all(
            f"SELECT key, event_id, kind, due_at, basis_at, planned_at, state, detail, "
            f"finished_at FROM scheduled_items WHERE {where}",
            params,
        )
        return [_row(r) for r in rows]

    async def sync_scheduled(
        self,
        new: Sequence[NewItem],
        stale: Sequence[str],
        moved: Sequence[tuple[str, datetime, datetime]],
    ) -> None:
        """Add newly derived items, drop pending ones no longer derived, and follow a
        changed time for items whose key does not name it (key, due_at, basis_at)."""
        if not (new or stale or moved):
            return
        async with self.database.transaction() as db:
            if new:
                await db.executemany(
                    "INSERT INTO scheduled_items (key, event_id, kind, due_at, basis_at, "
                    "planned_at) VALUES (?,?,?,?,?,?) ON CONFLICT(key) DO NOTHING",
                    [
                        (i.key, i.event_id, i.kind, to_db(i.due_at), to_db(i.basis_at),
                         to_db(i.planned_at))
                        for i in new
                    ],
                )  # fmt: skip
            if stale:
                await db.executemany(
                    "DELETE FROM scheduled_items WHERE key = ? AND state = 'pending'",
                    [(k,) for k in stale],
                )
            if moved:
                await db.executemany(
                    "UPDATE scheduled_items SET due_at = ?, basis_at = ? "
                    "WHERE key = ? AND state = 'pending'",
                    [(to_db(due), to_db(basis), k) for k, due, basis in moved],
                )

    async def prune_scheduled(self) -> int:
        """Drop pending items of events that can have no more work (cancelled ones)."""
        return await self.database.execute(
            f"DELETE FROM scheduled_items WHERE state = 'pending' "
            f"AND event_id NOT IN (SELECT e.id FROM events e WHERE {_OPEN_EVENTS})"
        )

    async def finish_scheduled(self, key: str, state: str, detail: str, *, now: datetime) -> bool:
        """Mark a pending item done or skipped; False if it was not pending any more."""
        changed = await self.database.execute(
            "UPDATE scheduled_items SET state = ?, detail = ?, finished_at = ? "
            "WHERE key = ? AND state = 'pending'",
            (state, detail, to_db(now), key),
        )
        return changed > 0

    async def pending_scheduled_count(self) -> int:
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM scheduled_items WHERE state = 'pending'"
            )
        )

    async def set_reminder_offsets(
        self, event_id: int, minutes_before: Sequence[int] | None, *, now: datetime
    ) -> None:
        """Per-event reminder offsets; ``None`` goes back to the settings' default."""
        if minutes_before is None:
            await self.database.execute(
                "DELETE FROM event_reminder_offsets WHERE event_id = ?", (event_id,)
            )
            return
        await self.database.execute(
            "INSERT INTO event_reminder_offsets (event_id, minutes_before, updated_at) "
            "VALUES (?,?,?) ON CONFLICT(event_id) DO UPDATE SET "
            "minutes_before = excluded.minutes_before, updated_at = excluded.updated_at",
            (event_id, json.dumps(sorted(set(minutes_before), reverse=True)), to_db(now)),
        )

    async def reminder_recipients(
        self, event_id: int, statuses: Sequence[RsvpStatus]
    ) -> list[ReminderRecipient]:
        """Reachable participants whose answer is one of ``statuses``, with that answer."""
        marks = ",".join("?" * len(statuses))
        rows = await self.database.fetch_all(
            f"""SELECT p.id, p.telegram_id, p.language, r.status FROM rsvps r
                JOIN participants p ON p.id = r.participant_id
                WHERE r.event_id = ? AND r.status IN ({marks}) AND p.telegram_id IS NOT NULL
                  AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL
                  AND p.forgotten_at IS NULL
                ORDER BY p.id""",
            (event_id, *[s.value for s in statuses]),
        )
        return [
            ReminderRecipient(r["id"], r["telegram_id"], r["language"], RsvpStatus(r["status"]))
            for r in rows
        ]

    async def unanswered_invitees(self, event_id: int) -> list[ReminderRecipient]:
        """Invited, registered (consented), reachable participants with no answer yet."""
        rows = await self.database.fetch_all(
            """SELECT p.id, p.telegram_id, p.language FROM invitations i
               JOIN participants p ON p.id = i.participant_id
               WHERE i.event_id = ? AND p.telegram_id IS NOT NULL AND p.consent_at IS NOT NULL
                 AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL
                 AND p.forgotten_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM rsvps r
                                 WHERE r.event_id = i.event_id AND r.participant_id = p.id)
               ORDER BY p.id""",
            (event_id,),
        )
        return [ReminderRecipient(r["id"], r["telegram_id"], r["language"], None) for r in rows]
