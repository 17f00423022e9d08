"""The database seam behind every repository, and its SQLite engine.

Repositories use only the seam of :class:`Database`: ``execute``, ``executemany``,
``fetch_one``, ``fetch_all``, ``scalar`` (each one autocommitted statement),
``transaction()`` (a write transaction) and ``reading()`` (several statements on one
connection, no transaction). Inside either the :class:`Tx` handle offers the same five
statement methods, ``total_changes`` and ``list_tables()``. ``run_program`` runs a whole
transaction written once as a *program* (a generator of :class:`Step`, see
:func:`one` and bot/storage/rsvp.py) on either engine: on SQLite in one hop to the
connection's thread, on PostgreSQL as an async transaction whose ``lock`` steps take row
locks (``SELECT ... FOR UPDATE``).

Two engines implement it: :class:`SqliteDatabase` here and ``PostgresDatabase`` in
bot/storage/postgres.py (chosen by ``bot.storage.storage_for``). SQL is written once, in
the portable subset (docs/architecture.md): ``?`` placeholders, which the PostgreSQL engine
translates. What cannot be portable is a method of the engine: ``migrate`` (each engine's
DDL, bot/storage/schema.py), ``list_tables`` (introspection) and ``backup``.

SQLite: one aiosqlite connection shared by all coroutines, so every statement runs under
a lock (without it two coroutines could interleave statements of their transactions on the
same connection); ``transaction()`` is ``BEGIN IMMEDIATE``. Each seam read or statement is
one hop to the connection's thread (aiosqlite's own ``async with conn.execute(...) as cur``
takes three: execute, fetch, close).
"""

from __future__ import annotations

import abc
import asyncio
import logging
import os
import sqlite3
from collections.abc import (
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload

import aiosqlite

if TYPE_CHECKING:
    from bot.storage.schema import Migration

log = logging.getLogger(__name__)

Params = Iterable[Any] | Mapping[str, Any]
T = TypeVar("T")


class Row(Protocol):
    """A result row of either engine: by position (``row[0]``) and by column name
    (``row["name"]``), like :class:`sqlite3.Row`."""

    @overload
    def __getitem__(self, key: int | str, /) -> Any: ...
    @overload
    def __getitem__(self, key: slice, /) -> tuple[Any, ...]: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...


def _driver_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    try:
        import psycopg
    except ImportError:  # a SQLite-only install (no ``postgres`` extra)
        return (sqlite3.DatabaseError,), (sqlite3.IntegrityError,)
    return (sqlite3.DatabaseError, psycopg.DatabaseError), (
        sqlite3.IntegrityError,
        psycopg.IntegrityError,
    )


# ``except DatabaseErrors`` / ``except IntegrityErrors``: what either engine raises for a
# statement the database refused (a constraint, a trigger, a malformed statement).
DatabaseErrors, IntegrityErrors = _driver_errors()


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
    """What one written statement did (``lastrowid``: SQLite only; use ``RETURNING id``)."""

    rowcount: int
    lastrowid: int | None


# -- introspection (the dialect's ``list_tables``) ------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    name: str
    notnull: bool
    pk: bool


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """``table.columns`` references ``parent.parent_columns``."""

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableInfo:
    name: str
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...]
    # Every unique key: the primary key, UNIQUE constraints and unique indexes (partial
    # ones included), each as its columns.
    unique: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[ForeignKey, ...]
    # The indexes created by name (CREATE INDEX), not those behind constraints.
    indexes: tuple[str, ...] = field(default=())


