"""Participant handlers: invitations, registration, the event card, RSVPs, /my, language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import filters

from bot import access, rsvp
from bot.attendance import send_open_offers
from bot.callbacks import (
    Answer,
    CalendarPress,
    ConsentPress,
    EventCardPress,
    LanguagePress,
    RsvpPress,
    parse,
)
from bot.config import LANGUAGES
from bot.events import EventInputError
from bot.handlers.common import (
    BotContext,
    edit,
    participant_for,
    participant_or_new,
    participant_press,
    refresh_person,
    reply,
)
from bot.handlers.routing import Routes
from bot.ics import event_ics
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, Participant, PendingInput, RsvpStatus
from bot.notify import notify_promoted
from bot.participants import REGISTER_FLOW, clean_name, clean_organisation
from bot.payloads import PayloadKind, parse_payload
from bot.surveys.runner import SURVEY_FLOW
from bot.views import event_card, my_events

log = logging.getLogger(__name__)

_ANSWERS = {Answer.YES: RsvpStatus.YES, Answer.NO: RsvpStatus.NO, Answer.MAYBE: RsvpStatus.MAYBE}


# -- shared pieces ------------------------------------------------------------------------


async def show_card(
    update: Update,
    context: BotContext,
    participant: Participant,
    event: Event,
    *,
    header: str | None = None,
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    status = await services.db.rsvps.get_rsvp(event.id, participant.id)
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
    await reply(
        update,
        context,
        event_card(services.translator, lang, event, status=status, counts=counts, header=header),
    )


async def begin_registration(
    update: Update,
    context: BotContext,
    participant: Participant | None,
    event_id: int,
    *,
    invite: bool = False,
) -> None:
    """Consent first, then name, then organisation; each step is a DB row, so it resumes.

    ``participant`` None: a person the bot does not hold (new, or after /forget); their
    participant row is created only when they press "I agree". ``invite``: they opened the
    event's invitation link, so agreeing also records their invitation to it."""
    services = context.services
    lang = context.lang if participant is None else services.language_of(participant.language)
    telegram_id = update.effective_user.id if update.effective_user else 0
    if not invite:  # keep what an invitation link opened earlier in this registration said
        earlier = await services.db.people.get_pending_input(telegram_id)
        invite = bool(
            earlier is not None
            and earlier.kind == REGISTER_FLOW
            and str(earlier.data.get("event_id")) == str(event_id)
            and earlier.data.get("invite")
        )
    state = PendingInput(
        telegram_id, REGISTER_FLOW, {"event_id": event_id, **({"invite": 1} if invite else {})}
    )
    if participant is None or participant.consent_at is None:
        await services.db.people.set_pending_input(state, services.clock.now())
        await reply(
            update,
            context,
            OutgoingMessage(
                services.t(lang, "consent-text", organiser=services.settings.organisation_name),
                ((Button(services.t(lang, "btn-consent"), ConsentPress(event_id).pack()),),),
            ),
        )
        return
    await _ask_next_field(update, context, participant, state)


