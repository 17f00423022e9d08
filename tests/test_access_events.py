"""Access to events follows invitations, not ids (docs/privacy.md, bot/access.py).

Event ids are sequential, so an attacker types button data naming an event she was never
invited to. Every such press gets the "no longer valid" alert: nothing stored, nothing
revealed. The last test forges every participant button class that names an event, so a
button added later is covered without touching this file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.broadcast import CampaignKind, Segment, SegmentKind, activate, queue_campaign
from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.test_authz import callback_samples, dump, is_guarded, pattern_matches

STALE = "This button is no longer valid. Send /my to see your events."
SECRET_URL = "https://meet.example.org/secret?pwd=hunter2"
# Starts half an hour after the tests' clock: the join window is open.
SECRET_EVENT = f"""
slug = "slaptas"
title = "Slaptas nuotolinis seminaras"
starts = 2027-03-01T09:30:00
ends = 12:00:00
capacity = 5
online_url = "{SECRET_URL}"
"""


def answered(sim: Simulation) -> dict[str, Any]:
    return list(sim.emulator.answered_callbacks.values())[-1]


async def setting(sim: Simulation) -> tuple[Event, Event, SimUser]:
    """Mallory is registered and invited to the open event, not to the secret one."""
    public = await add_event(sim)
    secret = await add_event(sim, SECRET_EVENT)
    mallory = sim.user(2666, "Mallory")
    await register(sim, mallory, public, name="Mallory Smith")
    return public, secret, mallory


def saw(user: SimUser, text: str) -> bool:
    return any(text in str(m.raw_text or "") for m in user.messages)


async def forge(sim: Simulation, user: SimUser, data: str) -> None:
    """Press ``data`` on the last message with buttons in the user's private chat."""
    await user.press_data(data)


async def test_typed_card_rsvp_calendar_and_join_buttons_reach_nothing(sim: Simulation) -> None:
    _, secret, mallory = await setting(sim)
    for data in (
        f"v1:card:{secret.id}",
        f"v1:r:{secret.id}:y",
        f"v1:ics:{secret.id}",
        f"v1:jn:{secret.id}",
        f"v1:consent:{secret.id}",
        f"v1:sv:go:{secret.id}:0:0",
        f"v1:wl:{secret.id}:y",
        f"v1:cert:{secret.id}",
    ):
        before = await dump(sim)
        sent = len(mallory.messages)
        await forge(sim, mallory, data)
        assert answered(sim).get("text") == STALE, data
        assert answered(sim).get("show_alert") is True, data
        assert len(mallory.messages) == sent, data  # no card, no file, no link
        assert await dump(sim) == before, data  # no answer, no invitation, no presence
    assert not saw(mallory, "Slaptas nuotolinis seminaras")
    assert not saw(mallory, "meet.example.org")
    assert sim.emulator.calls_to("sendDocument", mallory.id) == []


async def test_the_invited_press_the_same_buttons(sim: Simulation) -> None:
    """The rule refuses the uninvited only: whoever opened the link is served."""
    _, secret, _ = await setting(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, secret)
    await alice.press_data(f"v1:r:{secret.id}:y")
    assert "Your answer: ✅ I will come" in alice.last_text
    await alice.press_data(f"v1:card:{secret.id}")
    assert "Slaptas nuotolinis seminaras" in alice.last_text
    await alice.press("💻 Join the meeting")
    assert alice.last.keyboard[0][0]["url"] == SECRET_URL


async def test_an_answer_no_longer_makes_an_invitation(sim: Simulation) -> None:
    """The old hole: an RSVP recorded the presser as invited, so one forged press opened
    every other door. Now the answer is refused and no invitation appears."""
    _, secret, mallory = await setting(sim)
    await forge(sim, mallory, f"v1:r:{secret.id}:y")
    await forge(sim, mallory, f"v1:jn:{secret.id}")
    person = await sim.db.people.get_participant_by_telegram(mallory.id)
    assert not await sim.db.invitations.holds_invitation(secret.id, person.id)
    assert (await sim.db.rsvps.rsvp_counts([secret.id]))[secret.id].yes == 0


