"""Command line: ``python -m bot run | demo | events import FILE | ...``.

Exit codes: 0 success, 1 the work failed, 2 bad settings or arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.config import MAIN_BOT, Settings, SettingsError, check_webhook_secret, load_settings
from bot.storage.database import DatabaseErrors
from bot.storage.schema import SchemaTooNew

if TYPE_CHECKING:
    from bot.tenancy import Tenant

log = logging.getLogger("bot")

# Other features add their subcommands here: name -> (configure parser, run).
Subcommand = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# organisation_name as config.example.toml and the code's default leave it.
PLACEHOLDER_NAMES = frozenset({"Your organisation", "Kvietimas"})


class CommandParser(argparse.ArgumentParser):
    """The parser of ``python -m bot`` and of every subcommand at any depth.

    Each one accepts the global options itself, so ``--config`` and ``--log-level`` work
    before and after the subcommand (``python -m bot --config c.toml events import f`` and
    ``python -m bot events import f --config c.toml``). Their default is SUPPRESS, so a
    subcommand that was not given an option leaves the value given before it; main()
    fills in the defaults. Subparsers are of the parser's own class (argparse's default),
    so the subcommands other modules register get the options without knowing of them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--config",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="settings file (default: config.toml in the current folder, if present)",
        )
        self.add_argument(
            "--bot",
            metavar="KEY",
            default=argparse.SUPPRESS,
            help="the bot whose data a command works on, when there are several "
            "(python -m bot bots list); with run: only this bot",
        )
        self.add_argument(
            "--log-level",
            type=str.upper,
            choices=LOG_LEVELS,
            default=argparse.SUPPRESS,
            help="DEBUG, INFO (default), WARNING or ERROR",
        )

    def error(self, message: str) -> NoReturn:
        """One line, no usage block: the operator sees what was wrong at once."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def setup_logging(level: str = "INFO") -> None:
    # One JSON line per event, tokens and e-mails masked (BOT_LOG_FORMAT=text for humans).
    from bot.logging_setup import setup_logging as structured_logging

    structured_logging(level)


def _settings(args: argparse.Namespace) -> Settings:
    """The settings of the bot the command works on (``--bot KEY`` when there are several)."""
    from bot.tenancy import cli_settings

    return cli_settings(args)


class _StartFailureFilter(logging.Filter):
    """PTB logs a failed start (a refused token, Telegram unreachable) with its traceback
    before raising it; cmd_run turns the exception into one line, so the record goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        from telegram.error import TelegramError

        exc = record.exc_info[1] if record.exc_info else None
        bootstrap = "(Bootstrap" in record.getMessage()
        return not (bootstrap and isinstance(exc, TelegramError))


class RunFailed(Exception):
    """The bot could not run; the message says why in one line (exit code 1)."""


def _check_bot(tenant: Tenant, several: bool) -> str | None:
    """Warnings and settings errors of one bot before anything starts; its webhook secret."""
    settings, key = tenant.settings, tenant.key
    named = f"bot {key!r}: " if several else ""
    if settings.telegram.token is None:
        if key == MAIN_BOT:
            raise SettingsError(
                "telegram.token (BOT_TELEGRAM__TOKEN) is not set: get a token from @BotFather"
            )
        raise SettingsError(f"bot {key!r} has no token: get one from @BotFather")
    secret = check_webhook_secret(settings) if settings.telegram.webhook_url else None
    if not settings.organisers:
        log.warning(
            "%sno organisers configured (BOT_ORGANISERS): organiser commands are refused", named
        )
    if settings.organisation_name in PLACEHOLDER_NAMES:
        log.warning(
            "%sorganisation_name (BOT_ORGANISATION_NAME) is still %r: participants read it in "
            "the data notice",
            named,
            settings.organisation_name,
        )
    return secret


def cmd_run(args: argparse.Namespace) -> int:
    """Every enabled bot of the deployment (or only ``--bot KEY``) in this process."""
    from bot.tenancy import choose, load_tenants

    top = load_settings(Path(args.config) if args.config else None)
    if args.workers > 1:
        return _supervise(args)
    tenants = asyncio.run(load_tenants(top))
    key = getattr(args, "bot", None)
    if key is not None:
        tenants = [choose(tenants, key)]
        if not tenants[0].enabled:
            raise SettingsError(f"bot {key!r} is disabled (python -m bot bots enable {key})")
    for tenant in tenants:
        if not tenant.enabled:
            log.info("bot %s is disabled: not started (its data stays)", tenant.key)
    tenants = [t for t in tenants if t.enabled]
    if not tenants:
        raise SettingsError("no enabled bot to run (python -m bot bots list)")
    several = len(tenants) > 1
    secrets = [_check_bot(t, several) for t in tenants]
    webhook = top.telegram.webhook_url is not None
    if webhook:
        from bot.webhook import webhook_path

        for tenant in tenants:
            assert tenant.settings.telegram.webhook_url is not None
            webhook_path(tenant.settings.telegram.webhook_url)
    for tenant in tenants:
        log.info("database %s", tenant.namespace, extra={"bot": tenant.key})
    from telegram.error import InvalidToken, NetworkError

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.runner import BotRun, BotStartFailed, run_polling, run_webhook

    runs = [
        BotRun(
            t.key,
            build_application(t.settings, worker=args.worker_id),
            webhook_url=t.settings.telegram.webhook_url,
            webhook_secret=secret,
        )
        for t, secret in zip(tenants, secrets, strict=True)
    ]
    quiet_start = _StartFailureFilter()
    for handler in logging.getLogger().handlers:
        handler.addFilter(quiet_start)
    # One web server per process (bot/web.py): the dashboard and the unsubscribe pages ride
    # on the webhook server, or, when polling, on a small server of their own.
    from bot.web import WebServer, compose, route_sets_for

    route_sets = route_sets_for([run.application.bot_data["services"] for run in runs])
    if webhook:  # our own server: secrets and body size checked first (bot/webhook.py)
        listen, port = top.telegram.webhook_listen, top.telegram.webhook_port
        work = run_webhook(
            runs, listen=listen, port=port, allowed_updates=ALLOWED_UPDATES, route_sets=route_sets,
            # Several workers may listen on one port (the kernel spreads the requests).
            reuse_port=args.worker_id is not None,
        )  # fmt: skip
    else:
        server = None
        if route_sets:
            server = WebServer(
                compose(route_sets), listen=top.webapp.listen, port=top.webapp.port,
                reuse_port=args.worker_id is not None,
            )  # fmt: skip
        work = run_polling(runs, allowed_updates=ALLOWED_UPDATES, server=server)
    try:
        asyncio.run(work)
    except BotStartFailed as failed:
        tenant = next(t for t in tenants if t.key == failed.key)
        if isinstance(failed.error, InvalidToken):
            if several:
                raise SettingsError(
                    f"Telegram refused the token of bot {failed.key!r}: copy it again from "
                    "@BotFather"
                ) from None
            raise SettingsError(
                "Telegram refused the token (telegram.token / BOT_TELEGRAM__TOKEN): "
                "copy it again from @BotFather"
            ) from None
        if isinstance(failed.error, NetworkError):  # TimedOut too: refused, DNS, proxy, TLS
            raise RunFailed(
                f"cannot reach Telegram at {tenant.settings.telegram.base_url}: "
                f"{failed.error.message}"
            ) from None
        raise failed.error from None
    return 0


