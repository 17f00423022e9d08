"""Participant services: registration (consent, name, organisation), language."""

from __future__ import annotations

import unicodedata

from bot.events import EventInputError

MAX_NAME = 100
MAX_ORGANISATION = 150

REGISTER_FLOW = "register"


def clean_text(text: str, *, limit: int, error_key: str) -> str:
    """Collapse whitespace, drop control characters; 2..limit characters or an error."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    cleaned = " ".join(cleaned.split())
    if not 2 <= len(cleaned) <= limit:
        raise EventInputError(error_key, max=limit)
    return cleaned


def clean_name(text: str) -> str:
    return clean_text(text, limit=MAX_NAME, error_key="error-name")


def clean_organisation(text: str) -> str:
    return clean_text(text, limit=MAX_ORGANISATION, error_key="error-organisation")
