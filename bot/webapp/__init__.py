"""The organisers' dashboard: a Telegram Mini App served by the bot's own web server.

:func:`add_routes` mounts it on any ``aiohttp.web.Application`` under a URL path prefix, for
one bot or several (each a :class:`~bot.services.Services`; the bot whose token validates
the request's ``initData`` is the one whose data is served). ``bot/web.py`` composes it with
the webhook (one server per process); docs/dashboard.md tells how to set it up.

Routes under ``prefix`` (e.g. ``/dashboard``)::

    GET  {prefix}/                                the page (no data: texts, script, styles)
    GET  {prefix}/static/{name}                   dashboard.js, dashboard.css
    GET  {prefix}/api/me                          who is asking, their language
    GET  {prefix}/api/overview?from=&to=&programme=
    GET  {prefix}/api/events/{id}
    GET  {prefix}/api/programmes/{id}
    GET  {prefix}/api/compare?events=1,2 | ?programmes=3,4
    GET  {prefix}/api/events/{id}/files/{kind}/link   a short-lived download link
    GET  {prefix}/api/events/{id}/files/{kind}?token= the file (or with the header)

Every ``/api`` request carries ``Authorization: tma <initData>`` (a download: the link's
token instead). Missing, forged or expired: 401; valid but not an organiser of that bot: 403;
in both cases the body is a fixed error and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.i18n import normalise_language
from bot.services import Services
from bot.surveys.scoring import ScoreReport
from bot.webapp import auth, data
from bot.webapp.cache import ScoreCache
from bot.webapp.page import STATIC, render_page
from bot.webapp.readers import Readers

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
MAX_IDS = 30


def prefix_of(url: str) -> str:
    """The path of ``[webapp] url`` without its trailing slash ('' for the root)."""
    path = urlsplit(url).path or "/"
    return path.rstrip("/")


@dataclass(frozen=True, slots=True)
class _Bot:
    services: Services
    key: bytes
    download_key: bytes
    readers: Readers
    scores: ScoreCache[ScoreReport]


@dataclass(frozen=True, slots=True)
class Viewer:
    bot: _Bot
    user_id: int
    lang: str

    @property
    def services(self) -> Services:
        return self.bot.services


class Denied(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def _bot(services: Services) -> _Bot:
    token = services.settings.telegram.token
    if token is None:
        raise ValueError("the dashboard needs the bot's token (telegram.token)")
    secret = token.get_secret_value()
    cache: ScoreCache[ScoreReport] = ScoreCache(
        services.settings.webapp.scores_cache_s, lambda: services.clock.now().timestamp()
    )
    return _Bot(
        services, auth.secret_key(secret), auth.download_key(secret), Readers(services), cache
    )


class Dashboard:
    """The route handlers for a set of bots (one per token)."""

    def __init__(self, bots: Sequence[Services], *, prefix: str) -> None:
        if not bots:
            raise ValueError("the dashboard needs at least one bot")
        self.bots = tuple(_bot(s) for s in bots)
        self.prefix = prefix.rstrip("/")

    # -- who is asking --------------------------------------------------------------------

    def viewer(self, request: web.Request) -> Viewer:
        init_data = auth.authorization_value(request.headers.get("Authorization"))
        if init_data is None:
            raise Denied(401, "no initData")
        reason = "no bot"
        for bot in self.bots:
            settings = bot.services.settings
            try:
                user = auth.validate(
                    init_data, bot.key, now=bot.services.clock.now().timestamp(),
                    max_age_s=settings.webapp.max_age_s,
                )  # fmt: skip
            except auth.Refused as exc:
                reason = str(exc)
                continue
            return self._organiser(bot, user.id, request, user.language_code)
        raise Denied(401, reason)

    def _organiser(
        self, bot: _Bot, user_id: int, request: web.Request, language_code: str | None
    ) -> Viewer:
        services = bot.services
        if not services.is_organiser(user_id):
            raise Denied(403, f"user {user_id} is not an organiser")
        asked = request.query.get("lang")
        default = services.settings.default_language
        lang = normalise_language(asked or language_code, default)
        return Viewer(bot, user_id, lang)

    def download_viewer(self, request: web.Request, event_id: int, kind: str) -> Viewer:
        token = request.query.get("token")
        if token is None:
            return self.viewer(request)
        reason = "no bot"
        for bot in self.bots:
            try:
                user_id = auth.check_download(
                    bot.download_key, token, event_id=event_id, kind=kind,
                    now=bot.services.clock.now().timestamp(),
                )  # fmt: skip
            except auth.Refused as exc:
                reason = str(exc)
                continue
            return self._organiser(bot, user_id, request, None)
        raise Denied(401, reason)

    # -- routes ---------------------------------------------------------------------------

    async def close(self, app: web.Application | None = None) -> None:
        """Close the read connections (the server's clean-up)."""
        for bot in self.bots:
            await bot.readers.close()

    def add_to(self, app: web.Application) -> None:
        app.on_cleanup.append(self.close)
        p = self.prefix
        app.router.add_get(p + "/", self.page)
        if p:
            app.router.add_get(p, self.page)
        app.router.add_get(p + "/static/{name}", self.static)
        app.router.add_get(p + "/api/me", self._guarded(self.me))
        app.router.add_get(p + "/api/overview", self._guarded(self.overview))
        app.router.add_get(p + r"/api/events/{event_id:\d{1,12}}", self._guarded(self.event))
        app.router.add_get(
            p + r"/api/programmes/{programme_id:\d{1,12}}", self._guarded(self.programme)
        )
        app.router.add_get(p + "/api/compare", self._guarded(self.compare))
        files = p + r"/api/events/{event_id:\d{1,12}}/files/{kind:[a-z]{1,16}}"
        app.router.add_get(files + "/link", self._guarded(self.file_link))
        app.router.add_get(files, self.file)

    def _guarded(self, handler: Callable[[web.Request, Viewer], Awaitable[Any]]) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                viewer = self.viewer(request)
            except Denied as exc:
                return _denied(request, exc)
            try:
                return web.json_response(await handler(request, viewer), headers=NO_STORE)
            except data.NotFound:
                return _error(404, "not found")
            except ValueError:
                log.info("dashboard: bad query %s", request.path)
                return _error(400, "bad request")

        return guarded

    async def page(self, request: web.Request) -> web.StreamResponse:
        services = self.bots[0].services
        body = render_page(services.translator, services.settings.default_language, self.prefix)
        return web.Response(
            text=body, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
        )

    async def static(self, request: web.Request) -> web.StreamResponse:
        found = STATIC.get(request.match_info["name"])
        if found is None:
            return _error(404, "not found")
        content, content_type = found
        return web.Response(
            body=content, content_type=content_type, headers={"Cache-Control": "max-age=300"}
        )

    async def me(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return {"user_id": viewer.user_id, "lang": viewer.lang, "organiser": True}

    async def overview(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        q = request.query
        programme = q.get("programme") or None
        programme_id = int(programme) if programme is not None else None
        async with viewer.bot.readers.services() as services:
            return await data.overview(
                services,
                starts_from=q.get("from") or None,
                starts_to=q.get("to") or None,
                programme_id=programme_id,
            )

    async def event(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        event_id = int(request.match_info["event_id"])
        async with viewer.bot.readers.services() as services:
            return await data.event_page(services, event_id, viewer.lang, cache=viewer.bot.scores)

    async def programme(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        programme_id = int(request.match_info["programme_id"])
        async with viewer.bot.readers.services(heavy=True) as services:
            return await data.programme_page(
                services, programme_id, viewer.lang, cache=viewer.bot.scores
            )

    async def compare(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        events = _ids(request.query.get("events"))
        programmes = _ids(request.query.get("programmes"))
        if bool(events) == bool(programmes):
            raise ValueError("name events or programmes")
        async with viewer.bot.readers.services(heavy=True) as services:
            return await data.compare(
                services,
                viewer.lang,
                event_ids=events,
                programme_ids=programmes,
                cache=viewer.bot.scores,
            )

    async def file_link(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        event_id = int(request.match_info["event_id"])
        kind = request.match_info["kind"]
        if kind not in data.FILE_KINDS:
            raise data.NotFound(kind)
        if await viewer.services.db.events.get_event(event_id) is None:
            raise data.NotFound(f"event {event_id}")
        ttl = viewer.services.settings.webapp.download_ttl_s
        token = auth.download_token(
            viewer.bot.download_key, event_id=event_id, kind=kind, user_id=viewer.user_id,
            expires=int(viewer.services.clock.now().timestamp()) + ttl,
        )  # fmt: skip
        url = f"{self.prefix}/api/events/{event_id}/files/{kind}?token={token}&lang={viewer.lang}"
        return {"url": url, "expires_in": ttl}

    async def file(self, request: web.Request) -> web.StreamResponse:
        event_id = int(request.match_info["event_id"])
        kind = request.match_info["kind"]
        try:
            viewer = self.download_viewer(request, event_id, kind)
        except Denied as exc:
            return _denied(request, exc)
        try:
            found = await data.event_file(viewer.services, event_id, kind, viewer.lang)
        except data.NotFound:
            return _error(404, "not found")
        log.info("dashboard: %s of event %s for %s", kind, event_id, viewer.user_id)
        return web.Response(
            body=found.content,
            content_type=found.content_type,
            headers={
                **NO_STORE,
                "Content-Disposition": f'attachment; filename="{found.name}"',
                "Referrer-Policy": "no-referrer",
            },
        )


PAGE_HEADERS = {
    **NO_STORE,
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
    ),
}


def _ids(raw: str | None) -> list[int]:
    if not raw:
        return []
    ids = [int(part) for part in raw.split(",") if part.strip()]
    if len(ids) > MAX_IDS or any(i <= 0 for i in ids):
        raise ValueError("too many or bad ids")
    return ids


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=NO_STORE)


def _denied(request: web.Request, exc: Denied) -> web.Response:
    # One line, without the initData or the download token (the path has neither).
    log.warning("dashboard: %s refused (%d): %s", request.path, exc.status, exc)
    return _error(exc.status, "unauthorised" if exc.status == 401 else "forbidden")


def add_routes(app: web.Application, bots: Sequence[Services], *, prefix: str) -> Dashboard:
    """Mount the dashboard of ``bots`` on ``app`` under ``prefix`` (contract 4)."""
    dashboard = Dashboard(bots, prefix=prefix)
    dashboard.add_to(app)
    return dashboard
