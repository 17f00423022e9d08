"""Who may act on an event, and who may see its online meeting link (no Telegram types).

Event ids are small sequential numbers, so a button's data proves nothing: anyone can type
``v1:card:2``. Access follows invitations instead (docs/privacy.md):

- :func:`require_invitation` - a participant's press that names an event is honoured only
  for someone who holds an invitation to it (opened its link or a personal link, was sent it
  by a broadcast, pressed a card an organiser posted in a group) or was marked present at it.
  Every participant button goes through it in ``bot.handlers.common.participant_press``.
- :func:`join_link_allowed` - the online meeting link goes only to someone who answered yes
  or is marked present, only inside the join window, and only in their private reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.models import Event, EventStatus, Participant, Presence, RsvpStatus
from bot.services import Services

log = logging.getLogger(__name__)


async def require_invitation(services: Services, participant: Participant, event_id: int) -> bool:
    """True if the participant may act on the event; False (one log line) otherwise."""
    if event_id > 0 and await services.db.invitations.holds_invitation(event_id, participant.id):
        return True
    log.info("refused: participant %s holds no invitation to event %s", participant.id, event_id)
    return False


def join_window(services: Services, event: Event) -> tuple[datetime, datetime]:
    """From ``attendance.checkin_opens_minutes`` before the start until the end."""
    before = timedelta(minutes=services.settings.attendance.checkin_opens_minutes)
    return event.starts_at - before, event.ends_at


class JoinRefusal(StrEnum):
    NO_LINK = "no-link"  # not an online event (or cancelled)
    NOT_YES = "not-yes"  # the link is for those who said they will come
    EARLY = "early"  # before the window: the time it opens is shown, not the link
    OVER = "over"


@dataclass(frozen=True, slots=True)
class JoinDecision:
    refusal: JoinRefusal | None
    opens_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None


async def join_link_allowed(
    services: Services, event: Event, participant: Participant, now: datetime
) -> JoinDecision:
    """Whether this person may be shown the event's join link now."""
    if not event.online_url or event.status is not EventStatus.ACTIVE:
        return JoinDecision(JoinRefusal.NO_LINK)
    status = await services.db.rsvps.get_rsvp(event.id, participant.id)
    presence = await services.db.attendance.get_presence(event.id, participant.id)
    if status is not RsvpStatus.YES and presence is not Presence.PRESENT:
        return JoinDecision(JoinRefusal.NOT_YES)
    opens, closes = join_window(services, event)
    if now < opens:
        return JoinDecision(JoinRefusal.EARLY, opens)
    if now >= closes:
        return JoinDecision(JoinRefusal.OVER)
    return JoinDecision(None)
