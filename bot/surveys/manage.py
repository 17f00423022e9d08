"""What organisers do with questionnaires, for the thin handler in bot/handlers/surveys.py.

Every read and change the organiser commands (/scores, /export, /survey) and their
``v1:os:`` buttons need goes through here: naming a target, the picker's choices, a
programme's events, opening and closing, the status screen's figures, the template and
the anonymous mode. No Telegram types: plain results the handler renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.events import find_event, parse_event_ref
from bot.models import Event, EventStatus, Programme, SurveyRow
from bot.services import Services
from bot.surveys import lifecycle
from bot.surveys.model import SurveyDefinition

Target = tuple[Literal["programme", "event"], int]

PROGRAMMES_IN_PICKER = 10


@dataclass(frozen=True)
class PickerChoices:
    """What a picker offers: recent events (and, when asked, programmes)."""

    events: list[Event]
    programmes: list[Programme]


@dataclass(frozen=True)
class Opened:
    """After an organiser's open: how many invitations were queued, and the survey now."""

    sent: int
    survey: SurveyRow | None


@dataclass(frozen=True)
class SurveyStatusFigures:
    """The status screen's figures for one event's questionnaire."""

    survey: SurveyRow
    questions: int
    recipients: int
    started: int
    completed: int


async def parse_target(services: Services, raw: str) -> Target | None:
    """ "p3" -> ("programme", 3); an event as every command names one ("12", "#12" or its
    slug, :func:`bot.events.parse_event_ref`) -> ("event", id); anything else None."""
    text = raw.strip().lstrip("#")
    if text[:1] in ("p", "P") and text[1:].isdigit() and len(text) <= 10:
        return "programme", int(text[1:])
    ref = parse_event_ref(raw)
    if ref is None:
        return None
    if isinstance(ref, int):
        return "event", ref
    event = await find_event(services.db, ref)
    return None if event is None else ("event", event.id)  # an unknown word: the usage


async def picker_choices(
    services: Services, *, limit: int, programmes: bool, only_with_survey: bool
) -> PickerChoices:
    """Up to ``limit`` recent events (only those with a questionnaire, if asked) and, if
    asked, the first programmes."""
    events = await services.db.events.list_recent_events(limit=limit)
    if only_with_survey:
        surveys = await services.db.surveys.surveys_for([e.id for e in events])
        events = [e for e in events if e.id in surveys]
    found: list[Programme] = []
    if programmes:
        found = (await services.db.events.list_programmes())[:PROGRAMMES_IN_PICKER]
    return PickerChoices(events, found)


async def get_event(services: Services, event_id: int) -> Event | None:
    return await services.db.events.get_event(event_id)


async def get_survey(services: Services, event_id: int) -> SurveyRow | None:
    """The event's questionnaire row, if one was ever made."""
    return await services.db.surveys.get_survey(event_id)


async def programme_events(services: Services, programme_id: int) -> tuple[str, list[Event]] | None:
    """The programme's title and its active events; None if there is no such programme or
    it has no active event."""
    programmes = {p.id: p.title for p in await services.db.events.list_programmes()}
    events = [
        e
        for e in await services.db.events.list_programme_events(programme_id)
        if e.status is EventStatus.ACTIVE
    ]
    if programme_id not in programmes or not events:
        return None
    return programmes[programme_id], events


async def open_now(services: Services, event_id: int) -> Opened:
    """Open the questionnaire now (:func:`lifecycle.open_survey`) and read it back."""
    sent = await lifecycle.open_survey(services, event_id, now=services.clock.now())
    return Opened(sent, await services.db.surveys.get_survey(event_id))


async def close_now(services: Services, event_id: int) -> int:
    """Close the questionnaire now; returns how many responses were completed."""
    await lifecycle.close_survey(services, event_id, now=services.clock.now())
    totals = await services.db.surveys.response_totals([event_id])
    return totals.get(event_id, (0, 0))[1]


async def status(services: Services, event_id: int) -> SurveyStatusFigures:
    """The questionnaire (made from the default template if there was none) and its figures."""
    survey = await lifecycle.ensure_survey(services, event_id)
    definition = SurveyDefinition.from_json(survey.definition)
    started, completed = (await services.db.surveys.response_totals([event_id])).get(
        event_id, (0, 0)
    )
    recipients = len(await services.db.surveys.survey_recipients(event_id))
    return SurveyStatusFigures(survey, len(definition.questions), recipients, started, completed)


async def set_template(services: Services, event_id: int, definition: SurveyDefinition) -> bool:
    """Replace the questionnaire by this template; False once answers lock it."""
    return await services.db.surveys.replace_survey(
        event_id, template=definition.name, definition=definition.to_json(),
        anonymous=definition.anonymous, now=services.clock.now(),
    )  # fmt: skip


async def set_anonymous(services: Services, event_id: int, anonymous: bool) -> bool:
    """Switch the questionnaire's anonymous mode; False once answers lock it."""
    survey = await lifecycle.ensure_survey(services, event_id)
    return await services.db.surveys.replace_survey(
        event_id, template=survey.template, definition=survey.definition, anonymous=anonymous,
        now=services.clock.now(),
    )  # fmt: skip
