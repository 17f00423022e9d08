"""Builds the Application: settings -> storage, services, handlers, senders, scheduler.

Nothing happens at import time. Storage opens in ``post_init`` and closes in
``post_shutdown``; everything in flight (outbox, schedules) is rebuilt from the database.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import socket
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)

from bot.clock import Clock, SystemClock
from bot.config import LANGUAGES, Settings
from bot.email.sender import EmailSender
from bot.handlers import (
    attendance,
    broadcast,
    common,
    dashboard,
    documents,
    email,
    events,
    invitations,
    participants,
    privacy,
    rsvp,
    schedule,
    surveys,
)
from bot.handlers.common import BotContext
from bot.handlers.routing import Routes
from bot.i18n import Translator
from bot.leases import Component, LeaseKeeper
from bot.pacing import Time
from bot.schedule import Scheduler
from bot.sender import Sender
from bot.services import Services
from bot.storage import storage_for

log = logging.getLogger(__name__)

PARTICIPANT_MENU = ("my", "certificate", "language", "mydata", "forget", "help", "cancel")


# The update types the handlers use. Asking Telegram for only these also keeps out kinds we
# never handle, whose parsing could otherwise stop polling (a malformed poll_answer did).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


@dataclass(slots=True)
class _Sequence:
    """One person's updates: handled one at a time, in the order they came."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    updates: int = 0  # being handled or waiting their turn


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Updates from one person are handled in order, one at a time; different people run
    concurrently, at most ``limit`` updates at once.

    A phone that flushes its offline queue sends a name and an organisation in quick
    succession: handled side by side, both would read "no name yet" and the organisation
    would land in the name. Here the second waits for the first. The person is the user who
    caused the update (else the chat). A person's entry exists only while they have updates
    in hand, so the table never grows beyond the updates in flight.

    PTB's own semaphore (taken before :meth:`do_process_update`) only bounds how many
    updates wait; the real limit is taken after the person's turn has come, so one person's
    queue never occupies the places of others.
    """

    WAITING = 1024  # updates in hand at once (waiting or running), PTB's semaphore

    def __init__(self, limit: int) -> None:
        super().__init__(max_concurrent_updates=max(limit, self.WAITING))
        self.limit = limit
        self._running = asyncio.BoundedSemaphore(limit)
        self._sequences: dict[tuple[str, int], _Sequence] = {}

    @property
    def people_in_hand(self) -> int:
        """How many people have updates being handled or waiting (bounded; tests)."""
        return len(self._sequences)

    @staticmethod
    def person_of(update: object) -> tuple[str, int] | None:
        if not isinstance(update, Update):
            return None
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self.person_of(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        sequence = self._sequences.get(key)
        if sequence is None:
            sequence = self._sequences[key] = _Sequence()
        sequence.updates += 1
        try:
            async with sequence.lock, self._running:
                await coroutine
        finally:
            sequence.updates -= 1
            if sequence.updates == 0:
                del self._sequences[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class KvietimasApplication(Application[Any, BotContext, Any, Any, Any, Any]):
    """PTB's Application plus the bot's own parts: the services, the sender, the scheduler."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sender: Sender | None = None  # while this worker holds the "sender" lease
        self.scheduler: Scheduler | None = None  # while it holds the "scheduler" lease
        self.email_sender: EmailSender | None = None  # with [email], under the "email" lease
        self.leases: LeaseKeeper | None = None  # started in post_init

    @property
    def services(self) -> Services:
        services: Services = self.bot_data["services"]
        return services

    @property
    def routes(self) -> Routes:
        routes: Routes = self.bot_data["routes"]
        return routes


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    monotonic: Time | None = None,
    worker: str | None = None,
) -> KvietimasApplication:
    """The whole bot, ready for ``run_polling`` or to be driven by the emulator.

    ``clock`` is business time (dates of events, reminders); ``monotonic`` is the sender's
    pacing time (default: the event loop's clock). ``worker`` names this process among
    the workers sharing the database (default: the host's name, bot/workers.py); the
    sender and the scheduler run only while it holds their leases (bot/leases.py)."""
    if settings.telegram.token is None:
        raise ValueError("telegram.token is not set")
    # PTB 22 returns RetryAfter.retry_after as a timedelta only with this set; without it,
    # reading the int raises a deprecation warning on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    storage = storage_for(settings)
    services = Services(
        settings=settings,
        db=storage,
        translator=Translator(settings.default_language),
        clock=clock or SystemClock(),
        worker=worker or default_worker_id(),
    )
    builder = (
        ApplicationBuilder()
        .application_class(KvietimasApplication)
        .token(settings.telegram.token.get_secret_value())
        .base_url(settings.telegram.base_url)
        .base_file_url(settings.telegram.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserUpdateProcessor(settings.telegram.concurrent_updates))
        .connection_pool_size(max(16, settings.telegram.concurrent_updates * 2))
        .post_init(functools.partial(_post_init, monotonic=monotonic))
        .post_shutdown(_post_shutdown)
        .post_stop(_post_stop)
    )
    app: KvietimasApplication = builder.build()  # type: ignore[assignment]
    app.bot_data["services"] = services
    app.leases = _lease_keeper(app, monotonic)

    # Every route in one object, declared area by area. The order is that of the organisers'
    # command menu; commands, button classes and uploads are disjoint, so it decides nothing
    # else. The participants area comes last: its fallbacks answer what nobody else took.
    routes = Routes()
    events.routes(routes)  # events: /events /newevent /editevent /rsvps /invite, /cancel
    broadcast.routes(routes)  # /broadcast: the guided flow, progress, stop and resume
    email.routes(routes)  # /broadcast -> by e-mail: segment, kind, preview, send, report
    invitations.routes(routes)  # /postcard /personal, lists, personal links, group cards
    schedule.routes(routes)  # /schedule: reminders and questionnaire moments
    surveys.routes(routes)  # questionnaires: answers; /scores /export /survey
    attendance.routes(routes)  # check-in, join, waitlist offers; /attendance /checkin
    documents.routes(routes)  # certificates (/certificate, verification), /report, sign-in sheets
    privacy.routes(routes)  # /mydata /forget
    dashboard.routes(routes)  # /dashboard: the Mini App button (bot/webapp/)
    rsvp.routes(routes)  # the event card: answers, calendar file
    participants.routes(routes)  # /start /my /language /help, registration, then the fallbacks
    routes.install(app)  # each organiser route behind the one gate, from its flag
    app.add_error_handler(common.on_error)
    return app


