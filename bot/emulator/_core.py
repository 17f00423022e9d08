"""The emulator: a local Telegram Bot API server (aiohttp) plus the state behind it.

Design notes:
* One catch-all route per kind (``/bot<token>/<method>``, ``/file/bot<token>/<path>``);
  handlers are looked up in a dict by lower-cased method name (Telegram's method names are
  case-insensitive).
* Per request work is kept small and bounded: no file I/O (multipart bodies are read into
  memory, not aiohttp's temp files), no scans over history; everything is indexed by chat and
  by method, and recorded lists are append-only.
* Faults (errors, delays, dropped connections) are explicit, counted rules so tests stay
  deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import aiohttp
from aiohttp import web

from ._actors import EmulatedGroup, EmulatedUser
from ._html import HtmlParseError, parse_html, strip_and_shift
from ._models import ApiError, ChatMessage, RecordedCall, StoredFile, UploadedFile

__all__ = ["Emulator"]

_SPEC_PATH = Path(__file__).resolve().parents[1] / "data" / "botapi_methods.json"

# Used when a method is not in the spec (check_spec=False): keep these as plain strings.
_DEFAULT_STRINGS = frozenset({"text", "caption", "parse_mode", "callback_query_id", "file_id"})
_JSON_START = frozenset('{["-0123456789tfn')
# Update types delivered when allowed_updates is empty or was never given.
_NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_ERROR_TEXT = {
    400: "Bad Request: injected error",
    401: "Unauthorized",
    403: "Forbidden: injected error",
    404: "Not Found",
    409: "Conflict: injected error",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def _parse_form(body: str) -> list[tuple[str, str]]:
    """application/x-www-form-urlencoded -> pairs; cheaper than parse_qsl for plain values."""
    out: list[tuple[str, str]] = []
    for pair in body.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        out.append((key, value))
    return out


@dataclass(frozen=True, slots=True)
class _MethodSpec:
    name: str
    required: tuple[str, ...]
    strings: frozenset[str]


@cache
def _load_spec() -> tuple[str, dict[str, _MethodSpec]]:
    """Read bot/data/botapi_methods.json once per process; keys are lower-cased names."""
    data = json.loads(_SPEC_PATH.read_text(encoding="utf-8"))
    methods = {
        name.lower(): _MethodSpec(name, tuple(m["required"]), frozenset(m.get("strings", ())))
        for name, m in data["methods"].items()
    }
    return str(data.get("version", "")), methods


def _is_send_method(name: str) -> bool:
    """Methods that post a message and therefore count towards Telegram's flood limits."""
    low = name.lower()
    return (low.startswith("send") and low != "sendchataction") or low in {
        "copymessage",
        "copymessages",
        "forwardmessage",
        "forwardmessages",
    }


@dataclass(slots=True)
class _Fault:
    method: str | None  # lower-cased
    chat_id: int | str | None
    remaining: int | None  # None = unlimited
    status: int = 500
    description: str = ""
    retry_after: int | None = None
    seconds: float = 0.0
    after_processing: bool = False

    def matches(self, method_low: str, chat_id: int | str | None) -> bool:
        return (self.method is None or self.method == method_low) and (
            self.chat_id is None or self.chat_id == chat_id
        )


def _take(rules: list[_Fault], method_low: str, chat_id: int | str | None) -> _Fault | None:
    """Consume one use of the first matching rule (rules lists are tiny, usually empty)."""
    for i, rule in enumerate(rules):
        if rule.matches(method_low, chat_id):
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    del rules[i]
            return rule
    return None


class _Window:
    """Sliding-window limiter: at most ``capacity`` events in any ``period`` seconds."""

    __slots__ = ("capacity", "events", "period")

    def __init__(self, capacity: int, period: float) -> None:
        self.capacity = capacity
        self.period = period
        self.events: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        ev = self.events
        while ev and ev[0] <= now - self.period:
            ev.popleft()
        if len(ev) < self.capacity:
            return 0.0
        return ev[0] + self.period - now


def _window(limit: float | None, burst: int | None) -> tuple[int, float] | None:
    if limit is None:
        return None
    if limit <= 0:
        raise ValueError("rate limits must be positive")
    capacity = burst if burst is not None else max(1, int(limit))
    return capacity, capacity / limit


@dataclass(slots=True, eq=False)
class _Chat:
    id: int
    type: str
    json: dict[str, Any]
    user: EmulatedUser | None = None
    group: EmulatedGroup | None = None
    started: bool = False
    blocked: bool = False
    deactivated: bool = False
    next_message_id: int = 1
    by_id: dict[int, ChatMessage] = field(default_factory=dict)
    bot_messages: list[ChatMessage] = field(default_factory=list)
    members: set[int] = field(default_factory=set)


