"""Queries for the broadcast area: segments, personal invitations, group posts.

A segment is resolved in SQL, in id order and in chunks (``after_id``), so a campaign to
20,000 people never holds them all in memory. Everyone in a segment is reachable: has a
Telegram id, was not found unreachable, did not opt out and was not forgotten.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.models import RsvpStatus
from bot.storage.base import StorageBase, to_db
from bot.storage.privacy import ForgetTarget, register_forget_hook

REACHABLE = (
    "p.telegram_id IS NOT NULL AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL "
    "AND p.forgotten_at IS NULL"
)
# Answers a segment can select; "none" = invited but not answered.
SEGMENT_STATUSES = ("yes", "maybe", "no", "waitlist", "none")


class SegmentKind(StrEnum):
    INVITEES = "invitees"  # everyone invited to the event (or who answered it)
    RSVP = "rsvp"  # invitees whose answer is one of ``statuses``
    ORGANISATION = "org"  # people of one organisation (within the event's invitees, if any)
    PROGRAMME = "programme"  # invited to or answered any event of a programme
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    event_id: int | None = None
    statuses: tuple[str, ...] = ()
    # The spellings of one organisation as people typed them (grouped by normalise_org).
    organisations: tuple[str, ...] = ()
    programme_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind in (SegmentKind.INVITEES, SegmentKind.RSVP) and self.event_id is None:
            raise ValueError(f"segment {self.kind} needs an event")
        if self.kind is SegmentKind.RSVP and (
            not self.statuses or any(s not in SEGMENT_STATUSES for s in self.statuses)
        ):
            raise ValueError(f"bad answers {self.statuses}")
        if self.kind is SegmentKind.ORGANISATION and not self.organisations:
            raise ValueError("organisation segment without an organisation")
        if self.kind is SegmentKind.PROGRAMME and self.programme_id is None:
            raise ValueError("programme segment without a programme")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "event_id": self.event_id,
            "statuses": list(self.statuses),
            "organisations": list(self.organisations),
            "programme_id": self.programme_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """Raises ValueError (or TypeError) for anything that is not a valid segment."""
        event_id, programme_id = data.get("event_id"), data.get("programme_id")
        return cls(
            kind=SegmentKind(data["kind"]),
            event_id=None if event_id is None else int(event_id),
            statuses=tuple(str(s) for s in data.get("statuses") or ()),
            organisations=tuple(str(o) for o in data.get("organisations") or ()),
            programme_id=None if programme_id is None else int(programme_id),
        )


@dataclass(frozen=True, slots=True)
class SegmentMember:
    participant_id: int
    telegram_id: int
    language: str | None
    status: RsvpStatus | None  # the answer to the segment's event, if it has one


@dataclass(frozen=True, slots=True)
class SegmentSize:
    reachable: int
    skipped: int  # in the segment but unreachable, opted out or without Telegram


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One validated row of a participant list."""

    row: int
    name: str
    email: str | None
    organisation: str | None
    role: str | None
    category: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    invited: int


@dataclass(frozen=True, slots=True)
class PersonalRow:
    """An imported person for the export (mail merge)."""

    participant_id: int
    name: str
    email: str | None
    organisation: str | None
    role: str | None
    category: str | None
    personal_code: str
    bound: bool


class BindOutcome(StrEnum):
    BOUND = "bound"  # the link is now this Telegram account's
    ALREADY = "already"  # it already was
    TAKEN = "taken"  # another Telegram account opened it first (refused and counted)
    CONFIRM = "confirm"  # the account has an identity of its own: ask before merging
    UNKNOWN = "unknown"  # no such code


@dataclass(frozen=True, slots=True)
class BindResult:
    outcome: BindOutcome
    participant_id: int | None = None  # the account's row (BOUND, ALREADY), else the link's
    event_ids: tuple[int, ...] = field(default_factory=tuple)  # invited to, upcoming first
    name: str | None = None  # the link's person (CONFIRM: for a masked hint; TAKEN)
    email: str | None = None
    refusals: int = 0  # TAKEN: how many times the link was refused so far


@dataclass(frozen=True, slots=True)
class BotChat:
    chat_id: int
    type: str
    title: str


