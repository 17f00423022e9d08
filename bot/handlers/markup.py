"""The Telegram side of an :class:`bot.messages.OutgoingMessage`: its buttons as an inline
keyboard. Services build Telegram-free messages; handlers and the sender render them here."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.messages import OutgoingMessage


def to_markup(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in message.buttons
        ]
    )


def _button_json(label: str, url: str | None, data: str | None) -> dict[str, str]:
    if url:
        return {"text": label, "url": url}
    return {"text": label, "callback_data": data or ""}


def keyboard_json(message: OutgoingMessage) -> dict[str, Any] | None:
    """The same keyboard as :func:`to_markup`, as the JSON the Bot API takes (no objects)."""
    if not message.buttons:
        return None
    return {
        "inline_keyboard": [
            [
                {"text": b.label, "url": b.url}
                if b.url
                else {"text": b.label, "callback_data": b.data}
                for b in row
            ]
            for row in message.buttons
        ]
    }


async def edit_pressed(query: CallbackQuery, message: OutgoingMessage) -> None:
    """``editMessageText`` on the message whose button was pressed, as
    ``query.edit_message_text`` does, without building the edited Message Telegram sends
    back: nobody reads it, and parsing it (entities, keyboard) costs about as much CPU as
    the whole request. Errors are raised as by PTB (BadRequest, Forbidden, ...)."""
    data: dict[str, Any] = {
        "text": message.text,
        "parse_mode": ParseMode.HTML,
        "link_preview_options": {"is_disabled": message.disable_preview},
    }
    markup = keyboard_json(message)
    if markup is not None:
        data["reply_markup"] = markup
    if query.inline_message_id is not None:
        data["inline_message_id"] = query.inline_message_id
    elif query.message is not None:
        data["chat_id"] = query.message.chat.id
        data["message_id"] = query.message.message_id
    else:
        raise ValueError("the pressed message is unknown")
    # Bot._post is what every PTB method calls once it has its parameters; the public
    # do_api_request would warn on every call that edit_message_text exists.
    await query.get_bot()._post("editMessageText", data)
