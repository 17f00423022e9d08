"""Handlers of the broadcast area (see docs/architecture.md)."""

from __future__ import annotations

from bot.handlers.common import KvApplication


def register(app: KvApplication) -> None:
    """Add this area's handlers; organiser ones wrapped in organiser_only."""
