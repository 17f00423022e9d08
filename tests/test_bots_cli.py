"""``python -m bot bots add|list|enable|disable`` and ``--bot KEY`` on every data command.

The registry lives in the control namespace (bot/storage/control.py), apart from every bot's
data; data commands work on exactly the bot ``--bot`` names, and refuse to guess when a
deployment has several bots. ``python -m bot run`` runs every enabled bot (a real process
against the emulator as its own process, serving one token per bot) and never a disabled one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.conftest import EXAMPLE_EVENT

TOKEN_MAIN = "111111:MAIN-SECRET-PART"
TOKEN_ACME = "222222:ACME-SECRET-PART"
TOKEN_BETA = "333333:BETA-SECRET-PART"
TOKEN_GAMMA = "444444:GAMMA-SECRET-PART"
NO_TELEGRAM = "http://127.0.0.1:9/bot"


def write_config(folder: Path, base_url: str = NO_TELEGRAM, *, beta_enabled: bool = True) -> Path:
    """main (top-level) + acme and beta ([[bots]])."""
    config = folder / "config.toml"
    config.write_text(
        "organisers = [1000]\n"
        'organisation_name = "Pagrindinė organizacija"\n'
        "[telegram]\n"
        f'token = "{TOKEN_MAIN}"\n'
        f'base_url = "{base_url}"\n'
        'username = "main_bot"\n'
        "[[bots]]\n"
        'key = "acme"\n'
        f'token = "{TOKEN_ACME}"\n'
        'username = "acme_bot"\n'
        "organisers = [2000]\n"
        'organisation_name = "Acme mokymai"\n'
        "[[bots]]\n"
        'key = "beta"\n'
        f'token = "{TOKEN_BETA}"\n'
        'username = "beta_bot"\n'
        "organisers = [3000]\n"
        'organisation_name = "Beta asociacija"\n'
        f"enabled = {'true' if beta_enabled else 'false'}\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.upper().startswith("BOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def events_in(database: Path) -> list[str]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as db:
        return [str(r[0]) for r in db.execute("SELECT slug FROM events ORDER BY slug")]


def test_add_list_disable_enable_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(tmp_path)
    code, out, _ = cli(
        capsys, "bots", "add", "gamma", "--token", TOKEN_GAMMA, "--organiser", "4000",
        "--organiser", "4001", "--organisation", "Gama savivaldybė", "--username", "@gamma_bot",
    )  # fmt: skip
    assert code == 0
    assert "added bot gamma (444444:…)" in out
    assert str(tmp_path / "data" / "bots" / "gamma.sqlite3") in out
    control = tmp_path / "data" / "control.sqlite3"
    assert stat.S_IMODE(control.stat().st_mode) == 0o600  # it holds tokens

    code, out, _ = cli(capsys, "bots", "list")
    assert code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()[1:]}
    assert list(rows) == ["main", "acme", "beta", "gamma"]
    assert rows["gamma"] == [
        "gamma", "@gamma_bot", "enabled", "4000,4001", "444444:…", "registry",
        str(tmp_path / "data" / "bots" / "gamma.sqlite3"),
    ]  # fmt: skip
    assert rows["main"][6] == str(tmp_path / "data" / "kvietimas.sqlite3")
    for token in (TOKEN_MAIN, TOKEN_ACME, TOKEN_BETA, TOKEN_GAMMA):
        assert token.split(":")[1] not in out  # never a token's secret part

    code, out, _ = cli(capsys, "bots", "disable", "gamma")
    assert (code, "bot gamma disabled") == (0, out[: len("bot gamma disabled")])
    code, out, _ = cli(capsys, "bots", "list")
    assert "gamma\t@gamma_bot\tdisabled" in out
    code, out, _ = cli(capsys, "bots", "enable", "gamma")
    assert code == 0
    code, out, _ = cli(capsys, "bots", "list")
    assert "gamma\t@gamma_bot\tenabled" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bots", "add", "acme", "--token", TOKEN_GAMMA), "a bot 'acme' exists already"),
        (("bots", "add", "main", "--token", TOKEN_GAMMA), "a bot 'main' exists already"),
        (("bots", "add", "Bad-Key", "--token", TOKEN_GAMMA), "must be 1-32 of a-z"),
        (("bots", "add", "delta", "--token", TOKEN_ACME), "same token"),
        (("bots", "disable", "acme"), "change `enabled` there"),
        (("bots", "disable", "nope"), "no bot 'nope' here (bots: main, acme, beta)"),
    ],
)
def test_refused_changes_say_why_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    write_config(tmp_path)
    code, _, err = cli(capsys, *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "data" / "control.sqlite3").exists()


def test_a_registry_key_also_in_the_config_is_an_error_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.split("[[bots]]")[0], encoding="utf-8")  # main only
    assert cli(capsys, "bots", "add", "acme", "--token", TOKEN_ACME)[0] == 0
    config.write_text(text, encoding="utf-8")  # acme now in the config too
    code, _, err = cli(capsys, "bots", "list")
    assert code == 2
    assert "bot 'acme' is both in the config file ([[bots]]) and in the registry" in err


@pytest.mark.sqlite_only("reads each bot's SQLite file")
def test_data_commands_work_on_the_bot_named_and_refuse_to_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(tmp_path)
    data = tmp_path / "data"
    event = str(EXAMPLE_EVENT)
    code, _, err = cli(capsys, "events", "import", event)
    assert code == 2
    assert "several bots: choose one with --bot KEY (main, acme, beta)" in err
    assert cli(capsys, "--bot", "acme", "events", "import", event)[0] == 0
    assert events_in(data / "bots" / "acme.sqlite3") == ["akmene-2027-03"]
    assert events_in(data / "kvietimas.sqlite3") == []
    assert events_in(data / "bots" / "beta.sqlite3") == []
    # --bot after the subcommand too; the invitation link names the bot's own username
    code, out, _ = cli(capsys, "events", "import", event, "--bot", "main")
    assert code == 0
    assert "https://t.me/main_bot?start=e_" in out
    assert events_in(data / "kvietimas.sqlite3") == ["akmene-2027-03"]
    code, _, err = cli(capsys, "--bot", "zeta", "events", "import", event)
    assert (code, "no bot 'zeta' here (bots: main, acme, beta)") == (2, err.strip()[7:])

    # participants, exports, sign-in sheet and backup of acme read acme's file only
    people = tmp_path / "list.csv"
    people.write_text(
        "name,email,organisation\nRūta Acmienė,ruta@example.lt,Acme\n", encoding="utf-8"
    )
    assert cli(capsys, "--bot", "acme", "participants", "import", str(people),
               "--event", "akmene-2027-03")[0] == 0  # fmt: skip
    with sqlite3.connect(data / "bots" / "acme.sqlite3") as db:
        assert db.execute("SELECT name FROM participants").fetchall() == [("Rūta Acmienė",)]
    with sqlite3.connect(data / "kvietimas.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM participants").fetchone() == (0,)
    assert cli(capsys, "--bot", "acme", "participants", "export", "links")[0] == 0
    exported = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "links").glob("*.csv"))
    assert "Rūta Acmienė" in exported
    assert "https://t.me/acme_bot?start=p_" in exported
    assert cli(capsys, "--bot", "main", "participants", "export", "main-links")[0] == 0
    exported = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "main-links").glob("*.csv")
    )
    assert "Acmienė" not in exported
    code, out, _ = cli(capsys, "--bot", "acme", "backup", "acme-backup.sqlite3")
    assert code == 0
    assert events_in(tmp_path / "acme-backup.sqlite3") == ["akmene-2027-03"]
    with sqlite3.connect(tmp_path / "acme-backup.sqlite3") as db:
        assert db.execute("SELECT name FROM participants").fetchall() == [("Rūta Acmienė",)]
    assert cli(capsys, "--bot", "acme", "export", "--event", "akmene-2027-03")[0] == 0
    assert cli(capsys, "--bot", "beta", "export", "--event", "akmene-2027-03")[0] != 0
    sheet = ("attendance", "sheet", "--event", "akmene-2027-03", "--out")
    assert cli(capsys, "--bot", "acme", *sheet, "acme-sheet.pdf")[0] == 0
    assert (tmp_path / "acme-sheet.pdf").read_bytes().startswith(b"%PDF")
    assert cli(capsys, "--bot", "beta", *sheet, "beta-sheet.pdf")[0] != 0  # beta has none


@pytest.mark.sqlite_only("reads the SQLite file and backs it up")
def test_one_bot_needs_no_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The single-bot deployment of before: no --bot, the configured database, no registry."""
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\ntoken = "{TOKEN_MAIN}"\nusername = "main_bot"\n',
                      encoding="utf-8")  # fmt: skip
    assert cli(capsys, "events", "import", str(EXAMPLE_EVENT))[0] == 0
    assert events_in(tmp_path / "data" / "kvietimas.sqlite3") == ["akmene-2027-03"]
    assert cli(capsys, "--bot", "main", "backup", "b.sqlite3")[0] == 0
    assert not (tmp_path / "data" / "control.sqlite3").exists()
    assert not (tmp_path / "data" / "bots").exists()


