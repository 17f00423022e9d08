"""``python -m bot invite email`` and ``python -m bot email report``: a dry run queues
nothing, a run queues each person's e-mail once, segments choose who, a planned reminder
waits for its moment, mistakes are one line and an exit code."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import explicit_settings
from bot.email.invitations import queue_due
from bot.invitations import new_codes
from bot.storage import storage_for
from tests.email_world import EMAIL_SETTINGS, rows, world

EVENT = "akmene-2027-03"


def config(tmp_path: Path, *, email: bool = True) -> Path:
    lines = [
        'organisation_name = "Akmenės rajono savivaldybė"',
        "[telegram]",
        'username = "kvietimas_test_bot"',
        "[database]",
        f'path = "{tmp_path / "bot.sqlite3"}"',
    ]
    if email:
        lines.append("[email]")
        lines += [
            f"{k} = {v!r}".replace("'", '"') for k, v in EMAIL_SETTINGS.items() if k != "port"
        ]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def prepared(tmp_path: Path) -> None:
    """The example event and the list in the database the config names."""
    async with world(tmp_path):
        pass


async def outbox(tmp_path: Path) -> list[str]:
    storage = storage_for(explicit_settings(database={"path": str(tmp_path / "bot.sqlite3")}))
    await storage.open()
    try:
        return [str(r["address"]) for r in await storage.email_outbox.email_rows()]
    finally:
        await storage.close()


def run(*argv: str) -> int:
    return main(list(argv))


def test_a_dry_run_queues_nothing_and_shows_the_email(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(prepared(tmp_path))
    cfg = str(config(tmp_path))
    assert run("invite", "email", "--event", EVENT, "--dry-run", "--config", cfg) == 0
    out = capsys.readouterr().out
    assert "3 e-mails would be queued" in out
    assert "Subject: Kvietimas: Mokymai Akmenės rajonui" in out
    assert "https://t.me/kvietimas_test_bot?start=p_" in out
    assert "nothing was queued (--dry-run)" in out
    assert asyncio.run(outbox(tmp_path)) == []


def test_a_run_queues_each_email_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(prepared(tmp_path))
    cfg = str(config(tmp_path))
    assert run("invite", "email", "--event", EVENT, "--config", cfg) == 0
    assert "queued 3 e-mails" in capsys.readouterr().out
    assert sorted(asyncio.run(outbox(tmp_path))) == [
        "jonas@uzimtumas.lt", "olena@akmene.lt", "ruta@akmene.lt",
    ]  # fmt: skip
    segment = "organisation=akmenės BIBLIOTEKA"  # as typed: the case does not matter
    assert run("invite", "email", "--event", "1", "--segment", segment, "--config", cfg) == 0
    assert "queued 2 e-mails" in capsys.readouterr().out
    assert run("email", "report", "--event", EVENT, "--config", cfg) == 0
    report = capsys.readouterr().out
    assert "Akmenės biblioteka: 2 e-mails" in report
    assert "Užimtumo tarnyba: 1 e-mails" in report


def test_a_planned_reminder_waits_for_its_moment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(prepared(tmp_path))
    cfg = str(config(tmp_path))
    at = ("--reminder", "--at", "2027-03-04 09:00")
    assert run("invite", "email", "--event", EVENT, *at, "--config", cfg) == 0
    assert "reminder planned for 2027-03-04 09:00" in capsys.readouterr().out
    assert asyncio.run(outbox(tmp_path)) == []
    assert asyncio.run(due(tmp_path, "2027-03-04T08:59:00+02:00")) == 0
    assert asyncio.run(due(tmp_path, "2027-03-04T09:00:00+02:00")) == 3
    assert asyncio.run(due(tmp_path, "2027-03-04T10:00:00+02:00")) == 0  # queued once


async def due(tmp_path: Path, moment: str) -> int:
    """The running bot's job at ``moment``: queue the reminders whose time has come."""
    async with world(tmp_path, fresh=False) as (services, _):
        services.clock.set(datetime.fromisoformat(moment))  # type: ignore[attr-defined]
        return await queue_due(services)


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (("--segment", "everyone-please"), 2, "use not-opened, all or organisation=NAME"),
        (("--segment", "organisation="), 2, "use not-opened, all or organisation=NAME"),
        (("--at", "2027-03-04 09:00"), 2, "--at plans a reminder: add --reminder"),
        (("--reminder", "--at", "tomorrow"), 2, 'write it like "2027-03-04 09:00"'),
    ],
)
def test_mistakes_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], code: int, says: str
) -> None:
    asyncio.run(prepared(tmp_path))
    cfg = str(config(tmp_path))
    assert run("invite", "email", "--event", EVENT, *argv, "--config", cfg) == code
    assert says in capsys.readouterr().err
    assert asyncio.run(outbox(tmp_path)) == []


def test_no_such_event_and_email_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(prepared(tmp_path))
    assert run("invite", "email", "--event", "nope", "--config", str(config(tmp_path))) == 1
    assert "there is no event nope" in capsys.readouterr().err
    off = str(config(tmp_path, email=False))
    assert run("invite", "email", "--event", EVENT, "--config", off) == 2
    assert "e-mail is off" in capsys.readouterr().err
    # A dry run works without [email]: it shows what would go.
    assert run("invite", "email", "--event", EVENT, "--dry-run", "--config", off) == 0


def test_rows_helper_has_people_without_an_address() -> None:
    assert any(r.email is None for r in rows())
    assert len(new_codes(3)) == 3
