"""What the dashboard shows, as plain JSON-ready dicts, from the same services as the chat.

Counts come from the repositories /events, /rsvps and /attendance read (``db.rsvps.rsvp_counts``,
``db.attendance.attendance_counts``); scores from :func:`bot.surveys.scoring.score_report`,
the one scoring code path of /scores, /export and the funder's report; files from the same
builders the chat sends (``bot/surveys/export.py``, ``bot/documents/report.py``,
``bot/documents/signin.py``, ``bot/documents/certificates.py``, ``bot/events.py``).

Every read is bounded by the events asked for: an event page reads that event's rows through
its indexes; a programme page reads its events' histograms (one row per question and value).
Score reports may come from the dashboard's short-lived cache (bot/webapp/cache.py); counts
are always read live.

Privacy, as in the exports: comments carry a name only when the questionnaire is not
anonymous; scores per organisation never show a group smaller than
``privacy.min_group_size`` (smaller ones are merged into "other organisations", or left out
when even that group is too small), whatever the questionnaire's mode.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import local
from bot.models import AttendanceCounts, Event, EventStatus, RsvpCounts
from bot.services import Services
from bot.surveys.model import QuestionKind, pick
from bot.surveys.scoring import Breakdown, QuestionScore, ScoreReport, score_report
from bot.webapp.cache import ScoreCache

MAX_EVENTS = 200  # events listed on the overview at once
MAX_COMPARE = 12  # columns side by side
FILE_KINDS = ("xlsx", "csv", "answers", "report", "signin", "certificates")


class NotFound(Exception):
    """No such event or programme (or nothing to compare)."""


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _event_json(
    event: Event, counts: RsvpCounts | None, attendance: AttendanceCounts | None
) -> dict[str, Any]:
    c = counts or RsvpCounts()
    starts = local(event.starts_at, event.timezone)
    ends = local(event.ends_at, event.timezone)
    places = None if event.capacity is None else max(0, event.capacity - c.yes)
    return {
        "id": event.id,
        "title": event.title,
        "programme_id": event.programme_id,
        "programme": event.programme_title,
        "starts": starts.isoformat(timespec="minutes"),
        "ends": ends.isoformat(timespec="minutes"),
        "place": ", ".join(p for p in (event.address, event.hall) if p) or None,
        "online": event.is_online,
        "cancelled": event.status is EventStatus.CANCELLED,
        "invited": c.invited,
        "yes": c.yes,
        "maybe": c.maybe,
        "no": c.no,
        "waiting": c.waitlist,
        "present": attendance.present if attendance else 0,
        "capacity": event.capacity,
        "places": places,
    }


def _day(text: str | None, zone: ZoneInfo) -> datetime | None:
    if not text:
        return None
    day = date.fromisoformat(text)  # ValueError: the route answers 400
    return datetime.combine(day, time(0), tzinfo=zone)


async def overview(
    services: Services,
    *,
    starts_from: str | None = None,
    starts_to: str | None = None,
    programme_id: int | None = None,
) -> dict[str, Any]:
    """Programmes and events (filtered by start day and programme) with live counts.

    Without dates: from 60 days ago on. ``starts_to`` is inclusive (a day)."""
    zone = services.settings.tz
    begin = _day(starts_from, zone)
    end = _day(starts_to, zone)
    if begin is None and end is None:
        begin = services.clock.now() - timedelta(days=60)
    if end is not None:
        end += timedelta(days=1)
    db = services.db
    events = await db.events.events_between(
        starts_from=begin, starts_before=end, programme_id=programme_id, limit=MAX_EVENTS
    )
    ids = [e.id for e in events]
    counts = await db.rsvps.rsvp_counts(ids)
    attendance = await db.attendance.attendance_counts(ids)
    programmes = await db.events.list_programmes()
    listed: dict[int, int] = {}
    for event in events:
        if event.programme_id is not None:
            listed[event.programme_id] = listed.get(event.programme_id, 0) + 1
    return {
        "programmes": [
            {"id": p.id, "title": p.title, "events": listed.get(p.id, 0)} for p in programmes
        ],
        "events": [_event_json(e, counts.get(e.id), attendance.get(e.id)) for e in events],
        "limit": MAX_EVENTS,
    }


# -- scores -----------------------------------------------------------------------------------


def _distribution(score: QuestionScore, lang: str) -> list[dict[str, Any]]:
    q, stats = score.question, score.stats
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        counts = stats.option_counts(len(q.options))
        return [
            {"label": pick(o.text, lang), "value": i + 1, "count": counts[i]}
            for i, o in enumerate(q.options)
        ]
    return [{"label": str(v), "value": v, "count": stats.histogram.get(v, 0)} for v in q.scale]


def _question_json(score: QuestionScore, lang: str) -> dict[str, Any]:
    q, stats = score.question, score.stats
    item: dict[str, Any] = {
        "id": q.id,
        "title": q.label(lang),
        "text": pick(q.text, lang),
        "kind": q.kind.value,
    }
    if q.kind is QuestionKind.TEXT:
        item["comments_total"] = score.comments_total
        item["comments"] = [
            {"text": c.text, "name": c.name, "organisation": c.organisation} for c in score.comments
        ]
        return item
    item.update(
        n=stats.n,
        skipped=stats.skipped,
        mean=_round(stats.mean),
        median=stats.median,
        sd=_round(stats.sd),
        top2=_round(stats.top2),
        nps=_round(stats.nps, 2),
        distribution=_distribution(score, lang),
    )
    return item


def _breakdown_json(breakdown: Breakdown) -> dict[str, Any]:
    def group(g: Any) -> dict[str, Any]:
        return {"organisation": g.organisation, "respondents": g.respondents,
                "overall": _round(g.overall)}  # fmt: skip

    return {
        "groups": [group(g) for g in breakdown.groups],
        "other": None if breakdown.other is None else group(breakdown.other),
        "hidden": breakdown.hidden,
        "merged": breakdown.merged,
    }


def scores_json(report: ScoreReport, lang: str) -> dict[str, Any]:
    counts = report.counts
    rate = counts.completed / counts.eligible if counts.eligible else None
    return {
        "anonymous": report.anonymous,
        "invited": counts.invited,
        "eligible": counts.eligible,
        "started": counts.started,
        "completed": counts.completed,
        "response_rate": _round(rate),
        "overall": _round(report.overall),
        "overall_questions": report.overall_questions,
        "questions": [_question_json(s, lang) for s in report.questions],
        "organisations": _breakdown_json(report.breakdown),
        "min_group_size": report.min_group_size,
    }


async def _scores(
    services: Services,
    events: Sequence[Event],
    title: str,
    *,
    programme: bool,
    cache: ScoreCache[ScoreReport] | None,
) -> ScoreReport:
    async def compute() -> ScoreReport:
        return await score_report(
            services, events, title=title, programme=programme, protect_groups=True
        )

    if cache is None:
        return await compute()
    return await cache.get((tuple(e.id for e in events), programme, title), compute)


async def event_page(
    services: Services, event_id: int, lang: str, *, cache: ScoreCache[ScoreReport] | None = None
) -> dict[str, Any]:
    """One event: counts, answers by organisation, attendance, the questionnaire's scores."""
    db = services.db
    event = await db.events.get_event(event_id)
    if event is None:
        raise NotFound(f"event {event_id}")
    counts = (await db.rsvps.rsvp_counts([event_id])).get(event_id)
    attendance = (await db.attendance.attendance_counts([event_id])).get(event_id)
    per_org: dict[str, dict[str, int]] = {}
    for org, status, people in await db.rsvps.organisation_answers(event_id):
        row = per_org.setdefault(org, {"yes": 0, "maybe": 0, "no": 0, "waiting": 0, "present": 0})
        row["waiting" if status == "waitlist" else status] += people
    for org, people in (await db.attendance.organisation_presence(event_id)).items():
        row = per_org.setdefault(org, {"yes": 0, "maybe": 0, "no": 0, "waiting": 0, "present": 0})
        row["present"] = people
    survey = await db.surveys.get_survey(event_id)
    report = await _scores(services, [event], event.title, programme=False, cache=cache)
    a = attendance or AttendanceCounts()
    return {
        "event": _event_json(event, counts, attendance),
        "organisations": [
            {"organisation": org or None, **row}
            for org, row in sorted(per_org.items(), key=lambda i: (-i[1]["yes"], i[0].lower()))
        ],
        "attendance": {
            "recorded": a.recorded,
            "present": a.present,
            "absent": a.absent,
            "no_show": a.no_show,
            "walk_in": a.present_without_yes,
        },
        "survey": {"status": survey.status if survey else None, **scores_json(report, lang)},
        "files": list(FILE_KINDS),
    }


