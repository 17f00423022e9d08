"""The score-by-organisation table never lets a small group's answers be worked out."""

from __future__ import annotations

import itertools

from bot.surveys.scoring import _breakdown


def shown_apart(breakdown_respondents: dict[str | None, int], min_group: int) -> list[int]:
    """Respondents that can be told apart: every row shown, and the rest of the total
    (the total minus every row shown), which a reader can compute by subtraction."""
    histograms = [(org, "overall", 4, n) for org, n in breakdown_respondents.items()]
    result = _breakdown(histograms, breakdown_respondents, anonymous=True, min_group=min_group)
    rows = [g.respondents for g in result.groups]
    if result.other is not None:
        rows.append(result.other.respondents)
    rest = sum(breakdown_respondents.values()) - sum(rows)
    return [*rows, rest] if rest else rows


def test_left_out_groups_cannot_be_found_by_subtraction() -> None:
    """A big organisation of 10 and two people from two small ones: leaving the two out
    would print the big one's score beside the total, which gives away the mean of the
    two (each of whom knows their own answer, so the other's). The smallest shown group
    joins them instead."""
    respondents: dict[str | None, int] = {"Didelė": 10, "Maža A": 1, "Maža B": 1}
    histograms = [(org, "overall", 5 if org == "Didelė" else 1, n)
                  for org, n in respondents.items()]  # fmt: skip
    result = _breakdown(histograms, respondents, anonymous=True, min_group=3)
    assert result.groups == ()
    assert result.other is not None
    assert result.other.respondents == 12
    assert (result.merged, result.topped_up, result.hidden) == (3, 1, 0)

    two_big: dict[str | None, int] = {"A": 20, "B": 4, "C": 1, "D": 1}
    result = _breakdown(
        [(o, "overall", 4, n) for o, n in two_big.items()], two_big, anonymous=True, min_group=3
    )
    assert [(g.organisation, g.respondents) for g in result.groups] == [("A", 20)]
    assert result.other is not None
    assert result.other.respondents == 6


def test_every_group_told_apart_has_the_minimum() -> None:
    for sizes in itertools.product((1, 2, 3, 5, 9), repeat=4):
        respondents: dict[str | None, int] = {f"Org {i}": n for i, n in enumerate(sizes)}
        for min_group in (2, 3, 5):
            apart = shown_apart(respondents, min_group)
            if sum(sizes) >= min_group:
                assert min(apart) >= min_group, (sizes, min_group, apart)
