"""Tests of the Bot API emulator, driven by a bare python-telegram-bot Application.

No project code is involved: if these pass, end-to-end tests of the real bot can trust
that the emulator talks PTB's wire format and maps errors the way Telegram does.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import Emulator

pytestmark = pytest.mark.asyncio

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="rsvp:yes"),
            InlineKeyboardButton("No", callback_data="rsvp:no"),
        ],
        [InlineKeyboardButton("Site", url="https://example.org")],
    ]
)
App = Application[Any, Any, Any, Any, Any, Any]
REPORT = b"name;rsvp\nAnn;yes\n" * 50


async def eventually(predicate: Callable[[], Any], within: float = 5.0) -> Any:
    """Poll ``predicate`` until it returns something truthy, failing after ``within`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(0.005)


# --------------------------------------------------------------------------- the bare bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    assert update.effective_message is not None
    name = html.escape(update.effective_user.first_name)
    await update.effective_message.reply_text(
        f"Welcome, <b>{name}</b>!", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.data in ("rsvp:yes", "rsvp:no"):
        answer = query.data.split(":")[1]
        await query.answer(f"Saved: {answer}")
        await query.edit_message_text(f"You answered {answer}")
    else:
        await query.answer("This button is no longer valid", show_alert=True)


async def send_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id,
        REPORT,
        filename="report.csv",
        caption="Your <i>report</i>",
        parse_mode=ParseMode.HTML,
    )


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    assert update.effective_message.document
    doc = update.effective_message.document
    file = await doc.get_file()
    data = await file.download_as_bytearray()
    context.bot_data["received"] = (doc.file_name, doc.mime_type, bytes(data))
    await update.effective_message.reply_text(f"Got {len(data)} bytes")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    assert update.effective_message.text
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change: ChatMemberUpdated | None = update.my_chat_member
    assert change is not None
    context.bot_data.setdefault("member_changes", []).append(
        (change.chat.id, change.new_chat_member.status)
    )


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    emulator = Emulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def app(emu: Emulator) -> AsyncIterator[App]:
    application = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("report", send_report))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after (the int form emits a deprecation warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


# --------------------------------------------------------------------------- tests


async def test_initialize_calls_get_me(app: App, emu: Emulator) -> None:
    assert app.bot.username == emu.bot_username
    assert app.bot.id == emu.bot_id
    assert emu.calls_to("getMe")[0].ok
    await eventually(lambda: emu.calls_to("getUpdates"))
    assert emu.calls_to("deleteWebhook")


async def test_text_conversation(app: App, emu: Emulator) -> None:
    ann = emu.user(1001, "Ann & <Co>")
    assert not ann.started
    await ann.send("/start inv_42")
    assert ann.started
    msg = await eventually(ann.last)
    # the HTML reply was escaped by the bot and parsed by the emulator
    assert msg.text == "Welcome, Ann & <Co>!"
    assert msg.entities == [{"type": "bold", "offset": 9, "length": 10}]
    assert ann.buttons() == ["Yes", "No", "Site"]
    call = emu.calls_to("sendMessage", chat_id=1001)[0]
    assert call.params["chat_id"] == 1001
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rsvp:yes"

    await ann.send("hello there")
    await eventually(lambda: len(ann.messages()) == 2)
    assert ann.messages()[-1].text == "echo: hello there"
    assert emu.stats["sent_messages"] == 2


async def test_press_by_label(app: App, emu: Emulator) -> None:
    bob = emu.user(1002, "Bob")
    await bob.send("/start")
    await eventually(bob.last)
    with pytest.raises(LookupError, match="'Yes', 'No', 'Site'"):
        await bob.press("Maybe")
    with pytest.raises(ValueError, match="callback_data"):
        await bob.press("Site")
    await bob.press("Yes")
    await eventually(lambda: emu.answered_callbacks and bob.last().edited)
    (answer,) = emu.answered_callbacks.values()
    assert answer["text"] == "Saved: yes"
    last = bob.last()
    assert last is not None
    assert last.text == "You answered yes"
    assert last.reply_markup is None  # edit without reply_markup drops the keyboard
    assert last.edited == 1
    assert len(bob.messages()) == 1


async def test_forged_press_data(app: App, emu: Emulator) -> None:
    eve = emu.user(1003, "Eve")
    await eve.send("/start")
    await eventually(eve.last)
    await eve.press_data("rsvp:delete_everything")
    answer = await eventually(lambda: next(iter(emu.answered_callbacks.values()), None))
    assert answer["show_alert"] is True
    assert answer["text"] == "This button is no longer valid"
    assert eve.last().edited == 0


async def test_document_round_trip(app: App, emu: Emulator) -> None:
    ann = emu.user(1004, "Ann")
    content = bytes(range(256)) * 40
    await ann.send_document("answers.bin", content, "application/octet-stream")
    received = await eventually(lambda: app.bot_data.get("received"))
    assert received == ("answers.bin", "application/octet-stream", content)
    await eventually(lambda: ann.last() and ann.last().text == f"Got {len(content)} bytes")

    await ann.send("/report")
    doc_msg = await eventually(lambda: next((m for m in ann.messages() if m.document), None))
    assert doc_msg.document.filename == "report.csv"
    assert doc_msg.document.content == REPORT
    assert doc_msg.text == "Your report"
    assert emu.calls_to("sendDocument")[0].files["document"].content == REPORT


async def test_html_validation_is_bad_request(app: App, emu: Emulator) -> None:
    ann = emu.user(1005, "Ann")
    await ann.send("hi")
    await eventually(ann.last)
    for bad in ("a < b", "Tom & Jerry", "<b>bold</i>", "<b>open", "<br>", "<span>x</span>"):
        with pytest.raises(BadRequest, match="an't parse entities"):
            await app.bot.send_message(ann.id, bad, parse_mode=ParseMode.HTML)
    ok = await app.bot.send_message(ann.id, html.escape("a < b & c"), parse_mode=ParseMode.HTML)
    assert ok.text == "a < b & c"
    # without parse_mode the same text is fine
    await app.bot.send_message(ann.id, "a < b & c")
    with pytest.raises(BadRequest, match="too long"):
        await app.bot.send_message(ann.id, "x" * 4097)
    # 4096 characters after entity parsing is fine even if the HTML source is longer
    await app.bot.send_message(ann.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest):
        await app.bot.send_message(ann.id, "kb", reply_markup=too_long_data)


async def test_edit_errors(app: App, emu: Emulator) -> None:
    ann = emu.user(1006, "Ann")
    await ann.send("hi")
    await eventually(ann.last)
    sent = await app.bot.send_message(ann.id, "same", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match="not modified"):
        await app.bot.edit_message_text("same", ann.id, sent.message_id, reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match="to edit not found"):
        await app.bot.edit_message_text("x", ann.id, sent.message_id + 100)
    await app.bot.delete_message(ann.id, sent.message_id)
    assert emu.chat_messages(ann.id)[-1].deleted


async def test_injected_429_is_retry_after(app: App, emu: Emulator, ptb_timedelta: None) -> None:
    ann = emu.user(1007, "Ann")
    await ann.send("hi")
    await eventually(ann.last)
    emu.fail_next(method="sendMessage", chat_id=ann.id, status=429, retry_after=7)
    with pytest.raises(RetryAfter) as exc:
        await app.bot.send_message(ann.id, "x")
    assert exc.value.retry_after == dtm.timedelta(seconds=7)
    assert emu.stats["http_429"] == 1
    await app.bot.send_message(ann.id, "now it works")


async def test_blocked_user_is_forbidden(app: App, emu: Emulator) -> None:
    ann = emu.user(1008, "Ann")
    await ann.send("hi")
    await eventually(ann.last)
    emu.set_blocked(ann.id)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await app.bot.send_message(ann.id, "x")
    await eventually(lambda: app.bot_data.get("member_changes") == [(ann.id, "kicked")])
    emu.set_deactivated(ann.id)
    with pytest.raises(Forbidden, match="deactivated"):
        await app.bot.send_message(ann.id, "x")


async def test_unstarted_user_and_unknown_chat(app: App, emu: Emulator) -> None:
    shy = emu.user(1009, "Shy")
    with pytest.raises(Forbidden, match="initiate conversation"):
        await app.bot.send_message(shy.id, "hello?")
    # 400 chat not found (never 404: PTB would turn that into InvalidToken)
    with pytest.raises(BadRequest, match="not found"):
        await app.bot.send_message(424242, "anyone?")
    assert emu.calls_to("sendMessage", chat_id=424242)[0].status == 400


async def test_server_error_is_network_error(app: App, emu: Emulator) -> None:
    ann = emu.user(1010, "Ann")
    await ann.send("hi")
    await eventually(ann.last)
    emu.fail_next(method="sendMessage", status=502)
    with pytest.raises(NetworkError) as exc:
        await app.bot.send_message(ann.id, "x")
    assert not isinstance(exc.value, BadRequest)
    assert emu.stats["http_5xx"] == 1
    emu.drop_connection_next(method="sendMessage")
    with pytest.raises(NetworkError):
        await app.bot.send_message(ann.id, "y")
    assert [m.text for m in ann.messages()] == ["echo: hi"]


async def test_spec_check(app: App, emu: Emulator) -> None:
    async with httpx.AsyncClient() as client:
        # PTB itself never omits a required parameter, so talk to the emulator directly
        r = await client.post(f"{emu.base_url}{emu.token}/sendMessage", data={"chat_id": "1"})
        assert r.status_code == 400
        assert r.json()["description"] == "Bad Request: text is required"
        assert emu.calls_to("sendMessage")[-1].params == {"chat_id": 1}
        r = await client.post(f"{emu.base_url}{emu.token}/noSuchMethod", data={"a": "1"})
        assert r.status_code == 404
        assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        r = await client.post(f"{emu.base_url}wrong:token/getMe")
        assert r.status_code == 401
        # JSON bodies are accepted too; methods are case-insensitive
        r = await client.post(f"{emu.base_url}{emu.token}/getme", json={})
        assert r.json()["result"]["username"] == emu.bot_username


async def test_group_buttons(app: App, emu: Emulator) -> None:
    group = emu.group(-100123, "Trainers")
    ann = emu.user(1011, "Ann")
    member = await app.bot.get_chat_member(group.id, emu.bot_id)
    assert member.status == "administrator"
    await app.bot.send_message(group.id, "Event card", reply_markup=KEYBOARD)
    await ann.press("No", chat_id=group.id)
    await eventually(lambda: group.last() and group.last().edited)
    assert group.messages()[0].text == "You answered no"
    await group.send(ann, "thanks")
    await eventually(lambda: len(group.messages()) == 2)


async def test_rate_limit(ptb_timedelta: None) -> None:
    async with Emulator(global_limit_per_s=30) as limited:
        users = [limited.user(2000 + i, f"U{i}") for i in range(40)]
        for u in users:
            await u.send("/start")
        bot = Bot(limited.token, base_url=limited.base_url)
        async with bot:
            results = await asyncio.gather(
                *(bot.send_message(u.id, "news") for u in users), return_exceptions=True
            )
            limited_out = [r for r in results if isinstance(r, RetryAfter)]
            assert len(limited_out) == 10
            assert all(r.retry_after == dtm.timedelta(seconds=1) for r in limited_out)
            assert limited.stats["http_429"] == 10
            assert limited.stats["sent_messages"] == 30
            # paid broadcasts use their own (1000/s) bucket
            paid = await asyncio.gather(
                *(bot.send_message(u.id, "paid", allow_paid_broadcast=True) for u in users)
            )
            assert len(paid) == 40

    async with Emulator(per_chat_limit_per_s=1) as strict:
        ann = strict.user(3000, "Ann")
        await ann.send("/start")
        async with Bot(strict.token, base_url=strict.base_url) as bot:
            await bot.send_message(ann.id, "one")
            with pytest.raises(RetryAfter):
                await bot.send_message(ann.id, "two")


async def test_long_polling_returns_promptly(emu: Emulator) -> None:
    ann = emu.user(1012, "Ann")
    bot = Bot(emu.token, base_url=emu.base_url)
    async with bot:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await eventually(lambda: emu.calls_to("getUpdates"))
        await ann.send("ping")
        updates = await asyncio.wait_for(poll, 2)
        assert loop.time() - t0 < 2
        assert [u.message.text for u in updates if u.message] == ["ping"]
        # confirming with offset discards it; an empty long poll waits for its timeout
        t1 = loop.time()
        assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1) == ()
        assert loop.time() - t1 >= 0.9
        assert emu.pending_updates() == 0
