"""Plain data the services pass around; no Telegram types, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class RsvpStatus(StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"
    WAITLIST = "waitlist"


class EventStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    time: str  # local "HH:MM" as printed on the agenda
    title: str
    lecturer: str = ""


@dataclass(frozen=True, slots=True)
class Programme:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    slug: str | None
    programme_id: int | None
    programme_title: str | None
    title: str
    description: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    timezone: str
    address: str | None
    hall: str | None
    floor: str | None
    online_url: str | None
    capacity: int | None
    rsvp_deadline: datetime | None
    invite_code: str
    status: EventStatus
    agenda: tuple[AgendaItem, ...] = ()

    @property
    def is_online(self) -> bool:
        return self.online_url is not None and not self.address


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What an organiser submits to create or change an event (validated by bot.events)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    programme: str | None = None
    description: str = ""
    address: str | None = None
    hall: str | None = None
    floor: str | None = None
    online_url: str | None = None
    capacity: int | None = None
    rsvp_deadline: datetime | None = None
    agenda: tuple[AgendaItem, ...] = ()
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    telegram_id: int | None
    name: str | None
    organisation: str | None
    email: str | None
    language: str | None
    consent_at: datetime | None
    unreachable_at: datetime | None
    opted_out_at: datetime | None

    @property
    def registered(self) -> bool:
        return self.consent_at is not None and bool(self.name) and bool(self.organisation)


@dataclass(frozen=True, slots=True)
class Rsvp:
    event_id: int
    participant_id: int
    status: RsvpStatus
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RsvpCounts:
    yes: int = 0
    no: int = 0
    maybe: int = 0
    waitlist: int = 0
    invited: int = 0

    @property
    def answered(self) -> int:
        return self.yes + self.no + self.maybe + self.waitlist


@dataclass(frozen=True, slots=True)
class RsvpListEntry:
    participant_id: int
    name: str
    organisation: str
    status: RsvpStatus


@dataclass(frozen=True, slots=True)
class PendingInput:
    """A multi-step conversation state, kept in the database so a restart resumes it."""

    telegram_id: int
    kind: str
    data: dict[str, object] = field(default_factory=dict)
