"""The sender's pace against an emulator that enforces Telegram's limits like Telegram.

Both run on one virtual monotonic clock (bot.pacing.VirtualTime): a second passes only when
the sender waits for it, so what the emulator measures does not depend on the machine's
load (this test once failed in 1 of 2 full runs on a busy machine in real time).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.clock import FakeClock
from bot.emulator import Emulator
from bot.messages import OutgoingMessage
from bot.models import OutboxItem
from bot.notify import queue_messages
from bot.pacing import VirtualTime
from bot.sim import Simulation
from tests.conftest import ORGANISER_ID


async def reachable_people(sim: Simulation, count: int, first_id: int = 7000) -> list[int]:
    """People with a private chat the bot may write to, made without any message (so that
    setting them up does not itself hit the emulator's limits)."""
    ids = []
    for n in range(count):
        user = sim.emulator.user(first_id + n, f"U{n}")
        sim.emulator._private_chat(user).started = True  # as if they had sent /start
        await sim.db.people.ensure_participant(user.id, language="en", now=sim.clock.now())
        ids.append(user.id)
    return ids


async def test_full_speed_without_a_single_429(tmp_path: Path, clock: FakeClock) -> None:
    time = VirtualTime()
    emulator = Emulator(global_limit_per_s=30, per_chat_limit_per_s=1, clock=time.now)
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), emulator=emulator,
        monotonic=time,
    ) as sim:  # fmt: skip
        ids = await reachable_people(sim, 75)
        items = [OutboxItem(i, OutgoingMessage(f"Hello {i}").to_json()) for i in ids]
        await queue_messages(sim.services, items)
        await sim.settle()
        calls = [c for c in emulator.calls_to("sendMessage") if c.chat_id in set(ids)]
        assert [c.status for c in calls] == [200] * 75
        assert emulator.stats["http_429"] == 0
        rate = (len(calls) - 1) / (calls[-1].time - calls[0].time)
        assert 0.9 * 30 <= rate <= 30  # paced just below the limit, not far below


async def test_one_chat_waits_its_turn_without_holding_up_the_others(
    tmp_path: Path, clock: FakeClock
) -> None:
    # One message per 1/3 s in a chat (per_chat_burst=1: no bursts at all).
    time = VirtualTime()
    emulator = Emulator(per_chat_limit_per_s=3, per_chat_burst=1, clock=time.now)
    settings = {"broadcast": {"rate_per_second": 100, "per_chat_interval_s": 0.34}}
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), emulator=emulator,
        settings=settings, monotonic=time,
    ) as sim:  # fmt: skip
        busy, *others = await reachable_people(sim, 21)
        items = [OutboxItem(busy, OutgoingMessage(f"Notice {n}").to_json()) for n in range(5)]
        items += [OutboxItem(i, OutgoingMessage("Hello").to_json()) for i in others]
        await queue_messages(sim.services, items)
        await sim.settle()
        assert emulator.stats["http_429"] == 0
        to_busy = emulator.calls_to("sendMessage", busy)
        assert [c.params["text"] for c in to_busy] == [f"Notice {n}" for n in range(5)]  # order
        gaps = [b.time - a.time for a, b in itertools.pairwise(to_busy)]
        assert min(gaps) >= 0.34
        last_other = max(emulator.calls_to("sendMessage", i)[-1].time for i in others)
        assert last_other < to_busy[2].time  # the others did not wait behind it


class StallingTime(VirtualTime):
    """Virtual time in which the whole process stalls for ``seconds`` (a long GC pause, a
    busy machine) once the emulator has seen ``after`` messages."""

    def __init__(self, emulator: Emulator | None = None, *, after: int, seconds: float) -> None:
        super().__init__()
        self.emulator = emulator
        self.after, self.seconds = after, seconds
        self.stalled_at: float | None = None

    def now(self) -> float:
        if (
            self.stalled_at is None
            and self.emulator is not None
            and len(self.emulator.calls_to("sendMessage")) >= self.after
        ):
            self.stalled_at = self._now
            self._now += self.seconds
        return self._now


async def test_no_catch_up_burst_after_a_stall(tmp_path: Path, clock: FakeClock) -> None:
    time = StallingTime(after=40, seconds=10.0)
    emulator = Emulator(global_limit_per_s=30, per_chat_limit_per_s=1, clock=time.now)
    time.emulator = emulator
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), emulator=emulator,
        monotonic=time,
    ) as sim:  # fmt: skip
        ids = await reachable_people(sim, 120)
        items = [OutboxItem(i, OutgoingMessage(f"Hello {i}").to_json()) for i in ids]
        await queue_messages(sim.services, items)
        await sim.settle()
        times = [c.time for c in emulator.calls_to("sendMessage") if c.chat_id in set(ids)]
        assert time.stalled_at is not None
        assert emulator.stats["http_429"] == 0
        assert len(times) == 120
        after = [t for t in times if t > time.stalled_at + 1]
        assert sim.app is not None
        assert sim.app.sender is not None
        interval = sim.app.sender.pacer.interval
        gaps = [b - a for a, b in itertools.pairwise(after)]
        assert len(after) > 60
        assert min(gaps) >= interval * 0.5 - 1e-9  # no burst to "catch up" the lost 10 s
        busiest = max(sum(1 for t in after if s <= t < s + 1.0) for s in after)
        assert busiest <= 30
