"""One question at a time: every press or typed answer is saved at once, with the position.

The response row keeps where the person is (``position``) and each answer is a row, so a
restart, a day's pause or another device continues exactly there. A free-text question
also leaves a ``pending_inputs`` row (kind ``survey``), so the typed message that follows is
routed here by bot/handlers/flows.py.

No Telegram types: the handlers turn a :class:`Step` into a callback answer and a message.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from bot.messages import OutgoingMessage
from bot.models import (
    Event,
    EventStatus,
    Participant,
    PendingInput,
    ResponseState,
    StoredAnswer,
    SurveyRow,
    SurveyStatus,
)
from bot.services import Services
from bot.surveys.buttons import SurveyPress, SvAction
from bot.surveys.model import MAX_FREE_TEXT, QuestionKind, SurveyDefinition
from bot.surveys.views import done_screen, question_screen

log = logging.getLogger(__name__)

SURVEY_FLOW = "survey"


@dataclass(frozen=True)
class Step:
    """What to show: a message (edit the pressed one / reply), and or a short notice."""

    message: OutgoingMessage | None = None
    toast: str | None = None
    alert: bool = False


@dataclass(frozen=True)
class _Open:
    event: Event
    survey: SurveyRow
    definition: SurveyDefinition


def _refuse(services: Services, lang: str, key: str, **args: object) -> Step:
    return Step(toast=services.t(lang, key, **args), alert=True)


async def _load(
    services: Services, participant: Participant, event_id: int, lang: str
) -> _Open | Step:
    """The open questionnaire this person may answer, or the polite refusal."""
    storage = services.db
    event = await storage.events.get_event(event_id)
    survey = await storage.surveys.get_survey(event_id) if event is not None else None
    if event is None or survey is None or event.status is EventStatus.CANCELLED:
        log.info("survey: no questionnaire %s for participant %s", event_id, participant.id)
        return _refuse(services, lang, "survey-unknown")
    if survey.status == SurveyStatus.DRAFT:
        return _refuse(services, lang, "survey-not-open")
    if not survey.accepting(services.clock.now()):
        log.info("survey %s: closed, refused participant %s", event_id, participant.id)
        return _refuse(services, lang, "survey-closed")
    if not await storage.surveys.survey_eligible(event_id, participant.id):
        log.info("survey %s: participant %s is not a recipient", event_id, participant.id)
        return _refuse(services, lang, "survey-not-for-you")
    return _Open(event, survey, SurveyDefinition.from_json(survey.definition))


class _Run:
    """One person's answering session for one update."""

    def __init__(
        self, services: Services, participant: Participant, opened: _Open, response: ResponseState
    ) -> None:
        self.services = services
        self.participant = participant
        self.lang = services.language_of(participant.language)
        self.event, self.survey, self.definition = opened.event, opened.survey, opened.definition
        self.response = response
        self.answers: dict[str, StoredAnswer] = dict(response.answers)

    @property
    def questions(self) -> int:
        return len(self.definition.questions)

    async def save(self, index: int, rating: int | None, text: str | None) -> None:
        question = self.definition.questions[index]
        await self.services.db.surveys.save_answer(
            self.response.id, event_id=self.event.id, question=question.id, rating=rating,
            text=text, position=index, now=self.services.clock.now(),
        )  # fmt: skip
        self.answers[question.id] = StoredAnswer(rating, text)

    async def show(self, index: int, *, note_key: str | None = None) -> Step:
        storage, now = self.services.db, self.services.clock.now()
        await storage.surveys.move_response(self.response.id, position=index, now=now)
        question = self.definition.questions[index]
        telegram_id = self.participant.telegram_id or 0
        if question.kind is QuestionKind.TEXT:
            state = PendingInput(telegram_id, SURVEY_FLOW, {"event_id": self.event.id, "q": index})
            await storage.people.set_pending_input(state, now)
        else:
            await clear_text_flow(self.services, telegram_id)
        note = self.services.t(self.lang, note_key) if note_key else None
        return Step(
            question_screen(
                self.services.translator, self.lang, self.event, self.definition, index,
                self.answers, note=note,
            )
        )  # fmt: skip

    async def advance(self, index: int) -> Step:
        """After question ``index``: the next one, a required one left open, or the thanks."""
        if index + 1 < self.questions:
            return await self.show(index + 1)
        for position, question in enumerate(self.definition.questions):
            answer = self.answers.get(question.id)
            if question.required and (answer is None or not answer.given):
                return await self.show(position, note_key="survey-required-left")
        return await self.finish()

    async def finish(self) -> Step:
        services = self.services
        await clear_text_flow(services, self.participant.telegram_id or 0)
        first = await services.db.surveys.complete_response(
            self.response.id, participant_id=self.participant.id, position=self.questions,
            now=services.clock.now(),
        )  # fmt: skip
        if first:
            log.info("survey %s: a response was completed", self.event.id)
        return Step(done_screen(services.translator, self.lang, self.event, self.survey.closes_at))


