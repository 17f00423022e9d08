"""Plain data the services pass around; no Telegram types, no SQL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

R = TypeVar("R")


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


# -- attendance --------------------------------------------------------------


class Presence(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class SurveyAudience(StrEnum):
    """Who gets the questionnaire: present people, or yes answers where nobody was marked."""

    AUTO = "auto"
    PRESENT = "present"
    YES = "yes"


class HoursUnit(StrEnum):
    """Clock hours (60 min) or academic hours (45 min) on the certificate."""

    HOURS = "hours"
    ACADEMIC = "academic"


class CertificateMode(StrEnum):
    AFTER_EVENT = "after-event"
    AFTER_SURVEY = "after-survey"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class AttendanceSettings:
    event_id: int
    checkin_code: str | None = None
    offer_minutes: int | None = None
    survey_audience: SurveyAudience = SurveyAudience.AUTO
    certificates: CertificateMode = CertificateMode.AFTER_EVENT
    # The certificate page (NULL/None = the programme's choice, else [documents]).
    cert_language: str | None = None
    cert_bilingual: bool | None = None
    cert_hours: float | None = None  # declared by the organiser; None = from the times
    cert_hours_unit: HoursUnit = HoursUnit.HOURS
    cert_hours_precision: int | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeDocuments:
    """A programme's certificate defaults and funding block (None = the settings')."""

    programme_id: int
    cert_language: str | None = None
    cert_bilingual: bool | None = None
    funding_statement: str | None = None
    project_code: str | None = None
    emblem_path: str | None = None


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    participant_id: int
    name: str
    organisation: str
    rsvp: RsvpStatus | None
    presence: Presence | None


@dataclass(frozen=True, slots=True)
class SignInEntry:
    """One line of the printed sign-in sheet."""

    name: str
    organisation: str


@dataclass(frozen=True, slots=True)
class AttendanceCounts:
    invited: int = 0
    yes: int = 0
    present: int = 0
    present_without_yes: int = 0  # walk-ins, and people who had said maybe or no
    absent: int = 0
    no_show: int = 0  # said yes, not marked present

    @property
    def recorded(self) -> bool:
        return self.present + self.absent > 0


@dataclass(frozen=True, slots=True)
class InstitutionCount:
    organisation: str
    invited: int
    yes: int
    present: int


@dataclass(frozen=True, slots=True)
class OpenOffer:
    id: int
    event_id: int
    participant_id: int
    telegram_id: int
    language: str | None
    offered_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Certificate:
    code: str
    event_id: int
    participant_id: int
    name: str
    organisation: str
    language: str
    hours: float
    source: str  # auto, request, organiser
    issued_at: datetime
    doc_language: str | None = None  # the page's language (None: older rows, = language)
    bilingual: bool = False
    hours_unit: HoursUnit = HoursUnit.HOURS
    hours_precision: int = 2
    reg_number: str | None = None  # "KV-2027-000123", allocated when first issued

    @property
    def erased(self) -> bool:
        """The holder asked to be forgotten: the code stays genuine, the name is gone."""
        return not self.name


@dataclass(frozen=True, slots=True)
class CertificateCandidate:
    event_id: int
    participant_id: int
    telegram_id: int | None
    name: str
    organisation: str
    language: str | None


# -- broadcast ---------------------------------------------------------------


SEGMENT_STATUSES = ("yes", "maybe", "no", "waitlist", "none")


class SegmentKind(StrEnum):
    INVITEES = "invitees"  # everyone invited to the event (or who answered it)
    RSVP = "rsvp"  # invitees whose answer is one of ``statuses``
    ORGANISATION = "org"  # people of one organisation (within the event's invitees, if any)
    PROGRAMME = "programme"  # invited to or answered any event of a programme
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    event_id: int | None = None
    statuses: tuple[str, ...] = ()
    # The spellings of one organisation as people typed them (grouped by normalise_org).
    organisations: tuple[str, ...] = ()
    programme_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind in (SegmentKind.INVITEES, SegmentKind.RSVP) and self.event_id is None:
            raise ValueError(f"segment {self.kind} needs an event")
        if self.kind is SegmentKind.RSVP and (
            not self.statuses or any(s not in SEGMENT_STATUSES for s in self.statuses)
        ):
            raise ValueError(f"bad answers {self.statuses}")
        if self.kind is SegmentKind.ORGANISATION and not self.organisations:
            raise ValueError("organisation segment without an organisation")
        if self.kind is SegmentKind.PROGRAMME and self.programme_id is None:
            raise ValueError("programme segment without a programme")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "event_id": self.event_id,
            "statuses": list(self.statuses),
            "organisations": list(self.organisations),
            "programme_id": self.programme_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """Raises ValueError (or TypeError) for anything that is not a valid segment."""
        event_id, programme_id = data.get("event_id"), data.get("programme_id")
        return cls(
            kind=SegmentKind(data["kind"]),
            event_id=None if event_id is None else int(event_id),
            statuses=tuple(str(s) for s in data.get("statuses") or ()),
            organisations=tuple(str(o) for o in data.get("organisations") or ()),
            programme_id=None if programme_id is None else int(programme_id),
        )


@dataclass(frozen=True, slots=True)
class SegmentMember:
    participant_id: int
    telegram_id: int
    language: str | None
    status: RsvpStatus | None  # the answer to the segment's event, if it has one


@dataclass(frozen=True, slots=True)
class SegmentSize:
    reachable: int
    skipped: int  # in the segment but unreachable, opted out or without Telegram


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One validated row of a participant list."""

    row: int
    name: str
    email: str | None
    organisation: str | None
    role: str | None
    category: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    invited: int


