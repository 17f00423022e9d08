"""The PostgreSQL engine behind the storage seam (issue 14; docs/operations.md).

One :class:`PostgresDatabase` is one *namespace*: a schema (``[database] schema``) in the
database ``[database] url`` names, reached through a pool of ``[database] pool_size``
connections whose ``search_path`` is that schema (set as a connection option, so every
connection and every transaction on it sees only its bot's tables and no query names a
schema). Statements outside :meth:`transaction` autocommit.

Driver: psycopg 3 with psycopg_pool's AsyncConnectionPool, chosen by measurement
(bench/drivers.py: the same storage work through both drivers on a local cluster, 8 tasks on
a pool of 8, rounds alternating; median time per operation, psycopg / asyncpg, over three
runs): a read by primary key 0.66-0.70, a 460-row fetch 0.75-0.82, a small write
transaction (lock the event row, insert history, upsert the answer) 1.13-1.15, an
``executemany`` of 1,000 rows 1.8-2.0. The bot's traffic is mostly the first two (every
press and screen reads its person and event; lists are fetched), writes are close, and a
thousand-row ``executemany`` happens once per campaign. psycopg is also the safer fit for
this code: its ``executemany`` reports the rows really written (asyncpg's returns nothing,
and callers count the rows an ``ON CONFLICT DO NOTHING`` skipped), strings travel as
untyped literals that the server casts as SQLite would (asyncpg refuses a ``str`` for an
integer column), and it needs no server-side statement cache that a pooler such as
PgBouncer in transaction mode breaks.

The SQL is the repositories' own: ``?`` placeholders are translated to psycopg's ``%s``
once per SQL string (cached), skipping string literals, quoted names and comments; rows
are :class:`PgRow`, readable by position and by name as :class:`sqlite3.Row` is.
``numeric`` results (``SUM`` of bigints, ``AVG``) come back as int or float, as SQLite
gives them. Migrations run under an advisory lock per schema (two workers starting at once
migrate once); the first ten migrations are one baseline (bot/storage/postgres_baseline.py)
and later ones run their ``postgres`` DDL; versions are rows of ``schema_migrations``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import psycopg
from psycopg import AsyncConnection, AsyncCursor
from psycopg.adapt import Loader
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from bot.storage.database import (
    ColumnInfo,
    Database,
    Executed,
    ForeignKey,
    Params,
    Program,
    Row,
    TableInfo,
    Tx,
    run_program_async,
)

if TYPE_CHECKING:
    from bot.storage.schema import Migration

log = logging.getLogger(__name__)

T = TypeVar("T")
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Tables written by the engine itself, not by the bot's schema.
ENGINE_TABLES = frozenset({"schema_migrations"})


def valid_schema(name: str) -> str:
    """``name`` if it is a plain lower-case SQL identifier (it is quoted anyway)."""
    if not IDENTIFIER.match(name) or name.startswith("pg_"):
        raise ValueError(
            f"schema {name!r} is not a plain SQL name: lower-case letters, digits and _, "
            "at most 63, not starting with a digit or pg_"
        )
    return name


# -- SQL ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """``?`` -> ``%s`` outside string literals, quoted names and comments; every ``%``
    doubled (psycopg reads ``%`` everywhere in a statement that has parameters)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "?":
            out.append("%s")
        elif c == "%":
            out.append("%%")
        elif c in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:  # '' or "" inside
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n - 1 if end < 0 else end
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end
        elif c == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n - 1 if end < 0 else end + 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _args(params: Params) -> Sequence[Any]:
    if isinstance(params, dict):
        raise TypeError("the PostgreSQL engine takes positional ? parameters only")
    # Flags are INTEGER 0/1 (as on SQLite); psycopg would send a bool as boolean.
    return [int(p) if p.__class__ is bool else p for p in params]


class PgRow(tuple[Any, ...]):
    """A row readable by position and by column name (see :func:`_row_class`)."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _names: ClassVar[list[str]] = []

    def __getitem__(self, key: Any) -> Any:
        if key.__class__ is str:
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@functools.lru_cache(maxsize=4096)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)  # the first of two equal names, as sqlite3.Row
    return type("PgRow", (PgRow,), {"__slots__": (), "_index": index, "_names": list(names)})


def _rows(cursor: Any) -> RowMaker[PgRow]:
    description = cursor.description
    if description is None:
        return PgRow
    return _row_class(tuple(column.name for column in description))


class _NumericLoader(Loader):
    """``numeric`` as SQLite gives it: an int when whole, else a float."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode("ascii")
        if "." in text or "e" in text or "N" in text:
            return float(text)
        return int(text)


_CHANGING = ("INSERT", "UPDATE", "DELETE", "MERGE")


