"""Structured logs: one JSON object per line, no personal data beyond ids.

Every record becomes ``{"ts": ..., "level": ..., "logger": ..., "msg": ...}`` plus any
``extra={...}`` fields; a traceback goes into ``"exc"`` inside the same line, so a log
shipper never splits an event. Our own messages name people only by ids (participant id,
Telegram id), never by name or organisation; as a second line of defence a filter masks
bot tokens (they appear in Bot API URLs inside HTTP errors) and e-mail addresses.

``BOT_LOG_FORMAT=text`` gives the classic human-readable format for local work.

``--log-level DEBUG`` is for our own code only. Libraries dump whole updates and request
parameters at DEBUG (PTB's ``telegram.ext`` logs every update it processes, ``telegram.Bot``
every Bot API call with its text, aiosqlite every statement with its parameters), and
those hold names and typed texts. So third-party loggers are held at INFO or above
whatever the level asked (:data:`THIRD_PARTY_FLOOR`), and, in case one is turned up later,
the handler drops every DEBUG record that does not come from our own ``bot`` loggers.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Coroutine
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

_HANDLER_NAME = "kvietimas"
_OWN = "bot"
# The least a library logs at, whatever --log-level says (WARNING where INFO is a line per
# request, or holds URLs with the bot token).
THIRD_PARTY_FLOOR: dict[str, int] = {
    "telegram": logging.INFO,  # telegram.ext.Application: "Processing update ..." at DEBUG
    "httpx": logging.WARNING,  # request URLs contain the bot token
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "aiosqlite": logging.INFO,  # DEBUG: every statement with its parameters
    "aiohttp": logging.INFO,
    "aiohttp.access": logging.WARNING,
    "asyncio": logging.INFO,
    "fontTools": logging.WARNING,  # DEBUG: the glyphs of every name on a certificate
    "fpdf": logging.INFO,
    "PIL": logging.INFO,
    "matplotlib": logging.WARNING,
}
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)


# The key of the bot whose work is running (bot/runner.py sets it in each bot's context, so
# every task a bot starts inherits it): each record carries it as ``"bot"``.
current_bot: ContextVar[str | None] = ContextVar("kvietimas_bot", default=None)


def with_bot(record: logging.LogRecord) -> bool:
    """Handler filter: the record carries the key of the bot it comes from, if any."""
    key = current_bot.get()
    if key is not None and not hasattr(record, "bot"):
        record.bot = key
    return True


async def as_bot(key: str | None, work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` as bot ``key``: its records, and those of every task it starts (PTB's
    update fetcher and poller, the sender, the scheduler), carry the key."""
    if key is None:
        return await work
    context = contextvars.copy_context()
    context.run(current_bot.set, key)
    return await asyncio.create_task(work, context=context)


def redact(text: str) -> str:
    """Mask bot tokens and e-mail addresses."""
    if ":" in text:
        text = _TOKEN.sub("<token>", text)
    if "@" in text:
        text = _EMAIL.sub("<email>", text)
    return text


def own_debug_only(record: logging.LogRecord) -> bool:
    """Handler filter: DEBUG records pass only from our own loggers."""
    if record.levelno >= logging.INFO:
        return True
    return record.name == _OWN or record.name.startswith(_OWN + ".")


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
        text = super().format(record)
        key = getattr(record, "bot", None)
        if key is not None:
            text = f"{text} [bot {key}]"
        return redact(text).replace("\n", "\\n")


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
    handler.addFilter(own_debug_only)
    handler.addFilter(with_bot)
    root.addHandler(handler)
    wanted = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    if not isinstance(wanted, int):
        raise ValueError(f"unknown log level {level!r}")
    root.setLevel(wanted)
    for name, floor in THIRD_PARTY_FLOOR.items():
        logging.getLogger(name).setLevel(max(floor, wanted))
    return handler
