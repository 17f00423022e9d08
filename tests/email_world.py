"""A small world for the e-mail invitation tests: a database with the example event and an
imported list, and the services of a bot with ``[email]`` set (no Telegram needed)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.events import import_event
from bot.i18n import Translator
from bot.invitations import new_codes
from bot.models import Event, ImportRow
from bot.services import Services
from bot.storage import storage_for
from tests.conftest import EXAMPLE_EVENT, START

EMAIL_SETTINGS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 2525,
    "from_address": "mokymai@akmene.lt",
    "from_name": "Akmenės mokymai",
    "reply_to": "rasa@akmene.lt",
    "public_url": "https://bot.example.lt",
    "unsubscribe_secret": "a-secret-for-the-tests",
}

PEOPLE = (
    ("Rūta Vasiliauskienė", "ruta@akmene.lt", "Akmenės biblioteka"),
    ("Jonas Petrauskas", "jonas@uzimtumas.lt", "Užimtumo tarnyba"),
    ("Olena Kovalenko", "olena@akmene.lt", "Akmenės biblioteka"),
    ("Be adreso", None, "Akmenės biblioteka"),
)


def rows(people: Sequence[tuple[str, str | None, str]] = PEOPLE) -> list[ImportRow]:
    return [
        ImportRow(row=i + 2, name=n, email=e, organisation=o, role=None, category=None)
        for i, (n, e, o) in enumerate(people)
    ]


def settings(tmp: Path, **email: Any) -> Any:
    return explicit_settings(
        telegram={"token": "123456:TEST-TOKEN", "username": "kvietimas_test_bot"},
        organisers=[1000],
        database={"path": str(tmp / "bot.sqlite3")},
        organisation_name="Akmenės rajono savivaldybė",
        email={**EMAIL_SETTINGS, **email},
    )


@asynccontextmanager
async def world(
    tmp: Path, *, fresh: bool = True, **email: Any
) -> AsyncIterator[tuple[Services, Event]]:
    """Services of a bot with e-mail on, the example event, the list imported to it
    (``fresh=False``: the database of an earlier world, as it is)."""
    config = settings(tmp, **email)
    storage = storage_for(config)
    await storage.open()
    clock = FakeClock(START)
    services = Services(
        settings=config, db=storage, translator=Translator("lt"), clock=clock,
        bot_username="kvietimas_test_bot",
    )  # fmt: skip
    try:
        if not fresh:
            event = await storage.events.get_event(1)
            assert event is not None
            yield services, event
            return
        event, _ = await import_event(
            storage, EXAMPLE_EVENT.read_text(encoding="utf-8"), default_zone="Europe/Vilnius",
            now=clock.now(),
        )  # fmt: skip
        listed = rows()
        await storage.invitations.import_participants(
            listed, codes=new_codes(len(listed)), event_id=event.id, now=clock.now()
        )
        yield services, event
    finally:
        await storage.close()
