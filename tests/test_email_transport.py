"""The e-mail transport end to end: the real sender, over a real SMTP connection, to the
local SMTP server (aiosmtpd) on 127.0.0.1, on a virtual monotonic clock for the pace and a
fake business clock for retries (docs/email.md).

Each test says which protection it proves; removing the protection makes it fail.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.config import SettingsError, explicit_settings, load_settings
from bot.email.devserver import DevServer, local_mailbox
from bot.email.sender import EmailSender
from bot.i18n import Translator
from bot.models import EmailItem, address_key
from bot.pacing import VirtualTime
from bot.services import Services
from bot.sim import Simulation
from bot.storage import Storage
from tests.conftest import START

FROM = "mokymai@kvietimas.lt"


def message(to: str, key: str, body: str | None = None) -> bytes:
    """An invitation-like message with CRLF line endings (as policy.SMTP writes them), an
    8-bit UTF-8 body, and lines that SMTP must escape (a lone dot, a leading dot)."""
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = f"Mokymai <{FROM}>"
    m["To"] = to
    m["Subject"] = "Kvietimas į mokymus: Socialinių paslaugų kokybė"
    m["X-Test-Key"] = key
    text = body or (
        "Sveiki, Rūta!\n\nKviečiame į mokymus Akmenėje – 2027-03-09 10:00.\n"
        ".\n..a line that starts with a dot\nDarbotvarkė: ąčęėįšųūž\n"
    )
    m.set_content(text, charset="utf-8", cte="8bit")
    return m.as_bytes()


@dataclass
class Rig:
    tmp: Path
    db: Storage
    clock: FakeClock
    time: VirtualTime
    server: DevServer

    def services(self, **email: Any) -> Services:
        values = {"host": "127.0.0.1", "port": self.server.port, "from_address": FROM, **email}
        settings = explicit_settings(database={"path": str(self.tmp / "bot.sqlite3")}, email=values)
        return Services(
            settings=settings, db=self.db, translator=Translator("lt"), clock=self.clock
        )

    def sender(self, **email: Any) -> EmailSender:
        return EmailSender(self.services(**email), time=self.time)

    async def queue(
        self, items: list[EmailItem], campaign_id: int | None = 1, *, at: datetime | None = None
    ) -> int:
        now = self.clock.now()
        return await self.db.email_outbox.enqueue(
            items, campaign_id=campaign_id, not_before=at, now=now
        )

    async def rows(self) -> dict[str, dict[str, Any]]:
        """dedup key -> the outbox row (without its message)."""
        return {r["dedup_key"]: r for r in await self.db.email_outbox.email_rows()}

    async def person(self, telegram_id: int, email: str) -> int:
        person = await self.db.people.ensure_participant(
            telegram_id, language="lt", now=self.clock.now()
        )
        await self.db.database.execute(
            "UPDATE participants SET email = ? WHERE id = ?", (email, person.id)
        )
        return person.id


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    time = VirtualTime()
    async with DevServer(tmp_path / "mail", clock=time.now) as server:
        db = Storage(tmp_path / "bot.sqlite3")
        await db.open()
        try:
            yield Rig(tmp_path, db, FakeClock(START), time, server)
        finally:
            await db.close()


def items(count: int, prefix: str = "p") -> list[EmailItem]:
    return [
        EmailItem(
            f"{prefix}{i}@example.lt", None, f"{prefix}{i}", message(f"{prefix}{i}@x", f"k{i}")
        )
        for i in range(count)
    ]


async def until(check: Callable[[], bool | Awaitable[bool]], timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while True:
            result = check()
            if result if isinstance(result, bool) else await result:
                return
            await asyncio.sleep(0.01)


async def retry_all(rig: Rig, sender: EmailSender, rounds: int = 12) -> None:
    """Move the business clock past every retry, until nothing is left to send."""
    for _ in range(rounds):
        await sender.wait_idle()
        if not await rig.db.email_outbox.emails_unfinished():
            return
        rig.clock.advance(timedelta(hours=1, minutes=15))
        sender.wake()
    raise AssertionError(f"still unfinished: {await rig.rows()}")


# -- delivery ---------------------------------------------------------------------------------


async def test_messages_arrive_byte_exact_with_their_envelope(rig: Rig) -> None:
    """Dot-stuffing, CRLF and 8-bit bytes survive the trip: each .eml written by the server
    is exactly the bytes queued (a sender that re-serialised or mangled lines fails)."""
    queued = items(3)
    assert await rig.queue(queued) == 3
    sender = rig.sender()
    await sender.start()
    try:
        await sender.wait_idle()
    finally:
        await sender.stop()

    assert rig.server.count == 3
    by_rcpt = {r.rcpt_tos[0]: r for r in rig.server.received}
    for item in queued:
        got = by_rcpt[item.address]
        assert got.content == item.message
        assert got.mail_from == FROM
        assert got.path is not None
        assert got.path.read_bytes() == item.message
        parsed = message_from_bytes(got.content, policy=policy.default)
        assert "ąčęėįšųūž" in parsed.get_body().get_content()
    rows = await rig.rows()
    assert {r["status"] for r in rows.values()} == {"sent"}
    assert {r["smtp_code"] for r in rows.values()} == {250}
    assert all(r["sent_at"] and r["attempts"] == 1 for r in rows.values())
    assert await rig.db.email_outbox.campaign_email_counts(1) == {
        "pending": 0, "sending": 0, "sent": 3, "failed": 0, "undeliverable": 0, "cancelled": 0,
    }  # fmt: skip
    assert sender.stats.connections == 1  # one connection for all three


async def test_an_internationalised_domain_goes_in_its_ascii_form(rig: Rig) -> None:
    address = "info@ąžuolynas.lt"
    await rig.queue([EmailItem(address, None, "idn", message(address, "idn"))])
    sender = rig.sender()
    await sender.start()
    await sender.wait_idle()
    await sender.stop()
    assert [r.rcpt_tos for r in rig.server.received] == [["info@xn--uolynas-o4a30i.lt"]]
    assert (await rig.rows())["idn"]["status"] == "sent"


async def test_a_dedup_key_is_queued_once(rig: Rig) -> None:
    first = items(2)
    assert await rig.queue(first) == 2
    assert await rig.queue(first) == 0
    sender = rig.sender()
    await sender.start()
    await sender.wait_idle()
    await sender.stop()
    assert rig.server.count == 2


async def test_an_address_that_could_inject_smtp_commands_is_refused(rig: Rig) -> None:
    """A newline in an address would add a command (a second RCPT) to the envelope."""
    bad = [
        "a@example.lt\r\nRCPT TO:<victim@example.org>",
        "a@example.lt>, <b@example.org",
        "no-at-sign",
        "two@@example.lt",
        "spaces in@example.lt",
        "x" * 65 + "@example.lt",
    ]
    for address in bad:
        with pytest.raises(ValueError, match="not an e-mail address"):
            await rig.queue([EmailItem(address, None, f"bad-{address}", b"x\r\n")])
    assert await rig.db.email_outbox.emails_unfinished() == 0


# -- pace -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rate", "count"), [(30, 20), (600, 150)])
async def test_the_pace_holds_the_configured_rate_on_virtual_time(
    rig: Rig, rate: int, count: int
) -> None:
    """Never more than rate_per_minute (no two starts closer than the limit allows, no K
    starts in less than K intervals) and not much less either (>= 95% of it). Without the
    pacer everything would arrive at one virtual instant."""
    await rig.queue(items(count))
    sender = rig.sender(rate_per_minute=rate)
    await sender.start()
    try:
        await until(lambda: rig.server.count == count)
    finally:
        await sender.stop()
    times = sorted(r.at for r in rig.server.received)
    interval = 60.0 / rate
    window = max(1, int(rate / 60))
    for i in range(len(times) - window):
        assert times[i + window] - times[i] >= window * interval - 1e-9, (i, times[i : i + 3])
    span = times[-1] - times[0]
    achieved = (count - 1) / span * 60
    assert 0.95 * rate <= achieved <= rate


# -- temporary and permanent errors -----------------------------------------------------------


async def test_421_and_451_are_retried_with_backoff_then_delivered(rig: Rig) -> None:
    """A 421 (the server hangs up) and 451s (greylisting) are temporary: the e-mail comes
    back later and is delivered once; the others go on meanwhile over a new connection."""
    rig.server.answer("p1@example.lt", 421, times=1)
    rig.server.answer("p3@example.lt", 451, times=2)
    await rig.queue(items(5))
    sender = rig.sender()
    await sender.start()
    try:
        await sender.wait_idle()
        rows = await rig.rows()
        assert (rows["p1"]["status"], rows["p1"]["smtp_code"]) == ("pending", 421)
        assert (rows["p3"]["status"], rows["p3"]["smtp_code"]) == ("pending", 451)
        retry_at = datetime.fromisoformat(rows["p3"]["not_before"])
        assert retry_at >= rig.clock.now() + timedelta(seconds=45)  # backoff, not at once
        assert rig.server.count == 3  # p0, p2, p4 went on meanwhile
        await retry_all(rig, sender)
    finally:
        await sender.stop()

    rows = await rig.rows()
    assert {k: r["status"] for k, r in rows.items()} == dict.fromkeys(rows, "sent")
    assert (rows["p1"]["attempts"], rows["p3"]["attempts"]) == (2, 3)
    assert [len(rig.server.messages_to(f"p{i}@example.lt")) for i in range(5)] == [1] * 5
    assert sender.stats.connections >= 2  # the 421 closed the first connection


async def test_temporary_errors_stop_at_max_attempts_as_failed(rig: Rig) -> None:
    rig.server.answer("p0@example.lt", 451)  # always
    await rig.queue(items(1))
    sender = rig.sender(max_attempts=3)
    await sender.start()
    try:
        await retry_all(rig, sender)
    finally:
        await sender.stop()
    row = (await rig.rows())["p0"]
    assert (row["status"], row["attempts"], row["smtp_code"]) == ("failed", 3, 451)
    assert "gave up after 3 attempts" in row["last_error"]
    assert not await rig.db.email_outbox.is_suppressed("p0@example.lt")  # not its fault


async def test_550_marks_undeliverable_and_suppresses_the_address(rig: Rig) -> None:
    """A permanent refusal is not retried; the address is suppressed ('bounced'): the
    e-mails waiting for it are cancelled and later ones are not even queued."""
    rig.server.answer("p0@example.lt", 550)
    first = items(2)
    await rig.queue(first)
    later = EmailItem("p0@example.lt", None, "p0-reminder", message("p0@example.lt", "r"))
    await rig.queue([later], at=rig.clock.now() + timedelta(days=1))
    sender = rig.sender()
    await sender.start()
    try:
        await sender.wait_idle()
    finally:
        await sender.stop()
    rows = await rig.rows()
    assert (rows["p0"]["status"], rows["p0"]["smtp_code"]) == ("undeliverable", 550)
    assert rows["p0"]["attempts"] == 1
    assert rows["p0-reminder"]["status"] == "cancelled"
    assert rows["p1"]["status"] == "sent"
    assert await rig.db.email_outbox.suppression("P0@Example.lt ") == "bounced"
    again = EmailItem("p0@example.lt", None, "p0-next", message("p0@example.lt", "n"))
    assert await rig.queue([again]) == 0
    assert rig.server.messages_to("p0@example.lt") == []


async def test_a_refused_sender_pauses_sending_and_charges_no_email(rig: Rig) -> None:
    """Relaying refused is our setting, not the recipient's fault: nothing is suppressed
    or failed, the e-mail waits (uncharged) until the server takes it."""
    await rig.queue(items(1))
    rig.server.answer("p0@example.lt", 550, text="550 5.7.1 Relaying denied")
    sender = rig.sender()
    await sender.start()
    try:
        await until(lambda: sender.stats.released >= 2)
    finally:
        await sender.stop()
    row = (await rig.rows())["p0"]
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert not await rig.db.email_outbox.is_suppressed("p0@example.lt")


# -- opt-outs, suppressions and /forget -------------------------------------------------------


async def test_opt_out_unsubscribe_and_forget_before_sending_cancel_and_send_nothing(
    rig: Rig,
) -> None:
    """Checked at claim time: nothing goes to someone who opted out, unsubscribed or was
    forgotten after their e-mail was queued."""
    opted = await rig.person(1, "opted@example.lt")
    gone = await rig.person(2, "gone@example.lt")
    stays = await rig.person(3, "stays@example.lt")
    queued = [
        EmailItem("opted@example.lt", opted, "opted", message("opted@example.lt", "o")),
        EmailItem("gone@example.lt", gone, "gone", message("gone@example.lt", "g")),
        EmailItem("unsub@example.lt", None, "unsub", message("unsub@example.lt", "u")),
        EmailItem("stays@example.lt", stays, "stays", message("stays@example.lt", "s")),
    ]
    assert await rig.queue(queued) == 4
    now = rig.clock.now()
    await rig.db.database.execute(
        "UPDATE participants SET opted_out_at = ? WHERE id = ?", (now.isoformat(), opted)
    )
    await rig.db.privacy.privacy_forget(gone, now=now)
    assert await rig.db.email_outbox.suppress("unsub@example.lt", "unsubscribed", now)

    sender = rig.sender()
    await sender.start()
    await sender.wait_idle()
    await sender.stop()

    assert [r.rcpt_tos for r in rig.server.received] == [["stays@example.lt"]]
    rows = {r["id"]: r for r in await rig.db.email_outbox.email_rows()}
    statuses = sorted((r["status"], r["last_error"]) for r in rows.values())
    assert statuses == [
        ("cancelled", "forgotten"),
        ("cancelled", "opted out"),
        ("cancelled", "suppressed: unsubscribed"),
        ("sent", None),
    ]


@pytest.mark.sqlite_only("reads every byte of the SQLite file")
async def test_forget_keeps_no_address_in_clear_and_still_blocks_it(rig: Rig) -> None:
    """After /forget the address is nowhere in the database in clear (messages emptied,
    rows and suppressions keep its digest), yet a list imported again cannot e-mail it."""
    address = "ruta.vasiliauskiene@akmene.lt"
    person = await rig.person(5, address)
    await rig.queue([EmailItem(address, person, "inv", message(address, "i"))])
    sender = rig.sender()
    await sender.start()
    await sender.wait_idle()
    await sender.stop()
    assert rig.server.count == 1
    await rig.db.email_outbox.suppress(address, "bounced", rig.clock.now())  # kept in clear

    await rig.db.privacy.privacy_forget(person, now=rig.clock.now())

    await rig.db.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(rig.tmp / "bot.sqlite3") as raw:
        dump = "\n".join(raw.iterdump())
    assert address not in dump
    assert "vasiliauskiene" not in dump
    assert address_key(address) in dump
    assert await rig.db.email_outbox.is_suppressed(address.upper())
    again = EmailItem(address, None, "inv-2", message(address, "i2"))
    assert await rig.queue([again]) == 0
    assert await rig.db.email_outbox.suppress(address, "bounced", rig.clock.now()) is False
    with sqlite3.connect(rig.tmp / "bot.sqlite3") as raw:
        assert address not in "\n".join(raw.iterdump())  # a late bounce does not bring it back


async def test_retention_erases_the_address_but_does_not_suppress_it(rig: Rig) -> None:
    """Retention is not a request to be left alone: the data goes, a new list may invite."""
    address = "jonas.petrauskas@akmene.lt"
    person = await rig.person(6, address)
    await rig.queue([EmailItem(address, person, "old", message(address, "o"))])
    await rig.db.privacy.privacy_forget(person, now=rig.clock.now(), reason="retention")
    row = (await rig.rows())["old"]
    assert (row["status"], row["address"]) == ("cancelled", address_key(address))
    assert not await rig.db.email_outbox.is_suppressed(address)
    assert await rig.queue([EmailItem(address, None, "new", message(address, "n"))]) == 1


async def test_forget_during_the_retries_stops_the_email(rig: Rig) -> None:
    """Each retry is a new claim that reads the person again."""
    person = await rig.person(7, "grey@example.lt")
    rig.server.answer("grey@example.lt", 451, times=1)
    await rig.queue([EmailItem("grey@example.lt", person, "g", message("grey@example.lt", "g"))])
    sender = rig.sender()
    await sender.start()
    try:
        await sender.wait_idle()
        assert (await rig.rows())["g"]["status"] == "pending"
        await rig.db.privacy.privacy_forget(person, now=rig.clock.now())
        await retry_all(rig, sender)
    finally:
        await sender.stop()
    assert rig.server.count == 0
    assert (await rig.rows())["g"]["status"] == "cancelled"


# -- connections and crashes ------------------------------------------------------------------


async def test_a_connection_dropped_after_the_data_is_retried_and_counted(rig: Rig) -> None:
    """The server kept the message but hung up before answering: the sender cannot know,
    so it sends again and counts a possible duplicate; the run goes on on a new connection."""
    rig.server.drop("p2@example.lt", keep=True)
    await rig.queue(items(5))
    sender = rig.sender()
    await sender.start()
    try:
        await retry_all(rig, sender)
    finally:
        await sender.stop()
    rows = await rig.rows()
    assert {r["status"] for r in rows.values()} == {"sent"}
    assert rows["p2"]["possible_duplicates"] == 1
    duplicates = rig.server.count - 5
    assert duplicates == 1 <= await rig.db.email_outbox.campaign_possible_duplicates(1)
    assert sender.stats.connections == 2


async def test_a_connection_closed_by_the_server_while_idle_is_reopened(rig: Rig) -> None:
    """Servers hang up on idle clients, and the client finds out at its next command: that
    e-mail goes on a new connection at once, without a retry or a charge."""
    await rig.queue(items(1, "a"))
    sender = rig.sender()
    await sender.start()
    try:
        await sender.wait_idle()
        rig.server.hang_up_at_next_mail()  # the client learns it only when it speaks
        await rig.queue(items(1, "b"))
        sender.wake()
        await sender.wait_idle()
    finally:
        await sender.stop()
    rows = await rig.rows()
    assert (rows["b0"]["status"], rows["b0"]["attempts"]) == ("sent", 1)
    assert sender.stats.connections == 2


async def test_a_server_that_is_down_pauses_sending_without_charging(rig: Rig) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    await rig.queue(items(2))
    sender = rig.sender(port=port)
    await sender.start()
    try:
        await until(lambda: sender.stats.released >= 3)
        async with DevServer(rig.tmp / "late", port=port) as late:
            await until(lambda: late.count == 2)
    finally:
        await sender.stop()
    rows = await rig.rows()
    # Tried at every pause, charged only for the attempt that reached the server.
    assert {(r["status"], r["attempts"]) for r in rows.values()} == {("sent", 1)}


async def test_what_was_in_flight_at_a_crash_is_sent_again_and_counted(rig: Rig) -> None:
    """A row left 'sending' (the process died mid-transaction) goes again at start-up."""
    await rig.queue(items(3))
    claimed = await rig.db.email_outbox.claim_next_email(rig.clock.now(), claimed_by="dead")
    assert claimed is not None  # ... and the process dies here
    sender = rig.sender()
    await sender.start()
    await sender.wait_idle()
    await sender.stop()
    assert sender.stats.recovered == 1
    rows = await rig.rows()
    assert {r["status"] for r in rows.values()} == {"sent"}
    assert rows[claimed.address.split("@")[0]]["possible_duplicates"] == 1
    assert await rig.db.email_outbox.campaign_possible_duplicates(1) == 1


# -- the application and the settings ----------------------------------------------------------


async def test_the_application_runs_the_email_sender_only_with_email_settings(
    tmp_path: Path,
) -> None:
    async with DevServer(tmp_path / "mail") as server:
        email = {"host": "127.0.0.1", "port": server.port, "from_address": FROM}
        async with Simulation(tmp_path / "on.sqlite3", settings={"email": email}) as sim:
            assert sim.app is not None
            assert sim.app.email_sender is not None
            queued = items(2)
            assert await sim.db.email_outbox.enqueue(
                queued, campaign_id=None, not_before=None, now=sim.clock.now()
            ) == 2  # fmt: skip
            sim.services.wake_email_sender()
            await sim.app.email_sender.wait_idle()
            assert server.count == 2
        async with Simulation(tmp_path / "off.sqlite3") as sim:
            assert sim.app is not None
            assert sim.app.email_sender is None


def test_email_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOT_EMAIL__HOST", "BOT_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    assert explicit_settings().email is None
    ssl = explicit_settings(email={"host": "smtp.example.lt", "security": "ssl"}).email
    assert ssl is not None
    assert (ssl.smtp_port, ssl.rate_per_minute) == (465, 60)
    config = tmp_path / "config.toml"
    config.write_text('[email]\nhost = "smtp.example.lt"\nusername = "u"\n', encoding="utf-8")
    monkeypatch.setenv("BOT_EMAIL__PASSWORD", "secret")
    with pytest.raises(SettingsError, match="in clear"):
        load_settings(config)
    config.write_text(
        '[email]\nhost = "smtp.example.lt"\nsecurity = "starttls"\nusername = "u"\n',
        encoding="utf-8",
    )
    email = load_settings(config).email
    assert email is not None
    assert email.smtp_port == 587
    assert email.password is not None
    assert email.password.get_secret_value() == "secret"
    assert "secret" not in repr(email)


async def test_the_demo_mailbox_says_where_the_emails_were_written(rig: Rig) -> None:
    lines: list[str] = []
    folder = rig.tmp / "demo-mail"
    await rig.queue(items(2))
    async with local_mailbox(folder, say=lines.append) as server:
        sender = rig.sender(**server.email_settings())
        await sender.start()
        await sender.wait_idle()
        await sender.stop()
    assert lines == [f"2 e-mails received by the local SMTP server, written to {folder}"]
    assert sorted(p.name for p in folder.glob("*.eml")) == [
        "000001-p0@example.lt.eml",
        "000002-p1@example.lt.eml",
    ]
