"""Webhook mode: a small aiohttp server that feeds Telegram's updates to the Application.

Used instead of PTB's ``run_webhook`` (tornado) because the door to the internet should
hold these rules by construction:

- it does not start without a secret made only of the characters Telegram allows
  (``A-Z a-z 0-9 _ -``, 1-256 of them);
- the secret header is compared in constant time (``hmac.compare_digest``), before the
  request body is read; a wrong or missing secret gets 403 and nothing is handled;
- a body larger than :data:`MAX_BODY_BYTES` gets 413 from its ``Content-Length``, before it
  is read (and aiohttp's ``client_max_size`` stops a body that did not announce its size);
- one path per bot (the path of each bot's ``telegram.webhook_url``), each with its own
  secret and Application; anything else is 404;
- an accepted update is put on ``application.update_queue`` and answered 200 at once, so
  Telegram never waits for a handler;
- SIGTERM or SIGINT stop it cleanly: the server stops accepting, then the Application
  stops (the sender finishes the messages in flight) and shuts down.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import SettingsError
from bot.logging_setup import as_bot
from bot.web import RouteSet, compose

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token (setWebhook): 1-256 of A-Z, a-z, 0-9, _ and -.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# An update is a few KB (a 4,096-character message with its entities and the one it
# answers); 1 MB leaves ample room and still bounds what a stranger can make us read.
MAX_BODY_BYTES = 1024 * 1024
# Telegram's default; each connection delivers one update at a time.
MAX_CONNECTIONS = 40


def check_secret(secret: str | None) -> str:
    """The secret if Telegram would accept it, else SettingsError naming the setting."""
    if not secret:
        raise SettingsError(
            "telegram.webhook_secret (BOT_TELEGRAM__WEBHOOK_SECRET) is required with "
            "telegram.webhook_url (see docs/operations.md)"
        )
    if not _SECRET.fullmatch(secret):
        raise SettingsError(
            "telegram.webhook_secret (BOT_TELEGRAM__WEBHOOK_SECRET) must be 1-256 of "
            "A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)"
        )
    return secret


def webhook_path(url: str) -> str:
    """The path the server answers on: the URL's own, so a proxy can pass requests as is."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"telegram.webhook_url (BOT_TELEGRAM__WEBHOOK_URL) is not a URL: {url}")
    return parts.path or "/"


@dataclass(frozen=True)
class WebhookBot:
    """One bot on the shared server: its application, public URL, secret and key."""

    application: Application[Any, Any, Any, Any, Any, Any]
    url: str
    secret: str | None
    key: str | None = None

    @property
    def path(self) -> str:
        return webhook_path(self.url)


@dataclass(frozen=True)
class _Route:
    application: Application[Any, Any, Any, Any, Any, Any]
    secret: bytes
    key: str | None


class WebhookServer:
    """The aiohttp application answering Telegram's POSTs: one path per bot, each with its
    own secret and application; any other path is 404."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any] | None = None,
        *,
        secret: str | None = None,
        path: str | None = None,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.max_body = max_body
        self._routes: dict[str, _Route] = {}
        if application is not None:
            self.add(application, secret=secret, path=path or "/")

    @property
    def path(self) -> str:
        """The path of the first bot (a server of one bot has one)."""
        return next(iter(self._routes))

    @property
    def paths(self) -> list[str]:
        return list(self._routes)

    def add(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        secret: str | None,
        path: str,
        key: str | None = None,
    ) -> None:
        """Serve ``application`` on ``path``; two bots on one path are refused."""
        if path in self._routes:
            raise SettingsError(f"two bots have the webhook path {path} (webhook_path)")
        self._routes[path] = _Route(application, check_secret(secret).encode(), key)

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body)
        for path, route in self._routes.items():
            app.router.add_post(path, functools.partial(self._receive, route))
        return app

    async def _receive(self, route: _Route, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, route.secret):
            log.warning("webhook: request without the right secret refused", extra=_bot(route))
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > self.max_body:
            log.warning(
                "webhook: body of %d bytes refused unread", request.content_length,
                extra=_bot(route),
            )  # fmt: skip
            return web.Response(status=413)
        try:
            data = json.loads(await request.read())  # client_max_size bounds an unsized body
            update = Update.de_json(data, route.application.bot)
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook: body over %d bytes refused", self.max_body, extra=_bot(route))
            return web.Response(status=413)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("webhook: a body that is not an update refused", extra=_bot(route))
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await route.application.update_queue.put(update)
        return web.Response(status=200)


def _bot(route: _Route) -> dict[str, Any]:
    return {} if route.key is None else {"bot": route.key}


async def serve(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    url: str,
    secret: str | None,
    listen: str,
    port: int,
    allowed_updates: Sequence[str],
    max_connections: int = MAX_CONNECTIONS,
    stop: asyncio.Event | None = None,
    route_sets: Sequence[RouteSet] = (),
    reuse_port: bool = False,
) -> None:
    """Run the bot on a webhook until ``stop`` is set (or SIGTERM / SIGINT arrive);
    ``route_sets`` (the dashboard, other pages: bot/web.py) are served by the same server."""
    await serve_bots(
        [WebhookBot(application, url, secret)], listen=listen, port=port,
        allowed_updates=allowed_updates, max_connections=max_connections, stop=stop,
        route_sets=route_sets,
        reuse_port=reuse_port,
    )  # fmt: skip


async def serve_bots(
    bots: Sequence[WebhookBot],
    *,
    listen: str,
    port: int,
    allowed_updates: Sequence[str],
    max_connections: int = MAX_CONNECTIONS,
    stop: asyncio.Event | None = None,
    route_sets: Sequence[RouteSet] = (),
    reuse_port: bool = False,
) -> None:
    """Run several bots on one server, each on its own path with its own secret, until
    ``stop`` is set (or SIGTERM / SIGINT arrive); then stop every one of them. The
    ``route_sets`` (bot/web.py) are served beside the webhook paths. With
    ``reuse_port`` several workers listen on the same port (the kernel spreads the
    connections among them, bot/workers.py)."""
    from bot.runner import BotRun, start_all, stop_all
    from bot.workers import stop_on_signals

    server = WebhookServer()
    for bot in bots:  # every secret and path checked before anything starts
        server.add(bot.application, secret=bot.secret, path=bot.path, key=bot.key)
    stop = stop or stop_on_signals()
    runner = web.AppRunner(
        compose(route_sets, server.web_app()), access_log=None, shutdown_timeout=5.0
    )
    runs = [BotRun(bot.key or "main", bot.application) for bot in bots]
    try:
        await start_all(runs, polling=False)
        await runner.setup()
        await web.TCPSite(runner, listen, port, reuse_port=reuse_port or None).start()
        for bot in bots:
            await as_bot(
                bot.key,
                bot.application.bot.set_webhook(
                    url=bot.url,
                    secret_token=bot.secret,
                    allowed_updates=list(allowed_updates),
                    max_connections=max_connections,
                ),
            )
        log.info("webhook: listening on %s:%d%s", listen, port, ", ".join(server.paths))
        await stop.wait()
        log.info("webhook: stopping")
    finally:
        await runner.cleanup()  # no new updates from here on
        await stop_all(runs)
