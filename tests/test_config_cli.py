"""Settings and the command line, run as a real process where the contract is the exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from tests.conftest import EXAMPLE_EVENT, ROOT


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=cwd or ROOT,
        timeout=60,
        check=False,
    )


def test_run_without_token_names_the_setting(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_TELEGRAM__TOKEN" in result.stderr
    assert result.stderr.count("\n") == 1


def test_malformed_setting_is_named(tmp_path: Path) -> None:
    result = run_cli("run", env={"BOT_BROADCAST__RATE_PER_SECOND": "fast"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "broadcast.rate_per_second (BOT_BROADCAST__RATE_PER_SECOND)" in result.stderr
    result = run_cli("run", env={"BOT_ORGANISERS": "[1, x]"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_ORGANISERS" in result.stderr or "organisers" in result.stderr


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'organisers = [1, 2]\ntimezone = "Europe/Kyiv"\n[broadcast]\nrate_per_second = 10\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_BROADCAST__RATE_PER_SECOND", "25")
    settings = load_settings(config)
    assert settings.organisers == [1, 2]
    assert settings.timezone == "Europe/Kyiv"
    assert settings.broadcast.rate_per_second == 25
    config.write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="timezone"):
        load_settings(config)
    config.write_text("[database]\npaht = 'x'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"database\.paht"):
        load_settings(config)


def test_example_config_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.broadcast.rate_per_second == 30
    assert settings.default_language == "lt"


def test_events_import_prints_the_invite_link_and_updates(tmp_path: Path) -> None:
    env = {
        "BOT_DATABASE__PATH": str(tmp_path / "db.sqlite3"),
        "BOT_TELEGRAM__USERNAME": "kvietimas_bot",
    }
    first = run_cli("events", "import", str(EXAMPLE_EVENT), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "created event #1" in first.stdout
    link = first.stdout.strip().splitlines()[-1]
    assert link.startswith("https://t.me/kvietimas_bot?start=e_")
    changed = tmp_path / "event.toml"
    changed.write_text(
        EXAMPLE_EVENT.read_text(encoding="utf-8").replace("Didžioji salė", "Mažoji salė"),
        encoding="utf-8",
    )
    second = run_cli("events", "import", str(changed), env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "updated event #1" in second.stdout
    assert second.stdout.strip().splitlines()[-1] == link  # the link stays the same


def test_events_import_reports_bad_files(tmp_path: Path) -> None:
    env = {
        "BOT_DATABASE__PATH": str(tmp_path / "db.sqlite3"),
        "BOT_TELEGRAM__USERNAME": "kvietimas_bot",
    }
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'title = "x"\nstarts = 2027-03-09T10:00:00\nends = 09:00:00\naddress = "x"\n',
        encoding="utf-8",
    )
    result = run_cli("events", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown field: address" in result.stderr
    bad.write_text(
        'title = "x"\nstarts = 2027-03-09T10:00:00\nends = 09:00:00\n[place]\naddress = "x"\n',
        encoding="utf-8",
    )
    result = run_cli("events", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "The end must be after the start" in result.stderr
