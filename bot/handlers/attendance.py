"""Handlers of the attendance area: check-in links, the online "Join" button and waitlist
offers (participants); ``/attendance`` and ``/checkin`` with the attendance screens
(organisers: declared ``organiser=True``, and ``AttendancePress`` is an organiser class, so
the routes put them behind the organiser gate). The logic is in bot/attendance.py; the
screens' document buttons (certificates, the report, the sign-in sheet) are sent by
bot/handlers/documents.py.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot import attendance
from bot.access import JoinRefusal
from bot.attendance import (
    AttAction,
    AttendancePress,
    CheckIn,
    CheckinLink,
    CheckInResult,
    FollowUp,
    JoinPress,
    OfferPress,
)
from bot.handlers import documents
from bot.handlers import participants as participant_handlers
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    in_private_chat,
    participant_press,
    reply,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.i18n import format_short
from bot.messages import Button, OutgoingMessage
from bot.models import Event, OfferOutcome, Participant, RsvpStatus
from bot.payloads import PayloadKind
from bot.services import Services
from bot.views import event_card

log = logging.getLogger(__name__)


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
    step = await attendance.checkin_by_link(services, participant, code)
    if step.kind is CheckinLink.UNKNOWN or step.event is None:
        log.info("check-in: unknown code from user %s", participant.telegram_id)
        await reply(update, context, services.t(lang, "attendance-checkin-unknown"))
        return
    if step.kind is CheckinLink.REGISTER:
        await reply(update, context, services.t(lang, "attendance-checkin-register"))
        await participant_handlers.begin_registration(update, context, participant, step.event.id)
        return
    assert step.result is not None
    if step.result.outcome is not CheckIn.OK:
        log.info("check-in: %s for user %s event %s", step.result.outcome.value,
                 participant.telegram_id, step.event.id)  # fmt: skip
    await reply(update, context, checkin_text(services, lang, step.result))


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
    pressed = await participant_press(update, context, JoinPress, OfferPress)
    if pressed is None:
        return
    participant, data = pressed
    if isinstance(data, JoinPress):
        await _on_join(update, context, participant, data.event_id)
    elif isinstance(data, OfferPress):
        await _on_offer(update, context, participant, data)


async def _on_join(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    """The meeting link, in a private reply only to this person (never in the card itself,
    which can be forwarded): see bot/access.py for who gets it and when."""
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = services.language_of(participant.language)
    step = None
    if in_private_chat(update):
        step = await attendance.join_by_press(services, participant, event_id)
    if step is None:
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    event, result = step.event, step.result
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
    step = await attendance.offer_press(services, participant, press)
    if step.outcome in (OfferOutcome.EXPIRED, OfferOutcome.NONE):
        await query.answer(services.t(lang, f"attendance-offer-{step.outcome.value}"),
                           show_alert=True)  # fmt: skip
        return
    await query.answer()
    if step.event is not None:
        header = services.t(lang, "attendance-offer-accepted")
        await edit(query, event_card(services.translator, lang, step.event, status=RsvpStatus.YES,
                                     counts=step.counts, header=header))  # fmt: skip
        return
    await edit(query, OutgoingMessage(services.t(lang, "attendance-offer-declined")))


# -- organisers: /attendance, /checkin ----------------------------------------------------------


async def attendance_command(update: Update, context: BotContext) -> None:
    services, lang = context.services, context.lang
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        picker = await attendance.pick_event(
            services, lang, AttAction.SHOW, upcoming=False, programmes=False
        )
        await reply(update, context, picker)
        return
    if event is not None:
        await reply(update, context, await attendance.attendance_screen(services, lang, event))


async def checkin_command(update: Update, context: BotContext) -> None:
    services, lang = context.services, context.lang
    event = await event_from_args(update, context)
    if isinstance(event, NoEventArgument):
        picker = await attendance.pick_event(
            services, lang, AttAction.QR, upcoming=True, programmes=False
        )
        await reply(update, context, picker)
        return
    if event is not None:
        await _send_qr(update, context, event)


async def _send_qr(update: Update, context: BotContext, event: Event) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    qr = await attendance.checkin_qr(context.services, context.lang, event)
    await context.bot.send_photo(
        chat_id=chat.id, photo=qr.png, filename=qr.filename, caption=qr.caption, parse_mode="HTML"
    )


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = await typed_press(update, context, AttendancePress)
    if data is None:
        return
    step = await attendance.organiser_press(
        context.services, context.lang, data, by=query.from_user.id
    )
    if step.alert:
        await query.answer(step.toast, show_alert=True)
        return
    await query.answer(step.toast)
    if step.edit is not None:
        await edit(query, step.edit)
    if step.reply is not None:
        await reply(update, context, step.reply)
    event = step.event
    if step.follow_up is FollowUp.PROGRAMME_REPORT:
        await documents.send_report(update, context, programme_id=step.programme_id)
    elif event is None:
        return
    elif step.follow_up is FollowUp.QR:
        await _send_qr(update, context, event)
    elif step.follow_up is FollowUp.ISSUE:
        await documents.issue_certificates(update, context, event)
    elif step.follow_up is FollowUp.REPORT:
        await documents.send_report(update, context, event_id=event.id)
    elif step.follow_up is FollowUp.SIGNIN:
        await documents.send_signin_sheet(update, context, event)


def routes(r: Routes) -> None:
    """Participant buttons and the check-in link; organiser commands and buttons, gated
    from their flags."""
    r.payload(PayloadKind.CHECKIN, on_checkin_link)
    r.on_registered(after_registration)
    r.button(on_participant_button, JoinPress, OfferPress)
    r.command("attendance", attendance_command, organiser=True)
    r.command("checkin", checkin_command, organiser=True)
    r.button(on_organiser_button, AttendancePress)
