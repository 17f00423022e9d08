"""Broadcast campaigns: segments, message kinds, queueing, progress texts.

A campaign is queued in two steps so a crash can never leave half of it live: its rows are
inserted *held* (status ``draft``, chunk by chunk, memory flat in the number of recipients),
then :func:`activate` releases them all in one transaction. The sender (bot/sender.py)
delivers them and reports progress with :func:`progress_message` / :func:`final_report`.

The invitation and the reminder are the event card of bot/views.py (one renderer for a card
opened from a link, a broadcast and a notice), rendered once per language and answer and
shared by every recipient with that language and answer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.callbacks import CallbackData, EventCardPress
from bot.i18n import Markup, format_short
from bot.messages import Button, OutgoingMessage
from bot.models import (
    SEGMENT_STATUSES,
    CampaignProgress,
    Event,
    OutboxItem,
    RsvpCounts,
    RsvpStatus,
    Segment,
    SegmentKind,
    SegmentMember,
    SegmentSize,
)
from bot.services import Services
from bot.views import event_card, when_line

log = logging.getLogger(__name__)

# Segments are defined with their SQL (bot/storage/broadcast.py) and re-exported here.
__all__ = [
    "SEGMENT_STATUSES",
    "BroadcastAction",
    "BroadcastPress",
    "CampaignKind",
    "GroupRsvpPress",
    "Segment",
    "SegmentKind",
    "SegmentSize",
]

CHUNK = 500  # recipients rendered and inserted per transaction
MAX_BODY = 3500  # the organiser's text; the header and the card's limit leave room for it


class CampaignKind(StrEnum):
    INVITATION = "invitation"  # the event card with agenda and RSVP buttons
    REMINDER = "reminder"  # the event card under a reminder line
    UPDATE = "update"  # the organiser's own text (with a button to the event, if any)


class BroadcastAction(StrEnum):
    EVENT = "ev"  # arg = event id, 0 = without an event
    SEGMENT = "seg"  # key = segment choice
    ORGANISATION = "org"  # arg = index in the list shown
    PROGRAMME = "prog"  # arg = programme id
    KIND = "kind"  # key = CampaignKind
    SEND = "send"
    DISCARD = "drop"
    STOP = "stop"  # arg = campaign id
    RESUME = "resume"  # arg = campaign id
    POST_EVENT = "pev"  # /postcard: arg = event id
    POST_CHAT = "pchat"  # /postcard: arg = index in the chats shown
    IMPORT = "imp"  # an uploaded participant list: arg = event to invite to, 0 = none


@dataclass(frozen=True)
class BroadcastPress(CallbackData):
    """Organiser buttons of the broadcast area (registered behind organiser_only)."""

    prefix: ClassVar[str] = "ob"
    organiser: ClassVar[bool] = True
    action: BroadcastAction
    arg: int = 0
    key: str = "-"


@dataclass(frozen=True)
class GroupRsvpPress(CallbackData):
    """An RSVP button on a card posted into a group or channel (anyone may press)."""

    prefix: ClassVar[str] = "gr"
    event_id: int
    answer: str  # y, n, m


GROUP_ANSWERS = {"y": RsvpStatus.YES, "n": RsvpStatus.NO, "m": RsvpStatus.MAYBE}


# -- what recipients see --------------------------------------------------------------------


class Renderer:
    """Renders a campaign's message per (language, answer) once and reuses the JSON."""

    def __init__(
        self,
        services: Services,
        kind: CampaignKind,
        event: Event | None,
        *,
        body: str | None,
        counts: RsvpCounts | None,
    ) -> None:
        self.services = services
        self.kind = kind
        self.event = event
        self.body = body
        self.counts = counts
        self._cache: dict[tuple[str, RsvpStatus | None], str] = {}

    def message(self, lang: str, status: RsvpStatus | None) -> OutgoingMessage:
        return render_campaign_message(
            self.services, self.kind, self.event, lang, status, body=self.body, counts=self.counts
        )

    def payload(self, language: str | None, status: RsvpStatus | None) -> str:
        lang = self.services.language_of(language)
        if self.kind is CampaignKind.UPDATE:
            status = None  # the text does not depend on the answer
        key = (lang, status)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self.message(lang, status).to_json()
        return cached


