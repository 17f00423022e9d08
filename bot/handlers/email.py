"""Handlers of the e-mail area: the organiser's "By e-mail" flow (started from /broadcast).

Adapters only: each press is one call of bot/email/invitations.py, whose
:class:`~bot.email.invitations.Step` is rendered here. ``EmailPress.organiser`` puts every
button behind the organiser gate. The unsubscribe page is a web route
(bot/email/web.py), not a Telegram handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from bot.email import invitations as service
from bot.email.invitations import EmailPress
from bot.handlers.common import BotContext, send, typed_press
from bot.handlers.markup import to_markup
from bot.handlers.routing import Routes
from bot.messages import OutgoingMessage

log = logging.getLogger(__name__)


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = await typed_press(update, context, EmailPress)
    if data is None:
        return
    user_id = update.effective_user.id if update.effective_user else 0
    step = await service.on_press(
        context.services, user_id, context.lang, data.action, data.arg, data.key
    )
    if step.notice is not None:
        await query.answer(step.notice, show_alert=step.alert)
    else:
        await query.answer()
    if step.drop_buttons:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            log.debug("could not remove the buttons of the pressed message")
    chat = update.effective_chat
    if step.message is None or chat is None:
        return
    sent = await send(context, chat.id, step.message)
    if step.follow is not None:
        app = context.application
        follower = service.follow(
            context.services, context.lang, step.follow,
            _editor(context, chat.id, sent.message_id), _idle(app),
        )  # fmt: skip
        app.create_task(follower, name=f"email-progress-{step.follow}")


def _editor(context: BotContext, chat_id: int, message_id: int) -> service.Edit:
    async def edit(message: OutgoingMessage) -> None:
        try:
            await context.bot.edit_message_text(
                message.text, chat_id=chat_id, message_id=message_id,
                reply_markup=to_markup(message),
            )  # fmt: skip
        except TelegramError as exc:
            log.debug("e-mail progress message not edited: %s", exc)

    return edit


def _idle(app: Any) -> service.Idle:
    """Until the application's e-mail sender has nothing due, at most ``timeout`` seconds."""

    async def idle(timeout: float) -> None:
        sender = getattr(app, "email_sender", None)
        if sender is None:
            await asyncio.sleep(timeout)
            return
        started = asyncio.get_running_loop().time()
        with contextlib.suppress(TimeoutError):
            await sender.wait_idle(timeout)
        # Idle with e-mails still waiting (a retry later): do not look again at once.
        rest = timeout - (asyncio.get_running_loop().time() - started)
        if rest > 0:
            await asyncio.sleep(min(rest, timeout))

    return idle


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.button(on_organiser_button, EmailPress)
