"""Participant services: registration (consent, name, organisation), language, and whose
personal link is whose."""

from __future__ import annotations

import unicodedata

from bot.events import EventInputError
from bot.models import BindOutcome, BindResult, OutboxItem
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


# -- personal links: whose invitation is it? ------------------------------------------------

PERSONAL_CONFIRM_FLOW = "personal-confirm"


def identity_hint(name: str | None, email: str | None) -> str:
    """Enough for the right person to recognise the invitation, too little for anyone else
    to learn who it is for: initials and a masked e-mail (``A. J., a•••@akmene.lt``)."""
    parts = []
    initials = " ".join(
        f"{word[0].upper()}." for word in (name or "").split() if word[:1].isalpha()
    )
    if initials:
        parts.append(initials)
    if email and "@" in email:
        local, _, domain = email.partition("@")
        parts.append(f"{local[:1]}•••@{domain}")
    return ", ".join(parts) or "•••"


async def open_personal_link(
    services: Services, code: str, telegram_id: int, *, language: str | None, confirmed: bool
) -> BindResult:
    """Bind a personal link to the account that opened it (see
    :meth:`bot.storage.invitations.InvitationRepository.bind_personal_code`). A link
    already bound to another account is refused; the organisers are told the first time."""
    result = await services.db.invitations.bind_personal_code(
        code, telegram_id, language=language, now=services.clock.now(), confirmed=confirmed
    )
    if result.outcome is BindOutcome.TAKEN and result.refusals == 1:
        await _tell_organisers_of_refusal(services, result)
    return result


async def _tell_organisers_of_refusal(services: Services, result: BindResult) -> None:
    from bot.messages import OutgoingMessage
    from bot.notify import queue_messages

    items = []
    for organiser_id in services.settings.organisers:
        known = await services.db.people.get_participant_by_telegram(organiser_id)
        lang = services.language_of(known.language if known else None)
        text = services.t(lang, "identity-link-refused-notice", name=result.name or "—")
        items.append(
            OutboxItem(
                organiser_id,
                OutgoingMessage(text).to_json(),
                dedup_key=f"link-refused:{result.participant_id}:{organiser_id}",
            )
        )
    await queue_messages(services, items)