async def _ask_next_field(
    update: Update, context: BotContext, participant: Participant, state: PendingInput
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    if not participant.name:
        step, key = "name", "register-ask-name"
    elif not participant.organisation:
        step, key = "organisation", "register-ask-organisation"
    else:
        await services.db.people.clear_pending_input(state.telegram_id)
        await reply(update, context, services.t(lang, "register-done", name=participant.name))
        event_id = int(str(state.data.get("event_id", 0)))
        # Other areas first (a check-in begun before registering resumes this way); a hook
        # returning True has answered: no card then.
        for hook in context.routes.after_registration:
            if await hook(update, context, participant, event_id):
                return
        event = await services.db.events.get_event(event_id) if event_id else None
        # The event a registration began with is shown only to someone invited to it: a
        # forged answer button can start a registration, never reveal a card.
        if event is not None and await access.require_invitation(services, participant, event.id):
            await show_card(update, context, participant, event)
        return
    await services.db.people.set_pending_input(
        PendingInput(state.telegram_id, REGISTER_FLOW, {**state.data, "step": step}),
        services.clock.now(),
    )
    await reply(update, context, services.t(lang, key))


async def registration_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    services = context.services
    participant = await participant_for(update, context)
    if participant is None or participant.consent_at is None:
        lang = context.lang
        await reply(update, context, services.t(lang, "register-consent-first"))
        return
    lang = services.language_of(participant.language)
    now = services.clock.now()
    try:
        if not participant.name:
            await services.db.people.set_participant_profile(
                participant.id, name=clean_name(text), now=now
            )
        elif not participant.organisation:
            await services.db.people.set_participant_profile(
                participant.id, organisation=clean_organisation(text), now=now
            )
    except EventInputError as exc:
        await reply(update, context, services.t(lang, exc.key, **exc.args_))
        return
    updated = await refresh_person(update, context)
    assert updated is not None
    await _ask_next_field(update, context, updated, state)


# -- commands -----------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if (
        user is None
        or user.is_bot
        or update.effective_chat is None
        or update.effective_chat.type != "private"
    ):
        return
    # Looked up, never created here: someone the bot does not hold (new, or after /forget)
    # is stored only when they press "I agree" (begin_registration / _on_consent).
    participant = await participant_for(update, context)
    services = context.services
    lang = context.lang
    raw = context.args[0] if context.args else None
    if raw is None:
        registered = participant is not None and participant.registered
        name = participant.name if participant is not None else None
        await reply(
            update,
            context,
            services.t(lang, "welcome-back" if registered else "welcome", name=name or ""),
        )
        return
    payload = parse_payload(raw)
    if payload is None:
        log.info("start: malformed payload from user %s", user.id)
        await reply(update, context, services.t(lang, "error-bad-link"))
        return
    if payload.kind is not PayloadKind.EVENT:
        # Deep-link kinds other areas handle (personal invitations, check-in, verification).
        handler = context.routes.payloads.get(payload.kind)
        if handler is None:
            await reply(update, context, services.t(lang, "error-bad-link"))
            return
        participant = participant or await participant_or_new(update, context)
        if participant is not None:
            await handler(update, context, participant, payload.code)
        return
    event = await services.db.events.get_event_by_code(payload.code)
    if event is None:
        log.info("start: unknown event code from user %s", user.id)
        await reply(update, context, services.t(lang, "error-bad-link"))
        return
    if participant is None:
        await reply(update, context, services.t(lang, "greeting", title=event.title))
        await begin_registration(update, context, None, event.id, invite=True)
        return
    await services.db.invitations.invite(event.id, participant.id, "link", services.clock.now())
    if not participant.registered:
        await reply(update, context, services.t(lang, "greeting", title=event.title))
        await begin_registration(update, context, participant, event.id)
        return
    await show_card(update, context, participant, event)


