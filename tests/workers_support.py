"""Several real ``python -m bot run --worker-id ID`` processes serving several bots on the
emulator, configured only through the environment as an operator would (tests of issue 14
and bench/scale.py share it).

The bots are ``[[bots]]`` of the deployment (``BOT_BOTS``), each with its own namespace: on
SQLite its file ``bots/<key>.sqlite3`` (WAL, several processes on one machine), on
PostgreSQL its schema ``bot_<key>`` (``BOT_DATABASE__URL``).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings, explicit_settings
from bot.emulator import EmulatedUser, Emulator
from bot.events import import_event
from bot.messages import OutgoingMessage
from bot.models import LeaseRow, OutboxItem
from bot.storage import Storage, storage_for
from bot.tenancy import tenants_of

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_EVENT = ROOT / "examples" / "event.toml"
ORGANISER = 1000


@dataclass
class Deployment:
    """The settings every worker gets, and each bot's storage as seen from outside."""

    workdir: Path
    emulator: Emulator
    bots: dict[str, Emulator]  # key -> that bot's emulator (one token each)
    postgres_url: str | None = None
    extra_env: dict[str, str] | None = None

    def bots_json(self) -> str:
        return json.dumps(
            [
                {"key": key, "token": emu.token, "username": emu.bot_username,
                 "organisers": [ORGANISER], "organisation_name": f"Org {key}"}
                for key, emu in self.bots.items()
            ]
        )  # fmt: skip

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_BOTS=self.bots_json(),
            BOT_TELEGRAM__BASE_URL=self.emulator.base_url,
            BOT_TELEGRAM__BASE_FILE_URL=self.emulator.base_file_url,
            BOT_DATABASE__PATH=str(self.workdir / "bot.sqlite3"),
            BOT_LOG_FORMAT="json",
            PTB_TIMEDELTA="true",
        )
        if self.postgres_url is not None:
            env["BOT_DATABASE__URL"] = self.postgres_url
        env.update(self.extra_env or {})
        return env

    def settings(self) -> Settings:
        database: dict[str, Any] = {"path": str(self.workdir / "bot.sqlite3")}
        if self.postgres_url is not None:
            database["url"] = self.postgres_url
        return explicit_settings(
            telegram={"base_url": self.emulator.base_url},
            database=database,
            bots=json.loads(self.bots_json()),
        )

    def storages(self) -> dict[str, Storage]:
        """Each bot's storage (not opened), built as the workers build theirs."""
        return {t.key: storage_for(t.settings) for t in tenants_of(self.settings(), [])}

    def schemas(self) -> list[str]:
        return [f"bot_{key}" for key in self.bots]


class Worker:
    """One ``python -m bot run --worker-id ID`` process."""

    def __init__(self, deployment: Deployment, worker_id: str, *args: str) -> None:
        self.deployment = deployment
        self.id = worker_id
        self.args = args
        self.log = deployment.workdir / f"{worker_id}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--worker-id", self.id, *self.args,
                cwd=self.deployment.workdir, env=self.deployment.env(),
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def terminate(self, timeout: float = 60) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), timeout)

    async def ensure_stopped(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    def tail(self, size: int = 3000) -> str:
        if not self.log.exists():
            return ""
        return self.log.read_text(encoding="utf-8", errors="replace")[-size:]


async def until(
    check: Callable[[], bool | Awaitable[bool]], timeout: float = 60, step: float = 0.1
) -> None:
    async with asyncio.timeout(timeout):
        while True:
            result = check()
            if result if isinstance(result, bool) else await result:
                return
            await asyncio.sleep(step)


def started_users(emu: Emulator, first_id: int, count: int) -> list[EmulatedUser]:
    """Users who opened the bot before (so it may write to them)."""
    users = [emu.user(first_id + i, f"U{i}", language_code="en") for i in range(count)]
    for user in users:
        emu._private_chat(user).started = True
    return users


def soon_event(starts_in: timedelta) -> str:
    """The example event, starting ``starts_in`` from now (no answer deadline)."""
    text = EXAMPLE_EVENT.read_text(encoding="utf-8")
    start = (datetime.now(UTC) + starts_in).astimezone(UTC)
    lines = []
    for line in text.splitlines():
        if line.startswith("rsvp_deadline"):
            continue
        if line.startswith("timezone"):
            line = 'timezone = "UTC"'
        elif line.startswith("starts"):
            line = f"starts = {start.strftime('%Y-%m-%dT%H:%M:%S')}"
        elif line.startswith("ends"):
            line = f"ends = {(start + timedelta(hours=2)).strftime('%Y-%m-%dT%H:%M:%S')}"
        elif line.startswith("capacity"):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


async def seed_bot(
    storage: Storage,
    users: Sequence[EmulatedUser],
    *,
    text: str,
    event_text: str | None = None,
    yes: int = 0,
    due_in: timedelta = timedelta(0),
) -> tuple[int, int | None]:
    """Participants for ``users``, optionally an event with ``yes`` of them answering yes,
    and a running campaign of ``text`` to all of them, due ``due_in`` from now. Returns
    (campaign, event id)."""
    from bot.models import RsvpStatus

    now = datetime.now(UTC)
    event_id: int | None = None
    if event_text is not None:
        event, _ = await import_event(storage, event_text, default_zone="UTC", now=now)
        event_id = event.id
    campaign = await storage.campaigns.create_campaign(
        kind="notice", event_id=None, segment={}, created_by=ORGANISER, now=now
    )
    items = []
    for n, user in enumerate(users):
        person = await storage.people.ensure_participant(user.id, language="en", now=now)
        items.append(OutboxItem(user.id, OutgoingMessage(text).to_json(), person.id))
        if event_id is not None and n < yes:
            await storage.rsvps.apply_rsvp(
                event_id, person.id, RsvpStatus.YES, capacity=None, now=now,
                invite_source="import",
            )  # fmt: skip
    await storage.outbox.enqueue(items, campaign_id=campaign, not_before=now + due_in, now=now)
    return campaign, event_id


def delivered(emu: Emulator, text: str) -> dict[int, int]:
    """chat -> how many times ``text`` reached it."""
    counts: dict[int, int] = {}
    for call in emu.calls_to("sendMessage"):
        if call.ok and call.params.get("text") == text and isinstance(call.chat_id, int):
            counts[call.chat_id] = counts.get(call.chat_id, 0) + 1
    return counts


async def lease_of(storage: Storage, name: str) -> LeaseRow | None:
    for row in await storage.leases.lease_rows():
        if row.name == name and row.expires_at >= datetime.now(UTC):
            return row
    return None


def drop_schemas(url: str, schemas: Sequence[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
