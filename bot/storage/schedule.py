"""Queries for the schedule area (see docs/architecture.md)."""

from __future__ import annotations

from bot.storage.base import StorageBase


class ScheduleQueries(StorageBase):
    pass
