"""``python -m bot email bounces FILE...``: delivery reports (.eml, an mbox) mark the failed
recipients undeliverable; delays and ordinary mail mark nothing; the organiser's report
counts the bounces per organisation."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.email.bounces import failed_recipients, scan
from bot.email.cli import bounce_files, read_bounces
from bot.email.invitations import queue_campaign, report
from bot.models import EmailKind, EmailSegment
from tests.email_world import world


def dsn(recipient: str, *, action: str = "failed", status: str = "5.1.1") -> bytes:
    """A delivery status notification as Postfix writes it (RFC 3464)."""
    text = f"""From: MAILER-DAEMON@mx.akmene.lt (Mail Delivery System)
To: mokymai@akmene.lt
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.akmene.lt
Arrival-Date: Mon, 1 Mar 2027 09:00:00 +0200

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected

--BOUNDARY
Content-Type: text/rfc822-headers

From: mokymai@akmene.lt
To: {recipient}
Subject: Kvietimas

--BOUNDARY--
"""
    return text.replace("\n", "\r\n").encode()


def exim_bounce(recipient: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Mail Delivery System <Mailer-Daemon@mx.example>"
    message["To"] = "mokymai@akmene.lt"
    message["Subject"] = "Mail delivery failed: returning message to sender"
    message["X-Failed-Recipients"] = recipient
    message.set_content(f"  {recipient}\n    mailbox is full")
    return message.as_bytes(policy=SMTP)


def ordinary(text: str) -> bytes:
    message = EmailMessage()
    message["From"] = "ruta@akmene.lt"
    message["To"] = "mokymai@akmene.lt"
    message["Subject"] = "Re: Kvietimas"
    message.set_content(text)
    return message.as_bytes(policy=SMTP)


def test_a_dsn_names_its_failed_recipient() -> None:
    from email.parser import BytesParser
    from email.policy import default

    parsed = BytesParser(policy=default).parsebytes(dsn("Jonas@Uzimtumas.lt"))
    assert failed_recipients(parsed) == ["jonas@uzimtumas.lt"]
    delayed = BytesParser(policy=default).parsebytes(
        dsn("jonas@uzimtumas.lt", action="delayed", status="4.4.1")
    )
    assert failed_recipients(delayed) == []


async def test_bounce_files_mark_addresses_undeliverable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bounces"
    folder.mkdir()
    (folder / "jonas.eml").write_bytes(dsn("jonas@uzimtumas.lt"))
    (folder / "delayed.eml").write_bytes(dsn("olena@akmene.lt", action="delayed", status="4.4.1"))
    box = mailbox.mbox(folder / "bounces.mbox")
    box.add(mailbox.mboxMessage(exim_bounce("unknown@nowhere.example")))
    box.add(
        mailbox.mboxMessage(ordinary("Ačiū, dalyvausiu! Final-Recipient: rfc822; ruta@akmene.lt"))
    )
    box.add(mailbox.mboxMessage(dsn("ruta@akmene.lt")))
    box.close()
    async with world(tmp_path) as (services, event):
        queued = await queue_campaign(
            services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1000
        )
        assert queued.queued == 3
        code = await bounce_files(
            services,
            [folder / "jonas.eml", folder / "delayed.eml", folder / "bounces.mbox"],
        )
        assert code == 0
        out = capsys.readouterr().out
        assert "3 files, 5 messages, 4 delivery reports" in out
        assert "3 addresses undeliverable (2 of them were written to)" in out
        for address in ("jonas@uzimtumas.lt", "ruta@akmene.lt", "unknown@nowhere.example"):
            assert await services.db.email_outbox.is_suppressed(address)
        assert not await services.db.email_outbox.is_suppressed("olena@akmene.lt")  # delayed
        # The organiser sees them, per organisation.
        text = (await report(services, "en", event)).text
        assert "Akmenės biblioteka: 2 e-mails, opened the bot 0, bounced 1" in text
        assert "Užimtumo tarnyba: 1 e-mails, opened the bot 0, bounced 1" in text
        assert "bounced 2" in text
        # Nobody bounced is written to again.
        again = await queue_campaign(
            services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1000
        )
        assert (again.queued, again.skipped) == (1, 2)


async def test_unreadable_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with world(tmp_path) as (services, _):
        assert await read_bounces(services.settings, [tmp_path / "nope.eml"]) == 2
        assert "no such file" in capsys.readouterr().err
        junk = tmp_path / "junk.eml"
        junk.write_bytes(b"\x00\xff" * 100)
        assert await bounce_files(services, [junk]) == 0
        assert "0 addresses undeliverable" in capsys.readouterr().out


def test_scan_counts_reports_only(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(ordinary("hello"))
    found = scan([tmp_path / "a.eml"])
    assert (found.files, found.messages, found.reports, found.failed) == (1, 1, 0, [])


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\nusername = "kvietimas_test_bot"\n', encoding="utf-8")
    (tmp_path / "b.eml").write_bytes(dsn("someone@example.lt"))
    assert main(["email", "bounces", str(tmp_path / "b.eml"), "--config", str(config)]) == 0
    assert "someone@example.lt" in capsys.readouterr().out
