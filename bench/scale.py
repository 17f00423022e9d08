"""Several workers serving several bots: throughput, press latency, a SIGKILL's failover.

For each W of ``--workers`` (default 1, 2, 4): W real ``python -m bot run --worker-id wN``
processes serve B bots (``--bots``, default 8) on one database (PostgreSQL when a server
can be started, bot/pgcluster.py; else SQLite in WAL mode on this machine), against the
emulator enforcing Telegram's ~30 messages/s per token. Every bot broadcasts an invitation
with RSVP buttons to ``--recipients`` people (default 1,000) while ``--pressers`` of them
(default 300) press an answer soon after it reaches them. With W > 1, once 40 % of the
messages are out, the worker holding the first bot's sender is killed with SIGKILL.

Figures (one JSON line per W, then the last line: the largest W's, with every run in
"runs"):

* ``delivered``: recipients who got the invitation; ``lost``: who did not; ``duplicates``:
  deliveries beyond one per recipient, next to ``duplicates_counted`` (the campaigns'
  possible_duplicates: a duplicate is never silent);
* ``aggregate_msgs_per_s``: invitations delivered per second over all bots while every bot
  was still sending; ``limit_msgs_per_s``: bots x 30; ``rate_fraction``: their ratio;
* ``press_p50_ms`` / ``press_p99_ms``: from a press to the bot's answer to it (the presses
  waiting for a poller that was killed included); ``presses_answered``;
* ``failover_s``: from the SIGKILL to the first bot's sender lease held by another worker;
  ``http_429``: sends Telegram (the emulator) refused for going too fast.

    python bench/scale.py                       # W = 1, 2, 4; 8 bots
    python bench/scale.py --workers 4 --bots 4 --recipients 500 --pressers 150
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.callbacks import Answer, RsvpPress
from bot.config import Settings, explicit_settings
from bot.emulator import Emulator
from bot.events import import_event
from bot.leases import preference
from bot.messages import Button, OutgoingMessage
from bot.models import LeaseRow, OutboxItem
from bot.storage import Storage, storage_for
from bot.tenancy import tenants_of

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "event.toml"
ORGANISER = 1000
RATE = 30  # messages/s per token, as Telegram
ANSWERS = (Answer.YES, Answer.MAYBE, Answer.NO)


@dataclass
class Bot:
    key: str
    emulator: Emulator
    db: Storage
    campaign: int = 0
    event: int = 0
    users: list[int] = field(default_factory=list)
    pressers: set[int] = field(default_factory=set)
    marker: str = ""
    arrivals: list[tuple[float, int]] = field(default_factory=list)  # (time, chat), in order
    seen: int = 0  # sendMessage calls looked at so far

    def scan(self) -> list[tuple[float, int]]:
        """Invitations delivered since the last look (the emulator's record, read once)."""
        calls = self.emulator._calls_by_method.get("sendMessage", [])
        new = [
            (call.time, call.chat_id)
            for call in calls[self.seen :]
            if call.ok and isinstance(call.chat_id, int) and call.params.get("text") == self.marker
        ]
        self.seen = len(calls)
        self.arrivals += new
        return new


class Worker:
    def __init__(self, workdir: Path, worker_id: str, env: dict[str, str]) -> None:
        self.id = worker_id
        self.env = env
        self.workdir = workdir
        self.log = workdir / f"{worker_id}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--worker-id", self.id, "--log-level",
                "WARNING", cwd=self.workdir, env=self.env, stdin=asyncio.subprocess.DEVNULL,
                stdout=log, stderr=log,
            )  # fmt: skip

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 60)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()


def _database(workdir: Path, url: str | None) -> dict[str, Any]:
    database: dict[str, Any] = {"path": str(workdir / "bot.sqlite3")}
    if url is not None:
        database["url"] = url
    return database


def _bots_config(emulators: dict[str, Emulator]) -> list[dict[str, Any]]:
    return [
        {"key": key, "token": emu.token, "username": emu.bot_username,
         "organisers": [ORGANISER], "organisation_name": f"Org {key}"}
        for key, emu in emulators.items()
    ]  # fmt: skip


