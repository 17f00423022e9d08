"""Questionnaire templates: the shipped ones load; malformed ones are refused in one line."""

from __future__ import annotations

import pytest

from bot.callbacks import parse
from bot.surveys.buttons import OrgSurveyPress, OsAction, SurveyPress, SvAction
from bot.surveys.model import (
    QuestionKind,
    SurveyDefinition,
    SurveyDefinitionError,
    load_template,
    parse_template,
    template_names,
)

GOOD = """
name = "mini"
[title]
lt = "Anketa"
en = "Questionnaire"
uk = "Анкета"

[[questions]]
id = "overall"
kind = "rating"
text = { lt = "Kaip?", en = "How?", uk = "Як?" }
low = { lt = "blogai", en = "poor", uk = "погано" }
high = { lt = "gerai", en = "good", uk = "добре" }

[[questions]]
id = "topics"
kind = "multi"
required = false
text = { lt = "Kas?", en = "What?", uk = "Що?" }
options = [
    { id = "a", lt = "A", en = "A", uk = "А" },
    { id = "b", lt = "B", en = "B", uk = "Б" },
]
"""


def test_shipped_templates_load_and_survive_json() -> None:
    assert template_names() == ["default", "extended"]
    default = load_template("default")
    assert [q.id for q in default.questions] == [
        "overall", "content", "knowledge", "use_at_work", "lecturers", "organisation",
        "recommend", "improve",
    ]  # fmt: skip
    assert [q.kind for q in default.questions][-2:] == [QuestionKind.NPS, QuestionKind.TEXT]
    assert not default.questions[-1].required
    for name in template_names():
        definition = load_template(name)
        assert SurveyDefinition.from_json(definition.to_json()) == definition


def test_a_small_template() -> None:
    definition = parse_template(GOOD, name="mini")
    topics = definition.questions[1]
    assert topics.kind is QuestionKind.MULTI
    assert list(topics.scale) == [1, 2, 3]  # every non-empty bitmask of two options
    assert definition.questions[0].label("uk") == "Як?"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('uk = "Як?"', 'de = "Wie?"'), "the uk text is missing"),
        (('kind = "rating"', 'kind = "stars"'), "kind must be one of"),
        (('id = "topics"', 'id = "overall"'), "every id must be different"),
        (('id = "topics"', 'id = "Topics!"'), "lower-case letters"),
        (('    { id = "b", lt = "B", en = "B", uk = "Б" },\n', ""), "2 to 10 options"),
        (("required = false", 'required = "no"'), "true or false"),
        (('name = "mini"', 'name = "mini"\ncolour = "red"'), "unknown field 'colour'"),
        (('high = { lt = "gerai", en = "good", uk = "добре" }\n', ""), "high: expected a table"),
        (("[[questions]]", "[[questions"), "not valid TOML"),
    ],
)
def test_malformed_templates_are_refused(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(SurveyDefinitionError, match=message):
        parse_template(GOOD.replace(old, new, 1), name="mini")


def test_unknown_template_names() -> None:
    for name in ("nope", "../default", "DEFAULT"):
        with pytest.raises(KeyError):
            load_template(name)


def test_button_data_is_small_and_parsed_strictly() -> None:
    press = SurveyPress(SvAction.ANSWER, 2**52, 29, 1023)
    assert len(press.pack().encode()) <= 64
    assert parse(press.pack()) == press
    org = OrgSurveyPress(OsAction.TEMPLATE, 12, "extended")
    assert parse(org.pack()) == org
    for forged in ("v1:sv:a:1:0", "v1:sv:a:x:0:1", "v1:sv:hack:1:0:0", "v1:os:sc:1:../x"):
        assert parse(forged) is None
