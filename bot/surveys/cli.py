"""``python -m bot export``: the scores and answers of an event or a programme as files.

Writes ``<stem>.xlsx`` (summary, response rates, one row per answer), ``<stem>-answers.csv``
and ``<stem>-summary.csv`` into ``--out``; the same files /export sends in chat.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli import cli_text
from bot.clock import SystemClock
from bot.config import LANGUAGES, Settings
from bot.i18n import Translator
from bot.services import Services
from bot.storage import storage_for
from bot.surveys.export import export_events


def add_export_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.add_parser("export", help="write questionnaire scores and answers as XLSX and CSV")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--event", help="event id (as in /events) or slug (as in its file)")
    target.add_argument("--programme", type=int, help="programme id (as in /scores)")
    export.add_argument("--out", default="exports", help="folder for the files")
    export.add_argument("--lang", choices=LANGUAGES, help="language of the column names")
    export.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.tenancy import cli_settings  # --bot KEY when the deployment has several

    settings = cli_settings(args)
    return asyncio.run(
        export_to_files(
            settings,
            event_ref=args.event,
            programme_id=args.programme,
            out=Path(args.out),
            lang=args.lang or settings.default_language,
        )
    )


async def export_to_files(
    settings: Settings,
    *,
    event_ref: str | int | None,
    programme_id: int | None,
    out: Path,
    lang: str,
) -> int:
    storage = storage_for(settings)
    await storage.open()
    try:
        services = Services(settings, storage, Translator(settings.default_language), SystemClock())
        programme_title: str | None = None
        if event_ref is not None:
            ref = str(event_ref).strip().lstrip("#")
            event = await (
                storage.events.get_event(int(ref))
                if ref.isdigit()
                else storage.events.get_event_by_slug(ref)
            )
            events = [] if event is None else [event]
            stem = f"scores-event-{event.id if event is not None else ref}"
        else:
            programmes = {p.id: p.title for p in await storage.events.list_programmes()}
            programme_title = programmes.get(programme_id or 0)
            events = await storage.events.list_programme_events(programme_id or 0)
            stem = f"scores-programme-{programme_id}"
        if not events:
            what = f"event {event_ref}" if event_ref is not None else f"programme {programme_id}"
            print(f"error: no {what} in {settings.database.path}", file=sys.stderr)
            return 1
        result = await export_events(services, events, lang=lang, programme_title=programme_title)
    finally:
        await storage.close()
    out.mkdir(parents=True, exist_ok=True)
    files = {
        out / f"{stem}.xlsx": result.xlsx,
        out / f"{stem}-answers.csv": result.answers_csv,
        out / f"{stem}-summary.csv": result.summary_csv,
    }
    for path, content in files.items():
        path.write_bytes(content)
        print(path)
    print(cli_text("cli-export-done", answers=result.rows, events=len(events)))
    return 0