# -- programs: one transaction written once for both engines --------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One request of a program to its engine: ``one`` (a row or None), ``all`` (rows),
    ``exec`` (an :class:`Executed`) or ``lock`` (the row ``table.id = params[0]`` is locked
    for the rest of the transaction on PostgreSQL; nothing on SQLite, whose ``BEGIN
    IMMEDIATE`` already serialises every writer)."""

    kind: Literal["one", "all", "exec", "lock"]
    sql: str
    params: tuple[Any, ...] = ()


Program = Generator[Step, Any, T]


def one(sql: str, params: Iterable[Any] = ()) -> Generator[Step, Any, Row | None]:
    row: Row | None = yield Step("one", sql, tuple(params))
    return row


def every(sql: str, params: Iterable[Any] = ()) -> Generator[Step, Any, list[Row]]:
    rows: list[Row] = yield Step("all", sql, tuple(params))
    return rows


def write(sql: str, params: Iterable[Any] = ()) -> Generator[Step, Any, Executed]:
    done: Executed = yield Step("exec", sql, tuple(params))
    return done


def lock(table: str, row_id: int) -> Generator[Step, Any, None]:
    yield Step("lock", table, (row_id,))


def run_program_sync(program: Program[T], db: sqlite3.Connection) -> T:
    """Drive ``program`` on a sqlite3 connection (on its own thread)."""
    answer: Any = None
    try:
        while True:
            step = program.send(answer)
            if step.kind == "one":
                answer = db.execute(step.sql, step.params).fetchone()
            elif step.kind == "all":
                answer = db.execute(step.sql, step.params).fetchall()
            elif step.kind == "exec":
                cur = db.execute(step.sql, step.params)
                answer = Executed(int(cur.rowcount), cur.lastrowid)
            else:
                answer = None
    except StopIteration as stop:
        result: T = stop.value
        return result


async def run_program_async(program: Program[T], tx: Tx) -> T:
    """Drive ``program`` through a :class:`Tx` (the PostgreSQL engine)."""
    answer: Any = None
    try:
        while True:
            step = program.send(answer)
            if step.kind == "one":
                answer = await tx.fetch_one(step.sql, step.params)
            elif step.kind == "all":
                answer = await tx.fetch_all(step.sql, step.params)
            elif step.kind == "exec":
                answer = await tx.execute(step.sql, step.params)
            else:
                await tx.lock_row(step.sql, int(step.params[0]))
                answer = None
    except StopIteration as stop:
        result: T = stop.value
        return result


# -- the seam ---------------------------------------------------------------------------------


class Tx(abc.ABC):
    """Statements on one connection inside :meth:`Database.transaction` or
    :meth:`Database.reading`."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def total_changes(self) -> int:
        """Rows changed so far (inserted, updated or deleted); the difference of two
        readings counts the rows an ``executemany`` or an ``INSERT ... ON CONFLICT DO
        NOTHING`` between them really wrote."""

    @abc.abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> Executed: ...

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int: ...

    @abc.abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abc.abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def lock_row(self, table: str, row_id: int) -> None:
        """Lock ``table``'s row ``id = row_id`` until the transaction ends (no-op on
        SQLite, where a write transaction already excludes every other writer)."""
        return None

    async def after_explicit_ids(self, table: str) -> None:
        """After rows were inserted with their ``id`` given (a bulk loader): the next
        ``id`` the database picks comes after them (PostgreSQL's identity does not follow
        by itself; SQLite's does)."""
        return None

    @abc.abstractmethod
    async def list_tables(self) -> list[TableInfo]:
        """The namespace's tables, by name (the dialect's introspection)."""


class Database(abc.ABC):
    """One namespace of one engine; repositories use only the seam methods."""

    engine: str

    @property
    @abc.abstractmethod
    def path(self) -> Path | str:
        """Where the data is, for messages: a file (SQLite) or ``postgresql:<schema>``."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and migrate the namespace to this code's schema."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @property
    @abc.abstractmethod
    def is_open(self) -> bool: ...

    @abc.abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed when the block ends, rolled back on an error."""

    @abc.abstractmethod
    def reading(self) -> AbstractAsyncContextManager[Tx]:
        """Several statements on one connection without a transaction (each autocommits)."""

    @abc.abstractmethod
    async def run_program(self, program: Program[T], *, transaction: bool = True) -> T:
        """``program`` as one write transaction (or, with ``transaction=False``, as
        autocommitted reads)."""

    @abc.abstractmethod
    async def schema_version(self) -> int:
        """Migrations applied to the namespace."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One autocommitted statement; returns the affected row count."""
        async with self.reading() as tx:
            return (await tx.execute(sql, params)).rowcount

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        async with self.transaction() as tx:
            return await tx.executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self.reading() as tx:
            return await tx.fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self.reading() as tx:
            return await tx.fetch_one(sql, params)

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def list_tables(self) -> list[TableInfo]:
        async with self.reading() as tx:
            return await tx.list_tables()


# -- SQLite -----------------------------------------------------------------------------------


