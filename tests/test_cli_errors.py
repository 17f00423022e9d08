"""An operator never sees a traceback: ``python -m bot run`` as a real process, for each way
it can fail to start, prints one line naming the problem and exits with 2 (settings,
arguments) or 1 (the work failed)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from bot.config import SettingsError, check_webhook_secret, explicit_settings
from bot.emulator import Emulator

TIMEOUT = 60


async def bot(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``python -m bot ARGS`` in ``cwd`` with no BOT_* from the developer's shell."""
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith("BOT_")}
    clean.update(PTB_TIMEDELTA="true", XDG_DATA_HOME=str(cwd / "xdg"), HOME=str(cwd))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env={**clean, **(env or {})},
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, err.decode()


def the_line(stderr: str) -> str:
    """The operator's line: no traceback, and exactly one line that is not a JSON log."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line and not line.startswith("{")]
    assert len(lines) == 1, stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the socket is


async def test_a_token_telegram_refuses(tmp_path: Path) -> None:
    async with Emulator() as emu:
        code, err = await bot(
            "run", cwd=tmp_path,
            env={"BOT_TELEGRAM__TOKEN": "999999:WRONG-token-abcdefghijklmnopqrstuvwxyz",
                 "BOT_TELEGRAM__BASE_URL": emu.base_url},
        )  # fmt: skip
    line = the_line(err)
    assert code == 2
    assert line.startswith("error: Telegram refused the token (telegram.token")
    assert "WRONG-token" not in err  # PTB's own message quotes the token


async def test_telegram_unreachable(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    code, err = await bot(
        "run", cwd=tmp_path,
        env={"BOT_TELEGRAM__TOKEN": "123456:TEST-TOKEN", "BOT_TELEGRAM__BASE_URL": url},
    )  # fmt: skip
    assert code == 1
    assert the_line(err).startswith(f"error: cannot reach Telegram at {url}: ")


async def test_a_bad_log_level(tmp_path: Path) -> None:
    for args in (("run", "--log-level", "LOUD"), ("--log-level", "LOUD", "run")):
        code, err = await bot(*args, cwd=tmp_path)
        assert code == 2
        line = the_line(err)
        assert "--log-level" in line
        assert "LOUD" in line


async def test_malformed_toml_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'organisers = [1]\n[telegram]\ntoken = "123:abc\nusername = "x"\n', encoding="utf-8"
    )
    code, err = await bot("run", "--config", "config.toml", cwd=tmp_path)
    assert code == 2
    assert the_line(err).startswith("error: config.toml: not valid TOML: line 3, column ")


async def test_every_unknown_key_at_once(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'organisatoin_name = "x"\n[telegram]\ntokn = "1:a"\n[database]\npaht = "db"\n',
        encoding="utf-8",
    )
    code, err = await bot(
        "run", cwd=tmp_path,
        env={"BOT_BROADCAST__RATE": "3", "BOT_TIMEZOME": "Europe/Vilnius"},
    )  # fmt: skip
    assert code == 2
    line = the_line(err)
    for named in (
        "organisatoin_name (BOT_ORGANISATOIN_NAME)",
        "telegram.tokn (BOT_TELEGRAM__TOKN)",
        "database.paht (BOT_DATABASE__PAHT)",
        "broadcast.rate (BOT_BROADCAST__RATE)",
        "BOT_TIMEZOME",
    ):
        assert named in line, line
    assert line.startswith("error: config.toml: unknown settings: ")


async def test_invalid_values_are_named(tmp_path: Path) -> None:
    code, err = await bot(
        "run", cwd=tmp_path,
        env={"BOT_BROADCAST__RATE_PER_SECOND": "fast", "BOT_TIMEZONE": "Mars/Olympus"},
    )  # fmt: skip
    assert code == 2
    line = the_line(err)
    assert "broadcast.rate_per_second (BOT_BROADCAST__RATE_PER_SECOND)" in line
    assert "timezone (BOT_TIMEZONE)" in line
    code, err = await bot("run", cwd=tmp_path, env={"BOT_ORGANISERS": "[1, x]"})
    assert code == 2
    assert "organisers (BOT_ORGANISERS)" in the_line(err)


@pytest.mark.parametrize("secret", ["", "has space", "ü-umlaut", "x" * 257])
async def test_webhook_mode_refuses_a_secret_telegram_would_not_take(
    tmp_path: Path, secret: str
) -> None:
    code, err = await bot(
        "run", cwd=tmp_path,
        env={"BOT_TELEGRAM__TOKEN": "123456:TEST-TOKEN",
             "BOT_TELEGRAM__BASE_URL": f"http://127.0.0.1:{closed_port()}/bot",
             "BOT_TELEGRAM__WEBHOOK_URL": "https://bot.example.org/hook",
             "BOT_TELEGRAM__WEBHOOK_SECRET": secret},
    )  # fmt: skip
    assert code == 2  # refused before Telegram is asked anything (it is unreachable here)
    assert "telegram.webhook_secret (BOT_TELEGRAM__WEBHOOK_SECRET)" in the_line(err)


def test_webhook_secrets_telegram_accepts() -> None:
    for good in ("a", "s3cret-Token_1", "x" * 256):
        settings = explicit_settings(
            telegram={"webhook_url": "https://x.example/h", "webhook_secret": good}
        )
        assert check_webhook_secret(settings) == good
    for bad in ("", "a/b", "x" * 257, "tab\there"):
        settings = explicit_settings(
            telegram={"webhook_url": "https://x.example/h", "webhook_secret": bad}
        )
        with pytest.raises(SettingsError, match="webhook_secret"):
            check_webhook_secret(settings)
    with pytest.raises(SettingsError, match="required"):
        check_webhook_secret(explicit_settings(telegram={"webhook_url": "https://x.example/h"}))


async def test_a_database_that_cannot_be_opened(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "not-a-database.sqlite3").write_text("x" * 200, encoding="utf-8")
    async with Emulator() as emu:
        for path, expected in (
            ("a-file/bot.sqlite3", "error: [Errno 20] Not a directory"),
            ("not-a-database.sqlite3", "error: database: file is not a database"),
        ):
            code, err = await bot(
                "run", cwd=tmp_path,
                env={"BOT_TELEGRAM__TOKEN": emu.token, "BOT_TELEGRAM__BASE_URL": emu.base_url,
                     "BOT_DATABASE__PATH": path},
            )  # fmt: skip
            assert code == 1
            assert the_line(err).startswith(expected)


async def test_a_database_from_a_newer_version(tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "new.sqlite3") as db:
        db.execute("PRAGMA user_version = 9999")
    async with Emulator() as emu:
        code, err = await bot(
            "run", cwd=tmp_path,
            env={"BOT_TELEGRAM__TOKEN": emu.token, "BOT_TELEGRAM__BASE_URL": emu.base_url,
                 "BOT_DATABASE__PATH": "new.sqlite3"},
        )  # fmt: skip
    assert code == 1
    assert the_line(err).startswith("error: database schema version 9999 is newer")
