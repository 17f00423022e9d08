"""Leases (bot/leases.py, bot/storage/leases.py): one holder at a time, take-over after the
expiry, fencing when a renewal is lost or late, a clean stop handing over at once.

Time is injected (a FakeClock for the stored stamps, a hand-moved monotonic for the local
validity), so minutes of lease life take no time; several Storage objects on one file are
several workers' connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.leases import Lease, LeaseKeeper, preference
from bot.storage import Storage
from bot.storage.leases import LeaseRepository
from tests.engines import ENGINES, shared_storages

TTL = 6.0
EVERY = 2.0


class Times:
    """A wall clock and a monotonic clock moved together by hand."""

    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
        self.mono = 1000.0

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.clock.advance(timedelta(seconds=seconds))


class Recorder:
    """A component that records its life."""

    def __init__(self, log: list[str], name: str, *, fail_start: bool = False) -> None:
        self.log = log
        self.name = name
        self.fail_start = fail_start
        self.stop_gate: asyncio.Event | None = None

    async def start(self) -> None:
        if self.fail_start:
            raise RuntimeError("cannot start")
        self.log.append(f"{self.name} start")

    async def stop(self) -> None:
        if self.stop_gate is not None:
            await self.stop_gate.wait()
        self.log.append(f"{self.name} stop")


class Unreachable(LeaseRepository):
    """The database stops answering when told to."""

    def __init__(self, inner: LeaseRepository) -> None:
        super().__init__(inner.database)
        self.down = False

    async def renew_lease(self, name: str, holder: str, *, now: datetime, until: datetime) -> bool:
        if self.down:
            raise OSError("connection refused")
        return await super().renew_lease(name, holder, now=now, until=until)

    async def acquire_lease(
        self, name: str, holder: str, *, now: datetime, until: datetime
    ) -> bool:
        if self.down:
            raise OSError("connection refused")
        return await super().acquire_lease(name, holder, now=now, until=until)


@pytest.fixture(params=ENGINES)
async def storages(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[Storage]]:
    """Three workers' connections to one database, on each engine."""
    async with shared_storages(request, request.param, tmp_path, 3) as opened:
        yield opened


def keeper(
    storage: Storage, holder: str, times: Times, repo: LeaseRepository | None = None
) -> LeaseKeeper:
    return LeaseKeeper(
        repo or storage.leases, holder, ttl=TTL, renew_every=EVERY, clock=times.clock,
        monotonic=times.monotonic,
    )  # fmt: skip


def lease(storage: Storage, holder: str, times: Times, name: str = "sender") -> Lease:
    return Lease(
        storage.leases, name, holder, ttl=TTL, clock=times.clock, monotonic=times.monotonic
    )


async def test_two_contenders_one_holder(storages: list[Storage]) -> None:
    times = Times()
    a, b = lease(storages[0], "a", times), lease(storages[1], "b", times)
    assert await a.acquire() is True
    assert await b.acquire() is False
    times.advance(EVERY)
    assert await a.renew() is True
    assert await b.acquire() is False
    assert await b.renew() is False  # renewing what one does not hold takes nothing
    rows = await storages[2].leases.lease_rows()
    assert [(r.name, r.holder, r.generation) for r in rows] == [("sender", "a", 1)]


async def test_many_contenders_at_once_one_wins(storages: list[Storage]) -> None:
    """Simultaneous tries over separate connections: exactly one holder."""
    times = Times()
    contenders = [lease(storages[i % 3], f"w{i}", times) for i in range(9)]
    results = await asyncio.gather(*(c.acquire() for c in contenders))
    assert sum(results) == 1
    (row,) = await storages[0].leases.lease_rows()
    assert row.holder == f"w{results.index(True)}"


async def test_take_over_after_expiry_and_not_before(storages: list[Storage]) -> None:
    times = Times()
    a, b = lease(storages[0], "a", times), lease(storages[1], "b", times)
    assert await a.acquire()
    times.advance(TTL - 0.01)  # a died: no renewal
    assert await b.acquire() is False  # not expired yet
    times.advance(0.02)
    assert await b.acquire() is True
    (row,) = await storages[2].leases.lease_rows()
    assert (row.holder, row.generation) == ("b", 2)
    assert await a.renew() is False  # the old holder learns it lost it


async def test_a_restarted_worker_takes_its_own_lease_back_at_once(
    storages: list[Storage],
) -> None:
    """The same id after a SIGKILL: no waiting for the expiry (a single `run` restarts as
    fast as before)."""
    times = Times()
    assert await lease(storages[0], "host", times).acquire()
    times.advance(1)
    assert await lease(storages[1], "host", times).acquire()
    (row,) = await storages[2].leases.lease_rows()
    assert row.generation == 1


