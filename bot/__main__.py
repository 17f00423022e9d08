"""Command line: ``python -m bot run | demo | events import FILE | ...``.

Exit codes: 0 success, 1 the work failed, 2 bad settings or arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings

log = logging.getLogger("bot")

# Other features add their subcommands here: name -> (configure parser, run).
Subcommand = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]


def setup_logging(level: str = "INFO") -> None:
    # One JSON line per event, tokens and e-mails masked (BOT_LOG_FORMAT=text for humans).
    from bot.logging_setup import setup_logging as structured_logging

    structured_logging(level)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config) if args.config else None)


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.telegram.token is None:
        raise SettingsError(
            "telegram.token (BOT_TELEGRAM__TOKEN) is not set: get a token from @BotFather"
        )
    if not settings.organisers:
        log.warning("no organisers configured (BOT_ORGANISERS): organiser commands are refused")
    from bot.app import ALLOWED_UPDATES, build_application

    app = build_application(settings)
    if settings.telegram.webhook_url:
        from bot.webhook import run_webhook

        secret = settings.telegram.webhook_secret
        run_webhook(  # our own server: secret and body size checked first (bot/webhook.py)
            app,
            url=settings.telegram.webhook_url,
            secret=secret.get_secret_value() if secret is not None else None,
            listen=settings.telegram.webhook_listen,
            port=settings.telegram.webhook_port,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        app.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(Path(args.output), participants=args.participants))


def cmd_events_import(args: argparse.Namespace) -> int:
    from bot.cli import import_event_file

    return asyncio.run(import_event_file(_settings(args), Path(args.file)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Kvietimas training-event bot"
    )
    parser.add_argument("--config", help="settings file (default: config.toml if present)")
    parser.add_argument("--log-level", default="INFO")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (polling, or webhook when configured)")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="the whole flow on the built-in emulator, no token")
    demo.add_argument("--output", default="demo-output", help="folder for the demo's files")
    demo.add_argument("--participants", type=int, default=30)
    demo.set_defaults(func=cmd_demo)

    events = sub.add_parser("events", help="manage events").add_subparsers(
        dest="events_command", required=True
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
    setup_logging(args.log_level)
    if "--config" in (argv or sys.argv) and args.config is None:
        parser.error("--config needs a path")
    try:
        result: int = args.func(args)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
