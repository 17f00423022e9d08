"""Participant handlers: /start and invitation links, consent and registration, /my,
/language, /help, a participant's /cancel, and the fallbacks for anything else.

Each turns an update into a call of :mod:`bot.participants` (or :mod:`bot.rsvp` for the
card and /my) and sends what it returns; the event card's buttons are in
bot/handlers/rsvp.py."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import filters

from bot import participants as people
from bot import rsvp
from bot.callbacks import ConsentPress, LanguagePress, RsvpPress, parse
from bot.config import LANGUAGES
from bot.handlers.common import (
    BotContext,
    edit,
    language_of,
    participant_for,
    participant_or_new,
    participant_press,
    refresh_person,
    reply,
)
from bot.handlers.routing import Routes
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, Participant, PendingInput
from bot.participants import REGISTER_FLOW, RegistrationStep
from bot.payloads import PayloadKind, parse_payload
from bot.surveys.runner import SURVEY_FLOW

log = logging.getLogger(__name__)


# -- shared pieces ------------------------------------------------------------------------


def _keep(update: Update, context: BotContext, person: Participant | None) -> None:
    """The person's row changed in this update: later handlers see the new one."""
    if person is not None:
        context.set_person(person, language_of(update, context.services, person))


async def show_card(
    update: Update,
    context: BotContext,
    participant: Participant,
    event: Event,
    *,
    header: str | None = None,
) -> None:
    """The event card as this person sees it (their answer, the places left)."""
    await reply(
        update, context, await rsvp.card(context.services, participant, event, header=header)
    )


async def begin_registration(
    update: Update,
    context: BotContext,
    participant: Participant | None,
    event_id: int,
    *,
    invite: bool = False,
) -> None:
    """Consent first, then name, then organisation (see :func:`bot.participants.begin`)."""
    telegram_id = update.effective_user.id if update.effective_user else 0
    step = await people.begin(
        context.services, context.lang, telegram_id, participant, event_id, invite=invite
    )
    await _show_step(update, context, step)


async def _show_step(update: Update, context: BotContext, step: RegistrationStep) -> None:
    await reply(update, context, step.message)
    if not step.done or step.participant is None:
        return
    # Other areas first (a check-in begun before registering resumes this way); a hook
    # returning True has answered: no card then.
    for hook in context.routes.after_registration:
        if await hook(update, context, step.participant, step.event_id):
            return
    card = await people.card_after_registration(context.services, step.participant, step.event_id)
    if card is not None:
        await reply(update, context, card)


async def registration_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    participant = await participant_for(update, context)
    step = await people.answer_field(context.services, context.lang, participant, state, text)
    _keep(update, context, step.participant)
    await _show_step(update, context, step)


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
    event = await people.event_of_link(services, payload.code)
    if event is None:
        log.info("start: unknown event code from user %s", user.id)
        await reply(update, context, services.t(lang, "error-bad-link"))
        return
    if participant is None:
        await reply(update, context, services.t(lang, "greeting", title=event.title))
        await begin_registration(update, context, None, event.id, invite=True)
        return
    await people.invite_by_link(services, event, participant)
    if not participant.registered:
        await reply(update, context, services.t(lang, "greeting", title=event.title))
        await begin_registration(update, context, participant, event.id)
        return
    await show_card(update, context, participant, event)


async def my(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None:
        await reply(update, context, context.services.t(context.lang, "my-empty"))
        return
    await reply(update, context, await rsvp.my_events(context.services, participant))


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
    state = await people.current_step(services, user.id)
    if state is not None:
        spec = context.routes.flow(state.kind)
        if spec is not None and (not spec.organiser or services.is_organiser(user.id)):
            await spec.handler(update, context, state, message.text)
            return
        await people.drop_step(services, user.id)
    lang = context.lang
    await reply(update, context, services.t(lang, "free-text-hint"))


async def other_message(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice...: say what the bot understands."""
    lang = context.lang
    await reply(update, context, context.services.t(lang, "free-text-hint"))


# -- buttons ------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> None:
    """ "I agree" and a language, and (as the fallback) any data no other route knows; the
    data is untrusted and parsed strictly (``participant_press``)."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    raw = parse(query.data, ConsentPress, LanguagePress)
    person = await participant_for(update, context) if raw is not None else None
    # Someone with no row, or (for "I agree") a row without consent yet, e.g. a first tap
    # whose answer failed after the row was made: the consent path decides, from their own
    # registration state, what they were invited to.
    if raw is not None and (
        person is None or (isinstance(raw, ConsentPress) and person.consent_at is None)
    ):
        # Organisers (listed in the settings) keep their language; anyone else is stored
        # only once they agree to the data notice.
        if isinstance(raw, LanguagePress) and services.is_organiser(query.from_user.id):
            await participant_or_new(update, context)
        else:
            await on_unknown_person(update, context)
            return
    pressed = await participant_press(update, context, ConsentPress, LanguagePress)
    if pressed is None:
        return
    participant, data = pressed
    if isinstance(data, ConsentPress):
        await _on_consent(update, context, participant, data.event_id)
    elif isinstance(data, LanguagePress):
        await _on_language(update, context, participant, data.language)


async def on_unknown_person(update: Update, context: BotContext) -> None:
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
        if not await people.may_register_for(services, query.from_user.id, data.event_id):
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


async def _on_consent(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    user_id = update.effective_user.id if update.effective_user else 0
    consent = await people.agree(context.services, participant, user_id, event_id)
    if consent.remove_button:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except Exception:  # the consent text stays; only the button goes
            log.debug("could not remove consent button")
    if consent.step is None:
        return
    _keep(update, context, consent.step.participant)
    await _show_step(update, context, consent.step)


async def _on_language(
    update: Update, context: BotContext, participant: Participant, code: str
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    if not await people.set_language(services, participant, code):
        await query.answer(services.t(participant.language, "error-stale-button"), show_alert=True)
        return
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
    r.button(on_button, ConsentPress, LanguagePress)
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
    state = await people.drop_step(services, user.id)
    if state is None:
        await reply(update, context, services.t(lang, "cancel-participant-nothing"))
        return
    key = {
        REGISTER_FLOW: "cancel-participant-registration",
        SURVEY_FLOW: "cancel-participant-survey",
    }.get(state.kind, "cancel-participant-step")
    await reply(update, context, services.t(lang, key))
