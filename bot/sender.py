"""The one sender: drains the outbox at Telegram's pace and records every outcome.

Pacing is ours rather than PTB's AIORateLimiter (see docs/architecture.md): messages start
at most ``rate_per_second`` apart, evenly spaced (no catch-up bursts after a stall), and no
chat gets two messages closer than ``per_chat_interval_s``. A 429 pauses *all* sending for
``retry_after`` and slows the pace; 5xx and timeouts are retried with backoff and jitter;
403 and "chat not found" mark the participant unreachable so later campaigns skip them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.messages import OutgoingMessage
from bot.services import Services
from bot.storage import OutboxRow

log = logging.getLogger(__name__)

# Errors after which a chat will not accept messages until the user writes again.
_UNREACHABLE_MARKERS = (
    "blocked",
    "deactivated",
    "kicked",
    "chat not found",
    "user not found",
    "bot can't initiate",
    "peer_id_invalid",
)


def to_markup(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in message.buttons
        ]
    )


class Sender:
    def __init__(
        self,
        bot: Bot,
        services: Services,
        *,
        on_progress: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.bot = bot
        self.services = services
        settings = services.settings.broadcast
        self.rate = settings.rate_per_second
        self.interval = 1.0 / self.rate
        self.per_chat = settings.per_chat_interval_s
        self.max_attempts = settings.max_attempts
        self.paid = settings.allow_paid_broadcast
        self.on_progress = on_progress
        self._wake = asyncio.Event()
        self._empty_looks = 0
        self._looked = asyncio.Condition()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._last_in_chat: dict[int, float] = {}
        self._slowdown = 1.0  # >1 after a 429: spaces messages further apart for a while
        self.max_in_flight = 32
        self._slots = asyncio.Semaphore(self.max_in_flight)

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        recovered = await self.services.storage.recover_in_flight(self.services.clock.now())
        if recovered:
            log.warning("outbox: %d messages were in flight at the last stop; resending", recovered)
        self.services.wake_sender = self.wake
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the sends in flight, then stop (SIGTERM path)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Until a whole look at the outbox, begun after this call, found nothing due and
        nothing was in flight (tests, demo). Two empty looks: one may already be under way."""
        target = self._empty_looks + 2
        async with asyncio.timeout(timeout):
            while self._empty_looks < target and self._task is not None and not self._task.done():
                self._wake.set()
                async with self._looked:
                    await self._looked.wait()

    # -- the loop -------------------------------------------------------------------------

    async def _run(self) -> None:
        storage, clock = self.services.storage, self.services.clock
        while not self._stopping:
            self._wake.clear()
            try:
                rows = await storage.claim_due(clock.now(), limit=self.max_in_flight)
            except Exception:  # a broken database must not kill the sender loop
                log.exception("outbox: cannot read due messages")
                rows = []
            if not rows:
                async with self._looked:
                    if not self._in_flight:
                        self._empty_looks += 1
                    self._looked.notify_all()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                continue
            for index, row in enumerate(rows):
                if self._stopping:
                    await storage.release_outbox([r.id for r in rows[index:]], now=clock.now())
                    break
                await self._slots.acquire()
                await self._pace(row.chat_id)
                task = asyncio.create_task(self._deliver(row))
                self._in_flight.add(task)
                task.add_done_callback(self._done)
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        async with self._looked:
            self._looked.notify_all()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._slots.release()
        if not self._in_flight and not self._wake.is_set():
            self._wake.set()  # look for more work right away

    async def _pace(self, chat_id: int) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self._next_slot, self._paused_until)
        last = self._last_in_chat.get(chat_id)
        if last is not None:
            start = max(start, last + self.per_chat)
        if start > now:
            await asyncio.sleep(start - now)
        now = loop.time()
        # Spaced from *now*: after a stall we do not burst to catch up.
        self._next_slot = now + self.interval * self._slowdown
        self._slowdown = max(1.0, self._slowdown * 0.98)
        self._last_in_chat[chat_id] = now
        if len(self._last_in_chat) > 5000:
            cutoff = now - self.per_chat
            self._last_in_chat = {c: t for c, t in self._last_in_chat.items() if t > cutoff}

    async def _deliver(self, row: OutboxRow) -> None:
        storage, clock = self.services.storage, self.services.clock
        try:
            message = OutgoingMessage.from_json(row.payload)
        except (ValueError, KeyError):
            log.error("outbox %d: unreadable payload", row.id)
            await storage.finish_outbox(row.id, "failed", now=clock.now(), error="bad payload")
            return
        attempt = row.attempts
        forbidden_seen = False
        while True:
            try:
                sent = await self.bot.send_message(
                    chat_id=row.chat_id,
                    text=message.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=to_markup(message),
                    link_preview_options=LinkPreviewOptions(is_disabled=message.disable_preview),
                    allow_paid_broadcast=self.paid or None,
                )
            except RetryAfter as exc:
                delay = _seconds(exc.retry_after)
                loop = asyncio.get_running_loop()
                self._paused_until = max(self._paused_until, loop.time() + delay)
                self._slowdown = min(self._slowdown * 1.25, 4.0)
                log.warning("outbox: 429, pausing all sends for %.1f s", delay)
                await asyncio.sleep(delay)
                continue  # a 429 is not the message's fault: no attempt spent
            except Forbidden as exc:
                reason = str(exc)
                if "can't send messages" in reason and not forbidden_seen:
                    forbidden_seen = True  # sometimes transient: one more try later
                    await asyncio.sleep(1.0)
                    continue
                await self._unreachable(row, reason)
                return
            except BadRequest as exc:
                reason = str(exc)
                if any(m in reason.lower() for m in _UNREACHABLE_MARKERS):
                    await self._unreachable(row, reason)
                else:
                    log.error("outbox %d: rejected: %s", row.id, reason)
                    await storage.finish_outbox(
                        row.id, "failed", now=clock.now(), error=reason[:300]
                    )
                return
            except (TimedOut, NetworkError, TelegramError) as exc:
                attempt += 1
                if attempt >= self.max_attempts:
                    log.error("outbox %d: giving up after %d attempts: %s", row.id, attempt, exc)
                    await storage.finish_outbox(
                        row.id, "failed", now=clock.now(), error=str(exc)[:300]
                    )
                    return
                await asyncio.sleep(_backoff(attempt))
                continue
            await storage.finish_outbox(row.id, "sent", now=clock.now(), message_id=sent.message_id)
            if row.campaign_id is not None and self.on_progress is not None:
                await self.on_progress(row.campaign_id)
            return

    async def _unreachable(self, row: OutboxRow, reason: str) -> None:
        storage, now = self.services.storage, self.services.clock.now()
        log.info("outbox %d: chat %d unreachable: %s", row.id, row.chat_id, reason)
        await storage.finish_outbox(row.id, "unreachable", now=now, error=reason[:300])
        await storage.mark_unreachable(row.chat_id, now)


def _seconds(value: object) -> float:
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)  # type: ignore[arg-type]


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... capped at 30 s."""
    return random.uniform(0, min(30.0, 0.5 * 2 ** (attempt - 1))) + 0.1
