"""Handlers of the privacy area: /mydata sends a person their data, /forget erases it.

Both are participant commands (anyone may ask about their own data); the confirmation
button of /forget carries the participant id it was shown for, so an old button pressed
after the data was already erased is answered as stale instead of erasing again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from telegram import Update
from telegram.ext import filters

from bot import privacy
from bot.callbacks import CallbackData
from bot.handlers.common import (
    BotContext,
    edit,
    participant_for,
    participant_press,
    reply,
)
from bot.handlers.routing import Routes
from bot.messages import Button, OutgoingMessage

log = logging.getLogger(__name__)


class ForgetAction(StrEnum):
    CONFIRM = "ok"
    KEEP = "keep"


@dataclass(frozen=True)
class ForgetPress(CallbackData):
    prefix: ClassVar[str] = "pv"
    action: ForgetAction
    participant_id: int


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
    services = context.services
    lang = services.language_of(participant.language)
    data = await privacy.export_personal_data(services, participant.id)
    day = services.clock.now().date().isoformat()
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=privacy.export_json(data),
        filename=f"kvietimas-my-data-{day}.json",
        caption=services.t(
            lang, "privacy-export-caption", organisation=services.settings.organisation_name
        )[:1024],
    )
    log.info("participant %s exported their data", participant.id)


async def forget_command(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None or not _private(update):
        await _nothing_held(update, context)
        return
    services = context.services
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
    await reply(
        update, context, OutgoingMessage(services.t(lang, "privacy-forget-confirm"), buttons)
    )


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
    if not isinstance(data, ForgetPress) or data.participant_id != participant.id:
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    await query.answer()
    if data.action is ForgetAction.KEEP:
        await edit(query, OutgoingMessage(services.t(lang, "privacy-forget-kept")))
        return
    await privacy.forget(services, participant.id)
    # A reply to the person's own press; after this nothing is sent to them.
    await edit(query, OutgoingMessage(services.t(lang, "privacy-forgotten")))


def routes(r: Routes) -> None:
    """/mydata and /forget: participant routes (anyone may ask about their own data)."""
    private = filters.ChatType.PRIVATE
    r.command("mydata", mydata_command, organiser=False, filters=private)
    r.command("forget", forget_command, organiser=False, filters=private)
    r.button(on_privacy_button, ForgetPress)
