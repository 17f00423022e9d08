"""The organiser decides how certificates are written (language, English added, hours),
from chat or from the event file; each certificate keeps one registration number; a name
no font can print is reported to the organiser, never silently blank."""

from __future__ import annotations

import re

from bot.sim import Simulation, SimUser
from tests.conftest import add_event
from tests.test_certificate_e2e import AFTER_END, attendee, mark_all_yes_present, pdf_text

CERT_TABLE = """
[certificate]
language = "lt"
bilingual = true
academic_hours = 8
hours_precision = 1
"""


async def test_organiser_sets_language_and_hours_in_chat_participant_gets_lithuanian(
    sim: Simulation, organiser: SimUser
) -> None:
    sim.services.settings.documents.language = "en"  # the default the organiser overrides
    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    await organiser.press("⚙️ Settings")
    assert "📄 Certificate language: English" in organiser.last_text
    assert "⏱ Duration on the certificate: 6 hours (from the event's times)" in (
        organiser.last_text
    )
    await organiser.press("Lithuanian")
    await organiser.press("Academic hours (45 min)")
    await organiser.press("1 decimal")
    assert "📄 Certificate language: Lithuanian" in organiser.last_text
    assert "⏱ Duration on the certificate: 8 academic hours" in organiser.last_text
    stored = await sim.db.attendance.attendance_settings(event.id)
    assert (stored.cert_language, stored.cert_hours_unit.value, stored.cert_hours_precision) == (
        "lt", "academic", 1,
    )  # fmt: skip

    sim.clock.set(AFTER_END)
    await sim.tick()
    text = pdf_text(alice.last.document.content)
    assert "DALYVAVIMO PAŽYMĖJIMAS" in text  # her chat is English; the document is not
    assert "CERTIFICATE OF ATTENDANCE" not in text
    assert "Trukmė: 8 akad. val." in text
    assert "Verification code" in alice.last_text  # the caption speaks her language
    number = re.search(r"Reg\. Nr\. (KV-2027-\d{6})", text)
    assert number is not None

    # Re-sent: the same page, the same registration number, stored once.
    await alice.send("/certificate")
    assert pdf_text(alice.last.document.content) == text
    person = await sim.db.people.get_participant_by_telegram(2003)
    stored_cert = await sim.db.documents.certificate_for(event.id, person.id)
    assert stored_cert is not None
    assert stored_cert.reg_number == number.group(1)
    assert stored_cert.doc_language == "lt"
    assert stored_cert.language == "en"

    # A later change of the event's choices does not rewrite an issued document.
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("⚙️ Settings")
    await organiser.press("English")
    await alice.send("/certificate")
    assert pdf_text(alice.last.document.content) == text


async def test_the_event_file_sets_a_bilingual_page_with_declared_hours(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim, **{"[place]": CERT_TABLE.strip() + "\n\n[place]"})
    olena = await attendee(sim, organiser, event, 2002, name="Олена Ковальчук",
                           organisation="Київська міська бібліотека", lang="uk")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    text = pdf_text(olena.last.document.content)
    assert "DALYVAVIMO PAŽYMĖJIMAS" in text
    assert "CERTIFICATE OF ATTENDANCE" in text
    assert "Trukmė / Duration: 8 akad. val. / 8 academic hours" in text
    assert "„Mokymai Akmenės rajonui: trečiųjų šalių piliečių integracija“" in text
    assert "Код перевірки" in olena.last_text


