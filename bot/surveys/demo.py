"""``make demo``, continued after the RSVPs: the training ends, the questionnaire goes out,
the simulated participants answer, the organiser reads the scores and gets the chart."""

from __future__ import annotations

import asyncio
import html
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from bot.cli import cli_text
from bot.i18n import format_short
from bot.models import Event
from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from bot.surveys.export import export_events
from bot.surveys.model import QuestionKind, SurveyDefinition

ORGANISER_ID = 1000

COMMENTS = {
    "lt": (
        "Daugiau praktinių pavyzdžių ir atvejų analizės.",
        "Norėtųsi ilgesnės diskusijos su lektoriais.",
        "Puikiai organizuota, ačiū!",
        "Salėje buvo per šilta, reikėtų daugiau pertraukų.",
        "Pateiktis atsiųskite iš anksto.",
    ),
    "en": ("More practical examples, please.", "Slides in advance would help."),
    "uk": ("Дякую, дуже корисно!", "Більше часу на запитання, будь ласка."),
}


class Persona(Protocol):
    @property
    def user_id(self) -> int: ...

    @property
    def language(self) -> str: ...

    @property
    def answer(self) -> str: ...


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def _drain(sim: Simulation) -> None:
    """Until the outbox is empty (the sender paces each chat in real time)."""
    async with asyncio.timeout(30):
        await sim.settle()
        while await sim.db.outbox.outbox_pending_count():
            await asyncio.sleep(0.05)
            await sim.settle()


async def _answer(
    sim: Simulation,
    user: SimUser,
    persona: Persona,
    definition: SurveyDefinition,
    rng: random.Random,
    *,
    stop_after: int | None,
) -> None:
    """One participant's taps: a personal mood, a little noise, sometimes a comment."""
    tr, lang = sim.services.translator, persona.language
    mood = rng.choice((3, 4, 4, 5, 5))
    await user.press(tr.text(lang, "survey-btn-start"))
    for index, question in enumerate(definition.questions):
        if stop_after is not None and index >= stop_after:
            return  # leaves it for later: shows as "unfinished"
        skip = tr.text(lang, "survey-btn-skip")
        if question.kind is QuestionKind.RATING:
            value = min(5, max(1, mood + rng.choice((-2, -1, 0, 0, 0, 1))))
            await user.press(str(value))
        elif question.kind is QuestionKind.NPS:
            if not question.required and rng.random() < 0.3:
                await user.press(skip)
            else:
                await user.press(str(min(10, max(0, 2 * mood + rng.choice((-2, -1, 0, 0))))))
        elif question.kind is QuestionKind.TEXT:
            comments = COMMENTS.get(lang, COMMENTS["lt"])
            if question.required or rng.random() < 0.4:
                await user.send(rng.choice(comments))
            else:
                await user.press(skip)
        else:
            await user.press(skip)


async def run_survey_demo(
    sim: Simulation,
    event: Event,
    people: Sequence[Persona],
    output: Path,
    *,
    say: Callable[[str], None] = print,
) -> None:
    services = sim.services
    sim.clock.set(event.ends_at)
    now = format_short(sim.clock.now(), event.timezone)
    say(f"\nClock: {now} ({event.timezone}) — the training has ended.")
    queued = await lifecycle.open_survey(services, event.id, now=sim.clock.now())
    await _drain(sim)
    say(cli_text("cli-demo-survey-out", count=queued))
    survey = await services.db.surveys.get_survey(event.id)
    assert survey is not None
    definition = SurveyDefinition.from_json(survey.definition)
    rng = random.Random(9)
    coming = [p for p in people if p.answer == "yes"]
    plans = [(p, 3 if i % 9 == 4 else None) for i, p in enumerate(coming)]
    for start in range(0, len(plans), 10):  # ten phones at a time
        batch = plans[start : start + 10]
        await asyncio.gather(
            *(
                _answer(sim, sim.user(p.user_id, ""), p, definition, rng, stop_after=stop)
                for p, stop in batch
            )
        )
    if not coming:
        say("\n" + cli_text("cli-demo-no-answers"))
        return
    first = sim.user(coming[0].user_id, "")
    say(f"\nWhat {getattr(coming[0], 'name', 'the first participant')} sees at the end:")
    say("  " + _plain(first.last_text).replace("\n", "\n  "))

    organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
    before = len(organiser.messages)
    await organiser.send(f"/scores {event.id}")
    replies = organiser.messages[before:]
    say("\nThe organiser's /scores:")
    for message in replies:
        if message.photo is not None:
            chart = output / f"scores-event-{event.id}.png"
            chart.write_bytes(message.photo.content)
            say(f"  [chart sent in chat, written to {chart}]")
        else:
            say("  " + _plain(message.text or "").replace("\n", "\n  "))
    export = await export_events(services, [event], lang="lt")
    workbook = output / f"scores-event-{event.id}.xlsx"
    workbook.write_bytes(export.xlsx)
    say(f"\nExport for the funder's report ({export.rows} answers): {workbook}")
