"""Timed work: reminders, the RSVP-deadline nudge and the questionnaire's open/remind/close.

The database is the store, the JobQueue only the clock. Every pass (:meth:`Scheduler.run_due`)
derives the work from the events as they are *now* (:func:`plan_event`), stores new items
under a fixed key, drops pending items that are no longer derived (an event moved, its
offsets changed, it was cancelled), and runs what is due. Each item is marked done or
skipped once; each message it queues carries ``dedup_key = <item key>:p<participant>``,
so a pass triggered twice, or a restart between queueing and marking, sends nothing twice.

Downtime policy (:func:`decide`; docs/schedule.md has the table): work that came due while
the bot was down is done on start when it still means something and dropped when not.

- A reminder before the start is sent late only while the event has not started, and only
  the latest one of the event (no "in 24 hours" next to "in 1 hour").
- The RSVP-deadline reminder is sent late only while answers are still accepted.
- The questionnaire opens late while it is still open (before end + survey_open_days);
  its reminder goes out late while it is open, but not in the same pass as the opening.
- The close always happens, late if need be.
- An item whose moment had already passed when it came into existence (the event was
  created or moved, or its offsets changed, after that moment) is skipped: people have
  just been told about the event.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import quote_plus

from telegram.ext import CallbackContext, JobQueue

from bot import attendance
from bot.callbacks import CallbackData
from bot.config import ReminderSettings
from bot.i18n import Translator, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    Event,
    EventStatus,
    NewItem,
    OutboxItem,
    PendingInput,
    RsvpStatus,
    ScheduledRow,
    ScheduleEvent,
)
from bot.notify import queue_messages
from bot.privacy import apply_retention
from bot.services import Services
from bot.surveys import lifecycle
from bot.views import event_card, event_picker, fit, when_line, zone_phrase

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0  # also picks up events changed by another process (CLI import)
POLL_JOB = "schedule-poll"
NEXT_JOB = "schedule-next"
REMINDED = (RsvpStatus.YES, RsvpStatus.MAYBE)
MAX_OFFSETS = 6
MAX_OFFSET_MINUTES = 30 * 24 * 60


class Kind(StrEnum):
    REMINDER = "reminder"  # before the start, to yes / maybe
    DEADLINE = "deadline"  # before the RSVP deadline, to invitees without an answer
    SURVEY_OPEN = "survey-open"
    SURVEY_REMIND = "survey-remind"
    SURVEY_CLOSE = "survey-close"


class Skip(StrEnum):
    """Why a due item was dropped (stored in scheduled_items.detail)."""

    PLANNED_LATE = "planned-late"  # its moment had passed when it came into existence
    TOO_LATE = "too-late"  # caught up after downtime, no longer meaningful
    SUPERSEDED = "superseded"  # a later item of the same kind covers it
    NOT_OPENED = "not-opened"  # a questionnaire reminder without an opened questionnaire


@dataclass(frozen=True, slots=True)
class PlannedItem:
    key: str
    event_id: int
    kind: Kind
    due_at: datetime
    basis_at: datetime  # the event moment the item is measured from
    minutes_before: int = 0  # reminders only


# -- deriving the work ----------------------------------------------------------------------


def default_minutes(settings: ReminderSettings) -> tuple[int, ...]:
    return normalise_minutes(round(h * 60) for h in settings.before_event_hours)


def normalise_minutes(values: Iterable[int]) -> tuple[int, ...]:
    """Distinct positive offsets, earliest reminder (largest offset) first."""
    return tuple(sorted({v for v in values if 0 < v <= MAX_OFFSET_MINUTES}, reverse=True))


def reminder_minutes(event: ScheduleEvent, settings: ReminderSettings) -> tuple[int, ...]:
    if event.minutes_before is not None:
        return normalise_minutes(event.minutes_before)
    return default_minutes(settings)


def effective_deadline(starts_at: datetime, rsvp_deadline: datetime | None) -> datetime:
    """Answers are accepted until the deadline, or until the start when there is none."""
    return rsvp_deadline or starts_at


def survey_close_at(ends_at: datetime, settings: ReminderSettings) -> datetime:
    return ends_at + timedelta(days=settings.survey_open_days)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def plan_event(event: ScheduleEvent, settings: ReminderSettings) -> list[PlannedItem]:
    """Everything timed about one event, derived from its current times (UTC arithmetic,
    so "24 hours before" is 24 real hours, across daylight-saving changes too).

    Keys of reminders name the moment they are measured from, so moving the event makes
    new items (and the old pending ones stale); questionnaire keys are one per event, so a
    questionnaire is never opened or closed twice.
    """
    eid, start, end = event.id, event.starts_at, event.ends_at
    close = PlannedItem(
        f"e{eid}:{Kind.SURVEY_CLOSE}", eid, Kind.SURVEY_CLOSE, survey_close_at(end, settings), end
    )
    if not event.active:
        return [close]  # a cancelled event only closes a questionnaire already sent out
    items = [
        PlannedItem(
            f"e{eid}:{Kind.REMINDER}:{m}m@{_stamp(start)}",
            eid,
            Kind.REMINDER,
            start - timedelta(minutes=m),
            start,
            m,
        )
        for m in reminder_minutes(event, settings)
    ]
    if settings.before_deadline_hours > 0:
        deadline = effective_deadline(start, event.rsvp_deadline)
        items.append(
            PlannedItem(
                f"e{eid}:{Kind.DEADLINE}@{_stamp(deadline)}",
                eid,
                Kind.DEADLINE,
                deadline - timedelta(hours=settings.before_deadline_hours),
                deadline,
            )
        )
    items.append(PlannedItem(f"e{eid}:{Kind.SURVEY_OPEN}", eid, Kind.SURVEY_OPEN, end, end))
    remind_at = end + timedelta(hours=settings.survey_reminder_hours)
    if settings.survey_reminder_hours > 0 and remind_at < close.due_at:
        items.append(
            PlannedItem(f"e{eid}:{Kind.SURVEY_REMIND}", eid, Kind.SURVEY_REMIND, remind_at, end)
        )
    items.append(close)
    return items


def known_since(event: ScheduleEvent, kind: Kind) -> datetime:
    """Since when an item of ``kind`` newly derived for ``event`` has existed: the last change
    of the event (creation, a new time) or of its reminder offsets."""
    since = event.changed_at
    if kind is Kind.REMINDER and event.offsets_changed_at is not None:
        since = max(since, event.offsets_changed_at)
    return since


@dataclass(frozen=True, slots=True)
class DueItem:
    item: PlannedItem
    planned_at: datetime


def decide(
    event: ScheduleEvent,
    due: Sequence[DueItem],
    history: Sequence[ScheduledRow],
    *,
    now: datetime,
    settings: ReminderSettings,
) -> list[tuple[PlannedItem, Skip | None]]:
    """For the due items of one event: run (None) or drop (the reason), per the downtime
    policy. ``history`` are the event's finished rows (done or skipped)."""
    ordered = sorted(due, key=lambda d: (d.item.due_at, d.item.key))
    live = [d for d in ordered if d.item.kind is Kind.SURVEY_CLOSE or d.planned_at <= d.item.due_at]
    # The latest reminder for the current start that is done or about to run covers the
    # earlier ones: after downtime only one "it starts soon" goes out.
    latest_reminder = max(
        [d.item.due_at for d in live if d.item.kind is Kind.REMINDER]
        + [
            r.due_at
            for r in history
            if r.kind == Kind.REMINDER and r.state == "done" and r.basis_at == event.starts_at
        ],
        default=None,
    )
    opened_before = any(r.kind == Kind.SURVEY_OPEN and r.state == "done" for r in history)
    opening_now = any(d.item.kind is Kind.SURVEY_OPEN for d in live)
    closes_at = survey_close_at(event.ends_at, settings)
    result: list[tuple[PlannedItem, Skip | None]] = []
    for entry in ordered:
        item = entry.item
        skip: Skip | None = None
        if entry not in live:
            skip = Skip.PLANNED_LATE
        elif item.kind is Kind.REMINDER:
            if now >= event.starts_at:
                skip = Skip.TOO_LATE
            elif latest_reminder is not None and item.due_at < latest_reminder:
                skip = Skip.SUPERSEDED
        elif item.kind is Kind.DEADLINE:
            if now >= item.basis_at:
                skip = Skip.TOO_LATE
        elif item.kind is Kind.SURVEY_OPEN:
            if now >= closes_at:
                skip = Skip.TOO_LATE
        elif item.kind is Kind.SURVEY_REMIND:
            if now >= closes_at:
                skip = Skip.TOO_LATE
            elif opening_now:
                skip = Skip.SUPERSEDED
            elif not opened_before:
                skip = Skip.NOT_OPENED
        result.append((item, skip))
    return result


