"""The command line as documented: global options anywhere, the database next to the config
file, events imported without a token, mistakes named by file and field, people found by
e-mail or name, counts in correct plural."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import build_parser, main
from bot.config import load_settings
from bot.events import EventInputError, parse_agenda
from bot.storage import Storage
from tests.conftest import EXAMPLE_EVENT, START

NESTED = (
    ["run"],
    ["events", "import", "e.toml"],
    ["participants", "import", "list.csv"],
    ["export", "--event", "akmene-2027-03"],
    ["privacy", "export", "1"],
    ["backup"],
    ["retention", "--dry-run"],
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder, no BOT_* settings, no real data directory."""
    for name in list(os.environ):
        if name.upper().startswith("BOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work
    root = logging.getLogger()  # main() installs a stderr handler pytest closes afterwards
    for handler in list(root.handlers):
        if handler.get_name() == "kvietimas":
            root.removeHandler(handler)


def _parse(argv: list[str]) -> tuple[str | None, str]:
    args = build_parser().parse_args(argv)
    return getattr(args, "config", None), getattr(args, "log_level", "INFO")


@pytest.mark.parametrize("command", NESTED, ids=lambda c: " ".join(c[:2]))
def test_global_options_before_and_after_every_command(command: list[str]) -> None:
    assert _parse(["--config", "a.toml", "--log-level", "debug", *command]) == ("a.toml", "DEBUG")
    assert _parse([*command, "--config", "b.toml", "--log-level", "warning"]) == (
        "b.toml",
        "WARNING",
    )
    # Between the levels of a nested command, and the later one wins.
    assert _parse(["--config", "a.toml", command[0], "--config", "c.toml", *command[1:]])[0] == (
        "c.toml"
    )
    assert _parse(command) == (None, "INFO")


@pytest.mark.sqlite_only("the database file the config names")
def test_config_after_the_command_is_used(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = folder.parent / "etc"
    elsewhere.mkdir()
    (elsewhere / "config.toml").write_text('[telegram]\nusername = "kv_bot"\n', encoding="utf-8")
    config = str(elsewhere / "config.toml")
    assert main(["events", "import", str(EXAMPLE_EVENT), "--config", config]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("https://t.me/kv_bot?start=e_")
    # The database went next to the config file, not into the current folder.
    assert (elsewhere / "data" / "kvietimas.sqlite3").is_file()
    assert not (folder / "data").exists()
    assert main(["backup", "--config", config]) == 0
    assert main(["--config", config, "retention", "--dry-run"]) == 0
    assert list((elsewhere / "data" / "backups").glob("kvietimas-*.sqlite3"))


def test_where_the_database_goes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    etc = folder.parent / "etc"
    etc.mkdir()
    config = etc / "config.toml"
    config.write_text("", encoding="utf-8")
    assert load_settings(config).database.path == etc / "data" / "kvietimas.sqlite3"
    config.write_text('[database]\npath = "db/bot.sqlite3"\n', encoding="utf-8")
    assert load_settings(config).database.path == etc / "db" / "bot.sqlite3"
    config.write_text('[database]\npath = "/srv/bot.sqlite3"\n', encoding="utf-8")
    assert load_settings(config).database.path == Path("/srv/bot.sqlite3")
    # A relative path in the environment means the current folder, as in a shell.
    monkeypatch.setenv("BOT_DATABASE__PATH", "here.sqlite3")
    assert load_settings(config).database.path == folder / "here.sqlite3"
    monkeypatch.delenv("BOT_DATABASE__PATH")
    # No config file at all: the data directory.
    assert (
        load_settings().database.path == folder.parent / "xdg" / "kvietimas" / "kvietimas.sqlite3"
    )
    # The default config.toml of the current folder counts as the config file.
    (folder / "config.toml").write_text("", encoding="utf-8")
    assert load_settings().database.path == folder / "data" / "kvietimas.sqlite3"


def _write_event(folder: Path, text: str, name: str = "event.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.sqlite_only("reads the SQLite file the command wrote")
def test_events_import_without_a_token(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "import", str(EXAMPLE_EVENT)]) == 0
    out = capsys.readouterr().out
    assert "created event #1 (akmene-2027-03)" in out
    assert "known once the bot's username is set (telegram.username" in out
    assert "?start=e_" in out
    database = folder.parent / "xdg" / "kvietimas" / "kvietimas.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT slug FROM events").fetchall() == [("akmene-2027-03",)]


@pytest.mark.sqlite_only("reads the SQLite file the command left")
def test_an_event_file_without_slug_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE_EVENT.read_text(encoding="utf-8").replace('slug = "akmene-2027-03"\n', "")
    path = _write_event(folder, text)
    for _ in range(2):  # twice: never two events
        assert main(["events", "import", str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: event.toml: The event file has no slug: add a line like")
    with sqlite3.connect(folder.parent / "xdg" / "kvietimas" / "kvietimas.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("starts = 2027-03-09T10:00:00", 'starts = "9 March"',
         "error: event.toml: starts: Please write the date and time like this: 2027-03-09 10:00."),
        ('time = "10:30"', 'time = "25:99"',
         "error: event.toml: agenda[2].time: Please write the time like this: 10:00."),
        ('time = "11:45"', 'time = "11:45-10:7"',
         "error: event.toml: agenda[3].time: Please write the time like this: 10:00."),
        ("capacity = 30", "capacity = 0",
         "error: event.toml: capacity: Please write a whole number from 1 to 10,000."),
        ("ends = 16:00:00", "ends = 09:00:00",
         "error: event.toml: ends: The end must be after the start."),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_and_the_field(
    folder: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    text = EXAMPLE_EVENT.read_text(encoding="utf-8")
    assert old in text
    path = _write_event(folder, text.replace(old, new, 1))
    assert main(["events", "import", str(path)]) == 1
    assert capsys.readouterr().err.strip() == expected


def test_agenda_times_typed_in_chat_are_checked() -> None:
    assert parse_agenda("9.30 Kava\n10:00-11:30 Įvadas — J. Jonaitė")[1].time == "10:00-11:30"
    for line in ("25:99 Įvadas", "10:00-24:00 Įvadas", "10:60 Įvadas"):
        with pytest.raises(EventInputError) as caught:
            parse_agenda(f"09:00 Kava\n{line}")
        assert caught.value.key == "error-agenda-line"
        assert caught.value.args_["line"] == 2


async def _people(path: Path) -> int:
    storage = Storage(path)
    await storage.open()
    try:
        ids = []
        for telegram_id, name, org in (
            (7001, "Rūta Vasiliauskienė", "Biblioteka"),
            (7002, "Rūta Kazlauskienė", "Užimtumo tarnyba"),
            (7003, "Jonas Petrauskas", "Užimtumo tarnyba"),
        ):
            person = await storage.people.ensure_participant(telegram_id, language="lt", now=START)
            await storage.people.set_participant_profile(
                person.id, name=name, organisation=org, now=START
            )
            ids.append(person.id)
        await storage.database.execute(
            "UPDATE participants SET email = 'ruta.v@example.lt' WHERE id = ?", (ids[0],)
        )
        return ids[0]
    finally:
        await storage.close()


@pytest.mark.sqlite_only("prepares the SQLite file with sqlite3")
def test_privacy_finds_a_person_by_id_email_or_name(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = folder / "data" / "kvietimas.sqlite3"
    (folder / "config.toml").write_text("", encoding="utf-8")
    ruta = asyncio.run(_people(database))
    # E-mails are stored lower-case; the one typed is found whatever its case.
    for who in (str(ruta), f"#{ruta}", "Ruta.V@Example.lt", "rūta  VASILIAUSKIENĖ", "Vasiliausk"):
        assert main(["privacy", "export", who]) == 0, who
        assert json.loads(capsys.readouterr().out)["participant"]["name"] == "Rūta Vasiliauskienė"
    assert main(["privacy", "export", "Rūta"]) == 1  # two people: nothing is printed
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: 2 people match “Rūta”; give one of these ids:",
        f"  #{ruta} Rūta Vasiliauskienė (Biblioteka, ruta.v@example.lt)",
        f"  #{ruta + 1} Rūta Kazlauskienė (Užimtumo tarnyba)",
    ]
    assert main(["privacy", "forget", "Rūta"]) == 1
    with sqlite3.connect(database) as db:
        assert (
            db.execute("SELECT count(*) FROM participants WHERE forgotten_at IS NULL").fetchone()[0]
            == 3
        )
    assert main(["privacy", "export", "nobody@example.lt"]) == 1
    assert "Nobody matches" in capsys.readouterr().err
    assert main(["privacy", "forget", "Jonas Petrauskas"]) == 0
    assert json.loads(capsys.readouterr().out)["forgotten"] == ruta + 2


def test_export_takes_a_slug_and_counts_in_plural(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "config.toml").write_text('[telegram]\nusername = "kv_bot"\n', encoding="utf-8")
    assert main(["events", "import", str(EXAMPLE_EVENT)]) == 0
    capsys.readouterr()
    assert main(["export", "--event", "akmene-2027-03", "--out", "out"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == str(Path("out") / "scores-event-1.xlsx")
    assert out[-1] == "0 answers from 1 event"
    assert main(["export", "--event", "no-such-event"]) == 1
    assert "no event no-such-event" in capsys.readouterr().err


@pytest.mark.sqlite_only("prepares the SQLite file with Storage(path)")
def test_retention_counts_in_plural(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "config.toml").write_text("", encoding="utf-8")

    async def one_old_person() -> None:
        storage = Storage(folder / "data" / "kvietimas.sqlite3")
        await storage.open()
        old = START.replace(year=2020)
        person = await storage.people.ensure_participant(5000, language="lt", now=old)
        await storage.people.set_participant_profile(person.id, name="A", organisation="B", now=old)
        await storage.close()

    asyncio.run(one_old_person())
    assert main(["retention", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == (
        "1 participant is past the 24-month retention period."
    )
    assert main(["retention"]) == 0
    assert capsys.readouterr().out.strip() == (
        "1 participant forgotten (retention period 24 months)."
    )


def test_a_new_database_is_made_quietly(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "config.toml").write_text('[telegram]\nusername = "kv_bot"\n', encoding="utf-8")
    assert main(["--log-level", "INFO", "events", "import", str(EXAMPLE_EVENT)]) == 0
    assert "migration" not in capsys.readouterr().err


def test_the_example_config_carries_placeholders() -> None:
    from tests.conftest import ROOT

    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert 'organisation_name = "Your organisation"' in text
    assert "departamentas" not in text.lower()