async def test_keeper_runs_the_component_only_while_held(storages: list[Storage]) -> None:
    times = Times()
    events: list[str] = []
    ka, kb = keeper(storages[0], "a", times), keeper(storages[1], "b", times)
    ka.add("sender", lambda: Recorder(events, "a"))
    kb.add("sender", lambda: Recorder(events, "b"))
    await ka.tick()
    await kb.tick()
    assert events == ["a start"]
    assert ka.holds("sender")
    assert not kb.holds("sender")
    for _ in range(10):  # a keeps renewing: b never gets it
        times.advance(EVERY)
        await ka.tick()
        await kb.tick()
    assert events == ["a start"]


async def test_fencing_when_another_worker_took_the_lease(storages: list[Storage]) -> None:
    """a stalls past the expiry (a long pause, a frozen VM); b takes over; a's next round
    stops a's component before anything else."""
    times = Times()
    events: list[str] = []
    ka, kb = keeper(storages[0], "a", times), keeper(storages[1], "b", times)
    ka.add("sender", lambda: Recorder(events, "a"))
    kb.add("sender", lambda: Recorder(events, "b"))
    await ka.tick()
    times.advance(TTL + 0.1)
    await kb.tick()
    assert events == ["a start", "b start"]  # a is not told yet: it is stalled
    await ka.tick()
    await asyncio.sleep(0)  # the fenced component stops in its own task
    await asyncio.sleep(0)
    assert events == ["a start", "b start", "a stop"]
    assert not ka.holds("sender")
    assert kb.holds("sender")


async def test_fencing_when_the_database_does_not_answer(storages: list[Storage]) -> None:
    """Renewals fail: the component keeps running while the lease surely lasts, and is
    stopped before it may have expired (so another worker's take-over never overlaps)."""
    times = Times()
    events: list[str] = []
    repo = Unreachable(storages[0].leases)
    ka = keeper(storages[0], "a", times, repo)
    ka.add("sender", lambda: Recorder(events, "a"))
    await ka.tick()
    repo.down = True
    times.advance(EVERY)
    await ka.tick()  # 4 s of validity left: still running
    assert ka.holds("sender")
    times.advance(EVERY + 0.1)  # < renew_every left: stop now
    await ka.tick()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert events == ["a start", "a stop"]
    assert not ka.holds("sender")
    # The database is back; the lease had expired meanwhile and another worker has it.
    repo.down = False
    kb = keeper(storages[1], "b", times)
    kb.add("sender", lambda: Recorder(events, "b"))
    times.advance(TTL)
    await kb.tick()
    await ka.tick()
    assert events == ["a start", "a stop", "b start"]


async def test_a_fenced_component_is_not_started_again_before_it_stopped(
    storages: list[Storage],
) -> None:
    """Never two senders in one worker: a component still finishing its stop (sends in
    flight) blocks taking the lease again."""
    times = Times()
    events: list[str] = []
    made: list[Recorder] = []

    def make() -> Recorder:
        made.append(Recorder(events, f"a{len(made) + 1}"))
        return made[-1]

    ka, kb = keeper(storages[0], "a", times), keeper(storages[1], "b", times)
    ka.add("sender", make)
    await ka.tick()
    gate = made[0].stop_gate = asyncio.Event()
    # b takes it over, then gives it up (a clean stop): the lease is free again.
    times.advance(TTL + 0.1)
    kb.add("sender", lambda: Recorder(events, "b"))
    await kb.tick()
    await ka.tick()  # a learns it lost it: stopping (slowly)
    await kb.stop()
    times.advance(EVERY)
    await ka.tick()  # free, but a1 has not stopped yet
    assert [e for e in events if e.startswith("a")] == ["a1 start"]
    gate.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    times.advance(EVERY)
    await ka.tick()
    assert [e for e in events if e.startswith("a")] == ["a1 start", "a1 stop", "a2 start"]


async def test_a_clean_stop_hands_over_at_once(storages: list[Storage]) -> None:
    times = Times()
    events: list[str] = []
    ka, kb = keeper(storages[0], "a", times), keeper(storages[1], "b", times)
    for name in ("sender", "scheduler"):
        ka.add(name, lambda name=name: Recorder(events, f"a {name}"))  # type: ignore[misc]
        kb.add(name, lambda name=name: Recorder(events, f"b {name}"))  # type: ignore[misc]
    await ka.tick()
    await ka.stop()  # the last added stops first, then the leases are released
    assert events == ["a sender start", "a scheduler start", "a scheduler stop", "a sender stop"]
    await kb.tick()  # no waiting for an expiry
    assert kb.running() == ["sender", "scheduler"]
    assert await storages[2].leases.lease_rows() != []


