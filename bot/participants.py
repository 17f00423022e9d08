"""Participant services: registration (consent, name, organisation), language and the
current step (whose personal link is whose: bot/invitations.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.callbacks import ConsentPress
from bot.config import LANGUAGES
from bot.events import EventInputError
from bot.messages import Button, OutgoingMessage
from bot.models import Event, Participant, PendingInput
from bot.services import Services

MAX_NAME = 100
MAX_ORGANISATION = 150

REGISTER_FLOW = "register"


def clean_text(text: str, *, limit: int, error_key: str) -> str:
    """Collapse whitespace, drop control characters; 2..limit characters or an error."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    cleaned = " ".join(cleaned.split())
    if not 2 <= len(cleaned) <= limit:
        raise EventInputError(error_key, max=limit)
    return cleaned


def clean_name(text: str) -> str:
    return clean_text(text, limit=MAX_NAME, error_key="error-name")


def clean_organisation(text: str) -> str:
    return clean_text(text, limit=MAX_ORGANISATION, error_key="error-organisation")


# -- registration: consent, then name, then organisation ------------------------------------
# Each step is a pending-input row, so a registration resumes after a restart. These return
# what the person is shown; bot/handlers/participants.py sends it.


@dataclass(frozen=True, slots=True)
class RegistrationStep:
    """What one registration step shows. ``done``: the person is registered now (the
    caller runs the other areas' after-registration hooks, then asks
    :func:`card_after_registration` for the card of ``event_id``)."""

    message: OutgoingMessage
    participant: Participant | None = None
    done: bool = False
    event_id: int = 0


def _invited_by_link(state: PendingInput | None, event_id: int) -> bool:
    """The registration in ``state`` began with this event's invitation link."""
    return bool(
        state is not None
        and state.kind == REGISTER_FLOW
        and str(state.data.get("event_id")) == str(event_id)
        and state.data.get("invite")
    )


async def begin(
    services: Services,
    lang: str,
    telegram_id: int,
    participant: Participant | None,
    event_id: int,
    *,
    invite: bool = False,
) -> RegistrationStep:
    """Consent first, then name, then organisation.

    ``participant`` None: a person the bot does not hold (new, or after /forget); their
    participant row is created only when they press "I agree". ``invite``: they opened the
    event's invitation link, so agreeing also records their invitation to it."""
    if participant is not None:
        lang = services.language_of(participant.language)
    if not invite:  # keep what an invitation link opened earlier in this registration said
        invite = _invited_by_link(await services.db.people.get_pending_input(telegram_id), event_id)
    state = PendingInput(
        telegram_id, REGISTER_FLOW, {"event_id": event_id, **({"invite": 1} if invite else {})}
    )
    if participant is None or participant.consent_at is None:
        await services.db.people.set_pending_input(state, services.clock.now())
        return RegistrationStep(
            OutgoingMessage(
                services.t(lang, "consent-text", organiser=services.settings.organisation_name),
                ((Button(services.t(lang, "btn-consent"), ConsentPress(event_id).pack()),),),
            ),
            participant,
        )
    return await next_field(services, participant, state)


async def next_field(
    services: Services, participant: Participant, state: PendingInput
) -> RegistrationStep:
    """The next question, or "registered" when nothing is missing."""
    lang = services.language_of(participant.language)
    if not participant.name:
        step, key = "name", "register-ask-name"
    elif not participant.organisation:
        step, key = "organisation", "register-ask-organisation"
    else:
        await services.db.people.clear_pending_input(state.telegram_id)
        return RegistrationStep(
            OutgoingMessage(services.t(lang, "register-done", name=participant.name)),
            participant,
            done=True,
            event_id=int(str(state.data.get("event_id", 0))),
        )
    await services.db.people.set_pending_input(
        PendingInput(state.telegram_id, REGISTER_FLOW, {**state.data, "step": step}),
        services.clock.now(),
    )
    return RegistrationStep(OutgoingMessage(services.t(lang, key)), participant)


async def card_after_registration(
    services: Services, participant: Participant, event_id: int
) -> OutgoingMessage | None:
    """The card of the event a registration began with, shown only to someone invited to
    it: a forged answer button can start a registration, never reveal a card."""
    from bot import access
    from bot.rsvp import card

    event = await services.db.events.get_event(event_id) if event_id else None
    if event is not None and await access.require_invitation(services, participant, event.id):
        return await card(services, participant, event)
    return None