async def _post_init(
    application: Application[Any, Any, Any, Any, Any, Any], *, monotonic: Time | None = None
) -> None:
    app: KvietimasApplication = application  # type: ignore[assignment]
    services = app.services
    await services.db.open()
    services.bot_username = app.bot.username
    await _set_commands(app)
    await dashboard.set_menu_buttons(app.bot, services)  # organisers' menu opens the dashboard
    # The sender, the scheduler and the e-mail sender start in the worker holding their
    # leases: at once when this worker is the only one (bot/leases.py). The scheduler
    # rebuilds timed work from the DB (due work caught up per the downtime policy, see
    # docs/schedule.md), then the JobQueue is its clock.
    assert app.leases is not None
    await app.leases.start()
    # Everything built so far lives as long as the process: moving it out of the garbage
    # collector's view shortens the collection pauses that would delay paced sends.
    gc.collect()
    gc.freeze()
    log.info("bot @%s started", services.bot_username)


def default_worker_id() -> str:
    """The host's name: a restarted ``run`` takes its own leases and claims back at once.
    Several workers on one host need their own ids (``run --workers N`` gives them)."""
    return socket.gethostname() or "main"


def _lease_keeper(app: KvietimasApplication, monotonic: Time | None) -> LeaseKeeper:
    """The bot's background loops, each run while this worker holds its lease; more are
    added with ``app.leases.add`` before the application starts (the poller, bot/workers.py)."""
    services = app.services
    # The scope (the bot's namespace) spreads different bots' loops over the workers.
    keeper = LeaseKeeper(services.db.leases, services.worker, scope=str(services.db.path))
    first_start = [True]

    def new_sender() -> Component:
        sender = Sender(
            app.bot, services, time=monotonic, attachments=app.routes.attachments,
            worker=services.worker, discard_own_drafts=first_start[0],
        )  # fmt: skip
        first_start[0] = False
        return sender

    def sender_changed(component: Component | None) -> None:
        app.sender = component if isinstance(component, Sender) else None

    def scheduler_changed(component: Component | None) -> None:
        app.scheduler = component.scheduler if isinstance(component, TimedWork) else None
        app.bot_data["scheduler"] = app.scheduler

    def email_changed(component: Component | None) -> None:
        app.email_sender = component if isinstance(component, EmailSender) else None

    # Order matters: "this worker is alive" first (drafts it queues are not orphans), the
    # sender before the scheduler (reminders due at the start go out at once).
    keeper.add_liveness()
    keeper.add("sender", new_sender, on_change=sender_changed)
    keeper.add("scheduler", lambda: TimedWork(app), on_change=scheduler_changed)
    if services.settings.email is not None:  # e-mail is on: its outbox has its own sender
        keeper.add("email", lambda: EmailSender(services, time=monotonic), on_change=email_changed)
    return keeper


