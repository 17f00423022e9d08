"""Property-based: whatever Telegram delivers, the bot stays up and the database stays sound.

Hypothesis builds raw Bot API updates (the JSON Telegram would send) and the emulator
queues them for the running bot: random text and commands, /start with unknown payloads,
well-formed / forged / stale / oversized callback data, edited messages, messages in
groups and channels, from other bots, without a sender, block and unblock, update types
the bot does not know. After every example:

* no handler raised anything but a Telegram API error (the error handler logs those; any
  other exception is a bug), and nothing else logged an exception;
* the database invariants hold: integrity and foreign keys, one RSVP per person and
  event, valid statuses, never more "yes" than places, nobody waiting while a place is
  free, RSVPs only from registered people, no message stuck in "sending", and survey
  answers valid for their questions (when the survey area has tables).

Example counts are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import ALLOWED_UPDATES
from bot.callbacks import Answer, OrgAction, OrganiserPress, RsvpPress
from bot.events import import_event
from bot.models import RsvpStatus
from bot.sim import Simulation
from bot.storage.database import SqliteDatabase
from tests.conftest import EXAMPLE_EVENT, ORGANISER_ID, add_event, register
from tests.dbcheck import count_rows
from tests.test_authz import callback_samples

PRIVATE_USERS = (2001, 2002, 2003, ORGANISER_ID)
BOT_USER = 9001
GROUP = -100123
CHANNEL = -100999
KNOWN_COMMANDS = (
    "start", "my", "language", "help", "mydata", "forget", "events", "newevent", "editevent",
    "rsvps", "invite", "cancel", "schedule", "scores", "export", "survey", "frobnicate",
)  # fmt: skip

PROFILE = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


# -- what goes wrong is logged: catch it ---------------------------------------------------


class Problems(logging.Handler):
    """Errors that are bugs: an exception other than a Telegram API error reached the error
    handler (it logs those with a traceback), or anything logged an exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is not None or record.name.startswith(("telegram", "asyncio")):
            self.records.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture
def problems() -> Iterator[Problems]:
    handler = Problems()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


# -- raw updates ---------------------------------------------------------------------------

texts = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=4096),
    st.sampled_from(["", " ", "\u200b", "<b>x</b>", "&amp;", "Alice Smith", "0", "-1"]),
).filter(lambda t: t.strip() != "" or len(t) > 0)

payloads = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"[epcv]_[A-Za-z0-9_-]{0,70}", fullmatch=True),
    st.sampled_from(["e_", "e_doesNotExist", "p_x", "c_" + "a" * 64, "../../etc"]),
)

commands = st.builds(
    lambda name, args, bot: f"/{name}{'@kvietimas_test_bot' if bot else ''}{args}",
    st.one_of(st.sampled_from(KNOWN_COMMANDS), st.from_regex(r"[a-z_]{1,32}", fullmatch=True)),
    st.one_of(st.just(""), st.builds(lambda a: " " + a, st.text(max_size=100))),
    st.booleans(),
)


def _user(user_id: int, *, is_bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "is_bot": is_bot, "first_name": f"U{user_id}", "language_code": "en"}


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id == GROUP:
        return {"id": GROUP, "type": "supergroup", "title": "Mokymų grupė"}
    if chat_id == CHANNEL:
        return {"id": CHANNEL, "type": "channel", "title": "Naujienos"}
    return {"id": chat_id, "type": "private", "first_name": f"U{chat_id}"}


def _message(
    message_id: int, text: str | None, *, sender: int | None, chat: int, extra: Any = None
) -> dict[str, Any]:
    msg: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": _chat(chat)}
    if sender is not None:
        msg["from"] = _user(sender, is_bot=sender == BOT_USER)
    elif chat != CHANNEL:
        msg["sender_chat"] = _chat(chat)  # an anonymous group admin
    if text is not None:
        msg["text"] = text
        if text.startswith("/"):
            command = text.split()[0] if text.split() else text
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if extra:
        msg.update(extra)
    return msg


other_content = st.sampled_from(
    [
        {"location": {"latitude": 54.68, "longitude": 25.28}},
        {"contact": {"phone_number": "+37060000000", "first_name": "X"}},
        {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}]},
        {"document": {"file_id": "d1", "file_unique_id": "u2", "file_name": "a.toml"}},
        {"new_chat_members": [_user(2009)]},
        {"left_chat_member": _user(2009)},
        {"pinned_message": {"message_id": 1, "date": 0, "chat": _chat(2001)}},
    ]
)


