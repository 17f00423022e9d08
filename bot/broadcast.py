"""Broadcast campaigns: segments, message kinds, queueing, progress texts, and the guided
/broadcast flow (event -> segment -> kind -> preview -> send) as Telegram-free steps that
bot/handlers/broadcast.py renders.

A campaign is queued in two steps so a crash can never leave half of it live: its rows are
inserted *held* (status ``draft``, chunk by chunk, memory flat in the number of recipients),
then :func:`activate` releases them all in one transaction. The sender (bot/sender.py)
delivers them and reports progress with :func:`progress_message` / :func:`final_report`.

The invitation and the reminder are the event card of bot/views.py (one renderer for a card
opened from a link, a broadcast and a notice), rendered once per language and answer and
shared by every recipient with that language and answer.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from bot.callbacks import CallbackData, EventCardPress
from bot.i18n import Markup, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    SEGMENT_STATUSES,
    CampaignProgress,
    Event,
    EventStatus,
    OutboxItem,
    PendingInput,
    RsvpCounts,
    RsvpStatus,
    Segment,
    SegmentKind,
    SegmentMember,
    SegmentSize,
)
from bot.notify import queue_messages
from bot.services import Services
from bot.views import event_card, event_picker, fit, when_line

log = logging.getLogger(__name__)

# Segments are defined with their SQL (bot/storage/broadcast.py) and re-exported here.
__all__ = [
    "SEGMENT_STATUSES",
    "BroadcastAction",
    "BroadcastPress",
    "CampaignKind",
    "Segment",
    "SegmentKind",
    "SegmentSize",
]

CHUNK = 500  # recipients rendered and inserted per transaction
# A draft without a worker (queued before workers were known) counts as interrupted after:
DRAFT_UNCLAIMED = timedelta(minutes=1)
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
    # Another worker's sender discards the draft only if this worker dies meanwhile.
    await storage.campaigns.set_campaign_queuer(campaign_id, services.worker)
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


# -- the guided /broadcast flow -----------------------------------------------------------
#
# Its state is a ``pending_inputs`` row (kind ``broadcast``): event -> segment -> kind (and
# text) -> preview with the recipient count -> send. Buttons carry only ids and are checked
# against that state, so a stale or forged press changes nothing. Every function returns a
# Telegram-free :class:`Step` that bot/handlers/broadcast.py renders.

FLOW = "broadcast"
MAX_CHOICES = 30  # buttons in one picker
_RULE = "────────"

# Segment menu keys -> how they become a Segment (the event is the flow's).
_RSVP_KEYS = {"yes": ("yes",), "maybe": ("maybe",), "no": ("no",), "none": ("none",)}


@dataclass(frozen=True, slots=True)
class Release:
    """A campaign whose progress message is about to be shown: once it is, say where
    (:func:`release`) and the campaign starts (or resumes)."""

    campaign_id: int
    resume: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """What the organiser sees next: the press answered (``notice``, an alert when
    ``alert``), the pressed message's buttons dropped, the pressed message replaced
    (``edit``), a new ``message`` (the progress message of ``release``, if set)."""

    message: OutgoingMessage | None = None
    edit: OutgoingMessage | None = None
    notice: str | None = None
    alert: bool = False
    drop_buttons: bool = False
    release: Release | None = None


def say(services: Services, lang: str, key: str, /, **args: object) -> Step:
    return Step(OutgoingMessage(services.t(lang, key, **args)))


def stale(services: Services, lang: str) -> Step:
    return say(services, lang, "broadcast-flow-expired")


def press(action: BroadcastAction, arg: int = 0, key: str = "-") -> str:
    return BroadcastPress(action, arg, key).pack()


async def _save(services: Services, user_id: int, data: dict[str, Any], kind: str) -> None:
    await services.db.people.set_pending_input(
        PendingInput(user_id, kind, data), services.clock.now()
    )


async def flow_state(services: Services, user_id: int, kind: str) -> PendingInput | None:
    state = await services.db.people.get_pending_input(user_id)
    return state if state is not None and state.kind == kind else None


async def event_choices(
    services: Services,
    lang: str,
    action: BroadcastAction,
    none_key: str,
    prompt: str,
    **prompt_args: object,
) -> OutgoingMessage:
    """A button per upcoming event, one for "no event", and Cancel."""
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    extra = (
        Button(services.t(lang, none_key), press(action)),
        Button(services.t(lang, "btn-cancel"), press(BroadcastAction.DISCARD)),
    )
    return event_picker(
        services.translator, lang, upcoming, lambda e: press(action, e.id), prompt=prompt,
        prompt_args=prompt_args, label=event_label, extra=extra, limit=MAX_CHOICES,
    )  # fmt: skip


async def active_event(services: Services, event_id: object) -> Event | None:
    if not isinstance(event_id, int) or event_id <= 0:
        return None
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        return None
    return event


async def pick_event(services: Services, user_id: int, lang: str) -> Step:
    """/broadcast without an event: which event is it about?"""
    picker = await event_choices(
        services, lang, BroadcastAction.EVENT, "broadcast-btn-no-event", "broadcast-choose-event"
    )
    await _save(services, user_id, {"step": "event"}, FLOW)
    return Step(picker)


async def choose_segment(services: Services, user_id: int, lang: str, event: Event | None) -> Step:
    storage = services.db
    options: list[tuple[str, str, Segment | None]] = []  # key, label key, segment to count
    if event is not None:
        options.append(("inv", "broadcast-seg-invitees", Segment(SegmentKind.INVITEES, event.id)))
        for key, statuses in _RSVP_KEYS.items():
            segment = Segment(SegmentKind.RSVP, event.id, statuses=statuses)
            options.append((key, f"broadcast-seg-{key}", segment))
        options.append(("org", "broadcast-seg-org", None))
        if event.programme_id is not None:
            programme = Segment(SegmentKind.PROGRAMME, programme_id=event.programme_id)
            options.append(("prog", "broadcast-seg-programme-of", programme))
    else:
        options.append(("org", "broadcast-seg-org", None))
        options.append(("prog", "broadcast-seg-programme", None))
    options.append(("all", "broadcast-seg-everyone", Segment(SegmentKind.EVERYONE)))
    buttons = []
    for key, label_key, counted in options:
        label = services.t(lang, label_key)
        if counted is not None:
            label += f" ({(await storage.campaigns.segment_size(counted)).reachable})"
        buttons.append(Button(label[:60], press(BroadcastAction.SEGMENT, key=key)))
    if event is not None:  # people not on Telegram yet: by e-mail (bot/email/invitations.py)
        from bot.email.invitations import start_button

        by_email = start_button(services, lang, event.id)
        if by_email is not None:
            buttons.append(by_email)
    buttons.append(Button(services.t(lang, "btn-cancel"), press(BroadcastAction.DISCARD)))
    await _save(
        services, user_id, {"step": "segment", "event_id": event.id if event else None}, FLOW
    )
    text = (
        services.t(lang, "broadcast-choose-segment", title=event.title)
        if event is not None
        else services.t(lang, "broadcast-choose-segment-all")
    )
    return Step(OutgoingMessage(text, rows(*buttons, per_row=1)))


async def _on_segment(
    services: Services, user_id: int, lang: str, data: dict[str, Any], key: str
) -> Step:
    event = await active_event(services, data.get("event_id"))
    if data.get("event_id") is not None and event is None:
        return say(services, lang, "error-event-not-found")
    segment: Segment | None = None
    if key == "all":
        segment = Segment(SegmentKind.EVERYONE)
    elif key == "inv" and event is not None:
        segment = Segment(SegmentKind.INVITEES, event.id)
    elif key in _RSVP_KEYS and event is not None:
        segment = Segment(SegmentKind.RSVP, event.id, statuses=_RSVP_KEYS[key])
    elif key == "prog" and event is not None and event.programme_id is not None:
        segment = Segment(SegmentKind.PROGRAMME, programme_id=event.programme_id)
    elif key == "prog" and event is None:
        programmes = (await services.db.events.list_programmes())[:MAX_CHOICES]
        if not programmes:
            return say(services, lang, "broadcast-no-programmes")
        buttons = [Button(p.title[:60], press(BroadcastAction.PROGRAMME, p.id)) for p in programmes]
        await _save(services, user_id, {**data, "step": "programme"}, FLOW)
        return Step(
            OutgoingMessage(
                services.t(lang, "broadcast-choose-programme"), rows(*buttons, per_row=1)
            )
        )
    elif key == "org":
        groups = (await services.db.campaigns.organisation_counts(event.id if event else None))[
            :MAX_CHOICES
        ]
        if not groups:
            return say(services, lang, "broadcast-no-organisations")
        buttons = [
            Button(f"{shown[:50]} ({count})", press(BroadcastAction.ORGANISATION, index))
            for index, (shown, _, count) in enumerate(groups)
        ]
        orgs = [spellings for _, spellings, _ in groups]
        await _save(services, user_id, {**data, "step": "organisation", "orgs": orgs}, FLOW)
        return Step(
            OutgoingMessage(services.t(lang, "broadcast-choose-org"), rows(*buttons, per_row=1))
        )
    if segment is None:
        return stale(services, lang)
    return await _segment_chosen(services, user_id, lang, data, segment, event)


async def _segment_chosen(
    services: Services,
    user_id: int,
    lang: str,
    data: dict[str, Any],
    segment: Segment,
    event: Event | None,
) -> Step:
    data = {**data, "segment": segment.to_dict()}
    data.pop("orgs", None)
    if event is None:
        await _save(
            services, user_id, {**data, "step": "text", "kind": CampaignKind.UPDATE.value}, FLOW
        )
        return say(services, lang, "broadcast-ask-text")
    await _save(services, user_id, {**data, "step": "kind"}, FLOW)
    buttons = [
        Button(
            services.t(lang, f"broadcast-kind-{kind.value}"),
            press(BroadcastAction.KIND, key=kind.value),
        )
        for kind in CampaignKind
    ]
    buttons.append(Button(services.t(lang, "btn-cancel"), press(BroadcastAction.DISCARD)))
    return Step(
        OutgoingMessage(services.t(lang, "broadcast-choose-kind"), rows(*buttons, per_row=1))
    )


async def on_text(
    services: Services, user_id: int, lang: str, state: PendingInput, body: str
) -> Step:
    """The organiser's own message (the "update" kind), as HTML."""
    if state.data.get("step") != "text":
        return say(services, lang, "broadcast-use-buttons")
    body = body.strip()
    if not body:
        return say(services, lang, "broadcast-ask-text")
    if len(body) > MAX_BODY:
        return say(services, lang, "broadcast-text-too-long", max=MAX_BODY)
    data = {**state.data, "body": body, "step": "preview"}
    await _save(services, user_id, data, FLOW)
    return await _preview(services, user_id, lang, data)


