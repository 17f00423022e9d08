"""Invitations by e-mail, end to end: the organiser's /broadcast -> "By e-mail" flow queues
the e-mails, the bot's e-mail sender delivers them to a real SMTP server on 127.0.0.1
(aiosmtpd), the personal link in the e-mail opens the bot as that person (the emulator),
reminders skip whoever opened their link, the unsubscribe link in the e-mail works, and a
stranger's forged button queues nothing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FakeClock
from bot.email import web as email_web
from bot.email.devserver import DevServer
from bot.email.invitations import EmailPress, queue_due
from bot.invitations import new_codes
from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID, add_event
from tests.email_world import EMAIL_SETTINGS, rows

PEOPLE = ("ruta@akmene.lt", "jonas@uzimtumas.lt", "olena@akmene.lt")


@pytest.fixture
async def smtp() -> AsyncIterator[DevServer]:
    async with DevServer() as server:
        yield server


@pytest.fixture
async def sim(tmp_path: Path, clock: FakeClock, smtp: DevServer) -> AsyncIterator[Simulation]:
    email = {**EMAIL_SETTINGS, "host": smtp.host, "port": smtp.port, "rate_per_minute": 6000}
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,),
        settings={"email": email, "organisation_name": "Akmenės rajono savivaldybė"},
    ) as running:  # fmt: skip
        yield running


@pytest.fixture
def organiser(sim: Simulation) -> SimUser:
    return sim.user(ORGANISER_ID, "Rasa", language="en")


async def listed_event(sim: Simulation) -> Event:
    """The example event with the list (three addresses, one person without) invited."""
    event = await add_event(sim)
    listed = rows()
    await sim.db.invitations.import_participants(
        listed, codes=new_codes(len(listed)), event_id=event.id, now=sim.clock.now()
    )
    return event


async def delivered(sim: Simulation) -> None:
    """Until the e-mail sender has nothing due and the progress messages are final."""
    assert sim.app is not None
    assert sim.app.email_sender is not None
    await sim.app.email_sender.wait_idle()
    followers = [t for t in asyncio.all_tasks() if t.get_name().startswith("email-progress-")]
    async with asyncio.timeout(30):
        await asyncio.gather(*followers)


def parsed(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def personal_payload(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"https://t\.me/[A-Za-z0-9_]+\?start=(p_[A-Za-z0-9_-]+)", body.get_content())
    assert found is not None
    return found.group(1)


async def send_by_email(organiser: SimUser, event: Event, segment: str, kind: str) -> str:
    """/broadcast <event> -> By e-mail -> segment -> kind; returns the preview's text."""
    await organiser.send(f"/broadcast {event.id}")
    await organiser.press("📧 By e-mail (people not on Telegram yet)")
    label = next(b for b in organiser.buttons() if b.startswith(segment))
    await organiser.press(label)
    await organiser.press(kind)
    return organiser.last_text


