"""The online meeting link (often with its password) reaches only those who said yes or
are marked present, only in the join window, and only in their own private reply: never
in a card, a group post, a broadcast, a change notice or a calendar file that could be
forwarded (docs/privacy.md, bot/access.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.broadcast import CampaignKind, Segment, SegmentKind, activate, queue_campaign
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows
from tests.test_access_groups import bot_added

URL = "https://meet.example.org/round-table?pwd=s3cret"
ONLINE = f"""
slug = "nuotoliu"
title = "Nuotolinė diskusija"
starts = 2027-03-10T10:00:00
ends = 12:00:00
online_url = "{URL}"
"""
JOIN = "💻 Join the meeting"
IN_WINDOW = datetime.fromisoformat("2027-03-10T09:30:00+02:00")  # 30 min before the start


def answered(sim: Simulation) -> dict[str, Any]:
    return list(sim.emulator.answered_callbacks.values())[-1]


def leaked(sim: Simulation, chat_id: int) -> bool:
    """Whether the link appears in anything the bot sent to the chat: texts, captions,
    buttons, files."""
    for call in sim.emulator.calls_to("sendMessage", chat_id) + sim.emulator.calls_to(
        "editMessageText", chat_id
    ):
        if "meet.example.org" in str(call.params):
            return True
    for call in sim.emulator.calls_to("sendDocument", chat_id):
        if "meet.example.org" in str(call.params) or b"meet.example.org" in _file(call):
            return True
    return False


def _file(call: Any) -> bytes:
    files = getattr(call, "files", None) or {}
    return b"".join(getattr(f, "content", b"") for f in files.values())


async def person(sim: Simulation, user_id: int, name: str, answer: str | None) -> SimUser:
    event = await sim.db.events.get_event_by_code(await _code(sim))
    assert event is not None
    user = sim.user(user_id, name.split()[0])
    await register(sim, user, event, name=name)
    if answer is not None:
        await user.press(answer)
    return user


async def _code(sim: Simulation) -> str:
    events = await sim.db.events.list_events(ends_after=sim.clock.now())
    return next(e.invite_code for e in events if e.title == "Nuotolinė diskusija")


async def test_only_a_yes_in_the_window_gets_the_link_privately(sim: Simulation) -> None:
    event = await add_event(sim, ONLINE)
    yes = await person(sim, 2001, "Asta Yes", "✅ Yes")
    maybe = await person(sim, 2002, "Mantas Maybe", "🤔 Maybe")
    no = await person(sim, 2003, "Nora No", "❌ No")
    assert yes.buttons()[0] == JOIN
    assert JOIN not in maybe.buttons()
    assert JOIN not in no.buttons()

    # Before the window: the time it opens, no link, nobody marked present.
    await yes.press(JOIN)
    assert "opens at 2027-03-10 09:00" in yes.last_text
    assert yes.last.keyboard == []
    assert not leaked(sim, yes.id)

    sim.clock.set(IN_WINDOW)
    # Maybe and no forge the Join button: an alert, no link, no presence.
    for user in (maybe, no):
        await user.press_data(f"v1:jn:{event.id}")
        alert = answered(sim)
        assert alert.get("show_alert") is True
        assert "for those who answered “Yes”" in str(alert.get("text"))
        assert not leaked(sim, user.id)
    # Uninvited: the "no longer valid" alert.
    stranger = sim.user(2666, "Mallory")
    await stranger.send("/language")
    await stranger.press_data(f"v1:jn:{event.id}")
    assert "no longer valid" in str(answered(sim).get("text"))
    assert not leaked(sim, stranger.id)
    assert await count_rows(sim.db, "attendance") == 0

    # Yes, in the window: marked present, the link as a button in the private reply.
    await yes.press(JOIN, message_id=yes.messages[-2].message_id)
    assert yes.last_text.startswith("✅ You are marked present at Nuotolinė diskusija")
    assert yes.last.keyboard[0][0]["url"] == URL
    assert URL not in yes.last_html  # a button, not text to copy into a forward

    # After the end: no link.
    sim.clock.set(datetime.fromisoformat("2027-03-10T12:30:00+02:00"))
    await yes.press(JOIN, message_id=yes.messages[-3].message_id)
    assert yes.last_text == "Nuotolinė diskusija has already ended."
    assert yes.last.keyboard == []


async def test_someone_marked_present_gets_the_link_without_a_yes(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim, ONLINE)
    walk_in = await person(sim, 2004, "Vida Walkin", None)
    who = await sim.db.people.get_participant_by_telegram(walk_in.id)
    from bot.models import Presence

    sim.clock.set(IN_WINDOW)
    await sim.db.attendance.mark_presence(
        event.id, [who.id], Presence.PRESENT, source="organiser", now=sim.clock.now()
    )
    await walk_in.press_data(f"v1:jn:{event.id}")
    assert walk_in.last.keyboard[0][0]["url"] == URL


async def test_the_link_is_in_no_card_post_broadcast_notice_or_calendar(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim, ONLINE)
    yes = await person(sim, 2001, "Asta Yes", "✅ Yes")
    maybe = await person(sim, 2002, "Mantas Maybe", "🤔 Maybe")
    # The calendar file: forwarded files must not carry it either.
    await yes.press("📅 Add to calendar")
    # A group card.
    group = sim.emulator.group(-100601, "Grupė")
    await sim.settle(bot_added(sim, group, organiser))
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    assert JOIN not in group.buttons()
    # A reminder broadcast to everyone who was invited (yes and maybe alike).
    queued = await queue_campaign(
        sim.services, kind=CampaignKind.REMINDER,
        segment=Segment(SegmentKind.INVITEES, event.id), event=event, body=None,
        created_by=organiser.id,
    )  # fmt: skip
    await activate(sim.services, queued.campaign_id)
    await sim.settle()
    assert yes.buttons()[0] == JOIN
    assert JOIN not in maybe.buttons()
    # A change notice (new link): told to yes and maybe, the link itself to nobody.
    from bot import events as event_service
    from bot.notify import notify_event_change

    text = ONLINE.replace(URL, URL + "&new=1")
    _, change = await event_service.import_event(
        sim.db, text, default_zone="Europe/Vilnius", now=sim.clock.now()
    )
    assert change is not None
    await notify_event_change(sim.services, change)
    await sim.settle()
    assert "Change to Nuotolinė diskusija" in maybe.last_text
    for chat in (yes.id, maybe.id, group.id):
        assert not leaked(sim, chat), chat
