"""Authorisation matrix, built from the handlers the Application really registered.

Whatever another area adds later is covered without touching this file:

* every CommandHandler and CallbackQueryHandler whose callback carries the
  ``organiser_only`` marker is tried by a non-organiser: refused with "This is for
  organisers only." and the database unchanged (all tables compared before and after);
* every command that looks like an organiser's (in the organiser command menu, or in an
  organiser command registry of a handler module) must be registered with the marker,
  and so must every button handler for an organiser callback pattern;
* every organiser text flow, with a state planted for a non-organiser, is not entered.
"""

from __future__ import annotations

import importlib
import itertools
import json
import logging
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import MISSING, fields
from enum import StrEnum
from typing import Any, get_type_hints

import pytest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

import bot.handlers
from bot import callbacks
from bot.app import PARTICIPANT_MENU, KvietimasApplication
from bot.callbacks import CallbackData
from bot.handlers import flows
from bot.models import PendingInput
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID, add_event

REFUSAL = "This is for organisers only."
MALLORY = 6666
# Participant commands may share nothing with the organiser registries.
PARTICIPANT_COMMANDS = frozenset({"start", *PARTICIPANT_MENU})


# -- what the Application registered -------------------------------------------------------


def all_handlers(app: KvietimasApplication) -> Iterator[BaseHandler[Any, Any, Any]]:
    for group in sorted(app.handlers):
        yield from app.handlers[group]


def is_guarded(handler: BaseHandler[Any, Any, Any]) -> bool:
    return getattr(handler.callback, "organiser_only", False) is True


def guarded_name(handler: BaseHandler[Any, Any, Any]) -> str:
    """The wrapped function's name, as organiser_only logs it when it refuses."""
    return str(getattr(handler.callback, "__name__", repr(handler.callback)))


def handler_modules() -> list[Any]:
    return [
        importlib.import_module(f"bot.handlers.{info.name}")
        for info in pkgutil.iter_modules(bot.handlers.__path__)
    ]


def organiser_command_registries() -> dict[str, str]:
    """command -> where it was found: every ``*COMMANDS`` collection of a handler module
    (participant-facing modules aside) and the organiser module's ``COMMANDS``."""
    found: dict[str, str] = {}
    for module in handler_modules():
        short = module.__name__.rsplit(".", 1)[-1]
        if short in ("participant", "privacy", "common", "flows"):
            continue
        for attr, value in vars(module).items():
            if not attr.endswith("COMMANDS") or "PARTICIPANT" in attr:
                continue
            if isinstance(value, dict | tuple | list | set | frozenset):
                for name in value:
                    if isinstance(name, str):
                        found.setdefault(name, f"{module.__name__}.{attr}")
    return found


def organiser_patterns() -> list[re.Pattern[str]]:
    """Callback patterns named as organisers' (``ORGANISER_PATTERN``, ``ORG_*_PATTERN``)."""
    patterns: list[re.Pattern[str]] = []
    modules = [callbacks, *handler_modules()]
    for module in modules:
        for attr, value in vars(module).items():
            if (
                attr.endswith("PATTERN")
                and ("ORGANISER" in attr or attr.startswith("ORG_"))
                and isinstance(value, re.Pattern)
                and value not in patterns
            ):
                patterns.append(value)
    return patterns


def pattern_matches(handler: CallbackQueryHandler[Any, Any], data: str) -> bool:
    pattern = handler.pattern
    if isinstance(pattern, re.Pattern):
        return pattern.match(data) is not None
    if isinstance(pattern, str):
        return re.match(pattern, data) is not None
    if callable(pattern) and not isinstance(pattern, type):
        return bool(pattern(data))
    return pattern is None


def callback_samples(event_id: int) -> list[str]:
    """Well-formed data of every registered CallbackData class, every enum value."""
    samples: list[str] = []
    for cls in list(callbacks._REGISTRY.values()):
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
        for values in itertools.product(*choices):
            try:
                samples.append(cls(*values).pack())  # type: ignore[arg-type]
            except (ValueError, TypeError):
                continue
    return samples


def literal_prefix(handler: CallbackQueryHandler[Any, Any]) -> str | None:
    """For a pattern no known CallbackData matches: its literal start, e.g. ``v1:xx:``."""
    pattern = handler.pattern
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    if not isinstance(source, str):
        return None
    literal = re.match(r"\^?([A-Za-z0-9:_-]+)", source)
    return None if literal is None else literal.group(1) + "1"


# -- watching the bot ----------------------------------------------------------------------


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
    tables = await sim.db.database.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    out: dict[str, list[str]] = {}
    for (table,) in tables:
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


# -- the matrix ----------------------------------------------------------------------------


async def test_every_organiser_command_refuses_a_non_organiser(
    sim: Simulation, refusals: Refusals
) -> None:
    assert sim.app is not None
    event = await add_event(sim)
    mallory, _ = await non_organiser(sim)
    guarded = [h for h in all_handlers(sim.app) if isinstance(h, CommandHandler) and is_guarded(h)]
    commands = sorted({name for h in guarded for name in h.commands})
    assert {"events", "newevent", "editevent", "rsvps", "invite"} <= set(commands)
    for command in commands:
        before = await dump(sim)
        for text in (f"/{command}", f"/{command} {event.id}", f"/{command} 1 x"):
            refusals.names.clear()
            await mallory.send(text)
            assert mallory.last_text == REFUSAL, text
            assert refusals.names, text
        assert await dump(sim) == before, f"/{command} changed the database"


