"""Handlers of the documents area: ``/certificate``, the certificate button and its
verification link, certificates as outbox attachments and the typed number of hours
(participants and organisers); ``/report`` and the report, sign-in sheet and "issue"
buttons of the attendance screen (organisers: declared ``organiser=True``; the buttons are
``AttendancePress``, an organiser class, answered by bot/handlers/attendance.py). The
decisions are in the documents package (bot/documents/).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import filters

from bot import attendance
from bot.attendance import AttAction, CertificatePress
from bot.documents import certificates
from bot.documents.certificates import CERT_HOURS_FLOW
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    event_from_args,
    participant_for,
    participant_press,
    reply,
)
from bot.handlers.routing import Routes
from bot.models import Event, Participant, PendingInput
from bot.payloads import PayloadKind
from bot.services import Services

log = logging.getLogger(__name__)


# -- participants: certificates ------------------------------------------------------------------


async def certificate_command(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None:  # nobody the bot holds (and it stores nobody new here)
        lang = context.lang
        await reply(update, context, context.services.t(lang, "attendance-cert-none"))
        return
    services = context.services
    lang = services.language_of(participant.language)
    menu = await certificates.certificate_menu(services, participant, lang)
    if menu is None:
        await reply(update, context, services.t(lang, "attendance-cert-none"))
    elif isinstance(menu, int):
        await _send_certificate(update, context, participant, menu)
    else:
        await reply(update, context, menu)


async def on_certificate_button(update: Update, context: BotContext) -> None:
    pressed = await participant_press(update, context, CertificatePress)
    if pressed is None:
        return
    participant, data = pressed
    assert isinstance(data, CertificatePress) and update.callback_query is not None
    await update.callback_query.answer()
    await _send_certificate(update, context, participant, data.event_id)


async def _send_certificate(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    chat = update.effective_chat
    if chat is None:
        lang = context.services.language_of(participant.language)
        await reply(update, context, context.services.t(lang, "error-event-gone"))
        return
    found = await certificates.certificate_reply(context.services, participant, event_id)
    if found.content is None:
        await reply(update, context, found.text)
        return
    await context.bot.send_document(
        chat_id=chat.id,
        document=found.content,
        filename=found.filename,
        caption=found.text,
        parse_mode="HTML",
    )


async def on_verify_link(
    update: Update, context: BotContext, participant: Participant, code: str
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    found = await certificates.verify(services, code)
    if found.certificate is None:
        log.info("verification: unknown certificate code from user %s", participant.telegram_id)
    await reply(update, context, certificates.verification_text(services, lang, code, found))


async def _certificate_attachment(services: Services, code: str) -> bytes | None:
    return await certificates.render_certificate(services, code)


async def cert_hours_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """The typed number of hours for the event named in the stored flow state."""
    answer = await certificates.typed_hours(context.services, context.lang, state, text)
    await reply(update, context, answer)


async def issue_certificates(update: Update, context: BotContext, event: Event) -> None:
    """The "issue certificates" button of the attendance screen."""
    by = update.effective_user.id if update.effective_user else 0
    text = await certificates.issue_text(context.services, context.lang, event, by=by)
    await reply(update, context, text)


# -- organisers: the report and the sign-in sheet -----------------------------------------------


async def report_command(update: Update, context: BotContext) -> None:
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        picker = await attendance.pick_event(
            context.services, context.lang, AttAction.REPORT, upcoming=False, programmes=True
        )
        await reply(update, context, picker)
        return
    if event is not None:
        await send_report(update, context, event_id=event.id)


async def send_report(
    update: Update, context: BotContext, *, event_id: int = 0, programme_id: int = 0
) -> None:
    from bot.documents import report  # fpdf and the charts load with the first report

    chat = update.effective_chat
    if chat is None:
        return
    # The report's own language is [documents] language (the funder's), not the chat's.
    files = await report.report_for(context.services, event_id=event_id, programme_id=programme_id)
    if files is None:
        await reply(update, context, context.services.t(context.lang, "error-event-not-found"))
        return
    for filename, content in ((f"{files.name}.pdf", files.pdf), (f"{files.name}.xlsx", files.xlsx)):
        await context.bot.send_document(chat_id=chat.id, document=content, filename=filename)


async def send_signin_sheet(update: Update, context: BotContext, event: Event) -> None:
    """The event's printable sign-in sheet, only in the organiser's private chat (it lists
    names and organisations)."""
    from bot.documents import signin  # fpdf loads with the first sheet

    chat = update.effective_chat
    if chat is None:
        return
    if chat.type != "private":
        log.warning("sign-in sheet of event %s refused in non-private chat %s", event.id, chat.id)
        await reply(update, context, context.services.t(context.lang, "signin-private-only"))
        return
    content = await signin.signin_pdf(context.services, event)
    await context.bot.send_document(
        chat_id=chat.id, document=content, filename=signin.sheet_filename(event)
    )


def routes(r: Routes) -> None:
    """The certificate's deep link, attachment, command, button and typed hours; /report
    (organisers, gated from its flag)."""
    r.payload(PayloadKind.VERIFY, on_verify_link)
    r.attachment(certificates.CERTIFICATE_ATTACHMENT, _certificate_attachment)
    r.text_flow(CERT_HOURS_FLOW, cert_hours_text, organiser=True)
    r.command("certificate", certificate_command, organiser=False, filters=filters.ChatType.PRIVATE)
    r.button(on_certificate_button, CertificatePress)
    r.command("report", report_command, organiser=True)
