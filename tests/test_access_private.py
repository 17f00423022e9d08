"""Personal data stays in private chats: every organiser command and button, used by an
organiser inside a group, answers with one line asking for the private chat, shows nothing
and changes nothing. Built from the handlers the Application really registered, so an
organiser handler added later is covered without touching this file; the allow-list (the
few organiser actions meant for groups) is explicit at registration (``in_groups=True``)."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.test_access_groups import bot_added
from tests.test_authz import (
    all_handlers,
    callback_samples,
    dump,
    guarded_name,
    is_guarded,
    literal_prefix,
    pattern_matches,
)

PRIVATE_ONLY = {
    "en": "Please use our private chat for this: organiser screens show people's data, "
    "so I do not show them in groups.",
}
# Organiser actions meant for a group (registered with in_groups=True).
ALLOWED_IN_GROUPS = {"postcard"}


def in_groups(handler: Any) -> bool:
    return getattr(handler.callback, "in_groups", False) is True


async def group_with_data(sim: Simulation, organiser: SimUser) -> Any:
    """A group the organiser added the bot to, with a card (buttons to press data on), and
    an event with people in it (names and organisations that must not leak)."""
    event = await add_event(sim)
    for number, name in enumerate(("Asta Kazlauskienė", "Jonas Petrauskas")):
        user = sim.user(3000 + number, name.split()[0])
        await register(sim, user, event, name=name, organisation=f"Savivaldybė {number}")
        await user.press("✅ Yes")
    group = sim.emulator.group(-100701, "Akmenės koordinatoriai")
    await sim.settle(bot_added(sim, group, organiser))
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    return event, group


def leaked(texts: list[str]) -> bool:
    return any(name in text for text in texts for name in ("Asta", "Jonas", "Savivaldybė"))


async def test_every_organiser_command_in_a_group_asks_for_the_private_chat(
    sim: Simulation, organiser: SimUser
) -> None:
    assert sim.app is not None
    event, group = await group_with_data(sim, organiser)
    guarded = [h for h in all_handlers(sim.app) if isinstance(h, CommandHandler) and is_guarded(h)]
    commands = sorted({name for h in guarded if not in_groups(h) for name in h.commands})
    assert {"rsvps", "attendance", "export", "report", "scores", "events", "schedule"} <= set(
        commands
    )
    assert {"personal", "broadcast", "survey", "invite", "editevent", "newevent"} <= set(commands)
    allowed = sorted({name for h in guarded if in_groups(h) for name in h.commands})
    assert allowed == sorted(ALLOWED_IN_GROUPS)
    for command in commands:
        for text in (f"/{command}", f"/{command} {event.id}"):
            before = await dump(sim)
            sent = len(group.messages())
            private = len(organiser.messages)
            await sim.settle(await group.send(organiser.tg, text))
            new = [str(m.text or "") for m in group.messages()[sent:]]
            assert new == [PRIVATE_ONLY["en"]], (text, new)
            assert group.last().keyboard == [], text
            assert len(organiser.messages) == private, text  # nothing sent privately either
            assert sim.emulator.calls_to("sendDocument", group.id) == [], text
            assert sim.emulator.calls_to("sendPhoto", group.id) == [], text
            assert await dump(sim) == before, f"{text} changed the database"
    assert not leaked([str(m.text or "") for m in group.messages()])


async def test_every_organiser_button_pressed_in_a_group_asks_for_the_private_chat(
    sim: Simulation, organiser: SimUser
) -> None:
    assert sim.app is not None
    event, group = await group_with_data(sim, organiser)
    card = group.last().message_id
    card_text = group.last().text
    samples = callback_samples(event.id)
    guarded = [
        h for h in all_handlers(sim.app) if isinstance(h, CallbackQueryHandler) and is_guarded(h)
    ]
    assert guarded
    tried = 0
    for handler in guarded:
        assert not in_groups(handler), f"{guarded_name(handler)} is allowed in groups"
        matching = [s for s in samples if pattern_matches(handler, s)]
        prefix = literal_prefix(handler)
        if not matching and prefix is not None:
            matching = [prefix]
        assert matching, guarded_name(handler)
        for data in matching:
            before = await dump(sim)
            sent = len(group.messages())
            await sim.settle(await organiser.tg.press_data(data, chat_id=group.id, message_id=card))
            alert = list(sim.emulator.answered_callbacks.values())[-1]
            assert alert.get("text") == PRIVATE_ONLY["en"], data
            assert alert.get("show_alert") is True, data
            assert len(group.messages()) == sent, data
            assert group.messages()[-1].text == card_text, data  # not edited either
            assert await dump(sim) == before, f"{data} changed the database"
            tried += 1
    assert tried > 20


async def test_the_same_commands_work_in_the_private_chat(
    sim: Simulation, organiser: SimUser
) -> None:
    event, _ = await group_with_data(sim, organiser)
    await organiser.send(f"/rsvps {event.id}")
    assert "Asta Kazlauskienė" in organiser.last_text


async def test_postcard_with_several_events_sends_its_picker_privately(
    sim: Simulation, organiser: SimUser
) -> None:
    """The allow-listed /postcard stays usable in a group: its organiser buttons go to the
    private chat (where they work), the card to the group."""
    event, group = await group_with_data(sim, organiser)
    await add_event(sim, 'slug = "antras"\ntitle = "Antras"\nstarts = 2027-03-20T10:00:00\n'
                    'ends = 12:00:00\nonline_url = "https://meet.example.org/2"\n')  # fmt: skip
    await organiser.send("/start")  # the bot may write to those who started it
    sent = len(group.messages())
    await sim.settle(await group.send(organiser.tg, "/postcard"))
    assert len(group.messages()) == sent
    assert "Mokymai Akmenės rajonui" in " ".join(organiser.buttons())
    await organiser.press(organiser.buttons()[0])
    assert len(group.messages()) == sent + 1
    assert event.id
