"""Identities do not merge by accident: personal links and /editevent's Save button.

Each test is an attack: a second account opens someone's personal link, a registered
person opens a link that is not theirs, a forged confirmation, a stale Save button.
"""

from __future__ import annotations

from bot.callbacks import Answer, PersonalLinkPress
from bot.invitations import identity_hint, new_codes, parse_rows, read_table
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows

LIST = (
    "name,email,organisation,role,category\n"
    "Asta Jonaitė,asta@akmene.lt,Akmenės r. savivaldybė,socialinė darbuotoja,A\n"
    "Petras Petraitis,petras@example.lt,Užimtumo tarnyba,vedėjas,B\n"
)


async def imported(sim: Simulation, event_id: int | None) -> dict[str, str]:
    """Import LIST as the CLI would; name -> personal code."""
    rows = parse_rows(read_table("list.csv", LIST.encode()))
    await sim.db.invitations.import_participants(
        rows, codes=new_codes(len(rows)), event_id=event_id, now=sim.clock.now()
    )
    found = await sim.db.database.fetch_all(
        "SELECT name, personal_code FROM participants WHERE personal_code IS NOT NULL"
    )
    return {r[0]: r[1] for r in found}


async def row(sim: Simulation, where: str, *args: object) -> tuple[object, ...] | None:
    found = await sim.db.database.fetch_one(
        "SELECT id, telegram_id, name, organisation, email, role, category, personal_code "
        f"FROM participants WHERE {where}",
        args,
    )
    return None if found is None else tuple(found)


def test_the_hint_shows_initials_and_a_masked_address() -> None:
    assert identity_hint("Asta Jonaitė", "asta@akmene.lt") == "A. J., a•••@akmene.lt"
    assert identity_hint("Petras", None) == "P."
    assert identity_hint(None, None) == "•••"


async def test_a_registered_person_is_asked_before_a_link_merges(sim: Simulation) -> None:
    event = await add_event(sim)
    codes = await imported(sim, event.id)
    mallory = sim.user(2666, "Mallory")
    await register(sim, mallory, event, name="Mallory Mal", organisation="Kita įstaiga")
    before = await row(sim, "telegram_id = ?", mallory.id)
    asta_row = await row(sim, "email = 'asta@akmene.lt'")

    # Mallory got hold of Asta's personal link and opens it.
    await mallory.send(f"/start p_{codes['Asta Jonaitė']}")
    assert mallory.last_text == "This invitation is for A. J., a•••@akmene.lt. Is it you?"
    assert mallory.buttons() == ["✅ Yes, it is me", "❌ No"]
    assert "Asta" not in mallory.last_text  # the hint does not give the name away
    # Nothing has moved yet: Mallory's row and Asta's imported row are as they were.
    assert await row(sim, "telegram_id = ?", mallory.id) == before
    assert await row(sim, "email = 'asta@akmene.lt'") == asta_row

    await mallory.press("❌ No")
    assert "Nothing was changed" in mallory.last_text
    assert await row(sim, "telegram_id = ?", mallory.id) == before
    assert await row(sim, "email = 'asta@akmene.lt'") == asta_row
    # An old "Yes" pressed later, or a forged one, binds nothing: the code is not in it.
    await mallory.press_data(PersonalLinkPress(Answer.YES).pack())
    assert sim.emulator.answered_callbacks  # an alert, not a merge
    assert await row(sim, "email = 'asta@akmene.lt'") == asta_row

    # Asta herself opens it from her own account: bound at once (her first contact).
    asta = sim.user(2001, "Asta", language="lt")
    await asta.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "Sveiki, Asta Jonaitė!" in "\n".join(asta.texts())
    bound = await row(sim, "telegram_id = ?", asta.id)
    assert bound is not None
    assert bound[2:7] == (
        "Asta Jonaitė", "Akmenės r. savivaldybė", "asta@akmene.lt", "socialinė darbuotoja", "A",
    )  # fmt: skip


