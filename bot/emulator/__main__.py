"""The emulator as a server of its own: ``python -m bot.emulator --port 8081``.

A real bot process (``python -m bot run`` with ``telegram.base_url`` pointed here) talks to
the Bot API port; a benchmark or a person drives the "users" through a small JSON control
API on ``--control-port`` (default: the API port + 1):

``GET  /health``                      the API's base URLs
``POST /limits``                      {"global_limit_per_s", "per_chat_limit_per_s", bursts}
``POST /users``                       {"first_id", "count", "text", "languages"}: each sends text
``POST /send``                        {"user_id", "text"}
``POST /press``                       {"user_id", "label" or "data", "chat_id", "message_id"}
``POST /press_many``                  {"presses": [{"user_id", "data"}, ...]}
``GET  /chat?chat_id=&last=``         the bot's last messages in a chat (text, buttons)
``GET  /stats``                       counters, pending updates, getUpdates calls
``POST /reset``                       forget recorded calls and counters (chats stay)
``GET  /deliveries?contains=``        successful sendMessage calls whose text or buttons
                                      contain the marker: per-chat counts and timing

Several bots: ``--bot TOKEN=USERNAME`` (repeatable) serves more tokens on the same port, each
with its own users, chats, updates and rate limits. Every control call then names its bot
with ``"bot"`` in the JSON body or ``?bot=`` in the query (a token or a username; default:
the ``--token`` bot); ``/limits`` and ``/reset`` apply to every bot, ``/health`` lists them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import signal
import time
from collections import Counter, deque
from typing import Any

from aiohttp import web

from ._core import Emulator, _Window, _window


def set_limits(
    emu: Emulator,
    *,
    global_limit_per_s: float | None,
    per_chat_limit_per_s: float | None,
    global_burst: int | None = None,
    per_chat_burst: int | None = None,
) -> None:
    """Change the enforced limits of a running emulator, for each of its bots (each token
    counted on its own, as Telegram does; windows start empty)."""
    for bot in emu.bots:
        gw = _window(global_limit_per_s, global_burst)
        bot._global_window = _Window(*gw) if gw else None
        if bot._paid_window is None and gw is not None:
            bot._paid_window = _Window(*_window(1000.0, None))  # type: ignore[misc]
        bot._chat_window_cfg = _window(per_chat_limit_per_s, per_chat_burst)
        bot._chat_windows = {}
        bot._limits.update(
            global_limit_per_s=global_limit_per_s,
            per_chat_limit_per_s=per_chat_limit_per_s,
            global_burst=global_burst,
            per_chat_burst=per_chat_burst,
        )


class Deliveries:
    """Counts successful sendMessage calls carrying a marker, reading new calls only."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.marker = ""
        self._reset()

    def _reset(self) -> None:
        self._calls: list[Any] | None = None
        self._position = 0
        self.per_chat: Counter[int | str] = Counter()
        self.first: float | None = None
        self.last: float | None = None
        self.max_gap = 0.0
        # The shortest time in which 31 of them arrived (a 30/s window holds 30).
        self.recent: deque[float] = deque(maxlen=31)
        self.tightest: float | None = None
        self.limited: list[tuple[str, int | str | None, float]] = []  # 429s: method, chat, time

    def scan(self, marker: str) -> dict[str, Any]:
        if marker != self.marker or self._calls is not self.emu.calls:
            self.marker = marker
            self._reset()
            self._calls = self.emu.calls
        calls = self.emu.calls
        now = time.monotonic()
        while self._position < len(calls):
            call = calls[self._position]
            if call.status == 0 and now - call.time < 10:
                break  # still being answered
            self._position += 1
            if call.status == 429 and len(self.limited) < 20:
                self.limited.append((call.method, call.chat_id, call.time))
            if call.method != "sendMessage" or call.status != 200 or call.chat_id is None:
                continue
            text = str(call.params.get("text", ""))
            markup = call.params.get("reply_markup")
            if marker in text or (markup is not None and marker in json.dumps(markup)):
                self.per_chat[call.chat_id] += 1
                if self.last is not None:
                    self.max_gap = max(self.max_gap, call.time - self.last)
                self.first = call.time if self.first is None else self.first
                self.last = call.time
                self.recent.append(call.time)
                if len(self.recent) == self.recent.maxlen:
                    span = self.recent[-1] - self.recent[0]
                    self.tightest = span if self.tightest is None else min(self.tightest, span)
        messages = sum(self.per_chat.values())
        return {
            "chats": len(self.per_chat),
            "messages": messages,
            "duplicates": messages - len(self.per_chat),
            "first": self.first,
            "last": self.last,
            "max_gap": self.max_gap,
            "tightest_31": self.tightest,
            "limited": self.limited,
        }


