"""Several bots in one deployment: which bots there are and the full settings of each.

A deployment's bots are

* ``main``: the bot of the top-level ``[telegram]`` settings, the single-bot configuration
  of before (its namespace stays ``[database] path``, or the configured schema), present
  when a token or username is set there, or when no other bot is;
* every ``[[bots]]`` entry of the config file (or ``BOT_BOTS`` as JSON);
* every bot of the registry that ``python -m bot bots add`` writes (bot/storage/control.py).

Each one gets a whole :class:`~bot.config.Settings` of its own (:func:`bot_settings`): the
top-level settings with the bot's token, username, organisers, organisation name and
overrides, and its own *namespace* (SQLite: ``bots/<key>.sqlite3`` beside the configured
database; PostgreSQL: schema ``bot_<key>``). Every row of a bot lives in its namespace, so no
query needs a bot id and one bot cannot read another's data (tests/test_tenancy.py).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr, ValidationError

from bot.config import (
    BOT_SECTIONS,
    MAIN_BOT,
    BotConfig,
    DatabaseSettings,
    Settings,
    SettingsError,
    check_bot_key,
    explicit_settings,
    load_settings,
)
from bot.storage import storage_for
from bot.storage.control import BotRow, control_exists, control_for

Source = Literal["config", "registry"]
# SQLite: the folder beside the configured database that holds one file per bot.
BOTS_FOLDER = "bots"


@dataclass(frozen=True)
class Tenant:
    """One bot of the deployment with its whole settings."""

    key: str
    settings: Settings
    enabled: bool = True
    source: Source = "config"

    @property
    def namespace(self) -> str:
        return namespace_of(self.settings)


def _schema_field() -> str | None:
    """The name of ``[database] schema`` on the model (the PostgreSQL engine's setting; a
    pydantic model cannot have a field called ``schema``, so it may be an alias)."""
    for name, info in DatabaseSettings.model_fields.items():
        if name == "schema" or info.alias == "schema":
            return name
    return None


def namespace_of(settings: Settings) -> str:
    """Where a bot's tables live, for people: a file, or ``schema <name>``."""
    field = _schema_field()
    if getattr(settings.database, "url", None) and field is not None:
        return f"schema {getattr(settings.database, field)}"
    return str(settings.database.path)


def main_is_bot(settings: Settings, rows: list[BotRow] | None = None) -> bool:
    """The top-level settings are a bot of their own (see the module docstring)."""
    telegram = settings.telegram
    others = bool(settings.bots or rows)
    return telegram.token is not None or bool(telegram.username) or not others


def _derived_secret(secret: SecretStr, key: str) -> str:
    """A bot's webhook secret made from the top-level one: different for every bot, the
    same in every worker and after every restart, 64 of the characters Telegram allows."""
    return hmac.new(secret.get_secret_value().encode(), key.encode(), hashlib.sha256).hexdigest()


def _webhook_url(url: str, bot: BotConfig) -> str:
    parts = urlsplit(url)
    path = bot.webhook_path or f"{parts.path.rstrip('/')}/{bot.key}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def bot_database(settings: Settings, key: str) -> dict[str, Any]:
    """The ``[database]`` of bot ``key``: its own file (SQLite) or schema (PostgreSQL)."""
    database = settings.database.model_dump()
    database["path"] = settings.database.path.parent / BOTS_FOLDER / f"{key}.sqlite3"
    field = _schema_field()
    if field is not None:  # the PostgreSQL engine's setting
        database[field] = f"bot_{key}"
    return database


def bot_settings(settings: Settings, bot: BotConfig) -> Settings:
    """The whole settings of ``bot``: the top-level ones with the bot's own values."""
    values = settings.model_dump()
    values["bots"] = []  # a bot's settings name no other bot
    telegram = values["telegram"]
    telegram["token"] = bot.token
    telegram["username"] = bot.username
    if settings.telegram.webhook_url:
        telegram["webhook_url"] = _webhook_url(settings.telegram.webhook_url, bot)
        if bot.webhook_secret is not None:
            telegram["webhook_secret"] = bot.webhook_secret
        elif settings.telegram.webhook_secret is not None:
            telegram["webhook_secret"] = _derived_secret(settings.telegram.webhook_secret, bot.key)
    values["organisers"] = list(bot.organisers)
    for name in ("organisation_name", "default_language", "timezone"):
        if getattr(bot, name) is not None:
            values[name] = getattr(bot, name)
    for section in BOT_SECTIONS:
        values[section] = _merge(values[section], getattr(bot, section))
    if bot.email is not None:  # e-mail on for this bot (over the top-level [email], if any)
        values["email"] = _merge(values["email"] or {}, bot.email)
    values["database"] = bot_database(settings, bot.key)
    try:
        return explicit_settings(**values)
    except ValidationError as exc:
        raise SettingsError(f"bot {bot.key!r}: " + _problems(exc)) from None


