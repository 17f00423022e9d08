"""The work behind the CLI subcommands (kept out of __main__ so tests can call it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from telegram import Bot

from bot.clock import SystemClock
from bot.config import Settings, SettingsError
from bot.events import EventInputError, import_event, read_event_file
from bot.i18n import Translator
from bot.notify import notify_event_change
from bot.payloads import Payload, PayloadKind, deep_link
from bot.services import Services
from bot.storage import Storage


async def bot_username(settings: Settings) -> str:
    """From settings, or asked from Telegram with the token."""
    if settings.telegram.username:
        return settings.telegram.username.lstrip("@")
    if settings.telegram.token is None:
        raise SettingsError(
            "telegram.username (BOT_TELEGRAM__USERNAME) or telegram.token is needed to print links"
        )
    async with Bot(
        settings.telegram.token.get_secret_value(), base_url=settings.telegram.base_url
    ) as bot:
        return str(bot.username)


async def import_event_file(settings: Settings, path: Path) -> int:
    translator = Translator("en")
    if not path.exists():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    username = await bot_username(settings)
    storage = Storage(settings.database.path)
    await storage.open()
    try:
        try:
            text = read_event_file(path)
            event, change = await import_event(
                storage, text, default_zone=settings.timezone, now=SystemClock().now()
            )
        except EventInputError as exc:
            print(f"error: {path}: {translator.text('en', exc.key, **exc.args_)}", file=sys.stderr)
            return 1
        if change is not None and change.notify:
            # Queued in the outbox; the running bot's sender delivers them.
            services = Services(settings, storage, translator, SystemClock(), username)
            notified = await notify_event_change(services, change)
            print(f"changed: {', '.join(change.notify)}; {notified} participants will be told")
    finally:
        await storage.close()
    action = "updated" if change is not None else "created"
    print(f"{action} event #{event.id}: {event.title}")
    print(deep_link(username, Payload(PayloadKind.EVENT, event.invite_code)))
    return 0


def register_subcommands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Hook for the subcommands of other features (participants, export, backup)."""
    from bot import operations  # backup, retention, privacy export|forget
    from bot.imports import register_cli as add_participants_commands  # participants import|export
    from bot.signin import register_cli as add_attendance_commands  # attendance sheet
    from bot.surveys.cli import add_export_command  # export (questionnaire scores)

    operations.register(sub)
    add_participants_commands(sub)
    add_export_command(sub)
    add_attendance_commands(sub)
