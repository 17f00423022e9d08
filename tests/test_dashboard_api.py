"""The dashboard's JSON API: who gets what (every endpoint x every identity), the numbers
equal the chat's, the downloads are the chat's files, and the launch data is checked
exactly as the Bot API says."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.clock import FakeClock
from bot.sim import Simulation
from bot.surveys.report import number
from bot.surveys.scoring import event_scores
from bot.views import counts_line
from bot.webapp import auth
from tests.conftest import START
from tests.dashboard_seed import (
    ORGANISER_ID,
    PREFIX,
    STRANGER_ID,
    WEBAPP,
    Seeded,
    dashboard_client,
    headers,
    launch,
    seed,
)

IDENTITIES = {
    "none": 401,
    "forged": 401,
    "expired": 401,
    "other-bot": 401,
    "stranger": 403,
    "organiser": 200,
}


@pytest.fixture
async def dsim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Simulation]:
    async with Simulation(
        tmp_path / "bot.sqlite3", clock=clock, organisers=(ORGANISER_ID,), settings=WEBAPP
    ) as running:
        yield running


@pytest.fixture
async def seeded(dsim: Simulation) -> Seeded:
    return await seed(dsim)


def endpoints(s: Seeded) -> list[str]:
    a, b = s.events[0].id, s.events[1].id
    return [
        "/api/me",
        "/api/overview",
        "/api/overview?from=2027-01-01&to=2027-12-31",
        f"/api/events/{a}",
        f"/api/programmes/{s.programme_id}",
        f"/api/compare?events={a},{b}",
        f"/api/compare?programmes={s.programme_id}",
        f"/api/events/{a}/files/csv/link",
        f"/api/events/{a}/files/csv",
        f"/api/events/{a}/files/answers",
    ]


async def test_every_endpoint_refuses_all_but_organisers(dsim: Simulation, seeded: Seeded) -> None:
    """The matrix: no initData, a forged hash, an expired one, another bot's token -> 401; a
    valid non-organiser -> 403; and the refusal's body is a fixed error, no data in it."""
    titles = [e.title for e in seeded.events]
    async with dashboard_client(dsim) as client:
        for path in endpoints(seeded):
            for identity, status in IDENTITIES.items():
                response = await client.get(PREFIX + path, headers=headers(launch(dsim, identity)))
                body = await response.read()
                assert response.status == status, (path, identity, body[:200])
                if status != 200:
                    assert json.loads(body) == {
                        "error": "unauthorised" if status == 401 else "forbidden"
                    }
                    assert not any(t.encode() in body for t in titles)
                elif "/files/" not in path or path.endswith("/link"):
                    assert response.headers["Cache-Control"] == "no-store"


async def test_the_page_itself_holds_no_data(dsim: Simulation, seeded: Seeded) -> None:
    async with dashboard_client(dsim) as client:
        response = await client.get(PREFIX + "/")
        page = await response.text()
        assert response.status == 200
        assert "telegram-web-app.js" in page
        assert "dashboard.js" in page
        assert seeded.events[0].title not in page
        assert "Content-Security-Policy" in response.headers


async def test_numbers_are_the_chats(dsim: Simulation, seeded: Seeded) -> None:
    """Counts equal /rsvps' line, scores equal /scores' (the same scoring function)."""
    event = seeded.events[0]
    organiser = dsim.user(ORGANISER_ID, "Rasa", language="en")
    async with dashboard_client(dsim) as client:
        response = await client.get(
            f"{PREFIX}/api/events/{event.id}?lang=en", headers=headers(launch(dsim, "organiser"))
        )
        page = await response.json()
    report = await event_scores(dsim.services, event)
    survey = page["survey"]
    assert survey["completed"] == report.counts.completed == 8  # 9 said yes, one unfinished
    assert survey["eligible"] == report.counts.eligible == 9
    assert survey["overall"] == pytest.approx(report.overall, abs=1e-4)
    by_id = {q["id"]: q for q in survey["questions"]}
    for score in report.questions:
        q = by_id[score.question.id]
        if score.question.kind.scored:
            assert q["n"] == score.stats.n
            assert q["mean"] == pytest.approx(score.stats.mean, abs=1e-4)
            assert q["median"] == score.stats.median
            assert sum(d["count"] for d in q["distribution"]) >= score.stats.n
    e = page["event"]
    assert (e["yes"], e["maybe"], e["no"], e["present"]) == (9, 2, 1, 9)
    assert sum(o["yes"] for o in page["organisations"]) == 9

    await organiser.send(f"/rsvps {event.id}")
    from bot.models import RsvpCounts

    counts = RsvpCounts(
        yes=e["yes"], no=e["no"], maybe=e["maybe"], waitlist=e["waiting"], invited=e["invited"]
    )
    tr = dsim.services.translator
    assert counts_line(tr, "en", event, counts) in organiser.last_html
    await organiser.send(f"/scores {event.id}")
    texts = "\n".join(organiser.texts())
    assert f"Overall score: {number(survey['overall'], 'en')} of 5" in texts
    first = survey["questions"][0]
    assert f"n {first['n']} · mean {number(first['mean'], 'en')}" in texts


