"""/dashboard and the organisers' menu button open the Mini App; participants get neither."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import SettingsError, load_settings
from bot.sim import Simulation
from tests.dashboard_seed import ORGANISER_ID, STRANGER_ID, WEBAPP

URL = WEBAPP["webapp"]["url"]


@pytest.fixture
async def dsim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), settings=WEBAPP
    ) as running:
        yield running


async def test_dashboard_command_opens_the_mini_app(dsim: Simulation) -> None:
    organiser = dsim.user(ORGANISER_ID, "Rasa", language="en")
    await organiser.send("/dashboard")
    message = organiser.last
    assert "The dashboard shows your events" in message.text
    [[button]] = message.keyboard
    assert button == {"text": "📊 Open the dashboard", "web_app": {"url": URL}}


async def test_menu_button_is_set_for_organisers_only(dsim: Simulation) -> None:
    buttons = dsim.emulator.menu_buttons
    assert buttons[ORGANISER_ID] == {
        "type": "web_app", "text": "Skydelis", "web_app": {"url": URL}
    }  # fmt: skip
    assert None not in buttons  # the default (everyone's) menu stays the command list
    assert STRANGER_ID not in buttons


async def test_participants_cannot_get_the_button(dsim: Simulation) -> None:
    stranger = dsim.user(STRANGER_ID, "Mantas", language="en")
    await stranger.send("/dashboard")
    assert all("web_app" not in str(m.reply_markup) for m in stranger.messages)


async def test_without_a_url_there_is_no_button(tmp_path: Path, clock: FakeClock) -> None:
    async with Simulation(tmp_path / "b.sqlite3", clock=clock, organisers=(ORGANISER_ID,)) as sim:
        organiser = sim.user(ORGANISER_ID, "Rasa", language="en")
        await organiser.send("/dashboard")
        assert "not set up on this bot" in organiser.last_text
        assert organiser.last.keyboard == []
        assert ORGANISER_ID not in sim.emulator.menu_buttons


async def test_emulator_refuses_what_telegram_refuses(dsim: Simulation) -> None:
    """A Mini App button needs an HTTPS URL, in the menu and inline."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo
    from telegram.error import BadRequest

    await dsim.user(ORGANISER_ID, "Rasa", language="en").send("/dashboard")
    assert dsim.app is not None
    bot = dsim.app.bot
    with pytest.raises(BadRequest, match=r"(?i)only https links"):
        await bot.set_chat_menu_button(
            chat_id=ORGANISER_ID,
            menu_button=MenuButtonWebApp("x", WebAppInfo("http://example.org/")),
        )
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", web_app=WebAppInfo("http://a/"))]])
    with pytest.raises(BadRequest, match=r"(?i)only https links"):
        await bot.send_message(ORGANISER_ID, "x", reply_markup=markup)


def test_an_http_url_is_a_settings_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[webapp]\nurl = "http://bot.example.org/dashboard/"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"webapp\.url"):
        load_settings(config)
