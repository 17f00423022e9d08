"""Organiser handlers: create, list, edit and cancel events; links, QR codes, RSVP lists.

Every command here is declared ``organiser=True`` and the one button class
(``OrganiserPress``) is an organiser class, so ``Routes.install`` puts all of them behind
the organiser gate; a new one cannot skip the check.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from telegram import Update

from bot import events as event_service
from bot.callbacks import OrgAction, OrganiserPress
from bot.events import EventInputError, draft_from_dict, draft_to_dict
from bot.handlers.common import (
    BotContext,
    Handler,
    NoEventArgument,
    edit,
    event_from_args,
    reply,
    typed_press,
)
from bot.handlers.participants import participant_cancel
from bot.handlers.routing import Routes
from bot.messages import Button, OutgoingMessage, rows
from bot.models import EventDraft, EventStatus, PendingInput
from bot.notify import notify_cancelled, notify_event_change, notify_promoted
from bot.payloads import Payload, PayloadKind, deep_link
from bot.qr import qr_png
from bot.rsvp import answers_csv
from bot.services import Services
from bot.views import (
    event_picker,
    organiser_event_list,
    organiser_preview,
    rsvp_report,
    zone_phrase,
)

log = logging.getLogger(__name__)

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


def _user_id(update: Update) -> int:
    return update.effective_user.id if update.effective_user else 0


def invite_link(services: Services, invite_code: str) -> str:
    return deep_link(services.bot_username, Payload(PayloadKind.EVENT, invite_code))


# -- lists and links ----------------------------------------------------------------------


async def events_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    counts = await services.db.rsvps.rsvp_counts([e.id for e in upcoming])
    await reply(update, context, organiser_event_list(services.translator, lang, upcoming, counts))


async def _event_or_pick(
    update: Update, context: BotContext, action: OrgAction, prompt: str
) -> int | None:
    """The event named in the command, or a picker when none was named."""
    named = await event_from_args(update, context)
    if not isinstance(named, NoEventArgument):
        return None if named is None else named.id
    services = context.services
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    if len(upcoming) == 1:
        return upcoming[0].id
    picker = event_picker(
        services.translator, context.lang, upcoming,
        lambda e: OrganiserPress(action, e.id).pack(), prompt=prompt, empty="org-no-events",
    )  # fmt: skip
    await reply(update, context, picker)
    return None


async def rsvps_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.RSVPS, "org-pick-event")
    if event_id is not None:
        await _send_rsvps(update, context, event_id)


async def _send_rsvps(
    update: Update, context: BotContext, event_id: int, page: int = 0, *, turn: bool = False
) -> None:
    """A page of the answer list (``turn``: the ◀ ▶ buttons edit the message in place)."""
    services = context.services
    lang = context.lang
    query = update.callback_query if turn else None  # a page turn answers its own press
    event = await services.db.events.get_event(event_id)
    if event is None:
        if query is not None:
            await query.answer(services.t(lang, "error-event-not-found"), show_alert=True)
        else:
            await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    counts = (await services.db.rsvps.rsvp_counts([event_id]))[event_id]
    entries = await services.db.rsvps.rsvp_list(event_id)
    message = rsvp_report(services.translator, lang, event, counts, entries, page)
    if message is None:  # a page that does not exist (any more): an old or forged button
        log.info("rsvps: no page %s of event %s for %s", page, event_id, _user_id(update))
        if query is not None:
            await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    if query is not None:
        await query.answer()
        await edit(query, message)
    else:
        await reply(update, context, message)


async def _send_rsvps_file(update: Update, context: BotContext, event_id: int) -> None:
    """The whole answer list as a CSV file: every person, one row each."""
    services = context.services
    lang = context.lang
    event = await services.db.events.get_event(event_id)
    if event is None or update.effective_chat is None:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
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
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=data,
        filename=f"answers-event-{event.id}.csv",
        caption=services.t(lang, "org-rsvp-file-caption", title=event.title, count=len(entries))[
            :1024
        ],
        parse_mode="HTML",
    )


async def invite_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.LINK, "org-pick-event")
    if event_id is not None:
        await _send_link(update, context, event_id)


async def _send_link(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    lang = context.lang
    event = await services.db.events.get_event(event_id)
    if event is None or update.effective_chat is None:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    link = invite_link(services, event.invite_code)
    await context.bot.send_photo(
        chat_id=update.effective_chat.id,
        photo=qr_png(link),
        filename=f"event-{event.id}-qr.png",
        caption=services.t(lang, "org-link", title=event.title, link=link),
        parse_mode="HTML",
    )


# -- guided creation ----------------------------------------------------------------------


async def newevent_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    state = PendingInput(_user_id(update), NEW_FLOW, {"step": "title", "draft": {}})
    await services.db.people.set_pending_input(state, services.clock.now())
    await reply(update, context, services.t(lang, "new-intro"))
    await _prompt(update, context, state)


async def _prompt(update: Update, context: BotContext, state: PendingInput) -> None:
    services = context.services
    lang = context.lang
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
    await reply(
        update,
        context,
        OutgoingMessage(
            services.t(
                lang,
                prompt_key,
                zone=zone_phrase(services.translator, lang, services.settings.timezone),
            ),
            rows(*buttons, per_row=1),
        ),
    )


def _apply_step(draft: dict[str, Any], step: str, text: str, zone: str) -> None:
    """Validate one typed answer and store it in the draft (raises EventInputError)."""
    text = text.strip()
    if len(text) > event_service.MAX_TEXT:
        raise EventInputError("error-text-too-long", max=event_service.MAX_TEXT)
    if step == "title":
        title = " ".join(text.split())
        if not title or len(title) > event_service.MAX_TITLE:
            raise EventInputError("error-title", max=event_service.MAX_TITLE)
        draft["title"] = title
    elif step == "programme":
        draft["programme"] = " ".join(text.split())[:200] or None
    elif step == "starts":
        draft["starts_at"] = event_service.parse_local_datetime(text, zone).isoformat()
    elif step == "ends":
        starts = datetime.fromisoformat(draft["starts_at"])
        ends = event_service.parse_end(text, starts, zone)
        if ends <= starts:
            raise EventInputError("error-end-before-start")
        draft["ends_at"] = ends.isoformat()
    elif step == "time":
        starts, ends = event_service.parse_time_range(text, zone)
        if ends <= starts:
            raise EventInputError("error-end-before-start")
        draft["starts_at"], draft["ends_at"] = starts.isoformat(), ends.isoformat()
    elif step == "place":
        address, url = event_service.parse_place(text)
        draft["address"], draft["online_url"] = address, url
        if url:
            draft["hall"] = draft["floor"] = None
    elif step == "hall":
        hall, _, floor = text.partition(",")
        draft["hall"], draft["floor"] = hall.strip() or None, floor.strip() or None
    elif step == "capacity":
        draft["capacity"] = event_service.parse_capacity(text)
    elif step == "deadline":
        draft["rsvp_deadline"] = event_service.parse_local_datetime(text, zone).isoformat()
    elif step == "agenda":
        draft["agenda"] = [[a.time, a.title, a.lecturer] for a in event_service.parse_agenda(text)]
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


async def newevent_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    services = context.services
    lang = context.lang
    step = str(state.data.get("step"))
    draft = dict(state.data.get("draft") or {})  # type: ignore[call-overload]
    try:
        _apply_step(draft, step, text, services.settings.timezone)
    except EventInputError as exc:
        await reply(update, context, services.t(lang, exc.key, **exc.args_))
        return
    await _advance(
        update, context, PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft})
    )


async def _advance(update: Update, context: BotContext, state: PendingInput) -> None:
    services = context.services
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    step = _next_step(str(state.data["step"]), draft)
    if step is None:
        await services.db.people.set_pending_input(
            PendingInput(state.telegram_id, NEW_FLOW, {"step": "preview", "draft": draft}),
            services.clock.now(),
        )
        await _preview(update, context, draft, event_id=0)
        return
    state = PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft})
    await services.db.people.set_pending_input(state, services.clock.now())
    await _prompt(update, context, state)


async def _preview(
    update: Update, context: BotContext, draft_data: dict[str, Any], *, event_id: int
) -> None:
    services = context.services
    lang = context.lang
    try:
        draft = event_service.validate(
            _draft_or_error(draft_data, services.settings.timezone), now=services.clock.now()
        )
    except EventInputError as exc:
        await reply(update, context, services.t(lang, exc.key, **exc.args_))
        return
    card = organiser_preview(
        services.translator, lang, event_service.preview_event(draft, event_id=event_id)
    )
    save_key = "btn-save" if event_id == 0 else "btn-save-notify"
    buttons = (
        (
            Button(services.t(lang, save_key), OrganiserPress(OrgAction.SAVE, event_id).pack()),
            Button(
                services.t(lang, "btn-discard"), OrganiserPress(OrgAction.DISCARD, event_id).pack()
            ),
        ),
    )
    await reply(
        update,
        context,
        OutgoingMessage(services.t(lang, "new-preview") + "\n\n" + card.text, buttons),
    )


async def _save(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    lang = context.lang
    user_id = _user_id(update)
    state = await services.db.people.get_pending_input(user_id)
    expected = NEW_FLOW if event_id == 0 else EDIT_FLOW
    if state is None or state.kind != expected or state.data.get("step") != "preview":
        await reply(update, context, services.t(lang, "error-nothing-to-save"))
        return
    draft_event = event_service.draft_event_id(state.data)
    if draft_event != event_id:
        # A Save button of an earlier edit (another event's preview, or forged): the draft
        # in hand belongs to another event and must never be written over this one.
        log.info(
            "organiser %s: Save for event %s refused, the draft is for event %s",
            user_id, event_id, draft_event,
        )  # fmt: skip
        await reply(
            update,
            context,
            services.t(lang, "edit-save-other-event", pressed=event_id, current=draft_event),
        )
        return
    draft_data: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    now = services.clock.now()
    try:
        draft = _draft_or_error(draft_data, services.settings.timezone)
        if event_id == 0:
            event = await event_service.create_event(
                services.db, draft, created_by=user_id, now=now
            )
        else:
            change = await event_service.update_event(services.db, event_id, draft, now=now)
            event = change.after
    except EventInputError as exc:
        await reply(update, context, services.t(lang, exc.key, **exc.args_))
        return
    await services.db.people.clear_pending_input(user_id)
    log.info("organiser %s saved event %s", user_id, event.id)
    if event_id == 0:
        await reply(update, context, services.t(lang, "new-saved", id=event.id, title=event.title))
        await _send_link(update, context, event.id)
        return
    notified = await notify_event_change(services, change)
    if "capacity" in change.fields:
        promoted = await services.db.rsvps.promote_waitlist(event.id, event.capacity, now)
        if promoted:
            await notify_promoted(services, event, promoted)
    await reply(update, context, services.t(lang, "edit-saved", id=event.id, notified=notified))


# -- editing ------------------------------------------------------------------------------


async def editevent_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.EDIT, "org-pick-event")
    if event_id is not None:
        await _edit_menu(update, context, event_id)


async def _edit_menu(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    lang = context.lang
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
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
    await reply(
        update,
        context,
        OutgoingMessage(
            services.t(lang, "edit-choose", id=event.id, title=event.title),
            rows(*buttons, per_row=2),
        ),
    )


async def _edit_field(update: Update, context: BotContext, event_id: int, field: str) -> None:
    services = context.services
    lang = context.lang
    event = await services.db.events.get_event(event_id)
    if event is None or field not in EDIT_FIELDS:
        await reply(update, context, services.t(lang, "error-stale-button"))
        return
    draft = draft_to_dict(event_service.draft_from_event(event))
    state = PendingInput(
        _user_id(update), EDIT_FLOW, {"step": field, "event_id": event_id, "draft": draft}
    )
    await services.db.people.set_pending_input(state, services.clock.now())
    await _prompt(update, context, state)


async def editevent_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    services = context.services
    lang = context.lang
    step = str(state.data.get("step"))
    event_id = int(str(state.data.get("event_id", 0)))
    draft = dict(state.data.get("draft") or {})  # type: ignore[call-overload]
    if step == "preview":
        await reply(update, context, services.t(lang, "edit-use-buttons"))
        return
    try:
        _apply_step(draft, step, text, services.settings.timezone)
    except EventInputError as exc:
        await reply(update, context, services.t(lang, exc.key, **exc.args_))
        return
    await services.db.people.set_pending_input(
        PendingInput(
            state.telegram_id, EDIT_FLOW, {"step": "preview", "event_id": event_id, "draft": draft}
        ),
        services.clock.now(),
    )
    await _preview(update, context, draft, event_id=event_id)


async def _skip(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    state = await services.db.people.get_pending_input(_user_id(update))
    if state is None or str(state.data.get("step")) not in OPTIONAL_STEPS:
        await reply(update, context, services.t(lang, "error-stale-button"))
        return
    step = str(state.data["step"])
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    for key in _SKIPPED_KEYS[step]:
        draft[key] = [] if key == "agenda" else ("" if key == "description" else None)
    if state.kind == NEW_FLOW:
        await _advance(
            update,
            context,
            PendingInput(state.telegram_id, NEW_FLOW, {"step": step, "draft": draft}),
        )
    else:
        data = {"step": "preview", "event_id": state.data.get("event_id"), "draft": draft}
        await services.db.people.set_pending_input(
            PendingInput(state.telegram_id, EDIT_FLOW, data), services.clock.now()
        )
        await _preview(update, context, draft, event_id=int(str(state.data.get("event_id", 0))))


async def _choose_programme(update: Update, context: BotContext, programme_id: int) -> None:
    services = context.services
    lang = context.lang
    state = await services.db.people.get_pending_input(_user_id(update))
    programmes = {p.id: p.title for p in await services.db.events.list_programmes()}
    if (
        state is None
        or state.kind != NEW_FLOW
        or state.data.get("step") != "programme"
        or programme_id not in programmes
    ):
        await reply(update, context, services.t(lang, "error-stale-button"))
        return
    draft: dict[str, Any] = dict(state.data["draft"])  # type: ignore[call-overload]
    draft["programme"] = programmes[programme_id]
    await _advance(
        update,
        context,
        PendingInput(state.telegram_id, NEW_FLOW, {"step": "programme", "draft": draft}),
    )


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel for everyone: an organiser leaves a guided flow (or stops running work); a
    participant leaves their own step, answered in participant terms.

    Declared ``organiser=False`` on purpose: the organiser part below runs only
    for organisers, and a participant's /cancel touches nothing but their own state."""
    if not context.services.is_organiser(_user_id(update)):
        await participant_cancel(update, context)
        return
    await _organiser_cancel(update, context)