@st.composite
def message_updates(draw: st.DrawFn) -> dict[str, Any]:
    where = draw(st.sampled_from(["private", "private", "private", "group", "channel", "bot"]))
    if where == "channel":
        chat, sender = CHANNEL, None
    elif where == "group":
        chat, sender = GROUP, draw(st.sampled_from([2001, 2002, BOT_USER, None]))
    elif where == "bot":
        chat, sender = BOT_USER, BOT_USER
    else:
        sender = draw(st.sampled_from(PRIVATE_USERS))
        chat = sender
    body = draw(
        st.one_of(
            texts.map(lambda t: ("text", t)),
            commands.map(lambda t: ("text", t)),
            payloads.map(lambda p: ("text", f"/start {p}")),
            other_content.map(lambda c: ("other", c)),
        )
    )
    text: str | None
    text, extra = (str(body[1]), None) if body[0] == "text" else (None, body[1])
    message = _message(draw(st.integers(1, 10**6)), text, sender=sender, chat=chat, extra=extra)
    if where == "channel":
        kind = draw(st.sampled_from(["channel_post", "edited_channel_post"]))
    else:
        kind = draw(st.sampled_from(["message", "message", "message", "edited_message"]))
    if kind.startswith("edited"):
        message["edit_date"] = int(time.time())
    return {kind: message}


@st.composite
def callback_updates(draw: st.DrawFn, samples: list[str]) -> dict[str, Any]:
    data = draw(
        st.one_of(
            st.sampled_from(samples),
            st.builds(
                lambda e, a: RsvpPress(e, a).pack(), st.integers(0, 2**40), st.sampled_from(Answer)
            ),
            st.builds(
                lambda a, e: OrganiserPress(a, e).pack(),
                st.sampled_from(OrgAction),
                st.integers(0, 99),
            ),
            st.text(min_size=1, max_size=64),
            st.text(min_size=65, max_size=300),  # Telegram never sends these; forged clients
            st.from_regex(r"v[0-9]:[a-z]{1,5}(:[0-9a-z-]{0,12}){0,5}", fullmatch=True),
            # Questionnaire buttons: any action, question and value, on the three events.
            st.builds(
                lambda a, e, q, v: f"v1:sv:{a}:{e}:{q}:{v}",
                st.sampled_from(["go", "a", "t", "n", "s", "b", "e", "x"]),
                st.integers(1, 3),
                st.integers(0, 12),
                st.integers(0, 2000),
            ),
        )
    )
    sender = draw(st.sampled_from([*PRIVATE_USERS, BOT_USER]))
    query: dict[str, Any] = {
        "id": str(draw(st.integers(1, 10**12))),
        "from": _user(sender, is_bot=sender == BOT_USER),
        "chat_instance": "42",
    }
    where = draw(st.sampled_from(["message", "message", "inline", "group"]))
    if where == "inline":
        query["inline_message_id"] = "AAAA"
    else:
        chat = GROUP if where == "group" else sender
        query["message"] = _message(draw(st.integers(1, 500)), "card", sender=None, chat=chat)
        query["message"]["from"] = {"id": 123456, "is_bot": True, "first_name": "Kvietimas"}
        query["message"].pop("sender_chat", None)
    if draw(st.booleans()) or where == "inline":
        query["data"] = data
    else:
        query["game_short_name"] = "nope"
    return {"callback_query": query}


member_updates = st.builds(
    lambda user, blocked: {
        "my_chat_member": {
            "chat": _chat(user),
            "from": _user(user),
            "date": int(time.time()),
            "old_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "K"},
                "status": "member" if blocked else "kicked",
                **({} if blocked else {"until_date": 0}),
            },
            "new_chat_member": {
                "user": {"id": 123456, "is_bot": True, "first_name": "K"},
                "status": "kicked" if blocked else "member",
                **({"until_date": 0} if blocked else {}),
            },
        }
    },
    st.sampled_from(PRIVATE_USERS),
    st.booleans(),
)

unknown_updates = st.sampled_from(
    [
        {"some_future_update": {"x": 1}},
        {"poll_answer": {"poll_id": "1", "option_ids": [0], "option_persistent_ids": ["0"],
                         "user": _user(2002)}},
        {"chat_join_request": {"chat": _chat(GROUP), "from": _user(2002), "user_chat_id": 2002,
                               "date": 0}},
    ]
)  # fmt: skip


# -- driving the bot -----------------------------------------------------------------------


_QUERY_IDS = itertools.count(5_000_000_000)


