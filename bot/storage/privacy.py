"""Queries for the privacy area (see docs/architecture.md)."""

from __future__ import annotations

from bot.storage.base import StorageBase


class PrivacyQueries(StorageBase):
    pass
