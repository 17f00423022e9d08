"""RSVP service: answer, change, waitlist, deadline, and who gets told about what."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.models import Event, EventStatus, RsvpChange, RsvpStatus
from bot.storage import Storage


class RsvpOutcome(StrEnum):
    SAVED = "saved"
    WAITLISTED = "waitlisted"
    UNCHANGED = "unchanged"
    DEADLINE_PASSED = "deadline"
    EVENT_OVER = "over"
    EVENT_GONE = "gone"


@dataclass(frozen=True, slots=True)
class RsvpResult:
    outcome: RsvpOutcome
    event: Event | None
    change: RsvpChange | None = None

    @property
    def status(self) -> RsvpStatus | None:
        return None if self.change is None else self.change.current


def answer_window_closed(event: Event, now: datetime) -> RsvpOutcome | None:
    """Why an answer can no longer be given or changed, if it cannot."""
    if event.status is not EventStatus.ACTIVE:
        return RsvpOutcome.EVENT_GONE
    if now >= event.ends_at:
        return RsvpOutcome.EVENT_OVER
    deadline = event.rsvp_deadline or event.starts_at
    if now > deadline:
        return RsvpOutcome.DEADLINE_PASSED
    return None


async def answer(
    storage: Storage, event_id: int, participant_id: int, wanted: RsvpStatus, *, now: datetime
) -> RsvpResult:
    event = await storage.events.get_event(event_id)
    if event is None:
        return RsvpResult(RsvpOutcome.EVENT_GONE, None)
    closed = answer_window_closed(event, now)
    if closed is not None:
        return RsvpResult(closed, event)
    # No invitation is made here: the caller checked that the person holds one
    # (bot/access.py); an answer never grants access by itself.
    change = await storage.rsvps.apply_rsvp(
        event_id, participant_id, wanted, capacity=event.capacity, now=now
    )
    if not change.changed:
        outcome = RsvpOutcome.UNCHANGED
    elif change.current is RsvpStatus.WAITLIST:
        outcome = RsvpOutcome.WAITLISTED
    else:
        outcome = RsvpOutcome.SAVED
    return RsvpResult(outcome, event, change)


# Leading characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: a risky first character gets a quote.

    Kept tiny and local on purpose: bot/documents/sheets.py (``safe_text``) does the same for every
    export; point this at it once both are merged."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def answers_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The whole answer list of an event as CSV (UTF-8 with BOM, so Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_plain_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_plain_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