@dataclass(frozen=True, slots=True)
class PersonalRow:
    """An imported person for the export (mail merge)."""

    participant_id: int
    name: str
    email: str | None
    organisation: str | None
    role: str | None
    category: str | None
    personal_code: str
    bound: bool


class BindOutcome(StrEnum):
    BOUND = "bound"  # the link is now this Telegram account's
    ALREADY = "already"  # it already was
    TAKEN = "taken"  # another Telegram account opened it first (refused and counted)
    CONFIRM = "confirm"  # the account has an identity of its own: ask before merging
    UNKNOWN = "unknown"  # no such code


@dataclass(frozen=True, slots=True)
class BindResult:
    outcome: BindOutcome
    participant_id: int | None = None  # the account's row (BOUND, ALREADY), else the link's
    event_ids: tuple[int, ...] = field(default_factory=tuple)  # invited to, upcoming first
    name: str | None = None  # the link's person (CONFIRM: for a masked hint; TAKEN)
    email: str | None = None
    refusals: int = 0  # TAKEN: how many times the link was refused so far


@dataclass(frozen=True, slots=True)
class BotChat:
    chat_id: int
    type: str
    title: str


# -- outbox ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to enqueue."""

    chat_id: int
    payload: str  # OutgoingMessage JSON
    participant_id: int | None = None
    dedup_key: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    campaign_id: int | None
    chat_id: int
    participant_id: int | None
    payload: str
    attempts: int


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    campaign_id: int
    status: str
    total: int
    pending: int
    sending: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    possible_duplicates: int
    progress_chat_id: int | None
    progress_message_id: int | None
    kind: str = "update"
    event_id: int | None = None
    segment: str = "{}"
    created_by: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    reported_at: datetime | None = None
    language: str | None = None  # the organiser's, for the progress message and report

    @property
    def remaining(self) -> int:
        return self.pending + self.sending

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unreachable + self.cancelled


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one claimed row ended (written in batches by :meth:`OutboxRepository.finish_many`)."""

    row_id: int
    status: str  # sent, failed, unreachable
    message_id: int | None = None
    error: str | None = None
    attempts: int | None = None  # tries made, when known


class Recheck(StrEnum):
    """What the sender finds when it reads a claimed row again before an attempt."""

    SEND = "send"
    HOLD = "campaign stopped"  # back to pending, held with its campaign
    CANCELLED = "cancelled"  # the row is no longer ours to send (e.g. forgotten)
    OPTED_OUT = "opted out"
    FORGOTTEN = "forgotten"


# -- privacy -----------------------------------------------------------------


@dataclass(slots=True)
class ForgetResult:
    participant_id: int
    found: bool = True
    cancelled_messages: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    # Events whose "yes" list lost someone: the waitlist may move up.
    freed_events: list[int] = field(default_factory=list)


# -- rsvps -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RsvpChange:
    previous: RsvpStatus | None
    current: RsvpStatus
    promoted: tuple[int, ...] = ()  # participant ids moved from the waitlist to yes
    offered: tuple[int, ...] = ()  # participant ids who were offered a freed place

    @property
    def changed(self) -> bool:
        return self.previous != self.current


@dataclass(frozen=True, slots=True)
class Recipient:
    participant_id: int
    telegram_id: int
    language: str | None


@dataclass(frozen=True, slots=True)
class MyRsvp:
    event_id: int
    title: str
    starts_at: datetime
    timezone: str
    status: RsvpStatus


class OfferOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # the offer's time is up (it moves on at the next pass)
    NONE = "none"  # no open offer (answered already, withdrawn, or never made)


@dataclass(frozen=True, slots=True)
class OfferResult:
    outcome: OfferOutcome
    offered: tuple[int, ...] = ()  # the next people offered the place (after a decline)


@dataclass(frozen=True, slots=True)
class LapsedOffers:
    lapsed: tuple[tuple[int, int, int], ...]  # (event, participant, offer) of lapsed offers
    promoted: tuple[tuple[int, int], ...]  # (event id, participant id) given a place at once
    offered: tuple[tuple[int, int], ...]  # (event id, participant id) offered a place


# Why an answer can no longer be given (the RSVP service's rule, bot/rsvp.py), or None.
AnswerWindow = Callable[[Event, datetime], R | None]


@dataclass(frozen=True, slots=True)
class RsvpAnswered(Generic[R]):
    """What ``db.rsvps.answer_rsvp`` did (bot/storage/rsvp.py): the event as read in the
    transaction (None: no such event), why the answer was refused, or the change and the
    counts after it."""

    event: Event | None
    refused: R | None = None
    change: RsvpChange | None = None
    counts: RsvpCounts | None = None


# -- schedule ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    """The few columns of an event that its timed work is derived from."""

    id: int
    active: bool
    starts_at: datetime
    ends_at: datetime
    rsvp_deadline: datetime | None
    timezone: str
    changed_at: datetime  # events.updated_at: when its times were last (possibly) changed
    minutes_before: tuple[int, ...] | None  # per-event reminder offsets; None = settings
    offsets_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewItem:
    key: str
    event_id: int
    kind: str
    due_at: datetime
    basis_at: datetime
    planned_at: datetime


@dataclass(frozen=True, slots=True)
class ScheduledRow:
    key: str
    event_id: int
    kind: str
    due_at: datetime
    basis_at: datetime
    planned_at: datetime
    state: str  # pending, done, skipped
    detail: str
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReminderRecipient:
    participant_id: int
    telegram_id: int
    language: str | None
    status: RsvpStatus | None


# -- surveys -----------------------------------------------------------------


class SurveyStatus:
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class SurveyRow:
    event_id: int
    template: str
    definition: str  # JSON; bot.surveys.model.SurveyDefinition.from_json
    anonymous: bool
    status: str
    opened_at: datetime | None
    reminded_at: datetime | None
    closes_at: datetime | None
    closed_at: datetime | None

    def accepting(self, now: datetime) -> bool:
        """Answers are taken: open, and its closing time (if any) not reached yet."""
        return self.status == SurveyStatus.OPEN and (self.closes_at is None or now < self.closes_at)


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    rating: int | None
    text: str | None

    @property
    def given(self) -> bool:
        return self.rating is not None or self.text is not None


@dataclass(frozen=True, slots=True)
class ResponseState:
    id: int
    event_id: int
    position: int
    completed: bool
    answers: dict[str, StoredAnswer]


@dataclass(frozen=True, slots=True)
class CommentRow:
    event_id: int
    text: str
    name: str | None  # None in anonymous mode
    organisation: str | None


@dataclass(frozen=True, slots=True)
class AnswerExportRow:
    response_id: int
    organisation: str | None
    name: str | None  # None in anonymous mode
    question: str
    rating: int | None
    text: str | None
    answered_at: str


# -- e-mail (issue 16): the transport's outbox and suppressions ----------------------------


class EmailStatus(StrEnum):
    """Life of one e-mail in the outbox (bot/storage/email.py)."""

    PENDING = "pending"  # waiting for its turn (or for its retry, at ``not_before``)
    SENDING = "sending"  # in flight: only while the SMTP transaction is under way
    SENT = "sent"  # the server accepted it (250 after the data)
    FAILED = "failed"  # temporary errors until max_attempts, or the server refused the message
    UNDELIVERABLE = "undeliverable"  # the server refused the address for good (5xx)
    CANCELLED = "cancelled"  # opted out, forgotten or suppressed before its turn


class SuppressionReason(StrEnum):
    """Why no more e-mail goes to an address (``email_suppressions``)."""

    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    FORGOTTEN = "forgotten"


@dataclass(frozen=True, slots=True)
class EmailItem:
    """One e-mail to enqueue: the recipient's address (the envelope's RCPT TO) and the whole
    RFC 5322 message, built and serialised (CRLF line endings keep it byte-exact)."""

    address: str
    participant_id: int | None
    dedup_key: str
    message: bytes


@dataclass(frozen=True, slots=True)
class EmailRow:
    """A claimed e-mail, in flight ('sending')."""

    id: int
    campaign_id: int | None
    participant_id: int | None
    address: str
    message: bytes
    attempts: int  # including this one


@dataclass(frozen=True, slots=True)
class EmailOutcome:
    """How one attempt ended (:meth:`EmailOutboxRepository.finish_email`).

    ``status`` is the row's next status: 'sent', 'failed', 'undeliverable', or 'pending'
    for a retry at ``retry_at``; ``charged=False`` puts the row back without counting the
    attempt (the sender, not the message, was the problem); ``maybe_sent`` counts a
    possible duplicate (the connection dropped after the data went out)."""

    row_id: int
    status: EmailStatus
    smtp_code: int | None = None
    error: str | None = None
    retry_at: datetime | None = None
    charged: bool = True
    maybe_sent: bool = False


def normalise_address(address: str) -> str:
    """One spelling per address: surrounding spaces dropped, lower-case (as
    ``participants.email`` is stored), so suppressions and lookups match however it was
    typed."""
    return address.strip().lower()


def valid_address(address: str) -> bool:
    """A single mailbox ``local@domain`` that can go in an SMTP envelope as it is: no
    spaces, controls, angle brackets or commas (nothing that could inject a command or a
    second recipient), at most 254 characters, a 1-64 character local part."""
    if not address or len(address) > 254 or address.count("@") != 1:
        return False
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c in '<>,;"()[]\\' for c in address):
        return False
    local, domain = address.split("@")
    return 0 < len(local) <= 64 and "." in domain.strip(".") and ".." not in domain


def address_key(address: str) -> str:
    """What a forgotten address is kept as: a one-way digest, so a later e-mail to it is
    recognised (and not sent) without the address being stored in clear."""
    digest = hashlib.sha256(b"kvietimas-email:" + normalise_address(address).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


# -- e-mail invitations (issue 16): campaigns, segments, the report ----------------------


class EmailKind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


@dataclass(frozen=True, slots=True)
class EmailSegment:
    """Who of an event's invited people with an address gets an e-mail: everyone, those who
    have not opened their personal link (``not_opened``), of some organisations."""

    event_id: int
    not_opened: bool = False
    organisations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "not_opened": self.not_opened,
            "organisations": list(self.organisations),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EmailSegment:
        orgs = data.get("organisations") or []
        return cls(
            int(data["event_id"]),
            bool(data.get("not_opened", False)),
            tuple(str(o) for o in orgs),
        )


@dataclass(frozen=True, slots=True)
class EmailRecipient:
    """An invited person with an e-mail address and a personal link."""

    participant_id: int
    name: str | None
    organisation: str | None
    address: str
    language: str | None
    personal_code: str
    opened: bool  # the personal link is bound to a Telegram account


@dataclass(frozen=True, slots=True)
class EmailSend:
    """One e-mail of an e-mail campaign (the row behind its unsubscribe link)."""

    id: int
    campaign_id: int
    participant_id: int | None
    address: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class EmailCampaign:
    id: int
    event_id: int
    kind: EmailKind
    segment: EmailSegment
    created_by: int | None
    created_at: datetime
    send_at: datetime | None  # a reminder waiting for its moment
    queued_at: datetime | None  # when its e-mails were queued (None: still waiting)


@dataclass(frozen=True, slots=True)
class EmailOrganisationLine:
    """The e-mail report of one organisation (or of everyone, ``organisation`` None)."""

    organisation: str | None
    queued: int = 0
    opened: int = 0  # opened the bot through their personal link afterwards
    bounced: int = 0
    unsubscribed: int = 0


@dataclass(frozen=True, slots=True)
class LeaseRow:
    """A named lease as stored: who holds it and until when (bot/leases.py)."""

    name: str
    holder: str
    expires_at: datetime
    acquired_at: datetime
    renewed_at: datetime
    generation: int  # +1 each time the lease changed hands
