"""The services container every handler and job reaches through ``context.services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.storage import Storage


@dataclass
class Services:
    settings: Settings
    db: Storage
    translator: Translator
    clock: Clock
    bot_username: str = "kvietimas_bot"
    # Set by the sender when it starts: tells it new outbox rows are waiting.
    wake_sender: Callable[[], None] = field(default=lambda: None)
    # This process among the workers sharing the database (bot/leases.py).
    worker: str = "main"
    # Set by the e-mail sender when it starts (``[email]`` set): new e-mails are queued.
    wake_email_sender: Callable[[], None] = field(default=lambda: None)

    def is_organiser(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.organisers

    def language_of(self, stored: str | None) -> str:
        return stored if stored in ("lt", "en", "uk") else self.settings.default_language

    def t(self, lang: str | None, key: str, /, **args: object) -> str:
        return self.translator.text(self.language_of(lang), key, **args)
