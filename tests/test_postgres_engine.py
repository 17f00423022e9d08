"""The PostgreSQL engine (bot/storage/postgres.py) on its own: the ``?`` translation, rows,
transactions, the baseline against SQLite's schema, migrations run by two processes at
once, and capacity held by the event row lock when two pools press at the same time.

Tests that need a server skip without one (bot/pgcluster.py says how to get one)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("psycopg", reason="the postgres extra is not installed")

from pydantic import ValidationError

from bot.__main__ import main
from bot.config import explicit_settings
from bot.models import RsvpStatus
from bot.storage import Storage, database_for
from bot.storage.database import IntegrityErrors, SqliteDatabase, TableInfo
from bot.storage.postgres import PostgresDatabase, translate, valid_schema
from bot.storage.schema import MIGRATIONS, SchemaTooNew
from tests.conftest import PostgresSchemas

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)

# -- without a server -----------------------------------------------------------------------


def test_placeholders_outside_literals_become_psycopg_ones() -> None:
    sql = (
        "SELECT '?', \"a?b\", x -- what?\n"
        "FROM t /* why? 5% */ WHERE a = ? AND b LIKE 'x%' AND c = 'it''s ?' AND d = ?"
    )
    assert translate(sql) == (
        "SELECT '?', \"a?b\", x -- what?\n"
        "FROM t /* why? 5%% */ WHERE a = %s AND b LIKE 'x%%' AND c = 'it''s ?' AND d = %s"
    )
    assert translate("SELECT 1") == "SELECT 1"


@pytest.mark.parametrize("name", ["Kvietimas", "1bot", "pg_catalog", "a-b", "a;drop", "x" * 64])
def test_a_schema_name_must_be_a_plain_identifier(name: str) -> None:
    with pytest.raises(ValueError, match="plain SQL name"):
        valid_schema(name)


# -- with a server ----------------------------------------------------------------------------


@pytest.fixture
def schemas(postgres_url: str) -> Iterator[PostgresSchemas]:
    made = PostgresSchemas(postgres_url)
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture
async def pg(schemas: PostgresSchemas) -> AsyncIterator[PostgresDatabase]:
    database = PostgresDatabase(schemas.url, schemas.schema("engine"), pool_size=4)
    await database.open()
    try:
        yield database
    finally:
        await database.close()


async def test_rows_read_by_position_and_by_name(pg: PostgresDatabase) -> None:
    row = await pg.fetch_one("SELECT '?' AS mark, ? AS value, 'a%' AS pct", (7,))
    assert row is not None
    assert (row[0], row[1], row["mark"], row["value"], row["pct"]) == ("?", 7, "?", 7, "a%")
    assert row.keys() == ["mark", "value", "pct"]
    assert tuple(row) == ("?", 7, "a%")
    assert row[1:] == (7, "a%")
    # SUM of integers and AVG come back as SQLite gives them: int when whole, else float.
    sums = await pg.fetch_one(
        "SELECT SUM(x) AS s, AVG(x) AS a, COUNT(*) AS n FROM (VALUES (1), (2)) v(x)"
    )
    assert sums is not None
    assert (sums["s"], sums["a"], sums["n"]) == (3, 1.5, 2)
    assert type(sums["s"]) is int


async def test_a_transaction_rolls_back_on_an_error(pg: PostgresDatabase) -> None:
    stamp = NOW.isoformat()

    async def add(title: str) -> None:
        await pg.execute("INSERT INTO programmes (title, created_at) VALUES (?, ?)", (title, stamp))

    async def fail_after_insert() -> None:
        async with pg.transaction() as tx:
            await tx.execute(
                "INSERT INTO programmes (title, created_at) VALUES (?, ?)", ("A", stamp)
            )
            raise RuntimeError("boom")

    async def insert_a_duplicate() -> None:
        async with pg.transaction() as tx:
            await tx.execute(
                "INSERT INTO programmes (title, created_at) VALUES (?, ?)", ("C", stamp)
            )
            await tx.execute(
                "INSERT INTO programmes (title, created_at) VALUES (?, ?)", ("B", stamp)
            )

    with pytest.raises(RuntimeError, match="boom"):
        await fail_after_insert()
    await add("B")
    with pytest.raises(IntegrityErrors):
        await insert_a_duplicate()
    titles = [r[0] for r in await pg.fetch_all("SELECT title FROM programmes ORDER BY title")]
    assert titles == ["B"]  # neither A nor C: each transaction went as a whole


async def test_total_changes_counts_only_rows_really_written(pg: PostgresDatabase) -> None:
    stamp = NOW.isoformat()
    async with pg.transaction() as tx:
        before = tx.total_changes
        await tx.executemany(
            "INSERT INTO programmes (title, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [("A", stamp), ("B", stamp), ("A", stamp)],
        )
        await tx.fetch_all("SELECT * FROM programmes")  # reads change nothing
        assert tx.total_changes - before == 2


async def test_email_case_and_forgotten_people_are_guarded_by_triggers(
    pg: PostgresDatabase,
) -> None:
    stamp = NOW.isoformat()
    with pytest.raises(IntegrityErrors, match="lower-case"):
        await pg.execute(
            "INSERT INTO participants (email, created_at, updated_at) VALUES (?, ?, ?)",
            ("Ona@Example.lt", stamp, stamp),
        )
    person = await pg.scalar(
        "INSERT INTO participants (telegram_id, forgotten_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?) RETURNING id",
        (5_000_000_000, stamp, stamp, stamp),  # a Telegram id above 2^31
    )
    queued = await pg.execute(
        "INSERT INTO outbox (chat_id, participant_id, payload, not_before, created_at, "
        "updated_at) VALUES (?, ?, '{}', ?, ?, ?)",
        (5_000_000_000, person, stamp, stamp, stamp),
    )
    assert queued == 0
    assert await pg.scalar("SELECT COUNT(*) FROM outbox") == 0


def _shape(tables: list[TableInfo]) -> dict[str, object]:
    return {
        t.name: {
            # A primary key column is NOT NULL (SQLite's PRAGMA says 0 unless declared so).
            "columns": [(c.name, c.notnull or c.pk, c.pk) for c in t.columns],
            "primary_key": t.primary_key,
            "unique": sorted(t.unique),
            "foreign_keys": sorted((f.columns, f.parent, f.parent_columns) for f in t.foreign_keys),
            "indexes": sorted(t.indexes),
        }
        for t in tables
    }


async def test_the_baseline_is_the_sqlite_schema(pg: PostgresDatabase, tmp_path: Path) -> None:
    lite = SqliteDatabase(tmp_path / "schema.sqlite3")
    await lite.open()
    try:
        sqlite_shape = _shape(await lite.list_tables())
        sqlite_views = await lite.fetch_all("SELECT name FROM sqlite_master WHERE type = 'view'")
        sqlite_triggers = await lite.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
    finally:
        await lite.close()
    pg_shape = _shape(await pg.list_tables())
    assert sorted(pg_shape) == sorted(sqlite_shape)
    for table, shape in sqlite_shape.items():
        assert pg_shape[table] == shape, table
    views = await pg.fetch_all(
        "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()"
    )
    assert [r[0] for r in views] == [r[0] for r in sqlite_views]
    triggers = await pg.fetch_all(
        "SELECT DISTINCT trigger_name FROM information_schema.triggers "
        "WHERE trigger_schema = current_schema() ORDER BY trigger_name"
    )
    assert [r[0] for r in triggers] == [r[0] for r in sqlite_triggers]


async def test_migrating_again_changes_nothing_and_a_newer_schema_is_refused(
    schemas: PostgresSchemas,
) -> None:
    schema = schemas.schema("again")
    for _ in range(2):
        database = PostgresDatabase(schemas.url, schema)
        await database.open()
        assert await database.schema_version() == len(MIGRATIONS)
        rows = await database.fetch_all("SELECT version FROM schema_migrations")
        await database.close()
    assert [r[0] for r in rows] == [10, *range(11, len(MIGRATIONS) + 1)]
    database = PostgresDatabase(schemas.url, schema)
    await database.open()
    await database.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'later')",
        (len(MIGRATIONS) + 1,),
    )
    await database.close()
    with pytest.raises(SchemaTooNew):
        await PostgresDatabase(schemas.url, schema).open()


def test_two_processes_migrating_at_once_both_succeed(
    schemas: PostgresSchemas, tmp_path: Path
) -> None:
    """Two workers started together: the advisory lock lets one build the schema while
    the other waits, then finds it built (without it: duplicate schema or table errors)."""
    env = {
        **os.environ,
        "BOT_DATABASE__URL": schemas.url,
        "BOT_DATABASE__SCHEMA": schemas.schema("race"),
        "BOT_LOG_FORMAT": "text",
    }
    env.pop("BOT_TEST_POSTGRES_URL", None)
    command = [sys.executable, "-m", "bot", "db", "migrate"]
    procs = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert f"schema version {len(MIGRATIONS)}" in out


async def _event(database: PostgresDatabase, capacity: int, code: str) -> int:
    stamp = NOW.isoformat()
    starts = (NOW + timedelta(days=7)).isoformat()
    ends = (NOW + timedelta(days=7, hours=2)).isoformat()
    return int(
        await database.scalar(
            "INSERT INTO events (title, starts_at, ends_at, timezone, capacity, invite_code, "
            "created_at, updated_at) VALUES ('Mokymai', ?, ?, 'Europe/Vilnius', ?, ?, ?, ?) "
            "RETURNING id",
            (starts, ends, capacity, code, stamp, stamp),
        )
    )


async def test_two_pools_never_give_the_last_places_twice(schemas: PostgresSchemas) -> None:
    """Forty people press "yes" at once through two pools (two workers) for an event with
    three places, for three events: exactly three get them each time, the others wait.
    Without the event row lock each transaction counts the places taken before the others
    commit (checked: 5 and 7 people got the three places)."""
    schema = schemas.schema("capacity")
    first = PostgresDatabase(schemas.url, schema, pool_size=8)
    second = PostgresDatabase(schemas.url, schema, pool_size=8)
    await first.open()
    await second.open()
    try:
        stamp = NOW.isoformat()
        await first.executemany(
            "INSERT INTO participants (telegram_id, name, created_at, updated_at) VALUES (?,?,?,?)",
            [(700_000 + n, f"P{n}", stamp, stamp) for n in range(40)],
        )
        ids = [int(r[0]) for r in await first.fetch_all("SELECT id FROM participants")]
        workers = [Storage(first), Storage(second)]
        for round_ in range(3):
            event_id = await _event(first, 3, f"code{round_}")
            changes = await asyncio.gather(
                *(
                    workers[n % 2].rsvps.apply_rsvp(
                        event_id, pid, RsvpStatus.YES, capacity=3, now=NOW,
                        invite_source="link",
                    )
                    for n, pid in enumerate(ids)
                )
            )  # fmt: skip
            assert sum(change.current is RsvpStatus.YES for change in changes) == 3
            counts = (await workers[0].rsvps.rsvp_counts([event_id]))[event_id]
            assert (counts.yes, counts.waitlist, counts.invited) == (3, 37, 40)
        # One who has a place leaves: exactly one from the waitlist moves up.
        holder = next(
            pid for pid, c in zip(ids, changes, strict=True) if c.current is RsvpStatus.YES
        )
        left = await workers[1].rsvps.apply_rsvp(
            event_id, holder, RsvpStatus.NO, capacity=3, now=NOW
        )
        assert len(left.promoted) == 1
        counts = (await workers[0].rsvps.rsvp_counts([event_id]))[event_id]
        assert (counts.yes, counts.waitlist, counts.no) == (3, 36, 1)
    finally:
        await first.close()
        await second.close()


def test_the_settings_choose_the_engine_and_check_the_schema_name() -> None:
    sqlite = database_for(explicit_settings(database={"path": "x.sqlite3"}))
    assert isinstance(sqlite, SqliteDatabase)
    postgres = database_for(
        explicit_settings(
            database={"url": "postgresql://u@127.0.0.1/db", "schema": "bot_2", "pool_size": 3}
        )
    )
    assert isinstance(postgres, PostgresDatabase)
    assert (postgres.schema, postgres.pool_size, postgres.path) == ("bot_2", 3, "postgresql:bot_2")
    with pytest.raises(ValidationError, match="plain SQL name"):
        explicit_settings(database={"schema": "Bot; DROP TABLE events"})
    with pytest.raises(ValidationError, match="postgresql://"):
        explicit_settings(database={"url": "mysql://u@h/db"})


def test_backup_on_postgresql_points_to_pg_dump(
    schemas: PostgresSchemas,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE__URL", schemas.url)
    monkeypatch.setenv("BOT_DATABASE__SCHEMA", schemas.schema("backup"))
    schemas.schemas["registry"] = "kvietimas_control"  # read by the command: dropped after
    assert main(["backup"]) == 2
    err = capsys.readouterr().err
    assert f"pg_dump --schema={schemas.schema('backup')}" in err
    assert "127.0.0.1" not in err  # the URL (with its password) is never printed


def test_migrate_reports_an_unreachable_server_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_DATABASE__URL", "postgresql://u:secret@127.0.0.1:1/db")
    assert main(["db", "migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: database: ")
    assert len(err.strip().splitlines()) == 1
    assert "secret" not in err


async def test_ids_given_by_a_bulk_loader_leave_room_for_the_next_row(pg: PostgresDatabase) -> None:
    """survey answers loaded with their response ids (benchmarks, past results): the next
    response the bot starts gets a new id instead of colliding with a loaded one."""
    storage = Storage(pg)
    event_id = await _event(pg, 10, "loaded")
    stamp = NOW.isoformat()
    responses = [(n, event_id, "Org", 0, stamp, stamp, stamp) for n in (1, 2, 3)]
    answers = [(n, "overall", event_id, 5, None, stamp) for n in (1, 2, 3)]
    assert await storage.surveys.load_answers(responses, answers) == 3
    new_id = await pg.scalar(
        "INSERT INTO survey_responses (event_id, started_at, updated_at) VALUES (?, ?, ?) "
        "RETURNING id",
        (event_id, stamp, stamp),
    )
    assert new_id == 4
