"""Shared pieces of the PDF documents handed to a funder: fonts and the funding block.

Certificates (``certificates.py``), the funder's report (``report.py``) and the attendance
sign-in sheet (``signin.py``) in this package all draw the EU funding block the same way, from
``[documents.funding]`` in the settings (a programme may override it). The rules it follows
(emblem not modified, statement next to it, "European Union" in full) are in
docs/documents.md.
"""

from __future__ import annotations

import importlib.util
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.config import DocumentSettings, FundingSettings
from bot.models import ProgrammeDocuments

if TYPE_CHECKING:  # fpdf loads with the document modules, not with the package (sheets)
    from fpdf import FPDF

log = logging.getLogger(__name__)

FONT = "DejaVu"

# Fallback fonts looked for on the system when ``[documents] system_fallback_fonts`` is on
# (Debian/Ubuntu fonts-noto-core, fonts-noto-cjk, fonts-droid-fallback; Fedora paths too).
SYSTEM_FALLBACK_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansTamil-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
)
# Scripts that need a shaping engine (joining, reordering): Hebrew .. Myanmar, plus the
# Arabic presentation blocks. Shaping is switched on only for pages that contain them.
_COMPLEX = ((0x0590, 0x109F), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


@lru_cache(maxsize=1)
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def add_fonts(pdf: FPDF, texts: Iterable[str] = (), fallbacks: Sequence[Path] = ()) -> str:
    """DejaVu Sans regular, bold and oblique as family "DejaVu"; for letters of ``texts``
    that DejaVu lacks, the first of ``fallbacks`` that has them (only the fonts needed are
    loaded) and, for scripts that join or reorder letters (Arabic, Hebrew, Indic), text
    shaping when uharfbuzz is installed. Returns the letters no font can print (the page
    still renders; they show as blanks)."""
    folder = font_dir()
    pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(folder / "DejaVuSans-Oblique.ttf"))
    needed = _letters("".join(texts))
    if not needed:
        return ""
    uncovered = needed - _dejavu_coverage()
    families: list[str] = []
    for index, path in enumerate(fallbacks):
        if not uncovered:
            break
        covered = uncovered & font_coverage(path)
        if not covered:
            continue
        family = f"Fallback{index}"
        pdf.add_font(family, "", str(path))
        families.append(family)
        uncovered -= covered
    if families:
        pdf.set_fallback_fonts(families, exact_match=False)
    if any(lo <= ord(c) <= hi for c in needed for lo, hi in _COMPLEX) and shaping_available():
        pdf.set_text_shaping(True)
    return "".join(sorted(uncovered))


def _letters(text: str) -> frozenset[str]:
    """The printable characters of ``text`` (spaces, controls and joiners need no glyph)."""
    return frozenset(
        c for c in text if not c.isspace() and unicodedata.category(c)[0] not in ("C", "Z")
    )


@lru_cache(maxsize=1)
def shaping_available() -> bool:
    return importlib.util.find_spec("uharfbuzz") is not None


@lru_cache(maxsize=64)
def font_coverage(path: Path) -> frozenset[str]:
    """The characters a font file has glyphs for (first font of a .ttc collection)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        with TTFont(str(path), fontNumber=0, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable file is reported once and then ignored
        log.warning("documents: cannot read font %s", path)
        return frozenset()
    return frozenset(chr(c) for c in cmap)


@lru_cache(maxsize=1)
def _dejavu_coverage() -> frozenset[str]:
    folder = font_dir()
    return font_coverage(folder / "DejaVuSans.ttf") & font_coverage(folder / "DejaVuSans-Bold.ttf")


def fallback_fonts(settings: DocumentSettings) -> tuple[Path, ...]:
    """The configured fallback fonts, then the system's (when allowed), that exist."""
    candidates = [*settings.fallback_fonts]
    if settings.system_fallback_fonts:
        candidates += [Path(p) for p in SYSTEM_FALLBACK_FONTS]
    seen: dict[Path, None] = {}
    for path in candidates:
        if path.is_file() and path.suffix.lower() in (".ttf", ".otf", ".ttc"):
            seen.setdefault(path, None)
    return tuple(seen)