def render_campaign_message(
    services: Services,
    kind: CampaignKind,
    event: Event | None,
    lang: str,
    status: RsvpStatus | None,
    *,
    body: str | None,
    counts: RsvpCounts | None,
) -> OutgoingMessage:
    tr = services.translator
    if kind is CampaignKind.UPDATE or event is None:
        if event is None:
            header = tr.text(lang, "broadcast-update-header")
            return OutgoingMessage(f"{header}\n\n{body or ''}")
        header = tr.text(lang, "broadcast-update-header-event", title=event.title)
        button = Button(tr.text(lang, "broadcast-btn-show-event"), EventCardPress(event.id).pack())
        return OutgoingMessage(f"{header}\n\n{body or ''}", ((button,),))
    if kind is CampaignKind.REMINDER:
        header = tr.text(
            lang, "broadcast-reminder-header", title=event.title,
            when=Markup(when_line(tr, lang, event)),
        )  # fmt: skip
    else:
        header = tr.text(lang, "broadcast-invitation-header", title=event.title)
    return event_card(tr, lang, event, status=status, counts=counts, header=header)


# -- segments as people read them -----------------------------------------------------------


def describe_segment(
    services: Services,
    lang: str,
    segment: Segment,
    *,
    event: Event | None,
    programme_title: str | None = None,
) -> str:
    t = services.translator.text
    title = event.title if event is not None else ""
    if segment.kind is SegmentKind.INVITEES:
        return t(lang, "broadcast-seg-desc-invitees", title=title)
    if segment.kind is SegmentKind.RSVP:
        answers = ", ".join(t(lang, f"broadcast-answer-{s}") for s in segment.statuses)
        return t(lang, "broadcast-seg-desc-rsvp", title=title, answers=answers)
    if segment.kind is SegmentKind.ORGANISATION:
        organisation = segment.organisations[0]
        if event is not None:
            return t(lang, "broadcast-seg-desc-org-event", organisation=organisation, title=title)
        return t(lang, "broadcast-seg-desc-org", organisation=organisation)
    if segment.kind is SegmentKind.PROGRAMME:
        return t(lang, "broadcast-seg-desc-programme", programme=programme_title or "?")
    return t(lang, "broadcast-seg-desc-everyone")


# -- queueing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuedCampaign:
    campaign_id: int
    recipients: int


async def queue_campaign(
    services: Services,
    *,
    kind: CampaignKind,
    segment: Segment,
    event: Event | None,
    body: str | None,
    created_by: int | None,
    language: str | None = None,
) -> QueuedCampaign:
    """Create a draft campaign and insert one held row per reachable member, chunk by chunk.

    Nothing is sent until :func:`activate`. A message about an event (invitation, reminder,
    update) also records each recipient as invited to it (source ``broadcast``): its buttons
    name the event, and only invitees may press them (bot/access.py).
    """
    storage, now = services.db, services.clock.now()
    campaign_id = await storage.campaigns.create_campaign(
        kind=kind.value, event_id=event.id if event else None, segment=segment.to_dict(),
        created_by=created_by, now=now, status="draft", body=body, language=language,
    )  # fmt: skip
    counts = (await storage.rsvps.rsvp_counts([event.id])).get(event.id) if event else None
    renderer = Renderer(services, kind, event, body=body, counts=counts)
    after, total = 0, 0
    while True:
        members = await storage.campaigns.segment_members(segment, after_id=after, limit=CHUNK)
        if not members:
            break
        after = members[-1].participant_id
        total += await storage.outbox.enqueue(
            _items(renderer, members), campaign_id=campaign_id, not_before=now, now=now,
            on_hold=True,
        )  # fmt: skip
        if event is not None:  # its buttons name the event: recipients may press them
            await storage.invitations.invite_many(
                event.id, [m.participant_id for m in members], "broadcast", now
            )
    log.info("campaign %d queued: %s to %d people", campaign_id, kind.value, total)
    return QueuedCampaign(campaign_id, total)


