"""``make demo``: the whole flow on the built-in emulator, with simulated participants.

No token, no network: the emulator plays Telegram, a fake clock plays time, and 30
participants from the institutions of the Akmenė training (../examples/event.toml) open the
invitation, register and answer. Prints what the organiser would see, and follows one
Lithuanian participant from the invitation to her certificate. Times are the event's.

Each run starts with an empty output folder: the files the last run wrote (listed in
``.kvietimas-demo``) are removed; a folder holding anything else is left alone and the demo
stops with exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import random
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

from bot.cli import cli_text
from bot.documents.certificates import render_certificate
from bot.documents.report import write_event_report
from bot.documents.signin import sheet_filename, signin_pdf
from bot.email.devserver import DevServer
from bot.events import import_event
from bot.i18n import format_short
from bot.invitations import new_codes
from bot.models import Event, ImportRow
from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from bot.surveys.export import export_events
from bot.surveys.model import QuestionKind, SurveyDefinition
from bot.web import WebServer

EXAMPLE_EVENT = Path(__file__).resolve().parent.parent / "examples" / "event.toml"
ORGANISER_ID = 1000

INSTITUTIONS = (
    "Akmenės rajono savivaldybės administracija",
    "Akmenės rajono seniūnijos",
    "Užimtumo tarnyba",
    "Akmenės rajono jaunimo ir suaugusiųjų švietimo centras",
    "Akmenės rajono savivaldybės viešoji biblioteka",
    "Akmenės rajono paramos šeimai centras",
    "Akmenės rajono socialinių paslaugų namai",
    "Akmenės krašto muziejus",
)
# (first names, surnames) that agree in gender, as Lithuanian names do.
NAMES = (
    (("Asta", "Rūta", "Eglė", "Ieva", "Laura", "Greta", "Kristina", "Olena"),
     ("Kazlauskienė", "Jankauskaitė", "Vasiliauskienė", "Butkutė", "Urbonienė", "Petrauskaitė")),
    (("Jonas", "Tomas", "Mindaugas", "Darius", "Paulius", "Andrius", "Mykola"),
     ("Petrauskas", "Stankevičius", "Žukauskas", "Paulauskas", "Kavaliauskas", "Urbonas")),
)  # fmt: skip


# The participant the demo follows end to end: a Lithuanian librarian who comes.
SHOWCASE_NAME = "Rūta Vasiliauskienė"
SHOWCASE_ORGANISATION = "Akmenės rajono savivaldybės viešoji biblioteka"
# The file in the output folder that lists what the last run wrote (and may remove).
MANIFEST = ".kvietimas-demo"
# What the demo wrote before it kept a manifest: still its own.
_EARLIER_DEMO_FILES = ("scores-event-*", "certificate-*.pdf", "report-event-*")
# What the simulated participants write in the questionnaire's comment boxes.
COMMENTS = {
    "lt": (
        "Daugiau praktinių pavyzdžių ir atvejų analizės.",
        "Norėtųsi ilgesnės diskusijos su lektoriais.",
        "Puikiai organizuota, ačiū!",
        "Salėje buvo per šilta, reikėtų daugiau pertraukų.",
        "Pateiktis atsiųskite iš anksto.",
    ),
    "en": ("More practical examples, please.", "Slides in advance would help."),
    "uk": ("Дякую, дуже корисно!", "Більше часу на запитання, будь ласка."),
}


class DemoRefused(Exception):
    """The demo will not write into the output folder; the message says why."""


@dataclass(frozen=True)
class Persona:
    user_id: int
    name: str
    organisation: str
    language: str
    answer: str  # button to press: yes / no / maybe


def personas(count: int, seed: int = 8) -> list[Persona]:
    """``count`` people; the first is the Lithuanian participant the demo follows."""
    rng = random.Random(seed)
    if count <= 0:
        return []
    people = [Persona(50_000, SHOWCASE_NAME, SHOWCASE_ORGANISATION, "lt", "yes")]
    taken = {SHOWCASE_NAME}
    for i in range(1, count):
        name = " ".join(rng.choice(part) for part in rng.choice(NAMES))
        while name in taken:  # two people of the same name would confuse the printed lists
            name = " ".join(rng.choice(part) for part in rng.choice(NAMES))
        taken.add(name)
        language = rng.choices(("lt", "en", "uk"), weights=(8, 1, 1))[0]
        answer = rng.choices(("yes", "no", "maybe"), weights=(7, 1, 2))[0]
        people.append(
            Persona(
                user_id=50_000 + i,
                name=name,
                organisation=INSTITUTIONS[i % len(INSTITUTIONS)],
                language=language,
                answer=answer,
            )
        )
    return people


def plain(text: str) -> str:
    """What a phone shows, roughly: HTML tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def say(text: str = "") -> None:
    print(text, flush=True)


