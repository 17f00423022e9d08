"""Handlers of the surveys area: participants answer; organisers open, close, score, export.

Organiser commands (/scores, /export, /survey) are declared ``organiser=True`` and the
``v1:os:`` buttons are an organiser class, so the routes put them behind the organiser
gate. Participant answers arrive as ``v1:sv:`` buttons and, for free-text questions, as
typed text routed by the ``survey`` text flow.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Update

from bot.handlers.common import (
    BotContext,
    Handler,
    edit,
    participant_for,
    participant_press,
    reply,
    typed_press,
)
from bot.handlers.routing import Routes
from bot.messages import Button, OutgoingMessage, rows
from bot.models import Event, EventStatus, PendingInput, SurveyRow, SurveyStatus
from bot.services import Services
from bot.surveys import charts, manage, runner, scoring
from bot.surveys.buttons import OrgSurveyPress, OsAction, SurveyPress
from bot.surveys.export import export_events
from bot.surveys.model import load_template, template_names
from bot.surveys.report import comparison_lines, number, report_lines, split_messages
from bot.surveys.views import closes_text
from bot.views import event_picker

log = logging.getLogger(__name__)

MAX_COMPARE = 30  # events side by side in one report
PICKER_EVENTS = 20


# -- participants ---------------------------------------------------------------------------


async def on_survey_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    pressed = await participant_press(update, context, SurveyPress)
    if query is None or pressed is None:
        return
    participant, data = pressed
    assert isinstance(data, SurveyPress)
    step = await runner.handle_press(context.services, participant, data)
    await query.answer(step.toast, show_alert=step.alert)
    if step.message is not None:
        await edit(query, step.message)


async def survey_text(update: Update, context: BotContext, state: PendingInput, text: str) -> None:
    participant = await participant_for(update, context)
    if participant is None:
        return
    step = await runner.handle_text(context.services, participant, state, text)
    if step.message is not None and step.message.text:
        await reply(update, context, step.message)


# -- organisers: arguments and pickers --------------------------------------------------------


async def _picker(
    update: Update,
    context: BotContext,
    action: OsAction,
    *,
    programme_action: OsAction | None = None,
    only_with_survey: bool = False,
) -> None:
    services = context.services
    lang = context.lang
    choices = await manage.picker_choices(
        services, limit=PICKER_EVENTS * 2, programmes=programme_action is not None,
        only_with_survey=only_with_survey,
    )  # fmt: skip
    extra = []
    if programme_action is not None:
        for programme in choices.programmes:
            extra.append(
                Button(
                    ("📚 " + programme.title)[:48],
                    OrgSurveyPress(programme_action, programme.id).pack(),
                )
            )
    picker = event_picker(
        services.translator, lang, choices.events, lambda e: OrgSurveyPress(action, e.id).pack(),
        prompt="scores-pick", empty="scores-nothing", extra=extra, limit=PICKER_EVENTS,
    )  # fmt: skip
    await reply(update, context, picker)


async def _event(update: Update, context: BotContext, event_id: int) -> Event | None:
    event = await manage.get_event(context.services, event_id)
    if event is None:
        lang = context.lang
        await reply(update, context, context.services.t(lang, "error-event-not-found"))
    return event


async def _send_lines(
    update: Update,
    context: BotContext,
    lines: Sequence[str],
    buttons: tuple[tuple[Button, ...], ...] = (),
) -> None:
    """A long report as several messages, each within Telegram's limit; buttons on the last."""
    messages = split_messages(lines)
    for position, text in enumerate(messages, start=1):
        last = position == len(messages)
        await reply(update, context, OutgoingMessage(text, buttons if last else ()))


