"""One term per concept: no catalog uses a synonym the glossary rejects.

docs/glossary.md explains the terms; docs/glossary.toml lists the rejected synonyms per
language as word stems (inflected forms match), which this test looks for, word-bounded
and case-insensitive, in every Lithuanian and Ukrainian catalog and questionnaire template.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.toml"
LOCALES = ROOT / "bot" / "locales"
TEMPLATES = ROOT / "bot" / "surveys" / "templates"
LANGUAGES = ("lt", "uk")


@dataclass(frozen=True)
class Rejected:
    lang: str
    concept: str
    use: str
    pattern: str

    @property
    def regex(self) -> re.Pattern[str]:
        return compile_pattern(self.pattern)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Stems separated by spaces -> consecutive words starting with them, word-bounded."""
    words = [re.escape(stem) + r"\w*" for stem in pattern.split()]
    return re.compile(r"(?<!\w)" + r"\W+".join(words), re.IGNORECASE)


def rejected() -> list[Rejected]:
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    return [
        Rejected(entry["lang"], entry["concept"], entry["use"], pattern)
        for entry in data["rejected"]
        for pattern in entry["patterns"]
    ]


def catalog_lines(lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every message line of the language's catalogs: comments, message
    ids and placeholders left out, so only what people read is checked."""
    for path in sorted((LOCALES / lang).glob("*.ftl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            text = re.sub(r"^[a-z][a-z0-9-]*\s*=", "", line)
            text = re.sub(r"\$[A-Za-z_][A-Za-z0-9_-]*", " ", text)
            yield f"{path.relative_to(ROOT)}:{number}", text


def template_texts(lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every text of the language in the questionnaire templates."""

    def walk(value: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            if isinstance(value.get(lang), str):
                yield where, value[lang]
            for key, item in value.items():
                yield from walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]")

    for path in sorted(TEMPLATES.glob("*.toml")):
        yield from walk(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def uses(lang: str, entries: list[Rejected]) -> list[str]:
    found = []
    for where, text in [*catalog_lines(lang), *template_texts(lang)]:
        for entry in entries:
            if entry.lang == lang and (match := entry.regex.search(text)):
                found.append(f"{where}: “{match.group(0)}” ({entry.concept}: write “{entry.use}”)")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogs_use_no_rejected_synonym(lang: str) -> None:
    assert uses(lang, rejected()) == []


def test_the_glossary_covers_both_languages_and_is_explained() -> None:
    entries = rejected()
    assert {e.lang for e in entries} == set(LANGUAGES)
    explained = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    for entry in entries:
        assert entry.use.split(",")[0] in explained, entry.use
        # A rejected pattern must not catch the term it is rejected for.
        assert not entry.regex.search(entry.use), (entry.pattern, entry.use)


def test_the_matcher_catches_inflections_and_respects_word_boundaries() -> None:
    assert compile_pattern("apklaus").search("Užpildykite APKLAUSĄ dabar")
    assert compile_pattern("registracij vietoje").search("Registracijos  vietoje QR")
    assert compile_pattern("лист очікуван").search("у листі очікування")
    assert not compile_pattern("подія").search("Розподіл відповідей")
    assert not compile_pattern("питанн").search("Запитання 3")
    assert not compile_pattern("nuotoliu").search("Nuotoliniu būdu")


def test_a_rejected_word_in_a_catalog_is_found() -> None:
    """The check itself works: a planted synonym is reported with its place and the fix."""
    entries = [Rejected("lt", "questionnaire", "anketa", "apklaus")]
    assert uses("lt", entries) == []
    found = [
        (where, entry.use)
        for where, text in [("x.ftl:1", "Užpildykite apklausą iki { $closes }.")]
        for entry in entries
        if entry.regex.search(text)
    ]
    assert found == [("x.ftl:1", "anketa")]
