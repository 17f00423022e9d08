"""One web server per process (bot/web.py): the dashboard on the webhook server, on the small
server of a polling bot, and for several bots at one prefix (each sees only its own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.emulator import Emulator
from bot.events import import_event
from bot.i18n import Translator
from bot.runner import BotRun, run_polling
from bot.services import Services
from bot.sim import Simulation, UpdateTracker
from bot.storage import Storage, storage_for
from bot.web import WebServer, compose, route_sets_for
from bot.webapp import add_routes, prefix_of
from bot.webapp.auth import sign_init_data
from bot.webhook import serve
from tests.conftest import EXAMPLE_EVENT, START
from tests.dashboard_seed import ORGANISER_ID, WEBAPP, headers
from tests.test_webhook import SECRET, free_port


def test_prefix_of_the_url() -> None:
    assert prefix_of("https://x.org/dashboard/") == "/dashboard"
    assert prefix_of("https://x.org/a/b") == "/a/b"
    assert prefix_of("https://x.org") == ""


def organiser_launch(app: KvietimasApplication) -> dict[str, str]:
    token = app.services.settings.telegram.token
    assert token is not None
    now = int(app.services.clock.now().timestamp())
    return headers(sign_init_data(token.get_secret_value(), {"id": ORGANISER_ID}, now))


async def _wait(condition: object, task: asyncio.Task[None]) -> None:
    async with asyncio.timeout(20):
        while not condition():  # type: ignore[operator]
            assert not task.done(), task
            await asyncio.sleep(0.01)


async def test_webhook_server_serves_the_dashboard_too(tmp_path: Path) -> None:
    emulator = Emulator()
    await emulator.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/kvietimas/hook"
    sim = Simulation(tmp_path / "bot.sqlite3", emulator=emulator, settings=WEBAPP)
    app = build_application(sim.settings())
    assert isinstance(app, KvietimasApplication)
    processed = UpdateTracker(app)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve(app, url=url, secret=SECRET, listen="127.0.0.1", port=port,
              allowed_updates=ALLOWED_UPDATES, stop=stop,
              route_sets=route_sets_for([app.services]))
    )  # fmt: skip
    try:
        await _wait(lambda: app.running and emulator.webhook.get("url"), task)
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/dashboard/") as page:
                assert page.status == 200
                assert "dashboard.js" in await page.text()
            async with http.get(f"{base}/dashboard/api/me", headers=organiser_launch(app)) as me:
                assert me.status == 200
                assert (await me.json())["user_id"] == ORGANISER_ID
            async with http.get(f"{base}/dashboard/api/me") as refused:
                assert refused.status == 401
        # The webhook still takes Telegram's updates on the same server.
        alice = emulator.user(8601, "Alice")
        await processed.wait(await alice.send("/help"))
        assert "/my" in str(alice.last().text)
    finally:
        stop.set()
        await task
        await emulator.stop()


async def test_a_polling_bot_gets_a_small_server(tmp_path: Path) -> None:
    emulator = Emulator()
    await emulator.start()
    sim = Simulation(tmp_path / "bot.sqlite3", emulator=emulator, settings=WEBAPP)
    app = build_application(sim.settings())
    assert isinstance(app, KvietimasApplication)
    server = WebServer(compose(route_sets_for([app.services])), listen="127.0.0.1", port=0)
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_polling(
            [BotRun("main", app)], allowed_updates=ALLOWED_UPDATES, stop=stop, server=server
        )
    )
    try:
        await _wait(lambda: app.running and server.port != 0, task)
        async with (
            aiohttp.ClientSession() as http,
            http.get(
                f"{server.base_url}/dashboard/api/overview", headers=organiser_launch(app)
            ) as response,
        ):
            assert response.status == 200
            assert (await response.json())["events"] == []
        assert app.updater is not None
        assert app.updater.running  # polling, not a webhook
    finally:
        stop.set()
        await task
        await emulator.stop()
    assert not app.running


def test_no_url_no_routes() -> None:
    services = Services(
        explicit_settings(telegram={"token": "1:a"}),
        Storage(":memory:"),
        Translator(),
        FakeClock(START),
    )
    assert route_sets_for([services]) == []


@pytest.fixture
async def two_bots(tmp_path: Path) -> AsyncIterator[list[Services]]:
    """Two bots (tokens, organisers, databases) behind one prefix, each with one event."""
    bots = []
    for n, title in ((1, "Pirmojo boto mokymai"), (2, "Antrojo boto mokymai")):
        settings = explicit_settings(
            telegram={"token": f"{n}00:token-of-bot-{n}"}, organisers=[ORGANISER_ID + n],
            database={"path": tmp_path / f"bot{n}.sqlite3"}, **WEBAPP,
        )  # fmt: skip
        storage = storage_for(settings)
        await storage.open()
        source = EXAMPLE_EVENT.read_text(encoding="utf-8").replace(
            'title = "Mokymai Akmenės rajonui', f'title = "{title}'
        )
        await import_event(storage, source, default_zone="Europe/Vilnius", now=START)
        bots.append(Services(settings, storage, Translator(), FakeClock(START)))
    yield bots
    for services in bots:
        await services.db.close()


async def test_each_bot_serves_only_its_own_organisers_its_own_data(
    two_bots: list[Services],
) -> None:
    """The bot whose token validates the launch is the one whose data is served; an
    organiser of one bot is a stranger to the other."""
    app = web.Application()
    add_routes(app, two_bots, prefix="/dashboard")
    now = int(START.timestamp())
    async with TestClient(TestServer(app)) as client:
        for n, services in enumerate(two_bots, start=1):
            token = f"{n}00:token-of-bot-{n}"
            own = headers(sign_init_data(token, {"id": ORGANISER_ID + n}, now))
            body = await (await client.get("/dashboard/api/overview", headers=own)).json()
            [event] = body["events"]
            assert event["title"].startswith("Pirmojo" if n == 1 else "Antrojo")
            other = headers(sign_init_data(token, {"id": ORGANISER_ID + 3 - n}, now))
            assert (await client.get("/dashboard/api/overview", headers=other)).status == 403
            assert services.settings.organisers == [ORGANISER_ID + n]


async def test_the_demo_s_url_opens_its_dashboard(tmp_path: Path, clock: FakeClock) -> None:
    """The URL `python -m bot demo --dashboard` prints carries a valid organiser launch in
    its fragment (what the page sends as the header)."""
    from urllib.parse import unquote

    from bot.demo import ORGANISER_ID as DEMO_ORGANISER
    from bot.demo import start_dashboard

    async with Simulation(
        tmp_path / "demo.sqlite3", clock=clock, organisers=(DEMO_ORGANISER,)
    ) as sim:
        server, url = await start_dashboard(sim, 0)
        try:
            page_url, fragment = url.split("#", 1)
            launch = unquote(fragment.removeprefix("tgWebAppData="))
            async with aiohttp.ClientSession() as http:
                async with http.get(page_url) as page:
                    assert page.status == 200
                me_url = page_url + "api/me"
                async with http.get(me_url, headers=headers(launch)) as me:
                    assert me.status == 200
                    assert (await me.json())["user_id"] == DEMO_ORGANISER
        finally:
            await server.stop()
