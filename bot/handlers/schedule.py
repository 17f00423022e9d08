"""Organiser side of timed work: ``/schedule`` shows an event's reminders and questionnaire
moments with their state, and changes the event's reminder offsets (preset buttons or typed
hours). Everything here is an organiser route (``organiser=True``, ``SchedulePress`` an
organiser class), so the routes put it behind the organiser gate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from telegram import Update

from bot.callbacks import CallbackData
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    reply,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.i18n import Translator, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, EventStatus, PendingInput
from bot.schedule import (
    MAX_OFFSET_MINUTES,
    MAX_OFFSETS,
    Kind,
    ScheduleEntry,
    Scheduler,
    default_minutes,
    event_schedule,
    parse_offsets,
    reminder_minutes,
)
from bot.services import Services
from bot.views import event_picker, fit, when_line, zone_phrase

log = logging.getLogger(__name__)

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


# -- rendering ----------------------------------------------------------------------------


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


# -- handlers -----------------------------------------------------------------------------


def _poke(context: BotContext) -> None:
    scheduler = context.bot_data.get("scheduler")
    if isinstance(scheduler, Scheduler):
        scheduler.poke()


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


async def schedule_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    named = await event_from_args(update, context)
    if named is None:
        return
    if isinstance(named, NoEventArgument):
        window = timedelta(days=services.settings.reminders.survey_open_days)
        events = await services.db.events.list_events(ends_after=services.clock.now() - window)
        if len(events) != 1:
            await reply(update, context, _picker(services, lang, events))
            return
        event_id = events[0].id
    else:
        event_id = named.id
    view = await schedule_view(services, lang, event_id)
    await reply(update, context, view or services.t(lang, "error-event-not-found"))


def _picker(services: Services, lang: str, events: Sequence[Event]) -> OutgoingMessage:
    return event_picker(
        services.translator, lang, events, lambda e: SchedulePress(SchAction.SHOW, e.id).pack(),
        prompt="schedule-pick-event", empty="schedule-no-events",
    )  # fmt: skip


async def on_schedule_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = context.lang
    data = await typed_press(update, context, SchedulePress)
    if data is None:
        return
    if data.action is SchAction.PRESET and data.arg not in PRESETS:
        log.info("forged schedule button %r", (query.data or "")[:64])
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    event = await services.db.events.get_event(data.event_id)
    if event is None or (
        data.action is not SchAction.SHOW and event.status is not EventStatus.ACTIVE
    ):
        await query.answer(services.t(lang, "error-event-not-found"), show_alert=True)
        return
    if data.action is SchAction.SHOW:
        await query.answer()
        view = await schedule_view(services, lang, event.id)
        await reply(update, context, view or services.t(lang, "error-event-not-found"))
    elif data.action is SchAction.OFFSETS:
        await query.answer()
        default = default_minutes(services.settings.reminders)
        await reply(update, context, render_choices(services.translator, lang, event, default))
    elif data.action is SchAction.PRESET:
        await services.db.schedule.set_reminder_offsets(
            event.id, PRESETS[data.arg], now=services.clock.now()
        )
        log.info("organiser %s set reminders of event %s to %s", query.from_user.id, event.id,
                 data.arg)  # fmt: skip
        _poke(context)
        await query.answer(services.t(lang, "schedule-offsets-saved"))
        view = await schedule_view(services, lang, event.id)
        if view is not None:
            await edit(query, view)
    elif data.action is SchAction.TYPE:
        await query.answer()
        state = PendingInput(query.from_user.id, OFFSETS_FLOW, {"event_id": event.id})
        await services.db.people.set_pending_input(state, services.clock.now())
        await reply(
            update,
            context,
            services.t(lang, "schedule-ask-offsets", max=MAX_OFFSETS,
                       days=MAX_OFFSET_MINUTES // (24 * 60)),
        )  # fmt: skip


async def offsets_text_input(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """Typed reminder hours for the event named in the stored flow state."""
    services = context.services
    lang = context.lang
    event_id = state.data.get("event_id")
    event = await services.db.events.get_event(event_id) if isinstance(event_id, int) else None
    if event is None or event.status is not EventStatus.ACTIVE:
        await services.db.people.clear_pending_input(state.telegram_id)
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    try:
        minutes = parse_offsets(text)
    except ValueError:
        await reply(
            update,
            context,
            services.t(lang, "schedule-offsets-invalid", max=MAX_OFFSETS,
                       days=MAX_OFFSET_MINUTES // (24 * 60)),
        )  # fmt: skip
        return
    await services.db.schedule.set_reminder_offsets(event.id, minutes, now=services.clock.now())
    await services.db.people.clear_pending_input(state.telegram_id)
    log.info("organiser %s set reminders of event %s to %s min", state.telegram_id, event.id,
             list(minutes))  # fmt: skip
    _poke(context)
    await reply(update, context, services.t(lang, "schedule-offsets-saved"))
    view = await schedule_view(services, lang, event.id)
    if view is not None:
        await reply(update, context, view)


def routes(r: Routes) -> None:
    """/schedule and its buttons: organiser routes, gated from their flags."""
    r.text_flow(OFFSETS_FLOW, offsets_text_input, organiser=True)
    r.command("schedule", schedule_command, organiser=True)
    r.button(on_schedule_button, SchedulePress)
