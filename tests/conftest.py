"""Fixtures: a running bot against the emulator, on a fake clock, with factory helpers."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.events import import_event
from bot.models import Event
from bot.sim import Simulation, SimUser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_EVENT = ROOT / "examples" / "event.toml"
ORGANISER_ID = 1000
# Before the example event (2027-03-09 10:00 Vilnius) and its deadline (2027-03-05 18:00).
START = datetime.fromisoformat("2027-03-01T09:00:00+02:00")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def sim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,)
    ) as running:
        yield running


@pytest.fixture
def organiser(sim: Simulation) -> SimUser:
    return sim.user(ORGANISER_ID, "Rasa", language="en")


async def add_event(sim: Simulation, text: str | None = None, **replacements: str) -> Event:
    """Import the example event (optionally with lines replaced) as an organiser would."""
    source = text if text is not None else EXAMPLE_EVENT.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in source, old
        source = source.replace(old, new)
    event, _ = await import_event(
        sim.db, source, default_zone="Europe/Vilnius", now=sim.clock.now()
    )
    return event


async def register(
    sim: Simulation,
    user: SimUser,
    event: Event,
    *,
    name: str = "Alice Smith",
    organisation: str = "Akmenė District Municipality",
    lang: str = "en",
) -> None:
    """Open the invitation and go through consent, name and organisation."""
    tr = sim.services.translator
    await user.send(f"/start e_{event.invite_code}")
    await user.press(tr.text(lang, "btn-consent"))
    await user.send(name)
    await user.send(organisation)
