"""Queries for people: participants, their profile and consent, conversation state."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.models import Participant, PendingInput
from bot.storage.database import Database, Row, from_db, to_db

_COLUMNS = (
    "id, telegram_id, name, organisation, email, language, consent_at, unreachable_at, opted_out_at"
)


def _participant(row: Row) -> Participant:
    return Participant(
        id=row["id"],
        telegram_id=row["telegram_id"],
        name=row["name"],
        organisation=row["organisation"],
        email=row["email"],
        language=row["language"],
        consent_at=from_db(row["consent_at"]),
        unreachable_at=from_db(row["unreachable_at"]),
        opted_out_at=from_db(row["opted_out_at"]),
    )


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


class PeopleRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def get_participant(self, participant_id: int) -> Participant | None:
        row = await self.database.fetch_one(
            f"SELECT {_COLUMNS} FROM participants WHERE id = ?", (participant_id,)
        )
        return None if row is None else _participant(row)

    async def get_participant_by_telegram(self, telegram_id: int) -> Participant | None:
        row = await self.database.fetch_one(
            f"SELECT {_COLUMNS} FROM participants WHERE telegram_id = ?", (telegram_id,)
        )
        return None if row is None else _participant(row)

    async def ensure_participant(
        self, telegram_id: int, *, language: str | None, now: datetime
    ) -> Participant:
        """The participant row for a Telegram user, created on first contact."""
        # Fast path, one query: the person is known and reachable (nearly every update).
        known = await self.get_participant_by_telegram(telegram_id)
        if known is not None and known.unreachable_at is None:
            return known
        stamp = to_db(now)
        async with self.database.transaction() as db:
            await db.execute(
                """INSERT INTO participants (telegram_id, language, created_at, updated_at)
                   VALUES (?, ?, ?, ?) ON CONFLICT(telegram_id) DO NOTHING""",
                (telegram_id, language, stamp, stamp),
            )
            # A user who wrote to the bot again is reachable again.
            await db.execute(
                "UPDATE participants SET unreachable_at = NULL WHERE telegram_id = ? "
                "AND unreachable_at IS NOT NULL",
                (telegram_id,),
            )
            row = await db.fetch_one(
                f"SELECT {_COLUMNS} FROM participants WHERE telegram_id = ?", (telegram_id,)
            )
        assert row is not None
        return _participant(row)

    async def set_participant_language(
        self, participant_id: int, language: str, now: datetime
    ) -> None:
        await self.database.execute(
            "UPDATE participants SET language = ?, updated_at = ? WHERE id = ?",
            (language, to_db(now), participant_id),
        )

    async def record_consent(self, participant_id: int, version: str, now: datetime) -> bool:
        """Store the consent; False if it was already given (a double tap, an old button)."""
        changed = await self.database.execute(
            "UPDATE participants SET consent_at = ?, consent_version = ?, updated_at = ? "
            "WHERE id = ? AND consent_at IS NULL",
            (to_db(now), version, to_db(now), participant_id),
        )
        return changed > 0

    async def set_participant_profile(
        self,
        participant_id: int,
        *,
        name: str | None = None,
        organisation: str | None = None,
        now: datetime,
    ) -> None:
        await self.database.execute(
            "UPDATE participants SET name = COALESCE(?, name), "
            "organisation = COALESCE(?, organisation), updated_at = ? WHERE id = ?",
            (name, organisation, to_db(now), participant_id),
        )

    async def mark_unreachable(self, chat_id: int, now: datetime) -> None:
        await self.database.execute(
            "UPDATE participants SET unreachable_at = ?, updated_at = ? "
            "WHERE telegram_id = ? AND unreachable_at IS NULL",
            (to_db(now), to_db(now), chat_id),
        )

    async def mark_reachable(self, chat_id: int, now: datetime) -> None:
        await self.database.execute(
            "UPDATE participants SET unreachable_at = NULL, updated_at = ? WHERE telegram_id = ?",
            (to_db(now), chat_id),
        )

    # -- conversation state ---------------------------------------------------------------

    async def get_pending_input(self, telegram_id: int) -> PendingInput | None:
        row = await self.database.fetch_one(
            "SELECT telegram_id, kind, data FROM pending_inputs WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        return PendingInput(row["telegram_id"], row["kind"], json.loads(row["data"]))

    async def set_pending_input(self, state: PendingInput, now: datetime) -> None:
        await self.database.execute(
            "INSERT INTO pending_inputs (telegram_id, kind, data, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT(telegram_id) DO UPDATE SET kind=excluded.kind, data=excluded.data, "
            "updated_at=excluded.updated_at",
            (state.telegram_id, state.kind, json.dumps(state.data, ensure_ascii=False), to_db(now)),
        )

    async def clear_pending_input(self, telegram_id: int) -> None:
        await self.database.execute(
            "DELETE FROM pending_inputs WHERE telegram_id = ?", (telegram_id,)
        )

    async def find_participants(self, query: str) -> list[Participant]:
        """People not forgotten whose e-mail is ``query`` (any case), else whose name is
        ``query`` (any case and spacing), else whose name contains it; by id."""
        wanted = _folded(query)
        if not wanted:
            return []
        if "@" in wanted:
            rows = await self.database.fetch_all(
                f"SELECT {_COLUMNS} FROM participants WHERE forgotten_at IS NULL "
                "AND email IS NOT NULL AND lower(trim(email)) = ? ORDER BY id",
                (wanted,),
            )
            return [_participant(r) for r in rows]
        # Names are compared in Python: SQLite's lower() knows only ASCII (Ž, Ą, Ї...).
        rows = await self.database.fetch_all(
            f"SELECT {_COLUMNS} FROM participants WHERE forgotten_at IS NULL "
            "AND name IS NOT NULL ORDER BY id"
        )
        people = [_participant(r) for r in rows]
        exact = [p for p in people if _folded(p.name or "") == wanted]
        return exact or [p for p in people if wanted in _folded(p.name or "")]

    async def take_pending_input(self, telegram_id: int, kind: str) -> dict[str, Any] | None:
        """Delete and return the person's flow state of ``kind`` in one statement, so two
        presses of a confirm button cannot both act on it."""
        row = await self.database.fetch_one(
            "DELETE FROM pending_inputs WHERE telegram_id = ? AND kind = ? RETURNING data",
            (telegram_id, kind),
        )
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data
