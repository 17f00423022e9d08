"""Handlers of the broadcast area: /broadcast, the live progress message, /postcard,
presses on cards in groups and channels, personal invitation links.

The guided /broadcast flow keeps its state in ``pending_inputs`` (kind ``broadcast``):
event -> segment -> kind (and text) -> preview with the recipient count -> send. Buttons
carry only ids and are checked against that state, so a stale or forged press changes
nothing. Every organiser route is declared with its flag (``BroadcastPress.organiser``,
``organiser=True``), from which the routes apply the organiser gate.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import ChatMemberUpdated, LinkPreviewOptions, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import filters

from bot import broadcast as service
from bot import invitations as imports
from bot import rsvp
from bot.broadcast import (
    GROUP_ANSWERS,
    BroadcastAction,
    BroadcastPress,
    CampaignKind,
    GroupRsvpPress,
    Segment,
    SegmentKind,
)
from bot.callbacks import Answer, PersonalLinkPress, parse
from bot.handlers import participant
from bot.handlers.common import (
    BotContext,
    NoEventArgument,
    edit,
    event_from_args,
    participant_press,
    reply,
    send,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.i18n import Markup, normalise_language
from bot.messages import Button, OutgoingMessage, rows
from bot.models import (
    BindOutcome,
    BindResult,
    Event,
    EventStatus,
    ImportRow,
    Participant,
    PendingInput,
)
from bot.participants import PERSONAL_CONFIRM_FLOW, identity_hint, open_personal_link
from bot.payloads import Payload, PayloadKind, deep_link
from bot.sender import to_markup
from bot.services import Services
from bot.views import event_card, event_picker, fit

log = logging.getLogger(__name__)

FLOW = "broadcast"
POST_FLOW = "postcard"
IMPORT_FLOW = "import"
MAX_CHOICES = 30  # buttons in one picker
_RULE = "────────"

# Segment menu keys -> how they become a Segment (the event is the flow's).
_RSVP_KEYS = {"yes": ("yes",), "maybe": ("maybe",), "no": ("no",), "none": ("none",)}


def _uid(update: Update) -> int:
    return update.effective_user.id if update.effective_user else 0


def _press(action: BroadcastAction, arg: int = 0, key: str = "-") -> str:
    return BroadcastPress(action, arg, key).pack()


async def _state(update: Update, context: BotContext, kind: str = FLOW) -> PendingInput | None:
    state = await context.services.db.people.get_pending_input(_uid(update))
    return state if state is not None and state.kind == kind else None


async def _save(
    context: BotContext, update: Update, data: dict[str, Any], kind: str = FLOW
) -> None:
    services = context.services
    await services.db.people.set_pending_input(
        PendingInput(_uid(update), kind, data), services.clock.now()
    )


async def _event_choices(
    services: Services,
    lang: str,
    action: BroadcastAction,
    none_key: str,
    prompt: str,
    **prompt_args: object,
) -> OutgoingMessage:
    """A button per upcoming event, one for "no event", and Cancel."""
    upcoming = await services.db.events.list_events(ends_after=services.clock.now())
    extra = (
        Button(services.t(lang, none_key), _press(action)),
        Button(services.t(lang, "btn-cancel"), _press(BroadcastAction.DISCARD)),
    )
    return event_picker(
        services.translator, lang, upcoming, lambda e: _press(action, e.id), prompt=prompt,
        prompt_args=prompt_args, label=service.event_label, extra=extra, limit=MAX_CHOICES,
    )  # fmt: skip


async def _active_event(services: Services, event_id: object) -> Event | None:
    if not isinstance(event_id, int) or event_id <= 0:
        return None
    event = await services.db.events.get_event(event_id)
    if event is None or event.status is not EventStatus.ACTIVE:
        return None
    return event


# -- /broadcast ---------------------------------------------------------------------------


async def broadcast_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    if not isinstance(named, NoEventArgument):
        await _choose_segment(update, context, named)
        return
    picker = await _event_choices(
        services, lang, BroadcastAction.EVENT, "broadcast-btn-no-event", "broadcast-choose-event"
    )
    await _save(context, update, {"step": "event"})
    await reply(update, context, picker)


async def _choose_segment(update: Update, context: BotContext, event: Event | None) -> None:
    services = context.services
    lang = context.lang
    storage = services.db
    options: list[tuple[str, str, Segment | None]] = []  # key, label key, segment to count
    if event is not None:
        options.append(("inv", "broadcast-seg-invitees", Segment(SegmentKind.INVITEES, event.id)))
        for key, statuses in _RSVP_KEYS.items():
            segment = Segment(SegmentKind.RSVP, event.id, statuses=statuses)
            options.append((key, f"broadcast-seg-{key}", segment))
        options.append(("org", "broadcast-seg-org", None))
        if event.programme_id is not None:
            programme = Segment(SegmentKind.PROGRAMME, programme_id=event.programme_id)
            options.append(("prog", "broadcast-seg-programme-of", programme))
    else:
        options.append(("org", "broadcast-seg-org", None))
        options.append(("prog", "broadcast-seg-programme", None))
    options.append(("all", "broadcast-seg-everyone", Segment(SegmentKind.EVERYONE)))
    buttons = []
    for key, label_key, counted in options:
        label = services.t(lang, label_key)
        if counted is not None:
            label += f" ({(await storage.campaigns.segment_size(counted)).reachable})"
        buttons.append(Button(label[:60], _press(BroadcastAction.SEGMENT, key=key)))
    buttons.append(Button(services.t(lang, "btn-cancel"), _press(BroadcastAction.DISCARD)))
    await _save(context, update, {"step": "segment", "event_id": event.id if event else None})
    text = (
        services.t(lang, "broadcast-choose-segment", title=event.title)
        if event is not None
        else services.t(lang, "broadcast-choose-segment-all")
    )
    await reply(update, context, OutgoingMessage(text, rows(*buttons, per_row=1)))


async def _on_segment(update: Update, context: BotContext, data: dict[str, Any], key: str) -> None:
    services = context.services
    lang = context.lang
    event = await _active_event(services, data.get("event_id"))
    if data.get("event_id") is not None and event is None:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    segment: Segment | None = None
    if key == "all":
        segment = Segment(SegmentKind.EVERYONE)
    elif key == "inv" and event is not None:
        segment = Segment(SegmentKind.INVITEES, event.id)
    elif key in _RSVP_KEYS and event is not None:
        segment = Segment(SegmentKind.RSVP, event.id, statuses=_RSVP_KEYS[key])
    elif key == "prog" and event is not None and event.programme_id is not None:
        segment = Segment(SegmentKind.PROGRAMME, programme_id=event.programme_id)
    elif key == "prog" and event is None:
        programmes = (await services.db.events.list_programmes())[:MAX_CHOICES]
        if not programmes:
            await reply(update, context, services.t(lang, "broadcast-no-programmes"))
            return
        buttons = [
            Button(p.title[:60], _press(BroadcastAction.PROGRAMME, p.id)) for p in programmes
        ]
        await _save(context, update, {**data, "step": "programme"})
        await reply(
            update,
            context,
            OutgoingMessage(
                services.t(lang, "broadcast-choose-programme"), rows(*buttons, per_row=1)
            ),
        )
        return
    elif key == "org":
        groups = (await services.db.campaigns.organisation_counts(event.id if event else None))[
            :MAX_CHOICES
        ]
        if not groups:
            await reply(update, context, services.t(lang, "broadcast-no-organisations"))
            return
        buttons = [
            Button(f"{shown[:50]} ({count})", _press(BroadcastAction.ORGANISATION, index))
            for index, (shown, _, count) in enumerate(groups)
        ]
        orgs = [spellings for _, spellings, _ in groups]
        await _save(context, update, {**data, "step": "organisation", "orgs": orgs})
        await reply(
            update,
            context,
            OutgoingMessage(services.t(lang, "broadcast-choose-org"), rows(*buttons, per_row=1)),
        )
        return
    if segment is None:
        await _stale(update, context)
        return
    await _segment_chosen(update, context, data, segment, event)


async def _segment_chosen(
    update: Update,
    context: BotContext,
    data: dict[str, Any],
    segment: Segment,
    event: Event | None,
) -> None:
    services = context.services
    lang = context.lang
    data = {**data, "segment": segment.to_dict()}
    data.pop("orgs", None)
    if event is None:
        await _save(context, update, {**data, "step": "text", "kind": CampaignKind.UPDATE.value})
        await reply(update, context, services.t(lang, "broadcast-ask-text"))
        return
    await _save(context, update, {**data, "step": "kind"})
    buttons = [
        Button(
            services.t(lang, f"broadcast-kind-{kind.value}"),
            _press(BroadcastAction.KIND, key=kind.value),
        )
        for kind in CampaignKind
    ]
    buttons.append(Button(services.t(lang, "btn-cancel"), _press(BroadcastAction.DISCARD)))
    await reply(
        update,
        context,
        OutgoingMessage(services.t(lang, "broadcast-choose-kind"), rows(*buttons, per_row=1)),
    )


async def flow_text(update: Update, context: BotContext, state: PendingInput, text: str) -> None:
    """The organiser's own message (the "update" kind)."""
    services = context.services
    lang = context.lang
    if state.data.get("step") != "text":
        await reply(update, context, services.t(lang, "broadcast-use-buttons"))
        return
    message = update.effective_message
    body = (message.text_html if message is not None and message.text else text).strip()
    if not body:
        await reply(update, context, services.t(lang, "broadcast-ask-text"))
        return
    if len(body) > service.MAX_BODY:
        await reply(
            update, context, services.t(lang, "broadcast-text-too-long", max=service.MAX_BODY)
        )
        return
    data = {**state.data, "body": body, "step": "preview"}
    await _save(context, update, data)
    await _preview(update, context, data)