async def test_registration_numbers_are_a_sequence_without_gaps_or_repeats(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    people = [
        await attendee(
            sim,
            organiser,
            event,
            2100 + i,
            name=f"Asmuo Nr{i}",
            organisation="Biblioteka",
            lang="lt",
        )
        for i in range(3)
    ]
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    await sim.tick()
    numbers = sorted(
        c.reg_number or "" for c in await sim.db.documents.event_certificates(event.id)
    )
    assert numbers == ["KV-2027-000001", "KV-2027-000002", "KV-2027-000003"]
    for person in people:
        await person.send("/certificate")
    again = sorted(c.reg_number or "" for c in await sim.db.documents.event_certificates(event.id))
    assert again == numbers


async def test_the_organiser_is_told_which_certificate_cannot_print_a_name(
    sim: Simulation, organiser: SimUser
) -> None:
    documents = sim.services.settings.documents
    documents.system_fallback_fonts = False  # no font for Chinese on this deployment
    documents.fallback_fonts = []
    event = await add_event(sim)
    wang = await attendee(sim, organiser, event, 2005, name="王小明",
                          organisation="Vilniaus universitetas", lang="en")  # fmt: skip
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("▫️ 王小明")
    await organiser.press("🎓 Send certificates now")
    assert organiser.last_text.startswith("🎓 Certificates are on their way to 1 person.")
    assert "⚠️ Certificate KV-2027-000001 (王小明, “Mokymai Akmenės rajonui" in (organiser.last_text)
    assert "could not print these letters: 小 明 王" in organiser.last_text
    assert wang.last.kind == "document"  # the certificate still goes out

    # Sent by the scheduler: the organisers get the notice through the outbox, once.
    ona = await attendee(sim, organiser, event, 2006, name="अनीता शर्मा",
                         organisation="Tbilisi", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    await sim.tick()
    assert ona.last.kind == "document"
    notices = [m for m in organiser.messages if "अनीता शर्मा" in (m.text or "")]
    assert len(notices) == 1
    # (an organiser without a participant row is written to in the default language)
    assert notices[0].text.startswith("⚠️ Pažymėjime KV-2027-000002 (अनीता शर्मा, „Mokymai")
    assert "nepavyko išspausdinti šių raidžių" in notices[0].text


async def test_with_a_fallback_font_the_name_prints_and_nobody_is_warned(
    sim: Simulation, organiser: SimUser
) -> None:
    from tests.test_certificate_layout import CJK_NAME, _font_for

    font = _font_for(CJK_NAME)
    if font is None:
        import pytest

        pytest.skip("no CJK font on this machine (apt-get install fonts-droid-fallback)")
    documents = sim.services.settings.documents
    documents.system_fallback_fonts = False
    documents.fallback_fonts = [font]
    event = await add_event(sim)
    wang = await attendee(sim, organiser, event, 2005, name=CJK_NAME,
                          organisation="Vilniaus universitetas", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    assert CJK_NAME in pdf_text(wang.last.document.content)
    assert not any("⚠️ Certificate" in (m.text or "") for m in organiser.messages)


async def test_only_organisers_change_certificate_settings(
    sim: Simulation, organiser: SimUser
) -> None:
    from bot.attendance import AttAction, AttendancePress

    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    for action, arg in ((AttAction.CERT_LANG, 3), (AttAction.CERT_BILINGUAL, 1),
                        (AttAction.CERT_UNIT, 1), (AttAction.CERT_PRECISION, 0)):  # fmt: skip
        await alice.press_data(AttendancePress(action, event.id, arg).pack())
    stored = await sim.db.attendance.attendance_settings(event.id)
    assert (stored.cert_language, stored.cert_bilingual, stored.cert_hours_precision) == (
        None, None, None,
    )  # fmt: skip
    assert stored.cert_hours_unit.value == "hours"
    # Out-of-range values from a forged organiser button are refused too.
    await organiser.send(f"/attendance {event.id}")
    await organiser.press_data(AttendancePress(AttAction.CERT_PRECISION, event.id, 7).pack())
    await organiser.press_data(AttendancePress(AttAction.CERT_LANG, event.id, 9).pack())
    stored = await sim.db.attendance.attendance_settings(event.id)
    assert stored.cert_hours_precision is None
    assert stored.cert_language is None


async def test_event_file_certificate_and_programme_keys_are_validated(
    sim: Simulation,
) -> None:
    import pytest

    from bot.events import EventInputError

    bad = {
        'language = "de"': "certificate.language",
        "hours = 6\nacademic_hours = 8": "certificate.academic_hours",
        "hours = -1": "certificate.hours",
        "hours_precision = 3": "certificate.hours_precision",
        "bilingual = 1": "certificate.bilingual",
        "colour = 1": "certificate.colour",
    }
    for line, field in bad.items():
        with pytest.raises(EventInputError) as caught:
            await add_event(sim, **{"[place]": f"[certificate]\n{line}\n\n[place]"})
        assert caught.value.args_["field"] == field

    programme = (
        '[programme]\ntitle = "Savivaldybių kompetencijos"\ncertificate_language = "en"\n'
        'funding_statement = "Co-funded by the European Union"\nproject_code = "PMIF-1"\n'
    )
    source = (
        sim_example()
        .replace('programme = "Savivaldybių kompetencijų didinimas teikiant paslaugas trečiųjų '
                 'šalių piliečiams"\n', "")
        .replace("[place]", programme + "\n[place]")
    )  # fmt: skip
    event = await add_event(sim, source)
    assert event.programme_title == "Savivaldybių kompetencijos"
    assert event.programme_id is not None
    documents = await sim.db.documents.programme_documents(event.programme_id)
    assert documents is not None
    assert (documents.cert_language, documents.funding_statement, documents.project_code) == (
        "en", "Co-funded by the European Union", "PMIF-1",
    )  # fmt: skip


def sim_example() -> str:
    from tests.conftest import EXAMPLE_EVENT

    return EXAMPLE_EVENT.read_text(encoding="utf-8")


async def test_organiser_types_the_declared_hours(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("⚙️ Settings")
    await organiser.press("✏️ Type the number of hours")
    assert organiser.last_text.startswith("How many hours should the certificate state?")
    await organiser.send("seven")
    assert organiser.last_text.startswith("That is not a number of hours (0 to 1,000)")
    await organiser.send("7,5")
    assert "⏱ Duration on the certificate: 7.5 hours" in organiser.last_text
    assert "(from the event's times)" not in organiser.last_text
    assert (await sim.db.attendance.attendance_settings(event.id)).cert_hours == 7.5
    await organiser.press("✏️ Type the number of hours")
    await organiser.send("0")
    assert "⏱ Duration on the certificate: 6 hours (from the event's times)" in (
        organiser.last_text
    )
    assert (await sim.db.attendance.attendance_settings(event.id)).cert_hours is None
