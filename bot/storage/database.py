"""The database engine behind every repository: one aiosqlite connection, its lock,
transactions and migrations, and the narrow driver seam repositories use.

The seam is small on purpose, so that a second engine (PostgreSQL, issue 14) can implement
it: ``execute``, ``executemany``, ``fetch_one``, ``fetch_all``, ``scalar`` (each one
autocommitted statement under the lock), ``transaction()`` (an immediate write
transaction) and ``reading()`` (several reads under the lock, no transaction). Inside a
transaction the :class:`Tx` handle offers the same five statement methods. ``run`` and
``run_transaction`` hand a whole piece of synchronous work to the connection's thread in one
hop (the RSVP transaction, bot/storage/rsvp.py); each seam read or statement is one hop too
(aiosqlite's own ``async with conn.execute(...) as cur`` takes three: execute, fetch, close).

A single connection is shared by all coroutines, so every statement runs under the lock:
without it two coroutines could interleave statements of their transactions on the same
connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import aiosqlite

if TYPE_CHECKING:
    from bot.storage.schema import Migration

log = logging.getLogger(__name__)

Row = aiosqlite.Row
Params = Iterable[Any] | Mapping[str, Any]
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


def backup_database(source: Path, dest: Path | None = None, *, now: datetime | None = None) -> Path:
    """Copy ``source`` to ``dest``: a file, or a folder (existing, or a name without a
    suffix) to put a dated ``<name>-<UTC time>.sqlite3`` in.

    The copy is a single self-contained file (rollback journal, not WAL). Raises
    FileNotFoundError when the source does not exist and RuntimeError when the copy fails
    its integrity check (the partial file is removed).
    """
    if not source.exists():
        raise FileNotFoundError(f"database {source} does not exist")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if dest is None:
        dest = source.parent / "backups"
    if dest.is_dir() or not dest.suffix:  # a folder: put a dated file in it
        make_private(dest, directory=True)
        dest = dest / f"{source.stem}-{stamp}.sqlite3"
    make_private(dest.parent, directory=True)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    make_private(part)  # owner-only before a byte of personal data is in it
    src = sqlite3.connect(str(source), timeout=30)
    try:
        out = sqlite3.connect(str(part))
        try:
            src.backup(out)  # all pages in one step: one consistent snapshot
            out.execute("PRAGMA journal_mode=DELETE")
            check = out.execute("PRAGMA integrity_check").fetchone()
        finally:
            out.close()
            private_companions(part)
    finally:
        src.close()
    if check is None or check[0] != "ok":
        part.unlink(missing_ok=True)
        raise RuntimeError(f"backup failed its integrity check: {check}")
    os.chmod(part, PRIVATE_FILE)
    os.replace(part, dest)
    return dest


def _params(params: Params) -> Any:
    if isinstance(params, tuple | list | dict):
        return params
    if isinstance(params, Mapping):
        return dict(params)
    return tuple(params)


@dataclass(frozen=True, slots=True)
class Executed:
    """What one written statement did."""

    rowcount: int
    lastrowid: int | None


class Tx:
    """Statements on the connection while the caller holds the lock (inside
    :meth:`Database.transaction` or :meth:`Database.reading`)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    @property
    def total_changes(self) -> int:
        """Rows changed on this connection since it opened (differences count the rows an
        ``executemany`` or an ``INSERT ... ON CONFLICT DO NOTHING`` really wrote)."""
        return int(self._conn.total_changes)

    async def _hop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await _on_thread(self._conn, work)

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        args = _params(params)

        def work(db: sqlite3.Connection) -> Executed:
            cur = db.execute(sql, args)
            return Executed(int(cur.rowcount), cur.lastrowid)

        return await self._hop(work)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        cur = await self._conn.executemany(sql, rows)
        return int(cur.rowcount)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        args = _params(params)
        row: Row | None = await self._hop(lambda db: db.execute(sql, args).fetchone())
        return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        args = _params(params)
        rows: list[Row] = await self._hop(lambda db: db.execute(sql, args).fetchall())
        return rows

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


async def _on_thread(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """``work`` on aiosqlite's own thread with the sqlite3 connection: one hop from the event
    loop (a queue put, a thread switch and a future resolved on the loop), whatever it runs.
    aiosqlite 0.22 has no public name for either (``_execute``, ``_conn``; pinned in uv.lock)."""
    result: T = await conn._execute(lambda: work(conn._conn))  # type: ignore[no-untyped-call]
    return result


class Database:
    """Owns the connection; repositories use only the seam methods below."""

    def __init__(self, path: Path | str, *, migrations: Sequence[Migration] | None = None) -> None:
        """``migrations``: the schema this database is built to; default the bot's own
        (bot/storage/schema.py); the bots registry has its own (bot/storage/control.py)."""
        self.path = Path(path) if str(path) != ":memory:" else path
        self.migrations = migrations
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        from bot.storage.schema import migrate

        if isinstance(self.path, Path):
            # Owner-only before SQLite opens it (SQLite gives the WAL and SHM files the
            # database's mode), and again after, whatever the umask (docs/operations.md).
            make_private(self.path.parent, directory=True)
            make_private(self.path)
        conn = await aiosqlite.connect(str(self.path), isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            if isinstance(self.path, Path):
                private_companions(self.path)
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            self._conn = conn
            async with self._lock:
                await migrate(conn, self.migrations)
        except BaseException:
            # Not a database, or one from a newer version: the connection's thread would
            # otherwise keep the process alive after the error is reported.
            self._conn = None
            await conn.close()
            raise

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def _connection(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("storage is not open")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """An immediate write transaction under the connection lock."""
        async with self._lock:
            conn = self._connection
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """Several statements under the lock without a transaction (each autocommits):
        no other coroutine's statement comes in between."""
        async with self._lock:
            yield Tx(self._connection)

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` on the connection's own thread, under the connection lock: any number of
        statements for one hop from the event loop."""
        async with self._lock:
            return await _on_thread(self._connection, work)

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` as one immediate write transaction, in one hop (see :meth:`run`)."""

        def transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        return await self.run(transaction)

    # Each statement below is one hop to the connection's thread (see the module docstring).

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One autocommitted statement; returns the affected row count."""
        args = _params(params)
        return await self.run(lambda db: int(db.execute(sql, args).rowcount))

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        async with self._lock:
            return await Tx(self._connection).executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        args = _params(params)
        rows: list[Row] = await self.run(lambda db: db.execute(sql, args).fetchall())
        return rows

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        args = _params(params)
        row: Row | None = await self.run(lambda db: db.execute(sql, args).fetchone())
        return row

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]
