"""Event services: validate drafts, parse organiser input and TOML files, create and update.

Errors are :class:`EventInputError` carrying a locale key and arguments, so the chat flow
shows them in the organiser's language and the CLI in English.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.callbacks import OrgAction, OrganiserPress
from bot.messages import Button, OutgoingFile, OutgoingMessage, rows
from bot.models import AgendaItem, Event, EventDraft, EventStatus, PendingInput
from bot.payloads import Payload, PayloadKind, deep_link, new_code
from bot.qr import qr_png
from bot.services import Services
from bot.storage import Storage
from bot.views import (
    event_picker,
    organiser_event_list,
    organiser_preview,
    rsvp_report,
    zone_phrase,
)

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_TEXT = 1500
MAX_AGENDA_ITEMS = 30
MAX_CAPACITY = 10_000
MAX_DURATION = timedelta(days=14)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_URL = re.compile(r"^https?://\S+$")


class EventInputError(ValueError):
    """Bad organiser input; ``key`` is a locale key, ``args`` its arguments, ``field`` the
    event file's field it is about (``starts``, ``agenda[2].time``) when it came from one."""

    def __init__(self, key: str, *, field: str | None = None, **args: object) -> None:
        super().__init__(key)
        self.key = key
        # Messages such as error-toml-field name the field themselves.
        self.args_ = args if field is None else {"field": field, **args}
        self.field = field


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Errors raised inside name the event file's field ``name`` (unless they name one)."""
    try:
        yield
    except EventInputError as exc:
        if exc.field is None:
            exc.field = name
        raise


# Which field of an event file a whole-draft check is about.
_ERROR_FIELDS = {
    "error-title": "title", "error-timezone": "timezone", "error-end-before-start": "ends",
    "error-too-long": "ends", "error-in-past": "ends", "error-place": "place",
    "error-url": "online_url", "error-capacity": "capacity",
    "error-deadline-after-start": "rsvp_deadline", "error-text-too-long": "description",
    "error-agenda-too-long": "agenda", "error-slug": "slug",
}  # fmt: skip


# -- parsing single inputs (chat flow and TOML share these) -------------------------------


def parse_local_datetime(text: str, zone: str) -> datetime:
    """ "2027-03-09 10:00" (or with T, or dots in the time) in ``zone`` -> aware UTC."""
    cleaned = text.strip().replace("T", " ")
    match = re.match(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}[:.]\d{2})$", cleaned)
    if not match:
        raise EventInputError("error-datetime-format", example="2027-03-09 10:00")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        raise EventInputError("error-datetime-format", example="2027-03-09 10:00") from None
    return combine(day, parse_clock(match.group(2)), zone)