async def test_a_registered_person_who_confirms_gets_their_invitation(sim: Simulation) -> None:
    event = await add_event(sim)
    petras = sim.user(2002, "Petras")
    await register(sim, petras, event, name="Petras P.", organisation="Mano įstaiga")
    codes = await imported(sim, None)
    await petras.send(f"/start p_{codes['Petras Petraitis']}")
    assert petras.last_text == "This invitation is for P. P., p•••@example.lt. Is it you?"
    person = await sim.db.people.get_participant_by_telegram(petras.id)
    assert person.email is None  # not before the answer
    await petras.press("✅ Yes, it is me")
    assert "The invitation is now yours" in "\n".join(petras.texts())
    person = await sim.db.people.get_participant_by_telegram(petras.id)
    assert (person.name, person.organisation, person.email) == (
        "Petras P.", "Mano įstaiga", "petras@example.lt",
    )  # fmt: skip
    rows = await count_rows(sim.db, "participants", "name LIKE 'Petras%'")
    assert rows == 1  # the imported row merged into his own


async def test_a_link_bound_to_another_account_is_refused_and_organisers_told(
    sim: Simulation, organiser: SimUser
) -> None:
    await organiser.send("/start")  # organisers have a chat with the bot ...
    await organiser.send("/language")  # ... and chose English (else: the default language)
    await organiser.press("🇬🇧 English")
    event = await add_event(sim)
    codes = await imported(sim, event.id)
    asta = sim.user(2001, "Asta")
    await asta.send(f"/start p_{codes['Asta Jonaitė']}")
    owned = await row(sim, "telegram_id = ?", asta.id)

    # A second account, fresh or registered, opens the same link: refused, nothing moves.
    fresh = sim.user(2666, "Mallory")
    await fresh.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "already opened from another Telegram account" in fresh.last_text
    registered = sim.user(2667, "Trudy")
    await register(sim, registered, event, name="Trudy T", organisation="Kita")
    await registered.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "already opened from another Telegram account" in registered.last_text
    assert await row(sim, "telegram_id = ?", asta.id) == owned
    for user in (fresh, registered):
        mine = await row(sim, "telegram_id = ?", user.id)
        assert mine is not None
        assert mine[4:8] == (None, None, None, None)  # no e-mail, role, category or code

    # The organiser sees it once (not once per attempt), and the attempts are counted.
    notices = [t for t in organiser.texts() if "was opened from a second Telegram account" in t]
    assert len(notices) == 1
    assert "Asta Jonaitė" in notices[0]
    assert owned is not None
    counted = await sim.db.database.fetch_one(
        "SELECT attempts FROM personal_link_refusals WHERE participant_id = ?", (owned[0],)
    )
    assert counted is not None
    assert counted[0] == 2


async def test_save_of_an_earlier_edit_never_writes_another_events_draft(
    sim: Simulation, organiser: SimUser
) -> None:
    first = await add_event(sim)
    second = await add_event(sim, **{'slug = "akmene-2027-03"': 'slug = "kita-2027-04"'})
    assert first.id != second.id
    await organiser.send(f"/editevent {first.id}")
    await organiser.press("Title")
    await organiser.send("Pirmojo renginio naujas pavadinimas")
    stale_save = organiser.last  # the preview of event A with its Save button
    await organiser.send(f"/editevent {second.id}")
    await organiser.press("Title")
    await organiser.send("Antrojo renginio naujas pavadinimas")

    # The old Save of event A, pressed now: the draft in hand is B's.
    await organiser.press("💾 Save and tell participants", message_id=stale_save.message_id)
    assert f"belongs to an earlier preview (event #{first.id})" in organiser.last_text
    assert f"is for event #{second.id}. Nothing was saved." in organiser.last_text
    assert (await sim.db.events.get_event(first.id)).title == first.title
    assert (await sim.db.events.get_event(second.id)).title == second.title

    # B's own Save still works.
    await organiser.press("💾 Save and tell participants")
    assert f"Event #{second.id} saved." in organiser.last_text
    assert (await sim.db.events.get_event(second.id)).title == "Antrojo renginio naujas pavadinimas"
    assert (await sim.db.events.get_event(first.id)).title == first.title
