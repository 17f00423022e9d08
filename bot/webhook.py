"""Webhook mode: a small aiohttp server that feeds Telegram's updates to the Application.

Used instead of PTB's ``run_webhook`` (tornado) because the door to the internet should
hold these rules by construction:

- it does not start without a secret made only of the characters Telegram allows
  (``A-Z a-z 0-9 _ -``, 1-256 of them);
- the secret header is compared in constant time (``hmac.compare_digest``), before the
  request body is read; a wrong or missing secret gets 403 and nothing is handled;
- a body larger than :data:`MAX_BODY_BYTES` gets 413 from its ``Content-Length``, before it
  is read (and aiohttp's ``client_max_size`` stops a body that did not announce its size);
- one path per bot (the path of ``telegram.webhook_url``); anything else is 404;
- an accepted update is put on ``application.update_queue`` and answered 200 at once, so
  Telegram never waits for a handler;
- SIGTERM or SIGINT stop it cleanly: the server stops accepting, then the Application
  stops (the sender finishes the messages in flight) and shuts down.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import SettingsError
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


class WebhookServer:
    """The aiohttp application answering Telegram's POSTs on one path."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        secret: str,
        path: str,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.application = application
        self._secret = check_secret(secret).encode()
        self.path = path
        self.max_body = max_body

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body)
        app.router.add_post(self.path, self._receive)
        return app

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook: request without the right secret refused")
            return web.Response(status=403)
        if request.content_length is not None and request.content_length > self.max_body:
            log.warning("webhook: body of %d bytes refused unread", request.content_length)
            return web.Response(status=413)
        try:
            data = json.loads(await request.read())  # client_max_size bounds an unsized body
            update = Update.de_json(data, self.application.bot)
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook: body over %d bytes refused", self.max_body)
            return web.Response(status=413)
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("webhook: a body that is not an update refused")
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response(status=200)


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
) -> None:
    """Run the bot on a webhook until ``stop`` is set (or SIGTERM / SIGINT arrive).

    ``route_sets`` (the dashboard, other pages: bot/web.py) are served by the same server."""
    server = WebhookServer(application, secret=check_secret(secret), path=webhook_path(url))
    stop = stop or _stop_on_signals()
    app = compose(route_sets, server.web_app())
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        await application.bot.set_webhook(
            url=url,
            secret_token=secret,
            allowed_updates=list(allowed_updates),
            max_connections=max_connections,
        )
        await application.start()
        log.info("webhook: listening on %s:%d%s", listen, port, server.path)
        await stop.wait()
        log.info("webhook: stopping")
    finally:
        await runner.cleanup()  # no new updates from here on
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


def run_webhook(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    url: str,
    secret: str | None,
    listen: str,
    port: int,
    allowed_updates: Sequence[str],
    route_sets: Sequence[RouteSet] = (),
) -> None:
    """``python -m bot run`` in webhook mode; returns after SIGTERM or SIGINT."""
    check_secret(secret)  # before anything starts
    webhook_path(url)
    asyncio.run(
        serve(application, url=url, secret=secret, listen=listen, port=port,
              allowed_updates=allowed_updates, route_sets=route_sets)
    )  # fmt: skip
