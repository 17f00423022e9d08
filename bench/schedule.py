"""Start-up time and memory of the whole bot with 10,000 pending scheduled items.

The database holds events whose reminders, deadline nudges and questionnaire moments are
all in the future (5 items per event with ``before_event_hours = [24]``). Start-up is the
full ``Simulation.start_bot``: build the Application, getMe, open and migrate the
database, set the command menus, start the sender, rebuild the schedule from the database
(derive every item, compare with the stored ones, run what is due), start the JobQueue
and polling. Measured three times: with an empty database (the baseline), the first start
after the events were created (the scheduler stores 10,000 new items), and a restart (the
steady state, reported as ``startup_s``); the empty and restart figures are medians of
``--runs`` start-ups. ``pass_s`` is one scheduler pass afterwards, the
work the JobQueue does every minute. Last line:
{"items": ..., "startup_s": ..., "rss_mb": ..., ...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psutil

from bot.models import EventDraft
from bot.payloads import new_code
from bot.sim import Simulation
from bot.storage import Storage

ITEMS_PER_EVENT = 5  # one reminder, the deadline nudge, questionnaire open/remind/close
SETTINGS = {"reminders": {"before_event_hours": [24.0]}}


async def _fill(db_path: Path, events: int, sim: Simulation) -> None:
    """Events spread over the coming months, all their moments still ahead."""
    storage = Storage(db_path)
    await storage.open()
    now = sim.clock.now()
    try:
        for n in range(events):
            start = now + timedelta(days=4, hours=n * 2)
            draft = EventDraft(
                title=f"Mokymai #{n}",
                starts_at=start,
                ends_at=start + timedelta(hours=6),
                timezone="Europe/Vilnius",
                address=f"Gatvė {n % 50}, Vilnius",
                capacity=30,
                rsvp_deadline=start - timedelta(days=2),
                programme=f"Programa {n % 12}",
            )
            await storage.events.insert_event(
                draft, invite_code=new_code(), created_by=None, now=now
            )
    finally:
        await storage.close()


async def _timed_start(sim: Simulation) -> float:
    began = time.perf_counter()
    await sim.start_bot()
    return time.perf_counter() - began


async def _median_start(sim: Simulation, runs: int) -> float:
    """Median of ``runs`` start-ups (the machine is shared: single runs are noisy)."""
    times = []
    for _ in range(runs):
        times.append(await _timed_start(sim))
        await sim.stop_bot()
    return statistics.median(times)


async def bench(items: int, runs: int) -> dict[str, float | int]:
    events = -(-items // ITEMS_PER_EVENT)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        sim = Simulation(db_path, settings=SETTINGS)
        await sim.emulator.start()
        try:
            empty_s = await _median_start(sim, runs)
            await _fill(db_path, events, sim)
            first_s = await _timed_start(sim)
            await sim.stop_bot()
            startup_s = await _median_start(sim, runs)
            await sim.start_bot()
            pending = await sim.db.schedule.pending_scheduled_count()
            assert sim.app is not None
            assert sim.app.scheduler is not None
            passes = []
            for _ in range(runs):
                began = time.perf_counter()
                result = await sim.app.scheduler.run_due()
                passes.append(time.perf_counter() - began)
                assert result.ran == 0, result
                assert result.pending == pending, result
            rss_mb = psutil.Process().memory_info().rss / 2**20
            await sim.stop_bot()
        finally:
            await sim.emulator.stop()
    return {
        "items": pending,
        "startup_s": round(startup_s, 3),
        "rss_mb": round(rss_mb, 1),
        "first_start_s": round(first_s, 3),
        "empty_start_s": round(empty_s, 3),
        "startup_ratio_vs_empty": round(startup_s / empty_s, 2),
        "pass_s": round(statistics.median(passes), 3),
        "events": events,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="start-ups measured (median)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    figures = await bench(args.items, args.runs)
    print(
        f"{figures['items']} pending items: start-up {figures['startup_s']} s "
        f"(empty database {figures['empty_start_s']} s, first start {figures['first_start_s']} s), "
        f"one pass {figures['pass_s']} s, RSS {figures['rss_mb']} MB",
        flush=True,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
