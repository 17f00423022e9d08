"""Many bots in one process (bot/runner.py): what each bot costs, and updates across bots.

B bots of one deployment (``[[bots]]``, each in its own SQLite namespace) are started with
the runner ``python -m bot run`` uses, against one emulator serving B tokens in this process,
each bot polling for its own updates. Then P people per bot send ``/help`` at once, to every
bot together; each update is timed from the moment the emulator queues it until the bot has
handled it (its answer sent). Finally all bots are stopped together.

Last line: {"bots": ..., "start_s": ..., "rss_per_bot_mb": ..., "updates": ...,
"updates_per_s": ..., "p50_ms": ..., "p99_ms": ..., "stop_s": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.config import explicit_settings
from bot.emulator import Emulator
from bot.runner import BotRun, run_polling
from bot.tenancy import tenants_of


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class Done:
    """How many updates all bots have handled; ``all`` is set when ``expected`` are."""

    def __init__(self) -> None:
        self.count = 0
        self.expected = -1
        self.all = asyncio.Event()

    def one(self) -> None:
        self.count += 1
        if self.count == self.expected:
            self.all.set()


def timed(app: KvietimasApplication, finished: dict[int, float], done: Done) -> None:
    """Record when each update has been handled (wraps process_update from outside)."""
    handle = app.process_update

    async def process_update(update: object) -> None:
        try:
            await handle(update)
        finally:
            if isinstance(update, Update):
                finished[update.update_id] = time.perf_counter()
                done.one()

    setattr(app, "process_update", process_update)  # noqa: B010


async def bench(bots: int, people: int, folder: Path) -> dict[str, Any]:
    host = Emulator(token="100000:BOT-0", bot_username="bot0_bot")
    emulators = [host] + [
        host.add_bot(f"{100000 + n}:BOT-{n}", bot_username=f"bot{n}_bot") for n in range(1, bots)
    ]
    await host.start()
    top = explicit_settings(
        telegram={"base_url": host.base_url, "base_file_url": host.base_file_url},
        database={"path": str(folder / "data" / "kvietimas.sqlite3")},
        bots=[
            {"key": f"b{n}", "token": emu.token, "organisers": [1000 + n],
             "organisation_name": f"Organisation {n}"}
            for n, emu in enumerate(emulators)
        ],
    )  # fmt: skip
    tenants = tenants_of(top, [])
    before = rss_mb()
    apps = [build_application(t.settings) for t in tenants]
    finished: list[dict[int, float]] = [{} for _ in apps]
    done = Done()
    for app, handled in zip(apps, finished, strict=True):
        timed(app, handled, done)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(
        run_polling(
            [BotRun(t.key, app) for t, app in zip(tenants, apps, strict=True)],
            allowed_updates=ALLOWED_UPDATES, stop=stop, poll_timeout=1,
        )
    )  # fmt: skip
    while not all(app.running for app in apps):
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    start_s = time.perf_counter() - started
    per_bot = (rss_mb() - before) / bots
    sent: list[dict[int, float]] = [{} for _ in apps]
    done.expected = done.count + bots * people
    first = time.perf_counter()
    for n in range(people):
        for emu, times in zip(emulators, sent, strict=True):
            user = emu.user(10_000 + n, f"U{n}")
            times[await user.send("/help")] = time.perf_counter()
    await done.all.wait()
    elapsed = time.perf_counter() - first
    latencies = sorted(
        (handled[uid] - at) * 1000
        for times, handled in zip(sent, finished, strict=True)
        for uid, at in times.items()
    )
    stopping = time.perf_counter()
    stop.set()
    await task
    stop_s = time.perf_counter() - stopping
    await host.stop()
    count = len(latencies)
    return {
        "bots": bots,
        "start_s": round(start_s, 2),
        "rss_per_bot_mb": round(per_bot, 1),
        "updates": count,
        "updates_per_s": round(count / elapsed, 1),
        "p50_ms": round(latencies[count // 2], 1),
        "p99_ms": round(latencies[min(count - 1, int(count * 0.99))], 1),
        "stop_s": round(stop_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bots", type=int, default=20)
    parser.add_argument("--people", type=int, default=20, help="per bot")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(bench(args.bots, args.people, Path(folder)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
