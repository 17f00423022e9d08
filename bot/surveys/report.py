"""What organisers read: score reports and comparisons as HTML lines, split to fit Telegram."""

from __future__ import annotations

import html
from collections.abc import Sequence

from babel.numbers import format_decimal, format_percent

from bot.i18n import Markup, Translator, format_short
from bot.surveys.model import QuestionKind, pick
from bot.surveys.scoring import Comparison, QuestionScore, ResponseCounts, ScoreReport

MESSAGE_LIMIT = 4000  # Telegram allows 4096 characters; a margin for the entities
COMMENT_CHARS = 300  # a comment longer than this is cut in chat (the export has it whole)
BAR_WIDTH = 10


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def number(value: float | None, lang: str, pattern: str = "0.00") -> str:
    return "—" if value is None else str(format_decimal(value, pattern, locale=lang))


def percent(value: float | None, lang: str) -> str:
    return "—" if value is None else str(format_percent(value, locale=lang))


def bar(share: float, width: int = BAR_WIDTH) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)


def split_messages(lines: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack whole lines into messages of at most ``limit`` characters (a line is never cut
    inside, so no HTML tag is broken; an over-long single line is shortened as plain text)."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if len(line) > limit:
            line = _e(html.unescape(_strip_tags(line)))[: limit - 1] + "…"
        if current and size + 1 + len(line) > limit:
            messages.append("\n".join(current).strip("\n"))
            current, size = [], 0
        if not current and not line.strip():
            continue  # no message starts with blank lines
        current.append(line)
        size += len(line) + (1 if size else 0)
    if current and "\n".join(current).strip():
        messages.append("\n".join(current).strip("\n"))
    return messages


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


def _rates(tr: Translator, lang: str, counts: ResponseCounts) -> list[str]:
    lines = [
        tr.text(lang, "scores-responses", completed=counts.completed, unfinished=counts.unfinished)
    ]
    of_invited = counts.completed / counts.invited if counts.invited else None
    of_yes = counts.completed / counts.eligible if counts.eligible else None
    lines.append(
        tr.text(
            lang, "scores-rates", of_invited=percent(of_invited, lang), invited=counts.invited,
            of_yes=percent(of_yes, lang), eligible=counts.eligible,
        )
    )  # fmt: skip
    return lines


def _distribution(values: Sequence[tuple[str, int]], n: int) -> list[str]:
    width = max((len(label) for label, _ in values), default=1)
    digits = len(str(max((c for _, c in values), default=0)))
    lines = []
    for label, count in values:
        share = count / n if n else 0
        lines.append(
            f"<code>{_e(label.rjust(width))} {bar(share)} {str(count).rjust(digits)}</code>"
        )
    return lines


def question_lines(
    tr: Translator, lang: str, number_: int, score: QuestionScore, *, named: bool
) -> list[str]:
    q, stats = score.question, score.stats
    lines = [tr.text(lang, "scores-question", number=number_, label=q.label(lang))]
    if q.kind is QuestionKind.TEXT:
        lines[0] += " " + tr.text(lang, "scores-comments", count=score.comments_total)
        for comment in score.comments:
            text = (
                comment.text
                if len(comment.text) <= COMMENT_CHARS
                else comment.text[: COMMENT_CHARS - 1] + "…"
            )
            if named and comment.name:
                who = comment.name + (f", {comment.organisation}" if comment.organisation else "")
                lines.append(tr.text(lang, "scores-comment-named", text=text, name=who))
            else:
                lines.append(tr.text(lang, "scores-comment", text=text))
        more = score.comments_total - len(score.comments)
        if more > 0:
            lines.append(tr.text(lang, "scores-comments-more", count=more))
        return lines
    n = stats.n
    if n == 0:
        lines.append(tr.text(lang, "scores-no-answers"))
        return lines
    skipped = " · " + tr.text(lang, "scores-skipped", count=stats.skipped) if stats.skipped else ""
    if q.kind is QuestionKind.RATING:
        lines.append(
            tr.text(
                lang, "scores-stats", n=n, mean=number(stats.mean, lang),
                median=number(stats.median, lang, "0.#"), sd=number(stats.sd, lang),
                top2=percent(stats.top2, lang),
            ) + skipped
        )  # fmt: skip
        values = [(str(v), stats.histogram.get(v, 0)) for v in range(5, 0, -1)]
        lines += _distribution(values, n)
    elif q.kind is QuestionKind.NPS:
        lines.append(
            tr.text(
                lang, "scores-stats-nps", n=n, mean=number(stats.mean, lang, "0.0"),
                median=number(stats.median, lang, "0.#"), sd=number(stats.sd, lang, "0.0"),
                nps=number(stats.nps, lang, "+0;-0"),
            ) + skipped
        )  # fmt: skip
        groups = (("9–10", range(9, 11)), ("7–8", range(7, 9)), ("0–6", range(0, 7)))
        values = [(label, sum(stats.histogram.get(v, 0) for v in r)) for label, r in groups]
        lines += _distribution(values, n)
    else:
        lines.append(tr.text(lang, "scores-choices", n=n) + skipped)
        counts = stats.option_counts(len(q.options))
        for option, count in zip(q.options, counts, strict=True):
            share = count / n
            lines.append(
                tr.text(
                    lang, "scores-option", option=pick(option.text, lang),
                    bar=Markup(bar(share)), count=count, share=percent(share, lang),
                )
            )  # fmt: skip
    return lines


def report_lines(
    tr: Translator, lang: str, report: ScoreReport, *, state: str | None = None
) -> list[str]:
    """The whole /scores text of an event or a programme (split it with split_messages)."""
    if report.programme:
        head = tr.text(
            lang, "scores-title-programme", title=report.title, events=len(report.event_ids)
        )
    else:
        head = tr.text(lang, "scores-title-event", title=report.title, id=report.event_ids[0])
    lines = [head]
    if state:
        lines.append(state)
    lines += _rates(tr, lang, report.counts)
    if report.overall is None:
        lines.append(tr.text(lang, "scores-overall-none"))
    else:
        lines.append(tr.text(lang, "scores-overall", score=number(report.overall, lang)))
        how = tr.text(lang, "scores-overall-how", count=report.overall_questions)
        lines.append(f"<i>{how}</i>")
    if report.anonymous:
        lines.append(tr.text(lang, "scores-anonymous", min=report.min_group_size))
    for position, score in enumerate(report.questions, start=1):
        lines.append("")
        lines += question_lines(tr, lang, position, score, named=not report.anonymous)
    lines += breakdown_lines(tr, lang, report)
    return lines


def breakdown_lines(tr: Translator, lang: str, report: ScoreReport) -> list[str]:
    breakdown = report.breakdown
    if not breakdown.groups and breakdown.other is None and not breakdown.hidden:
        return []
    lines = ["", tr.text(lang, "scores-by-org")]
    for group in breakdown.groups:
        name = group.organisation or tr.text(lang, "scores-org-unknown")
        lines.append(
            tr.text(
                lang, "scores-org-line", organisation=name, score=number(group.overall, lang),
                respondents=group.respondents,
            )
        )  # fmt: skip
    if breakdown.other is not None:
        lines.append(
            tr.text(
                lang, "scores-org-line", organisation=tr.text(lang, "scores-org-other"),
                score=number(breakdown.other.overall, lang),
                respondents=breakdown.other.respondents,
            )
        )  # fmt: skip
    if breakdown.hidden:
        lines.append(
            tr.text(lang, "scores-org-hidden", count=breakdown.hidden, min=report.min_group_size)
        )
    return lines


def comparison_lines(tr: Translator, lang: str, comparison: Comparison) -> list[str]:
    lines = [tr.text(lang, "scores-compare-title", count=len(comparison.columns))]
    for column in comparison.columns:
        event = column.event
        lines.append(
            tr.text(
                lang, "scores-compare-event", id=event.id, title=event.title,
                date=format_short(event.starts_at, event.timezone),
                completed=column.counts.completed, score=number(column.overall, lang),
            )
        )  # fmt: skip
    for q in comparison.questions:
        lines += ["", tr.text(lang, "scores-compare-question", label=q.label(lang))]
        rating = q.kind is QuestionKind.RATING
        pattern, top = ("0.00", 5) if rating else ("0.0", 10)
        for column in comparison.columns:
            n, mean = column.means.get(q.id, (0, None))
            lines.append(
                tr.text(
                    lang, "scores-compare-cell", id=column.event.id, n=n,
                    mean=number(mean, lang, pattern), bar=Markup(bar((mean or 0) / top)),
                )
            )  # fmt: skip
    return lines
