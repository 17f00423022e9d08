"""Invitations by e-mail: who gets one, building and queueing them, reminders, the report,
unsubscribing, and the organiser's guided flow (``/broadcast`` -> "By e-mail") as
Telegram-free steps that bot/handlers/email.py renders.

An e-mail campaign (``db.email_invitations``) names an event and a segment of the people
invited to it who have an address and a personal link: everyone, those who have not opened
the bot yet, one organisation. Queueing it builds each person's e-mail
(bot/email/compose.py) with their personal link (bot/invitations.py) and an unsubscribe
link signed for that e-mail (bot/email/unsubscribe.py), and hands the bytes to the
transport's outbox (``db.email_outbox``), which paces, retries and records delivery.

A reminder goes only to people who, when it is queued, have neither opened their link nor
answered, did not opt out, did not unsubscribe and were not forgotten; a reminder for later
waits as a campaign row with ``send_at`` and is queued by :func:`queue_due` (a job of the
running bot), which checks all of that again at that moment.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from bot.callbacks import CallbackData
from bot.email.compose import (
    BadAddress,
    Letter,
    Sender,
    compose,
    plain,
    plain_body,
    subject,
    texts_for,
    to_bytes,
)
from bot.email.unsubscribe import (
    PATH_PREFIX,
    make_token,
    parse_token,
    secret_key,
    signature_matches,
    unsubscribe_url,
)
from bot.i18n import format_short
from bot.invitations import personal_link
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    EmailCampaign,
    EmailItem,
    EmailKind,
    EmailRecipient,
    EmailSegment,
    Event,
    EventStatus,
    PendingInput,
)
from bot.services import Services
from bot.views import fit

log = logging.getLogger(__name__)

CHUNK = 200  # recipients built and queued per step (an e-mail is ~10 kB with its QR code)
FLOW = "email"
MAX_CHOICES = 30
REMINDER_HOURS = (24, 72)  # the "reminder later" choices of the chat flow
_RULE = "────────"


# -- building and queueing ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Queued:
    campaign_id: int
    queued: int  # e-mails handed to the outbox
    skipped: int  # unsubscribed, undeliverable, a bad address, opened meanwhile (reminders)
    scheduled_for: datetime | None = None  # a reminder waiting for its moment


def email_sender(services: Services) -> Sender:
    settings = services.settings.email
    if settings is None:
        raise RuntimeError("e-mail is off: there are no [email] settings")
    return Sender(settings, services.settings.organisation_name, services.bot_username)


async def _event_language(services: Services, event: Event) -> str:
    """The event's language for people who never chose one: its programme's document
    language if set, else the bot's default."""
    if event.programme_id is not None:
        documents = await services.db.documents.programme_documents(event.programme_id)
        if documents is not None and documents.cert_language in ("lt", "en", "uk"):
            return documents.cert_language
    return services.settings.default_language


def _language(stored: str | None, fallback: str) -> str:
    return stored if stored in ("lt", "en", "uk") else fallback


def letter_for(
    services: Services, kind: EmailKind, event: Event, recipient: EmailRecipient, lang: str,
    token: str,
) -> Letter:  # fmt: skip
    settings = services.settings.email
    assert settings is not None
    contact = settings.reply_to or settings.from_address
    return Letter(
        kind=kind, event=event, lang=lang, name=recipient.name, address=recipient.address,
        link=personal_link(services.bot_username, recipient.personal_code),
        unsubscribe_url=unsubscribe_url(settings.public_url, token),
        unsubscribe_mailto=f"mailto:{contact}?subject=unsubscribe%20{token}",
    )  # fmt: skip


async def _deliverable(
    services: Services, recipients: Sequence[EmailRecipient]
) -> list[EmailRecipient]:
    """Those whose address is not suppressed (unsubscribed, bounced, forgotten) and did not
    use an unsubscribe link of ours."""
    unsubscribed = await services.db.email_invitations.unsubscribed_addresses(
        [r.address for r in recipients]
    )
    kept = []
    for recipient in recipients:
        if recipient.address in unsubscribed:
            continue
        if await services.db.email_outbox.is_suppressed(recipient.address):
            continue
        kept.append(recipient)
    return kept


