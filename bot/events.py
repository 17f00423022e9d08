"""Event services: validate drafts, parse organiser input and TOML files, create and update.

Errors are :class:`EventInputError` carrying a locale key and arguments, so the chat flow
shows them in the organiser's language and the CLI in English.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import AgendaItem, Event, EventDraft
from bot.payloads import new_code
from bot.storage import Storage

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