def _settings(workdir: Path, url: str | None, emulators: dict[str, Emulator]) -> Settings:
    return explicit_settings(
        telegram={"base_url": emulators[next(iter(emulators))].base_url},
        database=_database(workdir, url),
        bots=_bots_config(emulators),
    )


def _env(
    workdir: Path, url: str | None, host: Emulator, emulators: dict[str, Emulator]
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        BOT_BOTS=json.dumps(_bots_config(emulators)),
        BOT_TELEGRAM__BASE_URL=host.base_url,
        BOT_TELEGRAM__BASE_FILE_URL=host.base_file_url,
        BOT_DATABASE__PATH=str(workdir / "bot.sqlite3"),
        BOT_LOG_FORMAT="json",
        PTB_TIMEDELTA="true",
    )
    if url is not None:
        env["BOT_DATABASE__URL"] = url
    return env


def _drop_schemas(url: str, keys: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for key in keys:
            conn.execute(f'DROP SCHEMA IF EXISTS "bot_{key}" CASCADE')


async def _seed(bot: Bot, recipients: int, pressers: int, first_user: int) -> None:
    """People who opened the bot; the first ``pressers`` of every ten are registered (they
    will press); one event they are all invited to; a held campaign inviting them to it."""
    storage, emu = bot.db, bot.emulator
    now = datetime.now(UTC)
    event, _ = await import_event(
        storage, EXAMPLE.read_text(encoding="utf-8"), default_zone="Europe/Vilnius", now=now
    )
    bot.event = event.id
    bot.marker = f"Kvietimas scale {bot.key}"
    share = pressers / recipients
    buttons = (tuple(Button(a.value, RsvpPress(event.id, a).pack()) for a in ANSWERS),)
    payload = OutgoingMessage(bot.marker, buttons=buttons).to_json()
    items, ids = [], []
    for n in range(recipients):
        user_id = first_user + n
        emu._private_chat(emu.user(user_id, f"U{n}", language_code="en")).started = True
        person = await storage.people.ensure_participant(user_id, language="en", now=now)
        if len(bot.pressers) < pressers and (n % 10) < round(share * 10):
            await storage.people.record_consent(person.id, "bench", now)
            await storage.people.set_participant_profile(
                person.id, name=f"Dalyvis {n}", organisation=f"Org {n % 8}", now=now
            )
            bot.pressers.add(user_id)
        bot.users.append(user_id)
        ids.append(person.id)
        items.append(OutboxItem(user_id, payload, person.id))
    await storage.invitations.invite_many(event.id, ids, "broadcast", now)
    bot.campaign = await storage.campaigns.create_campaign(
        kind="notice", event_id=event.id, segment={}, created_by=ORGANISER, now=now,
        status="draft",
    )  # fmt: skip
    await storage.outbox.enqueue(
        items, campaign_id=bot.campaign, not_before=now, now=now, on_hold=True
    )


async def _lease(storage: Storage, name: str) -> LeaseRow | None:
    now = datetime.now(UTC)
    for row in await storage.leases.lease_rows():
        if row.name == name and row.expires_at >= now:
            return row
    return None


async def _settled(bots: list[Bot], workers: list[Worker]) -> bool:
    """Every bot's sender is held by its preferred worker among the live ones."""
    live = [w.id for w in workers if w.proc is not None and w.proc.returncode is None]
    for bot in bots:
        row = await _lease(bot.db, "sender")
        best = max(live, key=lambda w: preference(str(bot.db.path), "sender", w))
        if row is None or row.holder != best:
            return False
    return True


async def run(
    workers_count: int, bots_count: int, recipients: int, pressers: int, url: str | None,
    *, kill: bool,
) -> dict[str, Any]:  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="kv-scale-"))
    keys = [f"s{workers_count}b{i}" for i in range(bots_count)]
    if url is not None:
        _drop_schemas(url, keys)
    host = Emulator(token="800000:SCALE-0", bot_username=f"{keys[0]}_bot", global_limit_per_s=RATE)
    emulators = {keys[0]: host}
    for i, key in enumerate(keys[1:], start=1):
        emulators[key] = host.add_bot(f"80000{i}:SCALE-{i}", bot_username=f"{key}_bot")
    workers: list[Worker] = []
    bots: list[Bot] = []
    try:
        async with host:
            settings = _settings(workdir, url, emulators)
            storages = {t.key: storage_for(t.settings) for t in tenants_of(settings, [])}
            for key in keys:
                storage = storages[key]
                await storage.open()
                bots.append(Bot(key, emulators[key], storage))
            seeded = time.monotonic()
            await asyncio.gather(
                *(_seed(b, recipients, pressers, 1_000_000 * (n + 1)) for n, b in enumerate(bots))
            )
            seed_s = time.monotonic() - seeded
            env = _env(workdir, url, host, emulators)
            workers = [Worker(workdir, f"w{i}", env) for i in range(1, workers_count + 1)]
            for worker in workers:
                await worker.start()
            ready_at = time.monotonic() + 120
            while not await _settled(bots, workers):
                for worker in workers:
                    if worker.proc is not None and worker.proc.returncode is not None:
                        raise RuntimeError(f"worker {worker.id} exited: {worker.log.read_text()}")
                if time.monotonic() > ready_at:
                    break
                await asyncio.sleep(0.5)
            # Go: every campaign released at once.
            now = datetime.now(UTC)
            started = time.monotonic()
            for bot in bots:
                await bot.db.campaigns.activate_campaign(bot.campaign, now)
            figures = await _drive(bots, workers, recipients, kill=kill and workers_count > 1)
            figures["seed_s"] = round(seed_s, 1)
            figures["run_s"] = round(time.monotonic() - started, 1)
            await asyncio.gather(*(w.stop() for w in workers))
            duplicates_counted = 0
            for bot in bots:
                progress = await bot.db.campaigns.campaign_progress(bot.campaign)
                duplicates_counted += progress.possible_duplicates if progress else 0
            figures["duplicates_counted"] = duplicates_counted
    finally:
        for worker in workers:
            if worker.proc is not None and worker.proc.returncode is None:
                worker.proc.kill()
                await worker.proc.wait()
        for bot in bots:
            await bot.db.close()
        if url is not None:
            _drop_schemas(url, keys)
        shutil.rmtree(workdir, ignore_errors=True)
    return {"bots": bots_count, "workers": workers_count, **figures}


