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
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from bot.attendance import (
    ACADEMIC_HOUR_MINUTES,
    AttAction,
    AttendancePress,
    CertificatePress,
    _queue,
    document_dates,
    event_dates,
    event_hours,
    event_minutes,
    event_place,
    plain,
    settings_screen,
)
from bot.documents import FONT, FundingBlock, add_fonts, draw_funding_block
from bot.i18n import Translator, format_short, local
from bot.messages import Attachment, Button, OutgoingMessage, rows
from bot.models import (
    AttendanceSettings,
    Certificate,
    CertificateMode,
    Event,
    EventStatus,
    HoursUnit,
    OutboxItem,
    Participant,
    PendingInput,
    Presence,
)
from bot.payloads import Payload, PayloadKind, deep_link
from bot.qr import qr_png
from bot.services import Services

if TYPE_CHECKING:  # fpdf loads only when a certificate is drawn
    from fpdf import FPDF

log = logging.getLogger(__name__)

CERTIFICATE_ATTACHMENT = "certificate"  # bot.sender attachment kind
# Verification codes are read off paper too: no 0/O, 1/I/L; "XXXX-XXXX-XXXX" (60 bits).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

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


# -- certificates: issuing, sending, verifying -------------------------------------------------


def certificate_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    return text.strip().upper()


def verify_link(services: Services, code: str) -> str:
    return deep_link(services.bot_username, Payload(PayloadKind.VERIFY, code))


class CertRefusal(StrEnum):
    NOT_PRESENT = "not-present"
    NOT_ENDED = "not-ended"
    SURVEY_FIRST = "survey-first"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class CertificateChoice:
    """How an event's certificates are written: the organiser's choices for the event,
    else its programme's, else ``[documents]`` in the settings (never the holder's chat
    language)."""

    language: str
    second: str | None  # the second language of a bilingual page
    hours: float  # declared, else computed from the times (in ``unit``)
    unit: HoursUnit
    precision: int
    declared: bool


def second_language(language: str) -> str:
    """A bilingual page adds English (or Lithuanian to an English page)."""
    return "lt" if language == "en" else "en"


async def certificate_choice(services: Services, event: Event) -> CertificateChoice:
    documents = services.settings.documents
    chosen = await services.db.attendance.attendance_settings(event.id)
    programme = (
        await services.db.documents.programme_documents(event.programme_id)
        if event.programme_id is not None
        else None
    )
    language: str = documents.language
    bilingual = documents.bilingual
    if programme is not None:
        language = programme.cert_language or language
        bilingual = bilingual if programme.cert_bilingual is None else programme.cert_bilingual
    language = chosen.cert_language or language
    bilingual = bilingual if chosen.cert_bilingual is None else chosen.cert_bilingual
    unit = chosen.cert_hours_unit
    if chosen.cert_hours is not None:
        hours, declared = chosen.cert_hours, True
    elif unit is HoursUnit.ACADEMIC:
        hours, declared = event_minutes(event) / ACADEMIC_HOUR_MINUTES, False
    else:
        hours, declared = event_hours(event), False
    precision = (
        documents.hours_precision
        if chosen.cert_hours_precision is None
        else chosen.cert_hours_precision
    )
    return CertificateChoice(
        language=language, second=second_language(language) if bilingual else None,
        hours=hours, unit=unit, precision=precision, declared=declared,
    )  # fmt: skip


def hours_text(tr: Translator, lang: str, hours: float, unit: HoursUnit, precision: int) -> str:
    """ "6 akad. val.", "6,3 val.", "1 hour", "8 академічних годин"."""
    from bot.documents import format_hours

    value = format_hours(hours, precision, lang)
    key = "cert-academic-hours" if unit is HoursUnit.ACADEMIC else "cert-hours"
    return plain(tr, lang, key, hours=value.text, count=value.count)


async def issue_certificate(
    services: Services, event: Event, participant: Participant, *, source: str
) -> tuple[Certificate, bool]:
    """The person's certificate for the event (the existing one, or made now with the
    next registration number and the event's current certificate choices)."""
    lang = services.language_of(participant.language)
    choice = await certificate_choice(services, event)
    certificate, created = await services.db.documents.create_certificate(
        code=certificate_code(),
        event_id=event.id,
        participant_id=participant.id,
        name=participant.name or "",
        organisation=participant.organisation or "",
        language=lang,
        hours=choice.hours,
        source=source,
        now=services.clock.now(),
        doc_language=choice.language,
        bilingual=choice.second is not None,
        hours_unit=choice.unit,
        hours_precision=choice.precision,
        reg_prefix=services.settings.documents.registration_prefix,
    )
    if created:
        log.info(
            "certificate %s (%s) issued to participant %s for event %s (%s)",
            certificate.code, certificate.reg_number, participant.id, event.id, source,
        )  # fmt: skip
    return certificate, created


def unprintable_letters(services: Services, certificate: Certificate) -> str:
    """Letters of the holder's name or organisation that no available font can print."""
    from bot.documents import fallback_fonts, missing_letters

    fonts = fallback_fonts(services.settings.documents)
    return missing_letters(certificate.name + certificate.organisation, fonts)