async def test_every_organiser_button_refuses_a_non_organiser(
    sim: Simulation, refusals: Refusals
) -> None:
    assert sim.app is not None
    event = await add_event(sim)
    mallory, keyboard = await non_organiser(sim)
    samples = callback_samples(event.id)
    guarded = [
        h for h in all_handlers(sim.app) if isinstance(h, CallbackQueryHandler) and is_guarded(h)
    ]
    assert guarded, "no organiser button handler found"
    tried = 0
    for handler in guarded:
        matching = [s for s in samples if pattern_matches(handler, s)]
        prefix = literal_prefix(handler)
        if not matching and prefix is not None:
            matching = [prefix]
        assert matching, f"cannot make callback data for {guarded_name(handler)}"
        for data in matching:
            before = await dump(sim)
            refusals.names.clear()
            await mallory.press_data(data, message_id=keyboard)
            assert last_alert(sim) == REFUSAL, data
            assert refusals.names == [guarded_name(handler)], (data, refusals.names)
            assert await dump(sim) == before, f"{data} changed the database"
            tried += 1
    assert tried >= len(callbacks.OrgAction)


async def test_organiser_text_flows_are_not_entered_by_others(sim: Simulation) -> None:
    assert sim.app is not None
    await add_event(sim)
    mallory, _ = await non_organiser(sim)
    kinds = sorted(kind for kind, spec in flows._FLOWS.items() if spec.organiser)
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
    guarded = [h for h in all_handlers(sim.app) if isinstance(h, CommandHandler) and is_guarded(h)]
    for command in sorted({name for h in guarded for name in h.commands}):
        await organiser.send(f"/{command}")
        await organiser.send("/cancel")
    assert refusals.names == []


# -- nothing organiser-like without the marker ---------------------------------------------


def _unguarded_organiser_handlers(
    app: KvietimasApplication, names: dict[str, str], samples: list[str]
) -> list[str]:
    problems = []
    org_patterns = organiser_patterns()
    org_samples = [s for s in samples if any(p.match(s) for p in org_patterns)]
    for handler in all_handlers(app):
        if is_guarded(handler):
            continue
        if isinstance(handler, CommandHandler):
            for command in sorted(handler.commands & set(names)):
                problems.append(f"/{command} ({names[command]}) -> {guarded_name(handler)}")
        elif isinstance(handler, CallbackQueryHandler):
            if handler.pattern in org_patterns:
                problems.append(f"pattern {handler.pattern} -> {guarded_name(handler)}")
                continue
            # A catch-all may see organiser data only after the guarded handler declined it.
            for data in org_samples:
                if pattern_matches(handler, data) and not _taken_earlier(app, handler, data):
                    problems.append(f"button {data} -> {guarded_name(handler)}")
                    break
    return problems


def _taken_earlier(
    app: KvietimasApplication, handler: CallbackQueryHandler[Any, Any], data: str
) -> bool:
    """PTB gives an update to the first matching handler of *each* group: a catch-all is
    harmless only behind a guarded handler of its own group."""
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


async def test_no_organiser_command_or_button_is_registered_without_the_check(
    sim: Simulation,
) -> None:
    assert sim.app is not None
    names = organiser_command_registries()
    for command in organiser_menu(sim):
        names.setdefault(command, "the organisers' command menu")
    assert {"events", "newevent", "schedule"} <= set(names), names
    assert not (set(names) & PARTICIPANT_COMMANDS), set(names) & PARTICIPANT_COMMANDS
    problems = _unguarded_organiser_handlers(sim.app, names, callback_samples(1))
    assert problems == [], "organiser handlers registered without organiser_only"
    registered = {
        c for h in all_handlers(sim.app) if isinstance(h, CommandHandler) for c in h.commands
    }
    assert sorted(set(names) - registered) == [], "organiser commands listed but not registered"


def test_the_check_itself_notices_a_forgotten_marker(tmp_path: Any) -> None:
    """Register an organiser command and button without organiser_only: caught."""
    from bot.app import build_application
    from bot.config import explicit_settings
    from bot.handlers.organiser import events_command

    settings = explicit_settings(
        telegram={"token": "1:x"}, database={"path": str(tmp_path / "x.sqlite3")}
    )
    app = build_application(settings)
    app.add_handler(CommandHandler("events", events_command), group=-5)
    noop: Callable[..., Any] = events_command
    app.add_handler(CallbackQueryHandler(noop, pattern=callbacks.ORGANISER_PATTERN), group=-5)
    problems = _unguarded_organiser_handlers(
        app, organiser_command_registries(), callback_samples(1)
    )
    assert any(p.startswith("/events") for p in problems), problems
    assert any(p.startswith("pattern") for p in problems), problems


def test_callback_samples_cover_every_registered_class() -> None:
    prefixes = {s.split(":")[1] for s in callback_samples(7)}
    assert set(callbacks._REGISTRY) <= prefixes
    assert all(isinstance(callbacks.parse(s), CallbackData) for s in callback_samples(7))
