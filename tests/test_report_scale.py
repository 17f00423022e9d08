"""The funder's report at real size keeps the consent's promise and reads well on paper.

A programme of 36 events and 460 participants (tests/report_seed.py), the report asked for
with /report as an organiser does; everything is asserted from the PDF's text (pypdf) and
the XLSX cells: no participant's name anywhere, small organisations merged into "other",
NPS in its own section, every scale labelled, counts explained, headings never alone at
the bottom of a page, the chart on the page of its heading, no justified text, times and
hours on the event table, and the funding block from the settings.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.clock import FakeClock
from bot.sim import Simulation, SimUser
from tests.conftest import ORGANISER_ID
from tests.report_seed import PROGRAMME, Person, seed_programme

STATEMENT = "Bendrai finansuoja Europos Sąjunga"
PROJECT = "PMIF-2025-TI-01-0042"
CHART = "Atsakymų pasiskirstymas (1–5)"
HEADINGS = {
    "Renginiai", "Institucijos", "Apklausa", "Vertinimai (skalė 1–5)",
    "Rekomendavimo indeksas (NPS, skalė 0–10)",
    "Įvertinimas pagal organizacijas", "Komentarai", "Ką patobulinti",
}  # fmt: skip


@pytest.fixture
async def funded(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    """The bot with a funding block (an emblem image, statement and project code)."""
    emblem = tmp_path / "emblem.png"
    Image.new("RGB", (300, 200), (0, 51, 153)).save(emblem)
    settings = {
        "organisation_name": "Socialinių paslaugų priežiūros departamentas",
        "documents": {
            "funding": {"emblem_path": str(emblem), "statement": STATEMENT, "project_code": PROJECT}
        },
    }
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), settings=settings
    ) as running:
        yield running


def flat(text: str) -> str:
    return " ".join(text.split())


def between(text: str, start: str, end: str) -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


async def programme_report(sim: Simulation) -> tuple[bytes, bytes, list[Person]]:
    _, crowd = await seed_programme(sim)
    organiser: SimUser = sim.user(ORGANISER_ID, "Rasa", language="en")
    await organiser.send("/report")
    await organiser.press(f"📚 {PROGRAMME}"[:48])
    pdf, xlsx = organiser.messages[-2].document, organiser.messages[-1].document
    assert pdf.filename.startswith("report-programme-")
    assert pdf.filename.endswith(".pdf")
    return pdf.content, xlsx.content, crowd


async def test_programme_report_of_460_people_keeps_the_consents_promise(
    funded: Simulation,
) -> None:
    pdf, xlsx, crowd = await programme_report(funded)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = flat(" ".join(pages))
    assert len(pages) >= 5

    # In the documents' language (lt), not the organiser's chat language (en).
    assert text.startswith(f"{STATEMENT} {PROJECT} Ataskaita finansuotojui")
    assert reader.pages[0].images, "the emblem is on the first page"

    # Nobody's name, anywhere: not beside a comment, not beside a score.
    assert [p.name for p in crowd if p.name in text] == []
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    cells = {
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    assert [p.name for p in crowd if any(p.name in cell for cell in cells)] == []

    # The counts: 460 asked, 46 left the questionnaire unfinished, 414 completed; n per
    # question counts the unfinished ones' answers too, and the note says so.
    assert "Anketą užpildė 414 iš 460 ją gavusių (90 %)." in text
    assert "ir apima atsakymus iš 46 pradėtų, bet nebaigtų anketų." in text

    # The 1-5 table: each scale labelled, n per question; no NPS row in it.
    ratings = between(text, "Vertinimai (skalė 1–5)", "Atsakymų pasiskirstymas")
    assert "Mokymai apskritai 1 = labai blogai … 5 = puikiai 460" in ratings
    assert "Įgytos žinios 1 = nieko naujo … 5 = labai daug 414" in ratings
    assert "Rekomenduot" not in ratings
    assert "0 =" not in ratings

    # NPS in its own section, with its scale and its four figures.
    nps = between(text, "Rekomendavimo indeksas (NPS, skalė 0–10)", "Įvertinimas pagal")
    assert "Šalininkai (9–10) Neutralūs (7–8) Kritikai (0–6) NPS" in nps
    assert "0 = visai netikėtina … 10 = labai tikėtina 414" in nps

    # By organisation: the ten big ones (40 each) apart; 40 small ones (1-2 respondents
    # each, 60 together) only as "other", and the report says so.
    by_org = between(text, "Įvertinimas pagal organizacijas", "Komentarai")
    assert "parodytos kartu eilutėje „Kitos organizacijos“ (joje 40 organizacijų)" in by_org
    assert "Kitos organizacijos (mažos grupės kartu) 60" in by_org
    assert "Seniūnija" not in by_org
    assert "Akmenės rajono savivaldybės administracija 40" in by_org
    assert "Rezultatai nuasmeninti" in text

    # The event table: time of day in the event's zone, hours, the total.
    events = between(text, "Renginiai", "Institucijos")
    assert "2027 m. kovo 2 d. 10:00–16:00 1. Mokymai rajonui" in events
    assert re.search(r"Iš viso 216 460 460 460 0", events)

    # Headings never end a page (the chart's heading is followed by the chart, which has
    # no text: it is checked by the image on its page); the chart is on its heading's page.
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1].startswith("Puslapis"), lines[-1]
        last = lines[-2]
        if last != CHART:
            assert last not in HEADINGS, f"page {number} ends with the heading {last!r}"
    chart_pages = [i for i, page in enumerate(pages) if CHART in page]
    assert len(chart_pages) == 1
    assert reader.pages[chart_pages[0]].images, "the chart is not on its heading's page"

    # Left-aligned: justified lines are drawn word by word (TJ arrays); none here.
    for pdf_page in reader.pages:
        content = pdf_page.get_contents()
        assert content is not None
        assert b"TJ" not in content.get_data()


async def test_xlsx_carries_the_same_anonymised_figures(funded: Simulation) -> None:
    _, xlsx, _ = await programme_report(funded)
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    assert [row[0] for row in sheets["Įvertinimai"][1:]] == [
        "Mokymai apskritai", "Turinys ir temos", "Įgytos žinios", "Pritaikymas darbe",
        "Lektoriai", "Organizavimas ir vieta",
    ]  # fmt: skip
    nps = sheets["NPS"]
    assert nps[0][:2] == ("Klausimas", "n")
    assert nps[1][1] == 414
    assert sum(nps[1][2:5]) == 414  # promoters + passives + detractors
    orgs = sheets["Pagal organizacijas"]
    assert ("Kitos organizacijos (mažos grupės kartu)", 60) in [row[:2] for row in orgs]
    assert not any("Seniūnija" in str(cell) for row in orgs for cell in row)
    assert sheets["Komentarai"][0] == ("Klausimas", "Komentaras")
    events = sheets["Renginiai"]
    # Start and end as real dates with the time of day (the event's zone), then the hours.
    assert events[0][:5] == ("Pradžia", "Pabaiga", "Renginys", "Vieta", "Val.")
    assert (events[1][0].hour, events[1][0].minute) == (10, 0)
    assert (events[1][1].hour, events[1][1].minute) == (16, 0)
    assert events[1][4] == 6


def ended_by_a_heading(pdf: bytes, headings: set[str]) -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line of text above the page number is a
    heading (the chart's heading counts only where its page has no image)."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        last = lines[-2] if len(lines) > 1 else ""
        if last in headings or (last == CHART and not page.images):
            found.append((number, last))
    return found


async def test_no_heading_is_left_alone_at_the_foot_of_a_page(
    sim: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the length of the tables above them, section headings move to the next
    page with what follows them (swept over 0-35 institution rows, which moves every
    later heading through every position on the page)."""
    from dataclasses import replace

    from bot.documents import report
    from bot.models import InstitutionCount
    from bot.surveys import charts
    from tests.report_seed import enrol, people, programme_events, respond

    events = await programme_events(sim, 1)
    for i, person in enumerate(people(12)):
        pid = await enrol(sim, events[0], person)
        await respond(sim, events[0], pid, person, i)
    base = await report._collect(
        sim.services, events, "lt", title=events[0].title, programme=PROGRAMME,
        is_programme=False,
    )  # fmt: skip
    tr = sim.services.translator
    chart = charts.distribution_chart(base.scores, "lt")  # the same chart every time
    monkeypatch.setattr(report, "distribution_chart", lambda *args, **kwargs: chart)
    for rows in range(0, 36):
        institutions = tuple(InstitutionCount(f"Institucija {i}", 3, 2, 1) for i in range(rows))
        pdf = report.render_pdf(tr, replace(base, institutions=institutions))
        assert ended_by_a_heading(pdf, HEADINGS) == [], f"{rows} institution rows"
