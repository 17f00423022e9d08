"""Scores: per question n, mean, median, standard deviation, distribution, top-2-box.

SQL does the counting (bot/storage/surveys.py): one row per (event, question, value) from
the covering index. Everything here works on those histograms (at most 11 values per
question, or 2^options bitmasks), so the statistics are exact and never need the answers
themselves in Python.

Definitions (also in docs/surveys.md):
- n: answers with a value (skipped optional questions do not count);
- mean and median of the values; standard deviation is the sample one (n - 1), none for n < 2;
- top-2-box: the share of the two best values (4-5 of 1-5, 9-10 of 0-10);
- NPS (0-10 questions): % of 9-10 minus % of 0-6;
- overall score: the average of the means of the 1-5 rating questions that have answers,
  each question weighing the same, so a question many skip does not tilt it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.models import CommentRow, Event, SurveyRow
from bot.services import Services
from bot.surveys.model import (
    DEFAULT_TEMPLATE,
    Question,
    QuestionKind,
    SurveyDefinition,
    load_template,
)

MAX_COMMENTS = 30  # per free-text question in chat; the export has them all


@dataclass(frozen=True)
class Stats:
    """Statistics of one scored question from its histogram (value -> count)."""

    kind: QuestionKind
    histogram: Mapping[int, int]
    skipped: int = 0

    @property
    def n(self) -> int:
        return sum(self.histogram.values())

    @property
    def mean(self) -> float | None:
        n = self.n
        if n == 0 or self.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            return None
        return sum(v * c for v, c in self.histogram.items()) / n

    @property
    def median(self) -> float | None:
        n = self.n
        if n == 0 or self.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
            return None
        lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle value(s)
        seen, low_value, high_value = 0, None, None
        for value in sorted(self.histogram):
            count = self.histogram[value]
            if low_value is None and seen + count > lower:
                low_value = value
            if seen + count > upper:
                high_value = value
                break
            seen += count
        assert low_value is not None and high_value is not None
        return (low_value + high_value) / 2

    @property
    def sd(self) -> float | None:
        n, mean = self.n, self.mean
        if mean is None or n < 2:
            return None
        square = sum(c * (v - mean) ** 2 for v, c in self.histogram.items())
        return math.sqrt(square / (n - 1))

    def share(self, values: Iterable[int]) -> float | None:
        n = self.n
        if n == 0:
            return None
        return sum(self.histogram.get(v, 0) for v in values) / n

    @property
    def top2(self) -> float | None:
        if self.kind is QuestionKind.RATING:
            return self.share((4, 5))
        if self.kind is QuestionKind.NPS:
            return self.share((9, 10))
        return None

    @property
    def nps(self) -> float | None:
        """Net promoter score, -100..100 (0-10 questions only)."""
        if self.kind is not QuestionKind.NPS or self.n == 0:
            return None
        promoters = self.share(range(9, 11)) or 0.0
        detractors = self.share(range(0, 7)) or 0.0
        return (promoters - detractors) * 100

    def option_counts(self, options: int) -> list[int]:
        """How many chose each option (single: the option number; multi: a bitmask)."""
        counts = [0] * options
        for value, count in self.histogram.items():
            if self.kind is QuestionKind.SINGLE and 1 <= value <= options:
                counts[value - 1] += count
            elif self.kind is QuestionKind.MULTI:
                for bit in range(options):
                    if value >> bit & 1:
                        counts[bit] += count
        return counts


def overall(means: Iterable[float | None]) -> tuple[float | None, int]:
    """The average of the given question means that exist, and how many there were."""
    present = [m for m in means if m is not None]
    if not present:
        return None, 0
    return sum(present) / len(present), len(present)


# -- reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionScore:
    question: Question
    stats: Stats
    comments: tuple[CommentRow, ...] = ()  # text questions
    comments_total: int = 0


@dataclass(frozen=True)
class ResponseCounts:
    invited: int = 0
    eligible: int = 0  # said yes (or, with attendance, were present)
    started: int = 0
    completed: int = 0

    @property
    def unfinished(self) -> int:
        return self.started - self.completed


@dataclass(frozen=True)
class OrganisationScore:
    organisation: str | None  # None: "organisation not given"
    respondents: int
    overall: float | None


@dataclass(frozen=True)
class Breakdown:
    groups: tuple[OrganisationScore, ...]
    other: OrganisationScore | None = None  # small groups merged (anonymous mode)
    hidden: int = 0  # respondents in groups too small to show even merged
    merged: int = 0  # how many organisations are in ``other`` (or hidden)
    topped_up: int = 0  # of them, groups large enough alone moved in to protect the rest


@dataclass(frozen=True)
class ScoreReport:
    title: str
    event_ids: tuple[int, ...]
    anonymous: bool
    counts: ResponseCounts
    questions: tuple[QuestionScore, ...]
    overall: float | None
    overall_questions: int
    breakdown: Breakdown
    min_group_size: int
    programme: bool = False


@dataclass(frozen=True)
class EventColumn:
    event: Event
    counts: ResponseCounts
    overall: float | None
    means: dict[str, tuple[int, float | None]] = field(default_factory=dict)  # id -> (n, mean)


@dataclass(frozen=True)
class Comparison:
    columns: tuple[EventColumn, ...]
    questions: tuple[Question, ...]  # the scored ones in the first event's order


def definition_of(survey: SurveyRow | None) -> SurveyDefinition:
    """The event's questionnaire: as stored, or the default one if none was picked yet."""
    if survey is None:
        return load_template(DEFAULT_TEMPLATE)
    return SurveyDefinition.from_json(survey.definition)