class PgTx(Tx):
    """Statements on one pooled connection (in a transaction, or autocommitted)."""

    __slots__ = ("_changes", "_conn")

    def __init__(self, conn: AsyncConnection[PgRow]) -> None:
        self._conn = conn
        self._changes = 0

    @property
    def total_changes(self) -> int:
        return self._changes

    def _count(self, cur: AsyncCursor[PgRow]) -> int:
        rowcount = max(cur.rowcount, 0)
        status = cur.statusmessage or ""
        if status.startswith(_CHANGING):
            self._changes += rowcount
        return rowcount

    async def _run(self, sql: str, params: Params) -> AsyncCursor[PgRow]:
        cur = self._conn.cursor()
        await cur.execute(translate(sql), _args(params))
        self._count(cur)
        return cur

    async def execute(self, sql: str, params: Params = ()) -> Executed:
        cur = await self._run(sql, params)
        return Executed(max(cur.rowcount, 0), None)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        cur = self._conn.cursor()
        await cur.executemany(translate(sql), [_args(row) for row in rows])
        return self._count(cur)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        cur = await self._run(sql, params)
        return await cur.fetchone() if cur.description is not None else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        cur = await self._run(sql, params)
        if cur.description is None:
            return []
        return list(await cur.fetchall())

    async def lock_row(self, table: str, row_id: int) -> None:
        if not IDENTIFIER.match(table):
            raise ValueError(f"not a table name: {table!r}")
        await self._conn.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", (row_id,))

    async def after_explicit_ids(self, table: str) -> None:
        if not IDENTIFIER.match(table):
            raise ValueError(f"not a table name: {table!r}")
        await self._conn.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
            (table,),
        )

    async def list_tables(self) -> list[TableInfo]:
        return await postgres_tables(self._conn)


async def postgres_tables(conn: AsyncConnection[Any]) -> list[TableInfo]:
    """Tables of the connection's current schema, from the catalog (four queries)."""

    async def rows(sql: str) -> list[Any]:
        cur = await conn.execute(sql)
        return list(await cur.fetchall())

    in_schema = "c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    names: dict[int, str] = {
        int(r[0]): str(r[1])
        for r in await rows(
            f"SELECT c.oid, c.relname FROM pg_class c WHERE {in_schema} "
            "AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        if str(r[1]) not in ENGINE_TABLES
    }
    columns: dict[int, dict[int, tuple[str, bool]]] = {oid: {} for oid in names}
    for relid, attnum, attname, notnull in await rows(
        "SELECT a.attrelid, a.attnum, a.attname, a.attnotnull FROM pg_attribute a "
        f"JOIN pg_class c ON c.oid = a.attrelid WHERE {in_schema} AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum"
    ):
        if int(relid) in columns:
            columns[int(relid)][int(attnum)] = (str(attname), bool(notnull))
    primary: dict[int, tuple[str, ...]] = {}
    unique: dict[int, list[tuple[str, ...]]] = {oid: [] for oid in names}
    foreign: dict[int, list[ForeignKey]] = {oid: [] for oid in names}
    for relid, kind, keys, parent, parent_keys in await rows(
        "SELECT con.conrelid, con.contype, con.conkey, con.confrelid, con.confkey "
        f"FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid WHERE {in_schema} "
        "AND con.contype IN ('p', 'u', 'f') ORDER BY con.conrelid, con.conname"
    ):
        oid = int(relid)
        if oid not in names:
            continue
        cols = tuple(columns[oid][int(k)][0] for k in keys)
        if kind == "p":
            primary[oid] = cols
            unique[oid].insert(0, cols)
        elif kind == "u":
            unique[oid].append(cols)
        elif int(parent) in names:
            targets = tuple(columns[int(parent)][int(k)][0] for k in parent_keys)
            foreign[oid].append(ForeignKey(cols, names[int(parent)], targets))
    indexes: dict[int, list[str]] = {oid: [] for oid in names}
    for relid, index_name, is_unique, keys in await rows(
        "SELECT i.indrelid, ic.relname, i.indisunique, i.indkey::int2[] FROM pg_index i "
        "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid "
        f"WHERE {in_schema} AND NOT EXISTS (SELECT 1 FROM pg_constraint con "
        "WHERE con.conindid = i.indexrelid) ORDER BY ic.relname"
    ):
        oid = int(relid)
        if oid not in names:
            continue
        indexes[oid].append(str(index_name))
        if is_unique:
            unique[oid].append(tuple(columns[oid][int(k)][0] for k in keys if int(k) > 0))
    tables: list[TableInfo] = []
    for oid, name in names.items():
        pk = primary.get(oid, ())
        tables.append(
            TableInfo(
                name,
                tuple(ColumnInfo(c, notnull, c in pk) for c, notnull in columns[oid].values()),
                pk,
                tuple(unique[oid]),
                tuple(foreign[oid]),
                tuple(indexes[oid]),
            )
        )
    return tables


# -- the engine -------------------------------------------------------------------------------


