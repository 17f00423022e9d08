"""The storage layout holds: SQL only in bot/storage/, repositories reached only through
their public methods, and each public method name in exactly one repository (the
method -> repository table of tools/codemod_storage.py relies on that)."""

from __future__ import annotations

import ast
import inspect
import re
from collections import defaultdict
from pathlib import Path

from bot.storage import REPOSITORIES, Storage
from bot.storage.database import Database

ROOT = Path(__file__).resolve().parent.parent
SQL = re.compile(
    r"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX)|PRAGMA\s+\w)"
)
# These two hold old private calls as samples (the codemod input and this check).
CODEMOD_SAMPLES = frozenset({"test_codemod_storage.py", "test_storage_layout.py"})
DRIVER_CALLS = frozenset({"execute", "executemany", "executescript"})
PRIVATE_USE = re.compile(
    r"\.(?:db|storage|database|" + "|".join(REPOSITORIES) + r")\._[a-z]\w*"
    r"|from bot\.storage(?:\.\w+)? import[^\n]*\b_\w+"
)


def sql_outside_storage(path: Path, source: str) -> list[str]:
    """SQL strings (docstrings aside) and driver calls in ``source``."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and SQL.search(node.value)
        ):
            found.append(f"{path}:{node.lineno}: SQL {node.value[:40]!r}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DRIVER_CALLS
        ):
            found.append(f"{path}:{node.lineno}: .{node.func.attr}(")
    return found


def production_files() -> list[Path]:
    return [
        p for p in sorted((ROOT / "bot").rglob("*.py")) if p.relative_to(ROOT).parts[1] != "storage"
    ]


def test_sql_appears_only_in_the_storage_package() -> None:
    files = production_files()
    assert len(files) > 40, "the production modules were not found"
    found = [hit for path in files for hit in sql_outside_storage(path, path.read_text())]
    assert found == []


def test_the_sql_check_sees_a_query_and_a_driver_call() -> None:
    """The check above is not vacuous: a query string or a driver call outside
    bot/storage/ is reported, a docstring mentioning SQL is not."""
    sample = (
        '"""Reads SELECT x FROM y in prose."""\n'
        "async def f(conn):\n"
        '    await conn.execute("DELETE FROM outbox WHERE id = ?", (1,))\n'
    )
    assert len(sql_outside_storage(Path("bot/x.py"), sample)) == 2
    assert sql_outside_storage(Path("bot/x.py"), '"""SELECT in a docstring."""\n') == []


def test_no_private_storage_method_is_used_outside_the_storage_package() -> None:
    files = [
        p
        for folder in ("bot", "tests", "bench", "tools")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if p.relative_to(ROOT).parts[:2] != ("bot", "storage") and p.name not in CODEMOD_SAMPLES
    ]
    used = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in PRIVATE_USE.finditer(path.read_text())
    ]
    assert used == []
    assert PRIVATE_USE.search("await sim.db.database._scalar('x')")
    assert PRIVATE_USE.search("from bot.storage.rsvp import _status")


def test_each_public_method_belongs_to_one_repository() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for attr, repo in REPOSITORIES.items():
        for name, _ in inspect.getmembers(repo, inspect.isfunction):
            if not name.startswith("_"):
                owners[name].append(attr)
    assert len(owners) > 100, "the repositories were not found: the test would pass vacuously"
    shared = {name: repos for name, repos in owners.items() if len(repos) > 1}
    # The one name two repositories share on purpose (tools/codemod_storage.py leaves the
    # later one out): queueing a message, in the Telegram and in the e-mail outbox.
    assert shared == {"enqueue": ["outbox", "email_outbox"]}


def test_storage_composes_every_repository_on_one_database() -> None:
    storage = Storage(":memory:")
    for attr, repo in REPOSITORIES.items():
        member = getattr(storage, attr)
        assert member.database is storage.database
        assert type(member) is repo
    assert isinstance(storage.database, Database)
    # Composition, not mixins: the composed object has no query methods of its own.
    assert [c for c in Storage.__mro__ if c is not object] == [Storage]
