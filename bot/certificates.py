"""The certificate of attendance as a PDF (fpdf2), in the holder's language.

DejaVu Sans (shipped with matplotlib) covers Lithuanian and Ukrainian letters; fpdf2 embeds
only the glyphs used, so a certificate is about 30 KB. Rendering is CPU work (~0.1 s), so
callers run :func:`render_pdf` in a thread. Texts come from the ``cert-*`` catalog keys.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from fpdf import FPDF

from bot.attendance import plain
from bot.documents import FONT, add_fonts
from bot.i18n import Translator
from bot.qr import qr_png


@dataclass(frozen=True, slots=True)
class CertificateData:
    code: str
    name: str
    organisation: str
    title: str
    programme: str | None
    dates: str
    place: str
    hours: int | float
    organiser: str
    issued: str
    verify_url: str


def render_pdf(data: CertificateData, tr: Translator, lang: str) -> bytes:
    """One landscape A4 page."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(plain(tr, lang, "cert-title"))
    pdf.set_author(data.organiser)
    pdf.set_creator("Kvietimas")
    pdf.set_auto_page_break(False)
    add_fonts(pdf)
    pdf.add_page()
    width = pdf.w - 40

    # Frame.
    pdf.set_draw_color(30, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(text: str, size: float, style: str = "", gap: float = 2.0) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_x(20)
        pdf.multi_cell(width, size * 0.5, text, align="C")
        pdf.ln(gap)

    pdf.set_text_color(60, 60, 60)
    pdf.set_y(22)
    line(data.organiser, 12)
    pdf.set_text_color(30, 70, 120)
    line(plain(tr, lang, "cert-title"), 26, "B", 6)
    pdf.set_text_color(20, 20, 20)
    line(plain(tr, lang, "cert-certifies"), 13)
    line(data.name, 24, "B", 1)
    if data.organisation:
        line(data.organisation, 13, "", 4)
    line(plain(tr, lang, "cert-attended"), 13)
    line(data.title, 17, "B", 3)
    if data.programme:
        line(plain(tr, lang, "cert-programme", programme=data.programme), 11, "I", 3)
    details = [
        plain(tr, lang, "cert-date", date=data.dates),
        plain(tr, lang, "cert-place", place=data.place),
        plain(tr, lang, "cert-duration", hours=data.hours),
    ]
    for detail in details:
        line(detail, 12, "", 1)

    # Footer: organiser and date on the left, the verification QR on the right.
    qr_size = 34
    bottom = pdf.h - 20
    pdf.image(io.BytesIO(qr_png(data.verify_url, scale=6)), x=pdf.w - 20 - qr_size,
              y=bottom - qr_size, w=qr_size, h=qr_size)  # fmt: skip
    pdf.set_text_color(40, 40, 40)
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(22, bottom - 30)
    pdf.cell(0, 6, plain(tr, lang, "cert-organiser", organiser=data.organiser))
    pdf.set_xy(22, bottom - 24)
    pdf.cell(0, 6, plain(tr, lang, "cert-issued", date=data.issued))
    pdf.set_font(FONT, "B", 11)
    pdf.set_xy(22, bottom - 16)
    pdf.cell(0, 6, plain(tr, lang, "cert-code", code=data.code))
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(22, bottom - 10)
    pdf.cell(0, 5, plain(tr, lang, "cert-verify-hint") + " " + data.verify_url)
    return bytes(pdf.output())
