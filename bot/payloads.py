"""Deep-link payloads for ``/start``: a kind letter and a random code.

Telegram allows up to 64 characters of ``A-Za-z0-9_-``; we use ``<kind>_<code>``. Codes are
random (not ids) so links cannot be guessed or enumerated.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

_PAYLOAD = re.compile(r"^([a-z])_([A-Za-z0-9_-]{6,48})$")


class PayloadKind(StrEnum):
    EVENT = "e"  # public invitation to an event
    PERSONAL = "p"  # personal invitation of an imported participant
    CHECKIN = "c"  # attendance check-in at the venue
    VERIFY = "v"  # certificate verification


@dataclass(frozen=True, slots=True)
class Payload:
    kind: PayloadKind
    code: str

    def pack(self) -> str:
        return f"{self.kind.value}_{self.code}"


def new_code() -> str:
    """12 URL-safe random characters (72 bits)."""
    return secrets.token_urlsafe(9)


def parse_payload(text: str | None) -> Payload | None:
    if not text or len(text) > 64:
        return None
    match = _PAYLOAD.match(text)
    if match is None:
        return None
    try:
        kind = PayloadKind(match.group(1))
    except ValueError:
        return None
    return Payload(kind, match.group(2))


def deep_link(bot_username: str, payload: Payload) -> str:
    return f"https://t.me/{bot_username}?start={payload.pack()}"
