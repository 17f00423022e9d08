"""Settings: a TOML file overridden by ``BOT_*`` environment variables.

Each TOML table is one nested model, so ``[broadcast] rate_per_second`` in the file and
``BOT_BROADCAST__RATE_PER_SECOND`` in the environment name the same setting.
``config.example.toml`` documents every field below; keep the two in step.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

Language = Literal["lt", "en", "uk"]
LANGUAGES: tuple[Language, ...] = ("lt", "en", "uk")
DEFAULT_CONFIG_PATH = Path("config.toml")


class TelegramSettings(BaseModel):
    model_config = {"extra": "forbid"}

    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    # Updates processed in parallel; RSVP and survey handlers are idempotent, so > 1 is safe.
    concurrent_updates: int = Field(default=8, ge=1, le=256)
    # Webhook mode instead of polling when webhook_url is set (see docs/operations.md).
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # The bot's @username for links printed offline (CLI); asked from Telegram when unset.
    username: str | None = None


class DatabaseSettings(BaseModel):
    path: Path = Path("data/kvietimas.sqlite3")
    # PostgreSQL instead of SQLite when set (bot/storage/postgres.py).
    url: SecretStr | None = None
    # The schema (namespace) of this bot's tables on PostgreSQL.
    schema_: str = Field(default="kvietimas", alias="schema")
    pool_size: int = Field(default=10, ge=1, le=200)

    model_config = {"extra": "forbid", "populate_by_name": True}

    @field_validator("url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("postgresql://", "postgres://")
        ):
            raise ValueError("must start with postgresql://")
        return value

    @field_validator("schema_")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value) or value.startswith("pg_"):
            raise ValueError(
                "must be a plain SQL name: lower-case letters, digits and _ (at most 63), "
                "not starting with a digit or pg_"
            )
        return value


class BroadcastSettings(BaseModel):
    model_config = {"extra": "forbid"}

    rate_per_second: float = Field(default=30.0, gt=0, le=1000)
    # Telegram allows about one message per second in one chat.
    per_chat_interval_s: float = Field(default=1.0, ge=0)
    # Paid broadcasts (0.1 Stars per message) allow up to 1000 messages/s.
    allow_paid_broadcast: bool = False
    max_attempts: int = Field(default=6, ge=1, le=50)
    # How often the live progress message of a campaign is edited, at most.
    progress_interval_s: float = Field(default=3.0, ge=0.5)
    # The sender paces this fraction below rate_per_second (and per_chat_interval_s), so
    # jitter on the way to Telegram does not turn into 429s (see docs/broadcast.md).
    headroom: float = Field(default=0.03, ge=0, le=0.5)
    # Seconds to wait for Telegram's answer to one send before retrying it.
    send_timeout_s: float = Field(default=10.0, gt=0, le=120)


class ReminderSettings(BaseModel):
    model_config = {"extra": "forbid"}

    # Hours before the start at which yes/maybe participants are reminded.
    before_event_hours: list[float] = Field(default_factory=lambda: [24.0, 1.0])
    # Hours before the RSVP deadline at which invitees without an answer are reminded.
    before_deadline_hours: float = 24.0
    # Hours after the survey opens at which non-responders are reminded once.
    survey_reminder_hours: float = 48.0
    # Days the survey stays open after the event ends.
    survey_open_days: float = 14.0


class PrivacySettings(BaseModel):
    model_config = {"extra": "forbid"}

    consent_version: str = "2026-11"
    # Personal data is deleted this many months after a programme's last event; 0 = never.
    retention_months: int = Field(default=24, ge=0)
    # Scores are not broken down for groups smaller than this: in anonymous questionnaires'
    # chat screens and exports, and always in the funder's report (smaller organisations
    # are merged into "other organisations", or left out if even that group is smaller).
    min_group_size: int = Field(default=3, ge=1)


class AttendanceSettings(BaseModel):
    model_config = {"extra": "forbid"}

    # The check-in QR works from this many minutes before the start until the end.
    checkin_opens_minutes: int = Field(default=60, ge=0, le=24 * 60)
    # Certificates go out by themselves for events that ended at most this many days ago.
    certificate_days: int = Field(default=30, ge=1, le=366)


class FundingSettings(BaseModel):
    """The EU funding block printed on certificates, reports and sign-in sheets.

    Organisations supply their own emblem file (the EU flag with the statement, from the
    Commission's download centre); the bot does not ship it (docs/documents.md)."""

    model_config = {"extra": "forbid"}

    # Image file (PNG/JPEG) of the emblem with its statement; empty = no emblem.
    emblem_path: Path | None = None
    # "Finansuoja Europos Sąjunga" (100 %) or "Bendrai finansuoja Europos Sąjunga".
    statement: str = ""
    # The project's code, e.g. "PMIF-2021-..."; printed under the statement.
    project_code: str = ""


class SignatorySettings(BaseModel):
    model_config = {"extra": "forbid"}

    name: str = ""
    position: str = ""
    # Optional image of the signature, printed above the name.
    signature_path: Path | None = None


class DocumentSettings(BaseModel):
    """Documents handed to a funder: certificates, the report, attendance sign-in sheets."""

    model_config = {"extra": "forbid"}

    # Language of certificates and reports: the organisation's, not the participant's.
    language: Language = "lt"
    # Certificates: also print every label in English under the chosen language (lt + en).
    bilingual: bool = False
    # Decimals written in a certificate's hours (0-2), rounded half up: 6.25 -> 6,3 at 1.
    hours_precision: int = Field(default=2, ge=0, le=2)
    # Registration numbers of certificates: "<prefix>-<year>-<serial>", e.g. KV-2027-000123.
    registration_prefix: str = Field(default="KV", max_length=16, pattern=r"^[A-Za-z0-9./-]*$")
    # Fonts tried, in order, for letters DejaVu Sans lacks (CJK, Arabic, Georgian ...):
    # TrueType/OpenType files (.ttf, .otf, .ttc). Missing files are skipped.
    fallback_fonts: list[Path] = Field(default_factory=list)
    # Also look for common fallback fonts installed on the system (Noto, Droid Sans Fallback).
    system_fallback_fonts: bool = True
    funding: FundingSettings = Field(default_factory=FundingSettings)
    signatory: SignatorySettings = Field(default_factory=SignatorySettings)


class EmailSettings(BaseModel):
    """``[email]``: sending e-mail through an SMTP server (docs/email.md). Absent: e-mail
    is off and nothing else changes."""

    model_config = {"extra": "forbid"}

    host: str = "localhost"
    # Unset: 587 with starttls, 465 with ssl, 25 with none (see ``smtp_port``).
    port: int | None = Field(default=None, ge=1, le=65535)
    # "starttls" (port 587, submission), "ssl" (port 465, TLS from the first byte) or "none"
    # (a relay on this machine or a trusted network only).
    security: Literal["starttls", "ssl", "none"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    # The envelope sender (MAIL FROM, where bounces go) and the From of the messages.
    from_address: str = "kvietimas@localhost"
    from_name: str = ""
    reply_to: str | None = None
    # The server's or the provider's limit; the sender stays a little below it.
    rate_per_minute: float = Field(default=60.0, gt=0, le=60_000)
    # Tries per e-mail on temporary errors (4xx, dropped connections, time-outs), with
    # backoff from a minute up to an hour, before it is reported as failed.
    max_attempts: int = Field(default=8, ge=1, le=50)
    # Seconds to wait for the server's answer to one command (and to connect).
    timeout_s: float = Field(default=30.0, gt=0, le=600)

    # The invitations (bot/email/invitations.py): where the bot's web server is reached
    # from outside, for the unsubscribe links (https://bot.example.lt; the page is under
    # /email/u/...), and the key that signs those links (unset: derived from the bot token).
    public_url: str = "http://127.0.0.1:8081"  # the web server's default [webapp] port
    unsubscribe_secret: SecretStr | None = Field(default=None, repr=False)

    @model_validator(mode="after")
    def _no_password_in_clear(self) -> EmailSettings:
        local = self.host in ("localhost", "127.0.0.1", "::1")
        if self.username is not None and self.security == "none" and not local:
            raise ValueError(
                "a username and password would cross the network in clear: "
                'set security = "starttls" or "ssl"'
            )
        return self

    @property
    def smtp_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"starttls": 587, "ssl": 465, "none": 25}[self.security]


class WebAppSettings(BaseModel):
    """The organisers' dashboard, a Telegram Mini App served by the bot (docs/dashboard.md)."""

    model_config = {"extra": "forbid"}

    # Public URL of the dashboard page (HTTPS for Telegram), e.g.
    # "https://bot.example.org/dashboard/"; unset = no dashboard. Its path is where the page
    # is served: on the webhook server in webhook mode, else on a small server of its own.
    url: str | None = None
    # Where that small server listens when the bot polls (behind the HTTPS proxy).
    listen: str = "127.0.0.1"
    port: int = Field(default=8081, ge=1, le=65535)
    # Telegram's signed launch data (initData) is refused when older than this.
    max_age_s: int = Field(default=3600, ge=30, le=7 * 24 * 3600)
    # A download link from the dashboard works for this many seconds.
    download_ttl_s: int = Field(default=120, ge=10, le=3600)
    # Database connections of the dashboard's own (0 = read through the bot's connection).
    readers: int = Field(default=2, ge=0, le=16)
    # Scores shown are at most this many seconds old (one computation for everyone looking;
    # counts are always live). 0 = computed for every request.
    scores_cache_s: float = Field(default=15.0, ge=0, le=3600)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Telegram opens Mini Apps only from an https:// URL")
        return value or None


# A bot's key: names its namespace (a file bots/<key>.sqlite3, a schema bot_<key>), so it is
# a lower-case slug that is a valid file name and an unquoted SQL identifier.
BOT_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
# The bot of the top-level [telegram] settings (the single-bot configuration) is called this.
MAIN_BOT = "main"


def check_bot_key(key: str) -> str:
    """The key if it is a valid bot key, else ValueError saying what one looks like."""
    if not BOT_KEY.fullmatch(key):
        raise ValueError(f"bot key {key!r} must be 1-32 of a-z, 0-9 and _, starting with a letter")
    return key


class BotConfig(BaseModel):
    """One bot of a deployment that runs several (``[[bots]]``; docs/operations.md).

    Every field left out is the top-level one; the sections below override single fields
    of the top-level sections (``[bots.documents] language = "en"`` changes only that)."""

    model_config = {"extra": "forbid"}

    key: str
    token: SecretStr | None = None
    username: str | None = None
    organisers: list[int] = Field(default_factory=list)
    organisation_name: str | None = None
    enabled: bool = True
    default_language: Language | None = None
    timezone: str | None = None
    # The webhook path of this bot on the shared server (default: the top-level
    # webhook_url's path + "/<key>") and its secret (default: derived from the top-level
    # secret and the key, different for every bot).
    webhook_path: str | None = None
    webhook_secret: SecretStr | None = None
    documents: dict[str, Any] = Field(default_factory=dict)
    privacy: dict[str, Any] = Field(default_factory=dict)
    broadcast: dict[str, Any] = Field(default_factory=dict)
    reminders: dict[str, Any] = Field(default_factory=dict)
    attendance: dict[str, Any] = Field(default_factory=dict)
    # This bot's dashboard URL and e-mail settings (each bot's own public_url path, since
    # its unsubscribe links and its Mini App are served there).
    webapp: dict[str, Any] = Field(default_factory=dict)
    email: dict[str, Any] | None = None

    @field_validator("key")
    @classmethod
    def _valid_key(cls, value: str) -> str:
        return check_bot_key(value)

    @field_validator("webhook_path")
    @classmethod
    def _absolute_path(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"/[A-Za-z0-9._~/-]*", value):
            raise ValueError("must be a URL path starting with / (A-Z a-z 0-9 . _ ~ / -)")
        return value


# The per-bot sections a BotConfig may override, field by field.
BOT_SECTIONS = ("documents", "privacy", "broadcast", "reminders", "attendance", "webapp")


class Settings(BaseSettings):
    """All settings of one bot instance."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file=DEFAULT_CONFIG_PATH,
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    organisers: list[int] = Field(default_factory=list)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    timezone: str = "Europe/Vilnius"
    default_language: Language = "lt"
    broadcast: BroadcastSettings = Field(default_factory=BroadcastSettings)
    reminders: ReminderSettings = Field(default_factory=ReminderSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    attendance: AttendanceSettings = Field(default_factory=AttendanceSettings)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    organisation_name: str = "Kvietimas"
    # Invitations by e-mail (docs/email.md); None: e-mail is off.
    email: EmailSettings | None = None
    webapp: WebAppSettings = Field(default_factory=WebAppSettings)
    # Further bots of this deployment, each in its own namespace (docs/operations.md,
    # "Many bots"); BOT_BOTS='[{"key": "acme", "token": "..."}]' in the environment.
    bots: list[BotConfig] = Field(default_factory=list)

    @field_validator("bots")
    @classmethod
    def _distinct_keys(cls, value: list[BotConfig]) -> list[BotConfig]:
        seen: set[str] = set()
        for bot in value:
            if bot.key == MAIN_BOT:
                raise ValueError(
                    f"bot key {MAIN_BOT!r} names the bot of the top-level [telegram] settings"
                )
            if bot.key in seen:
                raise ValueError(f"bot key {bot.key!r} appears twice")
            seen.add(bot.key)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Order is priority: explicit arguments, then the environment, then the TOML file.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


# Environment variables with the BOT_ prefix that are not settings but are read elsewhere.
OTHER_ENV_NAMES = frozenset({"BOT_LOG_FORMAT"})
# A webhook secret Telegram accepts (setWebhook's secret_token).


def env_name(parts: list[str] | tuple[str, ...]) -> str:
    """``("telegram", "token")`` -> ``BOT_TELEGRAM__TOKEN``."""
    return "BOT_" + "__".join(p.upper() for p in parts)


def data_dir() -> Path:
    """Where the database goes when no config file names a folder: the XDG data folder."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kvietimas"


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from ``path`` (default ``config.toml`` if present) and the environment.

    A relative ``database.path`` from the file is resolved against the file's folder; the
    default database goes next to the config file, or without one into :func:`data_dir`;
    a relative ``BOT_DATABASE__PATH`` means the current folder, as paths in a shell do.
    Every problem is raised as one :class:`SettingsError` line.
    """
    toml_path = path if path is not None else DEFAULT_CONFIG_PATH
    if path is not None and not path.is_file():
        raise SettingsError(f"config file {path} does not exist")
    config_file = toml_path if toml_path.is_file() else None
    data = read_toml(config_file) if config_file is not None else {}

    class _FromFile(Settings):
        model_config = SettingsConfigDict(toml_file=toml_path)

    unknown_env = _unknown_environment()
    try:
        settings = _FromFile(**overrides)
    except ValidationError as exc:
        raise SettingsError(
            describe_validation_error(
                exc, config_file=config_file, data=data, unknown_env=unknown_env
            )
        ) from None
    except ValueError as exc:  # environment values that are not valid JSON
        raise SettingsError(_describe_env_error(exc)) from None
    if unknown_env:
        raise SettingsError(
            "unknown settings in the environment: " + ", ".join(unknown_env)
            + " (see config.example.toml)"
        )  # fmt: skip
    return _resolve_paths(settings, config_file, overrides)


def read_toml(path: Path) -> dict[str, Any]:
    """The config file as a dict; a syntax error names the file and the line."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read it ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.match(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
        if match:
            what, line, column = match.groups()
            message = f"line {line}, column {column}: {what[:1].lower()}{what[1:]}"
        raise SettingsError(f"{path}: not valid TOML: {message}") from None


def _lookup(data: dict[str, Any], parts: list[str | int]) -> bool:
    node: Any = data
    for part in parts:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return False
        elif not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _setting_name(loc: tuple[str | int, ...]) -> str:
    """``("telegram", "token")`` -> ``telegram.token (BOT_TELEGRAM__TOKEN)``; a list item
    as ``bots[1].token (BOT_BOTS)``: a list is one variable in the environment."""
    dotted = ""
    env_parts: list[str] = []
    in_list = False
    for part in loc:
        if isinstance(part, int):
            dotted += f"[{part}]"
            in_list = True
            continue
        dotted += f".{part}" if dotted else str(part)
        if not in_list:
            env_parts.append(str(part))
    return f"{dotted or 'settings'} ({env_name(env_parts)})"


def describe_validation_error(
    exc: ValidationError,
    *,
    config_file: Path | None = None,
    data: dict[str, Any] | None = None,
    unknown_env: list[str] | None = None,
) -> str:
    """One line naming every bad setting, each as TOML key and environment variable.

    Unknown keys are listed all together (a typo in two places shows both at once);
    those written in the config file are named with the file."""
    unknown_in_file: list[str] = []
    unknown_elsewhere: list[str] = list(unknown_env or ())
    invalid: list[str] = []
    for error in exc.errors():
        loc = tuple(p if isinstance(p, int) else str(p) for p in error["loc"])
        named = _setting_name(loc)
        if error["type"] == "extra_forbidden":
            in_file = config_file is not None and _lookup(data or {}, list(loc))
            (unknown_in_file if in_file else unknown_elsewhere).append(named)
        else:
            invalid.append(f"{named}: {error['msg']}")
    problems: list[str] = []
    if unknown_in_file:
        problems.append(f"{config_file}: unknown settings: " + ", ".join(unknown_in_file))
    if unknown_elsewhere:
        problems.append("unknown settings in the environment: " + ", ".join(unknown_elsewhere))
    if invalid:
        label = "invalid setting" if len(invalid) == 1 else "invalid settings"
        problems.append(f"{label} " + "; ".join(invalid))
    hint = " (see config.example.toml)" if unknown_in_file or unknown_elsewhere else ""
    return "; ".join(problems) + hint


def _describe_env_error(exc: ValueError) -> str:
    match = re.search(r'field "([^"]+)" from source "EnvSettingsSource"', str(exc))
    if match:
        field = match.group(1)
        return f"invalid setting {field} ({env_name([field])}): not valid JSON"
    return f"cannot read settings: {exc}"


def _unknown_environment() -> list[str]:
    """``BOT_*`` variables that name no setting (nested ones are checked by the models)."""
    known = {env_name([name]) for name in Settings.model_fields}
    unknown = []
    for name in os.environ:
        upper = name.upper()
        if not upper.startswith("BOT_") or upper in OTHER_ENV_NAMES:
            continue
        if upper.split("__")[0] not in known:
            unknown.append(name)
    return sorted(unknown)


def _resolve_paths(
    settings: Settings, config_file: Path | None, overrides: dict[str, Any]
) -> Settings:
    path = settings.database.path.expanduser()
    if not path.is_absolute():
        from_env = (
            any(name.upper() in {"BOT_DATABASE__PATH", "BOT_DATABASE"} for name in os.environ)
            or "database" in overrides
        )
        if from_env:
            base = Path.cwd()
        elif "path" not in settings.database.model_fields_set:  # the default
            base = config_file.parent if config_file is not None else data_dir()
            if config_file is None:
                path = Path(path.name)
        else:  # written in the config file
            base = config_file.parent if config_file is not None else Path.cwd()
        path = base.absolute() / path
    settings.database = settings.database.model_copy(update={"path": path})
    return settings


def check_webhook_secret(settings: Settings) -> str:
    """The webhook secret, or a SettingsError naming the setting (one rule, in
    :func:`bot.webhook.check_secret`: Telegram accepts 1-256 of A-Z a-z 0-9 _ -)."""
    from bot.webhook import check_secret

    secret = settings.telegram.webhook_secret
    return check_secret(secret.get_secret_value() if secret is not None else None)


class _ExplicitSettings(Settings):
    model_config = SettingsConfigDict(toml_file=None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def explicit_settings(**values: Any) -> Settings:
    """Settings from the given values only, ignoring the environment and config.toml
    (the demo, tests and benchmarks must not pick up a developer's real bot token)."""
    return _ExplicitSettings(**values)
