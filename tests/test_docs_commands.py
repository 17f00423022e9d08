"""Every command shown in the docs runs as written.

The shell blocks (```sh, ```bash, ```shell, ```console, and unlabelled ones) of README.md
and docs/*.md are read; each line that starts with ``python -m bot``,
``.venv/bin/python -m bot`` or ``make`` is run in a fresh copy of a workspace that looks
like a checkout in use: a config.toml next to ``data/``, examples/event.toml, a participant
list (``list.csv`` and ``list.xlsx``), and a database holding the example event and the
people of that list. ``make`` lines are expanded with ``make -n`` and the ``python -m bot``
lines they stand for are run the same way. The ``ExecStart=`` of a systemd unit (```ini)
is run too. ``run`` must start against the emulator (run as its own process, as Telegram
is), poll, log the database path, and stop with exit code 0 on SIGTERM; every other
command must exit with 0, or with the code written after it as ``# exit N``.

A documented command that names something only its reader has (a server path, a person's
id) gets a real value from PLACEHOLDERS below, so it is run, never skipped. A command that
does not run fails this test: keep the docs true.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import EXAMPLE_EVENT, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Unlabelled blocks ("text") count too when a line is a command: readers copy those as well.
SHELL_BLOCKS = {"sh", "bash", "shell", "console", "text"}
_COMMAND = re.compile(r"^(?:\$\s+)?((?:\.venv/bin/)?python -m bot\b.*|make(?:\s.*)?)$")
_EXPECT = re.compile(r"#\s*exit\s+(\d+)\s*$")

# What a documented command names that only its reader has -> what the test uses instead.
# Each pattern is a regular expression applied to the command line; {participant_id} is the
# id of Rūta Vasiliauskienė, the first person of the workspace's list.csv.
PLACEHOLDERS: list[tuple[str, str]] = [
    # docs/operations.md: a server installation (systemd unit, backups)
    (r"/srv/kvietimas/\.venv/bin/python", ".venv/bin/python"),
    (r"/etc/kvietimas/config\.toml", "config.toml"),
    (r"/var/backups/kvietimas/", "backups/"),
    # a person an operator looks up (README.md, docs/privacy.md)
    (r"\bPARTICIPANT_ID\b", "{participant_id}"),
    (r"(privacy (?:export|forget)) 42\b", r"\g<1> {participant_id}"),
    # docs/operations.md "Several workers": a systemd template unit's worker id
    (r"--worker-id %H-%i", "--worker-id docs-1"),
    # an optional flag shown in brackets is run with the flag
    (r"\[(--[a-z-]+)\]", r"\1"),
    # docs/operations.md "Many bots": a bot the reader added before (`bots add acme`)
    (
        r"^((?:\.venv/bin/)?python -m bot (?:bots (?:disable|enable) acme|--bot acme\b.*))$",
        r"python -m bot bots add acme --token 654321:ACME-TOKEN && \1",
    ),
]

LIST_CSV = """name,email,organisation
Rūta Vasiliauskienė,ruta.vasiliauskiene@example.lt,Akmenės rajono savivaldybės viešoji biblioteka
Jonas Petrauskas,jonas.petrauskas@example.lt,Užimtumo tarnyba
"""


@dataclass(frozen=True)
class Documented:
    source: str  # README.md:44
    line: str
    expect: int = 0


def documented_commands(docs: list[Path] = DOCS) -> list[Documented]:
    found: list[Documented] = []
    for doc in docs:
        language: str | None = None
        for number, raw in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            text = raw.strip()
            if text.startswith("```"):
                language = (text[3:].strip() or "text") if language is None else None
                continue
            where = f"{doc.relative_to(ROOT) if doc.is_relative_to(ROOT) else doc}:{number}"
            if language in SHELL_BLOCKS:
                match = _COMMAND.match(text)
                if match:
                    expect = _EXPECT.search(text)
                    code = int(expect.group(1)) if expect else 0
                    found.append(Documented(where, match.group(1), code))
            elif language == "ini" and text.startswith("ExecStart="):
                found.append(Documented(where, text.removeprefix("ExecStart=")))
    return found


def substitute(line: str, participant_id: int) -> str:
    for pattern, replacement in PLACEHOLDERS:
        line = re.sub(pattern, replacement.replace("{participant_id}", str(participant_id)), line)
    return line


# -- the workspace ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _shim(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)


@dataclass
class Workspace:
    template: Path
    env: dict[str, str]
    participant_id: int


@contextmanager
def emulator(folder: Path) -> Iterator[tuple[str, str]]:
    """The emulator as its own process, as a real deployment has Telegram (one per bot run:
    a bot stopped mid-poll leaves the emulator holding its getUpdates)."""
    port, control = _free_port(), _free_port()
    log = folder / "emulator.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.emulator", "--port", str(port),
             "--control-port", str(control)],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while '"base_url"' not in log.read_text(encoding="utf-8", errors="replace"):
            assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "the emulator did not start"
            time.sleep(0.05)
        first = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
        yield str(first["base_url"]), str(first["control"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# Where the workspace's config points until a bot run puts its emulator's address there.
NO_TELEGRAM = "http://127.0.0.1:9/bot"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    base = tmp_path_factory.mktemp("docs")
    template = base / "template"
    (template / "examples").mkdir(parents=True)
    shutil.copy(EXAMPLE_EVENT, template / "examples" / "event.toml")
    # A delivery report (docs/email.md: python -m bot email bounces).
    shutil.copy(EXAMPLE_EVENT.parent / "bounce.eml", template / "examples" / "bounce.eml")
    (template / "list.csv").write_text(LIST_CSV, encoding="utf-8")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(LIST_CSV)):
        sheet.append(row)
    book.save(template / "list.xlsx")
    _shim(template / ".venv" / "bin" / "python")
    _shim(base / "bin" / "python")
    (template / "config.toml").write_text(
        "organisers = [1000]\n"
        'organisation_name = "Akmenės rajono savivaldybė"\n'
        "[telegram]\n"
        'token = "123456:TEST-TOKEN"\n'
        f'base_url = "{NO_TELEGRAM}"\n'
        'username = "kvietimas_test_bot"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("BOT_")}
    env.update(
        PATH=f"{base / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(base / "home"),
        XDG_DATA_HOME=str(base / "home" / "data"),
        PTB_TIMEDELTA="true",
    )
    for line in (
        "python -m bot events import examples/event.toml",
        "python -m bot participants import list.csv --event akmene-2027-03",
    ):
        done = subprocess.run(["bash", "-c", line], cwd=template, env=env, capture_output=True,
                              text=True, timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
    # Closed here, not whenever it is collected: the last connection to close removes the
    # -wal and -shm files, which a test may be copying with the template at that moment.
    with closing(sqlite3.connect(template / "data" / "kvietimas.sqlite3")) as db:
        row = db.execute(
            "SELECT id FROM participants WHERE email = 'ruta.vasiliauskiene@example.lt'"
        ).fetchone()
    return Workspace(template, env, int(row[0]))


# -- running a documented line --------------------------------------------------------------


def _is_run(line: str) -> bool:
    """``python -m bot [options] run [options]``: the bot itself, which runs until stopped."""
    words = shlex.split(line, comments=True)
    if "bot" not in words:
        return False
    rest = words[words.index("bot") + 1 :]
    while rest and rest[0].startswith("--"):
        rest = rest[2:] if rest[0] in ("--config", "--log-level") else rest[1:]
    return bool(rest) and rest[0] == "run"


def _run_bot(line: str, cwd: Path, env: dict[str, str]) -> None:
    with emulator(cwd.parent) as (base_url, control):
        config = cwd / "config.toml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(NO_TELEGRAM, base_url), encoding="utf-8"
        )
        _run_until_polling(line, cwd, env, control)


def _polls(control: str) -> int:
    with urllib.request.urlopen(f"{control}/stats", timeout=5) as response:
        return int(json.load(response)["get_updates_calls"])


def _run_until_polling(line: str, cwd: Path, env: dict[str, str], control: str) -> None:
    """Started means: asking Telegram for updates (whatever the log level lets through)."""
    log = cwd / "run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _polls(control) == 0:
            code = proc.poll()
            text = log.read_text(encoding="utf-8", errors="replace")
            assert code is None, f"{line!r} exited with {code}:\n{text[-2000:]}"
            assert time.monotonic() < deadline, f"{line!r} did not start:\n{text[-2000:]}"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"{line!r} stopped with {code}:\n{text[-2000:]}"
        if "WARNING" not in line:  # the resolved database path is the first line
            assert '"msg": "database /' in text, text[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_documented(command: Documented, workspace: Workspace, cwd: Path) -> None:
    """Run one documented line in ``cwd`` (a copy of the workspace); AssertionError if it
    does not do what the docs say."""
    line = substitute(command.line, workspace.participant_id)
    lines = [line]
    if line.startswith("make"):
        dry = subprocess.run(["make", "-n", "-C", str(ROOT), *shlex.split(line, comments=True)[1:]],
                             capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
        assert dry.returncode == 0, f"{command.source}: {line!r}: {dry.stderr}"
        lines = [m.group(0) for m in re.finditer(r"\S*python -m bot\b.*", dry.stdout)]
    for each in lines:
        if _is_run(each):
            _run_bot(each, cwd, workspace.env)
            continue
        done = subprocess.run(["bash", "-c", each], cwd=cwd, env=workspace.env,
                              capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
        assert done.returncode == command.expect, (
            f"{command.source}: {each!r} exited with {done.returncode}, "
            f"the docs say {command.expect}:\n{done.stderr[-2000:]}"
        )
        assert "Traceback" not in done.stderr, done.stderr[-2000:]


COMMANDS = documented_commands()


@pytest.mark.parametrize("command", COMMANDS, ids=[f"{c.source} {c.line}" for c in COMMANDS])
def test_documented_command_runs(command: Documented, workspace: Workspace, tmp_path: Path) -> None:
    cwd = tmp_path / "checkout"
    shutil.copytree(workspace.template, cwd, symlinks=True)
    run_documented(command, workspace, cwd)


def test_the_docs_are_read() -> None:
    """Not vacuous: the commands the README and operations guide rely on are found."""
    lines = [c.line for c in COMMANDS]
    assert len(lines) >= 15
    assert "make run CONFIG=config.toml" in lines
    assert ".venv/bin/python -m bot events import examples/event.toml" in lines
    assert any(c.source.startswith("docs/operations.md") and "ExecStart" not in c.line
               and _is_run(c.line) for c in COMMANDS)  # fmt: skip
    assert any(line.startswith("/srv/kvietimas/.venv/bin/python") for line in lines)


def test_a_command_that_does_not_run_fails(workspace: Workspace, tmp_path: Path) -> None:
    """What protects the docs: a broken line is an assertion error, and a new block is read."""
    doc = tmp_path / "new.md"
    doc.write_text(
        "Text.\n\n```sh\npython -m bot events imprt examples/event.toml\n"
        "python -m bot backup --oops   # exit 2\n```\n\n```toml\nx = 1\n```\n",
        encoding="utf-8",
    )
    broken, documented_failure = documented_commands([doc])
    assert broken.line == "python -m bot events imprt examples/event.toml"
    assert documented_failure.expect == 2
    cwd = tmp_path / "checkout"
    shutil.copytree(workspace.template, cwd, symlinks=True)
    with pytest.raises(AssertionError, match="exited with 2"):
        run_documented(broken, workspace, cwd)
    run_documented(documented_failure, workspace, cwd)


def test_systemd_lines_carry_no_trailing_comments() -> None:
    """systemd reads ``Key=value  # note`` as part of the value: comments go on own lines."""
    for doc in DOCS:
        in_unit = False
        for raw in doc.read_text(encoding="utf-8").splitlines():
            if raw.strip().startswith("```"):
                in_unit = raw.strip() == "```ini"
                continue
            if in_unit and "=" in raw and not raw.lstrip().startswith(("#", ";")):
                assert " #" not in raw, f"{doc.name}: {raw}"