async def _organiser_cancel(update: Update, context: BotContext) -> None:
    """Leave the current guided flow; nothing half-made is saved."""
    services = context.services
    lang = context.lang
    state = await services.db.people.get_pending_input(_user_id(update))
    await services.db.people.clear_pending_input(_user_id(update))
    if state is None:
        # Other areas stop their own running work (e.g. a running broadcast).
        for hook in context.routes.cancel_hooks:
            if await hook(update, context):
                return
    await reply(update, context, services.t(lang, "cancelled" if state else "nothing-to-cancel"))


async def _cancel_event(
    update: Update, context: BotContext, event_id: int, *, confirmed: bool
) -> None:
    services = context.services
    lang = context.lang
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
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
        await reply(
            update,
            context,
            OutgoingMessage(
                services.t(
                    lang,
                    "cancel-event-confirm",
                    title=event.title,
                    people=counts.yes + counts.maybe + counts.waitlist,
                ),
                buttons,
            ),
        )
        return
    if await services.db.events.set_event_status(
        event_id, EventStatus.CANCELLED, now=services.clock.now()
    ):
        notified = await notify_cancelled(services, replace(event, status=EventStatus.CANCELLED))
        log.info("organiser %s cancelled event %s", _user_id(update), event_id)
        await reply(
            update,
            context,
            services.t(lang, "cancel-event-done", title=event.title, notified=notified),
        )


