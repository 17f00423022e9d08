"""Storage of the e-mail area: the e-mail outbox and the suppression list
(:class:`EmailOutboxRepository`, ``db.email_outbox``).

Every e-mail is a row holding the whole RFC 5322 message, so the guarantees of the
Telegram outbox hold (bot/storage/broadcast.py): a crash resumes with nothing lost.

Row life: ``pending`` -> ``sending`` (claimed by the sender for one SMTP transaction, and
only for it) -> ``sent`` | ``pending`` again with a later ``not_before`` (a temporary error:
retried) | ``failed`` (temporary errors up to max_attempts, or the server refused the
message itself) | ``undeliverable`` (the server refused the address: it is suppressed as
'bounced'); or ``cancelled`` (the person opted out or was forgotten, or the address is
suppressed, before the row's turn came).

A claim reads the row again (the person, the suppressions) in the same transaction as it
marks it ``sending``; every retry is a new claim, so a /forget or an unsubscribe also stops
an e-mail that is in its retries. A crash leaves at most the e-mails then in flight
``sending``: they are sent again at start-up and counted on the row
(``possible_duplicates``), so the bound on duplicates is recorded, not guessed.

Suppressions (``email_suppressions``) are keyed by the lower-case address; a forgotten
person's address only by its digest (:func:`bot.models.address_key`), so an e-mail queued to
it later is still recognised, and the address is not kept in clear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.models import (
    EmailItem,
    EmailOutcome,
    EmailRow,
    EmailStatus,
    SuppressionReason,
    address_key,
    normalise_address,
    valid_address,
)
from bot.storage.database import Database, Tx, from_db, to_db
from bot.storage.privacy import ForgetHook, ForgetTarget

# The columns email_rows reads (everything but the message).
_ROW_COLUMNS = (
    "id", "campaign_id", "participant_id", "address", "dedup_key", "status", "attempts",
    "not_before", "last_error", "smtp_code", "possible_duplicates", "sent_at",
)  # fmt: skip
# Rows looked at per claim: the first that may go is claimed; those before it that may not
# (opted out, forgotten, suppressed) are cancelled on the way.
_CLAIM_WINDOW = 20


async def _suppression_of(db: Tx | Database, address: str) -> str | None:
    """The reason an address gets no e-mail (its clear or its digest form), or None."""
    value = await db.scalar(
        "SELECT MIN(reason) FROM email_suppressions WHERE address IN (?, ?)",
        (normalise_address(address), address_key(address)),
    )
    return None if value is None else str(value)


async def _suppress(db: Tx, address: str, reason: SuppressionReason, stamp: str) -> bool:
    """Record a suppression (a forgotten address only as its digest, and never again in
    clear); cancel the address's e-mails still waiting. True if it is new."""
    clear, key = normalise_address(address), address_key(address)
    if await db.scalar("SELECT 1 FROM email_suppressions WHERE address = ?", (key,)):
        new = False
    elif reason is SuppressionReason.FORGOTTEN:
        await db.execute("DELETE FROM email_suppressions WHERE address = ?", (clear,))
        await db.execute(
            "INSERT INTO email_suppressions (address, reason, at) VALUES (?, ?, ?)",
            (key, reason.value, stamp),
        )
        new = True
    else:
        cur = await db.execute(
            "INSERT INTO email_suppressions (address, reason, at) VALUES (?, ?, ?) "
            "ON CONFLICT (address) DO NOTHING",
            (clear, reason.value, stamp),
        )
        new = cur.rowcount > 0
    await db.execute(
        "UPDATE email_outbox SET status = 'cancelled', last_error = ?, updated_at = ? "
        "WHERE address_key = ? AND status = 'pending'",
        (f"suppressed: {reason.value}", stamp, key),
    )
    return new