async def _drive(
    bots: list[Bot], workers: list[Worker], recipients: int, *, kill: bool
) -> dict[str, Any]:
    """Presses as the invitations arrive, the SIGKILL, until everything is out."""
    total = recipients * len(bots)
    pressed: dict[str, float] = {}  # callback query id -> press time
    done: set[int] = set()  # (bot index << 32) | user id: pressed already
    failover_s: float | None = None
    killed_at: float | None = None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        out = 0
        for index, bot in enumerate(bots):
            for _, chat in bot.scan():
                key = (index << 32) | chat
                if chat in bot.pressers and key not in done:
                    done.add(key)
                    answer = ANSWERS[chat % 3]
                    user = bot.emulator.user(chat, "")
                    await user.press_data(RsvpPress(bot.event, answer).pack())
                    qid = str(4_000_000_000_000_000 + bot.emulator._query_seq)
                    pressed[f"{index}:{qid}"] = time.monotonic()
            out += len(bot.arrivals)
        if kill and killed_at is None and out >= 0.4 * total:
            row = await _lease(bots[0].db, "sender")
            victim = next(w for w in workers if row is not None and w.id == row.holder)
            killed_at = time.monotonic()
            await victim.kill()
            while time.monotonic() - killed_at < 60:
                new = await _lease(bots[0].db, "sender")
                if new is not None and new.holder != victim.id:
                    failover_s = time.monotonic() - killed_at
                    break
                await asyncio.sleep(0.05)
        if out >= total and not sum([await b.db.outbox.outbox_pending_count() for b in bots]):
            break
        await asyncio.sleep(0.1)
    # Let the last presses be answered.
    answers: dict[str, float] = {}
    until = time.monotonic() + 30
    while time.monotonic() < until:
        answers = {}
        for index, bot in enumerate(bots):
            for call in bot.emulator.calls_to("answerCallbackQuery"):
                qid = f"{index}:{call.params.get('callback_query_id')}"
                if qid in pressed and qid not in answers:
                    answers[qid] = call.time
        if len(answers) >= len(pressed):
            break
        await asyncio.sleep(0.2)
    latencies = sorted((answers[q] - pressed[q]) * 1000 for q in answers)
    return _figures(bots, recipients, latencies, len(pressed), failover_s, killed_at)