# -- python -m bot run, as a real process -------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as response:
        data: dict[str, object] = json.load(response)
        return data


def test_run_starts_every_enabled_bot_and_never_a_disabled_one(tmp_path: Path) -> None:
    port, control = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("BOT_")}
    env.update(PTB_TIMEDELTA="true", BOT_LOG_FORMAT="json")
    emulator_log = (tmp_path / "emulator.log").open("wb")
    emulator = subprocess.Popen(
        [sys.executable, "-m", "bot.emulator", "--port", str(port), "--control-port",
         str(control), "--token", TOKEN_MAIN, "--username", "main_bot",
         "--bot", f"{TOKEN_ACME}=acme_bot", "--bot", f"{TOKEN_BETA}=beta_bot",
         "--bot", f"{TOKEN_GAMMA}=gamma_bot"],
        stdout=emulator_log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    bot: subprocess.Popen[bytes] | None = None
    try:
        base = f"http://127.0.0.1:{control}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = _get(f"{base}/health")
                break
            except OSError:
                assert emulator.poll() is None
                assert time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.05)
        assert len(health["bots"]) == 4  # type: ignore[arg-type]
        write_config(tmp_path, str(health["base_url"]), beta_enabled=False)
        assert main(["--config", str(tmp_path / "config.toml"), "bots", "add", "gamma",
                     "--token", TOKEN_GAMMA, "--organiser", "4000"]) == 0  # fmt: skip
        assert main(["--config", str(tmp_path / "config.toml"), "bots", "disable", "gamma"]) == 0
        log = tmp_path / "run.log"
        with log.open("wb") as out:
            bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)  # fmt: skip

        def polls(name: str) -> int:
            return int(str(_get(f"{base}/stats?bot={name}")["get_updates_calls"]))

        deadline = time.monotonic() + 60
        while not (polls("main_bot") and polls("acme_bot")):
            assert bot.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.05)
        # a person writes to acme: acme answers, in acme's chat, from acme's data
        sent = urllib.request.Request(
            f"{base}/send", data=json.dumps({"bot": "acme_bot", "user_id": 5000,
                                             "text": "/help"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )  # fmt: skip
        urllib.request.urlopen(sent, timeout=5).close()
        deadline = time.monotonic() + 30
        while not _get_list(f"{base}/chat?bot=acme_bot&chat_id=5000"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert _get_list(f"{base}/chat?bot=main_bot&chat_id=5000") == []
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=60) == 0
        text = log.read_text(encoding="utf-8")
        for name in ("beta_bot", "gamma_bot"):  # disabled: never even asked who it is
            assert _get(f"{base}/stats?bot={name}").get("requests", 0) == 0
        records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        databases = {r.get("bot"): r["msg"] for r in records if r["msg"].startswith("database ")}
        assert databases == {
            "main": f"database {tmp_path / 'data' / 'kvietimas.sqlite3'}",
            "acme": f"database {tmp_path / 'data' / 'bots' / 'acme.sqlite3'}",
        }
        disabled = {r.get("msg") for r in records if "disabled" in r["msg"]}
        assert disabled == {f"bot {k} is disabled: not started (its data stays)"
                            for k in ("beta", "gamma")}  # fmt: skip
        started = {r.get("bot") for r in records if r["msg"].startswith("bot @")}
        assert started == {"main", "acme"}
        assert not (tmp_path / "data" / "bots" / "beta.sqlite3").exists()
    finally:
        for proc in (bot, emulator):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        emulator_log.close()


def _get_list(url: str) -> list[object]:
    with urllib.request.urlopen(url, timeout=5) as response:
        data: list[object] = json.load(response)
        return data