async def _forget_email(db: Tx, target: ForgetTarget) -> None:
    """Privacy: the person's e-mails still to go are cancelled; every e-mail row of theirs
    (or to their address) loses the message and keeps the address only as its digest; the
    address's suppressions are kept as digests only, and a /forget (not retention) adds
    one, so a list imported again later does not e-mail them."""
    rows = await db.fetch_all(
        "SELECT DISTINCT address FROM email_outbox WHERE participant_id = ? "
        "AND substr(address, 1, 7) <> 'sha256:'",  # not yet a digest (LIKE folds case on SQLite)
        (target.participant_id,),
    )
    addresses = {normalise_address(str(r[0])) for r in rows}
    if target.email:
        addresses.add(normalise_address(target.email))
    keys = sorted(address_key(a) for a in addresses)
    marks = ",".join("?" * len(keys))
    who = f"(participant_id = ? OR address_key IN ({marks}))" if keys else "participant_id = ?"
    await db.execute(
        f"UPDATE email_outbox SET status = 'cancelled', last_error = 'forgotten', "
        f"updated_at = ? WHERE status IN ('pending', 'sending') AND {who}",
        (target.stamp, target.participant_id, *keys),
    )
    await db.execute(
        f"UPDATE email_outbox SET address = address_key, message = ?, updated_at = ? WHERE {who}",
        (b"", target.stamp, target.participant_id, *keys),
    )
    for address in sorted(addresses):
        reason = await db.scalar(
            "SELECT reason FROM email_suppressions WHERE address = ?", (address,)
        )
        if reason is not None:  # kept, as a digest
            await db.execute("DELETE FROM email_suppressions WHERE address = ?", (address,))
            await db.execute(
                "INSERT INTO email_suppressions (address, reason, at) VALUES (?, ?, ?) "
                "ON CONFLICT (address) DO NOTHING",
                (address_key(address), str(reason), target.stamp),
            )
        if target.reason == "request":
            await _suppress(db, address, SuppressionReason.FORGOTTEN, target.stamp)


# The e-mail area's way of forgetting a person (composed by bot.storage.Storage).
FORGET: Mapping[str, ForgetHook] = {"email_outbox": _forget_email}


class EmailOutboxRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- queueing ---------------------------------------------------------------------------

    async def enqueue(
        self,
        items: Sequence[EmailItem],
        *,
        campaign_id: int | None,
        not_before: datetime | None,
        now: datetime,
    ) -> int:
        """Queue e-mails (due from ``not_before``, default now). An item whose dedup_key is
        queued already, or whose address is suppressed, is skipped. Returns how many were
        queued. Raises ValueError for an address that cannot go in an envelope."""
        for item in items:
            if not valid_address(normalise_address(item.address)):
                raise ValueError(f"not an e-mail address: {item.address!r}")
        stamp, due = to_db(now), to_db(not_before or now)
        async with self.database.transaction() as db:
            suppressed = await _suppressed_among(db, [i.address for i in items])
            rows = [
                (campaign_id, i.participant_id, normalise_address(i.address),
                 address_key(i.address), i.dedup_key, i.message, due, stamp, stamp)
                for i in items
                if address_key(i.address) not in suppressed
            ]  # fmt: skip
            if not rows:
                return 0
            before = db.total_changes
            await db.executemany(
                "INSERT INTO email_outbox (campaign_id, participant_id, address, address_key, "
                "dedup_key, message, not_before, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (dedup_key) DO NOTHING",
                rows,
            )
            return db.total_changes - before

    async def cancel_campaign_emails(
        self, campaign_id: int, now: datetime, *, reason: str = "campaign stopped"
    ) -> int:
        """Cancel a campaign's e-mails still waiting (those in flight finish). Returns how
        many."""
        return await self.database.execute(
            "UPDATE email_outbox SET status = 'cancelled', last_error = ?, updated_at = ? "
            "WHERE campaign_id = ? AND status = 'pending'",
            (reason, to_db(now), campaign_id),
        )

    # -- suppressions -----------------------------------------------------------------------

    async def suppress(self, address: str, reason: str, now: datetime) -> bool:
        """No more e-mail to ``address`` (unsubscribed, bounced, complained, forgotten): its
        waiting e-mails are cancelled at once, later ones are not queued. True if it was
        not suppressed before. A forgotten address is stored only as its digest."""
        why = SuppressionReason(reason)
        stamp = to_db(now)
        assert stamp is not None
        async with self.database.transaction() as db:
            return await _suppress(db, address, why, stamp)

    async def is_suppressed(self, address: str) -> bool:
        return await _suppression_of(self.database, address) is not None

    async def suppression(self, address: str) -> str | None:
        """Why the address gets no e-mail ('unsubscribed', 'bounced', ...), or None."""
        return await _suppression_of(self.database, address)

    # -- the sender -------------------------------------------------------------------------

    async def claim_next_email(self, now: datetime, *, claimed_by: str) -> EmailRow | None:
        """The next due e-mail, marked 'sending' (in flight) in one transaction, or None.

        Rows met on the way whose person opted out or was forgotten, or whose address is
        suppressed, are cancelled instead (never sent)."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            found = await db.fetch_all(
                """SELECT o.id, o.address, o.address_key,
                          CASE WHEN p.forgotten_at IS NOT NULL THEN 'forgotten'
                               WHEN p.opted_out_at IS NOT NULL THEN 'opted out'
                               ELSE NULL END AS gone,
                          (SELECT MIN(s.reason) FROM email_suppressions s
                           WHERE s.address IN (o.address, o.address_key)) AS suppressed
                   FROM email_outbox o LEFT JOIN participants p ON p.id = o.participant_id
                   WHERE o.status = 'pending' AND o.not_before <= ?
                   ORDER BY o.not_before, o.id LIMIT ?""",
                (stamp, _CLAIM_WINDOW),
            )
            for row in found:
                why = row["gone"] or (
                    f"suppressed: {row['suppressed']}" if row["suppressed"] else None
                )
                if why is not None:
                    await db.execute(
                        "UPDATE email_outbox SET status = 'cancelled', last_error = ?, "
                        "updated_at = ? WHERE id = ? AND status = 'pending'",
                        (why, stamp, row["id"]),
                    )
                    continue
                cur = await db.execute(
                    "UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, "
                    "claimed_by = ?, claimed_at = ?, updated_at = ? "
                    "WHERE id = ? AND status = 'pending'",
                    (claimed_by, stamp, stamp, row["id"]),
                )
                if cur.rowcount == 0:
                    continue
                claimed = await db.fetch_one(
                    "SELECT id, campaign_id, participant_id, address, message, attempts "
                    "FROM email_outbox WHERE id = ?",
                    (row["id"],),
                )
                assert claimed is not None
                return EmailRow(
                    id=int(claimed["id"]),
                    campaign_id=claimed["campaign_id"],
                    participant_id=claimed["participant_id"],
                    address=str(claimed["address"]),
                    message=bytes(claimed["message"]),
                    attempts=int(claimed["attempts"]),
                )
        return None

    async def finish_email(self, outcome: EmailOutcome, *, now: datetime) -> None:
        """Record how an attempt ended. A row no longer 'sending' (forgotten meanwhile) keeps
        its status. 'undeliverable' suppresses the address as 'bounced' in the same
        transaction."""
        stamp = to_db(now)
        assert stamp is not None
        status = outcome.status
        async with self.database.transaction() as db:
            if status is EmailStatus.SENT:
                await db.execute(
                    "UPDATE email_outbox SET status = 'sent', sent_at = ?, smtp_code = ?, "
                    "last_error = NULL, claimed_by = NULL, updated_at = ? "
                    "WHERE id = ? AND status = 'sending'",
                    (stamp, outcome.smtp_code, stamp, outcome.row_id),
                )
                return
            duplicate = 1 if outcome.maybe_sent else 0
            if status is EmailStatus.PENDING:
                due = to_db(outcome.retry_at or now)
                await db.execute(
                    "UPDATE email_outbox SET status = 'pending', not_before = ?, "
                    "attempts = CASE WHEN ? = 1 THEN attempts ELSE attempts - 1 END, "
                    "possible_duplicates = possible_duplicates + ?, last_error = ?, "
                    "smtp_code = ?, claimed_by = NULL, updated_at = ? "
                    "WHERE id = ? AND status = 'sending'",
                    (due, int(outcome.charged), duplicate, outcome.error, outcome.smtp_code,
                     stamp, outcome.row_id),
                )  # fmt: skip
                return
            cur = await db.execute(
                "UPDATE email_outbox SET status = ?, last_error = ?, smtp_code = ?, "
                "possible_duplicates = possible_duplicates + ?, claimed_by = NULL, "
                "updated_at = ? WHERE id = ? AND status = 'sending'",
                (status.value, outcome.error, outcome.smtp_code, duplicate, stamp,
                 outcome.row_id),
            )  # fmt: skip
            if cur.rowcount and status is EmailStatus.UNDELIVERABLE:
                address = await db.scalar(
                    "SELECT address FROM email_outbox WHERE id = ?", (outcome.row_id,)
                )
                if address is not None:
                    await _suppress(db, str(address), SuppressionReason.BOUNCED, stamp)

    async def recover_emails_in_flight(self, now: datetime) -> int:
        """At start-up: e-mails left 'sending' by a crash may or may not have reached the
        server. They are sent again (nothing is lost) and each is counted as a possible
        duplicate."""
        return await self.database.execute(
            "UPDATE email_outbox SET status = 'pending', claimed_by = NULL, "
            "possible_duplicates = possible_duplicates + 1, updated_at = ? "
            "WHERE status = 'sending'",
            (to_db(now),),
        )

    async def next_email_due_at(self) -> datetime | None:
        """When the first waiting e-mail is due (None: nothing waits)."""
        value = await self.database.scalar(
            "SELECT MIN(not_before) FROM email_outbox WHERE status = 'pending'"
        )
        return from_db(None if value is None else str(value))

    async def email_due_count(self, now: datetime) -> int:
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM email_outbox WHERE status = 'pending' AND not_before <= ?",
                (to_db(now),),
            )
        )

    async def emails_unfinished(self) -> int:
        """E-mails still to send: waiting (now or for a retry) or in flight."""
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM email_outbox WHERE status IN ('pending', 'sending')"
            )
        )

    # -- reports ----------------------------------------------------------------------------

    async def campaign_email_counts(self, campaign_id: int) -> dict[str, int]:
        """Every status (zero included) -> how many of the campaign's e-mails have it."""
        rows = await self.database.fetch_all(
            "SELECT status, COUNT(*) FROM email_outbox WHERE campaign_id = ? GROUP BY status",
            (campaign_id,),
        )
        counts = dict.fromkeys((s.value for s in EmailStatus), 0)
        counts.update({str(r[0]): int(r[1]) for r in rows})
        return counts

    async def campaign_possible_duplicates(self, campaign_id: int) -> int:
        """E-mails of the campaign that may have reached their recipient twice (they were
        in flight at a crash or when a connection dropped after the data went out)."""
        value = await self.database.scalar(
            "SELECT SUM(possible_duplicates) FROM email_outbox WHERE campaign_id = ?",
            (campaign_id,),
        )
        return int(value or 0)

    async def email_rows(self, campaign_id: int | None = None) -> list[dict[str, Any]]:
        """The outbox rows without their messages (the CLI, tests, benchmarks)."""
        where, params = ("WHERE campaign_id = ?", (campaign_id,)) if campaign_id else ("", ())
        rows = await self.database.fetch_all(
            f"SELECT {', '.join(_ROW_COLUMNS)} FROM email_outbox {where} ORDER BY id", params
        )
        return [dict(zip(_ROW_COLUMNS, tuple(r), strict=True)) for r in rows]


async def _suppressed_among(db: Tx, addresses: Sequence[str]) -> set[str]:
    """The digests of those of ``addresses`` that are suppressed (clear or digest)."""
    keys = {address_key(a): normalise_address(a) for a in addresses}
    found: set[str] = set()
    items = sorted(keys.items())
    for start in range(0, len(items), 400):
        chunk = items[start : start + 400]
        values = [v for pair in chunk for v in pair]
        rows = await db.fetch_all(
            f"SELECT address FROM email_suppressions WHERE address IN "
            f"({','.join('?' * len(values))})",
            values,
        )
        hit = {str(r[0]) for r in rows}
        found.update(key for key, clear in chunk if key in hit or clear in hit)
    return found