def _figures(
    bots: list[Bot], recipients: int, latencies: list[float], presses: int,
    failover_s: float | None, killed_at: float | None,
) -> dict[str, Any]:  # fmt: skip
    delivered = duplicates = http_429 = 0
    times: list[float] = []
    lasts: list[float] = []
    per_bot: list[float] = []  # each bot's own pace, before the SIGKILL
    for bot in bots:
        bot.scan()
        arrived = bot.arrivals
        steady = [t for t, _ in arrived if killed_at is None or t <= killed_at]
        if len(steady) > 1 and steady[-1] > steady[0]:
            per_bot.append(round((len(steady) - 1) / (steady[-1] - steady[0]), 1))
        chats = {chat for _, chat in arrived}
        delivered += len(chats & set(bot.users))
        duplicates += len(arrived) - len(chats)
        http_429 += sum(1 for c in bot.emulator.calls_to("sendMessage") if c.status == 429)
        stamps = sorted(t for t, _ in arrived)
        times += stamps
        if stamps:
            lasts.append(stamps[-1])
    times.sort()
    aggregate = 0.0
    if times and lasts:
        # While every bot was sending at full pace: from a second after the first delivery
        # to the first bot done, or to the SIGKILL (the failover is measured on its own).
        start = times[0] + 1.0
        end = min([*lasts, *([killed_at] if killed_at is not None else [])])
        window = [t for t in times if start <= t <= end]
        if end > start:
            aggregate = len(window) / (end - start)
    limit = RATE * len(bots)

    def percentile(q: float) -> float | None:
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    return {
        "delivered": delivered,
        "lost": recipients * len(bots) - delivered,
        "duplicates": duplicates,
        "aggregate_msgs_per_s": round(aggregate, 1),
        "limit_msgs_per_s": limit,
        "rate_fraction": round(aggregate / limit, 3),
        "press_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "press_p99_ms": percentile(0.99),
        "presses_answered": f"{len(latencies)}/{presses}",
        "failover_s": None if failover_s is None else round(failover_s, 1),
        "http_429": http_429,
        "per_bot_msgs_per_s": per_bot,
    }


def _database_url(engine: str) -> tuple[str | None, Any]:
    if engine == "sqlite":
        return None, None
    from bot.pgcluster import SKIP_REASON, test_database_url

    url, cluster = test_database_url()
    if url is None:
        if engine == "postgresql":
            raise SystemExit(f"error: {SKIP_REASON}")
        print(f"note: {SKIP_REASON}; running on SQLite (WAL)", file=sys.stderr)
    return url, cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, e.g. 1,2,4")
    parser.add_argument("--bots", type=int, default=8)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--pressers", type=int, default=300)
    parser.add_argument("--engine", choices=("auto", "postgresql", "sqlite"), default="auto")
    parser.add_argument("--no-kill", action="store_true", help="no SIGKILL")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    url, cluster = _database_url(args.engine)
    runs: list[dict[str, Any]] = []
    try:
        for count in counts:
            figures = asyncio.run(
                run(count, args.bots, args.recipients, args.pressers, url, kill=not args.no_kill)
            )
            figures["engine"] = "postgresql" if url else "sqlite"
            print(json.dumps(figures), flush=True)
            runs.append(figures)
    finally:
        if cluster is not None:
            cluster.stop()
    largest = max(runs, key=lambda r: int(r["workers"]))
    print(json.dumps({**largest, "runs": runs}))


if __name__ == "__main__":
    main()
