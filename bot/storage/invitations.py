"""Queries for invitations: imported lists, personal links and codes, group cards.

A segment is resolved in SQL, in id order and in chunks (``after_id``), so a campaign to
20,000 people never holds them all in memory. Everyone in a segment is reachable: has a
Telegram id, was not found unreachable, did not opt out and was not forgotten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.models import (
    BindOutcome,
    BindResult,
    BotChat,
    ImportResult,
    ImportRow,
    PersonalRow,
)
from bot.storage.database import Database, Tx, to_db
from bot.storage.privacy import ForgetHook, ForgetTarget

# Answers a segment can select; "none" = invited but not answered.


async def _forget_category(db: Tx, target: ForgetTarget) -> None:
    """Privacy: the tombstone also loses the imported category (a personal detail)."""
    await db.execute(
        "UPDATE participants SET category = NULL WHERE id = ?", (target.participant_id,)
    )


FORGET: Mapping[str, ForgetHook] = {"participants": _forget_category}


class InvitationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- segments ---------------------------------------------------------------------------

    async def invite_many(
        self, event_id: int, participant_ids: Sequence[int], source: str, now: datetime
    ) -> int:
        if not participant_ids:
            return 0
        async with self.database.transaction() as db:
            return await db.executemany(
                "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(event_id, pid, source, to_db(now)) for pid in participant_ids],
            )

    # -- guided flow state ------------------------------------------------------------------

    # -- personal invitations ---------------------------------------------------------------

    async def existing_emails(self, emails: Sequence[str]) -> dict[str, int]:
        """lower-cased e-mail -> participant id, for the e-mails that are already known."""
        found: dict[str, int] = {}
        for chunk in _chunks([e.lower() for e in emails]):
            # ``email = ...`` (stored lower-cased) uses the unique index participants_email.
            rows = await self.database.fetch_all(
                f"SELECT email, id FROM participants WHERE email IN ({_marks(chunk)})", chunk
            )
            found.update({str(r[0]): int(r[1]) for r in rows})
        return found

    async def import_participants(
        self,
        rows: Sequence[ImportRow],
        *,
        codes: Sequence[str],
        event_id: int | None,
        now: datetime,
    ) -> ImportResult:
        """All rows in one transaction: a known e-mail updates that person (keeping their
        code), a new one creates a person with the row's code from ``codes``.

        Known e-mails are found through the unique index (a few IN queries, not one scan per
        row) and the writes go in batches (``executemany``), so 50,000 rows take about a
        second (bench/import.py) and the connection is soon free for other people's taps."""
        if len(codes) < len(rows):
            raise ValueError("one code per row is needed")
        stamp = to_db(now)
        values = [
            (
                item.name, item.organisation, item.email.lower() if item.email else None,
                item.role, item.category, code, stamp, stamp, stamp,
            )
            for item, code in zip(rows, codes, strict=False)
        ]  # fmt: skip
        async with self.database.transaction() as db:
            last_id = int(
                next(iter(await db.fetch_all("SELECT COALESCE(MAX(id), 0) FROM participants")))[0]
            )
            written = await db.executemany(
                # A known e-mail (ON CONFLICT through the unique index participants_email)
                # updates that person and keeps their code. Until the person opens the link,
                # the list is the truth; after, what they entered themselves is kept.
                """INSERT INTO participants (name, organisation, email, role, category,
                       personal_code, imported_at, created_at, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?)
                   ON CONFLICT (email) WHERE email IS NOT NULL DO UPDATE SET
                       name = CASE WHEN participants.telegram_id IS NULL THEN excluded.name
                              ELSE COALESCE(participants.name, excluded.name) END,
                       organisation = CASE WHEN participants.telegram_id IS NULL
                                      THEN excluded.organisation
                                      ELSE COALESCE(participants.organisation,
                                                    excluded.organisation) END,
                       role = COALESCE(excluded.role, participants.role),
                       category = COALESCE(excluded.category, participants.category),
                       personal_code = COALESCE(participants.personal_code,
                                                excluded.personal_code),
                       imported_at = excluded.imported_at, updated_at = excluded.updated_at
                   WHERE participants.forgotten_at IS NULL""",
                values,
            )
            created = int(
                next(
                    iter(
                        await db.fetch_all(
                            "SELECT COUNT(*) FROM participants WHERE id > ?", (last_id,)
                        )
                    )
                )[0]
            )
            invited = 0
            if event_id is not None:
                # Everyone on the list, found by e-mail (unique index) or, without one, by
                # the new code: one join each, not a statement per row.
                # Unqualified, the temporary table is found first on either engine (SQLite
                # searches temp before main; PostgreSQL's search_path starts with pg_temp).
                await db.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS import_keys (email TEXT, code TEXT)"
                )
                await db.executemany(
                    "INSERT INTO import_keys (email, code) VALUES (?, ?)",
                    [(v[2], v[5]) for v in values],
                )
                by_email = await db.execute(INVITE_IMPORTED_BY_EMAIL, (event_id, stamp))
                by_code = await db.execute(INVITE_IMPORTED_BY_CODE, (event_id, stamp))
                invited = by_email.rowcount + by_code.rowcount
                await db.execute("DELETE FROM import_keys")
        return ImportResult(created, written - created, invited)

    async def personal_rows(
        self, *, event_id: int | None = None, include_bound: bool = True, limit: int = -1
    ) -> list[PersonalRow]:
        """People with a personal link (invited to ``event_id`` if given), by name; at most
        ``limit`` of them (negative: all)."""
        where = "p.personal_code IS NOT NULL AND p.forgotten_at IS NULL"
        params: list[Any] = []
        if event_id is not None:
            where += (
                " AND EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = ? "
                "AND i.participant_id = p.id)"
            )
            params.append(event_id)
        if not include_bound:
            where += " AND p.telegram_id IS NULL"
        limited = ""
        if limit >= 0:
            limited = " LIMIT ?"
            params.append(limit)
        # lower(): SQLite's folds ASCII only, as COLLATE NOCASE did; PostgreSQL's folds all.
        rows = await self.database.fetch_all(
            f"""SELECT p.id, COALESCE(p.name, ''), p.email, p.organisation, p.role, p.category,
                       p.personal_code, CASE WHEN p.telegram_id IS NULL THEN 0 ELSE 1 END
                FROM participants p WHERE {where}
                ORDER BY lower(COALESCE(p.name, '')), p.id{limited}""",
            params,
        )
        return [
            PersonalRow(
                participant_id=r[0], name=r[1], email=r[2], organisation=r[3], role=r[4],
                category=r[5], personal_code=r[6], bound=bool(r[7]),
            )
            for r in rows
        ]  # fmt: skip

    async def bind_personal_code(
        self,
        code: str,
        telegram_id: int,
        *,
        language: str | None,
        now: datetime,
        confirmed: bool = False,
    ) -> BindResult:
        """Bind the imported person with ``code`` to a Telegram account, in one transaction.

        The account usually has a row of its own already (made when /start arrived). If
        that row is empty (a first contact), the imported row is merged into it at once.
        If it holds an identity (consent, a name, an organisation or an e-mail), nothing is
        merged until the person confirmed that the link is theirs (``confirmed``): the
        answer is CONFIRM. A link already bound to another account is refused (TAKEN) and
        the refusal counted for the organisers. Merging: what the person entered themselves
        wins; what is missing comes from the list; invitations move over; the imported row
        goes.
        """
        stamp = to_db(now)
        async with self.database.transaction() as db:
            imported = await db.fetch_one(
                "SELECT id, telegram_id, name, organisation, email, role, category "
                "FROM participants WHERE personal_code = ? AND forgotten_at IS NULL",
                (code,),
            )
            if imported is None:
                return BindResult(BindOutcome.UNKNOWN)
            if imported["telegram_id"] == telegram_id:
                return BindResult(
                    BindOutcome.ALREADY, imported["id"], await _events(db, imported["id"], stamp)
                )
            source_id = int(imported["id"])
            if imported["telegram_id"] is not None:
                await db.execute(
                    "INSERT INTO personal_link_refusals (participant_id, attempts, first_at, "
                    "last_at) VALUES (?, 1, ?, ?) ON CONFLICT(participant_id) DO UPDATE SET "
                    "attempts = personal_link_refusals.attempts + 1, last_at = excluded.last_at",
                    (source_id, stamp, stamp),
                )
                counted = await db.fetch_one(
                    "SELECT attempts FROM personal_link_refusals WHERE participant_id = ?",
                    (source_id,),
                )
                return BindResult(
                    BindOutcome.TAKEN, source_id, name=imported["name"],
                    refusals=int(counted[0]) if counted else 1,
                )  # fmt: skip
            own = await db.fetch_one(
                "SELECT id, email, name, organisation, consent_at FROM participants "
                "WHERE telegram_id = ?",
                (telegram_id,),
            )
            has_identity = own is not None and any(
                own[column] for column in ("email", "name", "organisation", "consent_at")
            )
            if has_identity and not confirmed:
                return BindResult(
                    BindOutcome.CONFIRM, source_id, name=imported["name"], email=imported["email"]
                )
            if own is None:  # no row yet: the imported one becomes this account's
                await db.execute(
                    "UPDATE participants SET telegram_id = ?, language = COALESCE(language, ?), "
                    "updated_at = ? WHERE id = ?",
                    (telegram_id, language, stamp, source_id),
                )
                return BindResult(BindOutcome.BOUND, source_id, await _events(db, source_id, stamp))
            target_id = int(own["id"])
            await db.execute(
                "UPDATE rsvp_history SET participant_id = ? WHERE participant_id = ?",
                (target_id, source_id),
            )
            await db.execute(
                "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
                "SELECT event_id, ?, 'personal', invited_at FROM invitations "
                "WHERE participant_id = ? ON CONFLICT DO NOTHING",
                (target_id, source_id),
            )
            await db.execute(
                "INSERT INTO rsvps (event_id, participant_id, status, waitlist_seq, updated_at) "
                "SELECT event_id, ?, status, waitlist_seq, updated_at FROM rsvps "
                "WHERE participant_id = ? ON CONFLICT DO NOTHING",
                (target_id, source_id),
            )
            # The imported row gives up its unique code and e-mail, then goes.
            await db.execute(
                "UPDATE participants SET personal_code = NULL, email = NULL WHERE id = ?",
                (source_id,),
            )
            await db.execute(
                """UPDATE participants SET name = COALESCE(name, ?),
                       organisation = COALESCE(organisation, ?), email = COALESCE(email, ?),
                       role = COALESCE(role, ?), category = COALESCE(category, ?),
                       personal_code = ?, imported_at = COALESCE(imported_at, ?),
                       updated_at = ?
                   WHERE id = ?""",
                (
                    imported["name"], imported["organisation"], imported["email"],
                    imported["role"], imported["category"], code, stamp, stamp, target_id,
                ),
            )  # fmt: skip
            await db.execute("DELETE FROM participants WHERE id = ?", (source_id,))
            return BindResult(BindOutcome.BOUND, target_id, await _events(db, target_id, stamp))

    # -- groups and channels ----------------------------------------------------------------

    async def remember_chat(
        self, chat_id: int, type_: str, title: str, *, is_admin: bool, now: datetime
    ) -> None:
        await self.database.execute(
            "INSERT INTO bot_chats (chat_id, type, title, is_admin, updated_at) "
            "VALUES (?,?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET type = excluded.type, "
            "title = excluded.title, is_admin = excluded.is_admin, "
            "updated_at = excluded.updated_at",
            (chat_id, type_, title, int(is_admin), to_db(now)),
        )

    async def trust_chat(self, chat_id: int, organiser_id: int | None, now: datetime) -> None:
        """Who vouches for the chat: the organiser who added the bot or confirmed the chat;
        None when someone else added the bot, or it left (then /postcard never offers it)."""
        await self.database.execute(
            "UPDATE bot_chats SET trusted_by = ?, updated_at = ? WHERE chat_id = ?",
            (organiser_id, to_db(now), chat_id),
        )

    async def postable_chats(self) -> list[BotChat]:
        """Chats /postcard may offer: the bot may post there and an organiser vouched."""
        rows = await self.database.fetch_all(
            "SELECT chat_id, type, title FROM bot_chats WHERE is_admin = 1 "
            "AND trusted_by IS NOT NULL ORDER BY updated_at DESC LIMIT 20"
        )
        return [BotChat(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def is_postable(self, chat_id: int) -> bool:
        found = await self.database.scalar(
            "SELECT 1 FROM bot_chats WHERE chat_id = ? AND is_admin = 1 AND trusted_by IS NOT NULL",
            (chat_id,),
        )
        return found is not None

    async def group_post_event(self, chat_id: int, message_id: int) -> int | None:
        """The event of the card an organiser posted as this message, if it is one."""
        found = await self.database.scalar(
            "SELECT event_id FROM group_posts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return None if found is None else int(found)

    async def record_group_post(
        self, event_id: int, chat_id: int, message_id: int, organiser_id: int | None, now: datetime
    ) -> None:
        await self.database.execute(
            "INSERT INTO group_posts (event_id, chat_id, message_id, posted_by_user_id, "
            "posted_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
            (event_id, chat_id, message_id, organiser_id, to_db(now)),
        )

    async def invite(self, event_id: int, participant_id: int, source: str, now: datetime) -> bool:
        """Record that the participant is invited to the event; False if already was."""
        changed = await self.database.execute(
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
        found = await self.database.scalar(
            "SELECT EXISTS (SELECT 1 FROM invitations WHERE event_id = ? AND participant_id = ?)"
            " OR EXISTS (SELECT 1 FROM attendance WHERE event_id = ? AND participant_id = ?"
            " AND status = 'present')"
            " OR EXISTS (SELECT 1 FROM checkin_intents WHERE event_id = ? AND participant_id = ?)",
            (event_id, participant_id) * 3,
        )
        return bool(found)


# (WHERE before ON CONFLICT: SQLite would read that ON as the join's.)
INVITE_IMPORTED_BY_EMAIL = """
    INSERT INTO invitations (event_id, participant_id, source, invited_at)
    SELECT ?, p.id, 'import', ? FROM import_keys k JOIN participants p ON p.email = k.email
    WHERE k.email IS NOT NULL
    ON CONFLICT DO NOTHING"""
INVITE_IMPORTED_BY_CODE = """
    INSERT INTO invitations (event_id, participant_id, source, invited_at)
    SELECT ?, p.id, 'import', ? FROM import_keys k
    JOIN participants p ON p.personal_code = k.code
    WHERE k.email IS NULL
    ON CONFLICT DO NOTHING"""


def _chunks(values: Sequence[str], size: int = 500) -> list[list[str]]:
    """Groups small enough for one ``IN (...)`` (SQLite allows at most 32,766 parameters)."""
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def _events(db: Tx, participant_id: int, stamp: str | None) -> tuple[int, ...]:
    """Events the person is invited to and that are still ahead, soonest first."""
    rows = await db.fetch_all(
        "SELECT e.id FROM invitations i JOIN events e ON e.id = i.event_id "
        "WHERE i.participant_id = ? AND e.status = 'active' AND e.ends_at > ? "
        "ORDER BY e.starts_at",
        (participant_id, stamp),
    )
    return tuple(int(r[0]) for r in rows)