def _problems(exc: ValidationError) -> str:
    """``documents.languag: unknown setting; timezone: unknown IANA time zone 'Mars'``."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "settings"
        what = "unknown setting" if error["type"] == "extra_forbidden" else error["msg"]
        problems.append(f"{where}: {what}")
    return "; ".join(problems) + " (see config.example.toml)"


def bot_from_row(row: BotRow) -> BotConfig:
    """A registry row as the BotConfig it stands for."""
    try:
        return BotConfig(
            key=row.key,
            token=SecretStr(row.token),
            username=row.username,
            organisers=list(row.organisers),
            organisation_name=row.organisation_name,
            enabled=row.enabled,
            **row.overrides,
        )
    except ValidationError as exc:
        raise SettingsError(f"bot {row.key!r} of the registry: " + _problems(exc)) from None


async def registry_rows(settings: Settings) -> list[BotRow]:
    """The registry's bots; none when no registry was ever written (nothing is created)."""
    if not control_exists(settings):
        return []
    control = control_for(settings)
    await control.open()
    try:
        return await control.bots.all()
    finally:
        await control.close()


def tenants_of(settings: Settings, rows: list[BotRow]) -> list[Tenant]:
    """Every bot of the deployment: ``main`` first, then the config's, then the registry's.

    A key both in the config and in the registry is an error (which one would win is not
    obvious); so is one token for two enabled bots (they would steal each other's updates).
    """
    tenants: list[Tenant] = []
    if main_is_bot(settings, rows):
        main = settings.model_copy(update={"bots": []})
        tenants.append(Tenant(MAIN_BOT, main))
    configured = {bot.key for bot in settings.bots}
    for bot in settings.bots:
        tenants.append(Tenant(bot.key, bot_settings(settings, bot), bot.enabled, "config"))
    for row in rows:
        if row.key in configured:
            raise SettingsError(
                f"bot {row.key!r} is both in the config file ([[bots]]) and in the registry "
                "(python -m bot bots add): keep it in one of them"
            )
        if row.key == MAIN_BOT:
            raise SettingsError(f"bot {MAIN_BOT!r} of the registry clashes with the main bot")
        bot = bot_from_row(row)
        tenants.append(Tenant(bot.key, bot_settings(settings, bot), bot.enabled, "registry"))
    tokens: dict[str, str] = {}
    for tenant in tenants:
        token = tenant.settings.telegram.token
        if tenant.enabled and token is not None:
            other = tokens.setdefault(token.get_secret_value(), tenant.key)
            if other != tenant.key:
                raise SettingsError(f"bots {other!r} and {tenant.key!r} have the same token")
    return tenants


async def load_tenants(settings: Settings) -> list[Tenant]:
    """Every bot of the deployment, the registry read (see :func:`tenants_of`)."""
    return tenants_of(settings, await registry_rows(settings))


def choose(tenants: list[Tenant], key: str | None) -> Tenant:
    """The bot ``--bot KEY`` names; without it the only one (an error lists the keys)."""
    keys = ", ".join(t.key for t in tenants)
    if key is None:
        if len(tenants) == 1:
            return tenants[0]
        raise SettingsError(f"this deployment has several bots: choose one with --bot KEY ({keys})")
    for tenant in tenants:
        if tenant.key == key:
            return tenant
    raise SettingsError(f"no bot {key!r} here (bots: {keys})")


def cli_settings(args: argparse.Namespace) -> Settings:
    """The settings of the bot a data command works on: ``--config`` read, ``--bot``
    chosen (needed only when the deployment has several bots)."""
    settings = load_settings(Path(args.config) if getattr(args, "config", None) else None)
    key = getattr(args, "bot", None)
    if key is None and not settings.bots and not control_exists(settings):
        return settings  # the single-bot deployment: nothing more to read
    return choose(asyncio.run(load_tenants(settings)), key).settings


# -- python -m bot bots add | list | enable | disable -------------------------------------------


def masked(token: str) -> str:
    """A token as ``123456:…`` (the bot's public id, never the secret part)."""
    head, colon, _ = token.partition(":")
    return f"{head}:…" if colon else "…"


