"""Invitation cards in groups and channels: presses count as RSVPs, the private chat follows."""

from __future__ import annotations

from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows, rsvp_status
from tests.test_access_groups import bot_added


def answered(sim: Simulation) -> dict[str, object]:
    return list(sim.emulator.answered_callbacks.values())[-1]


async def test_card_in_a_group_counts_presses_and_invites_to_the_private_chat(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    group = sim.emulator.group(-100777, "Akmenės socialiniai darbuotojai")
    await sim.settle(await group.send(organiser.tg, "/postcard"))
    card = group.last()
    assert "Invitation." not in str(card.text)  # the group card is in the default language
    assert "Mokymai Akmenės rajonui" in str(card.text)
    assert "Jūsų atsakymas" not in str(card.text)  # nobody's personal answer in a group
    lt = sim.services.translator
    assert card.buttons == [
        lt.text("lt", "btn-yes"),
        lt.text("lt", "btn-no"),
        lt.text("lt", "btn-maybe"),
    ]

    # Someone who never wrote to the bot: the answer counts, Telegram opens the private chat.
    ona = sim.user(2301, "Ona")
    await sim.settle(await ona.tg.press(lt.text("lt", "btn-yes"), chat_id=group.id))
    reply = answered(sim)
    assert reply["url"] == f"https://t.me/kvietimas_test_bot?start=e_{event.invite_code}"
    assert "you will come" in str(reply["text"])
    person = await sim.db.people.get_participant_by_telegram(2301)
    assert await rsvp_status(sim.db, person.id) == "yes"
    source = await sim.db.database.scalar(
        "SELECT source FROM invitations WHERE participant_id = ?", (person.id,)
    )
    assert source == "group"
    assert ona.messages == []  # the bot may not write first
    # She follows the link: registration, and the card already shows her answer.
    await ona.send(f"/start e_{event.invite_code}")
    await ona.press("✅ I agree")
    await ona.send("Ona Onaitė")
    await ona.send("Akmenės biblioteka")
    assert "Your answer: ✅ I will come" in ona.last_text

    # Someone already registered gets the card in the private chat.
    jonas = sim.user(2302, "Jonas")
    await register(sim, jonas, event, name="Jonas Jonaitis")
    await sim.settle(await jonas.tg.press(lt.text("lt", "btn-maybe"), chat_id=group.id))
    assert "You answered in the group" in jonas.last_text
    assert "Your answer: 🤔 Maybe" in jonas.last_text
    assert "The details are in our private chat." in str(answered(sim)["text"])

    counts = (await sim.db.rsvps.rsvp_counts([event.id]))[event.id]
    assert (counts.yes, counts.maybe) == (1, 1)
    posts = await count_rows(sim.db, "group_posts", "chat_id = -100777")
    assert posts == 1


async def test_only_organisers_post_and_forged_presses_change_nothing(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    group = sim.emulator.group(-100778, "Grupė")
    mallory = sim.user(2666, "Mallory")
    await sim.settle(await group.send(mallory.tg, "/postcard"))
    assert group.messages()[-1].text == "This is for organisers only."
    await sim.settle(await group.send(organiser.tg, f"/postcard {event.id}"))
    for data in ("v1:gr:999999:y", "v1:gr:1:x", "v1:gr:abc:y", f"v1:gr:{event.id}:y:extra"):
        await sim.settle(await mallory.tg.press_data(data, chat_id=group.id))
        assert answered(sim)["show_alert"] is True
    assert await count_rows(sim.db, "rsvps") == 0


async def test_post_to_a_channel_from_the_private_chat(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    channel = sim.emulator.group(-100999, "Mokymų naujienos", type="channel")
    # An organiser makes the bot an administrator of the channel: Telegram tells it.
    await sim.settle(bot_added(sim, channel, organiser))
    await organiser.send("/postcard")
    assert "Where should I post it?" in organiser.last_text
    await organiser.press("Mokymų naujienos")
    assert "Mokymai Akmenės rajonui" in str(channel.last().text)
    assert "is posted in Mokymų naujienos" in organiser.last_text
    assert event.id
    # A typed id works too; a wrong one is explained.
    await organiser.send("/postcard")
    await organiser.send("not a chat")
    assert "That is not a chat id or @username" in organiser.last_text
    await organiser.send("-100999")
    assert len(channel.messages()) == 2


async def test_blocking_and_unblocking_the_bot_is_noticed(sim: Simulation) -> None:
    event = await add_event(sim)
    ona = sim.user(2401, "Ona")
    await register(sim, ona, event, name="Ona Onaitė")
    sim.emulator.set_blocked(ona.id, True)
    await sim.settle()
    person = await sim.db.people.get_participant_by_telegram(ona.id)
    assert person.unreachable_at is not None  # later campaigns skip her without a try
    sim.emulator.set_blocked(ona.id, False)
    await sim.settle()
    person = await sim.db.people.get_participant_by_telegram(ona.id)
    assert person.unreachable_at is None
