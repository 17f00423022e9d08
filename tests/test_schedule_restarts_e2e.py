"""Timed work across restarts and downtime, double triggers, and the JobQueue as the clock.

Moments of the example event: see tests/test_reminders_e2e.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import schedule
from bot.sim import Simulation
from bot.surveys import lifecycle
from tests.conftest import add_event, register
from tests.test_reminders_e2e import (
    END,
    REMINDER_1H,
    REMINDER_24H,
    START,
    at,
    crowd,
    reminders,
    rows,
    utc,
)


@pytest.fixture
def survey_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record the scheduler's calls into the questionnaire's lifecycle (another area)."""
    calls: list[tuple[str, int]] = []

    def recorder(name: str) -> Callable[..., Awaitable[int]]:
        async def call(services: Any, event_id: int, *, now: datetime) -> int:
            calls.append((name, event_id))
            return 0

        return call

    for name in ("open_survey", "remind_survey", "close_survey"):
        monkeypatch.setattr(lifecycle, name, recorder(name))
    return calls


async def test_restart_between_scheduling_and_firing(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    await sim.restart()
    await sim.restart()
    await at(sim, REMINDER_24H)
    await sim.restart()
    await sim.tick()
    assert len(reminders(people["alice"])) == 1
    assert (await rows(sim, event.id))["reminder:1440m@20270309T080000Z"][0] == "done"


async def test_catch_up_after_downtime_sends_only_the_latest_reminder(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    await sim.stop_bot()
    sim.clock.set(utc(REMINDER_1H) + timedelta(minutes=30))  # down over both moments
    await sim.start_bot()
    await sim.settle()
    alice = people["alice"]
    assert reminders(alice) == [alice.last_text]
    assert alice.last_text.startswith("⏰ Reminder: the event starts in 30 minutes.")
    state = await rows(sim, event.id)
    assert state["reminder:1440m@20270309T080000Z"] == ("skipped", "superseded")
    assert state["reminder:60m@20270309T080000Z"] == ("done", "2")
    assert state["deadline@20270305T160000Z"] == ("skipped", "too-late")


async def test_no_reminder_after_the_start(sim: Simulation, survey_calls: list[Any]) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    await sim.stop_bot()
    sim.clock.set(utc(START) + timedelta(minutes=5))
    await sim.start_bot()
    await sim.settle()
    assert reminders(people["alice"]) == []
    state = await rows(sim, event.id)
    assert state["reminder:60m@20270309T080000Z"] == ("skipped", "too-late")
    assert survey_calls == []


async def test_questionnaire_moments_each_called_once(
    sim: Simulation, survey_calls: list[tuple[str, int]]
) -> None:
    event = await add_event(sim)
    await sim.tick()
    await at(sim, END, minus=timedelta(seconds=1))
    assert survey_calls == []
    await at(sim, END)
    await sim.tick()
    assert survey_calls == [("open_survey", event.id)]
    await at(sim, "2027-03-11T14:00:00")
    await sim.restart()
    await sim.tick()
    assert survey_calls[1:] == [("remind_survey", event.id)]
    await at(sim, "2027-03-23T14:00:00")
    await at(sim, "2027-03-30T14:00:00")
    assert survey_calls[2:] == [("close_survey", event.id)]
    state = await rows(sim, event.id)
    assert (
        state["survey-open"][0] == state["survey-remind"][0] == state["survey-close"][0] == "done"
    )
    # A closed event is no longer looked at.
    assert [e.id for e in await sim.db.schedule.schedule_events()] == []


async def test_questionnaire_after_downtime(
    sim: Simulation, survey_calls: list[tuple[str, int]]
) -> None:
    event = await add_event(sim)
    await sim.tick()
    await sim.stop_bot()
    sim.clock.set(utc("2027-03-12T09:00:00"))  # down over the end and the reminder moment
    await sim.start_bot()
    assert survey_calls == [("open_survey", event.id)]
    assert (await rows(sim, event.id))["survey-remind"] == ("skipped", "superseded")
    await sim.stop_bot()
    sim.clock.set(utc("2027-04-01T09:00:00"))  # and over the close
    await sim.start_bot()
    assert survey_calls[1:] == [("close_survey", event.id)]


async def test_questionnaire_never_opened_when_down_for_its_whole_window(
    sim: Simulation, survey_calls: list[tuple[str, int]]
) -> None:
    event = await add_event(sim)
    await sim.tick()
    await sim.stop_bot()
    sim.clock.set(utc("2027-04-01T09:00:00"))
    await sim.start_bot()
    assert survey_calls == [("close_survey", event.id)]
    state = await rows(sim, event.id)
    assert state["survey-open"] == ("skipped", "too-late")


async def test_double_trigger_and_lost_done_marker_send_once(sim: Simulation) -> None:
    event = await add_event(sim)
    people = await crowd(sim, event)
    await sim.tick()
    sim.clock.set(utc(REMINDER_24H))
    assert sim.app is not None
    assert sim.app.scheduler is not None
    await asyncio.gather(sim.app.scheduler.run_due(), sim.app.scheduler.run_due(), sim.tick())
    await sim.settle()
    assert len(reminders(people["alice"])) == 1
    # A crash after the messages were queued and before the item was marked done:
    await sim.db.database.execute(
        "UPDATE scheduled_items SET state = 'pending', detail = '' WHERE kind = 'reminder'"
    )
    await sim.restart()
    await sim.tick()
    assert len(reminders(people["alice"])) == 1
    assert len(reminders(people["bob"])) == 1
    queued = await sim.db.database.fetch_all(
        "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE ?", (f"e{event.id}:reminder:%",)
    )
    assert queued[0][0] == 2


async def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_the_job_queue_polls_by_itself(
    sim: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedule, "POLL_SECONDS", 0.2)
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    await sim.restart()
    sim.clock.set(utc(REMINDER_24H))
    await wait_for(lambda: bool(reminders(alice)))  # no tick(): the JobQueue ran the pass
    await sim.settle()
    assert len(reminders(alice)) == 1


async def test_a_precise_wake_up_before_the_next_poll(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = sim.user(2001, "Alice")
    await register(sim, alice, event)
    await alice.press("✅ Yes")
    sim.clock.set(utc(REMINDER_24H) - timedelta(seconds=0.3))
    await sim.tick()  # plans a one-off job 0.35 s from now (the poll is a minute away)
    assert sim.app is not None
    assert sim.app.job_queue is not None
    assert sorted(str(j.name) for j in sim.app.job_queue.jobs()) == [
        "schedule-next",
        "schedule-poll",
    ]
    sim.clock.set(utc(REMINDER_24H))  # the fake clock does not move by itself
    await wait_for(lambda: bool(reminders(alice)))
    assert len(reminders(alice)) == 1
