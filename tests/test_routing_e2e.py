"""Routes in one place (bot/handlers/routing.py): built per application, the person read
once per update, and one way for every organiser command to name an event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.callbacks import OrganiserPress, RsvpPress
from bot.config import explicit_settings
from bot.events import parse_event_ref
from bot.handlers.routing import Routes
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register

NOT_FOUND = "There is no such event (it may have been cancelled)."


async def _noop(*_: Any) -> None:
    return None


def _app(tmp_path: Path, name: str) -> Any:
    settings = explicit_settings(
        telegram={"token": "1:x"}, database={"path": str(tmp_path / f"{name}.sqlite3")}
    )
    return build_application(settings)


def test_each_application_has_its_own_routes(tmp_path: Path) -> None:
    """Nothing is kept at module level: a second application adds no second hook."""
    first, second = _app(tmp_path, "a"), _app(tmp_path, "b")
    assert first.routes is not second.routes
    for app in (first, second):
        assert len(app.routes.cancel_hooks) == 1
        assert len(app.routes.after_registration) == 1
        assert set(app.routes.attachments) == {"certificate"}
        assert {"newevent", "register", "survey"} <= set(app.routes.flows)


def test_routes_refuse_ambiguous_declarations() -> None:
    r = Routes()
    r.command("x", _noop, organiser=True)
    with pytest.raises(ValueError, match="twice"):
        r.command("x", _noop, organiser=False)
    with pytest.raises(ValueError, match="in_groups"):
        r.command("y", _noop, organiser=False, in_groups=True)
    with pytest.raises(ValueError, match="mixed"):
        r.button(_noop, OrganiserPress, RsvpPress)
    r.button(_noop, RsvpPress)
    with pytest.raises(ValueError, match="twice"):
        r.button(_noop, RsvpPress)


def test_one_reading_of_an_event_argument() -> None:
    assert parse_event_ref("12") == 12
    assert parse_event_ref(" #12 ") == 12
    assert parse_event_ref("akmene-2027-03") == "akmene-2027-03"
    for bad in ("", "#", "Akmenė", "12;DROP", "1" * 12, "a b"):
        assert parse_event_ref(bad) is None, bad


async def test_person_is_read_once_per_press(sim: Simulation, organiser: SimUser) -> None:
    """One participant look-up per update (group -1), not one per helper (3 before)."""
    event = await add_event(sim)
    alice = sim.user(2001, "Alice", language="en")
    await register(sim, alice, event)
    counted: Counter[str] = Counter()
    original = sim.db.people.get_participant_by_telegram

    async def counting(telegram_id: int) -> Any:
        counted[str(telegram_id)] += 1
        return await original(telegram_id)

    sim.db.people.get_participant_by_telegram = counting  # type: ignore[method-assign]
    actions: list[Callable[[], Awaitable[None]]] = [
        lambda: alice.press("✅ Yes"),
        lambda: alice.send("/my"),
        lambda: organiser.send("/events"),
    ]
    for act in actions:
        counted.clear()
        await act()
        assert sum(counted.values()) == 1, counted
    assert event.title in alice.last_text  # /my lists the event answered


async def test_language_chosen_is_used_in_the_same_update(sim: Simulation) -> None:
    """A handler that changes the person refreshes them: the next answer speaks the new
    language at once."""
    event = await add_event(sim)
    alice = sim.user(2001, "Alice", language="en")
    await register(sim, alice, event)
    await alice.send("/language")
    await alice.press("🇱🇹 Lietuvių")
    await alice.send("/help")
    assert "siunčia Jums kvietimus" in alice.last_text


async def test_every_organiser_command_names_an_event_by_id_or_slug(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    assert event.slug == "akmene-2027-03"
    for command in ("rsvps", "attendance", "schedule", "editevent", "broadcast"):
        await organiser.send(f"/{command} {event.slug}")
        by_slug = organiser.last_text
        await organiser.send("/cancel")
        await organiser.send(f"/{command} #{event.id}")
        assert organiser.last_text == by_slug, command
        assert by_slug != NOT_FOUND, command
        await organiser.send("/cancel")
        await organiser.send(f"/{command} no-such-event")
        assert organiser.last_text == NOT_FOUND, command
        await organiser.send(f"/{command} 999")
        assert organiser.last_text == NOT_FOUND, command
        await organiser.send("/cancel")
    await organiser.send(f"/scores {event.slug}")
    by_slug = organiser.last_text
    await organiser.send(f"/scores {event.id}")
    assert organiser.last_text == by_slug
    assert event.title in by_slug
