"""Personal invitation links and participant lists in chat, through the real bot."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from bot.invitations import new_codes, parse_rows, read_table
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows, rsvp_status

LIST = (
    "name,email,organisation,role\n"
    "Asta Jonaitė,asta@akmene.lt,Akmenės r. savivaldybė,socialinė darbuotoja\n"
    "Petras Petraitis,petras@example.lt,Užimtumo tarnyba,\n"
)


async def imported(sim: Simulation, event_id: int | None) -> dict[str, str]:
    """Import LIST as the CLI would; name -> personal code."""
    rows = parse_rows(read_table("list.csv", LIST.encode()))
    await sim.db.invitations.import_participants(
        rows, codes=new_codes(len(rows)), event_id=event_id, now=sim.clock.now()
    )
    found = await sim.db.database.fetch_all("SELECT name, personal_code FROM participants")
    return {r[0]: r[1] for r in found}


async def test_personal_link_binds_the_account_and_skips_name_and_organisation(
    sim: Simulation,
) -> None:
    event = await add_event(sim)
    codes = await imported(sim, event.id)
    asta = sim.user(2001, "Asta", language="lt")
    await asta.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "Sveiki, Asta Jonaitė! Tai Jūsų asmeninis kvietimas." in asta.texts()[-2]
    assert asta.buttons() == [sim.services.t("lt", "btn-consent")]  # consent is still asked
    await asta.press(sim.services.t("lt", "btn-consent"))
    texts = asta.texts()
    assert "Asta Jonaitė" in texts[-2]  # registered: no questions about name or organisation
    assert "Mokymai Akmenės rajonui" in asta.last_text
    await asta.press(sim.services.t("lt", "btn-yes"))

    rows = await sim.db.database.fetch_all(
        "SELECT id, telegram_id, name, organisation, email, personal_code FROM participants "
        "WHERE email = 'asta@akmene.lt'"
    )
    assert len(rows) == 1
    person_id, telegram_id, name, organisation, _, code = rows[0]
    assert (telegram_id, name, organisation, code) == (
        2001, "Asta Jonaitė", "Akmenės r. savivaldybė", codes["Asta Jonaitė"],
    )  # fmt: skip
    assert await count_rows(sim.db, "participants", "telegram_id IS NULL") == 1
    invited = await sim.db.database.fetch_all(
        "SELECT event_id FROM invitations WHERE participant_id = ?", (person_id,)
    )
    assert [r[0] for r in invited] == [event.id]
    assert await rsvp_status(sim.db, person_id) == "yes"

    # Opening it again is harmless; from another account it is refused, nothing changes.
    await asta.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "Mokymai Akmenės rajonui" in asta.last_text
    mallory = sim.user(2666, "Mallory")
    await mallory.send(f"/start p_{codes['Asta Jonaitė']}")
    assert "already opened from another Telegram account" in mallory.last_text
    await mallory.send("/start p_unknownCode123")
    assert "invitation link is not valid" in mallory.last_text
    owner = await sim.db.database.scalar(
        "SELECT telegram_id FROM participants WHERE personal_code = ?", (codes["Asta Jonaitė"],)
    )
    assert owner == 2001


async def test_a_registered_person_keeps_what_they_entered(sim: Simulation) -> None:
    event = await add_event(sim)
    petras = sim.user(2002, "Petras")
    await register(sim, petras, event, name="Petras P.", organisation="Mano įstaiga")
    codes = await imported(sim, None)
    await petras.send(f"/start p_{codes['Petras Petraitis']}")
    assert "Is it you?" in petras.last_text  # registered: asked before anything merges
    await petras.press("✅ Yes, it is me")
    assert "Hello, Petras P.!" in petras.texts()[-2]
    person = await sim.db.people.get_participant_by_telegram(2002)
    assert (person.name, person.organisation, person.email) == (
        "Petras P.", "Mano įstaiga", "petras@example.lt",
    )  # fmt: skip
    assert "Mokymai Akmenės rajonui" in petras.last_text  # the event he was invited to


async def test_organiser_uploads_a_list_then_gets_links_and_qr_codes(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    bad = LIST + ",nobody@example.lt,Org,\nAsta again,ASTA@akmene.lt,Org,\n"
    await organiser.send_document("list.csv", bad.encode(), "text/csv")
    assert organiser.last_text.splitlines() == [
        "Nothing was imported: the list has 2 problems. Please correct them and send the "
        "file again.",
        "Row 4: the name is missing.",
        "Row 5: the e-mail asta@akmene.lt is already on row 2.",
    ]
    assert await count_rows(sim.db, "participants") == 0

    await organiser.send_document("list.csv", LIST.encode(), "text/csv")
    assert "The list has 2 people: 2 new, 0 already known" in organiser.last_text
    await organiser.press(next(b for b in organiser.buttons() if b.startswith(f"#{event.id}")))
    documents = [m for m in organiser.messages if m.document is not None]
    assert "Imported: 2 new, 0 updated; 2 newly invited." in organiser.texts()[-3]
    xlsx, kit = documents[-2].document, documents[-1].document
    assert (xlsx.filename, kit.filename) == ("personal-links.xlsx", "personal-links.zip")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "Asta Jonaitė"
    assert sheet["F2"].value.startswith("https://t.me/kvietimas_test_bot?start=p_")
    names = zipfile.ZipFile(io.BytesIO(kit.content)).namelist()
    assert len([n for n in names if n.startswith("qr/")]) == 2
    invited = await count_rows(
        sim.db, "invitations", "event_id = ? AND source = 'import'", (event.id,)
    )
    assert invited == 2

    await organiser.send(f"/personal {event.id}")
    assert organiser.messages[-1].document.filename == "personal-links.zip"
    # A participant's file is not an import.
    stranger = sim.user(2700, "Stranger")
    await stranger.send_document("list.csv", LIST.encode(), "text/csv")
    assert "I work mostly with buttons" in stranger.last_text
