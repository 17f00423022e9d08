"""Handlers of the attendance area: check-in links, the online "Join" button, waitlist
offers, certificates and their verification (participants); ``/attendance``, ``/checkin``
and ``/report`` (organisers: declared ``organiser=True``, and ``AttendancePress`` is an
organiser class, so the routes put them behind the organiser gate).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from telegram import Update
from telegram.ext import filters

from bot import attendance
from bot.access import JoinRefusal
from bot.attendance import (
    CertificatePress,
    CertRefusal,
    CheckIn,
    CheckInResult,
    JoinPress,
    OfferAnswer,
    OfferPress,
)
from bot.callbacks import CallbackData
from bot.handlers import participant as participant_handlers
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    in_private_chat,
    participant_for,
    participant_press,
    reply,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.i18n import format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    AttendanceEntry,
    AttendanceSettings,
    CertificateMode,
    Event,
    HoursUnit,
    OfferOutcome,
    Participant,
    PendingInput,
    Presence,
    RsvpStatus,
    SurveyAudience,
)
from bot.payloads import PayloadKind
from bot.qr import qr_png
from bot.services import Services
from bot.views import event_card, event_picker, fit

log = logging.getLogger(__name__)

PAGE_SIZE = 16
OFFER_CHOICES = (0, 2 * 60, 12 * 60, 24 * 60, 48 * 60)  # minutes; 0 = no offers
AUDIENCES = tuple(SurveyAudience)
CERT_MODES = tuple(CertificateMode)
CERT_LANGUAGES = ("", "lt", "en", "uk")
CERT_HOURS_FLOW = "cert-hours"
MAX_CERT_HOURS = 1000
HOURS_UNITS = tuple(HoursUnit)


class AttAction(StrEnum):
    SHOW = "show"  # arg: -, page: the page
    TOGGLE = "tog"  # arg: participant id
    ALL_YES = "yes"
    REST_ABSENT = "abs"
    SETTINGS = "set"
    OFFER = "offer"  # arg: minutes, 0 = off
    AUDIENCE = "aud"  # arg: index in AUDIENCES
    CERTS = "certs"  # arg: index in CERT_MODES
    CERT_LANG = "clang"  # arg: index in CERT_LANGUAGES (0: the programme's / settings')
    CERT_BILINGUAL = "cbi"  # arg: 1 on, 0 off
    CERT_UNIT = "cunit"  # arg: index in HOURS_UNITS
    CERT_PRECISION = "cprec"  # arg: decimals 0-2
    CERT_HOURS = "chours"  # asks for the number of hours (typed)
    QR = "qr"
    ISSUE = "issue"
    REPORT = "rep"  # an event's report
    PROGRAMME = "prog"  # arg: programme id (event_id 0)
    SIGNIN = "sign"  # the printable sign-in sheet (PDF)


SETTING_ACTIONS = (
    AttAction.OFFER, AttAction.AUDIENCE, AttAction.CERTS, AttAction.CERT_LANG,
    AttAction.CERT_BILINGUAL, AttAction.CERT_UNIT, AttAction.CERT_PRECISION,
)  # fmt: skip


@dataclass(frozen=True)
class AttendancePress(CallbackData):
    prefix: ClassVar[str] = "oa"
    organiser: ClassVar[bool] = True
    action: AttAction
    event_id: int
    arg: int = 0
    page: int = 0


# -- participants: check-in ---------------------------------------------------------------------


def checkin_text(services: Services, lang: str, result: CheckInResult) -> str:
    event = result.event
    if result.outcome is CheckIn.UNKNOWN or event is None:
        return services.t(lang, "attendance-checkin-unknown")
    if result.outcome is CheckIn.EARLY and result.opens_at is not None:
        opens = format_short(result.opens_at, event.timezone)
        return services.t(lang, "attendance-checkin-early", title=event.title, opens=opens)
    return services.t(lang, f"attendance-checkin-{result.outcome.value}", title=event.title)


async def on_checkin_link(
    update: Update, context: BotContext, participant: Participant, code: str
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    event = await attendance.event_for_checkin(services, code)
    if event is None:
        log.info("check-in: unknown code from user %s", participant.telegram_id)
        await reply(update, context, services.t(lang, "attendance-checkin-unknown"))
        return
    if not participant.registered:
        await services.db.attendance.set_checkin_intent(
            participant.id, event.id, now=services.clock.now()
        )
        await reply(update, context, services.t(lang, "attendance-checkin-register"))
        await participant_handlers.begin_registration(update, context, participant, event.id)
        return
    result = await attendance.check_in(services, event, participant)
    if result.outcome is not CheckIn.OK:
        log.info("check-in: %s for user %s event %s", result.outcome.value,
                 participant.telegram_id, event.id)  # fmt: skip
    await reply(update, context, checkin_text(services, lang, result))


async def after_registration(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> bool:
    """A check-in begun before registering resumes here (True: answered, no card)."""
    services = context.services
    result = await attendance.resume_checkin(services, participant, event_id)
    if result is None:
        return False
    lang = services.language_of(participant.language)
    await reply(update, context, checkin_text(services, lang, result))
    return True


# -- participants: buttons ----------------------------------------------------------------------


async def on_participant_button(update: Update, context: BotContext) -> None:
    pressed = await participant_press(update, context, JoinPress, OfferPress, CertificatePress)
    if pressed is None:
        return
    participant, data = pressed
    query = update.callback_query
    assert query is not None
    if isinstance(data, JoinPress):
        await _on_join(update, context, participant, data.event_id)
    elif isinstance(data, OfferPress):
        await _on_offer(update, context, participant, data)
    elif isinstance(data, CertificatePress):
        await query.answer()
        await _send_certificate(update, context, participant, data.event_id)


async def _on_join(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    """The meeting link, in a private reply only to this person (never in the card itself,
    which can be forwarded): see bot/access.py for who gets it and when."""
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = services.language_of(participant.language)
    event = await services.db.events.get_event(event_id)
    if event is None or not in_private_chat(update):
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    result = await attendance.join_online(services, event, participant)
    if result.refusal is JoinRefusal.NO_LINK or not event.online_url:
        await query.answer(services.t(lang, "attendance-join-no-link"), show_alert=True)
        return
    if result.refusal is JoinRefusal.NOT_YES:
        await query.answer(services.t(lang, "access-join-not-yes"), show_alert=True)
        return
    await query.answer()
    buttons: tuple[tuple[Button, ...], ...] = ()
    if result.refusal is JoinRefusal.EARLY and result.opens_at is not None:
        opens = format_short(result.opens_at, event.timezone)
        text = services.t(lang, "access-join-early", title=event.title, opens=opens)
    elif result.refusal is JoinRefusal.OVER:
        text = services.t(lang, "attendance-join-over", title=event.title)
    elif result.checkin in (CheckIn.OK, CheckIn.ALREADY):
        text = services.t(lang, "attendance-join-ok", title=event.title)
        buttons = (
            (Button(services.t(lang, "attendance-btn-open-meeting"), url=event.online_url),),
        )
    else:
        text = checkin_text(services, lang, CheckInResult(result.checkin or CheckIn.UNKNOWN, event))
    await reply(update, context, OutgoingMessage(text, buttons))


async def _on_offer(
    update: Update, context: BotContext, participant: Participant, press: OfferPress
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = services.language_of(participant.language)
    accept = press.answer is OfferAnswer.ACCEPT
    result = await attendance.answer_offer(services, press.event_id, participant.id, accept)
    if result.outcome in (OfferOutcome.EXPIRED, OfferOutcome.NONE):
        await query.answer(services.t(lang, f"attendance-offer-{result.outcome.value}"),
                           show_alert=True)  # fmt: skip
        return
    await query.answer()
    event = await services.db.events.get_event(press.event_id)
    if result.outcome is OfferOutcome.ACCEPTED and event is not None:
        counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id)
        header = services.t(lang, "attendance-offer-accepted")
        await edit(query, event_card(services.translator, lang, event, status=RsvpStatus.YES,
                                     counts=counts, header=header))  # fmt: skip
        return
    await edit(query, OutgoingMessage(services.t(lang, "attendance-offer-declined")))


# -- participants: certificates ------------------------------------------------------------------


async def certificate_command(update: Update, context: BotContext) -> None:
    participant = await participant_for(update, context)
    if participant is None:  # nobody the bot holds (and it stores nobody new here)
        lang = context.lang
        await reply(update, context, context.services.t(lang, "attendance-cert-none"))
        return
    services = context.services
    lang = services.language_of(participant.language)
    event_ids = await services.db.documents.attended_events(
        participant.id, ended_before=services.clock.now()
    )
    if not event_ids:
        await reply(update, context, services.t(lang, "attendance-cert-none"))
        return
    if len(event_ids) == 1:
        await _send_certificate(update, context, participant, event_ids[0])
        return
    buttons = []
    for event_id in event_ids:
        event = await services.db.events.get_event(event_id)
        if event is not None:
            label = f"{format_short(event.starts_at, event.timezone)[:10]} {event.title}"
            buttons.append(Button(label[:60], CertificatePress(event_id).pack()))
    await reply(
        update,
        context,
        OutgoingMessage(services.t(lang, "attendance-cert-pick"), rows(*buttons, per_row=1)),
    )


async def _send_certificate(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    event = await services.db.events.get_event(event_id)
    chat = update.effective_chat
    if event is None or chat is None:
        await reply(update, context, services.t(lang, "error-event-gone"))
        return
    found = await attendance.request_certificate(services, event, participant)
    if isinstance(found, CertRefusal):
        log.info("certificate refused (%s) for user %s event %s", found.value,
                 participant.telegram_id, event_id)  # fmt: skip
        await reply(update, context, services.t(lang, f"attendance-cert-{found.value}"))
        return
    content = await attendance.render_certificate(services, found.code)
    if content is None:
        await reply(update, context, services.t(lang, "error-event-gone"))
        return
    message = attendance.certificate_message(
        services.translator, services.language_of(found.language), found, event
    )
    await context.bot.send_document(
        chat_id=chat.id,
        document=content,
        filename=f"certificate-{found.code}.pdf",
        caption=message.text,
        parse_mode="HTML",
    )


async def on_verify_link(
    update: Update, context: BotContext, participant: Participant, code: str
) -> None:
    services = context.services
    lang = services.language_of(participant.language)
    found = await attendance.verify(services, code)
    if found.certificate is None:
        log.info("verification: unknown certificate code from user %s", participant.telegram_id)
    await reply(update, context, attendance.verification_text(services, lang, code, found))


async def _certificate_attachment(services: Services, code: str) -> bytes | None:
    return await attendance.render_certificate(services, code)


# -- organisers: /attendance --------------------------------------------------------------------


def _presence_icon(presence: Presence | None) -> str:
    if presence is Presence.PRESENT:
        return "✅"
    return "❌" if presence is Presence.ABSENT else "▫️"


def _rsvp_mark(status: RsvpStatus | None) -> str:
    if status is RsvpStatus.YES:
        return ""
    return {None: " (—)", RsvpStatus.MAYBE: " (🤔)", RsvpStatus.WAITLIST: " (⏳)",
            RsvpStatus.NO: " (❌)"}[status]  # fmt: skip


async def attendance_screen(
    services: Services, lang: str, event: Event, page: int = 0
) -> OutgoingMessage:
    storage = services.db
    counts = (await storage.attendance.attendance_counts([event.id]))[event.id]
    entries = await storage.attendance.attendance_list(event.id)
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = [
        services.t(lang, "attendance-title", id=event.id, title=event.title),
        format_short(event.starts_at, event.timezone),
        "",
        services.t(
            lang,
            "attendance-counts",
            invited=counts.invited,
            yes=counts.yes,
            present=counts.present,
            walkin=counts.present_without_yes,
            absent=counts.absent,
            noshow=counts.no_show,
        ),
        "",
        services.t(lang, "attendance-legend") if entries else services.t(lang, "attendance-empty"),
    ]
    if pages > 1:
        lines.append(services.t(lang, "attendance-page", page=page + 1, pages=pages))
    shown: list[AttendanceEntry] = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    people = [
        Button(
            f"{_presence_icon(e.presence)} {e.name or '#' + str(e.participant_id)}"[:40]
            + _rsvp_mark(e.rsvp),
            AttendancePress(AttAction.TOGGLE, event.id, e.participant_id, page).pack(),
        )
        for e in shown
    ]
    buttons = list(rows(*people, per_row=2))
    paging = []
    if page > 0:
        paging.append(Button("◀", AttendancePress(AttAction.SHOW, event.id, 0, page - 1).pack()))
    if page < pages - 1:
        paging.append(Button("▶", AttendancePress(AttAction.SHOW, event.id, 0, page + 1).pack()))
    if paging:
        buttons.append(tuple(paging))

    def press(action: AttAction, key: str) -> Button:
        return Button(services.t(lang, key), AttendancePress(action, event.id, 0, page).pack())

    buttons += [
        (
            press(AttAction.ALL_YES, "attendance-btn-all-yes"),
            press(AttAction.REST_ABSENT, "attendance-btn-rest-absent"),
        ),
        (
            press(AttAction.QR, "attendance-btn-qr"),
            press(AttAction.SETTINGS, "attendance-btn-settings"),
        ),
        (
            press(AttAction.ISSUE, "attendance-btn-issue"),
            press(AttAction.REPORT, "attendance-btn-report"),
        ),
        (press(AttAction.SIGNIN, "attendance-btn-signin"),),
    ]
    return OutgoingMessage(fit(lines), tuple(buttons))


async def settings_screen(services: Services, lang: str, event: Event) -> OutgoingMessage:
    settings = await services.db.attendance.attendance_settings(event.id)
    if settings.offer_minutes:
        hours = attendance.hours_value(settings.offer_minutes / 60)
        offer_line = services.t(lang, "attendance-settings-offer", hours=hours)
    else:
        offer_line = services.t(lang, "attendance-settings-offer-off")
    lines = [
        services.t(lang, "attendance-settings-title", id=event.id, title=event.title),
        "",
        offer_line,
        services.t(lang, f"attendance-settings-audience-{settings.survey_audience.value}"),
        services.t(lang, f"attendance-settings-certs-{settings.certificates.value}"),
    ]

    def mark(label: str, chosen: bool) -> str:
        return f"● {label}" if chosen else label

    offers = [
        Button(
            mark(
                services.t(lang, "attendance-btn-offer-hours", hours=m // 60)
                if m
                else services.t(lang, "attendance-btn-offer-off"),
                (settings.offer_minutes or 0) == m,
            ),
            AttendancePress(AttAction.OFFER, event.id, m).pack(),
        )
        for m in OFFER_CHOICES
    ]
    audiences = [
        Button(
            mark(services.t(lang, f"attendance-btn-audience-{a.value}"),
                 settings.survey_audience is a),
            AttendancePress(AttAction.AUDIENCE, event.id, i).pack(),
        )
        for i, a in enumerate(AUDIENCES)
    ]  # fmt: skip
    certs = [
        Button(
            mark(services.t(lang, f"attendance-btn-certs-{c.value}"), settings.certificates is c),
            AttendancePress(AttAction.CERTS, event.id, i).pack(),
        )
        for i, c in enumerate(CERT_MODES)
    ]
    back = Button(
        services.t(lang, "attendance-btn-back"), AttendancePress(AttAction.SHOW, event.id).pack()
    )
    cert_lines, cert_rows = await certificate_settings(services, lang, event, settings, mark)
    return OutgoingMessage(
        "\n".join([*lines, *cert_lines]),
        (*rows(*offers, per_row=3), *rows(*audiences, per_row=1), *rows(*certs, per_row=1),
         *cert_rows, (back,)),
    )  # fmt: skip


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


async def _pick(
    update: Update, context: BotContext, action: AttAction, *, upcoming: bool, programmes: bool
) -> None:
    services = context.services
    if upcoming:
        events = await services.db.events.list_events(ends_after=services.clock.now(), limit=20)
    else:
        events = await services.db.events.list_recent_events(limit=20)
    extra = []
    if programmes:
        for programme in (await services.db.events.list_programmes())[:10]:
            extra.append(
                Button(
                    f"📚 {programme.title}"[:48],
                    AttendancePress(AttAction.PROGRAMME, 0, programme.id).pack(),
                )
            )
    picker = event_picker(
        services.translator, context.lang, events, lambda e: AttendancePress(action, e.id).pack(),
        prompt="attendance-pick-event", empty="attendance-no-events", extra=extra,
    )  # fmt: skip
    await reply(update, context, picker)


async def _event(update: Update, context: BotContext, event_id: int) -> Event | None:
    services = context.services
    event = await services.db.events.get_event(event_id)
    if event is None:
        lang = context.lang
        await reply(update, context, services.t(lang, "error-event-not-found"))
    return event


async def attendance_command(update: Update, context: BotContext) -> None:
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        await _pick(update, context, AttAction.SHOW, upcoming=False, programmes=False)
        return
    if event is not None:
        lang = context.lang
        await reply(update, context, await attendance_screen(context.services, lang, event))


async def checkin_command(update: Update, context: BotContext) -> None:
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        await _pick(update, context, AttAction.QR, upcoming=True, programmes=False)
        return
    if event is not None:
        await _send_qr(update, context, event.id)


async def report_command(update: Update, context: BotContext) -> None:
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        await _pick(update, context, AttAction.REPORT, upcoming=False, programmes=True)
        return
    if event is not None:
        await _send_report(update, context, event_id=event.id)


async def _send_qr(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    event = await _event(update, context, event_id)
    chat = update.effective_chat
    if event is None or chat is None:
        return
    lang = context.lang
    link = await attendance.checkin_link(services, event.id)
    opens, closes = attendance.checkin_window(services, event)
    caption = services.t(
        lang, "attendance-checkin-qr", title=event.title,
        opens=format_short(opens, event.timezone), closes=format_short(closes, event.timezone),
        link=link,
    )  # fmt: skip
    await context.bot.send_photo(
        chat_id=chat.id,
        photo=qr_png(link, scale=10),
        filename=f"checkin-{event.id}.png",
        caption=caption[:1024],
        parse_mode="HTML",
    )


async def _send_report(
    update: Update, context: BotContext, *, event_id: int = 0, programme_id: int = 0
) -> None:
    from bot.documents import report as reports

    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    lang = context.lang
    # The report's own language is [documents] language (the funder's), not the chat's.
    if programme_id:
        files = await reports.programme_report(services, programme_id)
    else:
        event = await _event(update, context, event_id)
        if event is None:
            return
        files = await reports.event_report(services, event)
    if files is None:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    for filename, content in ((f"{files.name}.pdf", files.pdf), (f"{files.name}.xlsx", files.xlsx)):
        await context.bot.send_document(chat_id=chat.id, document=content, filename=filename)


async def _send_signin_sheet(update: Update, context: BotContext, event: Event) -> None:
    """The event's printable sign-in sheet, only in the organiser's private chat (it lists
    names and organisations)."""
    from bot.documents import signin

    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    if chat.type != "private":
        lang = context.lang
        log.warning("sign-in sheet of event %s refused in non-private chat %s", event.id, chat.id)
        await reply(update, context, services.t(lang, "signin-private-only"))
        return
    content = await signin.signin_pdf(services, event)
    await context.bot.send_document(
        chat_id=chat.id, document=content, filename=signin.sheet_filename(event)
    )


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = context.lang
    data = await typed_press(update, context, AttendancePress)
    if data is None:
        return
    action, now = data.action, services.clock.now()
    if action is AttAction.PROGRAMME:
        await query.answer()
        await _send_report(update, context, programme_id=data.arg)
        return
    event = await services.db.events.get_event(data.event_id)
    if event is None:
        await query.answer(services.t(lang, "error-event-not-found"), show_alert=True)
        return
    storage = services.db
    toast: str | None = None
    if action is AttAction.TOGGLE:
        current = await storage.attendance.get_presence(event.id, data.arg)
        wanted = Presence.ABSENT if current is Presence.PRESENT else Presence.PRESENT
        await storage.attendance.mark_presence(
            event.id, [data.arg], wanted, source="organiser", now=now
        )
        log.info("organiser %s marked %s %s at event %s", query.from_user.id, data.arg,
                 wanted.value, event.id)  # fmt: skip
    elif action is AttAction.ALL_YES:
        count = await storage.attendance.mark_yes_present(event.id, now=now)
        toast = services.t(lang, "attendance-marked", count=count)
    elif action is AttAction.REST_ABSENT:
        count = await storage.attendance.mark_unmarked_absent(event.id, now=now)
        toast = services.t(lang, "attendance-marked", count=count)
    elif action in SETTING_ACTIONS:
        if not await _change_setting(services, event, data):
            await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
            return
        await query.answer(services.t(lang, "attendance-settings-saved"))
        await edit(query, await settings_screen(services, lang, event))
        return
    await query.answer(toast)
    if action is AttAction.SETTINGS:
        await edit(query, await settings_screen(services, lang, event))
    elif action is AttAction.CERT_HOURS:
        state = PendingInput(query.from_user.id, CERT_HOURS_FLOW, {"event_id": event.id})
        await storage.people.set_pending_input(state, now)
        await reply(update, context, services.t(lang, "cert-ask-hours"))
    elif action is AttAction.QR:
        await _send_qr(update, context, event.id)
    elif action is AttAction.ISSUE:
        issued = await attendance.issue_by_organiser(services, event, lang)
        log.info("organiser %s issued %d certificates for event %s", query.from_user.id,
                 issued.count, event.id)  # fmt: skip
        key = "attendance-issued" if issued.count else "attendance-issued-none"
        text = services.t(lang, key, count=issued.count)
        await reply(update, context, fit([text, *issued.unprintable]))
    elif action is AttAction.REPORT:
        await _send_report(update, context, event_id=event.id)
    elif action is AttAction.SIGNIN:
        await _send_signin_sheet(update, context, event)
    else:
        await edit(query, await attendance_screen(services, lang, event, data.page))


async def _change_setting(services: Services, event: Event, press: AttendancePress) -> bool:
    storage, now = services.db, services.clock.now()
    if press.action is AttAction.OFFER:
        if press.arg not in OFFER_CHOICES:
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, offer_minutes=press.arg or None, no_offers=press.arg == 0
        )
    elif press.action is AttAction.AUDIENCE:
        if press.arg >= len(AUDIENCES):
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, survey_audience=AUDIENCES[press.arg]
        )
    elif press.action is AttAction.CERTS:
        if press.arg >= len(CERT_MODES):
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, certificates=CERT_MODES[press.arg]
        )
    else:
        column, value = _certificate_column(press)
        if not column:
            return False
        await storage.attendance.set_attendance_settings(
            event.id, now=now, certificate={column: value}
        )
    log.info("attendance settings of event %s: %s = %s", event.id, press.action.value, press.arg)
    return True


def parse_hours(text: str) -> float | None:
    """ "6", "7,5", "7.5 h" -> hours; 0 -> computed from the times (None: not a number)."""
    match = re.fullmatch(r"\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*[^\d\s]{0,12}\s*", text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if value <= MAX_CERT_HOURS else None


async def cert_hours_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """The typed number of hours for the event named in the stored flow state."""
    services = context.services
    lang = context.lang
    event_id = state.data.get("event_id")
    event = await services.db.events.get_event(event_id) if isinstance(event_id, int) else None
    if event is None:
        await services.db.people.clear_pending_input(state.telegram_id)
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    hours = parse_hours(text)
    if hours is None:
        log.info("certificate hours: not a number from organiser %s", state.telegram_id)
        await reply(update, context, services.t(lang, "cert-hours-invalid", max=MAX_CERT_HOURS))
        return
    await services.db.attendance.set_attendance_settings(
        event.id, now=services.clock.now(), certificate={"cert_hours": hours or None}
    )
    await services.db.people.clear_pending_input(state.telegram_id)
    log.info("attendance settings of event %s: certificate hours = %s", event.id, hours)
    await reply(update, context, await settings_screen(services, lang, event))


def _certificate_column(press: AttendancePress) -> tuple[str, object]:
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


def routes(r: Routes) -> None:
    """Participant buttons and deep links of this area; organiser commands and buttons,
    gated from their flags."""
    r.payload(PayloadKind.CHECKIN, on_checkin_link)
    r.payload(PayloadKind.VERIFY, on_verify_link)
    r.on_registered(after_registration)
    r.attachment(attendance.CERTIFICATE_ATTACHMENT, _certificate_attachment)
    r.text_flow(CERT_HOURS_FLOW, cert_hours_text, organiser=True)
    r.command("certificate", certificate_command, organiser=False, filters=filters.ChatType.PRIVATE)
    r.button(on_participant_button, JoinPress, OfferPress, CertificatePress)
    r.command("attendance", attendance_command, organiser=True)
    r.command("checkin", checkin_command, organiser=True)
    r.command("report", report_command, organiser=True)
    r.button(on_organiser_button, AttendancePress)
