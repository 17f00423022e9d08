"""The emulator serves several bots on one port (``Emulator.add_bot``), as Telegram does:
each token has its own getMe, people, chats, updates and its own ~30 messages/s."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.emulator import Emulator

MAIN, ACME = "111111:MAIN-TOKEN", "222222:ACME-TOKEN"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def call(http: aiohttp.ClientSession, emu: Emulator, token: str, method: str,
               **params: Any) -> dict[str, Any]:  # fmt: skip
    async with http.post(f"{emu.base_url}{token}/{method}", json=params) as response:
        data: dict[str, Any] = await response.json()
        return data


async def test_each_token_is_its_own_bot_with_its_own_world() -> None:
    host = Emulator(token=MAIN, bot_username="main_bot")
    acme = host.add_bot(ACME, bot_username="acme_bot")
    async with host, aiohttp.ClientSession() as http:
        assert acme.base_url == host.base_url
        me = await call(http, host, ACME, "getMe")
        assert me["result"]["username"] == "acme_bot"
        assert me["result"]["id"] == 222222
        assert (await call(http, host, MAIN, "getMe"))["result"]["username"] == "main_bot"
        assert (await call(http, host, "999:NOPE", "getMe"))["error_code"] == 401
        # one person, two bots: each bot sees only its own chat and updates
        await acme.user(5000, "Ona").send("/start")
        assert (await call(http, host, MAIN, "getUpdates", timeout=0))["result"] == []
        updates = (await call(http, host, ACME, "getUpdates", timeout=0))["result"]
        assert [u["message"]["text"] for u in updates] == ["/start"]
        refused = await call(http, host, MAIN, "sendMessage", chat_id=5000, text="hi")
        assert refused["error_code"] == 400  # main has no chat with her
        sent = await call(http, host, ACME, "sendMessage", chat_id=5000, text="labas")
        assert sent["ok"]
        assert [m.text for m in acme.chat_messages(5000)] == ["labas"]
        assert [c.status for c in host.calls_to("sendMessage")] == [400]  # recorded per bot
        assert [c.status for c in acme.calls_to("sendMessage")] == [200]


async def test_the_rate_limit_is_per_token() -> None:
    clock = Clock()
    host = Emulator(token=MAIN, global_limit_per_s=30, clock=clock)
    acme = host.add_bot(ACME, bot_username="acme_bot")
    async with host, aiohttp.ClientSession() as http:
        for emu in (host, acme):
            for n in range(40):
                emu.user(10_000 + n, f"U{n}")
                await emu._users[10_000 + n].send("/start")
        statuses: dict[str, list[int]] = {MAIN: [], ACME: []}
        for n in range(31):  # in the same instant: 30 pass, the 31st is limited
            for token in (MAIN, ACME):
                answer = await call(http, host, token, "sendMessage", chat_id=10_000 + n,
                                    text="x")  # fmt: skip
                statuses[token].append(200 if answer["ok"] else int(answer["error_code"]))
        assert statuses[MAIN] == [200] * 30 + [429]
        assert statuses[ACME] == [200] * 30 + [429]  # not limited by main's 30
        clock.now += 1.0
        again = await call(http, host, ACME, "sendMessage", chat_id=10_031, text="x")
        assert again["ok"]


async def test_a_bot_added_starts_and_stops_without_stopping_the_others() -> None:
    host = Emulator(token=MAIN)
    acme = host.add_bot(ACME, bot_username="acme_bot")
    await acme.start()  # starts the shared server
    try:
        async with aiohttp.ClientSession() as http:
            assert (await call(http, host, MAIN, "getMe"))["ok"]
            await acme.stop()  # only its own polls end
            assert (await call(http, host, MAIN, "getMe"))["ok"]
    finally:
        await host.stop()
