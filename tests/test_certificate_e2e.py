"""Certificates end to end: sent after the event, read back from the PDF, resent, verified."""

from __future__ import annotations

import io
import re
from datetime import datetime

from pypdf import PdfReader

from bot.models import Event
from bot.sim import Simulation, SimUser
from tests.conftest import add_event, register
from tests.dbcheck import count_rows

AFTER_END = datetime.fromisoformat("2027-03-09T16:05:00+02:00")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


async def attendee(
    sim: Simulation,
    organiser: SimUser,
    event: Event,
    user_id: int,
    *,
    name: str,
    organisation: str,
    lang: str,
) -> SimUser:
    user = sim.user(user_id, name.split()[0], language=lang)
    await register(sim, user, event, name=name, organisation=organisation, lang=lang)
    await user.press(sim.services.t(lang, "btn-yes"))
    return user


async def mark_all_yes_present(organiser: SimUser, event: Event) -> None:
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("✅ All who said yes: present")


async def test_certificates_go_to_those_present_after_the_event(
    sim: Simulation, organiser: SimUser
) -> None:
    sim.services.settings.organisation_name = "Socialinių paslaugų priežiūros departamentas"
    event = await add_event(sim)
    mindaugas = await attendee(sim, organiser, event, 2001, name="Mindaugas Žukauskas",
                               organisation="Akmenės rajono savivaldybės administracija",
                               lang="lt")  # fmt: skip
    olena = await attendee(sim, organiser, event, 2002, name="Олена Ковальчук",
                           organisation="Київська міська бібліотека", lang="uk")  # fmt: skip
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    absent = await attendee(sim, organiser, event, 2004, name="Bob Jones",
                            organisation="Nobody Ltd", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    await organiser.press("✅ Bob Jones")  # Bob did not come after all

    await sim.tick()  # before the end: nothing
    assert mindaugas.last.kind != "document"

    sim.clock.set(AFTER_END)
    await sim.tick()
    await sim.tick()  # a second pass sends nothing twice
    lt_doc = mindaugas.last.document
    assert lt_doc.filename.startswith("certificate-")
    assert lt_doc.filename.endswith(".pdf")
    text = pdf_text(lt_doc.content)
    assert "DALYVAVIMO PAŽYMĖJIMAS" in text
    assert "Pažymima, kad Mindaugas Žukauskas" in text
    assert "Akmenės rajono savivaldybės administracija" in text
    assert "Mokymai Akmenės rajonui: trečiųjų šalių piliečių integracija" in text
    assert "Programa: Savivaldybių kompetencijų didinimas teikiant paslaugas" in text
    assert "Data: 2027 m. kovo 9 d." in text  # a document's date: no weekday
    assert "antradienis" not in text
    assert "Vieta: L. Petravičiaus a. 2, Naujoji Akmenė, Didžioji salė, II aukštas" in text
    assert "Trukmė: 6 val." in text
    assert "Socialinių paslaugų priežiūros departamentas" in text
    assert "Išduota 2027 m. kovo 9 d." in text
    assert re.search(r"Reg\. Nr\. KV-2027-\d{6}", text)
    code = re.search(r"Patikros kodas: ([A-Z0-9-]{14})", text)
    assert code is not None
    assert f"Patikros kodas: {code.group(1)}" in mindaugas.last_text  # the caption

    # The organisation's language, not the holder's chat language: Lithuanian for all,
    # while the caption speaks to each in their own language.
    uk_text = pdf_text(olena.last.document.content)
    assert "DALYVAVIMO PAŽYMĖJIMAS" in uk_text
    assert "Олена Ковальчук" in uk_text
    assert "Київська міська бібліотека" in uk_text
    assert "Код перевірки" in olena.last_text

    en_text = pdf_text(alice.last.document.content)
    assert "DALYVAVIMO PAŽYMĖJIMAS" in en_text
    assert "Pažymima, kad Alice Smith" in en_text
    assert "Užimtumo tarnyba" in en_text
    assert "Verification code" in alice.last_text

    assert all(m.kind != "document" for m in absent.messages)
    assert await count_rows(sim.db, "outbox", "dedup_key LIKE 'cert%'") == 3

    # /certificate sends the same certificate again.
    await alice.send("/certificate")
    assert pdf_text(alice.last.document.content) == en_text
    await absent.send("/certificate")
    assert absent.last_text.startswith("You have no certificates yet.")


async def test_verification_confirms_genuine_codes_and_refuses_forged_ones(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    code = re.search(r"Verification code: ([A-Z0-9-]{14})", alice.last_text).group(1)
    assert f"start=v_{code}" in pdf_text(alice.last.document.content).replace(" ", "")

    employer = sim.user(7000, "HR", language="en")
    await employer.send(f"/start v_{code}")
    answer = employer.last_text
    assert answer.startswith(f"✅ Genuine certificate {code}")
    assert "Alice Smith, Užimtumo tarnyba" in answer
    assert "attended “Mokymai Akmenės rajonui" in answer
    assert "Tuesday, March 9, 2027 (6 hours)" in answer
    assert "(reg. no. KV-2027-000001)" in answer

    forged = "ABCD-EFGH-JKMN" if code != "ABCD-EFGH-JKMN" else "ABCD-EFGH-JKMP"
    await employer.send(f"/start v_{forged}")
    assert employer.last_text == (
        f"❌ There is no certificate with the code {forged}. It may be mistyped or forged."
    )
    await employer.send(f"/start v_{code.lower()}")  # typed by hand in lower case
    assert employer.last_text.startswith("✅ Genuine certificate")


async def test_certificate_after_the_questionnaire(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    await organiser.press("⚙️ Settings")
    await organiser.press("… after the questionnaire")
    assert "sent to those present once they complete the questionnaire" in organiser.last_text

    sim.clock.set(AFTER_END)
    await sim.tick()
    assert all(m.kind != "document" for m in alice.messages)
    await alice.send("/certificate")
    assert "as soon as you have completed the questionnaire" in alice.last_text

    # She completes the questionnaire (as the survey runner records it).
    person = await sim.db.people.get_participant_by_telegram(2003)
    response = await sim.db.surveys.start_response(
        event.id, person.id, organisation="Užimtumo tarnyba", now=sim.clock.now()
    )
    await sim.db.surveys.complete_response(
        response.id, participant_id=person.id, position=1, now=sim.clock.now()
    )
    await sim.tick()
    assert "DALYVAVIMO PAŽYMĖJIMAS" in pdf_text(alice.last.document.content)


async def test_organiser_issues_certificates_by_hand(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("🎓 Send certificates now")
    assert organiser.last_text.startswith("Nobody is waiting for a certificate")
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("▫️ Alice Smith")
    await organiser.press("🎓 Send certificates now")  # before the end, on purpose
    assert organiser.last_text == "🎓 Certificates are on their way to 1 person."
    assert "Pažymima, kad Alice Smith" in pdf_text(alice.last.document.content)
    sim.clock.set(AFTER_END)
    await sim.tick()  # she has hers already: nothing more
    assert sum(1 for m in alice.messages if m.kind == "document") == 1


async def test_a_forgotten_holders_certificate_stays_genuine_without_the_name(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    alice = await attendee(sim, organiser, event, 2003, name="Alice Smith",
                           organisation="Užimtumo tarnyba", lang="en")  # fmt: skip
    await mark_all_yes_present(organiser, event)
    sim.clock.set(AFTER_END)
    await sim.tick()
    code = re.search(r"Verification code: ([A-Z0-9-]{14})", alice.last_text).group(1)
    await alice.send("/forget")
    await alice.press("🗑 Yes, delete my data")
    employer = sim.user(7000, "HR", language="en")
    await employer.send(f"/start v_{code}")
    assert employer.last_text.startswith(f"✅ Genuine certificate {code} for “Mokymai")
    assert "personal data has been erased at their request" in employer.last_text
    assert "Alice" not in employer.last_text
