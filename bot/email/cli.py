"""Command line of the e-mail invitations::

    python -m bot invite email --event ID|SLUG [--segment not-opened|all|organisation=NAME]
                               [--reminder [--at "YYYY-MM-DD HH:MM"]] [--dry-run]
    python -m bot email bounces FILE...
    python -m bot email report --event ID|SLUG

``invite email`` queues the e-mails in the outbox; the running bot sends them (and queues
a reminder planned with ``--at`` when its moment comes).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import SystemClock
from bot.config import EmailSettings, Settings, SettingsError
from bot.email import bounces
from bot.email import invitations as service
from bot.email.compose import plain
from bot.i18n import Translator
from bot.models import EmailKind, EmailRecipient, EmailSegment, Event
from bot.services import Services
from bot.storage import storage_for


def register_cli(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    invite = sub.add_parser("invite", help="send invitations").add_subparsers(
        dest="invite_command", required=True, metavar="COMMAND"
    )
    by_email = invite.add_parser(
        "email", help="e-mail each invited person with an address their personal link"
    )
    by_email.add_argument("--event", required=True, help="event id or slug")
    by_email.add_argument(
        "--segment",
        default="not-opened",
        help="not-opened (default: people who have not opened the bot yet), all, or "
        "organisation=NAME",
    )
    by_email.add_argument(
        "--reminder", action="store_true",
        help="a reminder: only to people who have neither opened their link nor answered",
    )  # fmt: skip
    by_email.add_argument(
        "--at", help='with --reminder: when, in the event\'s time zone ("2027-03-04 09:00")'
    )
    by_email.add_argument(
        "--dry-run", action="store_true", help="count and show the e-mail, queue nothing"
    )
    by_email.set_defaults(func=_cmd_invite)

    email = sub.add_parser("email", help="e-mail: delivery reports, the report").add_subparsers(
        dest="email_command", required=True, metavar="COMMAND"
    )
    bounced = email.add_parser(
        "bounces", help="read delivery reports (.eml files or an mbox): mark failed addresses"
    )
    bounced.add_argument("files", nargs="+", metavar="FILE")
    bounced.set_defaults(func=_cmd_bounces)
    report = email.add_parser("report", help="the e-mails sent about an event, per organisation")
    report.add_argument("--event", required=True, help="event id or slug")
    report.set_defaults(func=_cmd_report)


def _settings(args: argparse.Namespace) -> Settings:
    from bot.config import load_settings

    return load_settings(Path(args.config) if getattr(args, "config", None) else None)


def parse_segment(text: str, event_id: int) -> EmailSegment:
    if text == "not-opened":
        return EmailSegment(event_id, not_opened=True)
    if text == "all":
        return EmailSegment(event_id)
    if text.startswith("organisation="):
        name = text.partition("=")[2].strip()
        if name:
            return EmailSegment(event_id, organisations=(name,))
    raise SettingsError(f"--segment {text!r}: use not-opened, all or organisation=NAME")


async def _services(settings: Settings, *, need_username: bool = True) -> Services:
    from bot.cli import bot_username

    username = (
        await bot_username(settings) if need_username else settings.telegram.username or "bot"
    )
    storage = storage_for(settings)
    await storage.open()
    return Services(
        settings=settings, db=storage, translator=Translator(settings.default_language),
        clock=SystemClock(), bot_username=username,
    )  # fmt: skip


async def _event(services: Services, ref: str) -> Event | None:
    text = ref.lstrip("#")
    if text.isdigit():
        return await services.db.events.get_event(int(text))
    return await services.db.events.get_event_by_slug(ref)


def _when(text: str, zone: str) -> datetime:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text.strip()):
        raise SettingsError(f'--at {text!r}: write it like "2027-03-04 09:00"')
    return datetime.fromisoformat(text.strip()).replace(tzinfo=ZoneInfo(zone))


async def invite_email(
    settings: Settings,
    event_ref: str,
    segment_text: str,
    *,
    reminder: bool = False,
    at: str | None = None,
    dry_run: bool = False,
) -> int:
    if settings.email is None and not dry_run:
        raise SettingsError("e-mail is off: add an [email] table to the settings (docs/email.md)")
    if at is not None and not reminder:
        raise SettingsError("--at plans a reminder: add --reminder")
    if settings.email is None:  # a dry run shows what would go, with the defaults
        settings = settings.model_copy(update={"email": EmailSettings()})
    services = await _services(settings)
    try:
        event = await _event(services, event_ref)
        if event is None:
            print(f"error: there is no event {event_ref}", file=sys.stderr)
            return 1
        segment = parse_segment(segment_text, event.id)
        kind = EmailKind.REMINDER if reminder else EmailKind.INVITATION
        counted = EmailSegment(event.id, True, segment.organisations) if reminder else segment
        count, skipped = await service.count_recipients(services, counted)
        send_at = _when(at, event.timezone) if at else None
        if dry_run:
            print(f"{count} e-mails would be queued about event #{event.id} ({event.title}); "
                  f"{skipped} people left out (unsubscribed or undeliverable)")  # fmt: skip
            _show_sample(services, kind, event)
            print("nothing was queued (--dry-run)")
            return 0
        queued = await service.queue_campaign(
            services, segment, kind, created_by=None, send_at=send_at
        )
    finally:
        await services.db.close()
    if queued.scheduled_for is not None:
        print(f"reminder planned for {at} (campaign #{queued.campaign_id}): the running bot "
              f"queues it then for those who have not opened their link")  # fmt: skip
        return 0
    print(f"queued {queued.queued} e-mails (campaign #{queued.campaign_id}); "
          f"{queued.skipped} left out; the running bot sends them")  # fmt: skip
    return 0


def _show_sample(services: Services, kind: EmailKind, event: Event) -> None:
    from bot.email.compose import compose, to_bytes

    lang = services.settings.default_language
    person = EmailRecipient(0, "Vardenis Pavardenis", None, "name@example.org", lang, "x" * 12,
                            False)  # fmt: skip
    letter = service.letter_for(services, kind, event, person, lang, "0.dry-run")
    message = compose(services.translator, service.email_sender(services), letter,
                      now=services.clock.now())  # fmt: skip
    print(f"Subject: {message['Subject']}")
    print(service.preview_text(to_bytes(message)))


async def read_bounces(settings: Settings, paths: list[Path]) -> int:
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    services = await _services(settings, need_username=False)
    try:
        return await bounce_files(services, paths)
    finally:
        await services.db.close()


async def bounce_files(services: Services, paths: list[Path]) -> int:
    """Read the delivery reports in ``paths``, mark the failed addresses, print a summary."""
    found = bounces.scan(paths)
    for problem in found.unreadable:
        print(f"error: {problem}", file=sys.stderr)
    known = await service.mark_bounced(services, found.failed)
    print(f"{found.files} files, {found.messages} messages, {found.reports} delivery reports")
    print(f"{len(found.failed)} addresses undeliverable ({known} of them were written to): "
          f"no more e-mail goes to them")  # fmt: skip
    for address in found.failed:
        print(f"  {address}")
    return 1 if found.unreadable else 0


async def print_report(settings: Settings, event_ref: str) -> int:
    services = await _services(settings, need_username=False)
    try:
        event = await _event(services, event_ref)
        if event is None:
            print(f"error: there is no event {event_ref}", file=sys.stderr)
            return 1
        message = await service.report(services, "en", event)
    finally:
        await services.db.close()
    print(plain(message.text))
    return 0


def _cmd_invite(args: argparse.Namespace) -> int:
    return asyncio.run(
        invite_email(
            _settings(args),
            args.event,
            args.segment,
            reminder=args.reminder,
            at=args.at,
            dry_run=args.dry_run,
        )
    )


def _cmd_bounces(args: argparse.Namespace) -> int:
    return asyncio.run(read_bounces(_settings(args), [Path(f) for f in args.files]))


def _cmd_report(args: argparse.Namespace) -> int:
    return asyncio.run(print_report(_settings(args), args.event))
