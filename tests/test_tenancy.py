"""Several bots in one deployment (bot/tenancy.py, bot/runner.py): each bot's settings are
derived from the top-level ones and its own, each lives in its own namespace, and
``python -m bot run`` runs every enabled bot in one process, each with its own poller.

The bots run for real (their Applications polling the emulator, which serves one token per
bot on one port, as Telegram does); nothing of PTB is mocked.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.app import ALLOWED_UPDATES, KvietimasApplication, build_application
from bot.config import Settings, SettingsError, explicit_settings, load_settings
from bot.emulator import Emulator
from bot.events import import_event
from bot.logging_setup import setup_logging
from bot.runner import BotRun, run_polling
from bot.sim import UpdateTracker
from bot.storage import storage_for
from bot.storage.control import BotRow
from bot.tenancy import Tenant, _schema_field, bot_settings, choose, tenants_of
from tests.conftest import EXAMPLE_EVENT, ROOT, START

TOKENS = {"main": "111111:MAIN-TOKEN", "acme": "222222:ACME-TOKEN", "beta": "333333:BETA-TOKEN"}
ORGANISERS = {"main": 1000, "acme": 2000, "beta": 3000}
NAMES = {"main": "Akmenės rajono savivaldybė", "acme": "Acme mokymai", "beta": "Beta asociacija"}


def deployment(tmp_path: Path, base_url: str = "http://127.0.0.1:9/bot", **top: Any) -> Settings:
    """The top-level settings of a three-bot deployment (main, acme, beta)."""
    values: dict[str, Any] = {
        "telegram": {"token": TOKENS["main"], "base_url": base_url,
                     "base_file_url": base_url.replace("/bot", "/file/bot")},
        "organisers": [ORGANISERS["main"]],
        "organisation_name": NAMES["main"],
        "database": {"path": str(tmp_path / "data" / "kvietimas.sqlite3")},
        "bots": [
            {"key": key, "token": TOKENS[key], "organisers": [ORGANISERS[key]],
             "organisation_name": NAMES[key], "username": f"{key}_bot"}
            for key in ("acme", "beta")
        ],
    }  # fmt: skip
    values.update(top)
    return explicit_settings(**values)


# -- settings per bot ---------------------------------------------------------------------------


def test_each_bot_gets_whole_settings_with_its_own_values_and_namespace(tmp_path: Path) -> None:
    top = deployment(
        tmp_path,
        documents={"language": "lt", "registration_prefix": "KV"},
        bots=[
            {"key": "acme", "token": TOKENS["acme"], "organisers": [2000],
             "organisation_name": "Acme", "default_language": "en", "timezone": "Europe/Kyiv",
             "documents": {"language": "en"}, "privacy": {"retention_months": 6}},
        ],
    )  # fmt: skip
    main, acme = tenants_of(top, [])
    assert (main.key, acme.key) == ("main", "acme")
    # main: exactly today's single-bot settings (no migration for existing users)
    assert main.settings.database.path == tmp_path / "data" / "kvietimas.sqlite3"
    assert main.settings.organisers == [1000]
    # acme: its own values, the rest from the top level, a namespace of its own
    s = acme.settings
    assert s.telegram.token is not None
    assert s.telegram.token.get_secret_value() == TOKENS["acme"]
    assert s.telegram.base_url == top.telegram.base_url
    assert s.organisers == [2000]
    assert (s.organisation_name, s.default_language, s.timezone) == ("Acme", "en", "Europe/Kyiv")
    assert (s.documents.language, s.documents.registration_prefix) == ("en", "KV")
    assert s.privacy.retention_months == 6
    assert s.privacy.min_group_size == top.privacy.min_group_size
    assert s.database.path == tmp_path / "data" / "bots" / "acme.sqlite3"
    assert s.bots == []  # a bot's settings name no other bot


def test_a_bot_without_organisers_has_none_not_the_top_level_ones(tmp_path: Path) -> None:
    top = deployment(tmp_path, bots=[{"key": "acme", "token": TOKENS["acme"]}])
    assert choose(tenants_of(top, []), "acme").settings.organisers == []


@pytest.mark.parametrize("key", ["Acme", "1acme", "ac-me", "", "a" * 33, "ac me", "../x"])
def test_a_key_that_is_not_a_slug_is_refused(tmp_path: Path, key: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[[bots]]\nkey = "{key}"\ntoken = "1:x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"bots\[0\]\.key"):
        load_settings(config)


def test_unknown_keys_of_a_bot_are_errors_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[bots]]\nkey = "acme"\ntokn = "1:x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"config.toml: unknown settings: bots\[0\]\.tokn"):
        load_settings(config)
    config.write_text(
        '[[bots]]\nkey = "acme"\ntoken = "1:x"\n[bots.documents]\nlanguag = "en"\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match=r"^bot 'acme': documents\.languag: unknown setting"):
        tenants_of(load_settings(config), [])
    config.write_text('[[bots]]\nkey = "acme"\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^bot 'acme': timezone: .*unknown IANA time zone"):
        tenants_of(load_settings(config), [])


def test_bots_in_the_environment_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bots = [{"key": "acme", "token": TOKENS["acme"], "organisers": [2000]}]
    monkeypatch.setenv("BOT_BOTS", json.dumps(bots))
    settings = load_settings()
    assert [b.key for b in settings.bots] == ["acme"]
    tenants = tenants_of(settings, [])
    assert [t.key for t in tenants] == ["acme"]  # no top-level token: main is no bot


def test_duplicate_keys_and_the_reserved_key_are_refused(tmp_path: Path) -> None:
    twice = [{"key": "acme", "token": "1:a"}, {"key": "acme", "token": "2:b"}]
    with pytest.raises(ValueError, match="appears twice"):
        deployment(tmp_path, bots=twice)
    with pytest.raises(ValueError, match="top-level"):
        deployment(tmp_path, bots=[{"key": "main", "token": "1:a"}])


def test_a_key_in_both_config_and_registry_is_an_error(tmp_path: Path) -> None:
    top = deployment(tmp_path)
    with pytest.raises(SettingsError, match="both in the config file"):
        tenants_of(top, [BotRow("acme", "444444:OTHER")])


def test_one_token_for_two_enabled_bots_is_an_error(tmp_path: Path) -> None:
    top = deployment(tmp_path)
    with pytest.raises(SettingsError, match="same token"):
        tenants_of(top, [BotRow("gamma", TOKENS["acme"])])
    tenants_of(top, [BotRow("gamma", TOKENS["acme"], enabled=False)])  # a disabled one may


def test_webhook_path_and_secret_per_bot(tmp_path: Path) -> None:
    top = deployment(
        tmp_path,
        telegram={"token": TOKENS["main"], "webhook_url": "https://bot.example.org/tg",
                  "webhook_secret": "top-secret"},
    )  # fmt: skip
    main, acme, beta = tenants_of(top, [])
    assert main.settings.telegram.webhook_url == "https://bot.example.org/tg"
    assert acme.settings.telegram.webhook_url == "https://bot.example.org/tg/acme"
    secrets = {
        t.key: t.settings.telegram.webhook_secret.get_secret_value() for t in (main, acme, beta)
    }
    assert secrets["main"] == "top-secret"
    assert len(set(secrets.values())) == 3  # derived, different for every bot
    again = tenants_of(top, [])[1].settings.telegram.webhook_secret
    assert again is not None
    assert again.get_secret_value() == secrets["acme"]
    own = bot_settings(top, top.bots[0].model_copy(update={
        "webhook_path": "/hooks/a", "webhook_secret": SecretStr("mine")}))  # fmt: skip
    assert own.telegram.webhook_url == "https://bot.example.org/hooks/a"
    assert own.telegram.webhook_secret is not None
    assert own.telegram.webhook_secret.get_secret_value() == "mine"


# -- three bots in one process --------------------------------------------------------------


@dataclass
class Running:
    tenants: dict[str, Tenant]
    emulators: dict[str, Emulator]
    apps: dict[str, KvietimasApplication]
    processed: dict[str, UpdateTracker]
    invite_codes: dict[str, str]
    log: io.StringIO


@pytest.fixture
async def three_bots(tmp_path: Path) -> AsyncIterator[Running]:
    host = Emulator(token=TOKENS["main"], bot_username="main_bot")
    emulators = {"main": host}
    for key in ("acme", "beta"):
        emulators[key] = host.add_bot(TOKENS[key], bot_username=f"{key}_bot")
    await host.start()
    log = io.StringIO()
    handler = setup_logging("INFO", fmt="json", stream=log)
    try:
        top = deployment(tmp_path, base_url=host.base_url)
        tenants = {t.key: t for t in tenants_of(top, [])}
        codes: dict[str, str] = {}
        for key, tenant in tenants.items():  # an event of each bot, in the bot's storage
            storage = storage_for(tenant.settings)
            await storage.open()
            source = EXAMPLE_EVENT.read_text(encoding="utf-8").replace(
                "akmene-2027-03", f"{key}-2027-03"
            )
            event, _ = await import_event(storage, source, default_zone="Europe/Vilnius", now=START)
            codes[key] = event.invite_code
            await storage.close()
        apps = {key: build_application(t.settings) for key, t in tenants.items()}
        processed = {key: UpdateTracker(app) for key, app in apps.items()}
        stop = asyncio.Event()
        runs = [BotRun(key, app) for key, app in apps.items()]
        task = asyncio.create_task(
            run_polling(runs, allowed_updates=ALLOWED_UPDATES, stop=stop, poll_timeout=1)
        )
        async with asyncio.timeout(30):
            while not all(app.running for app in apps.values()):
                assert not task.done(), task
                await asyncio.sleep(0.01)
        yield Running(tenants, emulators, apps, processed, codes, log)
        stop.set()
        await task
        assert not any(app.running for app in apps.values())
        assert not any(app.services.db.database.is_open for app in apps.values())
    finally:
        logging.getLogger().removeHandler(handler)
        await host.stop()


@pytest.mark.sqlite_only("each bot's SQLite file")
async def test_three_bots_run_in_one_process_each_with_its_own_settings_and_data(
    three_bots: Running, tmp_path: Path
) -> None:
    for key, emulator in three_bots.emulators.items():
        assert three_bots.apps[key].bot.username == f"{key}_bot"  # its own getMe
        person = emulator.user(5000, "Ona")  # one person, writing to each bot
        await three_bots.processed[key].wait(
            await person.send(f"/start e_{three_bots.invite_codes[key]}")
        )
        assert NAMES[key] in str(person.last().text)  # its own organisation keeps the data
    # Each answered only in its own chat with the person (one chat per token), and nothing
    # there names another bot's organisation or event.
    for key, emulator in three_bots.emulators.items():
        texts = " ".join(str(m.text) for m in emulator.chat_messages(5000))
        assert texts
        assert emulator.calls_to("getUpdates")
        for other in NAMES:
            if other != key:
                assert NAMES[other] not in texts
                assert three_bots.invite_codes[other] not in texts
    # Each bot's rows are in its own file.
    data = tmp_path / "data"
    assert (data / "kvietimas.sqlite3").is_file()
    assert sorted(p.name for p in (data / "bots").glob("*.sqlite3")) == [
        "acme.sqlite3",
        "beta.sqlite3",
    ]
    for key, app in three_bots.apps.items():
        events = await app.services.db.events.list_recent_events()
        assert [e.slug for e in events] == [f"{key}-2027-03"]


async def test_an_organiser_of_one_bot_is_a_stranger_to_another(three_bots: Running) -> None:
    acme_organiser = ORGANISERS["acme"]
    for key in ("acme", "main"):
        emulator = three_bots.emulators[key]
        person = emulator.user(acme_organiser, "Rasa")
        await three_bots.processed[key].wait(await person.send("/events"))
        text = str(person.last().text)
        if key == "acme":
            assert "acme-2027-03" in text or "Mokymai" in text
        else:
            assert "main-2027-03" not in text
            assert "Mokymai" not in text


async def test_logs_carry_the_bot_key(three_bots: Running) -> None:
    person = three_bots.emulators["beta"].user(5100, "Jonas")
    await three_bots.processed["beta"].wait(await person.send("/help"))
    records = [json.loads(line) for line in three_bots.log.getvalue().splitlines() if line]
    started = {r.get("bot") for r in records if str(r["msg"]).startswith("bot @")}
    assert started == {"main", "acme", "beta"}  # "bot @<username> started" of each


def test_the_commented_example_in_config_example_toml_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uncommented, the [[bots]] example of config.example.toml loads and makes a bot."""
    for name in [n for n in os.environ if n.upper().startswith("BOT_")]:
        monkeypatch.delenv(name)
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    head, example = text.split("# [[bots]]\n")
    lines = ["[[bots]]"] + [
        line[2:] if re.match(r"^# (\[|\w+ = )", line) else line for line in example.splitlines()
    ]
    config = tmp_path / "config.toml"
    config.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    [acme] = tenants_of(load_settings(config), [])  # no top-level token there: no main bot
    assert acme.key == "acme"
    assert acme.settings.documents.language == "en"
    assert acme.settings.privacy.retention_months == 12
    assert acme.settings.organisers == [123456789]
    assert acme.settings.database.path == tmp_path / "data" / "bots" / "acme.sqlite3"


