"""The unsubscribe page: ``GET <prefix>/u/<token>`` shows a small confirmation page in the
person's language with one button; ``POST`` (the button, or a mail program's one-click
request, RFC 8058) unsubscribes at once and answers 200.

Unsubscribing puts the address on the transport's suppression list (reason
``unsubscribed``: no further e-mail to it, whoever queues one) and marks the e-mails sent
to it, for the organiser's report. A token that is malformed, forged or names a forgotten
row answers 404 and records nothing.

The lead mounts :func:`add_routes` on the one web server of the process (contract 4).
"""

from __future__ import annotations

import html
import logging

from aiohttp import web

from bot.email import invitations
from bot.services import Services

log = logging.getLogger(__name__)

MAX_BODY = 4096  # a one-click POST carries "List-Unsubscribe=One-Click"


def _page(lang: str, title: str, body: str, status: int = 200) -> web.Response:
    text = (
        f'<!DOCTYPE html><html lang="{html.escape(lang, quote=True)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="font-family:Arial,Helvetica,sans-serif;max-width:520px;margin:40px auto;'
        f'padding:0 16px;color:#222222;line-height:1.45;">{body}</body></html>'
    )
    return web.Response(
        text=text, status=status, content_type="text/html", charset="utf-8",
        headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                 "Referrer-Policy": "no-referrer"},
    )  # fmt: skip


def _not_found(services: Services) -> web.Response:
    lang = services.settings.default_language
    title = services.t(lang, "email-unsub-title")
    return _page(lang, title, f"<p>{services.t(lang, 'email-unsub-unknown')}</p>", status=404)


def add_routes(app: web.Application, prefix: str, services: Services) -> None:
    """Mount the unsubscribe page under ``prefix`` (e.g. ``/email``) for this bot."""
    prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""

    async def show(request: web.Request) -> web.Response:
        found = await invitations.unsubscribe_target(services, request.match_info["token"])
        if found is None:
            return _not_found(services)
        lang = found.lang
        title = services.t(lang, "email-unsub-title")
        question = services.t(
            lang, "email-unsub-question",
            organisation=services.settings.organisation_name, address=found.address,
        )  # fmt: skip
        action = html.escape(request.path, quote=True)
        button = services.t(lang, "email-unsub-button")
        body = (
            f'<h1 style="font-size:20px;">{title}</h1><p>{question}</p>'
            f'<form method="post" action="{action}">'
            f'<button type="submit" style="padding:10px 18px;font-size:16px;">{button}</button>'
            "</form>"
        )
        return _page(lang, title, body)

    async def confirm(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413)
        found = await invitations.unsubscribe(services, request.match_info["token"])
        if found is None:
            return _not_found(services)
        lang = found.lang
        title = services.t(lang, "email-unsub-title")
        done = services.t(lang, "email-unsub-done", address=found.address)
        return _page(lang, title, f'<h1 style="font-size:20px;">{title}</h1><p>{done}</p>')

    app.router.add_get(f"{prefix}/u/{{token}}", show)
    app.router.add_post(f"{prefix}/u/{{token}}", confirm)
