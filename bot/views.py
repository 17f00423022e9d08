"""Render what people see: service data + language -> :class:`OutgoingMessage`.

One renderer per screen, shared by handlers, the outbox and the demo, so an invitation in
a broadcast looks exactly like the card a participant opens from a link.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.attendance import JoinPress
from bot.callbacks import (
    Answer,
    CalendarPress,
    EventCardPress,
    OrgAction,
    OrganiserPress,
    RsvpPress,
)
from bot.i18n import Markup, Translator, format_clock, format_day, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, EventStatus, MyRsvp, RsvpCounts, RsvpListEntry, RsvpStatus

MAX_TEXT = 4000  # Telegram allows 4096; keep room for the status line


def fit(lines: Sequence[str], limit: int = MAX_TEXT) -> str:
    """Join lines, dropping whole lines from the end (never cutting a tag) to fit ``limit``."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit - 2:
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join([*kept, "…"])


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=False)


# Zones with a name people use ("Vilniaus laiku"); any other is named by its IANA id.
_NAMED_ZONES = {"Europe/Vilnius": "zone-vilnius"}


def zone_phrase(tr: Translator, lang: str, zone: str) -> Markup:
    """The time zone as a phrase for a sentence: "Vilniaus laiku", "in Vilnius time"."""
    key = _NAMED_ZONES.get(zone)
    if key is not None:
        return Markup(tr.text(lang, key))
    return Markup(tr.text(lang, "zone-other", zone=zone))


def when_line(tr: Translator, lang: str, event: Event) -> str:
    start_day = format_day(event.starts_at, lang, event.timezone)
    end_day = format_day(event.ends_at, lang, event.timezone)
    start = format_clock(event.starts_at, lang, event.timezone)
    end = format_clock(event.ends_at, lang, event.timezone)
    if start_day == end_day:
        return tr.text(lang, "card-when", day=start_day, start=start, end=end)
    return tr.text(
        lang, "card-when-multiday", start_day=start_day, start=start, end_day=end_day, end=end
    )


def place_lines(tr: Translator, lang: str, event: Event) -> list[str]:
    """Where the event is. Never the online meeting link: a card can be forwarded or posted
    in a group; the link comes only from the "Join" button (bot/access.py)."""
    lines: list[str] = []
    if event.address:
        details = ", ".join(p for p in (event.address, event.hall, event.floor) if p)
        lines.append(tr.text(lang, "card-place", place=details))
    if event.online_url:
        lines.append(tr.text(lang, "access-card-online"))
    return lines


def agenda_lines(tr: Translator, lang: str, event: Event) -> list[str]:
    if not event.agenda:
        return []
    lines = ["", tr.text(lang, "card-agenda")]
    for item in event.agenda:
        if item.lecturer:
            lines.append(f"{_e(item.time)}  {_e(item.title)} — <i>{_e(item.lecturer)}</i>")
        else:
            lines.append(f"{_e(item.time)}  {_e(item.title)}")
    return lines


def status_label(tr: Translator, lang: str, status: RsvpStatus | None) -> str:
    return tr.text(lang, f"status-{status.value}" if status else "status-none")


def rsvp_buttons(tr: Translator, lang: str, event_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(tr.text(lang, "btn-yes"), RsvpPress(event_id, Answer.YES).pack()),
            Button(tr.text(lang, "btn-no"), RsvpPress(event_id, Answer.NO).pack()),
            Button(tr.text(lang, "btn-maybe"), RsvpPress(event_id, Answer.MAYBE).pack()),
        ),
        (Button(tr.text(lang, "btn-calendar"), CalendarPress(event_id).pack()),),
    )


@dataclass(frozen=True, slots=True)
class _CardFrame:
    """The parts of an event's card that depend only on the event and the language."""

    head: tuple[str, ...]  # title, programme, when, where
    tail: tuple[str, ...]  # answer deadline, description
    agenda: tuple[str, ...]
    buttons: tuple[tuple[Button, ...], ...]


