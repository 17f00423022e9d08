"""Handlers of the invitations area: participant lists (an organiser's CSV/XLSX upload and
/personal), personal links (``/start p_<code>``) and their "Is it you?" question, /postcard
group cards and presses on them, and the chats the bot is in (trusted groups).

Adapters only: each turns the update into one call of bot/invitations.py and renders what
it returns; the Telegram work in between (downloading the list, posting the card, sending
the files) is done here. The organiser routes are declared with their flag; the organiser
buttons of this area share ``BroadcastPress`` and arrive through bot/handlers/broadcast.py.
"""

from __future__ import annotations

import functools
import logging

from telegram import ChatMemberUpdated, LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import filters

from bot import invitations as service
from bot.broadcast import BroadcastAction, BroadcastPress
from bot.callbacks import Answer, PersonalLinkPress, parse
from bot.handlers import participants as participant
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    participant_press,
    reply,
    send,
)
from bot.handlers.markup import to_markup
from bot.handlers.routing import Routes
from bot.invitations import GroupRsvpPress, LinkStep, ListStep, PostStep
from bot.models import Participant, PendingInput
from bot.payloads import PayloadKind

log = logging.getLogger(__name__)


def _uid(update: Update) -> int:
    return update.effective_user.id if update.effective_user else 0


# -- participant lists in chat: upload to import, /personal to export -----------------------


