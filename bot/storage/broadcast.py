"""Queries for the broadcast area (see docs/architecture.md)."""

from __future__ import annotations

from bot.storage.base import StorageBase


class BroadcastQueries(StorageBase):
    pass
