"""Operations from the command line: backup, retention, data requests received by e-mail."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.logging_setup import JsonFormatter, redact, setup_logging
from bot.storage import Storage
from bot.storage.database import backup_database


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "data" / "bot.sqlite3"
    monkeypatch.chdir(tmp_path)  # no config.toml here
    monkeypatch.setenv("BOT_DATABASE__PATH", str(path))
    monkeypatch.setenv("BOT_ORGANISERS", "[1000]")
    monkeypatch.delenv("BOT_TELEGRAM__TOKEN", raising=False)
    yield path
    _remove_our_log_handler()


def _remove_our_log_handler() -> None:
    """main() installs a stderr handler; pytest closes that stream after the test."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == "kvietimas":
            root.removeHandler(handler)


def _seed(path: Path, people: int = 3) -> None:
    async def go() -> None:
        storage = Storage(path)
        await storage.open()
        try:
            old = datetime(2020, 1, 1, tzinfo=UTC)
            for i in range(people):
                participant = await storage.people.ensure_participant(
                    5000 + i, language="lt", now=old
                )
                await storage.people.set_participant_profile(
                    participant.id, name=f"Vardas {i}", organisation="Biblioteka", now=old
                )
            await storage.people.ensure_participant(1000, language="lt", now=old)
        finally:
            await storage.close()

    asyncio.run(go())


def test_backup_is_a_consistent_single_file_copy(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(db_path)
    live = sqlite3.connect(db_path)  # the bot holds the database open meanwhile
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("UPDATE participants SET role = 'x'")
    live.commit()  # still only in the WAL file
    try:
        assert main(["backup", str(db_path.parent / "copy.sqlite3")]) == 0
    finally:
        live.close()
    assert "backup written" in capsys.readouterr().out
    copy = sqlite3.connect(db_path.parent / "copy.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        names = [r[0] for r in copy.execute("SELECT name FROM participants ORDER BY id")]
        assert names == ["Vardas 0", "Vardas 1", "Vardas 2", None]
        assert {r[0] for r in copy.execute("SELECT role FROM participants")} == {"x"}
        version = copy.execute("PRAGMA user_version").fetchone()[0]
        assert version >= 6
    finally:
        copy.close()
    assert not list(db_path.parent.glob("*.part"))


def test_backup_into_a_folder_and_errors(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backup_database(db_path)
    assert not db_path.exists()  # a missing database is not created by the backup
    assert main(["backup"]) == 2
    _seed(db_path)
    moment = datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
    made = backup_database(db_path, tmp_path / "backups", now=moment)
    assert made == tmp_path / "backups" / "bot-20270301T083000Z.sqlite3"
    default = backup_database(db_path, now=moment)
    assert default == db_path.parent / "backups" / "bot-20270301T083000Z.sqlite3"


@pytest.mark.sqlite_only("prepares the SQLite file with Storage(path) and sqlite3")
def test_retention_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(db_path)
    assert main(["retention", "--dry-run"]) == 0
    assert "3 participants are past the 24-month retention period" in capsys.readouterr().out
    assert main(["retention"]) == 0
    assert "3 participants forgotten" in capsys.readouterr().out
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT telegram_id, name FROM participants ORDER BY id").fetchall()
    assert rows == [(None, None), (None, None), (None, None), (1000, None)]  # organiser kept
    assert main(["retention"]) == 0
    assert "0 participants forgotten" in capsys.readouterr().out


def test_retention_command_without_database(db_path: Path) -> None:
    assert main(["retention"]) == 2
    assert not db_path.exists()


@pytest.mark.sqlite_only("prepares the SQLite file with Storage(path) and sqlite3")
def test_data_request_by_email(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(db_path, people=1)
    assert main(["privacy", "export", "1"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["participant"]["name"] == "Vardas 0"
    assert main(["privacy", "forget", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["forgotten"] == 1
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT name, forgotten_at IS NOT NULL FROM participants "
                          "WHERE id = 1").fetchone() == (None, 1)  # fmt: skip
    assert main(["privacy", "forget", "99"]) == 1


def test_logs_are_one_json_line_without_secrets() -> None:
    formatter = JsonFormatter()
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "bot.x", logging.ERROR, __file__, 1,
            "request to https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/"
            "getMe failed for %s", ("someone@example.org",), sys.exc_info(),
        )  # fmt: skip
    record.participant_id = 42
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "bot.x"
    assert entry["participant_id"] == 42
    assert "AAHdqTcv" not in line
    assert "someone@example.org" not in line
    assert "<token>" in entry["msg"]
    assert "<email>" in entry["msg"]
    assert "ValueError: boom" in entry["exc"]
    assert redact("user 5001 pressed v1:r:12:y") == "user 5001 pressed v1:r:12:y"


def test_setup_logging_replaces_only_its_own_handler() -> None:
    _remove_our_log_handler()
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        first = setup_logging("INFO")
        second = setup_logging("WARNING", fmt="text")
        assert first not in root.handlers
        assert second in root.handlers
        assert all(h in root.handlers for h in before)
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        root.removeHandler(second)
        root.setLevel(level)