async def programme_page(
    services: Services,
    programme_id: int,
    lang: str,
    *,
    cache: ScoreCache[ScoreReport] | None = None,
) -> dict[str, Any]:
    """A programme: its events with counts and the scores of all of them together."""
    db = services.db
    programmes = {p.id: p.title for p in await db.events.list_programmes()}
    if programme_id not in programmes:
        raise NotFound(f"programme {programme_id}")
    events = await db.events.list_programme_events(programme_id)
    ids = [e.id for e in events]
    counts = await db.rsvps.rsvp_counts(ids)
    attendance = await db.attendance.attendance_counts(ids)
    active = [e for e in events if e.status is EventStatus.ACTIVE]
    report = await _scores(services, active, programmes[programme_id], programme=True, cache=cache)
    return {
        "programme": {"id": programme_id, "title": programmes[programme_id]},
        "events": [_event_json(e, counts.get(e.id), attendance.get(e.id)) for e in events],
        "scores": scores_json(report, lang),
    }


async def compare(
    services: Services,
    lang: str,
    *,
    event_ids: Sequence[int] = (),
    programme_ids: Sequence[int] = (),
    cache: ScoreCache[ScoreReport] | None = None,
) -> dict[str, Any]:
    """Events or programmes side by side: per question n and mean, per organisation the
    overall score (small groups merged as everywhere on the dashboard)."""
    db = services.db
    columns: list[tuple[str, str, list[Event]]] = []
    if event_ids:
        for event_id in list(dict.fromkeys(event_ids))[:MAX_COMPARE]:
            event = await db.events.get_event(event_id)
            if event is None:
                raise NotFound(f"event {event_id}")
            columns.append((f"e{event.id}", event.title, [event]))
    else:
        programmes = {p.id: p.title for p in await db.events.list_programmes()}
        for programme_id in list(dict.fromkeys(programme_ids))[:MAX_COMPARE]:
            if programme_id not in programmes:
                raise NotFound(f"programme {programme_id}")
            events = [
                e
                for e in await db.events.list_programme_events(programme_id)
                if e.status is EventStatus.ACTIVE
            ]
            columns.append((f"p{programme_id}", programmes[programme_id], events))
    if not columns:
        raise NotFound("nothing to compare")
    reports = [
        await _scores(services, events, title, programme=key.startswith("p"), cache=cache)
        for key, title, events in columns
    ]
    questions: dict[str, dict[str, Any]] = {}
    organisations: dict[str, list[float | None]] = {}
    for index, report in enumerate(reports):
        for s in report.questions:
            if not s.question.kind.scored or s.question.kind not in (
                QuestionKind.RATING,
                QuestionKind.NPS,
            ):
                continue
            row = questions.setdefault(
                s.question.id,
                {"id": s.question.id, "title": s.question.label(lang),
                 "kind": s.question.kind.value, "values": [None] * len(reports)},
            )  # fmt: skip
            row["values"][index] = {"n": s.stats.n, "mean": _round(s.stats.mean)}
        shown = list(report.breakdown.groups)
        if report.breakdown.other is not None:
            shown.append(report.breakdown.other)
        for g in shown:
            key = g.organisation if g is not report.breakdown.other else ""
            organisations.setdefault(key or "", [None] * len(reports))[index] = _round(g.overall)
    return {
        "columns": [
            {
                "key": key,
                "title": title,
                "events": len(events),
                "overall": _round(r.overall),
                "completed": r.counts.completed,
                "eligible": r.counts.eligible,
            }
            for (key, title, events), r in zip(columns, reports, strict=True)
        ],
        "questions": list(questions.values()),
        "organisations": [
            {"organisation": org or None, "values": values}
            for org, values in sorted(organisations.items(), key=lambda i: (i[0] == "", i[0]))
        ],
        "min_group_size": services.settings.privacy.min_group_size,
    }