async def my(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None:
        lang = context.lang
        await reply(update, context, context.services.t(lang, "my-empty"))
        return
    services = context.services
    lang = services.language_of(participant.language)
    items = await services.db.rsvps.participant_rsvps(
        participant.id, ends_after=services.clock.now()
    )
    await reply(update, context, my_events(services.translator, lang, items))


async def language(update: Update, context: BotContext) -> None:
    lang = context.lang
    services = context.services
    buttons = [
        Button(services.t(code, "language-name"), LanguagePress(code).pack()) for code in LANGUAGES
    ]
    await reply(
        update, context, OutgoingMessage(services.t(lang, "language-choose"), rows(*buttons))
    )


async def help_command(update: Update, context: BotContext) -> None:
    lang = context.lang
    services = context.services
    text = services.t(lang, "help-participant")
    if services.is_organiser(update.effective_user.id if update.effective_user else None):
        text += "\n\n" + services.t(lang, "help-organiser")
    await reply(update, context, text)


async def unknown_command(update: Update, context: BotContext) -> None:
    lang = context.lang
    await reply(update, context, context.services.t(lang, "error-unknown-command"))


async def free_text(update: Update, context: BotContext) -> None:
    """Typed text: a step of a stored flow, or a pointer to the buttons and /help."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or message.text is None:
        return
    services = context.services
    state = await services.db.people.get_pending_input(user.id)
    if state is not None:
        spec = context.routes.flow(state.kind)
        if spec is not None and (not spec.organiser or services.is_organiser(user.id)):
            await spec.handler(update, context, state, message.text)
            return
        await services.db.people.clear_pending_input(user.id)
    lang = context.lang
    await reply(update, context, services.t(lang, "free-text-hint"))


async def other_message(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice...: say what the bot understands."""
    lang = context.lang
    await reply(update, context, context.services.t(lang, "free-text-hint"))


# -- buttons ------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """Every participant button; the data is untrusted: parsed strictly, and a button naming
    an event is honoured only for someone invited to it (``participant_press``)."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    raw = parse(query.data, ConsentPress, RsvpPress, LanguagePress)
    if raw is not None and (await participant_for(update, context) is None):
        # Organisers (listed in the settings) keep their language; anyone else is stored
        # only once they agree to the data notice.
        if isinstance(raw, LanguagePress) and services.is_organiser(query.from_user.id):
            await participant_or_new(update, context)
        else:
            await _on_unknown_person(update, context)
            return
    pressed = await participant_press(
        update, context, RsvpPress, CalendarPress, EventCardPress, ConsentPress, LanguagePress
    )
    if pressed is None:
        return
    participant, data = pressed
    lang = services.language_of(participant.language)
    if isinstance(data, RsvpPress):
        await _on_rsvp(update, context, participant, data)
    elif isinstance(data, CalendarPress):
        await _on_calendar(update, context, participant, data.event_id)
    elif isinstance(data, EventCardPress):
        await query.answer()
        event = await services.db.events.get_event(data.event_id)
        if event is None:
            await reply(update, context, services.t(lang, "error-event-gone"))
        else:
            await show_card(update, context, participant, event)
    elif isinstance(data, ConsentPress):
        await _on_consent(update, context, participant, data.event_id)
    elif isinstance(data, LanguagePress):
        await _on_language(update, context, participant, data.language)


async def _on_unknown_person(update: Update, context: BotContext) -> None:
    """A press from someone the bot holds no row for (new, or after /forget): only "I
    agree" stores them; an answer leads to the data notice; a language is not kept."""
    query = update.callback_query
    assert query is not None
    services = context.services
    data = parse(query.data, ConsentPress, RsvpPress, LanguagePress)
    if isinstance(data, ConsentPress):
        participant = await participant_or_new(update, context)
        if participant is not None:
            await _on_consent(update, context, participant, data.event_id)
        return
    if isinstance(data, RsvpPress):
        # Only someone who opened this event's invitation link (kept in the registration's
        # state) is led to the data notice; any other press names an event they were never
        # invited to: the "no longer valid" alert, nothing stored.
        state = await services.db.people.get_pending_input(query.from_user.id)
        if not (
            state is not None
            and state.kind == REGISTER_FLOW
            and str(state.data.get("event_id")) == str(data.event_id)
            and state.data.get("invite")
        ):
            lang = context.lang
            await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
            return
        await query.answer()
        await begin_registration(update, context, None, data.event_id)
        return
    await query.answer()
    assert isinstance(data, LanguagePress)
    lang = data.language if data.language in LANGUAGES else context.lang
    await edit(query, OutgoingMessage(services.t(lang, "language-set-not-kept")))


async def _on_rsvp(
    update: Update, context: BotContext, participant: Participant, press: RsvpPress
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = services.language_of(participant.language)
    if not participant.registered:
        await query.answer()
        await begin_registration(update, context, participant, press.event_id)
        return
    result = await rsvp.answer(
        services.db,
        press.event_id,
        participant.id,
        _ANSWERS[press.answer],
        now=services.clock.now(),
    )
    outcome = result.outcome
    if outcome in (
        rsvp.RsvpOutcome.EVENT_GONE,
        rsvp.RsvpOutcome.EVENT_OVER,
        rsvp.RsvpOutcome.DEADLINE_PASSED,
    ):
        log.info(
            "rsvp refused (%s) for user %s event %s",
            outcome.value,
            participant.telegram_id,
            press.event_id,
        )
        await query.answer(services.t(lang, f"rsvp-refused-{outcome.value}"), show_alert=True)
        return
    assert result.event is not None and result.change is not None
    toast = services.t(lang, f"rsvp-toast-{result.change.current.value}")
    await query.answer(toast, show_alert=outcome is rsvp.RsvpOutcome.WAITLISTED)
    counts = (await services.db.rsvps.rsvp_counts([result.event.id])).get(result.event.id)
    await edit(
        query,
        event_card(
            services.translator, lang, result.event, status=result.change.current, counts=counts
        ),
    )
    if result.change.promoted:
        await notify_promoted(services, result.event, result.change.promoted)
    if result.change.offered:  # a freed place offered to the next on the waitlist
        await send_open_offers(services, result.event.id)


async def _on_calendar(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    services = context.services
    lang = services.language_of(participant.language)
    event = await services.db.events.get_event(event_id)
    if event is None:
        await query.answer(services.t(lang, "error-event-gone"), show_alert=True)
        return
    await query.answer()
    data = event_ics(event, bot_username=services.bot_username, now=services.clock.now())
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=data,
        filename=f"event-{event.id}.ics",
        caption=services.t(lang, "calendar-caption", title=event.title)[:1024],
        parse_mode="HTML",
    )


async def _on_consent(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    await query.answer()
    user_id = update.effective_user.id if update.effective_user else 0
    recorded = await services.db.people.record_consent(
        participant.id, services.settings.privacy.consent_version, services.clock.now()
    )
    if recorded:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except Exception:  # the consent text stays; only the button goes
            log.debug("could not remove consent button")
    else:
        state = await services.db.people.get_pending_input(user_id)
        if state is not None and state.kind == REGISTER_FLOW:
            # A second tap on "I agree" while the first one's question is on screen: asking
            # again would make the person answer twice (and the name land in organisation).
            return
    if event_id:
        # The invitation of someone who agreed only now (new, or after /forget): recorded
        # for the event whose link began this registration, never for a forged id.
        state = await services.db.people.get_pending_input(user_id)
        if (
            state is not None
            and state.kind == REGISTER_FLOW
            and str(state.data.get("event_id")) == str(event_id)
            and state.data.get("invite")
        ):
            await services.db.invitations.invite(
                event_id, participant.id, "link", services.clock.now()
            )
    updated = await refresh_person(update, context)
    assert updated is not None
    await _ask_next_field(
        update, context, updated, PendingInput(user_id, REGISTER_FLOW, {"event_id": event_id})
    )


async def _on_language(
    update: Update, context: BotContext, participant: Participant, code: str
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    if code not in LANGUAGES:
        await query.answer(services.t(participant.language, "error-stale-button"), show_alert=True)
        return
    await services.db.people.set_participant_language(participant.id, code, services.clock.now())
    await refresh_person(update, context)
    await query.answer()
    await edit(query, OutgoingMessage(services.t(code, "language-set")))


def routes(r: Routes) -> None:
    """Participant commands and buttons; then the fallbacks, last in line: unknown
    commands, free text and anything else in a private chat, and any other button."""
    r.text_flow(REGISTER_FLOW, registration_text, organiser=False)
    private = filters.ChatType.PRIVATE
    r.command("start", start, organiser=False, filters=private)
    r.command("my", my, organiser=False, filters=private)
    r.command("language", language, organiser=False, filters=private)
    r.command("help", help_command, organiser=False, filters=private)
    r.button(on_button, RsvpPress, CalendarPress, EventCardPress, ConsentPress, LanguagePress)
    r.fallback_message(private & filters.COMMAND, unknown_command)
    # An edited message is not a new answer (it would be taken for the next step's).
    typed = private & filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED
    r.fallback_message(typed, free_text)
    r.fallback_message(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, other_message)
    # Data no route above knows (outdated, forged): "no longer valid".
    r.fallback_button(on_button)


async def participant_cancel(update: Update, context: BotContext) -> None:
    """/cancel from a participant: leave their own current step, said in their terms."""
    user = update.effective_user
    if user is None or update.effective_chat is None or update.effective_chat.type != "private":
        return
    services = context.services
    lang = context.lang
    state = await services.db.people.get_pending_input(user.id)
    if state is None:
        await reply(update, context, services.t(lang, "cancel-participant-nothing"))
        return
    await services.db.people.clear_pending_input(user.id)
    key = {
        REGISTER_FLOW: "cancel-participant-registration",
        SURVEY_FLOW: "cancel-participant-survey",
    }.get(state.kind, "cancel-participant-step")
    await reply(update, context, services.t(lang, key))
