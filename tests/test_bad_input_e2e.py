"""Bad input: a short polite message, no crash, consistent state."""

from __future__ import annotations

from bot.callbacks import Answer, OrgAction, OrganiserPress, RsvpPress
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows


def last_alert(sim: Simulation) -> str:
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    return str(alerts[-1].get("text")) if alerts else ""


async def test_start_without_payload_and_with_bad_payloads(sim: Simulation) -> None:
    bob = sim.user(2100, "Bob")
    await bob.send("/start")
    assert "Open the invitation link or scan the QR code" in bob.last_text
    for payload in ("e_doesNotExist99", "garbage!!", "x_abcdefgh", "e_" + "a" * 70):
        await bob.send(f"/start {payload}")
        assert "invitation link is not valid" in bob.last_text, payload


async def test_unknown_command_free_text_and_sticker_like_input(sim: Simulation) -> None:
    bob = sim.user(2100, "Bob")
    await bob.send("/frobnicate")
    assert "I do not know that command" in bob.last_text
    await bob.send("hello?")
    assert "I work mostly with buttons" in bob.last_text


async def test_forged_and_stale_buttons(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press_data("v1:r:999999:y")  # nobody is invited to an event that is not
    assert "no longer valid" in last_alert(sim)
    await alice.press_data("v1:r:abc:y")
    assert "no longer valid" in last_alert(sim)
    await alice.press_data("v9:r:1:y")
    assert "no longer valid" in last_alert(sim)
    await alice.press_data("v1:r:1:y:extra")
    assert "no longer valid" in last_alert(sim)
    assert await count_rows(sim.db, "rsvps") == 0


async def test_cancelled_event_refuses_answers(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    await organiser.send(f"/editevent {event.id}")
    await organiser.press("❌ Cancel the event")
    assert "1 participants who said yes" in organiser.last_text
    await organiser.press("Yes, cancel it and tell participants")
    assert "is cancelled" in organiser.last_text
    assert "has been cancelled" in alice.last_text
    await alice.press_data(RsvpPress(event.id, Answer.NO).pack())
    assert "cancelled or is no longer available" in last_alert(sim)


async def test_non_organiser_is_refused_everywhere(sim: Simulation) -> None:
    event = await add_event(sim)
    mallory = sim.user(6666, "Mallory")
    for command in ("/events", "/newevent", f"/editevent {event.id}", "/rsvps", "/invite"):
        await mallory.send(command)
        assert mallory.last_text == "This is for organisers only.", command
    await mallory.send("/language")  # any message with buttons to press forged data on
    for action in OrgAction:
        await mallory.press_data(OrganiserPress(action, event.id).pack())
        assert last_alert(sim) == "This is for organisers only."
    state = await sim.db.people.get_pending_input(6666)
    assert state is None
    current = await sim.db.events.get_event(event.id)
    assert current == event


async def test_over_long_and_empty_names(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await alice.send(f"/start e_{event.invite_code}")
    await alice.press("✅ I agree")
    await alice.send("x" * 4000)
    assert "2 to 100 characters" in alice.last_text
    await alice.send("A")
    assert "2 to 100 characters" in alice.last_text
    await alice.send("Alice & Co")
    assert alice.last_text == "Which organisation or institution do you work for?"
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert participant.name == "Alice & Co"


async def test_html_in_names_is_escaped_for_organisers(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event, name="<script>x</script>", organisation="A & B <org>")
    await alice.press("✅ Yes")
    await organiser.send(f"/rsvps {event.id}")
    assert "&lt;script&gt;x&lt;/script&gt;" in organiser.last_html
    assert "A &amp; B &lt;org&gt;" in organiser.last_html
    assert "<script>x</script>" in organiser.last_text  # shown literally on the phone
