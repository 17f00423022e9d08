"""E-mail invitations and privacy: the person's e-mail rows are in their data export; /forget
(and retention, the same erasure) leaves no address, personal code or organisation in them
while the report keeps its counts, anonymous."""

from __future__ import annotations

from pathlib import Path

from bot.email.invitations import queue_campaign, report
from bot.invitations import open_personal_link
from bot.models import EmailKind, EmailSegment
from tests.email_world import world


async def test_export_and_forget_cover_the_email_rows(tmp_path: Path) -> None:
    async with world(tmp_path) as (services, event):
        await queue_campaign(services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1)
        db = services.db
        code = await db.database.scalar(
            "SELECT personal_code FROM participants WHERE email = 'ruta@akmene.lt'"
        )
        bound = await open_personal_link(services, str(code), 7001, language="lt", confirmed=False)
        assert bound.participant_id is not None
        exported = await db.privacy.privacy_personal_rows(bound.participant_id, 7001)
        assert [row["address"] for row in exported["email_sends"]] == ["ruta@akmene.lt"]
        assert exported["email_sends"][0]["opened_at"] is not None

        await db.privacy.privacy_forget(bound.participant_id, now=services.clock.now())
        rows = await db.database.fetch_all(
            "SELECT address, personal_code, organisation, language FROM email_sends "
            "WHERE participant_id = ?",
            (bound.participant_id,),
        )
        assert [tuple(r) for r in rows] == [(None, None, None, None)]
        dump = " ".join(
            str(tuple(r)) for r in await db.database.fetch_all("SELECT * FROM email_sends")
        )
        assert "ruta@akmene.lt" not in dump
        text = (await report(services, "en", event)).text
        assert "(no organisation): 1 e-mails, opened the bot 1" in text
        assert "Akmenės biblioteka: 1 e-mails" in text
