"""The control namespace: the registry of bots added with ``python -m bot bots add``.

It lives apart from every bot's own namespace: on SQLite the file ``control.sqlite3``
beside the configured database, on PostgreSQL the schema ``kvietimas_control``. It has its
own short list of migrations (:data:`CONTROL_MIGRATIONS`, same rules as
bot/storage/schema.py: append, never edit a shipped one) and holds no personal data of
participants: a bot's key, token, username, organisers' Telegram ids, organisation name and
its setting overrides. The file is owner-only like every database (its tokens are secret).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.storage.database import Database, SqliteDatabase, to_db
from bot.storage.schema import Migration

if TYPE_CHECKING:
    from bot.config import Settings

CONTROL_FILE = "control.sqlite3"
CONTROL_SCHEMA = "kvietimas_control"

_V_BOTS = Migration(
    sqlite="""
CREATE TABLE bots (
    key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    username TEXT,
    organisers TEXT NOT NULL DEFAULT '[]',
    organisation_name TEXT,
    overrides TEXT NOT NULL DEFAULT '{}',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
""",
    postgres="""
CREATE TABLE bots (
    key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    username TEXT,
    organisers TEXT NOT NULL DEFAULT '[]',
    organisation_name TEXT,
    overrides TEXT NOT NULL DEFAULT '{}',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
""",
)

CONTROL_MIGRATIONS: list[Migration] = [_V_BOTS]

_COLUMNS = "key, token, username, organisers, organisation_name, overrides, enabled"


@dataclass(frozen=True, slots=True)
class BotRow:
    """A bot of the registry (organisers: Telegram ids; overrides: BotConfig fields)."""

    key: str
    token: str
    username: str | None = None
    organisers: tuple[int, ...] = ()
    organisation_name: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


class BotRegistry:
    """The ``bots`` table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def all(self) -> list[BotRow]:
        rows = await self.database.fetch_all(f"SELECT {_COLUMNS} FROM bots ORDER BY key")
        return [
            BotRow(
                key=str(row[0]),
                token=str(row[1]),
                username=row[2],
                organisers=tuple(int(i) for i in json.loads(row[3])),
                organisation_name=row[4],
                overrides=dict(json.loads(row[5])),
                enabled=int(row[6]) == 1,
            )
            for row in rows
        ]

    async def add(self, bot: BotRow, *, now: datetime) -> bool:
        """False when a bot with this key is already registered (nothing changes)."""
        async with self.database.transaction() as tx:
            added = await tx.execute(
                f"INSERT INTO bots ({_COLUMNS}, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                (
                    bot.key,
                    bot.token,
                    bot.username,
                    json.dumps(list(bot.organisers)),
                    bot.organisation_name,
                    json.dumps(bot.overrides, sort_keys=True),
                    1 if bot.enabled else 0,
                    to_db(now),
                    to_db(now),
                ),
            )
        return added.rowcount == 1

    async def set_enabled(self, key: str, enabled: bool, *, now: datetime) -> bool:
        """False when no bot has this key."""
        changed = await self.database.execute(
            "UPDATE bots SET enabled = ?, updated_at = ? WHERE key = ?",
            (1 if enabled else 0, to_db(now), key),
        )
        return changed == 1


class ControlStorage:
    """The control namespace, opened like a bot's storage (``open`` / ``close``)."""

    def __init__(self, where: Path | str | Database) -> None:
        """``where``: the SQLite file, or a database already built (PostgreSQL)."""
        self.database = (
            where
            if isinstance(where, Database)
            else SqliteDatabase(where, migrations=CONTROL_MIGRATIONS)
        )
        self.bots = BotRegistry(self.database)

    @property
    def path(self) -> Path | str:
        return self.database.path

    async def open(self) -> None:
        await self.database.open()

    async def close(self) -> None:
        await self.database.close()


def control_path(settings: Settings) -> Path:
    """SQLite: ``control.sqlite3`` in the folder of the configured database."""
    return settings.database.path.parent / CONTROL_FILE


def control_exists(settings: Settings) -> bool:
    """Whether a registry was ever written (reading commands never create one)."""
    if _postgres_url(settings):
        return True  # a schema: reading an absent one makes it (empty), nothing more
    return control_path(settings).is_file()


def control_for(settings: Settings) -> ControlStorage:
    """The control namespace of the deployment the settings describe (not opened yet)."""
    url = settings.database.url
    if url is not None:
        from bot.storage.postgres import PostgresDatabase

        return ControlStorage(
            PostgresDatabase(
                url.get_secret_value(), CONTROL_SCHEMA, pool_size=2, migrations=CONTROL_MIGRATIONS
            )
        )
    return ControlStorage(control_path(settings))


def _postgres_url(settings: Settings) -> bool:
    return bool(getattr(settings.database, "url", None))
