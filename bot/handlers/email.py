"""The e-mail area's adapter: its routes (the organiser's e-mail invitations come with the
invitations side of issue 16). The transport has no Telegram side: the e-mail sender is a
component the application starts when ``[email]`` is set (bot/app.py)."""

from __future__ import annotations

from bot.handlers.routing import Routes


def routes(routes: Routes) -> None:
    """Nothing yet: the transport declares no command, button or upload."""
