"""Privacy services: a person's data as a file, forgetting a person, retention.

Plain async functions over :class:`~bot.services.Services`; no Telegram types. The SQL and
the generic rules (which tables are covered, what forgetting does to each) live in
:mod:`bot.storage.privacy`; docs/privacy.md is the contract for other feature areas.
"""

from __future__ import annotations

import calendar
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from bot.callbacks import CallbackData
from bot.messages import Button, OutgoingMessage
from bot.models import ForgetResult, Participant
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


# -- /mydata and /forget in the chat (rendered by bot/handlers/privacy.py) -----------------------


class ForgetAction(StrEnum):
    CONFIRM = "ok"
    KEEP = "keep"


@dataclass(frozen=True)
class ForgetPress(CallbackData):
    prefix: ClassVar[str] = "pv"
    action: ForgetAction
    participant_id: int


@dataclass(frozen=True, slots=True)
class DataFile:
    content: bytes
    filename: str
    caption: str


async def my_data(services: Services, participant: Participant) -> DataFile:
    """``/mydata``: all data held about the person, as a JSON document."""
    lang = services.language_of(participant.language)
    data = await export_personal_data(services, participant.id)
    day = services.clock.now().date().isoformat()
    caption = services.t(
        lang, "privacy-export-caption", organisation=services.settings.organisation_name
    )
    log.info("participant %s exported their data", participant.id)
    return DataFile(export_json(data), f"kvietimas-my-data-{day}.json", caption[:1024])


def forget_confirmation(services: Services, participant: Participant) -> OutgoingMessage:
    """``/forget``: the question, with buttons bound to this participant's row."""
    lang = services.language_of(participant.language)
    buttons = (
        (
            Button(
                services.t(lang, "privacy-btn-forget"),
                ForgetPress(ForgetAction.CONFIRM, participant.id).pack(),
            ),
        ),
        (
            Button(
                services.t(lang, "privacy-btn-keep"),
                ForgetPress(ForgetAction.KEEP, participant.id).pack(),
            ),
        ),
    )
    return OutgoingMessage(services.t(lang, "privacy-forget-confirm"), buttons)


async def forget_press(
    services: Services, lang: str, participant: Participant, press: ForgetPress
) -> str | None:
    """The answer to the confirmation: the text that replaces the question, or None when
    the button was shown for another row (stale: nothing erased)."""
    if press.participant_id != participant.id:
        return None
    if press.action is ForgetAction.KEEP:
        return services.t(lang, "privacy-forget-kept")
    await forget(services, participant.id)
    return services.t(lang, "privacy-forgotten")
