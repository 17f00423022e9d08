"""The unsubscribe page (bot/email/web.py) on its own aiohttp test server: a signed link
shows a page in the person's language, one click (RFC 8058) unsubscribes at once and for
good; a forged, edited or malformed token answers 404 and records nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.email import web as email_web
from bot.email.invitations import queue_campaign, unsubscribe_target
from bot.email.unsubscribe import make_token, secret_key
from bot.models import EmailKind, EmailSegment, Event
from bot.services import Services
from tests.email_world import world


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[tuple[Services, Event]]:
    async with world(tmp_path) as running:
        yield running


@pytest.fixture
async def client(
    bot: tuple[Services, Event],
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    services, _ = bot
    app = web.Application()
    email_web.add_routes(app, "/email", services)
    async with TestClient(TestServer(app)) as running:
        yield running


async def sends(services: Services) -> list[tuple[int, int, str, str | None]]:
    rows = await services.db.database.fetch_all(
        "SELECT id, campaign_id, address, unsubscribed_at FROM email_sends ORDER BY id"
    )
    return [(int(r[0]), int(r[1]), str(r[2]), r[3]) for r in rows]


async def queued(services: Services, event: Event) -> list[tuple[int, int, str, str | None]]:
    await queue_campaign(services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1000)
    return await sends(services)


def token_of(services: Services, send: tuple[int, int, str, str | None]) -> str:
    return make_token(secret_key(services.settings), send[0], send[1], send[2])


async def test_one_click_unsubscribes_at_once_and_for_good(
    bot: tuple[Services, Event], client: TestClient[web.Request, web.Application]
) -> None:
    services, event = bot
    first, *others = await queued(services, event)
    token = token_of(services, first)
    page = await client.get(f"/email/u/{token}")
    assert page.status == 200
    text = await page.text()
    assert "Daugiau laiškų man nesiųsti" in text  # Lithuanian: the language of the e-mail
    assert first[2] in text
    assert (await sends(services))[0][3] is None  # looking is not unsubscribing
    assert not await services.db.email_outbox.is_suppressed(first[2])

    # The mail program's one click (RFC 8058).
    done = await client.post(
        f"/email/u/{token}", data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert done.status == 200
    assert "daugiau nesiųsime" in await done.text()
    assert await services.db.email_outbox.is_suppressed(first[2])
    after = await sends(services)
    assert after[0][3] is not None
    assert all(row[3] is None for row in after[1:])  # only that address

    # A second campaign does not write to it again.
    await queue_campaign(services, EmailSegment(event.id), EmailKind.INVITATION, created_by=1000)
    second = [row for row in await sends(services) if row[1] != first[1]]
    assert first[2] not in {row[2] for row in second}
    assert {row[2] for row in second} == {row[2] for row in others}


def _forgeries(services: Services, send: tuple[int, int, str, str | None]) -> list[str]:
    good = token_of(services, send)
    send_id, signature = good.split(".")
    other_key = make_token(b"another key", send[0], send[1], send[2])
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    return [
        f"{int(send_id) + 1}.{signature}",  # another row, this row's signature
        f"{send_id}.{flipped}",  # an edited signature
        other_key,  # signed with another key
        make_token(secret_key(services.settings), send[0], send[1], "evil@attacker.example"),
        make_token(secret_key(services.settings), send[0], send[1] + 1, send[2]),
        f"{send_id}",
        f"{send_id}.",
        "0.AAAAAAAAAAAAAAAAAAAAAA",
        "../../etc/passwd",
        "x" * 300,
    ]


async def test_forged_tokens_answer_404_and_record_nothing(
    bot: tuple[Services, Event], client: TestClient[web.Request, web.Application]
) -> None:
    services, event = bot
    first, *_ = await queued(services, event)
    for forged in _forgeries(services, first):
        for method in (client.get, client.post):
            answer = await method(f"/email/u/{forged}")
            assert answer.status == 404, (forged, method)
    assert all(row[3] is None for row in await sends(services))
    for row in await sends(services):
        assert not await services.db.email_outbox.is_suppressed(row[2])


async def test_the_signature_check_is_what_refuses(bot: tuple[Services, Event]) -> None:
    """Without the signature check an edited token would be honoured: the check is real."""
    services, event = bot
    first, *_ = await queued(services, event)
    assert await unsubscribe_target(services, token_of(services, first)) is not None
    send_id, signature = token_of(services, first).split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert await unsubscribe_target(services, f"{send_id}.{flipped}") is None


async def test_a_forgotten_persons_link_no_longer_works(
    bot: tuple[Services, Event], client: TestClient[web.Request, web.Application]
) -> None:
    services, event = bot
    first, *_ = await queued(services, event)
    participant_id = await services.db.database.scalar(
        "SELECT participant_id FROM email_sends WHERE id = ?", (first[0],)
    )
    await services.db.privacy.privacy_forget(int(participant_id), now=services.clock.now())
    row = await services.db.database.fetch_one(
        "SELECT address, personal_code, organisation FROM email_sends WHERE id = ?", (first[0],)
    )
    assert row is not None
    assert tuple(row) == (None, None, None)
    answer = await client.get(f"/email/u/{token_of(services, first)}")
    assert answer.status == 404


async def test_the_page_is_in_the_persons_language(
    bot: tuple[Services, Event], client: TestClient[web.Request, web.Application]
) -> None:
    services, event = bot
    await services.db.database.execute(
        "UPDATE participants SET language = 'uk' WHERE email = 'olena@akmene.lt'"
    )
    rows = await queued(services, event)
    olena = next(row for row in rows if row[2] == "olena@akmene.lt")
    page = await client.get(f"/email/u/{token_of(services, olena)}")
    assert "Більше не надсилати мені листів" in await page.text()


async def test_the_process_web_server_serves_the_link_the_email_names(
    bot: tuple[Services, Event],
) -> None:
    """bot/web.py mounts each bot's unsubscribe page at its ``[email] public_url`` path: the
    URL printed in the e-mail is the one the running server answers."""
    from urllib.parse import urlsplit

    from bot.email.unsubscribe import unsubscribe_url
    from bot.web import compose, route_sets_for

    services, event = bot
    assert services.settings.email is not None
    services.settings.email.public_url = "https://kvietimas.example.lt/acme"
    first, *_ = await queued(services, event)
    url = unsubscribe_url(services.settings.email.public_url, token_of(services, first))
    async with TestClient(TestServer(compose(route_sets_for([services])))) as running:
        page = await running.get(urlsplit(url).path)
        assert page.status == 200
        assert first[2] in await page.text()
        assert (await running.get("/email/u/" + url.rsplit("/", 1)[1])).status == 404
