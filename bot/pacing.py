"""The sender's pace, on a monotonic clock that is a dependency.

:class:`Pacer` decides when the next send may start; it never reads the time itself but
asks the clock it was given, and waits with the sleep function it was given. Production
uses :class:`SystemTime` (the event loop's monotonic clock); tests use
:class:`VirtualTime`, where a second passes only when every part of the sender is waiting
for time, so a loaded machine cannot change what a test sees.

The rules (see docs/broadcast.md):

* sends start on an even schedule ``(1 + headroom) / rate`` apart; a send that started late
  lets the next one start up to half an interval early, never more, so a stall is never
  followed by a catch-up burst;
* never more than ``K = floor(rate)`` starts in any ``K`` intervals (a sliding window like
  Telegram's, a little longer);
* one chat gets messages at most every ``per_chat_interval_s * (1 + headroom)``;
* a 429 pauses all sending for ``retry_after`` and slows the pace: by a fifth for a while,
  by 1% for good (at most 10%).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

Monotonic = Callable[[], float]


class Sleep(Protocol):
    def __call__(self, seconds: float, wake: asyncio.Event | None = None, /) -> Awaitable[None]:
        """Wait ``seconds``, or less if ``wake`` is (or becomes) set."""
        ...


class Time(Protocol):
    """What the sender needs of time: a monotonic clock, a sleep, and a way to say that a
    task of its own is working (``enter``/``leave``) or waits on the others (``blocked``)."""

    def now(self) -> float: ...

    def sleep(self, seconds: float, wake: asyncio.Event | None = None, /) -> Awaitable[None]: ...

    def enter(self) -> None: ...

    def leave(self) -> None: ...

    def blocked(self) -> contextlib.AbstractContextManager[None]: ...


class SystemTime:
    """Real time: the running loop's monotonic clock and real sleeps."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float, wake: asyncio.Event | None = None, /) -> None:
        if wake is None:
            await asyncio.sleep(max(seconds, 0.0))
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=max(seconds, 0.0))

    def enter(self) -> None:
        pass

    def leave(self) -> None:
        pass

    def blocked(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


@dataclass(order=True)
class _Sleeper:
    deadline: float
    seq: int
    future: asyncio.Future[None] = field(compare=False)


class VirtualTime:
    """Time for tests: it moves only by :meth:`advance`, or (``autojump=True``) by itself
    to the next deadline as soon as every task that takes part (``enter``/``leave``) is
    asleep: no request in flight, no database work under way. So the emulator, given
    :meth:`now` as its clock, sees exactly the start times the pacer chose."""

    def __init__(self, start: float = 1000.0, *, autojump: bool = True) -> None:
        self._now = start
        self.autojump = autojump
        self._running = 0
        self._sleepers: list[_Sleeper] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    @property
    def sleeping(self) -> int:
        """How many tasks wait for time (tests wait for a delivery to be in its backoff)."""
        return sum(1 for s in self._sleepers if not s.future.done())

    def enter(self) -> None:
        self._running += 1

    def leave(self) -> None:
        self._running -= 1
        self._maybe_jump()

    @contextlib.contextmanager
    def blocked(self) -> Iterator[None]:
        self.leave()
        try:
            yield
        finally:
            self.enter()

    async def sleep(self, seconds: float, wake: asyncio.Event | None = None, /) -> None:
        if wake is not None and wake.is_set():
            return
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        sleeper = _Sleeper(self._now + seconds, next(self._seq), asyncio.Future())
        heapq.heappush(self._sleepers, sleeper)
        self._running -= 1
        waiter = None if wake is None else asyncio.ensure_future(wake.wait())
        try:
            self._maybe_jump()
            if waiter is None:
                await asyncio.shield(sleeper.future)
            else:
                either: set[asyncio.Future[Any]] = {sleeper.future, waiter}
                await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if waiter is not None:
                waiter.cancel()
            if not sleeper.future.done():  # woken early (or cancelled): it runs again
                sleeper.future.cancel()
                self._running += 1
            # else: the jump that resolved it counted it as running already

    def advance(self, seconds: float) -> None:
        """Move time on by hand, waking every sleeper whose deadline has come."""
        self._now += seconds
        self._wake_due()

    def _maybe_jump(self) -> None:
        if not self.autojump or self._running > 0:
            return
        self._drop_cancelled()
        if self._sleepers:
            self._now = max(self._now, self._sleepers[0].deadline)
            self._wake_due()

    def _drop_cancelled(self) -> None:
        while self._sleepers and self._sleepers[0].future.done():
            heapq.heappop(self._sleepers)

    def _wake_due(self) -> None:
        while self._sleepers and self._sleepers[0].deadline <= self._now:
            sleeper = heapq.heappop(self._sleepers)
            if not sleeper.future.done():
                sleeper.future.set_result(None)
                self._running += 1


class Mark:
    """When one send started (moved later if its request left late)."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


class Pacer:
    """When may the next message start? A schedule, a sliding window and per-chat turns.

    ``clock`` is a monotonic clock (seconds); ``sleep`` waits on it. Nothing here reads the
    real time, so the pace can be tested on a fake clock without waiting.
    """

    def __init__(
        self,
        *,
        rate_per_second: float,
        headroom: float,
        per_chat_interval_s: float,
        clock: Monotonic,
        sleep: Sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self.rate = rate_per_second
        self.interval = (1.0 + headroom) / rate_per_second
        self.window = max(1, int(rate_per_second))  # at most this many starts per window
        self.per_chat = per_chat_interval_s * (1.0 + headroom)
        self.clock = clock
        self._sleep = sleep
        self._starts: deque[Mark] = deque(maxlen=self.window)
        self._schedule = float("-inf")  # when the next send is due on an even schedule
        self._paused_until = float("-inf")
        self._chat_ready: dict[int, float] = {}
        # After a 429 messages are spaced further apart for a while (_slowdown, decaying), and
        # a little further for good (_settled, at most 1.1): the path to Telegram has more
        # jitter than the headroom allowed for.
        self._slowdown = 1.0
        self._settled = 1.0

    def now(self) -> float:
        return self.clock()

    def earliest(self, now: float | None = None) -> float:
        """The earliest moment the next send may start (``now`` if it may start at once)."""
        now = self.clock() if now is None else now
        interval = self.interval * self._slowdown
        # On schedule (a send that is late lets the next one start up to half an interval
        # early, never more: no bursts after a stall), and never more than `window` starts
        # in `window` intervals.
        start = max(now, self._paused_until, self._schedule - interval * 0.5)
        if len(self._starts) >= self.window:
            start = max(start, self._starts[0].at + self.window * interval)
        return start

    def chat_ready_at(self, chat_id: int) -> float:
        return self._chat_ready.get(chat_id, float("-inf"))

    def waiting_chats(self, now: float | None = None) -> list[int]:
        now = self.clock() if now is None else now
        return [c for c, t in self._chat_ready.items() if t > now]

    def take(self, chat_id: int | None = None, at: float | None = None) -> Mark:
        """Record a start at ``at`` (now): the next slot of the schedule, of the window and,
        with ``chat_id``, of that chat."""
        at = self.clock() if at is None else at
        mark = Mark(at)
        self._starts.append(mark)
        self._schedule = max(self._schedule, at) + self.interval * self._slowdown
        self._slowdown = max(self._settled, self._slowdown * 0.99)
        if chat_id is not None:
            self._chat_ready[chat_id] = at + self.per_chat
            if len(self._chat_ready) > max(64, 2 * self.rate * self.per_chat):
                self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > at}
        return mark

    def sent(self, mark: Mark) -> None:
        """The request leaves now: if the loop was busy since the slot was taken, the
        window must count it from now, or the sends after it could crowd it at Telegram."""
        mark.at = max(mark.at, self.clock())

    def throttled(self, retry_after: float) -> None:
        """A 429: pause everything for ``retry_after`` and slow down."""
        self._paused_until = max(self._paused_until, self.clock() + retry_after)
        self._settled = min(self._settled + 0.01, 1.1)
        self._slowdown = min(max(self._slowdown, self._settled) * 1.2, 4.0)

    async def acquire(self, cancel: asyncio.Event | None = None) -> Mark | None:
        """Wait for the next slot and take it (a retry); None if ``cancel`` was set."""
        while cancel is None or not cancel.is_set():
            now = self.clock()
            start = self.earliest(now)
            if start <= now:
                return self.take(at=now)
            await self._sleep(start - now, cancel)
        return None
