"""Webhook mode with several bots (bot/webhook.py ``serve_bots``): one server, one path and
one secret per bot. The emulator plays Telegram for each token (it delivers each bot's
updates to that bot's URL with that bot's secret); direct posts play the attacker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.config import SettingsError, explicit_settings
from bot.emulator import Emulator
from bot.sim import UpdateTracker
from bot.tenancy import tenants_of
from bot.webhook import SECRET_HEADER, WebhookBot, serve_bots
from tests.test_webhook import free_port, update

TOKENS = {"main": "111111:MAIN-TOKEN", "acme": "222222:ACME-TOKEN"}


@dataclass
class Running:
    apps: dict[str, KvietimasApplication]
    processed: dict[str, UpdateTracker]
    emulators: dict[str, Emulator]
    urls: dict[str, str]
    secrets: dict[str, str]
    stop: asyncio.Event
    task: asyncio.Task[None]


@pytest.fixture
async def two_hooks(tmp_path: Path) -> AsyncIterator[Running]:
    host = Emulator(token=TOKENS["main"], bot_username="main_bot")
    emulators = {"main": host, "acme": host.add_bot(TOKENS["acme"], bot_username="acme_bot")}
    await host.start()
    port = free_port()
    top = explicit_settings(
        telegram={"token": TOKENS["main"], "base_url": host.base_url,
                  "webhook_url": f"http://127.0.0.1:{port}/tg", "webhook_secret": "top-Secret"},
        organisers=[1000],
        database={"path": str(tmp_path / "data" / "kvietimas.sqlite3")},
        bots=[{"key": "acme", "token": TOKENS["acme"], "organisers": [2000]}],
    )  # fmt: skip
    tenants = {t.key: t for t in tenants_of(top, [])}
    apps = {key: build_application(t.settings) for key, t in tenants.items()}
    processed = {key: UpdateTracker(app) for key, app in apps.items()}
    urls, secrets = {}, {}
    for key, tenant in tenants.items():
        telegram = tenant.settings.telegram
        assert telegram.webhook_url is not None
        assert telegram.webhook_secret is not None
        urls[key], secrets[key] = telegram.webhook_url, telegram.webhook_secret.get_secret_value()
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve_bots(
            [WebhookBot(apps[k], urls[k], secrets[k], k) for k in apps],
            listen="127.0.0.1", port=port, allowed_updates=ALLOWED_UPDATES, stop=stop,
        )
    )  # fmt: skip
    try:
        async with asyncio.timeout(20):
            while not all(
                app.running and emulators[k].webhook.get("url") for k, app in apps.items()
            ):
                assert not task.done(), task
                await asyncio.sleep(0.01)
        yield Running(apps, processed, emulators, urls, secrets, stop, task)
    finally:
        stop.set()
        await task
        await host.stop()


async def test_each_bot_gets_its_own_path_secret_and_updates(two_hooks: Running) -> None:
    assert two_hooks.urls["main"].endswith("/tg")
    assert two_hooks.urls["acme"].endswith("/tg/acme")
    assert two_hooks.secrets["main"] != two_hooks.secrets["acme"]
    for key, emulator in two_hooks.emulators.items():
        hook = emulator.webhook
        assert (hook["url"], hook["secret_token"]) == (two_hooks.urls[key], two_hooks.secrets[key])
        person = emulator.user(8601, "Alice")
        await two_hooks.processed[key].wait(await person.send("/help"))
        assert "/my" in str(person.last().text)
    for emulator in two_hooks.emulators.values():
        assert len(emulator.chat_messages(8601)) == 1  # each answered in its own chat


async def test_a_bots_secret_does_not_open_another_bots_path(two_hooks: Running) -> None:
    async with aiohttp.ClientSession() as http:
        # acme's secret on main's path, main's on acme's: refused, never handled
        for key, other in (("main", "acme"), ("acme", "main")):
            headers = {SECRET_HEADER: two_hooks.secrets[other]}
            async with http.post(two_hooks.urls[key], json=update(7301), headers=headers) as r:
                assert r.status == 403
        headers = {SECRET_HEADER: two_hooks.secrets["acme"]}
        base = two_hooks.urls["main"]
        for path in ("/tg/beta", "/tg/acme/x", "/"):
            async with http.post(
                base.replace("/tg", path), json=update(7302), headers=headers
            ) as r:
                assert r.status == 404  # unknown paths
        async with http.post(two_hooks.urls["acme"], json=update(7303), headers=headers) as r:
            assert r.status == 200
    await two_hooks.processed["acme"].wait(7303)
    for key in ("main", "acme"):
        assert 7301 not in two_hooks.processed[key].ids
        assert 7302 not in two_hooks.processed[key].ids
    assert 7303 not in two_hooks.processed["main"].ids


async def test_stopping_stops_every_bot(two_hooks: Running) -> None:
    two_hooks.stop.set()
    await two_hooks.task
    for app in two_hooks.apps.values():
        assert not app.running
        assert not app.services.db.database.is_open


async def test_two_bots_on_one_path_are_refused_before_anything_starts(tmp_path: Path) -> None:
    host = Emulator()
    await host.start()
    try:
        settings = explicit_settings(
            telegram={"token": host.token, "base_url": host.base_url},
            database={"path": str(tmp_path / "a.sqlite3")},
        )
        app = build_application(settings)
        url = "http://127.0.0.1:1/same"
        with pytest.raises(SettingsError, match="two bots have the webhook path /same"):
            await serve_bots(
                [WebhookBot(app, url, "s1", "a"), WebhookBot(app, url, "s2", "b")],
                listen="127.0.0.1", port=free_port(), allowed_updates=ALLOWED_UPDATES,
            )  # fmt: skip
        assert host.calls_to("getMe") == []
    finally:
        await host.stop()