def missing_letters(text: str, fallbacks: Sequence[Path]) -> str:
    """The letters of ``text`` that neither DejaVu nor any fallback font can print."""
    uncovered = _letters(text) - _dejavu_coverage()
    for path in fallbacks:
        if not uncovered:
            break
        uncovered -= font_coverage(path)
    return "".join(sorted(uncovered))


# -- dates and hours as documents write them ------------------------------------------------

# The long date without a weekday: "2027 m. kovo 9 d.", "9 March 2027", "9 березня 2027 р.".
_DATE_LOCALES = {"en": "en_GB"}


def document_date(day: date, lang: str) -> str:
    return str(format_date(day, format="long", locale=_DATE_LOCALES.get(lang, lang)))


@dataclass(frozen=True, slots=True)
class Hours:
    """Hours as printed: the number in the language's form and the value for plurals."""

    text: str  # "6,25" in lt/uk, "6.25" in en
    count: int | float  # 6 or 6.25: Fluent picks the plural form from it


def round_hours(value: float | Decimal, precision: int) -> Decimal:
    """Half up to ``precision`` decimals (6.25 -> 6.3 at 1, never 6.2), trailing zeros off."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)
    return rounded.to_integral_value() if rounded == rounded.to_integral_value() else rounded


def format_hours(value: float | Decimal, precision: int, lang: str) -> Hours:
    rounded = round_hours(value, precision)
    pattern = "0" + ("." + "#" * precision if precision else "")
    text = str(format_decimal(rounded, format=pattern, locale=lang))
    integral = rounded == rounded.to_integral_value()
    return Hours(text, int(rounded) if integral else float(rounded))


@dataclass(frozen=True, slots=True)
class FundingBlock:
    """What a document prints about its funding; empty fields are left out."""

    emblem_path: Path | None
    statement: str
    project_code: str

    @property
    def is_empty(self) -> bool:
        return self.emblem_path is None and not self.statement and not self.project_code


def funding_block(
    funding: FundingSettings, programme: ProgrammeDocuments | None = None
) -> FundingBlock:
    """The settings' block, with what the programme sets instead (a field the programme
    leaves unset, None, is the settings'; an empty one removes it)."""
    emblem, statement, code = funding.emblem_path, funding.statement, funding.project_code
    if programme is not None:
        if programme.emblem_path is not None:
            emblem = Path(programme.emblem_path) if programme.emblem_path else None
        if programme.funding_statement is not None:
            statement = programme.funding_statement
        if programme.project_code is not None:
            code = programme.project_code
    return FundingBlock(emblem_path=emblem, statement=statement.strip(),
                        project_code=code.strip())  # fmt: skip


def draw_funding_block(
    pdf: FPDF, block: FundingBlock, x: float, y: float, width: float, height: float = 14
) -> float:
    """Draw the emblem (as supplied, unscaled in proportion) with the statement beside it
    and the project code below; return the height used (0 for an empty block)."""
    if block.is_empty:
        return 0.0
    text_x = x
    emblem = False
    if block.emblem_path is not None:
        try:
            info = pdf.image(str(block.emblem_path), x=x, y=y, h=height)
        except (OSError, ValueError, SyntaxError):  # missing or not an image: left out
            log.warning("documents: cannot read the emblem %s; left out", block.emblem_path)
        else:
            text_x, emblem = x + float(info.rendered_width) + 3, True
    pdf.set_text_color(20, 20, 20)
    lines = [(block.statement, "B", 9.5), (block.project_code, "", 8)]
    cursor = y + 1
    for text, style, size in lines:
        if not text:
            continue
        pdf.set_font(FONT, style, size)
        pdf.set_xy(text_x, cursor)
        pdf.multi_cell(max(20.0, x + width - text_x), size * 0.45, text, align="L")
        cursor = pdf.get_y() + 0.5
    return max(height if emblem else 0.0, cursor - y)
