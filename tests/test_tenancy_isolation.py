"""No command, button, export or report of one bot ever shows another bot's data.

Two bots of one deployment run side by side in one process (bot/tenancy.py), each in its
own namespace, on one emulator server. Bot B ("beta") is seeded with distinctive strings
(every name, organisation, title, place and answer carries ``ZEBRA``), personal links and
issued certificates; bot A ("acme") with ordinary ones, under the same event ids and the
same Telegram ids. Then A's organiser runs every organiser command (bare, with each event
id and with B's slugs), presses every button those screens show (two levels deep), and
forges every organiser callback class with every value for each event id; certificates,
reports, sign-in sheets and exports are made on the way. A person registered in both bots
uses every participant command of A (``/my``, ``/certificate``, ``/mydata``...), and a
stranger opens B's invitation, personal, check-in and verification links in A. Every text,
caption, button,
callback answer and file (PDF text, XLSX cells, CSV, ICS) bot A sent to anyone is searched
for B's strings and codes: none may appear.

The search is not blind: A's own names are found in the same texts and files, and two bots
made to share one namespace fail the same search (the last test).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from bot.app import PARTICIPANT_MENU
from bot.clock import FakeClock
from bot.config import explicit_settings
from bot.documents.certificates import issue_by_organiser
from bot.emulator import Emulator
from bot.invitations import new_codes
from bot.models import Event, ImportRow, RsvpStatus
from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from bot.tenancy import tenants_of
from tests.conftest import EXAMPLE_EVENT, START
from tests.test_authz import organiser_classes, organiser_commands, samples_of

TOKEN_A, TOKEN_B = "222222:ACME-TOKEN", "333333:BETA-TOKEN"
ORGANISER_A, ORGANISER_B = 2000, 3000
MARK_B = "zebr"  # in every string of bot B (compared lower-case)
MARK_A = "akmuo"  # in every name of bot A (the positive control)
PEOPLE = range(700_000, 700_006)  # the same Telegram ids in both bots
EVENTS = 3  # the same event ids (1..3) in both bots
PRESS_BUDGET = 400  # buttons pressed by the crawl, at most


@dataclass
class Bot:
    sim: Simulation
    emulator: Emulator
    organiser: SimUser
    events: list[Event] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)  # codes only this bot hands out


def event_source(i: int, mark: str) -> str:
    source = EXAMPLE_EVENT.read_text(encoding="utf-8")
    replacements = {
        'slug = "akmene-2027-03"': f'slug = "{mark}-{i}"',
        'title = "Mokymai Akmenės rajonui': f'title = "{mark.capitalize()} seminaras {i}',
        'programme = "Savivaldybių': f'programme = "{mark.capitalize()} programa',
        'address = "L. Petravičiaus a. 2, Naujoji Akmenė"': f'address = "{mark} g. {i}"',
        'hall = "Didžioji salė"': f'hall = "{mark} salė"',
        "starts = 2027-03-09T10:00:00": f"starts = 2027-03-{9 + i:02d}T10:00:00",
        "rsvp_deadline = 2027-03-05T18:00:00": "",
    }
    for old, new in replacements.items():
        assert old in source, old
        source = source.replace(old, new)
    return source


async def seed(bot: Bot, mark: str) -> None:
    """Events with a questionnaire, people who said yes, answered with a comment, were
    present and got certificates, and people with personal links: every string marked."""
    from bot.events import import_event

    sim = bot.sim
    storage, now = sim.db, sim.clock.now()
    for i in range(1, EVENTS + 1):
        event, _ = await import_event(
            storage, event_source(i, mark), default_zone="Europe/Vilnius", now=now
        )
        bot.events.append(event)
        bot.secrets.add(event.invite_code)
        await lifecycle.ensure_survey(sim.services, event.id)
    for n, telegram_id in enumerate(PEOPLE):
        event = bot.events[n % EVENTS]
        row = await storage.people.ensure_participant(telegram_id, language="en", now=now)
        await storage.people.record_consent(row.id, "2026-11", now)
        name = f"{mark.capitalize()}aitė {chr(65 + n)}"
        await storage.people.set_participant_profile(
            row.id, name=name, organisation=f"{mark.capitalize()} organizacija {n}", now=now
        )
        await storage.rsvps.apply_rsvp(
            event.id, row.id, RsvpStatus.YES, capacity=None, now=now, invite_source="link"
        )
        response = await storage.surveys.start_response(
            event.id, row.id, organisation=f"{mark.capitalize()} organizacija {n}", now=now
        )
        assert response is not None
        answers = [("overall", 5, None), ("recommend", 9, None),
                   ("improve", None, f"{mark.capitalize()} komentaras {n}")]  # fmt: skip
        for position, (question, rating, text) in enumerate(answers, start=1):
            await storage.surveys.save_answer(
                response.id, event_id=event.id, question=question, rating=rating, text=text,
                position=position, now=now,
            )  # fmt: skip
        await storage.surveys.complete_response(
            response.id, participant_id=row.id, position=len(answers) + 1, now=now
        )
        sim.user(telegram_id, name.split()[0])
    listed = [
        ImportRow(row=n, name=f"{mark.capitalize()}ienė {n}", email=f"{mark}{n}@example.lt",
                  organisation=f"{mark.capitalize()} biblioteka", role=None, category=None)
        for n in range(1, 4)
    ]  # fmt: skip
    codes = new_codes(len(listed))
    await storage.invitations.import_participants(
        listed, codes=codes, event_id=bot.events[0].id, now=now
    )
    bot.secrets.update(codes)
    for event in bot.events:
        await storage.attendance.mark_yes_present(event.id, now=now)


AFTER = datetime.fromisoformat("2027-03-20T12:00:00+02:00")  # every event has ended


@asynccontextmanager
async def two_bots(
    tmp_path: Path, *, share_namespace: bool = False
) -> AsyncIterator[tuple[Bot, Bot]]:
    """Bots A and B of one deployment on one emulator server, B seeded with ZEBRA, A with
    AKMUO. ``share_namespace``: B's data in A's namespace (the protection removed)."""
    host = Emulator(token=TOKEN_A, bot_username="acme_bot")
    emulators = {"acme": host, "beta": host.add_bot(TOKEN_B, bot_username="beta_bot")}
    await host.start()
    top = explicit_settings(
        telegram={"base_url": host.base_url, "base_file_url": host.base_file_url},
        database={"path": str(tmp_path / "data" / "kvietimas.sqlite3")},
        bots=[
            {"key": "acme", "token": TOKEN_A, "organisers": [ORGANISER_A],
             "organisation_name": "Akmuo mokymai"},
            {"key": "beta", "token": TOKEN_B, "organisers": [ORGANISER_B],
             "organisation_name": "Zebras asociacija"},
        ],
    )  # fmt: skip
    tenants = {t.key: t for t in tenants_of(top, [])}
    assert set(tenants) == {"acme", "beta"}  # no top-level token: no main bot
    if share_namespace:
        beta = tenants["beta"].settings
        beta.database = tenants["acme"].settings.database
    clock = FakeClock(START)
    bots: dict[str, Bot] = {}
    try:
        for key, organiser in (("acme", ORGANISER_A), ("beta", ORGANISER_B)):
            sim = Simulation(tmp_path / "unused", clock=clock, emulator=emulators[key],
                             base_settings=tenants[key].settings)  # fmt: skip
            await sim.start_bot()
            bots[key] = Bot(sim, emulators[key], sim.user(organiser, "Rasa"))
        a, b = bots["acme"], bots["beta"]
        await seed(b, "zebra")
        if not share_namespace:
            await seed(a, "akmuo")
        clock.set(AFTER)
        # B's certificates issued and sent (their verification codes are B's secrets too).
        for event in b.events:
            await issue_by_organiser(b.sim.services, event, "en")
        await b.sim.settle()
        for event in b.events:
            for person_id in PEOPLE:
                person = await b.sim.db.people.get_participant_by_telegram(person_id)
                if person is None:
                    continue
                certificate = await b.sim.db.documents.certificate_for(event.id, person.id)
                if certificate is not None:
                    b.secrets.add(certificate.code)
            code = new_codes(1)[0]  # a check-in QR code of B's
            b.secrets.add(await b.sim.db.attendance.ensure_checkin_code(event.id, code, now=AFTER))
        assert b.secrets
        host.reset_records()
        emulators["beta"].reset_records()
        yield a, b
    finally:
        for bot in reversed(list(bots.values())):
            await bot.sim.stop_bot()
        await host.stop()


# -- what bot A sent, as text ------------------------------------------------------------------


def file_text(name: str, content: bytes) -> str:
    if content.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(content))
        return " ".join(page.extract_text() for page in reader.pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(
                book.read(n).decode("utf-8", "replace") for n in book.namelist()
                if n.endswith(".xml")
            )  # fmt: skip
    return content.decode("utf-8", "replace")


@dataclass
class Sent:
    where: str
    text: str
    kind: str  # "call" or the file's kind: pdf, xlsx, text, image
    chat_id: int | str | None = None


def everything_sent(emulator: Emulator) -> Iterator[Sent]:
    """Every Bot API call the bot made (texts, captions, buttons, callback answers, menus)
    and every file it uploaded, as searchable text."""
    for call in emulator.calls:
        params = json.dumps(call.params, ensure_ascii=False)
        yield Sent(call.method, params, "call", call.chat_id)
        for field_name, upload in call.files.items():
            where = f"{call.method}:{field_name}:{upload.filename}"
            content = upload.content
            if content.startswith((b"\x89PNG", b"\xff\xd8")):
                yield Sent(where, upload.filename, "image", call.chat_id)  # pixels: name only
                continue
            kind = "pdf" if content.startswith(b"%PDF") else (
                "xlsx" if content.startswith(b"PK") else "text")  # fmt: skip
            text = f"{upload.filename} {file_text(upload.filename, content)}"
            yield Sent(where, text, kind, call.chat_id)


def leaks(emulator: Emulator, other: Bot, *, typed_by: frozenset[int] = frozenset()) -> list[str]:
    """Where the other bot's strings or codes appear in what this bot sent. Codes are not
    searched in the chats of ``typed_by``: people who typed them (a reply may quote them)."""
    found = []
    for sent in everything_sent(emulator):
        low = sent.text.lower()
        if MARK_B in low:
            found.append(f"{sent.where} to {sent.chat_id}: ...{_around(low, MARK_B)}...")
        if sent.chat_id not in typed_by:
            found += [
                f"{sent.where} to {sent.chat_id}: code {code} in ...{_around(sent.text, code)}..."
                for code in other.secrets
                if code in sent.text
            ]
    return found


def _around(text: str, part: str) -> str:
    at = text.index(part)
    return text[max(0, at - 80) : at + len(part) + 40]


# -- driving bot A as its organiser -----------------------------------------------------------


async def press_new_buttons(
    user: SimUser, start: int, pressed: set[str], budget: list[int]
) -> None:
    """Press every callback button not pressed yet on the messages ``user`` got from index
    ``start`` on (two rounds: the screens those presses open too)."""
    for _ in range(2):
        waiting = [
            (message.message_id, data)
            for message in user.messages[start:]
            if not message.deleted
            for data in message.button_data().values()
            if data not in pressed
        ]
        if not waiting:
            return
        for message_id, data in waiting:
            if budget[0] <= 0 or data in pressed:
                continue
            pressed.add(data)
            budget[0] -= 1
            await user.press_data(data, message_id=message_id)


async def drive_every_organiser_route(bot: Bot, other: Bot) -> dict[str, int]:
    """Every organiser command (bare, with each event id, with the other bot's slug and
    codes), every button reached from them, and every organiser callback class forged with
    every value for each event id. Returns what was done, for the not-vacuous checks."""
    app = bot.sim.app
    assert app is not None
    organiser = bot.organiser
    await organiser.send("/start")
    pressed: set[str] = set()
    budget = [PRESS_BUDGET]
    commands = organiser_commands(app)
    arguments = ["", *(str(e.id) for e in bot.events), "zebra-1", *sorted(other.secrets)[:3]]
    for command in commands:
        for argument in arguments:
            start = len(organiser.messages)
            await organiser.send(f"/{command} {argument}".strip())
            await press_new_buttons(organiser, start, pressed, budget)
            await organiser.send("/cancel")
    forged = 0
    for cls in organiser_classes(app):
        for event_id in range(1, EVENTS + 2):
            for data in samples_of(cls, event_id):
                if data in pressed:
                    continue
                pressed.add(data)
                await organiser.press_data(data)
                forged += 1
        await organiser.send("/cancel")
    return {"commands": len(commands), "pressed": PRESS_BUDGET - budget[0], "forged": forged}


async def test_nothing_bot_a_sends_shows_bot_b_data(tmp_path: Path) -> None:
    async with two_bots(tmp_path) as (a, b):
        done = await drive_every_organiser_route(a, b)
        # A person of both bots uses every participant command of A (their own data there:
        # events, certificates, the personal data export) and every button on the way.
        both = a.sim.user(PEOPLE[0], "Akmuoaitė")
        pressed: set[str] = set()
        for command in PARTICIPANT_MENU:
            if command != "forget":
                start = len(both.messages)
                await both.send(f"/{command}")
                await press_new_buttons(both, start, pressed, [40])
        await a.sim.settle()
        mine = [s for s in everything_sent(a.emulator) if s.chat_id == PEOPLE[0]]
        assert any(s.kind != "call" and MARK_A in s.text.lower() for s in mine)  # /mydata
        # B's links opened in A: invitation, personal, check-in and verification codes.
        stranger = a.sim.user(8800, "Petras")
        for code in sorted(b.secrets):
            for kind in ("e", "p", "c", "v"):
                await stranger.send(f"/start {kind}_{code}")
        await a.sim.settle()
        found = leaks(a.emulator, b, typed_by=frozenset({stranger.id}))
        assert found == [], "\n".join(found[:20])
        # Not vacuous: the routes were driven and A's own data was in what A sent.
        assert done["commands"] >= 15
        assert done["pressed"] >= 40
        assert done["forged"] >= 50
        sent = list(everything_sent(a.emulator))
        kinds_with_a = {s.kind for s in sent if MARK_A in s.text.lower()}
        assert {"call", "pdf", "xlsx"} <= kinds_with_a, kinds_with_a
        # and B was not asked to do anything but wait for its own updates
        assert {c.method for c in b.emulator.calls} <= {"getUpdates"}


async def test_an_organiser_of_bot_a_is_a_stranger_to_bot_b(tmp_path: Path) -> None:
    async with two_bots(tmp_path) as (_a, b):
        app = b.sim.app
        assert app is not None
        intruder = b.sim.user(ORGANISER_A, "Rasa")  # A's organiser, writing to bot B
        for command in organiser_commands(app):
            for argument in ("", *(str(e.id) for e in b.events)):
                await intruder.send(f"/{command} {argument}".strip())
        await intruder.send("/language")  # a keyboard to press forged data on
        assert intruder.buttons()
        forged = 0
        for cls in organiser_classes(app):
            for data in samples_of(cls, b.events[0].id):
                await intruder.press_data(data)
                forged += 1
        assert forged >= 20
        texts = [str(m.text) for m in intruder.messages]
        refusals = [t for t in texts if t == "This is for organisers only."]
        assert len(refusals) >= len(organiser_commands(app))
        answers = [
            str(c.params.get("text", "")) for c in b.emulator.calls_to("answerCallbackQuery")
        ]
        assert sum(a == "This is for organisers only." for a in answers) >= forged
        found = [f"{s.where}: {s.text[:120]}" for s in everything_sent(b.emulator)
                 if MARK_B in s.text.lower()]  # fmt: skip
        assert found == [], "\n".join(found[:20])


async def test_the_search_finds_a_leak_when_two_bots_share_a_namespace(tmp_path: Path) -> None:
    """The protection removed (B's rows in A's namespace): the same search reports B's
    data in what A shows. So the search above would see a leak if there were one."""
    async with two_bots(tmp_path, share_namespace=True) as (a, b):
        await a.organiser.send("/events")
        await a.organiser.send(f"/rsvps {b.events[0].id}")
        await a.organiser.send(f"/export {b.events[0].id}")
        await a.sim.settle()
        assert leaks(a.emulator, b)
