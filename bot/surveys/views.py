"""What a participant sees of a questionnaire: the invitation, one question, the thanks."""

from __future__ import annotations

import html
from datetime import datetime

from bot.i18n import Translator, format_short
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, StoredAnswer
from bot.surveys.buttons import SurveyPress, SvAction
from bot.surveys.model import Question, QuestionKind, SurveyDefinition, pick

SELECTED = "✅ "
UNSELECTED = "⬜ "


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def closes_text(event: Event, closes_at: datetime | None) -> str:
    return format_short(closes_at, event.timezone) if closes_at else "—"


def invitation(
    tr: Translator,
    lang: str,
    event: Event,
    definition: SurveyDefinition,
    *,
    anonymous: bool,
    closes_at: datetime | None,
    reminder: bool = False,
) -> OutgoingMessage:
    """The message the outbox sends when the survey opens (or the one reminder)."""
    key = "survey-reminder" if reminder else "survey-invite"
    lines = [
        tr.text(lang, key, title=event.title),
        tr.text(
            lang,
            "survey-invite-details",
            count=len(definition.questions),
            closes=closes_text(event, closes_at),
        ),
        "",
        tr.text(lang, "survey-anonymous-note" if anonymous else "survey-named-note"),
    ]
    label = "survey-btn-continue" if reminder else "survey-btn-start"
    button = Button(tr.text(lang, label), SurveyPress(SvAction.GO, event.id).pack())
    return OutgoingMessage("\n".join(lines), ((button,),))


def answer_label(tr: Translator, lang: str, question: Question, answer: StoredAnswer) -> str:
    """A stored answer as the person gave it ("4", "Online", "Lectures, Handouts", text)."""
    if not answer.given:
        return tr.text(lang, "survey-skipped")
    if question.kind is QuestionKind.TEXT:
        text = answer.text or ""
        return text if len(text) <= 300 else text[:299] + "…"
    value = answer.rating or 0
    if question.kind is QuestionKind.SINGLE and 1 <= value <= len(question.options):
        return pick(question.options[value - 1].text, lang)
    if question.kind is QuestionKind.MULTI:
        chosen = [pick(o.text, lang) for i, o in enumerate(question.options) if value >> i & 1]
        return ", ".join(chosen)
    return str(value)


def question_screen(
    tr: Translator,
    lang: str,
    event: Event,
    definition: SurveyDefinition,
    index: int,
    answers: dict[str, StoredAnswer],
    *,
    note: str | None = None,
) -> OutgoingMessage:
    """Question ``index`` with its answer buttons, progress "3/8", back / skip / next."""
    question = definition.questions[index]
    total = len(definition.questions)
    current = answers.get(question.id)
    lines = [
        tr.text(lang, "survey-header", title=event.title, current=index + 1, total=total),
        "",
        f"<b>{_e(pick(question.text, lang))}</b>",
    ]
    if not question.required:
        lines.append(tr.text(lang, "survey-optional"))
    if question.kind in (QuestionKind.RATING, QuestionKind.NPS):
        low, high = question.scale[0], question.scale[-1]
        lines.append(
            tr.text(
                lang, "survey-scale", low=low, high=high,
                low_label=pick(question.low, lang), high_label=pick(question.high, lang),
            )
        )  # fmt: skip
    elif question.kind is QuestionKind.MULTI:
        lines.append(tr.text(lang, "survey-multi-hint"))
    elif question.kind is QuestionKind.TEXT:
        lines.append(tr.text(lang, "survey-text-hint"))
    if current is not None and question.kind is not QuestionKind.MULTI:
        lines += [
            "",
            tr.text(lang, "survey-your-answer", answer=answer_label(tr, lang, question, current)),
        ]
    if note:
        lines += ["", note]
    chosen = current.rating if current is not None and current.rating is not None else None

    def press(action: SvAction, value: int = 0) -> str:
        return SurveyPress(action, event.id, index, value).pack()

    keyboard: list[tuple[Button, ...]] = []
    if question.kind in (QuestionKind.RATING, QuestionKind.NPS):
        buttons = [
            Button(f"{SELECTED}{v}" if v == chosen else str(v), press(SvAction.ANSWER, v))
            for v in question.scale
        ]
        keyboard += rows(*buttons, per_row=6 if question.kind is QuestionKind.NPS else 5)
    elif question.kind is QuestionKind.SINGLE:
        for number, option in enumerate(question.options, start=1):
            mark = SELECTED if number == chosen else ""
            keyboard.append(
                (Button(mark + pick(option.text, lang), press(SvAction.ANSWER, number)),)
            )
    elif question.kind is QuestionKind.MULTI:
        mask = chosen or 0
        for number, option in enumerate(question.options, start=1):
            mark = SELECTED if mask >> (number - 1) & 1 else UNSELECTED
            keyboard.append(
                (Button(mark + pick(option.text, lang), press(SvAction.TOGGLE, number)),)
            )
    nav: list[Button] = []
    if index > 0:
        nav.append(Button(tr.text(lang, "survey-btn-back"), press(SvAction.BACK)))
    if not question.required:
        nav.append(Button(tr.text(lang, "survey-btn-skip"), press(SvAction.SKIP)))
    if question.kind is QuestionKind.MULTI or (current is not None and current.given):
        nav.append(Button(tr.text(lang, "survey-btn-next"), press(SvAction.NEXT)))
    if nav:
        keyboard.append(tuple(nav))
    return OutgoingMessage("\n".join(lines), tuple(keyboard))


def done_screen(
    tr: Translator, lang: str, event: Event, closes_at: datetime | None
) -> OutgoingMessage:
    text = "\n".join(
        [
            tr.text(lang, "survey-done", title=event.title),
            tr.text(lang, "survey-done-change", closes=closes_text(event, closes_at)),
        ]
    )
    button = Button(tr.text(lang, "survey-btn-change"), SurveyPress(SvAction.EDIT, event.id).pack())
    return OutgoingMessage(text, ((button,),))
