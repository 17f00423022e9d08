"""Finding a person from what an operator knows: an id, an e-mail address or a name
(``python -m bot privacy export|forget``, a request received by e-mail or letter)."""

from __future__ import annotations

from bot.models import Participant
from bot.storage.base import StorageBase
from bot.storage.participants import _COLUMNS, _participant


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


class LookupQueries(StorageBase):
    async def find_participants(self, query: str) -> list[Participant]:
        """People not forgotten whose e-mail is ``query`` (any case), else whose name is
        ``query`` (any case and spacing), else whose name contains it; by id."""
        wanted = _folded(query)
        if not wanted:
            return []
        if "@" in wanted:
            rows = await self._fetchall(
                f"SELECT {_COLUMNS} FROM participants WHERE forgotten_at IS NULL "
                "AND email IS NOT NULL AND lower(trim(email)) = ? ORDER BY id",
                (wanted,),
            )
            return [_participant(r) for r in rows]
        # Names are compared in Python: SQLite's lower() knows only ASCII (Ž, Ą, Ї...).
        rows = await self._fetchall(
            f"SELECT {_COLUMNS} FROM participants WHERE forgotten_at IS NULL "
            "AND name IS NOT NULL ORDER BY id"
        )
        people = [_participant(r) for r in rows]
        exact = [p for p in people if _folded(p.name or "") == wanted]
        return exact or [p for p in people if wanted in _folded(p.name or "")]