@functools.lru_cache(maxsize=256)
def _card_frame(tr: Translator, lang: str, event: Event) -> _CardFrame:
    """Rendered once per event version and language, not on every press (dates, places
    and the agenda go through Fluent and Babel); the event is its own key: a changed
    event is another key."""
    head = [f"<b>{_e(event.title)}</b>"]
    if event.programme_title:
        head.append(f"<i>{_e(event.programme_title)}</i>")
    head += ["", when_line(tr, lang, event), *place_lines(tr, lang, event)]
    tail: list[str] = []
    if event.rsvp_deadline is not None:
        deadline = format_short(event.rsvp_deadline, event.timezone)
        tail.append(tr.text(lang, "card-deadline", deadline=deadline))
    if event.description:
        tail += ["", _e(event.description)]
    return _CardFrame(
        tuple(head), tuple(tail), tuple(agenda_lines(tr, lang, event)),
        rsvp_buttons(tr, lang, event.id),
    )  # fmt: skip


# The two lines of a card that change with a press, rendered once per value (no personal
# data in them: numbers and a status).
@functools.lru_cache(maxsize=1024)
def _places_left(tr: Translator, lang: str, left: int, capacity: int) -> str:
    return tr.text(lang, "card-places-left", left=left, capacity=capacity)


@functools.lru_cache(maxsize=64)
def _your_answer(tr: Translator, lang: str, status: RsvpStatus | None) -> str:
    return tr.text(lang, "card-your-answer", status=status_label(tr, lang, status))


def event_card(
    tr: Translator,
    lang: str,
    event: Event,
    *,
    status: RsvpStatus | None,
    counts: RsvpCounts | None = None,
    now: datetime | None = None,
    header: str | None = None,
    personal: bool = True,
) -> OutgoingMessage:
    """The event as a participant sees it, with their answer and the RSVP buttons.

    ``personal=False``: a card for many readers (posted in a group) without "your answer"."""
    frame = _card_frame(tr, lang, event)
    lines: list[str] = []
    if header:
        lines += [header, ""]
    lines += frame.head
    if event.capacity is not None and counts is not None:
        left = max(event.capacity - counts.yes, 0)
        lines.append(_places_left(tr, lang, left, event.capacity))
    lines += frame.tail
    body = frame.agenda
    footer = ["", _your_answer(tr, lang, status)]
    if not personal:
        footer = []
    if event.status is EventStatus.CANCELLED:
        footer = ["", tr.text(lang, "card-cancelled")]
        return OutgoingMessage(fit([*lines, *footer]))
    text = fit([*lines, *body], MAX_TEXT - sum(len(f) + 1 for f in footer)) + "".join(
        "\n" + f for f in footer
    )
    buttons = frame.buttons
    if personal and status is RsvpStatus.YES and event.online_url:
        # Records attendance, then gives the link in a private reply (bot/access.py).
        buttons = ((Button(tr.text(lang, "attendance-btn-join"), JoinPress(event.id).pack()),),
                   *buttons)  # fmt: skip
    elif personal and status is RsvpStatus.WAITLIST:
        leave = RsvpPress(event.id, Answer.NO).pack()
        buttons = (*buttons, (Button(tr.text(lang, "attendance-btn-leave-waitlist"), leave),))
    return OutgoingMessage(text, buttons)


def my_events(tr: Translator, lang: str, items: Sequence[MyRsvp]) -> OutgoingMessage:
    if not items:
        return OutgoingMessage(tr.text(lang, "my-empty"))
    lines = [tr.text(lang, "my-title"), ""]
    buttons: list[Button] = []
    for number, item in enumerate(items, start=1):
        lines.append(
            tr.text(
                lang,
                "my-item",
                number=number,
                title=item.title,
                when=format_short(item.starts_at, item.timezone),
                status=status_label(tr, lang, item.status),
            )
        )
        buttons.append(Button(f"{number}. {item.title}"[:40], EventCardPress(item.event_id).pack()))
    return OutgoingMessage(fit(lines), rows(*buttons[:20], per_row=1))


