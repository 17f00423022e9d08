"""The dashboard's page: one server-rendered HTML shell, one script, one style sheet.

The page holds no data: it carries the dashboard's texts in the three languages (from the
``dashboard.ftl`` catalogs, placeholders left as ``{name}`` for the script to fill) and loads
Telegram's ``telegram-web-app.js``; the script then asks the JSON API with the launch data.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from bot.config import LANGUAGES
from bot.i18n import Markup, Translator

STATIC_DIR = Path(__file__).with_name("static")
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
PLACEHOLDERS = ("count", "shown", "total", "size")
_TYPES = {".js": "text/javascript", ".css": "text/css"}


def _static() -> dict[str, tuple[bytes, str]]:
    return {
        p.name: (p.read_bytes(), _TYPES[p.suffix])
        for p in sorted(STATIC_DIR.iterdir())
        if p.suffix in _TYPES
    }


STATIC = _static()  # read once at import: two small files that never change while running


def strings(tr: Translator, lang: str) -> dict[str, str]:
    """Every ``dashboard-*`` text of ``lang``, placeholders as ``{name}``."""
    args = {name: Markup("{" + name + "}") for name in PLACEHOLDERS}
    return {
        key.removeprefix("dashboard-"): tr.text(lang, key, **args)
        for key in sorted(tr.keys(lang))
        if key.startswith("dashboard-")
    }


@cache
def _catalog_json(tr: Translator) -> str:
    texts = {lang: strings(tr, lang) for lang in LANGUAGES}
    # Inside <script type="application/json">: no "</script>" may appear.
    return json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")


def render_page(tr: Translator, default_language: str, prefix: str) -> str:
    title = html.escape(tr.text(default_language, "dashboard-title"))
    loading = html.escape(tr.text(default_language, "dashboard-loading"))
    language = html.escape(tr.text(default_language, "dashboard-language"), quote=True)
    noscript = html.escape(tr.text(default_language, "dashboard-noscript"))
    base = html.escape(prefix, quote=True)
    return f"""<!doctype html>
<html lang="{default_language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<link rel="stylesheet" href="{base}/static/dashboard.css">
<script src="{TELEGRAM_SCRIPT}"></script>
<script id="kv-texts" type="application/json">{_catalog_json(tr)}</script>
<script src="{base}/static/dashboard.js" defer data-base="{base}" \
data-default-lang="{default_language}"></script>
</head>
<body>
<header class="bar">
  <button id="back" class="back" type="button" hidden></button>
  <h1 id="title">{title}</h1>
  <select id="lang" aria-label="{language}">
    <option value="lt">LT</option><option value="en">EN</option><option value="uk">UK</option>
  </select>
</header>
<main id="app" aria-live="polite"><p class="muted">{loading}</p></main>
<noscript><p class="notice">{noscript}</p></noscript>
</body>
</html>
"""
