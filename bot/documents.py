"""Shared pieces of the PDF documents handed to a funder: fonts and the funding block.

Certificates (``bot/certificates.py``), the funder's report (``bot/reports.py``) and the
attendance sign-in sheet all draw the EU funding block the same way, from
``[documents.funding]`` in the settings (a programme may override it). The rules it follows
(emblem not modified, statement next to it, "European Union" in full) are in
docs/documents.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF

from bot.config import FundingSettings

FONT = "DejaVu"


@lru_cache(maxsize=1)
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans regular, bold and oblique as family "DejaVu"."""
    folder = font_dir()
    pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(folder / "DejaVuSans-Oblique.ttf"))


@dataclass(frozen=True, slots=True)
class FundingBlock:
    """What a document prints about its funding; empty fields are left out."""

    emblem_path: Path | None
    statement: str
    project_code: str

    @property
    def is_empty(self) -> bool:
        return self.emblem_path is None and not self.statement and not self.project_code


def funding_block(funding: FundingSettings) -> FundingBlock:
    return FundingBlock(
        emblem_path=funding.emblem_path, statement=funding.statement.strip(),
        project_code=funding.project_code.strip(),
    )  # fmt: skip


def draw_funding_block(
    pdf: FPDF, block: FundingBlock, x: float, y: float, width: float, height: float = 14
) -> float:
    """Draw the emblem (as supplied, unscaled in proportion) with the statement beside it
    and the project code below; return the height used (0 for an empty block)."""
    if block.is_empty:
        return 0.0
    text_x = x
    if block.emblem_path is not None:
        info = pdf.image(str(block.emblem_path), x=x, y=y, h=height)
        text_x = x + float(info.rendered_width) + 3
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
    return max(height if block.emblem_path is not None else 0.0, cursor - y)
