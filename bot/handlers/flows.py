"""Routing of typed text to the multi-step flow a person is in (state lives in the DB).

Feature modules register a flow kind; the one text handler looks up the person's
``pending_inputs`` row and calls the flow. Organiser flows are checked again here, so a
stored state can never let a non-organiser in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.handlers.common import BotContext
from bot.models import PendingInput

TextFlow = Callable[[Update, BotContext, PendingInput, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FlowSpec:
    handler: TextFlow
    organiser: bool


_FLOWS: dict[str, FlowSpec] = {}


def register_text_flow(kind: str, handler: TextFlow, *, organiser: bool) -> None:
    _FLOWS[kind] = FlowSpec(handler, organiser)


def text_flow(kind: str) -> FlowSpec | None:
    return _FLOWS.get(kind)
