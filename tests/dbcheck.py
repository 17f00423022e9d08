"""Typed checks of what is stored, for tests (the bot's own reads go through the
repositories; these read tables directly, through the public driver seam).

For a one-off query use ``sim.db.database.scalar / fetch_one / fetch_all``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.storage import Storage

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


async def count_rows(
    db: Storage, table: str, where: str = "", params: Sequence[object] = ()
) -> int:
    """``SELECT COUNT(*) FROM table [WHERE where]``."""
    if not _NAME.fullmatch(table):
        raise ValueError(f"not a table name: {table!r}")
    sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
    return int(await db.database.scalar(sql, params) or 0)


async def rsvp_status(db: Storage, participant_id: int) -> str | None:
    """The person's one stored answer (tests with a single event)."""
    value = await db.database.scalar(
        "SELECT status FROM rsvps WHERE participant_id = ?", (participant_id,)
    )
    return None if value is None else str(value)


async def rsvp_history(db: Storage, participant_id: int | None = None) -> list[str]:
    """Every answer recorded, oldest first (of one person, or of everyone)."""
    if participant_id is None:
        rows = await db.database.fetch_all("SELECT status FROM rsvp_history ORDER BY id")
    else:
        rows = await db.database.fetch_all(
            "SELECT status FROM rsvp_history WHERE participant_id = ? ORDER BY id",
            (participant_id,),
        )
    return [str(r[0]) for r in rows]


async def latest_campaign(db: Storage) -> int | None:
    value = await db.database.scalar("SELECT MAX(id) FROM campaigns")
    return None if value is None else int(value)


async def campaign_status(db: Storage, campaign_id: int) -> str | None:
    value = await db.database.scalar("SELECT status FROM campaigns WHERE id = ?", (campaign_id,))
    return None if value is None else str(value)
