"""The certificate of attendance as a PDF (fpdf2): a document the organisation issues.

One A4 landscape page in the language the organiser chose for the event or programme
(``[documents] language`` by default), optionally with every label in English (or
Lithuanian) too: the funding block on top, the holder and the training in the middle, the
issue date, registration number, verification code, signatory and QR code at the bottom.

The layout is a flow that measures before it draws: the body's blocks are measured with
``multi_cell(dry_run=True)`` inside the space between the header and the reserved footer;
when they do not fit, every size shrinks together (a long name first shrinks to stay on one
line, then wraps), so no text is ever cut, overlaps another or leaves the page. Letters
DejaVu Sans lacks come from fallback fonts (bot/documents/__init__.py). Rendering is CPU work
(~0.3 s on a loaded 2-core machine), so callers run :func:`render_pdf` in a thread. Texts
come from the ``cert-*`` catalog keys (bot/locales/*/documents.ftl). See docs/documents.md.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot import attendance
from bot.attendance import (
    AttAction,
    AttendancePress,
    CertificatePress,
    CertRefusal,
    plain,
    settings_screen,
)
from bot.documents import FONT, FundingBlock, add_fonts, draw_funding_block
from bot.i18n import Translator, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import AttendanceSettings, Event, HoursUnit, Participant, PendingInput
from bot.qr import qr_png
from bot.services import Services

if TYPE_CHECKING:  # fpdf loads only when a certificate is drawn
    from fpdf import FPDF

log = logging.getLogger(__name__)

PT = 25.4 / 72  # one point in mm
LEFT, TOP = 24.0, 21.0  # content box inside the double frame (mm)
BOTTOM_GAP = 21.0  # from the page's bottom edge to the footer's last line
QR_SIZE = 30.0
BLUE, INK, GREY = (30, 70, 120), (20, 20, 20), (70, 70, 70)


@dataclass(frozen=True, slots=True)
class LocalTexts:
    """What is written differently in each language of the page."""

    dates: str  # "2027 m. kovo 9 d."
    place: str  # the address, or "nuotoliniu būdu"
    duration: str  # "6 akad. val."
    issued: str  # "2027 m. kovo 9 d."


@dataclass(frozen=True, slots=True)
class CertificateData:
    code: str
    reg_number: str
    name: str
    organisation: str
    title: str
    programme: str | None
    organiser: str
    verify_url: str
    language: str
    texts: dict[str, LocalTexts]  # the page's language and, when bilingual, the second
    second: str | None = None  # the second language of a bilingual page
    funding: FundingBlock = field(default_factory=lambda: FundingBlock(None, "", ""))
    signatory_name: str = ""
    signatory_position: str = ""
    signature_path: Path | None = None
    fallback_fonts: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Box:
    """A region drawn on the page (mm from the top left), for the layout tests."""

    what: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Rendered:
    pdf: bytes
    missing: str  # letters no available font could print (drawn as blanks)
    boxes: tuple[Box, ...]
    scale: float  # 1.0, or how much the body had to shrink to fit


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    size: float  # points at scale 1
    style: str = ""
    color: tuple[int, int, int] = INK
    gap: float = 2.0  # mm above the block at scale 1
    min_size: float = 0.0  # > 0: shrink to stay on one line, down to this, then wrap
    what: str = "text"


def render_pdf(data: CertificateData, tr: Translator) -> bytes:
    return render(data, tr).pdf


def render(data: CertificateData, tr: Translator) -> Rendered:
    """One landscape A4 page; see the module's docstring for the layout."""
    lang, second = data.language, data.second

    def both(key: str, **args: object) -> str:
        first = plain(tr, lang, key, **args)
        if second is None:
            return first
        other = plain(tr, second, key, **args)
        return first if other == first else f"{first} / {other}"

    def labelled(key: str, name: str, value: str) -> str:
        """A label with one value ("Reg. Nr. / Reg. No. KV-2027-000123"): the value is
        written once, after the labels of both languages."""
        if second is None:
            return plain(tr, lang, key, **{name: value})
        marker = "\u0000"
        labels = [plain(tr, code, key, **{name: marker}) for code in (lang, second)]
        if not all(label.endswith(marker) for label in labels):
            return both(key, **{name: value})
        bare = [label.removesuffix(marker).rstrip() for label in labels]
        colon = ":" if bare[0].endswith(":") else ""
        bare = list(dict.fromkeys(label.removesuffix(":") for label in bare))
        return f"{' / '.join(bare)}{colon} {value}"

    def detail(label_key: str, values: list[str]) -> str:
        unique = list(dict.fromkeys(v for v in values if v))
        return plain(tr, lang, "cert-detail", label=both(label_key), value=" / ".join(unique))

    langs = [lang] if second is None else [lang, second]
    local = [data.texts[code] for code in langs]
    blocks: list[_Block] = [
        _Block(data.organiser, 12, color=GREY, gap=0, what="organiser"),
        _Block(plain(tr, lang, "cert-title"), 26, "B", BLUE, gap=5, min_size=16),
    ]
    if second is not None:
        blocks.append(_Block(plain(tr, second, "cert-title"), 14, "B", BLUE, gap=0.5, min_size=10))
    blocks += [
        _Block(both("cert-certifies"), 13, gap=5),
        _Block(data.name, 24, "B", gap=1.5, min_size=14, what="name"),
    ]
    if data.organisation:
        blocks.append(_Block(data.organisation, 13, gap=1, min_size=10, what="organisation"))
    blocks += [
        _Block(both("cert-attended"), 13, gap=4),
        _Block(
            plain(tr, lang, "cert-event-title", title=data.title),
            17,
            "B",
            gap=1,
            min_size=12,
            what="title",
        ),
    ]
    if data.programme:
        blocks.append(
            _Block(
                detail("cert-label-programme", [data.programme]),
                11,
                "I",
                GREY,
                gap=2,
                what="programme",
            )
        )
    blocks += [
        _Block(detail("cert-label-date", [t.dates for t in local]), 12, gap=4),
        _Block(detail("cert-label-place", [t.place for t in local]), 12, gap=1, what="place"),
        _Block(detail("cert-label-duration", [t.duration for t in local]), 12, gap=1),
    ]
    footer_lines = [
        _Block(
            " / ".join(
                dict.fromkeys(
                    plain(tr, c, "cert-issued", date=t.issued)
                    for c, t in zip(langs, local, strict=True)
                )
            ),
            10,
            gap=0,
        ),
        _Block(labelled("cert-reg-number", "number", data.reg_number), 10, "B", gap=0.5),
        _Block(labelled("cert-code", "code", data.code), 10, "B", gap=0.5),
        _Block(
            plain(tr, lang, "cert-verify-hint") + " " + data.verify_url, 7.5, color=GREY, gap=1.5
        ),
    ]
    signatory = [
        _Block(data.signatory_name, 10.5, "B", gap=1, what="signatory"),
        _Block(data.signatory_position, 9.5, color=GREY, gap=0.5, what="position"),
    ]

    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(plain(tr, lang, "cert-title"))
    pdf.set_author(data.organiser)
    pdf.set_creator("Kvietimas")
    pdf.set_auto_page_break(False)
    every_text = [b.text for b in (*blocks, *footer_lines, *signatory)]
    every_text += [data.funding.statement, data.funding.project_code]
    missing = add_fonts(pdf, every_text, data.fallback_fonts)
    if missing:
        log.warning("certificate %s: no font has %d of its letters", data.code, len(missing))
    pdf.add_page()
    right = pdf.w - LEFT
    width = right - LEFT
    pdf.set_margins(LEFT, TOP, LEFT)
    boxes: list[Box] = []

    # Frame.
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    # Header: the funding block (emblem, statement, project code), if any.
    top = TOP
    if not data.funding.is_empty:
        used = draw_funding_block(pdf, data.funding, LEFT, TOP, width)
        boxes.append(Box("funding", LEFT, TOP, width, used))
        top = TOP + used + 3

    # Footer, reserved from the bottom up: the QR on the right, the signatory in the
    # middle, issue date / registration number / code / verification link on the left.
    bottom = pdf.h - BOTTOM_GAP
    left_w = width * 0.46
    sig_x = LEFT + left_w + 6
    sig_w = right - QR_SIZE - 8 - sig_x
    pdf.image(
        io.BytesIO(qr_png(data.verify_url, scale=6)),
        x=right - QR_SIZE,
        y=bottom - QR_SIZE,
        w=QR_SIZE,
        h=QR_SIZE,
    )
    boxes.append(Box("qr", right - QR_SIZE, bottom - QR_SIZE, QR_SIZE, QR_SIZE))
    left_h = _height(pdf, footer_lines, left_w, 1.0)
    footer_top = min(bottom - QR_SIZE, bottom - left_h)
    _draw(pdf, footer_lines, LEFT, bottom - left_h, left_w, 1.0, "L", boxes)
    if data.signatory_name or data.signatory_position or data.signature_path:
        sig_blocks = [b for b in signatory if b.text]
        text_h = _height(pdf, sig_blocks, sig_w, 1.0)
        line_y = bottom - text_h
        image_h = 16.0 if _readable(data.signature_path) else 0.0
        if data.signature_path is not None and image_h:
            pdf.image(
                str(data.signature_path),
                x=sig_x + sig_w / 2 - 30,
                y=line_y - image_h - 1,
                w=60,
                h=image_h,
                keep_aspect_ratio=True,
            )
            boxes.append(
                Box("signature", sig_x + sig_w / 2 - 30, line_y - image_h - 1, 60, image_h)
            )
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2)
        pdf.line(sig_x + sig_w / 2 - 35, line_y, sig_x + sig_w / 2 + 35, line_y)
        _draw(pdf, sig_blocks, sig_x, line_y, sig_w, 1.0, "C", boxes)
        footer_top = min(footer_top, line_y - image_h - 2)

    # Body: shrink everything together until it fits between header and footer.
    space = footer_top - 5 - top
    scale = 1.0
    while _height(pdf, blocks, width, scale) > space and scale > 0.2:
        scale = round(scale - 0.03, 2)
    used = _height(pdf, blocks, width, scale)
    start = top + max(0.0, (space - used) / 2)
    _draw(pdf, blocks, LEFT, start, width, scale, "C", boxes)
    return Rendered(bytes(pdf.output()), missing, tuple(boxes), scale)


