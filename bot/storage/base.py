"""Connection handling shared by every query module: one aiosqlite connection, WAL mode.

A single connection is shared by all coroutines, so every public query method runs under
``self._lock``: without it two coroutines could interleave statements of their
transactions on the same connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)

T = TypeVar("T")


def to_db(moment: datetime | None) -> str | None:
    """UTC ISO text: sorts lexicographically in time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text)


def from_db_required(text: str) -> datetime:
    return datetime.fromisoformat(text)


PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private(path: Path, *, directory: bool = False) -> None:
    """Create ``path`` (a file, or a folder with its parents) if missing, and make it the
    owner's only, whatever the umask: the database, its WAL files and backups hold
    personal data."""
    if directory:
        if not path.exists():
            path.mkdir(mode=PRIVATE_DIR, parents=True)
            os.chmod(path, PRIVATE_DIR)
        return
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)


def private_companions(database: Path) -> None:
    """chmod 0600 the -wal, -shm and -journal files of ``database`` that exist."""
    for suffix in ("-wal", "-shm", "-journal"):
        companion = database.with_name(database.name + suffix)
        try:
            os.chmod(companion, PRIVATE_FILE)
        except FileNotFoundError:
            continue


class StorageBase:
    """Owns the connection; query mixins use ``_read`` / ``_tx``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        from bot.storage.schema import migrate

        if isinstance(self.path, Path):
            # Owner-only before SQLite opens it (SQLite gives the WAL and SHM files the
            # database's mode), and again after, whatever the umask (docs/operations.md).
            make_private(self.path.parent, directory=True)
            make_private(self.path)
        db = await aiosqlite.connect(str(self.path), isolation_level=None)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute("PRAGMA journal_mode=WAL")
            if isinstance(self.path, Path):
                private_companions(self.path)
            await db.execute("PRAGMA foreign_keys=ON")
            await db.execute("PRAGMA busy_timeout=5000")
            await db.execute("PRAGMA synchronous=NORMAL")
            self._db = db
            async with self._lock:
                await migrate(db)
        except BaseException:
            # Not a database, or one from a newer version: the connection's thread would
            # otherwise keep the process alive after the error is reported.
            self._db = None
            await db.close()
            raise

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("storage is not open")
        return self._db

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        """An immediate write transaction under the connection lock."""
        async with self._lock:
            db = self.db
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            else:
                await db.execute("COMMIT")

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` on the connection's own thread, under the connection lock: any number of
        statements for one hop from the event loop (each ``await db.execute`` is a hop: a
        queue put, a thread switch and a future resolved on the loop)."""
        async with self._lock:
            db = self.db
            # aiosqlite runs queued functions on its thread, where ``_conn`` is the sqlite3
            # connection (aiosqlite 0.22 has no public name for either; pinned in uv.lock).
            result: T = await db._execute(lambda: work(db._conn))  # type: ignore[no-untyped-call]
            return result

    async def _run_tx(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` as one immediate write transaction, in one hop (see :meth:`_run`)."""

        def transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        return await self._run(transaction)

    # Each read or statement below is one hop to the connection's thread (aiosqlite's own
    # ``async with db.execute(...) as cur`` takes three: execute, fetch, close).

    async def _fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        args = tuple(params)
        return await self._run(lambda db: db.execute(sql, args).fetchall())

    async def _fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        args = tuple(params)
        row: aiosqlite.Row | None = await self._run(lambda db: db.execute(sql, args).fetchone())
        return row

    async def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self._fetchone(sql, params)
        return None if row is None else row[0]

    async def _execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One autocommitted statement; returns the affected row count."""
        args = tuple(params)
        return await self._run(lambda db: int(db.execute(sql, args).rowcount))