@pytest.mark.skipif(
    _schema_field() is None, reason="[database] schema comes with the PostgreSQL engine"
)
def test_on_postgresql_each_bot_has_its_own_schema(tmp_path: Path) -> None:
    field = _schema_field()
    assert field is not None
    top = deployment(
        tmp_path, database={"url": "postgresql://kv@127.0.0.1/kv", "schema": "kvietimas"}
    )
    main, acme, beta = tenants_of(top, [])
    assert getattr(main.settings.database, field) == "kvietimas"  # as configured
    assert getattr(acme.settings.database, field) == "bot_acme"
    assert getattr(beta.settings.database, field) == "bot_beta"
    assert acme.namespace == "schema bot_acme"
    assert acme.settings.database.model_dump()["url"] == top.database.model_dump()["url"]


def test_each_bot_has_its_own_email_and_dashboard_urls(tmp_path: Path) -> None:
    """A bot's e-mail (its unsubscribe path) and dashboard URL are its own; a bot without
    ``[bots.email]`` and no top-level ``[email]`` sends no e-mail; two bots on one
    unsubscribe path are refused before anything serves."""
    from bot.app import build_application
    from bot.web import route_sets_for

    settings = deployment(tmp_path)
    bots = settings.model_dump()["bots"]
    bots[0]["email"] = {"public_url": "https://mail.example.lt/acme"}
    bots[0]["webapp"] = {"url": "https://bot.example.lt/acme/dashboard/"}
    bots[1]["email"] = {"public_url": "https://mail.example.lt/beta"}
    by_key = {t.key: t.settings for t in tenants_of(deployment(tmp_path, bots=bots), [])}
    assert by_key["main"].email is None
    assert by_key["acme"].email is not None
    assert by_key["beta"].email is not None
    assert by_key["acme"].email.public_url.endswith("/acme")
    assert by_key["acme"].webapp.url == "https://bot.example.lt/acme/dashboard/"
    assert by_key["beta"].webapp.url is None
    services = [build_application(s).bot_data["services"] for s in by_key.values()]
    assert len(route_sets_for(services)) == 3  # acme's dashboard, acme's and beta's pages
    bots[1]["email"] = {"public_url": "https://other.example.lt/acme"}  # the same path
    same = [t.settings for t in tenants_of(deployment(tmp_path, bots=bots), [])]
    with pytest.raises(SettingsError, match="same \\[email\\] public_url path"):
        route_sets_for([build_application(s).bot_data["services"] for s in same])
