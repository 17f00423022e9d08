"""``make demo``: the whole flow on the built-in emulator, with simulated participants.

No token, no network: the emulator plays Telegram, a fake clock plays time, and 30
participants from the institutions of the Akmenė training (../examples/event.toml) open the
invitation, register and answer. Prints what the organiser would see.
"""

from __future__ import annotations

import asyncio
import html
import logging
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.events import import_event
from bot.sim import Simulation, SimUser

EXAMPLE_EVENT = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
ORGANISER_ID = 1000

INSTITUTIONS = (
    "Akmenės rajono savivaldybės administracija",
    "Akmenės rajono seniūnijos",
    "Užimtumo tarnyba",
    "Akmenės rajono jaunimo ir suaugusiųjų švietimo centras",
    "Akmenės rajono savivaldybės viešoji biblioteka",
    "Akmenės rajono paramos šeimai centras",
    "Akmenės rajono socialinių paslaugų namai",
    "Akmenės krašto muziejus",
)
# (first names, surnames) that agree in gender, as Lithuanian names do.
NAMES = (
    (("Asta", "Rūta", "Eglė", "Ieva", "Laura", "Greta", "Kristina", "Olena"),
     ("Kazlauskienė", "Jankauskaitė", "Vasiliauskienė", "Butkutė", "Urbonienė", "Petrauskaitė")),
    (("Jonas", "Tomas", "Mindaugas", "Darius", "Paulius", "Andrius", "Mykola"),
     ("Petrauskas", "Stankevičius", "Žukauskas", "Paulauskas", "Kavaliauskas", "Urbonas")),
)  # fmt: skip


@dataclass(frozen=True)
class Persona:
    user_id: int
    name: str
    organisation: str
    language: str
    answer: str  # button to press: yes / no / maybe


def personas(count: int, seed: int = 8) -> list[Persona]:
    rng = random.Random(seed)
    people: list[Persona] = []
    taken: set[str] = set()
    for i in range(count):
        name = " ".join(rng.choice(part) for part in rng.choice(NAMES))
        while name in taken:  # two people of the same name would confuse the printed lists
            name = " ".join(rng.choice(part) for part in rng.choice(NAMES))
        taken.add(name)
        language = rng.choices(("lt", "en", "uk"), weights=(8, 1, 1))[0]
        answer = rng.choices(("yes", "no", "maybe"), weights=(7, 1, 2))[0]
        people.append(
            Persona(
                user_id=50_000 + i,
                name=name,
                organisation=INSTITUTIONS[i % len(INSTITUTIONS)],
                language=language,
                answer=answer,
            )
        )
    return people


def plain(text: str) -> str:
    """What a phone shows, roughly: HTML tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def say(text: str = "") -> None:
    print(text, flush=True)


async def register_and_answer(sim: Simulation, persona: Persona, payload: str) -> None:
    user: SimUser = sim.user(persona.user_id, persona.name.split()[0], language=persona.language)
    tr = sim.services.translator
    await user.send(f"/start {payload}")
    await user.press(tr.text(persona.language, "btn-consent"))
    await user.send(persona.name)
    await user.send(persona.organisation)
    await user.press(tr.text(persona.language, f"btn-{persona.answer}"))


async def run_demo(output: Path, *, participants: int = 30) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        async with Simulation(
            Path(tmp) / "demo.sqlite3",
            organisers=(ORGANISER_ID,),
            settings={"organisation_name": "Socialinių paslaugų priežiūros departamentas"},
        ) as sim:
            services = sim.services
            say("== Kvietimas demo: emulated Telegram, simulated clock, no token ==")
            say(f"Clock: {services.clock.now().isoformat()}")
            event, _ = await import_event(
                services.storage, EXAMPLE_EVENT.read_text(encoding="utf-8"),
                default_zone=services.settings.timezone, now=services.clock.now(),
            )  # fmt: skip
            payload = f"e_{event.invite_code}"
            say(f"Organiser imported event #{event.id}: {event.title}")
            say(f"Invite link: https://t.me/{services.bot_username}?start={payload}")

            people = personas(participants)
            say(f"\n{len(people)} participants open the link, consent, register and answer...")
            for start in range(0, len(people), 10):  # ten phones at a time
                batch = people[start : start + 10]
                await asyncio.gather(*(register_and_answer(sim, p, payload) for p in batch))
            first = sim.user(people[0].user_id, "")
            say("\nWhat the first participant sees on their phone:")
            say("  " + plain(first.last_text).replace("\n", "\n  "))
            say("  buttons: " + " | ".join(first.buttons()))

            organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
            await organiser.send(f"/rsvps {event.id}")
            say("\nThe organiser's /rsvps (answers by organisation):")
            say("  " + plain(organiser.last_text).replace("\n", "\n  "))

            from bot.surveys.demo import run_survey_demo  # the questionnaire after the event

            await run_survey_demo(sim, event, people, output, say=say)

            from bot.reports import run_attendance_demo  # who came, certificates, the report

            await run_attendance_demo(sim, event, output, say=say)
    return 0