async def _choice(
    services: Services, lang: str, data: dict[str, Any]
) -> tuple[Segment, CampaignKind, Event | None] | Step:
    """Segment, kind and event of a stored draft; else what to tell the organiser."""
    try:
        segment = Segment.from_dict(data["segment"])
        kind = CampaignKind(str(data["kind"]))
    except (KeyError, ValueError, TypeError):
        return stale(services, lang)
    event = await active_event(services, data.get("event_id"))
    if data.get("event_id") is not None and event is None:
        return say(services, lang, "error-event-not-found")
    return segment, kind, event


async def _preview(services: Services, user_id: int, lang: str, data: dict[str, Any]) -> Step:
    choice = await _choice(services, lang, data)
    if isinstance(choice, Step):
        return choice
    segment, kind, event = choice
    body = data.get("body")
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id) if event else None
    sample = render_campaign_message(
        services, kind, event, lang, None, body=str(body) if body else None, counts=counts
    )
    labels = " · ".join(b.label for row in sample.buttons for b in row)
    size = await services.db.campaigns.segment_size(segment)
    programme_title = await _programme_title(services, segment)
    description = describe_segment(
        services, lang, segment, event=event, programme_title=programme_title
    )
    languages = await services.db.campaigns.segment_languages(segment)
    summary = [
        _RULE,
        services.t(lang, f"broadcast-kind-{kind.value}"),
        description,
        services.t(lang, "broadcast-preview-count", count=size.reachable),
    ]
    if size.skipped:
        summary.append(services.t(lang, "broadcast-preview-skipped", count=size.skipped))
    if languages:
        summary.append(
            services.t(
                lang,
                "broadcast-preview-languages",
                languages=", ".join(f"{code or '?'} {n}" for code, n in languages.items()),
            )
        )
    buttons: tuple[tuple[Button, ...], ...] = (
        (
            Button(
                services.t(lang, "broadcast-btn-send", count=size.reachable),
                press(BroadcastAction.SEND),
            ),
        ),
        (Button(services.t(lang, "btn-cancel"), press(BroadcastAction.DISCARD)),),
    )
    if size.reachable == 0:
        await services.db.people.clear_pending_input(user_id)
        summary.append(services.t(lang, "broadcast-nobody"))
        buttons = ()
    # One message (a chat gets about one a second): the message as people will see it, with
    # its buttons named, then who gets it.
    card = [services.t(lang, "broadcast-preview-title"), _RULE, sample.text]
    if labels:
        card.append(services.t(lang, "broadcast-preview-buttons", labels=labels))
    room = 4000 - sum(len(line) + 1 for line in summary)
    text = fit("\n".join(card).split("\n"), room) + "\n" + "\n".join(summary)
    return Step(OutgoingMessage(text, buttons))


