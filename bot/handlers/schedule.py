"""Organiser side of timed work: ``/schedule`` shows an event's reminders and questionnaire
moments with their state, and changes the event's reminder offsets (preset buttons or typed
hours). Everything here is an organiser route (``organiser=True``, ``SchedulePress`` an
organiser class), so the routes put it behind the organiser gate. The screens and their
steps are in bot/schedule.py.
"""

from __future__ import annotations

from telegram import Update

from bot import schedule
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    reply,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.models import PendingInput
from bot.schedule import OFFSETS_FLOW, SchedulePress, Scheduler, ScheduleStep


def _poke(context: BotContext) -> None:
    scheduler = context.bot_data.get("scheduler")
    if isinstance(scheduler, Scheduler):
        scheduler.poke()


async def schedule_command(update: Update, context: BotContext) -> None:
    named = await event_from_args(update, context)
    if named is None:
        return
    event = None if isinstance(named, NoEventArgument) else named
    await reply(
        update, context, await schedule.schedule_screen(context.services, context.lang, event)
    )


async def _render(update: Update, context: BotContext, step: ScheduleStep) -> None:
    if step.changed:
        _poke(context)
    query = update.callback_query
    if query is not None:
        if step.alert:
            await query.answer(step.toast, show_alert=True)
            return
        await query.answer(step.toast)
        if step.edit is not None:
            await edit(query, step.edit)
    for message in step.replies:
        await reply(update, context, message)


async def on_schedule_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = await typed_press(update, context, SchedulePress)
    if data is None:
        return
    step = await schedule.schedule_press(
        context.services, context.lang, data, by=query.from_user.id
    )
    await _render(update, context, step)


async def offsets_text_input(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """Typed reminder hours for the event named in the stored flow state."""
    step = await schedule.typed_offsets(context.services, context.lang, state, text)
    await _render(update, context, step)


def routes(r: Routes) -> None:
    """/schedule and its buttons: organiser routes, gated from their flags."""
    r.text_flow(OFFSETS_FLOW, offsets_text_input, organiser=True)
    r.command("schedule", schedule_command, organiser=True)
    r.button(on_schedule_button, SchedulePress)