# -- the one organiser button handler -------------------------------------------------------


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = context.lang
    data = await typed_press(update, context, OrganiserPress)
    if data is None:
        return
    action, event_id = data.action, data.event_id
    if action is OrgAction.RSVPS_PAGE:
        if not data.arg.isdigit() or len(data.arg) > 4:
            await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
            return
        await _send_rsvps(update, context, event_id, int(data.arg), turn=True)
        return
    await query.answer()
    if action is OrgAction.LINK:
        await _send_link(update, context, event_id)
    elif action is OrgAction.RSVPS:
        await _send_rsvps(update, context, event_id)
    elif action is OrgAction.RSVPS_FILE:
        await _send_rsvps_file(update, context, event_id)
    elif action is OrgAction.EDIT:
        await _edit_menu(update, context, event_id)
    elif action is OrgAction.FIELD:
        await _edit_field(update, context, event_id, data.arg)
    elif action is OrgAction.SAVE:
        await _save(update, context, event_id)
    elif action is OrgAction.DISCARD:
        await services.db.people.clear_pending_input(_user_id(update))
        await edit(query, OutgoingMessage(services.t(lang, "cancelled")))
    elif action is OrgAction.SKIP:
        await _skip(update, context)
    elif action is OrgAction.PROGRAMME:
        await _choose_programme(update, context, event_id)
    elif action is OrgAction.CANCEL_EVENT:
        await _cancel_event(update, context, event_id, confirmed=False)
    elif action is OrgAction.CANCEL_EVENT_OK:
        await _cancel_event(update, context, event_id, confirmed=True)


# The organiser commands of this area (and so of the organisers' menu). /cancel is not one
# of them: everyone may leave their own step (see cancel_command).
COMMANDS: dict[str, Handler] = {
    "events": events_command,
    "newevent": newevent_command,
    "editevent": editevent_command,
    "rsvps": rsvps_command,
    "invite": invite_command,
}


def routes(r: Routes) -> None:
    """Organiser commands and buttons: the flags decide the gate (bot/handlers/routing.py)."""
    r.text_flow(NEW_FLOW, newevent_text, organiser=True)
    r.text_flow(EDIT_FLOW, editevent_text, organiser=True)
    for name, handler in COMMANDS.items():
        r.command(name, handler, organiser=True)
    r.command("cancel", cancel_command, organiser=False)  # checks organisers itself
    r.button(on_organiser_button, OrganiserPress)
