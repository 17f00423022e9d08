"""Storage of leases: a named lease held by one worker until it expires (``db.leases``).

Several worker processes share one database (docs/operations.md, "Several workers"); a
background loop that must run in exactly one of them (a bot's sender, its scheduler, its
poller, the e-mail sender) runs only in the worker holding its lease. Each operation is
one statement, so two workers can never both hold a lease:

* acquire: insert the lease, or take it over when it expired or is already ours, in one
  ``INSERT ... ON CONFLICT (name) DO UPDATE ... WHERE ... RETURNING``;
* renew: extend it only while it is still ours;
* release: give it up only if it is ours.

Times are UTC ISO text with milliseconds (a lease lives seconds), written by the worker's
clock: keep the workers' clocks in step (NTP), well within the lease's time to live.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import LeaseRow
from bot.storage.database import Database, from_db_required


def stamp(moment: datetime) -> str:
    """UTC ISO text with milliseconds; sorts in time order like every stored time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class LeaseRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def acquire_lease(
        self, name: str, holder: str, *, now: datetime, until: datetime
    ) -> bool:
        """Take ``name`` for ``holder`` until ``until`` if it is free, expired or already
        the holder's (then it is renewed). True if ``holder`` holds it afterwards."""
        at, expiry = stamp(now), stamp(until)
        # fetch_all: a RETURNING statement is finished (and committed) only once read out.
        rows = await self.database.fetch_all(
            "INSERT INTO leases (name, holder, expires_at, acquired_at, renewed_at, generation) "
            "VALUES (?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at, renewed_at = excluded.renewed_at, "
            "acquired_at = CASE WHEN leases.holder = excluded.holder "
            "THEN leases.acquired_at ELSE excluded.acquired_at END, "
            "generation = CASE WHEN leases.holder = excluded.holder "
            "THEN leases.generation ELSE leases.generation + 1 END "
            "WHERE leases.expires_at < ? OR leases.holder = ? "
            "RETURNING holder",
            (name, holder, expiry, at, at, at, holder),
        )
        return bool(rows) and rows[0][0] == holder

    async def renew_lease(self, name: str, holder: str, *, now: datetime, until: datetime) -> bool:
        """Extend ``holder``'s lease to ``until``; False if it is not theirs any more."""
        changed = await self.database.execute(
            "UPDATE leases SET expires_at = ?, renewed_at = ? WHERE name = ? AND holder = ?",
            (stamp(until), stamp(now), name, holder),
        )
        return changed > 0

    async def release_lease(self, name: str, holder: str) -> bool:
        """Give the lease up (a clean stop), so another worker takes it at once."""
        changed = await self.database.execute(
            "DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder)
        )
        return changed > 0

    async def lease_rows(self) -> list[LeaseRow]:
        """Every lease, expired ones included (operations, tests)."""
        rows = await self.database.fetch_all(
            "SELECT name, holder, expires_at, acquired_at, renewed_at, generation FROM leases "
            "ORDER BY name"
        )
        return [
            LeaseRow(
                str(r[0]), str(r[1]), from_db_required(r[2]), from_db_required(r[3]),
                from_db_required(r[4]), int(r[5]),
            )
            for r in rows
        ]  # fmt: skip
