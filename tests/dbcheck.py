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
