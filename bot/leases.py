"""Leases: each background loop of a bot runs in exactly one worker at a time.

Several worker processes may serve the same bots from one database (docs/operations.md,
"Several workers"). Updates can be handled by any of them, but some loops must run once
per bot: the Telegram sender (one token, one pace of 30 messages/s), the scheduler (a
reminder sent once), the poller (Telegram refuses two ``getUpdates`` at once for one
token) and, later, the e-mail sender. Each is a :class:`Component` registered on the
application's :class:`LeaseKeeper` under a name; the keeper runs it only while this
worker holds the lease of that name (``db.leases``, bot/storage/leases.py):

* every ``renew_every`` seconds (2 s) the keeper renews the leases it holds and tries to
  take the others (one statement each); a lease lives ``ttl`` seconds (6 s), so when its
  holder dies (SIGKILL, power loss) another worker takes it over within
  ``ttl + renew_every`` seconds;
* **fencing**: a component is stopped as soon as its lease is lost (someone else holds
  it), and also when it could not be renewed for so long that it may expire before the
  next try (the database unreachable): less than ``renew_every`` seconds of validity
  left, measured on this worker's monotonic clock from *before* the last successful
  renewal was sent;
* a clean stop (SIGTERM) stops the components first and then releases their leases, so
  another worker takes over at its next try instead of waiting for the expiry;
* **spreading the work**: every worker also holds a lease on itself (``worker:<id>``,
  renewed with the others), so each sees which workers are alive. A free lease goes first
  to its *preferred* worker, the live worker with the highest hash of (scope, lease name,
  worker id) (rendezvous hashing; the scope is the bot's namespace), so the bots' senders,
  schedulers and pollers spread over the workers; another worker takes it only after it
  stayed free for ``ttl`` seconds. A holder that is not the preferred worker of its lease
  hands it over (stops, releases) once the preferred worker has been alive for two rounds,
  so a restarted worker gets its share back.

One worker alone simply holds every lease: a single ``python -m bot run`` behaves as
before. The keeper is generic: any loop with ``start()`` and ``stop()`` can be added with
:meth:`LeaseKeeper.add` (the e-mail sender does so). The clocks are injected, so the logic
is tested without sleeping (tests/test_leases.py); real processes are killed in
tests/test_workers_e2e.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock, SystemClock
from bot.models import LeaseRow
from bot.storage.leases import LeaseRepository

log = logging.getLogger(__name__)

LEASE_TTL_S = 6.0  # a lease not renewed for this long may be taken by another worker
RENEW_EVERY_S = 2.0  # held leases are renewed, free ones tried, this often


class Component(Protocol):
    """A background loop that runs while its lease is held."""

    async def start(self) -> object: ...

    async def stop(self) -> None: ...


class Idle:
    """A component that does nothing: a lease held only to say "this worker is alive"."""

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


WORKER_PREFIX = "worker:"


def worker_lease(worker: str) -> str:
    """The name of the lease a live worker holds on itself (its drafts are not orphans)."""
    return f"{WORKER_PREFIX}{worker}"


def preference(scope: str, name: str, worker: str) -> int:
    """Rendezvous hashing: the live worker with the highest value is a lease's preferred."""
    digest = hashlib.blake2b(f"{scope}\x00{name}\x00{worker}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


class Lease:
    """One named lease as one worker sees it."""

    def __init__(
        self,
        repository: LeaseRepository,
        name: str,
        holder: str,
        *,
        ttl: float = LEASE_TTL_S,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.repository = repository
        self.name = name
        self.holder = holder
        self.ttl = ttl
        self.clock: Clock = clock or SystemClock()
        self.monotonic = monotonic
        self.held = False
        self.valid_until = float("-inf")  # monotonic time the lease surely lasts until

    def remaining(self) -> float:
        """Seconds of surely-held validity left (negative: maybe expired)."""
        return self.valid_until - self.monotonic()

    async def acquire(self) -> bool:
        """Take the lease if it is free, expired or ours; True if held afterwards."""
        return await self._ask(self.repository.acquire_lease)

    async def renew(self) -> bool:
        """Extend the lease; False if another worker holds it now (or nobody)."""
        return await self._ask(self.repository.renew_lease)

    async def _ask(self, statement: Callable[..., Awaitable[bool]]) -> bool:
        sent = self.monotonic()
        now = self.clock.now()
        held = await statement(
            self.name, self.holder, now=now, until=now + timedelta(seconds=self.ttl)
        )
        self._after(held, sent)
        return held

    def _after(self, held: bool, sent: float) -> None:
        self.held = held
        # Counted from before the statement left: the database may have applied it at once.
        self.valid_until = sent + self.ttl if held else float("-inf")

    async def release(self) -> None:
        self.held = False
        self.valid_until = float("-inf")
        await self.repository.release_lease(self.name, self.holder)


@dataclass(eq=False)
class _Slot:
    lease: Lease
    factory: Callable[[], Component]
    on_change: Callable[[Component | None], None] | None
    balanced: bool = True  # goes to its preferred live worker first
    component: Component | None = None
    stopping: asyncio.Task[None] | None = None  # a fenced component finishing its stop
    free_since: float | None = None  # monotonic time it was first seen free (not preferred)


class LeaseKeeper:
    """Runs each registered component while this worker holds its lease."""

    def __init__(
        self,
        repository: LeaseRepository,
        holder: str,
        *,
        ttl: float = LEASE_TTL_S,
        renew_every: float = RENEW_EVERY_S,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        scope: str = "",
    ) -> None:
        """``scope`` names what the leases belong to (a bot's namespace), so that the
        leases of different bots are preferred by different workers."""
        if not 0 < renew_every < ttl:
            raise ValueError("leases must be renewed more often than they expire")
        self.repository = repository
        self.holder = holder
        self.scope = scope
        self.ttl = ttl
        self.renew_every = renew_every
        self.clock: Clock = clock or SystemClock()
        self.monotonic = monotonic
        self.sleep = sleep
        self._slots: list[_Slot] = []
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._round = asyncio.Lock()
        self._rows: dict[str, LeaseRow] | None = None  # this round's view of every lease

    def add(
        self,
        name: str,
        factory: Callable[[], Component],
        *,
        on_change: Callable[[Component | None], None] | None = None,
        balanced: bool = True,
    ) -> None:
        """Run a component made by ``factory`` while the lease ``name`` is held; a new one
        each time the lease is taken again. ``on_change`` hears of the running component
        (None once stopped). ``balanced``: the lease goes to its preferred worker first."""
        if any(s.lease.name == name for s in self._slots):
            raise ValueError(f"lease {name!r} is already kept")
        lease = Lease(
            self.repository, name, self.holder, ttl=self.ttl, clock=self.clock,
            monotonic=self.monotonic,
        )  # fmt: skip
        self._slots.append(_Slot(lease, factory, on_change, balanced))

    def add_liveness(self) -> None:
        """Hold ``worker:<id>``: tells the other workers this one is alive (first)."""
        self.add(worker_lease(self.holder), Idle, balanced=False)

    def holds(self, name: str) -> bool:
        return any(s.lease.name == name and s.component is not None for s in self._slots)

    def running(self) -> list[str]:
        """The names of the components running in this worker."""
        return [s.lease.name for s in self._slots if s.component is not None]

    async def start(self) -> None:
        """One round at once (a single worker has its components running on return), then
        a round every ``renew_every`` seconds."""
        self._stopping = False
        await self.tick()
        self._task = asyncio.create_task(self._loop(), name=f"leases-{self.holder}")

    async def stop(self) -> None:
        """Stop the components (the last added first), then release their leases."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        async with self._round:
            mine = worker_lease(self.holder)
            for slot in self._slots:  # not alive any more: nobody hands leases over to us
                if slot.lease.name == mine and slot.lease.held:
                    with contextlib.suppress(Exception):
                        await slot.lease.release()
            for slot in reversed(self._slots):
                await self._stop_component(slot, "stopping")
                if slot.stopping is not None:
                    await slot.stopping
                if slot.lease.held:
                    try:
                        await slot.lease.release()
                    except Exception:  # it expires by itself
                        log.exception("lease %s: could not be released", slot.lease.name)

    async def stop_one(self, name: str) -> None:
        """Stop one component and give its lease up (the poller, before the application
        stops handling updates), leaving the others running."""
        async with self._round:
            for slot in self._slots:
                if slot.lease.name != name:
                    continue
                await self._stop_component(slot, "stopping")
                if slot.stopping is not None:
                    await slot.stopping
                if slot.lease.held:
                    with contextlib.suppress(Exception):
                        await slot.lease.release()
                self._slots.remove(slot)  # not taken again
                return

    async def _loop(self) -> None:
        while not self._stopping:
            await self.sleep(self.renew_every)
            try:
                await self.tick()
            except Exception:  # the keeper must keep going; the next round retries
                log.exception("leases: a round failed")

    async def tick(self) -> None:
        """One round: renew what is held (stopping what is lost, handing over what another
        worker should have), take what is free."""
        async with self._round:
            try:
                self._rows = {r.name: r for r in await self.repository.lease_rows()}
            except Exception:  # tries and renewals below will fail or succeed on their own
                self._rows = None
            for slot in self._slots:
                if self._stopping:
                    return
                if slot.component is not None:
                    await self._renew(slot)
                    if slot.component is not None and slot.balanced:
                        self._maybe_hand_over(slot)
                elif self._may_take(slot):
                    await self._take(slot)

    # -- spreading the leases over the workers ----------------------------------------------

    def _live_workers(self) -> dict[str, LeaseRow]:
        """Workers that renewed their own lease within the last two rounds (and this one)."""
        rows = self._rows or {}
        now = self.clock.now()
        recent = now - timedelta(seconds=2 * self.renew_every)
        live = {
            r.holder: r
            for r in rows.values()
            if r.name.startswith(WORKER_PREFIX) and r.expires_at >= now and r.renewed_at >= recent
        }
        return live

    def _preferred(self, name: str) -> tuple[str, LeaseRow | None]:
        live = self._live_workers()
        candidates = set(live) | {self.holder}
        best = max(candidates, key=lambda w: preference(self.scope, name, w))
        return best, live.get(best)

    def _may_take(self, slot: _Slot) -> bool:
        """Try a free lease now if this worker is its preferred one, or once it has stayed
        free for ``ttl`` seconds (the preferred one does not take it)."""
        if not slot.balanced or self._rows is None:
            return True
        row = self._rows.get(slot.lease.name)
        now = self.clock.now()
        if row is not None and row.holder == self.holder:
            return True  # this worker's own, from before a restart
        if row is not None and row.expires_at >= now:
            slot.free_since = None
            return False  # held by another worker
        if self._preferred(slot.lease.name)[0] == self.holder:
            return True
        mono = self.monotonic()
        if slot.free_since is None:
            slot.free_since = mono
        return mono - slot.free_since >= self.ttl

    def _maybe_hand_over(self, slot: _Slot) -> None:
        """Held here but preferred elsewhere, by a worker alive for two rounds: hand over."""
        if self._rows is None or self._stopping:
            return
        best, row = self._preferred(slot.lease.name)
        if best == self.holder or row is None:
            return
        settled = self.clock.now() - timedelta(seconds=2 * self.renew_every)
        if row.acquired_at > settled:
            return
        component, slot.component = slot.component, None
        if component is None:
            return
        if slot.on_change is not None:
            slot.on_change(None)
        slot.stopping = asyncio.create_task(
            self._hand_over(slot, component, best), name=f"handover-{slot.lease.name}"
        )

    async def _hand_over(self, slot: _Slot, component: Component, to: str) -> None:
        log.info("lease %s: handing it over to worker %s", slot.lease.name, to)
        await self._stopped(slot, component, "stopping")
        try:
            await slot.lease.release()
        except Exception:  # it expires by itself
            log.exception("lease %s: could not be released", slot.lease.name)

    async def _renew(self, slot: _Slot) -> None:
        lease = slot.lease
        try:
            async with asyncio.timeout(max(lease.remaining(), 0.01)):
                if await lease.renew():
                    return
            self._fence(slot, "lost to another worker")
        except Exception as exc:  # the database did not answer (in time): still valid?
            if lease.remaining() >= self.renew_every:
                log.warning("lease %s: not renewed (%r); still valid", lease.name, exc)
                return
            lease.held = False
            self._fence(slot, f"not renewed in time ({exc!r})")

    def _fence(self, slot: _Slot, why: str) -> None:
        """Stop a component whose lease is lost, without holding up the other leases'
        renewals (the sender finishes its sends in flight); it is not started again here
        before that stop is over."""
        component, slot.component = slot.component, None
        if component is None:
            return
        if slot.on_change is not None:
            slot.on_change(None)
        slot.stopping = asyncio.create_task(
            self._stopped(slot, component, why), name=f"fence-{slot.lease.name}"
        )

    async def _take(self, slot: _Slot) -> None:
        lease = slot.lease
        if slot.stopping is not None:
            if not slot.stopping.done():
                return  # the last one is still stopping
            slot.stopping = None
        try:
            if not await lease.acquire():
                return
        except Exception:
            log.exception("lease %s: could not be tried", lease.name)
            return
        component = slot.factory()
        try:
            await component.start()
        except Exception:
            log.exception("lease %s: the component did not start; lease given up", lease.name)
            with contextlib.suppress(Exception):
                await component.stop()
            with contextlib.suppress(Exception):
                await lease.release()
            return
        slot.component = component
        if slot.on_change is not None:
            slot.on_change(component)
        # The worker's own lease is not news; a loop starting here is.
        level = logging.DEBUG if not slot.balanced else logging.INFO
        log.log(level, "lease %s taken by worker %s", lease.name, self.holder)

    async def _stop_component(self, slot: _Slot, why: str) -> None:
        component, slot.component = slot.component, None
        if component is None:
            return
        if slot.on_change is not None:
            slot.on_change(None)
        await self._stopped(slot, component, why)

    async def _stopped(self, slot: _Slot, component: Component, why: str) -> None:
        if why != "stopping":
            log.warning("lease %s: %s; stopping it in worker %s", slot.lease.name, why, self.holder)
        try:
            await component.stop()
        except Exception:
            log.exception("lease %s: the component did not stop cleanly", slot.lease.name)
