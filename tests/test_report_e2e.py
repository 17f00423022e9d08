"""The funder's report end to end: /report gives a PDF and an XLSX per event and programme."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.clock import FakeClock
from bot.models import Event
from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from tests.conftest import ORGANISER_ID, add_event, register

PROGRAMME = "Savivaldybių kompetencijų didinimas teikiant paslaugas trečiųjų šalių piliečiams"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def answer(
    sim: Simulation, event: Event, telegram_id: int, ratings: dict[str, int], comment: str = ""
) -> None:
    """A completed questionnaire, stored as the survey runner stores it."""
    storage, now = sim.db, sim.clock.now()
    person = await storage.people.get_participant_by_telegram(telegram_id)
    response = await storage.surveys.start_response(
        event.id, person.id, organisation=person.organisation, now=now
    )
    position = 0
    for question, rating in ratings.items():
        position += 1
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question=question, rating=rating, text=None,
            position=position, now=now,
        )  # fmt: skip
    if comment:
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question="improve", rating=None, text=comment,
            position=position + 1, now=now,
        )  # fmt: skip
    await storage.surveys.complete_response(
        response.id, participant_id=person.id, position=position + 1, now=now
    )


async def people(sim: Simulation, organiser: SimUser, event: Event, first_id: int) -> None:
    roster = [
        ("Asta Kazlauskienė", "Akmenės rajono savivaldybės administracija", "✅ Yes"),
        ("Jonas Petrauskas", "Akmenės rajono savivaldybės administracija", "✅ Yes"),
        ("Rūta Butkutė", "Užimtumo tarnyba", "✅ Yes"),
        ("Eglė Urbonienė", "Užimtumo tarnyba", "❌ No"),
    ]
    for offset, (name, organisation, button) in enumerate(roster):
        user = sim.user(first_id + offset, name.split()[0])
        await register(sim, user, event, name=name, organisation=organisation)
        await user.press(button)
    await organiser.send(f"/attendance {event.id}")
    await organiser.press("✅ All who said yes: present")
    await organiser.press("✅ Jonas Petrauskas")  # he did not come


async def test_event_report_in_the_documents_language(sim: Simulation, organiser: SimUser) -> None:
    """The organiser reads the bot in English; the report is in [documents] language
    (Lithuanian by default), the funder's, and names nobody beside a comment or score."""
    event = await add_event(sim)
    await people(sim, organiser, event, 2000)
    await lifecycle.ensure_survey(sim.services, event.id)
    await answer(sim, event, 2000, {"overall": 5, "content": 4, "knowledge": 5},
                 "Daugiau praktinių užduočių")  # fmt: skip
    await answer(sim, event, 2002, {"overall": 4, "content": 4, "knowledge": 4, "recommend": 9})

    await organiser.send(f"/report {event.id}")
    pdf, xlsx = organiser.messages[-2], organiser.messages[-1]
    assert pdf.document.filename == f"report-event-{event.id}.pdf"
    assert xlsx.document.filename == f"report-event-{event.id}.xlsx"

    text = pdf_text(pdf.document.content)
    assert "Ataskaita finansuotojui" in text
    assert "Mokymai Akmenės rajonui: trečiųjų šalių piliečių integracija" in text
    assert f"Programa: {PROGRAMME}" in text
    # Date, time of day in the event's zone, place, hours (10:00-16:00 = 6), then invited 4,
    # said yes 3, present 2 (none without a yes).
    assert "2027 m. kovo 9 d. 10:00–16:00 Mokymai Akmenės rajonui" in text
    assert "L. Petravičiaus a. 2, Naujoji Akmenė, Didžioji salė, II aukštas 6 4 3 2 0" in text
    assert "Akmenės rajono savivaldybės administracija 2 2 1" in text
    assert "Užimtumo tarnyba 2 1 1" in text
    assert "Anketą užpildė 2 iš 2 ją gavusių (100 %)" in text
    # Overall = mean of the question means: overall 4.5, content 4, knowledge 4.5.
    assert "Bendras įvertinimas: 4,33 iš 5 (3 vertinimo klausimų vidurkis)" in text
    assert "Mokymai apskritai 1 = labai blogai … 5 = puikiai 2 4,50 4,50 100 %" in text
    # The 0-10 question is not in the 1-5 table but in its own section.
    ratings = text.split("Vertinimai (skalė 1–5)")[1].split("Rekomendavimo indeksas")[0]
    assert "Rekomenduotų" not in ratings
    assert (
        "Rekomenduotų kolegai 0 = visai netikėtina … 10 = labai tikėtina 1 1 (100 %) 0 (0 %) "
        "0 (0 %) +100" in text
    )
    # Two respondents from two organisations: too few to show any organisation apart.
    assert "2 atsakiusiųjų iš organizacijų, kuriose atsakiusiųjų mažiau nei 3" in text
    assert "• Daugiau praktinių užduočių" in text
    for name in ("Asta Kazlauskienė", "Jonas Petrauskas", "Rūta Butkutė"):
        assert name not in text
    assert "Puslapis 1 iš" in text

    book = load_workbook(io.BytesIO(xlsx.document.content), read_only=True)
    assert book.sheetnames == [
        "Santrauka",
        "Renginiai",
        "Institucijos",
        "Įvertinimai",
        "NPS",
        "Pagal organizacijas",
        "Komentarai",
    ]
    summary = {row[0]: row[1] for row in book["Santrauka"].iter_rows(values_only=True)}
    assert summary["Pakviesta"] == 4
    assert summary["Dalyvavo"] == 2
    assert summary["Bendras įvertinimas (1–5)"] == 4.33
    comments = list(book["Komentarai"].iter_rows(values_only=True))
    assert comments[1][1] == "Daugiau praktinių užduočių"