async def _queue_chunk(
    services: Services, campaign: EmailCampaign, event: Event, chunk: Sequence[EmailRecipient],
    fallback: str, now: datetime,
) -> tuple[int, int]:  # fmt: skip
    """Build and queue one chunk: (queued, skipped)."""
    if campaign.kind is EmailKind.REMINDER:  # checked again now, not when it was planned
        still = await services.db.email_invitations.still_unopened([r.personal_code for r in chunk])
        chunk = [r for r in chunk if r.personal_code in still]
    kept = await _deliverable(services, chunk)
    skipped = len(chunk) - len(kept)
    languages = [_language(r.language, fallback) for r in kept]
    ids = await services.db.email_invitations.record_email_sends(campaign.id, kept, languages, now)
    key = secret_key(services.settings)
    sender = email_sender(services)

    def build() -> tuple[list[EmailItem], int]:
        """Compose the chunk (a QR image and a calendar file each: some 15 ms of CPU per
        e-mail), in a worker thread so the bot keeps answering meanwhile."""
        items: list[EmailItem] = []
        bad = 0
        for recipient, lang in zip(kept, languages, strict=True):
            send_id = ids.get(recipient.personal_code)
            if send_id is None:
                continue
            token = make_token(key, send_id, campaign.id, recipient.address)
            letter = letter_for(services, campaign.kind, event, recipient, lang, token)
            try:
                message = compose(services.translator, sender, letter, now=now)
            except BadAddress:
                log.info("e-mail campaign %d: participant %s has an address we cannot write to",
                         campaign.id, recipient.participant_id)  # fmt: skip
                bad += 1
                continue
            items.append(
                EmailItem(
                    address=recipient.address.lower(),
                    participant_id=recipient.participant_id,
                    dedup_key=f"email:{campaign.id}:{recipient.personal_code}",
                    message=to_bytes(message),
                )
            )
        return items, bad

    items, bad = await asyncio.to_thread(build)
    skipped += bad
    queued = await services.db.email_outbox.enqueue(
        items, campaign_id=campaign.id, not_before=None, now=now
    )
    if queued:
        services.wake_email_sender()
    return queued, skipped


async def deliver(services: Services, campaign: EmailCampaign) -> Queued:
    """Queue the e-mails of ``campaign`` now (again after a crash: the rows and the outbox's
    dedup keys make a second run add nothing twice)."""
    event = await services.db.events.get_event(campaign.event_id)
    now = services.clock.now()
    if event is None or event.status is not EventStatus.ACTIVE or event.ends_at <= now:
        await services.db.email_invitations.mark_email_campaign_queued(campaign.id, now)
        log.info("e-mail campaign %d: its event is gone, cancelled or over", campaign.id)
        return Queued(campaign.id, 0, 0)
    fallback = await _event_language(services, event)
    segment = campaign.segment
    reminder = campaign.kind is EmailKind.REMINDER
    if reminder:
        segment = EmailSegment(segment.event_id, True, segment.organisations)
    queued = skipped = 0
    after = 0
    while True:
        chunk = await services.db.email_invitations.email_recipients(
            segment, unanswered=reminder, after_id=after, limit=CHUNK
        )
        if not chunk:
            break
        after = chunk[-1].participant_id
        added, dropped = await _queue_chunk(services, campaign, event, chunk, fallback, now)
        queued, skipped = queued + added, skipped + dropped
    await services.db.email_invitations.mark_email_campaign_queued(campaign.id, now)
    log.info("e-mail campaign %d (%s): %d queued, %d skipped", campaign.id,
             campaign.kind.value, queued, skipped)  # fmt: skip
    return Queued(campaign.id, queued, skipped)


async def queue_campaign(
    services: Services,
    segment: EmailSegment,
    kind: EmailKind,
    *,
    created_by: int | None,
    send_at: datetime | None = None,
) -> Queued:
    """Create the campaign; queue its e-mails now, or leave a reminder for ``send_at``."""
    now = services.clock.now()
    campaign_id = await services.db.email_invitations.create_email_campaign(
        segment, kind, created_by=created_by, now=now, send_at=send_at
    )
    campaign = await services.db.email_invitations.get_email_campaign(campaign_id)
    assert campaign is not None
    if send_at is not None and send_at > now:
        return Queued(campaign_id, 0, 0, scheduled_for=send_at)
    return await deliver(services, campaign)


async def queue_due(services: Services) -> int:
    """Queue the reminders whose moment has come (a job of the running bot)."""
    if services.settings.email is None:
        return 0
    total = 0
    for campaign in await services.db.email_invitations.due_email_campaigns(services.clock.now()):
        total += (await deliver(services, campaign)).queued
    return total