def control_app(host: Emulator) -> web.Application:
    deliveries: dict[str, Deliveries] = {}

    def pick(request: web.Request, data: dict[str, Any] | None = None) -> Emulator:
        """The bot a control call names (``bot``: token or username), default the host."""
        wanted = (data or {}).get("bot") or request.query.get("bot")
        if not wanted:
            return host
        for bot in host.bots:
            if wanted in (bot.token, bot.bot_username):
                return bot
        raise web.HTTPNotFound(text=f"no bot {wanted!r} on this emulator")

    async def body(request: web.Request) -> dict[str, Any]:
        data = await request.json() if request.can_read_body else {}
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="a JSON object is expected")
        return data

    async def health(request: web.Request) -> web.Response:
        bots = [{"token": b.token, "username": b.bot_username} for b in host.bots]
        return web.json_response(
            {"ok": True, "base_url": host.base_url, "token": host.token, "bots": bots}
        )

    async def limits(request: web.Request) -> web.Response:
        data = await body(request)
        set_limits(
            host,
            global_limit_per_s=data.get("global_limit_per_s"),
            per_chat_limit_per_s=data.get("per_chat_limit_per_s"),
            global_burst=data.get("global_burst"),
            per_chat_burst=data.get("per_chat_burst"),
        )
        return web.json_response({"ok": True})

    async def users(request: web.Request) -> web.Response:
        data = await body(request)
        emu = pick(request, data)
        first, count = int(data["first_id"]), int(data["count"])
        languages = data.get("languages") or ["en"]
        last = 0
        for n in range(count):
            user = emu.user(first + n, f"U{n}", language_code=languages[n % len(languages)])
            last = await user.send(str(data["text"]))
        return web.json_response({"last_update_id": last})

    async def send(request: web.Request) -> web.Response:
        data = await body(request)
        emu = pick(request, data)
        user = emu.user(int(data["user_id"]), str(data.get("name", "User")),
                        language_code=data.get("language", "en"))  # fmt: skip
        return web.json_response({"update_id": await user.send(str(data["text"]))})

    async def press(request: web.Request) -> web.Response:
        data = await body(request)
        emu = pick(request, data)
        user = emu._users[int(data["user_id"])]
        chat_id, message_id = data.get("chat_id"), data.get("message_id")
        try:
            if "data" in data:
                uid = await user.press_data(str(data["data"]), message_id=message_id,
                                            chat_id=chat_id)  # fmt: skip
            else:
                uid = await user.press(str(data["label"]), message_id=message_id, chat_id=chat_id)
        except (LookupError, ValueError) as exc:
            return web.json_response({"ok": False, "error": str(exc)}, status=404)
        return web.json_response({"update_id": uid})

    async def press_many(request: web.Request) -> web.Response:
        """[{"user_id", "data"}, ...] pressed on each user's last keyboard, all at once
        (benchmarks: the presses arrive as fast as the bot can take them)."""
        data = await body(request)
        emu = pick(request, data)
        last = 0
        for item in data.get("presses", []):
            last = await emu._users[int(item["user_id"])].press_data(str(item["data"]))
        return web.json_response({"last_update_id": last})

    async def chat(request: web.Request) -> web.Response:
        emu = pick(request)
        chat_id = int(request.query["chat_id"])
        last = int(request.query.get("last", "5"))
        out = [
            {
                "message_id": m.message_id,
                "text": m.text,
                "buttons": m.buttons,
                "edited": m.edited,
                "raw_text": m.raw_text,
                "reply_markup": m.reply_markup,
            }
            for m in emu.chat_messages(chat_id)[-last:]
        ]
        return web.json_response(out)

    async def stats(request: web.Request) -> web.Response:
        emu = pick(request)
        return web.json_response(
            {
                **emu.stats,
                "pending_updates": emu.pending_updates(),
                "get_updates_calls": len(emu._calls_by_method.get("getUpdates", ())),
            }
        )

    async def reset(request: web.Request) -> web.Response:
        for emu in host.bots:
            emu.reset_records()
        # The chats and messages made so far live on: keep them out of the collector's way,
        # or a full collection (~0.1 s with 20,000 chats) stalls the server and bunches up
        # the arrival times the rate limits are measured on.
        gc.collect()
        gc.freeze()
        return web.json_response({"ok": True})

    async def delivered(request: web.Request) -> web.Response:
        emu = pick(request)
        counter = deliveries.get(emu.token)
        if counter is None:
            counter = deliveries[emu.token] = Deliveries(emu)
        result = counter.scan(request.query.get("contains", ""))
        return web.json_response({**result, "http_429": emu.stats.get("http_429", 0)})

    app = web.Application()
    app.router.add_get("/health", health)
    app.router.add_post("/limits", limits)
    app.router.add_post("/users", users)
    app.router.add_post("/send", send)
    app.router.add_post("/press", press)
    app.router.add_post("/press_many", press_many)
    app.router.add_get("/chat", chat)
    app.router.add_get("/stats", stats)
    app.router.add_post("/reset", reset)
    app.router.add_get("/deliveries", delivered)
    return app


async def serve(args: argparse.Namespace) -> None:
    emu = Emulator(
        token=args.token,
        bot_username=args.username,
        check_spec=not args.no_check_spec,
        global_limit_per_s=args.global_limit,
        per_chat_limit_per_s=args.per_chat_limit,
    )
    for spec in args.bot:
        token, _, username = spec.partition("=")
        emu.add_bot(token, bot_username=username or f"bot{token.partition(':')[0]}_bot")
    await emu.start(host=args.host, port=args.port)
    runner = web.AppRunner(control_app(emu), access_log=None)
    await runner.setup()
    control_port = args.control_port or emu.port + 1
    await web.TCPSite(runner, args.host, control_port).start()
    print(json.dumps({"base_url": emu.base_url, "control": f"http://{args.host}:{control_port}"}),
          flush=True)  # fmt: skip
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await emu.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--control-port", type=int, default=0, help="default: port + 1")
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--username", default="kvietimas_test_bot")
    parser.add_argument(
        "--bot", action="append", default=[], metavar="TOKEN=USERNAME",
        help="another bot on the same port (repeatable)",
    )  # fmt: skip
    parser.add_argument("--global-limit", type=float, default=None, help="sends/s, all chats")
    parser.add_argument("--per-chat-limit", type=float, default=None, help="sends/s per chat")
    parser.add_argument("--no-check-spec", action="store_true")
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