# -- what participants receive ----------------------------------------------------------------


def starts_in(tr: Translator, lang: str, delta: timedelta) -> str:
    """ "⏰ Reminder: it starts in 24 hours." in the reader's language (plural forms)."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return tr.text(lang, "schedule-reminder-minutes", count=minutes)
    if minutes < 36 * 60:
        return tr.text(lang, "schedule-reminder-hours", count=round(minutes / 60))
    return tr.text(lang, "schedule-reminder-days", count=round(minutes / (24 * 60)))


def way_buttons(tr: Translator, lang: str, event: Event) -> tuple[tuple[Button, ...], ...]:
    """Directions for events with an address. Online events need nothing here: the card
    itself carries the "Join" button that records attendance and then opens the link."""
    row: list[Button] = []
    if event.address:
        query = quote_plus(event.address)
        row.append(
            Button(
                tr.text(lang, "schedule-btn-directions"),
                url=f"https://www.openstreetmap.org/search?query={query}",
            )
        )
    return (tuple(row),) if row else ()


def reminder_message(
    tr: Translator, lang: str, event: Event, status: RsvpStatus | None, *, now: datetime
) -> OutgoingMessage:
    """The event card (place, or the join link for yes / maybe) under "starts in ..."."""
    card = event_card(
        tr, lang, event, status=status, header=starts_in(tr, lang, event.starts_at - now)
    )
    return replace(card, buttons=(*way_buttons(tr, lang, event), *card.buttons))


def deadline_message(tr: Translator, lang: str, event: Event) -> OutgoingMessage:
    deadline = effective_deadline(event.starts_at, event.rsvp_deadline)
    header = tr.text(
        lang, "schedule-deadline-header", deadline=format_short(deadline, event.timezone)
    )
    return event_card(tr, lang, event, status=None, header=header)


# -- running it ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PassResult:
    ran: int
    skipped: int
    pending: int
    next_due: datetime | None


class Scheduler:
    """Runs due work; the JobQueue calls it every POLL_SECONDS and at the next due moment."""

    def __init__(self, services: Services, job_queue: JobQueue[Any] | None) -> None:
        self.services = services
        self.job_queue = job_queue
        self._lock = asyncio.Lock()
        self._stopped = False
        self._retention_day: date | None = None

    async def start(self) -> PassResult:
        """Rebuild the schedule from the database, catch up (per the policy), start the jobs.

        A failing pass is logged and retried by the poll: the bot still starts and answers."""
        try:
            result = await self.run_due()
        except Exception:
            log.exception("schedule: the start-up pass failed; retrying in %.0f s", POLL_SECONDS)
            result = PassResult(0, 0, 0, None)
        if self.job_queue is not None:
            self.job_queue.run_repeating(
                self._on_job,
                interval=POLL_SECONDS,
                name=POLL_JOB,
                job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            )
        log.info(
            "schedule: %d items pending, next at %s",
            result.pending,
            result.next_due.isoformat() if result.next_due else "-",
        )
        return result

    async def stop(self) -> None:
        """No more passes; returns once a pass under way has ended (the lease of the
        scheduler is given up only then, bot/leases.py)."""
        self._stopped = True
        if self.job_queue is not None:
            for name in (POLL_JOB, NEXT_JOB):
                for job in self.job_queue.get_jobs_by_name(name):
                    job.schedule_removal()
        async with self._lock:
            pass

    def poke(self) -> None:
        """Something changed (offsets, an event): look again in a moment."""
        self._arm_in(0.5)

    async def _on_job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if self._stopped:
            return
        try:
            await self.run_due()
        except Exception:  # the clock must keep ticking; the next pass retries
            log.exception("schedule: pass failed")

    def _arm_in(self, seconds: float) -> None:
        if self.job_queue is None or self._stopped:
            return
        for job in self.job_queue.get_jobs_by_name(NEXT_JOB):
            job.schedule_removal()
        self.job_queue.run_once(
            self._on_job,
            when=seconds,
            name=NEXT_JOB,
            job_kwargs={"misfire_grace_time": None},
        )

    def _arm(self, next_due: datetime | None) -> None:
        """A precise wake-up when the next item falls before the next poll."""
        if next_due is None:
            return
        delay = (next_due - self.services.clock.now()).total_seconds()
        if 0 < delay <= POLL_SECONDS:
            self._arm_in(delay + 0.05)

    async def run_due(self) -> PassResult:
        """One pass: derive, store new items, drop stale ones, run what is due."""
        async with self._lock:
            result = await self._pass()
            now = self.services.clock.now()
            # Waitlist offers that lapsed, certificates due (docs/attendance.md).
            await attendance.run_due(self.services, now=now)
            # Retention (docs/privacy.md) once a day; it is idempotent, so a restart that
            # runs it again early changes nothing.
            if self._retention_day != now.date():
                self._retention_day = now.date()
                forgotten = await apply_retention(self.services, now=now)
                if forgotten:
                    log.info("retention: personal data of %d people deleted", forgotten)
        self._arm(result.next_due)
        return result

    async def _pass(self) -> PassResult:
        storage, settings = self.services.db, self.services.settings.reminders
        now = self.services.clock.now()
        events = await storage.schedule.schedule_events()
        stored = {row.key: row for row in await storage.schedule.scheduled_rows()}
        new: list[NewItem] = []
        moved: list[tuple[str, datetime, datetime]] = []
        due: dict[int, list[DueItem]] = {}
        derived: set[str] = set()
        next_due: datetime | None = None
        pending = 0
        for index, event in enumerate(events):
            if index % 256 == 255:
                await asyncio.sleep(0)  # thousands of events: let updates in between
            for item in plan_event(event, settings):
                derived.add(item.key)
                row = stored.get(item.key)
                if row is None:
                    planned_at = min(now, known_since(event, item.kind))
                    new.append(
                        NewItem(item.key, item.event_id, item.kind.value, item.due_at,
                                item.basis_at, planned_at)
                    )  # fmt: skip
                elif row.state != "pending":
                    continue
                else:
                    planned_at = row.planned_at
                    if (row.due_at, row.basis_at) != (item.due_at, item.basis_at):
                        moved.append((item.key, item.due_at, item.basis_at))
                pending += 1
                if item.due_at <= now:
                    due.setdefault(event.id, []).append(DueItem(item, planned_at))
                elif next_due is None or item.due_at < next_due:
                    next_due = item.due_at
        stale = [k for k, r in stored.items() if r.state == "pending" and k not in derived]
        await storage.schedule.sync_scheduled(new, stale, moved)
        await storage.schedule.prune_scheduled()
        ran = skipped = 0
        by_id = {e.id: e for e in events}
        history: dict[int, list[ScheduledRow]] = {}
        for row in stored.values():
            if row.state != "pending":
                history.setdefault(row.event_id, []).append(row)
        decisions = [
            decision
            for event_id, items in due.items()
            for decision in decide(
                by_id[event_id], items, history.get(event_id, []), now=now, settings=settings
            )
        ]
        decisions.sort(key=lambda d: (d[0].due_at, d[0].key))
        for item, skip in decisions:
            if self._stopped:
                break
            if skip is not None:
                await storage.schedule.finish_scheduled(item.key, "skipped", skip.value, now=now)
                log.info("schedule: %s skipped (%s)", item.key, skip.value)
                skipped += 1
                continue
            try:
                count = await self._execute(item, now=now)
            except Exception:  # one broken item must not stop the others; retried next pass
                log.exception("schedule: %s failed", item.key)
                continue
            await storage.schedule.finish_scheduled(
                item.key, "done", "" if count is None else str(count), now=now
            )
            log.info("schedule: %s done (%s)", item.key, "-" if count is None else count)
            ran += 1
        return PassResult(ran, skipped, pending - ran - skipped, next_due)

    async def _execute(self, item: PlannedItem, *, now: datetime) -> int | None:
        services = self.services
        if item.kind is Kind.SURVEY_OPEN:
            return await lifecycle.open_survey(services, item.event_id, now=now)
        if item.kind is Kind.SURVEY_REMIND:
            return await lifecycle.remind_survey(services, item.event_id, now=now)
        if item.kind is Kind.SURVEY_CLOSE:
            await lifecycle.close_survey(services, item.event_id, now=now)
            return None
        event = await services.db.events.get_event(item.event_id)
        if event is None or event.status is not EventStatus.ACTIVE:
            return 0
        tr = services.translator
        if item.kind is Kind.REMINDER:
            recipients = await services.db.schedule.reminder_recipients(event.id, REMINDED)
        else:
            recipients = await services.db.schedule.unanswered_invitees(event.id)
        messages: list[OutboxItem] = []
        for r in recipients:
            lang = services.language_of(r.language)
            if item.kind is Kind.REMINDER:
                message = reminder_message(tr, lang, event, r.status, now=now)
            else:
                message = deadline_message(tr, lang, event)
            messages.append(
                OutboxItem(
                    r.telegram_id,
                    message.to_json(),
                    r.participant_id,
                    dedup_key=f"{item.key}:p{r.participant_id}",
                )
            )
        if messages:
            await queue_messages(services, messages)
        return len(messages)


# -- what organisers see --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    kind: Kind
    due_at: datetime
    minutes_before: int
    state: str  # pending, done, skipped
    detail: str
    current: bool  # derived from the event as it is now (not an earlier time)


async def event_schedule(
    services: Services, event_id: int
) -> tuple[ScheduleEvent, list[ScheduleEntry]] | None:
    """One event's timed work as it stands: derived items with their state, plus finished
    items of earlier times (sent before the event moved)."""
    found = await services.db.schedule.schedule_events(event_id)
    if not found:
        return None
    event = found[0]
    stored = {row.key: row for row in await services.db.schedule.scheduled_rows(event_id)}
    entries: list[ScheduleEntry] = []
    seen: set[str] = set()
    for item in plan_event(event, services.settings.reminders):
        row = stored.get(item.key)
        seen.add(item.key)
        if not event.active and (row is None or row.state == "pending"):
            continue
        entries.append(
            ScheduleEntry(item.kind, item.due_at, item.minutes_before,
                          row.state if row else "pending", row.detail if row else "", True)
        )  # fmt: skip
    for key, row in stored.items():
        if key in seen or row.state == "pending":
            continue
        minutes = int((row.basis_at - row.due_at).total_seconds() // 60)
        entries.append(
            ScheduleEntry(Kind(row.kind), row.due_at, minutes if row.kind == Kind.REMINDER else 0,
                          row.state, row.detail, False)
        )  # fmt: skip
    entries.sort(key=lambda e: (e.due_at, e.kind.value))
    return event, entries


def parse_offsets(text: str) -> tuple[int, ...]:
    """Organiser input "48, 2" or "24 1 0.5" (hours before the start) -> minutes, largest
    first; "0" or "-" means no reminders. Raises ValueError on anything else."""
    cleaned = text.strip()
    if cleaned in ("0", "-"):
        return ()
    tokens = [t for t in re.split(r"[,;\s+]+", cleaned) if t]
    if not tokens or len(tokens) > MAX_OFFSETS:
        raise ValueError(text[:40])
    minutes: set[int] = set()
    for token in tokens:
        if not re.fullmatch(r"\d{1,4}(\.\d{1,2})?", token):
            raise ValueError(token[:20])
        value = round(float(token) * 60)
        if not 1 <= value <= MAX_OFFSET_MINUTES:
            raise ValueError(token[:20])
        minutes.add(value)
    return normalise_minutes(minutes)


# -- the organiser's /schedule screens (rendered by bot/handlers/schedule.py) ---------------------

OFFSETS_FLOW = "schedule-offsets"

# Reminder choices offered as buttons: name (in the callback data) -> minutes before the
# start; None = back to the settings' default, () = no reminders.
PRESETS: dict[str, tuple[int, ...] | None] = {
    "24-1": (1440, 60),
    "48-2": (2880, 120),
    "72-24-1": (4320, 1440, 60),
    "24": (1440,),
    "2": (120,),
    "none": (),
    "default": None,
}


class SchAction(StrEnum):
    SHOW = "show"  # an event's schedule (from the picker)
    OFFSETS = "offs"  # offer reminder choices
    PRESET = "set"  # arg = a PRESETS name
    TYPE = "type"  # type the hours


@dataclass(frozen=True)
class SchedulePress(CallbackData):
    prefix: ClassVar[str] = "sch"
    organiser: ClassVar[bool] = True
    action: SchAction
    event_id: int
    arg: str = "-"


def offset_text(tr: Translator, lang: str, minutes: int) -> str:
    if minutes % 60 == 0:
        return tr.text(lang, "schedule-offset-hours", hours=minutes // 60)
    if minutes < 60:
        return tr.text(lang, "schedule-offset-minutes", minutes=minutes)
    return tr.text(lang, "schedule-offset-hours", hours=round(minutes / 60, 2))


def offsets_text(tr: Translator, lang: str, minutes: Sequence[int]) -> str:
    if not minutes:
        return tr.text(lang, "schedule-btn-none")
    return " + ".join(offset_text(tr, lang, m) for m in minutes)


def _entry_line(
    tr: Translator, lang: str, event: Event, entry: ScheduleEntry, now: datetime
) -> str:
    if entry.kind is Kind.REMINDER:
        label = tr.text(
            lang, "schedule-item-reminder", offset=offset_text(tr, lang, entry.minutes_before)
        )
    else:
        label = tr.text(lang, f"schedule-item-{entry.kind.value}")
    if entry.state == "done":
        icon = "✅"
        state = (
            tr.text(lang, "schedule-state-sent", count=int(entry.detail))
            if entry.detail.isdigit()
            else tr.text(lang, "schedule-state-done")
        )
    elif entry.state == "skipped":
        icon = "➖"
        reason = entry.detail if entry.detail in _SKIP_KEYS else "too-late"
        state = tr.text(lang, _SKIP_KEYS[reason])
    else:
        icon = "⏳"
        state = tr.text(lang, "schedule-state-due") if entry.due_at <= now else ""
    line = f"{icon} {format_short(entry.due_at, event.timezone)} · {label}"
    if not entry.current:
        line += " " + tr.text(lang, "schedule-earlier-time")
    return f"{line} — {state}" if state else line


_SKIP_KEYS = {
    "planned-late": "schedule-state-planned-late",
    "too-late": "schedule-state-too-late",
    "superseded": "schedule-state-superseded",
    "not-opened": "schedule-state-not-opened",
}


def render_schedule(
    tr: Translator,
    lang: str,
    event: Event,
    entries: Sequence[ScheduleEntry],
    minutes: Sequence[int],
    *,
    custom: bool,
    now: datetime,
) -> OutgoingMessage:
    lines = [
        tr.text(lang, "schedule-title", id=event.id, title=event.title),
        when_line(tr, lang, event),
        tr.text(lang, "schedule-zone", zone=zone_phrase(tr, lang, event.timezone)),
        "",
    ]
    if event.status is EventStatus.CANCELLED:
        lines.append(tr.text(lang, "schedule-event-cancelled"))
    else:
        key = "schedule-offsets-custom" if custom else "schedule-offsets-default"
        lines.append(tr.text(lang, key, offsets=offsets_text(tr, lang, minutes)))
    lines.append("")
    lines += [_entry_line(tr, lang, event, e, now) for e in entries]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if event.status is EventStatus.ACTIVE:
        buttons = (
            (
                Button(
                    tr.text(lang, "schedule-btn-change"),
                    SchedulePress(SchAction.OFFSETS, event.id).pack(),
                ),
            ),
        )
    return OutgoingMessage(fit(lines), buttons)


def render_choices(
    tr: Translator, lang: str, event: Event, default: Sequence[int]
) -> OutgoingMessage:
    buttons: list[Button] = []
    for name, minutes in PRESETS.items():
        if minutes is None:
            label = tr.text(lang, "schedule-btn-default", offsets=offsets_text(tr, lang, default))
        else:
            label = offsets_text(tr, lang, minutes)
        buttons.append(Button(label, SchedulePress(SchAction.PRESET, event.id, name).pack()))
    buttons.append(
        Button(tr.text(lang, "schedule-btn-other"), SchedulePress(SchAction.TYPE, event.id).pack())
    )
    return OutgoingMessage(
        tr.text(lang, "schedule-choose-offsets", title=event.title), rows(*buttons, per_row=2)
    )


async def schedule_view(services: Services, lang: str, event_id: int) -> OutgoingMessage | None:
    event = await services.db.events.get_event(event_id)
    found = await event_schedule(services, event_id)
    if event is None or found is None:
        return None
    sched, entries = found
    settings = services.settings.reminders
    return render_schedule(
        services.translator, lang, event, entries, reminder_minutes(sched, settings),
        custom=sched.minutes_before is not None, now=services.clock.now(),
    )  # fmt: skip


async def schedule_screen(services: Services, lang: str, event: Event | None) -> OutgoingMessage:
    """``/schedule`` (``event``: the one named, None: none named): the event's schedule,
    or a picker unless exactly one event is running or recent."""
    if event is None:
        window = timedelta(days=services.settings.reminders.survey_open_days)
        events = await services.db.events.list_events(ends_after=services.clock.now() - window)
        if len(events) != 1:
            return event_picker(
                services.translator, lang, events,
                lambda e: SchedulePress(SchAction.SHOW, e.id).pack(),
                prompt="schedule-pick-event", empty="schedule-no-events",
            )  # fmt: skip
        event = events[0]
    view = await schedule_view(services, lang, event.id)
    return view or OutgoingMessage(services.t(lang, "error-event-not-found"))


@dataclass(frozen=True, slots=True)
class ScheduleStep:
    """The outcome of a press or of typed hours on the schedule screens."""

    toast: str | None = None  # the answer to the press
    alert: bool = False  # refused: the toast as an alert, nothing else
    edit: OutgoingMessage | None = None  # the screen, redrawn in place
    replies: tuple[OutgoingMessage, ...] = ()  # new messages, in order
    changed: bool = False  # reminder offsets changed: the scheduler should look again


def _ask_offsets(services: Services, lang: str, key: str) -> OutgoingMessage:
    days = MAX_OFFSET_MINUTES // (24 * 60)
    return OutgoingMessage(services.t(lang, key, max=MAX_OFFSETS, days=days))


async def schedule_press(
    services: Services, lang: str, press: SchedulePress, *, by: int
) -> ScheduleStep:
    """One press on ``/schedule`` (``by``: the organiser's Telegram id)."""
    if press.action is SchAction.PRESET and press.arg not in PRESETS:
        log.info("forged schedule button %r", press.pack()[:64])
        return ScheduleStep(services.t(lang, "error-stale-button"), alert=True)
    event = await services.db.events.get_event(press.event_id)
    if event is None or (
        press.action is not SchAction.SHOW and event.status is not EventStatus.ACTIVE
    ):
        return ScheduleStep(services.t(lang, "error-event-not-found"), alert=True)
    not_found = OutgoingMessage(services.t(lang, "error-event-not-found"))
    if press.action is SchAction.SHOW:
        view = await schedule_view(services, lang, event.id)
        return ScheduleStep(replies=(view or not_found,))
    if press.action is SchAction.OFFSETS:
        default = default_minutes(services.settings.reminders)
        return ScheduleStep(replies=(render_choices(services.translator, lang, event, default),))
    if press.action is SchAction.PRESET:
        await services.db.schedule.set_reminder_offsets(
            event.id, PRESETS[press.arg], now=services.clock.now()
        )
        log.info("organiser %s set reminders of event %s to %s", by, event.id, press.arg)
        view = await schedule_view(services, lang, event.id)
        return ScheduleStep(services.t(lang, "schedule-offsets-saved"), edit=view, changed=True)
    state = PendingInput(by, OFFSETS_FLOW, {"event_id": event.id})  # SchAction.TYPE
    await services.db.people.set_pending_input(state, services.clock.now())
    return ScheduleStep(replies=(_ask_offsets(services, lang, "schedule-ask-offsets"),))


async def typed_offsets(
    services: Services, lang: str, state: PendingInput, text: str
) -> ScheduleStep:
    """Typed reminder hours for the event named in the stored flow state."""
    event_id = state.data.get("event_id")
    event = await services.db.events.get_event(event_id) if isinstance(event_id, int) else None
    if event is None or event.status is not EventStatus.ACTIVE:
        await services.db.people.clear_pending_input(state.telegram_id)
        return ScheduleStep(replies=(OutgoingMessage(services.t(lang, "error-event-not-found")),))
    try:
        minutes = parse_offsets(text)
    except ValueError:
        return ScheduleStep(replies=(_ask_offsets(services, lang, "schedule-offsets-invalid"),))
    await services.db.schedule.set_reminder_offsets(event.id, minutes, now=services.clock.now())
    await services.db.people.clear_pending_input(state.telegram_id)
    log.info("organiser %s set reminders of event %s to %s min", state.telegram_id, event.id,
             list(minutes))  # fmt: skip
    saved = OutgoingMessage(services.t(lang, "schedule-offsets-saved"))
    view = await schedule_view(services, lang, event.id)
    return ScheduleStep(replies=(saved,) if view is None else (saved, view), changed=True)
