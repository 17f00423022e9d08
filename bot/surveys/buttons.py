"""Callback data of the surveys area: ``v1:sv:`` participants' answers, ``v1:os:`` organisers'.

Both carry only ids and small numbers; the database holds the state. Parsed strictly by
:func:`bot.callbacks.parse`; anything else is refused by the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.callbacks import CallbackData


class SvAction(StrEnum):
    GO = "go"  # start, or continue where the person stopped
    ANSWER = "a"  # value for question q (rating, 0-10, option number)
    TOGGLE = "t"  # option number of a multiple-choice question
    NEXT = "n"  # keep the answer (or the choices) and go on
    SKIP = "s"  # an optional question, no answer
    BACK = "b"
    EDIT = "e"  # change answers after finishing


@dataclass(frozen=True)
class SurveyPress(CallbackData):
    prefix: ClassVar[str] = "sv"
    action: SvAction
    event_id: int
    q: int = 0  # question position, 0-based
    value: int = 0


class OsAction(StrEnum):
    SCORES = "sc"  # target = event id
    PROGRAMME = "pr"  # target = programme id
    COMPARE = "cmp"  # target = programme id: its events side by side
    EXPORT = "ex"  # target = event id
    EXPORT_PROGRAMME = "exp"  # target = programme id
    OPEN = "op"
    CLOSE = "cl"
    STATUS = "st"
    TEMPLATE = "tp"  # arg = template name, "-" = list them
    ANONYMOUS = "an"  # arg = "on" / "off"


@dataclass(frozen=True)
class OrgSurveyPress(CallbackData):
    prefix: ClassVar[str] = "os"
    organiser: ClassVar[bool] = True
    action: OsAction
    target: int
    arg: str = "-"
