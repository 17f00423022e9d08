"""Several processes opening a new SQLite file at once (`run --workers N` on SQLite, or a
worker and a command) migrate it once: the version is read and every step applied in one
immediate transaction, so the others wait and find it done. Before, each read the version
first and a late one failed with "duplicate column name"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage.schema import MIGRATIONS, statements

pytestmark = pytest.mark.sqlite_only


def test_six_processes_migrating_one_new_file_all_succeed(tmp_path: Path) -> None:
    database = tmp_path / "data" / "kvietimas.sqlite3"
    env = {**os.environ, "BOT_DATABASE__PATH": str(database), "BOT_LOG_FORMAT": "text"}
    env.pop("BOT_DATABASE__URL", None)
    command = [sys.executable, "-m", "bot", "db", "migrate"]
    procs = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]  # fmt: skip
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert f"schema version {len(MIGRATIONS)}" in out
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_every_migration_splits_into_whole_statements() -> None:
    """Trigger bodies stay whole and nothing is left over (the splitter's own check)."""
    for migration in MIGRATIONS:
        parts = statements(migration.sqlite)
        assert parts
        assert all(sqlite3.complete_statement(part) for part in parts)
    trigger = "CREATE TRIGGER t BEFORE INSERT ON x BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
    assert statements("SELECT 1;\n" + trigger) == ["SELECT 1;", trigger.strip()]
