"""Queries for invitations by e-mail (issue 16): e-mail campaigns, the e-mails of each (the
rows behind their unsubscribe links) and who opened the bot afterwards.

The messages themselves and the suppression list are the transport's
(bot/storage/email.py, ``db.email_outbox``); here only what the organiser's report and the
unsubscribe page need. A person is named by ``participant_id`` and, because opening a
personal link may merge the imported row into the person's own (the imported row goes), by
the personal code too: the code survives the merge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.models import (
    EmailCampaign,
    EmailKind,
    EmailOrganisationLine,
    EmailRecipient,
    EmailSegment,
    EmailSend,
)
from bot.storage.database import Database, Row, Tx, from_db, from_db_required, to_db
from bot.storage.privacy import ForgetHook, ForgetTarget


async def _forget_email_sends(db: Tx, target: ForgetTarget) -> None:
    """Privacy: the e-mails sent to the person stay as counts in the report, without the
    address, the personal code, the organisation or the language."""
    await db.execute(
        "UPDATE email_sends SET address = NULL, personal_code = NULL, organisation = NULL, "
        "language = NULL WHERE participant_id = ?",
        (target.participant_id,),
    )


FORGET: Mapping[str, ForgetHook] = {"email_sends": _forget_email_sends}

_CAMPAIGN = "id, event_id, kind, segment, created_by, created_at, send_at, queued_at"


def _campaign(row: Row) -> EmailCampaign:
    return EmailCampaign(
        id=int(row["id"]),
        event_id=int(row["event_id"]),
        kind=EmailKind(row["kind"]),
        segment=EmailSegment.from_dict(json.loads(row["segment"])),
        created_by=row["created_by"],
        created_at=from_db_required(row["created_at"]),
        send_at=from_db(row["send_at"]),
        queued_at=from_db(row["queued_at"]),
    )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class EmailInvitationRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- who gets an e-mail -------------------------------------------------------------------

    async def email_recipients(
        self,
        segment: EmailSegment,
        *,
        unanswered: bool = False,
        after_id: int = 0,
        limit: int = 500,
    ) -> list[EmailRecipient]:
        """People invited to the segment's event with an address and a personal link, who
        did not opt out and were not forgotten; in id order from ``after_id``.
        ``unanswered``: only those who gave no answer to the event."""
        where = [
            "p.email IS NOT NULL",
            "p.personal_code IS NOT NULL",
            "p.forgotten_at IS NULL",
            "p.opted_out_at IS NULL",
            "p.id > ?",
        ]
        params: list[Any] = [segment.event_id, after_id]
        if segment.not_opened:
            where.append("p.telegram_id IS NULL")
        if segment.organisations:
            folded = [o.lower() for o in segment.organisations]
            where.append(f"lower(COALESCE(p.organisation, '')) IN ({_marks(folded)})")
            params += folded
        if unanswered:
            where.append(
                "NOT EXISTS (SELECT 1 FROM rsvps r WHERE r.participant_id = p.id "
                "AND r.event_id = ?)"
            )
            params.append(segment.event_id)
        rows = await self.database.fetch_all(
            f"""SELECT p.id, p.name, p.organisation, p.email, p.language, p.personal_code,
                       CASE WHEN p.telegram_id IS NULL THEN 0 ELSE 1 END AS opened
                FROM participants p
                JOIN invitations i ON i.participant_id = p.id AND i.event_id = ?
                WHERE {" AND ".join(where)}
                ORDER BY p.id LIMIT ?""",
            [*params, limit],
        )
        return [
            EmailRecipient(
                participant_id=int(r[0]), name=r[1], organisation=r[2], address=str(r[3]),
                language=r[4], personal_code=str(r[5]), opened=int(r[6]) == 1,
            )
            for r in rows
        ]  # fmt: skip

    async def still_unopened(self, personal_codes: Sequence[str]) -> set[str]:
        """Of these personal codes, those whose link nobody opened, whose person gave no
        answer, did not opt out and was not forgotten (a reminder's check at send time)."""
        if not personal_codes:
            return set()
        rows = await self.database.fetch_all(
            f"""SELECT p.personal_code FROM participants p
                WHERE p.personal_code IN ({_marks(personal_codes)})
                  AND p.telegram_id IS NULL AND p.forgotten_at IS NULL
                  AND p.opted_out_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM rsvps r WHERE r.participant_id = p.id)""",
            list(personal_codes),
        )
        return {str(r[0]) for r in rows}

    async def unsubscribed_addresses(self, addresses: Sequence[str]) -> set[str]:
        """Of these addresses, those that used an unsubscribe link of ours."""
        if not addresses:
            return set()
        rows = await self.database.fetch_all(
            f"SELECT DISTINCT address FROM email_sends WHERE unsubscribed_at IS NOT NULL "
            f"AND address IN ({_marks(addresses)})",
            list(addresses),
        )
        return {str(r[0]) for r in rows}

    # -- campaigns ----------------------------------------------------------------------------

    async def create_email_campaign(
        self,
        segment: EmailSegment,
        kind: EmailKind,
        *,
        created_by: int | None,
        now: datetime,
        send_at: datetime | None = None,
    ) -> int:
        value = await self.database.scalar(
            "INSERT INTO email_campaigns (event_id, kind, segment, created_by, created_at, "
            "send_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (
                segment.event_id, kind.value, json.dumps(segment.to_dict()), created_by,
                to_db(now), to_db(send_at),
            ),
        )  # fmt: skip
        return int(value)

    async def get_email_campaign(self, campaign_id: int) -> EmailCampaign | None:
        row = await self.database.fetch_one(
            f"SELECT {_CAMPAIGN} FROM email_campaigns WHERE id = ?", (campaign_id,)
        )
        return _campaign(row) if row is not None else None

    async def email_campaigns(self, event_id: int) -> list[EmailCampaign]:
        rows = await self.database.fetch_all(
            f"SELECT {_CAMPAIGN} FROM email_campaigns WHERE event_id = ? ORDER BY id",
            (event_id,),
        )
        return [_campaign(r) for r in rows]

    async def due_email_campaigns(self, now: datetime) -> list[EmailCampaign]:
        """Campaigns whose moment has come and whose e-mails are not queued yet."""
        rows = await self.database.fetch_all(
            f"SELECT {_CAMPAIGN} FROM email_campaigns WHERE queued_at IS NULL "
            f"AND (send_at IS NULL OR send_at <= ?) ORDER BY id",
            (to_db(now),),
        )
        return [_campaign(r) for r in rows]

    async def mark_email_campaign_queued(self, campaign_id: int, now: datetime) -> None:
        await self.database.execute(
            "UPDATE email_campaigns SET queued_at = COALESCE(queued_at, ?) WHERE id = ?",
            (to_db(now), campaign_id),
        )

    # -- the e-mails of a campaign ------------------------------------------------------------

    async def record_email_sends(
        self, campaign_id: int, recipients: Sequence[EmailRecipient], language: Sequence[str],
        now: datetime,
    ) -> dict[str, int]:  # fmt: skip
        """One row per recipient (kept if it exists: a re-run after a crash), in the
        language the e-mail is written in; personal code -> the row's id."""
        if not recipients:
            return {}
        stamp = to_db(now)
        async with self.database.transaction() as db:
            await db.executemany(
                "INSERT INTO email_sends (campaign_id, participant_id, personal_code, address, "
                "organisation, language, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (campaign_id, personal_code) DO NOTHING",
                [
                    (campaign_id, r.participant_id, r.personal_code, r.address, r.organisation,
                     lang, stamp)
                    for r, lang in zip(recipients, language, strict=True)
                ],
            )  # fmt: skip
            codes = [r.personal_code for r in recipients]
            rows = await db.fetch_all(
                f"SELECT personal_code, id FROM email_sends WHERE campaign_id = ? "
                f"AND personal_code IN ({_marks(codes)})",
                [campaign_id, *codes],
            )
        return {str(r[0]): int(r[1]) for r in rows}

    async def get_email_send(self, send_id: int) -> EmailSend | None:
        row = await self.database.fetch_one(
            "SELECT id, campaign_id, participant_id, address, language FROM email_sends "
            "WHERE id = ?",
            (send_id,),
        )
        if row is None:
            return None
        return EmailSend(int(row[0]), int(row[1]), row[2], row[3], row[4])

    async def mark_unsubscribed(self, address: str, now: datetime) -> int:
        """Every e-mail to ``address`` is marked unsubscribed (kept from the first time)."""
        return await self.database.execute(
            "UPDATE email_sends SET unsubscribed_at = COALESCE(unsubscribed_at, ?) "
            "WHERE address = ?",
            (to_db(now), address),
        )

    async def mark_bounced(self, address: str, now: datetime) -> int:
        """The e-mails to ``address`` came back undeliverable (a delivery report)."""
        return await self.database.execute(
            "UPDATE email_sends SET bounced_at = COALESCE(bounced_at, ?) WHERE address = ?",
            (to_db(now), address),
        )

    async def record_link_opened(
        self, personal_code: str, participant_id: int, now: datetime
    ) -> int:
        """The personal link ``personal_code`` was opened (bound to a Telegram account) by
        ``participant_id``: the e-mails that carried it count as opened from now on."""
        return await self.database.execute(
            "UPDATE email_sends SET participant_id = ?, opened_at = COALESCE(opened_at, ?) "
            "WHERE personal_code = ?",
            (participant_id, to_db(now), personal_code),
        )

    async def cancel_waiting_reminders(self, personal_code: str, now: datetime) -> int:
        """The person with ``personal_code`` opened the bot: their reminders still waiting in
        the outbox are cancelled (checked again at send time, not only when queued). Their
        dedup key is ``email:<campaign>:<personal code>`` (bot/email/invitations.py)."""
        return await self.database.execute(
            """UPDATE email_outbox SET status = 'cancelled', last_error = 'opened the bot',
                   updated_at = ?
               WHERE status = 'pending' AND dedup_key IN (
                   SELECT 'email:' || CAST(c.id AS TEXT) || ':' || s.personal_code
                   FROM email_sends s JOIN email_campaigns c ON c.id = s.campaign_id
                   WHERE s.personal_code = ? AND c.kind = 'reminder')""",
            (to_db(now), personal_code),
        )

    async def email_report(self, campaign_id: int) -> list[EmailOrganisationLine]:
        """Per organisation (by name, as imported): e-mails queued, people who opened the
        bot through their link afterwards, bounced, unsubscribed."""
        rows = await self.database.fetch_all(
            """SELECT organisation, COUNT(*),
                      SUM(CASE WHEN opened_at IS NOT NULL AND opened_at >= queued_at
                          THEN 1 ELSE 0 END),
                      SUM(CASE WHEN bounced_at IS NOT NULL THEN 1 ELSE 0 END),
                      SUM(CASE WHEN unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END)
               FROM email_sends WHERE campaign_id = ?
               GROUP BY organisation""",
            (campaign_id,),
        )
        lines = [
            EmailOrganisationLine(r[0], int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0))
            for r in rows
        ]
        # By name, the unnamed (forgotten or never given) last, on either engine.
        return sorted(lines, key=lambda line: (line.organisation is None, line.organisation or ""))