async def _programme_title(services: Services, segment: Segment) -> str | None:
    if segment.programme_id is None:
        return None
    for programme in await services.db.events.list_programmes():
        if programme.id == segment.programme_id:
            return programme.title
    return None


async def on_press(
    services: Services, user_id: int, lang: str, action: BroadcastAction, arg: int, key: str
) -> Step:
    """A press on a step of the flow (event, segment, organisation, programme, kind)."""
    state = await flow_state(services, user_id, FLOW)
    if state is None:
        return stale(services, lang)
    step, flow = state.data.get("step"), dict(state.data)
    if action is BroadcastAction.EVENT and step == "event":
        event = await active_event(services, arg) if arg else None
        if arg and event is None:
            return say(services, lang, "error-event-not-found")
        return await choose_segment(services, user_id, lang, event)
    if action is BroadcastAction.SEGMENT and step == "segment":
        return await _on_segment(services, user_id, lang, flow, key)
    if action is BroadcastAction.ORGANISATION and step == "organisation":
        orgs = flow.get("orgs")
        if not isinstance(orgs, list) or not 0 <= arg < len(orgs):
            return stale(services, lang)
        event = await active_event(services, flow.get("event_id"))
        segment = Segment(
            SegmentKind.ORGANISATION,
            event_id=event.id if event else None,
            organisations=tuple(str(o) for o in orgs[arg]),
        )
        return await _segment_chosen(services, user_id, lang, flow, segment, event)
    if action is BroadcastAction.PROGRAMME and step == "programme":
        known = {p.id for p in await services.db.events.list_programmes()}
        if arg not in known:
            return stale(services, lang)
        segment = Segment(SegmentKind.PROGRAMME, programme_id=arg)
        return await _segment_chosen(services, user_id, lang, flow, segment, None)
    if action is BroadcastAction.KIND and step == "kind":
        try:
            kind = CampaignKind(key)
        except ValueError:
            return stale(services, lang)
        if kind is CampaignKind.UPDATE:
            await _save(services, user_id, {**flow, "step": "text", "kind": kind.value}, FLOW)
            return say(services, lang, "broadcast-ask-text")
        flow = {**flow, "step": "preview", "kind": kind.value}
        await _save(services, user_id, flow, FLOW)
        return await _preview(services, user_id, lang, flow)
    return stale(services, lang)


