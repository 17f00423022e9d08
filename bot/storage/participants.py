"""Queries for participants, invitations and stored conversation state."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.models import Participant, PendingInput
from bot.storage.base import StorageBase, from_db, to_db

_COLUMNS = (
    "id, telegram_id, name, organisation, email, language, consent_at, unreachable_at, opted_out_at"
)


def _participant(row: aiosqlite.Row) -> Participant:
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


class ParticipantQueries(StorageBase):
    async def get_participant(self, participant_id: int) -> Participant | None:
        row = await self._fetchone(
            f"SELECT {_COLUMNS} FROM participants WHERE id = ?", (participant_id,)
        )
        return None if row is None else _participant(row)

    async def get_participant_by_telegram(self, telegram_id: int) -> Participant | None:
        row = await self._fetchone(
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
        async with self._tx() as db:
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
            async with db.execute(
                f"SELECT {_COLUMNS} FROM participants WHERE telegram_id = ?", (telegram_id,)
            ) as cur:
                row = await cur.fetchone()
        assert row is not None
        return _participant(row)

    async def set_participant_language(
        self, participant_id: int, language: str, now: datetime
    ) -> None:
        await self._execute(
            "UPDATE participants SET language = ?, updated_at = ? WHERE id = ?",
            (language, to_db(now), participant_id),
        )

    async def record_consent(self, participant_id: int, version: str, now: datetime) -> bool:
        """Store the consent; False if it was already given (a double tap, an old button)."""
        changed = await self._execute(
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
        await self._execute(
            "UPDATE participants SET name = COALESCE(?, name), "
            "organisation = COALESCE(?, organisation), updated_at = ? WHERE id = ?",
            (name, organisation, to_db(now), participant_id),
        )

    async def mark_unreachable(self, chat_id: int, now: datetime) -> None:
        await self._execute(
            "UPDATE participants SET unreachable_at = ?, updated_at = ? "
            "WHERE telegram_id = ? AND unreachable_at IS NULL",
            (to_db(now), to_db(now), chat_id),
        )

    async def mark_reachable(self, chat_id: int, now: datetime) -> None:
        await self._execute(
            "UPDATE participants SET unreachable_at = NULL, updated_at = ? WHERE telegram_id = ?",
            (to_db(now), chat_id),
        )

    async def invite(self, event_id: int, participant_id: int, source: str, now: datetime) -> bool:
        """Record that the participant is invited to the event; False if already was."""
        changed = await self._execute(
            "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (event_id, participant_id, source, to_db(now)),
        )
        return changed > 0

    async def holds_invitation(self, event_id: int, participant_id: int) -> bool:
        """Whether the person may act on the event: invited to it (its link, a personal link,
        a broadcast, a card an organiser posted in a group), marked present at it (a walk-in
        who scanned the check-in QR, or marked by the organiser), or registering after
        opening its check-in QR (the pending check-in)."""
        found = await self._scalar(
            "SELECT EXISTS (SELECT 1 FROM invitations WHERE event_id = ? AND participant_id = ?)"
            " OR EXISTS (SELECT 1 FROM attendance WHERE event_id = ? AND participant_id = ?"
            " AND status = 'present')"
            " OR EXISTS (SELECT 1 FROM checkin_intents WHERE event_id = ? AND participant_id = ?)",
            (event_id, participant_id) * 3,
        )
        return bool(found)

    # -- conversation state ---------------------------------------------------------------

    async def get_pending_input(self, telegram_id: int) -> PendingInput | None:
        row = await self._fetchone(
            "SELECT telegram_id, kind, data FROM pending_inputs WHERE telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        return PendingInput(row["telegram_id"], row["kind"], json.loads(row["data"]))

    async def set_pending_input(self, state: PendingInput, now: datetime) -> None:
        await self._execute(
            "INSERT INTO pending_inputs (telegram_id, kind, data, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT(telegram_id) DO UPDATE SET kind=excluded.kind, data=excluded.data, "
            "updated_at=excluded.updated_at",
            (state.telegram_id, state.kind, json.dumps(state.data, ensure_ascii=False), to_db(now)),
        )

    async def clear_pending_input(self, telegram_id: int) -> None:
        await self._execute("DELETE FROM pending_inputs WHERE telegram_id = ?", (telegram_id,))