async def _choice(
    update: Update, context: BotContext, data: dict[str, Any], lang: str
) -> tuple[Segment, CampaignKind, Event | None] | None:
    """Segment, kind and event of a stored draft; None (the person told why) if unusable."""
    try:
        segment = Segment.from_dict(data["segment"])
        kind = CampaignKind(str(data["kind"]))
    except (KeyError, ValueError, TypeError):
        await _stale(update, context)
        return None
    event = await _active_event(context.services, data.get("event_id"))
    if data.get("event_id") is not None and event is None:
        await reply(update, context, context.services.t(lang, "error-event-not-found"))
        return None
    return segment, kind, event


async def _preview(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    services = context.services
    lang = context.lang
    choice = await _choice(update, context, data, lang)
    if choice is None:
        return
    segment, kind, event = choice
    body = data.get("body")
    counts = (await services.db.rsvps.rsvp_counts([event.id])).get(event.id) if event else None
    sample = service.render_campaign_message(
        services, kind, event, lang, None, body=str(body) if body else None, counts=counts
    )
    labels = " · ".join(b.label for row in sample.buttons for b in row)
    size = await services.db.campaigns.segment_size(segment)
    programme_title = await _programme_title(services, segment)
    description = service.describe_segment(
        services, lang, segment, event=event, programme_title=programme_title
    )
    languages = await services.db.campaigns.segment_languages(segment)
    summary = [
        _RULE,
        services.t(lang, f"broadcast-kind-{kind.value}"),
        description,
        services.t(lang, "broadcast-preview-count", count=size.reachable),
    ]
    if size.skipped:
        summary.append(services.t(lang, "broadcast-preview-skipped", count=size.skipped))
    if languages:
        summary.append(
            services.t(
                lang,
                "broadcast-preview-languages",
                languages=", ".join(f"{code or '?'} {n}" for code, n in languages.items()),
            )
        )
    buttons: tuple[tuple[Button, ...], ...] = (
        (
            Button(
                services.t(lang, "broadcast-btn-send", count=size.reachable),
                _press(BroadcastAction.SEND),
            ),
        ),
        (Button(services.t(lang, "btn-cancel"), _press(BroadcastAction.DISCARD)),),
    )
    if size.reachable == 0:
        await services.db.people.clear_pending_input(_uid(update))
        summary.append(services.t(lang, "broadcast-nobody"))
        buttons = ()
    # One message (a chat gets about one a second): the message as people will see it, with
    # its buttons named, then who gets it.
    card = [services.t(lang, "broadcast-preview-title"), _RULE, sample.text]
    if labels:
        card.append(services.t(lang, "broadcast-preview-buttons", labels=labels))
    room = 4000 - sum(len(line) + 1 for line in summary)
    text = fit("\n".join(card).split("\n"), room) + "\n" + "\n".join(summary)
    await reply(update, context, OutgoingMessage(text, buttons))


async def _programme_title(services: Services, segment: Segment) -> str | None:
    if segment.programme_id is None:
        return None
    for programme in await services.db.events.list_programmes():
        if programme.id == segment.programme_id:
            return programme.title
    return None


async def _send_campaign(update: Update, context: BotContext) -> None:
    """Confirmed: queue held, show the progress message, release to the sender."""
    services = context.services
    lang = context.lang
    query = update.callback_query
    chat = update.effective_chat
    data = await services.db.people.take_pending_input(_uid(update), FLOW)
    if data is None or data.get("step") != "preview" or chat is None:
        await _stale(update, context)  # a second press, or an old preview
        return
    choice = await _choice(update, context, data, lang)
    if choice is None:
        return
    segment, kind, event = choice
    if query is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            log.debug("could not remove the preview buttons")
    body = data.get("body")
    queued = await service.queue_campaign(
        services, kind=kind, segment=segment, event=event,
        body=str(body) if body else None, created_by=_uid(update), language=lang,
    )  # fmt: skip
    progress = await services.db.campaigns.campaign_progress(queued.campaign_id)
    assert progress is not None
    sent = await send(
        context, chat.id, service.progress_message(services, lang, progress, eta_s=None)
    )
    await services.db.campaigns.set_campaign_progress_message(
        queued.campaign_id, chat.id, sent.message_id
    )
    await service.activate(services, queued.campaign_id)
    log.info(
        "organiser %s started campaign %d (%s, %d recipients)",
        _uid(update), queued.campaign_id, kind.value, queued.recipients,
    )  # fmt: skip


async def _stop(update: Update, context: BotContext, campaign_id: int) -> None:
    services = context.services
    lang = context.lang
    query = update.callback_query
    assert query is not None
    held = await service.stop(services, campaign_id)
    progress = await services.db.campaigns.campaign_progress(campaign_id)
    if progress is None or (held == 0 and progress.status != "cancelled"):
        await query.answer(services.t(lang, "broadcast-not-running"), show_alert=True)
        return
    await query.answer(services.t(lang, "broadcast-stopping"))


async def _resume(update: Update, context: BotContext, campaign_id: int) -> None:
    services = context.services
    lang = context.lang
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    progress = await services.db.campaigns.campaign_progress(campaign_id)
    if progress is None or progress.status != "cancelled" or chat is None:
        await query.answer(services.t(lang, "broadcast-not-stopped"), show_alert=True)
        return
    await query.answer()
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not remove the resume button")
    sent = await send(
        context, chat.id, service.progress_message(services, lang, progress, eta_s=None)
    )
    await services.db.campaigns.set_campaign_progress_message(campaign_id, chat.id, sent.message_id)
    await service.resume(services, campaign_id)


async def cancel_running(update: Update, context: BotContext) -> bool:
    """/cancel outside a guided flow: stop the organiser's own running campaigns."""
    services = context.services
    campaigns = await services.db.campaigns.running_campaigns(created_by=_uid(update))
    if not campaigns:
        return False
    held = 0
    for campaign_id in campaigns:
        held += await service.stop(services, campaign_id)
    lang = context.lang
    await reply(update, context, services.t(lang, "broadcast-cancelled", count=held))
    return True


async def _stale(update: Update, context: BotContext) -> None:
    lang = context.lang
    await reply(update, context, context.services.t(lang, "broadcast-flow-expired"))


async def on_organiser_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    lang = context.lang
    data = await typed_press(update, context, BroadcastPress)
    if data is None:
        return
    action = data.action
    if action is BroadcastAction.STOP:
        await _stop(update, context, data.arg)
        return
    if action is BroadcastAction.RESUME:
        await _resume(update, context, data.arg)
        return
    await query.answer()
    if action in (BroadcastAction.POST_EVENT, BroadcastAction.POST_CHAT):
        await _on_postcard_button(update, context, data)
        return
    if action is BroadcastAction.IMPORT:
        await _import(update, context, data.arg)
        return
    if action is BroadcastAction.DISCARD:
        await services.db.people.clear_pending_input(_uid(update))
        await edit(query, OutgoingMessage(services.t(lang, "cancelled")))
        return
    if action is BroadcastAction.SEND:
        await _send_campaign(update, context)
        return
    state = await _state(update, context)
    if state is None:
        await _stale(update, context)
        return
    step, flow = state.data.get("step"), dict(state.data)
    if action is BroadcastAction.EVENT and step == "event":
        event = await _active_event(services, data.arg) if data.arg else None
        if data.arg and event is None:
            await reply(update, context, services.t(lang, "error-event-not-found"))
            return
        await _choose_segment(update, context, event)
    elif action is BroadcastAction.SEGMENT and step == "segment":
        await _on_segment(update, context, flow, data.key)
    elif action is BroadcastAction.ORGANISATION and step == "organisation":
        orgs = flow.get("orgs")
        if not isinstance(orgs, list) or not 0 <= data.arg < len(orgs):
            await _stale(update, context)
            return
        event = await _active_event(services, flow.get("event_id"))
        segment = Segment(
            SegmentKind.ORGANISATION,
            event_id=event.id if event else None,
            organisations=tuple(str(o) for o in orgs[data.arg]),
        )
        await _segment_chosen(update, context, flow, segment, event)
    elif action is BroadcastAction.PROGRAMME and step == "programme":
        known = {p.id for p in await services.db.events.list_programmes()}
        if data.arg not in known:
            await _stale(update, context)
            return
        segment = Segment(SegmentKind.PROGRAMME, programme_id=data.arg)
        await _segment_chosen(update, context, flow, segment, None)
    elif action is BroadcastAction.KIND and step == "kind":
        try:
            kind = CampaignKind(data.key)
        except ValueError:
            await _stale(update, context)
            return
        if kind is CampaignKind.UPDATE:
            await _save(context, update, {**flow, "step": "text", "kind": kind.value})
            await reply(update, context, services.t(lang, "broadcast-ask-text"))
            return
        flow = {**flow, "step": "preview", "kind": kind.value}
        await _save(context, update, flow)
        await _preview(update, context, flow)
    else:
        await _stale(update, context)


# -- /postcard: an invitation card in a group or channel ------------------------------------


def group_card(services: Services, event: Event) -> OutgoingMessage:
    """The event card for many readers: no personal answer, buttons that work in groups."""
    lang = services.settings.default_language
    tr = services.translator
    card = event_card(
        tr, lang, event, status=None, personal=False,
        header=tr.text(lang, "broadcast-group-header"),
    )  # fmt: skip
    buttons = (
        tuple(
            Button(tr.text(lang, f"btn-{name}"), GroupRsvpPress(event.id, code).pack())
            for code, name in (("y", "yes"), ("n", "no"), ("m", "maybe"))
        ),
    )
    return OutgoingMessage(card.text, buttons)


async def postcard_command(update: Update, context: BotContext) -> None:
    services = context.services
    lang = context.lang
    chat = update.effective_chat
    if chat is None:
        return
    in_group = chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
    if in_group:  # an organiser sent /postcard inside the group: that confirms the group
        await services.db.invitations.remember_chat(
            chat.id, chat.type, chat.title or "", is_admin=True, now=services.clock.now()
        )
        await services.db.invitations.trust_chat(chat.id, _uid(update), services.clock.now())
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    if not isinstance(named, NoEventArgument):
        event = named
    else:
        upcoming = await services.db.events.list_events(ends_after=services.clock.now())
        if len(upcoming) == 1:
            event = upcoming[0]
        elif not upcoming:
            await reply(update, context, services.t(lang, "org-no-events"))
            return
        else:
            await _save(
                context, update, {"step": "event", "chat_id": chat.id if in_group else None},
                POST_FLOW,
            )  # fmt: skip
            picker = event_picker(
                services.translator, lang, upcoming,
                lambda e: _press(BroadcastAction.POST_EVENT, e.id),
                prompt="broadcast-post-choose-event", label=service.event_label, limit=MAX_CHOICES,
            )  # fmt: skip
            if not in_group:
                await reply(update, context, picker)
                return
            # Organiser buttons work only in the private chat: the picker goes there.
            try:
                await send(context, _uid(update), picker)
            except TelegramError:
                await reply(update, context, services.t(lang, "access-private-chat-only"))
            return
    if in_group:
        await _post(update, context, event, chat.id)
        return
    await _choose_chat(update, context, event)


async def _choose_chat(update: Update, context: BotContext, event: Event) -> None:
    services = context.services
    lang = context.lang
    chats = await services.db.invitations.postable_chats()
    data = {"step": "chat", "event_id": event.id, "chats": [c.chat_id for c in chats]}
    await _save(context, update, data, POST_FLOW)
    buttons = [
        Button(f"{c.title or c.chat_id}"[:60], _press(BroadcastAction.POST_CHAT, i))
        for i, c in enumerate(chats[:MAX_CHOICES])
    ]
    key = "broadcast-post-choose-chat" if chats else "broadcast-post-no-chats"
    await reply(update, context, OutgoingMessage(services.t(lang, key), rows(*buttons, per_row=1)))


async def _on_postcard_button(update: Update, context: BotContext, data: BroadcastPress) -> None:
    services = context.services
    lang = context.lang
    state = await _state(update, context, POST_FLOW)
    if state is None:
        await _stale(update, context)
        return
    if data.action is BroadcastAction.POST_EVENT and state.data.get("step") == "event":
        event = await _active_event(services, data.arg)
        if event is None:
            await reply(update, context, services.t(lang, "error-event-not-found"))
            return
        target = state.data.get("chat_id")
        if isinstance(target, int):
            await services.db.people.clear_pending_input(_uid(update))
            await _post(update, context, event, target)
        else:
            await _choose_chat(update, context, event)
    elif data.action is BroadcastAction.POST_CHAT and state.data.get("step") == "chat":
        chats = state.data.get("chats")
        event = await _active_event(services, state.data.get("event_id"))
        if (
            not isinstance(chats, list)
            or not 0 <= data.arg < len(chats)
            or event is None
            or not await services.db.invitations.is_postable(int(chats[data.arg]))
        ):
            await _stale(update, context)
            return
        await services.db.people.clear_pending_input(_uid(update))
        await _post(update, context, event, int(chats[data.arg]))
    else:
        await _stale(update, context)


async def postcard_text(
    update: Update, context: BotContext, state: PendingInput, text: str
) -> None:
    """A chat id or @username typed instead of picking a known chat."""
    services = context.services
    lang = context.lang
    event = await _active_event(services, state.data.get("event_id"))
    target = text.strip()
    if state.data.get("step") != "chat" or event is None:
        await reply(update, context, services.t(lang, "broadcast-use-buttons"))
        return
    valid = (
        target.startswith("@") and 5 <= len(target) <= 33 and target[1:].replace("_", "").isalnum()
    ) or (target.startswith("-") and target[1:].isdigit() and len(target) < 20)
    if not valid:
        await reply(update, context, services.t(lang, "broadcast-post-bad-chat"))
        return
    await services.db.people.clear_pending_input(_uid(update))
    await _post(update, context, event, int(target) if target.startswith("-") else target)


async def _post(update: Update, context: BotContext, event: Event, chat_id: int | str) -> None:
    services = context.services
    lang = context.lang
    card = group_card(services, event)
    try:
        posted = await context.bot.send_message(
            chat_id=chat_id, text=card.text, parse_mode=ParseMode.HTML,
            reply_markup=to_markup(card), link_preview_options=LinkPreviewOptions(is_disabled=True),
        )  # fmt: skip
    except TelegramError as exc:
        log.info("could not post event %d to chat %s: %s", event.id, chat_id, exc)
        await reply(update, context, services.t(lang, "broadcast-post-failed"))
        return
    chat = posted.chat
    now = services.clock.now()
    await services.db.invitations.remember_chat(
        chat.id, chat.type, chat.title or "", is_admin=True, now=now
    )
    await services.db.invitations.trust_chat(chat.id, _uid(update), now)  # the organiser chose it
    await services.db.invitations.record_group_post(
        event.id, chat.id, posted.message_id, _uid(update), now
    )
    log.info("organiser %s posted event %d to chat %d", _uid(update), event.id, chat.id)
    if update.effective_chat is not None and update.effective_chat.id != chat.id:
        await reply(
            update,
            context,
            services.t(
                lang, "broadcast-posted", title=event.title, chat=chat.title or str(chat.id)
            ),
        )


async def on_group_press(update: Update, context: BotContext) -> None:
    """An RSVP pressed on a card in a group or channel: it counts as that person's answer,
    and the person is invited to the private chat (reminders arrive there)."""
    query = update.callback_query
    assert query is not None
    services = context.services
    user = query.from_user
    data = parse(query.data, GroupRsvpPress)
    language = normalise_language(user.language_code, services.settings.default_language)
    if not isinstance(data, GroupRsvpPress) or data.answer not in GROUP_ANSWERS or user.is_bot:
        log.info("stale or forged group button %r from %s", (query.data or "")[:64], user.id)
        await query.answer(services.t(language, "error-stale-button"), show_alert=True)
        return
    # Only a press on a card an organiser posted in this group or channel (never typed data
    # in a private chat, never another event's card) invites the presser (bot/access.py).
    message = query.message
    chat = message.chat if message is not None else None
    if (
        message is None
        or chat is None
        or chat.type == ChatType.PRIVATE
        or await services.db.invitations.group_post_event(chat.id, message.message_id)
        != data.event_id
    ):
        log.info("group button %r pressed off its posted card by %s", (query.data or "")[:64],
                 user.id)  # fmt: skip
        await query.answer(services.t(language, "error-stale-button"), show_alert=True)
        return
    now = services.clock.now()
    person = await services.db.people.ensure_participant(user.id, language=language, now=now)
    lang = services.language_of(person.language)
    event = await services.db.events.get_event(data.event_id)
    if event is not None and rsvp.answer_window_closed(event, now) is None:
        await services.db.invitations.invite(event.id, person.id, "group", now)
    result = await rsvp.answer(
        services.db, data.event_id, person.id, GROUP_ANSWERS[data.answer], now=now
    )
    if result.change is None or result.event is None:
        await query.answer(
            services.t(lang, f"rsvp-refused-{result.outcome.value}"), show_alert=True
        )
        return
    status = result.change.current
    toast = services.t(lang, f"rsvp-toast-{status.value}")
    log.info("group rsvp %s for user %s event %s", status.value, user.id, data.event_id)
    if person.registered and person.unreachable_at is None:
        # They use the private chat already: the card with their answer goes there.
        from bot.models import OutboxItem
        from bot.notify import queue_messages

        counts = (await services.db.rsvps.rsvp_counts([result.event.id])).get(result.event.id)
        card = event_card(
            services.translator, lang, result.event, status=status, counts=counts,
            header=services.t(lang, "broadcast-group-private-header"),
        )  # fmt: skip
        await queue_messages(services, [OutboxItem(user.id, card.to_json(), person.id)])
        await query.answer(toast + " " + services.t(lang, "broadcast-group-see-private"))
    else:
        # The bot may not write first: Telegram opens the private chat with the invitation.
        link = deep_link(
            services.bot_username, Payload(PayloadKind.EVENT, result.event.invite_code)
        )
        await query.answer(toast, url=link)
    if result.change.promoted:
        from bot.notify import notify_promoted

        await notify_promoted(services, result.event, result.change.promoted)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Where the bot may post (groups, channels), and who blocked or unblocked it."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    services, now = context.services, context.services.clock.now()
    chat, status = change.chat, change.new_chat_member.status
    if chat.type == ChatType.PRIVATE:
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            log.info("user %s blocked the bot", chat.id)
            await services.db.people.mark_unreachable(chat.id, now)
        elif status == ChatMemberStatus.MEMBER:
            await services.db.people.mark_reachable(chat.id, now)
        return
    admin = status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    member = admin or (status == ChatMemberStatus.MEMBER and chat.type != ChatType.CHANNEL)
    await services.db.invitations.remember_chat(
        chat.id, chat.type, chat.title or "", is_admin=member, now=now
    )
    was_in = change.old_chat_member.status not in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    if not member or not was_in:
        # Added (or removed): /postcard offers the chat only if an organiser added the bot,
        # never a stranger's group (docs/privacy.md). A change of rights keeps the trust.
        adder = change.from_user.id if change.from_user else None
        trusted = adder if member and services.is_organiser(adder) else None
        await services.db.invitations.trust_chat(chat.id, trusted, now)
        log.info("bot %s chat %s (added by %s)", "added to" if member else "left", chat.id,
                 "an organiser" if trusted else "someone else")  # fmt: skip


# -- participant lists in chat: upload to import, /personal to export -----------------------


async def import_document(update: Update, context: BotContext) -> None:
    """An organiser sent a CSV or XLSX list: check it all, then ask which event it is for."""
    services = context.services
    lang = context.lang
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        return
    name = document.file_name or "list.csv"
    too_big = imports.upload_too_big(document.file_size)
    if too_big is not None:  # checked before downloading anything
        await reply(update, context, _problems(services, lang, [too_big]))
        return
    try:
        entries = await _read_list(context, document.file_id, name)
    except imports.ImportFailed as failed:
        log.info("organiser %s: list %s rejected (%d problems)", _uid(update), name,
                 len(failed.errors))  # fmt: skip
        await reply(update, context, _problems(services, lang, failed.errors))
        return
    known = await services.db.invitations.existing_emails([r.email for r in entries if r.email])
    updated = sum(1 for r in entries if r.email and r.email in known)
    await _save(context, update, {"file_id": document.file_id, "name": name}, IMPORT_FLOW)
    picker = await _event_choices(
        services, lang, BroadcastAction.IMPORT, "broadcast-btn-import-no-event",
        "broadcast-import-ready", count=len(entries), new=len(entries) - updated, updated=updated,
    )  # fmt: skip
    await reply(update, context, picker)


async def _read_list(context: BotContext, file_id: str, name: str) -> list[ImportRow]:
    file = await context.bot.get_file(file_id)
    content = bytes(await file.download_as_bytearray())
    return await imports.read_list(name, content)  # in a separate process, within limits


def _problems(services: Services, lang: str, errors: list[imports.RowError]) -> str:
    lines = [services.t(lang, "broadcast-import-rejected", count=len(errors))]
    for error in errors[:25]:
        reason = services.t(lang, error.key, **error.args)
        lines.append(
            services.t(lang, "broadcast-import-row", row=error.row, reason=Markup(reason))
            if error.row
            else reason
        )
    if len(errors) > 25:
        lines.append(services.t(lang, "broadcast-import-more", count=len(errors) - 25))
    return fit(lines)


async def _import(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    lang = context.lang
    data = await services.db.people.take_pending_input(_uid(update), IMPORT_FLOW)
    if data is None:
        await _stale(update, context)
        return
    event = await _active_event(services, event_id) if event_id else None
    if event_id and event is None:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    try:
        rows = await _read_list(context, str(data["file_id"]), str(data["name"]))
    except (imports.ImportFailed, TelegramError, KeyError) as exc:
        log.info("organiser %s: list could not be read again: %s", _uid(update), exc)
        await _stale(update, context)
        return
    result = await services.db.invitations.import_participants(
        rows, codes=imports.new_codes(len(rows)), event_id=event.id if event else None,
        now=services.clock.now(),
    )  # fmt: skip
    log.info("organiser %s imported %d people (%d new)", _uid(update), len(rows), result.created)
    await reply(
        update, context, services.t(lang, "broadcast-import-done", new=result.created,
                                    updated=result.updated, invited=result.invited),
    )  # fmt: skip
    await _send_export(update, context, event.id if event else None)


async def personal_command(update: Update, context: BotContext) -> None:
    """/personal [event]: the personal links and QR codes as files for a mail merge."""
    named = await event_from_args(update, context, active=True)
    if named is None:
        return
    await _send_export(update, context, None if isinstance(named, NoEventArgument) else named.id)


async def _send_export(update: Update, context: BotContext, event_id: int | None) -> None:
    services = context.services
    lang = context.lang
    chat = update.effective_chat
    if chat is None:
        return
    limit = imports.MAX_CHAT_EXPORT
    people = await services.db.invitations.personal_rows(event_id=event_id, limit=limit + 1)
    if not people:
        await reply(update, context, services.t(lang, "broadcast-export-none"))
        return
    if len(people) > limit:
        await reply(update, context, services.t(lang, "broadcast-export-too-many", max=limit))
        return
    username = services.bot_username
    caption = services.t(lang, "broadcast-export-caption", count=len(people))
    workbook, kit = await imports.export_files(people, username, lang)
    await context.bot.send_document(
        chat_id=chat.id, document=workbook, filename="personal-links.xlsx",
        caption=caption[:1024], parse_mode=ParseMode.HTML,
    )  # fmt: skip
    await context.bot.send_document(chat_id=chat.id, document=kit, filename="personal-links.zip")


# -- personal invitation links ------------------------------------------------------------


async def personal_link(
    update: Update, context: BotContext, person: Participant, code: str
) -> None:
    """``/start p_<code>``: bind this Telegram account to the imported row, then go on
    as with an invitation (consent if not yet given; name and organisation are known).

    A person who already has an identity of their own is asked first whether the
    invitation is theirs (a masked hint of whom it is for); a link bound to another account
    is refused, and the organisers learn of it."""
    services = context.services
    lang = services.language_of(person.language)
    user = update.effective_user
    if user is None:
        return
    result = await open_personal_link(
        services, code, user.id, language=person.language, confirmed=False
    )
    if result.outcome is BindOutcome.CONFIRM:
        log.info("start: user %s asked to confirm a personal link", user.id)
        await services.db.people.set_pending_input(
            PendingInput(user.id, PERSONAL_CONFIRM_FLOW, {"code": code}), services.clock.now()
        )
        buttons = (
            (
                Button(
                    services.t(lang, "identity-btn-its-me"),
                    PersonalLinkPress(Answer.YES).pack(),
                ),
                Button(
                    services.t(lang, "identity-btn-not-me"), PersonalLinkPress(Answer.NO).pack()
                ),
            ),
        )
        hint = identity_hint(result.name, result.email)
        await reply(
            update,
            context,
            OutgoingMessage(services.t(lang, "identity-link-confirm", hint=hint), buttons),
        )
        return
    await _after_binding(update, context, lang, result)


async def _after_binding(
    update: Update, context: BotContext, lang: str, result: BindResult
) -> None:
    services = context.services
    user_id = _uid(update)
    if result.outcome is BindOutcome.UNKNOWN:
        log.info("start: unknown personal code from user %s", user_id)
        await reply(update, context, services.t(lang, "error-bad-link"))
        return
    if result.outcome is BindOutcome.TAKEN:
        log.warning(
            "start: personal link of participant %s opened by another account (user %s); "
            "refused (%d so far)",
            result.participant_id, user_id, result.refusals,
        )  # fmt: skip
        await reply(update, context, services.t(lang, "broadcast-personal-taken"))
        return
    assert result.participant_id is not None
    bound = await services.db.people.get_participant(result.participant_id)
    assert bound is not None
    event = await services.db.events.get_event(result.event_ids[0]) if result.event_ids else None
    if result.outcome is BindOutcome.BOUND:
        log.info("user %s bound to imported participant %s", user_id, bound.id)
        await reply(
            update, context, services.t(lang, "broadcast-personal-welcome", name=bound.name or "")
        )
    if not bound.registered:
        await participant.begin_registration(update, context, bound, event.id if event else 0)
        return
    if event is not None:
        await participant.show_card(update, context, bound, event)
    else:
        await reply(update, context, services.t(lang, "welcome-back", name=bound.name or ""))


async def on_personal_link_press(update: Update, context: BotContext) -> None:
    """ "Is this invitation yours?" answered. The code comes from the pending input stored
    when the link was opened, never from the button: a forged press binds nothing."""
    query = update.callback_query
    pressed = await participant_press(update, context, PersonalLinkPress)
    user = update.effective_user
    if query is None or pressed is None or user is None:
        return
    press = pressed[1]
    assert isinstance(press, PersonalLinkPress)
    services = context.services
    lang = context.lang
    state = await services.db.people.get_pending_input(user.id)
    code = state.data.get("code") if state and state.kind == PERSONAL_CONFIRM_FLOW else None
    if not isinstance(code, str):
        log.info("personal link answer without a pending question from user %s", user.id)
        await query.answer(services.t(lang, "error-stale-button"), show_alert=True)
        return
    await query.answer()
    await services.db.people.clear_pending_input(user.id)
    if press.answer is not Answer.YES:
        log.info("user %s said a personal link is not theirs", user.id)
        await edit(query, OutgoingMessage(services.t(lang, "identity-link-not-mine")))
        return
    await edit(query, OutgoingMessage(services.t(lang, "identity-link-confirmed")))
    result = await open_personal_link(services, code, user.id, language=lang, confirmed=True)
    await _after_binding(update, context, lang, result)


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.text_flow(FLOW, flow_text, organiser=True)
    r.text_flow(POST_FLOW, postcard_text, organiser=True)
    r.payload(PayloadKind.PERSONAL, personal_link)
    r.on_cancel(cancel_running)
    # The gate answers a group with "use the private chat"; /postcard alone is meant for a
    # group too (sent inside it, it posts the card there).
    r.command("broadcast", broadcast_command, organiser=True)
    r.command(
        "postcard",
        postcard_command,
        organiser=True,
        in_groups=True,
        filters=filters.ChatType.PRIVATE | filters.ChatType.GROUPS,
    )
    r.command("personal", personal_command, organiser=True)
    r.button(on_organiser_button, BroadcastPress)
    # A list sent by an organiser; anyone else's file goes on to the participant catch-all.
    lists = filters.Document.FileExtension("csv") | filters.Document.FileExtension("xlsx")
    r.upload(import_document, lists, organiser=True)
    r.button(on_group_press, GroupRsvpPress)
    r.button(on_personal_link_press, PersonalLinkPress)
    # Its own handler group: another area may also watch my_chat_member updates.
    r.on_chat_member(on_my_chat_member)
