"""The Telegram side of an :class:`bot.messages.OutgoingMessage`: its buttons as an inline
keyboard. Services build Telegram-free messages; handlers and the sender render them here."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
