"""Messages the bot sends on its own initiative, rendered per recipient and queued.

Everything here goes through the outbox (never straight to Telegram), so the sender's
rate limits, retries and crash recovery apply to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.events import EventChange
from bot.i18n import Markup
from bot.models import Event, OutboxItem, Recipient, RsvpStatus
from bot.services import Services
from bot.views import event_card, place_lines, when_line

CHANGE_NOTIFIED = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.WAITLIST)


async def queue_messages(
    services: Services,
    items: Sequence[OutboxItem],
    *,
    campaign_id: int | None = None,
) -> int:
    now = services.clock.now()
    added = await services.db.outbox.enqueue(
        items, campaign_id=campaign_id, not_before=now, now=now
    )
    services.wake_sender()
    return added


def change_summary(services: Services, lang: str, change: EventChange) -> str:
    tr, after = services.translator, change.after
    lines = [tr.text(lang, "change-header", title=after.title), ""]
    for field in change.notify:
        if field == "time":
            lines.append(tr.text(lang, "change-time", when=Markup(when_line(tr, lang, after))))
        elif field == "place":
            lines += [tr.text(lang, "change-place"), *place_lines(tr, lang, after)]
        elif field == "agenda":
            lines.append(tr.text(lang, "change-agenda"))
        elif field == "title":
            lines.append(tr.text(lang, "change-title", old=change.before.title))
    return "\n".join(lines)


async def notify_event_change(services: Services, change: EventChange) -> int:
    """Tell everyone who said yes, maybe or waits for a place what changed."""
    if not change.notify:
        return 0
    event = change.after
    recipients = await services.db.rsvps.event_recipients(event.id, CHANGE_NOTIFIED)
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
    statuses = {
        r.participant_id: await services.db.rsvps.get_rsvp(event.id, r.participant_id)
        for r in recipients
    }
    items = []
    for r in recipients:
        lang = services.language_of(r.language)
        card = event_card(
            services.translator, lang, event, status=statuses[r.participant_id], counts=counts,
            header=change_summary(services, lang, change),
        )  # fmt: skip
        items.append(OutboxItem(r.telegram_id, card.to_json(), r.participant_id))
    campaign = await services.db.campaigns.create_campaign(
        kind="update", event_id=event.id, segment={"change": list(change.notify)},
        created_by=None, now=services.clock.now(),
    )  # fmt: skip
    return await queue_messages(services, items, campaign_id=campaign)


async def notify_cancelled(services: Services, event: Event) -> int:
    recipients = await services.db.rsvps.event_recipients(event.id, CHANGE_NOTIFIED)
    items = [
        OutboxItem(
            r.telegram_id,
            _text(services, r, "event-cancelled-notice", title=event.title),
            r.participant_id,
        )
        for r in recipients
    ]
    return await queue_messages(services, items)


async def notify_promoted(services: Services, event: Event, participant_ids: Sequence[int]) -> int:
    """A place freed up: the first people on the waitlist are now "yes"."""
    recipients = await services.db.rsvps.participants_by_ids(participant_ids)
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
    items = []
    for r in recipients:
        lang = services.language_of(r.language)
        card = event_card(
            services.translator, lang, event, status=RsvpStatus.YES, counts=counts,
            header=services.t(lang, "waitlist-promoted", title=event.title),
        )  # fmt: skip
        items.append(OutboxItem(r.telegram_id, card.to_json(), r.participant_id))
    return await queue_messages(services, items)


def _text(services: Services, recipient: Recipient, key: str, **args: object) -> str:
    from bot.messages import OutgoingMessage

    return OutgoingMessage(services.t(recipient.language, key, **args)).to_json()
