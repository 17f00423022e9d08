"""Authorisation by construction, proven from the routes the Application declared.

Whether a route is an organiser's is one flag: ``organiser=True`` on a command's
declaration, ``organiser`` on a callback-data class. ``Routes.install`` puts exactly those
behind the one gate (bot/handlers/routing.py). So:

* every declared organiser command and every organiser callback class (every value of
  every field) is forged by a non-organiser: refused with "This is for organisers only."
  and the database unchanged (all tables compared before and after);
* clearing the flag of any one of them, on a freshly built application, makes that very
  refusal check fail: the gate depends on the flag, nothing else stands in for it;
* every organiser text flow, with a state planted for a non-organiser, is not entered;
* nothing installed answers organiser commands or data without the gate.

A route or class added later is covered without touching this file.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Awaitable, Iterator
from dataclasses import MISSING, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.app import PARTICIPANT_MENU, KvietimasApplication
from bot.callbacks import CallbackData
from bot.clock import FakeClock
from bot.handlers.routing import Routes
from bot.models import Event, PendingInput
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID, START, add_event

REFUSAL = "This is for organisers only."
MALLORY = 6666
PARTICIPANT_COMMANDS = frozenset({"start", *PARTICIPANT_MENU})
# A floor, so that a flag removed from one of today's routes is noticed too; whatever is
# declared beyond these is covered all the same.
KNOWN_COMMANDS = (
    "events", "newevent", "editevent", "rsvps", "invite", "broadcast", "postcard", "personal",
    "schedule", "scores", "export", "survey", "attendance", "checkin", "report",
)  # fmt: skip
KNOWN_CLASSES = (
    "OrganiserPress", "BroadcastPress", "AttendancePress", "SchedulePress", "OrgSurveyPress"
)  # fmt: skip


# -- what the Application declared and installed ---------------------------------------------


def routes_of(app: KvietimasApplication) -> Routes:
    return app.routes


def organiser_commands(app: KvietimasApplication) -> list[str]:
    return [c.name for c in routes_of(app).organiser_commands()]


def organiser_classes(app: KvietimasApplication) -> list[type[CallbackData]]:
    return [k for k in routes_of(app).button_classes() if k.organiser]


def all_handlers(app: KvietimasApplication) -> Iterator[BaseHandler[Any, Any, Any]]:
    for group in sorted(app.handlers):
        yield from app.handlers[group]


def is_guarded(handler: BaseHandler[Any, Any, Any]) -> bool:
    return getattr(handler.callback, "organiser_only", False) is True


def guarded_name(handler: BaseHandler[Any, Any, Any]) -> str:
    """The wrapped function's name, as organiser_only logs it when it refuses."""
    return str(getattr(handler.callback, "__name__", repr(handler.callback)))


def pattern_matches(handler: CallbackQueryHandler[Any, Any], data: str) -> bool:
    pattern = handler.pattern
    if isinstance(pattern, re.Pattern):
        return pattern.match(data) is not None
    if isinstance(pattern, str):
        return re.match(pattern, data) is not None
    if callable(pattern) and not isinstance(pattern, type):
        return bool(pattern(data))
    return pattern is None


def samples_of(cls: type[CallbackData], event_id: int) -> list[str]:
    """Well-formed data of one class: every enum value of every field."""
    hints = get_type_hints(cls)
    choices: list[list[Any]] = []
    for f in fields(cls):  # type: ignore[arg-type]
        kind = hints[f.name]
        if kind is int:
            choices.append([event_id])
        elif isinstance(kind, type) and issubclass(kind, StrEnum):
            choices.append(list(kind))
        elif f.default is not MISSING:
            choices.append([f.default])
        else:
            choices.append(["x"])
    samples = []
    for values in itertools.product(*choices):
        try:
            samples.append(cls(*values).pack())
        except (ValueError, TypeError):
            continue
    return samples


def callback_samples(event_id: int) -> list[str]:
    """Well-formed data of every callback-data class, every enum value."""
    return [s for cls in callbacks.all_classes() for s in samples_of(cls, event_id)]


def literal_prefix(handler: CallbackQueryHandler[Any, Any]) -> str | None:
    """For a pattern no known CallbackData matches: its literal start, e.g. ``v1:xx:``."""
    pattern = handler.pattern
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    if not isinstance(source, str):
        return None
    literal = re.match(r"\^?([A-Za-z0-9:_-]+)", source)
    return None if literal is None else literal.group(1) + "1"


# -- watching the bot ------------------------------------------------------------------------


