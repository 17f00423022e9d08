"""Event handlers (organisers): create, list, edit and cancel events; links, QR codes,
answer lists. Each turns an update into one call of :mod:`bot.events` and sends what it
returns.

Every command here is declared ``organiser=True`` and the one button class
(``OrganiserPress``) is an organiser class, so ``Routes.install`` puts all of them behind
the organiser gate; a new one cannot skip the check.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot import events as event_service
from bot.callbacks import OrgAction, OrganiserPress
from bot.events import EDIT_FLOW, NEW_FLOW, Refused, Screen
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
from bot.messages import OutgoingFile, OutgoingMessage
from bot.models import PendingInput

log = logging.getLogger(__name__)


def _user_id(update: Update) -> int:
    return update.effective_user.id if update.effective_user else 0


async def _show(update: Update, context: BotContext, screen: Screen) -> None:
    for message in screen.messages:
        await reply(update, context, message)
    if screen.link_event_id is not None:
        await _send_link(update, context, screen.link_event_id)


async def _send_file_or_not_found(
    update: Update, context: BotContext, file: OutgoingFile | Refused
) -> None:
    """A file the service made for an event, or "no such event" when it refused."""
    if isinstance(file, Refused) or update.effective_chat is None:
        await reply(update, context, context.services.t(context.lang, "error-event-not-found"))
        return
    await _send_file(update, context, file)


async def _send_file(update: Update, context: BotContext, file: OutgoingFile) -> None:
    if update.effective_chat is None:
        return
    if file.photo:
        await context.bot.send_photo(
            chat_id=update.effective_chat.id,
            photo=file.data,
            filename=file.filename,
            caption=file.caption,
            parse_mode="HTML",
        )
    else:
        await context.bot.send_document(
            chat_id=update.effective_chat.id,
            document=file.data,
            filename=file.filename,
            caption=file.caption,
            parse_mode="HTML",
        )


# -- lists and links ----------------------------------------------------------------------


async def events_command(update: Update, context: BotContext) -> None:
    await reply(update, context, await event_service.event_list(context.services, context.lang))


async def _event_or_pick(
    update: Update, context: BotContext, action: OrgAction, prompt: str
) -> int | None:
    """The event named in the command, or a picker when none was named."""
    named = await event_from_args(update, context)
    if not isinstance(named, NoEventArgument):
        return None if named is None else named.id
    picked = await event_service.pick_event(context.services, context.lang, action, prompt)
    if isinstance(picked, OutgoingMessage):
        await reply(update, context, picked)
        return None
    return picked


async def rsvps_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.RSVPS, "org-pick-event")
    if event_id is not None:
        await _send_rsvps(update, context, event_id)


async def _send_rsvps(
    update: Update, context: BotContext, event_id: int, page: int = 0, *, turn: bool = False
) -> None:
    """A page of the answer list (``turn``: the ◀ ▶ buttons edit the message in place)."""
    query = update.callback_query if turn else None  # a page turn answers its own press
    shown = await event_service.rsvp_page(context.services, context.lang, event_id, page)
    if isinstance(shown, Refused):
        if shown.stale:
            log.info("rsvps: no page %s of event %s for %s", page, event_id, _user_id(update))
        if query is not None:
            await query.answer(shown.text, show_alert=True)
        elif not shown.stale:
            await reply(update, context, shown.text)
        return
    if query is not None:
        await query.answer()
        await edit(query, shown)
    else:
        await reply(update, context, shown)


async def _send_rsvps_file(update: Update, context: BotContext, event_id: int) -> None:
    """The whole answer list as a CSV file: every person, one row each."""
    await _send_file_or_not_found(
        update, context, await event_service.rsvps_file(context.services, context.lang, event_id)
    )


async def invite_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.LINK, "org-pick-event")
    if event_id is not None:
        await _send_link(update, context, event_id)


async def _send_link(update: Update, context: BotContext, event_id: int) -> None:
    await _send_file_or_not_found(
        update, context, await event_service.link_photo(context.services, context.lang, event_id)
    )


# -- guided creation and editing (the wizard itself is in bot/events.py) -----------------------


async def newevent_command(update: Update, context: BotContext) -> None:
    screen = await event_service.start_new(context.services, context.lang, _user_id(update))
    await _show(update, context, screen)


async def newevent_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    await _show(
        update, context, await event_service.typed_new(context.services, context.lang, state, text)
    )


async def editevent_command(update: Update, context: BotContext) -> None:
    event_id = await _event_or_pick(update, context, OrgAction.EDIT, "org-pick-event")
    if event_id is not None:
        menu = await event_service.edit_menu(context.services, context.lang, event_id)
        await reply(update, context, menu)


async def editevent_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    await _show(
        update, context, await event_service.typed_edit(context.services, context.lang, state, text)
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
    had_state = await event_service.drop_draft(context.services, _user_id(update))
    if not had_state:
        # Other areas stop their own running work (e.g. a running broadcast).
        for hook in context.routes.cancel_hooks:
            if await hook(update, context):
                return
    key = "cancelled" if had_state else "nothing-to-cancel"
    await reply(update, context, context.services.t(context.lang, key))


# -- the one organiser button handler -------------------------------------------------------


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = context.lang
    data = await typed_press(update, context, OrganiserPress)
    if data is None:
        return
    action, event_id, user_id = data.action, data.event_id, _user_id(update)
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
        await reply(update, context, await event_service.edit_menu(services, lang, event_id))
    elif action is OrgAction.FIELD:
        prompt = await event_service.edit_field(services, lang, user_id, event_id, data.arg)
        await reply(update, context, prompt)
    elif action is OrgAction.SAVE:
        await _show(update, context, await event_service.save(services, lang, user_id, event_id))
    elif action is OrgAction.DISCARD:
        await event_service.drop_draft(services, user_id)
        await edit(query, OutgoingMessage(services.t(lang, "cancelled")))
    elif action is OrgAction.SKIP:
        await _show(update, context, await event_service.skip(services, lang, user_id))
    elif action is OrgAction.PROGRAMME:
        screen = await event_service.choose_programme(services, lang, user_id, event_id)
        await _show(update, context, screen)
    elif action is OrgAction.CANCEL_EVENT:
        screen = await event_service.cancel_event(
            services, lang, user_id, event_id, confirmed=False
        )
        await _show(update, context, screen)
    elif action is OrgAction.CANCEL_EVENT_OK:
        screen = await event_service.cancel_event(services, lang, user_id, event_id, confirmed=True)
        await _show(update, context, screen)


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
