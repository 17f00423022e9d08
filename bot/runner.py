"""``python -m bot run``: every enabled bot of the deployment in one process.

Each bot is its own :class:`~bot.app.KvietimasApplication` (its Settings, Storage, sender,
scheduler and JobQueue) started in its own context, so its log records and those of every
task it starts carry its key (bot/logging_setup.py). Updates come by polling, one poller per
bot, or by webhook, one path and secret per bot on one shared server (bot/webhook.py).
SIGTERM or SIGINT stop them all: pollers first (no new updates), then each application
(its sender finishes the messages in flight), then each storage closes.

The order of the steps is PTB's own ``run_polling`` (which cannot run several applications
in one event loop).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application

from bot.logging_setup import as_bot
from bot.web import RouteSet, WebServer
from bot.workers import POLLER, Poller, stop_on_signals

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class BotStartFailed(Exception):
    """Bot ``key`` could not start (``error``: a refused token, Telegram unreachable ...);
    the bots started before it have been stopped again."""

    def __init__(self, key: str, error: Exception) -> None:
        super().__init__(f"bot {key} could not start: {error}")
        self.key = key
        self.error = error


@dataclass(frozen=True)
class BotRun:
    """One bot to run: its key and its application (and its webhook, in webhook mode)."""

    key: str
    application: AnyApplication
    webhook_url: str | None = None
    webhook_secret: str | None = None


async def start_application(
    application: AnyApplication,
    *,
    polling: bool,
    allowed_updates: Sequence[str] = (),
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
) -> None:
    """initialize, post_init, (the poller), start: the application handles updates.

    The poller runs under the bot's ``poller`` lease (bot/workers.py), started by post_init
    with the other leased loops: with several workers, one of them polls."""
    leases = getattr(application, "leases", None)
    if polling and leases is not None:
        leases.add(POLLER, functools.partial(
            Poller, application, allowed_updates, poll_interval=poll_interval,
            poll_timeout=poll_timeout,
        ))  # fmt: skip
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    if polling and leases is None:
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=poll_interval, timeout=poll_timeout,
            allowed_updates=list(allowed_updates),
        )  # fmt: skip
    await application.start()


async def stop_application(application: AnyApplication) -> None:
    """The reverse of :func:`start_application`, from whatever point it reached."""
    try:
        leases = getattr(application, "leases", None)
        if leases is not None:  # polling first: its lease goes to another worker at once
            await leases.stop_one(POLLER)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def start_all(
    bots: Sequence[BotRun],
    *,
    polling: bool,
    allowed_updates: Sequence[str] = (),
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
) -> None:
    """Start every bot at once (each in its own context); if any fails, BotStartFailed
    names the first that did (the caller stops them all: :func:`stop_all`)."""

    async def start(bot: BotRun) -> None:
        await as_bot(
            bot.key,
            start_application(
                bot.application, polling=polling, allowed_updates=allowed_updates,
                poll_interval=poll_interval, poll_timeout=poll_timeout,
            ),
        )  # fmt: skip

    results = await asyncio.gather(*(start(bot) for bot in bots), return_exceptions=True)
    for bot, result in zip(bots, results, strict=True):
        if isinstance(result, Exception):
            raise BotStartFailed(bot.key, result) from result
        if isinstance(result, BaseException):  # cancelled, interrupted
            raise result


async def stop_all(bots: Sequence[BotRun]) -> None:
    """Stop every bot at once, from whatever point each reached; one failing does not keep
    the others up (the first failure is raised after all have stopped)."""
    results = await asyncio.gather(
        *(as_bot(bot.key, stop_application(bot.application)) for bot in bots),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    for bot, result in zip(bots, results, strict=True):
        if isinstance(result, BaseException):
            log.error("bot %s did not stop cleanly: %r", bot.key, result, extra={"bot": bot.key})
    if failures:
        raise failures[0]


async def run_polling(
    bots: Sequence[BotRun],
    *,
    allowed_updates: Sequence[str],
    stop: asyncio.Event | None = None,
    poll_interval: float = 0.0,
    poll_timeout: int = 10,
    server: WebServer | None = None,
) -> None:
    """Every bot polls Telegram for its own updates until ``stop`` is set (default: SIGTERM
    or SIGINT). A bot that fails to start stops the others again and raises
    :class:`BotStartFailed`. ``server`` (the dashboard, other pages: bot/web.py) serves
    while the bots run."""
    stop = stop or stop_on_signals()
    try:
        await start_all(
            bots, polling=True, allowed_updates=allowed_updates,
            poll_interval=poll_interval, poll_timeout=poll_timeout,
        )  # fmt: skip
        if server is not None:
            await server.start()
        log.info("%d bot(s) running: %s", len(bots), ", ".join(b.key for b in bots))
        await stop.wait()
        log.info("stopping %d bot(s)", len(bots))
    finally:
        if server is not None:
            await server.stop()
        await stop_all(bots)


async def run_webhook(
    bots: Sequence[BotRun],
    *,
    listen: str,
    port: int,
    allowed_updates: Sequence[str],
    stop: asyncio.Event | None = None,
    route_sets: Sequence[RouteSet] = (),
    reuse_port: bool = False,
) -> None:
    """Every bot on the shared webhook server until ``stop`` (default: SIGTERM or SIGINT),
    with the ``route_sets`` (bot/web.py) on the same server; with ``reuse_port`` other
    workers may listen on the same port."""
    from bot.webhook import WebhookBot, serve_bots

    await serve_bots(
        [WebhookBot(b.application, b.webhook_url or "", b.webhook_secret, b.key) for b in bots],
        listen=listen, port=port, allowed_updates=allowed_updates, stop=stop,
        route_sets=route_sets,
        reuse_port=reuse_port,
    )  # fmt: skip