class Refusals(logging.Handler):
    """Names of the handlers organiser_only refused, from its log line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("refused organiser action") and record.args:
            self.names.append(str(record.args[0]))  # type: ignore[index]


@pytest.fixture
def refusals() -> Iterator[Refusals]:
    handler = Refusals()
    logger = logging.getLogger("bot.handlers.common")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


async def dump(sim: Simulation) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for table in (t.name for t in await sim.db.database.list_tables()):
        rows = await sim.db.database.fetch_all(f'SELECT * FROM "{table}"')
        out[table] = sorted(json.dumps(list(r), default=str) for r in rows)
    return out


def last_alert(sim: Simulation) -> str:
    answered = list(sim.emulator.answered_callbacks.values())
    return str(answered[-1].get("text")) if answered else ""


async def non_organiser(sim: Simulation) -> tuple[SimUser, int]:
    """Mallory, known to the bot (her first contact is not part of what is compared), with
    a message carrying buttons to press forged data on."""
    mallory = sim.user(MALLORY, "Mallory", language="en")
    await mallory.send("/start")
    await mallory.send("/language")
    return mallory, mallory.last.message_id


def organiser_menu(sim: Simulation) -> set[str]:
    """Commands in an organiser's own menu that participants do not get."""
    scopes = {key[0]: value for key, value in sim.emulator.commands.items()}
    mine = json.dumps({"chat_id": ORGANISER_ID, "type": "chat"}, sort_keys=True)
    everyone = json.dumps({"type": "default"}, sort_keys=True)
    names = {c["command"] for c in scopes.get(mine, [])}
    return names - {c["command"] for c in scopes.get(everyone, [])}


# -- the refusal checks (used as they are by the flag-clearing test) ---------------------------


async def check_command_refused(
    sim: Simulation, mallory: SimUser, refusals: Refusals, command: str, event: Event
) -> None:
    before = await dump(sim)
    for text in (f"/{command}", f"/{command} {event.id}", f"/{command} 1 x"):
        refusals.names.clear()
        await mallory.send(text)
        assert mallory.last_text == REFUSAL, text
        assert refusals.names, text
    assert await dump(sim) == before, f"/{command} changed the database"


async def check_class_refused(
    sim: Simulation,
    mallory: SimUser,
    keyboard: int,
    refusals: Refusals,
    cls: type[CallbackData],
    event: Event,
) -> int:
    samples = samples_of(cls, event.id)
    assert samples, f"cannot make callback data for {cls.__name__}"
    for data in samples:
        before = await dump(sim)
        refusals.names.clear()
        await mallory.press_data(data, message_id=keyboard)
        assert last_alert(sim) == REFUSAL, data
        assert refusals.names, data
        assert await dump(sim) == before, f"{data} changed the database"
    return len(samples)


# -- the matrix --------------------------------------------------------------------------------


async def test_every_organiser_command_refuses_a_non_organiser(
    sim: Simulation, refusals: Refusals
) -> None:
    assert sim.app is not None
    event = await add_event(sim)
    mallory, _ = await non_organiser(sim)
    commands = organiser_commands(sim.app)
    assert set(KNOWN_COMMANDS) <= set(commands)
    for command in commands:
        await check_command_refused(sim, mallory, refusals, command, event)


async def test_every_organiser_button_class_refuses_a_non_organiser(
    sim: Simulation, refusals: Refusals
) -> None:
    assert sim.app is not None
    event = await add_event(sim)
    mallory, keyboard = await non_organiser(sim)
    classes = organiser_classes(sim.app)
    assert {c.__name__ for c in classes} >= set(KNOWN_CLASSES)
    tried = 0
    for cls in classes:
        tried += await check_class_refused(sim, mallory, keyboard, refusals, cls, event)
    assert tried >= len(callbacks.OrgAction)


async def test_organiser_text_flows_are_not_entered_by_others(sim: Simulation) -> None:
    assert sim.app is not None
    await add_event(sim)
    mallory, _ = await non_organiser(sim)
    kinds = sorted(kind for kind, flow in routes_of(sim.app).flows.items() if flow.organiser)
    assert "newevent" in kinds
    for kind in kinds:
        for step in ("title", "preview", "x"):
            state = PendingInput(MALLORY, kind, {"step": step, "draft": {}, "event_id": 1})
            await sim.db.people.set_pending_input(state, sim.clock.now())
            before = await dump(sim)
            await mallory.send("Mallory's event 2027-03-10 10:00")
            after = await dump(sim)
            assert await sim.db.people.get_pending_input(MALLORY) is None, kind
            del before["pending_inputs"], after["pending_inputs"]
            assert after == before, f"{kind}/{step} changed the database"


async def test_organisers_themselves_are_let_through(
    sim: Simulation, organiser: SimUser, refusals: Refusals
) -> None:
    """The matrix above proves something only if the same commands work for organisers."""
    assert sim.app is not None
    await add_event(sim)
    for command in organiser_commands(sim.app):
        await organiser.send(f"/{command}")
        await organiser.send("/cancel")
    assert refusals.names == []


