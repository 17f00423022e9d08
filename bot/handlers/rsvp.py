"""RSVP handlers: the event card's buttons (an answer, "add to calendar", "show the card").

Each press turns into one call of :mod:`bot.rsvp` and shows what it returns. The data is
untrusted: parsed strictly, and a button naming an event is honoured only for someone
invited to it (``participant_press``)."""

from __future__ import annotations

from telegram import Update

from bot import rsvp
from bot.callbacks import Answer, CalendarPress, EventCardPress, RsvpPress, parse
from bot.handlers.common import BotContext, edit, participant_for, participant_press, reply
from bot.handlers.participants import begin_registration, on_unknown_person
from bot.handlers.routing import Routes
from bot.models import Participant, RsvpStatus

_ANSWERS = {Answer.YES: RsvpStatus.YES, Answer.NO: RsvpStatus.NO, Answer.MAYBE: RsvpStatus.MAYBE}


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    if isinstance(parse(query.data, RsvpPress), RsvpPress) and (
        await participant_for(update, context) is None
    ):
        # Someone the bot holds no row for: the data notice, or "no longer valid".
        await on_unknown_person(update, context)
        return
    pressed = await participant_press(update, context, RsvpPress, CalendarPress, EventCardPress)
    if pressed is None:
        return
    participant, data = pressed
    if isinstance(data, RsvpPress):
        await _on_rsvp(update, context, participant, data)
    elif isinstance(data, CalendarPress):
        await _on_calendar(update, context, participant, data.event_id)
    elif isinstance(data, EventCardPress):
        await query.answer()
        card = await rsvp.card_of(context.services, participant, data.event_id)
        await reply(update, context, card)


async def _on_rsvp(
    update: Update, context: BotContext, participant: Participant, press: RsvpPress
) -> None:
    query = update.callback_query
    assert query is not None
    if not participant.registered:
        await query.answer()
        await begin_registration(update, context, participant, press.event_id)
        return
    services = context.services
    shown = await rsvp.press(services, participant, press.event_id, _ANSWERS[press.answer])
    await query.answer(shown.toast, show_alert=shown.alert)
    if shown.card is None:
        return
    await edit(query, shown.card)
    await rsvp.after_press(services, shown)


async def _on_calendar(
    update: Update, context: BotContext, participant: Participant, event_id: int
) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    services = context.services
    file = await rsvp.calendar_file(services, participant, event_id)
    if file is None:
        lang = services.language_of(participant.language)
        await query.answer(services.t(lang, "error-event-gone"), show_alert=True)
        return
    await query.answer()
    await context.bot.send_document(
        chat_id=update.effective_chat.id,
        document=file.data,
        filename=file.filename,
        caption=file.caption,
        parse_mode="HTML",
    )


def routes(r: Routes) -> None:
    """The card's buttons (participants' routes, after it, hold the fallbacks)."""
    r.button(on_button, RsvpPress, CalendarPress, EventCardPress)
