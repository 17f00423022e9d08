"""Fast checks of the worker plumbing (the processes themselves: test_workers_e2e.py and
test_workers_supervisor.py): the command line's worker options, one process holding every
lease, and the emulator's 409 for a second poller of one token (what the e2e test relies
on to see two pollers)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.__main__ import main
from bot.emulator import Emulator
from bot.sim import Simulation


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--workers", "0"], "must be 1 to 64"),
        (["run", "--workers", "two"], "invalid"),
        (["run", "--worker-id", "a b"], "A-Z a-z 0-9"),
    ],
)
def test_bad_worker_options_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_workers_and_one_worker_id_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TELEGRAM__TOKEN", "123:ABC")
    assert main(["run", "--workers", "2", "--worker-id", "w1"]) == 2
    assert "--worker-id names one worker" in capsys.readouterr().err


async def test_one_process_holds_every_lease(sim: Simulation) -> None:
    """A single worker: the sender and the scheduler run at once, as before workers."""
    assert sim.app is not None
    assert sim.app.sender is not None
    assert sim.app.scheduler is not None
    names = {r.name for r in await sim.db.leases.lease_rows()}
    assert {"sender", "scheduler", f"worker:{sim.services.worker}"} <= names


async def test_a_second_long_poll_ends_the_first_with_409() -> None:
    async with Emulator() as emu, aiohttp.ClientSession() as http:
        url = f"{emu.base_url}{emu.token}/getUpdates"

        async def poll() -> dict[str, Any]:
            async with http.post(url, json={"timeout": 5}) as response:
                data: dict[str, Any] = await response.json()
                return data

        first = asyncio.create_task(poll())
        await asyncio.sleep(0.2)
        second = asyncio.create_task(poll())
        answer = await asyncio.wait_for(first, 5)
        assert answer["error_code"] == 409
        assert "terminated by other getUpdates request" in answer["description"]
        second.cancel()
