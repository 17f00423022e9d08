"""Privacy services: a person's data as a file, forgetting a person, retention.

Plain async functions over :class:`~bot.services.Services`; no Telegram types. The SQL and
the generic rules (which tables are covered, what forgetting does to each) live in
:mod:`bot.storage.privacy`; docs/privacy.md is the contract for other feature areas.
"""

from __future__ import annotations

import calendar
import json
import logging
from datetime import UTC, datetime
from typing import Any

from bot.models import ForgetResult
from bot.notify import notify_promoted
from bot.services import Services

log = logging.getLogger(__name__)

EXPORT_FORMAT = "kvietimas-personal-data/1"


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall time ``months`` calendar months earlier (the 31st clamps to month end)."""
    moment = moment.astimezone(UTC)
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


async def export_personal_data(
    services: Services, participant_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the database holds about the person, as JSON-ready data.

    Tables are discovered from the schema at run time (see bot/storage/privacy.py), so data
    of feature areas added later is included without changes here.
    """
    storage = services.db
    now = now or services.clock.now()
    profile = await storage.people.get_participant(participant_id)
    telegram_id = profile.telegram_id if profile is not None else None
    tables = await storage.privacy.privacy_personal_rows(participant_id, telegram_id)
    participant_rows = tables.pop("participants", [])
    event_ids = sorted(
        {
            int(row["event_id"])
            for rows in tables.values()
            for row in rows
            if isinstance(row.get("event_id"), int)
        }
    )
    events = await storage.privacy.privacy_event_summaries(event_ids)
    await storage.privacy.privacy_log_action(participant_id, "export", now, {"tables": len(tables)})
    return {
        "format": EXPORT_FORMAT,
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "controller": services.settings.organisation_name,
        "participant": participant_rows[0] if participant_rows else None,
        "events": [events[i] for i in event_ids if i in events],
        "tables": tables,
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


async def forget(
    services: Services, participant_id: int, *, reason: str = "request"
) -> ForgetResult:
    """Erase the person's personal data; places they held on events still to come go to
    the waitlist (whoever moves up is told through the outbox, as usual)."""
    storage, now = services.db, services.clock.now()
    result = await storage.privacy.privacy_forget(participant_id, now=now, reason=reason)
    if not result.found:
        return result
    for event_id in result.freed_events:
        event = await storage.events.get_event(event_id)
        if event is None:
            continue
        promoted = await storage.rsvps.promote_waitlist(event_id, event.capacity, now)
        if promoted:
            await notify_promoted(services, event, promoted)
    log.info(
        "participant %s forgotten (%s): %d queued messages cancelled",
        participant_id,
        reason,
        result.cancelled_messages,
    )
    return result


async def apply_retention(services: Services, *, now: datetime) -> int:
    """Forget everyone whose data is past the retention period; returns how many.

    Run daily by the scheduler (and by ``python -m bot retention``). With
    ``privacy.retention_months = 0`` nothing is ever deleted by time.
    """
    months = services.settings.privacy.retention_months
    if months <= 0:
        return 0
    cutoff = months_before(now, months)
    due = await services.db.privacy.privacy_retention_due(
        cutoff, keep_telegram_ids=services.settings.organisers
    )
    for participant_id in due:
        await services.db.privacy.privacy_forget(participant_id, now=now, reason="retention")
    if due:
        log.info("retention: %d participants forgotten (cutoff %s)", len(due), cutoff.date())
    return len(due)
