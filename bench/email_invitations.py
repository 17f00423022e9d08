"""5,000 e-mail invitations through the e-mail outbox to the local SMTP server.

    python bench/email_invitations.py          # 5,000 e-mails at rate_per_minute 3000
    python bench/email_invitations.py --rate 600 --recipients 1000
    python bench/email_invitations.py --crash  # SIGKILL the sender at 40%, start it again

What happens: the local SMTP server runs as ``python -m bot.email.devserver`` (its own
process, writing each e-mail to a folder as .eml); the invitations (plain text and HTML,
a QR PNG of a personal link and an .ics file, a few KB each, as the invitations build
them) are queued in a fresh database through ``db.email_outbox.enqueue``; then a sender
process (this script with ``--send``: the bot's :class:`bot.email.sender.EmailSender` on
the real clock, ``[email]`` pointing at the server) drains the outbox at ``--rate``. With
--crash the sender is killed with SIGKILL when 40% are delivered and started again.

Deliveries are counted from the server's folder by each message's X-Bench-Key: a key never
seen is lost, a key seen twice a duplicate. The rate is measured between the first and the
last delivery (file times), the restart included with --crash.

Last line: {"recipients", "delivered", "lost", "duplicates", "rate_per_min",
"limit_per_min", "rate_fraction", ...} plus the duplicate bound the outbox recorded
("possible_duplicates"), the statuses, and whether the sender was killed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from bot.config import explicit_settings
from bot.email.sender import EmailSender
from bot.i18n import Translator
from bot.models import EmailItem
from bot.qr import qr_png
from bot.services import Services
from bot.storage import Storage

ROOT = Path(__file__).resolve().parent.parent

FROM = "mokymai@kvietimas.lt"
CAMPAIGN = 1
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kvietimas//Bench//LT\r\nBEGIN:VEVENT\r\n"
    "UID:event-1@kvietimas_bench_bot.kvietimas\r\nDTSTAMP:20270301T070000Z\r\n"
    "DTSTART:20270309T080000Z\r\nDTEND:20270309T140000Z\r\n"
    "SUMMARY:Socialinių paslaugų kokybė savivaldybėse\r\n"
    "LOCATION:Akmenės rajono savivaldybė\\, Vasario 16-osios g. 4\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def invitation(index: int, qr: bytes) -> EmailItem:
    address = f"dalyvis{index}@savivaldybe.lt"
    link = f"https://t.me/kvietimas_bench_bot?start=p_{index:08d}"
    m = EmailMessage(policy=SMTP)
    m["From"] = f"Mokymų koordinatorius <{FROM}>"
    m["To"] = f"Dalyvis {index} <{address}>"
    m["Subject"] = "Kvietimas: Socialinių paslaugų kokybė savivaldybėse, 2027-03-09"
    m["Date"] = format_datetime(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    m["Message-ID"] = make_msgid(domain="kvietimas.lt")
    m["X-Bench-Key"] = f"k{index}"
    m["List-Unsubscribe"] = f"<https://kvietimas.lt/email/u/{index:08d}>"
    m["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = (
        f"Sveiki,\n\nkviečiame į mokymus „Socialinių paslaugų kokybė savivaldybėse“.\n"
        f"Kada: 2027-03-09 10:00-16:00\nKur: Akmenės rajono savivaldybė, Vasario 16-osios g. 4\n\n"
        f"Atsakykite Telegram: {link}\n\nDarbotvarkė:\n10:00 Įžanga\n11:00 Paslaugų kokybė\n"
        "13:00 Pietūs\n14:00 Praktiniai atvejai\n\nMokymų koordinatorius\n"
    )
    m.set_content(text, charset="utf-8")
    m.add_alternative(
        f"<html><body><p>Sveiki,</p><p>kviečiame į mokymus <b>„Socialinių paslaugų kokybė "
        f"savivaldybėse“</b>.</p><p><a href='{link}'>Atsakyti Telegram</a></p>"
        "<p><img src='cid:qr' alt='QR'></p></body></html>",
        subtype="html",
        charset="utf-8",
    )
    html = m.get_body(preferencelist=("html",))
    assert html is not None
    html.add_related(qr, maintype="image", subtype="png", cid="<qr>")
    m.add_attachment(
        ICS.encode("utf-8"), maintype="text", subtype="calendar", filename="kvietimas.ics"
    )
    return EmailItem(address, None, f"bench-{index}", m.as_bytes())


async def seed(db_path: Path, recipients: int) -> float:
    """Queue the invitations; returns the mean message size in bytes."""
    storage = Storage(db_path)
    await storage.open()
    qr = qr_png("https://t.me/kvietimas_bench_bot?start=p_00000000", scale=4)
    now = datetime.now(UTC)
    size = 0
    try:
        for start in range(0, recipients, 500):
            batch = [invitation(i, qr) for i in range(start, min(start + 500, recipients))]
            size += sum(len(i.message) for i in batch)
            await storage.email_outbox.enqueue(batch, campaign_id=CAMPAIGN, not_before=now, now=now)
    finally:
        await storage.close()
    return size / max(recipients, 1)


# -- the sender process -------------------------------------------------------------------------


async def send(db_path: Path, port: int, rate: float) -> None:
    """The sender alone (``--send``): drain the outbox, then stop."""
    settings = explicit_settings(
        database={"path": str(db_path)},
        email={"host": "127.0.0.1", "port": port, "rate_per_minute": rate, "from_address": FROM},
    )
    storage = Storage(db_path)
    await storage.open()
    services = Services(settings, storage, Translator("lt"), SystemClock())
    sender = EmailSender(services)
    await sender.start()
    try:
        while await storage.email_outbox.emails_unfinished():
            with contextlib.suppress(TimeoutError):
                await sender.wait_idle(timeout=5)
    finally:
        await sender.stop()
        await storage.close()
    print(json.dumps({"sender": sender.stats.__dict__}), flush=True)


# -- the bench --------------------------------------------------------------------------------


def delivered_keys(folder: Path) -> tuple[Counter[str], list[float]]:
    keys: Counter[str] = Counter()
    times: list[float] = []
    for path in folder.glob("*.eml"):
        head = path.read_bytes()[:4096]
        for line in head.split(b"\r\n"):
            if line.startswith(b"X-Bench-Key: "):
                keys[line[13:].decode()] += 1
                break
        times.append(path.stat().st_mtime)
    return keys, sorted(times)


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    mail, db_path, port = folder / "mail", folder / "bench.sqlite3", free_port()
    started = time.monotonic()
    size = asyncio.run(seed(db_path, args.recipients))
    setup_s = time.monotonic() - started
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.email.devserver", "--folder", str(mail), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    crashed = False
    try:
        assert server.stdout is not None
        server.stdout.readline()  # listening
        command = [sys.executable, str(Path(__file__).resolve()), "--send", str(db_path),
                   "--port", str(port), "--rate", str(args.rate)]  # fmt: skip
        sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
        if args.crash:
            while sender.poll() is None and len(list(mail.glob("*.eml"))) < args.recipients * 0.4:
                time.sleep(0.2)
            sender.send_signal(signal.SIGKILL)
            sender.wait()
            crashed = True
            sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
        out, _ = sender.communicate(timeout=args.recipients / args.rate * 60 * 3 + 120)
        stats = json.loads(out.decode().strip().splitlines()[-1]) if out.strip() else {}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    keys, times = delivered_keys(mail)
    expected = {f"k{i}" for i in range(args.recipients)}
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span * 60 if span > 0 else 0.0
    with __import__("sqlite3").connect(db_path) as db:
        statuses = dict(db.execute("SELECT status, COUNT(*) FROM email_outbox GROUP BY status"))
        possible = db.execute("SELECT SUM(possible_duplicates) FROM email_outbox").fetchone()[0]
    return {
        "recipients": args.recipients,
        "delivered": len(set(keys) & expected),
        "lost": len(expected - set(keys)),
        "duplicates": sum(keys.values()) - len(keys),
        "rate_per_min": round(rate, 1),
        "limit_per_min": args.rate,
        "rate_fraction": round(rate / args.rate, 3),
        "possible_duplicates": int(possible or 0),
        "statuses": statuses,
        "crashed": crashed,
        "message_kb": round(size / 1024, 1),
        "send_s": round(span, 1),
        "setup_s": round(setup_s, 1),
        "sender": stats.get("sender", {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=3000.0, help="[email] rate_per_minute")
    parser.add_argument("--crash", action="store_true", help="SIGKILL the sender at 40%%")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--send", type=Path, help=argparse.SUPPRESS)  # the sender process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.send is not None:
        asyncio.run(send(args.send, args.port, args.rate))
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-email-"))
    try:
        result = run(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"files kept in {folder}", flush=True)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