async def test_an_unknown_account_forging_a_button_leaves_no_row(sim: Simulation) -> None:
    _, secret, _ = await setting(sim)
    eve = sim.user(2777, "Eve")
    await eve.send("/language")  # a keyboard to press on; /language stores nothing
    before = await dump(sim)
    await forge(sim, eve, f"v1:r:{secret.id}:y")
    assert answered(sim).get("text") == STALE
    assert await dump(sim) == before


async def test_broadcast_recipients_may_press_what_they_were_sent(
    sim: Simulation, organiser: SimUser
) -> None:
    _, secret, mallory = await setting(sim)
    # The organiser sends an update about the secret event to everyone: Mallory included.
    queued = await queue_campaign(
        sim.services, kind=CampaignKind.UPDATE, segment=Segment(SegmentKind.EVERYONE),
        event=secret, body="Kviečiame!", created_by=organiser.id,
    )  # fmt: skip
    await activate(sim.services, queued.campaign_id)
    await sim.settle()
    assert "Kviečiame!" in mallory.last_text
    await mallory.press(mallory.buttons()[0])  # "Show the event"
    assert "Slaptas nuotolinis seminaras" in mallory.last_text
    await mallory.press("✅ Yes")
    assert "Your answer: ✅ I will come" in mallory.last_text


def _first_handler(app: Any, data: str) -> BaseHandler[Any, Any, Any] | None:
    """The handler PTB gives ``data`` to (group 0 decides what the person sees)."""
    for handler in app.handlers[0]:
        if isinstance(handler, CallbackQueryHandler) and pattern_matches(handler, data):
            return handler
    return None


async def test_every_participant_button_naming_an_event_needs_an_invitation(
    sim: Simulation,
) -> None:
    """Forge every well-formed payload of every button class with an event field that is not
    an organiser's: each is refused for the uninvited with no change anywhere."""
    assert sim.app is not None
    _, secret, mallory = await setting(sim)
    samples = callback_samples(secret.id)
    tried: set[str] = set()
    for data in samples:
        parsed = callbacks.parse(data)
        assert parsed is not None
        if not callbacks.names_event(type(parsed)):
            continue
        handler = _first_handler(sim.app, data)
        assert handler is not None, f"nobody handles {data}"
        if is_guarded(handler):
            continue  # organisers' buttons: tests/test_authz.py
        before = await dump(sim)
        sent = len(mallory.messages)
        await forge(sim, mallory, data)
        assert answered(sim).get("text") == STALE, data
        assert len(mallory.messages) == sent, data
        assert await dump(sim) == before, data
        tried.add(parsed.prefix)
    assert {"r", "ics", "card", "consent", "jn", "wl", "cert", "sv", "gr"} <= tried, tried


async def test_old_answers_keep_their_access_after_the_upgrade(sim: Simulation) -> None:
    """The access migration turns every stored answer into an invitation (source 'rsvp')."""
    from bot.storage.schema import MIGRATIONS

    marker = "-- An answer given before"
    script = next(m.sqlite for m in MIGRATIONS if marker in m.sqlite)
    backfill = script.split(marker, 1)[1].split("\n", 1)[1].split(";", 1)[0]
    _, secret, mallory = await setting(sim)
    person = await sim.db.people.get_participant_by_telegram(mallory.id)
    async with sim.db.database.transaction() as db:
        await db.execute(
            "INSERT INTO rsvps (event_id, participant_id, status, updated_at) VALUES (?,?,?,?)",
            (secret.id, person.id, "maybe", datetime(2027, 3, 1, 7).isoformat()),
        )
        await db.execute(backfill)
    assert await sim.db.invitations.holds_invitation(secret.id, person.id)
