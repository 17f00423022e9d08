"""The dashboard in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; never a downloaded browser): what an organiser sees matches the database, the
language switch, a download, and what a forged, expired or non-organiser launch sees.

Each page is photographed at phone width (390 px) in Telegram's light and dark themes into
build/screenshots/dashboard-<page>-<theme>.png; `make screenshots` writes them to docs/img,
where docs/dashboard.md shows them.

Skipped, with the reason, where Chromium or the playwright package is missing; .ci/run
installs Chromium where it can (root with apt-get).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.clock import FakeClock
from bot.sim import Simulation
from bot.surveys.export import export_events
from bot.surveys.scoring import event_scores
from bot.webapp import add_routes
from tests.dashboard_seed import ORGANISER_ID, PREFIX, WEBAPP, Seeded, launch, seed

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
# `make screenshots` (KV_SCREENSHOTS=docs/img) refreshes the pictures docs/dashboard.md
# shows; a plain test run writes them beside the build, leaving the tree clean.
SHOTS = ROOT / os.environ.get("KV_SCREENSHOTS", "build/screenshots")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# Telegram's own palettes (what telegram-web-app.js would set as --tg-theme-*).
THEMES: dict[str, dict[str, str]] = {
    "light": {
        "bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579",
        "link_color": "#3390ec", "button_color": "#3390ec", "button_text_color": "#ffffff",
        "secondary_bg_color": "#f4f4f5", "header_bg_color": "#ffffff",
        "section_bg_color": "#ffffff", "destructive_text_color": "#e53935",
    },
    "dark": {
        "bg_color": "#212121", "text_color": "#ffffff", "hint_color": "#aaaaaa",
        "link_color": "#8774e1", "button_color": "#8774e1", "button_text_color": "#ffffff",
        "secondary_bg_color": "#0f0f0f", "header_bg_color": "#212121",
        "section_bg_color": "#212121", "destructive_text_color": "#ff595a",
    },
}  # fmt: skip

pytestmark = pytest.mark.browser

try:
    from playwright.async_api import Browser, Page, async_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    async_playwright = None  # type: ignore[assignment]

if async_playwright is None or not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium (/usr/bin/chromium: apt-get install -y chromium "
        "chromium-driver) and the playwright package (the dev extra)",
        allow_module_level=True,
    )


@pytest.fixture
async def dsim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), settings=WEBAPP
    ) as running:
        yield running


@pytest.fixture
async def seeded(dsim: Simulation) -> Seeded:
    return await seed(dsim, events=2, per_event=14)


@pytest.fixture
async def base(dsim: Simulation, seeded: Seeded) -> AsyncIterator[str]:
    app = web.Application()
    add_routes(app, [dsim.services], prefix=PREFIX)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}{PREFIX}/"
    finally:
        await server.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert async_playwright is not None
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            await chromium.close()


def url_for(base: str, init_data: str | None, theme: str | None = None) -> str:
    fragment = {} if init_data is None else {"tgWebAppData": init_data}
    if theme is not None:
        fragment["tgWebAppThemeParams"] = json.dumps(THEMES[theme])
    return base + "#" + "&".join(f"{k}={quote(v, safe='')}" for k, v in fragment.items())


async def open_page(
    browser: Browser, url: str, *, theme: str = "light", downloads: bool = False
) -> Page:
    context = await browser.new_context(
        viewport={"width": 390, "height": 844}, color_scheme=theme,  # type: ignore[arg-type]
        accept_downloads=downloads, locale="en-GB",
    )  # fmt: skip
    page = await context.new_page()
    # No network: Telegram's script is absent, as in a normal browser offline (the demo).
    await page.route("https://telegram.org/**", lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    return page


async def shoot(page: Page, name: str, theme: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.wait_for_timeout(50)  # let the layout settle (no animations)
    await page.screenshot(path=str(SHOTS / f"dashboard-{name}-{theme}.png"), full_page=True)


async def text_of(page: Page, selector: str) -> str:
    return (await page.locator(selector).first.inner_text()).strip()


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_organiser_sees_the_database_s_numbers(
    dsim: Simulation, seeded: Seeded, base: str, browser: Browser, theme: str
) -> None:
    event = seeded.events[0]
    counts = (await dsim.db.rsvps.rsvp_counts([event.id]))[event.id]
    report = await event_scores(dsim.services, event)
    page = await open_page(browser, url_for(base, launch(dsim, "organiser"), theme), theme=theme)
    # The organiser's Telegram language is English.
    await page.wait_for_selector(f"[data-event='{event.id}']")
    assert await text_of(page, "#title") == "Dashboard"
    card = page.locator(f"[data-event='{event.id}']")
    for key, value in (("yes", counts.yes), ("maybe", counts.maybe), ("no", counts.no)):
        assert (await card.locator(f"[data-count='{key}'] b").inner_text()) == str(value)
    await shoot(page, "overview", theme)

    await card.locator("h3").click()
    await page.wait_for_selector("[data-testid='event-head']")
    assert await text_of(page, "[data-kpi='completed'] b") == str(report.counts.completed)
    assert await text_of(page, "[data-kpi='eligible'] b") == str(report.counts.eligible)
    assert report.overall is not None
    assert await text_of(page, "[data-kpi='overall'] b") == f"{report.overall:.2f}"
    first = next(s for s in report.questions if s.question.kind.scored)
    question = page.locator(f"[data-q='{first.question.id}']")
    assert await question.locator("[data-stat='n'] dd").inner_text() == str(first.stats.n)
    assert first.stats.mean is not None
    assert await question.locator("[data-stat='mean'] dd").inner_text() == f"{first.stats.mean:.2f}"
    assert await question.locator("svg.bars rect.bar-fill").count() == 5  # 1-5, drawn as SVG
    await shoot(page, "event", theme)

    await page.click("#back")
    await page.wait_for_selector(f"[data-programme='{seeded.programme_id}']")
    await page.click(f"[data-programme='{seeded.programme_id}'] .grow")
    await page.wait_for_selector("[data-kpi='completed']")
    await shoot(page, "programme", theme)

    await page.click("#back")
    for e in seeded.events:
        await page.check(f"[data-event='{e.id}'] input.pick")
    await page.click("button.compare")
    await page.wait_for_selector(".legend")
    assert await page.locator(".legend-item").count() == 2
    await shoot(page, "compare", theme)
    assert page.errors == []  # type: ignore[attr-defined]


async def test_theme_follows_telegram_and_falls_back(
    base: str, dsim: Simulation, browser: Browser
) -> None:
    given = await open_page(browser, url_for(base, launch(dsim, "organiser"), "dark"), theme="dark")
    await given.wait_for_selector("[data-event]")
    background = await given.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 15, 15)"  # Telegram's secondary_bg_color
    fallback = await open_page(browser, url_for(base, launch(dsim, "organiser")), theme="dark")
    await fallback.wait_for_selector("[data-event]")
    background = await fallback.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(14, 22, 33)"  # the style sheet's dark fallback


async def test_language_switch(
    base: str, dsim: Simulation, seeded: Seeded, browser: Browser
) -> None:
    page = await open_page(browser, url_for(base, launch(dsim, "organiser")))
    await page.wait_for_selector("[data-event]")
    tr = dsim.services.translator
    for lang in ("lt", "uk", "en"):
        await page.select_option("#lang", lang)
        await page.wait_for_function(
            "t => document.querySelector('button.compare')?.textContent.startsWith(t)",
            arg=tr.text(lang, "dashboard-compare-selected", count=0).split("(")[0],
        )
        assert await page.evaluate("document.documentElement.lang") == lang
        assert await text_of(page, "#title") == tr.text(lang, "dashboard-title")
    await page.select_option("#lang", "lt")
    await page.click(f"[data-event='{seeded.events[0].id}'] h3")
    await page.wait_for_selector("[data-testid='event-head']")
    assert (
        tr.text("lt", "dashboard-questionnaire").upper() in (await page.inner_text("main")).upper()
    )


async def test_download_is_the_export(
    base: str, dsim: Simulation, seeded: Seeded, browser: Browser
) -> None:
    event = seeded.events[0]
    page = await open_page(browser, url_for(base, launch(dsim, "organiser")), downloads=True)
    await page.wait_for_selector(f"[data-event='{event.id}']")
    await page.click(f"[data-event='{event.id}'] h3")
    await page.wait_for_selector("[data-file='csv']")
    async with page.expect_download() as info:
        await page.click("[data-file='csv']")
    download = await info.value
    assert download.suggested_filename == f"scores-event-{event.id}-answers.csv"
    assert "tgWebAppData" not in download.url
    assert "hash" not in download.url
    path = await download.path()
    expected = await export_events(dsim.services, [event], lang="en")
    assert Path(path).read_bytes() == expected.answers_csv


@pytest.mark.parametrize(
    ("identity", "status", "key"),
    [
        ("forged", 401, "dashboard-denied-signature"),
        ("expired", 401, "dashboard-denied-signature"),
        ("other-bot", 401, "dashboard-denied-signature"),
        ("none", None, "dashboard-denied-signature"),
        ("stranger", 403, "dashboard-denied-organiser"),
    ],
)
async def test_no_data_without_a_valid_organiser_launch(
    base: str, dsim: Simulation, seeded: Seeded, browser: Browser,
    identity: str, status: int | None, key: str,
) -> None:  # fmt: skip
    page = await open_page(browser, "about:blank")
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/api/" in r.url else None)
    await page.goto(url_for(base, launch(dsim, identity)))
    await page.wait_for_selector("[data-testid='notice'].denied")
    body = await page.inner_text("body")
    default = dsim.services.settings.default_language
    shown = {dsim.services.translator.text(lang, key) for lang in ("en", default)}
    assert any(text in body for text in shown)
    for e in seeded.events:
        assert e.title not in body
    assert await page.locator("[data-event], [data-q], [data-count]").count() == 0
    assert statuses == ([] if status is None else [status])
    if identity == "stranger":
        await shoot(page, "denied", "light")