async def clear_text_flow(services: Services, telegram_id: int) -> None:
    """Forget a waiting free-text question (never another flow the person is in)."""
    state = await services.db.people.get_pending_input(telegram_id)
    if state is not None and state.kind == SURVEY_FLOW:
        await services.db.people.clear_pending_input(telegram_id)


async def _session(
    services: Services, participant: Participant, event_id: int, lang: str
) -> _Run | Step:
    opened = await _load(services, participant, event_id, lang)
    if isinstance(opened, Step):
        return opened
    response = await services.db.surveys.start_response(
        event_id, participant.id, organisation=participant.organisation,
        now=services.clock.now(),
    )  # fmt: skip
    if response is None:
        return _refuse(services, lang, "survey-closed")
    return _Run(services, participant, opened, response)


def _stale(services: Services, lang: str, participant: Participant, press: SurveyPress) -> Step:
    log.info("survey: invalid press %s from participant %s", press.pack(), participant.id)
    return _refuse(services, lang, "error-stale-button")


async def handle_press(services: Services, participant: Participant, press: SurveyPress) -> Step:
    """A survey button; the data was parsed but is still untrusted (range checks here)."""
    lang = services.language_of(participant.language)
    run = await _session(services, participant, press.event_id, lang)
    if isinstance(run, Step):
        return run
    if press.action is SvAction.GO:
        if run.response.completed and run.response.position >= run.questions:
            return Step(done_screen(services.translator, lang, run.event, run.survey.closes_at))
        return await run.show(min(run.response.position, run.questions - 1))
    if press.action is SvAction.EDIT:
        return await run.show(0)
    if not 0 <= press.q < run.questions:
        return _stale(services, lang, participant, press)
    question = run.definition.questions[press.q]
    current = run.answers.get(question.id)
    given = current is not None and current.given
    if press.action is SvAction.ANSWER:
        choosable = (QuestionKind.RATING, QuestionKind.NPS, QuestionKind.SINGLE)
        if question.kind not in choosable or not question.valid(press.value):
            return _stale(services, lang, participant, press)
        await run.save(press.q, press.value, None)
        return await run.advance(press.q)
    if press.action is SvAction.TOGGLE:
        if question.kind is not QuestionKind.MULTI or not 1 <= press.value <= len(question.options):
            return _stale(services, lang, participant, press)
        mask = (current.rating or 0) if current is not None else 0
        mask ^= 1 << (press.value - 1)
        await run.save(press.q, mask or None, None)
        return await run.show(press.q)
    if press.action is SvAction.NEXT:
        if not given:
            if question.required:
                key = (
                    "survey-choose-one"
                    if question.kind is QuestionKind.MULTI
                    else "survey-required"
                )
                return Step(toast=services.t(lang, key), alert=False)
            await run.save(press.q, None, None)
        return await run.advance(press.q)
    if press.action is SvAction.SKIP:
        if question.required:
            return Step(toast=services.t(lang, "survey-required"))
        await run.save(press.q, None, None)
        return await run.advance(press.q)
    if press.action is SvAction.BACK:
        return await run.show(max(press.q - 1, 0))
    return _stale(services, lang, participant, press)


def clean_answer(text: str) -> str:
    """Typed text without control characters (line breaks kept), trimmed."""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return kept.strip()


async def handle_text(
    services: Services, participant: Participant, state: PendingInput, text: str
) -> Step:
    """A typed answer to the free-text question the person's pending input points at."""
    lang = services.language_of(participant.language)
    telegram_id = participant.telegram_id or 0
    event_id, index = state.data.get("event_id"), state.data.get("q")
    if not isinstance(event_id, int) or not isinstance(index, int):
        await clear_text_flow(services, telegram_id)
        return Step(OutgoingMessage(services.t(lang, "error-stale-button")))
    run = await _session(services, participant, event_id, lang)
    if isinstance(run, Step):
        await clear_text_flow(services, telegram_id)
        return Step(OutgoingMessage(run.toast or ""))
    if (
        not 0 <= index < run.questions
        or run.definition.questions[index].kind is not QuestionKind.TEXT
    ):
        await clear_text_flow(services, telegram_id)
        return Step(OutgoingMessage(services.t(lang, "error-stale-button")))
    answer = clean_answer(text)
    if not answer:
        return Step(OutgoingMessage(services.t(lang, "survey-text-hint")))
    if len(answer) > MAX_FREE_TEXT:
        return Step(OutgoingMessage(services.t(lang, "survey-text-too-long", max=MAX_FREE_TEXT)))
    await run.save(index, None, answer)
    return await run.advance(index)
