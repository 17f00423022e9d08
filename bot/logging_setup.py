"""Structured logs: one JSON object per line, no personal data beyond ids.

Every record becomes ``{"ts": ..., "level": ..., "logger": ..., "msg": ...}`` plus any
``extra={...}`` fields; a traceback goes into ``"exc"`` inside the same line, so a log
shipper never splits an event. Our own messages name people only by ids (participant id,
Telegram id), never by name or organisation; as a second line of defence a filter masks
bot tokens (they appear in Bot API URLs inside HTTP errors) and e-mail addresses.

``BOT_LOG_FORMAT=text`` gives the classic human-readable format for local work.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

_HANDLER_NAME = "kvietimas"
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)


def redact(text: str) -> str:
    """Mask bot tokens and e-mail addresses."""
    if ":" in text:
        text = _TOKEN.sub("<token>", text)
    if "@" in text:
        text = _EMAIL.sub("<email>", text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable, still one line per event (newlines in messages are escaped)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record)).replace("\n", "\\n")


def setup_logging(
    level: str = "INFO", *, fmt: str | None = None, stream: TextIO | None = None
) -> logging.Handler:
    """Log to stderr from the root logger; returns the handler.

    Calling it again replaces the handler it installed before (and only that one, so a
    test runner's capturing handlers stay).
    """
    chosen = (fmt or os.environ.get("BOT_LOG_FORMAT") or "json").lower()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(TextFormatter() if chosen == "text" else JsonFormatter())
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == _HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    # Every request at INFO would drown our own one-line-per-event log, and httpx logs
    # request URLs, which contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return handler
