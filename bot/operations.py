"""Operations subcommands: ``backup``, ``db migrate``, ``retention`` and
``privacy export|forget``.

``python -m bot backup [DEST]`` copies the live database with SQLite's online backup API:
a consistent snapshot taken while the bot keeps running (WAL readers do not block its
writers), checked with ``PRAGMA integrity_check`` and renamed into place only when good.
On PostgreSQL it says to use ``pg_dump`` instead. ``python -m bot db migrate`` brings the
configured database (a SQLite file, or a PostgreSQL schema) to this code's schema and prints
the version. See docs/operations.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from bot.storage import Storage, storage_for
from bot.storage.database import backup_database


def _settings(args: argparse.Namespace) -> Settings:
    from bot.tenancy import cli_settings  # --bot KEY when the deployment has several

    return cli_settings(args)


def _missing_sqlite(settings: Settings) -> bool:
    """A SQLite database file that does not exist (said on stderr); False on PostgreSQL."""
    if settings.database.url is None and not settings.database.path.exists():
        print(f"error: database {settings.database.path} does not exist", file=sys.stderr)
        return True
    return False


def cmd_backup(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.database.url is not None:
        schema = settings.database.schema_
        print(
            "error: the database is PostgreSQL: back it up with pg_dump, e.g. "
            f"`pg_dump --schema={schema} --format=custom --file=kvietimas-{schema}.dump "
            '"$BOT_DATABASE__URL"` (see docs/operations.md)',
            file=sys.stderr,
        )
        return 2
    try:
        path = backup_database(settings.database.path, Path(args.dest) if args.dest else None)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (RuntimeError, sqlite3.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backup written: {path} ({path.stat().st_size} bytes)")
    return 0


async def run_retention(settings: Settings, *, dry_run: bool = False) -> int:
    from bot.clock import SystemClock
    from bot.i18n import Translator
    from bot.privacy import apply_retention, months_before
    from bot.services import Services

    storage = storage_for(settings)
    await storage.open()
    try:
        services = Services(settings, storage, Translator(settings.default_language), SystemClock())
        now = services.clock.now()
        months = settings.privacy.retention_months
        if dry_run:
            if months <= 0:
                return 0
            due = await storage.privacy.privacy_retention_due(
                months_before(now, months), keep_telegram_ids=settings.organisers
            )
            return len(due)
        return await apply_retention(services, now=now)
    finally:
        await storage.close()


async def run_migrate(settings: Settings) -> tuple[str, int]:
    """Open (and so migrate) the configured database; (where, schema version)."""
    storage = storage_for(settings)
    await storage.open()
    try:
        return str(storage.path), await storage.database.schema_version()
    finally:
        await storage.close()


def cmd_db_migrate(args: argparse.Namespace) -> int:
    where, version = asyncio.run(run_migrate(_settings(args)))
    print(f"database {where}: schema version {version}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if _missing_sqlite(settings):
        return 2
    from bot.cli import cli_text

    count = asyncio.run(run_retention(settings, dry_run=args.dry_run))
    months = settings.privacy.retention_months
    if months <= 0:
        print("retention is off (privacy.retention_months = 0): nothing deleted")
    elif args.dry_run:
        print(cli_text("cli-retention-due", count=count, months=months))
    else:
        print(cli_text("cli-retention-done", count=count, months=months))
    return 0


async def find_person(storage: Storage, query: str) -> int | None:
    """The participant an operator means by an id, an e-mail address or a name; prints
    why not (nobody, or the candidates of an ambiguous name) and returns None."""
    from bot.cli import cli_text

    text = query.strip()
    if text.lstrip("#").isdigit():
        person = await storage.people.get_participant(int(text.lstrip("#")))
        if person is None:
            print(f"error: no participant #{text.lstrip('#')}", file=sys.stderr)
            return None
        return person.id
    found = await storage.people.find_participants(text)
    if len(found) == 1:
        return found[0].id
    if not found:
        print("error: " + cli_text("cli-privacy-not-found", query=text), file=sys.stderr)
        return None
    print("error: " + cli_text("cli-privacy-ambiguous", count=len(found), query=text),
          file=sys.stderr)  # fmt: skip
    for person in found:
        details = ", ".join(x for x in (person.organisation, person.email) if x)
        print(f"  #{person.id} {person.name}" + (f" ({details})" if details else ""),
              file=sys.stderr)  # fmt: skip
    return None


async def run_privacy(settings: Settings, action: str, who: str) -> int:
    from bot.clock import SystemClock
    from bot.i18n import Translator
    from bot.privacy import export_json, export_personal_data, forget
    from bot.services import Services

    storage = storage_for(settings)
    await storage.open()
    try:
        services = Services(settings, storage, Translator(settings.default_language), SystemClock())
        participant_id = await find_person(storage, who)
        if participant_id is None:
            return 1
        if action == "export":
            sys.stdout.write(
                export_json(await export_personal_data(services, participant_id)).decode()
            )
            sys.stdout.write("\n")
        else:
            result = await forget(services, participant_id)
            print(
                json.dumps(
                    {
                        "forgotten": participant_id,
                        "cancelled_messages": result.cancelled_messages,
                        "removed": result.removed,
                    }
                )
            )
        return 0
    finally:
        await storage.close()


def cmd_privacy(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if _missing_sqlite(settings):
        return 2
    return asyncio.run(run_privacy(settings, args.privacy_command, args.participant))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser(
        "backup", help="copy the live database with SQLite's online backup (safe while running)"
    )
    backup.add_argument(
        "dest", nargs="?", help="file or folder (default: backups/ next to the database)"
    )
    backup.set_defaults(func=cmd_backup)

    db = sub.add_parser("db", help="the database itself").add_subparsers(
        dest="db_command", required=True, metavar="COMMAND"
    )
    migrate = db.add_parser(
        "migrate",
        help="create or upgrade the database's schema (SQLite file or PostgreSQL schema) "
        "and print its version",
    )
    migrate.set_defaults(func=cmd_db_migrate)

    retention = sub.add_parser(
        "retention", help="forget people past privacy.retention_months (the bot runs it daily)"
    )
    retention.add_argument("--dry-run", action="store_true", help="only count who is due")
    retention.set_defaults(func=cmd_retention)

    privacy = sub.add_parser(
        "privacy", help="a data request received outside Telegram (e-mail, letter)"
    ).add_subparsers(dest="privacy_command", required=True)
    for name, text in (
        ("export", "print all data about a participant as JSON"),
        ("forget", "erase a participant's personal data"),
    ):
        cmd = privacy.add_parser(name, help=text)
        cmd.add_argument(
            "participant", metavar="PERSON", help="participant id, e-mail address or full name"
        )
        cmd.set_defaults(func=cmd_privacy)
