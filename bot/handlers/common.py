"""What every handler shares: the typed context, replies, the organiser check, errors."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import CallbackQuery, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot import access, participants
from bot.callbacks import CallbackData, named_event, parse
from bot.events import event_by_ref
from bot.handlers.markup import edit_pressed, to_markup
from bot.i18n import normalise_language
from bot.messages import OutgoingMessage
from bot.models import Event, EventStatus, Participant
from bot.services import Services

if TYPE_CHECKING:
    from bot.handlers.routing import Routes

log = logging.getLogger(__name__)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Typed access to our services instead of casts of ``bot_data``, and the person who
    caused the update with their language, resolved once per update (:func:`resolve_person`,
    PTB builds one context per update and hands it to every handler group)."""

    _person: Participant | None = None
    _lang: str | None = None

    @property
    def services(self) -> Services:
        services: Services = self.bot_data["services"]
        return services

    @property
    def routes(self) -> Routes:
        routes: Routes = self.bot_data["routes"]
        return routes

    @property
    def resolved(self) -> bool:
        return self._lang is not None

    @property
    def person(self) -> Participant | None:
        """The participant row of whoever caused the update (None: the bot holds none)."""
        return self._person

    @property
    def lang(self) -> str:
        """The language to answer in: the person's chosen one, else Telegram's, else the
        default."""
        if self._lang is None:
            raise RuntimeError("the person of this update was not resolved")
        return self._lang

    def set_person(self, person: Participant | None, lang: str) -> None:
        """Set after a handler changed the person (consent, a language chosen, a profile)."""
        self._person, self._lang = person, lang


Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
KvApplication = Application[Any, BotContext, Any, Any, Any, Any]


def language_of(update: Update, services: Services, person: Participant | None) -> str:
    if person is not None and person.language:
        return services.language_of(person.language)
    user = update.effective_user
    if user is not None:
        return normalise_language(user.language_code, services.settings.default_language)
    return services.settings.default_language


async def resolve_person(update: Update, context: BotContext) -> None:
    """Group -1, every update: the person's row (read once, never created: nothing is
    stored before consent) and their language, on the context for every later handler."""
    await refresh_person(update, context)


async def refresh_person(update: Update, context: BotContext) -> Participant | None:
    """Read the person again after a handler changed their row."""
    user = update.effective_user
    services = context.services
    person = None
    if user is not None and not user.is_bot:
        person = await participants.known_person(services, user.id)
    context.set_person(person, language_of(update, services, person))
    return person


async def participant_for(update: Update, context: BotContext) -> Participant | None:
    """The participant row of whoever sent the update, or None if there is none.

    Never creates one: a person is stored only once they agree to the data notice (see
    :func:`participant_or_new`), so a command after /forget, or from someone who never
    agreed, leaves nothing behind. Writing to the bot makes a known person reachable again.
    """
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    known = context.person
    if known is not None and known.unreachable_at is not None:
        await participants.reachable_again(context.services, user.id)
        known = await refresh_person(update, context)
    return known


