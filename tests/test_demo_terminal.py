"""`make demo` in a terminal ends on the dashboard's local URL (served until Ctrl-C); run by
a program it ends at once, so tests and CI never wait on it."""

from __future__ import annotations

import argparse

import pytest

from bot.__main__ import _demo_dashboard, build_parser


def demo_args(*extra: str) -> argparse.Namespace:
    return build_parser().parse_args(["demo", *extra])


@pytest.mark.parametrize(
    ("extra", "terminal", "expected"),
    [
        ((), True, 0.0),  # a person at a terminal: serve until Ctrl-C
        ((), False, None),  # a script, a pipe, CI: end at once
        (("--no-dashboard",), True, None),
        (("--dashboard",), False, 0.0),
        (("--dashboard", "--dashboard-seconds", "5"), False, 5.0),
    ],
)
def test_when_the_demo_serves_its_dashboard(
    monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...], terminal: bool, expected: float | None
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: terminal)
    monkeypatch.setattr("sys.stdout.isatty", lambda: terminal)
    assert _demo_dashboard(demo_args(*extra)) == expected