async def unprintable_notice(
    services: Services, lang: str, certificate: Certificate, event: Event
) -> str | None:
    """The organiser's line about a certificate whose name cannot be printed (or None)."""
    letters = unprintable_letters(services, certificate)
    if not letters:
        return None
    log.warning(
        "certificate %s (%s): no font has %d letter(s) of the holder's name",
        certificate.code, certificate.reg_number, len(letters),
    )  # fmt: skip
    return services.t(
        lang, "cert-unrenderable", number=certificate.reg_number or certificate.code,
        name=certificate.name, title=event.title, letters=" ".join(letters),
    )  # fmt: skip


async def tell_organisers(services: Services, problems: list[tuple[Certificate, Event]]) -> int:
    """Queue, once per certificate and organiser, the notice of names that cannot be
    printed (certificates sent by the scheduler, where no organiser is watching)."""
    items: list[OutboxItem] = []
    for organiser_id in services.settings.organisers:
        person = await services.db.people.get_participant_by_telegram(organiser_id)
        lang = services.language_of(person.language if person else None)
        for certificate, event in problems:
            text = await unprintable_notice(services, lang, certificate, event)
            if text is not None:
                key = f"cert-font:{certificate.code}:{organiser_id}"
                items.append(OutboxItem(organiser_id, OutgoingMessage(text).to_json(), None, key))
    return await _queue(services, items)


async def request_certificate(
    services: Services, event: Event, participant: Participant
) -> Certificate | CertRefusal:
    """/certificate: the existing certificate, or one made now when the person may have it."""
    existing = await services.db.documents.certificate_for(event.id, participant.id)
    if existing is not None:
        return existing
    presence = await services.db.attendance.get_presence(event.id, participant.id)
    if presence is not Presence.PRESENT or event.status is not EventStatus.ACTIVE:
        return CertRefusal.NOT_PRESENT
    if services.clock.now() < event.ends_at:
        return CertRefusal.NOT_ENDED
    settings = await services.db.attendance.attendance_settings(event.id)
    if settings.certificates is CertificateMode.OFF:
        return CertRefusal.OFF
    if settings.certificates is CertificateMode.AFTER_SURVEY and not (
        await services.db.attendance.survey_completed(event.id, participant.id)
    ):
        return CertRefusal.SURVEY_FIRST
    certificate, _ = await issue_certificate(services, event, participant, source="request")
    return certificate


def certificate_message(
    tr: Translator, lang: str, certificate: Certificate, event: Event
) -> OutgoingMessage:
    caption = tr.text(lang, "attendance-cert-caption", title=event.title, code=certificate.code)
    return OutgoingMessage(
        caption[:1024],
        document=Attachment(
            CERTIFICATE_ATTACHMENT, certificate.code, f"certificate-{certificate.code}.pdf"
        ),
    )


async def queue_certificates(
    services: Services, pairs: list[tuple[Certificate, Event, int]]
) -> int:
    """Queue certificates (certificate, event, chat id) through the outbox, once each."""
    items = [
        OutboxItem(
            chat_id,
            certificate_message(
                services.translator, services.language_of(c.language), c, event
            ).to_json(),
            c.participant_id,
            f"certificate:{c.code}",
        )
        for c, event, chat_id in pairs
    ]
    return await _queue(services, items)


@dataclass(frozen=True, slots=True)
class Issued:
    """What the organiser's "send certificates now" did."""

    count: int
    unprintable: tuple[str, ...] = ()  # one line per certificate whose name cannot print


async def send_due_certificates(services: Services, *, now: datetime) -> int:
    """Certificates for people present at events that have ended (and, where the event asks
    for it, who completed the questionnaire); each is made and queued once."""
    storage = services.db
    since = now - timedelta(days=services.settings.attendance.certificate_days)
    candidates = await storage.documents.certificate_candidates(ended_after=since, now=now)
    events: dict[int, Event | None] = {}
    pairs: list[tuple[Certificate, Event, int]] = []
    for c in candidates:
        if c.event_id not in events:
            events[c.event_id] = await storage.events.get_event(c.event_id)
        event = events[c.event_id]
        person = await storage.people.get_participant(c.participant_id)
        if event is None or person is None or person.telegram_id is None:
            continue
        certificate, _ = await issue_certificate(services, event, person, source="auto")
        pairs.append((certificate, event, person.telegram_id))
    queued = await queue_certificates(services, pairs)
    problems = [(c, e) for c, e, _ in pairs if unprintable_letters(services, c)]
    if problems:
        await tell_organisers(services, problems)
    return queued