async def answer_field(
    services: Services, lang: str, participant: Participant | None, state: PendingInput, text: str
) -> RegistrationStep:
    """A typed name or organisation: saved (or refused politely), then the next step."""
    if participant is None or participant.consent_at is None:
        return RegistrationStep(OutgoingMessage(services.t(lang, "register-consent-first")))
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
        return RegistrationStep(OutgoingMessage(services.t(lang, exc.key, **exc.args_)))
    updated = await services.db.people.get_participant(participant.id)
    assert updated is not None
    return await next_field(services, updated, state)


@dataclass(frozen=True, slots=True)
class Consent:
    """After "I agree": ``remove_button`` once the consent is recorded the first time;
    ``step`` None for a second tap while the first one's question is on screen."""

    remove_button: bool
    step: RegistrationStep | None


async def agree(
    services: Services, participant: Participant, telegram_id: int, event_id: int
) -> Consent:
    """ "I agree" pressed: the consent recorded, the invitation of a link-opened
    registration recorded, then the first question."""
    recorded = await services.db.people.record_consent(
        participant.id, services.settings.privacy.consent_version, services.clock.now()
    )
    if not recorded:
        state = await services.db.people.get_pending_input(telegram_id)
        if state is not None and state.kind == REGISTER_FLOW:
            # A second tap on "I agree" while the first one's question is on screen: asking
            # again would make the person answer twice (and the name land in organisation).
            return Consent(remove_button=False, step=None)
    if event_id and _invited_by_link(
        await services.db.people.get_pending_input(telegram_id), event_id
    ):
        # The invitation of someone who agreed only now (new, or after /forget): recorded
        # for the event whose link began this registration, never for a forged id.
        await services.db.invitations.invite(event_id, participant.id, "link", services.clock.now())
    updated = await services.db.people.get_participant(participant.id)
    assert updated is not None
    state = PendingInput(telegram_id, REGISTER_FLOW, {"event_id": event_id})
    return Consent(remove_button=recorded, step=await next_field(services, updated, state))


async def may_register_for(services: Services, telegram_id: int, event_id: int) -> bool:
    """An answer pressed by someone the bot holds no row for leads to the data notice only
    if they opened this event's invitation link (kept in the registration's state)."""
    return _invited_by_link(await services.db.people.get_pending_input(telegram_id), event_id)


async def set_language(services: Services, participant: Participant, code: str) -> bool:
    """Keep the person's language; False for a code the bot does not speak."""
    if code not in LANGUAGES:
        return False
    await services.db.people.set_participant_language(participant.id, code, services.clock.now())
    return True


# -- /start with an event link, typed text, /cancel ------------------------------------------


async def event_of_link(services: Services, code: str) -> Event | None:
    return await services.db.events.get_event_by_code(code)


async def invite_by_link(services: Services, event: Event, participant: Participant) -> None:
    """A known person opened the event's invitation link: they are invited to it now."""
    await services.db.invitations.invite(event.id, participant.id, "link", services.clock.now())


async def current_step(services: Services, telegram_id: int) -> PendingInput | None:
    """The guided step the person is in (registration, an organiser's wizard, a survey)."""
    return await services.db.people.get_pending_input(telegram_id)


async def drop_step(services: Services, telegram_id: int) -> PendingInput | None:
    """Leave the current step; the step left, or None if there was none."""
    state = await services.db.people.get_pending_input(telegram_id)
    if state is not None:
        await services.db.people.clear_pending_input(telegram_id)
    return state


# -- who is writing: the row read once per update (handlers/common.resolve_person) ----------


async def known_person(services: Services, telegram_id: int) -> Participant | None:
    """The person's row, never created (nothing is stored before consent)."""
    return await services.db.people.get_participant_by_telegram(telegram_id)


async def reachable_again(services: Services, telegram_id: int) -> Participant | None:
    """A person marked unreachable (blocked the bot) wrote again: reachable from now on."""
    await services.db.people.mark_reachable(telegram_id, services.clock.now())
    return await known_person(services, telegram_id)


async def person_or_new(services: Services, telegram_id: int, *, language: str) -> Participant:
    """The person's row, created if needed: only for steps that store something by the
    person's own will (agreeing to the data notice, a personal invitation, a check-in)."""
    return await services.db.people.ensure_participant(
        telegram_id, language=language, now=services.clock.now()
    )