def _supervise(args: argparse.Namespace) -> int:
    """``run --workers N``: N worker processes under this one (bot/workers.py); each checks
    the settings itself, and one refusing them (exit code 2) stops the lot."""
    from bot.workers import supervise

    if args.worker_id is not None:
        raise SettingsError("--worker-id names one worker; --workers N names them itself")
    child_args = ["--log-level", args.log_level]
    if args.config:
        child_args += ["--config", args.config]
    if getattr(args, "bot", None):
        child_args += ["--bot", args.bot]
    return supervise(args.workers, child_args)


def _worker_count(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"must be 1 to 64, not {value}")
    return value


def _worker_id(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", text):
        raise argparse.ArgumentTypeError("1-64 of A-Z a-z 0-9 . _ -")
    return text


def _demo_dashboard(args: argparse.Namespace) -> float | None:
    """Seconds to serve the demo's dashboard after the flow (0: until Ctrl-C), or None.
    In a terminal the demo ends on the dashboard's local URL, served until Ctrl-C; run by a
    program (tests, CI, a pipe) it ends at once and names ``--dashboard``."""
    if args.dashboard:
        return float(args.dashboard_seconds)
    if args.no_dashboard or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    return 0.0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import DemoRefused, run_demo

    try:
        return asyncio.run(
            run_demo(
                Path(args.output),
                participants=args.participants,
                dashboard=_demo_dashboard(args),
                port=args.port,
            )
        )
    except DemoRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_events_import(args: argparse.Namespace) -> int:
    from bot.cli import import_event_file

    return asyncio.run(import_event_file(_settings(args), Path(args.file)))


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def build_parser() -> CommandParser:
    parser = CommandParser(prog="python -m bot", description="Kvietimas training-event bot")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run every enabled bot (polling, or webhook when configured)")
    run.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        metavar="N",
        help="run N worker processes sharing the database (docs/operations.md)",
    )
    run.add_argument(
        "--worker-id",
        type=_worker_id,
        default=None,
        metavar="ID",
        help="this worker's unique name among those sharing the database (default: the "
        "host's name)",
    )
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="the whole flow on the built-in emulator, no token")
    demo.add_argument(
        "--output",
        default="demo-output",
        help="folder for the demo's files (emptied of the last run's files; other files "
        "make the demo stop)",
    )
    demo.add_argument("--participants", type=_count, default=30)
    demo.add_argument(
        "--dashboard",
        action="store_true",
        help="then serve the organisers' dashboard of the demo data on 127.0.0.1 and print "
        "a signed local URL for a normal browser (until Ctrl-C)",
    )
    demo.add_argument(
        "--no-dashboard",
        action="store_true",
        help="end after the flow, even in a terminal (where the demo serves the dashboard)",
    )
    demo.add_argument("--port", type=_count, default=8081, help="the dashboard's port")
    demo.add_argument(
        "--dashboard-seconds", type=float, default=0, help="stop serving after this (0: never)"
    )
    demo.set_defaults(func=cmd_demo)

    events = sub.add_parser("events", help="manage events").add_subparsers(
        dest="events_command", required=True, metavar="COMMAND"
    )
    imp = events.add_parser("import", help="create or update an event from a TOML file")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_events_import)

    from bot.cli import register_subcommands

    register_subcommands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.config = getattr(args, "config", None)
    args.log_level = getattr(args, "log_level", "INFO")
    args.bot = getattr(args, "bot", None)
    if args.config is not None and not args.config.strip():
        parser.error("--config needs a path")
    setup_logging(args.log_level)
    try:
        result: int = args.func(args)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SchemaTooNew as exc:  # a backup from a newer version restored
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # a database that is not one, or locked for good
        print(f"error: database: {exc}", file=sys.stderr)
        return 1
    except DatabaseErrors as exc:  # PostgreSQL: refused, unreachable, no such database
        print(f"error: database: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be made, a port in use, a full disk
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