@pytest.fixture
async def english_documents(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    """A bot whose documents are in English ([documents] language = "en")."""
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,),
        settings={"documents": {"language": "en"}},
    ) as running:  # fmt: skip
        yield running


async def test_programme_report_merges_events_and_anonymises_comments(
    english_documents: Simulation,
) -> None:
    sim = english_documents
    organiser = sim.user(ORGANISER_ID, "Rasa", language="en")
    first = await add_event(sim)
    second = await add_event(
        sim,
        **{
            'slug = "akmene-2027-03"': 'slug = "joniskis-2027-04"',
            'title = "Mokymai Akmenės rajonui': 'title = "Mokymai Joniškio rajonui',
            "starts = 2027-03-09T10:00:00": "starts = 2027-04-13T10:00:00",
            "rsvp_deadline = 2027-03-05T18:00:00": "rsvp_deadline = 2027-04-10T18:00:00",
        },
    )
    await people(sim, organiser, first, 2000)
    await people(sim, organiser, second, 2100)
    for event in (first, second):
        survey = await lifecycle.ensure_survey(sim.services, event.id)
        await sim.db.surveys.replace_survey(
            event.id, template=survey.template, definition=survey.definition, anonymous=True,
            now=sim.clock.now(),
        )  # fmt: skip
    await answer(sim, first, 2000, {"overall": 5}, "Puiki lektorė")
    await answer(sim, second, 2100, {"overall": 3}, "Per trumpa pertrauka")

    await organiser.send("/report")
    assert f"📚 {PROGRAMME}"[:48] in organiser.buttons()
    await organiser.press(f"📚 {PROGRAMME}"[:48])
    pdf, xlsx = organiser.messages[-2], organiser.messages[-1]
    assert pdf.document.filename.startswith("report-programme-")
    text = pdf_text(pdf.document.content)
    assert "Report to the funder" in text
    assert "Mokymai Akmenės rajonui" in text
    assert "Mokymai Joniškio rajonui" in text
    assert "Total 12 8 6 4 0" in text  # 2 x 6 hours
    assert "Akmenės rajono savivaldybės administracija 4 4 2" in text
    assert "Responses: 2 completed of 4 asked (50%)." in text
    assert "Overall score: 4.00 of 5" in text
    assert "The results are anonymised" in text
    assert "• Puiki lektorė" in text
    assert "• Per trumpa pertrauka" in text
    assert "Asta" not in text.split("Comments")[-1]  # no names next to the comments
    # Two respondents in all: no organisation can be shown apart, even merged.
    assert "The answers of 2 respondents from organisations with fewer than 3" in text

    book = load_workbook(io.BytesIO(xlsx.document.content), read_only=True)
    events = list(book["Events"].iter_rows(values_only=True))
    # Start and end as dates, then the title; the total is set apart after a blank row.
    assert [row[2] if row else None for row in events[1:]] == [
        first.title, second.title, None, "Total",
    ]  # fmt: skip
    comments = list(book["Comments"].iter_rows(values_only=True))
    assert comments[0] == ("Question", "Comment")  # no author column
    assert sorted(row[1] for row in comments[1:]) == ["Per trumpa pertrauka", "Puiki lektorė"]


async def test_report_from_the_attendance_screen_and_no_answers(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    sim.clock.set(datetime.fromisoformat("2027-03-10T09:00:00+02:00"))
    await organiser.send(f"/attendance {event.id}")
    assert "Nobody has answered or checked in yet." in organiser.last_text
    await organiser.press("📊 Report")
    text = pdf_text(organiser.messages[-2].document.content)
    assert "Anketą užpildė 0 iš 0 ją gavusių (—)." in text
    assert "Atsakymų dar nėra." in text
    assert "Institucijos Nėra." in text
    assert "Rekomendavimo indeksas" not in text  # no NPS section without answers
