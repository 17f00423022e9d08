"""Attendance and waitlist offers: the services (no Telegram types), and the screens of
``/attendance`` as Telegram-free results.

- Check-in: the organiser shows a QR opening ``/start c_<code>`` (one code per event); it
  works from ``attendance.checkin_opens_minutes`` before the start until the end.
- Online events: the card of people who said yes carries a "Join" button that records
  attendance and answers with the join link, privately and only in the join window
  (the rule is bot/access.py's).
- Waitlist offers: with an offer window set for an event, a freed place is offered to the
  next person on the waitlist (the capacity side is in ``bot/storage/rsvp.py``); offers
  that lapse are moved on by :func:`expire_offers`, called from the scheduler's pass.
- Certificates: one PDF per present participant, issued, sent through the outbox after the
  event (or after the questionnaire) and verified by ``/start v_<code>``: all in
  ``bot/documents/certificates.py``; this module's scheduler pass sends those that are due.

See docs/attendance.md.
"""

from __future__ import annotations

import html
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from bot import access
from bot.callbacks import CallbackData, EventCardPress
from bot.i18n import Markup, Translator, format_day, format_short, local
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    AttendanceEntry,
    CertificateMode,
    Event,
    EventStatus,
    HoursUnit,
    OpenOffer,
    OutboxItem,
    Participant,
    PendingInput,
    Presence,
    RsvpCounts,
    RsvpStatus,
    SurveyAudience,
)
from bot.payloads import Payload, PayloadKind, deep_link, new_code
from bot.qr import qr_png
from bot.services import Services
from bot.storage import Storage

if TYPE_CHECKING:  # fpdf loads only when a document is made
    pass
from bot.models import OfferOutcome, OfferResult

log = logging.getLogger(__name__)


# -- buttons (typed callback data, see bot/callbacks.py) -----------------------------------


@dataclass(frozen=True)
class JoinPress(CallbackData):
    """An online event's "Join": records attendance, answers with the link."""

    prefix: ClassVar[str] = "jn"
    event_id: int


class OfferAnswer(StrEnum):
    ACCEPT = "y"
    DECLINE = "n"


@dataclass(frozen=True)
class OfferPress(CallbackData):
    prefix: ClassVar[str] = "wl"
    event_id: int
    answer: OfferAnswer


@dataclass(frozen=True)
class CertificatePress(CallbackData):
    """A participant picks one of their certificates (/certificate)."""

    prefix: ClassVar[str] = "cert"
    event_id: int


# -- texts ----------------------------------------------------------------------------------


def plain(tr: Translator, lang: str, key: str, /, **args: object) -> str:
    """A catalog text without HTML escaping, for PDFs and spreadsheets."""
    safe = {k: Markup(v) if isinstance(v, str) else v for k, v in args.items()}
    return html.unescape(tr.text(lang, key, **safe))


