"""One web server per process (contract 4): the webhook, the dashboard and other pages.

A feature that serves HTTP exposes ``add_routes(app, ...)`` taking a URL path prefix; here
they are composed into one ``aiohttp.web.Application``:

- in webhook mode, :func:`bot.webhook.serve` mounts the route sets on the webhook server
  (``route_sets`` argument);
- when the bots poll, :func:`bot.runner.run_polling` runs them and a small server of its own
  (``[webapp] listen`` / ``port``) in one event loop.

:func:`route_sets_for` lists what the settings turn on: the dashboard when ``[webapp] url``
is set, the e-mail unsubscribe page when ``[email] public_url`` is set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

RouteSet = Callable[[web.Application], object]


def route_sets_for(bots: Sequence[Services]) -> list[RouteSet]:
    """The route sets the bots' settings turn on (one prefix per distinct ``[webapp] url``)."""
    from bot.webapp import add_routes, prefix_of

    by_prefix: dict[str, list[Services]] = {}
    for services in bots:
        url = services.settings.webapp.url
        if url:
            by_prefix.setdefault(prefix_of(url), []).append(services)
    sets: list[RouteSet] = []
    for prefix, members in by_prefix.items():

        def mount(app: web.Application, prefix: str = prefix, members: list[Services] = members
                  ) -> object:  # fmt: skip
            return add_routes(app, members, prefix=prefix)

        sets.append(mount)
    return sets + _unsubscribe_pages(bots)


def _unsubscribe_pages(bots: Sequence[Services]) -> list[RouteSet]:
    """Each bot's unsubscribe page at ``<path of its [email] public_url>/email``: the path
    the links in its e-mails name, so two bots need two public URL paths."""
    from urllib.parse import urlsplit

    from bot.config import SettingsError
    from bot.email.unsubscribe import PATH_PREFIX
    from bot.email.web import add_routes

    sets: list[RouteSet] = []
    taken: set[str] = set()
    for services in bots:
        email = services.settings.email
        if email is None or not email.public_url:
            continue
        prefix = urlsplit(email.public_url).path.rstrip("/") + PATH_PREFIX
        if prefix in taken:
            raise SettingsError(
                f"two bots have the same [email] public_url path ({prefix}): give each its own"
            )
        taken.add(prefix)

        def mount(app: web.Application, prefix: str = prefix, services: Services = services
                  ) -> object:  # fmt: skip
            add_routes(app, prefix, services)
            return None

        sets.append(mount)
    return sets


def compose(route_sets: Sequence[RouteSet], app: web.Application | None = None) -> web.Application:
    """``app`` (or a new one) with every route set mounted."""
    app = app if app is not None else web.Application(client_max_size=64 * 1024)
    for mount in route_sets:
        mount(app)
    return app


class WebServer:
    """A small aiohttp server with start()/stop() (no access log: paths carry download tokens)."""

    def __init__(
        self, app: web.Application, *, listen: str, port: int, reuse_port: bool = False
    ) -> None:
        """``reuse_port``: several workers listen on the same port (bot/workers.py)."""
        self.app = app
        self.listen = listen
        self.port = port
        self.reuse_port = reuse_port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        await web.TCPSite(
            runner, self.listen, self.port, reuse_port=self.reuse_port or None
        ).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])  # the real one when port 0 was asked
        log.info("web: listening on %s:%d", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://{self.listen}:{self.port}"
