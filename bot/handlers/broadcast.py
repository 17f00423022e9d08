"""Handlers of the broadcast area: /broadcast, the live progress message, Stop and Resume.

Adapters only: each turns the update into one call of the guided flow in bot/broadcast.py
and renders the :class:`~bot.broadcast.Step` it returns. Every organiser route is declared
with its flag (``BroadcastPress.organiser``, ``organiser=True``), from which the routes apply
the organiser gate. ``BroadcastPress`` also carries the organiser buttons of the invitations
area (/postcard pickers, the event of an uploaded list): they go on to
bot/handlers/invitations.py.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import broadcast as service
from bot.broadcast import BroadcastAction, BroadcastPress, Step
from bot.handlers import invitations
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    send,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.models import PendingInput

log = logging.getLogger(__name__)

# Organiser buttons of the invitations area that share BroadcastPress.
_INVITATION_ACTIONS = (
    BroadcastAction.POST_EVENT,
    BroadcastAction.POST_CHAT,
    BroadcastAction.IMPORT,
)


def _uid(update: Update) -> int:
    return update.effective_user.id if update.effective_user else 0


async def show(update: Update, context: BotContext, step: Step, *, answer: bool = False) -> None:
    """Render a step: the press answered (``answer``), the pressed message's buttons dropped,
    it replaced, a new message (a progress message: the campaign released once shown)."""
    query = update.callback_query
    if answer and query is not None:
        if step.notice is None:
            await query.answer()
        elif step.alert:
            await query.answer(step.notice, show_alert=True)
        else:
            await query.answer(step.notice)
    if step.drop_buttons and query is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            log.debug("could not remove the buttons of the pressed message")
    if step.edit is not None and query is not None:
        await edit(query, step.edit)
    chat = update.effective_chat
    if step.message is None or chat is None:
        return
    sent = await send(context, chat.id, step.message)
    if step.release is not None:
        await service.release(context.services, step.release, chat.id, sent.message_id)


async def broadcast_command(update: Update, context: BotContext) -> None:
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    services, uid, lang = context.services, _uid(update), context.lang
    if isinstance(named, NoEventArgument):
        step = await service.pick_event(services, uid, lang)
    else:
        step = await service.choose_segment(services, uid, lang, named)
    await show(update, context, step)


async def flow_text(update: Update, context: BotContext, state: PendingInput, text: str) -> None:
    """The organiser's own message (the "update" kind), formatting kept as HTML."""
    message = update.effective_message
    body = message.text_html if message is not None and message.text else text
    step = await service.on_text(context.services, _uid(update), context.lang, state, body)
    await show(update, context, step)


async def cancel_running(update: Update, context: BotContext) -> bool:
    """/cancel outside a guided flow: stop the organiser's own running campaigns."""
    step = await service.cancel_running(context.services, _uid(update), context.lang)
    if step is None:
        return False
    await show(update, context, step)
    return True


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = await typed_press(update, context, BroadcastPress)
    if data is None:
        return
    services, uid, lang = context.services, _uid(update), context.lang
    chat_id = update.effective_chat.id if update.effective_chat else None
    action = data.action
    if action is BroadcastAction.STOP:
        await show(
            update, context, await service.stop_pressed(services, lang, data.arg), answer=True
        )
        return
    if action is BroadcastAction.RESUME:
        step = await service.resume_pressed(services, lang, data.arg, chat_id)
        await show(update, context, step, answer=True)
        return
    await query.answer()
    if action in _INVITATION_ACTIONS:
        await invitations.on_organiser_press(update, context, data)
        return
    if action is BroadcastAction.DISCARD:
        step = await service.discard(services, uid, lang)
    elif action is BroadcastAction.SEND:
        step = await service.confirm(services, uid, lang, chat_id)
    else:
        step = await service.on_press(services, uid, lang, action, data.arg, data.key)
    await show(update, context, step)


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.text_flow(service.FLOW, flow_text, organiser=True)
    r.on_cancel(cancel_running)
    r.command("broadcast", broadcast_command, organiser=True)
    r.button(on_organiser_button, BroadcastPress)
