"""tools/codemod_storage.py: old ``storage.<method>`` call sites become
``db.<repo>.<method>``, a second run changes nothing, and the tree is already migrated."""

from __future__ import annotations

import pytest

from tools.codemod_storage import main, method_table, rewrite

OLD = """\
from bot.storage import Storage
import bot.storage.schema


async def f(services, sim, storage: Storage, self) -> None:
    event = await services.storage.get_event(1)
    await context.services.storage.apply_rsvp(1, 2, wanted, capacity=None, now=now)
    count = await sim.storage._scalar("SELECT COUNT(*) FROM rsvps")
    async with sim.storage._tx() as db:
        pass
    await storage.ensure_participant(5, language="lt", now=now)
    await self.storage.enqueue([])
    helper(sim.storage)
    await services.storage.open()
"""

NEW = """\
from bot.storage import Storage
import bot.storage.schema


async def f(services, sim, storage: Storage, self) -> None:
    event = await services.db.events.get_event(1)
    await context.services.db.rsvps.apply_rsvp(1, 2, wanted, capacity=None, now=now)
    count = await sim.db.database.scalar("SELECT COUNT(*) FROM rsvps")
    async with sim.db.database.transaction() as db:
        pass
    await storage.people.ensure_participant(5, language="lt", now=now)
    await self.storage.outbox.enqueue([])
    helper(sim.db)
    await services.db.open()
"""


def test_rewrites_old_call_sites_once() -> None:
    table = method_table()
    unknown: set[str] = set()
    assert rewrite(OLD, table, unknown) == NEW
    assert rewrite(NEW, table, unknown) == NEW  # idempotent
    assert unknown == set()


def test_an_unknown_method_is_reported_and_left_alone() -> None:
    unknown: set[str] = set()
    text = "await services.storage.no_such_query(1)\n"
    assert rewrite(text, method_table(), unknown) == "await services.db.no_such_query(1)\n"
    assert unknown == {"no_such_query"}


def test_the_tree_is_migrated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0, capsys.readouterr().out