async def discard(services: Services, user_id: int, lang: str) -> Step:
    """Cancel pressed: the flow (or the list waiting for its event) is dropped."""
    await services.db.people.clear_pending_input(user_id)
    return Step(edit=OutgoingMessage(services.t(lang, "cancelled")))


async def confirm(services: Services, user_id: int, lang: str, chat_id: int | None) -> Step:
    """Send pressed on the preview: the campaign queued held; its progress message is shown
    next and then released (:func:`release`). A second press, or an old preview, is stale."""
    data = await services.db.people.take_pending_input(user_id, FLOW)
    if data is None or data.get("step") != "preview" or chat_id is None:
        return stale(services, lang)
    choice = await _choice(services, lang, data)
    if isinstance(choice, Step):
        return choice
    segment, kind, event = choice
    body = data.get("body")
    queued = await queue_campaign(
        services, kind=kind, segment=segment, event=event,
        body=str(body) if body else None, created_by=user_id, language=lang,
    )  # fmt: skip
    progress = await services.db.campaigns.campaign_progress(queued.campaign_id)
    assert progress is not None
    log.info(
        "organiser %s started campaign %d (%s, %d recipients)",
        user_id, queued.campaign_id, kind.value, queued.recipients,
    )  # fmt: skip
    return Step(
        progress_message(services, lang, progress, eta_s=None),
        drop_buttons=True,
        release=Release(queued.campaign_id),
    )