async def test_small_organisations_never_show_alone(dsim: Simulation, seeded: Seeded) -> None:
    """A named questionnaire too: no organisation with fewer respondents than
    privacy.min_group_size is shown on its own (event page and comparison)."""
    size = dsim.services.settings.privacy.min_group_size
    async with dashboard_client(dsim) as client:
        h = headers(launch(dsim, "organiser"))
        page = await (
            await client.get(f"{PREFIX}/api/events/{seeded.events[0].id}", headers=h)
        ).json()
        ids = ",".join(str(e.id) for e in seeded.events)
        side = await (await client.get(f"{PREFIX}/api/compare?events={ids}", headers=h)).json()
    groups = page["survey"]["organisations"]["groups"]
    assert all(g["respondents"] >= size for g in groups)
    other = page["survey"]["organisations"]["other"]
    assert other is None or other["respondents"] >= size
    assert len(side["columns"]) == 2
    assert side["questions"]


async def test_download_is_the_chats_file(dsim: Simulation, seeded: Seeded) -> None:
    """The link's file is the /export file; the link is bound to its file, user and time."""
    event, other = seeded.events
    organiser = dsim.user(ORGANISER_ID, "Rasa", language="en")
    async with dashboard_client(dsim) as client:
        h = headers(launch(dsim, "organiser"))
        files = {}
        for kind in ("csv", "xlsx"):
            link = await (
                await client.get(
                    f"{PREFIX}/api/events/{event.id}/files/{kind}/link?lang=en", headers=h
                )
            ).json()
            assert "tgWebAppData" not in link["url"]
            assert "hash" not in link["url"]
            response = await client.get(link["url"])  # no header: the token alone
            assert response.status == 200
            files[kind] = (response.headers["Content-Disposition"], await response.read())
        csv_link = (
            await (
                await client.get(f"{PREFIX}/api/events/{event.id}/files/csv/link", headers=h)
            ).json()
        )["url"]
        token = csv_link.split("token=")[1].split("&")[0]
        # Bound to its event and kind: the same token for another file is refused.
        for wrong in (
            f"{PREFIX}/api/events/{other.id}/files/csv?token={token}",
            f"{PREFIX}/api/events/{event.id}/files/xlsx?token={token}",
            f"{PREFIX}/api/events/{event.id}/files/csv?token={token[:-1]}0",
        ):
            assert (await client.get(wrong)).status == 401
        # Short-lived.
        dsim.clock.advance(timedelta(seconds=dsim.services.settings.webapp.download_ttl_s + 1))
        assert (await client.get(csv_link)).status == 401

    await organiser.send(f"/export {event.id}")
    sent = {m.document.filename: m.document.content for m in organiser.messages if m.document}
    disposition, content = files["csv"]
    assert f"scores-event-{event.id}-answers.csv" in disposition
    assert content == sent[f"scores-event-{event.id}-answers.csv"]
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) > 1
    disposition, content = files["xlsx"]
    chat = load_workbook(io.BytesIO(sent[f"scores-event-{event.id}.xlsx"]), read_only=True)
    ours = load_workbook(io.BytesIO(content), read_only=True)
    assert chat.sheetnames == ours.sheetnames
    for name in chat.sheetnames:
        assert list(chat[name].values) == list(ours[name].values)


async def test_download_token_of_another_bot_or_a_stranger_is_refused(
    dsim: Simulation, seeded: Seeded
) -> None:
    event = seeded.events[0]
    now = int(dsim.clock.now().timestamp())
    other_key = auth.download_key("987654:other-bots-token-AAAAAAAAAAAAAAAAAAAAAAAA")
    token = dsim.services.settings.telegram.token
    assert token is not None
    ours = auth.download_key(token.get_secret_value())
    async with dashboard_client(dsim) as client:
        forged = auth.download_token(
            other_key, event_id=event.id, kind="csv", user_id=ORGANISER_ID, expires=now + 60
        )
        url = f"{PREFIX}/api/events/{event.id}/files/csv?token={forged}"
        assert (await client.get(url)).status == 401
        stranger = auth.download_token(
            ours, event_id=event.id, kind="csv", user_id=STRANGER_ID, expires=now + 60
        )
        url = f"{PREFIX}/api/events/{event.id}/files/csv?token={stranger}"
        assert (await client.get(url)).status == 403


