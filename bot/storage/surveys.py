"""Queries for the surveys area (see docs/architecture.md)."""

from __future__ import annotations

from bot.storage.base import StorageBase


class SurveyQueries(StorageBase):
    pass
