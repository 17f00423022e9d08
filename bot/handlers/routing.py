"""Every route of the bot in one object, built per application by ``build_application``.

Each handler module declares what it answers in a ``routes(r: Routes)`` function: commands,
buttons (by callback-data class), typed-text flows, /start payload kinds, hooks run after a
registration or on /cancel, organiser uploads, renderers of documents made at send time.
Nothing is kept at module level: an application's routes live on the application
(``bot_data["routes"]``) and reach handlers as ``context.routes``.

Authorisation by construction: whether a route is an organiser's is decided by one flag -
``organiser=`` on a command, upload or flow declaration, ``organiser`` on a callback-data
class - and :meth:`Routes.install` puts every such route behind the one gate
(:func:`bot.handlers.common.organiser_only`, which also keeps organiser screens to the
private chat unless the command is declared ``in_groups``). A handler module never sees
the Application, so it cannot add a handler around the gate.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.ext.filters import BaseFilter

from bot.callbacks import VERSION, CallbackData
from bot.handlers.common import BotContext, Handler, KvApplication, organiser_only, resolve_person
from bot.models import Participant, PendingInput
from bot.payloads import PayloadKind

if TYPE_CHECKING:
    from bot.services import Services

# Typed text for the multi-step flow a person is in (state in ``pending_inputs``).
TextFlow = Callable[[Update, BotContext, PendingInput, str], Awaitable[None]]
# ``/start <kind>_<code>`` for kinds other than an event invitation.
PayloadHandler = Callable[[Update, BotContext, Participant, str], Awaitable[None]]
# Run when someone finishes registering, with the event it began from; True: answered.
RegisteredHook = Callable[[Update, BotContext, Participant, int], Awaitable[bool]]
# /cancel outside a guided flow: True if the hook stopped something (and said so).
CancelHook = Callable[[Update, BotContext], Awaitable[bool]]
# Documents made at send time (bot/sender.py): Attachment.kind -> bytes, or None if gone.
AttachmentRenderer = Callable[["Services", str], Awaitable[bytes | None]]

# The handler group that resolves the person before any other handler runs.
PERSON_GROUP = -1
# Chat membership changes are watched in a group of their own.
CHAT_MEMBER_GROUP = 7


@dataclass(frozen=True, slots=True)
class CommandRoute:
    name: str
    handler: Handler
    organiser: bool
    in_groups: bool = False  # organiser commands only: allowed in a group chat too
    filters: BaseFilter | None = None


@dataclass(frozen=True, slots=True)
class ButtonRoute:
    kinds: tuple[type[CallbackData], ...]
    handler: Handler

    @property
    def organiser(self) -> bool:
        return self.kinds[0].organiser


@dataclass(frozen=True, slots=True)
class FlowRoute:
    kind: str
    handler: TextFlow
    organiser: bool


@dataclass(frozen=True, slots=True)
class UploadRoute:
    handler: Handler
    filters: BaseFilter
    organiser: bool


@dataclass(slots=True)
class Routes:
    """What one application answers, in the order it was declared."""

    commands: list[CommandRoute] = field(default_factory=list)
    buttons: list[ButtonRoute] = field(default_factory=list)
    flows: dict[str, FlowRoute] = field(default_factory=dict)
    payloads: dict[PayloadKind, PayloadHandler] = field(default_factory=dict)
    after_registration: list[RegisteredHook] = field(default_factory=list)
    cancel_hooks: list[CancelHook] = field(default_factory=list)
    attachments: dict[str, AttachmentRenderer] = field(default_factory=dict)
    uploads: list[UploadRoute] = field(default_factory=list)
    chat_member: list[Handler] = field(default_factory=list)
    # Last in line: whatever no route above took (unknown commands, free text, ...).
    fallback_messages: list[tuple[BaseFilter, Handler]] = field(default_factory=list)
    fallback_buttons: list[Handler] = field(default_factory=list)

    # -- declaring ---------------------------------------------------------------------------

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        organiser: bool,
        in_groups: bool = False,
        filters: BaseFilter | None = None,
    ) -> None:
        if any(c.name == name for c in self.commands):
            raise ValueError(f"command /{name} declared twice")
        if in_groups and not organiser:
            raise ValueError(f"/{name}: in_groups is an organiser command's allow-list")
        self.commands.append(CommandRoute(name, handler, organiser, in_groups, filters))

    def button(self, handler: Handler, *kinds: type[CallbackData]) -> None:
        """``handler`` answers presses of these callback-data classes; it is behind the
        organiser gate exactly when the classes say ``organiser`` (they must agree)."""
        if not kinds:
            raise ValueError("a button route needs at least one callback-data class")
        if len({k.organiser for k in kinds}) != 1:
            raise ValueError(f"organiser and participant buttons mixed: {kinds}")
        taken = {k.prefix for route in self.buttons for k in route.kinds}
        for kind in kinds:
            if kind.prefix in taken:
                raise ValueError(f"callback prefix {kind.prefix} declared twice")
            taken.add(kind.prefix)
        self.buttons.append(ButtonRoute(tuple(kinds), handler))

    def text_flow(self, kind: str, handler: TextFlow, *, organiser: bool) -> None:
        if kind in self.flows:
            raise ValueError(f"text flow {kind} declared twice")
        self.flows[kind] = FlowRoute(kind, handler, organiser)

    def payload(self, kind: PayloadKind, handler: PayloadHandler) -> None:
        if kind in self.payloads or kind is PayloadKind.EVENT:
            raise ValueError(f"/start payload {kind} declared twice")
        self.payloads[kind] = handler

    def on_registered(self, hook: RegisteredHook) -> None:
        self.after_registration.append(hook)

    def on_cancel(self, hook: CancelHook) -> None:
        self.cancel_hooks.append(hook)

    def attachment(self, kind: str, renderer: AttachmentRenderer) -> None:
        self.attachments[kind] = renderer

    def upload(self, handler: Handler, document: BaseFilter, *, organiser: bool) -> None:
        """A document sent in a private chat; an organiser upload is offered only to
        organisers' messages (anyone else's file goes on to the fallbacks) and gated."""
        self.uploads.append(UploadRoute(handler, document, organiser))

    def on_chat_member(self, handler: Handler) -> None:
        self.chat_member.append(handler)

    def fallback_message(self, which: BaseFilter, handler: Handler) -> None:
        self.fallback_messages.append((which, handler))

    def fallback_button(self, handler: Handler) -> None:
        self.fallback_buttons.append(handler)

    # -- reading -----------------------------------------------------------------------------

    def flow(self, kind: str) -> FlowRoute | None:
        return self.flows.get(kind)

    def organiser_commands(self) -> list[CommandRoute]:
        return [c for c in self.commands if c.organiser]

    def button_classes(self) -> list[type[CallbackData]]:
        return [k for route in self.buttons for k in route.kinds]

    # -- installing --------------------------------------------------------------------------

    def install(self, app: KvApplication) -> None:
        """Add every route to ``app``, each organiser route behind the one gate."""
        app.bot_data["routes"] = self
        # Order matters: the person first (group -1), then commands, buttons and uploads
        # (disjoint: names, callback prefixes, documents), then the catch-alls.
        app.add_handler(TypeHandler(Update, resolve_person), group=PERSON_GROUP)
        for command in self.commands:
            app.add_handler(
                CommandHandler(
                    command.name,
                    _gated(command.handler, command.organiser, in_groups=command.in_groups),
                    filters=command.filters,
                )
            )
        for button in self.buttons:
            for kind in button.kinds:
                pattern = re.compile(rf"^{VERSION}:{re.escape(kind.prefix)}:")
                app.add_handler(
                    CallbackQueryHandler(_gated(button.handler, button.organiser), pattern=pattern)
                )
        organisers = filters.User(user_id=app.bot_data["services"].settings.organisers)
        for upload in self.uploads:
            which = filters.ChatType.PRIVATE & upload.filters
            if upload.organiser:
                which = which & organisers
            app.add_handler(MessageHandler(which, _gated(upload.handler, upload.organiser)))
        for which, handler in self.fallback_messages:
            app.add_handler(MessageHandler(which, handler))
        for handler in self.fallback_buttons:
            app.add_handler(CallbackQueryHandler(handler))
        for handler in self.chat_member:
            app.add_handler(
                ChatMemberHandler(handler, ChatMemberHandler.MY_CHAT_MEMBER),
                group=CHAT_MEMBER_GROUP,
            )


def _gated(handler: Handler, organiser: bool, *, in_groups: bool = False) -> Handler:
    return organiser_only(handler, in_groups=in_groups) if organiser else handler
