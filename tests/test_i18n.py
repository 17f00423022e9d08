"""Every text exists in every language, with the same placeholders, and formats cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import parse
from fluent.syntax.ast import Junk, Message, VariableReference
from fluent.syntax.visitor import Visitor

from bot.config import LANGUAGES
from bot.i18n import LOCALES_DIR, Markup, Translator, normalise_language

SOURCES = [*Path(__file__).resolve().parent.parent.joinpath("bot").rglob("*.py")]


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: VariableReference) -> None:
        self.names.add(node.id.name)


def catalog(lang: str) -> dict[str, set[str]]:
    """key -> placeholder names, for every message of the language."""
    result: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.ftl")):
        resource = parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            assert not isinstance(entry, Junk), f"{path}: {(entry.content or '')[:120]}"
            if isinstance(entry, Message):
                assert entry.id.name not in result, f"duplicate key {entry.id.name} in {lang}"
                visitor = _Variables()
                visitor.visit(entry)
                result[entry.id.name] = visitor.names
    return result


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_same_keys_and_placeholders_as_english(lang: str) -> None:
    english, other = catalog("en"), catalog(lang)
    assert sorted(set(english) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(english)) == [], f"only in {lang}"
    for key, names in english.items():
        assert other[key] == names, f"{lang}/{key}: placeholders differ"


def test_every_key_used_in_code_exists() -> None:
    """Literal keys passed to t()/text() in the code are in the English catalog."""
    keys = set(catalog("en"))
    used: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r'\.(?:t|text)\(\s*[\w.]+,\s*"([a-z][a-z0-9-]+)"', text))
    assert used, "the pattern found no keys: the test would pass vacuously"
    assert sorted(used - keys) == []


def test_arguments_are_escaped_but_markup_is_not() -> None:
    tr = Translator("en")
    text = tr.text("en", "greeting", title="<b>x</b> & y")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in text
    assert tr.text("en", "greeting", title=Markup("<i>ok</i>")).count("<i>ok</i>") == 1


def test_language_codes_map_to_ours() -> None:
    assert normalise_language("en-GB", "lt") == "en"
    assert normalise_language("uk", "lt") == "uk"
    assert normalise_language("de", "lt") == "lt"
    assert normalise_language(None, "en") == "en"
