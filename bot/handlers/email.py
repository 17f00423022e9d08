"""Handlers of the e-mail area: the organiser's "By e-mail" flow (started from /broadcast).

Adapters only: each press is one call of bot/email/invitations.py, whose
:class:`~bot.email.invitations.Step` is rendered here. ``EmailPress.organiser`` puts every
button behind the organiser gate. The unsubscribe page is a web route
(bot/email/web.py), not a Telegram handler.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.email import invitations as service
from bot.email.invitations import EmailPress
from bot.handlers.common import BotContext, reply, typed_press
from bot.handlers.routing import Routes

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
    if step.message is not None:
        await reply(update, context, step.message)


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.button(on_organiser_button, EmailPress)