async def test_the_invitation_arrives_and_its_link_opens_the_bot_as_that_person(
    sim: Simulation, organiser: SimUser, smtp: DevServer
) -> None:
    event = await listed_event(sim)
    preview = await send_by_email(
        organiser, event, "Not opened the bot yet", "📨 The invitation, now"
    )
    assert "E-mail preview" in preview
    assert "Subject: Invitation: Mokymai Akmenės rajonui" in preview  # the organiser's language
    assert "Recipients: 3" in preview
    assert smtp.count == 0  # nothing before the confirmation
    await organiser.press("📧 Send e-mails (3)")
    progress = organiser.last.message_id
    await delivered(sim)
    assert sorted(a for r in smtp.received for a in r.rcpt_tos) == sorted(PEOPLE)
    # The progress message became the campaign's report.
    final = next(m for m in organiser.messages if m.message_id == progress)
    assert "the e-mails are sent" in str(final.text)
    assert "Sent 3 · waiting 0 · refused 0" in str(final.text)

    ruta = parsed(smtp.messages_to("ruta@akmene.lt")[0])
    assert str(ruta["To"]) == "Rūta Vasiliauskienė <ruta@akmene.lt>"
    assert ruta["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = {p.get_content_type() for p in ruta.walk() if not p.is_multipart()}
    assert kinds == {"text/plain", "text/html", "image/png", "text/calendar"}

    # Rūta opens the link from her e-mail: the bot knows her, nothing to type.
    payload = personal_payload(ruta)
    phone = sim.user(7001, "R", language="lt")
    await phone.send(f"/start {payload}")
    assert "Rūta Vasiliauskienė" in " ".join(phone.texts())
    person = await sim.db.people.get_participant_by_telegram(7001)
    assert person is not None
    assert person.email == "ruta@akmene.lt"
    opened = await sim.db.database.scalar(
        "SELECT COUNT(*) FROM email_sends "
        "WHERE address = 'ruta@akmene.lt' AND opened_at IS NOT NULL"
    )
    assert opened == 1

    # The organiser's report: per organisation, the one who opened the bot counted.
    await organiser.press("📊 E-mail report", message_id=progress)
    report = organiser.last_text
    assert "Sent 3" in report
    assert "Akmenės biblioteka: 2 e-mails, opened the bot 1" in report
    assert "Užimtumo tarnyba: 1 e-mails, opened the bot 0" in report


async def test_reminders_skip_whoever_opened_the_link(
    sim: Simulation, organiser: SimUser, smtp: DevServer
) -> None:
    event = await listed_event(sim)
    await send_by_email(organiser, event, "Not opened the bot yet", "📨 The invitation, now")
    await organiser.press("📧 Send e-mails (3)")
    await delivered(sim)
    ruta = parsed(smtp.messages_to("ruta@akmene.lt")[0])
    await sim.user(7001, "R", language="lt").send(f"/start {personal_payload(ruta)}")

    # A reminder in 24 hours: planned, nothing sent yet.
    preview = await send_by_email(organiser, event, "Everyone invited", "⏰ A reminder in 24 hours")
    assert "Recipients: 2" in preview  # Rūta opened hers
    await organiser.press("⏰ Schedule the reminder")
    assert "The reminder will go out on" in organiser.last_text
    assert await queue_due(sim.services) == 0
    await delivered(sim)
    assert smtp.count == 3

    # Meanwhile Jonas opens his link too; when the moment comes only Olena is reminded.
    jonas = parsed(smtp.messages_to("jonas@uzimtumas.lt")[0])
    await sim.user(7002, "J", language="lt").send(f"/start {personal_payload(jonas)}")
    sim.clock.advance(timedelta(hours=25))
    assert await queue_due(sim.services) == 1
    await delivered(sim)
    reminders = [r for r in smtp.received[3:]]
    assert [r.rcpt_tos for r in reminders] == [["olena@akmene.lt"]]
    assert parsed(reminders[0].content)["Subject"].startswith("Priminimas: Mokymai Akmenės")
    assert await queue_due(sim.services) == 0  # queued once


async def test_the_unsubscribe_link_in_the_email_works(
    sim: Simulation, organiser: SimUser, smtp: DevServer
) -> None:
    event = await listed_event(sim)
    await send_by_email(organiser, event, "Not opened the bot yet", "📨 The invitation, now")
    await organiser.press("📧 Send e-mails (3)")
    await delivered(sim)
    olena = parsed(smtp.messages_to("olena@akmene.lt")[0])
    header = str(olena["List-Unsubscribe"])
    url = re.search(r"<(https://[^>]+)>", header)
    assert url is not None
    path = url.group(1).removeprefix(EMAIL_SETTINGS["public_url"])
    app = web.Application()
    email_web.add_routes(app, "/email", sim.services)
    async with TestClient(TestServer(app)) as client:
        answer = await client.post(path, data="List-Unsubscribe=One-Click")
        assert answer.status == 200
        forged = await client.post(path[:-2] + ("AA" if not path.endswith("AA") else "BB"))
        assert forged.status == 404
    assert await sim.db.email_outbox.is_suppressed("olena@akmene.lt")
    # A reminder now: Olena unsubscribed, so only the two others.
    preview = await send_by_email(organiser, event, "Everyone invited", "⏰ A reminder, now")
    assert "Recipients: 2" in preview
    assert "Not written to (unsubscribed or undeliverable): 1" in preview
    await organiser.press("📧 Send e-mails (2)")
    await delivered(sim)
    assert sorted(a for r in smtp.received[3:] for a in r.rcpt_tos) == [
        "jonas@uzimtumas.lt", "ruta@akmene.lt",
    ]  # fmt: skip


async def test_a_strangers_forged_email_buttons_queue_nothing(
    sim: Simulation, organiser: SimUser, smtp: DevServer
) -> None:
    event = await listed_event(sim)
    mallory = sim.user(6666, "Mallory", language="en")
    await mallory.send("/language")
    for data in (
        EmailPress("start", event.id).pack(),
        EmailPress("seg", key="all").pack(),
        EmailPress("kind", key="inv").pack(),
        EmailPress("send").pack(),
        EmailPress("report", event.id).pack(),
    ):
        await mallory.press_data(data)
        answered = list(sim.emulator.answered_callbacks.values())
        assert answered[-1].get("text") == "This is for organisers only.", data
    assert "E-mail preview" not in " ".join(mallory.texts())
    assert "E-mails about" not in " ".join(mallory.texts())
    assert await sim.db.database.scalar("SELECT COUNT(*) FROM email_campaigns") == 0
    assert await sim.db.database.scalar("SELECT COUNT(*) FROM email_outbox") == 0
    # Even with the organiser's flow at its last step, her "send" sends nothing.
    await send_by_email(organiser, event, "Not opened the bot yet", "📨 The invitation, now")
    await mallory.press_data(EmailPress("send").pack())
    assert await sim.db.database.scalar("SELECT COUNT(*) FROM email_outbox") == 0
    await delivered(sim)
    assert smtp.count == 0


async def test_without_email_settings_there_is_no_email_button(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with Simulation(tmp_path / "b.sqlite3", clock=clock, organisers=(ORGANISER_ID,)) as sim:
        event = await listed_event(sim)
        organiser = sim.user(ORGANISER_ID, "Rasa", language="en")
        await organiser.send(f"/broadcast {event.id}")
        assert not any("e-mail" in b for b in organiser.buttons())
        assert sim.app is not None
        assert sim.app.email_sender is None


async def test_an_uploaded_list_is_invited_by_email_from_the_import_message(
    sim: Simulation, organiser: SimUser, smtp: DevServer
) -> None:
    event = await add_event(sim)
    listed = (
        "name,email,organisation\n"
        "Asta Jonaitė,asta@akmene.lt,Akmenės biblioteka\n"
        '"Олена ""Ковальчук"", Jr.",olena@akmene.lt,Užimtumo tarnyba\n'
    )
    await organiser.send_document("list.csv", listed.encode(), "text/csv")
    await organiser.press(next(b for b in organiser.buttons() if b.startswith(f"#{event.id}")))
    imported = next(m for m in organiser.messages if "Imported: 2 new" in str(m.text))
    await organiser.press(
        "📧 By e-mail (people not on Telegram yet)", message_id=imported.message_id
    )
    await organiser.press("Not opened the bot yet (2)")
    await organiser.press("📨 The invitation, now")
    await organiser.press("📧 Send e-mails (2)")
    await delivered(sim)
    olena = parsed(smtp.messages_to("olena@akmene.lt")[0])
    assert olena["To"].addresses[0].addr_spec == "olena@akmene.lt"
    assert len(olena["To"].addresses) == 1
    assert "Ковальчук" in str(olena.get_body(("plain",)).get_content())