async def test_bad_queries_are_400_and_unknown_ids_404(dsim: Simulation, seeded: Seeded) -> None:
    async with dashboard_client(dsim) as client:
        h = headers(launch(dsim, "organiser"))
        for path, status in (
            ("/api/overview?from=yesterday", 400),
            ("/api/overview?programme=x", 400),
            ("/api/compare?events=1,x", 400),
            ("/api/compare", 400),
            ("/api/events/999999", 404),
            ("/api/programmes/999999", 404),
            (f"/api/events/{seeded.events[0].id}/files/exe/link", 404),
        ):
            assert (await client.get(PREFIX + path, headers=h)).status == status, path


async def test_overview_filters(dsim: Simulation, seeded: Seeded) -> None:
    async with dashboard_client(dsim) as client:
        h = headers(launch(dsim, "organiser"))
        everything = await (await client.get(f"{PREFIX}/api/overview", headers=h)).json()
        assert [e["id"] for e in everything["events"]] == [e.id for e in seeded.events]
        first_day = everything["events"][0]["starts"][:10]
        only = await (
            await client.get(f"{PREFIX}/api/overview?from={first_day}&to={first_day}", headers=h)
        ).json()
        assert [e["id"] for e in only["events"]] == [seeded.events[0].id]
        none = await (await client.get(f"{PREFIX}/api/overview?programme=999", headers=h)).json()
        assert none["events"] == []


# -- the launch data itself (WEBAPPS.md) --------------------------------------------------------


TOKEN = "123456:test-token"
KEY = auth.secret_key(TOKEN)
NOW = START.timestamp()


def test_valid_launch_is_accepted() -> None:
    signed = auth.sign_init_data(TOKEN, {"id": 7, "first_name": "Ona"}, int(NOW))
    assert auth.validate(signed, KEY, now=NOW, max_age_s=60).id == 7


def test_key_order_is_the_api_s() -> None:
    """secret_key = HMAC(key="WebAppData", msg=token), not the other way round."""
    import hashlib
    import hmac

    assert hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest() == KEY
    assert hmac.new(TOKEN.encode(), b"WebAppData", hashlib.sha256).digest() != KEY


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s + "&auth_date=1",  # a repeated field
        # Repeated before the signed one: a last-wins parser would accept it, and a
        # first-wins reader elsewhere would see the unsigned user.
        lambda s: 'user={"id":1000}&' + s,
        lambda s: s.replace("hash=", "hash=x"),  # a garbled hash
        lambda s: s.replace("&hash=", "&signature=abc&hash="),  # a field added after signing
        lambda s: "&".join(p for p in s.split("&") if not p.startswith("hash=")),  # no hash
        lambda s: s.replace("query_id=", "query_id=%ZZ"),  # not URL-encoded
        lambda s: "",
        lambda s: s * 200,  # oversized
    ],
)
def test_mangled_launches_are_refused(mangle: object) -> None:
    signed = auth.sign_init_data(TOKEN, {"id": 7}, int(NOW))
    with pytest.raises(auth.Refused):
        auth.validate(mangle(signed), KEY, now=NOW, max_age_s=60)  # type: ignore[operator]


def test_age_limits() -> None:
    old = auth.sign_init_data(TOKEN, {"id": 7}, int(NOW) - 61)
    with pytest.raises(auth.Refused):
        auth.validate(old, KEY, now=NOW, max_age_s=60)
    future = auth.sign_init_data(TOKEN, {"id": 7}, int(NOW) + 3600)
    with pytest.raises(auth.Refused):
        auth.validate(future, KEY, now=NOW, max_age_s=60)


