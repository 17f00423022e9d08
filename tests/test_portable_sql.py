"""Portable SQL (BRIEF contract 2, issue 14): every statement the repositories send runs on
SQLite and on PostgreSQL 15, so the dialect of one engine never slips back in.

Every string literal (f-strings included, their ``{...}`` parts kept as written) in bot/,
bench/, tools/ and tests/ that reads as SQL is checked against the traps listed in RULES.
The engines' own files (the drivers and the migrations) are not scanned; anything
engine-specific kept elsewhere stands in ALLOWED with its reason, and a test marked
``sqlite_only`` (it tests SQLite itself) may use SQLite's own statements. Python-side traps
are checked too: ``lastrowid`` (None on PostgreSQL: use ``RETURNING id``) and
``executemany`` of a statement with ``RETURNING``.

What a literal scan cannot see (a trap assembled from several constants, a parameter of
the wrong type, a boolean selected where a number is meant) is caught by running the
statements on PostgreSQL itself: the suite's PostgreSQL mode (``KV_TEST_DATABASE=postgres``).

Each rule is also run on samples, so a check that finds nothing is not blind.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import AgendaItem, EventDraft
from bot.sim import Simulation

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("bot", "bench", "tools", "tests")
# The engines and their DDL: dialect by definition (branch a1 owns them).
DIALECT_FILES = frozenset(
    {
        "bot/storage/database.py",
        "bot/storage/schema.py",
        "bot/storage/postgres.py",
        "bot/storage/postgres_baseline.py",
        "tests/test_portable_sql.py",  # this file: its samples are the traps
        "tests/test_postgres_engine.py",  # the engines' own tests
    }
)

# A literal is SQL when it holds one of these (written upper-case, as the code base does).
_SQL_MARK = re.compile(
    r"\b(SELECT|INSERT (OR \w+ )?INTO|REPLACE INTO|UPDATE \w+ SET|DELETE FROM|ON CONFLICT|"
    r"ORDER BY|GROUP BY|"
    r"WHERE|PRAGMA|SAVEPOINT|CREATE (TEMP |TEMPORARY |UNIQUE )?(TABLE|INDEX|VIEW|TRIGGER))\b"
)


def _unbalanced_arguments(sql: str, function: str) -> list[str]:
    """The argument lists of every call of ``function`` in ``sql`` (to the matching
    parenthesis)."""
    found = []
    for match in re.finditer(rf"\b{function}\s*\(", sql, re.IGNORECASE):
        depth, start = 1, match.end()
        for i in range(start, len(sql)):
            if sql[i] == "(":
                depth += 1
            elif sql[i] == ")":
                depth -= 1
                if depth == 0:
                    found.append(sql[start:i])
                    break
    return found


def _top_level(text: str) -> str:
    """``text`` without anything inside nested parentheses or quotes."""
    out, depth, quoted = [], 0, False
    for char in text:
        if char == "'":
            quoted = not quoted
            continue
        if quoted:
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _two_argument_min_max(sql: str) -> bool:
    return any(
        "," in _top_level(args)
        for function in ("MAX", "MIN")
        for args in _unbalanced_arguments(sql, function)
    )


_COMPARISON = re.compile(r"(=|<|>|\bIS\b|\bIN\b|\bLIKE\b|\bEXISTS\b|\bNOT\b|\bAND\b|\bOR\b)")


def _sum_of_boolean(sql: str) -> bool:
    """SUM/AVG/TOTAL over a comparison (a boolean on PostgreSQL), or over an interpolated
    fragment that may be one (``SUM({REACHABLE})``): use SUM(CASE WHEN ... THEN 1 ELSE 0 END)."""
    for function in ("SUM", "AVG", "TOTAL"):
        for args in _unbalanced_arguments(sql, function):
            inner = args.strip()
            if re.match(r"CASE\b", inner, re.IGNORECASE):
                continue
            if re.fullmatch(r"\{[^{}]*\}", inner) or _COMPARISON.search(_top_level(inner)):
                return True
    return False


def _derived_table_without_alias(sql: str) -> bool:
    """``FROM (SELECT ...)`` or ``JOIN (SELECT ...)`` not followed by a name (PostgreSQL 15
    requires one)."""
    for match in re.finditer(r"\b(FROM|JOIN)\s*\(\s*(SELECT\b|WITH\b|\{)", sql, re.IGNORECASE):
        depth, i = 0, match.end() - len(match.group(2)) - 1
        while i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            if depth == 0:
                break
            i += 1
        rest = sql[i + 1 :].lstrip()
        if not re.match(
            r"(AS\s+)?(?!(WHERE|ON|GROUP|ORDER|LIMIT|UNION|HAVING)\b)[A-Za-z_]\w*",
            rest,
            re.IGNORECASE,
        ):
            return True
    return False


_UPSERT_WORDS = frozenset(
    {"case", "when", "then", "else", "end", "is", "not", "null", "and", "or", "in", "coalesce",
     "excluded", "true", "false", "lower", "upper", "trim", "nullif", "where"}
)  # fmt: skip


def _unqualified_in_upsert(sql: str) -> bool:
    """A column named bare in ``DO UPDATE SET ... [WHERE ...]``: PostgreSQL finds it
    ambiguous (the table's row or ``excluded``); write ``table.column``."""
    match = re.search(r"\bDO\s+UPDATE\s+SET\b(.*)$", sql, re.IGNORECASE | re.DOTALL)
    if match is None:
        return False
    body = re.split(r"\bRETURNING\b", match.group(1), flags=re.IGNORECASE)[0]
    body = re.sub(r"'[^']*'|\{[^{}]*\}|\?", " ", body)
    # Assignment targets (``column =`` after SET or a comma at the top level) are fine.
    body = re.sub(r"(^|,)\s*\w+\s*=(?!=)", " ", _top_level_commas(body))
    for word in re.finditer(r"(?<![.\w])([A-Za-z_]\w*)\b(?!\s*[.(])", body):
        if word.group(1).lower() not in _UPSERT_WORDS:
            return True
    return False


def _top_level_commas(text: str) -> str:
    """``text`` with commas inside parentheses replaced by spaces."""
    out, depth = [], 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        out.append(" " if char == "," and depth > 0 else char)
    return "".join(out)


def _statement(pattern: str) -> Callable[[str], bool]:
    """``pattern`` in a literal that is a whole statement (not Python source quoting SQL)."""
    compiled = re.compile(pattern, re.IGNORECASE)
    start = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
    return lambda sql: start.match(sql) is not None and compiled.search(sql) is not None


def _regex(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda sql: compiled.search(sql) is not None


# name -> (check, what to write instead)
RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "insert-or": (
        _regex(r"\bINSERT\s+OR\s+\w+|\bREPLACE\s+INTO\b"),
        "INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE",
    ),
    "collate-nocase": (_regex(r"\bCOLLATE\s+NOCASE\b"), "lower(x), or store lower-case"),
    "constant-condition": (
        _regex(r"\b(WHERE|ON|HAVING|AND|OR)\s+[01]\b(?!\s*[-+*/%=<>!])|^\s*[01]\s+(ORDER|LIMIT)\b"),
        "TRUE / FALSE (a number is not a condition on PostgreSQL)",
    ),
    "ifnull": (_regex(r"\bIFNULL\s*\("), "COALESCE"),
    "sqlite-aggregate": (
        _regex(r"\b(GROUP_CONCAT|json_\w+|jsonb_\w+|string_agg|array_agg)\s*\("),
        "compute it in Python, or a dialect function",
    ),
    "sqlite-time": (
        _regex(r"\b(datetime|strftime|julianday|unixepoch)\s*\("),
        "times are ISO-8601 UTC text from to_db(): compute in Python",
    ),
    "two-argument-min-max": (_two_argument_min_max, "CASE WHEN a > b THEN a ELSE b END"),
    "sum-of-boolean": (_sum_of_boolean, "SUM(CASE WHEN ... THEN 1 ELSE 0 END)"),
    "limit-minus-one": (_regex(r"\bLIMIT\s+-\s*1\b"), "leave the LIMIT out"),
    "rowid": (_regex(r"\b(rowid|_rowid_|oid)\b"), "the primary key (PostgreSQL has no rowid)"),
    "sqlite-catalog": (
        _regex(r"\b(sqlite_master|sqlite_schema|sqlite_temp_master|PRAGMA)\b"),
        "the privacy Catalog of the engine, or the engine's own file",
    ),
    "temp-schema": (_regex(r"\btemp\.\w+"), "the unqualified name (temp is searched first)"),
    "sqlite-transaction": (
        _regex(r"\bBEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\b|\bATTACH\b|\bVACUUM\b"),
        "the seam's transaction()",
    ),
    "like": (
        _regex(r"\b(LIKE|GLOB|REGEXP|MATCH)\b"),
        "LIKE folds ASCII case on SQLite only: compare lower(x), or in Python",
    ),
    "without-rowid": (_regex(r"\bWITHOUT\s+ROWID\b|\bAUTOINCREMENT\b"), "a migration's DDL"),
    "derived-table-alias": (_derived_table_without_alias, "FROM (SELECT ...) AS name"),
    "explicit-id": (
        _regex(r"\bINSERT\s+INTO\s+\w+\s*\(\s*id\s*,"),
        "let the database number the row (RETURNING id): on PostgreSQL an id given by hand "
        "leaves the identity behind and the next insert collides",
    ),
    "double-quoted-value": (
        _statement(r"(=|<>|!=|\bIN\s*\(|\bTHEN|\bELSE|\bLIKE)\s*\"[^\"]*\""),
        "'text' (PostgreSQL reads \"text\" as a column name)",
    ),
    "arithmetic-on-boolean": (
        _regex(r"[-+*/]\s*\((?!\s*SELECT\b)(?:[^()']|'[^']*')*(=|<|>|\bIS\b|\bIN\b|\bLIKE\b)"),
        "CASE WHEN ... THEN 1 ELSE 0 END (or the number from Python)",
    ),
    "upsert-unqualified": (
        _unqualified_in_upsert,
        "in DO UPDATE, name the table's own column as table.column (or excluded.column)",
    ),
}

# (file, enclosing function or constant, rule) -> why it stays.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("bench/scores.py", "build", "explicit-id"): (
        "a SQLite-only benchmark (Storage(path)) loading numbered responses"
    ),
    ("bot/storage/surveys.py", "load_answers", "explicit-id"): (
        "a bulk loader of numbered responses (benchmarks, past results): the engine moves "
        "the identity past them afterwards (Tx.after_explicit_ids)"
    ),
    (
        "tests/test_email_transport.py",
        "test_forget_keeps_no_address_in_clear_and_still_blocks_it",
        "sqlite-catalog",
    ): "checkpoints the WAL before reading the SQLite file's own bytes",
    ("tests/test_attendance_e2e.py", "test_questionnaire_goes_to_those_present", "like"): (
        "a prefix of a lower-case ASCII dedup key: the same match on both engines"
    ),
    (
        "tests/test_schedule_restarts_e2e.py",
        "test_double_trigger_and_lost_done_marker_send_once",
        "like",
    ): "a prefix of a lower-case ASCII dedup key: the same match on both engines",
    ("tests/test_cli_errors.py", "test_a_database_from_a_newer_version", "sqlite-catalog"): (
        "SQLite's schema version, in a test of the SQLite file"
    ),
    (
        "tests/test_privacy_cli.py",
        "test_backup_is_a_consistent_single_file_copy",
        "sqlite-catalog",
    ): "the SQLite backup file's journal mode and integrity",
    ("tests/test_properties.py", "check_invariants", "sqlite-catalog"): (
        "SQLite's integrity and foreign-key checks, run on SQLite only"
    ),
    ("tests/test_storage_layout.py", "SQL", "sqlite-catalog"): (
        "the layout test's pattern of what SQL looks like, not a statement"
    ),
    ("bot/storage/privacy.py", "_select", "rowid"): (
        "SQLite only (PrivacyRepository knows its engine): an export lists rows as stored, as "
        "before; on PostgreSQL they are listed by primary key"
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    owner: str  # enclosing function, class or module constant ("" at module level)
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        hint = RULES[self.rule][1] if self.rule in RULES else ""
        return f"{self.file}:{self.line} ({self.owner or 'module'}) {self.rule}: {hint}"


def _literal_text(node: ast.AST) -> str | None:
    """The text of a string literal; an f-string with its ``{...}`` parts as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue):
                parts.append("{" + ast.unparse(value.value) + "}")
        return "".join(parts)
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _owners(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """(owner name, node) for every node: the innermost function or class, else the module
    constant being assigned."""

    def visit(node: ast.AST, owner: str) -> Iterator[tuple[str, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            name = owner
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = child.name
            elif isinstance(node, ast.Module) and isinstance(child, ast.Assign | ast.AnnAssign):
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                name = names[0] if names else owner
            yield name, child
            yield from visit(child, name)

    yield from visit(tree, "")


def _sqlite_only(tree: ast.Module) -> set[str]:
    """Test functions marked ``sqlite_only`` (they test SQLite itself and skip on
    PostgreSQL), or every function of a module whose ``pytestmark`` says so."""

    def marked(decorators: list[ast.expr]) -> bool:
        return any("sqlite_only" in ast.unparse(d) for d in decorators)

    module_marked = any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and "sqlite_only" in ast.unparse(node.value)
        for node in tree.body
    )
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (module_marked or marked(node.decorator_list))
    }


def scan_source(source: str, file: str) -> list[Finding]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    exempt = _sqlite_only(tree) if file.startswith("tests/") else set()
    findings: list[Finding] = []
    inside_fstring: set[int] = set()
    for owner, node in _owners(tree):
        if id(node) in inside_fstring or owner in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            inside_fstring.update(id(v) for v in ast.walk(node) if v is not node)
        # Python-side traps of the seam.
        if isinstance(node, ast.Attribute) and node.attr == "lastrowid":
            findings.append(Finding(file, owner, node.lineno, node.attr, ast.unparse(node)))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "executemany"
            and node.args
        ):
            text = _literal_text(node.args[0])
            if text is not None and re.search(r"\bRETURNING\b", text, re.IGNORECASE):
                findings.append(Finding(file, owner, node.lineno, "executemany-returning", text))
        text = _literal_text(node)
        if text is None or id(node) in docstrings or not _SQL_MARK.search(text):
            continue
        for rule, (check, _) in RULES.items():
            if check(text):
                findings.append(Finding(file, owner, getattr(node, "lineno", 0), rule, text))
    return findings


def scanned_files() -> list[Path]:
    files = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in DIALECT_FILES:
                files.append(path)
    return files


def all_findings() -> list[Finding]:
    found = []
    for path in scanned_files():
        found += scan_source(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    return found


# -- the code base ---------------------------------------------------------------------------


def test_the_repositories_are_scanned() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    for area in ("events", "participants", "broadcast", "privacy", "surveys", "attendance"):
        assert f"bot/storage/{area}.py" in names
    sql = [
        text
        for path in scanned_files()
        if path.parent.name == "storage"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (text := _literal_text(node)) is not None and _SQL_MARK.search(text)
    ]
    assert len(sql) > 100, "the SQL literals were not found: the check would pass vacuously"


def test_no_engine_dialect_outside_the_dialect_files() -> None:
    found = [f for f in all_findings() if (f.file, f.owner, f.rule) not in ALLOWED]
    assert [str(f) for f in found] == []


def test_every_allowance_is_still_needed() -> None:
    """Outside tests/ (a test marked sqlite_only later needs none any more), for the files
    of this tree (an allowance may come before the branch that brings its file)."""
    used = {(f.file, f.owner, f.rule) for f in all_findings()}
    stale = {
        key
        for key in set(ALLOWED) - used
        if not key[0].startswith("tests/") and (ROOT / key[0]).is_file()
    }
    assert sorted(stale) == []


# -- each rule on samples ----------------------------------------------------------------------

BAD = [
    ("insert-or", '"INSERT OR IGNORE INTO invitations (event_id) VALUES (?)"'),
    ("insert-or", '"INSERT OR REPLACE INTO bot_chats (chat_id) VALUES (?)"'),
    ("insert-or", '"REPLACE INTO bot_chats (chat_id) VALUES (?)"'),
    ("collate-nocase", '"SELECT name FROM participants ORDER BY name COLLATE NOCASE"'),
    ("constant-condition", 'f"SELECT id FROM events e WHERE 1 ORDER BY e.id"'),
    ("constant-condition", '"SELECT p.id FROM participants p LEFT JOIN x r ON 0"'),
    ("constant-condition", '"SELECT NULL WHERE 0"'),
    ("constant-condition", '"1 ORDER BY e.starts_at DESC LIMIT ?"'),
    ("ifnull", '"SELECT IFNULL(name, \'\') FROM participants"'),
    ("sqlite-aggregate", '"SELECT GROUP_CONCAT(title) FROM events"'),
    ("sqlite-aggregate", '"SELECT (SELECT json_group_array(json_array(a.time)) FROM x) FROM e"'),
    ("sqlite-time", "\"SELECT id FROM events WHERE ends_at < datetime('now')\""),
    ("sqlite-time", "\"SELECT strftime('%Y', issued_at) FROM certificates\""),
    ("sqlite-time", '"SELECT julianday(ends_at) - julianday(starts_at) FROM events"'),
    ("two-argument-min-max", '"UPDATE outbox SET attempts = MAX(attempts - 1, 0) WHERE id = ?"'),
    ("two-argument-min-max", '"SELECT MIN(a.x, (SELECT 1)) FROM a"'),
    ("sum-of-boolean", "\"SELECT SUM(r.status = 'yes') FROM rsvps r\""),
    ("sum-of-boolean", '"SELECT SUM(i.participant_id IS NOT NULL) FROM invitations i"'),
    ("sum-of-boolean", 'f"SELECT COUNT(*), SUM({REACHABLE}) {sql}"'),
    ("derived-table-alias", '"SELECT COUNT(*) FROM (SELECT event_id FROM rsvps GROUP BY 1)"'),
    ("derived-table-alias", 'f"SELECT COUNT(*) FROM ({SURVEY_ELIGIBLE}) WHERE 1 = 1"'),
    ("upsert-unqualified", '"INSERT INTO r (id, attempts) VALUES (?, 1) ON CONFLICT(id) DO UPDATE '
                           'SET attempts = attempts + 1"'),
    ("upsert-unqualified", '"INSERT INTO p (email, name) VALUES (?, ?) ON CONFLICT (email) '
                           'DO UPDATE SET name = COALESCE(excluded.name, name)"'),
    ("upsert-unqualified", '"INSERT INTO p (email) VALUES (?) ON CONFLICT (email) DO UPDATE '
                           'SET email = excluded.email WHERE forgotten_at IS NULL"'),
    ("arithmetic-on-boolean", '"UPDATE outbox SET attempts = attempts + (? = \'x\') WHERE id = ?"'),
    ("arithmetic-on-boolean", '"SELECT 1 - (a.status IS NULL) FROM attendance a"'),
    ("sqlite-catalog", "import pytest\n@pytest.mark.slow\ndef test_x(db):\n"
                       "    db.execute('PRAGMA integrity_check')"),
    ("double-quoted-value", "'SELECT id FROM rsvps WHERE status = \"yes\"'"),
    ("double-quoted-value", "'SELECT CASE WHEN a THEN \"x\" ELSE \"y\" END FROM t'"),
    ("explicit-id", '"INSERT INTO survey_responses (id, event_id) VALUES (?, ?)"'),
    ("limit-minus-one", '"SELECT id FROM participants ORDER BY id LIMIT -1"'),
    ("rowid", '"SELECT * FROM outbox WHERE id = ? ORDER BY rowid"'),
    ("sqlite-catalog", "\"SELECT name FROM sqlite_master WHERE type = 'table'\""),
    ("sqlite-catalog", '"PRAGMA table_info(outbox)"'),
    ("temp-schema", '"INSERT INTO temp.import_keys (email) VALUES (?)"'),
    ("sqlite-transaction", '"BEGIN IMMEDIATE; UPDATE outbox SET status = ?"'),
    ("like", "\"SELECT id FROM participants WHERE name LIKE '%a%'\""),
    ("lastrowid", "async def f(db):\n    cur = await db.execute('INSERT INTO x VALUES (1)')\n"
                  "    return cur.lastrowid"),
    ("executemany-returning",
     "async def f(db):\n    await db.executemany('INSERT INTO x (a) VALUES (?) RETURNING id', [])"),
]  # fmt: skip


def _sample(source: str) -> str:
    """A bare literal becomes an assignment (alone, it would be the module's docstring)."""
    return source if source.startswith("def ") or "\n" in source else f"sql = {source}"


GOOD = [
    '"INSERT INTO checkin_intents (participant_id, event_id) VALUES (?, ?)"',
    "'SELECT * FROM \"outbox\" WHERE \"participant_id\" = ? AND status = \\'yes\\''",
    '"INSERT INTO leases (name, holder) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET '
    'holder = excluded.holder WHERE leases.holder = ? RETURNING holder"',
    "import pytest\n@pytest.mark.sqlite_only('the file')\ndef test_x(db):\n"
    "    db.execute('PRAGMA integrity_check')",
    '"UPDATE c SET n = n + (SELECT COUNT(*) FROM o WHERE o.c = c.id) WHERE id IN (?, ?)"',
    '"UPDATE outbox SET attempts = attempts + ?, n = (n - 1) * 2 WHERE id = ?"',
    '"SELECT COUNT(*) FROM (SELECT event_id FROM rsvps GROUP BY event_id) AS doubled"',
    '"SELECT x.id FROM events e JOIN (SELECT id FROM events) x ON x.id = e.id"',
    '"INSERT INTO r (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = r.n + 1, '
    'last_at = excluded.last_at WHERE r.status != excluded.status"',
    '"INSERT INTO p (e, n) VALUES (?, ?) ON CONFLICT (e) WHERE e IS NOT NULL DO UPDATE SET '
    'n = CASE WHEN p.t IS NULL THEN excluded.n ELSE COALESCE(p.n, excluded.n) END"',
    '"INSERT INTO invitations (event_id) VALUES (?) ON CONFLICT DO NOTHING"',
    '"SELECT id FROM events e WHERE TRUE ORDER BY e.id"',
    '"SELECT COALESCE(MAX(id), 0) FROM participants"',
    "\"SELECT SUM(CASE WHEN r.status = 'yes' THEN 1 ELSE 0 END) FROM rsvps r\"",
    '"SELECT MAX(x.ends_at), MIN(CASE WHEN a > b THEN a ELSE b END) FROM x"',
    '"SELECT id FROM events WHERE status = 1 AND 1 = 1 ORDER BY lower(title)"',
    '"INSERT INTO events (title) VALUES (?) RETURNING id"',
    '"SELECT a.time, a.title FROM agenda_items a ORDER BY a.position"',
    '"SELECT p.telegram_id IS NOT NULL AS bound FROM participants p WHERE id = ?"',
    '"The time (local) of the event, and whether it is ORDER BY-able"',
    "def f():\n    \"\"\"SELECT * FROM sqlite_master WHERE 1\"\"\"",
]  # fmt: skip


@pytest.mark.parametrize(("rule", "source"), BAD, ids=[f"{r}-{i}" for i, (r, _) in enumerate(BAD)])
def test_each_rule_sees_its_trap(rule: str, source: str) -> None:
    assert rule in {f.rule for f in scan_source(_sample(source), "tests/sample.py")}, source


@pytest.mark.parametrize("source", GOOD)
def test_portable_statements_pass(source: str) -> None:
    assert [str(f) for f in scan_source(_sample(source), "tests/sample.py")] == []


def test_an_injected_trap_in_a_repository_fails_the_scan() -> None:
    """The scan of the real file, with ``INSERT OR IGNORE`` put back into a statement."""
    path = ROOT / "bot/storage/invitations.py"
    source = path.read_text(encoding="utf-8")
    portable = '"INSERT INTO invitations (event_id, participant_id, source, invited_at) "'
    assert portable in source
    injected = source.replace(
        portable,
        '"INSERT OR IGNORE INTO invitations (event_id, participant_id, source, invited_at) "',
    )
    rules = {f.rule for f in scan_source(injected, "bot/storage/invitations.py")}
    assert "insert-or" in rules
    assert "insert-or" not in {f.rule for f in scan_source(source, "bot/storage/invitations.py")}


# -- statements whose portable form is not the obvious one -------------------------------------


async def test_the_agenda_comes_back_in_the_event_row(sim: Simulation) -> None:
    """The agenda travels in the event's own row (no engine's JSON aggregate), each field
    prefixed by its length: colons, separators, backslashes, digits and any letters (emoji
    too) come back as written, in order, on either engine; no agenda stays none."""
    start = datetime(2027, 3, 9, 8, tzinfo=UTC)
    tricky = (
        AgendaItem("09:00", "Įvadas | pristatymas; klausimai", "J. Jonaitė"),
        AgendaItem("10:30", r"Kelias C:\dokumentai\p\s \\ ir |;|", ""),
        AgendaItem("12:00", "Пауза 🎓☕", "Олена; Ігор|Марія"),
        AgendaItem("13:00", "12:34:", "3:abc"),
    )
    draft = EventDraft("Renginys", start, start + timedelta(hours=5), "Europe/Vilnius")
    now = start - timedelta(days=9)
    with_agenda = await sim.db.events.insert_event(
        replace(draft, agenda=tricky), invite_code="agenda1", created_by=None, now=now
    )
    without = await sim.db.events.insert_event(
        draft, invite_code="agenda2", created_by=None, now=now
    )
    found = await sim.db.events.get_event(with_agenda)
    assert found is not None
    assert found.agenda == tricky
    empty = await sim.db.events.get_event(without)
    assert empty is not None
    assert empty.agenda == ()
    listed = await sim.db.events.list_events(ends_after=now)
    assert [(e.id, e.agenda) for e in listed] == [(with_agenda, tricky), (without, ())]
    recent = await sim.db.events.list_recent_events(limit=1)
    assert [e.id for e in recent] == [without]
