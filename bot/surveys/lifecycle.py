"""A questionnaire's life: open (send to participants), remind non-responders, close.

Called by the scheduler (bot/schedule.py) at the right moments and by organisers'
commands. Each function is idempotent: calling it twice sends nothing twice. Messages go
through the outbox with a ``dedup_key`` per person ("survey-open:<event>:<participant>",
"survey-remind:<event>:<participant>"), so even two processes racing, or a crash between
the queueing and the state change, cannot send one person the same message twice.

When things are due (for the scheduler, derived from the ``surveys`` row):
- open: at the event's end (``survey_schedule().open_at``) while the survey is a draft;
- remind: ``reminders.survey_reminder_hours`` after ``opened_at``, once;
- close: at ``closes_at`` = event end + ``reminders.survey_open_days`` (from the opening, if
  an organiser opened it only after that).
Answers are refused from ``closes_at`` on even if ``close_survey`` has not run yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.messages import OutgoingMessage
from bot.models import Event, EventStatus, OutboxItem, SurveyRow, SurveyStatus
from bot.notify import queue_messages
from bot.services import Services
from bot.surveys.model import DEFAULT_TEMPLATE, SurveyDefinition, load_template
from bot.surveys.views import invitation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SurveySchedule:
    """When the scheduler should call open / remind / close (None: nothing more to do)."""

    open_at: datetime | None
    remind_at: datetime | None
    close_at: datetime | None


async def ensure_survey(services: Services, event_id: int) -> SurveyRow:
    """The event's survey row; the default template unless the organiser picked another."""
    storage = services.db
    survey = await storage.surveys.get_survey(event_id)
    if survey is not None:
        return survey
    definition = load_template(DEFAULT_TEMPLATE)
    return await storage.surveys.create_survey(
        event_id, template=definition.name, definition=definition.to_json(),
        anonymous=definition.anonymous, now=services.clock.now(),
    )  # fmt: skip


def closing_time(services: Services, event: Event, opened_at: datetime) -> datetime:
    """The event's end + ``survey_open_days`` (the moment the scheduler closes it); a
    survey an organiser opens only after that gets the same span from its opening."""
    span = timedelta(days=services.settings.reminders.survey_open_days)
    closes_at = event.ends_at + span
    return closes_at if closes_at > opened_at else opened_at + span


async def survey_schedule(services: Services, event_id: int) -> SurveySchedule | None:
    """What is still due for the event's questionnaire (None: no such event)."""
    storage = services.db
    event = await storage.events.get_event(event_id)
    if event is None or event.status is EventStatus.CANCELLED:
        return None
    survey = await storage.surveys.get_survey(event_id)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        return SurveySchedule(event.ends_at, None, closing_time(services, event, event.ends_at))
    if survey.status == SurveyStatus.CLOSED:
        return SurveySchedule(None, None, None)
    hours = services.settings.reminders.survey_reminder_hours
    remind_at = None
    if survey.reminded_at is None and survey.opened_at is not None:
        remind_at = survey.opened_at + timedelta(hours=hours)
    return SurveySchedule(None, remind_at, survey.closes_at)


async def _queue(services: Services, event: Event, survey: SurveyRow, *, reminder: bool) -> int:
    storage = services.db
    definition = SurveyDefinition.from_json(survey.definition)
    recipients = await storage.surveys.survey_recipients(event.id, unfinished_only=reminder)
    kind = "survey-remind" if reminder else "survey-open"
    items = []
    for r in recipients:
        lang = services.language_of(r.language)
        message: OutgoingMessage = invitation(
            services.translator, lang, event, definition, anonymous=survey.anonymous,
            closes_at=survey.closes_at, reminder=reminder,
        )  # fmt: skip
        key = f"{kind}:{event.id}:{r.participant_id}"
        items.append(OutboxItem(r.telegram_id, message.to_json(), r.participant_id, key))
    if not items:
        return 0
    return await queue_messages(services, items)


async def open_survey(services: Services, event_id: int, *, now: datetime) -> int:
    """Open the event's questionnaire and queue it to its recipients; returns how many.

    Calling it again (or after more people became recipients) queues only to those who
    have not had it yet. A closed survey stays closed; a cancelled event gets none.
    """
    storage = services.db
    event = await storage.events.get_event(event_id)
    if event is None or event.status is EventStatus.CANCELLED:
        log.info("survey %s: not opened (no such active event)", event_id)
        return 0
    survey = await ensure_survey(services, event_id)
    if survey.status == SurveyStatus.CLOSED:
        return 0
    if survey.status == SurveyStatus.DRAFT:
        closes_at = closing_time(services, event, now)
        if await storage.surveys.mark_survey_open(event_id, closes_at=closes_at, now=now):
            log.info("survey %s: opened, closes at %s", event_id, closes_at.isoformat())
        survey = await storage.surveys.get_survey(event_id) or survey
    if not survey.accepting(now):
        return 0
    queued = await _queue(services, event, survey, reminder=False)
    log.info("survey %s: %d invitations queued", event_id, queued)
    return queued


async def remind_survey(services: Services, event_id: int, *, now: datetime) -> int:
    """Queue one reminder to recipients who have not finished; returns how many."""
    storage = services.db
    event = await storage.events.get_event(event_id)
    survey = await storage.surveys.get_survey(event_id)
    if event is None or survey is None or not survey.accepting(now):
        return 0
    queued = await _queue(services, event, survey, reminder=True)
    await storage.surveys.mark_survey_reminded(event_id, now=now)
    log.info("survey %s: %d reminders queued", event_id, queued)
    return queued


async def close_survey(services: Services, event_id: int, *, now: datetime) -> None:
    """Close the questionnaire: later answers are refused politely."""
    if await services.db.surveys.mark_survey_closed(event_id, now=now):
        log.info("survey %s: closed", event_id)
