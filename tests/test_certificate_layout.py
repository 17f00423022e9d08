"""The certificate page: nothing overlaps, is cut or leaves the page at any length (read
back from the PDF's text positions), hours are rounded half up in the language's form,
dates carry no weekday, and names in other scripts print or are reported."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf import PdfReader

from bot.config import DocumentSettings, FundingSettings
from bot.documents import (
    FONT,
    FundingBlock,
    add_fonts,
    document_date,
    fallback_fonts,
    font_coverage,
    format_hours,
    funding_block,
    missing_letters,
    round_hours,
)
from bot.documents.certificates import Box, CertificateData, LocalTexts, Rendered, render
from bot.i18n import Translator
from bot.models import ProgrammeDocuments

MM = 72 / 25.4  # points per mm
FRAME = 13 * MM  # the inner frame
LONG_TITLE = (
    "Mokymai savivaldybių administracijų, socialinių paslaugų centrų, bibliotekų ir užimtumo "
    "tarnybos darbuotojams: trečiųjų šalių piliečių integracija, prieglobsčio procesai, "
    "duomenys, tarptautinė patirtis, lyčių lygybės aspektai ir atvejų analizė praktikoje, "
    "II srautas"
)
LONG_NAME = "Aleksandra-Konstancija Kazlauskaitė-Vaitkevičienė"
LONG_ORGANISATION = (
    "Akmenės rajono savivaldybės administracijos Socialinės paramos ir sveikatos skyriaus "
    "Vaikų teisių apsaugos ir įvaikinimo poskyris"
)
LONG_PROGRAMME = (
    "Savivaldybių kompetencijų didinimas teikiant paslaugas trečiųjų šalių piliečiams "
    "(Prieglobsčio, migracijos ir integracijos fondo 2021–2027 m. programa, projektas "
    "Nr. PMIF-2021-SO2-01-0042)"
)
LONG_PLACE = (
    "L. Petravičiaus a. 2, Naujoji Akmenė, Akmenės rajono savivaldybės administracijos "
    "pastatas, Didžioji konferencijų salė, II aukštas, įėjimas iš kiemo pusės"
)
LONG_ORGANISER = (
    "Socialinių paslaugų priežiūros departamentas prie Socialinės apsaugos ir darbo ministerijos"
)


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Translator("lt")


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("images")
    emblem, signature = folder / "emblem.png", folder / "signature.png"
    image = Image.new("RGB", (600, 130), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 190, 130), fill=(0, 51, 153))
    image.save(emblem)
    image = Image.new("RGBA", (400, 120), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 100), (100, 20), (200, 90), (390, 30)], "navy", 6)
    image.save(signature)
    return emblem, signature


def certificate(*, long: bool, bilingual: bool = False, **changes: object) -> CertificateData:
    place = LONG_PLACE if long else "L. Petravičiaus a. 2, Naujoji Akmenė"
    texts = {
        "lt": LocalTexts("2027 m. kovo 9 d.", place, "6 akad. val.", "2027 m. kovo 9 d."),
        "en": LocalTexts("9 March 2027", place, "6 academic hours", "9 March 2027"),
    }
    data = CertificateData(
        code="K7QD-M2XP-9TRA",
        reg_number="KV-2027-000123",
        name=LONG_NAME if long else "Mindaugas Žukauskas",
        organisation=LONG_ORGANISATION if long else "Užimtumo tarnyba",
        title=LONG_TITLE if long else "Mokymai Akmenės rajonui",
        programme=LONG_PROGRAMME if long else "Savivaldybių kompetencijos",
        organiser=LONG_ORGANISER if long else "Departamentas",
        verify_url="https://t.me/kvietimas_bot?start=v_K7QD-M2XP-9TRA",
        language="lt",
        texts=texts,
        second="en" if bilingual else None,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


# -- reading the page back ---------------------------------------------------------------------


class Run:
    """One line of text as placed in the PDF (points, origin bottom left)."""

    def __init__(self, text: str, x: float, y: float, size: float, font: str) -> None:
        self.text, self.x, self.y, self.size, self.font = text, x, y, size, font
        self.width = measure(text, size, font)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1: from the descender to the top of the capitals and accents."""
        return (self.x, self.y - 0.21 * self.size, self.x + self.width, self.y + 0.76 * self.size)

    def __repr__(self) -> str:
        return f"{self.text[:40]!r}@({self.x:.0f},{self.y:.0f},{self.size:.1f})"


_MEASURE = FPDF(unit="pt")
add_fonts(_MEASURE)


def measure(text: str, size: float, font: str) -> float:
    style = "B" if "Bold" in font else "I" if "Oblique" in font else ""
    if "DejaVu" not in font:  # a fallback font: wide (CJK) letters at most one em each
        return len(text) * size
    _MEASURE.set_font(FONT, style, size)
    return float(_MEASURE.get_string_width(text))


