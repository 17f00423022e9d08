"""Reminders by e-mail are checked again after they are queued: someone who opens their
personal link while their reminder waits in the outbox does not get it; the invitation
already sent is not touched; and who opened it, answered, opted out or was forgotten is not
queued at all."""

from __future__ import annotations

from pathlib import Path

from bot.email.invitations import link_opened, queue_campaign
from bot.invitations import open_personal_link
from bot.models import EmailKind, EmailSegment
from bot.services import Services
from tests.email_world import world


async def statuses(services: Services) -> dict[tuple[int, str], str]:
    return {
        (int(r["campaign_id"]), str(r["address"])): str(r["status"])
        for r in await services.db.email_outbox.email_rows()
    }


async def code_of(services: Services, address: str) -> str:
    value = await services.db.database.scalar(
        "SELECT personal_code FROM participants WHERE email = ?", (address,)
    )
    return str(value)


async def test_opening_the_link_cancels_the_waiting_reminder(tmp_path: Path) -> None:
    async with world(tmp_path) as (services, event):
        invitation = await queue_campaign(
            services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1000
        )
        reminder = await queue_campaign(
            services, EmailSegment(event.id), EmailKind.REMINDER, created_by=1000
        )
        assert (invitation.queued, reminder.queued) == (3, 3)
        # Rūta opens her link (from the invitation) while the reminder waits.
        code = await code_of(services, "ruta@akmene.lt")
        await open_personal_link(services, code, 7001, language="lt", confirmed=False)
        rows = await statuses(services)
        assert rows[(reminder.campaign_id, "ruta@akmene.lt")] == "cancelled"
        assert rows[(reminder.campaign_id, "jonas@uzimtumas.lt")] == "pending"
        assert rows[(invitation.campaign_id, "ruta@akmene.lt")] == "pending"  # not a reminder
        # Opened once is enough: a second call changes nothing.
        await link_opened(services, code, 1)
        assert await statuses(services) == rows


async def test_who_opened_answered_opted_out_or_was_forgotten_gets_no_reminder(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as (services, event):
        now = services.clock.now()
        db = services.db.database
        ruta = await code_of(services, "ruta@akmene.lt")
        await open_personal_link(services, ruta, 7001, language="lt", confirmed=False)
        await db.execute(
            "UPDATE participants SET opted_out_at = ? WHERE email = 'jonas@uzimtumas.lt'",
            (now.isoformat(),),
        )
        olena = await db.scalar("SELECT id FROM participants WHERE email = 'olena@akmene.lt'")
        await services.db.privacy.privacy_forget(int(olena), now=now)
        reminder = await queue_campaign(
            services, EmailSegment(event.id), EmailKind.REMINDER, created_by=1000
        )
        assert reminder.queued == 0
        assert await statuses(services) == {}
