"""One campaign to N recipients through the real bot process, against the emulator in
another process enforcing Telegram's limits (default 30 messages/s, 1/s per chat).

    python bench/broadcast.py                      # 2,000 recipients at 30/s
    python bench/broadcast.py --crash              # SIGKILL the bot mid-campaign, restart it
    python bench/broadcast.py --recipients 20000 --limit 1000   # memory at a fast limit
    python bench/broadcast.py --cpu-hog            # another process spins on a core meanwhile

What happens: the emulator runs as ``python -m bot.emulator``; the bot as
``python -m bot --config <tmp>/config.toml run``. N users open the invitation (``/start
e_<code>``, through the bot, before any limit is set); then the limits are switched on and
the organiser goes through /broadcast (event -> everyone invited -> the invitation -> send),
pressing buttons like a person. Deliveries are counted at the emulator: a chat that got the
card twice is a duplicate, a chat that never got it is lost. With --crash the bot process is
killed with SIGKILL when 40% are delivered and started again. With --cpu-hog another
process spins on a core for the whole campaign (a busy neighbour: the bot's process is
descheduled now and then): the sender must still never burst to catch up after a stall.

Last line: {"recipients", "delivered", "lost", "duplicates", "rate_per_s", "limit_per_s",
"rate_fraction", "http_429", ...} plus the duplicate bound the bot recorded, the bot's peak
RSS during the campaign, whether it crashed and whether a CPU hog ran.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "event.toml"
ORGANISER = 1000
FIRST_USER = 100_000
TOKEN = "123456:BENCH-TOKEN"
USERNAME = "kvietimas_bench_bot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Control:
    """The emulator's JSON control API."""

    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, path: str, data: dict[str, Any] | None = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def last(self, chat_id: int, n: int = 3) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call(f"/chat?chat_id={chat_id}&last={n}")
        return result


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise TimeoutError(f"timed out waiting for {what}")


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def prepare_database(db: Path) -> tuple[int, str]:
    """The example event, created through the same code as ``python -m bot events import``."""
    from bot.clock import SystemClock
    from bot.events import import_event
    from bot.storage import Storage

    async def run() -> tuple[int, str]:
        storage = Storage(db)
        await storage.open()
        try:
            event, _ = await import_event(
                storage, EXAMPLE.read_text(encoding="utf-8"), default_zone="Europe/Vilnius",
                now=SystemClock().now(),
            )  # fmt: skip
            return event.id, event.invite_code
        finally:
            await storage.close()

    return asyncio.run(run())


def invited_count(db: Path, event_id: int) -> int:
    import sqlite3

    with sqlite3.connect(db) as con:
        row = con.execute("SELECT COUNT(*) FROM invitations WHERE event_id = ?", (event_id,))
        return int(row.fetchone()[0])


def campaign_figures(db: Path) -> dict[str, Any]:
    import sqlite3

    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT id, status, possible_duplicates FROM campaigns ORDER BY id DESC LIMIT 1"
        ).fetchone()
        statuses = dict(
            con.execute(
                "SELECT status, COUNT(*) FROM outbox WHERE campaign_id = ? GROUP BY status",
                (row[0],),
            ).fetchall()
        )
    return {"campaign_status": row[1], "possible_duplicates": row[2], "outbox": statuses}


