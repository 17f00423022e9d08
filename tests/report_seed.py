"""A programme at real size for the report and sign-in sheet tests: 36 events, 460 people.

Seeded through the storage methods the handlers use (the conversation itself is covered by
the e2e tests), so building it takes seconds, not minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Event, RsvpStatus
from bot.sim import Simulation
from bot.surveys import lifecycle
from tests.conftest import EXAMPLE_EVENT, add_event

PROGRAMME = "Savivaldybių kompetencijų didinimas teikiant paslaugas trečiųjų šalių piliečiams"
FEMALE = (
    ("Asta", "Rūta", "Eglė", "Ieva", "Laura", "Greta", "Kristina", "Olena", "Živilė", "Šarūnė",
     "Česlava", "Ąžuolė"),
    ("Kazlauskienė", "Jankauskaitė", "Vasiliauskienė", "Butkutė", "Urbonienė", "Petrauskaitė",
     "Žukauskienė", "Čepulienė", "Šimkutė", "Stankevičienė", "Paulauskaitė", "Navickienė",
     "Balčiūnienė", "Ramanauskaitė", "Yčaitė", "Ivanauskienė", "Lukošiūtė", "Dambrauskienė",
     "Girdauskaitė", "Cibulskienė"),
)  # fmt: skip
MALE = (
    ("Jonas", "Tomas", "Mindaugas", "Darius", "Paulius", "Andrius", "Mykola", "Šarūnas",
     "Česlovas", "Žilvinas", "Ignas", "Yonas"),
    ("Petrauskas", "Stankevičius", "Žukauskas", "Paulauskas", "Kavaliauskas", "Urbonas",
     "Čepulis", "Šimkus", "Navickas", "Balčiūnas", "Ramanauskas", "Ivanauskas", "Lukošius",
     "Dambrauskas", "Girdauskas", "Cibulskis", "Sakalauskas", "Tamošiūnas", "Vaitkus",
     "Rimkus"),
)  # fmt: skip
BIG_ORGS = tuple(
    f"{town} rajono savivaldybės administracija"
    for town in ("Akmenės", "Joniškio", "Kelmės", "Mažeikių", "Raseinių", "Šilalės",
                 "Tauragės", "Telšių", "Šiaulių", "Radviliškio")
)  # fmt: skip
SMALL_ORGS = tuple(f"Seniūnija Nr. {n}" for n in range(1, 41))
COMMENTS = (
    "Daugiau praktinių pavyzdžių ir atvejų analizės.",
    "Puikiai organizuota, ačiū!",
    "Pateiktis atsiųskite iš anksto.",
    "Norėtųsi ilgesnės diskusijos su lektoriais.",
)
RATINGS = ("overall", "content", "knowledge", "use_at_work", "lecturers", "organisation")


@dataclass(frozen=True)
class Person:
    telegram_id: int
    name: str
    organisation: str


def names(count: int) -> list[str]:
    """``count`` distinct, gender-agreeing Lithuanian names."""
    result: list[str] = []
    for firsts, lasts in (FEMALE, MALE):
        result += [f"{first} {last}" for last in lasts for first in firsts]
    assert len(result) >= count
    # Interleave so every event gets women and men.
    half = len(result) // 2
    mixed = [n for pair in zip(result[:half], result[half:], strict=True) for n in pair]
    return mixed[:count]


def people(count: int, first_id: int = 700_000) -> list[Person]:
    """400 people in 10 big organisations (40 each); the rest one or two per small one."""
    result = []
    for i, name in enumerate(names(count)):
        big = i < 400
        org = BIG_ORGS[i % len(BIG_ORGS)] if big else SMALL_ORGS[(i - 400) % len(SMALL_ORGS)]
        result.append(Person(first_id + i, name, org))
    return result


async def programme_events(sim: Simulation, count: int) -> list[Event]:
    source = EXAMPLE_EVENT.read_text(encoding="utf-8")
    events = []
    for i in range(count):
        month, day = 3 + i // 4, 2 + (i % 4) * 7
        events.append(
            await add_event(
                sim,
                source,
                **{
                    'slug = "akmene-2027-03"': f'slug = "seminaras-{i + 1:02d}"',
                    'title = "Mokymai Akmenės rajonui': f'title = "{i + 1}. Mokymai rajonui',
                    "starts = 2027-03-09T10:00:00": f"starts = 2027-{month:02d}-{day:02d}T10:00:00",
                    "rsvp_deadline = 2027-03-05T18:00:00": "",
                },
            )
        )
    return events


async def enrol(
    sim: Simulation, event: Event, person: Person, status: RsvpStatus = RsvpStatus.YES
) -> int:
    """Registered (consent, name, organisation) and answered ``status``; returns the id."""
    storage, now = sim.db, sim.clock.now()
    row = await storage.people.ensure_participant(person.telegram_id, language="lt", now=now)
    await storage.people.record_consent(row.id, "2026-11", now)
    await storage.people.set_participant_profile(
        row.id, name=person.name, organisation=person.organisation, now=now
    )
    await storage.rsvps.apply_rsvp(
        event.id, row.id, status, capacity=None, now=now, invite_source="link"
    )
    return row.id


async def respond(
    sim: Simulation, event: Event, participant_id: int, person: Person, seed: int, *,
    complete: bool = True,
) -> None:  # fmt: skip
    """A questionnaire as the runner stores it: six 1-5 ratings, the 0-10 question, a comment."""
    storage, now = sim.db, sim.clock.now()
    response = await storage.surveys.start_response(
        event.id, participant_id, organisation=person.organisation, now=now
    )
    assert response is not None
    answers: list[tuple[str, int | None, str | None]] = [
        (q, 3 + (seed + k) % 3, None) for k, q in enumerate(RATINGS)
    ]
    answers.append(("recommend", (seed * 7) % 11, None))
    if seed % 3 == 0:
        answers.append(("improve", None, COMMENTS[seed % len(COMMENTS)]))
    if not complete:
        answers = answers[:2]
    for position, (question, rating, text) in enumerate(answers, start=1):
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question=question, rating=rating, text=text,
            position=position, now=now,
        )  # fmt: skip
    if complete:
        await storage.surveys.complete_response(
            response.id, participant_id=participant_id, position=len(answers) + 1, now=now
        )


async def seed_programme(
    sim: Simulation, events: int = 36, participants: int = 460
) -> tuple[list[Event], list[Person]]:
    """Everyone says yes to one event, is marked present, and answers (every tenth leaves
    the questionnaire unfinished)."""
    made = await programme_events(sim, events)
    for event in made:
        await lifecycle.ensure_survey(sim.services, event.id)
    crowd = people(participants)
    for i, person in enumerate(crowd):
        event = made[i % len(made)]
        pid = await enrol(sim, event, person)
        await respond(sim, event, pid, person, i, complete=i % 10 != 9)
    now = sim.clock.now()
    for event in made:
        await sim.db.attendance.mark_yes_present(event.id, now=now)
    return made, crowd