def runs_of(content: bytes) -> list[Run]:
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1, "the certificate is one page"
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            runs.append(Run(text.strip("\n"), tm[4] + cm[4], tm[5] + cm[5], size, name))

    reader.pages[0].extract_text(visitor_text=visit)
    return runs


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def in_points(box: Box, page_h: float) -> tuple[float, float, float, float]:
    return (box.x * MM, page_h - (box.y + box.h) * MM, (box.x + box.w) * MM, page_h - box.y * MM)


def assert_clean_layout(result: Rendered, expected: list[str]) -> list[Run]:
    runs = runs_of(result.pdf)
    width, height = 297 * MM, 210 * MM
    for run in runs:
        x0, y0, x1, y1 = run.box
        assert FRAME <= x0 <= x1 <= width - FRAME, f"{run} leaves the frame sideways"
        assert FRAME <= y0 <= y1 <= height - FRAME, f"{run} leaves the frame"
    for i, a in enumerate(runs):
        for b in runs[i + 1 :]:
            assert not overlap(a.box, b.box), f"{a} collides with {b}"
    pictures = [b for b in result.boxes if b.what in ("qr", "signature")]
    for picture in pictures:
        for run in runs:
            assert not overlap(run.box, in_points(picture, height)), f"{run} on the {picture.what}"
    funding = [b for b in result.boxes if b.what == "funding"]
    body = [b for b in result.boxes if b.what not in ("funding", "qr", "signature")]
    for block in body:
        for top in funding:
            assert block.y >= top.y + top.h, f"{block.what} runs into the funding block"
    # Nothing cut: every word of every text is on the page.
    words = " ".join(r.text for r in runs).split()
    for text in expected:
        for word in text.split():
            assert word in words or any(word in w for w in words), f"{word!r} is missing"
    return runs


def variants(images: tuple[Path, Path]) -> Iterator[tuple[str, dict[str, object]]]:
    emblem, signature = images
    funding = FundingBlock(emblem, "Bendrai finansuoja Europos Sąjunga", "PMIF-2021-SO2-01-0042")
    signed = {"signatory_name": "Vardenis Pavardenis",
              "signatory_position": "Departamento direktoriaus pavaduotojas"}  # fmt: skip
    yield "plain", {}
    yield "funding text only", {"funding": replace(funding, emblem_path=None)}
    yield "emblem and signature", {"funding": funding, **signed, "signature_path": signature}
    yield "signatory without image", {"funding": funding, **signed}


@pytest.mark.parametrize("bilingual", [False, True], ids=["lt", "lt+en"])
@pytest.mark.parametrize("long", [False, True], ids=["short", "longest"])
def test_nothing_overlaps_is_cut_or_leaves_the_page(
    tr: Translator, images: tuple[Path, Path], long: bool, bilingual: bool
) -> None:
    for label, changes in variants(images):
        data = certificate(long=long, bilingual=bilingual, **changes)
        result = render(data, tr)
        expected = [data.name, data.organisation, data.title, data.organiser, data.reg_number]
        runs = assert_clean_layout(result, expected)
        assert result.missing == "", label
        name = next(r for r in runs if data.name.split()[0] in r.text)
        assert name.size >= 14 * result.scale, "the name stays large"
        if not long:
            assert result.scale == 1.0, f"{label}: a short certificate needs no shrinking"


def test_absurd_lengths_shrink_but_are_never_cut(tr: Translator) -> None:
    data = certificate(long=True, bilingual=True, title=LONG_TITLE * 3, name=LONG_NAME * 2,
                       organisation=LONG_ORGANISATION * 2)  # fmt: skip
    result = render(data, tr)
    assert_clean_layout(result, [data.title, data.name, data.organisation])
    assert result.scale < 1.0


def test_missing_images_are_left_out_not_fatal(tr: Translator, tmp_path: Path) -> None:
    broken = tmp_path / "emblem.png"
    broken.write_text("not an image")
    data = certificate(long=False, funding=FundingBlock(broken, "Finansuoja Europos Sąjunga", ""),
                       signatory_name="V. P.", signature_path=tmp_path / "none.png")  # fmt: skip
    assert "Finansuoja Europos Sąjunga" in " ".join(r.text for r in runs_of(render(data, tr).pdf))


# -- words, dates and hours ----------------------------------------------------------------------


def test_bilingual_page_and_quotes(tr: Translator) -> None:
    page = render(certificate(long=False, bilingual=True), tr)
    text = " ".join(r.text for r in runs_of(page.pdf))
    assert "DALYVAVIMO PAŽYMĖJIMAS" in text
    assert "CERTIFICATE OF ATTENDANCE" in text
    assert "Pažymima, kad / This is to certify that" in text
    assert "dalyvavo mokymuose / attended the training" in text
    assert "„Mokymai Akmenės rajonui“" in text
    assert "Reg. Nr. / Reg. No. KV-2027-000123" in text
    assert "Trukmė / Duration: 6 akad. val. / 6 academic hours" in text
    assert "Išduota 2027 m. kovo 9 d. / Issued on 9 March 2027" in text


