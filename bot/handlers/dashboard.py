"""The organisers' dashboard in chat: /dashboard answers with a button that opens the Mini App
(bot/webapp/), and each organiser's menu button opens it too.

/dashboard is declared ``organiser=True`` (so it is behind the gate and kept to the
organiser's private chat, where Telegram allows ``web_app`` buttons). The menu button is set
per organiser chat, never as the default: participants do not get a button that would only
answer "for organisers".
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError

from bot.handlers.common import BotContext, reply
from bot.handlers.routing import Routes
from bot.services import Services

log = logging.getLogger(__name__)


async def dashboard_command(update: Update, context: BotContext) -> None:
    services, lang = context.services, context.lang
    url = services.settings.webapp.url
    message = update.effective_message
    if not url or message is None:
        await reply(update, context, services.t(lang, "dashboard-not-configured"))
        return
    button = InlineKeyboardButton(
        services.t(lang, "dashboard-open-button"), web_app=WebAppInfo(url)
    )
    await message.reply_text(
        services.t(lang, "dashboard-open-text"), reply_markup=InlineKeyboardMarkup([[button]])
    )


async def set_menu_buttons(bot: Bot, services: Services) -> None:
    """Each organiser's menu button opens the dashboard (when ``[webapp] url`` is set).

    A convenience like the command menu: a failure is logged and never blocks start-up."""
    url = services.settings.webapp.url
    if not url:
        return
    text = services.t(services.settings.default_language, "dashboard-menu-button")
    for organiser_id in services.settings.organisers:
        try:
            await bot.set_chat_menu_button(
                chat_id=organiser_id, menu_button=MenuButtonWebApp(text, WebAppInfo(url))
            )
        except TelegramError as exc:
            log.warning("could not set the dashboard button for %s: %s", organiser_id, exc)


def routes(r: Routes) -> None:
    r.command("dashboard", dashboard_command, organiser=True)