def local_time(moment: datetime, zone: str) -> str:
    """``2027-03-09 16:00 (Europe/Vilnius)``: the demo speaks the event's time."""
    return f"{format_short(moment, zone)} ({zone})"


def prepare_output(output: Path) -> None:
    """An empty output folder for this run: the files the last run wrote are removed;
    anything else in the folder stops the demo (it is somebody's, not ours to delete)."""
    if output.exists() and not output.is_dir():
        raise DemoRefused(f"{output} is a file, not a folder: choose another --output")
    output.mkdir(parents=True, exist_ok=True)
    manifest = output / MANIFEST
    if manifest.is_file():
        ours = {line for line in manifest.read_text(encoding="utf-8").splitlines() if line}
    else:
        ours = {
            entry.name
            for entry in output.iterdir()
            if entry.is_file() and any(fnmatch(entry.name, p) for p in _EARLIER_DEMO_FILES)
        }
    foreign = sorted(e.name for e in output.iterdir() if e.name != MANIFEST and e.name not in ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise DemoRefused(
            f"{output} holds files the demo did not write ({shown}): "
            "empty it or choose another --output"
        )
    for name in ours:
        entry = output / name
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
    manifest.unlink(missing_ok=True)


def record_output(output: Path) -> list[str]:
    """Remember what this run wrote, so the next run may remove exactly that."""
    written = sorted(e.name for e in output.iterdir() if e.name != MANIFEST)
    (output / MANIFEST).write_text("".join(f"{name}\n" for name in written), encoding="utf-8")
    return written


async def register_and_answer(sim: Simulation, persona: Persona, payload: str) -> None:
    """The person opens ``payload``: their personal link from the e-mail (``p_...``: the bot
    knows their name and organisation) or the event's public link (they type both)."""
    user: SimUser = sim.user(persona.user_id, persona.name.split()[0], language=persona.language)
    tr = sim.services.translator
    await user.send(f"/start {payload}")
    await user.press(tr.text(persona.language, "btn-consent"))
    if not payload.startswith("p_"):
        await user.send(persona.name)
        await user.send(persona.organisation)
    await user.press(tr.text(persona.language, f"btn-{persona.answer}"))


def demo_address(name: str) -> str:
    """An example address from a name: ``Rūta Vasiliauskienė`` -> ruta.vasiliauskiene@..."""
    folded = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(c for c in folded if c.isascii() and (c.isalnum() or c == " "))
    return ".".join(ascii_name.lower().split()) + "@pavyzdys.lt"


_PERSONAL = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=(p_[A-Za-z0-9_-]+)")


async def invite_by_email(
    sim: Simulation, event: Event, people: Sequence[Persona], smtp: DevServer
) -> tuple[dict[int, str], int]:
    """The organiser imports the list and sends the invitations by e-mail from /broadcast;
    the local SMTP server writes them as .eml files. Returns each person's personal payload,
    read from their e-mail, and the organiser's message with the report button."""
    from email.parser import BytesParser
    from email.policy import default

    services = sim.services
    rows = [
        ImportRow(i + 2, p.name, demo_address(p.name), p.organisation, None, None)
        for i, p in enumerate(people)
    ]
    await services.db.invitations.import_participants(
        rows, codes=new_codes(len(rows)), event_id=event.id, now=services.clock.now()
    )
    say(f"\nOrganiser imported the participant list: {len(rows)} people with e-mail addresses")
    organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
    tr = services.translator
    await organiser.send(f"/broadcast {event.id}")
    await organiser.press(tr.text("lt", "email-btn-by-email")[:60])
    await organiser.press(tr.text("lt", "email-seg-not-opened", count=len(rows))[:60])
    await organiser.press(tr.text("lt", "email-kind-invitation"))
    say("The organiser's /broadcast -> e-mail preview (the start):")
    say("  " + "\n  ".join(plain(organiser.last_text).splitlines()[:6]))
    await organiser.press(tr.text("lt", "email-btn-send", count=len(rows)))
    say("  " + plain(organiser.last_text))
    queued = int(organiser.last.message_id)
    assert sim.app is not None and sim.app.email_sender is not None
    await sim.app.email_sender.wait_idle(timeout=60)
    say(smtp.summary())
    first = next((r.path for r in smtp.received if r.path is not None), None)
    if first is not None:
        say(f"  {people[0].name}'s e-mail (plain text, HTML, QR code, calendar file): {first}")
    payloads: dict[int, str] = {}
    for persona, row in zip(people, rows, strict=True):
        assert row.email is not None
        for raw in smtp.messages_to(row.email)[:1]:
            body = BytesParser(policy=default).parsebytes(raw).get_body(("plain",))
            found = _PERSONAL.search(str(body.get_content()) if body is not None else "")
            if found:
                payloads[persona.user_id] = found.group(1)
    return payloads, queued


def show_phone(user: SimUser, heading: str) -> None:
    say(heading)
    say("  " + plain(user.last_text).replace("\n", "\n  "))
    if user.buttons():
        say("  buttons: " + " | ".join(user.buttons()))


async def run_demo(
    output: Path, *, participants: int = 30, dashboard: float | None = None, port: int = 8081
) -> int:
    """The flow; with ``dashboard`` (seconds, 0 = until Ctrl-C) the dashboard is served after."""
    logging.getLogger().setLevel(logging.WARNING)
    prepare_output(output)
    try:
        await _run(output, participants, dashboard, port)
    finally:
        record_output(output)
    return 0


async def _run(output: Path, participants: int, dashboard: float | None, port: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # The e-mails land in demo-output/mail/ (the local SMTP server).
        async with (
            DevServer(output / "mail") as smtp,
            Simulation(
                Path(tmp) / "demo.sqlite3",
                organisers=(ORGANISER_ID,),
                settings={
                    "organisation_name": "Socialinių paslaugų priežiūros departamentas",
                    # Invitations by e-mail go to the local SMTP server started above.
                    "email": {
                        "host": smtp.host,
                        "port": smtp.port,
                        "rate_per_minute": 60_000,
                        "from_address": "mokymai@pavyzdys.lt",
                        "from_name": "Socialinių paslaugų priežiūros departamentas",
                        "reply_to": "koordinatore@pavyzdys.lt",
                        # The demo's web server (below): the dashboard and these links.
                        "public_url": f"http://127.0.0.1:{port}",
                        "unsubscribe_secret": "demo-only",
                    },
                    # The funding block and signatory of the seed's project (PMIF 2014-2020,
                    # co-funded); a real deployment also supplies its emblem file.
                    "documents": {
                        "funding": {
                            "statement": "Bendrai finansuoja Europos Sąjunga",
                            "project_code": "Projekto kodas PMIF-2.2.1-V-01-001",
                        },
                        "signatory": {
                            "name": "Vardenis Pavardenis",
                            "position": "Skyriaus vedėjas",
                        },
                    },
                },
            ) as sim,
        ):
            services = sim.services
            say("== Kvietimas demo: emulated Telegram, simulated clock, no token ==")
            event, _ = await import_event(
                services.db, EXAMPLE_EVENT.read_text(encoding="utf-8"),
                default_zone=services.settings.timezone, now=services.clock.now(),
            )  # fmt: skip
            say(f"Clock: {local_time(services.clock.now(), event.timezone)}")
            payload = f"e_{event.invite_code}"
            say(f"Organiser imported event #{event.id}: {event.title}")
            say(f"Starts {local_time(event.starts_at, event.timezone)}")
            say(f"Invite link: https://t.me/{services.bot_username}?start={payload}")

            people = personas(participants)
            # Invitations by e-mail: each person's personal link (their own payload).
            links, queued = await invite_by_email(sim, event, people, smtp) if people else ({}, 0)
            say("\n" + cli_text("cli-demo-participants", count=len(people)))
            if people:  # she comes first, so her row (and certificate) is the first
                await register_and_answer(sim, people[0], links.get(people[0].user_id, payload))
            for start in range(1, len(people), 10):  # then ten phones at a time
                batch = people[start : start + 10]
                await asyncio.gather(
                    *(register_and_answer(sim, p, links.get(p.user_id, payload)) for p in batch)
                )
            if people:
                show_phone(
                    sim.user(people[0].user_id, ""),
                    f"\nWhat {people[0].name} sees on her phone (in Lithuanian):",
                )

            organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
            await organiser.send(f"/rsvps {event.id}")
            say("\nThe organiser's /rsvps (answers by organisation):")
            say("  " + plain(organiser.last_text).replace("\n", "\n  "))
            if links:  # who opened the bot from their e-mail, per organisation
                report = sim.services.t("lt", "email-btn-report")
                await organiser.press(report, message_id=queued)
                say("\nThe organiser's e-mail report:")
                say("  " + plain(organiser.last_text).replace("\n", "\n  "))

            # the questionnaire after the event
            await run_survey_demo(sim, event, people, output, say=say)

            # who came, certificates, the report
            await run_attendance_demo(sim, event, output, say=say)
            if people:
                show_phone(
                    sim.user(people[0].user_id, ""),
                    f"\n{people[0].name}'s certificate arrives in her chat:",
                )
            if dashboard is not None:
                await serve_dashboard(sim, port, dashboard)
            else:
                say("\nThe organisers' dashboard of these data: python -m bot demo --dashboard")


async def start_dashboard(sim: Simulation, port: int) -> tuple[WebServer, str]:
    """The dashboard of the demo's data on 127.0.0.1, and a URL that opens it in a normal
    browser: the launch data Telegram would pass, signed with the emulator's token, in the
    URL fragment (never sent to the server; the page sends it as a header)."""
    from urllib.parse import quote

    from aiohttp import web

    from bot.email.unsubscribe import PATH_PREFIX
    from bot.email.web import add_routes as add_email_pages
    from bot.webapp import add_routes
    from bot.webapp.auth import sign_init_data

    services = sim.services
    token = services.settings.telegram.token
    assert token is not None
    app = web.Application()
    add_routes(app, [services], prefix="/dashboard")
    add_email_pages(app, PATH_PREFIX, services)  # the unsubscribe links of the demo's e-mails
    server = WebServer(app, listen="127.0.0.1", port=port)
    await server.start()
    user = {"id": ORGANISER_ID, "first_name": "Organiser", "language_code": "lt"}
    launch = sign_init_data(token.get_secret_value(), user, int(services.clock.now().timestamp()))
    return server, f"{server.base_url}/dashboard/#tgWebAppData={quote(launch, safe='')}"


async def serve_dashboard(sim: Simulation, port: int, seconds: float) -> None:
    """Serve the dashboard for ``seconds`` (0: until Ctrl-C), printing its URL."""
    import signal

    try:
        server, url = await start_dashboard(sim, port)
    except OSError as exc:  # the port is taken: the demo itself is done, say how to retry
        say(f"\nThe dashboard cannot listen on 127.0.0.1:{port} ({exc.strerror}):")
        say("  python -m bot demo --dashboard --port <another port>")
        return
    say("\nThe organisers' dashboard (a Telegram Mini App) of these data, in a normal browser:")
    say(f"  {url}")
    say("  (Ctrl-C stops it)" if not seconds else f"  (served for {seconds:g} s)")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        if seconds:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)
        else:
            await stop.wait()
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        await server.stop()


# -- after the event: the questionnaire -------------------------------------------------


async def _drain(sim: Simulation) -> None:
    """Until the outbox is empty (the sender paces each chat in real time)."""
    async with asyncio.timeout(30):
        await sim.settle()
        while await sim.db.outbox.outbox_pending_count():
            await asyncio.sleep(0.05)
            await sim.settle()


async def _answer(
    sim: Simulation,
    user: SimUser,
    persona: Persona,
    definition: SurveyDefinition,
    rng: random.Random,
    *,
    stop_after: int | None,
) -> None:
    """One participant's taps: a personal mood, a little noise, sometimes a comment."""
    tr, lang = sim.services.translator, persona.language
    mood = rng.choice((3, 4, 4, 5, 5))
    await user.press(tr.text(lang, "survey-btn-start"))
    for index, question in enumerate(definition.questions):
        if stop_after is not None and index >= stop_after:
            return  # leaves it for later: shows as "unfinished"
        skip = tr.text(lang, "survey-btn-skip")
        if question.kind is QuestionKind.RATING:
            value = min(5, max(1, mood + rng.choice((-2, -1, 0, 0, 0, 1))))
            await user.press(str(value))
        elif question.kind is QuestionKind.NPS:
            if not question.required and rng.random() < 0.3:
                await user.press(skip)
            else:
                await user.press(str(min(10, max(0, 2 * mood + rng.choice((-2, -1, 0, 0))))))
        elif question.kind is QuestionKind.TEXT:
            comments = COMMENTS.get(lang, COMMENTS["lt"])
            if question.required or rng.random() < 0.4:
                await user.send(rng.choice(comments))
            else:
                await user.press(skip)
        else:
            await user.press(skip)


async def run_survey_demo(
    sim: Simulation,
    event: Event,
    people: Sequence[Persona],
    output: Path,
    *,
    say: Callable[[str], None] = say,
) -> None:
    services = sim.services
    sim.clock.set(event.ends_at)
    now = format_short(sim.clock.now(), event.timezone)
    say(f"\nClock: {now} ({event.timezone}) — the training has ended.")
    queued = await lifecycle.open_survey(services, event.id, now=sim.clock.now())
    await _drain(sim)
    say(cli_text("cli-demo-survey-out", count=queued))
    survey = await services.db.surveys.get_survey(event.id)
    assert survey is not None
    definition = SurveyDefinition.from_json(survey.definition)
    rng = random.Random(9)
    coming = [p for p in people if p.answer == "yes"]
    plans = [(p, 3 if i % 9 == 4 else None) for i, p in enumerate(coming)]
    for start in range(0, len(plans), 10):  # ten phones at a time
        batch = plans[start : start + 10]
        await asyncio.gather(
            *(
                _answer(sim, sim.user(p.user_id, ""), p, definition, rng, stop_after=stop)
                for p, stop in batch
            )
        )
    if not coming:
        say("\n" + cli_text("cli-demo-no-answers"))
        return
    first = sim.user(coming[0].user_id, "")
    say(f"\nWhat {coming[0].name} sees at the end:")
    say("  " + plain(first.last_text).replace("\n", "\n  "))

    organiser = sim.user(ORGANISER_ID, "Organiser", language="lt")
    before = len(organiser.messages)
    await organiser.send(f"/scores {event.id}")
    replies = organiser.messages[before:]
    say("\nThe organiser's /scores:")
    for message in replies:
        if message.photo is not None:
            chart = output / f"scores-event-{event.id}.png"
            chart.write_bytes(message.photo.content)
            say(f"  [chart sent in chat, written to {chart}]")
        else:
            say("  " + plain(message.text or "").replace("\n", "\n  "))
    export = await export_events(services, [event], lang="lt")
    workbook = output / f"scores-event-{event.id}.xlsx"
    workbook.write_bytes(export.xlsx)
    say(f"\nExport for the funder's report ({export.rows} answers): {workbook}")


# -- the end: who came, certificates, the report --------------------------------------------


async def run_attendance_demo(
    sim: Simulation, event: Event, output: Path, *, say: Callable[[str], None]
) -> list[Path]:
    """``make demo``, the end: the organiser marks who came, sends the certificates, and the
    demo writes one certificate, the sign-in sheet and the event's report (PDF and XLSX)
    to ``output``."""
    services, lang = sim.services, "lt"
    organiser = sim.user(sim.organisers[0], "Organiser", language=lang)
    await organiser.send(f"/attendance {event.id}")
    await organiser.press(services.t(lang, "attendance-btn-all-yes"))
    say("\nThe organiser marks everyone who said yes as present (/attendance):")
    say("  " + plain(organiser.last_text).replace("\n", "\n  "))
    await organiser.press(services.t(lang, "attendance-btn-issue"))
    say("  " + organiser.last_text)
    await sim.settle(timeout=60)  # certificates go out paced, one per chat per second
    paths: list[Path] = []
    certificates = await services.db.documents.event_certificates(event.id)
    if certificates:
        first = certificates[0]
        content = await render_certificate(services, first.code)
        if content is not None:
            path = output / f"certificate-{first.code}.pdf"
            path.write_bytes(content)
            paths.append(path)
    sheet = output / sheet_filename(event)
    sheet.write_bytes(await signin_pdf(services, event))
    paths.append(sheet)
    paths += await write_event_report(services, event, lang, output)
    say(f"\n{len(certificates)} certificates sent. Written:")
    for path in paths:
        say(f"  {path}")
    return paths