# -- organiser screens --------------------------------------------------------------------


def counts_line(tr: Translator, lang: str, event: Event, counts: RsvpCounts) -> str:
    return tr.text(
        lang,
        "org-counts",
        yes=counts.yes,
        maybe=counts.maybe,
        no=counts.no,
        waitlist=counts.waitlist,
        invited=counts.invited,
        capacity=event.capacity if event.capacity is not None else "—",
    )


def organiser_event_list(
    tr: Translator, lang: str, events: Sequence[Event], counts: dict[int, RsvpCounts]
) -> OutgoingMessage:
    if not events:
        return OutgoingMessage(tr.text(lang, "org-no-events"))
    lines = [tr.text(lang, "org-events-title"), ""]
    buttons: list[tuple[Button, ...]] = []
    for event in events[:20]:
        lines.append(f"<b>#{event.id} {_e(event.title)}</b>")
        lines.append(format_short(event.starts_at, event.timezone))
        lines.append(counts_line(tr, lang, event, counts.get(event.id, RsvpCounts())))
        lines.append("")
        buttons.append(
            (
                Button(
                    f"#{event.id} " + tr.text(lang, "btn-link"),
                    OrganiserPress(OrgAction.LINK, event.id).pack(),
                ),
                Button(
                    tr.text(lang, "btn-rsvps"), OrganiserPress(OrgAction.RSVPS, event.id).pack()
                ),
                Button(tr.text(lang, "btn-edit"), OrganiserPress(OrgAction.EDIT, event.id).pack()),
            )
        )
    return OutgoingMessage(fit(lines), tuple(buttons))


RSVP_PAGE_BUDGET = 3500  # characters of names per /rsvps page, below MAX_TEXT with the header


def rsvp_pages(
    tr: Translator, lang: str, entries: Sequence[RsvpListEntry], budget: int = RSVP_PAGE_BUDGET
) -> list[list[str]]:
    """The answer list, grouped by organisation, split into pages of whole lines.

    Every person is on exactly one page; an organisation that goes on past a page break
    repeats its heading on the next page, so no page starts with names of unknown origin."""
    by_org: dict[str, list[RsvpListEntry]] = {}
    for entry in entries:
        by_org.setdefault(
            entry.organisation or tr.text(lang, "org-unknown-organisation"), []
        ).append(entry)
    pages: list[list[str]] = []
    page: list[str] = []
    size = 0
    for organisation, people in by_org.items():
        yes = sum(1 for p in people if p.status is RsvpStatus.YES)
        heading = tr.text(
            lang, "org-rsvp-group", organisation=organisation, yes=yes, total=len(people)
        )
        lines_of_org = [f"  {status_icon(p.status)} {_e(p.name)}" for p in people]
        first = True
        for line in lines_of_org:
            need = len(line) + 1 + ((len(heading) + 1) if first else 0)
            if page and size + need > budget:
                pages.append(page)
                page, size, first = [], 0, True
            if first:
                page.append(heading)
                size += len(heading) + 1
                first = False
            page.append(line)
            size += len(line) + 1
    if page:
        pages.append(page)
    return pages