class Bench:
    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args = args
        self.folder = folder
        self.db = folder / "bench.sqlite3"
        self.api_port, self.control_port = free_port(), free_port()
        self.control = Control(f"http://127.0.0.1:{self.control_port}")
        self.emulator: subprocess.Popen[bytes] | None = None
        self.bot: subprocess.Popen[bytes] | None = None
        self.hog: subprocess.Popen[bytes] | None = None
        self.bot_log = (folder / "bot.log").open("ab")

    def start_emulator(self) -> None:
        self.emulator = subprocess.Popen(
            [sys.executable, "-m", "bot.emulator", "--port", str(self.api_port),
             "--control-port", str(self.control_port), "--token", TOKEN,
             "--username", USERNAME],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(self.folder / "emulator.log").open("wb"),
        )  # fmt: skip
        wait_for("the emulator", self._healthy, 20)

    def _healthy(self) -> bool:
        try:
            return bool(self.control.call("/health")["ok"])
        except (urllib.error.URLError, ConnectionError):
            return False

    def write_config(self) -> Path:
        base = f"http://127.0.0.1:{self.api_port}"
        config = self.folder / "config.toml"
        config.write_text(
            f"""organisers = [{ORGANISER}]
[telegram]
token = "{TOKEN}"
base_url = "{base}/bot"
base_file_url = "{base}/file/bot"
username = "{USERNAME}"
[database]
path = "{self.db}"
[broadcast]
rate_per_second = {self.args.rate or self.args.limit}
per_chat_interval_s = 1.0
progress_interval_s = 3.0
{"" if self.args.headroom is None else f"headroom = {self.args.headroom}"}
""",
            encoding="utf-8",
        )
        return config

    def start_bot(self, config: Path) -> None:
        before = self.control.call("/stats").get("get_updates_calls", 0)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "--log-level", "WARNING", "run"],
            cwd=self.folder, stdout=self.bot_log, stderr=self.bot_log, env=env,
        )  # fmt: skip
        wait_for(
            "the bot to poll",
            lambda: self.control.call("/stats").get("get_updates_calls", 0) > before,
            60,
        )

    def start_hog(self) -> None:
        """Another process spinning on a core (pure Python, no I/O) until stopped."""
        self.hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])

    def stop_hog(self) -> None:
        if self.hog is not None and self.hog.poll() is None:
            self.hog.kill()
            self.hog.wait()

    def stop(self) -> None:
        self.stop_hog()
        for proc in (self.bot, self.emulator):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.bot_log.close()

    def press(self, label_start: str, timeout: float = 60) -> None:
        def find() -> str | None:
            for message in reversed(self.control.last(ORGANISER, 3)):
                for label in message["buttons"]:
                    if label.startswith(label_start):
                        return str(label)
            return None

        label = wait_for(f"a button {label_start!r}", find, timeout)
        time.sleep(1.0)  # a person reads before pressing
        self.control.call("/press", {"user_id": ORGANISER, "label": label})

    def run(self) -> dict[str, Any]:
        args, n = self.args, self.args.recipients
        event_id, code = prepare_database(self.db)
        self.start_emulator()
        config = self.write_config()
        self.start_bot(config)

        # N people open the invitation (no limits yet: this is not what is measured).
        started = time.monotonic()
        opening = {"first_id": FIRST_USER, "count": n, "text": f"/start e_{code}",
                   "languages": ["lt", "en", "uk"]}  # fmt: skip
        self.control.call("/users", opening)
        wait_for(
            "the invitations to be opened",
            lambda: self.control.call("/stats").get("sent_messages", 0) >= 2 * n
            and self.control.call("/stats")["pending_updates"] == 0,
            600, every=0.5,
        )  # fmt: skip
        # Nobody is stored before agreeing to the data notice: everyone presses "I agree",
        # which records them with the invitation.
        agree = [{"user_id": FIRST_USER + i, "data": f"v1:consent:{event_id}"} for i in range(n)]
        self.control.call("/press_many", {"presses": agree})
        wait_for("everyone to agree", lambda: invited_count(self.db, event_id) >= n, 600, 0.5)
        setup_s = time.monotonic() - started
        # A fresh bot process for the campaign, so its memory is the campaign's, not what
        # handling N /start updates left behind.
        assert self.bot is not None
        self.bot.send_signal(signal.SIGTERM)
        self.bot.wait(30)
        self.start_bot(config)
        self.control.call("/reset", {})
        self.control.call(
            # 1/s per chat with short bursts, as Telegram: a preview is two messages at once.
            "/limits",
            {"global_limit_per_s": args.limit, "per_chat_limit_per_s": 1.0, "per_chat_burst": 3},
        )

        # The organiser's flow, as a person presses it.
        self.control.call("/send", {"user_id": ORGANISER, "text": f"/broadcast {event_id}"})
        self.press("👥 Everyone invited")
        self.press("📨 The invitation")
        if args.cpu_hog:
            self.start_hog()
        self.press("✅ Send to")
        marker = f"v1:r:{event_id}:y"
        peak_kb, crashed = 0, False
        assert self.bot is not None
        # Generous: at a fast limit the bot is CPU-bound (a few hundred per second here).
        deadline = time.monotonic() + max(300, 5 * n / args.limit, n / 50)
        last_progress = (time.monotonic(), -1)
        while time.monotonic() < deadline:
            got = self.control.call(f"/deliveries?contains={marker}")
            peak_kb = max(peak_kb, rss_kb(self.bot.pid))
            if args.crash and not crashed and got["chats"] >= 0.4 * n:
                self.bot.send_signal(signal.SIGKILL)
                self.bot.wait()
                crashed = True
                print(f"killed the bot at {got['chats']} delivered; restarting", flush=True)
                self.start_bot(config)
                continue
            if got["chats"] >= n and self._reported():
                break
            if got["messages"] != last_progress[1]:
                last_progress = (time.monotonic(), got["messages"])
            elif time.monotonic() - last_progress[0] > 30:
                print("no progress for 30 s; giving up", flush=True)
                break
            time.sleep(0.25)
        self.stop_hog()
        got = self.control.call(f"/deliveries?contains={marker}")
        peak_kb = max(peak_kb, rss_kb(self.bot.pid))
        hwm_kb = rss_kb(self.bot.pid, "VmHWM")
        figures = campaign_figures(self.db)
        for method, chat, at in got["limited"]:
            since = at - (got["first"] or at)
            print(f"429: {method} to chat {chat}, {since:.1f} s into the campaign", flush=True)
        span = (got["last"] or 0) - (got["first"] or 0)
        if crashed:
            span -= got["max_gap"]  # the restart is not sending time
        rate = (got["messages"] - 1) / span if span > 0 else 0.0
        return {
            "recipients": n,
            "delivered": got["chats"],
            "lost": n - got["chats"],
            "duplicates": got["duplicates"],
            "rate_per_s": round(rate, 2),
            "limit_per_s": args.limit,
            "rate_fraction": round(rate / args.limit, 3),
            "http_429": got["http_429"],
            "tightest_31_s": None if got["tightest_31"] is None else round(got["tightest_31"], 4),
            "crashed": crashed,
            "cpu_hog": args.cpu_hog,
            "possible_duplicates_recorded": figures["possible_duplicates"],
            "campaign_status": figures["campaign_status"],
            "outbox": figures["outbox"],
            "restart_gap_s": round(got["max_gap"], 2) if crashed else None,
            "peak_rss_mb_campaign": round(peak_kb / 1024, 1),
            "peak_rss_mb_process": round(hwm_kb / 1024, 1),
            "setup_s": round(setup_s, 1),
        }

    def _reported(self) -> bool:
        return any("is finished" in str(m["text"]) for m in self.control.last(ORGANISER, 3))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--limit", type=float, default=30.0, help="the emulator's messages/s")
    parser.add_argument(
        "--rate", type=float, default=None, help="the bot's rate_per_second (default: the limit)"
    )
    parser.add_argument("--headroom", type=float, default=None, help="broadcast.headroom")
    parser.add_argument("--crash", action="store_true", help="SIGKILL the bot mid-campaign")
    parser.add_argument(
        "--cpu-hog", action="store_true", help="another process spins on a core meanwhile"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    bench = Bench(args, folder)
    try:
        result = bench.run()
    finally:
        bench.stop()
        if not args.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"files kept in {folder}", flush=True)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