# -- the gate depends on the flag, and on nothing else ----------------------------------------


def _flagged_routes(tmp_path: Path) -> tuple[list[str], list[type[CallbackData]]]:
    from bot.app import build_application
    from bot.config import explicit_settings

    settings = explicit_settings(
        telegram={"token": "1:x"}, database={"path": str(tmp_path / "routes.sqlite3")}
    )
    app = build_application(settings)
    return organiser_commands(app), organiser_classes(app)


async def test_clearing_any_organiser_flag_fails_the_refusal_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusals: Refusals
) -> None:
    """For each organiser command and class in turn: a fresh application with that one flag
    cleared no longer refuses Mallory, so the checks above would fail. (Removing the gate
    from the broadcast buttons once left every test green; it cannot any more.)"""
    commands, classes = _flagged_routes(tmp_path)
    assert set(KNOWN_COMMANDS) <= set(commands)
    assert set(KNOWN_CLASSES) <= {c.__name__ for c in classes}
    install = Routes.install
    targets: list[str | type[CallbackData]] = [*commands, *classes]
    for number, target in enumerate(targets):
        with monkeypatch.context() as patch:
            if isinstance(target, str):

                def cleared(self: Routes, app: Any, name: str = target) -> None:
                    self.commands = [
                        replace(c, organiser=False, in_groups=False) if c.name == name else c
                        for c in self.commands
                    ]
                    install(self, app)

                patch.setattr(Routes, "install", cleared)
            else:
                patch.setattr(target, "organiser", False)
            path = tmp_path / f"cleared-{number}.sqlite3"
            async with Simulation(path, clock=FakeClock(START), organisers=(ORGANISER_ID,)) as sim:
                event = await add_event(sim)
                mallory, keyboard = await non_organiser(sim)
                check: Awaitable[Any] = (
                    check_command_refused(sim, mallory, refusals, target, event)
                    if isinstance(target, str)
                    else check_class_refused(sim, mallory, keyboard, refusals, target, event)
                )
                with pytest.raises(AssertionError) as failed:
                    await check
                # It is the refusal itself that failed (the first forged command or data).
                first = f"/{target}" if isinstance(target, str) else samples_of(target, event.id)[0]
                assert str(failed.value).startswith(first + "\n"), (target, str(failed.value))


# -- nothing organiser-like without the gate --------------------------------------------------


def test_every_organiser_class_is_declared_and_prefixes_are_unique(tmp_path: Path) -> None:
    commands, classes = _flagged_routes(tmp_path)
    defined = callbacks.all_classes()
    assert len({c.prefix for c in defined}) == len(defined), "a callback prefix used twice"
    missing = [c.__name__ for c in defined if c.organiser and c not in classes]
    assert missing == [], "organiser button classes no route answers"
    assert not (set(commands) & PARTICIPANT_COMMANDS)


async def test_nothing_installed_answers_organiser_routes_without_the_gate(
    sim: Simulation,
) -> None:
    assert sim.app is not None
    commands = set(organiser_commands(sim.app))
    assert organiser_menu(sim) == commands, "the organisers' menu is the organiser routes"
    org_samples = [s for cls in organiser_classes(sim.app) for s in samples_of(cls, 1)] + [
        f"{callbacks.VERSION}:{cls.prefix}:x" for cls in organiser_classes(sim.app)
    ]
    problems = []
    for handler in all_handlers(sim.app):
        if isinstance(handler, CommandHandler):
            names = handler.commands & commands
            if names and not is_guarded(handler):
                problems.append(f"/{sorted(names)} -> {guarded_name(handler)}")
        elif isinstance(handler, CallbackQueryHandler) and not is_guarded(handler):
            # A catch-all may see organiser data only after a gated handler took it.
            for data in org_samples:
                if pattern_matches(handler, data) and not _taken_earlier(sim.app, handler, data):
                    problems.append(f"button {data} -> {guarded_name(handler)}")
                    break
    assert problems == [], "organiser routes answered without the gate"


def _taken_earlier(
    app: KvietimasApplication, handler: CallbackQueryHandler[Any, Any], data: str
) -> bool:
    """PTB gives an update to the first matching handler of *each* group: a catch-all is
    harmless only behind a gated handler of its own group."""
    for handlers in app.handlers.values():
        if handler not in handlers:
            continue
        for other in handlers[: handlers.index(handler)]:
            if (
                isinstance(other, CallbackQueryHandler)
                and is_guarded(other)
                and pattern_matches(other, data)
            ):
                return True
    return False


def test_callback_samples_cover_every_class() -> None:
    prefixes = {s.split(":")[1] for s in callback_samples(7)}
    assert {c.prefix for c in callbacks.all_classes()} <= prefixes
    assert all(isinstance(callbacks.parse(s), CallbackData) for s in callback_samples(7))