def test_issue_dates_without_weekday() -> None:
    day = date(2027, 3, 9)
    assert document_date(day, "lt") == "2027 m. kovo 9 d."
    assert document_date(day, "en") == "9 March 2027"
    assert document_date(day, "uk").replace("\u202f", " ") == "9 березня 2027 р."
    uk = Translator("uk").text("uk", "cert-issued", date=document_date(day, "uk"))
    assert uk.replace("\u202f", " ") == "Видано 9 березня 2027 р."


@pytest.mark.parametrize(
    ("value", "precision", "lang", "text"),
    [
        (6.25, 2, "lt", "6,25"),
        (6.25, 1, "lt", "6,3"),  # half up: never 6,2 (float rounding gives 6.2)
        (6.35, 1, "lt", "6,4"),
        (6.25, 1, "en", "6.3"),
        (6.0, 2, "lt", "6"),
        (7.5, 0, "uk", "8"),
        (8, 1, "uk", "8"),
    ],
)
def test_hours_round_half_up_in_the_languages_form(
    value: float, precision: int, lang: str, text: str
) -> None:
    assert format_hours(value, precision, lang).text == text


def test_round_hours_is_exact() -> None:
    assert round_hours(Decimal("2.675"), 2) == Decimal("2.68")
    assert round_hours(0.125, 2) == Decimal("0.13")


def test_hour_units_agree_with_the_number() -> None:
    tr = Translator("lt")

    def hours(lang: str, key: str, value: float, precision: int = 2) -> str:
        h = format_hours(value, precision, lang)
        return tr.text(lang, key, hours=h.text, count=h.count)

    assert hours("lt", "cert-hours", 6) == "6 val."
    assert hours("lt", "cert-academic-hours", 8) == "8 akad. val."
    assert hours("en", "cert-hours", 1) == "1 hour"
    assert hours("en", "cert-academic-hours", 6.25, 1) == "6.3 academic hours"
    assert hours("uk", "cert-hours", 21) == "21 година"
    assert hours("uk", "cert-hours", 3) == "3 години"
    assert hours("uk", "cert-academic-hours", 8) == "8 академічних годин"
    assert hours("uk", "cert-hours", 6.5) == "6,5 години"


def test_programme_overrides_the_funding_block() -> None:
    settings = FundingSettings(statement="Finansuoja Europos Sąjunga", project_code="A-1")
    assert funding_block(settings).statement == "Finansuoja Europos Sąjunga"
    own = ProgrammeDocuments(1, funding_statement="Bendrai finansuoja Europos Sąjunga",
                             project_code="", emblem_path=None)  # fmt: skip
    block = funding_block(settings, own)
    assert (block.statement, block.project_code, block.emblem_path) == (
        "Bendrai finansuoja Europos Sąjunga", "", None,
    )  # fmt: skip


# -- names in other scripts -------------------------------------------------------------------


CJK_NAME = "王小明"
ARABIC_NAME = "محمد العلي"


def test_a_name_no_font_has_is_detected_and_the_page_still_renders(tr: Translator) -> None:
    data = certificate(long=False, name=CJK_NAME, fallback_fonts=())
    assert missing_letters(CJK_NAME, ()) == "".join(sorted(CJK_NAME))
    result = render(data, tr)
    assert result.missing == "".join(sorted(CJK_NAME))
    assert "Pažymima, kad" in " ".join(r.text for r in runs_of(result.pdf))


def _font_for(text: str) -> Path | None:
    for path in fallback_fonts(DocumentSettings(system_fallback_fonts=True)):
        if set(text.replace(" ", "")) <= font_coverage(path):
            return path
    return None


@pytest.mark.parametrize("name", [CJK_NAME, ARABIC_NAME], ids=["cjk", "arabic"])
def test_a_fallback_font_prints_other_scripts(tr: Translator, name: str) -> None:
    font = _font_for(name)
    if font is None:
        pytest.skip(f"no font for {name!r} on this machine (apt-get install fonts-noto-core "
                    "fonts-droid-fallback)")  # fmt: skip
    result = render(certificate(long=False, name=name, fallback_fonts=(font,)), tr)
    assert result.missing == ""
    assert missing_letters(name, (font,)) == ""
    if name == CJK_NAME:  # (shaped Arabic reads back as presentation forms)
        assert CJK_NAME in " ".join(r.text for r in runs_of(result.pdf))
    assert_clean_layout(result, ["Pažymima,"])
