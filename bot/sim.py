"""The bot against the local emulator: used by end-to-end tests, ``make demo`` and benchmarks.

``Simulation`` starts the emulator and the real Application (polling over HTTP), and hands
out :class:`SimUser` objects whose ``send`` / ``press`` return only after the bot has
handled the update and the outbox is drained, so tests read like a conversation and never
sleep.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.clock import FakeClock
from bot.config import Settings, explicit_settings
from bot.emulator import EmulatedUser, Emulator
from bot.pacing import Time
from bot.storage import Storage


class UpdateTracker:
    """Which updates an application has finished handling, so tests, the demo and the
    benches can wait until the bot has really handled what they sent (no sleeps).

    It wraps the application's ``process_update`` from outside: the bot itself carries no
    test machinery. Every finished update id is kept (a simulation is finite)."""

    def __init__(self, app: KvietimasApplication) -> None:
        self.ids: set[int] = set()
        self._finished = asyncio.Condition()
        handle = app.process_update

        async def process_update(update: object) -> None:
            try:
                await handle(update)
            finally:
                if isinstance(update, Update):
                    async with self._finished:
                        self.ids.add(update.update_id)
                        self._finished.notify_all()

        # An attribute on the instance shadows the method: PTB's update loop calls it.
        setattr(app, "process_update", process_update)  # noqa: B010

    async def wait(self, update_id: int, timeout: float = 10.0) -> None:
        """Until the update ``update_id`` has been handled."""
        async with asyncio.timeout(timeout), self._finished:
            await self._finished.wait_for(lambda: update_id in self.ids)


class SimUser:
    def __init__(self, sim: Simulation, user: EmulatedUser) -> None:
        self.sim = sim
        self.tg = user
        self.id = user.id

    async def send(self, text: str) -> None:
        await self.sim.settle(await self.tg.send(text))

    async def press(self, label: str, **kwargs: Any) -> None:
        await self.sim.settle(await self.tg.press(label, **kwargs))

    async def press_data(self, data: str, **kwargs: Any) -> None:
        await self.sim.settle(await self.tg.press_data(data, **kwargs))

    async def send_document(self, filename: str, content: bytes, mime: str) -> None:
        await self.sim.settle(await self.tg.send_document(filename, content, mime))

    @property
    def messages(self) -> list[Any]:
        return self.tg.messages()

    @property
    def last(self) -> Any:
        return self.tg.last()

    @property
    def last_text(self) -> str:
        last = self.tg.last()
        return "" if last is None else str(last.text or "")

    @property
    def last_html(self) -> str:
        """What the bot sent, with its HTML markup (``last_text`` is what the phone shows)."""
        last = self.tg.last()
        return "" if last is None else str(last.raw_text or "")

    def texts(self) -> list[str]:
        return [str(m.text or "") for m in self.tg.messages()]

    def buttons(self) -> list[str]:
        return self.tg.buttons()


class Simulation:
    def __init__(
        self,
        db_path: Path,
        *,
        clock: FakeClock | None = None,
        organisers: tuple[int, ...] = (1000,),
        emulator: Emulator | None = None,
        settings: dict[str, Any] | None = None,
        monotonic: Time | None = None,
        base_settings: Settings | None = None,
    ) -> None:
        """``monotonic`` is the sender's pacing time: a :class:`bot.pacing.VirtualTime`
        (given to the emulator too, as its clock) makes pacing independent of the machine's
        load; None means real time. ``base_settings``: a bot's whole settings (one bot of a
        deployment, bot/tenancy.py) used instead of ``db_path`` and ``organisers``; only
        the Bot API address is the emulator's (its token must be the bot's)."""
        self.db_path = db_path
        self.monotonic = monotonic
        self.clock = clock or FakeClock(datetime.fromisoformat("2027-03-01T09:00:00+02:00"))
        self.emulator = emulator or Emulator()
        self.organisers = organisers
        self.extra_settings = settings or {}
        self.base_settings = base_settings
        self.app: KvietimasApplication | None = None
        self.processed: UpdateTracker | None = None
        self._users: dict[int, SimUser] = {}

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "telegram": {
                "token": self.emulator.token,
                "base_url": self.emulator.base_url,
                "base_file_url": self.emulator.base_file_url,
            },
            "organisers": list(self.organisers),
            "database": {"path": str(self.db_path)},
        }
        if self.base_settings is not None:
            values = self.base_settings.model_dump()
            values["telegram"].update(
                base_url=self.emulator.base_url, base_file_url=self.emulator.base_file_url
            )
        for key, value in self.extra_settings.items():
            if isinstance(value, dict) and isinstance(values.get(key), dict):
                values[key] = {**values[key], **value}
            else:
                values[key] = value
        return explicit_settings(**values)

    async def __aenter__(self) -> Simulation:
        await self.emulator.start()
        await self.start_bot()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_bot()
        await self.emulator.stop()

    async def start_bot(self) -> None:
        # The same order as Application.run_polling, which we cannot use inside a test loop.
        app = build_application(self.settings(), clock=self.clock, monotonic=self.monotonic)
        self.processed = UpdateTracker(app)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=list(ALLOWED_UPDATES)
        )
        await app.start()
        self.app = app

    async def stop_bot(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop_bot()
        await self.start_bot()

    @property
    def db(self) -> Storage:
        """The composed database (``db.events``, ``db.people``, ...; ``db.database`` for
        an ad-hoc check in a test)."""
        assert self.app is not None
        return self.app.services.db

    @property
    def services(self) -> Any:
        assert self.app is not None
        return self.app.services

    def user(
        self, user_id: int, name: str, *, language: str | None = "en", **kwargs: Any
    ) -> SimUser:
        if user_id not in self._users:
            self._users[user_id] = SimUser(
                self, self.emulator.user(user_id, name, language_code=language, **kwargs)
            )
        return self._users[user_id]

    async def tick(self) -> None:
        """Run the scheduler's due work now (after moving the fake clock), then settle."""
        assert self.app is not None
        if self.app.scheduler is not None:
            await self.app.scheduler.run_due()
        await self.settle()

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:
        """Until the bot has handled ``update_id`` (the outbox may still hold its answers)."""
        assert self.processed is not None
        await self.processed.wait(update_id, timeout)

    async def settle(self, update_id: int | None = None, timeout: float = 10.0) -> None:
        """Until the bot has handled ``update_id`` and sent everything due in the outbox."""
        assert self.app is not None
        if update_id is not None:
            await self.wait_processed(update_id, timeout)
        if self.app.email_sender is not None:  # with [email]: what is due is sent too
            await self.app.email_sender.wait_idle()
        if self.app.sender is None:
            return
        await self.app.sender.wait_idle()
        # A message for a chat written to a moment ago waits for the per-chat interval (real
        # time), and retries back off: wait, bounded, until nothing due is left to send.
        async with asyncio.timeout(timeout):
            while await self.app.services.db.outbox.outbox_due_count(self.clock.now()):
                await asyncio.sleep(0.05)
                await self.app.sender.wait_idle()