class Emulator:
    """A local Telegram Bot API server for end-to-end tests, demos and benchmarks.

    Point PTB at it with ``ApplicationBuilder().token(emu.token).base_url(emu.base_url)
    .base_file_url(emu.base_file_url)``. Act as users with :meth:`user` / :meth:`group`,
    inspect what the bot did with :attr:`calls`, :meth:`chat_messages` and :attr:`stats`,
    and inject faults with :meth:`fail_next`, :meth:`delay`, :meth:`drop_connection_next`,
    :meth:`set_blocked` and :meth:`set_deactivated`.
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        bot_username: str = "kvietimas_test_bot",
        bot_first_name: str = "Kvietimas",
        check_spec: bool = True,
        global_limit_per_s: float | None = None,
        per_chat_limit_per_s: float | None = None,
        global_burst: int | None = None,
        per_chat_burst: int | None = None,
        paid_limit_per_s: float = 1000.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a stopped emulator; call :meth:`start` (or use ``async with``).

        Rate limits count send-type requests in a sliding window: at most ``burst`` sends in
        any ``burst / limit`` seconds, with ``burst`` defaulting to ``max(1, int(limit))``
        (so ``global_limit_per_s=30`` means 30 in any 1 s, ``per_chat_limit_per_s=1`` means
        1 per chat in any 1 s; ``per_chat_burst=3`` with limit 1 allows 3 in any 3 s).
        Requests with ``allow_paid_broadcast=true`` use a separate ``paid_limit_per_s``
        global window instead of the global one (only when a global limit is configured).
        ``clock`` times the requests (rate limits, ``RecordedCall.time``); tests give it the
        sender's virtual time (``bot.pacing.VirtualTime.now``), so both see the same seconds.
        """
        self.token = token
        self._clock = clock
        # Several bots on one server (add_bot): every token -> its bot, shared by all of them;
        # the one that started the server is the host, the others delegate to it.
        self._hub: dict[str, Emulator] = {token: self}
        self._host: Emulator | None = None
        self._limits: dict[str, Any] = {
            "global_limit_per_s": global_limit_per_s,
            "per_chat_limit_per_s": per_chat_limit_per_s,
            "global_burst": global_burst,
            "per_chat_burst": per_chat_burst,
            "paid_limit_per_s": paid_limit_per_s,
        }
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.check_spec = check_spec
        self.spec_version, self._spec = _load_spec()
        self._bot_json: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }

        gw = _window(global_limit_per_s, global_burst)
        pw = _window(paid_limit_per_s, None) if gw is not None else None
        self._global_window = _Window(*gw) if gw else None
        self._paid_window = _Window(*pw) if pw else None
        self._chat_window_cfg = _window(per_chat_limit_per_s, per_chat_burst)
        self._chat_windows: dict[int | str, _Window] = {}

        # recorded traffic (append-only, indexed)
        self.calls: list[RecordedCall] = []
        self._calls_by_method: dict[str, list[RecordedCall]] = {}
        self._calls_by_method_chat: dict[tuple[str, int | str], list[RecordedCall]] = {}
        self.answered_callbacks: dict[str, dict[str, Any]] = {}
        self.stats: Counter[str] = Counter()

        # world state
        self._chats: dict[int, _Chat] = {}
        self._usernames: dict[str, int] = {}
        self._users: dict[int, EmulatedUser] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_paths: dict[str, StoredFile] = {}
        self._file_seq = 0
        self._pending_queries: set[str] = set()
        self._query_seq = 0
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}

        # updates
        self._updates: deque[dict[str, Any]] = deque()
        self._next_update_id = 1
        self._update_event = asyncio.Event()
        # The long poll waiting now: a second getUpdates ends it with 409, as Telegram does
        # ("terminated by other getUpdates request"): two pollers of one token show.
        self._long_poll: object | None = None
        self._allowed: frozenset[str] | None = None  # None = default set
        self.webhook: dict[str, Any] = {}
        self._webhook_task: asyncio.Task[None] | None = None

        # faults
        self._fails: list[_Fault] = []
        self._delays: list[_Fault] = []
        self._drops: list[_Fault] = []

        # server
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._address = "127.0.0.1"
        self._closing = False

        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, UploadedFile]], Any]] = {
            "getme": self._h_get_me,
            "deletewebhook": self._h_delete_webhook,
            "setwebhook": self._h_set_webhook,
            "getwebhookinfo": self._h_get_webhook_info,
            "setmycommands": self._h_set_my_commands,
            "getmycommands": self._h_get_my_commands,
            "deletemycommands": self._h_delete_my_commands,
            "setchatmenubutton": self._h_set_chat_menu_button,
            "getchatmenubutton": self._h_get_chat_menu_button,
            "sendmessage": self._h_send_message,
            "senddocument": self._h_send_document,
            "sendphoto": self._h_send_photo,
            "sendmediagroup": self._h_send_media_group,
            "editmessagetext": self._h_edit_text,
            "editmessagecaption": self._h_edit_caption,
            "editmessagereplymarkup": self._h_edit_markup,
            "deletemessage": self._h_delete_message,
            "deletemessages": self._h_delete_messages,
            "answercallbackquery": self._h_answer_callback,
            "getfile": self._h_get_file,
            "sendchataction": self._h_chat_action,
            "getchat": self._h_get_chat,
            "getchatmember": self._h_get_chat_member,
            "copymessage": self._h_copy_message,
            "forwardmessage": self._h_forward_message,
        }

    # ------------------------------------------------------------------ lifecycle

    def add_bot(
        self,
        token: str,
        *,
        bot_username: str,
        bot_id: int | None = None,
        bot_first_name: str = "Kvietimas",
    ) -> Emulator:
        """Another bot on this emulator's server, as Telegram serves many bots.

        The returned emulator answers requests made with ``token`` on the same base URL:
        its own getMe, users, chats, updates, webhook, recorded calls and rate limits (the
        limits configured here, counted per token, as Telegram's ~30 messages/s are). The
        same person may talk to several bots: each bot has its own private chat with them
        (``bot.user(id, ...)`` on each). Its ``start``/``stop`` start this server if needed
        and stop only its own long polls; stopping this emulator stops all of them."""
        host = self._host or self
        if token in self._hub:
            raise ValueError("a bot with this token exists already")
        head = token.partition(":")[0]
        child = Emulator(
            token=token,
            bot_id=bot_id if bot_id is not None else (int(head) if head.isdigit() else 1),
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            check_spec=self.check_spec,
            clock=self._clock,
            **host._limits,
        )
        child._hub = self._hub
        child._host = host
        self._hub[token] = child
        return child

    @property
    def bots(self) -> list[Emulator]:
        """Every bot this server answers for (the host first)."""
        return list(self._hub.values())

    def bot_for(self, token: str) -> Emulator | None:
        return self._hub.get(token)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; ``port=0`` picks a free port (see :attr:`base_url`)."""
        if self._host is not None:  # a bot added to another's server
            self._closing = False
            if self._host._runner is None:
                await self._host.start(host, port)
            return
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        # access_log=None: logging each request would cost more than handling it.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._address = host
        addr = runner.addresses[0]
        self._port = int(addr[1])

    async def stop(self) -> None:
        """Stop serving; pending long polls return an empty result first."""
        for bot in [self] if self._host is not None else self.bots:
            bot._closing = True
            bot._update_event.set()
            if bot._webhook_task is not None:
                bot._webhook_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await bot._webhook_task
                bot._webhook_task = None
        if self._runner is not None:
            await asyncio.sleep(0)
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._host is not None:
            return self._host.port
        if self._runner is None:
            raise RuntimeError("emulator not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder.base_url``: PTB appends the token."""
        return f"http://{(self._host or self)._address}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder.base_file_url``: PTB appends token and file_path."""
        return f"http://{(self._host or self)._address}:{self.port}/file/bot"

    # ------------------------------------------------------------------ actors

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
    ) -> EmulatedUser:
        """Create (or update and return) a user; its private chat exists but is not started."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        u = self._users.get(user_id)
        if u is None:
            u = EmulatedUser(
                self,
                user_id,
                first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
                is_bot=is_bot,
            )
            self._users[user_id] = u
        else:
            u.first_name, u.last_name, u.username = first_name, last_name, username
            u.language_code, u.is_bot = language_code, is_bot
        chat_json: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name is not None:
            chat_json["last_name"] = last_name
        if username is not None:
            chat_json["username"] = username
            self._usernames[username.lower()] = user_id
        chat = self._chats.get(user_id)
        if chat is None:
            self._chats[user_id] = _Chat(user_id, "private", chat_json, user=u)
        else:
            chat.json = chat_json
        return u

    def group(self, chat_id: int, title: str, *, type: str = "supergroup") -> EmulatedGroup:
        """Create a group/supergroup the bot is an administrator of (the bot may post)."""
        if type not in ("group", "supergroup", "channel"):
            raise ValueError(f"bad chat type {type!r}")
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        g = EmulatedGroup(self, chat_id, title, type)
        chat = self._chats.get(chat_id)
        if chat is None:
            self._chats[chat_id] = _Chat(chat_id, type, g.to_dict(), group=g, started=True)
        else:
            chat.json, chat.group, chat.type = g.to_dict(), g, type
        return g

    def _private_chat(self, user: EmulatedUser) -> _Chat:
        chat = self._chats.get(user.id)
        if chat is None:  # user objects are only made by self.user(), which makes the chat
            raise LookupError(f"unknown user {user.id}")
        return chat

    # ------------------------------------------------------------------ updates

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (``update_id`` assigned if absent) and wake pollers."""
        uid = update.get("update_id")
        if not isinstance(uid, int):
            uid = self._next_update_id
            update = {"update_id": uid, **update}
        self._next_update_id = max(self._next_update_id, uid + 1)
        self._updates.append(update)
        self.stats["updates"] += 1
        self._update_event.set()
        return uid

    def _new_message_id(self, chat: _Chat) -> int:
        mid = chat.next_message_id
        chat.next_message_id += 1
        return mid

    def _user_text(self, user: EmulatedUser, chat_id: int, text: str) -> int:
        chat = self._user_enters(user, chat_id)
        msg: dict[str, Any] = {
            "message_id": self._new_message_id(chat),
            "from": user.to_dict(),
            "chat": chat.json,
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            cmd = text.split(maxsplit=1)[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
        self._store_user_message(chat, user, msg["message_id"], text, msg.get("entities"))
        return self.inject_update({"message": msg})

    def _user_document(
        self,
        user: EmulatedUser,
        chat_id: int,
        filename: str,
        content: bytes,
        mime: str,
        caption: str | None,
    ) -> int:
        chat = self._user_enters(user, chat_id)
        stored = self._store_file(UploadedFile(filename, content, mime), "documents")
        msg: dict[str, Any] = {
            "message_id": self._new_message_id(chat),
            "from": user.to_dict(),
            "chat": chat.json,
            "date": int(time.time()),
            "document": stored.document_json(),
        }
        if caption is not None:
            msg["caption"] = caption
        cm = self._store_user_message(chat, user, msg["message_id"], caption, None)
        cm.kind, cm.is_caption = "document", True
        cm.document, cm.document_file = stored.upload, stored
        return self.inject_update({"message": msg})

    def _user_enters(self, user: EmulatedUser, chat_id: int) -> _Chat:
        """A user writes into a chat: private chats become started, blocks are lifted."""
        if chat_id == user.id:
            chat = self._private_chat(user)
            if chat.blocked:  # a user must unblock the bot to write to it
                self.set_blocked(user.id, False)
            chat.started = True
        else:
            group = self._chats.get(chat_id)
            if group is None or group.group is None:
                raise LookupError(f"unknown group {chat_id}")
            group.members.add(user.id)
            return group
        return chat

    def _store_user_message(
        self,
        chat: _Chat,
        user: EmulatedUser,
        message_id: int,
        text: str | None,
        entities: list[dict[str, Any]] | None,
    ) -> ChatMessage:
        cm = ChatMessage(
            message_id=message_id,
            chat_id=chat.id,
            text=text,
            raw_text=text,
            entities=entities or [],
            from_bot=False,
            from_user_id=user.id,
            date=int(time.time()),
        )
        chat.by_id[message_id] = cm
        return cm

    def _keyboard_message(self, chat_id: int, message_id: int | None) -> ChatMessage:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise LookupError(f"unknown chat {chat_id}")
        if message_id is not None:
            msg = chat.by_id.get(message_id)
            if msg is None or msg.deleted:
                raise LookupError(f"no message {message_id} in chat {chat_id}")
            return msg
        for msg in reversed(chat.bot_messages):
            if not msg.deleted and msg.keyboard:
                return msg
        raise LookupError(f"no bot message with an inline keyboard in chat {chat_id}")

    def _callback_query(self, user: EmulatedUser, msg: ChatMessage, data: str) -> int:
        self._query_seq += 1
        qid = str(4_000_000_000_000_000 + self._query_seq)
        self._pending_queries.add(qid)
        chat = self._chats[msg.chat_id]
        return self.inject_update(
            {
                "callback_query": {
                    "id": qid,
                    "from": user.to_dict(),
                    "message": self._message_json(msg, chat),
                    "chat_instance": str(abs(chat.id) * 7 + 13),
                    "data": data,
                }
            }
        )

    def set_blocked(self, user_id: int, blocked: bool = True) -> None:
        """Block/unblock the bot by a user (or kick from/re-add to a group by chat id).

        Sends then fail with 403, and a ``my_chat_member`` update is queued, as Telegram does.
        """
        chat = self._chats.get(user_id)
        if chat is None:
            raise LookupError(f"unknown chat {user_id}")
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        bot_user = dict(self._bot_json)
        old_status, new_status = ("member", "kicked") if blocked else ("kicked", "member")
        if chat.group is not None:
            old_status = "administrator" if blocked else "left"
            new_status = "left" if blocked else "administrator"
        actor = chat.user.to_dict() if chat.user is not None else self._bot_json

        def member(status: str) -> dict[str, Any]:
            if status == "kicked":
                return {"user": bot_user, "status": status, "until_date": 0}
            if status == "administrator":
                return self._admin_member(bot_user)
            return {"user": bot_user, "status": status}

        self.inject_update(
            {
                "my_chat_member": {
                    "chat": chat.json,
                    "from": actor,
                    "date": int(time.time()),
                    "old_chat_member": member(old_status),
                    "new_chat_member": member(new_status),
                }
            }
        )

    def set_deactivated(self, user_id: int) -> None:
        """The user deleted their account: sends fail with 403 "user is deactivated"."""
        chat = self._chats.get(user_id)
        if chat is None:
            raise LookupError(f"unknown chat {user_id}")
        chat.deactivated = True

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str, chat_id: int | None = None) -> list[RecordedCall]:
        """Recorded calls of ``method`` (exact spec spelling), optionally to one chat."""
        if chat_id is None:
            return list(self._calls_by_method.get(method, ()))
        return list(self._calls_by_method_chat.get((method, chat_id), ()))

    def chat_messages(self, chat_id: int) -> list[ChatMessage]:
        """Messages the bot sent in the chat, current state (edits applied), in order."""
        chat = self._chats.get(chat_id)
        return list(chat.bot_messages) if chat is not None else []

    def last_message(self, chat_id: int) -> ChatMessage | None:
        chat = self._chats.get(chat_id)
        if chat is None or not chat.bot_messages:
            return None
        return chat.bot_messages[-1]

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by the bot."""
        return len(self._updates)

    def reset_records(self) -> None:
        """Forget recorded calls, answered callbacks and stats; chats and messages stay."""
        self.calls = []
        self._calls_by_method = {}
        self._calls_by_method_chat = {}
        self.answered_callbacks = {}
        self.stats = Counter()

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` matching requests with an error (nothing is processed).

        Status 429 gets ``parameters.retry_after`` (default 1 s) and the usual description.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _ERROR_TEXT.get(status, f"Error {status}")
        self._fails.append(
            _Fault(
                method.lower() if method else None,
                chat_id,
                count,
                status=status,
                description=description,
                retry_after=retry_after,
            )
        )

    def delay(self, seconds: float, *, method: str | None = None, count: int | None = None) -> None:
        """Answer matching requests ``seconds`` late (processed at once, answered late).

        A delay longer than the client's read timeout yields a client-side timeout while the
        action did happen, like a slow real Telegram. ``count=None`` means until
        :meth:`clear_faults`.
        """
        self._delays.append(
            _Fault(method.lower() if method else None, None, count, seconds=seconds)
        )

    def drop_connection_next(
        self, *, method: str | None = None, count: int = 1, after_processing: bool = False
    ) -> None:
        """Close the connection of the next ``count`` matching requests without an answer.

        With ``after_processing=True`` the request takes effect first (e.g. the message is
        sent) and only the answer is lost: the case that makes naive retries send twice.
        """
        self._drops.append(
            _Fault(
                method.lower() if method else None,
                None,
                count,
                after_processing=after_processing,
            )
        )

    def clear_faults(self) -> None:
        """Remove all pending fail/delay/drop rules."""
        self._fails.clear()
        self._delays.clear()
        self._drops.clear()

    # ------------------------------------------------------------------ HTTP

    async def _read_params(
        self, request: web.Request, strings: frozenset[str]
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: list[tuple[str, str]] = list(request.query.items()) if request.query_string else []
        files: dict[str, UploadedFile] = {}
        params: dict[str, Any] = {}
        ctype = request.content_type
        if ctype == "multipart/form-data":
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                data = await part.read(decode=False)
                if part.filename is not None:
                    mime = part.headers.get(aiohttp.hdrs.CONTENT_TYPE, "application/octet-stream")
                    files[part.name] = UploadedFile(part.filename, bytes(data), mime)
                else:
                    raw.append((part.name, bytes(data).decode(part.get_charset("utf-8"))))
        elif request.body_exists:
            body = await request.read()
            if ctype == "application/json":
                decoded = json.loads(body) if body else {}
                if not isinstance(decoded, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                params.update(decoded)
            elif body:
                raw.extend(_parse_form(body.decode("utf-8")))
        for key, value in raw:
            if key in strings or not value or value[0] not in _JSON_START:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
        for key, value in params.items():
            if isinstance(value, str) and value.startswith("attach://"):
                f = files.get(value[len("attach://") :])
                if f is not None:
                    files[key] = f
        return params, files

    def _record(self, call: RecordedCall) -> None:
        self.calls.append(call)
        self._calls_by_method.setdefault(call.method, []).append(call)
        if call.chat_id is not None:
            self._calls_by_method_chat.setdefault((call.method, call.chat_id), []).append(call)

    def _finish(self, call: RecordedCall, status: int, payload: dict[str, Any]) -> web.Response:
        call.status = status
        call.response = payload
        if status != 200:
            self.stats[f"http_{status}"] += 1
            if status >= 500:
                self.stats["http_5xx"] += 1
            elif status >= 400:
                self.stats["http_4xx"] += 1
        return web.Response(
            body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
            status=status,
            content_type="application/json",
        )

    @staticmethod
    def _error_payload(err: ApiError) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": err.status,
            "description": err.description,
        }
        if err.retry_after is not None:
            payload["parameters"] = {"retry_after": err.retry_after}
        return payload

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        bot = self._hub.get(request.match_info["token"])
        if bot is not None and bot is not self:  # another bot on this server
            return await bot._handle_api(request)
        now = self._clock()
        self.stats["requests"] += 1
        method_name = request.match_info["method"]
        low = method_name.lower()
        spec = self._spec.get(low)
        if spec is not None:
            method_name = spec.name
        try:
            params, files = await self._read_params(
                request, spec.strings if spec is not None else _DEFAULT_STRINGS
            )
        except (ValueError, UnicodeDecodeError, ApiError) as exc:
            call = RecordedCall(method_name, {}, {}, now)
            self._record(call)
            err = exc if isinstance(exc, ApiError) else ApiError(400, f"Bad Request: {exc}")
            return self._finish(call, err.status, self._error_payload(err))
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int | str):
            chat_id = None
        call = RecordedCall(method_name, params, files, now, chat_id)
        self._record(call)

        if request.match_info["token"] != self.token:
            return self._finish(call, 401, self._error_payload(ApiError(401, "Unauthorized")))
        if spec is None and (self.check_spec or low not in self._handlers):
            return self._finish(call, 404, self._error_payload(ApiError(404, "Not Found")))

        drop = _take(self._drops, low, chat_id) if self._drops else None
        if drop is not None and not drop.after_processing:
            return self._drop(request, call)
        fail = _take(self._fails, low, chat_id) if self._fails else None
        if fail is not None:
            err = ApiError(fail.status, fail.description, fail.retry_after)
            response = self._finish(call, fail.status, self._error_payload(err))
        else:
            try:
                if spec is not None and self.check_spec:
                    for name in spec.required:
                        if name not in params and name not in files:
                            raise ApiError(400, f"Bad Request: {name} is required")
                limited = self._global_window is not None or self._chat_window_cfg is not None
                if limited and _is_send_method(method_name):
                    self._rate_limit(params, chat_id, now)
                result: Any
                if low == "getupdates":
                    result = await self._get_updates(params, request)
                else:
                    handler = self._handlers.get(low)
                    if handler is not None:
                        result = handler(params, files)
                    elif _is_send_method(method_name):
                        result = self._h_generic_send(method_name, params, files)
                    else:
                        result = True
                response = self._finish(call, 200, {"ok": True, "result": result})
            except ApiError as err:
                response = self._finish(call, err.status, self._error_payload(err))
        if drop is not None:
            return self._drop(request, call)
        if self._delays:
            d = _take(self._delays, low, chat_id)
            if d is not None:
                await asyncio.sleep(d.seconds)
        return response

    def _drop(self, request: web.Request, call: RecordedCall) -> web.StreamResponse:
        """Abort the TCP connection: the client sees a disconnect without any answer."""
        self.stats["dropped_connections"] += 1
        call.status = 0
        call.response = {}
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # aiohttp treats this as "connection lost", no answer

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        bot = self._hub.get(request.match_info["token"])
        if bot is not None and bot is not self:
            return await bot._handle_file(request)
        self.stats["file_downloads"] += 1
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        stored = self._file_paths.get(request.match_info["path"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.upload.content, content_type="application/octet-stream")

    # ------------------------------------------------------------------ rate limits

    def _rate_limit(self, params: dict[str, Any], chat_id: int | str | None, now: float) -> None:
        windows: list[_Window] = []
        paid = params.get("allow_paid_broadcast") is True
        gw = self._paid_window if paid else self._global_window
        if gw is not None:
            windows.append(gw)
        if self._chat_window_cfg is not None and chat_id is not None:
            cw = self._chat_windows.get(chat_id)
            if cw is None:
                cw = self._chat_windows[chat_id] = _Window(*self._chat_window_cfg)
            windows.append(cw)
        wait = 0.0
        for w in windows:
            wait = max(wait, w.wait_time(now))
        if wait > 0:
            n = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {n}", retry_after=n)
        for w in windows:
            w.events.append(now)

    # ------------------------------------------------------------------ chats

    def _chat(self, chat_id: Any) -> _Chat:
        chat: _Chat | None = None
        if isinstance(chat_id, int) and not isinstance(chat_id, bool):
            chat = self._chats.get(chat_id)
        elif isinstance(chat_id, str):
            if chat_id.startswith("@"):
                uid = self._usernames.get(chat_id[1:].lower())
                chat = self._chats.get(uid) if uid is not None else None
            elif chat_id.lstrip("-").isdigit():
                chat = self._chats.get(int(chat_id))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _writable_chat(self, chat_id: Any, *, new_message: bool = True) -> _Chat:
        """Resolve a chat the bot wants to write to, with Telegram's 403 reasons."""
        chat = self._chat(chat_id)
        if chat.deactivated:
            raise ApiError(403, "Forbidden: user is deactivated")
        if chat.blocked:
            if chat.group is None:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        if chat.user is not None:
            if chat.user.is_bot:
                raise ApiError(403, "Forbidden: bot can't send messages to bots")
            if new_message and not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    # ------------------------------------------------------------------ formatting

    def _format(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[dict[str, Any]]]:
        text = "" if text is None else str(text)
        plain: str = text
        ents: list[dict[str, Any]] = entities if isinstance(entities, list) else []
        if parse_mode is not None and parse_mode != "":
            mode = str(parse_mode).lower()
            if mode == "html":
                try:
                    plain, ents = parse_html(text)
                except HtmlParseError as exc:
                    if self.check_spec:
                        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
            elif mode not in ("markdown", "markdownv2"):
                raise ApiError(400, "Bad Request: unsupported parse_mode")
        plain, ents = strip_and_shift(plain, ents)
        if self.check_spec:
            if caption:
                if len(plain) > 1024:
                    raise ApiError(400, "Bad Request: message caption is too long")
            elif not plain:
                raise ApiError(400, "Bad Request: message text is empty")
            elif len(plain) > 4096:
                raise ApiError(400, "Bad Request: message is too long")
        return plain, ents

    def _markup(self, markup: Any) -> dict[str, Any] | None:
        """Validate reply_markup; return it if it is an inline keyboard (kept on the message)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None  # reply keyboards / remove / force_reply: not part of the message
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(400, "Bad Request: can't parse inline keyboard button: array expected")
        if self.check_spec:
            total = 0
            for row in rows:
                if len(row) > 8:
                    raise ApiError(400, "Bad Request: too many inline keyboard buttons in a row")
                total += len(row)
                for b in row:
                    if not isinstance(b, dict) or not b.get("text"):
                        raise ApiError(400, "Bad Request: inline keyboard button text is empty")
                    data = b.get("callback_data")
                    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                    if len(b) == 1:
                        raise ApiError(
                            400, "Bad Request: text buttons are unallowed in the inline keyboard"
                        )
                    self._check_web_app(b.get("web_app"))
            if total > 100:
                raise ApiError(400, "Bad Request: reply markup is too long")
        return markup if rows else None

    @staticmethod
    def _check_web_app(web_app: Any) -> None:
        """A Mini App button (inline or menu): Telegram takes only an HTTPS URL."""
        if web_app is None:
            return
        url = web_app.get("url") if isinstance(web_app, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ApiError(
                400,
                f"Bad Request: inline keyboard button Web App URL '{url}' is invalid: "
                "Only HTTPS links are allowed",
            )

    def _web_app_only_in_private(self, markup: dict[str, Any] | None, chat: _Chat) -> None:
        """Telegram refuses ``web_app`` inline buttons outside private chats."""
        if markup is None or chat.type == "private":
            return
        for row in markup.get("inline_keyboard") or []:
            for b in row:
                if isinstance(b, dict) and "web_app" in b:
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")

    # ------------------------------------------------------------------ messages

    def _message_json(self, msg: ChatMessage, chat: _Chat) -> dict[str, Any]:
        d: dict[str, Any] = {"message_id": msg.message_id, "date": msg.date, "chat": chat.json}
        if msg.from_bot:
            d["from"] = self._bot_json
        elif msg.from_user_id is not None and msg.from_user_id in self._users:
            d["from"] = self._users[msg.from_user_id].to_dict()
        if msg.edit_date is not None:
            d["edit_date"] = msg.edit_date
        if msg.forward_origin is not None:
            d["forward_origin"] = msg.forward_origin
        if msg.is_caption:
            if msg.text:
                d["caption"] = msg.text
                if msg.entities:
                    d["caption_entities"] = msg.entities
        elif msg.text is not None:
            d["text"] = msg.text
            if msg.entities:
                d["entities"] = msg.entities
        if msg.document_file is not None:
            d["document"] = msg.document_file.document_json()
        if msg.photo_file is not None:
            d["photo"] = msg.photo_file.photo_json()
        if msg.reply_markup is not None:
            d["reply_markup"] = msg.reply_markup
        return d

    def _add_bot_message(self, chat: _Chat, msg: ChatMessage) -> dict[str, Any]:
        chat.by_id[msg.message_id] = msg
        chat.bot_messages.append(msg)
        self.stats["sent_messages"] += 1
        return self._message_json(msg, chat)

    def _store_file(self, upload: UploadedFile, folder: str) -> StoredFile:
        self._file_seq += 1
        n = self._file_seq
        ext = Path(upload.filename).suffix[:10] if "." in upload.filename else ""
        stored = StoredFile(
            file_id=f"BQACAgIAAx0E{n:08d}{folder[:3]}",
            file_unique_id=f"AgAD{n:08d}",
            file_path=f"{folder}/file_{n}{ext}",
            upload=upload,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    def _input_file(
        self, field_name: str, params: dict[str, Any], files: dict[str, UploadedFile], folder: str
    ) -> StoredFile:
        upload = files.get(field_name)
        if upload is not None:
            return self._store_file(upload, folder)
        ref = params.get(field_name)
        if isinstance(ref, str):
            known = self._files.get(ref)
            if known is not None:
                return known  # re-send by file_id
            if ref.startswith(("http://", "https://")):
                name = ref.rstrip("/").rsplit("/", 1)[-1] or "file"
                return self._store_file(UploadedFile(name, b"", "application/octet-stream"), folder)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _new_bot_message(self, chat: _Chat, **fields: Any) -> ChatMessage:
        return ChatMessage(
            message_id=self._new_message_id(chat), chat_id=chat.id, date=int(time.time()), **fields
        )

    # ------------------------------------------------------------------ method handlers

    def _h_get_me(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return {
            **self._bot_json,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(
        self, params: dict[str, Any], request: web.Request | None = None
    ) -> list[dict[str, Any]]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = params.get("limit", 100)
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = params.get("timeout", 0)
        timeout = float(timeout) if isinstance(timeout, int | float) else 0.0
        if "allowed_updates" in params:
            self._set_allowed(params["allowed_updates"])
        q = self._updates
        if isinstance(offset, int) and offset != 0:
            if offset < 0:
                while len(q) > -offset:
                    q.popleft()
            else:
                while q and q[0]["update_id"] < offset:
                    q.popleft()
        result = self._collect(limit)
        if result or timeout <= 0:
            return result
        deadline = time.monotonic() + min(timeout, 50.0)
        me = object()
        if self._long_poll is not None:
            self._update_event.set()  # the waiting one notices it was overtaken
        self._long_poll = me
        try:
            while not result and not self._closing:
                if self._long_poll is not me:
                    transport = request.transport if request is not None else None
                    if transport is None or transport.is_closing():
                        return []  # its poller is gone (a killed process): nobody to tell
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that "
                        "only one bot instance is running",
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._update_event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._update_event.wait(), remaining)
                result = self._collect(limit)
        finally:
            if self._long_poll is me:
                self._long_poll = None
        return result

    def _set_allowed(self, allowed: Any) -> None:
        if isinstance(allowed, list) and allowed:
            self._allowed = frozenset(str(a) for a in allowed)
        else:
            self._allowed = None

    def _deliverable(self, update: dict[str, Any]) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed is None:
            return kind not in _NOT_DEFAULT_UPDATES
        return kind in self._allowed

    def _collect(self, limit: int) -> list[dict[str, Any]]:
        q = self._updates
        while q and not self._deliverable(q[0]):  # not-allowed updates are discarded
            q.popleft()
        out: list[dict[str, Any]] = []
        for upd in q:
            if len(out) >= limit:
                break
            if self._deliverable(upd):
                out.append(upd)
        return out

    def _h_delete_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self.webhook = {}
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _h_set_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        url = params.get("url", "")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        if "allowed_updates" in params:
            self._set_allowed(params["allowed_updates"])
        if not url:
            return self._h_delete_webhook({}, files)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: invalid URL")
        self.webhook = dict(params)
        if self._webhook_task is None:
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_loop())
        self._update_event.set()
        return True

    def _h_get_webhook_info(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook.get("max_connections", 40)
        return info

    async def _webhook_loop(self) -> None:
        """Deliver queued updates to the webhook one at a time, retrying non-2xx answers."""
        async with aiohttp.ClientSession() as session:
            while self.webhook.get("url") and not self._closing:
                batch = self._collect(1)
                if not batch:
                    self._update_event.clear()
                    await self._update_event.wait()
                    continue
                update = batch[0]
                headers = {}
                secret = self.webhook.get("secret_token")
                if isinstance(secret, str) and secret:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = secret
                try:
                    async with session.post(
                        str(self.webhook["url"]), json=update, headers=headers
                    ) as resp:
                        ok = 200 <= resp.status < 300
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                if ok:
                    self.stats["webhook_deliveries"] += 1
                    with contextlib.suppress(ValueError):
                        self._updates.remove(update)  # usually the first element: O(1)
                else:
                    self.stats["webhook_failures"] += 1
                    await asyncio.sleep(0.1)

    def _h_set_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        self.commands[self._commands_key(params)] = commands
        return True

    def _h_get_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return self.commands.get(self._commands_key(params), [])

    def _h_delete_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self.commands.pop(self._commands_key(params), None)
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _h_set_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        cid = params.get("chat_id")
        button = params.get("menu_button") or {"type": "default"}
        if self.check_spec:
            kind = button.get("type") if isinstance(button, dict) else None
            if kind not in ("commands", "web_app", "default"):
                raise ApiError(400, "Bad Request: can't parse menu button JSON object")
            if kind == "web_app":
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: menu button text is empty")
                self._check_web_app(button.get("web_app"))
        self.menu_buttons[cid if isinstance(cid, int) else None] = button
        return True

    def _h_get_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        cid = params.get("chat_id")
        key = cid if isinstance(cid, int) else None
        return self.menu_buttons.get(key) or self.menu_buttons.get(None) or {"type": "default"}

    def _h_send_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._writable_chat(params.get("chat_id"))
        raw = params.get("text")
        plain, ents = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._markup(params.get("reply_markup"))
        self._web_app_only_in_private(markup, chat)
        msg = self._new_bot_message(
            chat,
            text=plain,
            raw_text=str(raw),
            parse_mode=params.get("parse_mode"),
            entities=ents,
            reply_markup=markup,
        )
        return self._add_bot_message(chat, msg)

    def _media_message(
        self, params: dict[str, Any], files: dict[str, UploadedFile], field_name: str
    ) -> Any:
        chat = self._writable_chat(params.get("chat_id"))
        raw = params.get("caption")
        plain, ents = self._format(
            raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = self._markup(params.get("reply_markup"))
        folder = "photos" if field_name == "photo" else "documents"
        stored = self._input_file(field_name, params, files, folder)
        msg = self._new_bot_message(
            chat,
            text=plain if raw is not None else None,
            raw_text=None if raw is None else str(raw),
            parse_mode=params.get("parse_mode"),
            entities=ents,
            reply_markup=markup,
            is_caption=True,
            kind=field_name,
        )
        if field_name == "photo":
            msg.photo, msg.photo_file = stored.upload, stored
        else:
            msg.document, msg.document_file = stored.upload, stored
        return self._add_bot_message(chat, msg)

    def _h_send_document(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return self._media_message(params, files, "document")

    def _h_send_photo(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return self._media_message(params, files, "photo")

    def _h_send_media_group(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._writable_chat(params.get("chat_id"))
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media specified")
        out = []
        for item in media:
            kind = str(item.get("type", "document")) if isinstance(item, dict) else "document"
            msg = self._new_bot_message(chat, text=None, is_caption=True, kind=kind)
            ref = item.get("media") if isinstance(item, dict) else None
            if isinstance(ref, str) and ref.startswith("attach://"):
                upload = files.get(ref[len("attach://") :])
                if upload is not None:
                    stored = self._store_file(upload, "photos" if kind == "photo" else "documents")
                    if kind == "photo":
                        msg.photo, msg.photo_file = upload, stored
                    else:
                        msg.document, msg.document_file = upload, stored
            out.append(self._add_bot_message(chat, msg))
        return out

    def _h_generic_send(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        """Other send* methods: a content-less message, enough for PTB to parse."""
        chat = self._writable_chat(params.get("chat_id"))
        msg = self._new_bot_message(chat, text=None, kind=method)
        msg.reply_markup = self._markup(params.get("reply_markup"))
        return self._add_bot_message(chat, msg)

    def _edit_target(self, params: dict[str, Any]) -> tuple[_Chat, ChatMessage] | None:
        if params.get("inline_message_id") is not None:
            return None
        chat = self._writable_chat(params.get("chat_id"), new_message=False)
        msg = chat.by_id.get(params.get("message_id"))  # type: ignore[arg-type]
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, msg

    def _apply_edit(self, chat: _Chat, msg: ChatMessage) -> dict[str, Any]:
        msg.edited += 1
        msg.edit_date = int(time.time())
        self.stats["edited_messages"] += 1
        return self._message_json(msg, chat)

    def _h_edit_text(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        target = self._edit_target(params)
        if target is None:
            return True
        chat, msg = target
        if msg.is_caption or msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        raw = params.get("text")
        plain, ents = self._format(
            raw, params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._markup(params.get("reply_markup"))
        if plain == msg.text and ents == msg.entities and markup == msg.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        msg.text, msg.entities, msg.raw_text = plain, ents, str(raw)
        msg.parse_mode, msg.reply_markup = params.get("parse_mode"), markup
        return self._apply_edit(chat, msg)

    def _h_edit_caption(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        target = self._edit_target(params)
        if target is None:
            return True
        chat, msg = target
        if not msg.is_caption:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        raw = params.get("caption")
        plain, ents = self._format(
            raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = self._markup(params.get("reply_markup"))
        same_caption = (plain or None) == (msg.text or None) and ents == msg.entities
        if same_caption and markup == msg.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        msg.text = plain if raw is not None else None
        msg.entities, msg.raw_text = ents, None if raw is None else str(raw)
        msg.parse_mode, msg.reply_markup = params.get("parse_mode"), markup
        return self._apply_edit(chat, msg)

    def _h_edit_markup(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        target = self._edit_target(params)
        if target is None:
            return True
        chat, msg = target
        markup = self._markup(params.get("reply_markup"))
        if markup == msg.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        msg.reply_markup = markup
        return self._apply_edit(chat, msg)

    def _h_delete_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._chat(params.get("chat_id"))
        msg = chat.by_id.get(params.get("message_id"))  # type: ignore[arg-type]
        if msg is None or msg.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        msg.deleted = True
        self.stats["deleted_messages"] += 1
        return True

    def _h_delete_messages(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._chat(params.get("chat_id"))
        ids = params.get("message_ids")
        for mid in ids if isinstance(ids, list) else []:
            msg = chat.by_id.get(mid)
            if msg is not None and not msg.deleted:
                msg.deleted = True
                self.stats["deleted_messages"] += 1
        return True

    def _h_answer_callback(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        qid = str(params.get("callback_query_id"))
        if qid not in self._pending_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        text = params.get("text")
        if self.check_spec and text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._pending_queries.discard(qid)
        self.answered_callbacks[qid] = dict(params)
        self.stats["callback_answers"] += 1
        return True

    def _h_get_file(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return stored.file_json()

    def _h_chat_action(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self._writable_chat(params.get("chat_id"))
        return True

    def _h_get_chat(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._chat(params.get("chat_id"))
        return {
            **chat.json,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    @staticmethod
    def _admin_member(user: dict[str, Any]) -> dict[str, Any]:
        member: dict[str, Any] = {"user": user, "status": "administrator", "is_anonymous": False}
        for right in (
            "can_be_edited",
            "can_promote_members",
            "can_change_info",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_manage_topics",
        ):
            member[right] = False
        for right in (
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_invite_users",
            "can_pin_messages",
        ):
            member[right] = True
        return member

    def _h_get_chat_member(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat = self._chat(params.get("chat_id"))
        uid = params.get("user_id")
        if uid == self.bot_id:
            if chat.group is not None:
                if chat.blocked:
                    return {"user": self._bot_json, "status": "left"}
                return self._admin_member(self._bot_json)
            return {"user": self._bot_json, "status": "member"}
        user = self._users.get(uid) if isinstance(uid, int) else None
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        if chat.user is not None:
            if chat.user.id != uid:
                raise ApiError(400, "Bad Request: user not found")
            return {"user": user.to_dict(), "status": "member"}
        status = "member" if uid in chat.members else "left"
        return {"user": user.to_dict(), "status": status}

    def _source_message(self, params: dict[str, Any], verb: str) -> ChatMessage:
        src_chat = self._chat(params.get("from_chat_id"))
        msg = src_chat.by_id.get(params.get("message_id"))  # type: ignore[arg-type]
        if msg is None or msg.deleted:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        return msg

    def _clone(self, chat: _Chat, src: ChatMessage) -> ChatMessage:
        msg = self._new_bot_message(
            chat,
            text=src.text,
            raw_text=src.raw_text,
            entities=list(src.entities),
            is_caption=src.is_caption,
            kind=src.kind,
            document=src.document,
            document_file=src.document_file,
            photo=src.photo,
            photo_file=src.photo_file,
        )
        return msg

    def _h_copy_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        src = self._source_message(params, "copy")
        chat = self._writable_chat(params.get("chat_id"))
        msg = self._clone(chat, src)
        if "caption" in params and msg.is_caption:
            raw = params.get("caption")
            msg.text, msg.entities = self._format(
                raw, params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
            msg.raw_text = str(raw)
        msg.reply_markup = self._markup(params.get("reply_markup"))
        self._add_bot_message(chat, msg)
        return {"message_id": msg.message_id}

    def _h_forward_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        src = self._source_message(params, "forward")
        chat = self._writable_chat(params.get("chat_id"))
        msg = self._clone(chat, src)
        src_chat = self._chats[src.chat_id]
        if src.from_bot:
            origin: dict[str, Any] = {"type": "user", "sender_user": self._bot_json}
        elif src.from_user_id in self._users:
            origin = {"type": "user", "sender_user": self._users[src.from_user_id].to_dict()}
        else:
            origin = {"type": "chat", "sender_chat": src_chat.json}
        msg.forward_origin = {**origin, "date": src.date}
        return self._add_bot_message(chat, msg)
