"""Pure logic of event input: parsing, validation, DST, diffs, callback data."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import Answer, OrgAction, OrganiserPress, RsvpPress, parse
from bot.events import (
    EventInputError,
    draft_from_toml,
    parse_agenda,
    parse_end,
    parse_local_datetime,
    parse_place,
)
from bot.payloads import PayloadKind, parse_payload
from tests.conftest import EXAMPLE_EVENT

VILNIUS = "Europe/Vilnius"


def test_local_times_become_utc_across_dst() -> None:
    winter = parse_local_datetime("2027-03-09 10:00", VILNIUS)
    summer = parse_local_datetime("2027-04-09 10:00", VILNIUS)
    assert winter == datetime(2027, 3, 9, 8, 0, tzinfo=UTC)
    assert summer == datetime(2027, 4, 9, 7, 0, tzinfo=UTC)
    # 03:30 on the last Sunday of March does not exist in Vilnius; it is moved forward.
    gap = parse_local_datetime("2027-03-28 03:30", VILNIUS)
    assert gap.astimezone(ZoneInfo(VILNIUS)).hour == 4


@pytest.mark.parametrize(
    "text", ["09-03-2027 10:00", "2027-13-01 10:00", "2027-03-09", "", "10:00"]
)
def test_bad_datetimes(text: str) -> None:
    with pytest.raises(EventInputError):
        parse_local_datetime(text, VILNIUS)


def test_end_as_time_or_full_datetime() -> None:
    start = parse_local_datetime("2027-03-09 10:00", VILNIUS)
    assert parse_end("16:00", start, VILNIUS) == datetime(2027, 3, 9, 14, 0, tzinfo=UTC)
    assert parse_end("2027-03-10 13:00", start, VILNIUS) == datetime(2027, 3, 10, 11, 0, tzinfo=UTC)


def test_agenda_lines() -> None:
    items = parse_agenda("10:00 Įvadas — J. Jonaitė\n\n11.30-12:00 Kava\n12:00 Darbas - dr. A. B.")
    assert [(i.time, i.title, i.lecturer) for i in items] == [
        ("10:00", "Įvadas", "J. Jonaitė"),
        ("11:30-12:00", "Kava", ""),
        ("12:00", "Darbas", "dr. A. B."),
    ]
    with pytest.raises(EventInputError) as error:
        parse_agenda("10:00 ok\nno time here")
    assert error.value.args_["line"] == 2


def test_place_is_address_or_link() -> None:
    assert parse_place("https://meet.example.org/x") == (None, "https://meet.example.org/x")
    assert parse_place(" L. Petravičiaus a. 2 ") == ("L. Petravičiaus a. 2", None)
    with pytest.raises(EventInputError):
        parse_place("x" * 301)


def test_example_toml() -> None:
    draft = draft_from_toml(EXAMPLE_EVENT.read_text(encoding="utf-8"), VILNIUS)
    assert draft.slug == "akmene-2027-03"
    assert draft.ends_at == datetime(2027, 3, 9, 14, 0, tzinfo=UTC)
    assert draft.capacity == 30
    assert len(draft.agenda) == 5
    assert draft.hall == "Didžioji salė"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("title = 'x'", "error-toml-field"),
        (
            "title = 'x'\nstarts = 2027-03-09T10:00:00\nends = 09:00:00\n[place]\naddress='a'",
            "error-end-before-start",
        ),
        ("title = 'x'\nstarts = 2027-03-09T10:00:00\nends = 11:00:00", "error-place"),
        (
            "title = 'x'\nstarts = 2027-03-09T10:00:00\nends = 11:00:00\ncapacity = 0\n"
            "[place]\naddress='a'",
            "error-capacity",
        ),
        ("title = \n", "error-toml-syntax"),
        ("title = 'x'\nbogus = 1", "error-toml-unknown"),
        (
            "title = 'x'\ntimezone = 'Nowhere/City'\nstarts = 2027-03-09T10:00:00\nends = 11:00:00",
            "error-timezone",
        ),
    ],
)
def test_bad_toml(text: str, key: str) -> None:
    with pytest.raises(EventInputError) as error:
        draft_from_toml(text, VILNIUS)
    assert error.value.key == key


def test_callback_data_round_trip_and_rejections() -> None:
    for value in (RsvpPress(7, Answer.MAYBE), OrganiserPress(OrgAction.FIELD, 12, "agenda")):
        packed = value.pack()
        assert len(packed.encode()) <= 64
        assert parse(packed) == value
    for forged in (None, "", "v1", "v1:r", "v1:r:7", "v1:r:7:x", "v1:r:-7:y", "v1:r:7:y:z",
                   "v2:r:7:y", "v1:zz:1", "v1:r:99999999999999999999:y", "v1:o:edit:1:" + "a" * 60,
                   "v1:o:nope:1:-", "v1:o:field:1:bad arg"):  # fmt: skip
        assert parse(forged) is None, forged


def test_payloads() -> None:
    payload = parse_payload("e_abcDEF123_-x")
    assert payload is not None
    assert payload.kind is PayloadKind.EVENT
    for bad in (
        None,
        "",
        "e_",
        "e_abc",
        "E_abcdefgh",
        "z_abcdefgh",
        "e_abc def gh",
        "e_" + "a" * 63,
    ):
        assert parse_payload(bad) is None, bad
