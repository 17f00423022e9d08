"""Rewrite storage call sites from the old mixin ``Storage`` to the composed repositories.

Before issue 13 every query was a method of one ``Storage`` object reached as
``services.storage`` (``sim.storage`` in tests). Now ``services.db`` (``sim.db``) is a
:class:`bot.storage.Storage` composed of repositories (``db.events``, ``db.people``, ...).
This script rewrites, in every ``*.py`` file under bot/, tests/, bench/ and tools/:

- ``<expr>.storage.<method>`` -> ``<expr>.db.<repo>.<method>``;
- ``<expr>.storage.open|close|path|database|<repo>`` -> ``<expr>.db.<...>``;
- any other ``<expr>.storage`` (the object passed on) -> ``<expr>.db``;
- ``storage.<method>`` on a local name ``storage`` (a ``Storage`` parameter) ->
  ``storage.<repo>.<method>`` (the variable keeps its name);
- ``self.storage.<method>`` -> ``self.storage.<repo>.<method>`` (an attribute of another
  class holding a ``Storage`` keeps its name).

The method -> repository table is derived from the repository classes themselves
(``bot.storage.REPOSITORIES``): every public method name must belong to exactly one
repository (tests/test_storage_layout.py checks it). Module paths (``bot.storage``,
``from bot.storage... import``) are left alone. Already rewritten code does not match
again, so the script is idempotent: run it after merging a branch written against the old
``Storage`` and review the diff::

    .venv/bin/python tools/codemod_storage.py          # rewrite in place, list the files
    .venv/bin/python tools/codemod_storage.py --check  # only list; exit 1 if any would change

Then ``.venv/bin/ruff format . && .venv/bin/ruff check --fix .`` (longer call chains may
need re-wrapping and imports re-sorting; a line under ``# fmt: skip`` that grew past 100
characters is wrapped by hand) and ``make lint``. Names it does not know (a method that no
repository has) are left unchanged and reported, so mypy points at them afterwards.
Imports of row types from ``bot.storage.<module>`` are not rewritten: they now come from
``bot.models``.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.storage import REPOSITORIES  # noqa: E402

FOLDERS = ("bot", "tests", "bench", "tools")
# Files that hold old call sites on purpose (this script and its test's samples).
SAMPLES = frozenset({"codemod_storage.py", "test_codemod_storage.py", "test_storage_layout.py"})
# Attributes of the composed object itself (not repository methods).
OWN = frozenset({"open", "close", "path", "database", *REPOSITORIES})
# The old private helpers tests reached for -> the Database seam (db.database.<seam>).
PRIVATE = {
    "_scalar": "scalar",
    "_fetchone": "fetch_one",
    "_fetchall": "fetch_all",
    "_execute": "execute",
    "_tx": "transaction",
}

_ATTR = re.compile(r"(?P<recv>\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.storage\b")
_NAME = r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"


# Repositories added after the migration: no old call site can name them, so they are
# left out of the table (their names may repeat an older repository's: the e-mail outbox's
# ``enqueue`` is the contract between the e-mail branches of issue 16).
AFTER_MIGRATION = frozenset({"email_outbox"})


def method_table() -> dict[str, str]:
    """Public method name -> the attribute of the repository that defines it."""
    table: dict[str, str] = {}
    for attr, repo in REPOSITORIES.items():
        if attr in AFTER_MIGRATION:
            continue
        for name, _ in inspect.getmembers(repo, inspect.isfunction):
            if name.startswith("_"):
                continue
            if name in table:
                raise SystemExit(f"{name} is defined by both {table[name]} and {attr}")
            table[name] = attr
    return table


def rewrite(text: str, table: dict[str, str], unknown: set[str]) -> str:
    def member(prefix: str, name: str) -> str:
        if name in OWN:
            return f"{prefix}.{name}"
        if name in PRIVATE:
            return f"{prefix}.database.{PRIVATE[name]}"
        repo = table.get(name)
        if repo is None:
            unknown.add(name)
            return f"{prefix}.{name}"
        return f"{prefix}.{repo}.{name}"

    def attr(match: re.Match[str]) -> tuple[str, int]:
        """The replacement of ``<recv>.storage[.name]`` and where it ends in ``text``."""
        recv = match.group("recv")
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()]
        if recv.split(".")[-1] == "bot" or re.match(r"\s*(from|import)\b", line):
            return match.group(0), match.end()  # the module bot.storage, not an object
        holder = f"{recv}.storage" if recv == "self" else f"{recv}.db"
        after = re.match(r"\." + _NAME, text[match.end() :])
        if after is None:
            return holder, match.end()
        return member(holder, after.group("name")), match.end() + after.end()

    out: list[str] = []
    pos = 0
    for match in _ATTR.finditer(text):
        if match.start() < pos:
            continue
        replacement, end = attr(match)
        out.append(text[pos : match.start()])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    text = "".join(out)

    # A bare local ``storage`` (a parameter typed Storage): storage.<method> -> repo.
    def bare(match: re.Match[str]) -> str:
        return member("storage", match.group("name"))

    return re.sub(r"(?<![.\w])storage\." + _NAME + r"\b(?!\s*=[^=])", bare, text)


def files() -> list[Path]:
    return sorted(
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if path.relative_to(ROOT).parts[:2] != ("bot", "storage") and path.name not in SAMPLES
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only list files that would change")
    args = parser.parse_args(argv)
    table = method_table()
    unknown: set[str] = set()
    changed = []
    for path in files():
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, table, unknown)
        if new != text:
            changed.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path)
    if unknown:
        print("left unchanged (no repository has them): " + ", ".join(sorted(unknown)))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