class SqliteTx(Tx):
    """Statements on the connection while the caller holds the lock."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    @property
    def total_changes(self) -> int:
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

    async def list_tables(self) -> list[TableInfo]:
        return await self._hop(sqlite_tables)


def sqlite_tables(db: sqlite3.Connection) -> list[TableInfo]:
    """Tables of a SQLite database from its PRAGMAs (``sqlite_*`` tables left out)."""
    tables: list[TableInfo] = []
    names = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (name,) in names:
        info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
        columns = tuple(ColumnInfo(str(r[1]), bool(r[3]), bool(r[5])) for r in info)
        primary = tuple(str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5])
        unique: list[tuple[str, ...]] = [primary] if primary else []
        indexes: list[str] = []
        for index in db.execute(f'PRAGMA index_list("{name}")').fetchall():
            index_name, is_unique, origin = str(index[1]), bool(index[2]), str(index[3])
            if origin == "c":
                indexes.append(index_name)
            if is_unique and origin != "pk":
                cols = db.execute(f'PRAGMA index_info("{index_name}")').fetchall()
                unique.append(tuple(str(c[2]) for c in sorted(cols, key=lambda c: c[0])))
        groups: dict[int, list[Any]] = {}
        for fk in db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall():
            groups.setdefault(int(fk[0]), []).append(fk)
        foreign = []
        for rows in groups.values():
            rows.sort(key=lambda r: r[1])
            parent = str(rows[0][2])
            targets = tuple(str(r[4]) if r[4] else "" for r in rows)
            if not all(targets):  # REFERENCES parent: its primary key
                parent_info = db.execute(f'PRAGMA table_info("{parent}")').fetchall()
                targets = tuple(str(r[1]) for r in sorted(parent_info, key=lambda r: r[5]) if r[5])
            foreign.append(ForeignKey(tuple(str(r[3]) for r in rows), parent, targets))
        tables.append(
            TableInfo(
                str(name), columns, primary, tuple(unique), tuple(foreign), tuple(sorted(indexes))
            )
        )
    return tables


async def _on_thread(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """``work`` on aiosqlite's own thread with the sqlite3 connection: one hop from the event
    loop (a queue put, a thread switch and a future resolved on the loop), whatever it runs.
    aiosqlite 0.22 has no public name for either (``_execute``, ``_conn``; pinned in uv.lock)."""
    result: T = await conn._execute(lambda: work(conn._conn))  # type: ignore[no-untyped-call]
    return result


class SqliteDatabase(Database):
    """One SQLite file (a namespace): the connection, its lock, transactions, migrations."""

    engine = "sqlite"

    def __init__(self, path: Path | str, *, migrations: Sequence[Migration] | None = None) -> None:
        """``migrations``: the schema this database is built to; default the bot's own
        (bot/storage/schema.py); the bots registry has its own (bot/storage/control.py)."""
        self._path = Path(path) if str(path) != ":memory:" else path
        self.migrations = migrations
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def path(self) -> Path | str:
        return self._path

    async def open(self) -> None:
        from bot.storage.schema import migrate

        if isinstance(self._path, Path):
            # Owner-only before SQLite opens it (SQLite gives the WAL and SHM files the
            # database's mode), and again after, whatever the umask (docs/operations.md).
            make_private(self._path.parent, directory=True)
            make_private(self._path)
        conn = await aiosqlite.connect(str(self._path), isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            if isinstance(self._path, Path):
                private_companions(self._path)
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
                yield SqliteTx(conn)
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
            yield SqliteTx(self._connection)

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

    async def run_program(self, program: Program[T], *, transaction: bool = True) -> T:
        if transaction:
            return await self.run_transaction(lambda db: run_program_sync(program, db))
        return await self.run(lambda db: run_program_sync(program, db))

    async def schema_version(self) -> int:
        return int(await self.scalar("PRAGMA user_version"))

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the file (see :func:`backup_database`)."""
        if not isinstance(self._path, Path):
            raise RuntimeError("an in-memory database has no backup")
        return backup_database(self._path, dest)

    # Each statement below is one hop to the connection's thread (see the module docstring).

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One autocommitted statement; returns the affected row count."""
        args = _params(params)
        return await self.run(lambda db: int(db.execute(sql, args).rowcount))

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        async with self._lock:
            return await SqliteTx(self._connection).executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        args = _params(params)
        rows: list[Row] = await self.run(lambda db: db.execute(sql, args).fetchall())
        return rows

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        args = _params(params)
        row: Row | None = await self.run(lambda db: db.execute(sql, args).fetchone())
        return row
