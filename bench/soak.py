"""Soak: many mixed updates with injected network faults, against the emulator.

Virtual participants live whole lives through the real Application, many at a time: open
an invitation, consent, give name and organisation, answer RSVPs (one event is small, so
its waiting list moves and promotion notices go through the outbox), send bad input
(random text, unknown commands, forged, stale and oversized button data, payloads that do
not exist) and fill in the questionnaire of a past training. About ``--fault-rate`` of the
updates come with a fault injected into the emulator: a 5xx or a dropped connection on a
reply, an edit, a callback answer or (rarely, as each costs PTB a back-off of a second or
more) on getUpdates.

Each person is a careful user: after every action they check whether it took effect (in
the database) and, like someone who saw an error, try again a few times if not. ``lost``
counts what still did not take effect after that, plus updates the bot really never
handled (still not handled a minute after they were sent) and outbox messages never
delivered; ``unhandled_errors`` counts exceptions other than
Telegram API errors anywhere in the logs. Last line:
{"updates": ..., "unhandled_errors": 0, "lost": 0, "rss_mb_start": ..., "rss_mb_end": ...,
"handled": ..., "handled_per_s": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import os
import random
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from telegram.error import TelegramError

from bot.callbacks import Answer, ConsentPress, LanguagePress, RsvpPress
from bot.clock import FakeClock
from bot.emulator import EmulatedUser, Emulator
from bot.events import import_event
from bot.models import RsvpStatus
from bot.sim import Simulation

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
NOW = datetime.fromisoformat("2027-03-01T09:00:00+02:00")
ANSWERS = {Answer.YES: "yes", Answer.NO: "no", Answer.MAYBE: "maybe"}
BAD_TEXT = (
    "/frobnicate", "/start e_doesNotExist", "/start ../../x", "/start", "/my", "/help",
    "/rsvps", "/newevent", "hello?", "<b>not html</b>", "x" * 5000, "🙂", "/mydata",
)  # fmt: skip
BAD_DATA = ("v1:r:abc:y", "v9:r:1:y", "v1:r:999999:y", "v1:o:link:1:-", "garbage", "v1:" + "x" * 70)


class ErrorWatch(logging.Handler):
    """Exceptions other than Telegram API errors, wherever they are logged; and how many
    Telegram API errors (the injected faults) the error handler dealt with."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.unhandled: list[str] = []
        self.api_errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if error is None or isinstance(error, TelegramError):
            if record.name == "bot.handlers.common":
                self.api_errors += 1
            return
        self.unhandled.append(f"{record.name}: {record.getMessage()}"[:300])


@dataclass
class Figures:
    updates: int = 0
    handled: int = 0  # updates the bot finished handling
    unhandled: int = 0  # updates still not handled a minute after they were sent
    faults: int = 0
    retries: int = 0
    lost: int = 0
    users: int = 0
    survey_answers: int = 0
    lost_detail: list[str] = field(default_factory=list)