async def test_a_component_that_cannot_start_gives_its_lease_up(
    storages: list[Storage],
) -> None:
    times = Times()
    events: list[str] = []
    ka, kb = keeper(storages[0], "a", times), keeper(storages[1], "b", times)
    ka.add("sender", lambda: Recorder(events, "a", fail_start=True))
    kb.add("sender", lambda: Recorder(events, "b"))
    await ka.tick()
    await kb.tick()
    assert events == ["a stop", "b start"]


async def test_the_keeper_loop_renews_on_its_own(storages: list[Storage]) -> None:
    """start() takes the leases at once and keeps them with the injected sleep."""
    times = Times()
    events: list[str] = []
    slept = asyncio.Event()
    rounds = 0

    async def sleep(seconds: float) -> None:
        nonlocal rounds
        rounds += 1
        times.advance(seconds)
        if rounds >= 5:
            slept.set()
            await asyncio.Event().wait()  # park the loop here
        await asyncio.sleep(0)

    ka = LeaseKeeper(
        storages[0].leases, "a", ttl=TTL, renew_every=EVERY, clock=times.clock,
        monotonic=times.monotonic, sleep=sleep,
    )  # fmt: skip
    ka.add("sender", lambda: Recorder(events, "a"))
    await ka.start()
    assert ka.holds("sender")
    await asyncio.wait_for(slept.wait(), 5)
    # 8 s of fake time later the lease is still a's: it was renewed on every round.
    (row,) = await storages[1].leases.lease_rows()
    assert row.holder == "a"
    assert row.expires_at > times.clock.now()
    await ka.stop()
    assert events == ["a start", "a stop"]
    assert await storages[1].leases.lease_rows() == []


# -- spreading the leases over the workers ---------------------------------------------------

NAMES = [f"bot{i}:{loop}" for i in range(6) for loop in ("sender", "scheduler")]


def preferred(name: str, workers: set[str]) -> str:
    return max(workers, key=lambda w: preference("ns", name, w))


async def rounds(keepers: list[LeaseKeeper], times: Times, count: int) -> None:
    for _ in range(count):
        for k in keepers:
            await k.tick()
            for _ in range(5):  # hand-overs and fenced stops finish in their own tasks
                await asyncio.sleep(0)
        times.advance(EVERY)


def spread_keeper(storage: Storage, holder: str, times: Times, events: list[str]) -> LeaseKeeper:
    k = LeaseKeeper(
        storage.leases, holder, ttl=TTL, renew_every=EVERY, clock=times.clock,
        monotonic=times.monotonic, scope="ns",
    )  # fmt: skip
    k.add_liveness()
    for name in NAMES:
        k.add(name, lambda name=name: Recorder(events, f"{holder} {name}"))  # type: ignore[misc]
    return k


async def holders(storage: Storage) -> dict[str, str]:
    return {r.name: r.holder for r in await storage.leases.lease_rows() if ":" in r.name}


async def test_leases_spread_over_the_live_workers(storages: list[Storage]) -> None:
    """The first worker up takes everything (nobody else is alive); as the others come up,
    each lease moves, once, to its preferred worker; every lease is held all along."""
    times = Times()
    events: list[str] = []
    a, b, c = (spread_keeper(s, w, times, events) for s, w in zip(storages, "abc", strict=True))
    await rounds([a], times, 1)
    assert set((await holders(storages[0])).values()) == {"a"}
    await rounds([a, b, c], times, 6)
    held = await holders(storages[0])
    for name in NAMES:
        assert held[name] == preferred(name, {"a", "b", "c"}), name
    assert {held[n] for n in NAMES} == {"a", "b", "c"}
    for k in (a, b, c):
        mine = {n for n in NAMES if held[n] == k.holder} | {f"worker:{k.holder}"}
        assert set(k.running()) == mine
    # each lease changed hands at most once: started at most twice in all
    starts = [e for e in events if e.endswith("start")]
    assert len(starts) <= 2 * len(NAMES)


async def test_a_dead_workers_leases_go_to_the_survivors(storages: list[Storage]) -> None:
    times = Times()
    events: list[str] = []
    a, b, c = (spread_keeper(s, w, times, events) for s, w in zip(storages, "abc", strict=True))
    await rounds([a, b, c], times, 6)
    lost = [n for n, w in (await holders(storages[0])).items() if w == "c"]
    assert lost
    # c dies (SIGKILL: nothing released). Within ttl + two rounds its leases are taken,
    # each by its preferred survivor.
    await rounds([a, b], times, int(TTL / EVERY) + 2)
    held = await holders(storages[0])
    for name in NAMES:
        assert held[name] == preferred(name, {"a", "b"}), name
