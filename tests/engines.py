"""Several workers' connections to one namespace, on SQLite or PostgreSQL (tests of leases
and outbox claims run on both engines; PostgreSQL skips where no server can be started)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.storage import Storage

ENGINES = ("sqlite", "postgresql")
_count = 0


@asynccontextmanager
async def shared_storages(
    request: pytest.FixtureRequest, engine: str, tmp_path: Path, count: int
) -> AsyncIterator[list[Storage]]:
    """``count`` opened Storage objects on one namespace, each its own connection(s)."""
    global _count
    schema: str | None = None
    url = ""
    if engine == "postgresql":
        from bot.storage.postgres import PostgresDatabase

        url = request.getfixturevalue("postgres_url")
        _count += 1
        schema = f"w{os.getpid()}_{_count}"
        opened = [Storage(PostgresDatabase(url, schema, pool_size=4)) for _ in range(count)]
    else:
        opened = [Storage(tmp_path / "bot.sqlite3") for _ in range(count)]
    for storage in opened:
        await storage.open()
    try:
        yield opened
    finally:
        for storage in opened:
            await storage.close()
        if schema is not None:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
