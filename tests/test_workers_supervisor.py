"""``python -m bot run --workers N`` (bot/workers.py): N worker processes with their own ids
under one supervisor, a dead worker restarted, SIGTERM forwarded, a settings error not
restarted in a loop. Real processes on the emulator; slow (``make test-slow``)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import Emulator
from bot.storage import Storage
from tests.workers_support import until

pytestmark = pytest.mark.slow


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator() as emu:
        yield emu


def env_for(emu: Emulator, workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_TELEGRAM__TOKEN=emu.token,
        BOT_TELEGRAM__BASE_URL=emu.base_url,
        BOT_TELEGRAM__BASE_FILE_URL=emu.base_file_url,
        BOT_DATABASE__PATH=str(workdir / "bot.sqlite3"),
        BOT_ORGANISERS="[1000]",
        BOT_LOG_FORMAT="json",
        PTB_TIMEDELTA="true",
        **extra,
    )
    return env


def started(log: Path) -> dict[str, list[int]]:
    """worker id -> pids, from the supervisor's "worker ... started (pid N)" lines."""
    found: dict[str, list[int]] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record: dict[str, Any] = json.loads(line)
        except ValueError:
            continue
        message = str(record.get("msg", ""))
        if message.startswith("worker ") and " started (pid " in message:
            worker = message.split()[1]
            found.setdefault(worker, []).append(int(message.rsplit(" ", 1)[1].rstrip(")")))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_workers_run_restart_and_stop_together(tmp_path: Path, emulator: Emulator) -> None:
    log = tmp_path / "run.log"
    host = socket.gethostname()
    ids = [f"{host}-w1", f"{host}-w2"]
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--workers", "2", cwd=tmp_path,
            env=env_for(emulator, tmp_path), stdout=out, stderr=out,
        )  # fmt: skip
    storage = Storage(tmp_path / "bot.sqlite3")
    try:

        async def both_alive(since: datetime) -> bool:
            """Both workers renewed their own lease since ``since``; the sender runs."""
            assert proc.returncode is None, log.read_text()
            if not (tmp_path / "bot.sqlite3").exists():
                return False
            if not storage.database.is_open:
                await storage.open()
            rows = {r.name: r for r in await storage.leases.lease_rows()}
            fresh = all(
                f"worker:{i}" in rows and rows[f"worker:{i}"].renewed_at >= since for i in ids
            )
            return fresh and "sender" in rows

        await until(lambda: both_alive(datetime.now(UTC) - timedelta(seconds=1)), timeout=90)
        first = started(log)
        assert sorted(first) == ids
        # A worker dies: the supervisor starts it again under the same id.
        victim = first[ids[0]][0]
        os.kill(victim, signal.SIGKILL)
        killed_at = datetime.now(UTC)
        await until(lambda: len(started(log).get(ids[0], [])) == 2, timeout=30)
        restarted = started(log)[ids[0]][1]
        assert restarted != victim
        await until(lambda: both_alive(killed_at + timedelta(seconds=1)), timeout=60)
        # SIGTERM to the supervisor stops every worker cleanly.
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 60) == 0, log.read_text()[-3000:]
        pids = [pid for pids in started(log).values() for pid in pids]
        assert not [pid for pid in pids if alive(pid)]
        # A clean stop gave every lease back.
        assert await storage.leases.lease_rows() == []
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await storage.close()


async def test_a_settings_error_stops_the_workers_once(tmp_path: Path, emulator: Emulator) -> None:
    """A webhook without its secret: every worker refuses to start (exit code 2), and the
    supervisor says so once instead of restarting them forever."""
    env = env_for(emulator, tmp_path, BOT_TELEGRAM__WEBHOOK_URL="https://bot.example.org/hook")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--workers", "3", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode == 2
    assert b"webhook_secret" in err
