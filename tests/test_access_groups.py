"""Groups: /postcard offers only chats an organiser added the bot to (or confirmed), and a
card's buttons count only when pressed on a card an organiser posted in that group.

Each test is the attack: a stranger's group in the picker, a forged picker button, a group
button typed in a private chat, a group button pressed on another message."""

from __future__ import annotations

import time
from typing import Any

from bot.app import ALLOWED_UPDATES
from bot.broadcast import BroadcastAction, BroadcastPress
from bot.emulator import EmulatedGroup
from bot.invitations import GroupRsvpPress
from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows
from tests.test_authz import dump

STALE = "This button is no longer valid. Send /my to see your events."


def bot_added(sim: Simulation, group: EmulatedGroup, by: SimUser, *, admin: bool = True) -> int:
    """Telegram's my_chat_member update: ``by`` added the bot to ``group``."""
    emu: Any = sim.emulator
    bot_user = dict(emu._bot_json)
    new = emu._admin_member(bot_user) if admin else {"user": bot_user, "status": "member"}
    return sim.emulator.inject_update(
        {
            "my_chat_member": {
                "chat": group.to_dict(),
                "from": by.tg.to_dict(),
                "date": int(time.time()),
                "old_chat_member": {"user": bot_user, "status": "left"},
                "new_chat_member": new,
            }
        }
    )


async def other_event(sim: Simulation, title: str = "Slaptas seminaras") -> Event:
    """A second event (its own slug), to which the attacker holds no invitation."""
    return await add_event(
        sim,
        **{
            'slug = "akmene-2027-03"': 'slug = "kitas"',
            'title = "Mokymai Akmenės rajonui: trečiųjų šalių piliečių integracija"': (
                f'title = "{title}"'
            ),
        },
    )


def answered(sim: Simulation) -> dict[str, Any]:
    return list(sim.emulator.answered_callbacks.values())[-1]


def test_telegram_is_asked_for_my_chat_member_updates() -> None:
    assert "my_chat_member" in ALLOWED_UPDATES


async def test_postcard_picker_lists_only_groups_an_organiser_added(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    stranger = sim.user(2900, "Stranger")
    strangers_group = sim.emulator.group(-100501, "Svetima grupė")
    ours = sim.emulator.group(-100502, "Akmenės bibliotekininkai")
    await sim.settle(bot_added(sim, strangers_group, stranger))
    await sim.settle(bot_added(sim, ours, organiser))
    # Both are known chats where the bot is an administrator...
    assert await count_rows(sim.db, "bot_chats", "is_admin = 1") == 2

    await organiser.send(f"/postcard {event.id}")
    # ...but only the organiser's is offered.
    assert "Where should I post it?" in organiser.last_text
    assert organiser.buttons() == ["Akmenės bibliotekininkai"]
    picker = organiser.last.message_id

    # A forged picker button (the index the stranger's group would have) posts nothing.
    before = await dump(sim)
    forged = BroadcastPress(BroadcastAction.POST_CHAT, 1).pack()
    await organiser.press_data(forged, message_id=picker)
    assert strangers_group.messages() == []
    assert await dump(sim) == before
    # Even a chat id planted in the flow's state is checked again when pressed.
    state = await sim.db.people.get_pending_input(organiser.id)
    assert state is not None
    state.data["chats"] = [strangers_group.id]
    await sim.db.people.set_pending_input(state, sim.clock.now())
    await organiser.press_data(
        BroadcastPress(BroadcastAction.POST_CHAT, 0).pack(), message_id=picker
    )
    assert strangers_group.messages() == []
    assert "no longer open" in organiser.last_text

    # The real choice posts there.
    await organiser.send(f"/postcard {event.id}")
    await organiser.press("Akmenės bibliotekininkai")
    assert "Mokymai Akmenės rajonui" in str(ours.last().text)


async def test_a_stranger_readding_the_bot_withdraws_trust_and_an_organiser_can_confirm(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    stranger = sim.user(2901, "Stranger")
    group = sim.emulator.group(-100503, "Bendra grupė")
    await sim.settle(bot_added(sim, group, organiser))
    sim.emulator.set_blocked(group.id, True)  # the bot is removed...
    sim.emulator.set_blocked(group.id, False)
    await sim.settle()
    await sim.settle(bot_added(sim, group, stranger))  # ...and added back by someone else
    await organiser.send(f"/postcard {event.id}")
    assert organiser.buttons() == []
    # The organiser confirms the group by sending /postcard inside it.
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    assert "Mokymai Akmenės rajonui" in str(group.last().text)
    await organiser.send(f"/postcard {event.id}")
    assert organiser.buttons() == ["Bendra grupė"]


async def test_group_button_typed_in_a_private_chat_reveals_nothing(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    group = sim.emulator.group(-100504, "Grupė")
    await sim.settle(bot_added(sim, group, organiser))
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    mallory = sim.user(2666, "Mallory")
    await mallory.send("/language")  # a message with buttons in her private chat
    before = await dump(sim)
    await mallory.press_data(GroupRsvpPress(event.id, "y").pack())
    reply = answered(sim)
    assert reply.get("text") == STALE
    assert reply.get("show_alert") is True
    assert "url" not in reply  # no deep link with the invitation code
    assert event.invite_code not in str(mallory.messages)
    assert await dump(sim) == before  # no answer, no invitation, no participant row


async def test_group_button_counts_only_on_the_card_of_its_event(
    sim: Simulation, organiser: SimUser
) -> None:
    first = await add_event(sim)
    second = await other_event(sim)
    group = sim.emulator.group(-100505, "Grupė")
    await sim.settle(bot_added(sim, group, organiser))
    await sim.settle(await group.send(organiser.tg, f"/postcard {first.id}"))
    card = group.last().message_id
    mallory = sim.user(2667, "Mallory")
    await register(sim, mallory, first, name="Mallory Smith")
    before = await dump(sim)
    # The second event's id pressed on the first event's card: refused.
    await mallory.press_data(
        GroupRsvpPress(second.id, "y").pack(), chat_id=group.id, message_id=card
    )
    assert answered(sim).get("text") == STALE
    assert "Slaptas seminaras" not in "\n".join(mallory.texts())
    assert await dump(sim) == before
    # The card's own button works.
    await mallory.press_data(
        GroupRsvpPress(first.id, "y").pack(), chat_id=group.id, message_id=card
    )
    assert (await sim.db.rsvps.rsvp_counts([first.id]))[first.id].yes == 1
