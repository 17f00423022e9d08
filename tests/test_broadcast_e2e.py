"""Campaigns end to end: the organiser's flow, what recipients get, what is stored."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import broadcast as service
from bot.broadcast import CampaignKind, Segment, SegmentKind
from bot.clock import FakeClock
from bot.emulator import Emulator
from bot.models import Event, RsvpStatus
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID, add_event
from tests.dbcheck import campaign_status, count_rows, latest_campaign


async def people(
    sim: Simulation,
    event: Event | None,
    count: int,
    *,
    first_id: int = 5000,
    lang: str = "en",
    organisation: str | None = None,
) -> list[SimUser]:
    """``count`` people who opened the invitation (or /start): each has a private chat."""
    users = [sim.user(first_id + i, f"P{i}", language=lang) for i in range(count)]
    last = 0
    for user in users:
        last = await user.tg.send(f"/start e_{event.invite_code}" if event else "/start")
    await sim.settle(last)
    # The bot stores nobody before they agree to the data notice: the people are stored
    # directly (as having opened the invitation), to keep the tests fast.
    for user in users:
        person = await sim.db.people.ensure_participant(user.id, language=lang, now=sim.clock.now())
        if event is not None:
            await sim.db.invitations.invite(event.id, person.id, "link", sim.clock.now())
    if organisation is not None:
        for user in users:
            found = await sim.db.people.get_participant_by_telegram(user.id)
            await sim.db.people.set_participant_profile(
                found.id, name=f"Name {user.id}", organisation=organisation, now=sim.clock.now()
            )
    return users


async def outbox(sim: Simulation, campaign_id: int) -> dict[str, int]:
    rows = await sim.db.database.fetch_all(
        "SELECT status, COUNT(*) FROM outbox WHERE campaign_id = ? GROUP BY status", (campaign_id,)
    )
    return {r[0]: r[1] for r in rows}


async def last_campaign(sim: Simulation) -> int:
    campaign = await latest_campaign(sim.db)
    assert campaign is not None
    return campaign


async def test_invitation_to_all_invitees(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    guests = await people(sim, event, 5)
    lina = (await people(sim, event, 1, first_id=6000, lang="lt"))[0]

    await organiser.send("/broadcast")
    assert "Which event is it about?" in organiser.last_text
    await organiser.press(organiser.buttons()[0])
    assert "Who should get it?" in organiser.last_text
    assert "👥 Everyone invited (6)" in organiser.buttons()
    await organiser.press("👥 Everyone invited (6)")
    await organiser.press("📨 The invitation: event card with answer buttons")
    preview = summary = organiser.last_text
    assert "You are invited" in preview
    assert "Mokymai Akmenės rajonui" in preview
    assert "Buttons: ✅ Yes · ❌ No · 🤔 Maybe · 📅 Add to calendar" in preview
    assert "It goes to 6 people." in summary
    assert "Languages: en 5, lt 1" in summary
    await organiser.press("✅ Send to 6 people")

    campaign = await last_campaign(sim)
    assert await outbox(sim, campaign) == {"sent": 6}
    for guest in guests:
        assert "You are invited" in guest.last_text
        assert guest.buttons() == ["✅ Yes", "❌ No", "🤔 Maybe", "📅 Add to calendar"]
    assert (
        sim.services.t("lt", "broadcast-invitation-header").replace("<b>", "").replace("</b>", "")
        in lina.last_text
    )
    report = organiser.last_text
    assert f"Campaign #{campaign} is finished" in report
    assert "Sent: 6 of 6" in report
    assert await campaign_status(sim.db, campaign) == "done"


@pytest.fixture
async def fast(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    """A bot allowed 200 messages/s against an emulator enforcing 210/s (and 1/s per chat
    on average: the organiser gets a few messages in a row)."""
    emulator = Emulator(global_limit_per_s=210, per_chat_limit_per_s=1, per_chat_burst=20)
    settings = {
        "broadcast": {
            "rate_per_second": 200,
            "progress_interval_s": 0.5,
            "send_timeout_s": 0.5,
            "max_attempts": 4,
        }
    }
    async with Simulation(
        tmp_path / "fast.sqlite3",
        clock=clock,
        organisers=(ORGANISER_ID,),
        emulator=emulator,
        settings=settings,
    ) as running:
        yield running


async def start_campaign(
    organiser: SimUser,
    event: Event | None,
    segment: str,
    kind: str | None = None,
    text: str | None = None,
) -> None:
    await organiser.send(f"/broadcast {event.id}" if event else "/broadcast")
    if event is None:
        await organiser.press("🌐 No particular event")
    label = next(b for b in organiser.buttons() if b.startswith(segment))
    await organiser.press(label)
    if kind is not None:
        await organiser.press(next(b for b in organiser.buttons() if b.startswith(kind)))
    if text is not None:
        await organiser.send(text)
    send = next(b for b in organiser.buttons() if b.startswith("✅ Send to"))
    await organiser.press(send)


async def queue_direct(sim: Simulation, event: Event, kind: CampaignKind) -> int:
    """A campaign queued by the service itself (no organiser chat in the way of faults)."""
    queued = await service.queue_campaign(
        sim.services, kind=kind, segment=Segment(SegmentKind.INVITEES, event.id), event=event,
        body=None, created_by=None,
    )  # fmt: skip
    await service.activate(sim.services, queued.campaign_id)
    await sim.settle()
    return queued.campaign_id


def cards(user: SimUser, marker: str = "📨 You are invited") -> int:
    return sum(1 for m in user.messages if marker in str(m.text or ""))


async def test_segments_by_answer_skip_opted_out_and_unreachable(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    yes, maybe, silent, gone, blocked = await people(sim, event, 5)
    for user, answer in ((yes, "yes"), (maybe, "maybe")):
        person = await sim.db.people.get_participant_by_telegram(user.id)
        await sim.db.rsvps.apply_rsvp(
            event.id, person.id, RsvpStatus(answer), capacity=None, now=sim.clock.now()
        )
    gone_row = await sim.db.people.get_participant_by_telegram(gone.id)
    await sim.db.database.execute(
        "UPDATE participants SET opted_out_at = ? WHERE id = ?", ("2027-01-01", gone_row.id)
    )
    await sim.db.people.mark_unreachable(blocked.id, sim.clock.now())

    await organiser.send(f"/broadcast {event.id}")
    assert organiser.buttons()[:5] == [
        "👥 Everyone invited (3)",
        "✅ Said yes (1)",
        "🤔 Said maybe (1)",
        "❌ Said no (0)",
        "❓ Not answered yet (1)",
    ]
    await organiser.press("❓ Not answered yet (1)")
    await organiser.press("⏰ A reminder with the event card")
    assert "It goes to 1 person." in organiser.last_text
    assert "Skipped as unreachable (blocked the bot, opted out or never opened it): 2" in (
        organiser.last_text
    )
    await organiser.press("✅ Send to 1 person")
    assert "Reminder:" in silent.last_text
    assert cards(yes, "Reminder:") == cards(maybe, "Reminder:") == cards(gone, "Reminder:") == 0
    assert cards(blocked, "Reminder:") == 0


@pytest.fixture
async def slow(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    """20 messages/s: a campaign to 24 people takes over a second, long enough to interrupt."""
    settings = {"broadcast": {"rate_per_second": 20, "progress_interval_s": 0.5}}
    async with Simulation(
        tmp_path / "slow.sqlite3",
        clock=clock,
        organisers=(ORGANISER_ID,),
        settings=settings,
    ) as running:
        yield running


async def sent_so_far(sim: Simulation, campaign: int) -> int:
    return (await outbox(sim, campaign)).get("sent", 0)


async def until_sent(sim: Simulation, at_least: int) -> int:
    """Wait (briefly, in real time) until the latest campaign has sent ``at_least``."""
    async with asyncio.timeout(10):
        while True:
            campaign = await latest_campaign(sim.db)
            if campaign and await sent_so_far(sim, campaign) >= at_least:
                return campaign
            await asyncio.sleep(0.02)


async def begin(sim: Simulation, organiser: SimUser, event: Event) -> None:
    """The flow up to "Send", pressed without waiting for the campaign to finish."""
    await organiser.send(f"/broadcast {event.id}")
    await organiser.press(next(b for b in organiser.buttons() if b.startswith("👥")))
    await organiser.press(next(b for b in organiser.buttons() if b.startswith("📨")))
    send = next(b for b in organiser.buttons() if b.startswith("✅ Send to"))
    assert sim.app is not None
    await sim.wait_processed(await organiser.tg.press(send))


def progress_message(organiser: SimUser) -> Any:
    """The first message about a campaign: its live progress (the report comes later)."""
    return next(m for m in organiser.messages if "Campaign #" in str(m.text))


async def test_stop_button_keeps_the_rest_pending_and_resume_sends_it(slow: Simulation) -> None:
    sim = slow
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    guests = await people(sim, event, 24)
    await begin(sim, organiser, event)
    campaign = await until_sent(sim, 5)
    live = progress_message(organiser)
    assert live.buttons == ["⏹ Stop sending"]
    await organiser.press("⏹ Stop sending", message_id=live.message_id)

    rows = await outbox(sim, campaign)
    assert rows["pending"] > 0
    assert rows["sent"] + rows["pending"] == 24
    held = await count_rows(
        sim.db, "outbox", "campaign_id = ? AND status = 'pending' AND on_hold = 1", (campaign,)
    )
    assert held == rows["pending"]
    report = organiser.last_text
    assert f"Campaign #{campaign} was stopped" in report
    assert f"Sent: {rows['sent']} of 24" in report
    assert f"{rows['pending']} messages were not sent and stay queued" in report
    assert f"Sent: {rows['sent']} of 24" in progress_message(organiser).text  # final figures
    assert sum(cards(g) for g in guests) == rows["sent"]

    # Nothing more goes out by itself, even after a restart.
    await sim.restart()
    await sim.settle()
    assert await outbox(sim, campaign) == rows

    await organiser.press("▶️ Send the rest")
    assert await outbox(sim, campaign) == {"sent": 24}
    assert [cards(g) for g in guests] == [1] * 24
    assert f"Campaign #{campaign} is finished" in organiser.last_text


async def test_cancel_command_stops_the_running_campaign(slow: Simulation) -> None:
    sim = slow
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    await people(sim, event, 24)
    await begin(sim, organiser, event)
    campaign = await until_sent(sim, 3)
    await organiser.send("/cancel")
    texts = organiser.texts()
    assert any(t.startswith("Stopped:") and "were not sent" in t for t in texts)
    assert f"Campaign #{campaign} was stopped" in organiser.last_text
    assert (await outbox(sim, campaign))["pending"] > 0
    assert await campaign_status(sim.db, campaign) == "cancelled"
    await organiser.send("/cancel")
    assert organiser.last_text == "There is nothing to cancel."


async def test_progress_is_edited_at_most_every_interval(slow: Simulation) -> None:
    sim = slow
    organiser = sim.user(ORGANISER_ID, "Rasa")
    event = await add_event(sim)
    await people(sim, event, 30)
    await begin(sim, organiser, event)
    await sim.settle()
    live = progress_message(organiser)
    edits = [c for c in sim.emulator.calls_to("editMessageText", ORGANISER_ID)
             if c.params.get("message_id") == live.message_id]  # fmt: skip
    assert len(edits) >= 2
    live_edits = edits[:-1]  # the last one writes the final figures
    gaps = [b.time - a.time for a, b in itertools.pairwise(live_edits)]
    assert all(gap >= 0.45 for gap in gaps), gaps
    assert any("remaining:" in str(e.params["text"]) for e in live_edits)
    assert any("left" in str(e.params["text"]) for e in live_edits)  # the ETA
    assert live.buttons == []  # the final figures have no Stop button any more
    assert "Sent: <b>30</b> of 30" in str(edits[-1].params["text"])


async def test_message_of_my_own_to_an_organisation_without_an_event(
    sim: Simulation, organiser: SimUser
) -> None:
    akmene = await people(sim, None, 3, organisation="Akmenės r. savivaldybė")
    others = await people(sim, None, 2, first_id=5100, organisation="Kita įstaiga")
    # The same organisation typed differently still counts as one.
    person = await sim.db.people.get_participant_by_telegram(akmene[2].id)
    await sim.db.database.execute(
        "UPDATE participants SET organisation = 'AKMENĖS  R. SAVIVALDYBĖ' WHERE id = ?",
        (person.id,),
    )
    await organiser.send("/broadcast")
    await organiser.press("🌐 No particular event")
    await organiser.press("🏢 One organisation…")
    assert organiser.buttons()[:2] == ["Akmenės r. savivaldybė (3)", "Kita įstaiga (2)"]
    await organiser.press("Akmenės r. savivaldybė (3)")
    assert "Write the message" in organiser.last_text
    await organiser.send("Seminaras perkeltas į <3 aukštą> & salę B")
    assert "It goes to 3 people." in organiser.last_text
    await organiser.press("✅ Send to 3 people")
    for user in akmene:
        assert "Message from the organisers" in user.last_text
        assert "Seminaras perkeltas į <3 aukštą> & salę B" in user.last_text
        assert "&lt;3 aukštą&gt; &amp; salę B" in user.last_html
    for user in others:
        assert "Message from the organisers" not in user.last_text


async def test_programme_everyone_and_stale_or_repeated_presses(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    guests = await people(sim, event, 3)
    loner = (await people(sim, None, 1, first_id=5200))[0]
    await organiser.send(f"/broadcast {event.id}")
    await organiser.press("📚 Everyone in the programme (3)")
    await organiser.press("✏️ My own message")
    await organiser.send("Programos naujiena")
    send = organiser.last
    uid = await organiser.tg.press("✅ Send to 3 people", message_id=send.message_id)
    await organiser.press_data(send.button_data()["✅ Send to 3 people"])  # a double tap
    await sim.settle(uid)
    assert await count_rows(sim.db, "campaigns") == 1
    assert any("This step is no longer open" in t for t in organiser.texts())
    assert all("Programos naujiena" in g.last_text for g in guests)
    assert guests[0].buttons()[-1] == "📅 Show the event"
    assert "Programos naujiena" not in loner.last_text
    # Everyone: all four; a button from the old flow is refused politely.
    await organiser.send("/broadcast")
    await organiser.press("🌐 No particular event")
    assert "🌐 Everyone (4)" in organiser.buttons()
    await organiser.press_data("v1:ob:kind:0:invitation")
    assert "This step is no longer open" in organiser.last_text
    await organiser.press_data("v1:ob:seg:0:nonsense")
    assert "This step is no longer open" in organiser.last_text


async def test_opting_out_after_queueing_is_respected_and_drafts_do_not_survive(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    guests = await people(sim, event, 4)
    queued = await service.queue_campaign(
        sim.services, kind=CampaignKind.INVITATION, segment=Segment(SegmentKind.INVITEES, event.id),
        event=event, body=None, created_by=ORGANISER_ID,
    )  # fmt: skip
    late = await sim.db.people.get_participant_by_telegram(guests[1].id)
    await sim.db.database.execute(
        "UPDATE participants SET opted_out_at = '2027-03-01T07:00:00+00:00' WHERE id = ?",
        (late.id,),
    )
    await service.activate(sim.services, queued.campaign_id)
    await sim.settle()
    assert await outbox(sim, queued.campaign_id) == {"sent": 3, "cancelled": 1}
    assert cards(guests[1]) == 0

    # A campaign still being queued when the bot stops is dropped whole, and its organiser
    # is told (its progress message says so).
    draft = await service.queue_campaign(
        sim.services, kind=CampaignKind.REMINDER, segment=Segment(SegmentKind.INVITEES, event.id),
        event=event, body=None, created_by=ORGANISER_ID, language="en",
    )  # fmt: skip
    await organiser.send("/help")
    await sim.db.campaigns.set_campaign_progress_message(
        draft.campaign_id, ORGANISER_ID, organiser.last.message_id
    )
    await sim.restart()
    await sim.settle()
    assert await count_rows(sim.db, "outbox", "campaign_id = ?", (draft.campaign_id,)) == 0
    assert "nothing was sent" in organiser.last_text
    assert all(cards(g, "Reminder:") == 0 for g in guests)