def _items(renderer: Renderer, members: Sequence[SegmentMember]) -> list[OutboxItem]:
    return [
        OutboxItem(m.telegram_id, renderer.payload(m.language, m.status), m.participant_id)
        for m in members
    ]


async def activate(services: Services, campaign_id: int) -> int:
    released = await services.db.campaigns.activate_campaign(campaign_id, services.clock.now())
    services.wake_sender()
    return released


async def stop(services: Services, campaign_id: int) -> int:
    """Stop sending: unsent rows stay pending (held) and the final report says so."""
    held = await services.db.campaigns.cancel_campaign(campaign_id, services.clock.now())
    log.info("campaign %d stopped; %d messages not sent", campaign_id, held)
    services.wake_sender()  # the sender notices at once and the report follows
    return held


async def resume(services: Services, campaign_id: int) -> int:
    released = await services.db.campaigns.resume_campaign(campaign_id, services.clock.now())
    if released >= 0:
        log.info("campaign %d resumed; %d messages to send", campaign_id, released)
        services.wake_sender()
    return released


# -- progress and report (rendered here, sent and edited by the sender) ---------------------


def format_duration(services: Services, lang: str, seconds: float) -> str:
    whole = max(0, round(seconds))
    if whole < 60:
        return services.t(lang, "broadcast-seconds", count=whole)
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return services.t(lang, "broadcast-minutes", count=minutes)
    return services.t(lang, "broadcast-hours", hours=minutes // 60, minutes=minutes % 60)


def interrupted_message(services: Services, lang: str) -> OutgoingMessage:
    return OutgoingMessage(services.t(lang, "broadcast-interrupted"))


def progress_message(
    services: Services, lang: str, progress: CampaignProgress, *, eta_s: float | None
) -> OutgoingMessage:
    t = services.t
    lines = [
        t(lang, "broadcast-progress-title", id=progress.campaign_id),
        t(lang, "broadcast-progress-sent", sent=progress.sent, total=progress.total),
        t(
            lang, "broadcast-progress-counts", failed=progress.failed,
            unreachable=progress.unreachable + progress.cancelled, remaining=progress.remaining,
        ),
    ]  # fmt: skip
    if eta_s is not None and progress.remaining:
        lines.append(t(lang, "broadcast-progress-eta", eta=format_duration(services, lang, eta_s)))
    stop_button = Button(
        t(lang, "broadcast-btn-stop"),
        BroadcastPress(BroadcastAction.STOP, progress.campaign_id).pack(),
    )
    return OutgoingMessage("\n".join(lines), ((stop_button,),))


def final_report(
    services: Services, lang: str, progress: CampaignProgress, *, took_s: float | None
) -> OutgoingMessage:
    t = services.t
    stopped = progress.status == "cancelled"
    key = "broadcast-report-stopped" if stopped else "broadcast-report-done"
    lines = [t(lang, key, id=progress.campaign_id)]
    lines.append(t(lang, "broadcast-report-sent", sent=progress.sent, total=progress.total))
    if progress.failed:
        lines.append(t(lang, "broadcast-report-failed", count=progress.failed))
    if progress.unreachable:
        lines.append(t(lang, "broadcast-report-unreachable", count=progress.unreachable))
    if progress.cancelled:
        lines.append(t(lang, "broadcast-report-opted-out", count=progress.cancelled))
    if progress.pending:
        lines.append(t(lang, "broadcast-report-pending", count=progress.pending))
    if progress.possible_duplicates:
        lines.append(t(lang, "broadcast-report-duplicates", count=progress.possible_duplicates))
    if took_s is not None and not stopped:
        lines.append(t(lang, "broadcast-report-took", took=format_duration(services, lang, took_s)))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if stopped and progress.pending:
        buttons = (
            (
                Button(
                    t(lang, "broadcast-btn-resume"),
                    BroadcastPress(BroadcastAction.RESUME, progress.campaign_id).pack(),
                ),
            ),
        )
    return OutgoingMessage("\n".join(lines), buttons)


def event_label(event: Event) -> str:
    return f"#{event.id} {format_short(event.starts_at, event.timezone)[5:]} {event.title}"[:60]
