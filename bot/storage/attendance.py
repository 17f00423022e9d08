"""Queries for the attendance area (see docs/architecture.md)."""

from __future__ import annotations

from bot.storage.base import StorageBase


class AttendanceQueries(StorageBase):
    pass