async def count_recipients(services: Services, segment: EmailSegment) -> tuple[int, int]:
    """(who would get the e-mail, who is left out: unsubscribed or undeliverable)."""
    count = skipped = 0
    after = 0
    while True:
        chunk = await services.db.email_invitations.email_recipients(
            segment, after_id=after, limit=1000
        )
        if not chunk:
            return count, skipped
        after = chunk[-1].participant_id
        kept = await _deliverable(services, chunk)
        count += len(kept)
        skipped += len(chunk) - len(kept)


# -- what happens afterwards ---------------------------------------------------------------


async def link_opened(services: Services, personal_code: str, participant_id: int) -> None:
    """A personal link was bound to a Telegram account: the e-mails that carried it count
    as "opened the bot afterwards" in the report."""
    now = services.clock.now()
    await services.db.email_invitations.record_link_opened(personal_code, participant_id, now)
    cancelled = await services.db.email_invitations.cancel_waiting_reminders(personal_code, now)
    if cancelled:
        log.info("participant %s opened the bot: %d waiting e-mail reminders cancelled",
                 participant_id, cancelled)  # fmt: skip


@dataclass(frozen=True, slots=True)
class UnsubscribeTarget:
    address: str
    lang: str


async def unsubscribe_target(services: Services, token: str) -> UnsubscribeTarget | None:
    """Whose unsubscribe link this is; None for a malformed, forged or forgotten one."""
    parsed = parse_token(token)
    if parsed is None or services.settings.email is None:
        return None
    send_id, signature = parsed
    send = await services.db.email_invitations.get_email_send(send_id)
    if send is None or send.address is None:
        return None
    key = secret_key(services.settings)
    if not signature_matches(key, signature, send.id, send.campaign_id, send.address):
        log.info("unsubscribe: a link with a wrong signature (row %d)", send_id)
        return None
    return UnsubscribeTarget(send.address, services.language_of(send.language))


async def unsubscribe(services: Services, token: str) -> UnsubscribeTarget | None:
    """One click: the address gets no further e-mail; recorded for the report."""
    target = await unsubscribe_target(services, token)
    if target is None:
        return None
    now = services.clock.now()
    await services.db.email_outbox.suppress(target.address, "unsubscribed", now)
    await services.db.email_invitations.mark_unsubscribed(target.address, now)
    log.info("unsubscribe: an address was unsubscribed")
    return target


async def mark_bounced(services: Services, addresses: Sequence[str]) -> int:
    """Addresses a delivery report says are undeliverable: suppressed, and the e-mails to
    them marked bounced; how many of them we had written to."""
    now = services.clock.now()
    known = 0
    for address in addresses:
        await services.db.email_outbox.suppress(address.lower(), "bounced", now)
        if await services.db.email_invitations.mark_bounced(address.lower(), now):
            known += 1
    return known


# -- the report ----------------------------------------------------------------------------


def _count(counts: dict[str, int], *names: str) -> int:
    return sum(int(counts.get(name, 0)) for name in names)


async def _campaign_lines(
    services: Services, lang: str, event: Event, campaign: EmailCampaign
) -> list[str]:
    when = format_short(campaign.send_at or campaign.created_at, event.timezone)
    kind = services.t(lang, f"email-subject-{campaign.kind.value}", title="").rstrip(": ")
    lines = [services.t(lang, "email-report-campaign", kind=kind, when=when)]
    if campaign.queued_at is None:
        return [*lines, services.t(lang, "email-report-waiting", when=when)]
    counts = await services.db.email_outbox.campaign_email_counts(campaign.id)
    per_org = await services.db.email_invitations.email_report(campaign.id)
    lines.append(
        services.t(
            lang,
            "email-report-totals",
            sent=_count(counts, "sent"),
            pending=_count(counts, "pending", "sending"),
            refused=_count(counts, "failed", "undeliverable"),
            bounced=sum(o.bounced for o in per_org),
            unsubscribed=sum(o.unsubscribed for o in per_org),
            opened=sum(o.opened for o in per_org),
        )
    )
    for line in per_org:
        organisation = line.organisation or services.t(lang, "email-report-no-organisation")
        lines.append(
            services.t(
                lang,
                "email-report-line",
                organisation=organisation,
                queued=line.queued,
                opened=line.opened,
                bounced=line.bounced,
                unsubscribed=line.unsubscribed,
            )
        )
    return lines