async def add_bot(settings: Settings, row: BotRow) -> str:
    check_bot_key(row.key)
    tenants = await load_tenants(settings)
    if any(t.key == row.key for t in tenants):
        raise SettingsError(f"a bot {row.key!r} exists already")
    new = tenants_of(settings, [row])[-1]  # its settings are valid, its token its own
    control = control_for(settings)
    await control.open()
    try:
        if not await control.bots.add(row, now=datetime.now(UTC)):
            raise SettingsError(f"a bot {row.key!r} exists already")
    finally:
        await control.close()
    storage = storage_for(new.settings)  # its namespace, made and migrated now
    await storage.open()
    await storage.close()
    return new.namespace


async def set_enabled(settings: Settings, key: str, enabled: bool) -> None:
    tenants = await load_tenants(settings)
    tenant = choose(tenants, key)
    if tenant.source != "registry":
        where = "the top-level [telegram] settings" if key == MAIN_BOT else "[[bots]]"
        raise SettingsError(
            f"bot {key!r} is set in the config file ({where}): change `enabled` there"
        )
    control = control_for(settings)
    await control.open()
    try:
        await control.bots.set_enabled(key, enabled, now=datetime.now(UTC))
    finally:
        await control.close()


def _listing(tenants: list[Tenant]) -> list[str]:
    lines = []
    for t in tenants:
        token = t.settings.telegram.token
        username = t.settings.telegram.username
        lines.append(
            "\t".join(
                (
                    t.key,
                    f"@{username.lstrip('@')}" if username else "-",
                    "enabled" if t.enabled else "disabled",
                    ",".join(str(i) for i in t.settings.organisers) or "-",
                    masked(token.get_secret_value()) if token is not None else "-",
                    t.source,
                    t.namespace,
                )
            )
        )
    return lines


def cmd_bots_list(args: argparse.Namespace) -> int:
    settings = load_settings(Path(args.config) if args.config else None)
    tenants = asyncio.run(load_tenants(settings))
    print("key\tusername\tstate\torganisers\ttoken\tdefined in\tnamespace")
    for line in _listing(tenants):
        print(line)
    return 0


def cmd_bots_add(args: argparse.Namespace) -> int:
    settings = load_settings(Path(args.config) if args.config else None)
    overrides: dict[str, Any] = {}
    if args.language is not None:
        overrides["default_language"] = args.language
    if args.timezone is not None:
        overrides["timezone"] = args.timezone
    row = BotRow(
        key=args.key,
        token=args.token,
        username=args.username.lstrip("@") if args.username else None,
        organisers=tuple(args.organiser),
        organisation_name=args.organisation,
        overrides=overrides,
    )
    try:
        check_bot_key(args.key)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    namespace = asyncio.run(add_bot(settings, row))
    print(f"added bot {row.key} ({masked(row.token)}), enabled; its data: {namespace}")
    if not row.organisers:
        print("note: no organisers yet: organiser commands of this bot are refused")
    print("restart `python -m bot run` to start it")
    return 0


def _cmd_switch(enabled: bool) -> Any:
    def command(args: argparse.Namespace) -> int:
        settings = load_settings(Path(args.config) if args.config else None)
        asyncio.run(set_enabled(settings, args.key, enabled))
        state = "enabled" if enabled else "disabled (its data stays)"
        print(f"bot {args.key} {state}; restart `python -m bot run` for it to take effect")
        return 0

    return command


def _organiser_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a Telegram user id is a number, not {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"a Telegram user id is positive, not {value}")
    return value


def register_cli(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bots = sub.add_parser("bots", help="the bots of this deployment").add_subparsers(
        dest="bots_command", required=True, metavar="COMMAND"
    )
    add = bots.add_parser("add", help="add a bot to the registry (control namespace)")
    add.add_argument("key", help="a short name: 1-32 of a-z, 0-9 and _, starting with a letter")
    add.add_argument("--token", required=True, help="the bot's token from @BotFather")
    add.add_argument("--username", help="the bot's @username (for links the CLI prints)")
    add.add_argument(
        "--organiser", type=_organiser_id, action="append", default=[], metavar="TELEGRAM_ID",
        help="an organiser's Telegram user id (repeat for several)",
    )  # fmt: skip
    add.add_argument("--organisation", help="the organisation's name, shown in the data notice")
    add.add_argument("--language", choices=("lt", "en", "uk"), help="default language")
    add.add_argument("--timezone", help="IANA time zone, e.g. Europe/Vilnius")
    add.set_defaults(func=cmd_bots_add)
    listing = bots.add_parser("list", help="every bot: key, username, state, namespace")
    listing.set_defaults(func=cmd_bots_list)
    for name, enabled, text in (
        ("enable", True, "start the bot again with the next run"),
        ("disable", False, "do not start the bot (its data stays)"),
    ):
        cmd = bots.add_parser(name, help=text)
        cmd.add_argument("key")
        cmd.set_defaults(func=_cmd_switch(enabled))
