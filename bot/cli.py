"""The work behind the CLI subcommands (kept out of __main__ so tests can call it)."""

from __future__ import annotations

import argparse
import functools
import html
import re
import sys
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.clock import SystemClock
from bot.config import Settings, SettingsError
from bot.events import EventInputError, import_event, read_event_file
from bot.i18n import Translator
from bot.notify import notify_event_change
from bot.payloads import Payload, PayloadKind, deep_link
from bot.services import Services
from bot.storage import storage_for


@functools.cache
def _translator() -> Translator:
    return Translator("en")


def cli_text(key: str, /, **args: object) -> str:
    """A catalog text as plain English for the terminal (plurals from the catalog)."""
    return html.unescape(re.sub(r"<[^>]+>", "", _translator().text("en", key, **args)))


def describe_event_error(path: Path, exc: EventInputError) -> str:
    """``event.toml: starts: Please write the date and time like this: 2027-03-09 10:00.``"""
    text = cli_text(exc.key, **exc.args_)
    if exc.field and exc.field not in text:
        return f"{path.name}: {exc.field}: {text}"
    return f"{path.name}: {text}"


async def known_username(settings: Settings) -> str | None:
    """From settings, else asked from Telegram with the token; None when neither works."""
    if settings.telegram.username:
        return settings.telegram.username.lstrip("@")
    if settings.telegram.token is None:
        return None
    try:
        async with Bot(
            settings.telegram.token.get_secret_value(), base_url=settings.telegram.base_url
        ) as bot:
            return str(bot.username)
    except TelegramError as exc:
        print(f"note: could not ask Telegram for the bot's username: {exc}", file=sys.stderr)
        return None


async def bot_username(settings: Settings) -> str:
    """For commands that cannot do without the links."""
    username = await known_username(settings)
    if username is None:
        raise SettingsError(
            "telegram.username (BOT_TELEGRAM__USERNAME) or telegram.token is needed to print links"
        )
    return username


async def import_event_file(settings: Settings, path: Path) -> int:
    """``python -m bot events import FILE``: works without a token; the invitation link is
    printed when the bot's username is known."""
    if not path.is_file():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    storage = storage_for(settings)
    await storage.open()
    try:
        try:
            text = read_event_file(path)
            event, change = await import_event(
                storage,
                text,
                default_zone=settings.timezone,
                now=SystemClock().now(),
                require_slug=True,
            )
        except EventInputError as exc:
            print(f"error: {describe_event_error(path, exc)}", file=sys.stderr)
            return 1
        username = await known_username(settings)
        if change is not None and change.notify:
            # Queued in the outbox; the running bot's sender delivers them.
            services = Services(
                settings, storage, _translator(), SystemClock(), username or "kvietimas_bot"
            )
            notified = await notify_event_change(services, change)
            print(cli_text("cli-event-changed", fields=", ".join(change.notify), count=notified))
    finally:
        await storage.close()
    action = "updated" if change is not None else "created"
    print(f"{action} event #{event.id} ({event.slug}): {event.title}")
    payload = Payload(PayloadKind.EVENT, event.invite_code)
    if username is None:
        print(
            "invitation link: known once the bot's username is set (telegram.username or "
            f"BOT_TELEGRAM__USERNAME): {deep_link('<bot username>', payload)}"
        )
    else:
        print(deep_link(username, payload))
    return 0


def register_subcommands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Hook for the subcommands of other features (participants, export, backup)."""
    from bot import operations  # backup, retention, privacy export|forget
    from bot.documents.signin import register_cli as add_attendance_commands  # attendance sheet
    from bot.email.cli import register_cli as add_email_commands  # invite email, email bounces
    from bot.invitations import register_cli as add_participants  # participants import|export
    from bot.surveys.cli import add_export_command  # export (questionnaire scores)
    from bot.tenancy import register_cli as add_bots_commands  # bots add|list|enable|disable

    operations.register(sub)
    add_participants(sub)
    add_export_command(sub)
    add_attendance_commands(sub)
    add_email_commands(sub)
    add_bots_commands(sub)