async def release(services: Services, shown: Release, chat_id: int, message_id: int) -> None:
    """The progress message is shown: the sender edits it from now on; the rows go out."""
    await services.db.campaigns.set_campaign_progress_message(
        shown.campaign_id, chat_id, message_id
    )
    if shown.resume:
        await resume(services, shown.campaign_id)
    else:
        await activate(services, shown.campaign_id)


async def stop_pressed(services: Services, lang: str, campaign_id: int) -> Step:
    held = await stop(services, campaign_id)
    progress = await services.db.campaigns.campaign_progress(campaign_id)
    if progress is None or (held == 0 and progress.status != "cancelled"):
        return Step(notice=services.t(lang, "broadcast-not-running"), alert=True)
    return Step(notice=services.t(lang, "broadcast-stopping"))


async def resume_pressed(
    services: Services, lang: str, campaign_id: int, chat_id: int | None
) -> Step:
    progress = await services.db.campaigns.campaign_progress(campaign_id)
    if progress is None or progress.status != "cancelled" or chat_id is None:
        return Step(notice=services.t(lang, "broadcast-not-stopped"), alert=True)
    return Step(
        progress_message(services, lang, progress, eta_s=None),
        drop_buttons=True,
        release=Release(campaign_id, resume=True),
    )


async def cancel_running(services: Services, user_id: int, lang: str) -> Step | None:
    """/cancel outside a guided flow: stop the organiser's own running campaigns."""
    campaigns = await services.db.campaigns.running_campaigns(created_by=user_id)
    if not campaigns:
        return None
    held = 0
    for campaign_id in campaigns:
        held += await stop(services, campaign_id)
    return say(services, lang, "broadcast-cancelled", count=held)


# -- the live progress message ---------------------------------------------------------------

# Edits a message in place: (chat id, message id, new content) -> False if it is gone
# (deleted, too old). The sender supplies it (it owns the Telegram connection).
EditMessage = Callable[[int, int, OutgoingMessage], Awaitable[bool]]


@dataclass(slots=True)
class _Watch:
    """What the reporter remembers of one campaign between looks (memory only)."""

    lang: str
    first_seen: float
    done_at_first: int
    last_edit: float = 0.0
    last_text: str = ""
    broken: bool = False  # the progress message cannot be edited any more


