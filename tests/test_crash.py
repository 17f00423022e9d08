"""A real ``python -m bot run`` process, killed with SIGKILL at the worst moments.

The emulator runs inside the test process; the bot is a child process configured only
through the environment (``BOT_TELEGRAM__TOKEN``, ``BOT_TELEGRAM__BASE_URL``,
``BOT_DATABASE__PATH``...), exactly as an operator would run it. After a restart nothing
may be lost: checked by counts in the database and in the emulator's log. SIGTERM must
finish the sends in flight and stop cleanly; webhook mode must work with its secret.

Slow (each test starts Python and PTB several times): run by ``make test-all``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.emulator import EmulatedUser, Emulator
from bot.events import import_event
from bot.messages import OutgoingMessage
from bot.models import OutboxItem
from bot.storage import Storage
from tests.conftest import EXAMPLE_EVENT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ORGANISER = 1000


# -- the bot as a separate process ---------------------------------------------------------


class BotProcess:
    def __init__(self, workdir: Path, emulator: Emulator, **settings: str) -> None:
        self.workdir = workdir
        self.emulator = emulator
        self.db = workdir / "bot.sqlite3"
        self.log = workdir / "bot.log"
        self.settings = settings
        self.proc: asyncio.subprocess.Process | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_TELEGRAM__TOKEN=self.emulator.token,
            BOT_TELEGRAM__BASE_URL=self.emulator.base_url,
            BOT_TELEGRAM__BASE_FILE_URL=self.emulator.base_file_url,
            BOT_DATABASE__PATH=str(self.db),
            BOT_ORGANISERS=json.dumps([ORGANISER]),
            BOT_LOG_FORMAT="json",
            PTB_TIMEDELTA="true",
        )
        env.update({f"BOT_{k.upper()}": v for k, v in self.settings.items()})
        return env

    async def run(self, *args: str) -> asyncio.subprocess.Process:
        """Any ``python -m bot`` command with this bot's settings (not waited for)."""
        with self.log.open("ab") as log:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *args, cwd=self.workdir, env=self.env(),
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip

    async def start(self, *, ready: Callable[[], bool] | None = None) -> None:
        polls = len(self.emulator.calls_to("getUpdates"))
        self.proc = await self.run("run")
        proc = self.proc

        def started() -> bool:
            if proc.returncode is not None:
                raise AssertionError(f"the bot exited with {proc.returncode}: {self.tail()}")
            return ready() if ready else len(self.emulator.calls_to("getUpdates")) > polls

        await until(started, timeout=60)

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        assert await self.proc.wait() == -signal.SIGKILL

    async def terminate(self, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), timeout)

    async def ensure_stopped(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db, timeout=10) as db:
            return list(db.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.query(sql, params)[0][0]


async def until(check: Callable[[], bool | Awaitable[bool]], timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while True:
            result = check()
            if result if isinstance(result, bool) else await result:
                return
            await asyncio.sleep(0.05)


def started_users(emu: Emulator, first_id: int, count: int) -> list[EmulatedUser]:
    """Users who have opened the bot before (so it may write to them)."""
    users = [emu.user(first_id + i, f"U{i}", language_code="en") for i in range(count)]
    for user in users:
        emu._private_chat(user).started = True
    return users


async def seed(db: Path, *, event_text: str | None = None) -> tuple[Storage, int]:
    storage = Storage(db)
    await storage.open()
    text = event_text or EXAMPLE_EVENT.read_text(encoding="utf-8")
    event, _ = await import_event(
        storage, text, default_zone="Europe/Vilnius", now=datetime.now(UTC)
    )
    return storage, event.id


async def queue_broadcast(storage: Storage, users: list[EmulatedUser], text: str) -> int:
    now = datetime.now(UTC)
    campaign = await storage.campaigns.create_campaign(
        kind="notice", event_id=None, segment={}, created_by=ORGANISER, now=now
    )
    items = []
    for user in users:
        participant = await storage.people.ensure_participant(user.id, language="en", now=now)
        items.append(OutboxItem(user.id, OutgoingMessage(text).to_json(), participant.id))
    await storage.outbox.enqueue(items, campaign_id=campaign, not_before=now, now=now)
    return campaign


def delivered(emu: Emulator, text: str) -> dict[int, int]:
    """chat -> how many times ``text`` reached it."""
    counts: dict[int, int] = {}
    for call in emu.calls_to("sendMessage"):
        if call.ok and call.params.get("text") == text and isinstance(call.chat_id, int):
            counts[call.chat_id] = counts.get(call.chat_id, 0) + 1
    return counts


@pytest.fixture
async def emulator() -> Any:
    async with Emulator() as emu:
        yield emu


# -- SIGKILL during a broadcast ------------------------------------------------------------


async def test_sigkill_during_a_broadcast_loses_nothing(tmp_path: Path, emulator: Emulator) -> None:
    bot = BotProcess(tmp_path, emulator, broadcast__rate_per_second="60")
    users = started_users(emulator, 7000, 150)
    storage, _ = await seed(bot.db)
    campaign = await queue_broadcast(storage, users, "Kvietimas: programme news")
    await storage.close()
    text = "Kvietimas: programme news"
    try:
        await bot.start()
        await until(lambda: sum(delivered(emulator, text).values()) >= 40)
        await bot.kill()
        in_flight = bot.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
        sent_at_crash = bot.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        assert sent_at_crash < 150

        await bot.start()
        await until(
            lambda: bot.scalar(
                "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
            ) == 0,
            timeout=90,
        )  # fmt: skip
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()

    counts = delivered(emulator, text)
    assert sorted(counts) == [u.id for u in users], "someone never got the broadcast"
    duplicates = sum(counts.values()) - len(users)
    recorded = bot.scalar("SELECT possible_duplicates FROM campaigns WHERE id = ?", (campaign,))
    assert duplicates <= recorded == in_flight <= 32
    statuses = dict(bot.query("SELECT status, COUNT(*) FROM outbox GROUP BY status"))
    assert statuses == {"sent": 150}


# -- SIGTERM -------------------------------------------------------------------------------


async def test_sigterm_finishes_sends_in_flight_and_stops_cleanly(
    tmp_path: Path, emulator: Emulator
) -> None:
    bot = BotProcess(tmp_path, emulator, broadcast__rate_per_second="40")
    users = started_users(emulator, 7500, 120)
    storage, _ = await seed(bot.db)
    campaign = await queue_broadcast(storage, users, "Reminder: training tomorrow")
    await storage.close()
    text = "Reminder: training tomorrow"
    try:
        await bot.start()
        await until(lambda: sum(delivered(emulator, text).values()) >= 20)
        assert await bot.terminate(timeout=20) == 0
        # Every message Telegram accepted is recorded as sent; none is left half-way.
        assert bot.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'") == 0
        sent = bot.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        assert sent == sum(delivered(emulator, text).values())
        assert sent < 120
        log = [
            json.loads(line) for line in bot.log.read_text().splitlines() if line.startswith("{")
        ]
        assert not [e for e in log if e["level"] in ("ERROR", "CRITICAL")], log

        await bot.start()  # the rest goes out after the restart, nothing twice
        await until(
            lambda: bot.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 120,
            timeout=60,
        )
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()
    counts = delivered(emulator, text)
    assert sorted(counts.values()) == [1] * 120
    assert bot.scalar("SELECT possible_duplicates FROM campaigns WHERE id = ?", (campaign,)) == 0


# -- SIGKILL while people register and answer ---------------------------------------------

NAME_Q = "What is your name and surname?"
ORG_Q = "Which organisation or institution do you work for?"
COMING = "Your answer: ✅ I will come"


async def behave(user: EmulatedUser, code: str, name: str, organisation: str) -> None:
    """A careful participant: answers each question the bot asks, once; a question asked
    again without being prompted (a late reply to an older tap) is not answered twice. If
    the bot says nothing for a while (it is down, or the update was lost in the crash),
    they open the invitation link again, which makes the bot ask where they are."""

    def mark() -> tuple[int, int]:
        messages = user.messages()
        return len(messages), messages[-1].edited if messages else 0

    handled: set[int] = set()  # bot messages already acted on
    answered: str | None = None  # the question last answered by typing
    nudged = False  # the link was opened again since then
    async with asyncio.timeout(150):
        while True:
            last = user.last()
            text = str(last.text or "") if last is not None else ""
            buttons = last.buttons if last is not None else []
            if "✅ Yes" in buttons and COMING in text:
                return
            before = mark()
            if last is not None and last.message_id not in handled:
                if "✅ Yes" in buttons:
                    handled.add(last.message_id)
                    await user.press("✅ Yes", message_id=last.message_id)
                elif "✅ I agree" in buttons:
                    handled.add(last.message_id)
                    await user.press("✅ I agree", message_id=last.message_id)
                elif text in (NAME_Q, ORG_Q) and (text != answered or nudged):
                    handled.add(last.message_id)
                    answered, nudged = text, False
                    await user.send(name if text == NAME_Q else organisation)
            for _ in range(60):  # up to 3 s for something new
                await asyncio.sleep(0.05)
                if mark() != before:
                    break
            else:
                await user.send(f"/start e_{code}")
                nudged = True


async def test_sigkill_while_people_register_and_answer(tmp_path: Path, emulator: Emulator) -> None:
    bot = BotProcess(tmp_path, emulator)
    people = 30
    text = EXAMPLE_EVENT.read_text(encoding="utf-8").replace("capacity = 30", "capacity = 100")
    storage, event_id = await seed(bot.db, event_text=text)
    event = await storage.events.get_event(event_id)
    assert event is not None
    await storage.close()
    users = [emulator.user(8000 + i, f"P{i}", language_code="en") for i in range(people)]
    try:
        await bot.start()
        crowd = asyncio.gather(
            *(
                behave(u, event.invite_code, f"Dalyvis Nr{i}", f"Organizacija {i % 4}")
                for i, u in enumerate(users)
            )
        )
        await until(lambda: emulator.stats["updates"] >= 50)
        await bot.kill()
        await asyncio.sleep(1.0)  # people keep tapping meanwhile
        await bot.start()
        await crowd
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()

    rows = bot.query(
        "SELECT p.telegram_id, p.name, p.organisation, p.consent_at IS NOT NULL, r.status "
        "FROM participants p LEFT JOIN rsvps r ON r.participant_id = p.id ORDER BY p.telegram_id"
    )
    expected = [
        (8000 + i, f"Dalyvis Nr{i}", f"Organizacija {i % 4}", 1, "yes") for i in range(people)
    ]
    for row, want in zip(rows, expected, strict=False):
        if row != want:
            chat = emulator._chats[row[0]]
            for m in sorted(chat.by_id.values(), key=lambda m: m.message_id):
                print(
                    "DEBUG",
                    row[0],
                    m.message_id,
                    "BOT" if m.from_bot else "USR",
                    repr(str(m.text)[:60]),
                    m.buttons,
                )
    assert rows == expected
    assert bot.scalar("SELECT COUNT(*) FROM rsvp_history") == people  # each "yes" once
    assert bot.scalar("SELECT COUNT(*) FROM pending_inputs") == 0
    for user in users:  # the emulator's log: each saw their card with their answer
        assert any(COMING in str(m.text) for m in user.messages()), user.id


# -- SIGKILL while people fill in the questionnaire ---------------------------------------

SURVEY_START = "📝 Start the questionnaire"
SURVEY_TEXT = "Type your answer"
SURVEY_DONE = "Thank you!"


async def answer_survey(user: EmulatedUser, index: int) -> None:
    """One question at a time: ratings (index % 5) + 1, the 0-10 question index % 11, the
    comment typed once; re-opened with the invitation's button if the bot goes quiet."""

    def mark() -> tuple[int, int, str]:
        last = user.last()
        return len(user.messages()), last.edited if last else 0, str(last.text if last else "")

    handled: set[tuple[int, str]] = set()
    commented = False
    async with asyncio.timeout(150):
        while True:
            last = user.last()
            text = str(last.text or "") if last is not None else ""
            buttons = last.buttons if last is not None else []
            if SURVEY_DONE in text:
                return
            before = mark()
            key = (last.message_id if last else 0, text)
            if last is not None and key not in handled:
                digits = [b for b in buttons if b.isdigit()]
                if SURVEY_START in buttons:
                    handled.add(key)
                    await user.press(SURVEY_START, message_id=last.message_id)
                elif "10" in digits:
                    handled.add(key)
                    await user.press(str(index % 11), message_id=last.message_id)
                elif digits:
                    handled.add(key)
                    await user.press(str(index % 5 + 1), message_id=last.message_id)
                elif SURVEY_TEXT in text and not commented:
                    handled.add(key)
                    commented = True
                    await user.send(f"Komentaras {index}")
            for _ in range(60):
                await asyncio.sleep(0.05)
                if mark() != before:
                    break
            else:  # quiet: press the invitation's button again (it resumes where we were)
                invitation = next(
                    (m for m in reversed(user.messages()) if SURVEY_START in m.buttons), None
                )
                if invitation is not None:
                    await user.press(SURVEY_START, message_id=invitation.message_id)
                handled.clear()
                commented = commented and SURVEY_TEXT not in text


async def test_sigkill_while_people_fill_in_the_questionnaire(
    tmp_path: Path, emulator: Emulator
) -> None:
    from bot.clock import SystemClock
    from bot.config import explicit_settings
    from bot.i18n import Translator
    from bot.models import RsvpStatus
    from bot.services import Services
    from bot.surveys import lifecycle

    bot = BotProcess(tmp_path, emulator)
    people = 20
    users = started_users(emulator, 8700, people)
    storage, event_id = await seed(bot.db)
    now = datetime.now(UTC)
    for i, user in enumerate(users):
        participant = await storage.people.ensure_participant(user.id, language="en", now=now)
        await storage.people.record_consent(participant.id, "test", now)
        await storage.people.set_participant_profile(
            participant.id, name=f"Dalyvis Nr{i}", organisation=f"Org {i % 3}", now=now
        )
        # Invited (an answer alone no longer is one): the questionnaire's buttons need it.
        await storage.invitations.invite(event_id, participant.id, "link", now)
        await storage.rsvps.apply_rsvp(
            event_id, participant.id, RsvpStatus.YES, capacity=None, now=now
        )
    settings = explicit_settings(database={"path": str(bot.db)})
    services = Services(settings, storage, Translator("lt"), SystemClock())
    assert await lifecycle.open_survey(services, event_id, now=now) == people
    await storage.close()
    try:
        await bot.start()
        crowd = asyncio.gather(*(answer_survey(u, i) for i, u in enumerate(users)))
        await until(lambda: bot.scalar("SELECT COUNT(*) FROM survey_answers") >= 50)
        await bot.kill()
        await asyncio.sleep(1.0)
        await bot.start()
        await crowd
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()

    assert bot.scalar("SELECT COUNT(*) FROM survey_responses WHERE completed_at IS NOT NULL") == (
        people
    )
    assert bot.scalar("SELECT COUNT(*) FROM survey_responses") == people  # one each
    rows = bot.query(
        """SELECT p.telegram_id, a.question, a.rating, a.text FROM survey_answers a
           JOIN survey_respondents s ON s.response_id = a.response_id
           JOIN participants p ON p.id = s.participant_id ORDER BY p.telegram_id, a.question"""
    )
    by_person: dict[int, dict[str, tuple[Any, Any]]] = {}
    for telegram_id, question, rating, comment in rows:
        by_person.setdefault(telegram_id, {})[question] = (rating, comment)
    assert sorted(by_person) == [u.id for u in users]
    for i, user in enumerate(users):
        answers = by_person[user.id]
        assert len(answers) == 8, answers
        values = {rating for rating, comment in answers.values() if comment is None}
        assert values <= {i % 5 + 1, i % 11}, (user.id, answers)
        assert (None, f"Komentaras {i}") in answers.values(), answers


# -- SIGKILL during an import --------------------------------------------------------------


def writing(db: Path) -> bool:
    """True while another connection holds the database's write lock."""
    probe = sqlite3.connect(db, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


async def kill_mid_write(proc: asyncio.subprocess.Process, db: Path) -> bool:
    """SIGKILL the process while it holds the write lock (seen on three probes in a row,
    so not the running bot's millisecond transactions); False if it finished first."""
    async with asyncio.timeout(60):
        held = 0
        while proc.returncode is None:
            held = held + 1 if writing(db) else 0
            if held >= 3:
                proc.send_signal(signal.SIGKILL)
                return True
            await asyncio.sleep(0.01)
    return False


def _participant_list(count: int) -> str:
    lines = ["name,email,organisation"]
    lines += [f"Dalyvė Nr{i},dalyve{i}@example.lt,Biblioteka {i % 9}" for i in range(count)]
    return "\n".join(lines) + "\n"


# Big enough for the import's one write transaction to be caught: it writes in batches
# through the e-mail index, about 0.4 s per 50,000 rows (bench/import.py).
IMPORT_ROWS = 40_000


async def test_sigkill_during_an_import_is_all_or_nothing(
    tmp_path: Path, emulator: Emulator
) -> None:
    bot = BotProcess(tmp_path, emulator, telegram__username="kvietimas_test_bot")
    storage, _ = await seed(bot.db)
    await storage.close()
    listing = tmp_path / "list.csv"
    listing.write_text(_participant_list(IMPORT_ROWS), encoding="utf-8")
    probe = emulator.user(8500, "Probe")
    try:
        await bot.start()
        command = ("participants", "import", str(listing), "--event", "akmene-2027-03")
        killed_writing = 0
        for _ in range(3):
            proc = await bot.run(*command)
            killed_writing += await kill_mid_write(proc, bot.db)
            await proc.wait()
            imported = bot.scalar("SELECT COUNT(*) FROM participants WHERE email IS NOT NULL")
            invited = bot.scalar("SELECT COUNT(*) FROM invitations")
            assert imported == 0, imported  # never half a list
            assert invited == imported
            # The running bot was not disturbed.
            replies = len(probe.messages())
            await probe.send("/help")
            await until(lambda: len(probe.messages()) > replies, timeout=20)  # noqa: B023
        assert killed_writing == 3
        proc = await bot.run(*command)
        assert await asyncio.wait_for(proc.wait(), 120) == 0, bot.tail()
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()
    assert bot.scalar("SELECT COUNT(*) FROM participants WHERE email IS NOT NULL") == IMPORT_ROWS
    assert bot.scalar("SELECT COUNT(DISTINCT personal_code) FROM participants") == IMPORT_ROWS
    assert bot.scalar("SELECT COUNT(*) FROM invitations") == IMPORT_ROWS


# -- webhook mode --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_mode_with_a_secret_token(tmp_path: Path, emulator: Emulator) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/kvietimas/hook"
    bot = BotProcess(
        tmp_path, emulator, telegram__webhook_url=url, telegram__webhook_secret="s3cret-Token_1",
        telegram__webhook_listen="127.0.0.1", telegram__webhook_port=str(port),
    )  # fmt: skip
    storage, _ = await seed(bot.db)
    await storage.close()
    alice = emulator.user(8600, "Alice")
    try:
        await bot.start(ready=lambda: bool(emulator.webhook.get("url")))
        assert emulator.webhook["url"] == url
        assert emulator.webhook["secret_token"] == "s3cret-Token_1"
        await alice.send("/help")
        await until(lambda: len(alice.messages()) == 1, timeout=20)
        assert "/my" in str(alice.last().text)
        # A forged update without the secret is refused and never handled.
        forged = {"update_id": 99, "message": {"message_id": 5, "date": 0, "text": "/help",
                  "chat": {"id": 8600, "type": "private"}, "from": alice.to_dict(),
                  "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}  # fmt: skip
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, json=forged, headers=headers) as resp:
                    assert resp.status == 403
        await asyncio.sleep(0.5)
        assert len(alice.messages()) == 1
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_stopped()


async def test_webhook_mode_refuses_to_start_without_a_secret(
    tmp_path: Path, emulator: Emulator
) -> None:
    bot = BotProcess(tmp_path, emulator, telegram__webhook_url="https://bot.example.org/hook")
    proc = await bot.run("run")
    assert await asyncio.wait_for(proc.wait(), 60) == 2
    assert "webhook_secret" in bot.tail()
    assert not emulator.webhook