def _merge_questions(
    definitions: Sequence[SurveyDefinition],
) -> tuple[list[Question], dict[tuple[int, str], Question]]:
    """Questions in first-seen order, keyed by id; a later event whose question of the same id
    has another kind keeps it out of the merge (its answers would not be comparable)."""
    order: list[Question] = []
    seen: dict[str, Question] = {}
    for definition in definitions:
        for q in definition.questions:
            if q.id not in seen:
                seen[q.id] = q
                order.append(q)
    accepted: dict[tuple[int, str], Question] = {}
    for index, definition in enumerate(definitions):
        for q in definition.questions:
            first = seen[q.id]
            if q.kind is first.kind and (
                q.kind not in (QuestionKind.SINGLE, QuestionKind.MULTI)
                or [o.id for o in q.options] == [o.id for o in first.options]
            ):
                accepted[(index, q.id)] = q
    return order, accepted


async def _counts(services: Services, event_ids: Sequence[int]) -> dict[int, ResponseCounts]:
    storage = services.db
    rsvp = await storage.rsvps.rsvp_counts(event_ids)
    totals = await storage.surveys.response_totals(event_ids)
    result = {}
    for event_id in event_ids:
        started, completed = totals.get(event_id, (0, 0))
        invited = rsvp[event_id].invited if event_id in rsvp else 0
        result[event_id] = ResponseCounts(
            invited=invited,
            eligible=await storage.surveys.survey_eligible_count(event_id),
            started=started,
            completed=completed,
        )
    return result


def _sum_counts(counts: Iterable[ResponseCounts]) -> ResponseCounts:
    items = list(counts)
    return ResponseCounts(
        invited=sum(c.invited for c in items),
        eligible=sum(c.eligible for c in items),
        started=sum(c.started for c in items),
        completed=sum(c.completed for c in items),
    )


def _breakdown(
    histograms: Sequence[tuple[str | None, str, int, int]],
    respondents: Mapping[str | None, int],
    *,
    anonymous: bool,
    min_group: int,
) -> Breakdown:
    """Overall score per organisation; in anonymous mode groups under ``min_group`` are
    merged into one "other organisations" group, itself shown only if large enough (when
    it is too small but other groups are shown, the smallest of them joins it: otherwise
    the totals minus the shown groups would give the small groups away)."""
    per_org: dict[str | None, dict[str, Counter[int]]] = {}
    for org, question, value, count in histograms:
        per_org.setdefault(org, {}).setdefault(question, Counter())[value] += count

    def score(orgs: Iterable[str | None]) -> float | None:
        merged: dict[str, Counter[int]] = {}
        for org in orgs:
            for question, counter in per_org.get(org, {}).items():
                merged.setdefault(question, Counter()).update(counter)
        return overall(Stats(QuestionKind.RATING, c).mean for c in merged.values())[0]

    big = [o for o in respondents if not anonymous or respondents[o] >= min_group]
    small = [o for o in respondents if o not in big]
    topped_up = 0
    if small and big and sum(respondents[o] for o in small) < min_group:
        # Left out, the small groups' answers could still be worked out by subtracting the
        # shown groups from the totals: the smallest shown group joins them instead, so
        # every group that can be told apart has at least ``min_group`` respondents.
        while big and sum(respondents[o] for o in small) < min_group:
            smallest = min(big, key=lambda o: (respondents[o], o or ""))
            big.remove(smallest)
            small.append(smallest)
            topped_up += 1
    groups = tuple(
        sorted(
            (OrganisationScore(o, respondents[o], score([o])) for o in big),
            key=lambda g: (-g.respondents, g.organisation or "\uffff"),
        )
    )
    small_total = sum(respondents[o] for o in small)
    if not small:
        return Breakdown(groups)
    if small_total >= min_group:
        other = OrganisationScore(None, small_total, score(small))
        return Breakdown(groups, other, merged=len(small), topped_up=topped_up)
    return Breakdown(groups, None, small_total, merged=len(small))


