"""The organisers' dashboard under load: 1,000,000 answers over 200 events.

The database: 200 events in 8 programmes of 25; per event 500 questionnaire responses of
10 questions (the "extended" template: six 1-5 ratings, a single and a multiple choice, the
0-10 question, a comment), loaded in bulk through ``db.surveys.load_answers``, and 30 people
who answered the invitation (yes, maybe, no; those saying yes marked present), through the
repositories the bot uses.

The server runs in a process of its own (``--serve``), exactly as the bot mounts it
(``bot.webapp.add_routes`` on an aiohttp server, one SQLite connection); the load comes from
this process: ``--concurrency`` aiohttp clients, each request carrying a freshly signed
``Authorization: tma <initData>``, at random event pages (``/api/events/{id}``) and, one
request in ten, programme pages (``/api/programmes/{id}``: 25 events, 125,000 answers).

Last line: {"answers": ..., "event_page_ms_p50": ..., "event_page_ms_p99": ...,
"programme_page_ms_p50": ..., "requests_per_s": ...}
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from bot.clock import SystemClock
from bot.config import Settings, explicit_settings
from bot.i18n import Translator
from bot.models import EventDraft, RsvpStatus
from bot.services import Services
from bot.storage import storage_for
from bot.surveys.model import QuestionKind, load_template
from bot.webapp.auth import sign_init_data

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:dashboard-bench-token"
ORGANISER = 1000
ORGANISATIONS = (
    "Akmenės rajono savivaldybės administracija", "Užimtumo tarnyba",
    "Akmenės rajono savivaldybės viešoji biblioteka", "Akmenės rajono paramos šeimai centras",
    "Joniškio rajono savivaldybė", "Šiaulių miesto socialinių paslaugų centras",
    "Vilniaus miesto savivaldybė", "Kauno rajono švietimo centras",
)  # fmt: skip
COMMENTS = ("Daugiau praktinių pavyzdžių.", "Puikūs lektoriai.", "Per trumpa pertrauka.")


def settings_for(path: Path, cache_s: float = 15.0) -> Settings:
    return explicit_settings(
        telegram={"token": TOKEN}, organisers=[ORGANISER], database={"path": path},
        webapp={"url": "https://bench.example.org/dashboard/", "max_age_s": 86400,
                "scores_cache_s": cache_s},
    )  # fmt: skip


async def build(path: Path, events: int, respondents: int, programmes: int) -> tuple[int, int]:
    """The database; returns (answers, programmes)."""
    now = datetime(2027, 6, 1, tzinfo=UTC)
    storage = storage_for(settings_for(path))
    await storage.open()
    definition = load_template("extended")
    rng = random.Random(2027)
    start = datetime(2027, 1, 11, 8, tzinfo=UTC)
    event_ids = []
    for i in range(events):
        draft = EventDraft(
            title=f"Seminaras {i + 1}", starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=6), timezone="Europe/Vilnius",
            programme=f"Programa {i % programmes + 1}", capacity=40,
        )  # fmt: skip
        event_id = await storage.events.insert_event(
            draft, invite_code=f"bench{i:05d}", created_by=None, now=now
        )
        await storage.surveys.replace_survey(
            event_id, template=definition.name, definition=definition.to_json(),
            anonymous=i % 2 == 0, now=now,
        )  # fmt: skip
        event_ids.append(event_id)
    stamp = now.isoformat(timespec="seconds")
    answers, response_id = 0, 0
    for event_id in event_ids:
        responses, rows = [], []
        mood_of_event = rng.uniform(3.2, 4.6)
        for _ in range(respondents):
            response_id += 1
            org = rng.choice(ORGANISATIONS)
            responses.append((response_id, event_id, org, 10, stamp, stamp, stamp))
            mood = mood_of_event + rng.gauss(0, 0.6)
            for q in definition.questions:
                rating: int | None = None
                text: str | None = None
                if q.kind is QuestionKind.RATING:
                    rating = min(5, max(1, round(mood + rng.gauss(0, 0.7))))
                elif q.kind is QuestionKind.NPS:
                    rating = min(10, max(0, round(2 * mood + rng.gauss(0, 1.2))))
                elif q.kind is QuestionKind.SINGLE:
                    rating = rng.randint(1, len(q.options))
                elif q.kind is QuestionKind.MULTI:
                    rating = rng.randint(0, 2 ** len(q.options) - 1) or None
                elif rng.random() < 0.3:
                    text = rng.choice(COMMENTS)
                rows.append((response_id, q.id, event_id, rating, text, stamp))
        answers += await storage.surveys.load_answers(responses, rows)
    # 30 people per event answered the invitation; those saying yes were present.
    person = 0
    for event_id in event_ids:
        for k in range(30):
            person += 1
            row = await storage.people.ensure_participant(10_000 + person, language="lt", now=now)
            await storage.people.set_participant_profile(
                row.id, name=f"Dalyvis {person}", organisation=ORGANISATIONS[k % 8], now=now
            )
            status = (RsvpStatus.YES, RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO)[k % 4]
            await storage.rsvps.apply_rsvp(
                event_id, row.id, status, capacity=40, now=now, invite_source="link"
            )
        await storage.attendance.mark_yes_present(event_id, now=now)
    await storage.close()
    return answers, programmes


async def serve(path: Path, port: int, cache_s: float) -> None:
    """The server process: the dashboard as the bot mounts it."""
    from aiohttp import web

    from bot.web import WebServer
    from bot.webapp import add_routes

    settings = settings_for(path, cache_s)
    storage = storage_for(settings)
    await storage.open()
    services = Services(settings, storage, Translator(), SystemClock())
    app = web.Application()
    add_routes(app, [services], prefix="/dashboard")
    server = WebServer(app, listen="127.0.0.1", port=port)
    await server.start()
    print(f"serving {server.port}", flush=True)
    await asyncio.Event().wait()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(
    port: int, events: int, programmes: int, requests: int, concurrency: int
) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}/dashboard/api"
    rng = random.Random(7)
    plan = [
        ("programme", f"{base}/programmes/{rng.randint(1, programmes)}")
        if i % 10 == 9
        else ("event", f"{base}/events/{rng.randint(1, events)}")
        for i in range(requests)
    ]
    times: dict[str, list[float]] = {"event": [], "programme": []}
    failures = 0
    queue = iter(plan)

    async def worker(http: aiohttp.ClientSession) -> None:
        nonlocal failures
        for kind, url in queue:
            launch = sign_init_data(
                TOKEN, {"id": ORGANISER, "language_code": "lt"}, int(time.time())
            )
            began = time.perf_counter()
            async with http.get(url, headers={"Authorization": f"tma {launch}"}) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            times[kind].append((time.perf_counter() - began) * 1000)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        for kind, url in [*plan[:3], ("programme", f"{base}/programmes/1")]:  # warm the cache
            launch = sign_init_data(TOKEN, {"id": ORGANISER}, int(time.time()))
            async with http.get(url, headers={"Authorization": f"tma {launch}"}) as response:
                assert response.status == 200, (kind, response.status)
        began = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    print(
        f"{len(times['event'])} event pages, {len(times['programme'])} programme pages, "
        f"{concurrency} at a time, {failures} failed; event p99 aim 100 ms, programme 1000 ms",
        flush=True,
    )
    return {
        "event_page_ms_p50": round(statistics.median(times["event"]), 1),
        "event_page_ms_p99": round(percentile(times["event"], 0.99), 1),
        "programme_page_ms_p50": round(statistics.median(times["programme"]), 1),
        "programme_page_ms_p99": round(percentile(times["programme"], 0.99), 1),
        "requests_per_s": round(requests / elapsed, 1),
        "failed": failures,
    }


async def main(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard.sqlite3"
        began = time.perf_counter()
        answers, programmes = await build(path, args.events, args.respondents, args.programmes)
        print(f"built {answers} answers in {time.perf_counter() - began:.1f} s", flush=True)
        child = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve", str(path), "--port", "0",
            "--cache-s", str(args.cache_s),
            stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        try:
            assert child.stdout is not None
            line = (await child.stdout.readline()).decode()
            assert line.startswith("serving "), line
            port = int(line.split()[1])
            figures = await load(port, args.events, programmes, args.requests, args.concurrency)
        finally:
            child.terminate()
            await asyncio.wait_for(child.wait(), 10)
    return {"answers": answers, **figures, "scores_cache_s": args.cache_s}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--respondents", type=int, default=500)
    parser.add_argument("--programmes", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--cache-s", type=float, default=15.0,
        help="[webapp] scores_cache_s of the server (0: every page computes its scores)",
    )  # fmt: skip
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        asyncio.run(serve(args.serve, args.port, args.cache_s))
    else:
        print(json.dumps(asyncio.run(main(args))))
