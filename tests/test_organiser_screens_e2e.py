"""Organiser screens at real sizes: /rsvps of a 460-person event in pages and as a file;
the /newevent and /editevent previews show every field that is saved, and nothing of a
participant's card."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from bot.callbacks import OrgAction, OrganiserPress
from bot.models import Event, RsvpStatus
from bot.sim import Simulation, SimUser
from tests.conftest import add_event

PEOPLE = 460
FIRST_NAMES = ("Asta", "Jonas", "Rūta", "Olena", "Mindaugas", "Eglė", "Tomas", "Ieva", "Darius")
LAST_NAMES = ("Kazlauskienė", "Petrauskas", "Butkutė", "Ковальчук", "Jankauskas", "Žukauskaitė")
ORGANISATIONS = [f"{town} rajono savivaldybės socialinių paslaugų centras" for town in (
    "Akmenės", "Mažeikių", "Telšių", "Plungės", "Kelmės", "Raseinių", "Jurbarko", "Tauragės",
    "Šilalės", "Rietavo", "Skuodo", "Kretingos", "Joniškio", "Pakruojo", "Radviliškio",
    "Šiaulių", "Biržų", "Pasvalio", "Kupiškio", "Rokiškio", "Zarasų", "Ignalinos",
)] + ["Akmenės rajono Ventos gimnazija & biblioteka", ""]  # fmt: skip
ANSWERS = (RsvpStatus.YES, RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.NO, RsvpStatus.YES)


def person_name(number: int) -> str:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[number % len(LAST_NAMES)]
    name = f"{first} {last} {number:03d}"
    if number % 97 == 0:  # some long double names, as the registry has them
        name = f"{first} Marija Elžbieta {last}-Vaitkevičienė {number:03d}"
    if number == 7:
        name = "=HYPERLINK(1) 007"  # a formula must stay text in the file
    return name


async def crowd(sim: Simulation, event: Event) -> dict[str, str]:
    """460 people who agreed, registered and answered, stored directly to keep it fast;
    returns name -> organisation."""
    storage, now = sim.db, sim.clock.now()
    people: dict[str, str] = {}
    for number in range(PEOPLE):
        person = await storage.people.ensure_participant(10_000 + number, language="lt", now=now)
        await storage.people.record_consent(person.id, "test", now)
        organisation = ORGANISATIONS[number % len(ORGANISATIONS)]
        name = person_name(number)
        await storage.people.set_participant_profile(
            person.id, name=name, organisation=organisation or None, now=now
        )
        await storage.invitations.invite(event.id, person.id, "link", now)
        await storage.rsvps.apply_rsvp(
            event.id, person.id, ANSWERS[number % len(ANSWERS)], capacity=event.capacity, now=now
        )
        people[name] = organisation
    return people


NAME_LINE = re.compile(r"^  (✅|❌|🤔|⏳) (.+)$")


def names_on(text: str) -> list[str]:
    return [m.group(2) for line in text.splitlines() if (m := NAME_LINE.match(line))]


async def test_rsvps_of_460_people_in_pages_each_name_exactly_once(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 250"})
    people = await crowd(sim, event)

    await organiser.send(f"/rsvps {event.id}")
    first = organiser.last
    match = re.search(r"Page 1 of (\d+)", organiser.last_text)
    assert match, organiser.last_text
    pages = int(match.group(1))
    assert pages >= 4  # 460 names do not fit one message (about 110 did)
    seen: list[str] = []
    for page in range(1, pages + 1):
        text = organiser.last_text
        assert f"Page {page} of {pages}" in text
        assert len(organiser.last_html) <= 4096
        assert organiser.last.message_id == first.message_id  # turned in place
        # A page never starts with names of unknown origin: an organisation heading first.
        assert text.splitlines()[4].startswith(tuple(o or "(organisation" for o in people.values()))
        seen += names_on(text)
        buttons = organiser.buttons()
        assert "📄 Whole list (CSV)" in buttons
        if page > 1:
            assert f"◀ {page - 1}" in buttons
        if page < pages:
            await organiser.press(f"{page + 1} ▶")
        else:
            assert not any(b.endswith("▶") for b in buttons)
    assert Counter(seen) == Counter(people.keys()), "every name exactly once over the pages"

    # Back one page: the same names as before.
    await organiser.press(f"◀ {pages - 1}")
    assert f"Page {pages - 1} of {pages}" in organiser.last_text

    # The whole list as a file: every person, one row each, formulas kept as text.
    await organiser.press("📄 Whole list (CSV)")
    document = organiser.last.document
    assert document is not None
    assert document.filename == f"answers-event-{event.id}.csv"
    assert f"{PEOPLE} people" in organiser.last_text
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert rows[0] == ["Organisation", "Name", "Answer"]
    assert len(rows) == PEOPLE + 1
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1) 007" in names  # prefixed: a spreadsheet shows it, never runs it
    assert Counter(n.removeprefix("'") for n in names) == Counter(people.keys())
    answers = Counter(row[2] for row in rows[1:])
    assert answers == {"yes": 250, "maybe": 92, "no": 92, "waiting list": 26}
    assert ("(organisation not given)", person_name(23), "no") in [tuple(r) for r in rows]


async def test_rsvps_page_buttons_are_checked(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim, **{"capacity = 30": "capacity = 250"})
    await crowd(sim, event)
    await organiser.send(f"/rsvps {event.id}")
    shown = organiser.last_text
    pages = int(re.search(r"Page 1 of (\d+)", shown).group(1))
    for arg in (str(pages), "9999", "-1", "x", "01a"):
        await organiser.press_data(OrganiserPress(OrgAction.RSVPS_PAGE, event.id, arg).pack())
        alert = list(sim.emulator.answered_callbacks.values())[-1]
        assert "no longer valid" in str(alert.get("text")), arg
        assert organiser.last_text == shown, arg  # the screen did not change
    # A page of an event that does not exist.
    await organiser.press_data(OrganiserPress(OrgAction.RSVPS_PAGE, 999, "0").pack())
    assert organiser.last_text == shown


async def test_small_list_has_one_page_and_a_file(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await organiser.send(f"/rsvps {event.id}")
    assert "Nobody has answered yet." in organiser.last_text
    person = await sim.db.people.ensure_participant(3001, language="en", now=sim.clock.now())
    await sim.db.people.set_participant_profile(
        person.id, name="Asta <b>K</b>", organisation="Org & Co", now=sim.clock.now()
    )
    await sim.db.rsvps.apply_rsvp(
        event.id, person.id, RsvpStatus.YES, capacity=None, now=sim.clock.now()
    )
    await organiser.send(f"/rsvps {event.id}")
    assert "Page" not in organiser.last_text
    assert "Org & Co: 1 yes of 1" in organiser.last_text
    assert "  ✅ Asta <b>K</b>" in organiser.last_text  # shown as typed, not as markup
    assert organiser.buttons() == ["📄 Whole list (CSV)"]


# -- previews -------------------------------------------------------------------------------


async def test_newevent_preview_shows_every_field_and_no_participant_answer(
    sim: Simulation, organiser: SimUser
) -> None:
    await organiser.send("/newevent")
    for answer in (
        "Socialinių darbuotojų mokymai",
        "Savivaldybių kompetencijų stiprinimas",
        "2027-03-20 10:00",
        "16:00",
        "Žalgirio g. 3, Naujoji Akmenė",
        "Didžioji salė, II aukštas",
        "45",
        "2027-03-18 18:00",
        "10:00 Įvadas — J. Jonaitė\n11:30 Praktika — R. Petraitienė",
        "Mokymai socialiniams darbuotojams.",
    ):
        await organiser.send(answer)
    preview = organiser.last_text
    for line in (
        "Title: Socialinių darbuotojų mokymai",
        "Programme: Savivaldybių kompetencijų stiprinimas",
        "Time zone: Europe/Vilnius",
        "Place or link: Žalgirio g. 3, Naujoji Akmenė, Didžioji salė, II aukštas",
        "Places: 45",
        "Deadline: 2027-03-18 18:00",
        "Description: Mokymai socialiniams darbuotojams.",
        "10:00  Įvadas — J. Jonaitė",
        "11:30  Praktika — R. Petraitienė",
    ):
        assert line in preview, line
    assert "Your answer" not in preview
    assert "not given yet" not in preview
    assert organiser.buttons() == ["💾 Save", "✖ Discard"]  # no Yes / No / Maybe
    await organiser.press("💾 Save")
    saved = await sim.db.events.list_events(ends_after=sim.clock.now())
    assert [(e.title, e.capacity) for e in saved] == [("Socialinių darbuotojų mokymai", 45)]


async def test_editevent_preview_shows_the_changed_capacity(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    await organiser.send(f"/editevent {event.id}")
    await organiser.press("Places")
    await organiser.send("80")
    preview = organiser.last_text
    assert "Places: 80" in preview
    assert f"Title: {event.title}" in preview
    assert "Your answer" not in preview
    assert organiser.buttons() == ["💾 Save and tell participants", "✖ Discard"]
    # Skipping "places" shows the event as unlimited before it is saved that way.
    await organiser.press("✖ Discard")
    await organiser.send(f"/editevent {event.id}")
    await organiser.press("Places")
    await organiser.press("Skip ⏭")
    assert "Places: not limited" in organiser.last_text