# -- files ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardFile:
    name: str
    content: bytes
    content_type: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def event_file(services: Services, event_id: int, kind: str, lang: str) -> DashboardFile:
    """The same file the chat sends for this event (built by the same function)."""
    event = await services.db.events.get_event(event_id)
    if event is None or kind not in FILE_KINDS:
        raise NotFound(f"event {event_id} file {kind}")
    if kind in ("xlsx", "csv"):
        from bot.surveys.export import export_events

        result = await export_events(services, [event], lang=lang)
        stem = f"scores-event-{event.id}"
        if kind == "xlsx":
            return DashboardFile(f"{stem}.xlsx", result.xlsx, XLSX)
        return DashboardFile(f"{stem}-answers.csv", result.answers_csv, "text/csv")
    if kind == "answers":
        from bot.events import Refused, rsvps_file

        answers = await rsvps_file(services, lang, event_id)
        if isinstance(answers, Refused):
            raise NotFound(f"event {event_id}")
        return DashboardFile(answers.filename, answers.data, "text/csv")
    if kind == "report":
        from bot.documents.report import event_report

        files = await event_report(services, event)
        return DashboardFile(f"{files.name}.pdf", files.pdf, "application/pdf")
    if kind == "signin":
        from bot.documents import signin

        content = await signin.signin_pdf(services, event)
        return DashboardFile(signin.sheet_filename(event), content, "application/pdf")
    return await _certificates_zip(services, event)


async def _certificates_zip(services: Services, event: Event) -> DashboardFile:
    """Every certificate issued for the event, one PDF each, as the holders receive them."""
    from bot.documents.certificates import render_certificate

    files: list[tuple[str, bytes]] = []
    for certificate in await services.db.documents.event_certificates(event.id):
        pdf = await render_certificate(services, certificate.code)
        if pdf is not None:
            number = certificate.reg_number or certificate.code
            files.append((f"certificate-{number}.pdf", pdf))

    def pack() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files:
                archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content)
        return buffer.getvalue()

    return DashboardFile(
        f"certificates-event-{event.id}.zip", await asyncio.to_thread(pack), "application/zip"
    )
