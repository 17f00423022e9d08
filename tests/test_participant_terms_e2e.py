"""Participants in their own terms: after /forget nothing is stored again until they agree;
/cancel answers a participant as a participant, never "This is for organisers only"."""

from __future__ import annotations

from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows
from tests.test_survey_e2e import SKIP, START, coming, open_at_end

FORGET = "🗑 Yes, delete my data"


async def rows_of(sim: Simulation, telegram_id: int) -> int:
    return int(await count_rows(sim.db, "participants", "telegram_id = ?", (telegram_id,)))


async def test_after_forget_commands_store_nobody_until_they_agree(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice", language="en")
    await register(sim, alice, event)
    await alice.send("/forget")
    await alice.press(FORGET)
    assert await rows_of(sim, 2001) == 0
    people = await count_rows(sim.db, "participants")

    for command in ("/my", "/start", "/language", "/help", "/mydata", "/certificate", "/cancel"):
        await alice.send(command)
        assert await rows_of(sim, 2001) == 0, command
    await alice.send("/my")
    assert alice.last_html == sim.services.t("en", "my-empty")
    await alice.send("/language")
    await alice.press("🇺🇦 Українська")  # answered in Ukrainian, not kept
    assert alice.last_text == sim.services.t("uk", "language-set-not-kept")
    await alice.send("Hello?")
    await alice.send("/forget")
    assert alice.last_text == sim.services.t("en", "privacy-nothing-held")
    assert await rows_of(sim, 2001) == 0
    assert await count_rows(sim.db, "participants") == people

    # Opening the invitation again asks for consent; still nothing stored ...
    await alice.send(f"/start e_{event.invite_code}")
    assert alice.buttons() == ["✅ I agree"]
    await alice.send("Alice Smith")  # typed before agreeing: not taken
    assert alice.last_text == sim.services.t("en", "register-consent-first")
    assert await rows_of(sim, 2001) == 0
    # ... an answer button on an old card leads to the notice, not to a stored answer ...
    await alice.press("✅ Yes", message_id=_card(alice))
    assert alice.buttons() == ["✅ I agree"]
    assert await rows_of(sim, 2001) == 0
    # ... until she agrees: then she is a new participant, invited to the event she opened.
    await alice.press("✅ I agree")
    assert await rows_of(sim, 2001) == 1
    person = await sim.db.people.get_participant_by_telegram(2001)
    assert person is not None
    assert person.name is None
    assert person.consent_at is not None
    invited = await count_rows(
        sim.db, "invitations", "event_id = ? AND participant_id = ?", (event.id, person.id)
    )
    assert invited == 1


def _card(user: SimUser) -> int:
    """The message id of the last event card (with Yes / No / Maybe) the user got."""
    for message in reversed(user.messages):
        if "✅ Yes" in message.buttons:
            return int(message.message_id)
    raise LookupError("no event card")


async def test_a_first_contact_stores_nothing_before_consent(sim: Simulation) -> None:
    event = await add_event(sim)
    bob = sim.user(2002, "Bob", language="lt")
    for command in (
        "/start",
        "/my",
        "/help",
        "/language",
        "/cancel",
        f"/start e_{event.invite_code}",
    ):
        await bob.send(command)
    assert await rows_of(sim, 2002) == 0
    assert bob.messages[0].raw_text == sim.services.t("lt", "welcome")
    # A forged consent for another event does not invite him there.
    other = await add_event(sim, **{'slug = "': 'slug = "other-'})
    from bot.callbacks import ConsentPress

    await bob.press_data(ConsentPress(other.id).pack())
    person = await sim.db.people.get_participant_by_telegram(2002)
    assert person is not None  # he agreed (the press is his own)
    invited = await count_rows(sim.db, "invitations", "participant_id = ?", (person.id,))
    assert invited == 0


async def test_cancel_from_a_participant_in_participant_terms(sim: Simulation) -> None:
    refusal = sim.services.t("en", "error-not-organiser")
    event = await add_event(sim)
    alice = sim.user(2001, "Alice", language="en")

    await alice.send("/cancel")  # nothing going on
    assert alice.last_text == sim.services.t("en", "cancel-participant-nothing")

    await alice.send(f"/start e_{event.invite_code}")
    await alice.press("✅ I agree")
    assert "name" in alice.last_text
    await alice.send("/cancel")  # leaves the "type your name" step
    assert alice.last_text == sim.services.t("en", "cancel-participant-registration")
    assert await sim.db.people.get_pending_input(2001) is None
    await alice.send("Alice Smith")  # no longer taken as her name
    person = await sim.db.people.get_participant_by_telegram(2001)
    assert person is not None
    assert person.name is None
    assert alice.last_text == sim.services.t("en", "free-text-hint")
    assert refusal not in alice.texts()


async def test_cancel_leaves_a_questionnaire_comment(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", "Akmenė library", event.id)
    await open_at_end(sim, event.id)
    await alice.press(START)
    for rating in (5, 4, 5, 4, 5, 4):
        await alice.press(str(rating))
    await alice.press(SKIP)  # the recommendation; the comment question comes next
    state = await sim.db.people.get_pending_input(2001)
    assert state is not None
    assert state.kind == "survey"
    await alice.send("/cancel")
    assert alice.last_text == sim.services.t("en", "cancel-participant-survey")
    assert await sim.db.people.get_pending_input(2001) is None
    assert sim.services.t("en", "error-not-organiser") not in alice.texts()


async def test_cancel_still_works_for_organisers(sim: Simulation, organiser: SimUser) -> None:
    await organiser.send("/newevent")
    await organiser.send("/cancel")
    assert organiser.last_text == "Cancelled. Nothing was saved."
    assert await sim.db.people.get_pending_input(organiser.id) is None


async def test_i_agree_again_after_a_first_tap_that_stored_only_the_row(sim: Simulation) -> None:
    """A first "I agree" can fail between making the row and recording the consent (the
    answer to the tap fails, the process dies). The next tap must still work, and still
    record the invitation only to the event whose link the person opened."""
    event = await add_event(sim)
    alice = sim.user(2002, "Alice", language="en")
    await alice.send(f"/start e_{event.invite_code}")
    assert alice.buttons() == ["✅ I agree"]
    # What the failed first tap left behind: a row, no consent, no invitation.
    await sim.db.people.ensure_participant(2002, language="en", now=sim.clock.now())
    await alice.press("✅ I agree")
    person = await sim.db.people.get_participant_by_telegram(2002)
    assert person is not None
    assert person.consent_at is not None
    assert await sim.db.invitations.holds_invitation(event.id, person.id)
    assert alice.last_text == sim.services.t("en", "register-ask-name")
