"""A message as data: text plus inline buttons, free of Telegram types.

Services and views build these; the Telegram layer turns them into API calls. Because an
``OutgoingMessage`` serialises to JSON, the outbox can store exactly what a handler would
have sent, so an invitation in a broadcast and a card shown on /start share one renderer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None  # callback data (see bot.callbacks), or
    url: str | None = None  # a link button

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has either callback data or a url")
        if self.data is not None and not 1 <= len(self.data.encode()) <= 64:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document made when the message is sent (the outbox keeps the reference, not the
    bytes): ``kind`` names a renderer registered with ``bot.sender.register_attachment``."""

    kind: str
    ref: str
    filename: str


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    text: str  # HTML (the caption when there is a document: at most 1024 characters)
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    disable_preview: bool = True
    document: Attachment | None = None

    def to_json(self) -> str:
        obj: dict[str, Any] = {
            "text": self.text,
            "buttons": [
                [{"label": b.label, "data": b.data, "url": b.url} for b in row]
                for row in self.buttons
            ],
            "disable_preview": self.disable_preview,
        }
        if self.document is not None:
            d = self.document
            obj["document"] = {"kind": d.kind, "ref": d.ref, "filename": d.filename}
        return json.dumps(obj, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> OutgoingMessage:
        obj: dict[str, Any] = json.loads(raw)
        return cls(
            text=obj["text"],
            buttons=tuple(
                tuple(Button(b["label"], data=b.get("data"), url=b.get("url")) for b in row)
                for row in obj.get("buttons", [])
            ),
            disable_preview=obj.get("disable_preview", True),
            document=Attachment(**obj["document"]) if obj.get("document") else None,
        )


def rows(*buttons: Button, per_row: int = 3) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out ``per_row`` to a row."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    """A file sent at once: a document, or a photo when ``photo``; the caption is HTML (the
    caller keeps it within Telegram's 1024 characters)."""

    data: bytes
    filename: str
    caption: str
    photo: bool = False