async def issue_by_organiser(services: Services, event: Event, lang: str) -> Issued:
    """The organiser's "send certificates now": everyone marked present without a
    certificate gets one, whatever the event's certificate setting or the time. The
    result names (in ``lang``) each certificate whose holder's name cannot be printed."""
    storage = services.db
    entries = await storage.attendance.attendance_list(event.id)
    pairs: list[tuple[Certificate, Event, int]] = []
    for entry in entries:
        if entry.presence is not Presence.PRESENT:
            continue
        if await storage.documents.certificate_for(event.id, entry.participant_id) is not None:
            continue
        person = await storage.people.get_participant(entry.participant_id)
        if person is None or person.telegram_id is None or not person.name:
            continue
        certificate, _ = await issue_certificate(services, event, person, source="organiser")
        pairs.append((certificate, event, person.telegram_id))
    count = await queue_certificates(services, pairs)
    lines = [await unprintable_notice(services, lang, c, e) for c, e, _ in pairs]
    return Issued(count, tuple(line for line in lines if line))


async def event_funding(services: Services, event: Event) -> FundingBlock:
    """The funding block an event's documents print: its programme's, else the settings'
    (certificates, the funder's report and the sign-in sheet alike)."""
    from bot.documents import funding_block

    programme = (
        await services.db.documents.programme_documents(event.programme_id)
        if event.programme_id is not None
        else None
    )
    return funding_block(services.settings.documents.funding, programme)


async def render_certificate(services: Services, code: str) -> bytes | None:
    """The certificate's PDF (None when no such certificate or event)."""
    import asyncio

    from bot.documents import document_date, fallback_fonts

    storage, settings = services.db, services.settings
    certificate = await storage.documents.ensure_registration(
        code, prefix=settings.documents.registration_prefix
    )
    if certificate is None:
        return None
    event = await storage.events.get_event(certificate.event_id)
    if event is None:
        return None
    tr = services.translator
    lang = services.language_of(certificate.doc_language or certificate.language)
    second = second_language(lang) if certificate.bilingual else None
    issued = local(certificate.issued_at, event.timezone).date()
    texts = {
        code: LocalTexts(
            dates=document_dates(event, code),
            place=event_place(tr, code, event),
            duration=hours_text(
                tr, code, certificate.hours, certificate.hours_unit, certificate.hours_precision
            ),
            issued=document_date(issued, code),
        )
        for code in filter(None, (lang, second))
    }
    signatory = settings.documents.signatory
    data = CertificateData(
        code=certificate.code,
        reg_number=certificate.reg_number or "",
        name=certificate.name,
        organisation=certificate.organisation,
        title=event.title,
        programme=event.programme_title,
        organiser=settings.organisation_name,
        verify_url=verify_link(services, certificate.code),
        language=lang,
        texts=texts,
        second=second,
        funding=await event_funding(services, event),
        signatory_name=signatory.name.strip(),
        signatory_position=signatory.position.strip(),
        signature_path=signatory.signature_path,
        fallback_fonts=fallback_fonts(settings.documents),
    )
    return await asyncio.to_thread(render_pdf, data, tr)


@dataclass(frozen=True, slots=True)
class Verification:
    certificate: Certificate | None
    event: Event | None


async def verify(services: Services, code: str) -> Verification:
    certificate = await services.db.documents.get_certificate(normalise_code(code))
    if certificate is None:
        return Verification(None, None)
    return Verification(certificate, await services.db.events.get_event(certificate.event_id))


def verification_text(services: Services, lang: str, code: str, found: Verification) -> str:
    certificate, event = found.certificate, found.event
    if certificate is None or event is None:
        return services.t(lang, "attendance-verify-forged", code=code[:20])
    date = event_dates(event, lang)
    if certificate.erased:
        return services.t(
            lang, "attendance-verify-erased", code=certificate.code, title=event.title, date=date
        )
    return services.t(
        lang,
        "cert-verify-ok",
        code=certificate.code,
        number=certificate.reg_number or "—",
        name=certificate.name,
        organisation=certificate.organisation or "—",
        title=event.title,
        date=date,
        hours=hours_text(services.translator, lang, certificate.hours, certificate.hours_unit,
                         certificate.hours_precision),
        organiser=services.settings.organisation_name,
        issued=format_short(certificate.issued_at, event.timezone)[:10],
    )  # fmt: skip


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
    choice = await certificate_choice(services, event)
    hours = hours_text(services.translator, lang, choice.hours, choice.unit,
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
    found = await request_certificate(services, event, participant)
    if isinstance(found, CertRefusal):
        log.info("certificate refused (%s) for user %s event %s", found.value,
                 participant.telegram_id, event_id)  # fmt: skip
        return CertificateReply(services.t(lang, f"attendance-cert-{found.value}"))
    content = await render_certificate(services, found.code)
    if content is None:
        return CertificateReply(services.t(lang, "error-event-gone"))
    message = certificate_message(
        services.translator, services.language_of(found.language), found, event
    )
    return CertificateReply(message.text, content, f"certificate-{found.code}.pdf")


async def issue_text(services: Services, lang: str, event: Event, *, by: int) -> str:
    """The organiser's "issue certificates" button: issue, and say how many."""
    from bot.views import fit  # bot.views imports bot.attendance

    issued = await issue_by_organiser(services, event, lang)
    log.info("organiser %s issued %d certificates for event %s", by, issued.count,
             event.id)  # fmt: skip
    key = "attendance-issued" if issued.count else "attendance-issued-none"
    return fit([services.t(lang, key, count=issued.count), *issued.unprintable])
