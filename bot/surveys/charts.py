"""PNG charts of the scores with matplotlib's Agg backend (no display, no pyplot state).

Each chart builds its own ``Figure`` (never the global pyplot figure), so rendering in a
worker thread (``asyncio.to_thread``) is safe and the event loop is not blocked.
"""

from __future__ import annotations

import io
import textwrap

from babel.numbers import format_decimal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.surveys.model import QuestionKind
from bot.surveys.scoring import Comparison, ScoreReport

# 1 (red) .. 5 (green): readable in colour and in grey.
RATING_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#7fb843", "#27ae60")
NPS_COLOURS = ("#c0392b", "#bdc3c7", "#27ae60")  # 0-6, 7-8, 9-10
MAX_GROUPED = 6  # events drawn question by question; more get one bar each
SERIES_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _number(value: float | None, lang: str, pattern: str) -> str:
    return "—" if value is None else str(format_decimal(value, pattern, locale=lang))


def _wrap(label: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def distribution_chart(report: ScoreReport, lang: str, *, subtitle: str = "") -> bytes:
    """Horizontal 100 % bars: the 1-5 distribution of each rating question (and the
    0-6 / 7-8 / 9-10 groups of a recommendation question), its mean at the end."""
    rows = [
        s for s in report.questions if s.question.kind in (QuestionKind.RATING, QuestionKind.NPS)
    ]
    height = 1.2 + 0.55 * max(len(rows), 1)
    figure = Figure(figsize=(8.5, height))
    axes = figure.add_subplot()
    labels: list[str] = []
    for y, score in enumerate(reversed(rows)):
        stats = score.stats
        labels.append(_wrap(f"{score.question.label(lang)} (n={stats.n})"))
        n = stats.n or 1
        if score.question.kind is QuestionKind.RATING:
            segments = [
                (stats.histogram.get(v, 0) / n, RATING_COLOURS[v - 1], str(v)) for v in range(1, 6)
            ]
            mean = _number(stats.mean, lang, "0.00")
        else:
            groups = (range(0, 7), range(7, 9), range(9, 11))
            names = ("0–6", "7–8", "9–10")
            segments = [
                (sum(stats.histogram.get(v, 0) for v in g) / n, colour, name)
                for g, colour, name in zip(groups, NPS_COLOURS, names, strict=True)
            ]
            mean = _number(stats.mean, lang, "0.0") + "/10"
        left = 0.0
        for share, colour, name in segments:
            if share > 0:
                axes.barh(y, share * 100, left=left, color=colour, edgecolor="white", height=0.7)
                if share >= 0.07:
                    axes.text(left + share * 50, y, name, ha="center", va="center", fontsize=8)
            left += share * 100
        axes.text(101.5, y, mean, va="center", fontsize=9, fontweight="bold")
    axes.set_yticks(range(len(labels)), labels, fontsize=9)
    axes.set_xlim(0, 100)
    axes.set_xlabel("%")
    axes.spines[["top", "right"]].set_visible(False)
    title = _wrap(report.title, 70)
    axes.set_title(title + (f"\n{subtitle}" if subtitle else ""), fontsize=11, loc="left")
    return _png(figure)


def comparison_chart(comparison: Comparison, lang: str) -> bytes:
    """Up to six events: grouped bars, the mean of each rating question per event. More
    events (a programme of 24 seminars): one bar per event, its overall score."""
    columns = comparison.columns
    if len(columns) > MAX_GROUPED:
        return _overall_chart(comparison, lang)
    questions = [q for q in comparison.questions if q.kind is QuestionKind.RATING]
    height = 1.5 + 0.3 * max(len(questions), 1) * max(len(columns), 1)
    figure = Figure(figsize=(8.5, height))
    axes = figure.add_subplot()
    step = 0.8 / max(len(columns), 1)
    for c, column in enumerate(columns):
        means = [column.means.get(q.id, (0, None))[1] or 0 for q in reversed(questions)]
        ys = [i + 0.4 - step * (c + 0.5) for i in range(len(questions))]
        label = _wrap(f"#{column.event.id} {column.event.title}", 40)
        axes.barh(ys, means, height=step * 0.9, color=SERIES_COLOURS[c % 10], label=label)
    axes.set_yticks(range(len(questions)), [_wrap(q.label(lang)) for q in reversed(questions)])
    axes.set_xlim(1, 5)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)
    return _png(figure)


def _overall_chart(comparison: Comparison, lang: str) -> bytes:
    columns = list(reversed(comparison.columns))
    figure = Figure(figsize=(8.5, min(1.2 + 0.35 * len(columns), 40)))
    axes = figure.add_subplot()
    scores = [c.overall or 0 for c in columns]
    axes.barh(range(len(columns)), scores, color=SERIES_COLOURS[0], height=0.7)
    for y, column in enumerate(columns):
        text = f"{_number(column.overall, lang, '0.00')} (n={column.counts.completed})"
        axes.text((column.overall or 1) + 0.03, y, text, va="center", fontsize=8)
    labels = [_wrap(f"#{c.event.id} {c.event.title}", 45) for c in columns]
    axes.set_yticks(range(len(columns)), labels, fontsize=8)
    axes.set_xlim(1, 5.5)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