def _readable(path: Path | None) -> bool:
    if path is None:
        return False
    if not path.is_file():
        log.warning("certificate: signature image %s not found; left out", path)
        return False
    return True


def _size(pdf: FPDF, block: _Block, width: float, scale: float) -> float:
    """The block's font size at ``scale``: a one-line block (``min_size``) shrinks to stay
    on one line, but not below its minimum (then it wraps)."""
    size = block.size * scale
    if block.min_size:
        pdf.set_font(FONT, block.style, size)
        wide = pdf.get_string_width(block.text)
        if wide > width:
            size = max(block.min_size * scale, size * width / wide * 0.98)
    return size


def _height(pdf: FPDF, blocks: list[_Block], width: float, scale: float) -> float:
    from fpdf.enums import MethodReturnValue

    total = 0.0
    for block in blocks:
        size = _size(pdf, block, width, scale)
        pdf.set_font(FONT, block.style, size)
        measured = pdf.multi_cell(
            width,
            size * PT * 1.25,
            block.text,
            align="C",
            dry_run=True,
            output=MethodReturnValue.HEIGHT,
        )
        assert isinstance(measured, float | int)
        total += block.gap * scale + float(measured)
    return total


def _draw(
    pdf: FPDF,
    blocks: list[_Block],
    x: float,
    y: float,
    width: float,
    scale: float,
    align: str,
    boxes: list[Box],
) -> None:
    from fpdf.enums import XPos, YPos

    for block in blocks:
        size = _size(pdf, block, width, scale)
        y += block.gap * scale
        pdf.set_font(FONT, block.style, size)
        pdf.set_text_color(*block.color)
        pdf.set_xy(x, y)
        pdf.multi_cell(
            width, size * PT * 1.25, block.text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        boxes.append(Box(block.what, x, y, width, pdf.get_y() - y))
        y = pdf.get_y()


# -- the certificate in the chat: decisions rendered by bot/handlers/documents.py ---------------
# (no fpdf here: a certificate is drawn only by render_pdf, in bot.attendance's services)

CERT_LANGUAGES = ("", "lt", "en", "uk")
CERT_HOURS_FLOW = "cert-hours"
MAX_CERT_HOURS = 1000
HOURS_UNITS = tuple(HoursUnit)


async def certificate_settings(
    services: Services,
    lang: str,
    event: Event,
    settings: AttendanceSettings,
    mark: Callable[[str, bool], str],
) -> tuple[list[str], list[tuple[Button, ...]]]:
    """The certificate's part of the settings screen: page language (or the default),
    English added, hours or academic hours, decimals, and a button to type the declared
    number of hours (also ``[certificate] hours`` / ``academic_hours`` in the event file)."""
    choice = await attendance.certificate_choice(services, event)
    hours = attendance.hours_text(services.translator, lang, choice.hours, choice.unit,
                                  choice.precision)  # fmt: skip
    lines = [
        services.t(lang, "cert-settings-language", language=choice.language,
                   second=choice.second or "none"),
        services.t(lang, "cert-settings-hours", hours=hours,
                   declared="yes" if choice.declared else "no"),
    ]  # fmt: skip

    def press(action: AttAction, arg: int) -> str:
        return AttendancePress(action, event.id, arg).pack()

    chosen_language = settings.cert_language or ""
    languages = [
        Button(mark(services.t(lang, f"cert-btn-lang-{code or 'default'}"),
                    chosen_language == code), press(AttAction.CERT_LANG, i))
        for i, code in enumerate(CERT_LANGUAGES)
    ]  # fmt: skip
    bilingual = choice.second is not None
    toggle = Button(
        services.t(lang, "cert-btn-bilingual-off" if bilingual else "cert-btn-bilingual-on"),
        press(AttAction.CERT_BILINGUAL, 0 if bilingual else 1),
    )
    units = [
        Button(mark(services.t(lang, f"cert-btn-unit-{unit.value}"), choice.unit is unit),
               press(AttAction.CERT_UNIT, i))
        for i, unit in enumerate(HOURS_UNITS)
    ]  # fmt: skip
    precisions = [
        Button(mark(services.t(lang, "cert-btn-precision", digits=digits),
                    choice.precision == digits), press(AttAction.CERT_PRECISION, digits))
        for digits in range(3)
    ]  # fmt: skip
    typed = Button(services.t(lang, "cert-btn-hours"), press(AttAction.CERT_HOURS, 0))
    buttons = [*rows(*languages, per_row=2), (toggle,), tuple(units), *rows(*precisions,
               per_row=3), (typed,)]  # fmt: skip
    return lines, buttons


def certificate_column(press: AttendancePress) -> tuple[str, object]:
    """The certificate setting a button changes, checked ("" when out of range)."""
    if press.action is AttAction.CERT_LANG and press.arg < len(CERT_LANGUAGES):
        return "cert_language", CERT_LANGUAGES[press.arg] or None
    if press.action is AttAction.CERT_BILINGUAL and press.arg in (0, 1):
        return "cert_bilingual", press.arg
    if press.action is AttAction.CERT_UNIT and press.arg < len(HOURS_UNITS):
        return "cert_hours_unit", HOURS_UNITS[press.arg].value
    if press.action is AttAction.CERT_PRECISION and press.arg in (0, 1, 2):
        return "cert_hours_precision", press.arg
    return "", None


def parse_hours(text: str) -> float | None:
    """ "6", "7,5", "7.5 h" -> hours; 0 -> computed from the times (None: not a number)."""
    match = re.fullmatch(r"\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*[^\d\s]{0,12}\s*", text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if value <= MAX_CERT_HOURS else None


async def typed_hours(
    services: Services, lang: str, state: PendingInput, text: str
) -> OutgoingMessage:
    """The typed number of hours for the event named in the stored flow state: the
    settings screen again, or why not."""
    event_id = state.data.get("event_id")
    event = await services.db.events.get_event(event_id) if isinstance(event_id, int) else None
    if event is None:
        await services.db.people.clear_pending_input(state.telegram_id)
        return OutgoingMessage(services.t(lang, "error-event-not-found"))
    hours = parse_hours(text)
    if hours is None:
        log.info("certificate hours: not a number from organiser %s", state.telegram_id)
        return OutgoingMessage(services.t(lang, "cert-hours-invalid", max=MAX_CERT_HOURS))
    await services.db.attendance.set_attendance_settings(
        event.id, now=services.clock.now(), certificate={"cert_hours": hours or None}
    )
    await services.db.people.clear_pending_input(state.telegram_id)
    log.info("attendance settings of event %s: certificate hours = %s", event.id, hours)
    return await settings_screen(services, lang, event)


async def certificate_menu(
    services: Services, participant: Participant, lang: str
) -> int | OutgoingMessage | None:
    """``/certificate``: None (no ended event attended), the one event's id, or a picker."""
    event_ids = await services.db.documents.attended_events(
        participant.id, ended_before=services.clock.now()
    )
    if not event_ids:
        return None
    if len(event_ids) == 1:
        return event_ids[0]
    buttons = []
    for event_id in event_ids:
        event = await services.db.events.get_event(event_id)
        if event is not None:
            label = f"{format_short(event.starts_at, event.timezone)[:10]} {event.title}"
            buttons.append(Button(label[:60], CertificatePress(event_id).pack()))
    return OutgoingMessage(services.t(lang, "attendance-cert-pick"), rows(*buttons, per_row=1))


@dataclass(frozen=True, slots=True)
class CertificateReply:
    """A certificate to send (``content``), or the text saying why not."""

    text: str
    content: bytes | None = None
    filename: str = ""


async def certificate_reply(
    services: Services, participant: Participant, event_id: int
) -> CertificateReply:
    """A participant's certificate of one event, issued if due (the caption is ``text``)."""
    lang = services.language_of(participant.language)
    event = await services.db.events.get_event(event_id)
    if event is None:
        return CertificateReply(services.t(lang, "error-event-gone"))
    found = await attendance.request_certificate(services, event, participant)
    if isinstance(found, CertRefusal):
        log.info("certificate refused (%s) for user %s event %s", found.value,
                 participant.telegram_id, event_id)  # fmt: skip
        return CertificateReply(services.t(lang, f"attendance-cert-{found.value}"))
    content = await attendance.render_certificate(services, found.code)
    if content is None:
        return CertificateReply(services.t(lang, "error-event-gone"))
    message = attendance.certificate_message(
        services.translator, services.language_of(found.language), found, event
    )
    return CertificateReply(message.text, content, f"certificate-{found.code}.pdf")


async def issue_text(services: Services, lang: str, event: Event, *, by: int) -> str:
    """The organiser's "issue certificates" button: issue, and say how many."""
    from bot.views import fit  # bot.views imports bot.attendance

    issued = await attendance.issue_by_organiser(services, event, lang)
    log.info("organiser %s issued %d certificates for event %s", by, issued.count,
             event.id)  # fmt: skip
    key = "attendance-issued" if issued.count else "attendance-issued-none"
    return fit([services.t(lang, key, count=issued.count), *issued.unprintable])
