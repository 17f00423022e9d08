"""A real ``python -m bot run`` process sending an e-mail campaign, killed with SIGKILL
twice in the middle: nothing may be lost, and the duplicates are at most the e-mails in
flight at the kills (one SMTP connection: one each), each counted on its row.

The local SMTP server and the Telegram emulator run in the test process and outlive the
bot. Slow (the bot starts three times): run by ``make test-all``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from bot.email.devserver import DevServer
from bot.emulator import Emulator
from bot.models import EmailItem
from bot.storage import Storage
from tests.test_crash import BotProcess, until
from tests.test_email_transport import message

pytestmark = pytest.mark.slow

COUNT = 400
_SENDING = "SELECT COUNT(*) FROM email_outbox WHERE status = 'sending'"


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator() as emu:
        yield emu


def keys(server: DevServer) -> Counter[str]:
    """How many times each e-mail (by its X-Test-Key) reached the server."""
    found: Counter[str] = Counter()
    for received in server.received:
        parsed = message_from_bytes(received.content, policy=policy.default)
        found[str(parsed["X-Test-Key"])] += 1
    return found


async def test_sigkill_during_an_email_campaign_loses_nothing(
    tmp_path: Path, emulator: Emulator
) -> None:
    async with DevServer(tmp_path / "mail") as server:
        bot = BotProcess(
            tmp_path,
            emulator,
            email__host="127.0.0.1",
            email__port=str(server.port),
            email__rate_per_minute="1200",
            email__from_address="mokymai@kvietimas.lt",
        )
        storage = Storage(bot.db)
        await storage.open()
        now = datetime.now(UTC)
        queued = [
            EmailItem(f"p{i}@example.lt", None, f"k{i}", message(f"p{i}@example.lt", f"k{i}"))
            for i in range(COUNT)
        ]
        assert await storage.email_outbox.enqueue(
            queued, campaign_id=7, not_before=now, now=now
        ) == COUNT  # fmt: skip
        await storage.close()

        in_flight: list[int] = []
        try:
            # First kill: while an e-mail is in flight (the server has kept it, the bot has
            # no answer yet): it is sent again after the restart, so it arrives twice.
            release = server.hold("p100@example.lt")
            await bot.start()
            await until(lambda: "p100@example.lt" in server.holding, timeout=90)
            await bot.kill()
            in_flight.append(bot.scalar(_SENDING))
            release.set()
            # Second kill: wherever the run is (between e-mails, most likely).
            await bot.start()
            await until(lambda: server.count >= 250, timeout=90)
            await bot.kill()
            in_flight.append(bot.scalar(_SENDING))
            assert bot.scalar("SELECT COUNT(*) FROM email_outbox WHERE status = 'sent'") < COUNT
            await bot.start()
            await until(
                lambda: bot.scalar(
                    "SELECT COUNT(*) FROM email_outbox WHERE status IN ('pending', 'sending')"
                ) == 0,
                timeout=120,
            )  # fmt: skip
            assert await bot.terminate() == 0
        finally:
            await bot.ensure_stopped()

    got = keys(server)
    assert sorted(got) == sorted(f"k{i}" for i in range(COUNT)), "an e-mail was lost"
    duplicates = sum(got.values()) - COUNT
    counted = bot.scalar("SELECT SUM(possible_duplicates) FROM email_outbox WHERE campaign_id = 7")
    assert in_flight[0] == 1  # the held one ...
    assert in_flight[1] <= 1  # one connection: one e-mail in flight at most
    assert got["k100"] == 2  # ... reached the recipient twice, and was counted
    assert 1 <= duplicates <= counted == sum(in_flight) <= 2
    assert bot.scalar("SELECT COUNT(*) FROM email_outbox WHERE status = 'sent'") == COUNT
    # The whole log: the leases' lines follow the recovery's (bot/leases.py).
    assert "email: in flight at the last stop: 1" in bot.log.read_text(encoding="utf-8")