async def report(services: Services, lang: str, event: Event) -> OutgoingMessage:
    """Every e-mail campaign of the event: the transport's totals (sent, waiting, refused)
    and ours per organisation (queued, opened the bot afterwards, bounced, unsubscribed)."""
    campaigns = await services.db.email_invitations.email_campaigns(event.id)
    lines = [services.t(lang, "email-report-title", title=event.title)]
    if not campaigns:
        return OutgoingMessage("\n".join([*lines, services.t(lang, "email-report-none")]))
    for campaign in campaigns:
        lines += ["", *await _campaign_lines(services, lang, event, campaign)]
    return OutgoingMessage(fit(lines))


# -- live progress of a campaign being sent ---------------------------------------------


def _report_button(services: Services, lang: str, event_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((Button(services.t(lang, "email-btn-report"), press("report", event_id)),),)


async def progress(services: Services, lang: str, campaign_id: int) -> tuple[OutgoingMessage, bool]:
    """The campaign's progress message, and whether it is done (nothing waiting or in
    flight): then the message is its final report, per organisation."""
    campaign = await services.db.email_invitations.get_email_campaign(campaign_id)
    event = await services.db.events.get_event(campaign.event_id) if campaign else None
    if campaign is None or event is None:
        return OutgoingMessage(services.t(lang, "error-event-not-found")), True
    counts = await services.db.email_outbox.campaign_email_counts(campaign_id)
    waiting = _count(counts, "pending", "sending")
    buttons = _report_button(services, lang, event.id)
    if waiting and campaign.queued_at is not None:
        text = services.t(
            lang, "email-progress", title=event.title, sent=_count(counts, "sent"),
            pending=waiting, refused=_count(counts, "failed", "undeliverable"),
        )  # fmt: skip
        return OutgoingMessage(text, buttons), False
    lines = [
        services.t(lang, "email-progress-done", title=event.title),
        *await _campaign_lines(services, lang, event, campaign),
    ]
    return OutgoingMessage(fit(lines), buttons), True


Edit = Callable[[OutgoingMessage], Awaitable[None]]
Idle = Callable[[float], Awaitable[None]]  # returns when the e-mail sender is idle, or after


async def follow(
    services: Services, lang: str, campaign_id: int, edit: Edit, idle: Idle,
    *, max_hours: float = 12.0,
) -> None:  # fmt: skip
    """Keep the progress message up to date (every ``progress_interval_s``, or as soon as
    the e-mail sender has nothing left to do) until the campaign is done; then its report."""
    interval = services.settings.broadcast.progress_interval_s
    shown = ""
    for _ in range(int(max_hours * 3600 / interval)):
        message, done = await progress(services, lang, campaign_id)
        if message.text != shown:
            await edit(message)
            shown = message.text
        if done:
            return
        await idle(interval)


# -- the organiser's guided flow -----------------------------------------------------------
#
# /broadcast <event> -> "By e-mail" -> segment -> kind (invitation, reminder now or later)
# -> preview -> send. Its state is a ``pending_inputs`` row (kind ``email``); buttons carry
# only an action, an index or a key, checked against that state.


@dataclass(frozen=True)
class EmailPress(CallbackData):
    """Organiser buttons of the e-mail flow (behind the organiser gate)."""

    prefix: ClassVar[str] = "em"
    organiser: ClassVar[bool] = True
    action: str  # start, seg, org, kind, send, drop, report
    arg: int = 0
    key: str = "-"


def press(action: str, arg: int = 0, key: str = "-") -> str:
    return EmailPress(action, arg, key).pack()


def start_button(services: Services, lang: str, event_id: int) -> Button | None:
    """The "By e-mail" button of /broadcast (None when e-mail is off)."""
    if services.settings.email is None:
        return None
    return Button(services.t(lang, "email-btn-by-email")[:60], press("start", event_id))


@dataclass(frozen=True, slots=True)
class Step:
    """What the organiser sees next; ``follow``: the campaign whose progress ``message``
    shows, kept up to date by :func:`follow` once it is sent."""

    message: OutgoingMessage | None = None
    notice: str | None = None
    alert: bool = False
    drop_buttons: bool = False
    follow: int | None = None


def _say(services: Services, lang: str, key: str, /, **args: object) -> Step:
    return Step(OutgoingMessage(services.t(lang, key, **args)))


def _stale(services: Services, lang: str) -> Step:
    return _say(services, lang, "broadcast-flow-expired")


async def _save(services: Services, user_id: int, data: dict[str, Any]) -> None:
    await services.db.people.set_pending_input(
        PendingInput(user_id, FLOW, data), services.clock.now()
    )


async def _active(services: Services, event_id: object) -> Event | None:
    if not isinstance(event_id, int) or event_id <= 0:
        return None
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        return None
    return event


def _cancel(services: Services, lang: str) -> Button:
    return Button(services.t(lang, "btn-cancel"), press("drop"))


async def start(services: Services, user_id: int, lang: str, event_id: int) -> Step:
    """ "By e-mail" pressed on /broadcast's segment step: who gets the e-mail?"""
    if services.settings.email is None:
        return _say(services, lang, "email-off")
    event = await _active(services, event_id)
    if event is None:
        return _say(services, lang, "error-event-not-found")
    not_opened, _ = await count_recipients(services, EmailSegment(event.id, not_opened=True))
    everyone, _ = await count_recipients(services, EmailSegment(event.id))
    buttons = (
        Button(
            services.t(lang, "email-seg-not-opened", count=not_opened)[:60], press("seg", key="no")
        ),
        Button(services.t(lang, "email-seg-all", count=everyone)[:60], press("seg", key="all")),
        Button(services.t(lang, "email-seg-org")[:60], press("seg", key="org")),
        _cancel(services, lang),
    )
    await _save(services, user_id, {"step": "segment", "event_id": event.id})
    text = services.t(lang, "email-choose-segment", title=event.title)
    return Step(OutgoingMessage(text, rows(*buttons, per_row=1)))


async def _organisations(services: Services, event_id: int) -> list[tuple[str, int]]:
    """(organisation as first written, people with an address) of the event's invitees."""
    counts: dict[str, tuple[str, int]] = {}
    after = 0
    while True:
        chunk = await services.db.email_invitations.email_recipients(
            EmailSegment(event_id), after_id=after, limit=1000
        )
        if not chunk:
            break
        after = chunk[-1].participant_id
        for r in chunk:
            shown = r.organisation or ""
            key = shown.lower()
            first, n = counts.get(key, (shown, 0))
            counts[key] = (first, n + 1)
    return sorted(counts.values(), key=lambda item: (-item[1], item[0]))


def _kinds(services: Services, lang: str) -> Step:
    buttons = [
        Button(services.t(lang, "email-kind-invitation"), press("kind", key="inv")),
        Button(services.t(lang, "email-kind-reminder-now"), press("kind", key="rem")),
        *(
            Button(services.t(lang, "email-kind-reminder-later", hours=h), press("kind", h, "rem"))
            for h in REMINDER_HOURS
        ),
        _cancel(services, lang),
    ]
    return Step(OutgoingMessage(services.t(lang, "email-choose-kind"), rows(*buttons, per_row=1)))


async def on_press(
    services: Services, user_id: int, lang: str, action: str, arg: int, key: str
) -> Step:
    """A press on a step of the e-mail flow."""
    if action == "start":
        return await start(services, user_id, lang, arg)
    if action == "drop":
        await services.db.people.clear_pending_input(user_id)
        return Step(OutgoingMessage(services.t(lang, "cancelled")), drop_buttons=True)
    if action == "report":
        event = await services.db.events.get_event(arg)
        if event is None:
            return _say(services, lang, "error-event-not-found")
        return Step(await report(services, lang, event))
    state = await services.db.people.get_pending_input(user_id)
    if state is None or state.kind != FLOW:
        return _stale(services, lang)
    data, step = dict(state.data), state.data.get("step")
    event = await _active(services, data.get("event_id"))
    if event is None:
        return _say(services, lang, "error-event-not-found")
    if action == "seg" and step == "segment":
        if key == "org":
            groups = (await _organisations(services, event.id))[:MAX_CHOICES]
            buttons = [
                Button(f"{(shown or '—')[:50]} ({n})", press("org", i))
                for i, (shown, n) in enumerate(groups)
            ]
            await _save(services, user_id, {**data, "step": "organisation",
                                            "orgs": [shown for shown, _ in groups]})  # fmt: skip
            return Step(
                OutgoingMessage(
                    services.t(lang, "email-choose-org"),
                    rows(*buttons, _cancel(services, lang), per_row=1),
                )
            )
        if key not in ("no", "all"):
            return _stale(services, lang)
        segment = EmailSegment(event.id, not_opened=key == "no")
        await _save(services, user_id, {**data, "step": "kind", "segment": segment.to_dict()})
        return _kinds(services, lang)
    if action == "org" and step == "organisation":
        orgs = data.get("orgs")
        if not isinstance(orgs, list) or not 0 <= arg < len(orgs):
            return _stale(services, lang)
        segment = EmailSegment(event.id, organisations=(str(orgs[arg]),))
        data.pop("orgs", None)
        await _save(services, user_id, {**data, "step": "kind", "segment": segment.to_dict()})
        return _kinds(services, lang)
    if action == "kind" and step == "kind" and key in ("inv", "rem"):
        if (arg and arg not in REMINDER_HOURS) or (key == "inv" and arg):
            return _stale(services, lang)
        data = {**data, "step": "preview", "kind": key, "hours": arg}
        await _save(services, user_id, data)
        return await _preview(services, user_id, lang, event, data)
    if action == "send" and step == "preview":
        return await _send(services, user_id, lang, event)
    return _stale(services, lang)


def _choice(data: dict[str, Any]) -> tuple[EmailSegment, EmailKind, int] | None:
    try:
        segment = EmailSegment.from_dict(data["segment"])
        kind = EmailKind.INVITATION if data["kind"] == "inv" else EmailKind.REMINDER
        hours = int(data.get("hours") or 0)
    except (KeyError, ValueError, TypeError):
        return None
    return segment, kind, hours


async def _preview(
    services: Services, user_id: int, lang: str, event: Event, data: dict[str, Any]
) -> Step:
    choice = _choice(data)
    if choice is None:
        return _stale(services, lang)
    segment, kind, hours = choice
    if kind is EmailKind.REMINDER:
        segment = EmailSegment(segment.event_id, True, segment.organisations)
    count, skipped = await count_recipients(services, segment)
    sample_person = EmailRecipient(0, None, None, "name@example.org", lang, "x" * 12, False)
    letter = letter_for(services, kind, event, sample_person, lang, "0.preview")
    lines = [
        services.t(lang, "email-preview-title"),
        _RULE,
        services.t(lang, "email-preview-subject", subject=subject(services.translator, letter)),
        "",
    ]
    # The same text the e-mail carries.
    body = plain_body(texts_for(services.translator, email_sender(services), letter), letter)
    lines += [html.escape(line, quote=False) for line in body.split("\n")[:18]]
    lines += [_RULE, services.t(lang, "email-preview-count", count=count)]
    if skipped:
        lines.append(services.t(lang, "email-preview-skipped", count=skipped))
    if hours:
        when = format_short(services.clock.now() + timedelta(hours=hours), event.timezone)
        lines.append(services.t(lang, "email-preview-later", when=when))
    if count == 0 and not hours:
        await services.db.people.clear_pending_input(user_id)
        lines.append(services.t(lang, "email-nobody"))
        return Step(OutgoingMessage(fit(lines)))
    label = (
        services.t(lang, "email-btn-schedule")
        if hours
        else services.t(lang, "email-btn-send", count=count)
    )
    buttons = ((Button(label, press("send")),), (_cancel(services, lang),))
    return Step(OutgoingMessage(fit(lines), buttons))


async def _send(services: Services, user_id: int, lang: str, event: Event) -> Step:
    data = await services.db.people.take_pending_input(user_id, FLOW)
    choice = _choice(data) if data is not None and data.get("step") == "preview" else None
    if choice is None:
        return _stale(services, lang)
    segment, kind, hours = choice
    send_at = services.clock.now() + timedelta(hours=hours) if hours else None
    queued = await queue_campaign(services, segment, kind, created_by=user_id, send_at=send_at)
    log.info("organiser %s: e-mail campaign %d about event %d (%s)", user_id,
             queued.campaign_id, event.id, kind.value)  # fmt: skip
    if queued.scheduled_for is not None:
        when = format_short(queued.scheduled_for, event.timezone)
        text = services.t(lang, "email-scheduled", when=when)
        return Step(
            OutgoingMessage(text, _report_button(services, lang, event.id)), drop_buttons=True
        )
    text = services.t(lang, "email-queued", count=queued.queued)
    return Step(
        OutgoingMessage(text, _report_button(services, lang, event.id)),
        drop_buttons=True,
        follow=queued.campaign_id,
    )


def preview_text(message_bytes: bytes) -> str:
    """The plain-text part of a built e-mail (the CLI's --dry-run shows it)."""
    from email.parser import BytesParser
    from email.policy import default

    parsed = BytesParser(policy=default).parsebytes(message_bytes)
    body = parsed.get_body(("plain",))
    return plain(str(body.get_content())) if body is not None else ""


__all__ = ["PATH_PREFIX", "EmailPress", "Queued", "Step"]
