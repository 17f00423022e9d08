"""Queries for the privacy area: export a person's data, forget a person, retention.

Both export and forget work *generically* over the schema, so tables that other feature
areas add later are covered without changes here:

* export: every table with a ``participant_id`` column, and every table with a column
  holding a Telegram user id (``telegram_id``, ``*chat_id``, ``*user_id``, ``created_by``),
  contributes the rows that point at the person; then rows those reference through a
  UNIQUE foreign key (the person's own), with the rows referencing them in turn;
* forget: the core tables are handled below; a table with a forget hook (each storage
  module declares its own in a constant ``FORGET``; :class:`bot.storage.Storage` hands
  them all to :class:`PrivacyRepository`) is handled by that hook, inside the same
  transaction; any other table keeps rows that
  point at the person through ``participant_id`` (they now point at an anonymous tombstone,
  which is how anonymous survey answers stay in the aggregates) and loses the Telegram id in
  Telegram-id columns (set to NULL, or the row deleted when the column is NOT NULL).

Contract for other areas (see docs/privacy.md): reference people by ``participant_id``;
if a table holds personal data in other columns (free text, names, e-mail, files), declare
a hook in the area module's ``FORGET`` table that clears it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.models import ForgetResult
from bot.storage.database import Database, DatabaseErrors, Row, SqliteDatabase, Tx, to_db

log = logging.getLogger(__name__)

# Tables whose forgetting is written out below (the rest follow the generic rule).
CORE_TABLES = frozenset(
    {"participants", "invitations", "rsvps", "rsvp_history", "pending_inputs", "outbox"}
)
# Tables that never hold personal data (the privacy log holds ids and counts only).
NOT_PERSONAL = frozenset({"privacy_log"})
# What replaces the payload of an outbox row addressed to a forgotten person.
FORGOTTEN_PAYLOAD = '{"text": "", "buttons": [], "forgotten": true}'


def is_telegram_id_column(name: str) -> bool:
    """Columns that, by our naming convention, hold a Telegram user (or chat) id."""
    low = name.lower()
    return (
        low == "telegram_id"
        or low.endswith("chat_id")
        or low.endswith("user_id")
        or low == "created_by"
    )


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    notnull: bool
    pk: bool


@dataclass(frozen=True, slots=True)
class ForgetTarget:
    """Who is being forgotten; passed to the hooks of other areas."""

    participant_id: int
    telegram_id: int | None
    stamp: str  # UTC ISO "now"
    reason: str  # "request" or "retention"
    email: str | None = None  # the address the person had (the tombstone loses it first)


# How an area's table forgets a person (e.g. clears a free-text answer); runs inside the
# forgetting transaction. Each storage module declares ``FORGET: Mapping[str, ForgetHook]``.
ForgetHook = Callable[[Tx, ForgetTarget], Awaitable[None]]


async def _unlink_survey_answers(db: Tx, target: ForgetTarget) -> None:
    """Default for the surveys area: the answers stay for the aggregates, but the row
    saying who responded no longer leads to them (the surveys area may register its own)."""
    await db.execute(
        "UPDATE survey_respondents SET response_id = NULL WHERE participant_id = ?",
        (target.participant_id,),
    )


# The surveys area's default (the answers stay for the aggregates, unlinked from the person).
FORGET: Mapping[str, ForgetHook] = {"survey_respondents": _unlink_survey_answers}


@dataclass(frozen=True, slots=True)
class Link:
    """One column of a foreign key: ``column`` references ``parent.target``."""

    column: str
    parent: str
    target: str


@dataclass(frozen=True, slots=True)
class Table:
    """What export and forget need to know of one table of the namespace."""

    name: str
    columns: list[Column]
    unique: frozenset[str]  # columns unique on their own (one-column primary key or index)
    links: tuple[Link, ...]
    # How an export lists its rows: SQLite's rowid (insertion order, as stored), else the
    # primary key (PostgreSQL has no rowid); None: no order.
    order_by: str | None


async def _tables(db: Tx, *, rowid: bool) -> dict[str, Table]:
    """The namespace's tables from the engine's own introspection (``list_tables``)."""
    result: dict[str, Table] = {}
    for info in await db.list_tables():
        links = tuple(
            Link(column, key.parent, target)
            for key in info.foreign_keys
            for column, target in zip(key.columns, key.parent_columns, strict=False)
        )
        order = "rowid" if rowid else ", ".join(f'"{c}"' for c in info.primary_key) or None
        result[info.name] = Table(
            info.name,
            [Column(c.name, c.notnull, c.pk) for c in info.columns],
            frozenset(key[0] for key in info.unique if len(key) == 1),
            links,
            order,
        )
    return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return value


def _row_dict(row: Row) -> dict[str, Any]:
    names: list[str] = row.keys()  # iterating a Row gives its values, not its names
    out = {name: _jsonable(value) for name, value in zip(names, tuple(row), strict=True)}
    payload = out.get("payload")
    if isinstance(payload, str) and payload.startswith("{"):
        with contextlib.suppress(ValueError):
            out["payload"] = json.loads(payload)
    return out


class PrivacyRepository:
    def __init__(self, database: Database, forget_hooks: Mapping[str, ForgetHook]) -> None:
        self.database = database
        # Table name -> its area's hook; built once per Storage from the areas' FORGET.
        self.forget_hooks: dict[str, ForgetHook] = dict(forget_hooks)
        # SQLite lists a table's rows as stored (rowid); PostgreSQL by primary key.
        self._rowid = isinstance(database, SqliteDatabase)

    async def privacy_table_columns(self) -> dict[str, list[Column]]:
        async with self.database.reading() as db:
            tables = await _tables(db, rowid=self._rowid)
        return {name: table.columns for name, table in tables.items()}

    async def privacy_personal_rows(
        self, participant_id: int, telegram_id: int | None
    ) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table that points at the person (profile included).

        Direct rows: ``participant_id`` or a Telegram-id column matches. Then one step
        along foreign keys: a row the person's row references through a UNIQUE column
        (e.g. their questionnaire response) is theirs alone, and so are the rows of other
        tables referencing it (the answers); references through shared rows (an event, a
        campaign) are not followed.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        async with self.database.reading() as db:
            tables = await _tables(db, rowid=self._rowid)
            for table, info in tables.items():
                if table in NOT_PERSONAL:
                    continue
                if table == "participants":
                    conditions, params = ["id = ?"], [participant_id]
                else:
                    conditions, params = [], []
                    for column in info.columns:
                        if column.name == "participant_id":
                            conditions.append('"participant_id" = ?')
                            params.append(participant_id)
                        elif telegram_id is not None and is_telegram_id_column(column.name):
                            conditions.append(f'"{column.name}" = ?')
                            params.append(telegram_id)
                if conditions:
                    rows = await _select(db, info, " OR ".join(conditions), params)
                    if rows:
                        out[table] = rows
            for parent, key, ids in _owned(tables, out):
                where = f'"{key}" IN ({_marks(ids)})'
                await _add_rows(db, out, tables[parent], where, ids)
                for child, link in _children(tables, parent, key):
                    await _add_rows(db, out, tables[child], f'"{link}" IN ({_marks(ids)})', ids)
        return out

    async def privacy_event_summaries(self, event_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        if not event_ids:
            return {}
        marks = ",".join("?" * len(event_ids))
        rows = await self.database.fetch_all(
            f"SELECT id, title, starts_at, ends_at FROM events WHERE id IN ({marks})",
            list(event_ids),
        )
        return {int(r["id"]): _row_dict(r) for r in rows}

    async def privacy_forget(
        self, participant_id: int, *, now: datetime, reason: str = "request"
    ) -> ForgetResult:
        """Erase the person's personal data in one transaction (see the module docstring).

        The participant row stays as an anonymous tombstone (no Telegram id, no name, no
        organisation, no e-mail), so rows kept for aggregates still satisfy their foreign
        keys, and ``forgotten_at`` marks it for exports and the outbox trigger.
        """
        stamp = to_db(now)
        assert stamp is not None
        result = ForgetResult(participant_id)
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "SELECT telegram_id, forgotten_at, email FROM participants WHERE id = ?",
                (participant_id,),
            )
            if row is None:
                result.found = False
                return result
            telegram_id: int | None = row[0]
            target = ForgetTarget(participant_id, telegram_id, stamp, reason, email=row[2])
            removed = result.removed

            # Conversation state and anything still to be sent.
            if telegram_id is not None:
                cur = await db.execute(
                    "DELETE FROM pending_inputs WHERE telegram_id = ?", (telegram_id,)
                )
                removed["pending_inputs"] = cur.rowcount
            who, who_args = "participant_id = ?", [participant_id]
            if telegram_id is not None:
                who, who_args = "(participant_id = ? OR chat_id = ?)", [participant_id, telegram_id]
            cur = await db.execute(
                f"UPDATE outbox SET status = 'cancelled', error = 'forgotten', updated_at = ? "
                f"WHERE status IN ('pending', 'sending') AND {who}",
                (stamp, *who_args),
            )
            result.cancelled_messages = cur.rowcount
            cur = await db.execute(
                f"UPDATE outbox SET chat_id = 0, participant_id = ?, payload = ?, "
                f"updated_at = ? WHERE {who}",
                (participant_id, FORGOTTEN_PAYLOAD, stamp, *who_args),
            )
            removed["outbox"] = cur.rowcount

            # Answers to events still to come go (a "yes" frees a place); answers to events
            # that are over stay, anonymous, so the counts reported to funders stay true.
            freed = await db.fetch_all(
                "SELECT DISTINCT r.event_id FROM rsvps r JOIN events e ON e.id = r.event_id "
                "WHERE r.participant_id = ? AND r.status = 'yes' AND e.ends_at > ?",
                (participant_id, stamp),
            )
            result.freed_events = [int(r[0]) for r in freed]
            for table in ("rsvp_history", "rsvps", "invitations"):
                cur = await db.execute(
                    f"DELETE FROM {table} WHERE participant_id = ? AND event_id IN "
                    f"(SELECT id FROM events WHERE ends_at > ?)",
                    (participant_id, stamp),
                )
                removed[table] = cur.rowcount

            # The tombstone.
            await db.execute(
                """UPDATE participants SET telegram_id = NULL, name = NULL,
                       organisation = NULL, email = NULL, role = NULL, language = NULL,
                       personal_code = NULL, unreachable_at = NULL,
                       opted_out_at = COALESCE(opted_out_at, ?),
                       forgotten_at = COALESCE(forgotten_at, ?), updated_at = ?
                   WHERE id = ?""",
                (stamp, stamp, stamp, participant_id),
            )

            # Other areas: their hooks first, then the generic rule.
            tables = await _tables(db, rowid=self._rowid)
            for table, hook in self.forget_hooks.items():
                if table in tables:
                    await hook(db, target)
            if telegram_id is not None:
                for table, info in tables.items():
                    if table in CORE_TABLES or table in NOT_PERSONAL or table in self.forget_hooks:
                        continue
                    count = await _scrub_telegram_id(db, table, info.columns, telegram_id)
                    if count:
                        removed[table] = count

            await db.execute(
                "INSERT INTO privacy_log (participant_id, action, at, detail) VALUES (?,?,?,?)",
                (
                    participant_id,
                    "forget" if reason == "request" else "retention",
                    stamp,
                    json.dumps({"cancelled_messages": result.cancelled_messages, **removed}),
                ),
            )
        return result

    async def privacy_log_action(
        self, participant_id: int, action: str, now: datetime, detail: dict[str, Any]
    ) -> None:
        await self.database.execute(
            "INSERT INTO privacy_log (participant_id, action, at, detail) VALUES (?,?,?,?)",
            (participant_id, action, to_db(now), json.dumps(detail)),
        )

    async def privacy_retention_due(
        self, cutoff: datetime, *, keep_telegram_ids: Sequence[int] = ()
    ) -> list[int]:
        """Participants whose data is due for deletion at ``cutoff``.

        Someone linked to events (invited or answered) is due when the last event of every
        programme they took part in ended before the cutoff (an event without a programme
        is its own programme); someone linked to no event is due when their row was last
        touched before the cutoff. ``keep_telegram_ids`` (the organisers) are never due.
        """
        keep = list(keep_telegram_ids)
        # Without organisers there is nobody to keep ("NOT IN (NULL)" would keep everyone).
        kept = (
            f"AND (p.telegram_id IS NULL OR p.telegram_id NOT IN ({_marks(keep)}))" if keep else ""
        )
        rows = await self.database.fetch_all(
            f"""WITH linked AS (
                    SELECT participant_id, event_id FROM invitations
                    UNION SELECT participant_id, event_id FROM rsvps
                ),
                programme_end AS (
                    SELECT e.id AS event_id,
                           CASE WHEN e.programme_id IS NULL THEN e.ends_at
                                ELSE (SELECT MAX(e2.ends_at) FROM events e2
                                      WHERE e2.programme_id = e.programme_id)
                           END AS ends_at
                    FROM events e
                )
                SELECT p.id FROM participants p
                LEFT JOIN linked l ON l.participant_id = p.id
                LEFT JOIN programme_end x ON x.event_id = l.event_id
                WHERE p.forgotten_at IS NULL {kept}
                GROUP BY p.id
                HAVING COALESCE(MAX(x.ends_at), MAX(CASE WHEN p.created_at > p.updated_at
                                                    THEN p.created_at ELSE p.updated_at END)) < ?
                ORDER BY p.id""",
            (*keep, to_db(cutoff)),
        )
        return [int(r[0]) for r in rows]

    async def privacy_forgotten_count(self) -> int:
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM participants WHERE forgotten_at IS NOT NULL"
            )
        )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def _select(
    db: Tx, table: Table, where: str, params: Sequence[object]
) -> list[dict[str, Any]]:
    sql = f'SELECT * FROM "{table.name}" WHERE {where}'
    if table.order_by == "rowid":  # SQLite
        try:
            return [_row_dict(r) for r in await db.fetch_all(sql + " ORDER BY rowid", params)]
        except DatabaseErrors:  # a WITHOUT ROWID table (a failed read leaves SQLite as it was)
            return [_row_dict(r) for r in await db.fetch_all(sql, params)]
    order = f" ORDER BY {table.order_by}" if table.order_by else ""
    return [_row_dict(r) for r in await db.fetch_all(sql + order, params)]


async def _add_rows(
    db: Tx,
    out: dict[str, list[dict[str, Any]]],
    table: Table,
    where: str,
    params: Sequence[object],
) -> None:
    have = out.setdefault(table.name, [])
    for row in await _select(db, table, where, params):
        if row not in have:
            have.append(row)
    if not have:
        del out[table.name]


def _owned(
    tables: dict[str, Table],
    rows: dict[str, list[dict[str, Any]]],
) -> list[tuple[str, str, list[object]]]:
    """(parent table, its key, ids) referenced from the person's rows through a UNIQUE
    foreign-key column: rows that belong to this person alone."""
    owned: dict[tuple[str, str], list[object]] = {}
    for table, found in rows.items():
        if table == "participants":
            continue
        info = tables[table]
        for key in info.links:
            if key.column not in info.unique or key.parent not in tables:
                continue
            if key.parent == "participants":
                continue
            ids = [row[key.column] for row in found if row.get(key.column) is not None]
            if ids:
                owned.setdefault((key.parent, key.target), []).extend(ids)
    return [(parent, key, ids) for (parent, key), ids in owned.items()]


def _children(tables: dict[str, Table], parent: str, key: str) -> list[tuple[str, str]]:
    """(table, column) pairs whose foreign key points at ``parent.key``."""
    return [
        (table, fk.column)
        for table, info in tables.items()
        for fk in info.links
        if fk.parent == parent and fk.target == key
    ]


async def _scrub_telegram_id(db: Tx, table: str, columns: list[Column], telegram_id: int) -> int:
    """The generic rule for a table nobody registered a hook for (see the module docstring)."""
    changed = 0
    for column in columns:
        if not is_telegram_id_column(column.name):
            continue
        await db.execute("SAVEPOINT scrub")
        try:
            if column.notnull or column.pk:
                cur = await db.execute(
                    f'DELETE FROM "{table}" WHERE "{column.name}" = ?', (telegram_id,)
                )
            else:
                cur = await db.execute(
                    f'UPDATE "{table}" SET "{column.name}" = NULL WHERE "{column.name}" = ?',
                    (telegram_id,),
                )
            changed += max(cur.rowcount, 0)
        except DatabaseErrors as exc:  # e.g. a foreign key that forbids the delete
            await db.execute("ROLLBACK TO scrub")
            log.error("forget: cannot clear %s.%s: %s", table, column.name, exc)
        finally:
            await db.execute("RELEASE scrub")
    return changed