@pytest.mark.parametrize("user", ['{"id":"7"}', "[7]", "not json", '{"id":true}', '{"name":"x"}'])
def test_users_without_an_integer_id_are_refused(user: str) -> None:
    import hashlib
    import hmac
    from urllib.parse import urlencode

    fields = {"auth_date": str(int(NOW)), "user": user}
    fields["hash"] = hmac.new(
        KEY, auth.data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    with pytest.raises(auth.Refused):
        auth.validate(urlencode(fields), KEY, now=NOW, max_age_s=60)


def test_authorization_header_scheme() -> None:
    assert auth.authorization_value("tma abc") == "abc"
    assert auth.authorization_value("Bearer abc") is None
    assert auth.authorization_value("tma ") is None
    assert auth.authorization_value(None) is None


async def test_counts_are_live_and_scores_at_most_the_cache_age_old(
    dsim: Simulation, seeded: Seeded
) -> None:
    from tests.report_seed import Person, enrol, respond

    event = seeded.events[0]
    url = f"{PREFIX}/api/events/{event.id}"
    async with dashboard_client(dsim) as client:
        before = await (await client.get(url, headers=headers(launch(dsim, "organiser")))).json()
        late = Person(799_999, "Vėlyvas Dalyvis", "Akmenės rajono savivaldybės administracija")
        pid = await enrol(dsim, event, late)
        await respond(dsim, event, pid, late, 1)
        now = await (await client.get(url, headers=headers(launch(dsim, "organiser")))).json()
        assert now["event"]["yes"] == before["event"]["yes"] + 1  # live
        assert now["survey"]["completed"] == before["survey"]["completed"]  # cached
        age = dsim.services.settings.webapp.scores_cache_s
        dsim.clock.advance(timedelta(seconds=age + 1))
        later = await (await client.get(url, headers=headers(launch(dsim, "organiser")))).json()
        assert later["survey"]["completed"] == before["survey"]["completed"] + 1


async def test_one_computation_for_everyone_asking_at_once() -> None:
    import asyncio

    from bot.webapp.cache import ScoreCache

    calls = 0
    gate = asyncio.Event()

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await gate.wait()
        return 42

    cache: ScoreCache[int] = ScoreCache(15, lambda: 0.0)
    waiting = [asyncio.ensure_future(cache.get("p1", compute)) for _ in range(5)]
    await asyncio.sleep(0)
    gate.set()
    assert await asyncio.gather(*waiting) == [42] * 5
    assert calls == 1
    assert await cache.get("p1", compute) == 42
    assert calls == 1
    off: ScoreCache[int] = ScoreCache(0, lambda: 0.0)
    await off.get("p1", compute)
    await off.get("p1", compute)
    assert calls == 3


@pytest.mark.sqlite_only("reads SQLite's query plans")
async def test_every_statement_of_a_page_reads_through_an_index(
    dsim: Simulation, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No page does work proportional to everything stored: every statement an event,
    programme, comparison or overview page runs searches the big tables by an index (no
    full scan of answers, responses, RSVPs, attendance or invitations)."""
    from bot.webapp import data

    database = dsim.db.database
    seen: list[tuple[str, tuple[object, ...]]] = []
    for name in ("fetch_all", "fetch_one", "scalar"):
        original = getattr(database, name)

        async def recording(sql: str, params: object = (), _original: object = original) -> object:
            seen.append((sql, tuple(params)))  # type: ignore[arg-type]
            return await _original(sql, params)  # type: ignore[operator]

        monkeypatch.setattr(database, name, recording)
    services = dsim.services
    ids = [e.id for e in seeded.events]
    await data.event_page(services, ids[0], "en")
    await data.programme_page(services, seeded.programme_id, "en")
    await data.compare(services, "en", event_ids=ids)
    await data.overview(services, starts_from="2027-01-01", starts_to="2027-12-31")
    monkeypatch.undo()
    scans = []
    for sql, params in seen:
        for row in await database.fetch_all("EXPLAIN QUERY PLAN " + sql, params):
            detail = str(row[3])
            fine = (
                not detail.startswith("SCAN")
                or "USING" in detail  # walking an index in order (events by start, programmes)
                or re.fullmatch(r"SCAN \(subquery-\d+\)", detail)  # a result built by searches
                # ... the same, named (PostgreSQL wants every derived table named)
                or re.search(rf"\) AS {re.escape(detail.removeprefix('SCAN '))}\b", sql)
                or (detail == "SCAN a" and "agenda_items" in sql)  # one event's agenda
                # the agenda's recursive walk (bot/storage/events.py): its seed row and
                # the items so far, one event's agenda at a time
                or detail in ("SCAN CONSTANT ROW", "SCAN agenda_so_far")
            )
            if not fine:
                scans.append((detail, sql[:80]))
    assert len(seen) > 20
    assert scans == [], sorted({d for d, _ in scans})


@pytest.mark.parametrize(
    ("kind", "magic", "name"),
    [
        ("report", b"%PDF", "report-event-{id}.pdf"),
        ("signin", b"%PDF", "signin-seminaras-01.pdf"),
        ("certificates", b"PK", "certificates-event-{id}.zip"),
        ("xlsx", b"PK", "scores-event-{id}.xlsx"),
        ("answers", b"", "answers-event-{id}.csv"),
    ],
)
async def test_every_file_downloads(
    dsim: Simulation, seeded: Seeded, kind: str, magic: bytes, name: str
) -> None:
    event = seeded.events[0]
    async with dashboard_client(dsim) as client:
        response = await client.get(
            f"{PREFIX}/api/events/{event.id}/files/{kind}",
            headers=headers(launch(dsim, "organiser")),
        )
        body = await response.read()
    assert response.status == 200
    assert body.startswith(magic)
    assert name.format(id=event.id) in response.headers["Content-Disposition"]
