"""The one sender: drains the outbox at Telegram's pace and records every outcome.

Pacing is ours rather than PTB's AIORateLimiter (see docs/broadcast.md): a
:class:`bot.pacing.Pacer` on an injected monotonic clock (:class:`bot.pacing.SystemTime` in
production, :class:`bot.pacing.VirtualTime` in tests) decides when each send may start.

* Rows are claimed (marked ``sending``) only about 0.1 s of sending ahead, so a crash leaves
  few rows in flight: those are sent again at start-up and counted as possible duplicates.
* With several workers (docs/operations.md), one sender per bot runs, in the worker holding
  the bot's ``sender`` lease (bot/leases.py). A row is claimed *by this worker until a
  moment* that the sender extends every :data:`CLAIM_RENEW_S` while it sends; the sender
  also takes back rows whose claim expired (a worker that died mid-send), so recovery
  never touches a row a live worker is sending. Outcomes are recorded only for rows still
  claimed by this worker.
* One chat gets messages in order; a chat waiting for its turn never holds up the others.
* Before every attempt, the first and each retry, the row is read again: a row cancelled
  meanwhile (the person was forgotten or opted out) is not sent, and a row of a campaign
  stopped meanwhile goes back, held.
* A 429 pauses *all* sending for ``retry_after`` and slows the pace; 5xx and time-outs are
  retried with backoff and jitter (a time-out after the request went out may have
  delivered it: counted as a possible duplicate); 403 and "chat not found" mark the
  participant unreachable, so later campaigns skip them.

:class:`bot.broadcast.ProgressReporter` keeps each campaign's live progress message up to date
(edited at most every ``progress_interval_s``) and queues the final report; the sender runs it
and lends it :meth:`Sender.edit_progress`, the one Telegram call it needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.broadcast import ProgressReporter
from bot.handlers.markup import keyboard_json, to_markup
from bot.messages import Attachment, OutgoingMessage
from bot.models import OutboxRow, Outcome, Recheck
from bot.pacing import Mark, Pacer, SystemTime, Time
from bot.services import Services
from bot.storage.database import to_db

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
# Network errors that happen before the request reaches Telegram: a retry cannot duplicate.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
CLAIM_AHEAD_S = 0.1  # rows are claimed this much sending time ahead
CLAIM_TTL_S = 6.0  # a claim not extended for this long is taken back (its worker died)
CLAIM_RENEW_S = 2.0  # claims are extended, and expired ones taken back, this often
_TIMEOUTS = ("read_timeout", "write_timeout", "connect_timeout", "pool_timeout")

# Documents made at send time: Attachment.kind -> renderer (bytes, or None when the thing
# is gone). Declared by the feature that queues them on the application's routes
# (certificates: bot/handlers/documents.py) and given to the sender.
AttachmentRenderer = Callable[[Services, str], Awaitable[bytes | None]]


def may_have_been_sent(exc: TelegramError) -> bool:
    """A time-out or dropped connection after the request left: Telegram may have it."""
    cause = exc.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, _NOT_SENT)


class Sender:
    def __init__(
        self,
        bot: Bot,
        services: Services,
        *,
        on_progress: Callable[[int], Awaitable[None]] | None = None,
        time: Time | None = None,
        attachments: Mapping[str, AttachmentRenderer] | None = None,
        worker: str = "main",
        discard_own_drafts: bool = True,
    ) -> None:
        """``worker`` names this process among the workers sharing the database; with
        ``discard_own_drafts`` (the first start in a process) its own drafts count as a
        previous life's."""
        self.bot = bot
        self.services = services
        self.worker = worker
        self.discard_own_drafts = discard_own_drafts
        self.attachments: Mapping[str, AttachmentRenderer] = attachments or {}
        settings = services.settings.broadcast
        self.time: Time = time or SystemTime()
        self.pacer = Pacer(
            rate_per_second=settings.rate_per_second,
            headroom=settings.headroom,
            per_chat_interval_s=settings.per_chat_interval_s,
            clock=self.time.now,
            sleep=self.time.sleep,
        )
        self.rate = settings.rate_per_second
        self.per_chat = self.pacer.per_chat
        self.max_attempts = settings.max_attempts
        self.timeout = settings.send_timeout_s
        self.paid = settings.allow_paid_broadcast
        self.claim_size = max(1, min(100, round(self.rate * CLAIM_AHEAD_S)))
        self.max_in_flight = 8  # PTB's connection pool is shared with the handlers
        self.on_progress = on_progress
        self.reporter = ProgressReporter(services, self.edit_progress)
        self.http_429 = 0
        self._wake = asyncio.Event()
        self._stop_event = asyncio.Event()
        self._empty_looks = 0
        self._looked = asyncio.Condition()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._report_task: asyncio.Task[None] | None = None
        self._claims_task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._busy_chats: set[int] = set()
        self._queue_empty = True

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        # Rows of this worker's previous life, and of workers whose claims expired. A row a
        # live worker is still sending is left alone; it is taken back later if its claim
        # expires (_claims_loop).
        recovered = await self.services.db.outbox.recover_claims(
            self.worker, self.services.clock.now(), own=True
        )
        if recovered:
            log.warning("outbox: %d messages were in flight at the last stop; resending", recovered)
        await self.reporter.discard_drafts(worker=self.worker, own=self.discard_own_drafts)
        self.services.wake_sender = self.wake
        self._task = asyncio.create_task(self._run(), name="outbox-sender")
        self._report_task = asyncio.create_task(self._report_loop(), name="campaign-progress")
        self._claims_task = asyncio.create_task(self._claims_loop(), name="outbox-claims")

    async def stop(self) -> None:
        """Finish the sends in flight, then stop (SIGTERM path)."""
        self._stopping = True
        self._stop_event.set()
        self._wake.set()
        # The report ends after the look it is in (a report is never half); a task that
        # died (a crash simulated by cancelling it) is not waited for twice.
        for task in (self._report_task, self._task):
            if task is not None:
                await asyncio.gather(task, return_exceptions=True)
        self._report_task = self._task = None
        if self._claims_task is not None:  # after the sends in flight: their claims held
            self._claims_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._claims_task
            self._claims_task = None

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
        self.time.enter()
        try:
            await self._loop()
        finally:
            self.time.leave()

    async def _loop(self) -> None:
        storage, clock, pacer = self.services.db, self.services.clock, self.pacer
        queue: deque[OutboxRow] = deque()  # claimed, not started yet
        waiting: list[int] = []
        while not self._stopping:
            woken = self._wake.is_set()
            self._wake.clear()
            if woken and queue:
                await self._drop_stopped(queue)
            if len(queue) <= self.claim_size // 2:  # refill in small batches
                waiting = pacer.waiting_chats()
                exclude = {r.chat_id for r in queue} | self._busy_chats | set(waiting)
                try:
                    now_ = clock.now()
                    queue.extend(
                        await storage.outbox.claim_due_for(
                            self.worker,
                            now_,
                            limit=self.claim_size - len(queue),
                            until=now_ + timedelta(seconds=CLAIM_TTL_S),
                            exclude_chats=exclude,
                        )
                    )
                except Exception:  # a broken database must not kill the sender loop
                    log.exception("outbox: cannot read due messages")
            self._queue_empty = not queue
            if not queue:
                if waiting and await self._due_later(waiting):
                    continue  # due rows wait for their chats' turn: not idle
                await self._idle()
                continue
            now = pacer.now()
            row = next(
                (
                    r
                    for r in queue
                    if r.chat_id not in self._busy_chats and pacer.chat_ready_at(r.chat_id) <= now
                ),
                None,
            )
            if row is None:  # every claimed row waits for its chat
                ready = [max(pacer.chat_ready_at(r.chat_id), now) for r in queue]
                await self._wait(min(max(min(ready) - now, 0.01), 0.5))
                continue
            start = pacer.earliest(now)
            if start > now:
                await self._wait(start - now)
                continue  # look again: a stop, a new row, a retry may have come meanwhile
            if self._slots.locked():  # as many in flight as the connection pool allows
                with self.time.blocked():
                    await self._slots.acquire()
                self._slots.release()
                continue
            await self._slots.acquire()
            queue.remove(row)
            mark = pacer.take(row.chat_id, now)
            self._busy_chats.add(row.chat_id)
            self.time.enter()  # the delivery takes part from now (it leaves when done)
            task = asyncio.create_task(self._deliver(row, mark))
            self._in_flight.add(task)
            task.add_done_callback(self._done)
        if queue:
            await storage.outbox.release_claimed(
                [r.id for r in queue], worker=self.worker, now=clock.now()
            )
        if self._in_flight:
            with self.time.blocked():
                await asyncio.gather(*self._in_flight, return_exceptions=True)
        async with self._looked:
            self._looked.notify_all()

    async def _idle(self) -> None:
        if not self._in_flight:
            try:
                if await self.reporter.on_idle():
                    return  # a report was queued: look again at once
            except Exception:
                log.exception("campaign reports failed")
            async with self._looked:
                self._empty_looks += 1
                self._looked.notify_all()
        with self.time.blocked(), contextlib.suppress(TimeoutError):
            # Real time: idle is not pacing (a test's virtual time must not spin here).
            await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    async def _due_later(self, waiting: list[int]) -> bool:
        """Is something due that only waits for a chat's turn? Then sleep until the first
        of those chats may get a message again."""
        due = await self.services.db.outbox.next_due_at()
        if due is None or due > str(to_db(self.services.clock.now())):
            return False
        now = self.pacer.now()
        first = min((max(self.pacer.chat_ready_at(c), now) for c in waiting), default=now)
        await self._wait(min(max(first - now, 0.01), self.per_chat or 0.01))
        return True

    async def _wait(self, seconds: float) -> None:
        """Sleep, but wake early for new work or a stop."""
        await self.time.sleep(seconds, self._wake)

    async def _drop_stopped(self, queue: deque[OutboxRow]) -> None:
        """Claimed rows of a campaign stopped meanwhile go back (held) instead of out."""
        campaigns = {r.campaign_id for r in queue if r.campaign_id is not None}
        if not campaigns:
            return
        running = set(await self.services.db.campaigns.running_campaigns())
        stopped = [r for r in queue if r.campaign_id is not None and r.campaign_id not in running]
        if stopped:
            for r in stopped:
                queue.remove(r)
            await self.services.db.outbox.release_claimed(
                [r.id for r in stopped], worker=self.worker, now=self.services.clock.now()
            )

    async def _retry_slot(self) -> Mark | None:
        """Wait for a slot to send again (retries are paced like everything else); None if
        the sender is stopping."""
        mark = await self.pacer.acquire(self._stop_event)
        return None if self._stopping else mark

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._slots.release()
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox: delivery crashed: %r", task.exception())
        if not self._in_flight and self._queue_empty and not self._wake.is_set():
            self._wake.set()  # idle now: look for more work (and count an empty look) at once

    # -- one message ----------------------------------------------------------------------

    async def _deliver(self, row: OutboxRow, mark: Mark) -> None:
        try:
            await self._deliver_one(row, mark)
        finally:
            self.time.leave()

    async def _deliver_one(self, row: OutboxRow, mark: Mark) -> None:
        try:
            outcome = await self._send(row, mark)
        finally:
            self._busy_chats.discard(row.chat_id)
        storage, clock = self.services.db, self.services.clock
        if outcome is None:  # stopping, or its campaign stopped: back to pending
            await storage.outbox.release_claimed([row.id], worker=self.worker, now=clock.now())
            return
        await storage.outbox.finish_claimed([outcome], worker=self.worker, now=clock.now())
        if outcome.status == "unreachable":
            await storage.people.mark_unreachable(row.chat_id, clock.now())
        if row.campaign_id is not None:
            self.reporter.touch(row.campaign_id)
            if self.on_progress is not None:
                await self.on_progress(row.campaign_id)

    async def _still_wanted(self, row: OutboxRow) -> Outcome | bool:
        """Read the row again before an attempt: True to send; False if its campaign was
        stopped (the row goes back, held); a 'cancelled' outcome if the person was forgotten
        or opted out, or the row was cancelled meanwhile."""
        verdict = await self.services.db.outbox.outbox_recheck(row.id)
        if verdict is Recheck.SEND:
            return True
        if verdict is Recheck.HOLD:
            log.info("outbox %d: its campaign was stopped; not sent", row.id)
            return False
        log.info("outbox %d: cancelled before an attempt (%s)", row.id, verdict.value)
        return Outcome(row.id, "cancelled", error=verdict.value)

    async def _send(self, row: OutboxRow, mark: Mark) -> Outcome | None:
        try:
            message = OutgoingMessage.from_json(row.payload)
        except (ValueError, KeyError, TypeError):
            log.error("outbox %d: unreadable payload", row.id)
            return Outcome(row.id, "failed", error="bad payload")
        if not message.text:
            return Outcome(row.id, "failed", error="empty message")
        send: Callable[..., Awaitable[int]] = self._send_text
        if message.document is not None:
            content = await self._attachment(row, message.document)
            if content is None:
                return Outcome(row.id, "failed", error="attachment unavailable")
            send = functools.partial(self._send_document, content, message.document.filename)
        tries = row.attempts + 1  # this one included (the claim counted it)
        forbidden_seen = False
        chat_id = row.chat_id
        slot: Mark | None = mark
        while True:
            if slot is None:  # a retry takes a paced slot like everything else
                slot = await self._retry_slot()
                if slot is None:
                    return None
            wanted = await self._still_wanted(row)
            if isinstance(wanted, Outcome):
                return wanted
            if not wanted:
                return None  # back to pending, held with its stopped campaign
            self.pacer.sent(slot)  # the request leaves now: the window counts it from now
            slot = None
            try:
                sent_id = await send(
                    chat_id=chat_id,
                    text=message.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard_json(message),
                    link_preview_options=LinkPreviewOptions(is_disabled=message.disable_preview),
                    allow_paid_broadcast=self.paid or None,
                    read_timeout=self.timeout,
                    write_timeout=self.timeout,
                    connect_timeout=self.timeout,
                    pool_timeout=self.timeout,
                )
            except RetryAfter as exc:
                # Not the message's fault: no attempt spent, all sending pauses and slows.
                delay = _seconds(exc.retry_after)
                self.http_429 += 1
                self.pacer.throttled(delay)
                log.warning("outbox: 429, pausing all sends for %.1f s", delay)
                continue
            except Forbidden as exc:
                reason = str(exc)
                if "can't send messages" in reason and not forbidden_seen:
                    forbidden_seen = True  # sometimes transient: one more try later
                    if not await self._sleep(1.0):
                        return None
                    tries += 1
                    continue
                log.info("outbox %d: chat %d unreachable: %s", row.id, chat_id, reason)
                return Outcome(row.id, "unreachable", error=reason[:300], attempts=tries)
            except ChatMigrated as exc:  # a group became a supergroup: same chat, new id
                chat_id = int(exc.new_chat_id)
                continue
            except BadRequest as exc:
                reason = str(exc)
                if any(m in reason.lower() for m in _UNREACHABLE_MARKERS):
                    log.info("outbox %d: chat %d unreachable: %s", row.id, chat_id, reason)
                    return Outcome(row.id, "unreachable", error=reason[:300], attempts=tries)
                log.error("outbox %d: rejected: %s", row.id, reason)
                return Outcome(row.id, "failed", error=reason[:300], attempts=tries)
            except (TimedOut, NetworkError, TelegramError) as exc:
                if tries >= self.max_attempts:
                    log.error("outbox %d: giving up after %d attempts: %s", row.id, tries, exc)
                    return Outcome(row.id, "failed", error=str(exc)[:300], attempts=tries)
                if may_have_been_sent(exc) and row.campaign_id is not None:
                    # Telegram may have delivered it: the retry may be a duplicate.
                    await self.services.db.campaigns.add_possible_duplicates(row.campaign_id)
                log.info("outbox %d: attempt %d failed (%s); retrying", row.id, tries, exc)
                if not await self._sleep(_backoff(tries)):
                    return None
                tries += 1
                continue
            return Outcome(row.id, "sent", message_id=sent_id, attempts=tries)

    async def _attachment(self, row: OutboxRow, document: Attachment) -> bytes | None:
        renderer = self.attachments.get(document.kind)
        try:
            return None if renderer is None else await renderer(self.services, document.ref)
        except Exception:
            log.exception("outbox %d: cannot make the %s attachment", row.id, document.kind)
            return None

    async def _send_text(self, **kwargs: Any) -> int:
        """``send_message`` with these arguments; the id of the message sent.

        Only the id is read from Telegram's answer: PTB would build a whole Message from it
        (entities, keyboard), which costs about as much CPU as the request itself."""
        timeouts = {key: kwargs.pop(key) for key in _TIMEOUTS if key in kwargs}
        # Bot._post is what send_message calls once it has its parameters (None values are
        # dropped there); errors are raised exactly as from send_message.
        result = await self.bot._post("sendMessage", kwargs, **timeouts)
        return int(result["message_id"])

    async def _send_document(
        self, content: bytes, filename: str, *, text: str, **kwargs: Any
    ) -> int:
        """``send_message``'s arguments, sent as a document with the text as its caption."""
        kwargs.pop("link_preview_options", None)
        markup = kwargs.pop("reply_markup", None)
        sent = await self.bot.send_document(
            document=content,
            filename=filename,
            caption=text,
            reply_markup=None if markup is None else InlineKeyboardMarkup.de_json(markup, None),
            **kwargs,
        )
        return sent.message_id

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless the sender is stopping; False if it is."""
        if self._stopping:
            return False
        await self.time.sleep(seconds, self._stop_event)
        return not self._stopping

    # -- claims ---------------------------------------------------------------------------

    async def _claims_loop(self) -> None:
        """Keep this worker's claims alive while it sends; take back expired ones."""
        outbox, clock = self.services.db.outbox, self.services.clock
        while True:
            await asyncio.sleep(CLAIM_RENEW_S)  # real time, like the claims' expiry
            try:
                now = clock.now()
                await outbox.extend_claims(self.worker, until=now + timedelta(seconds=CLAIM_TTL_S))
                if not self._stopping and await outbox.recover_claims(self.worker, now):
                    log.warning("outbox: took back messages of a worker that stopped sending")
                    self.wake()
            except Exception:  # a broken database must not kill the loop
                log.exception("outbox: cannot renew the claims")

    # -- progress -------------------------------------------------------------------------

    async def _report_loop(self) -> None:
        interval = self.reporter.interval
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_event.wait(), timeout=min(1.0, interval / 2))
            if self._stopping:
                return
            try:
                await self.reporter.tick()
            except Exception:
                log.exception("campaign progress failed")

    async def edit_progress(self, chat_id: int, message_id: int, message: OutgoingMessage) -> bool:
        """Edit a progress message; False if it is gone (deleted, too old)."""
        try:
            await self.bot.edit_message_text(
                chat_id=chat_id,
                message_id=message_id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=to_markup(message),
            )
        except BadRequest as exc:
            if "not modified" in str(exc):
                return True
            log.info("progress message %d/%d: %s", chat_id, message_id, exc)
            return False
        except TelegramError as exc:  # 429 or network: the next look tries again
            log.info("progress message %d/%d not edited: %s", chat_id, message_id, exc)
        return True


def _seconds(value: object) -> float:
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)  # type: ignore[arg-type]


def _backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... capped at 30 s."""
    return random.uniform(0, min(30.0, 0.5 * 2 ** (attempt - 1))) + 0.1