async def _send_png(
    update: Update, context: BotContext, png: bytes, name: str, caption: str
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_photo(
        chat_id=chat.id, photo=png, filename=name, caption=caption[:1024], parse_mode="HTML"
    )


def _state_line(services: Services, lang: str, event: Event, survey: SurveyRow | None) -> str:
    if survey is None or survey.status == SurveyStatus.DRAFT:
        return services.t(lang, "survey-state-draft")
    if survey.status == SurveyStatus.OPEN:
        return services.t(lang, "survey-state-open", closes=closes_text(event, survey.closes_at))
    return services.t(lang, "survey-state-closed")


# -- /scores ----------------------------------------------------------------------------------


async def scores_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await _picker(
            update, context, OsAction.SCORES, programme_action=OsAction.PROGRAMME,
            only_with_survey=True,
        )  # fmt: skip
        return
    targets = [await manage.parse_target(context.services, a) for a in args[: MAX_COMPARE + 1]]
    lang = context.lang
    services = context.services
    if any(t is None for t in targets) or (
        len(targets) > 1 and any(t is not None and t[0] != "event" for t in targets)
    ):
        await reply(update, context, services.t(lang, "scores-usage"))
        return
    if len(targets) > MAX_COMPARE:
        await reply(update, context, services.t(lang, "scores-too-many", max=MAX_COMPARE))
        return
    first = targets[0]
    assert first is not None
    if len(targets) == 1 and first[0] == "programme":
        await _programme_scores(update, context, first[1])
    elif len(targets) == 1:
        await _event_scores(update, context, first[1])
    else:
        ids = list(dict.fromkeys(t[1] for t in targets if t is not None))
        await _comparison(update, context, ids)


async def _event_scores(update: Update, context: BotContext, event_id: int) -> None:
    services = context.services
    lang = context.lang
    event = await _event(update, context, event_id)
    if event is None:
        return
    report = await scoring.event_scores(services, event)
    survey = await manage.get_survey(services, event_id)
    lines = report_lines(
        services.translator, lang, report, state=_state_line(services, lang, event, survey)
    )
    buttons = [
        Button(
            services.t(lang, "scores-btn-export"), OrgSurveyPress(OsAction.EXPORT, event.id).pack()
        )
    ]
    if event.programme_id is not None:
        buttons.append(
            Button(
                services.t(lang, "scores-btn-programme"),
                OrgSurveyPress(OsAction.PROGRAMME, event.programme_id).pack(),
            )
        )
    await _send_lines(update, context, lines, (tuple(buttons),))
    await _chart(update, context, report, lang, f"scores-event-{event.id}.png")


async def _chart(
    update: Update, context: BotContext, report: scoring.ScoreReport, lang: str, name: str
) -> None:
    if not any(s.stats.n for s in report.questions if s.stats.kind.scored):
        return
    services = context.services
    subtitle = services.t(
        lang,
        "scores-chart-subtitle",
        completed=report.counts.completed,
        score=number(report.overall, lang),
    )
    png = await asyncio.to_thread(charts.distribution_chart, report, lang, subtitle=subtitle)
    await _send_png(
        update, context, png, name, services.t(lang, "scores-chart-caption", title=report.title)
    )


async def _programme_events(
    update: Update, context: BotContext, programme_id: int
) -> tuple[str, list[Event]] | None:
    services = context.services
    found = await manage.programme_events(services, programme_id)
    if found is None:
        lang = context.lang
        await reply(update, context, services.t(lang, "scores-no-programme"))
    return found


async def _programme_scores(update: Update, context: BotContext, programme_id: int) -> None:
    services = context.services
    lang = context.lang
    found = await _programme_events(update, context, programme_id)
    if found is None:
        return
    title, events = found
    report = await scoring.programme_scores(services, title, events)
    lines = report_lines(services.translator, lang, report)
    buttons = (
        (
            Button(
                services.t(lang, "scores-btn-compare"),
                OrgSurveyPress(OsAction.COMPARE, programme_id).pack(),
            ),
            Button(
                services.t(lang, "scores-btn-export"),
                OrgSurveyPress(OsAction.EXPORT_PROGRAMME, programme_id).pack(),
            ),
        ),
    )
    await _send_lines(update, context, lines, buttons)
    await _chart(update, context, report, lang, f"scores-programme-{programme_id}.png")


async def _comparison(update: Update, context: BotContext, event_ids: Sequence[int]) -> None:
    services = context.services
    lang = context.lang
    events = []
    for event_id in event_ids[:MAX_COMPARE]:
        event = await _event(update, context, event_id)
        if event is None:
            return
        events.append(event)
    comparison = await scoring.compare(services, events)
    await _send_lines(update, context, comparison_lines(services.translator, lang, comparison))
    if any(n for c in comparison.columns for n, _ in c.means.values()):
        png = await asyncio.to_thread(charts.comparison_chart, comparison, lang)
        caption = services.t(lang, "scores-compare-title", count=len(events))
        await _send_png(update, context, png, "scores-compare.png", caption)


# -- /export ----------------------------------------------------------------------------------


async def export_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await _picker(
            update, context, OsAction.EXPORT, programme_action=OsAction.EXPORT_PROGRAMME,
            only_with_survey=True,
        )  # fmt: skip
        return
    target = await manage.parse_target(context.services, args[0])
    if target is None or len(args) > 1:
        lang = context.lang
        await reply(update, context, context.services.t(lang, "scores-export-usage"))
        return
    if target[0] == "programme":
        await _export_programme(update, context, target[1])
    else:
        await _export_event(update, context, target[1])


async def _send_export(
    update: Update,
    context: BotContext,
    events: Sequence[Event],
    stem: str,
    title: str,
    programme_title: str | None = None,
) -> None:
    services = context.services
    chat = update.effective_chat
    if chat is None:
        return
    lang = context.lang
    result = await export_events(services, events, lang=lang, programme_title=programme_title)
    log.info("export %s: %d answers", stem, result.rows)
    caption = services.t(lang, "scores-export-caption", title=title, rows=result.rows)
    await context.bot.send_document(
        chat_id=chat.id, document=result.xlsx, filename=f"{stem}.xlsx", caption=caption[:1024],
        parse_mode="HTML",
    )  # fmt: skip
    await context.bot.send_document(
        chat_id=chat.id, document=result.answers_csv, filename=f"{stem}-answers.csv"
    )


async def _export_event(update: Update, context: BotContext, event_id: int) -> None:
    event = await _event(update, context, event_id)
    if event is not None:
        await _send_export(update, context, [event], f"scores-event-{event.id}", event.title)


async def _export_programme(update: Update, context: BotContext, programme_id: int) -> None:
    found = await _programme_events(update, context, programme_id)
    if found is not None:
        title, events = found
        stem = f"scores-programme-{programme_id}"
        await _send_export(update, context, events, stem, title, programme_title=title)


# -- /survey ----------------------------------------------------------------------------------

_SURVEY_ACTIONS = {
    "open": OsAction.OPEN,
    "close": OsAction.CLOSE,
    "status": OsAction.STATUS,
    "template": OsAction.TEMPLATE,
    "anonymous": OsAction.ANONYMOUS,
}


async def survey_command(update: Update, context: BotContext) -> None:
    """/survey open|close|status|template|anonymous [event] [template name | on | off]"""
    services = context.services
    lang = context.lang
    args = context.args or []
    action = _SURVEY_ACTIONS.get(args[0].lower()) if args else None
    if action is None:
        await reply(
            update, context, services.t(lang, "survey-usage", templates=", ".join(template_names()))
        )
        return
    if len(args) < 2:
        await _picker(update, context, action)
        return
    target = await manage.parse_target(services, args[1])
    if target is None or target[0] != "event" or len(args) > 3:
        await reply(
            update, context, services.t(lang, "survey-usage", templates=", ".join(template_names()))
        )
        return
    await _survey_action(update, context, action, target[1], args[2] if len(args) > 2 else "-")


async def _survey_action(
    update: Update, context: BotContext, action: OsAction, event_id: int, arg: str
) -> None:
    event = await _event(update, context, event_id)
    if event is None:
        return
    if action is OsAction.OPEN:
        await _open(update, context, event)
    elif action is OsAction.CLOSE:
        await _close(update, context, event)
    elif action is OsAction.STATUS:
        await _status(update, context, event)
    elif action is OsAction.TEMPLATE:
        await _template(update, context, event, arg)
    elif action is OsAction.ANONYMOUS:
        await _anonymous(update, context, event, arg)


async def _open(update: Update, context: BotContext, event: Event) -> None:
    services = context.services
    lang = context.lang
    if event.status is EventStatus.CANCELLED:
        await reply(update, context, services.t(lang, "error-event-not-found"))
        return
    opened = await manage.open_now(services, event.id)
    sent, survey = opened.sent, opened.survey
    if survey is None or survey.status == SurveyStatus.CLOSED:
        await reply(
            update, context, services.t(lang, "survey-org-already-closed", title=event.title)
        )
        return
    log.info("organiser opened survey %s; %d queued", event.id, sent)
    await reply(
        update,
        context,
        services.t(
            lang, "survey-org-opened", title=event.title, sent=sent,
            closes=closes_text(event, survey.closes_at),
        ),
    )  # fmt: skip


async def _close(update: Update, context: BotContext, event: Event) -> None:
    services = context.services
    lang = context.lang
    completed = await manage.close_now(services, event.id)
    await reply(
        update,
        context,
        services.t(lang, "survey-org-closed", title=event.title, completed=completed),
    )


async def _status(update: Update, context: BotContext, event: Event) -> None:
    services = context.services
    lang = context.lang
    figures = await manage.status(services, event.id)
    survey = figures.survey
    text = services.t(
        lang, "survey-org-status", id=event.id, title=event.title, template=survey.template,
        questions=figures.questions, state=_state_line(services, lang, event, survey),
        mode=services.t(lang, "survey-mode-anonymous" if survey.anonymous else "survey-mode-named"),
        recipients=figures.recipients, started=figures.started, completed=figures.completed,
    )  # fmt: skip

    def button(key: str, action: OsAction) -> Button:
        return Button(services.t(lang, key), OrgSurveyPress(action, event.id).pack())

    buttons = (
        (button("survey-btn-open", OsAction.OPEN), button("survey-btn-close", OsAction.CLOSE)),
        (button("survey-btn-template", OsAction.TEMPLATE),),
    )
    await reply(update, context, OutgoingMessage(text, buttons))


async def _template(update: Update, context: BotContext, event: Event, name: str) -> None:
    services = context.services
    lang = context.lang
    names = template_names()
    if name == "-":
        survey = await manage.get_survey(services, event.id)
        current = survey.template if survey is not None else "default"
        buttons = [
            Button(
                ("✅ " if n == current else "") + n,
                OrgSurveyPress(OsAction.TEMPLATE, event.id, n).pack(),
            )
            for n in names
        ]
        await reply(
            update,
            context,
            OutgoingMessage(
                services.t(lang, "survey-org-pick-template", title=event.title),
                rows(*buttons, per_row=2),
            ),
        )
        return
    try:
        definition = load_template(name)
    except KeyError:
        await reply(
            update,
            context,
            services.t(lang, "survey-org-unknown-template", templates=", ".join(names)),
        )
        return
    changed = await manage.set_template(services, event.id, definition)
    if not changed:
        await reply(update, context, services.t(lang, "survey-org-locked"))
        return
    log.info("organiser set survey template %s for event %s", definition.name, event.id)
    mode = "survey-mode-anonymous" if definition.anonymous else "survey-mode-named"
    await reply(
        update,
        context,
        services.t(
            lang, "survey-org-template-set", title=event.title, template=definition.name,
            questions=len(definition.questions), mode=services.t(lang, mode),
        ),
    )  # fmt: skip


async def _anonymous(update: Update, context: BotContext, event: Event, arg: str) -> None:
    services = context.services
    lang = context.lang
    if arg.lower() not in ("on", "off"):
        buttons = (
            tuple(
                Button(
                    services.t(lang, key), OrgSurveyPress(OsAction.ANONYMOUS, event.id, arg).pack()
                )
                for key, arg in (("survey-mode-anonymous", "on"), ("survey-mode-named", "off"))
            ),
        )
        await reply(
            update, context, OutgoingMessage(services.t(lang, "survey-org-pick-mode"), buttons)
        )
        return
    anonymous = arg.lower() == "on"
    changed = await manage.set_anonymous(services, event.id, anonymous)
    if not changed:
        await reply(update, context, services.t(lang, "survey-org-locked"))
        return
    log.info("organiser set survey %s anonymous=%s", event.id, anonymous)
    mode = services.t(lang, "survey-mode-anonymous" if anonymous else "survey-mode-named")
    await reply(
        update, context, services.t(lang, "survey-org-mode-set", title=event.title, mode=mode)
    )


# -- the organiser buttons --------------------------------------------------------------------


async def on_org_survey_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = await typed_press(update, context, OrgSurveyPress)
    if data is None:
        return
    await query.answer()
    action, target = data.action, data.target
    if action is OsAction.SCORES:
        await _event_scores(update, context, target)
    elif action is OsAction.PROGRAMME:
        await _programme_scores(update, context, target)
    elif action is OsAction.COMPARE:
        found = await _programme_events(update, context, target)
        if found is not None:
            await _comparison(update, context, [e.id for e in found[1]])
    elif action is OsAction.EXPORT:
        await _export_event(update, context, target)
    elif action is OsAction.EXPORT_PROGRAMME:
        await _export_programme(update, context, target)
    else:
        await _survey_action(update, context, action, target, data.arg)


COMMANDS: dict[str, Handler] = {
    "scores": scores_command,
    "export": export_command,
    "survey": survey_command,
}


def routes(r: Routes) -> None:
    """This area's routes; the organiser ones gated from their flags."""
    r.text_flow(runner.SURVEY_FLOW, survey_text, organiser=False)
    for name, handler in COMMANDS.items():
        r.command(name, handler, organiser=True)
    r.button(on_org_survey_button, OrgSurveyPress)
    r.button(on_survey_button, SurveyPress)
