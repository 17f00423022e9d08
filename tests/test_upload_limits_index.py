"""A participant import finds known e-mails through the unique index, never by a scan per
row (issue 12): e-mails are stored lower-cased, so ``email = ?`` can use participants_email.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.invitations import new_codes
from bot.models import ImportRow
from bot.sim import Simulation
from bot.storage.database import IntegrityErrors
from bot.storage.invitations import INVITE_IMPORTED_BY_CODE, INVITE_IMPORTED_BY_EMAIL
from tests.conftest import add_event


async def plan(sim: Simulation, sql: str, params: tuple[object, ...]) -> str:
    rows = await sim.db.database.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)
    return "\n".join(str(r[3]) for r in rows)


@pytest.mark.sqlite_only("reads SQLite's query plan")
async def test_known_emails_are_found_through_the_index(sim: Simulation) -> None:
    lookup = await plan(sim, "SELECT email, id FROM participants WHERE email IN (?, ?)", ("a", "b"))
    assert "USING COVERING INDEX participants_email" in lookup
    await sim.db.database.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_keys (email TEXT, code TEXT)"
    )
    for sql in (INVITE_IMPORTED_BY_EMAIL, INVITE_IMPORTED_BY_CODE):
        invite = await plan(sim, sql, (1, "x"))
        assert "SEARCH p USING" in invite
        assert "SCAN p" not in invite


async def test_a_list_matches_known_people_whatever_the_case(sim: Simulation) -> None:
    event = await add_event(sim)
    now = sim.clock.now()
    first = [ImportRow(2, "Asta Jonaitė", "asta@akmene.lt", "Org", None, None)]
    again = [ImportRow(2, "Asta Jonaitė", "Asta@Akmene.LT", "Kita org", None, None),
             ImportRow(3, "Be E. Pašto", None, "Org", None, None)]  # fmt: skip
    one = await sim.db.invitations.import_participants(
        first, codes=new_codes(1), event_id=None, now=now
    )
    two = await sim.db.invitations.import_participants(
        again, codes=new_codes(2), event_id=event.id, now=now
    )
    assert (one.created, one.updated) == (1, 0)
    assert (two.created, two.updated, two.invited) == (1, 1, 2)
    rows = await sim.db.database.fetch_all(
        "SELECT email, organisation FROM participants ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [("asta@akmene.lt", "Kita org"), (None, "Org")]


async def test_the_database_refuses_an_email_that_is_not_lower_case(tmp_path: Path) -> None:
    async with Simulation(tmp_path / "bot.sqlite3") as sim:
        with pytest.raises(IntegrityErrors, match="lower-case"):
            await sim.db.database.execute(
                "INSERT INTO participants (email, created_at, updated_at) VALUES (?, '', '')",
                ("Asta@Akmene.lt",),
            )
