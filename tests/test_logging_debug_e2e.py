"""At --log-level DEBUG the bot's log still holds no names and no typed texts (issue 12).

PTB logs every update it processes and every Bot API call with its parameters at DEBUG,
aiosqlite every statement with its parameters: a person's name, organisation and comment
would all be in the log. The test runs the real bot with the real log set-up at DEBUG
and reads what the log handler wrote.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import THIRD_PARTY_FLOOR, setup_logging
from bot.sim import Simulation, SimUser
from tests.conftest import add_event
from tests.dbcheck import count_rows
from tests.test_survey_e2e import answer_all, coming, open_at_end

SECRETS = ("Ona Slaptaitė", "Slaptoji įstaiga", "Slaptas klausimas", "Slaptas komentaras")


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """What ``python -m bot --log-level DEBUG`` would write to stderr (JSON lines)."""
    buffer = io.StringIO()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "bot", *THIRD_PARTY_FLOOR)}
    handler = setup_logging("DEBUG", stream=buffer)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name or None).setLevel(level)


async def test_debug_logging_keeps_names_and_typed_texts_out(
    debug_log: io.StringIO, sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    ona = await coming(sim, 2001, "Ona Slaptaitė", "Slaptoji įstaiga", event.id)
    await ona.send("Slaptas klausimas: ar bus kava?")  # typed outside any step
    await organiser.send(f"/rsvps {event.id}")  # the organiser's list names her
    assert "Ona Slaptaitė" in organiser.last_text
    await open_at_end(sim, event.id)
    await answer_all(ona, (5, 4, 5, 4, 5, 4), recommend=9, comment="Slaptas komentaras apie X")
    stored = await count_rows(sim.db, "survey_answers", "text = ?", ("Slaptas komentaras apie X",))
    assert stored == 1  # the comment really went through the bot

    log = debug_log.getvalue()
    assert logging.getLogger("bot.handlers").isEnabledFor(logging.DEBUG)
    assert '"logger": "bot.app", "msg": "bot @' in log  # the handler did write
    for secret in SECRETS:
        assert secret not in log
    assert "slapt" not in log.lower()  # not even escaped or cut


def test_a_library_turned_up_later_still_logs_no_debug_lines() -> None:
    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging("DEBUG", stream=buffer)
    try:
        logging.getLogger("telegram.ext.Application").setLevel(logging.DEBUG)
        logging.getLogger("telegram.ext.Application").debug("Processing update Ona Slaptaitė")
        logging.getLogger("bot.handlers").debug("our own debug line")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("telegram.ext.Application").setLevel(logging.NOTSET)
        for name in THIRD_PARTY_FLOOR:
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert "Slaptaitė" not in buffer.getvalue()
    assert "our own debug line" in buffer.getvalue()