def normalise_org(text: str) -> str:
    """One key per organisation however it was typed (case, spaces, accents kept)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _segment_sql(segment: Segment) -> tuple[str, list[Any]]:
    """``FROM ... WHERE ...`` (without reachability) and its parameters; selects p and r."""
    params: list[Any] = []
    if segment.event_id is not None:
        frm = "FROM participants p LEFT JOIN rsvps r ON r.event_id = ? AND r.participant_id = p.id"
        params.append(segment.event_id)
    else:
        frm = "FROM participants p LEFT JOIN (SELECT NULL AS status) r ON 0"
    invitee = (
        "(r.status IS NOT NULL OR EXISTS (SELECT 1 FROM invitations i "
        "WHERE i.event_id = ? AND i.participant_id = p.id))"
    )
    conditions: list[str] = []
    if segment.kind is SegmentKind.INVITEES:
        conditions.append(invitee)
        params.append(segment.event_id)
    elif segment.kind is SegmentKind.RSVP:
        answered = [s for s in segment.statuses if s != "none"]
        parts = []
        if answered:
            parts.append(f"r.status IN ({','.join('?' * len(answered))})")
            params.extend(answered)
        if "none" in segment.statuses:
            parts.append(
                "(r.status IS NULL AND EXISTS (SELECT 1 FROM invitations i "
                "WHERE i.event_id = ? AND i.participant_id = p.id))"
            )
            params.append(segment.event_id)
        conditions.append("(" + " OR ".join(parts) + ")")
    elif segment.kind is SegmentKind.ORGANISATION:
        conditions.append(f"p.organisation IN ({','.join('?' * len(segment.organisations))})")
        params.extend(segment.organisations)
        if segment.event_id is not None:
            conditions.append(invitee)
            params.append(segment.event_id)
    elif segment.kind is SegmentKind.PROGRAMME:
        conditions.append(
            "p.id IN (SELECT i.participant_id FROM invitations i JOIN events e "
            "ON e.id = i.event_id WHERE e.programme_id = ? UNION SELECT x.participant_id "
            "FROM rsvps x JOIN events e ON e.id = x.event_id WHERE e.programme_id = ?)"
        )
        params.extend([segment.programme_id, segment.programme_id])
    where = " AND ".join(conditions) or "1"
    return f"{frm} WHERE p.forgotten_at IS NULL AND {where}", params


async def _forget_category(db: aiosqlite.Connection, target: ForgetTarget) -> None:
    """Privacy: the tombstone also loses the imported category (a personal detail)."""
    await db.execute(
        "UPDATE participants SET category = NULL WHERE id = ?", (target.participant_id,)
    )


register_forget_hook("participants", _forget_category)


class BroadcastQueries(StorageBase):
    # -- segments ---------------------------------------------------------------------------

    async def segment_size(self, segment: Segment) -> SegmentSize:
        sql, params = _segment_sql(segment)
        row = await self._fetchone(
            f"SELECT COUNT(*) AS total, SUM({REACHABLE}) AS reachable {sql}", params
        )
        total = int(row["total"] or 0) if row else 0
        reachable = int(row["reachable"] or 0) if row else 0
        return SegmentSize(reachable=reachable, skipped=total - reachable)

    async def segment_members(
        self, segment: Segment, *, after_id: int = 0, limit: int = 500
    ) -> list[SegmentMember]:
        """Reachable members with ids above ``after_id``, in id order (one chunk)."""
        sql, params = _segment_sql(segment)
        rows = await self._fetchall(
            f"SELECT p.id, p.telegram_id, p.language, r.status {sql} AND {REACHABLE} "
            f"AND p.id > ? ORDER BY p.id LIMIT ?",
            (*params, after_id, limit),
        )
        return [
            SegmentMember(
                r[0],
                r[1],
                r[2],
                RsvpStatus(r[3]) if r[3] in RsvpStatus._value2member_map_ else None,
            )
            for r in rows
        ]

    async def segment_languages(self, segment: Segment) -> dict[str, int]:
        sql, params = _segment_sql(segment)
        rows = await self._fetchall(
            f"SELECT COALESCE(p.language, ''), COUNT(*) {sql} AND {REACHABLE} "
            "GROUP BY 1 ORDER BY 2 DESC",
            params,
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def organisation_counts(self, event_id: int | None) -> list[tuple[str, list[str], int]]:
        """Organisations of reachable people (the event's invitees if given), largest
        first: (shown name, spellings, people). The name shown is the commonest spelling."""
        segment_sql, params = _segment_sql(
            Segment(SegmentKind.INVITEES, event_id=event_id)
            if event_id is not None
            else Segment(SegmentKind.EVERYONE)
        )
        rows = await self._fetchall(
            f"SELECT p.organisation, COUNT(*) {segment_sql} AND {REACHABLE} "
            "AND p.organisation IS NOT NULL AND p.organisation != '' GROUP BY p.organisation",
            params,
        )
        groups: dict[str, list[tuple[int, str]]] = {}
        for raw, count in ((str(r[0]), int(r[1])) for r in rows):
            groups.setdefault(normalise_org(raw), []).append((count, raw))
        result = []
        for spellings in groups.values():
            spellings.sort(key=lambda s: (-s[0], s[1]))
            result.append(
                (spellings[0][1], [raw for _, raw in spellings], sum(c for c, _ in spellings))
            )
        return sorted(result, key=lambda g: (-g[2], g[0].casefold()))

    async def invite_many(
        self, event_id: int, participant_ids: Sequence[int], source: str, now: datetime
    ) -> int:
        if not participant_ids:
            return 0
        async with self._tx() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO invitations (event_id, participant_id, source, invited_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(event_id, pid, source, to_db(now)) for pid in participant_ids],
            )
            return db.total_changes - before

    # -- guided flow state ------------------------------------------------------------------

    async def take_pending_input(self, telegram_id: int, kind: str) -> dict[str, Any] | None:
        """Delete and return the person's flow state of ``kind`` in one statement, so two
        presses of a confirm button cannot both act on it."""
        async with (
            self._lock,
            self.db.execute(
                "DELETE FROM pending_inputs WHERE telegram_id = ? AND kind = ? RETURNING data",
                (telegram_id, kind),
            ) as cur,
        ):
            row = await cur.fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data

    # -- personal invitations ---------------------------------------------------------------

    async def existing_emails(self, emails: Sequence[str]) -> dict[str, int]:
        """lower-cased e-mail -> participant id, for the e-mails that are already known."""
        found: dict[str, int] = {}
        for chunk in _chunks([e.lower() for e in emails]):
            # ``email = ...`` (stored lower-cased) uses the unique index participants_email.
            rows = await self._fetchall(
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
        async with self._tx() as db:
            async with db.execute("SELECT COALESCE(MAX(id), 0) FROM participants") as cur:
                last_id = int(next(iter(await cur.fetchall()))[0])
            before = db.total_changes
            await db.executemany(
                # A known e-mail (ON CONFLICT through the unique index participants_email)
                # updates that person and keeps their code. Until the person opens the link,
                # the list is the truth; after, what they entered themselves is kept.
                """INSERT INTO participants (name, organisation, email, role, category,
                       personal_code, imported_at, created_at, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?)
                   ON CONFLICT (email) WHERE email IS NOT NULL DO UPDATE SET
                       name = CASE WHEN telegram_id IS NULL THEN excluded.name
                              ELSE COALESCE(name, excluded.name) END,
                       organisation = CASE WHEN telegram_id IS NULL THEN excluded.organisation
                                      ELSE COALESCE(organisation, excluded.organisation) END,
                       role = COALESCE(excluded.role, role),
                       category = COALESCE(excluded.category, category),
                       personal_code = COALESCE(personal_code, excluded.personal_code),
                       imported_at = excluded.imported_at, updated_at = excluded.updated_at
                   WHERE forgotten_at IS NULL""",
                values,
            )
            written = db.total_changes - before
            async with db.execute(
                "SELECT COUNT(*) FROM participants WHERE id > ?", (last_id,)
            ) as cur:
                created = int(next(iter(await cur.fetchall()))[0])
            invited = 0
            if event_id is not None:
                # Everyone on the list, found by e-mail (unique index) or, without one, by
                # the new code: one join each, not a statement per row.
                await db.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS import_keys (email TEXT, code TEXT)"
                )
                await db.executemany(
                    "INSERT INTO temp.import_keys (email, code) VALUES (?, ?)",
                    [(v[2], v[5]) for v in values],
                )
                before = db.total_changes
                await db.execute(INVITE_IMPORTED_BY_EMAIL, (event_id, stamp))
                await db.execute(INVITE_IMPORTED_BY_CODE, (event_id, stamp))
                invited = db.total_changes - before
                await db.execute("DELETE FROM temp.import_keys")
        return ImportResult(created, written - created, invited)

    async def personal_rows(
        self, *, event_id: int | None = None, include_bound: bool = True, limit: int = -1
    ) -> list[PersonalRow]:
        """People with a personal link (invited to ``event_id`` if given), by name; at most
        ``limit`` of them (-1: all)."""
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
        rows = await self._fetchall(
            f"""SELECT p.id, COALESCE(p.name, ''), p.email, p.organisation, p.role, p.category,
                       p.personal_code, p.telegram_id IS NOT NULL
                FROM participants p WHERE {where}
                ORDER BY COALESCE(p.name, '') COLLATE NOCASE, p.id LIMIT ?""",
            [*params, limit],
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
        async with self._tx() as db:
            async with db.execute(
                "SELECT id, telegram_id, name, organisation, email, role, category "
                "FROM participants WHERE personal_code = ? AND forgotten_at IS NULL",
                (code,),
            ) as cur:
                imported = await cur.fetchone()
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
                    "attempts = attempts + 1, last_at = excluded.last_at",
                    (source_id, stamp, stamp),
                )
                async with db.execute(
                    "SELECT attempts FROM personal_link_refusals WHERE participant_id = ?",
                    (source_id,),
                ) as cur:
                    counted = await cur.fetchone()
                return BindResult(
                    BindOutcome.TAKEN, source_id, name=imported["name"],
                    refusals=int(counted[0]) if counted else 1,
                )  # fmt: skip
            async with db.execute(
                "SELECT id, email, name, organisation, consent_at FROM participants "
                "WHERE telegram_id = ?",
                (telegram_id,),
            ) as cur:
                own = await cur.fetchone()
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
        await self._execute(
            "INSERT INTO bot_chats (chat_id, type, title, is_admin, updated_at) "
            "VALUES (?,?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET type = excluded.type, "
            "title = excluded.title, is_admin = excluded.is_admin, "
            "updated_at = excluded.updated_at",
            (chat_id, type_, title, int(is_admin), to_db(now)),
        )

    async def trust_chat(self, chat_id: int, organiser_id: int | None, now: datetime) -> None:
        """Who vouches for the chat: the organiser who added the bot or confirmed the chat;
        None when someone else added the bot, or it left (then /postcard never offers it)."""
        await self._execute(
            "UPDATE bot_chats SET trusted_by = ?, updated_at = ? WHERE chat_id = ?",
            (organiser_id, to_db(now), chat_id),
        )

    async def postable_chats(self) -> list[BotChat]:
        """Chats /postcard may offer: the bot may post there and an organiser vouched."""
        rows = await self._fetchall(
            "SELECT chat_id, type, title FROM bot_chats WHERE is_admin = 1 "
            "AND trusted_by IS NOT NULL ORDER BY updated_at DESC LIMIT 20"
        )
        return [BotChat(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def is_postable(self, chat_id: int) -> bool:
        found = await self._scalar(
            "SELECT 1 FROM bot_chats WHERE chat_id = ? AND is_admin = 1 AND trusted_by IS NOT NULL",
            (chat_id,),
        )
        return found is not None

    async def group_post_event(self, chat_id: int, message_id: int) -> int | None:
        """The event of the card an organiser posted as this message, if it is one."""
        found = await self._scalar(
            "SELECT event_id FROM group_posts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return None if found is None else int(found)

    async def record_group_post(
        self, event_id: int, chat_id: int, message_id: int, organiser_id: int | None, now: datetime
    ) -> None:
        await self._execute(
            "INSERT INTO group_posts (event_id, chat_id, message_id, posted_by_user_id, "
            "posted_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
            (event_id, chat_id, message_id, organiser_id, to_db(now)),
        )


# (WHERE before ON CONFLICT: SQLite would read that ON as the join's.)
INVITE_IMPORTED_BY_EMAIL = """
    INSERT INTO invitations (event_id, participant_id, source, invited_at)
    SELECT ?, p.id, 'import', ? FROM temp.import_keys k JOIN participants p ON p.email = k.email
    WHERE k.email IS NOT NULL
    ON CONFLICT DO NOTHING"""
INVITE_IMPORTED_BY_CODE = """
    INSERT INTO invitations (event_id, participant_id, source, invited_at)
    SELECT ?, p.id, 'import', ? FROM temp.import_keys k
    JOIN participants p ON p.personal_code = k.code
    WHERE k.email IS NULL
    ON CONFLICT DO NOTHING"""


def _chunks(values: Sequence[str], size: int = 500) -> list[list[str]]:
    """Groups small enough for one ``IN (...)`` (SQLite allows at most 32,766 parameters)."""
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def _events(
    db: aiosqlite.Connection, participant_id: int, stamp: str | None
) -> tuple[int, ...]:
    """Events the person is invited to and that are still ahead, soonest first."""
    async with db.execute(
        "SELECT e.id FROM invitations i JOIN events e ON e.id = i.event_id "
        "WHERE i.participant_id = ? AND e.status = 'active' AND e.ends_at > ? "
        "ORDER BY e.starts_at",
        (participant_id, stamp),
    ) as cur:
        return tuple(int(r[0]) for r in await cur.fetchall())