def rsvp_report(
    tr: Translator,
    lang: str,
    event: Event,
    counts: RsvpCounts,
    entries: Sequence[RsvpListEntry],
    page: int = 0,
) -> OutgoingMessage | None:
    """One page of /rsvps with ◀ ▶ and a button for the whole list as a file; None if
    ``page`` does not exist (an old or forged button)."""
    lines = [f"<b>#{event.id} {_e(event.title)}</b>", counts_line(tr, lang, event, counts)]
    if not entries:
        if page != 0:
            return None
        return OutgoingMessage("\n".join([*lines, "", tr.text(lang, "org-rsvp-none")]))
    pages = rsvp_pages(tr, lang, entries)
    if not 0 <= page < len(pages):
        return None
    if len(pages) > 1:
        lines.append(tr.text(lang, "org-rsvp-page", page=page + 1, pages=len(pages)))
    lines.append("")
    lines += pages[page]
    nav: list[Button] = []
    if page > 0:
        nav.append(
            Button(
                tr.text(lang, "org-rsvp-btn-previous", page=page),
                OrganiserPress(OrgAction.RSVPS_PAGE, event.id, str(page - 1)).pack(),
            )
        )
    if page < len(pages) - 1:
        nav.append(
            Button(
                tr.text(lang, "org-rsvp-btn-next", page=page + 2),
                OrganiserPress(OrgAction.RSVPS_PAGE, event.id, str(page + 1)).pack(),
            )
        )
    file_button = Button(
        tr.text(lang, "org-rsvp-btn-file"), OrganiserPress(OrgAction.RSVPS_FILE, event.id).pack()
    )
    buttons = (tuple(nav), (file_button,)) if nav else ((file_button,),)
    return OutgoingMessage("\n".join(lines), buttons)


def status_icon(status: RsvpStatus) -> str:
    return {"yes": "✅", "no": "❌", "maybe": "🤔", "waitlist": "⏳"}[status.value]


def organiser_preview(tr: Translator, lang: str, event: Event) -> OutgoingMessage:
    """The /newevent and /editevent preview: every field that will be saved, each named,
    unset ones shown as "—", for the organiser who checks them (no participant's answer
    line, no answer buttons; those come with the buttons of the flow)."""
    none = "—"

    def field(key: str, value: str) -> str:
        label = Markup(tr.text(lang, key))
        return tr.text(lang, "preview-field", field=label, value=Markup(value))

    place = ", ".join(_e(p) for p in (event.address, event.hall, event.floor) if p)
    if event.online_url:
        url = html.escape(event.online_url, quote=True)
        place = tr.text(lang, "preview-online", url=Markup(url))
    deadline = format_short(event.rsvp_deadline, event.timezone) if event.rsvp_deadline else none
    capacity = (
        str(event.capacity)
        if event.capacity is not None
        else tr.text(lang, "preview-capacity-unlimited")
    )
    lines = [
        field("field-title", f"<b>{_e(event.title)}</b>"),
        field("preview-field-programme", _e(event.programme_title) or none),
        field("field-time", when_line(tr, lang, event).removeprefix("📅 ")),
        field("preview-field-zone", _e(event.timezone)),
        field("field-place", place or none),
        field("field-capacity", capacity),
        field("field-deadline", deadline),
        field("field-description", _e(event.description) or none),
    ]
    agenda = agenda_lines(tr, lang, event)
    if agenda:
        lines += agenda
    else:
        lines.append(field("field-agenda", none))
    return OutgoingMessage(fit(lines))


def short_label(event: Event) -> str:
    return f"#{event.id} {event.title}"[:48]


def event_picker(
    tr: Translator,
    lang: str,
    events: Sequence[Event],
    press: Callable[[Event], str],
    *,
    prompt: str,
    empty: str | None = None,
    label: Callable[[Event], str] = short_label,
    extra: Sequence[Button] = (),
    limit: int = 30,
    prompt_args: Mapping[str, object] | None = None,
) -> OutgoingMessage:
    """The one event picker: a button per event (``press`` makes its data), then ``extra``
    buttons, one per row under the ``prompt`` text; the ``empty`` text when there is no
    button at all."""
    buttons = [Button(label(e), press(e)) for e in events[:limit]]
    buttons += extra
    if not buttons and empty is not None:
        return OutgoingMessage(tr.text(lang, empty))
    return OutgoingMessage(tr.text(lang, prompt, **(prompt_args or {})), rows(*buttons, per_row=1))