async def participant_or_new(update: Update, context: BotContext) -> Participant | None:
    """The participant row of whoever sent the update, created if needed: only for the
    steps that store something by the person's own will (agreeing to the data notice,
    opening a personal invitation or a check-in code)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    services = context.services
    language = normalise_language(user.language_code, services.settings.default_language)
    person = await participants.person_or_new(services, user.id, language=language)
    context.set_person(person, language_of(update, services, person))
    return person


async def user_language(update: Update, context: BotContext) -> str:
    """``context.lang``; looked up where no person was resolved (the error handler's
    context is built apart from the update's)."""
    if context.resolved:
        return context.lang
    await resolve_person(update, context)
    return context.lang


async def send(context: BotContext, chat_id: int, message: OutgoingMessage) -> Message:
    return await context.bot.send_message(
        chat_id=chat_id,
        text=message.text,
        parse_mode=ParseMode.HTML,
        reply_markup=to_markup(message),
        link_preview_options=LinkPreviewOptions(is_disabled=message.disable_preview),
    )


async def reply(update: Update, context: BotContext, message: OutgoingMessage | str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if isinstance(message, str):
        message = OutgoingMessage(message)
    await send(context, chat.id, message)


async def edit(query: CallbackQuery, message: OutgoingMessage) -> None:
    """Replace the pressed message; an identical one is fine, a vanished one gets a new one."""
    try:
        await edit_pressed(query, message)
    except BadRequest as exc:
        if "not modified" in str(exc):
            return
        if query.message is not None and "not found" in str(exc):
            await query.get_bot().send_message(
                chat_id=query.message.chat.id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=to_markup(message),
            )
            return
        raise


PressT = TypeVar("PressT", bound=CallbackData)


async def typed_press(update: Update, context: BotContext, kind: type[PressT]) -> PressT | None:
    """The pressed button's typed data; None after telling the person the button is no
    longer valid (forged, outdated, or of another kind): one log line, a short alert.

    Meant for organiser buttons (behind ``organiser_only``); should a participant's button
    ever be read with it, the invitation rule of :func:`participant_press` still applies."""
    query = update.callback_query
    if query is None:
        return None
    data = parse(query.data, kind)
    if isinstance(data, kind) and await _may_name_event(context, query.from_user.id, data):
        return data
    log.info(
        "stale or forged %s button %r from %s",
        kind.__name__,
        (query.data or "")[:64],
        query.from_user.id,
    )
    await query.answer(context.services.t(context.lang, "error-stale-button"), show_alert=True)
    return None


async def participant_press(
    update: Update, context: BotContext, *kinds: type[CallbackData]
) -> tuple[Participant, CallbackData] | None:
    """The presser and the typed data of a participant button; None after the "no longer
    valid" alert. Every participant button handler starts here: data not of ``kinds`` is
    refused, and so is data naming an event the presser holds no invitation to
    (:func:`bot.access.require_invitation`) - nothing stored, nothing revealed."""
    query = update.callback_query
    if query is None:
        return None
    data = parse(query.data, *kinds)
    if data is not None:
        if named_event(data) is None:
            participant = await participant_for(update, context)
        elif await _may_name_event(context, query.from_user.id, data):
            # Only someone the bot already knows can hold an invitation: no row is made.
            participant = context.person
        else:
            participant = None
        if participant is not None:
            return participant, data
    log.info("stale or forged button %r from %s", (query.data or "")[:64], query.from_user.id)
    await query.answer(context.services.t(context.lang, "error-stale-button"), show_alert=True)
    return None


async def _may_name_event(context: BotContext, user_id: int, data: CallbackData) -> bool:
    """Organisers may name any event; anyone else only one they hold an invitation to."""
    services = context.services
    event_id = named_event(data)
    if event_id is None or services.is_organiser(user_id):
        return True
    participant = context.person
    return participant is not None and await access.require_invitation(
        services, participant, event_id
    )


def in_private_chat(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


def organiser_only(handler: Handler, *, in_groups: bool = False) -> Handler:
    """Refuse anyone not listed in settings: the one organiser gate, applied by
    ``Routes.install`` (bot/handlers/routing.py) to every route whose flag says organiser.

    Organiser screens show names, organisations, answers and files, so they answer only in
    the organiser's private chat: in a group (or on a button pressed in one) the organiser
    is asked, in one line, to use the private chat. ``in_groups=True`` is the explicit
    allow-list for the few actions meant for a group (``/postcard`` sent inside it)."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        user = update.effective_user
        if context.services.is_organiser(user.id if user else None):
            if in_groups or in_private_chat(update):
                await handler(update, context)
                return
            log.info("organiser action %s asked for the private chat", handler.__name__)
            text = context.services.t(context.lang, "access-private-chat-only")
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            else:
                await reply(update, context, text)
            return
        log.warning(
            "refused organiser action %s from user %s", handler.__name__, user.id if user else None
        )
        text = context.services.t(context.lang, "error-not-organiser")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await reply(update, context, text)

    guarded.__dict__["organiser_only"] = True
    guarded.__dict__["in_groups"] = in_groups
    return guarded


ORGANISER_NOTICE_INTERVAL_S = 600.0


def _may_tell_organisers(context: BotContext) -> bool:
    """At most one error notice to organisers per interval: a broken dependency must not
    flood their chats (the log has every occurrence)."""
    now = time.monotonic()
    last = context.bot_data.get("last_error_notice")
    if isinstance(last, float) and now - last < ORGANISER_NOTICE_INTERVAL_S:
        return False
    context.bot_data["last_error_notice"] = now
    return True


async def on_error(update: object, context: BotContext) -> None:
    """One log line; a short apology to the person; a brief notice to organisers."""
    error = context.error
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    if isinstance(error, Forbidden):
        log.info("user %s blocked the bot: %s", user_id, error)
        return
    log.error(
        "unhandled %s for user %s: %s",
        type(error).__name__,
        user_id,
        error,
        exc_info=error if not isinstance(error, TelegramError) else None,
    )
    if not isinstance(update, Update):
        return
    try:
        lang = await user_language(update, context)
        text = context.services.t(lang, "error-generic")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None and update.effective_chat.type == "private":
            await context.bot.send_message(update.effective_chat.id, text)
        if isinstance(error, TelegramError) or not _may_tell_organisers(context):
            return  # Telegram's own hiccups are not the organisers' to fix; the log has them
        for organiser in context.services.settings.organisers[:3]:
            if organiser != user_id:
                notice = context.services.t(
                    context.services.settings.default_language,
                    "error-organiser-notice",
                    kind=type(error).__name__,
                    detail=str(error)[:300],
                )
                await context.bot.send_message(organiser, notice, parse_mode=ParseMode.HTML)
    except TelegramError as exc:  # the apology itself failed; nothing more to do
        log.warning("could not report error to user %s: %s", user_id, exc)


# -- the event a command names ----------------------------------------------------------------


class NoEventArgument:
    """No event was named: the command shows its picker."""


NO_EVENT_ARGUMENT = NoEventArgument()


async def event_from_args(
    update: Update, context: BotContext, *, position: int = 0, active: bool = False
) -> Event | NoEventArgument | None:
    """The event named by the command's argument at ``position`` (``12``, ``#12`` or a slug,
    :func:`bot.events.parse_event_ref`): the one parser of every organiser command.

    :data:`NO_EVENT_ARGUMENT` when there is none (the caller shows its picker); None after
    telling the person "no such event" (also for a cancelled one when ``active``)."""
    args = context.args or []
    if len(args) <= position:
        return NO_EVENT_ARGUMENT
    event = await event_by_ref(context.services, args[position])
    if event is not None and active and event.status is not EventStatus.ACTIVE:
        event = None
    if event is None:
        await reply(update, context, context.services.t(context.lang, "error-event-not-found"))
    return event
