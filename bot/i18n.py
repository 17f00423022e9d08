"""Translations: Fluent catalogs in ``bot/locales/<lang>/*.ftl``, one file per feature.

Texts are HTML (the bot sends with parse_mode=HTML). Arguments are HTML-escaped when they
are formatted, so user input can never break the markup; pass :class:`Markup` for a
fragment that is already safe HTML (for example a rendered agenda).
"""

from __future__ import annotations

import html
import logging
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Resource

from bot.config import LANGUAGES

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
# Telegram's language_code values we map to a supported language.
_LANGUAGE_ALIASES = {"lt": "lt", "en": "en", "uk": "uk", "ua": "uk"}


class Markup(str):
    """A string that is already safe HTML and must not be escaped again."""


def normalise_language(code: str | None, default: str) -> str:
    """Map Telegram's ``language_code`` ("en-GB", "uk") to one of ours."""
    if not code:
        return default
    return _LANGUAGE_ALIASES.get(code.split("-")[0].lower(), default)


@lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int) -> Resource:
    """Parsing the catalogs takes about 0.2 s; every Application built in one process (tests,
    benchmarks, a restart in the demo) shares the result while the file is unchanged."""
    return FluentResource(path.read_text(encoding="utf-8"))


class Translator:
    def __init__(self, default_language: str = "lt", root: Path = LOCALES_DIR) -> None:
        self.default_language = default_language
        self._bundles: dict[str, FluentBundle] = {}
        self._keys: dict[str, set[str]] = {}
        for lang in LANGUAGES:
            bundle = FluentBundle([lang], use_isolating=False)
            keys: set[str] = set()
            for path in sorted((root / lang).glob("*.ftl")):
                resource = _parsed(path, path.stat().st_mtime_ns)
                keys.update(entry.id.name for entry in resource.body if hasattr(entry, "id"))
                bundle.add_resource(resource)
            self._bundles[lang] = bundle
            self._keys[lang] = keys

    def keys(self, lang: str) -> set[str]:
        return set(self._keys[lang])

    def text(self, lang: str, key: str, /, **args: object) -> str:
        lang = lang if lang in self._bundles else self.default_language
        bundle = self._bundles[lang]
        if not bundle.has_message(key):
            log.error("missing translation %s in %s", key, lang)
            bundle = self._bundles[self.default_language]
            if not bundle.has_message(key):
                return key
        message = bundle.get_message(key)
        if message.value is None:
            return key
        safe = {name: _escape(value) for name, value in args.items()}
        text, errors = bundle.format_pattern(message.value, safe)
        if errors:
            log.error("translation %s/%s: %s", lang, key, errors[0])
        return str(text)


def _escape(value: object) -> object:
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(_zone(zone))


def format_day(moment: datetime | date, lang: str, zone: str | None = None) -> str:
    """Long date in the language's own form: "2026 m. gruodžio 8 d., antradienis"."""
    day = local(moment, zone).date() if isinstance(moment, datetime) and zone else moment
    return str(format_date(day, format="full", locale=lang))


def format_clock(moment: datetime, lang: str, zone: str) -> str:
    return str(format_time(local(moment, zone).time(), format="HH:mm", locale=lang))


def format_short(moment: datetime, zone: str) -> str:
    """Compact, language-neutral: 2026-12-08 10:00."""
    return local(moment, zone).strftime("%Y-%m-%d %H:%M")
