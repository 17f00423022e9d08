"""Fixtures: a running bot against the emulator, on a fake clock, with factory helpers."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.events import import_event
from bot.models import Event
from bot.sim import Simulation, SimUser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_EVENT = ROOT / "examples" / "event.toml"
ORGANISER_ID = 1000
# Before the example event (2027-03-09 10:00 Vilnius) and its deadline (2027-03-05 18:00).
START = datetime.fromisoformat("2027-03-01T09:00:00+02:00")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def sim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,)
    ) as running:
        yield running


@pytest.fixture
def organiser(sim: Simulation) -> SimUser:
    return sim.user(ORGANISER_ID, "Rasa", language="en")


async def add_event(sim: Simulation, text: str | None = None, **replacements: str) -> Event:
    """Import the example event (optionally with lines replaced) as an organiser would."""
    source = text if text is not None else EXAMPLE_EVENT.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in source, old
        source = source.replace(old, new)
    event, _ = await import_event(
        sim.db, source, default_zone="Europe/Vilnius", now=sim.clock.now()
    )
    return event


async def register(
    sim: Simulation,
    user: SimUser,
    event: Event,
    *,
    name: str = "Alice Smith",
    organisation: str = "Akmenė District Municipality",
    lang: str = "en",
) -> None:
    """Open the invitation and go through consent, name and organisation."""
    tr = sim.services.translator
    await user.send(f"/start e_{event.invite_code}")
    await user.press(tr.text(lang, "btn-consent"))
    await user.send(name)
    await user.send(organisation)


# -- PostgreSQL (issue 14) ---------------------------------------------------------------------
# KV_TEST_DATABASE=postgres (or BOT_TEST_POSTGRES_URL=postgresql://...) runs every test whose
# storage is built by storage_for (the bot, the simulation, the commands run in-process) on
# PostgreSQL: one cluster per session (bot/pgcluster.py) or the given server, a fresh schema
# for each database a test opens (one per SQLite path it names), dropped after the test.
# Tests of SQLite itself (its file, PRAGMAs, backups) skip there: mark them sqlite_only.

POSTGRES_MODE = os.environ.get("KV_TEST_DATABASE") == "postgres" or bool(
    os.environ.get("BOT_TEST_POSTGRES_URL")
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): tests SQLite itself; skipped on PostgreSQL"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not POSTGRES_MODE:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "tests SQLite itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for this session (skips the test where there is none)."""
    from bot.pgcluster import SKIP_REASON, test_database_url

    url, cluster = test_database_url()
    if url is None:
        pytest.skip(SKIP_REASON)
    try:
        yield url
    finally:
        if cluster is not None:
            cluster.stop()


class PostgresSchemas:
    """Maps each SQLite path a test names to a fresh schema; drops them afterwards."""

    count = 0

    def __init__(self, url: str) -> None:
        self.url = url
        self.schemas: dict[str, str] = {}
        PostgresSchemas.count += 1
        self.prefix = f"t{os.getpid()}_{PostgresSchemas.count}"

    def schema(self, path: object) -> str:
        key = str(path)
        if key not in self.schemas:
            self.schemas[key] = f"{self.prefix}_{len(self.schemas)}"
        return self.schemas[key]

    def drop(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for schema in self.schemas.values():
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(autouse=True)
def _postgres_storage(request: pytest.FixtureRequest) -> Iterator[PostgresSchemas | None]:
    """On PostgreSQL: storage_for builds every test's storage in a schema of its own."""
    if not POSTGRES_MODE or request.node.get_closest_marker("sqlite_only") is not None:
        yield None
        return
    import bot.storage
    from bot.config import Settings
    from bot.storage.postgres import PostgresDatabase

    url: str = request.getfixturevalue("postgres_url")
    schemas = PostgresSchemas(url)
    sqlite_database_for = bot.storage.database_for

    def database_for(settings: Settings) -> bot.storage.Database:
        if settings.database.url is not None:
            return sqlite_database_for(settings)
        # A command given a test's storage path (``sim.db.path``, "postgresql:<schema>")
        # opens that schema.
        named = settings.database.path.name
        schema = named.split(":", 1)[1] if named.startswith("postgresql:") else None
        schema = schema or schemas.schema(settings.database.path)
        return PostgresDatabase(url, schema, pool_size=4)

    patch = pytest.MonkeyPatch()
    patch.setattr(bot.storage, "database_for", database_for)
    try:
        yield schemas
    finally:
        patch.undo()
        schemas.drop()
