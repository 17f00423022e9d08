"""The pacer on a fake monotonic clock: deterministic, no real waiting."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.pacing import Pacer, VirtualTime


class FakeMonotonic:
    """A clock that moves only when the pacer sleeps (or a test stalls it)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float, wake: asyncio.Event | None = None, /) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


def pacer(clock: FakeMonotonic, rate: float = 30, headroom: float = 0.1) -> Pacer:
    return Pacer(
        rate_per_second=rate,
        headroom=headroom,
        per_chat_interval_s=1.0,
        clock=clock,
        sleep=clock.sleep,
    )


async def starts(p: Pacer, clock: FakeMonotonic, count: int) -> list[float]:
    times = []
    for _ in range(count):
        assert await p.acquire()
        times.append(clock.now)
    return times


def most_in_any(times: list[float], span: float) -> int:
    """The largest number of starts inside any window of ``span`` seconds."""
    return max(
        sum(1 for t in times[i:] if t < start + span - 1e-9) for i, start in enumerate(times)
    )


async def test_steady_pace_is_just_below_the_rate() -> None:
    clock = FakeMonotonic()
    p = pacer(clock)
    times = await starts(p, clock, 100)
    interval = 1.1 / 30
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval * 0.5 - 1e-9  # at most half an interval early
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate == pytest.approx(30 / 1.1, rel=0.02)
    assert most_in_any(times, 1.0) <= 30
    assert most_in_any(times, 30 * interval) <= 30


async def test_no_catch_up_burst_after_a_stall() -> None:
    clock = FakeMonotonic()
    p = pacer(clock)
    await starts(p, clock, 40)
    clock.now += 10.0  # the loop stalled (GC, a busy machine): 270 slots "missed"
    times = await starts(p, clock, 90)
    interval = 1.1 / 30
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval * 0.5 - 1e-9  # at most one start half an interval early
    assert most_in_any(times, 1.0) <= 30  # never above the rate in any second
    assert most_in_any(times, 30 * interval) <= 30  # the pacer's own window
    # and not slower than the pace either: the stall is simply over
    assert (times[-1] - times[0]) == pytest.approx(89 * interval, rel=0.02)


async def test_a_late_start_never_lets_the_window_overflow() -> None:
    clock = FakeMonotonic()
    p = pacer(clock, rate=10, headroom=0.0)
    times = []
    for n in range(60):
        assert await p.acquire()
        times.append(clock.now)
        if n % 7 == 3:
            clock.now += 0.25  # irregular small stalls
    assert most_in_any(times, 1.0) <= 10


async def test_429_pauses_everything_and_slows_down() -> None:
    clock = FakeMonotonic()
    p = pacer(clock)
    await starts(p, clock, 5)
    hit = clock.now
    p.throttled(2.0)
    assert p.earliest() >= hit + 2.0
    after = await starts(p, clock, 10)
    assert after[0] >= hit + 2.0
    assert (after[-1] - after[0]) / 9 > 1.1 / 30 * 1.1  # slower for a while


async def test_one_chat_waits_its_turn() -> None:
    clock = FakeMonotonic()
    p = pacer(clock)
    p.take(7, at=clock.now)
    assert p.chat_ready_at(7) == pytest.approx(clock.now + 1.1)
    assert p.waiting_chats() == [7]
    assert p.chat_ready_at(8) < clock.now  # another chat may go at once


async def test_acquire_gives_up_when_cancelled() -> None:
    clock = FakeMonotonic()
    p = pacer(clock)
    stop = asyncio.Event()
    stop.set()
    assert not await p.acquire(stop)


async def test_virtual_time_jumps_only_when_every_task_waits() -> None:
    time = VirtualTime(start=0.0)
    time.enter()  # a task still working: time must not move
    sleeper_done = asyncio.Event()

    async def sleeper() -> None:
        time.enter()
        await time.sleep(5.0)
        sleeper_done.set()
        time.leave()

    task = asyncio.create_task(sleeper())
    for _ in range(5):
        await asyncio.sleep(0)
    assert time.now() == 0.0
    assert not sleeper_done.is_set()
    time.leave()  # now everyone waits: time jumps to the deadline
    await task
    assert time.now() == 5.0

    wake = asyncio.Event()
    time.enter()  # this test body keeps working meanwhile
    time.enter()  # the waiter's own
    waiter = asyncio.create_task(time.sleep(60.0, wake))
    await asyncio.sleep(0)
    wake.set()  # woken early by new work: no time passes
    await waiter
    assert time.now() == 5.0
    time.leave()
    time.leave()
