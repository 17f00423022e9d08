"""Webhook mode (bot/webhook.py): only Telegram, with the secret, gets an update in.

The real Application behind our webhook server, the emulator playing Telegram (it delivers
updates to the webhook with the secret header), and direct HTTP posts playing the attacker.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.config import SettingsError
from bot.emulator import Emulator
from bot.sim import Simulation, UpdateTracker
from bot.webhook import MAX_BODY_BYTES, SECRET_HEADER, check_secret, serve

SECRET = "s3cret-Token_1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    app: KvietimasApplication
    processed: UpdateTracker
    emulator: Emulator
    url: str
    stop: asyncio.Event
    task: asyncio.Task[None]


@pytest.fixture
async def webhook(tmp_path: Path) -> AsyncIterator[Running]:
    emulator = Emulator()
    await emulator.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/kvietimas/hook"
    app = build_application(Simulation(tmp_path / "bot.sqlite3", emulator=emulator).settings())
    assert isinstance(app, KvietimasApplication)
    processed = UpdateTracker(app)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(app, url=url, secret=SECRET, listen="127.0.0.1", port=port,
              allowed_updates=ALLOWED_UPDATES, stop=stop)
    )  # fmt: skip
    async with asyncio.timeout(20):
        while not (app.running and emulator.webhook.get("url")):
            assert not task.done(), task
            await asyncio.sleep(0.01)
    try:
        yield Running(app, processed, emulator, url, stop, task)
    finally:
        stop.set()
        await task
        await emulator.stop()


def update(update_id: int, user_id: int = 8600, text: str = "/help") -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Mallory"}  # (emulator user 8600)
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 0, "text": text, "from": user,
            "chat": {"id": user_id, "type": "private"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }  # fmt: skip


@pytest.mark.parametrize(
    "secret", [None, "", "has space", "ünicode", "semi;colon", "x" * 257, "line\nbreak"]
)
def test_the_server_refuses_to_start_with_a_secret_telegram_would_not_accept(
    secret: str | None,
) -> None:
    with pytest.raises(SettingsError, match="webhook_secret"):
        check_secret(secret)


def test_telegram_characters_are_accepted() -> None:
    assert check_secret("A-z_0-9" * 36) == "A-z_0-9" * 36  # 252 characters


async def test_refused_before_anything_starts(tmp_path: Path) -> None:
    emulator = Emulator()
    await emulator.start()
    try:
        app = build_application(Simulation(tmp_path / "b.sqlite3", emulator=emulator).settings())
        with pytest.raises(SettingsError):
            await serve(app, url="http://127.0.0.1:1/hook", secret="bad secret", listen="127.0.0.1",
                        port=free_port(), allowed_updates=ALLOWED_UPDATES)  # fmt: skip
        assert not emulator.webhook  # setWebhook was never called
        assert emulator.calls_to("getMe") == []  # nor anything else
    finally:
        await emulator.stop()


async def test_updates_from_telegram_are_handled(webhook: Running) -> None:
    hook = webhook.emulator.webhook
    assert (hook["url"], hook["secret_token"]) == (webhook.url, SECRET)
    assert sorted(hook["allowed_updates"]) == sorted(ALLOWED_UPDATES)
    assert hook["max_connections"] == 40
    alice = webhook.emulator.user(8601, "Alice")
    await webhook.processed.wait(await alice.send("/help"))
    assert "/my" in str(alice.last().text)


async def test_a_forged_update_without_the_right_secret_is_refused_and_not_handled(
    webhook: Running,
) -> None:
    mallory = webhook.emulator.user(8600, "Mallory")
    await webhook.processed.wait(await mallory.send("/help"))  # opens the chat
    assert len(mallory.messages()) == 1
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}):
            async with http.post(webhook.url, json=update(7001), headers=headers) as resp:
                assert resp.status == 403
        async with http.post(
            webhook.url + "x", json=update(7002), headers={SECRET_HEADER: SECRET}
        ) as resp:
            assert resp.status == 404  # one path per bot
        # The same update with the secret goes in: the refused ones were never handled.
        async with http.post(
            webhook.url, json=update(7003), headers={SECRET_HEADER: SECRET}
        ) as resp:
            assert resp.status == 200
    await webhook.processed.wait(7003)
    assert 7001 not in webhook.processed.ids
    assert 7002 not in webhook.processed.ids
    assert len(mallory.messages()) == 2  # and the answer to 7003 only


async def test_an_oversized_body_is_refused_before_it_is_read(webhook: Running) -> None:
    headers = {SECRET_HEADER: SECRET}
    host, port = "127.0.0.1", int(webhook.url.split(":")[2].split("/")[0])
    # Announces 50 MB and sends none of it: refused from the header alone.
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"POST /kvietimas/hook HTTP/1.1\r\nHost: {host}\r\n{SECRET_HEADER}: {SECRET}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {50 * 1024 * 1024}\r\n\r\n".encode()
    )
    await writer.drain()
    async with asyncio.timeout(10):
        status = await reader.readline()
    assert status.split()[1] == b"413"
    writer.close()
    # A body that does not announce its size is cut off at the limit.
    async with aiohttp.ClientSession() as http:

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(MAX_BODY_BYTES // 65536 + 2):
                yield b" " * 65536

        async with http.post(webhook.url, data=chunks(), headers=headers) as resp:
            assert resp.status == 413
        big = update(7101, text="/help " + "x" * MAX_BODY_BYTES)
        async with http.post(webhook.url, json=big, headers=headers) as resp:
            assert resp.status == 413
    assert 7101 not in webhook.processed.ids
    assert webhook.emulator.calls_to("sendMessage") == []


async def test_stopping_shuts_the_application_down(tmp_path: Path, webhook: Running) -> None:
    webhook.stop.set()
    await webhook.task
    assert not webhook.app.running
    assert not webhook.app.services.db.database.is_open  # closed by post_shutdown
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.post(webhook.url, json=update(7201), headers={SECRET_HEADER: SECRET})