async def score_report(
    services: Services,
    events: Sequence[Event],
    *,
    title: str,
    programme: bool = False,
    comments_limit: int = MAX_COMMENTS,
    anonymise: bool = False,
    protect_groups: bool = False,
) -> ScoreReport:
    """Scores of one event, or of several merged (a programme), computed in SQL.

    ``anonymise`` treats the questionnaire as anonymous whatever its mode (the funder's
    report, as the consent promises): comments come without who wrote them, and small
    organisations are merged or left out of the breakdown. ``anonymous`` in the result
    still tells the questionnaire's own mode. ``protect_groups`` applies only the breakdown's
    minimum group size whatever the mode (the dashboard), leaving comments as they are."""
    storage = services.db
    event_ids = [e.id for e in events]
    surveys = await storage.surveys.surveys_for(event_ids)
    definitions = [definition_of(surveys.get(e.id)) for e in events]
    anonymous = any(
        (surveys[e.id].anonymous if e.id in surveys else d.anonymous)
        for e, d in zip(events, definitions, strict=True)
    )
    order, accepted = _merge_questions(definitions)
    index_of = {event_id: i for i, event_id in enumerate(event_ids)}

    histograms: dict[str, Counter[int]] = {q.id: Counter() for q in order}
    skipped: Counter[str] = Counter()
    for event_id, question, value, count in await storage.surveys.answer_histograms(event_ids):
        if (index_of[event_id], question) not in accepted:
            continue
        if value is None:
            skipped[question] += count
        else:
            histograms[question][value] += count

    scores: list[QuestionScore] = []
    for q in order:
        if q.kind is QuestionKind.TEXT:
            comments, total = await storage.surveys.survey_comments(
                event_ids, q.id, named=not (anonymous or anonymise), limit=comments_limit
            )
            stats = Stats(q.kind, {}, skipped=skipped[q.id] - total)
            scores.append(QuestionScore(q, stats, tuple(comments), total))
        else:
            scores.append(QuestionScore(q, Stats(q.kind, histograms[q.id], skipped[q.id])))

    ratings = [s for s in scores if s.question.kind is QuestionKind.RATING]
    total_score, used = overall(s.stats.mean for s in ratings)
    rating_ids = [s.question.id for s in ratings]
    min_group = services.settings.privacy.min_group_size
    breakdown = _breakdown(
        await storage.surveys.organisation_histograms(event_ids, rating_ids),
        await storage.surveys.organisation_respondents(event_ids, rating_ids),
        anonymous=anonymous or anonymise or protect_groups,
        min_group=min_group,
    )
    counts = _sum_counts((await _counts(services, event_ids)).values())
    return ScoreReport(
        title=title,
        event_ids=tuple(event_ids),
        anonymous=anonymous,
        counts=counts,
        questions=tuple(scores),
        overall=total_score,
        overall_questions=used,
        breakdown=breakdown,
        min_group_size=min_group,
        programme=programme,
    )


async def event_scores(services: Services, event: Event) -> ScoreReport:
    return await score_report(services, [event], title=event.title)


async def programme_scores(services: Services, title: str, events: Sequence[Event]) -> ScoreReport:
    return await score_report(services, events, title=title, programme=True)


async def compare(services: Services, events: Sequence[Event]) -> Comparison:
    """Side by side: per event its response counts, overall score and question means."""
    storage = services.db
    event_ids = [e.id for e in events]
    surveys = await storage.surveys.surveys_for(event_ids)
    definitions = [definition_of(surveys.get(e.id)) for e in events]
    order, accepted = _merge_questions(definitions)
    scored = [q for q in order if q.kind in (QuestionKind.RATING, QuestionKind.NPS)]
    per_event: dict[int, dict[str, Counter[int]]] = {e: {} for e in event_ids}
    index_of = {event_id: i for i, event_id in enumerate(event_ids)}
    for event_id, question, value, count in await storage.surveys.answer_histograms(event_ids):
        if value is None or (index_of[event_id], question) not in accepted:
            continue
        per_event[event_id].setdefault(question, Counter())[value] += count
    counts = await _counts(services, event_ids)
    columns = []
    for event in events:
        means: dict[str, tuple[int, float | None]] = {}
        for q in scored:
            stats = Stats(q.kind, per_event[event.id].get(q.id, Counter()))
            means[q.id] = (stats.n, stats.mean)
        rating_means = [means[q.id][1] for q in scored if q.kind is QuestionKind.RATING]
        columns.append(EventColumn(event, counts[event.id], overall(rating_means)[0], means))
    return Comparison(tuple(columns), tuple(scored))