class Look:
    """Checks of the database from outside the bot: a connection of our own (WAL lets it
    read while the bot writes), so the checks neither wait for nor slow the bot's lock."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row

    def participant(self, telegram_id: int) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM participants WHERE telegram_id = ?", (telegram_id,)
        ).fetchone()
        return row

    def invited(self, event_id: int, participant_id: int) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM invitations WHERE event_id = ? AND participant_id = ?",
                (event_id, participant_id),
            ).fetchone()
            is not None
        )

    def rsvp(self, event_id: int, participant_id: int) -> str | None:
        row = self.db.execute(
            "SELECT status FROM rsvps WHERE event_id = ? AND participant_id = ?",
            (event_id, participant_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def survey_answers(self, event_id: int, participant_id: int) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM survey_answers a JOIN survey_respondents s "
            "ON s.response_id = a.response_id WHERE s.participant_id = ? AND s.event_id = ?",
            (participant_id, event_id),
        ).fetchone()
        return int(row[0])

    def scalar(self, sql: str) -> int:
        return int(self.db.execute(sql).fetchone()[0])


class Soak:
    def __init__(self, sim: Simulation, args: argparse.Namespace) -> None:
        self.sim = sim
        self.emulator: Emulator = sim.emulator
        self.args = args
        self.figures = Figures()
        self.rng = random.Random(args.seed)
        self.ids = itertools.count(1)
        self.query_ids = itertools.count(7_000_000_000)
        self.getupdates_faults = 0
        self.events: dict[str, Any] = {}
        self.expected: dict[int, dict[str, Any]] = {}
        self.survey_questions: list[dict[str, Any]] = []
        self.look = Look(sim.db_path)

    # -- setting up ------------------------------------------------------------------------

    async def prepare(self) -> None:
        storage, now = self.sim.db, self.sim.clock.now()
        source = EXAMPLE.read_text(encoding="utf-8").replace("capacity = 30", "capacity = 10000")
        big, _ = await import_event(storage, source, default_zone="Europe/Vilnius", now=now)
        small_source = source.replace("capacity = 10000", "capacity = 40").replace(
            'slug = "akmene-2027-03"', 'slug = "small"'
        )
        small, _ = await import_event(storage, small_source, default_zone="Europe/Vilnius", now=now)
        past_source = (
            source.replace('slug = "akmene-2027-03"', 'slug = "past"')
            .replace("starts = 2027-03-09T10:00:00", "starts = 2027-02-20T10:00:00")
            .replace("rsvp_deadline = 2027-03-05T18:00:00", "rsvp_deadline = 2027-02-19T18:00:00")
        )
        past, _ = await import_event(
            storage, past_source, default_zone="Europe/Vilnius", now=now - timedelta(days=30)
        )
        self.events = {"big": big, "small": small, "past": past}
        try:
            from bot.surveys import lifecycle
        except ImportError:  # the survey area is optional for this bench
            return
        await lifecycle.open_survey(self.sim.services, past.id, now=now)
        definition = await storage.database.scalar(
            "SELECT definition FROM surveys WHERE event_id = ?", (past.id,)
        )
        if definition:
            self.survey_questions = list(json.loads(definition).get("questions", []))

    # -- acting as a user -----------------------------------------------------------------

    def _maybe_fault(self) -> None:
        if self.rng.random() >= self.args.fault_rate:
            return
        self.figures.faults += 1
        emulator, roll = self.emulator, self.rng.random()
        method = self.rng.choice(("sendMessage", "answerCallbackQuery", "editMessageText"))
        if roll < 0.02 and self.getupdates_faults * 2000 < self.figures.updates:
            self.getupdates_faults += 1
            if self.rng.random() < 0.5:
                emulator.fail_next(method="getUpdates", status=502)
            else:
                emulator.drop_connection_next(method="getUpdates", after_processing=True)
        elif roll < 0.6:
            emulator.fail_next(method=method, status=self.rng.choice((500, 502, 503, 504)))
        elif roll < 0.8:
            emulator.drop_connection_next(method=method, after_processing=True)
        else:
            emulator.drop_connection_next(method=method)

    async def _handled(self, update_id: int) -> None:
        assert self.sim.app is not None
        self.figures.updates += 1
        try:
            await self.sim.wait_processed(update_id, timeout=60)
        except TimeoutError:
            self.figures.unhandled += 1  # really not handled: counted as lost at the end
            return
        self.figures.handled += 1
        # Seen: the simulation need not remember it (the bench measures the bot's memory).
        assert self.sim.processed is not None
        self.sim.processed.ids.discard(update_id)

    async def send(self, user: EmulatedUser, text: str) -> None:
        self._maybe_fault()
        await self._handled(await user.send(text))

    async def press(self, user: EmulatedUser, data: str) -> None:
        """A button press with this data, on the user's last message (or a vanished one)."""
        self._maybe_fault()
        last = self.emulator.last_message(user.id)
        message: dict[str, Any] = {
            "message_id": last.message_id if last is not None else 1,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": {"id": self.emulator.bot_id, "is_bot": True, "first_name": "Kvietimas"},
            "text": "card",
        }
        query_id = str(next(self.query_ids))
        self.emulator._pending_queries.add(query_id)  # as Telegram would know the query
        update = {
            "callback_query": {
                "id": query_id, "from": user.to_dict(), "message": message,
                "chat_instance": str(user.id), "data": data,
            }
        }  # fmt: skip
        await self._handled(self.emulator.inject_update(update))

    async def until_true(self, act: Any, check: Any, what: str) -> None:
        """Act; if the effect is missing (a fault ate the reply or the tap), act again."""
        for attempt in range(6):
            if attempt:
                self.figures.retries += 1
            await act()
            if await check():
                return
        self.figures.lost += 1
        self.figures.lost_detail.append(what)

    async def life(self, n: int) -> None:
        rng = random.Random(self.args.seed * 100_003 + n)
        user = self.emulator.user(
            500_000 + n, f"U{n}", language_code=rng.choice(("en", "lt", "uk"))
        )
        big, small = self.events["big"], self.events["small"]
        name, org = f"Dalyvis Nr{n}", f"Organizacija {n % 17}"
        expected: dict[str, Any] = {"name": name, "organisation": org, "rsvp": {}}
        self.expected[user.id] = expected

        async def me() -> Any:
            return self.look.participant(user.id)

        async def invited() -> bool:
            p = await me()
            return p is not None and self.look.invited(big.id, p["id"])

        async def consented() -> bool:
            p = await me()
            return p is not None and p["consent_at"] is not None

        async def named() -> bool:
            p = await me()
            return p is not None and p["name"] == name

        async def registered() -> bool:
            p = await me()
            return p is not None and p["organisation"] == org

        async def notice_shown() -> bool:
            last = self.emulator.last_message(user.id)
            return last is not None and consent in last.button_data().values()

        async def consented_and_invited() -> bool:
            return await consented() and await invited()

        async def invited_to_small() -> bool:
            p = await me()
            return p is not None and self.look.invited(small.id, p["id"])

        # Nobody is stored before agreeing to the data notice: the invitation link shows the
        # notice, and "I agree" stores the person with the invitation.
        consent = ConsentPress(big.id).pack()
        await self.until_true(
            lambda: self.send(user, f"/start e_{big.invite_code}"), notice_shown, "invitation"
        )

        async def agree() -> None:
            if await me() is not None and not await invited():
                # Stored by a first "I agree" whose answer failed before the consent was
                # written: that button is now refused (not invited); the link again invites.
                await self.send(user, f"/start e_{big.invite_code}")
            if not await consented():
                await self.press(user, consent)
            elif not await invited():  # agreed, but the reply was lost: the link again
                await self.send(user, f"/start e_{big.invite_code}")

        await self.until_true(agree, consented_and_invited, "consent")
        await self.until_true(lambda: self.send(user, name), named, "name")
        await self.until_true(lambda: self.send(user, org), registered, "organisation")
        # Buttons of an event are honoured only for its invitees: open the small one's link.
        await self.until_true(
            lambda: self.send(user, f"/start e_{small.invite_code}"), invited_to_small,
            "invitation",
        )  # fmt: skip

        for _ in range(rng.randint(3, 9)):
            roll = rng.random()
            if roll < 0.55:
                event = rng.choice((big, small))
                answer = rng.choice(list(Answer))
                data = RsvpPress(event.id, answer).pack()

                async def answered(event: Any = event, answer: Answer = answer) -> bool:
                    p = await me()
                    status = self.look.rsvp(event.id, p["id"])
                    if answer is Answer.YES:
                        return status in ("yes", "waitlist")
                    return status == ANSWERS[answer]

                await self.until_true(
                    lambda data=data: self.press(user, data), answered, "rsvp"
                )  # fmt: skip
                expected["rsvp"][event.id] = ANSWERS[answer]
            elif roll < 0.75:
                await self.send(user, rng.choice(BAD_TEXT))
            elif roll < 0.9:
                await self.press(user, rng.choice(BAD_DATA))
            else:
                await self.press(user, LanguagePress(rng.choice(("lt", "en", "uk"))).pack())
        if self.survey_questions and rng.random() < 0.5:
            await self.survey(user, rng, me)
        # This person is done: the emulator forgets their chat history (it would otherwise
        # dominate the process's memory, which is meant to show the bot's).
        chat = self.emulator._chats[user.id]
        chat.bot_messages = chat.bot_messages[-1:]
        chat.by_id = {m.message_id: m for m in chat.bot_messages}

    async def survey(self, user: EmulatedUser, rng: random.Random, me: Any) -> None:
        from bot.surveys.buttons import SurveyPress, SvAction

        storage, past, now = self.sim.db, self.events["past"], self.sim.clock.now()
        participant = await me()
        # Came to the past training (invited, as every answer's owner is: bot/access.py).
        await storage.rsvps.apply_rsvp(
            past.id, participant["id"], RsvpStatus.YES, capacity=None, now=now,
            invite_source="link",
        )  # fmt: skip

        async def count() -> int:
            return self.look.survey_answers(past.id, participant["id"])

        for index, question in enumerate(self.survey_questions):
            kind, have = question.get("kind"), await count()

            async def saved(have: int = have) -> bool:
                return await count() > have

            if kind == "text":

                async def typed(
                    text: str = f"Komentaras {index}",
                    go: str = SurveyPress(SvAction.GO, past.id).pack(),
                ) -> None:
                    await self.press(user, go)
                    await self.send(user, text)

                await self.until_true(typed, saved, "survey text")
                continue
            if kind == "rating":
                value = rng.randint(1, 5)
            elif kind == "nps":
                value = rng.randint(0, 10)
            elif kind == "single":
                value = rng.randint(1, max(1, len(question.get("options", []))))
            else:  # multi: skip it (optional) or not scored here
                continue
            data = SurveyPress(SvAction.ANSWER, past.id, index, value).pack()
            await self.until_true(lambda data=data: self.press(user, data), saved, "survey")
            self.figures.survey_answers += 1

    # -- the run --------------------------------------------------------------------------

    async def run(self) -> None:
        deadline = time.monotonic() + self.args.max_seconds
        counter = itertools.count()

        async def worker() -> None:
            while self.figures.updates < self.args.updates and time.monotonic() < deadline:
                n = next(counter)
                self.figures.users += 1
                await self.life(n)

        async def housekeeping() -> None:
            mark = trimmed = 0
            while True:
                await asyncio.sleep(0.5)
                if self.figures.updates - trimmed >= 1000:
                    trimmed = self.figures.updates
                    self._trim_emulator()
                if self.figures.updates - mark >= 5000:
                    mark = self.figures.updates
                    print(
                        f"  {self.figures.updates} updates, {self.figures.faults} faults, "
                        f"{self.figures.retries} retries, {self.figures.lost} lost",
                        flush=True,
                    )

        keeper = asyncio.create_task(housekeeping())
        try:
            await asyncio.gather(*(worker() for _ in range(self.args.concurrency)))
        finally:
            keeper.cancel()
        await self.finish()

    def _trim_emulator(self) -> None:
        """The emulator keeps every call and message; the bench measures the bot's memory."""
        self.emulator.reset_records()
        for chat in self.emulator._chats.values():
            if len(chat.bot_messages) > 20:
                keep = chat.bot_messages[-20:]
                chat.bot_messages = keep
                chat.by_id = {m.message_id: m for m in keep}

    async def finish(self) -> None:
        sim, storage, figures = self.sim, self.sim.db, self.figures
        assert sim.app is not None
        if figures.unhandled:
            figures.lost += figures.unhandled
            figures.lost_detail.append(f"{figures.unhandled} updates never handled")
        async with asyncio.timeout(120):
            while await storage.outbox.outbox_pending_count():
                await sim.settle()
        failed = self.look.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
        if failed:
            figures.lost += failed
            figures.lost_detail.append(f"{failed} outbox messages failed")
        for telegram_id, want in self.expected.items():
            participant = self.look.participant(telegram_id)
            if participant is None or (participant["name"], participant["organisation"]) != (
                want["name"],
                want["organisation"],
            ):
                figures.lost += 1
                figures.lost_detail.append(f"profile of {telegram_id}")
                continue
            for event_id, status in want["rsvp"].items():
                have = self.look.rsvp(event_id, participant["id"])
                if not (have == status or (status == "yes" and have == "waitlist")):
                    figures.lost += 1
                    figures.lost_detail.append(f"rsvp of {telegram_id} to {event_id}")
        self.look.db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, default=16, help="people active at once")
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    watch = ErrorWatch()  # the only log handler: the faults make plenty of expected noise
    logging.getLogger().addHandler(watch)
    logging.getLogger().setLevel(logging.WARNING)
    process = psutil.Process()

    with tempfile.TemporaryDirectory() as tmp:
        sim = Simulation(
            Path(tmp) / "soak.sqlite3",
            clock=FakeClock(NOW),
            settings={"broadcast": {"rate_per_second": 200.0}},
        )
        async with sim:
            soak = Soak(sim, args)
            await soak.prepare()
            rss_start = process.memory_info().rss / 2**20
            began = time.perf_counter()
            await soak.run()
            elapsed = time.perf_counter() - began
            rss_end = process.memory_info().rss / 2**20
    figures = soak.figures
    if figures.lost_detail:
        print("lost:", figures.lost_detail[:20], flush=True)
    if watch.unhandled:
        print("unhandled:", watch.unhandled[:10], flush=True)
    print(
        json.dumps(
            {
                "updates": figures.updates,
                "unhandled_errors": len(watch.unhandled),
                "lost": figures.lost,
                "rss_mb_start": round(rss_start, 1),
                "rss_mb_end": round(rss_end, 1),
                "seconds": round(elapsed, 1),
                "updates_per_s": round(figures.updates / elapsed, 1),
                "handled": figures.handled,
                "handled_per_s": round(figures.handled / elapsed, 1),
                "faults_injected": figures.faults,
                "fault_rate": args.fault_rate,
                "retries": figures.retries,
                "api_errors_handled": watch.api_errors,
                "people": figures.users,
                "survey_answers": figures.survey_answers,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
