"""A small seeded programme for the dashboard tests, and signed launches for each identity."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.models import Event, RsvpStatus
from bot.sim import Simulation
from bot.webapp import add_routes
from bot.webapp.auth import sign_init_data
from tests.report_seed import Person, enrol, programme_events, respond
from tests.report_seed import people as crowd_of

ORGANISER_ID = 1000
STRANGER_ID = 4242
OTHER_TOKEN = "987654:other-bots-token-AAAAAAAAAAAAAAAAAAAAAAAA"
PREFIX = "/dashboard"
WEEK = timedelta(days=7)
WEBAPP = {"webapp": {"url": "https://dash.example.org/dashboard/", "max_age_s": 3600}}


@dataclass(frozen=True)
class Seeded:
    events: list[Event]
    programme_id: int


async def seed(sim: Simulation, *, events: int = 2, per_event: int = 12) -> Seeded:
    """``events`` events of one programme; per event: most say yes and answer the
    questionnaire, two say maybe, one no; everyone who said yes is marked present."""
    from bot.surveys import lifecycle

    made = await programme_events(sim, events)
    for event in made:
        await lifecycle.ensure_survey(sim.services, event.id)
    everyone: list[Person] = crowd_of(events * per_event)
    for i, person in enumerate(everyone):
        event = made[i % events]
        slot = i // events
        status = (
            RsvpStatus.MAYBE if slot in (0, 1) else RsvpStatus.NO if slot == 2 else RsvpStatus.YES
        )
        pid = await enrol(sim, event, person, status)
        if status is RsvpStatus.YES:
            await respond(sim, event, pid, person, i, complete=slot != per_event - 1)
    now = sim.clock.now()
    for event in made:
        await sim.db.attendance.mark_yes_present(event.id, now=now)
        await sim.db.surveys.mark_survey_open(event.id, closes_at=event.ends_at + WEEK, now=now)
    assert made[0].programme_id is not None
    return Seeded(made, made[0].programme_id)


def launch(sim: Simulation, identity: str) -> str | None:
    """The initData a client of this identity would send (None: none at all)."""
    token = sim.services.settings.telegram.token.get_secret_value()
    now = int(sim.clock.now().timestamp())
    organiser = {"id": ORGANISER_ID, "first_name": "Rasa", "language_code": "en"}
    if identity == "none":
        return None
    if identity == "forged":  # signed, then the user changed to the organiser
        signed = sign_init_data(token, {"id": STRANGER_ID, "first_name": "M"}, now)
        return signed.replace(f"%22id%22%3A{STRANGER_ID}", f"%22id%22%3A{ORGANISER_ID}")
    if identity == "expired":
        age = sim.services.settings.webapp.max_age_s + 5
        return sign_init_data(token, organiser, now - age)
    if identity == "other-bot":
        return sign_init_data(OTHER_TOKEN, organiser, now)
    if identity == "stranger":
        return sign_init_data(token, {"id": STRANGER_ID, "first_name": "Mantas"}, now)
    assert identity == "organiser"
    return sign_init_data(token, organiser, now)


def headers(init_data: str | None) -> dict[str, str]:
    return {} if init_data is None else {"Authorization": f"tma {init_data}"}


@asynccontextmanager
async def dashboard_client(
    sim: Simulation,
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    add_routes(app, [sim.services], prefix=PREFIX)
    async with TestClient(TestServer(app)) as client:
        yield client
