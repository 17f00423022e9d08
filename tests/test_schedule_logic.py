"""The scheduler's pure parts: what is derived from an event, the downtime policy, input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import ReminderSettings
from bot.i18n import Translator
from bot.models import ScheduledRow, ScheduleEvent
from bot.schedule import (
    DueItem,
    Kind,
    PlannedItem,
    Skip,
    decide,
    parse_offsets,
    plan_event,
    starts_in,
)

VILNIUS = ZoneInfo("Europe/Vilnius")
SETTINGS = ReminderSettings()  # 24 h and 1 h before; deadline -24 h; survey +48 h, 14 days


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VILNIUS).astimezone(UTC)


def event(
    start: str = "2027-03-09T10:00",
    end: str = "2027-03-09T16:00",
    *,
    deadline: str | None = "2027-03-05T18:00",
    minutes: tuple[int, ...] | None = None,
    changed: str = "2027-03-01T09:00",
    active: bool = True,
) -> ScheduleEvent:
    return ScheduleEvent(
        id=7,
        active=active,
        starts_at=local(start),
        ends_at=local(end),
        rsvp_deadline=local(deadline) if deadline else None,
        timezone="Europe/Vilnius",
        changed_at=local(changed),
        minutes_before=minutes,
        offsets_changed_at=None,
    )


def by_kind(items: list[PlannedItem]) -> dict[str, PlannedItem]:
    return {f"{i.kind}:{i.minutes_before}": i for i in items}


def test_plan_of_an_event_with_default_settings() -> None:
    items = by_kind(plan_event(event(), SETTINGS))
    assert sorted(items) == [
        "deadline:0", "reminder:1440", "reminder:60", "survey-close:0", "survey-open:0",
        "survey-remind:0",
    ]  # fmt: skip
    assert items["reminder:1440"].due_at == local("2027-03-08T10:00")
    assert items["reminder:60"].due_at == local("2027-03-09T09:00")
    assert items["deadline:0"].due_at == local("2027-03-04T18:00")
    assert items["survey-open:0"].due_at == local("2027-03-09T16:00")
    assert items["survey-remind:0"].due_at == local("2027-03-11T16:00")
    assert items["survey-close:0"].due_at == local("2027-03-23T16:00")
    assert items["reminder:1440"].key == "e7:reminder:1440m@20270309T080000Z"
    assert items["survey-open:0"].key == "e7:survey-open"


def test_without_a_deadline_the_nudge_is_measured_from_the_start() -> None:
    items = by_kind(plan_event(event(deadline=None), SETTINGS))
    assert items["deadline:0"].due_at == local("2027-03-08T10:00")


def test_per_event_offsets_and_none() -> None:
    items = by_kind(plan_event(event(minutes=(2880, 30)), SETTINGS))
    assert items["reminder:2880"].due_at == local("2027-03-07T10:00")
    assert items["reminder:30"].due_at == local("2027-03-09T09:30")
    assert not [i for i in plan_event(event(minutes=()), SETTINGS) if i.kind is Kind.REMINDER]


def test_cancelled_event_keeps_only_the_close() -> None:
    assert [i.kind for i in plan_event(event(active=False), SETTINGS)] == [Kind.SURVEY_CLOSE]


def test_moving_the_event_changes_reminder_keys_but_not_survey_keys() -> None:
    before = {i.kind: i.key for i in plan_event(event(), SETTINGS)}
    after = {
        i.kind: i.key for i in plan_event(event("2027-03-16T10:00", "2027-03-16T16:00"), SETTINGS)
    }
    assert before[Kind.REMINDER] != after[Kind.REMINDER]
    assert before[Kind.SURVEY_OPEN] == after[Kind.SURVEY_OPEN]


@pytest.mark.parametrize(
    ("start", "before_utc"),
    [
        # Monday after the last Sunday of March: clocks went forward (EET -> EEST).
        ("2027-03-29T10:00", "2027-03-28T07:00"),
        # Monday after the last Sunday of October: clocks went back (EEST -> EET).
        ("2027-11-01T10:00", "2027-10-31T08:00"),
        # The Sunday of the change itself: 24 real hours, not "the same wall time"
        # (Saturday 09:00 EET in March, Saturday 11:00 EEST in October).
        ("2027-03-28T10:00", "2027-03-27T07:00"),
        ("2027-10-31T10:00", "2027-10-30T08:00"),
    ],
)
def test_24_hours_before_is_24_real_hours_across_dst(start: str, before_utc: str) -> None:
    end = start[:11] + "12:00"
    items = by_kind(plan_event(event(start, end, deadline=None), SETTINGS))
    due = items["reminder:1440"].due_at
    assert due == datetime.fromisoformat(before_utc).replace(tzinfo=UTC)
    assert local(start) - due == timedelta(hours=24)


def _due(items: list[PlannedItem], *kinds: str, planned: str = "2027-03-01T09:00") -> list[DueItem]:
    chosen = by_kind(items)
    return [DueItem(chosen[k], local(planned)) for k in kinds]


def _decided(result: list[tuple[PlannedItem, Skip | None]]) -> dict[str, Skip | None]:
    return {f"{i.kind}:{i.minutes_before}": skip for i, skip in result}


def test_on_time_everything_runs() -> None:
    ev = event()
    items = plan_event(ev, SETTINGS)
    result = decide(ev, _due(items, "reminder:1440"), [], now=local("2027-03-08T10:00"),
                    settings=SETTINGS)  # fmt: skip
    assert _decided(result) == {"reminder:1440": None}


def test_after_downtime_only_the_latest_reminder_goes_out() -> None:
    ev = event()
    items = plan_event(ev, SETTINGS)
    due = _due(items, "reminder:1440", "reminder:60", "deadline:0")
    result = decide(ev, due, [], now=local("2027-03-09T09:30"), settings=SETTINGS)
    assert _decided(result) == {
        "deadline:0": Skip.TOO_LATE,  # answers closed on the 5th
        "reminder:1440": Skip.SUPERSEDED,
        "reminder:60": None,
    }


def test_no_reminder_after_the_start() -> None:
    ev = event()
    due = _due(plan_event(ev, SETTINGS), "reminder:1440", "reminder:60")
    result = decide(ev, due, [], now=local("2027-03-09T10:00"), settings=SETTINGS)
    assert set(_decided(result).values()) == {Skip.TOO_LATE}


def test_a_reminder_already_sent_for_this_start_covers_earlier_ones() -> None:
    ev = event(minutes=(2880, 1440))  # 48 h added after the 24 h one went out
    items = plan_event(ev, SETTINGS)
    sent = by_kind(items)["reminder:1440"]
    history = [
        ScheduledRow(sent.key, 7, "reminder", sent.due_at, sent.basis_at, local("2027-03-01T09:00"),
                     "done", "3", sent.due_at)
    ]  # fmt: skip
    result = decide(ev, _due(items, "reminder:2880"), history, now=local("2027-03-08T11:00"),
                    settings=SETTINGS)  # fmt: skip
    assert _decided(result) == {"reminder:2880": Skip.SUPERSEDED}


def test_items_planned_after_their_moment_are_skipped() -> None:
    ev = event(changed="2027-03-08T12:00")  # e.g. moved at noon the day before
    items = plan_event(ev, SETTINGS)
    due = _due(items, "reminder:1440", planned="2027-03-08T12:00")
    result = decide(ev, due, [], now=local("2027-03-08T12:01"), settings=SETTINGS)
    assert _decided(result) == {"reminder:1440": Skip.PLANNED_LATE}


def test_survey_after_downtime() -> None:
    ev = event()
    items = plan_event(ev, SETTINGS)
    # Down over the end and the reminder moment: the survey opens, its reminder is dropped.
    result = decide(ev, _due(items, "survey-open:0", "survey-remind:0"), [],
                    now=local("2027-03-12T09:00"), settings=SETTINGS)  # fmt: skip
    assert _decided(result) == {"survey-open:0": None, "survey-remind:0": Skip.SUPERSEDED}
    # Down over the whole window: nothing opens, the close still happens.
    result = decide(ev, _due(items, "survey-open:0", "survey-remind:0", "survey-close:0"), [],
                    now=local("2027-03-24T09:00"), settings=SETTINGS)  # fmt: skip
    assert _decided(result) == {
        "survey-open:0": Skip.TOO_LATE,
        "survey-remind:0": Skip.TOO_LATE,
        "survey-close:0": None,
    }
    # A reminder without an opened questionnaire is dropped.
    result = decide(ev, _due(items, "survey-remind:0"), [], now=local("2027-03-11T16:00"),
                    settings=SETTINGS)  # fmt: skip
    assert _decided(result) == {"survey-remind:0": Skip.NOT_OPENED}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("48, 2", (2880, 120)),
        ("2 48", (2880, 120)),
        ("24;1;0.5", (1440, 60, 30)),
        ("1 + 1", (60,)),
        ("0", ()),
        ("-", ()),
    ],
)
def test_offsets_input(text: str, minutes: tuple[int, ...]) -> None:
    assert parse_offsets(text) == minutes


@pytest.mark.parametrize(
    "text", ["", "abc", "-5", "1,5,2,3,4,6,7", "721", "0.001", "24h", "1e3", "9" * 40]
)
def test_bad_offsets_input(text: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        parse_offsets(text)


@pytest.mark.parametrize(
    ("lang", "minutes", "expected"),
    [
        ("en", 60, "starts in 1 hour."),
        ("en", 24 * 60, "starts in 24 hours."),
        ("en", 30, "starts in 30 minutes."),
        ("en", 3 * 24 * 60, "starts in 3 days."),
        ("lt", 60, "po 1 valandos."),
        ("lt", 2 * 60, "po 2 valandų."),
        ("lt", 21 * 60, "po 21 valandos."),
        ("lt", 15, "po 15 minučių."),
        ("uk", 60, "через 1 годину."),
        ("uk", 24 * 60, "через 24 години."),
        ("uk", 5 * 60, "через 5 годин."),
        ("uk", 2 * 24 * 60, "через 2 дні."),
    ],
)
def test_starts_in_uses_plural_forms(lang: str, minutes: int, expected: str) -> None:
    text = starts_in(Translator("lt"), lang, timedelta(minutes=minutes))
    assert text.endswith(expected), text
