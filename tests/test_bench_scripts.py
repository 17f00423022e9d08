"""Every benchmark script starts as documented (`python bench/<name>.py`): its imports
work from its own folder, where Python puts it first on sys.path, so a script named like a
standard-library module (bench/email.py once hid the `email` package from every other
bench) fails here, not on an operator's machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if not p.name.startswith("_"))


def test_no_script_is_named_like_a_standard_library_module() -> None:
    clashes = [p.name for p in SCRIPTS if p.stem in sys.stdlib_module_names]
    assert clashes == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_each_script_answers_help(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        cwd=BENCH.parent, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