def hours_value(hours: float) -> int | float:
    """6.0 -> 6 (so plural rules see an integer), 6.25 -> 6.3."""
    rounded = round(hours, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def event_minutes(event: Event) -> float:
    """The training time of an event: the span of a one-day event; for an event over
    several days, the daily span times the days (nights are not training hours)."""
    start, end = local(event.starts_at, event.timezone), local(event.ends_at, event.timezone)
    days = (end.date() - start.date()).days + 1
    total = (event.ends_at - event.starts_at).total_seconds() / 60
    if days > 1:
        daily = (
            datetime.combine(start.date(), end.time())
            - datetime.combine(start.date(), start.time())
        ).total_seconds() / 60
        if daily > 0:
            total = daily * days
    return total


def event_hours(event: Event) -> float:
    """Clock hours computed from the times, rounded to quarter hours."""
    return math.floor(event_minutes(event) / 60 * 4 + 0.5) / 4


ACADEMIC_HOUR_MINUTES = 45


def event_dates(event: Event, lang: str) -> str:
    first = format_day(event.starts_at, lang, event.timezone)
    last = format_day(event.ends_at, lang, event.timezone)
    return first if first == last else f"{first} – {last}"


def document_dates(event: Event, lang: str) -> str:
    """The event's date(s) as a document writes them, without the weekday."""
    from bot.documents import document_date

    first = local(event.starts_at, event.timezone).date()
    last = local(event.ends_at, event.timezone).date()
    if first == last:
        return document_date(first, lang)
    return f"{document_date(first, lang)} – {document_date(last, lang)}"


def event_place(tr: Translator, lang: str, event: Event) -> str:
    if event.address:
        return ", ".join(p for p in (event.address, event.hall, event.floor) if p)
    return plain(tr, lang, "cert-online")


# -- certificate choices from an event file ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentChoices:
    """An event file's ``[certificate]`` table and ``[programme]`` document keys, as
    columns to set (docs/documents.md)."""

    event: dict[str, object] | None  # None: no [certificate] table, chat choices stay
    programme: dict[str, object]  # only the keys the file names


_PROGRAMME_KEYS = {
    "certificate_language": "cert_language",
    "certificate_bilingual": "cert_bilingual",
    "funding_statement": "funding_statement",
    "project_code": "project_code",
    "emblem_path": "emblem_path",
}
_MAX_HOURS = 1000


def _toml_error(field: str) -> Exception:
    from bot.events import EventInputError

    return EventInputError("error-toml-field", field=field)


def _language(value: object, field: str) -> str:
    if value not in ("lt", "en", "uk"):
        raise _toml_error(field)
    return str(value)


def _flag(value: object, field: str) -> int:
    if not isinstance(value, bool):
        raise _toml_error(field)
    return int(value)


def document_choices_from_toml(data: dict[str, Any]) -> DocumentChoices:
    """Validate ``[certificate]`` (language, bilingual, hours or academic_hours,
    hours_precision) and the document keys of a ``[programme]`` table."""
    table = data.get("certificate")
    event: dict[str, object] | None = None
    if table is not None:
        if not isinstance(table, dict):
            raise _toml_error("certificate")
        unknown = sorted(set(table) - {"language", "bilingual", "hours", "academic_hours",
                                       "hours_precision"})  # fmt: skip
        if unknown:
            raise _toml_error(f"certificate.{unknown[0]}")
        if "hours" in table and "academic_hours" in table:
            raise _toml_error("certificate.academic_hours")
        event = {
            "cert_language": None, "cert_bilingual": None, "cert_hours": None,
            "cert_hours_unit": HoursUnit.HOURS.value, "cert_hours_precision": None,
        }  # fmt: skip
        if "language" in table:
            event["cert_language"] = _language(table["language"], "certificate.language")
        if "bilingual" in table:
            event["cert_bilingual"] = _flag(table["bilingual"], "certificate.bilingual")
        for key, unit in (("hours", HoursUnit.HOURS), ("academic_hours", HoursUnit.ACADEMIC)):
            value = table.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _toml_error(f"certificate.{key}")
            if not 0 < value <= _MAX_HOURS:
                raise _toml_error(f"certificate.{key}")
            event["cert_hours"], event["cert_hours_unit"] = float(value), unit.value
        if "hours_precision" in table:
            digits = table["hours_precision"]
            if isinstance(digits, bool) or digits not in (0, 1, 2):
                raise _toml_error("certificate.hours_precision")
            event["cert_hours_precision"] = digits
    programme: dict[str, object] = {}
    section = data.get("programme")
    if isinstance(section, dict):
        unknown = sorted(set(section) - {"title", *_PROGRAMME_KEYS})
        if unknown:
            raise _toml_error(f"programme.{unknown[0]}")
        for key, column in _PROGRAMME_KEYS.items():
            if key not in section:
                continue
            value = section[key]
            if key == "certificate_language":
                programme[column] = _language(value, f"programme.{key}")
            elif key == "certificate_bilingual":
                programme[column] = _flag(value, f"programme.{key}")
            elif isinstance(value, str) and len(value) <= 500:
                programme[column] = value.strip()
            else:
                raise _toml_error(f"programme.{key}")
    return DocumentChoices(event, programme)


async def apply_document_choices(
    storage: Storage, event: Event, choices: DocumentChoices, *, now: datetime
) -> None:
    if choices.event is not None:
        await storage.attendance.set_attendance_settings(
            event.id, now=now, certificate=choices.event
        )
    if choices.programme and event.programme_id is not None:
        await storage.documents.set_programme_documents(event.programme_id, choices.programme)


# -- check-in ---------------------------------------------------------------------------------


class CheckIn(StrEnum):
    OK = "ok"
    ALREADY = "already"
    EARLY = "early"
    OVER = "over"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CheckInResult:
    outcome: CheckIn
    event: Event | None = None
    opens_at: datetime | None = None


def checkin_window(services: Services, event: Event) -> tuple[datetime, datetime]:
    before = timedelta(minutes=services.settings.attendance.checkin_opens_minutes)
    return event.starts_at - before, event.ends_at


async def checkin_link(services: Services, event_id: int) -> str:
    code = await services.db.attendance.ensure_checkin_code(
        event_id, new_code(), now=services.clock.now()
    )
    return deep_link(services.bot_username, Payload(PayloadKind.CHECKIN, code))


async def _record(
    services: Services, event: Event, participant_id: int, source: str, now: datetime
) -> CheckInResult:
    opens, closes = checkin_window(services, event)
    if event.status is not EventStatus.ACTIVE:
        return CheckInResult(CheckIn.CANCELLED, event)
    if now < opens:
        return CheckInResult(CheckIn.EARLY, event, opens)
    if now >= closes:
        return CheckInResult(CheckIn.OVER, event)
    changed = await services.db.attendance.mark_presence(
        event.id, [participant_id], Presence.PRESENT, source=source, now=now
    )
    log.info(
        "attendance: participant %s present at event %s (%s)", participant_id, event.id, source
    )
    return CheckInResult(CheckIn.OK if changed else CheckIn.ALREADY, event)


async def event_for_checkin(services: Services, code: str) -> Event | None:
    event_id = await services.db.attendance.event_id_by_checkin_code(code)
    return None if event_id is None else await services.db.events.get_event(event_id)


async def check_in(services: Services, event: Event, participant: Participant) -> CheckInResult:
    """Mark the person present if the QR is used inside its window."""
    return await _record(services, event, participant.id, "qr", services.clock.now())


async def resume_checkin(
    services: Services, participant: Participant, event_id: int
) -> CheckInResult | None:
    """After registration (begun from ``event_id``): the check-in the person began before
    registering, if it was for that event and less than a day ago."""
    intent = await services.db.attendance.pop_checkin_intent(participant.id)
    now = services.clock.now()
    if intent is None or intent[0] != event_id or now - intent[1] > timedelta(days=1):
        return None
    event = await services.db.events.get_event(intent[0])
    if event is None:
        return CheckInResult(CheckIn.UNKNOWN)
    return await _record(services, event, participant.id, "qr", now)


async def join_online(services: Services, event: Event, participant: Participant) -> JoinResult:
    """The "Join" button: the link only for someone who said yes (or is marked present),
    only inside the join window (bot/access.py); joining then records attendance."""
    now = services.clock.now()
    decision = await access.join_link_allowed(services, event, participant, now)
    if not decision.allowed:
        return JoinResult(decision.refusal, opens_at=decision.opens_at)
    recorded = await _record(services, event, participant.id, "join", now)
    return JoinResult(None, checkin=recorded.outcome)


@dataclass(frozen=True, slots=True)
class JoinResult:
    refusal: access.JoinRefusal | None
    checkin: CheckIn | None = None
    opens_at: datetime | None = None


# -- waitlist offers ----------------------------------------------------------------------------


def offer_message(tr: Translator, lang: str, event: Event, offer: OpenOffer) -> OutgoingMessage:
    left = max(0.0, (offer.expires_at - offer.offered_at).total_seconds() / 3600)
    text = tr.text(
        lang,
        "attendance-offer",
        title=event.title,
        when=format_short(event.starts_at, event.timezone),
        until=format_short(offer.expires_at, event.timezone),
        hours=hours_value(math.ceil(left * 10) / 10),
    )
    buttons = (
        (
            Button(
                tr.text(lang, "attendance-btn-offer-accept"),
                OfferPress(event.id, OfferAnswer.ACCEPT).pack(),
            ),
            Button(
                tr.text(lang, "attendance-btn-offer-decline"),
                OfferPress(event.id, OfferAnswer.DECLINE).pack(),
            ),
        ),
        (Button(tr.text(lang, "attendance-btn-show-event"), EventCardPress(event.id).pack()),),
    )
    return OutgoingMessage(text, buttons)


async def _queue(services: Services, items: list[OutboxItem]) -> int:
    if not items:
        return 0
    now = services.clock.now()
    added = await services.db.outbox.enqueue(items, campaign_id=None, not_before=now, now=now)
    services.wake_sender()
    return added


async def send_open_offers(services: Services, event_id: int | None = None) -> int:
    """Queue every open offer not sent yet (the dedup key makes each go out once)."""
    offers = await services.db.attendance.open_offers(event_id)
    events: dict[int, Event | None] = {}
    items: list[OutboxItem] = []
    for offer in offers:
        if offer.event_id not in events:
            events[offer.event_id] = await services.db.events.get_event(offer.event_id)
        event = events[offer.event_id]
        if event is None:
            continue
        lang = services.language_of(offer.language)
        message = offer_message(services.translator, lang, event, offer)
        items.append(
            OutboxItem(
                offer.telegram_id, message.to_json(), offer.participant_id, f"offer:{offer.id}"
            )
        )
    return await _queue(services, items)


async def answer_offer(
    services: Services, event_id: int, participant_id: int, accept: bool
) -> OfferResult:
    result = await services.db.rsvps.answer_offer(
        event_id, participant_id, accept=accept, now=services.clock.now()
    )
    log.info(
        "waitlist: participant %s %s the offer for event %s (%s)",
        participant_id,
        "accepted" if accept else "declined",
        event_id,
        result.outcome.value,
    )
    if result.outcome is OfferOutcome.DECLINED and result.offered:
        await send_open_offers(services, event_id)
    return result


async def expire_offers(services: Services, *, now: datetime) -> int:
    """Lapse offers whose time is up and move each place on (the next offer, or a direct
    promotion); tell the people concerned. Returns how many offers lapsed. Idempotent:
    called on every pass of the scheduler."""
    from bot.notify import notify_promoted  # bot.notify -> bot.views -> this module

    storage = services.db
    result = await storage.rsvps.expire_offers(now)
    items: list[OutboxItem] = []
    recipients = {
        r.participant_id: r
        for r in await storage.rsvps.participants_by_ids([p for _, p, _ in result.lapsed])
    }
    for event_id, participant_id, offer_id in result.lapsed:
        log.info("waitlist: offer to %s for event %s lapsed", participant_id, event_id)
        event = await storage.events.get_event(event_id)
        person = recipients.get(participant_id)
        if event is None or person is None:
            continue
        lang = services.language_of(person.language)
        message = OutgoingMessage(
            services.t(lang, "attendance-offer-lapsed", title=event.title),
            ((Button(services.t(lang, "attendance-btn-show-event"),
                     EventCardPress(event_id).pack()),),),
        )  # fmt: skip
        items.append(
            OutboxItem(person.telegram_id, message.to_json(), participant_id, f"lapsed:{offer_id}")
        )
    await _queue(services, items)
    promoted: dict[int, list[int]] = {}
    for event_id, participant_id in result.promoted:
        promoted.setdefault(event_id, []).append(participant_id)
    for event_id, people in promoted.items():
        event = await storage.events.get_event(event_id)
        if event is not None:
            await notify_promoted(services, event, people)
    await send_open_offers(services)
    return len(result.lapsed)


# -- the scheduler's pass ------------------------------------------------------------------------


async def run_due(services: Services, *, now: datetime) -> None:
    """Timed attendance work, on every pass of the scheduler (bot/schedule.py): lapse
    offers and move places on, send offers not sent yet, send certificates that are due.
    Each part is idempotent and one failing does not stop the other."""
    from bot.documents.certificates import send_due_certificates

    for name, work in (("offers", expire_offers), ("certificates", send_due_certificates)):
        try:
            await work(services, now=now)
        except Exception:  # the next pass retries
            log.exception("attendance: %s pass failed", name)


# -- participants: what a press or a link leads to (rendered by bot/handlers/attendance.py) -----


class CheckinLink(StrEnum):
    UNKNOWN = "unknown"  # no event has this code
    REGISTER = "register"  # not registered yet: the check-in resumes after registration
    DONE = "done"  # checked in (or refused for a reason in ``result``)


@dataclass(frozen=True, slots=True)
class CheckinStep:
    kind: CheckinLink
    event: Event | None = None
    result: CheckInResult | None = None


async def checkin_by_link(services: Services, participant: Participant, code: str) -> CheckinStep:
    """``/start c_<code>``: check in, or keep the intent until the person has registered."""
    event = await event_for_checkin(services, code)
    if event is None:
        return CheckinStep(CheckinLink.UNKNOWN)
    if not participant.registered:
        await services.db.attendance.set_checkin_intent(
            participant.id, event.id, now=services.clock.now()
        )
        return CheckinStep(CheckinLink.REGISTER, event)
    return CheckinStep(CheckinLink.DONE, event, await check_in(services, event, participant))


@dataclass(frozen=True, slots=True)
class JoinStep:
    event: Event
    result: JoinResult


async def join_by_press(
    services: Services, participant: Participant, event_id: int
) -> JoinStep | None:
    """The "Join" button of an event (None: the event is gone)."""
    event = await services.db.events.get_event(event_id)
    if event is None:
        return None
    return JoinStep(event, await join_online(services, event, participant))


@dataclass(frozen=True, slots=True)
class OfferStep:
    outcome: OfferOutcome
    event: Event | None = None  # the accepted event, for its card
    counts: RsvpCounts | None = None


async def offer_press(services: Services, participant: Participant, press: OfferPress) -> OfferStep:
    """Accept or decline a waitlist offer; an accepted one comes back with the event's card
    data (the event and its counts)."""
    accept = press.answer is OfferAnswer.ACCEPT
    result = await answer_offer(services, press.event_id, participant.id, accept)
    if result.outcome in (OfferOutcome.EXPIRED, OfferOutcome.NONE):
        return OfferStep(result.outcome)
    event = await services.db.events.get_event(press.event_id)
    if result.outcome is OfferOutcome.ACCEPTED and event is not None:
        counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
        return OfferStep(result.outcome, event, counts)
    return OfferStep(result.outcome)


# -- organisers: the /attendance screens ---------------------------------------------------------

PAGE_SIZE = 16
OFFER_CHOICES = (0, 2 * 60, 12 * 60, 24 * 60, 48 * 60)  # minutes; 0 = no offers
AUDIENCES = tuple(SurveyAudience)
CERT_MODES = tuple(CertificateMode)


class AttAction(StrEnum):
    SHOW = "show"  # arg: -, page: the page
    TOGGLE = "tog"  # arg: participant id
    ALL_YES = "yes"
    REST_ABSENT = "abs"
    SETTINGS = "set"
    OFFER = "offer"  # arg: minutes, 0 = off
    AUDIENCE = "aud"  # arg: index in AUDIENCES
    CERTS = "certs"  # arg: index in CERT_MODES
    CERT_LANG = "clang"  # arg: index in CERT_LANGUAGES (0: the programme's / settings')
    CERT_BILINGUAL = "cbi"  # arg: 1 on, 0 off
    CERT_UNIT = "cunit"  # arg: index in HOURS_UNITS
    CERT_PRECISION = "cprec"  # arg: decimals 0-2
    CERT_HOURS = "chours"  # asks for the number of hours (typed)
    QR = "qr"
    ISSUE = "issue"
    REPORT = "rep"  # an event's report
    PROGRAMME = "prog"  # arg: programme id (event_id 0)
    SIGNIN = "sign"  # the printable sign-in sheet (PDF)


SETTING_ACTIONS = (
    AttAction.OFFER, AttAction.AUDIENCE, AttAction.CERTS, AttAction.CERT_LANG,
    AttAction.CERT_BILINGUAL, AttAction.CERT_UNIT, AttAction.CERT_PRECISION,
)  # fmt: skip


@dataclass(frozen=True)
class AttendancePress(CallbackData):
    prefix: ClassVar[str] = "oa"
    organiser: ClassVar[bool] = True
    action: AttAction
    event_id: int
    arg: int = 0
    page: int = 0


def _presence_icon(presence: Presence | None) -> str:
    if presence is Presence.PRESENT:
        return "✅"
    return "❌" if presence is Presence.ABSENT else "▫️"


def _rsvp_mark(status: RsvpStatus | None) -> str:
    if status is RsvpStatus.YES:
        return ""
    return {None: " (—)", RsvpStatus.MAYBE: " (🤔)", RsvpStatus.WAITLIST: " (⏳)",
            RsvpStatus.NO: " (❌)"}[status]  # fmt: skip


async def attendance_screen(
    services: Services, lang: str, event: Event, page: int = 0
) -> OutgoingMessage:
    from bot.views import fit  # bot.views imports this module

    storage = services.db
    counts = (await storage.attendance.attendance_counts([event.id]))[event.id]
    entries = await storage.attendance.attendance_list(event.id)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = [
        services.t(lang, "attendance-title", id=event.id, title=event.title),
        format_short(event.starts_at, event.timezone),
        "",
        services.t(
            lang,
            "attendance-counts",
            invited=counts.invited,
            yes=counts.yes,
            present=counts.present,
            walkin=counts.present_without_yes,
            absent=counts.absent,
            noshow=counts.no_show,
        ),
        "",
        services.t(lang, "attendance-legend") if entries else services.t(lang, "attendance-empty"),
    ]
    if pages > 1:
        lines.append(services.t(lang, "attendance-page", page=page + 1, pages=pages))
    shown: list[AttendanceEntry] = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    people = [
        Button(
            f"{_presence_icon(e.presence)} {e.name or '#' + str(e.participant_id)}"[:40]
            + _rsvp_mark(e.rsvp),
            AttendancePress(AttAction.TOGGLE, event.id, e.participant_id, page).pack(),
        )
        for e in shown
    ]
    buttons = list(rows(*people, per_row=2))
    paging = []
    if page > 0:
        paging.append(Button("◀", AttendancePress(AttAction.SHOW, event.id, 0, page - 1).pack()))
    if page < pages - 1:
        paging.append(Button("▶", AttendancePress(AttAction.SHOW, event.id, 0, page + 1).pack()))
    if paging:
        buttons.append(tuple(paging))

    def press(action: AttAction, key: str) -> Button:
        return Button(services.t(lang, key), AttendancePress(action, event.id, 0, page).pack())

    buttons += [
        (
            press(AttAction.ALL_YES, "attendance-btn-all-yes"),
            press(AttAction.REST_ABSENT, "attendance-btn-rest-absent"),
        ),
        (
            press(AttAction.QR, "attendance-btn-qr"),
            press(AttAction.SETTINGS, "attendance-btn-settings"),
        ),
        (
            press(AttAction.ISSUE, "attendance-btn-issue"),
            press(AttAction.REPORT, "attendance-btn-report"),
        ),
        (press(AttAction.SIGNIN, "attendance-btn-signin"),),
    ]
    return OutgoingMessage(fit(lines), tuple(buttons))


async def settings_screen(services: Services, lang: str, event: Event) -> OutgoingMessage:
    from bot.documents.certificates import certificate_settings

    settings = await services.db.attendance.attendance_settings(event.id)
    if settings.offer_minutes:
        hours = hours_value(settings.offer_minutes / 60)
        offer_line = services.t(lang, "attendance-settings-offer", hours=hours)
    else:
        offer_line = services.t(lang, "attendance-settings-offer-off")
    lines = [
        services.t(lang, "attendance-settings-title", id=event.id, title=event.title),
        "",
        offer_line,
        services.t(lang, f"attendance-settings-audience-{settings.survey_audience.value}"),
        services.t(lang, f"attendance-settings-certs-{settings.certificates.value}"),
    ]

    def mark(label: str, chosen: bool) -> str:
        return f"● {label}" if chosen else label

    offers = [
        Button(
            mark(
                services.t(lang, "attendance-btn-offer-hours", hours=m // 60)
                if m
                else services.t(lang, "attendance-btn-offer-off"),
                (settings.offer_minutes or 0) == m,
            ),
            AttendancePress(AttAction.OFFER, event.id, m).pack(),
        )
        for m in OFFER_CHOICES
    ]
    audiences = [
        Button(
            mark(services.t(lang, f"attendance-btn-audience-{a.value}"),
                 settings.survey_audience is a),
            AttendancePress(AttAction.AUDIENCE, event.id, i).pack(),
        )
        for i, a in enumerate(AUDIENCES)
    ]  # fmt: skip
    certs = [
        Button(
            mark(services.t(lang, f"attendance-btn-certs-{c.value}"), settings.certificates is c),
            AttendancePress(AttAction.CERTS, event.id, i).pack(),
        )
        for i, c in enumerate(CERT_MODES)
    ]
    back = Button(
        services.t(lang, "attendance-btn-back"), AttendancePress(AttAction.SHOW, event.id).pack()
    )
    cert_lines, cert_rows = await certificate_settings(services, lang, event, settings, mark)
    return OutgoingMessage(
        "\n".join([*lines, *cert_lines]),
        (*rows(*offers, per_row=3), *rows(*audiences, per_row=1), *rows(*certs, per_row=1),
         *cert_rows, (back,)),
    )  # fmt: skip


async def pick_event(
    services: Services, lang: str, action: AttAction, *, upcoming: bool, programmes: bool
) -> OutgoingMessage:
    """The event picker of ``/attendance``, ``/checkin`` and ``/report`` (with programmes)."""
    from bot.views import event_picker  # bot.views imports this module

    if upcoming:
        events = await services.db.events.list_events(ends_after=services.clock.now(), limit=20)
    else:
        events = await services.db.events.list_recent_events(limit=20)
    extra = []
    if programmes:
        for programme in (await services.db.events.list_programmes())[:10]:
            extra.append(
                Button(
                    f"📚 {programme.title}"[:48],
                    AttendancePress(AttAction.PROGRAMME, 0, programme.id).pack(),
                )
            )
    return event_picker(
        services.translator, lang, events, lambda e: AttendancePress(action, e.id).pack(),
        prompt="attendance-pick-event", empty="attendance-no-events", extra=extra,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckinQr:
    png: bytes
    filename: str
    caption: str


async def checkin_qr(services: Services, lang: str, event: Event) -> CheckinQr:
    """The check-in QR (a PNG) and its caption (the window and the link)."""
    link = await checkin_link(services, event.id)
    opens, closes = checkin_window(services, event)
    caption = services.t(
        lang, "attendance-checkin-qr", title=event.title,
        opens=format_short(opens, event.timezone), closes=format_short(closes, event.timezone),
        link=link,
    )  # fmt: skip
    return CheckinQr(qr_png(link, scale=10), f"checkin-{event.id}.png", caption[:1024])


class FollowUp(StrEnum):
    """What the handler sends after answering the press (files take a while)."""

    NONE = "none"
    QR = "qr"
    ISSUE = "issue"
    REPORT = "report"
    PROGRAMME_REPORT = "programme"
    SIGNIN = "signin"


@dataclass(frozen=True, slots=True)
class ScreenStep:
    """The outcome of an organiser's press on the attendance screens."""

    toast: str | None = None  # the answer to the press
    alert: bool = False  # the press was refused (the toast as an alert, nothing else)
    edit: OutgoingMessage | None = None  # the screen, redrawn in place
    reply: OutgoingMessage | None = None  # a new message
    follow_up: FollowUp = FollowUp.NONE
    event: Event | None = None
    programme_id: int = 0


async def organiser_press(
    services: Services, lang: str, press: AttendancePress, *, by: int
) -> ScreenStep:
    """One press on ``/attendance`` or its settings (``by``: the organiser's Telegram id)."""
    from bot.documents.certificates import CERT_HOURS_FLOW

    action, now, storage = press.action, services.clock.now(), services.db
    if action is AttAction.PROGRAMME:
        return ScreenStep(follow_up=FollowUp.PROGRAMME_REPORT, programme_id=press.arg)
    event = await storage.events.get_event(press.event_id)
    if event is None:
        return ScreenStep(services.t(lang, "error-event-not-found"), alert=True)
    toast: str | None = None
    if action is AttAction.TOGGLE:
        current = await storage.attendance.get_presence(event.id, press.arg)
        wanted = Presence.ABSENT if current is Presence.PRESENT else Presence.PRESENT
        await storage.attendance.mark_presence(
            event.id, [press.arg], wanted, source="organiser", now=now
        )
        log.info("organiser %s marked %s %s at event %s", by, press.arg, wanted.value,
                 event.id)  # fmt: skip
    elif action is AttAction.ALL_YES:
        count = await storage.attendance.mark_yes_present(event.id, now=now)
        toast = services.t(lang, "attendance-marked", count=count)
    elif action is AttAction.REST_ABSENT:
        count = await storage.attendance.mark_unmarked_absent(event.id, now=now)
        toast = services.t(lang, "attendance-marked", count=count)
    elif action in SETTING_ACTIONS:
        if not await change_setting(services, event, press):
            return ScreenStep(services.t(lang, "error-stale-button"), alert=True)
        saved = services.t(lang, "attendance-settings-saved")
        return ScreenStep(saved, edit=await settings_screen(services, lang, event))
    if action is AttAction.SETTINGS:
        return ScreenStep(toast, edit=await settings_screen(services, lang, event))
    if action is AttAction.CERT_HOURS:
        state = PendingInput(by, CERT_HOURS_FLOW, {"event_id": event.id})
        await storage.people.set_pending_input(state, now)
        return ScreenStep(toast, reply=OutgoingMessage(services.t(lang, "cert-ask-hours")))
    follow_ups = {
        AttAction.QR: FollowUp.QR,
        AttAction.ISSUE: FollowUp.ISSUE,
        AttAction.REPORT: FollowUp.REPORT,
        AttAction.SIGNIN: FollowUp.SIGNIN,
    }
    if action in follow_ups:
        return ScreenStep(toast, follow_up=follow_ups[action], event=event)
    return ScreenStep(toast, edit=await attendance_screen(services, lang, event, press.page))


async def change_setting(services: Services, event: Event, press: AttendancePress) -> bool:
    """One settings button (False: out of range, nothing changed)."""
    from bot.documents.certificates import certificate_column

    storage, now = services.db, services.clock.now()
    if press.action is AttAction.OFFER:
        if press.arg not in OFFER_CHOICES:
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, offer_minutes=press.arg or None, no_offers=press.arg == 0
        )
    elif press.action is AttAction.AUDIENCE:
        if press.arg >= len(AUDIENCES):
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, survey_audience=AUDIENCES[press.arg]
        )
    elif press.action is AttAction.CERTS:
        if press.arg >= len(CERT_MODES):
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, certificates=CERT_MODES[press.arg]
        )
    else:
        column, value = certificate_column(press)
        if not column:
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, certificate={column: value}
        )
    log.info("attendance settings of event %s: %s = %s", event.id, press.action.value, press.arg)
    return True