async def _download(context: BotContext, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


async def _download_again(context: BotContext, file_id: str) -> bytes:
    """The list checked earlier, fetched again; gone if Telegram no longer has it."""
    try:
        return await _download(context, file_id)
    except TelegramError as exc:
        raise service.FileGone(str(exc)) from exc


async def _show_list(update: Update, context: BotContext, step: ListStep) -> None:
    for message in step.messages:
        await reply(update, context, message)
    chat = update.effective_chat
    if step.files is None or chat is None:
        return
    await context.bot.send_document(
        chat_id=chat.id, document=step.files.workbook, filename="personal-links.xlsx",
        caption=step.files.caption, parse_mode=ParseMode.HTML,
    )  # fmt: skip
    await context.bot.send_document(
        chat_id=chat.id, document=step.files.kit, filename="personal-links.zip"
    )


async def import_document(update: Update, context: BotContext) -> None:
    """An organiser sent a CSV or XLSX list: check it all, then ask which event it is for."""
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        return
    step = await service.upload(
        context.services, _uid(update), context.lang, file_id=document.file_id,
        name=document.file_name, size=document.file_size,
        fetch=functools.partial(_download, context),
    )  # fmt: skip
    await _show_list(update, context, step)


async def personal_command(update: Update, context: BotContext) -> None:
    """/personal [event]: the personal links and QR codes as files for a mail merge."""
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    event_id = None if isinstance(named, NoEventArgument) else named.id
    await _show_list(
        update, context, await service.personal_links(context.services, context.lang, event_id)
    )


# -- personal invitation links ------------------------------------------------------------


async def _show_link(update: Update, context: BotContext, step: LinkStep) -> None:
    for message in step.messages:
        await reply(update, context, message)
    bound = step.participant
    if bound is None:
        return
    if step.register:
        await participant.begin_registration(
            update, context, bound, step.event.id if step.event else 0
        )
    elif step.event is not None:
        await participant.show_card(update, context, bound, step.event)


async def personal_link(
    update: Update, context: BotContext, person: Participant, code: str
) -> None:
    """``/start p_<code>``: the link bound to this account (or the question whether the
    invitation is theirs), then registration or the event card (bot/invitations.py)."""
    user = update.effective_user
    if user is None:
        return
    await _show_link(
        update, context, await service.open_link(context.services, person, user.id, code)
    )


async def on_personal_link_press(update: Update, context: BotContext) -> None:
    """ "Is this invitation yours?" answered."""
    query = update.callback_query
    pressed = await participant_press(update, context, PersonalLinkPress)
    user = update.effective_user
    if query is None or pressed is None or user is None:
        return
    press = pressed[1]
    assert isinstance(press, PersonalLinkPress)
    step = await service.answer_link_question(
        context.services, user.id, context.lang, yes=press.answer is Answer.YES
    )
    if step.notice is not None:
        await query.answer(step.notice, show_alert=step.alert)
        return
    await query.answer()
    if step.edit is not None:
        await edit(query, step.edit)
    await _show_link(update, context, step)


# -- /postcard: an invitation card in a group or channel ------------------------------------


async def _show_post(update: Update, context: BotContext, step: PostStep) -> None:
    if step.message is not None:
        if not step.private:
            await reply(update, context, step.message)
            return
        try:
            await send(context, _uid(update), step.message)
        except TelegramError:
            await reply(update, context, step.fallback or "")
        return
    if step.post is None:
        return
    post = step.post
    try:
        sent = await context.bot.send_message(
            chat_id=post.chat_id, text=post.card.text, parse_mode=ParseMode.HTML,
            reply_markup=to_markup(post.card),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )  # fmt: skip
    except TelegramError as exc:
        log.info("could not post event %d to chat %s: %s", post.event.id, post.chat_id, exc)
        await reply(update, context, post.failed)
        return
    where = update.effective_chat
    told = await service.posted(
        context.services, _uid(update), context.lang, post.event, chat_id=sent.chat.id,
        chat_type=sent.chat.type, chat_title=sent.chat.title, message_id=sent.message_id,
        from_chat_id=where.id if where is not None else None,
    )  # fmt: skip
    if told is not None:
        await reply(update, context, told)


async def postcard_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    in_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    if in_group:  # an organiser sent /postcard inside the group: that confirms the group
        await service.confirm_group(services, chat.id, chat.type, chat.title or "", _uid(update))
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    step = await service.postcard(
        services, _uid(update), context.lang,
        None if isinstance(named, NoEventArgument) else named,
        group_id=chat.id if in_group else None,
    )  # fmt: skip
    await _show_post(update, context, step)


async def postcard_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """A chat id or @username typed instead of picking a known chat."""
    step = await service.postcard_typed(context.services, _uid(update), context.lang, state, text)
    await _show_post(update, context, step)


async def on_organiser_press(update: Update, context: BotContext, data: BroadcastPress) -> None:
    """This area's organiser buttons (answered already by bot/handlers/broadcast.py)."""
    services, uid, lang = context.services, _uid(update), context.lang
    if data.action is BroadcastAction.IMPORT:
        fetch = functools.partial(_download_again, context)
        await _show_list(
            update, context, await service.import_to_event(services, uid, lang, data.arg, fetch)
        )
        return
    step = await service.postcard_press(services, uid, lang, data.action, data.arg)
    await _show_post(update, context, step)


async def on_group_press(update: Update, context: BotContext) -> None:
    """An RSVP pressed on a card in a group or channel."""
    query = update.callback_query
    assert query is not None
    user = query.from_user
    message = query.message
    chat = message.chat if message is not None else None
    answer = await service.group_answer(
        context.services, user_id=user.id, is_bot=user.is_bot,
        language_code=user.language_code, data=parse(query.data, GroupRsvpPress),
        raw=query.data or "", chat_id=chat.id if chat is not None else None,
        chat_type=chat.type if chat is not None else None,
        message_id=message.message_id if message is not None else None,
    )  # fmt: skip
    if answer.alert:
        await query.answer(answer.notice, show_alert=True)
    elif answer.url is not None:
        await query.answer(answer.notice, url=answer.url)
    else:
        await query.answer(answer.notice)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Where the bot may post (groups, channels), and who blocked or unblocked it."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    await service.chat_membership(
        context.services, chat_id=change.chat.id, chat_type=change.chat.type,
        title=change.chat.title, status=change.new_chat_member.status,
        old_status=change.old_chat_member.status,
        by=change.from_user.id if change.from_user else None,
    )  # fmt: skip


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.text_flow(service.POST_FLOW, postcard_text, organiser=True)
    r.payload(PayloadKind.PERSONAL, personal_link)
    # The gate answers a group with "use the private chat"; /postcard alone is meant for a
    # group too (sent inside it, it posts the card there).
    r.command(
        "postcard",
        postcard_command,
        organiser=True,
        in_groups=True,
        filters=filters.ChatType.PRIVATE | filters.ChatType.GROUPS,
    )
    r.command("personal", personal_command, organiser=True)
    # A list sent by an organiser; anyone else's file goes on to the participant catch-all.
    lists = filters.Document.FileExtension("csv") | filters.Document.FileExtension("xlsx")
    r.upload(import_document, lists, organiser=True)
    r.button(on_group_press, GroupRsvpPress)
    r.button(on_personal_link_press, PersonalLinkPress)
    # Its own handler group: another area may also watch my_chat_member updates.
    r.on_chat_member(on_my_chat_member)
