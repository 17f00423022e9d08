"""The database, its WAL files and backups are readable by the owner only (issue 12),
whatever the umask of the process that created them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sim import Simulation
from bot.storage.database import backup_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The worst case: a process whose umask lets everyone read what it creates."""
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
@pytest.mark.sqlite_only("the database file, its WAL files and backups")
async def test_database_wal_files_and_backups_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "data" / "kvietimas.sqlite3"
    async with Simulation(db) as sim:
        ona = sim.user(2001, "Ona")
        await ona.send("/start")  # something written: the WAL holds it
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert wal.exists()
        assert shm.exists()
        assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        assert mode(db.parent) == 0o700
        # The backup command, while the bot runs: a dated file in a new folder...
        copy = backup_database(db)
        assert (mode(copy), mode(copy.parent)) == (0o600, 0o700)
        # ... and a named file.
        named = backup_database(db, tmp_path / "elsewhere" / "before-upgrade.sqlite3")
        assert mode(named) == 0o600
        assert not list(named.parent.glob("*.part*"))


@pytest.mark.sqlite_only("the database file's mode")
async def test_a_database_created_before_is_made_owner_only_at_start(tmp_path: Path) -> None:
    db = tmp_path / "kvietimas.sqlite3"
    db.touch()
    os.chmod(db, 0o644)
    async with Simulation(db):
        assert mode(db) == 0o600
