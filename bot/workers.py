"""Worker processes: ``python -m bot run [--workers N] [--worker-id ID]``.

A *worker* is one ``python -m bot run`` process. Several workers may share one database
(PostgreSQL; or SQLite on one machine, docs/operations.md "Several workers"); each has a
unique id (``--worker-id``, default the host's name). Updates are handled by any worker
(webhooks behind a load balancer, or the poller's worker); each bot's sender, scheduler
and poller run in the one worker holding their lease (bot/leases.py).

* :class:`Poller` is one more leased component of each bot (bot/runner.py adds it in
  polling mode), so exactly one worker calls ``getUpdates`` for a bot (Telegram answers
  409 Conflict to a second one) and another takes over when it dies.
* :func:`supervise` is ``run --workers N``: N worker processes with the ids
  ``<host>-w1`` .. ``<host>-wN``, a dead one restarted (with a growing pause if it keeps
  dying at once), SIGTERM and SIGINT forwarded to all of them. A worker that exits with
  code 2 (bad settings) stops the lot: restarting cannot fix a setting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence
from typing import Any

from telegram.ext import Application

log = logging.getLogger(__name__)

POLLER = "poller"
RESTART_PAUSE_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # after 1, 2, ... quick deaths in a row
QUICK_DEATH_S = 30.0  # a worker that lived shorter than this died "at once"
STOP_TIMEOUT_S = 60.0  # then the workers still running are killed


def host_name() -> str:
    return socket.gethostname() or "main"


class Poller:
    """``getUpdates`` for one bot, while this worker holds the bot's poller lease."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        allowed_updates: Sequence[str],
        *,
        poll_interval: float = 0.0,
        poll_timeout: int = 10,
    ) -> None:
        self.app = app
        self.allowed_updates = list(allowed_updates)
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout

    async def start(self) -> None:
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=self.poll_interval, timeout=self.poll_timeout,
            allowed_updates=self.allowed_updates,
        )  # fmt: skip

    async def stop(self) -> None:
        updater = self.app.updater
        if updater is not None and updater.running:
            await updater.stop()  # confirms the updates fetched so far to Telegram


def stop_on_signals() -> asyncio.Event:
    """Set by SIGTERM or SIGINT: how ``run``, its workers and the supervisor are stopped."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


# -- the supervisor: run --workers N -------------------------------------------------------


def worker_ids(count: int, host: str | None = None) -> list[str]:
    base = host or host_name()
    return [f"{base}-w{i}" for i in range(1, count + 1)]


def supervise(count: int, child_args: Sequence[str]) -> int:
    """``run --workers N``: run N workers until SIGTERM/SIGINT; 0 after a clean stop, 2 if
    a worker refused its settings."""
    return asyncio.run(_supervise(worker_ids(count), list(child_args)))


class _Child:
    def __init__(self, worker: str) -> None:
        self.worker = worker
        self.proc: asyncio.subprocess.Process | None = None
        self.started = 0.0
        self.quick_deaths = 0


async def _spawn(child: _Child, child_args: list[str]) -> None:
    child.proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--worker-id", child.worker, *child_args,
        stdin=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    child.started = time.monotonic()
    log.info("worker %s started (pid %d)", child.worker, child.proc.pid)


async def _supervise(workers: list[str], child_args: list[str]) -> int:
    stop = stop_on_signals()
    children = [_Child(w) for w in workers]
    for child in children:
        await _spawn(child, child_args)
    log.info("supervising %d workers (pid %d)", len(children), os.getpid())
    result = 0
    waits: dict[asyncio.Task[int], _Child] = {}
    stopping = asyncio.create_task(stop.wait())
    try:
        while True:
            for child in children:
                if child.proc is not None and child not in waits.values():
                    waits[asyncio.create_task(child.proc.wait())] = child
            done, _ = await asyncio.wait({stopping, *waits}, return_when=asyncio.FIRST_COMPLETED)
            if stopping in done:
                break
            settings_refused = False
            for task in done:
                child = waits.pop(task)
                code = task.result()
                log.warning("worker %s exited with %d", child.worker, code)
                if code == 2:
                    settings_refused = True
                    continue
                lived = time.monotonic() - child.started
                child.quick_deaths = child.quick_deaths + 1 if lived < QUICK_DEATH_S else 0
                pause = RESTART_PAUSE_S[min(child.quick_deaths, len(RESTART_PAUSE_S)) - 1]
                if child.quick_deaths:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(stopping), pause)
                    if stop.is_set():
                        break
                await _spawn(child, child_args)
            if settings_refused:
                result = 2
                break
            if stop.is_set():
                break
    finally:
        stopping.cancel()
        await _stop_children(children)
    return result


async def _stop_children(children: list[_Child]) -> None:
    running = [c.proc for c in children if c.proc is not None and c.proc.returncode is None]
    for proc in running:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
    try:
        async with asyncio.timeout(STOP_TIMEOUT_S):
            await asyncio.gather(*(p.wait() for p in running))
    except TimeoutError:
        for proc in running:
            if proc.returncode is None:
                log.error("worker pid %d did not stop in time; killed", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
        await asyncio.gather(*(p.wait() for p in running))
