"""The dashboard's own read connections, so its pages neither wait behind the bot's work nor
hold the bot up.

The bot has one connection (one lock): a programme page of 125,000 answers would otherwise
keep every RSVP press and every other page waiting while it reads. Each bot's dashboard opens
``[webapp] readers`` more storages on the same namespace (``storage_for``: a SQLite file in
WAL mode lets readers run beside the writer; on PostgreSQL they are more sessions), at the
first page asked. With two or more, the first is kept for the heavy pages (a programme,
a comparison) and the others take the light ones (an event, the overview), each to the
least busy: a programme page never makes an event page wait. SQLite runs a query without
holding Python's GIL, so pages really run side by side. With 0 (or an in-memory database)
pages read through the bot's own connection.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.services import Services
from bot.storage import Storage, storage_for


class Readers:
    def __init__(self, services: Services) -> None:
        self.base = services
        count = services.settings.webapp.readers
        self.count = 0 if str(services.settings.database.path) == ":memory:" else count
        self._pool: list[Services] = []
        self._busy: list[int] = []
        self._opening = asyncio.Lock()

    async def _open(self) -> None:
        async with self._opening:
            if self._pool:
                return
            storages: list[Storage] = []
            try:
                for _ in range(self.count):
                    storage = storage_for(self.base.settings)
                    await storage.open()
                    storages.append(storage)
            except BaseException:
                for storage in storages:
                    await storage.close()
                raise
            self._pool = [dataclasses.replace(self.base, db=s) for s in storages]
            self._busy = [0] * len(storages)

    @asynccontextmanager
    async def services(self, *, heavy: bool = False) -> AsyncIterator[Services]:
        """The bot's services reading through a read connection: the heavy pages' own, or
        the least busy of the others."""
        if self.count == 0:
            yield self.base
            return
        if not self._pool:
            await self._open()
        if len(self._pool) == 1 or heavy:
            index = 0
        else:
            index = min(range(1, len(self._pool)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            yield self._pool[index]
        finally:
            self._busy[index] -= 1

    async def close(self) -> None:
        pool, self._pool, self._busy = self._pool, [], []
        for services in pool:
            await services.db.close()
