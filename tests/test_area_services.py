"""The events, participants and rsvp areas: the services decide, the handlers only translate.

The wizard, the registration steps and an answer are driven here without Telegram, through
the service functions the handlers call; and the layering itself is checked (handlers of
these areas reach no storage, services import no Telegram types)."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

from bot import access, rsvp
from bot import events as event_service
from bot import participants as people
from bot.events import NEW_FLOW, Screen
from bot.models import PendingInput, RsvpStatus
from bot.sim import Simulation
from tests.conftest import ORGANISER_ID, add_event

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = ("events", "participants", "rsvp")
SERVICES = ("bot/events.py", "bot/participants.py", "bot/rsvp.py")


def _texts(screen: Screen) -> list[str]:
    return [m.text for m in screen.messages]


async def _step(sim: Simulation, text: str) -> Screen:
    state = await sim.db.people.get_pending_input(ORGANISER_ID)
    assert state is not None
    assert state.kind == NEW_FLOW
    return await event_service.typed_new(sim.services, "en", state, text)


async def test_the_event_wizard_runs_without_telegram(sim: Simulation) -> None:
    tr = sim.services.translator
    first = await event_service.start_new(sim.services, "en", ORGANISER_ID)
    assert _texts(first)[0] == tr.text("en", "new-intro")
    assert len(first.messages) == 2
    assert first.link_event_id is None
    await _step(sim, "Jonavos rajono mokymai")
    await event_service.skip(sim.services, "en", ORGANISER_ID)  # no programme
    await _step(sim, "2027-03-16 10:00")
    refused = await _step(sim, "09:00")  # before the start: said, nothing advanced
    assert _texts(refused) == [tr.text("en", "error-end-before-start")]
    await _step(sim, "15:30")
    await _step(sim, "Žeimių g. 13, Jonava")
    for _ in range(5):  # hall, capacity, deadline, agenda, description
        last = await event_service.skip(sim.services, "en", ORGANISER_ID)
    assert "Jonavos rajono mokymai" in _texts(last)[0]
    assert (
        await sim.db.events.list_events(ends_after=sim.clock.now()) == []
    )  # a preview saves nothing
    saved = await event_service.save(sim.services, "en", ORGANISER_ID, 0)
    [event] = await sim.db.events.list_events(ends_after=sim.clock.now())
    assert event.title == "Jonavos rajono mokymai"
    assert event.address == "Žeimių g. 13, Jonava"
    assert saved.link_event_id == event.id
    assert await sim.db.people.get_pending_input(ORGANISER_ID) is None


async def test_a_save_of_another_events_draft_is_refused_by_the_service(sim: Simulation) -> None:
    event = await add_event(sim)
    await event_service.edit_field(sim.services, "en", ORGANISER_ID, event.id, "title")
    state = await sim.db.people.get_pending_input(ORGANISER_ID)
    assert state is not None
    await event_service.typed_edit(sim.services, "en", state, "A new title")
    screen = await event_service.save(sim.services, "en", ORGANISER_ID, event.id + 1)
    expected = sim.services.translator.text(
        "en", "edit-save-other-event", pressed=event.id + 1, current=event.id
    )
    assert _texts(screen) == [expected]
    stored = await sim.db.events.get_event(event.id)
    assert stored is not None
    assert stored.title == event.title


async def test_registration_steps_run_without_telegram(sim: Simulation) -> None:
    tr = sim.services.translator
    event = await add_event(sim)
    consent = await people.begin(sim.services, "en", 2001, None, event.id, invite=True)
    assert consent.message.text.startswith(tr.text("en", "consent-text", organiser="")[:10])
    assert consent.message.buttons
    assert not consent.done
    person = await sim.db.people.ensure_participant(2001, language="en", now=sim.clock.now())
    agreed = await people.agree(sim.services, person, 2001, event.id)
    assert agreed.remove_button
    assert agreed.step is not None
    assert agreed.step.message.text == tr.text("en", "register-ask-name")
    # The link that began the registration invited them; a second tap asks nothing again.
    assert await access.require_invitation(sim.services, person, event.id)
    assert (await people.agree(sim.services, person, 2001, event.id)).step is None
    state = await sim.db.people.get_pending_input(2001)
    assert state is not None
    short = await people.answer_field(sim.services, "en", agreed.step.participant, state, "A")
    assert short.message.text == tr.text("en", "error-name", max=people.MAX_NAME)
    named = await people.answer_field(
        sim.services, "en", agreed.step.participant, state, "  Alice   Smith "
    )
    assert named.message.text == tr.text("en", "register-ask-organisation")
    assert named.participant is not None
    assert named.participant.name == "Alice Smith"
    done = await people.answer_field(sim.services, "en", named.participant, state, "Akmenė")
    assert done.done
    assert done.event_id == event.id
    assert done.message.text == tr.text("en", "register-done", name="Alice Smith")
    assert done.participant is not None
    card = await people.card_after_registration(sim.services, done.participant, event.id)
    assert card is not None
    assert event.title in card.text


async def test_an_answer_after_the_deadline_is_an_alert_and_no_card(sim: Simulation) -> None:
    event = await add_event(sim)
    person = await sim.db.people.ensure_participant(2002, language="en", now=sim.clock.now())
    assert event.rsvp_deadline is not None
    sim.clock.set(event.rsvp_deadline + timedelta(minutes=1))
    shown = await rsvp.press(sim.services, person, event.id, RsvpStatus.YES)
    assert shown.alert
    assert shown.card is None
    assert shown.toast == sim.services.translator.text("en", "rsvp-refused-deadline")
    assert await sim.db.rsvps.get_rsvp(event.id, person.id) is None


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_these_handlers_reach_no_storage() -> None:
    for name in HANDLERS:
        path = ROOT / "bot" / "handlers" / f"{name}.py"
        source = path.read_text(encoding="utf-8")
        assert re.search(r"\.db\b", source) is None, path
        assert not any(m.startswith("bot.storage") for m in _imports(path)), path


def test_these_services_import_no_telegram() -> None:
    for name in SERVICES:
        imported = _imports(ROOT / name)
        assert not any(m == "telegram" or m.startswith("telegram.") for m in imported), name


def test_a_pending_input_of_another_flow_is_not_a_registration() -> None:
    other = PendingInput(1, "survey", {"event_id": 5, "invite": 1})
    assert not people._invited_by_link(other, 5)
    mine = PendingInput(1, people.REGISTER_FLOW, {"event_id": 5, "invite": 1})
    assert people._invited_by_link(mine, 5)
    assert not people._invited_by_link(mine, 6)
