"""Typed, versioned callback data: ``v1:<prefix>:<field>:<field>...``, always <= 64 bytes.

Buttons carry only ids; the database holds the state. Incoming data is untrusted:
:func:`parse` returns ``None`` for anything that is not exactly one of the shapes asked for
(wrong version, unknown prefix, wrong field count, a non-number where a number belongs, an
unknown enum value), and the handler answers "this button is no longer valid".

There is no registry here: the buttons an application answers are declared on its
``Routes`` (bot/handlers/routing.py), and whether a button is an organiser's is a property
of its class (``organiser``), from which the routes apply the one organiser gate.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, cast, get_type_hints

VERSION = "v1"
_MAX_ID = 2**53
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class CallbackData:
    """Base of every button payload; subclasses are frozen dataclasses with a ``prefix``."""

    prefix: ClassVar[str]
    # Organisers' buttons: the routes put every class with this set behind the organiser
    # gate (bot/handlers/routing.py), and only such classes; nothing else decides it.
    organiser: ClassVar[bool] = False
    # A field named ``event_id`` names an event: a participant press of such a button is
    # honoured only for someone invited to it (bot/access.py). ``True`` here lets 0 mean
    # "no event" (consent given outside an invitation).
    EVENT_OPTIONAL: ClassVar[bool] = False

    def pack(self) -> str:
        parts = [VERSION, self.prefix]
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            parts.append(value.value if isinstance(value, StrEnum) else str(value))
        packed = ":".join(parts)
        if len(packed.encode()) > 64:
            raise ValueError(f"callback data over 64 bytes: {packed}")
        return packed


def _convert(raw: str, kind: Any) -> Any:
    if kind is int:
        if not raw.isdigit() or len(raw) > 16 or int(raw) >= _MAX_ID:
            raise ValueError(raw)
        return int(raw)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(raw)
    if kind is str:
        if not _TOKEN.match(raw):
            raise ValueError(raw)
        return raw
    raise TypeError(f"unsupported callback field type {kind}")


@functools.cache
def _shape(cls: type) -> tuple[tuple[str, Any], ...]:
    """(field name, type) of a callback class, in order: resolved once, not per press."""
    hints = get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in fields(cls))


def all_classes() -> list[type[CallbackData]]:
    """Every button class defined so far (those of the modules imported), for tests and
    tools; the application answers only the classes declared on its routes."""
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop(0)
        if "prefix" in cls.__dict__:
            found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def parse(data: str | None, *kinds: type[CallbackData]) -> CallbackData | None:
    """The typed value of a button's data if it is exactly one of ``kinds`` (default: any
    class defined), else None."""
    if not data or len(data.encode()) > 64:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    cls = next((k for k in kinds or all_classes() if k.prefix == parts[1]), None)
    if cls is None:
        return None
    shape = _shape(cast(type, cls))  # a class is hashable (the dataclass hash is per instance)
    if len(parts) - 2 != len(shape):
        return None
    try:
        values = {n: _convert(raw, kind) for (n, kind), raw in zip(shape, parts[2:], strict=True)}
    except (ValueError, TypeError):
        return None
    return cls(**values)


EVENT_FIELD = "event_id"


def names_event(cls: type[CallbackData]) -> bool:
    """Whether buttons of this class name an event (and so need an invitation to it)."""
    return any(f.name == EVENT_FIELD for f in fields(cls))  # type: ignore[arg-type]


def named_event(data: CallbackData) -> int | None:
    """The event a button names, or None when it names none. Every participant button is
    parsed through :func:`bot.handlers.common.participant_press`, which refuses a named
    event the person holds no invitation to."""
    if not names_event(type(data)):
        return None
    event_id = getattr(data, EVENT_FIELD)
    assert isinstance(event_id, int)
    if event_id == 0 and type(data).EVENT_OPTIONAL:
        return None
    return event_id


class Answer(StrEnum):
    YES = "y"
    NO = "n"
    MAYBE = "m"


@dataclass(frozen=True)
class RsvpPress(CallbackData):
    prefix: ClassVar[str] = "r"
    event_id: int
    answer: Answer


@dataclass(frozen=True)
class CalendarPress(CallbackData):
    prefix: ClassVar[str] = "ics"
    event_id: int


@dataclass(frozen=True)
class EventCardPress(CallbackData):
    """Show an event's card again (from /my)."""

    prefix: ClassVar[str] = "card"
    event_id: int


@dataclass(frozen=True)
class ConsentPress(CallbackData):
    prefix: ClassVar[str] = "consent"
    EVENT_OPTIONAL: ClassVar[bool] = True
    event_id: int  # 0 when registration did not start from an invitation


@dataclass(frozen=True)
class LanguagePress(CallbackData):
    prefix: ClassVar[str] = "lang"
    language: str


class OrgAction(StrEnum):
    """Organiser buttons; every one of them passes the organiser gate (``organiser``)."""

    LINK = "link"  # invite link + QR
    RSVPS = "rsvps"
    EDIT = "edit"  # choose a field to edit
    FIELD = "field"  # arg = field name
    SAVE = "save"  # save the draft shown in the preview
    DISCARD = "discard"
    SKIP = "skip"  # skip an optional step of a guided flow
    PROGRAMME = "prog"  # arg = programme id, 0 = none
    CANCEL_EVENT = "cancel"  # ask to cancel the event
    CANCEL_EVENT_OK = "cancelok"
    RSVPS_PAGE = "rpage"  # arg = page number, from 0
    RSVPS_FILE = "rfile"  # the whole answer list as a CSV file


@dataclass(frozen=True)
class OrganiserPress(CallbackData):
    prefix: ClassVar[str] = "o"
    organiser: ClassVar[bool] = True
    action: OrgAction
    event_id: int
    arg: str = "-"


@dataclass(frozen=True)
class PersonalLinkPress(CallbackData):
    """ "Is this invitation yours?" after a registered person opened a personal link. The
    link's code stays on the server (the person's pending input), never in the button."""

    prefix: ClassVar[str] = "pl"
    answer: Answer  # YES or NO
