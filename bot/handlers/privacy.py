"""Handlers of the privacy area: /mydata sends a person their data, /forget erases it.

Both are participant commands (anyone may ask about their own data); the confirmation
button of /forget carries the participant id it was shown for, so an old button pressed
after the data was already erased is answered as stale instead of erasing again. The
decisions are in bot/privacy.py.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters

from bot import privacy
from bot.handlers.common import (
    BotContext,
    edit,
    participant_for,
    participant_press,
    reply,
)
from bot.handlers.routing import Routes
from bot.messages import OutgoingMessage
from bot.privacy import ForgetPress


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == "private"


async def _nothing_held(update: Update, context: BotContext) -> None:
    """/mydata or /forget from someone the bot holds nothing about (and stores nothing)."""
    if _private(update):
        lang = context.lang
        await reply(update, context, context.services.t(lang, "privacy-nothing-held"))


async def mydata_command(update: Update, context: BotContext) -> None:
    """All data held about the sender, as a JSON document."""
    participant = await participant_for(update, context)
    if participant is None or not _private(update):
        await _nothing_held(update, context)
        return
    assert update.effective_chat is not None
    found = await privacy.my_data(context.services, participant)
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=found.content,
        filename=found.filename,
        caption=found.caption,
    )


async def forget_command(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None or not _private(update):
        await _nothing_held(update, context)
        return
    await reply(update, context, privacy.forget_confirmation(context.services, participant))


async def on_privacy_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    services = context.services
    pressed = await participant_press(update, context, ForgetPress)
    if pressed is None:
        return
    participant, data = pressed
    lang = context.lang  # the row's language, else Telegram's
    assert isinstance(data, ForgetPress)
    text = await privacy.forget_press(services, lang, participant, data)
    if text is None:
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    await query.answer()
    # A reply to the person's own press; after this nothing is sent to them.
    await edit(query, OutgoingMessage(text))


def routes(r: Routes) -> None:
    """/mydata and /forget: participant routes (anyone may ask about their own data)."""
    private = filters.ChatType.PRIVATE
    r.command("mydata", mydata_command, organiser=False, filters=private)
    r.command("forget", forget_command, organiser=False, filters=private)
    r.button(on_privacy_button, ForgetPress)
