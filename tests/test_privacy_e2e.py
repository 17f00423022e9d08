"""Privacy end to end: /mydata, /forget, opt-out, retention, through the real Application."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.messages import OutgoingMessage
from bot.models import Event, OutboxItem, PendingInput, RsvpStatus
from bot.privacy import ForgetAction, ForgetPress, apply_retention, months_before
from bot.sim import Simulation, SimUser
from bot.storage.database import Tx
from bot.storage.privacy import ForgetTarget
from tests.conftest import add_event, register
from tests.dbcheck import count_rows

FORGET = "🗑 Yes, delete my data"


def last_alert(sim: Simulation) -> str:
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    return str(alerts[-1].get("text")) if alerts else ""


async def my_data(sim: Simulation, user: SimUser) -> dict[str, Any]:
    await user.send("/mydata")
    document = user.last.document
    assert document is not None, user.last_text
    assert document.filename.endswith(".json")
    assert document.mime == "application/json" or document.filename.endswith(".json")
    data: dict[str, Any] = json.loads(document.content)
    return data


async def participant_id(sim: Simulation, telegram_id: int) -> int:
    participant = await sim.db.people.get_participant_by_telegram(telegram_id)
    assert participant is not None
    return int(participant.id)


async def queue_to(
    sim: Simulation, user: SimUser, text: str, *, delay_hours: float = 0, pid: int | None = None
) -> None:
    """A message queued in the outbox for the user (as a reminder or broadcast would)."""
    pid = pid if pid is not None else await participant_id(sim, user.id)
    now = sim.clock.now()
    await sim.db.outbox.enqueue(
        [OutboxItem(user.id, OutgoingMessage(text).to_json(), pid)],
        campaign_id=None,
        not_before=now + timedelta(hours=delay_hours),
        now=now,
    )
    sim.services.wake_sender()
    await sim.settle()


def texts_sent_to(sim: Simulation, chat_id: int) -> list[str]:
    return [str(c.params.get("text")) for c in sim.emulator.calls_to("sendMessage", chat_id)]


# -- /mydata ------------------------------------------------------------------------------


async def test_mydata_sends_everything_held_about_the_person(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event, name="Alice Smith", organisation="Akmenė library")
    await alice.press("✅ Yes")
    await alice.press("🤔 Maybe")
    await queue_to(sim, alice, "Reminder: training tomorrow")

    data = await my_data(sim, alice)

    assert data["format"] == "kvietimas-personal-data/1"
    profile = data["participant"]
    assert profile["telegram_id"] == 2001
    assert profile["name"] == "Alice Smith"
    assert profile["organisation"] == "Akmenė library"
    assert profile["consent_version"] == sim.services.settings.privacy.consent_version
    assert profile["consent_at"] is not None
    tables = data["tables"]
    assert [r["status"] for r in tables["rsvps"]] == ["maybe"]
    assert [r["status"] for r in tables["rsvp_history"]] == ["yes", "maybe"]
    assert [r["event_id"] for r in tables["invitations"]] == [event.id]
    assert any(r["payload"]["text"] == "Reminder: training tomorrow" for r in tables["outbox"]), (
        tables["outbox"]
    )
    assert data["events"][0]["title"] == event.title
    # Nobody else's data, and the request itself is recorded (without personal data).
    bob = sim.user(2002, "Bob")
    await register(sim, bob, event, name="Bob Jones", organisation="Other org")
    again = json.dumps(await my_data(sim, alice), ensure_ascii=False)
    assert "Bob Jones" not in again
    assert "Other org" not in again
    log = await sim.db.database.fetch_all("SELECT action, detail FROM privacy_log")
    assert [r[0] for r in log] == ["export", "export"]
    assert "Alice" not in str([tuple(r) for r in log])


async def test_mydata_covers_tables_other_areas_add_later(sim: Simulation) -> None:
    """Discovered from the schema at run time: a new area's tables need no privacy code."""
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    pid = await participant_id(sim, 2001)
    db = sim.db.database
    await db.execute(
        "CREATE TABLE future_answers (id INTEGER PRIMARY KEY, "
        "participant_id INTEGER, question TEXT, rating INTEGER)"
    )
    await db.execute("CREATE TABLE future_chat_prefs (telegram_id INTEGER NOT NULL, muted INTEGER)")
    await db.execute(  # ids given: INTEGER PRIMARY KEY numbers rows on SQLite only
        "INSERT INTO future_answers (id, participant_id, question, rating) "
        "VALUES (1, ?, 'q1', 5), (2, ?, 'q1', 2)",
        (pid, pid + 100),
    )
    await db.execute("INSERT INTO future_chat_prefs VALUES (2001, 1), (2999, 0)")

    # Rows reached through a row of hers: a response of her own (a UNIQUE link) and its
    # items are hers; an event (shared by everyone) is not followed.
    await db.execute("CREATE TABLE future_responses (id INTEGER PRIMARY KEY, note TEXT)")
    await db.execute(
        "CREATE TABLE future_links (participant_id INTEGER, "
        "response_id INTEGER UNIQUE REFERENCES future_responses(id))"
    )
    await db.execute(
        "CREATE TABLE future_items (response_id INTEGER REFERENCES future_responses(id), "
        "value TEXT)"
    )
    await db.execute("INSERT INTO future_responses VALUES (1, 'hers'), (2, 'someone else')")
    await db.execute("INSERT INTO future_links VALUES (?, 1), (?, 2)", (pid, pid + 100))
    await db.execute("INSERT INTO future_items VALUES (1, 'a'), (1, 'b'), (2, 'x')")

    data = await my_data(sim, alice)

    tables = data["tables"]
    assert tables["future_answers"] == [
        {"id": 1, "participant_id": pid, "question": "q1", "rating": 5}
    ]
    assert tables["future_chat_prefs"] == [{"telegram_id": 2001, "muted": 1}]
    assert tables["future_responses"] == [{"id": 1, "note": "hers"}]
    assert [r["value"] for r in tables["future_items"]] == ["a", "b"]
    assert "events" not in tables
    assert len(tables.get("rsvps", [])) <= 1


