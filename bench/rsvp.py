"""RSVP presses handled per second through the whole stack, next to a bare PTB bot.

Both bots run in this process against the same emulator (so both pay its CPU cost) with the
same concurrency. The full stack does what a real press does: parse and validate the
callback data, load the participant and event, apply the RSVP in an immediate SQLite
transaction, answer the callback query and edit the card. The bare bot only answers the
query. Last line: {"rsvp_per_s": ..., "bare_per_s": ..., "ratio": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.callbacks import Answer, RsvpPress
from bot.emulator import Emulator
from bot.events import import_event
from bot.sim import Simulation

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
ANSWERS = (Answer.YES, Answer.MAYBE, Answer.NO)


async def _prepare_users(sim: Simulation, count: int, event_id: int) -> list[Any]:
    """Registered participants, each with the event card (a message with buttons) in chat."""
    storage, now = sim.storage, sim.clock.now()
    users = []
    for i in range(count):
        user = sim.emulator.user(700_000 + i, f"U{i}", language_code="lt")
        participant = await storage.ensure_participant(user.id, language="lt", now=now)
        await storage.record_consent(participant.id, "bench", now)
        await storage.set_participant_profile(
            participant.id, name=f"Dalyvis {i}", organisation=f"Org {i % 8}", now=now
        )
        users.append(user)
    return users


async def _drive(emu: Emulator, users: list[Any], presses: int, event_id: int) -> list[int]:
    ids = []
    for n in range(presses):
        user = users[n % len(users)]
        data = RsvpPress(event_id, ANSWERS[(n // len(users)) % 3]).pack()
        ids.append(await user.press_data(data))
    return ids


async def bench_full(presses: int, users_count: int, concurrency: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        sim = Simulation(
            Path(tmp) / "bench.sqlite3",
            settings={"telegram": {"concurrent_updates": concurrency}},
        )
        async with sim:
            event, _ = await import_event(
                sim.storage, EXAMPLE.read_text(encoding="utf-8"),
                default_zone="Europe/Vilnius", now=sim.clock.now(),
            )  # fmt: skip
            users = await _prepare_users(sim, users_count, event.id)
            for user in users:  # each needs a card to press on
                await sim.user(user.id, user.first_name).send(f"/start e_{event.invite_code}")
            assert sim.app is not None
            app = sim.app
            started = time.perf_counter()
            ids = await _drive(sim.emulator, users, presses, event.id)
            for update_id in ids:
                await app.wait_processed(update_id, timeout=120)
            elapsed = time.perf_counter() - started
            rows = await sim.storage.rsvp_counts([event.id])
            assert rows[event.id].answered == users_count, rows
    return presses / elapsed


async def bench_bare(presses: int, users_count: int, concurrency: int) -> float:
    async with Emulator() as emu:
        done, started_all = asyncio.Event(), asyncio.Event()
        handled = 0
        opened: list[int] = []

        async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            nonlocal handled
            assert update.callback_query is not None
            await update.callback_query.answer("ok")
            handled += 1
            if handled >= presses:
                done.set()

        async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_chat is not None
            await context.bot.send_message(
                update.effective_chat.id,
                "card",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("Yes", callback_data="y")]]
                ),
            )
            opened.append(update.effective_chat.id)
            if len(opened) >= users_count:
                started_all.set()

        app = (
            ApplicationBuilder()
            .token(emu.token)
            .base_url(emu.base_url)
            .concurrent_updates(concurrency)
            .connection_pool_size(max(16, concurrency * 2))
            .build()
        )
        app.add_handler(CommandHandler("start", on_start))
        app.add_handler(CallbackQueryHandler(on_press))
        await app.initialize()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        users = [emu.user(700_000 + i, f"U{i}") for i in range(users_count)]
        for user in users:
            await user.send("/start")
        await asyncio.wait_for(started_all.wait(), timeout=60)
        began = time.perf_counter()
        for n in range(presses):
            await users[n % users_count].press_data("y")
        await asyncio.wait_for(done.wait(), timeout=120)
        elapsed = time.perf_counter() - began
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    return presses / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=3000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    bare = await bench_bare(args.presses, args.users, args.concurrency)
    print(f"bare PTB: {bare:.0f} presses/s", flush=True)
    full = await bench_full(args.presses, args.users, args.concurrency)
    print(f"full stack: {full:.0f} presses/s", flush=True)
    print(
        json.dumps(
            {
                "rsvp_per_s": round(full, 1),
                "bare_per_s": round(bare, 1),
                "ratio": round(full / bare, 3),
                "presses": args.presses,
                "concurrency": args.concurrency,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