async def deliver(sim: Simulation, updates: list[dict[str, Any]]) -> None:
    """Queue raw updates; return once the bot has handled all and the outbox is drained."""
    assert sim.app is not None
    ids = []
    for update in updates:
        update = json.loads(json.dumps(update))
        query = update.get("callback_query")
        if query is not None:  # a fresh id the emulator knows, as Telegram's would be
            query["id"] = str(next(_QUERY_IDS))
            sim.emulator._pending_queries.add(query["id"])
        update_id = sim.emulator.inject_update(update)
        # Kinds the bot does not ask for (ALLOWED_UPDATES) never reach it: nothing to wait for.
        if any(kind in ALLOWED_UPDATES for kind in update if kind != "update_id"):
            ids.append(update_id)
    for update_id in ids:
        await sim.wait_processed(update_id, timeout=10)
    await sim.settle()


async def check_invariants(sim: Simulation) -> None:
    storage = sim.db
    if isinstance(storage.database, SqliteDatabase):  # PostgreSQL checks its keys itself
        assert await storage.database.scalar("PRAGMA integrity_check") == "ok"
        assert await storage.database.fetch_all("PRAGMA foreign_key_check") == []
    bad = await storage.database.fetch_all(
        """SELECT id, capacity, yes, waiting FROM (
               SELECT e.id, e.capacity,
                      SUM(CASE WHEN r.status = 'yes' THEN 1 ELSE 0 END) AS yes,
                      SUM(CASE WHEN r.status = 'waitlist' THEN 1 ELSE 0 END) AS waiting
               FROM events e JOIN rsvps r ON r.event_id = e.id GROUP BY e.id, e.capacity
           ) AS counted
           WHERE (capacity IS NOT NULL AND yes > capacity)
              OR (waiting > 0 AND (capacity IS NULL OR yes < capacity))"""
    )
    assert [tuple(r) for r in bad] == [], "capacity or waitlist broken"
    assert (
        await storage.database.scalar(
            "SELECT COUNT(*) FROM (SELECT event_id, participant_id FROM rsvps "
            "GROUP BY event_id, participant_id HAVING COUNT(*) > 1) AS doubled"
        )
        == 0
    )
    assert (
        await storage.database.scalar(
            "SELECT COUNT(*) FROM rsvps WHERE status NOT IN ('yes', 'no', 'maybe', 'waitlist') "
            "OR (status = 'waitlist') != (waitlist_seq IS NOT NULL)"
        )
        == 0
    )
    unregistered = await storage.database.fetch_all(
        "SELECT r.participant_id FROM rsvps r JOIN participants p ON p.id = r.participant_id "
        "WHERE p.forgotten_at IS NULL AND (p.consent_at IS NULL OR p.name IS NULL)"
    )
    assert unregistered == [], "an RSVP from someone who never registered"
    last = await storage.database.fetch_all(
        """SELECT r.status, (SELECT h.status FROM rsvp_history h WHERE h.event_id = r.event_id
                  AND h.participant_id = r.participant_id ORDER BY h.id DESC LIMIT 1) AS latest
           FROM rsvps r"""
    )
    assert all(r["status"] == r["latest"] for r in last), "rsvps and their history disagree"
    assert await count_rows(storage, "outbox", "status = 'sending'") == 0
    await check_survey_answers(sim)


async def check_survey_answers(sim: Simulation) -> None:
    """Every stored answer belongs to a question of its event's questionnaire and is in range."""
    storage = sim.db
    tables = {t.name for t in await storage.database.list_tables()}
    if not {"surveys", "survey_answers", "survey_responses"} <= tables:
        return
    definitions = {
        int(r["event_id"]): json.loads(r["definition"])
        for r in await storage.database.fetch_all("SELECT event_id, definition FROM surveys")
    }
    rows = await storage.database.fetch_all(
        "SELECT a.event_id, a.question, a.rating, a.text, r.event_id AS response_event "
        "FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
    )
    for row in rows:
        assert row["event_id"] == row["response_event"]
        definition = definitions.get(int(row["event_id"]))
        assert definition is not None, "an answer to an event without a questionnaire"
        questions = {q["id"]: q for q in definition.get("questions", [])}
        question = questions.get(row["question"])
        assert question is not None, f"an answer to an unknown question {row['question']!r}"
        rating, kind = row["rating"], question.get("kind")
        if rating is None:
            continue
        options = len(question.get("options", []))
        allowed = {
            "rating": range(1, 6),
            "nps": range(0, 11),
            "single": range(1, options + 1),
            "multi": range(1, 2**options),
        }.get(str(kind))
        assert allowed is not None, f"a number for a {kind} question"
        assert rating in allowed, (kind, rating)


# -- the properties ------------------------------------------------------------------------


