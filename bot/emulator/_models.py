"""Plain records kept by the emulator: uploaded files, recorded calls, chat messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiError", "ChatMessage", "RecordedCall", "StoredFile", "UploadedFile"]


@dataclass(slots=True, frozen=True)
class UploadedFile:
    """A file as it travelled over the wire (multipart part, or a user's upload)."""

    filename: str
    content: bytes
    mime: str


@dataclass(slots=True)
class StoredFile:
    """A file known to the emulator's "Telegram": addressable by file_id and file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    upload: UploadedFile

    def document_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.upload.filename,
            "mime_type": self.upload.mime,
            "file_size": len(self.upload.content),
        }

    def photo_json(self) -> list[dict[str, Any]]:
        # Real Telegram returns several sizes; one is enough for PTB and for bots that pick [-1].
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": 320,
                "height": 320,
                "file_size": len(self.upload.content),
            }
        ]

    def file_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.upload.content),
            "file_path": self.file_path,
        }


@dataclass(slots=True)
class RecordedCall:
    """One Bot API request as the emulator saw and answered it.

    ``params`` holds decoded values: PTB sends non-string values as JSON strings, so
    ``reply_markup`` is a dict and ``chat_id`` an int here. ``time`` is ``time.monotonic()``
    at arrival.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    time: float
    chat_id: int | str | None = None
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        d = self.response.get("description")
        return d if isinstance(d, str) else None


@dataclass(slots=True, eq=False)
class ChatMessage:
    """Current state of one message in a chat (edits applied in place).

    ``text`` is the plain text (or caption) as the user sees it, i.e. after HTML parsing;
    ``raw_text`` is what the bot sent (with markup). Deleted messages stay, with
    ``deleted=True``, so tests can assert on deletions.
    """

    message_id: int
    chat_id: int
    text: str | None
    reply_markup: dict[str, Any] | None = None
    document: UploadedFile | None = None
    photo: UploadedFile | None = None
    edited: int = 0
    deleted: bool = False
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    is_caption: bool = False
    from_bot: bool = True
    from_user_id: int | None = None
    kind: str = "text"  # "text", "document", "photo" or the send method for other sends
    date: int = 0
    edit_date: int | None = None
    document_file: StoredFile | None = None
    photo_file: StoredFile | None = None
    forward_origin: dict[str, Any] | None = None

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """Rows of inline keyboard buttons ([] when the message has none)."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    @property
    def buttons(self) -> list[str]:
        """Labels of the inline keyboard, flattened row by row."""
        return [str(b.get("text", "")) for row in self.keyboard for b in row]

    def button_data(self) -> dict[str, str]:
        """label -> callback_data for the callback buttons (first wins on duplicate labels)."""
        out: dict[str, str] = {}
        for row in self.keyboard:
            for b in row:
                if "callback_data" in b:
                    out.setdefault(str(b.get("text", "")), str(b["callback_data"]))
        return out


class ApiError(Exception):
    """Raised inside request handling; becomes ``{"ok": false, ...}`` with HTTP ``status``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
