"""RSVP service: answer, change, waitlist, deadline, and who gets told about what."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.ics import event_ics
from bot.messages import OutgoingFile, OutgoingMessage
from bot.models import Event, EventStatus, Participant, RsvpChange, RsvpCounts, RsvpStatus
from bot.services import Services
from bot.storage import Storage
from bot.views import event_card
from bot.views import my_events as my_events_view

log = logging.getLogger(__name__)


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
    counts: RsvpCounts | None = None  # the event's answers after this one (for the card)

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
    """Apply a participant's answer: one transaction, one hop to the database (the event is
    read, the answer window checked, the answer applied and the answers counted there)."""
    # No invitation is made here: the caller checked that the person holds one
    # (bot/access.py); an answer never grants access by itself.
    done = await storage.rsvps.answer_rsvp(
        event_id, participant_id, wanted, now=now, window=answer_window_closed
    )
    if done.event is None:
        return RsvpResult(RsvpOutcome.EVENT_GONE, None)
    if done.refused is not None or done.change is None:
        return RsvpResult(done.refused or RsvpOutcome.EVENT_GONE, done.event)
    change = done.change
    if not change.changed:
        outcome = RsvpOutcome.UNCHANGED
    elif change.current is RsvpStatus.WAITLIST:
        outcome = RsvpOutcome.WAITLISTED
    else:
        outcome = RsvpOutcome.SAVED
    return RsvpResult(outcome, done.event, change, done.counts)


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


# -- what a participant's press on the card shows (bot/handlers/rsvp.py sends it) -------------


async def card(
    services: Services, participant: Participant, event: Event, *, header: str | None = None
) -> OutgoingMessage:
    """The event card as this person sees it: their answer and the places left."""
    lang = services.language_of(participant.language)
    status = await services.db.rsvps.get_rsvp(event.id, participant.id)
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
    return event_card(services.translator, lang, event, status=status, counts=counts, header=header)


async def card_of(services: Services, participant: Participant, event_id: int) -> OutgoingMessage:
    """The card of an event named by a button ("error-event-gone" when it is no more)."""
    event = await services.db.events.get_event(event_id)
    if event is None:
        lang = services.language_of(participant.language)
        return OutgoingMessage(services.t(lang, "error-event-gone"))
    return await card(services, participant, event)


@dataclass(frozen=True, slots=True)
class PressAnswer:
    """What an answer press shows: ``toast`` (an alert when ``alert``), then the card
    edited in place when ``card`` is not None (a refused answer leaves it as it was)."""

    toast: str
    alert: bool
    card: OutgoingMessage | None = None
    result: RsvpResult | None = None


async def press(
    services: Services, participant: Participant, event_id: int, wanted: RsvpStatus
) -> PressAnswer:
    """An answer pressed on the card by a registered person holding an invitation."""
    lang = services.language_of(participant.language)
    result = await answer(services.db, event_id, participant.id, wanted, now=services.clock.now())
    outcome = result.outcome
    if outcome in (RsvpOutcome.EVENT_GONE, RsvpOutcome.EVENT_OVER, RsvpOutcome.DEADLINE_PASSED):
        log.info(
            "rsvp refused (%s) for user %s event %s",
            outcome.value,
            participant.telegram_id,
            event_id,
        )
        return PressAnswer(services.t(lang, f"rsvp-refused-{outcome.value}"), alert=True)
    assert result.event is not None and result.change is not None
    toast = services.t(lang, f"rsvp-toast-{result.change.current.value}")
    shown = event_card(
        services.translator, lang, result.event, status=result.change.current, counts=result.counts
    )
    return PressAnswer(toast, outcome is RsvpOutcome.WAITLISTED, shown, result)


async def after_press(services: Services, shown: PressAnswer) -> None:
    """Once the presser has their card: a place freed by the answer goes to the waitlist
    (promoted people told, or the next one offered the place)."""
    from bot.attendance import send_open_offers
    from bot.notify import notify_promoted

    result = shown.result
    if result is None or result.event is None or result.change is None:
        return
    if result.change.promoted:
        await notify_promoted(services, result.event, result.change.promoted)
    if result.change.offered:  # a freed place offered to the next on the waitlist
        await send_open_offers(services, result.event.id)


async def calendar_file(
    services: Services, participant: Participant, event_id: int
) -> OutgoingFile | None:
    """The event as an .ics file to add to a calendar; None when the event is gone."""
    event = await services.db.events.get_event(event_id)
    if event is None:
        return None
    lang = services.language_of(participant.language)
    data = event_ics(event, bot_username=services.bot_username, now=services.clock.now())
    caption = services.t(lang, "calendar-caption", title=event.title)[:1024]
    return OutgoingFile(data, f"event-{event.id}.ics", caption)


async def my_events(services: Services, participant: Participant) -> OutgoingMessage:
    """/my: the person's upcoming events and their answers."""
    lang = services.language_of(participant.language)
    items = await services.db.rsvps.participant_rsvps(
        participant.id, ends_after=services.clock.now()
    )
    return my_events_view(services.translator, lang, items)