class PostgresDatabase(Database):
    """One schema of a PostgreSQL database, through a connection pool."""

    engine = "postgresql"

    def __init__(
        self,
        url: str,
        schema: str = "kvietimas",
        *,
        pool_size: int = 10,
        migrations: Sequence[Migration] | None = None,
    ) -> None:
        """``migrations``: the schema's own list (the bots registry, bot/storage/control.py),
        each applied with its ``postgres`` DDL; default the bot's, from the baseline."""
        self.url = url
        self.schema = valid_schema(schema)
        self.pool_size = pool_size
        self.migrations = migrations
        self._pool: AsyncConnectionPool[AsyncConnection[PgRow]] | None = None

    @property
    def path(self) -> str:
        return f"postgresql:{self.schema}"

    def _new_pool(self) -> AsyncConnectionPool[AsyncConnection[PgRow]]:
        async def configure(conn: AsyncConnection[PgRow]) -> None:
            conn.adapters.register_loader("numeric", _NumericLoader)

        return AsyncConnectionPool(
            self.url,
            connection_class=AsyncConnection[PgRow],
            min_size=1,
            max_size=self.pool_size,
            open=False,
            configure=configure,
            kwargs={
                "autocommit": True,
                "row_factory": _rows,
                "options": f"-c search_path={self.schema}",
                "application_name": f"kvietimas:{self.schema}",
            },
            name=f"kvietimas-{self.schema}",
            timeout=30.0,
        )

    async def open(self) -> None:
        # Migrate on a connection of its own first: an unreachable server or a refused
        # login is one error at once, not a pool retrying in the background.
        async with await AsyncConnection.connect(
            self.url, autocommit=True, connect_timeout=10, application_name="kvietimas-migrate"
        ) as conn:
            await migrate(conn, self.schema, self.migrations)
        pool = self._new_pool()
        await pool.open(wait=True, timeout=30.0)
        self._pool = pool

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @property
    def _connections(self) -> AsyncConnectionPool[AsyncConnection[PgRow]]:
        if self._pool is None:
            raise RuntimeError("storage is not open")
        return self._pool

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with self._connections.connection() as conn, conn.transaction():
            yield PgTx(conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        async with self._connections.connection() as conn:
            yield PgTx(conn)

    async def run_program(self, program: Program[T], *, transaction: bool = True) -> T:
        context = self.transaction if transaction else self.reading
        async with context() as tx:
            return await run_program_async(program, tx)

    async def schema_version(self) -> int:
        async with self._connections.connection() as conn:
            return await _version(conn)

    # One statement: a connection from the pool for its time (autocommitted).

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self._connections.connection() as conn:
            cur = await conn.execute(translate(sql), _args(params))
            return max(cur.rowcount, 0)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._connections.connection() as conn:
            cur = await conn.execute(translate(sql), _args(params))
            return list(await cur.fetchall()) if cur.description is not None else []

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._connections.connection() as conn:
            cur = await conn.execute(translate(sql), _args(params))
            return await cur.fetchone() if cur.description is not None else None


# -- migrations -------------------------------------------------------------------------------


async def _version(conn: AsyncConnection[Any]) -> int:
    cur = await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
    row = await cur.fetchone()
    if row is None or not row[0]:
        return 0
    cur = await conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    row = await cur.fetchone()
    return int(row[0]) if row is not None else 0


async def migrate(
    conn: AsyncConnection[Any], schema: str, migrations: Sequence[Migration] | None = None
) -> int:
    """Bring ``schema`` to the last of ``migrations`` (default the bot's: the baseline, then
    the later ones); returns the version. Serialised across processes by an advisory lock,
    so two workers starting at once migrate once."""
    from bot.storage.postgres_baseline import BASELINE
    from bot.storage.schema import MIGRATIONS, POSTGRES_BASELINE, SchemaTooNew

    steps = MIGRATIONS if migrations is None else migrations
    baseline = POSTGRES_BASELINE if migrations is None else 0

    key = f"kvietimas-migrate:{schema}"
    await conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
    try:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(f'SET search_path TO "{schema}"')
        current = await _version(conn)
        if current > len(steps):
            raise SchemaTooNew(
                f"database schema version {current} is newer than this code ({len(steps)})"
            )
        if 0 < current < baseline:
            raise RuntimeError(f"schema {schema} is at version {current}, below the baseline")
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        level = logging.DEBUG if current == 0 else logging.INFO
        if current == 0:
            log.debug("building schema %s (baseline, version %d)", schema, baseline)
            async with conn.transaction():
                await conn.execute(
                    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                    "applied_at TEXT NOT NULL)"
                )
                if baseline:
                    await conn.execute(BASELINE)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %s)",
                        (baseline, stamp),
                    )
            current = baseline
        for version, migration in enumerate(steps[current:], start=current + 1):
            if migration.postgres is None:
                raise RuntimeError(f"migration {version} has no PostgreSQL DDL")
            log.log(level, "applying schema migration %d to %s", version, schema)
            async with conn.transaction():
                await conn.execute(migration.postgres)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (%s, %s)",
                    (version, stamp),
                )
        return len(steps)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


def describe(error: psycopg.Error) -> str:
    """One line for a driver error (the server's primary message)."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return str(primary or error).splitlines()[0]


__all__ = ["PgRow", "PgTx", "PostgresDatabase", "migrate", "translate", "valid_schema"]
