"""Emulated Telegram users and groups: the "other side" a test drives."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ._models import ChatMessage

if TYPE_CHECKING:
    from ._core import Emulator

__all__ = ["EmulatedGroup", "EmulatedUser"]


class EmulatedUser:
    """A Telegram user talking to the bot; its private chat id equals its user id."""

    def __init__(
        self,
        emu: Emulator,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        is_bot: bool,
    ) -> None:
        self._emu = emu
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.is_bot = is_bot

    def __repr__(self) -> str:
        return f"EmulatedUser(id={self.id}, first_name={self.first_name!r})"

    def to_dict(self) -> dict[str, Any]:
        """The Bot API ``User`` object for this user."""
        d: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            d["last_name"] = self.last_name
        if self.username is not None:
            d["username"] = self.username
        if self.language_code is not None:
            d["language_code"] = self.language_code
        return d

    @property
    def started(self) -> bool:
        """True once the user wrote to the bot: only then may the bot message them."""
        return self._emu._private_chat(self).started

    async def send(self, text: str) -> int:
        """Send a private text message to the bot; returns the update_id."""
        uid = self._emu._user_text(self, self.id, text)
        await asyncio.sleep(0)
        return uid

    async def send_document(
        self, filename: str, content: bytes, mime: str, *, caption: str | None = None
    ) -> int:
        """Upload a document to the bot (downloadable via getFile); returns the update_id."""
        uid = self._emu._user_document(self, self.id, filename, content, mime, caption)
        await asyncio.sleep(0)
        return uid

    async def press(
        self, label: str, *, message_id: int | None = None, chat_id: int | None = None
    ) -> int:
        """Press the inline button labelled exactly ``label``; returns the update_id.

        Looks at ``message_id`` if given, else at the most recent bot message with an inline
        keyboard in the private chat (or in ``chat_id``, e.g. a group). Raises LookupError if
        no such button (the message lists the labels seen) and ValueError for buttons that
        cannot produce a callback query (URL, web app, ...).
        """
        msg = self._emu._keyboard_message(chat_id if chat_id is not None else self.id, message_id)
        for row in msg.keyboard:
            for button in row:
                if button.get("text") == label:
                    if "callback_data" not in button:
                        kinds = sorted(k for k in button if k != "text")
                        raise ValueError(f"button {label!r} has no callback_data ({kinds})")
                    uid = self._emu._callback_query(self, msg, str(button["callback_data"]))
                    await asyncio.sleep(0)
                    return uid
        raise LookupError(
            f"no button {label!r} in message {msg.message_id} of chat {msg.chat_id}; "
            f"labels: {msg.buttons}"
        )

    async def press_data(
        self, data: str, *, message_id: int | None = None, chat_id: int | None = None
    ) -> int:
        """Send a callback query with arbitrary (forged or stale) data from a keyboard message."""
        msg = self._emu._keyboard_message(chat_id if chat_id is not None else self.id, message_id)
        uid = self._emu._callback_query(self, msg, data)
        await asyncio.sleep(0)
        return uid

    def messages(self) -> list[ChatMessage]:
        """Messages the bot sent to this user (current state, in order)."""
        return self._emu.chat_messages(self.id)

    def last(self) -> ChatMessage | None:
        """The most recent message the bot sent to this user (deleted ones included)."""
        return self._emu.last_message(self.id)

    def buttons(self, message: ChatMessage | None = None) -> list[str]:
        """Labels of ``message``'s keyboard, or of the last bot message that has one."""
        if message is None:
            try:
                message = self._emu._keyboard_message(self.id, None)
            except LookupError:
                return []
        return message.buttons


class EmulatedGroup:
    """A group or supergroup in which the bot is an administrator."""

    def __init__(self, emu: Emulator, chat_id: int, title: str, type: str) -> None:
        self._emu = emu
        self.id = chat_id
        self.title = title
        self.type = type

    def __repr__(self) -> str:
        return f"EmulatedGroup(id={self.id}, title={self.title!r})"

    def to_dict(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object for this group."""
        return {"id": self.id, "type": self.type, "title": self.title}

    async def send(self, user: EmulatedUser, text: str) -> int:
        """``user`` writes ``text`` into the group (delivered to the bot); returns update_id."""
        uid = self._emu._user_text(user, self.id, text)
        await asyncio.sleep(0)
        return uid

    def messages(self) -> list[ChatMessage]:
        """Messages the bot sent into the group (current state, in order)."""
        return self._emu.chat_messages(self.id)

    def last(self) -> ChatMessage | None:
        return self._emu.last_message(self.id)

    def buttons(self, message: ChatMessage | None = None) -> list[str]:
        if message is None:
            try:
                message = self._emu._keyboard_message(self.id, None)
            except LookupError:
                return []
        return message.buttons
