"""STUB of the e-mail outbox (branch d1-email-transport owns this module and its tables).

Only the names the invitations code against, kept in memory, so the invitations can be
built and tested before that branch is merged; the merge replaces this file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import EmailItem
from bot.storage.database import Database

SUPPRESSION_REASONS = ("unsubscribed", "bounced", "complained", "forgotten")


class EmailOutboxRepository:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._queued: dict[str, tuple[int, EmailItem]] = {}
        self._suppressed: dict[str, str] = {}

    async def enqueue(
        self,
        items: Sequence[EmailItem],
        *,
        campaign_id: int | None,
        not_before: datetime | None,
        now: datetime,
    ) -> int:
        added = 0
        for item in items:
            if item.dedup_key in self._queued or item.address.lower() in self._suppressed:
                continue
            self._queued[item.dedup_key] = (campaign_id or 0, item)
            added += 1
        return added

    async def campaign_email_counts(self, campaign_id: int) -> dict[str, int]:
        queued = sum(1 for cid, _ in self._queued.values() if cid == campaign_id)
        return {"pending": queued}

    async def suppress(self, address: str, reason: str, now: datetime) -> bool:
        if reason not in SUPPRESSION_REASONS:
            raise ValueError(reason)
        known = address.lower() in self._suppressed
        self._suppressed.setdefault(address.lower(), reason)
        return not known

    async def is_suppressed(self, address: str) -> bool:
        return address.lower() in self._suppressed
