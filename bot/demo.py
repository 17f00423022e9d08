"""``make demo``: the whole flow on the built-in emulator, with simulated participants.

No token, no network: the emulator plays Telegram, a fake clock plays time, and 30
participants from the institutions of the Akmenė training (../examples/event.toml) open the
invitation, register and answer. Prints what the organiser would see, and follows one
Lithuanian participant from the invitation to her certificate. Times are the event's.

Each run starts with an empty output folder: the files the last run wrote (listed in
``.kvietimas-demo``) are removed; a folder holding anything else is left alone and the demo
stops with exit code 2.
"""

from __future__ import annotations

import asyncio
import html
import logging
import random
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

from bot.cli import cli_text
from bot.events import import_event
from bot.i18n import format_short
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


# The participant the demo follows end to end: a Lithuanian librarian who comes.
SHOWCASE_NAME = "Rūta Vasiliauskienė"
SHOWCASE_ORGANISATION = "Akmenės rajono savivaldybės viešoji biblioteka"
# The file in the output folder that lists what the last run wrote (and may remove).
MANIFEST = ".kvietimas-demo"
# What the demo wrote before it kept a manifest: still its own.
_EARLIER_DEMO_FILES = ("scores-event-*", "certificate-*.pdf", "report-event-*")


class DemoRefused(Exception):
    """The demo will not write into the output folder; the message says why."""


@dataclass(frozen=True)
class Persona:
    user_id: int
    name: str
    organisation: str
    language: str
    answer: str  # button to press: yes / no / maybe


def personas(count: int, seed: int = 8) -> list[Persona]:
    """``count`` people; the first is the Lithuanian participant the demo follows."""
    rng = random.Random(seed)
    if count <= 0:
        return []
    people = [Persona(50_000, SHOWCASE_NAME, SHOWCASE_ORGANISATION, "lt", "yes")]
    taken = {SHOWCASE_NAME}
    for i in range(1, count):
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


def local_time(moment: datetime, zone: str) -> str:
    """``2027-03-09 16:00 (Europe/Vilnius)``: the demo speaks the event's time."""
    return f"{format_short(moment, zone)} ({zone})"


def prepare_output(output: Path) -> None:
    """An empty output folder for this run: the files the last run wrote are removed;
    anything else in the folder stops the demo (it is somebody's, not ours to delete)."""
    if output.exists() and not output.is_dir():
        raise DemoRefused(f"{output} is a file, not a folder: choose another --output")
    output.mkdir(parents=True, exist_ok=True)
    manifest = output / MANIFEST
    if manifest.is_file():
        ours = {line for line in manifest.read_text(encoding="utf-8").splitlines() if line}
    else:
        ours = {
            entry.name
            for entry in output.iterdir()
            if entry.is_file() and any(fnmatch(entry.name, p) for p in _EARLIER_DEMO_FILES)
        }
    foreign = sorted(e.name for e in output.iterdir() if e.name != MANIFEST and e.name not in ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise DemoRefused(
            f"{output} holds files the demo did not write ({shown}): "
            "empty it or choose another --output"
        )
    for name in ours:
        entry = output / name
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
    manifest.unlink(missing_ok=True)


def record_output(output: Path) -> list[str]:
    """Remember what this run wrote, so the next run may remove exactly that."""
    written = sorted(e.name for e in output.iterdir() if e.name != MANIFEST)
    (output / MANIFEST).write_text("".join(f"{name}\n" for name in written), encoding="utf-8")
    return written


async def register_and_answer(sim: Simulation, persona: Persona, payload: str) -> None:
    user: SimUser = sim.user(persona.user_id, persona.name.split()[0], language=persona.language)
    tr = sim.services.translator
    await user.send(f"/start {payload}")
    await user.press(tr.text(persona.language, "btn-consent"))
    await user.send(persona.name)
    await user.send(persona.organisation)
    await user.press(tr.text(persona.language, f"btn-{persona.answer}"))


def show_phone(user: SimUser, heading: str) -> None:
    say(heading)
    say("  " + plain(user.last_text).replace("\n", "\n  "))
    if user.buttons():
        say("  buttons: " + " | ".join(user.buttons()))


async def run_demo(output: Path, *, participants: int = 30) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    prepare_output(output)
    try:
        await _run(output, participants)
    finally:
        record_output(output)
    return 0


async def _run(output: Path, participants: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with Simulation(
            Path(tmp) / "demo.sqlite3",
            organisers=(ORGANISER_ID,),
            settings={"organisation_name": "Socialinių paslaugų priežiūros departamentas"},
        ) as sim:
            services = sim.services
            say("== Kvietimas demo: emulated Telegram, simulated clock, no token ==")
            event, _ = await import_event(
                services.db, EXAMPLE_EVENT.read_text(encoding="utf-8"),
                default_zone=services.settings.timezone, now=services.clock.now(),
            )  # fmt: skip
            say(f"Clock: {local_time(services.clock.now(), event.timezone)}")
            payload = f"e_{event.invite_code}"
            say(f"Organiser imported event #{event.id}: {event.title}")
            say(f"Starts {local_time(event.starts_at, event.timezone)}")
            say(f"Invite link: https://t.me/{services.bot_username}?start={payload}")

            people = personas(participants)
            say("\n" + cli_text("cli-demo-participants", count=len(people)))
            if people:  # she comes first, so her row (and certificate) is the first
                await register_and_answer(sim, people[0], payload)
            for start in range(1, len(people), 10):  # then ten phones at a time
                batch = people[start : start + 10]
                await asyncio.gather(*(register_and_answer(sim, p, payload) for p in batch))
            if people:
                show_phone(
                    sim.user(people[0].user_id, ""),
                    f"\nWhat {people[0].name} sees on her phone (in Lithuanian):",
                )

            organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
            await organiser.send(f"/rsvps {event.id}")
            say("\nThe organiser's /rsvps (answers by organisation):")
            say("  " + plain(organiser.last_text).replace("\n", "\n  "))

            from bot.surveys.demo import run_survey_demo  # the questionnaire after the event

            await run_survey_demo(sim, event, people, output, say=say)

            from bot.documents.report import (
                run_attendance_demo,  # who came, certificates, the report
            )

            await run_attendance_demo(sim, event, output, say=say)
            if people:
                show_phone(
                    sim.user(people[0].user_id, ""),
                    f"\n{people[0].name}'s certificate arrives in her chat:",
                )
