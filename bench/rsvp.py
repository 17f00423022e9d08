"""RSVP presses handled per second through the whole stack, next to a bare PTB bot.

Both bots run against the same emulator, with the same concurrency, in the same run. By
default the emulator is a separate process (``python -m bot.emulator``), as Telegram is:
its CPU is not the bot's. ``--in-process`` runs it inside this process instead (both bots
then also pay for the emulator's work).

The full stack does what a real press does: parse and validate the callback data, load the
participant and check the invitation, apply the answer in an immediate SQLite transaction
(the event, capacity, waiting list, history and the counts for the card, in one hop to the
database thread), answer the callback query and edit the card in place. Two baselines, in
the same run: the bare bot only answers the query (``bare_per_s``); the same-calls bot
answers the query and edits a card of the same size, with the same keyboard, through PTB's
ordinary methods (``same_calls_per_s``): what is left between it and the full stack is the
bot's own work. ``p50_ms`` / ``p99_ms``: the time the full stack takes to handle one press,
from its handler starting to the card edited.

``--postgres`` puts the bot's storage on PostgreSQL (``BOT_TEST_POSTGRES_URL``, or a
throwaway cluster from bot/pgcluster.py), where the press is an async transaction that
locks the event row.

Last line: {"rsvp_per_s": ..., "bare_per_s": ..., "same_calls_per_s": ..., "ratio": ...,
"ratio_same_calls": ..., "p50_ms": ..., "p99_ms": ..., "engine": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.app import KvietimasApplication, build_application
from bot.callbacks import Answer, RsvpPress
from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.emulator import Emulator
from bot.events import import_event
from bot.sim import UpdateTracker

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
ANSWERS = (Answer.YES, Answer.MAYBE, Answer.NO)
FIRST_USER = 700_000
TOKEN = "123456:TEST-TOKEN"
START = datetime.fromisoformat("2027-03-01T09:00:00+02:00")  # before the example event


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Driver:
    """Makes users start the bot and press buttons, on an emulator in or out of process."""

    base_url: str
    base_file_url: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def users_send(self, count: int, text: str) -> int:
        raise NotImplementedError

    async def press_many(self, presses: list[tuple[int, str]]) -> int:
        raise NotImplementedError

    async def card(self, chat_id: int) -> Card:
        """The last message the bot sent in the chat, as it sent it."""
        raise NotImplementedError


@dataclass(frozen=True)
class Card:
    html: str
    keyboard: list[list[dict[str, Any]]]

    def markup(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton.de_json(b, None) for b in row] for row in self.keyboard]
        )


@dataclass
class FullRun:
    rate: float
    card: Card
    handling_s: list[float] = field(default_factory=list)


class InProcess(Driver):
    def __init__(self) -> None:
        self.emu = Emulator(token=TOKEN)

    async def start(self) -> None:
        await self.emu.start()
        self.base_url, self.base_file_url = self.emu.base_url, self.emu.base_file_url

    async def stop(self) -> None:
        await self.emu.stop()

    async def users_send(self, count: int, text: str) -> int:
        last = 0
        for n in range(count):
            last = await self.emu.user(FIRST_USER + n, f"U{n}", language_code="lt").send(text)
        return last

    async def press_many(self, presses: list[tuple[int, str]]) -> int:
        last = 0
        for user_id, data in presses:
            last = await self.emu.user(user_id, "").press_data(data)
        return last

    async def card(self, chat_id: int) -> Card:
        message = self.emu.chat_messages(chat_id)[-1]
        return Card(message.raw_text or "", message.keyboard)


class OutOfProcess(Driver):
    async def start(self) -> None:
        port, control = _free_port(), _free_port()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.emulator", "--port", str(port),
            "--control-port", str(control), "--token", TOKEN,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self.proc.stdout is not None
        info = json.loads(await asyncio.wait_for(self.proc.stdout.readline(), timeout=30))
        self.base_url = info["base_url"]
        self.base_file_url = self.base_url.replace("/bot", "/file/bot")
        self.control = info["control"]
        self.http = aiohttp.ClientSession()

    async def stop(self) -> None:
        await self.http.close()
        self.proc.terminate()
        await self.proc.wait()

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.http.post(self.control + path, json=body) as response:
            result: dict[str, Any] = await response.json()
            return result

    async def users_send(self, count: int, text: str) -> int:
        body = {"first_id": FIRST_USER, "count": count, "text": text, "languages": ["lt"]}
        return int((await self._post("/users", body))["last_update_id"])

    async def press_many(self, presses: list[tuple[int, str]]) -> int:
        body = {"presses": [{"user_id": u, "data": d} for u, d in presses]}
        return int((await self._post("/press_many", body))["last_update_id"])

    async def card(self, chat_id: int) -> Card:
        query = {"chat_id": str(chat_id), "last": "1"}
        async with self.http.get(self.control + "/chat", params=query) as response:
            (message,) = await response.json()
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return Card(message.get("raw_text") or "", keyboard)


async def _start(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()


async def _stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def _timed(
    presses: int, press: Callable[[], Awaitable[int]], done: Callable[[int], Awaitable[None]]
) -> float:
    began = time.perf_counter()
    last = await press()
    await done(last)
    return presses / (time.perf_counter() - began)


async def bench_full(
    driver: Driver, presses: int, users: int, concurrency: int, postgres: str | None = None
) -> FullRun:
    """``postgres``: the server's URL, for the bot's storage on PostgreSQL (a fresh schema)."""
    with tempfile.TemporaryDirectory() as tmp:
        database: dict[str, object] = {"path": str(Path(tmp) / "bench.sqlite3")}
        if postgres is not None:
            import psycopg

            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS bench_rsvp CASCADE")
            database = {"url": postgres, "schema": "bench_rsvp", "pool_size": concurrency}
        settings = explicit_settings(
            telegram={"token": TOKEN, "base_url": driver.base_url,
                      "base_file_url": driver.base_file_url, "concurrent_updates": concurrency},
            database=database,
        )  # fmt: skip
        clock = FakeClock(START)
        app: KvietimasApplication = build_application(settings, clock=clock)
        handling_s: list[float] = []
        handle = app.process_update

        async def timed(update: object) -> None:
            began = time.perf_counter()
            try:
                await handle(update)
            finally:
                handling_s.append(time.perf_counter() - began)

        setattr(app, "process_update", timed)  # noqa: B010 (the bench's own wrapper)
        processed = UpdateTracker(app)
        await _start(app)
        storage, now = app.services.db, clock.now()
        event, _ = await import_event(
            storage, EXAMPLE.read_text(encoding="utf-8"), default_zone="Europe/Vilnius", now=now
        )
        for n in range(users):  # registered people, as after the invitation
            person = await storage.people.ensure_participant(FIRST_USER + n, language="lt", now=now)
            await storage.people.record_consent(person.id, "bench", now)
            await storage.people.set_participant_profile(
                person.id, name=f"Dalyvis {n}", organisation=f"Organizacija {n % 8}", now=now
            )
        last_start = await driver.users_send(users, f"/start e_{event.invite_code}")
        for update_id in range(last_start - users + 1, last_start + 1):  # everyone has the card
            await processed.wait(update_id, timeout=120)
        plan = [
            (FIRST_USER + n % users, RsvpPress(event.id, ANSWERS[(n // users) % 3]).pack())
            for n in range(presses)
        ]

        async def all_handled(last: int) -> None:
            for update_id in range(last - presses + 1, last + 1):
                await processed.wait(update_id, timeout=300)

        handling_s.clear()
        rate = await _timed(presses, lambda: driver.press_many(plan), all_handled)
        counts = (await storage.rsvps.rsvp_counts([event.id]))[event.id]
        assert counts.answered == users, counts
        card = await driver.card(FIRST_USER)
        assert card.html, card
        assert card.keyboard, card
        await _stop(app)
    return FullRun(rate, card, handling_s)


async def bench_bare(driver: Driver, presses: int, users: int, concurrency: int) -> float:
    done, everyone_has_a_card = asyncio.Event(), asyncio.Event()
    handled: list[int] = []
    opened: list[int] = []

    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id,
            "card",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]]),
        )
        opened.append(update.effective_chat.id)
        if len(opened) >= users:
            everyone_has_a_card.set()

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("ok")
        handled.append(1)
        if len(handled) >= presses:
            done.set()

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(driver.base_url)
        .concurrent_updates(concurrency)
        .connection_pool_size(max(16, concurrency * 2))
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_press))
    await _start(app)
    await driver.users_send(users, "/start")
    await asyncio.wait_for(everyone_has_a_card.wait(), timeout=120)
    plan = [(FIRST_USER + n % users, "y") for n in range(presses)]

    async def all_handled(last: int) -> None:
        await asyncio.wait_for(done.wait(), timeout=300)

    rate = await _timed(presses, lambda: driver.press_many(plan), all_handled)
    await _stop(app)
    return rate


async def bench_same_calls(
    driver: Driver, presses: int, users: int, concurrency: int, card: Card
) -> tuple[float, int]:
    """A bare PTB bot making the full stack's Bot API calls per press: answer the query
    with a toast, edit the pressed card (the same size, the same keyboard). The text
    ends in a digit that changes with every press of the chat, as the card's counts do, so
    no edit is refused as
    "not modified" (two presses of one chat may be handled side by side). Returns the rate
    and how many presses' calls failed (counted as handled, as the full stack's are)."""
    done, everyone_has_a_card = asyncio.Event(), asyncio.Event()
    handled: list[int] = []
    opened: list[int] = []
    pressed: dict[int, int] = {}
    failed: list[int] = []

    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, card.html + "0", parse_mode="HTML", reply_markup=card.markup()
        )
        opened.append(update.effective_chat.id)
        if len(opened) >= users:
            everyone_has_a_card.set()

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        assert update.effective_chat is not None
        chat = update.effective_chat.id
        pressed[chat] = pressed.get(chat, 0) + 1
        try:
            await query.answer("Jūsų atsakymas išsaugotas.")
            await query.edit_message_text(
                card.html + str(pressed[chat] % 10), parse_mode="HTML", reply_markup=card.markup()
            )
        except TelegramError:  # e.g. a refused connection on a loaded machine: counted
            failed.append(1)
        finally:  # handled either way, as the full stack's error handler handles its own
            handled.append(1)
            if len(handled) >= presses:
                done.set()

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(driver.base_url)
        .concurrent_updates(concurrency)
        .connection_pool_size(max(16, concurrency * 2))
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_press))
    await _start(app)
    await driver.users_send(users, "/start")
    await asyncio.wait_for(everyone_has_a_card.wait(), timeout=120)
    data = card.keyboard[0][0].get("callback_data", "y")
    plan = [(FIRST_USER + n % users, data) for n in range(presses)]

    async def all_handled(last: int) -> None:
        await asyncio.wait_for(done.wait(), timeout=300)

    rate = await _timed(presses, lambda: driver.press_many(plan), all_handled)
    await _stop(app)
    return rate, len(failed)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=3000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--in-process", action="store_true", help="emulator in this process")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="the bot's storage on PostgreSQL: BOT_TEST_POSTGRES_URL, or a throwaway cluster "
        "(bot/pgcluster.py)",
    )
    args = parser.parse_args()
    cluster = None
    postgres: str | None = None
    if args.postgres:
        from bot.pgcluster import SKIP_REASON, test_database_url

        postgres, cluster = test_database_url()
        if postgres is None:
            raise SystemExit(f"skipped: {SKIP_REASON}")
    try:
        await _run(args, postgres)
    finally:
        if cluster is not None:
            cluster.stop()


async def _run(args: argparse.Namespace, postgres: str | None) -> None:
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    results: dict[str, float] = {}
    full: FullRun | None = None
    same_calls_failed = 0
    for name in ("bare", "full", "same_calls"):
        driver: Driver = InProcess() if args.in_process else OutOfProcess()
        await driver.start()
        try:
            if name == "bare":
                results[name] = await bench_bare(driver, args.presses, args.users, args.concurrency)
            elif name == "full":
                full = await bench_full(
                    driver, args.presses, args.users, args.concurrency, postgres
                )
                results[name] = full.rate
            else:
                assert full is not None
                results[name], same_calls_failed = await bench_same_calls(
                    driver, args.presses, args.users, args.concurrency, full.card
                )
        finally:
            await driver.stop()
        print(f"{name}: {results[name]:.0f} presses/s", flush=True)
    assert full is not None
    print(
        json.dumps(
            {
                "rsvp_per_s": round(results["full"], 1),
                "bare_per_s": round(results["bare"], 1),
                "same_calls_per_s": round(results["same_calls"], 1),
                "ratio": round(results["full"] / results["bare"], 3),
                "ratio_same_calls": round(results["full"] / results["same_calls"], 3),
                "p50_ms": round(1000 * _percentile(full.handling_s, 0.50), 2),
                "p99_ms": round(1000 * _percentile(full.handling_s, 0.99), 2),
                "presses": args.presses,
                "same_calls_failed": same_calls_failed,
                "users": args.users,
                "concurrency": args.concurrency,
                "emulator": "in-process" if args.in_process else "separate process",
                "engine": "postgresql" if postgres else "sqlite",
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