class ProgressReporter:
    """Edits each campaign's progress message and queues its final report.

    Everything it needs is in the database (campaign rows and their outcome counts), so
    after a restart it simply carries on with the same progress message.
    """

    def __init__(self, services: Services, edit: EditMessage) -> None:
        self.services = services
        self._edit = edit
        self.interval = services.settings.broadcast.progress_interval_s
        self._watch: dict[int, _Watch] = {}
        self._touched: set[int] = set()
        self._lock = asyncio.Lock()

    def touch(self, campaign_id: int) -> None:
        self._touched.add(campaign_id)

    async def discard_drafts(self, *, worker: str, own: bool) -> None:
        """Drafts a crash left half-queued are dropped; their organiser is told. A draft
        another live worker is still queueing is left alone (``own``: this worker's drafts
        are a previous life's)."""
        # Leases are stamped in real time, whatever clock the business runs on (the demo).
        drafts = await self.services.db.campaigns.discard_orphan_drafts(
            worker,
            live_at=datetime.now(UTC),
            own=own,
            unclaimed_before=self.services.clock.now() - DRAFT_UNCLAIMED,
        )
        for campaign_id, chat_id, message_id, language in drafts:
            log.warning("campaign %d was interrupted while being queued; discarded", campaign_id)
            if chat_id is not None and message_id is not None:
                lang = language or await self._language(chat_id)
                await self._edit(chat_id, message_id, interrupted_message(self.services, lang))

    async def on_idle(self) -> bool:
        """Nothing to send: close finished campaigns. True if a report was queued."""
        now = self.services.clock.now()
        await self.services.db.campaigns.finish_done_campaigns(now)
        return await self.tick(final_only=True)

    async def tick(self, *, final_only: bool = False) -> bool:
        loop = asyncio.get_running_loop()
        queued = False
        async with self._lock:
            touched: set[int] = set()
            if not final_only:
                touched, self._touched = self._touched, set()
            for progress in await self.services.db.campaigns.campaigns_to_report():
                watch = await self._watching(progress, loop.time())
                finished = progress.status in ("done", "cancelled") and progress.sending == 0
                if progress.status == "running" and progress.remaining == 0:
                    finished = await self.services.db.campaigns.finish_campaign_if_done(
                        progress.campaign_id, self.services.clock.now()
                    )
                    if finished:
                        reread = await self.services.db.campaigns.campaign_progress(
                            progress.campaign_id
                        )
                        progress = reread or progress
                if finished:
                    queued |= await self._finish(progress, watch)
                elif not final_only and (progress.campaign_id in touched or not watch.last_text):
                    await self._update(progress, watch, loop.time())
        return queued

    async def _watching(self, progress: CampaignProgress, now: float) -> _Watch:
        watch = self._watch.get(progress.campaign_id)
        if watch is None:
            lang = progress.language or await self._language(progress.created_by)
            watch = self._watch[progress.campaign_id] = _Watch(lang, now, progress.done)
        return watch

    async def _language(self, telegram_id: int | None) -> str:
        services = self.services
        if telegram_id is None:
            return services.settings.default_language
        person = await services.db.people.get_participant_by_telegram(telegram_id)
        return services.language_of(person.language if person else None)

    def eta(self, progress: CampaignProgress, watch: _Watch, now: float) -> float:
        elapsed = now - watch.first_seen
        done = progress.done - watch.done_at_first
        if elapsed > 1.0 and done > 0:
            return progress.remaining * elapsed / done
        return (
            progress.remaining
            * (1.0 + self.services.settings.broadcast.headroom)
            / max(self.services.settings.broadcast.rate_per_second, 0.001)
        )

    async def _update(self, progress: CampaignProgress, watch: _Watch, now: float) -> None:
        if watch.broken:
            return
        if now - watch.last_edit < self.interval:
            self._touched.add(progress.campaign_id)  # not yet: the next look will
            return
        message = progress_message(
            self.services, watch.lang, progress, eta_s=self.eta(progress, watch, now)
        )
        if message.text == watch.last_text:
            return
        watch.last_edit, watch.last_text = now, message.text
        assert progress.progress_chat_id is not None and progress.progress_message_id is not None
        if not await self._edit(progress.progress_chat_id, progress.progress_message_id, message):
            watch.broken = True

    async def _finish(self, progress: CampaignProgress, watch: _Watch) -> bool:
        services = self.services
        if not await services.db.campaigns.mark_campaign_reported(
            progress.campaign_id, services.clock.now()
        ):
            return False
        self._watch.pop(progress.campaign_id, None)
        took = None
        if progress.started_at is not None and progress.finished_at is not None:
            took = (progress.finished_at - progress.started_at).total_seconds()
        report = final_report(services, watch.lang, progress, took_s=took)
        log.info(
            "campaign %d %s: sent %d, failed %d, unreachable %d, pending %d, duplicates <= %d",
            progress.campaign_id, progress.status, progress.sent, progress.failed,
            progress.unreachable, progress.pending, progress.possible_duplicates,
        )  # fmt: skip
        assert progress.progress_chat_id is not None and progress.progress_message_id is not None
        await self._edit(
            progress.progress_chat_id,
            progress.progress_message_id,
            OutgoingMessage(report.text),
        )
        await queue_messages(services, [OutboxItem(progress.progress_chat_id, report.to_json())])
        return True