class TimedWork:
    """The scheduler and, with e-mail, the e-mail reminders' job: a bot's timed work, run
    in the one worker holding its "scheduler" lease."""

    def __init__(self, app: KvietimasApplication) -> None:
        self.app = app
        self.scheduler = Scheduler(app.services, app.job_queue)
        self._job: Any = None

    async def start(self) -> None:
        await self.scheduler.start()
        if self.app.services.settings.email is not None and self.app.job_queue is not None:
            # E-mail reminders planned for later are queued when their moment comes.
            self._job = self.app.job_queue.run_repeating(
                _queue_email_reminders, interval=60, first=5, name="email-reminders"
            )

    async def stop(self) -> None:
        if self._job is not None and self.app.job_queue is not None:
            # Gone already once the application stopped its job queue.
            for job in self.app.job_queue.get_jobs_by_name("email-reminders"):
                job.schedule_removal()
            self._job = None
        await self.scheduler.stop()


async def _queue_email_reminders(context: BotContext) -> None:
    from bot.email.invitations import queue_due

    await queue_due(context.services)


async def _post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app: KvietimasApplication = application  # type: ignore[assignment]
    if app.leases is not None:
        # The e-mail sender, the scheduler, then the sender (it finishes the sends in
        # flight), then the leases are given up, so another worker takes over at once.
        await app.leases.stop()


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app: KvietimasApplication = application  # type: ignore[assignment]
    await _post_stop(app)
    await app.services.db.close()


async def _set_commands(app: KvietimasApplication) -> None:
    """The command menu in each language; organisers also see their own commands.

    A menu is a convenience: a failure is logged and never blocks start-up (an organiser
    who has not opened the bot yet makes Telegram answer "chat not found")."""
    tr = app.services.translator
    default = app.services.settings.default_language
    for lang in LANGUAGES:
        menu = [BotCommand(c, tr.text(lang, f"cmd-{c}")) for c in PARTICIPANT_MENU]
        code = None if lang == default else lang
        try:
            await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=code)
        except TelegramError as exc:
            log.warning("could not set the %s command menu: %s", lang, exc)
    names = (*(c.name for c in app.routes.organiser_commands()), *PARTICIPANT_MENU)
    full = [BotCommand(c, tr.text(default, f"cmd-{c}")) for c in names]
    for organiser_id in app.services.settings.organisers:
        try:
            await app.bot.set_my_commands(full, scope=BotCommandScopeChat(organiser_id))
        except TelegramError as exc:
            log.warning("could not set the organiser menu for %s: %s", organiser_id, exc)