@pytest.fixture
async def world(sim: Simulation) -> Simulation:
    """Two events (one nearly full), a registered participant with a card, an organiser."""
    event = await add_event(sim, **{"capacity = 30": "capacity = 2"})
    await add_event(sim, **{'slug = "akmene-2027-03"': 'slug = "second"'})
    for user_id in PRIVATE_USERS:
        sim.user(user_id, f"U{user_id}")
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    bob = sim.user(2002, "Bob")
    await bob.send(f"/start e_{event.invite_code}")  # halfway through registration
    sim.emulator.user(BOT_USER, "OtherBot", is_bot=True)
    sim.emulator.group(GROUP, "Mokymų grupė")
    sim.emulator.group(CHANNEL, "Naujienos", type="channel")
    sim.user(ORGANISER_ID, "Rasa")
    await open_questionnaire(sim, alice)
    return sim


async def open_questionnaire(sim: Simulation, alice: Any) -> None:
    """A training that is over, Alice came, its questionnaire open (when the area exists)."""
    try:
        from bot.surveys import lifecycle
    except ImportError:
        return
    source = EXAMPLE_EVENT.read_text(encoding="utf-8")
    for old, new in (
        ('slug = "akmene-2027-03"', 'slug = "past"'),
        ("starts = 2027-03-09T10:00:00", "starts = 2027-02-20T10:00:00"),
        ("rsvp_deadline = 2027-03-05T18:00:00", "rsvp_deadline = 2027-02-19T18:00:00"),
    ):
        source = source.replace(old, new)
    past, _ = await import_event(
        sim.db, source, default_zone="Europe/Vilnius",
        now=sim.clock.now() - timedelta(days=30),
    )  # fmt: skip
    participant = await sim.db.people.get_participant_by_telegram(alice.id)
    await sim.db.rsvps.apply_rsvp(
        past.id, participant.id, RsvpStatus.YES, capacity=None, now=sim.clock.now()
    )
    await lifecycle.open_survey(sim.services, past.id, now=sim.clock.now())
    await sim.settle()


@PROFILE
@given(st.data())
async def test_random_messages_never_break_the_bot(
    world: Simulation, problems: Problems, data: st.DataObject
) -> None:
    updates = data.draw(st.lists(message_updates(), min_size=1, max_size=6))
    await deliver(world, updates)
    assert problems.records == []
    await check_invariants(world)


@PROFILE
@given(st.data())
async def test_random_buttons_never_break_the_bot(
    world: Simulation, problems: Problems, data: st.DataObject
) -> None:
    samples = callback_samples(1) + callback_samples(2)
    updates = data.draw(st.lists(callback_updates(samples), min_size=1, max_size=6))
    await deliver(world, updates)
    assert problems.records == []
    await check_invariants(world)


@settings(PROFILE, max_examples=200)
@given(st.data())
async def test_mixed_traffic_keeps_the_database_sound(
    world: Simulation, problems: Problems, data: st.DataObject
) -> None:
    samples = callback_samples(1)
    update = st.one_of(
        message_updates(), callback_updates(samples), member_updates, unknown_updates
    )
    updates = data.draw(st.lists(update, min_size=1, max_size=10))
    await deliver(world, updates)
    assert problems.records == []
    await check_invariants(world)


async def test_the_watch_catches_a_handler_that_raises(
    world: Simulation, problems: Problems
) -> None:
    """Without this, a broken error detector would make every property above pass."""
    from telegram.ext import CommandHandler

    async def broken(update: object, context: object) -> None:
        raise RuntimeError("a bug")

    assert world.app is not None
    world.app.add_handler(CommandHandler("boom", broken), group=-7)
    await deliver(world, [{"message": _message(1, "/boom", sender=2001, chat=2001)}])
    assert any("RuntimeError" in r for r in problems.records), problems.records


async def test_an_edited_message_is_not_taken_for_the_next_answer(sim: Simulation) -> None:
    """Correcting the name just sent must not fill in the organisation (found by the
    edited-message updates above: PTB hands edits to MessageHandlers too)."""
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await alice.send(f"/start e_{event.invite_code}")
    await alice.press("✅ I agree")
    await alice.send("Alice Smith")
    sent = alice.tg.to_dict()
    edit = _message(3, "Alice Smyth", sender=2001, chat=2001)
    edit["from"], edit["edit_date"] = sent, int(time.time())
    await deliver(sim, [{"edited_message": edit}])
    participant = await sim.db.people.get_participant_by_telegram(2001)
    assert participant is not None
    assert (participant.name, participant.organisation) == ("Alice Smith", None)
    assert alice.last_text == "Which organisation or institution do you work for?"
