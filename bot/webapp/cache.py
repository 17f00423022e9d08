"""Scores computed once for everyone looking: a short-lived cache with single flight.

A programme's scores read every answer of its events (125,000 for 25 events of 500
respondents: about 0.1 s of SQLite work). When several organisers open it at once, or one
refreshes, computing it again each time would keep the database busy and every other page
waiting. So each bot's dashboard keeps its score reports for ``[webapp] scores_cache_s``
seconds (business time, ``services.clock``), and concurrent requests for the same report
share one computation. Only scores are kept: the counts (invited, yes, present, ...) are read
live on every request, they cost a few index lookups.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 1024


class ScoreCache(Generic[T]):
    def __init__(self, ttl_s: float, now: Callable[[], float]) -> None:
        self.ttl_s = ttl_s
        self._now = now
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[T]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self.ttl_s <= 0:
            return await compute()
        found = self._entries.get(key)
        if found is not None and found[0] > self._now():
            self._entries.move_to_end(key)
            return found[1]
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        task: asyncio.Future[T] = asyncio.ensure_future(compute())
        self._running[key] = task
        try:
            value = await asyncio.shield(task)
        finally:
            if self._running.get(key) is task:
                del self._running[key]
        self._entries[key] = (self._now() + self.ttl_s, value)
        self._entries.move_to_end(key)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)
        return value