# -- /forget ------------------------------------------------------------------------------


async def test_forget_needs_confirmation_and_keep_changes_nothing(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.send("/forget")
    assert "Delete your personal data?" in alice.last_text
    assert alice.buttons() == [FORGET, "Keep my data"]
    await alice.press("Keep my data")
    assert alice.last_text == "Nothing was deleted."
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert participant is not None
    assert participant.name == "Alice Smith"


async def test_forget_erases_personal_data_and_nothing_is_sent_again(sim: Simulation) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 1"})
    alice, bob = sim.user(2001, "Alice"), sim.user(2002, "Bob")
    await register(sim, alice, event, name="Alice Smith", organisation="Akmenė library")
    await alice.press("✅ Yes")
    await register(sim, bob, event, name="Bob Jones", organisation="Other org")
    await bob.press("✅ Yes")
    assert "waiting list" in bob.last_text
    pid = await participant_id(sim, 2001)
    await queue_to(sim, alice, "Reminder for tomorrow", delay_hours=12)  # still pending
    await sim.db.people.set_pending_input(PendingInput(2001, "register", {}), sim.clock.now())

    await alice.send("/forget")
    await alice.press(FORGET)
    assert "Your personal data has been deleted" in alice.last_text
    confirmation_calls = len(sim.emulator.calls)

    row = await sim.db.database.fetch_one("SELECT * FROM participants WHERE id = ?", (pid,))
    assert row is not None
    assert row["telegram_id"] is None
    assert row["name"] is None
    assert row["organisation"] is None
    assert row["email"] is None
    assert row["forgotten_at"] is not None
    assert row["opted_out_at"] is not None
    assert await sim.db.people.get_participant_by_telegram(2001) is None
    for table in ("rsvps", "rsvp_history", "invitations"):
        count = await sim.db.database.scalar(
            f"SELECT COUNT(*) FROM {table} WHERE participant_id = ?", (pid,)
        )
        assert count == 0, table
    assert await sim.db.people.get_pending_input(2001) is None
    outbox = await sim.db.database.fetch_all(
        "SELECT status, chat_id, payload FROM outbox WHERE participant_id = ?", (pid,)
    )
    assert [r["status"] for r in outbox] == ["cancelled"]
    assert all(r["chat_id"] == 0 and "Reminder" not in r["payload"] for r in outbox)

    # Her place went to Bob, who is told through the outbox.
    bob_id = await participant_id(sim, 2002)
    assert await sim.db.rsvps.get_rsvp(event.id, bob_id) is RsvpStatus.YES
    assert "A place has become free" in bob.last_text

    # Later work addressed to her participant row is never queued, and the pending
    # reminder never goes out, whatever time it is.
    rows = "SELECT COUNT(*) FROM outbox WHERE participant_id = ?"
    before = await sim.db.database.scalar(rows, (pid,))
    await queue_to(sim, alice, "A broadcast after she left", pid=pid)
    assert await sim.db.database.scalar(rows, (pid,)) == before  # the trigger dropped it
    sim.clock.advance(timedelta(days=1))
    sim.services.wake_sender()
    await sim.settle()
    later = [c for c in sim.emulator.calls[confirmation_calls:] if c.chat_id == 2001]
    assert later == []
    assert not any("Reminder" in t or "broadcast" in t for t in texts_sent_to(sim, 2001))
    # Nothing in the database holds her Telegram id or name any more.
    dump = json.dumps(await dump_all(sim), ensure_ascii=False, default=str)
    assert "Alice Smith" not in dump
    assert "Akmenė library" not in dump
    assert await rows_with_value(sim, 2001) == []


async def test_forget_keeps_anonymous_answers_and_past_counts(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    pid = await participant_id(sim, 2001)
    db = sim.db.database
    await db.execute(
        "CREATE TABLE future_answers (participant_id INTEGER REFERENCES participants(id), "
        "rating INTEGER, comment TEXT)"
    )
    await db.execute("CREATE TABLE future_notes (chat_id INTEGER, note TEXT)")
    await db.execute("INSERT INTO future_answers VALUES (?, 4, 'Alice liked it')", (pid,))
    await db.execute("INSERT INTO future_notes VALUES (2001, 'x')")

    async def clear_comments(db: Tx, target: ForgetTarget) -> None:
        await db.execute(
            "UPDATE future_answers SET comment = NULL WHERE participant_id = ?",
            (target.participant_id,),
        )

    sim.db.privacy.forget_hooks["future_answers"] = clear_comments
    try:
        sim.clock.advance(timedelta(days=30))  # the event is over
        await alice.send("/forget")
        await alice.press(FORGET)
    finally:
        del sim.db.privacy.forget_hooks["future_answers"]

    answers = await sim.db.database.fetch_all("SELECT * FROM future_answers")
    assert [tuple(r) for r in answers] == [(pid, 4, None)]  # kept for the averages
    notes = await sim.db.database.fetch_all("SELECT * FROM future_notes")
    assert [tuple(r) for r in notes] == [(None, "x")]  # generic rule: Telegram id cleared
    # The past event still counts her "yes", anonymously.
    counts = await sim.db.rsvps.rsvp_counts([event.id])
    assert counts[event.id].yes == 1
    assert await sim.db.privacy.privacy_forgotten_count() == 1
    active = await count_rows(sim.db, "active_participants")
    total = await count_rows(sim.db, "participants")
    assert active == total - 1


async def test_stale_and_forged_forget_buttons(sim: Simulation) -> None:
    event = await add_event(sim)
    alice, mallory = sim.user(2001, "Alice"), sim.user(6666, "Mallory")
    await register(sim, alice, event)
    await register(sim, mallory, event, name="Mallory M")
    alice_id = await participant_id(sim, 2001)
    # Mallory forges a confirmation for Alice's participant id: refused.
    await mallory.press_data(ForgetPress(ForgetAction.CONFIRM, alice_id).pack())
    assert "no longer valid" in last_alert(sim)
    assert (await sim.db.people.get_participant(alice_id)).name == "Alice Smith"
    for junk in ("v1:pv:ok", "v1:pv:ok:abc", "v1:pv:nuke:1", "v1:pv:" + "9" * 60):
        await mallory.press_data(junk)
        assert "no longer valid" in last_alert(sim), junk

    # Alice confirms, then presses the old button again: stale, nothing more happens.
    await alice.send("/forget")
    message_id = alice.last.message_id
    await alice.press(FORGET, message_id=message_id)
    old_button = ForgetPress(ForgetAction.CONFIRM, alice_id).pack()
    await alice.press_data(old_button, message_id=message_id)
    assert "no longer valid" in last_alert(sim)
    assert await sim.db.privacy.privacy_forgotten_count() == 1


async def test_forgotten_person_starting_again_is_a_new_participant(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    old_id = await participant_id(sim, 2001)
    await alice.send("/forget")
    await alice.press(FORGET)
    await alice.send(f"/start e_{event.invite_code}")
    assert alice.buttons() == ["✅ I agree"]  # consent is asked again
    # Nothing is stored until she agrees again (see tests/test_participant_terms_e2e.py).
    assert await sim.db.people.get_participant_by_telegram(2001) is None
    await alice.press("✅ I agree")
    assert await participant_id(sim, 2001) != old_id


async def test_forget_keeps_survey_answers_for_the_scores_but_unlinked(sim: Simulation) -> None:
    """The real questionnaire: her answers still count; nothing leads from her to them."""
    from tests.test_survey_e2e import answer_all, coming, open_at_end

    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", "Akmenė library", event.id)
    bob = await coming(sim, 2002, "Bob Jones", "Other org", event.id)
    await open_at_end(sim, event.id)
    await answer_all(alice, (5, 4, 5, 4, 5, 4), recommend=10, comment="Alice says thanks")
    await answer_all(bob, (3, 3, 3, 3, 3, 3), recommend=None, comment=None)
    before = await sim.db.database.fetch_all(
        "SELECT question, rating, text FROM survey_answers ORDER BY question, rating"
    )
    pid = await participant_id(sim, 2001)
    exported = (await my_data(sim, alice))["tables"]
    assert len(exported["survey_responses"]) == 1
    assert {"Alice says thanks"} == {a["text"] for a in exported["survey_answers"] if a["text"]}
    assert len(exported["survey_answers"]) == 8  # hers only, not Bob's

    await alice.send("/forget")
    await alice.press(FORGET)

    after = await sim.db.database.fetch_all(
        "SELECT question, rating, text FROM survey_answers ORDER BY question, rating"
    )
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    link = await sim.db.database.fetch_all(
        "SELECT response_id, completed FROM survey_respondents WHERE participant_id = ?", (pid,)
    )
    assert [tuple(r) for r in link] == [(None, 1)]
    completed = await count_rows(sim.db, "survey_responses", "completed_at IS NOT NULL")
    assert completed == 2


# -- retention ----------------------------------------------------------------------------


async def _event_in(sim: Simulation, slug: str, starts: str, programme: str | None) -> Event:
    lines = [f'slug = "{slug}"', f'title = "Mokymai {slug}"', f"starts = {starts}",
             "ends = 16:00:00"]  # fmt: skip
    if programme:
        lines.append(f'programme = "{programme}"')
    lines += ["[place]", 'address = "Gedimino pr. 1, Vilnius"']
    return await add_event(sim, "\n".join(lines) + "\n")


async def test_retention_forgets_people_months_after_their_programme_ends(
    sim: Simulation,
) -> None:
    old_a = await _event_in(sim, "a1", "2027-03-10T10:00:00", "Programme A")
    old_b = await _event_in(sim, "a2", "2027-04-10T10:00:00", "Programme A")
    ongoing = await _event_in(sim, "b1", "2027-03-11T10:00:00", "Programme B")
    alice, bob, carol = sim.user(2001, "Alice"), sim.user(2002, "Bob"), sim.user(2003, "Carol")
    await register(sim, alice, old_a, name="Alice Smith")
    await register(sim, bob, ongoing, name="Bob Jones")
    await register(sim, carol, old_b, name="Carol King")
    organiser = sim.user(1000, "Rasa")
    await organiser.send("/events")
    idle = sim.user(2004, "Idle")
    await idle.send("/help")  # a row with no event at all
    storage, now = sim.db, sim.clock.now()
    await storage.people.ensure_participant(2004, language="en", now=now)
    await storage.people.ensure_participant(1000, language="en", now=now)  # organisers are kept

    # Programme B gets an event two years later, so Bob stays.
    await _event_in(sim, "b2", "2029-06-01T10:00:00", "Programme B")
    months = sim.services.settings.privacy.retention_months
    assert months == 24

    # 24 months after Alice's event, but Programme A's last event (Carol's) is later.
    at = old_a.ends_at + timedelta(days=731)
    assert await apply_retention(sim.services, now=at) == 1  # only the idle row
    assert (await storage.people.get_participant_by_telegram(2001)) is not None
    after_a = old_b.ends_at + timedelta(days=740)
    assert await apply_retention(sim.services, now=after_a) == 2  # Alice and Carol
    assert await storage.people.get_participant_by_telegram(2001) is None
    assert await storage.people.get_participant_by_telegram(2003) is None
    assert await storage.people.get_participant_by_telegram(2002) is not None  # Programme B goes on
    assert await storage.people.get_participant_by_telegram(1000) is not None  # organisers stay
    assert await apply_retention(sim.services, now=after_a) == 0  # idempotent
    log = await storage.database.fetch_all(
        "SELECT action FROM privacy_log WHERE action = 'retention'"
    )
    assert len(log) == 3


async def test_retention_zero_means_never(tmp_path: Any, clock: Any) -> None:
    async with Simulation(
        tmp_path / "r.sqlite3", clock=clock, settings={"privacy": {"retention_months": 0}}
    ) as sim:
        alice = sim.user(2001, "Alice")
        await alice.send("/help")
        await sim.db.people.ensure_participant(2001, language="en", now=sim.clock.now())
        far = sim.clock.now() + timedelta(days=365 * 30)
        assert await apply_retention(sim.services, now=far) == 0


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2027-03-31T12:00:00+00:00", 1, "2027-02-28T12:00:00+00:00"),
        ("2028-03-31T12:00:00+00:00", 1, "2028-02-29T12:00:00+00:00"),
        ("2027-01-15T00:00:00+00:00", 24, "2025-01-15T00:00:00+00:00"),
        ("2027-01-15T00:00:00+00:00", 13, "2025-12-15T00:00:00+00:00"),
        ("2027-01-15T01:00:00+02:00", 0, "2027-01-14T23:00:00+00:00"),
    ],
)
def test_months_before(moment: str, months: int, expected: str) -> None:
    from datetime import datetime

    assert months_before(datetime.fromisoformat(moment), months) == datetime.fromisoformat(expected)


# -- helpers ------------------------------------------------------------------------------


async def dump_all(sim: Simulation) -> dict[str, list[tuple[Any, ...]]]:
    tables = await sim.db.privacy.privacy_table_columns()
    out = {}
    for table in tables:
        rows = await sim.db.database.fetch_all(f'SELECT * FROM "{table}"')
        out[table] = [tuple(r) for r in rows]
    return out


def _walk(dump: dict[str, list[tuple[Any, ...]]], value: object) -> Iterator[str]:
    for table, rows in dump.items():
        for row in rows:
            if value in row:
                yield f"{table}: {row}"


async def rows_with_value(sim: Simulation, value: object) -> list[str]:
    """Rows anywhere in the database holding ``value`` in a column (privacy_log excluded)."""
    dump = await dump_all(sim)
    dump.pop("privacy_log", None)
    return list(_walk(dump, value))