def parse_clock(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise EventInputError("error-time-format", example="16:00")
    return time(int(match.group(1)), int(match.group(2)))


def combine(day: date, clock: time, zone: str) -> datetime:
    """Local wall time -> aware datetime; a time skipped by a DST change is moved forward."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, clock, tzinfo=tz)
    # Round-trip through UTC: a non-existent wall time (spring forward) shifts by the gap.
    return local.astimezone(ZoneInfo("UTC"))


def parse_end(text: str, starts_at: datetime, zone: str) -> datetime:
    """End as "16:00" (same day as the start) or a full "2027-03-10 16:00"."""
    text = text.strip()
    if _HHMM.match(text):
        day = starts_at.astimezone(ZoneInfo(zone)).date()
        return combine(day, parse_clock(text), zone)
    return parse_local_datetime(text, zone)


def parse_capacity(text: str) -> int:
    text = text.strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
        raise EventInputError("error-capacity", max=MAX_CAPACITY)
    return int(text)


def agenda_time(text: str) -> str:
    """ "10:00" or "10:00-11:30" (dots allowed) with real clock times; 25:99 is refused."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) > 2 or not all(_HHMM.match(part) for part in parts):
        raise EventInputError("error-time-format", example="10:00")
    return text.strip().replace(".", ":")


def parse_agenda(text: str) -> tuple[AgendaItem, ...]:
    """One item per line: "10:00 Title — Lecturer" (the lecturer part is optional)."""
    items: list[AgendaItem] = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.match(r"^(\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?)\s+(.+)$", line)
        if not match:
            raise EventInputError(
                "error-agenda-line", line=number, example="10:00 Įvadas — J. Jonaitė"
            )
        try:
            agenda_time(match.group(1))
        except EventInputError:
            raise EventInputError(
                "error-agenda-line", line=number, example="10:00 Įvadas — J. Jonaitė"
            ) from None
        parts = re.split(r"\s+[—–]\s+|\s+-\s+", match.group(2), maxsplit=1)
        title = parts[0].strip()
        lecturer = parts[1].strip() if len(parts) > 1 else ""
        items.append(
            AgendaItem(time=match.group(1).replace(".", ":"), title=title, lecturer=lecturer)
        )
    if len(items) > MAX_AGENDA_ITEMS:
        raise EventInputError("error-agenda-too-long", max=MAX_AGENDA_ITEMS)
    return tuple(items)


def parse_place(text: str) -> tuple[str | None, str | None]:
    """An address or an online join link -> (address, online_url)."""
    text = text.strip()
    if _URL.match(text):
        return None, text
    if not text or len(text) > 300:
        raise EventInputError("error-place")
    return text, None


# -- whole drafts -------------------------------------------------------------------------


def validate(draft: EventDraft, *, now: datetime | None = None) -> EventDraft:
    """Check a complete draft; returns it with whitespace trimmed."""
    title = " ".join(draft.title.split())
    if not title or len(title) > MAX_TITLE:
        raise EventInputError("error-title", max=MAX_TITLE)
    try:
        ZoneInfo(draft.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventInputError("error-timezone", zone=draft.timezone) from None
    if draft.ends_at <= draft.starts_at:
        raise EventInputError("error-end-before-start")
    if draft.ends_at - draft.starts_at > MAX_DURATION:
        raise EventInputError("error-too-long")
    if now is not None and draft.ends_at <= now:
        raise EventInputError("error-in-past")
    if not draft.address and not draft.online_url:
        raise EventInputError("error-place")
    if draft.online_url and not _URL.match(draft.online_url):
        raise EventInputError("error-url")
    if draft.capacity is not None and not 1 <= draft.capacity <= MAX_CAPACITY:
        raise EventInputError("error-capacity", max=MAX_CAPACITY)
    if draft.rsvp_deadline is not None and draft.rsvp_deadline > draft.starts_at:
        raise EventInputError("error-deadline-after-start")
    if len(draft.description) > MAX_TEXT:
        raise EventInputError("error-text-too-long", max=MAX_TEXT)
    if len(draft.agenda) > MAX_AGENDA_ITEMS:
        raise EventInputError("error-agenda-too-long", max=MAX_AGENDA_ITEMS)
    if draft.slug is not None and not _SLUG.match(draft.slug):
        raise EventInputError("error-slug")
    return replace(draft, title=title, description=draft.description.strip())


def draft_from_event(event: Event) -> EventDraft:
    return EventDraft(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        programme=event.programme_title,
        description=event.description,
        address=event.address,
        hall=event.hall,
        floor=event.floor,
        online_url=event.online_url,
        capacity=event.capacity,
        rsvp_deadline=event.rsvp_deadline,
        agenda=event.agenda,
        slug=event.slug,
    )


def _toml_datetime(value: Any, zone: str, field: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return combine(value.date(), value.time(), zone)
        return value.astimezone(ZoneInfo("UTC"))
    if isinstance(value, str):
        return parse_local_datetime(value, zone)
    raise EventInputError("error-toml-field", field=field)


def _toml_text(data: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise EventInputError("error-toml-field", field=key)
        return None
    if not isinstance(value, str):
        raise EventInputError("error-toml-field", field=key)
    return value.strip() or None


def draft_from_toml(text: str, default_zone: str) -> EventDraft:
    """An event file (see examples/event.toml) -> a validated draft."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EventInputError("error-toml-syntax", detail=str(exc)) from None
    known = {"slug", "title", "programme", "description", "timezone", "starts", "ends",
             "capacity", "rsvp_deadline", "place", "online_url", "agenda",
             "certificate"}  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise EventInputError("error-toml-unknown", field=unknown[0])
    with _field("timezone"):
        zone = _toml_text(data, "timezone") or default_zone
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise EventInputError("error-timezone", zone=zone) from None
    if "starts" not in data or "ends" not in data:
        raise EventInputError(
            "error-toml-field", field="starts" if "starts" not in data else "ends"
        )
    with _field("starts"):
        starts = _toml_datetime(data["starts"], zone, "starts")
    with _field("ends"):
        ends_raw = data["ends"]
        if isinstance(ends_raw, time):
            ends = combine(starts.astimezone(ZoneInfo(zone)).date(), ends_raw, zone)
        else:
            ends = _toml_datetime(ends_raw, zone, "ends")
    place = data.get("place", {})
    if not isinstance(place, dict):
        raise EventInputError("error-toml-field", field="place")
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool)):
        raise EventInputError("error-capacity", field="capacity", max=MAX_CAPACITY)
    agenda_raw = data.get("agenda", [])
    if not isinstance(agenda_raw, list):
        raise EventInputError("error-toml-field", field="agenda")
    agenda: list[AgendaItem] = []
    for number, item in enumerate(agenda_raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise EventInputError("error-toml-field", field=f"agenda[{number}].title")
        clock = item.get("time", "")
        clock = clock.strftime("%H:%M") if isinstance(clock, time) else str(clock)
        if clock.strip():
            with _field(f"agenda[{number}].time"):
                clock = agenda_time(clock)
        agenda.append(
            AgendaItem(
                time=clock,
                title=item["title"].strip(),
                lecturer=str(item.get("lecturer", "")).strip(),
            )
        )
    deadline = data.get("rsvp_deadline")
    with _field("rsvp_deadline"):
        rsvp_deadline = (
            None if deadline is None else _toml_datetime(deadline, zone, "rsvp_deadline")
        )
    draft = EventDraft(
        slug=_toml_text(data, "slug"),
        title=_toml_text(data, "title", required=True) or "",
        programme=(
            _toml_text(data["programme"], "title")  # a [programme] table (docs/documents.md)
            if isinstance(data.get("programme"), dict)
            else _toml_text(data, "programme")
        ),
        description=_toml_text(data, "description") or "",
        timezone=zone,
        starts_at=starts,
        ends_at=ends,
        address=_toml_text(place, "address"),
        hall=_toml_text(place, "hall"),
        floor=_toml_text(place, "floor"),
        online_url=_toml_text(data, "online_url") or _toml_text(place, "online_url"),
        capacity=capacity,
        rsvp_deadline=rsvp_deadline,
        agenda=tuple(agenda),
    )
    try:
        return validate(draft)
    except EventInputError as exc:
        exc.field = exc.field or _ERROR_FIELDS.get(exc.key)
        raise


# -- changes ------------------------------------------------------------------------------

# Fields whose change participants are told about, in the order they are listed.
NOTIFIED_FIELDS = ("title", "time", "place", "agenda")


@dataclass(frozen=True, slots=True)
class EventChange:
    before: Event
    after: Event
    fields: tuple[str, ...]  # which of NOTIFIED_FIELDS + capacity/deadline/description changed

    @property
    def notify(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if f in NOTIFIED_FIELDS)


def diff(before: Event, after: Event) -> tuple[str, ...]:
    changed: list[str] = []
    if before.title != after.title:
        changed.append("title")
    if (before.starts_at, before.ends_at, before.timezone) != (
        after.starts_at,
        after.ends_at,
        after.timezone,
    ):
        changed.append("time")
    if (before.address, before.hall, before.floor, before.online_url) != (
        after.address, after.hall, after.floor, after.online_url,
    ):  # fmt: skip
        changed.append("place")
    if before.agenda != after.agenda:
        changed.append("agenda")
    if before.capacity != after.capacity:
        changed.append("capacity")
    if before.rsvp_deadline != after.rsvp_deadline:
        changed.append("deadline")
    if before.description != after.description or before.programme_title != after.programme_title:
        changed.append("description")
    return tuple(changed)


async def create_event(
    storage: Storage, draft: EventDraft, *, created_by: int | None, now: datetime
) -> Event:
    draft = validate(draft, now=now)
    event_id = await storage.events.insert_event(
        draft, invite_code=new_code(), created_by=created_by, now=now
    )
    event = await storage.events.get_event(event_id)
    assert event is not None
    return event


async def update_event(
    storage: Storage, event_id: int, draft: EventDraft, *, now: datetime
) -> EventChange:
    before = await storage.events.get_event(event_id)
    if before is None:
        raise EventInputError("error-event-not-found")
    draft = validate(replace(draft, slug=before.slug))
    await storage.events.update_event(event_id, draft, now=now)
    after = await storage.events.get_event(event_id)
    assert after is not None
    return EventChange(before, after, diff(before, after))


async def import_event(
    storage: Storage, text: str, *, default_zone: str, now: datetime, require_slug: bool = False
) -> tuple[Event, EventChange | None]:
    """Create the event of a TOML file, or update the one with the same slug.

    ``require_slug`` refuses a file without one (the command line does): importing such a
    file twice would silently make two events."""
    from bot.attendance import apply_document_choices, document_choices_from_toml

    draft = draft_from_toml(text, default_zone)
    if require_slug and draft.slug is None:
        raise EventInputError("cli-event-slug-missing", field="slug", example="akmene-2027-03")
    choices = document_choices_from_toml(tomllib.loads(text))
    existing = await storage.events.get_event_by_slug(draft.slug) if draft.slug else None
    if existing is None:
        event, change = await create_event(storage, draft, created_by=None, now=now), None
    else:
        change = await update_event(storage, existing.id, draft, now=now)
        event = change.after
    await apply_document_choices(storage, event, choices, now=now)
    return event, change


def read_event_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EventInputError("error-encoding") from None


# -- drafts in conversation state (JSON-safe) ---------------------------------------------


def draft_to_dict(draft: EventDraft) -> dict[str, object]:
    return {
        "title": draft.title,
        "starts_at": draft.starts_at.isoformat(),
        "ends_at": draft.ends_at.isoformat(),
        "timezone": draft.timezone,
        "programme": draft.programme,
        "description": draft.description,
        "address": draft.address,
        "hall": draft.hall,
        "floor": draft.floor,
        "online_url": draft.online_url,
        "capacity": draft.capacity,
        "rsvp_deadline": draft.rsvp_deadline.isoformat() if draft.rsvp_deadline else None,
        "agenda": [[a.time, a.title, a.lecturer] for a in draft.agenda],
        "slug": draft.slug,
    }


def draft_from_dict(data: dict[str, Any]) -> EventDraft:
    deadline = data.get("rsvp_deadline")
    return EventDraft(
        title=str(data.get("title") or ""),
        starts_at=datetime.fromisoformat(str(data["starts_at"])),
        ends_at=datetime.fromisoformat(str(data["ends_at"])),
        timezone=str(data["timezone"]),
        programme=data.get("programme"),
        description=str(data.get("description") or ""),
        address=data.get("address"),
        hall=data.get("hall"),
        floor=data.get("floor"),
        online_url=data.get("online_url"),
        capacity=data.get("capacity"),
        rsvp_deadline=datetime.fromisoformat(str(deadline)) if deadline else None,
        agenda=tuple(AgendaItem(*item) for item in data.get("agenda") or []),
        slug=data.get("slug"),
    )


def preview_event(draft: EventDraft, *, event_id: int = 0) -> Event:
    """An unsaved draft shaped as an event, so the preview uses the real card renderer."""
    from bot.models import EventStatus

    return Event(
        id=event_id, slug=draft.slug, programme_id=None, programme_title=draft.programme,
        title=draft.title, description=draft.description, starts_at=draft.starts_at,
        ends_at=draft.ends_at, timezone=draft.timezone, address=draft.address, hall=draft.hall,
        floor=draft.floor, online_url=draft.online_url, capacity=draft.capacity,
        rsvp_deadline=draft.rsvp_deadline, invite_code="", status=EventStatus.ACTIVE,
        agenda=draft.agenda,
    )  # fmt: skip


def parse_time_range(text: str, zone: str) -> tuple[datetime, datetime]:
    """ "2027-03-09 10:00-16:00" or "2027-03-09 10:00 - 2027-03-10 13:00" -> (start, end)."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2}\s+\d{1,2}[:.]\d{2})\s*[-–]\s*(.+)$", text)
    if not match:
        raise EventInputError("error-time-range", example="2027-03-09 10:00-16:00")
    starts = parse_local_datetime(match.group(1), zone)
    return starts, parse_end(match.group(2), starts, zone)


def draft_event_id(state: Mapping[str, object]) -> int:
    """The event a stored draft belongs to (0: a new event). A Save button carries its
    event's id and is honoured only for a draft of that same event."""
    raw = state.get("event_id", 0)
    try:
        return int(str(raw or 0))
    except ValueError:
        return -1


# -- naming an event: /rsvps 12, /attendance #12, /schedule akmene-2027-03, --event 12 ---------


def parse_event_ref(raw: str) -> int | str | None:
    """An event's id ("12" or "#12") or slug ("akmene-2027-03") as typed; None if it is
    neither. The one reading of an event argument, for every command and the CLI."""
    text = raw.strip()
    bare = text.lstrip("#")
    if bare.isdigit():
        return int(bare) if len(bare) < 12 else None
    return text if _SLUG.match(text) else None


async def event_by_ref(services: Services, raw: str) -> Event | None:
    """The event an organiser's argument names (id first, then slug), or None."""
    return await find_event(services.db, raw)


async def find_event(storage: Storage, raw: str) -> Event | None:
    """The event an argument names (id first, then slug), or None."""
    ref = parse_event_ref(raw)
    if isinstance(ref, int):
        found = await storage.events.get_event(ref)
        if found is not None:
            return found
        ref = raw.strip()
    if ref is None or not _SLUG.match(ref):
        return None
    return await storage.events.get_event_by_slug(ref)


# -- the organiser screens and the draft wizard -----------------------------------------------
# What /events, /rsvps, /invite, /newevent and /editevent show, decided here and returned
# Telegram-free (messages, files); bot/handlers/events.py only sends them. A draft lives in
# the organiser's pending-input row between steps, so a step survives a restart.

NEW_FLOW = "newevent"
EDIT_FLOW = "editevent"

# The guided /newevent steps in order; optional ones offer a "Skip" button.
NEW_STEPS = (
    "title",
    "programme",
    "starts",
    "ends",
    "place",
    "hall",
    "capacity",
    "deadline",
    "agenda",
    "description",
)
OPTIONAL_STEPS = {"programme", "hall", "capacity", "deadline", "agenda", "description"}
# What skipping an optional step clears in the draft.
_SKIPPED_KEYS = {
    "programme": ["programme"],
    "hall": ["hall", "floor"],
    "capacity": ["capacity"],
    "deadline": ["rsvp_deadline"],
    "agenda": ["agenda"],
    "description": ["description"],
}
EDIT_FIELDS = ("title", "time", "place", "hall", "capacity", "deadline", "agenda", "description")


@dataclass(frozen=True, slots=True)
class Screen:
    """What the organiser is sent after one step: messages in order, then (after a new
    event is saved) that event's invitation link and QR code."""

    messages: tuple[OutgoingMessage, ...] = ()
    link_event_id: int | None = None


def _say(services: Services, lang: str, key: str, **args: Any) -> Screen:
    return Screen((OutgoingMessage(services.t(lang, key, **args)),))


def invite_link(services: Services, invite_code: str) -> str:
    return deep_link(services.bot_username, Payload(PayloadKind.EVENT, invite_code))


async def event_list(services: Services, lang: str) -> OutgoingMessage:
    """/events: the upcoming events with their answer counts."""
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    counts = await services.db.rsvps.rsvp_counts([e.id for e in upcoming])
    return organiser_event_list(services.translator, lang, upcoming, counts)


async def pick_event(
    services: Services, lang: str, action: OrgAction, prompt: str
) -> int | OutgoingMessage:
    """No event named: the only upcoming one, or a picker of them."""
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    if len(upcoming) == 1:
        return upcoming[0].id
    return event_picker(
        services.translator, lang, upcoming,
        lambda e: OrganiserPress(action, e.id).pack(), prompt=prompt, empty="org-no-events",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Refused:
    """Not shown: ``text`` says why (an alert on a press, a message otherwise); ``stale``:
    an old or forged button, answered only on a press."""

    text: str
    stale: bool = False


async def rsvp_page(
    services: Services, lang: str, event_id: int, page: int = 0
) -> OutgoingMessage | Refused:
    """A page of an event's answer list (the ◀ ▶ buttons turn it)."""
    event = await services.db.events.get_event(event_id)
    if event is None:
        return Refused(services.t(lang, "error-event-not-found"))
    counts = (await services.db.rsvps.rsvp_counts([event_id]))[event_id]
    entries = await services.db.rsvps.rsvp_list(event_id)
    message = rsvp_report(services.translator, lang, event, counts, entries, page)
    if message is None:  # a page that does not exist (any more): an old or forged button
        return Refused(services.t(lang, "error-stale-button"), stale=True)
    return message


async def rsvps_file(services: Services, lang: str, event_id: int) -> OutgoingFile | Refused:
    """The whole answer list as a CSV file: every person, one row each."""
    from bot.rsvp import answers_csv  # bot.rsvp reads events through this module's types

    event = await services.db.events.get_event(event_id)
    if event is None:
        return Refused(services.t(lang, "error-event-not-found"))
    entries = await services.db.rsvps.rsvp_list(event_id)
    unknown = services.t(lang, "org-unknown-organisation")
    header = [services.t(lang, f"org-rsvp-col-{c}") for c in ("organisation", "name", "answer")]
    data = answers_csv(
        header,
        (
            [
                e.organisation or unknown,
                e.name,
                services.t(lang, f"broadcast-answer-{e.status.value}"),
            ]
            for e in entries
        ),
    )
    caption = services.t(lang, "org-rsvp-file-caption", title=event.title, count=len(entries))
    return OutgoingFile(data, f"answers-event-{event.id}.csv", caption[:1024])


async def link_photo(services: Services, lang: str, event_id: int) -> OutgoingFile | Refused:
    """The event's invitation link with its QR code."""
    event = await services.db.events.get_event(event_id)
    if event is None:
        return Refused(services.t(lang, "error-event-not-found"))
    link = invite_link(services, event.invite_code)
    return OutgoingFile(
        qr_png(link),
        f"event-{event.id}-qr.png",
        services.t(lang, "org-link", title=event.title, link=link),
        photo=True,
    )


async def start_new(services: Services, lang: str, user_id: int) -> Screen:
    """/newevent: a fresh draft and its first question."""
    state = PendingInput(user_id, NEW_FLOW, {"step": "title", "draft": {}})
    await services.db.people.set_pending_input(state, services.clock.now())
    intro = OutgoingMessage(services.t(lang, "new-intro"))
    return Screen((intro, await _prompt(services, lang, state)))


async def _prompt(services: Services, lang: str, state: PendingInput) -> OutgoingMessage:
    step = str(state.data["step"])
    buttons: list[Button] = []
    if step == "programme":
        for programme in (await services.db.events.list_programmes())[:10]:
            buttons.append(
                Button(
                    programme.title[:48], OrganiserPress(OrgAction.PROGRAMME, programme.id).pack()
                )
            )
    if step in OPTIONAL_STEPS:
        buttons.append(
            Button(services.t(lang, "btn-skip"), OrganiserPress(OrgAction.SKIP, 0).pack())
        )
    buttons.append(
        Button(services.t(lang, "btn-cancel"), OrganiserPress(OrgAction.DISCARD, 0).pack())
    )
    prompt_key = f"new-ask-{step}" if state.kind == NEW_FLOW else f"edit-ask-{step}"
    return OutgoingMessage(
        services.t(
            lang,
            prompt_key,
            zone=zone_phrase(services.translator, lang, services.settings.timezone),
        ),
        rows(*buttons, per_row=1),
    )


def apply_step(draft: dict[str, Any], step: str, text: str, zone: str) -> None:
    """Validate one typed answer and store it in the draft (raises EventInputError)."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise EventInputError("error-text-too-long", max=MAX_TEXT)
    if step == "title":
        title = " ".join(text.split())
        if not title or len(title) > MAX_TITLE:
            raise EventInputError("error-title", max=MAX_TITLE)
        draft["title"] = title
    elif step == "programme":
        draft["programme"] = " ".join(text.split())[:200] or None
    elif step == "starts":
        draft["starts_at"] = parse_local_datetime(text, zone).isoformat()
    elif step == "ends":
        starts = datetime.fromisoformat(draft["starts_at"])
        ends = parse_end(text, starts, zone)
        if ends <= starts:
            raise EventInputError("error-end-before-start")
        draft["ends_at"] = ends.isoformat()
    elif step == "time":
        starts, ends = parse_time_range(text, zone)
        if ends <= starts:
            raise EventInputError("error-end-before-start")
        draft["starts_at"], draft["ends_at"] = starts.isoformat(), ends.isoformat()
    elif step == "place":
        address, url = parse_place(text)
        draft["address"], draft["online_url"] = address, url
        if url:
            draft["hall"] = draft["floor"] = None
    elif step == "hall":
        hall, _, floor = text.partition(",")
        draft["hall"], draft["floor"] = hall.strip() or None, floor.strip() or None
    elif step == "capacity":
        draft["capacity"] = parse_capacity(text)
    elif step == "deadline":
        draft["rsvp_deadline"] = parse_local_datetime(text, zone).isoformat()
    elif step == "agenda":
        draft["agenda"] = [[a.time, a.title, a.lecturer] for a in parse_agenda(text)]
    elif step == "description":
        draft["description"] = text


def _next_step(step: str, draft: dict[str, Any]) -> str | None:
    index = NEW_STEPS.index(step) + 1
    while index < len(NEW_STEPS):
        candidate = NEW_STEPS[index]
        if candidate == "hall" and not draft.get("address"):
            index += 1
            continue
        return candidate
    return None


def _draft_or_error(data: dict[str, Any], zone: str) -> EventDraft:
    return draft_from_dict({"timezone": zone, **data})


async def typed_new(services: Services, lang: str, state: PendingInput, text: str) -> Screen:
    """A typed answer to the current /newevent question."""
    step = str(state.data.get("step"))
    draft = dict(state.data.get("draft") or {})  # type: ignore[call-overload]
    try:
        apply_step(draft, step, text, services.settings.timezone)
    except EventInputError as exc:
        return _say(services, lang, exc.key, **exc.args_)
    return await _advance(
        services, lang, PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft})
    )


async def _advance(services: Services, lang: str, state: PendingInput) -> Screen:
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    step = _next_step(str(state.data["step"]), draft)
    if step is None:
        await services.db.people.set_pending_input(
            PendingInput(state.telegram_id, NEW_FLOW, {"step": "preview", "draft": draft}),
            services.clock.now(),
        )
        return _preview(services, lang, draft, event_id=0)
    state = PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft})
    await services.db.people.set_pending_input(state, services.clock.now())
    return Screen((await _prompt(services, lang, state),))


def _preview(services: Services, lang: str, draft_data: dict[str, Any], *, event_id: int) -> Screen:
    try:
        draft = validate(
            _draft_or_error(draft_data, services.settings.timezone), now=services.clock.now()
        )
    except EventInputError as exc:
        return _say(services, lang, exc.key, **exc.args_)
    card = organiser_preview(services.translator, lang, preview_event(draft, event_id=event_id))
    save_key = "btn-save" if event_id == 0 else "btn-save-notify"
    buttons = (
        (
            Button(services.t(lang, save_key), OrganiserPress(OrgAction.SAVE, event_id).pack()),
            Button(
                services.t(lang, "btn-discard"), OrganiserPress(OrgAction.DISCARD, event_id).pack()
            ),
        ),
    )
    return Screen((OutgoingMessage(services.t(lang, "new-preview") + "\n\n" + card.text, buttons),))


async def save(services: Services, lang: str, user_id: int, event_id: int) -> Screen:
    """Save the previewed draft: a new event (then its link), or an edit (then the people
    answered are told, and a larger capacity lets the waitlist in)."""
    from bot.notify import notify_event_change, notify_promoted  # bot.notify reads EventChange

    state = await services.db.people.get_pending_input(user_id)
    expected = NEW_FLOW if event_id == 0 else EDIT_FLOW
    if state is None or state.kind != expected or state.data.get("step") != "preview":
        return _say(services, lang, "error-nothing-to-save")
    draft_event = draft_event_id(state.data)
    if draft_event != event_id:
        # A Save button of an earlier edit (another event's preview, or forged): the draft
        # in hand belongs to another event and must never be written over this one.
        log.info(
            "organiser %s: Save for event %s refused, the draft is for event %s",
            user_id, event_id, draft_event,
        )  # fmt: skip
        return _say(services, lang, "edit-save-other-event", pressed=event_id, current=draft_event)
    draft_data: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    now = services.clock.now()
    try:
        draft = _draft_or_error(draft_data, services.settings.timezone)
        if event_id == 0:
            event = await create_event(services.db, draft, created_by=user_id, now=now)
        else:
            change = await update_event(services.db, event_id, draft, now=now)
            event = change.after
    except EventInputError as exc:
        return _say(services, lang, exc.key, **exc.args_)
    await services.db.people.clear_pending_input(user_id)
    log.info("organiser %s saved event %s", user_id, event.id)
    if event_id == 0:
        saved = _say(services, lang, "new-saved", id=event.id, title=event.title)
        return replace(saved, link_event_id=event.id)
    notified = await notify_event_change(services, change)
    if "capacity" in change.fields:
        promoted = await services.db.rsvps.promote_waitlist(event.id, event.capacity, now)
        if promoted:
            await notify_promoted(services, event, promoted)
    return _say(services, lang, "edit-saved", id=event.id, notified=notified)


async def edit_menu(services: Services, lang: str, event_id: int) -> OutgoingMessage:
    """/editevent: the fields of an active event to change, and "cancel the event"."""
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        return OutgoingMessage(services.t(lang, "error-event-not-found"))
    buttons = [
        Button(
            services.t(lang, f"field-{name}"),
            OrganiserPress(OrgAction.FIELD, event_id, name).pack(),
        )
        for name in EDIT_FIELDS
    ]
    buttons.append(
        Button(
            services.t(lang, "btn-cancel-event"),
            OrganiserPress(OrgAction.CANCEL_EVENT, event_id).pack(),
        )
    )
    return OutgoingMessage(
        services.t(lang, "edit-choose", id=event.id, title=event.title),
        rows(*buttons, per_row=2),
    )


async def edit_field(
    services: Services, lang: str, user_id: int, event_id: int, field: str
) -> OutgoingMessage:
    """A field chosen in the edit menu: a draft of the event, and the field's question."""
    event = await services.db.events.get_event(event_id)
    if event is None or field not in EDIT_FIELDS:
        return OutgoingMessage(services.t(lang, "error-stale-button"))
    draft = draft_to_dict(draft_from_event(event))
    state = PendingInput(user_id, EDIT_FLOW, {"step": field, "event_id": event_id, "draft": draft})
    await services.db.people.set_pending_input(state, services.clock.now())
    return await _prompt(services, lang, state)


async def typed_edit(services: Services, lang: str, state: PendingInput, text: str) -> Screen:
    """A typed new value of the field being edited: then the preview."""
    step = str(state.data.get("step"))
    event_id = int(str(state.data.get("event_id", 0)))
    draft = dict(state.data.get("draft") or {})  # type: ignore[call-overload]
    if step == "preview":
        return _say(services, lang, "edit-use-buttons")
    try:
        apply_step(draft, step, text, services.settings.timezone)
    except EventInputError as exc:
        return _say(services, lang, exc.key, **exc.args_)
    await services.db.people.set_pending_input(
        PendingInput(
            state.telegram_id, EDIT_FLOW, {"step": "preview", "event_id": event_id, "draft": draft}
        ),
        services.clock.now(),
    )
    return _preview(services, lang, draft, event_id=event_id)


async def skip(services: Services, lang: str, user_id: int) -> Screen:
    """ "Skip" on an optional step."""
    state = await services.db.people.get_pending_input(user_id)
    if state is None or str(state.data.get("step")) not in OPTIONAL_STEPS:
        return _say(services, lang, "error-stale-button")
    step = str(state.data["step"])
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    for key in _SKIPPED_KEYS[step]:
        draft[key] = [] if key == "agenda" else ("" if key == "description" else None)
    if state.kind == NEW_FLOW:
        return await _advance(
            services,
            lang,
            PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft}),
        )
    data = {"step": "preview", "event_id": state.data.get("event_id"), "draft": draft}
    await services.db.people.set_pending_input(
        PendingInput(state.telegram_id, EDIT_FLOW, data), services.clock.now()
    )
    return _preview(services, lang, draft, event_id=int(str(state.data.get("event_id", 0))))


async def choose_programme(
    services: Services, lang: str, user_id: int, programme_id: int
) -> Screen:
    """A programme button on the programme step."""
    state = await services.db.people.get_pending_input(user_id)
    programmes = {p.id: p.title for p in await services.db.events.list_programmes()}
    if (
        state is None
        or state.kind != NEW_FLOW
        or state.data.get("step") != "programme"
        or programme_id not in programmes
    ):
        return _say(services, lang, "error-stale-button")
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    draft["programme"] = programmes[programme_id]
    return await _advance(
        services,
        lang,
        PendingInput(state.telegram_id, NEW_FLOW, {"step": "programme", "draft": draft}),
    )


async def drop_draft(services: Services, user_id: int) -> bool:
    """Leave the current guided flow, nothing half-made saved; False if there was none."""
    state = await services.db.people.get_pending_input(user_id)
    await services.db.people.clear_pending_input(user_id)
    return state is not None


async def cancel_event(
    services: Services, lang: str, user_id: int, event_id: int, *, confirmed: bool
) -> Screen:
    """ "Cancel the event": first the question (how many people it concerns), then, when
    confirmed, the cancellation and the notices to those who answered."""
    from bot.notify import notify_cancelled  # bot.notify reads EventChange

    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        return _say(services, lang, "error-event-not-found")
    if not confirmed:
        counts = (await services.db.rsvps.rsvp_counts([event_id]))[event_id]
        buttons = (
            (
                Button(
                    services.t(lang, "btn-cancel-event-confirm"),
                    OrganiserPress(OrgAction.CANCEL_EVENT_OK, event_id).pack(),
                ),
                Button(
                    services.t(lang, "btn-back"), OrganiserPress(OrgAction.DISCARD, event_id).pack()
                ),
            ),
        )
        people = counts.yes + counts.maybe + counts.waitlist
        text = services.t(lang, "cancel-event-confirm", title=event.title, people=people)
        return Screen((OutgoingMessage(text, buttons),))
    if await services.db.events.set_event_status(
        event_id, EventStatus.CANCELLED, now=services.clock.now()
    ):
        notified = await notify_cancelled(services, replace(event, status=EventStatus.CANCELLED))
        log.info("organiser %s cancelled event %s", user_id, event_id)
        return _say(services, lang, "cancel-event-done", title=event.title, notified=notified)
    return Screen()
