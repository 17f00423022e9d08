"""Questionnaire definitions: TOML templates in ``bot/surveys/templates/``, frozen per event.

A template is read once, validated here, and stored as JSON on the event's ``surveys`` row
when the organiser picks it (or when the survey opens). Answers refer to a question's
``id``; a single-choice answer is the option's position (1-based), a multiple-choice answer
a bitmask of positions, so every answer that can be scored is one integer and the scores
are computed in SQL from one covering index.

Question texts are content, like an event's title, so they live in the template (in all
three languages) rather than in the Fluent catalogs.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.config import LANGUAGES

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = "default"

MAX_QUESTIONS = 30
MAX_OPTIONS = 10  # a multiple-choice answer is a bitmask of at most 10 bits
MAX_QUESTION_TEXT = 500
MAX_OPTION_TEXT = 60  # an option is a button label
MAX_FREE_TEXT = 2000  # a typed answer

_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


class SurveyDefinitionError(ValueError):
    """A template is malformed; the message names the place in one line."""


class QuestionKind(StrEnum):
    RATING = "rating"  # 1-5 with labelled ends
    NPS = "nps"  # 0-10 "how likely are you to recommend"
    SINGLE = "single"  # one option
    MULTI = "multi"  # any options
    TEXT = "text"  # typed free text

    @property
    def scored(self) -> bool:
        """Answers are one integer (rating, score, option number or option bitmask)."""
        return self is not QuestionKind.TEXT


Texts = Mapping[str, str]


def pick(texts: Texts, lang: str) -> str:
    """The text in ``lang``, else Lithuanian, else any."""
    return texts.get(lang) or texts.get("lt") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Option:
    id: str
    text: Texts


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: Texts
    required: bool = True
    short: Texts = field(default_factory=dict)  # a short label for tables and charts
    low: Texts = field(default_factory=dict)  # label of the lowest value (rating, nps)
    high: Texts = field(default_factory=dict)  # label of the highest value
    options: tuple[Option, ...] = ()

    def label(self, lang: str) -> str:
        return pick(self.short, lang) if self.short else pick(self.text, lang)

    @property
    def scale(self) -> range:
        """The values an answer may take (for MULTI: every non-empty bitmask)."""
        if self.kind is QuestionKind.RATING:
            return range(1, 6)
        if self.kind is QuestionKind.NPS:
            return range(0, 11)
        if self.kind is QuestionKind.SINGLE:
            return range(1, len(self.options) + 1)
        if self.kind is QuestionKind.MULTI:
            return range(1, 2 ** len(self.options))
        return range(0)

    def valid(self, value: int) -> bool:
        return value in self.scale


@dataclass(frozen=True)
class SurveyDefinition:
    name: str
    title: Texts
    questions: tuple[Question, ...]
    anonymous: bool = False

    def __post_init__(self) -> None:
        _check(self)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def rating_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind is QuestionKind.RATING)

    # -- JSON as stored on the surveys row --------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "title": dict(self.title),
                "anonymous": self.anonymous,
                "questions": [_question_dict(q) for q in self.questions],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, raw: str) -> SurveyDefinition:
        return from_dict(json.loads(raw), name=None)


def _question_dict(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind.value,
        "text": dict(q.text),
        "required": q.required,
    }
    for name in ("short", "low", "high"):
        value: Texts = getattr(q, name)
        if value:
            data[name] = dict(value)
    if q.options:
        data["options"] = [{"id": o.id, **o.text} for o in q.options]
    return data


# -- reading templates ----------------------------------------------------------------------


def _texts(value: Any, where: str, *, limit: int, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise SurveyDefinitionError(f"{where}: expected a table of texts {{ lt, en, uk }}")
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise SurveyDefinitionError(f"{where}: the {lang} text is missing")
        if len(text) > limit:
            raise SurveyDefinitionError(f"{where}.{lang}: longer than {limit} characters")
        texts[lang] = text.strip()
    unknown = set(value) - set(LANGUAGES) - {"id"}
    if unknown:
        raise SurveyDefinitionError(f"{where}: unknown language {sorted(unknown)[0]!r}")
    return texts


def _question(raw: Any, number: int) -> Question:
    where = f"questions[{number}]"
    if not isinstance(raw, dict):
        raise SurveyDefinitionError(f"{where}: expected a table")
    known = {"id", "kind", "text", "required", "short", "low", "high", "options"}
    unknown = set(raw) - known
    if unknown:
        raise SurveyDefinitionError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise SurveyDefinitionError(f"{where}.id: lower-case letters, digits and _ (max 32)")
    where = f"question {qid!r}"
    try:
        kind = QuestionKind(str(raw.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in QuestionKind)
        raise SurveyDefinitionError(f"{where}: kind must be one of {kinds}") from None
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise SurveyDefinitionError(f"{where}.required: true or false")
    options: list[Option] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= MAX_OPTIONS:
            raise SurveyDefinitionError(f"{where}.options: 2 to {MAX_OPTIONS} options")
        for i, item in enumerate(raw_options, start=1):
            if not isinstance(item, dict) or not _ID.match(str(item.get("id", ""))):
                raise SurveyDefinitionError(f"{where}.options[{i}]: needs an id and lt, en, uk")
            text = _texts(item, f"{where}.options[{i}]", limit=MAX_OPTION_TEXT)
            options.append(Option(str(item["id"]), text))
        if len({o.id for o in options}) != len(options):
            raise SurveyDefinitionError(f"{where}.options: option ids must differ")
    elif "options" in raw:
        raise SurveyDefinitionError(f"{where}: only single and multi questions have options")
    scale = kind in (QuestionKind.RATING, QuestionKind.NPS)
    if not scale and ("low" in raw or "high" in raw):
        raise SurveyDefinitionError(f"{where}: only rating and nps questions have low/high")
    return Question(
        id=qid,
        kind=kind,
        text=_texts(raw.get("text"), f"{where}.text", limit=MAX_QUESTION_TEXT),
        required=required,
        short=_texts(raw.get("short"), f"{where}.short", limit=60, required=False),
        low=_texts(raw.get("low"), f"{where}.low", limit=40, required=scale),
        high=_texts(raw.get("high"), f"{where}.high", limit=40, required=scale),
        options=tuple(options),
    )


def from_dict(data: Mapping[str, Any], *, name: str | None) -> SurveyDefinition:
    known = {"name", "title", "anonymous", "questions"}
    unknown = set(data) - known
    if unknown:
        raise SurveyDefinitionError(f"unknown field {sorted(unknown)[0]!r}")
    name = str(data.get("name") or name or "")
    if not _TEMPLATE_NAME.match(name):
        raise SurveyDefinitionError("name: lower-case letters, digits, - and _ (max 32)")
    anonymous = data.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise SurveyDefinitionError("anonymous: true or false")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise SurveyDefinitionError("questions: at least one [[questions]] table")
    return SurveyDefinition(
        name=name,
        title=_texts(data.get("title"), "title", limit=200),
        questions=tuple(_question(q, i) for i, q in enumerate(raw_questions, start=1)),
        anonymous=anonymous,
    )


def _check(definition: SurveyDefinition) -> None:
    if not 1 <= len(definition.questions) <= MAX_QUESTIONS:
        raise SurveyDefinitionError(f"questions: 1 to {MAX_QUESTIONS}")
    ids = [q.id for q in definition.questions]
    if len(set(ids)) != len(ids):
        raise SurveyDefinitionError("questions: every id must be different")


def parse_template(text: str, *, name: str) -> SurveyDefinition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SurveyDefinitionError(f"not valid TOML: {exc}") from None
    return from_dict(data, name=name)


def template_names(root: Path = TEMPLATES_DIR) -> list[str]:
    return sorted(p.stem for p in root.glob("*.toml") if _TEMPLATE_NAME.match(p.stem))


def load_template(name: str, root: Path = TEMPLATES_DIR) -> SurveyDefinition:
    """The template ``name`` (a file stem in ``root``); unknown names raise KeyError."""
    if not _TEMPLATE_NAME.match(name) or name not in template_names(root):
        raise KeyError(name)
    path = root / f"{name}.toml"
    try:
        return parse_template(path.read_text(encoding="utf-8"), name=name)
    except SurveyDefinitionError as exc:
        raise SurveyDefinitionError(f"{path.name}: {exc}") from None
