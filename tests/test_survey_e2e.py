"""The questionnaire after a training, through the real Application and the emulator."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from openpyxl import load_workbook

from bot.sim import Simulation, SimUser
from bot.surveys import lifecycle
from bot.surveys.buttons import SurveyPress, SvAction
from tests.conftest import add_event, register

END = datetime.fromisoformat("2027-03-09T16:00:00+02:00")  # the example event's end
START = "📝 Start the questionnaire"
SKIP, NEXT, BACK = "Skip ▶", "Next ▶", "◀ Back"
ORG_A = "Akmenės rajono savivaldybės administracija"
ORG_B = "Užimtumo tarnyba"


def last_alert(sim: Simulation) -> str:
    alerts = [a for a in sim.emulator.answered_callbacks.values() if a.get("show_alert")]
    return str(alerts[-1].get("text")) if alerts else ""


async def coming(
    sim: Simulation, user_id: int, name: str, organisation: str, event_id: int, lang: str = "en"
) -> SimUser:
    """A registered participant who answered yes."""
    event = await sim.db.events.get_event(event_id)
    assert event is not None
    user = sim.user(user_id, name.split()[0], language=lang)
    await register(sim, user, event, name=name, organisation=organisation, lang=lang)
    await user.press(sim.services.t(lang, "btn-yes"))
    return user


async def drain(sim: Simulation) -> None:
    """Until everything queued so far is sent (settle() waits for paced chats too)."""
    await sim.settle()
    assert await sim.db.outbox.outbox_pending_count() == 0


async def open_at_end(sim: Simulation, event_id: int) -> int:
    sim.clock.set(END)
    sent = await lifecycle.open_survey(sim.services, event_id, now=sim.clock.now())
    await drain(sim)
    return sent


async def answer_all(
    user: SimUser, ratings: tuple[int, ...], recommend: int | None, comment: str | None
) -> None:
    await user.press(START)
    for rating in ratings:
        await user.press(str(rating))
    await user.press(SKIP if recommend is None else str(recommend))
    if comment is None:
        await user.press(SKIP)
    else:
        await user.send(comment)


async def answers_of(sim: Simulation, event_id: int, question: str) -> list[int | None]:
    rows = await sim.db.database.fetch_all(
        "SELECT rating FROM survey_answers WHERE event_id = ? AND question = ? "
        "ORDER BY rating NULLS FIRST",
        (event_id, question),
    )
    return [r[0] for r in rows]


async def test_participants_answer_and_organiser_sees_scores(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    bob = await coming(sim, 2002, "Bob Jones", ORG_A, event.id)
    rasa = await coming(sim, 2003, "Rasa Kazlauskienė", ORG_B, event.id, lang="lt")

    assert await open_at_end(sim, event.id) == 3
    invite = alice.last_text
    assert "How was “Mokymai Akmenės rajonui" in invite
    assert "Please answer 8 short questions, one at a time" in invite
    assert "until 2027-03-23 16:00" in invite
    assert "will see your answers together with your name" in invite
    assert alice.buttons() == [START]
    assert "Kaip vertinate mokymus „Mokymai Akmenės rajonui" in rasa.last_text
    assert rasa.buttons() == ["📝 Pildyti anketą"]

    # One question at a time, with progress, labelled ends and the answer buttons.
    await alice.press(START)
    assert "1/8" in alice.last_text
    assert "How do you rate the training overall?" in alice.last_text
    assert "1 – very poor, 5 – excellent" in alice.last_text
    assert alice.buttons() == ["1", "2", "3", "4", "5"]
    await alice.press("5")
    assert "2/8" in alice.last_text
    assert "content and topics" in alice.last_text
    assert alice.buttons() == ["1", "2", "3", "4", "5", BACK]
    for rating in (4, 5, 4, 5):
        await alice.press(str(rating))
    assert "How do you rate the organisation and the venue?" in alice.last_text
    await alice.press("4")
    assert "7/8" in alice.last_text
    assert "(optional)" in alice.last_text
    assert alice.buttons()[:11] == [str(v) for v in range(11)]
    assert alice.buttons()[11:] == [BACK, SKIP]
    await alice.press("10")
    assert "8/8" in alice.last_text
    assert "Type your answer" in alice.last_text
    await alice.send("More practical <b>examples</b>, please.")
    assert "Thank you!" in alice.last_text
    assert "You can change them until 2027-03-23 16:00" in alice.last_text
    assert alice.buttons() == ["✏️ Change my answers"]

    await answer_all(bob, (4, 3, 3, 4, 4, 3), recommend=6, comment=None)
    assert "Thank you!" in bob.last_text
    await rasa.press("📝 Pildyti anketą")
    assert "Kaip bendrai vertinate mokymus?" in rasa.last_text
    for rating in (3, 3, 2, 3, 4, 5):
        await rasa.press(str(rating))
    await rasa.press("Praleisti ▶")
    await rasa.send("Daugiau praktinių pavyzdžių")
    assert "Dėkojame!" in rasa.last_text

    assert await answers_of(sim, event.id, "overall") == [3, 4, 5]
    assert await answers_of(sim, event.id, "recommend") == [None, 6, 10]
    rows = await sim.db.database.fetch_all(
        "SELECT COUNT(*) FROM survey_responses WHERE completed_at IS NOT NULL"
    )
    assert rows[0][0] == 3

    await organiser.send(f"/scores {event.id}")
    texts = "\n".join(organiser.texts())
    assert "Scores: #1 Mokymai Akmenės rajonui" in texts
    assert "Questionnaire: open until 2027-03-23 16:00." in texts
    assert "Responses: 3 completed, 0 unfinished." in texts
    assert "Response rate: 100% of the invited (3) · 100% of those who said yes (3)" in texts
    # overall 5, 4, 3: mean 4, median 4, SD 1, two of three gave 4-5.
    assert "1. Training overall" in texts
    assert "n 3 · mean 4.00 · median 4 · SD 1.00 · 4–5: 67%" in texts
    assert "5 ███░░░░░░░ 1" in texts
    # Means per rating question: overall 4, content 3.33, knowledge 3.33, use 3.67, lecturers
    # 4.33, organisation 4; overall score = their average = 3.777...
    assert "Overall score: 3.78 of 5" in texts
    assert "The average of the means of 6 rating questions" in texts
    # 0-10: 10, 6 (one skipped): mean 8, NPS (1 promoter - 1 detractor) / 2 = 0.
    assert "n 2 · mean 8.0 · median 8 · SD 2.8 · NPS +0 · skipped 1" in texts
    assert "8. What to improve — 2 comments" in texts
    assert "💬 More practical <b>examples</b>, please. — Alice Smith, " + ORG_A in texts
    assert "💬 Daugiau praktinių pavyzdžių — Rasa Kazlauskienė, " + ORG_B in texts
    # Alice and Bob: question means 4.5, 3.5, 4, 4, 4.5, 3.5 -> 4; Rasa alone: 20 / 6.
    assert f"{ORG_A}: 4.00 (2)\n{ORG_B}: 3.33 (1)" in texts
    assert organiser.buttons() == ["📥 Export XLSX/CSV", "📚 Whole programme"]
    chart = organiser.last.photo
    assert chart is not None
    assert chart.content.startswith(b"\x89PNG")
    assert organiser.last.text == "📊 Mokymai Akmenės rajonui: trečiųjų šalių piliečių integracija"


async def test_restart_mid_survey_resumes_where_it_stopped(sim: Simulation) -> None:
    event = await add_event(sim)
    bob = await coming(sim, 2002, "Bob Jones", ORG_A, event.id)
    await open_at_end(sim, event.id)
    invitation = bob.last.message_id
    await bob.press(START)
    for rating in (4, 4, 3):
        await bob.press(str(rating))
    assert "4/8" in bob.last_text

    await sim.restart()
    sim.clock.advance(timedelta(days=1))  # a day's pause; the question is still on screen
    assert bob.last.message_id == invitation  # the invitation became the question
    await bob.press("5")
    assert "5/8" in bob.last_text
    # The invitation's button (or the reminder's) resumes at the question shown last.
    await bob.press_data(SurveyPress(SvAction.GO, event.id).pack())
    assert "5/8" in bob.last_text
    for rating in (5, 4):
        await bob.press(str(rating))
    await bob.press("8")
    assert "8/8" in bob.last_text

    await sim.restart()  # waiting for a typed answer survives a restart as well
    await bob.send("Longer breaks")
    assert "Thank you!" in bob.last_text
    rows = await sim.db.database.fetch_all(
        "SELECT question, rating, text FROM survey_answers ORDER BY question"
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("content", 4, None), ("improve", None, "Longer breaks"), ("knowledge", 3, None),
        ("lecturers", 5, None), ("organisation", 4, None), ("overall", 4, None),
        ("recommend", 8, None), ("use_at_work", 5, None),
    ]  # fmt: skip


async def test_changing_answers_back_and_after_finishing(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    await open_at_end(sim, event.id)
    await alice.press(START)
    await alice.press("2")
    await alice.press(BACK)
    assert "1/8" in alice.last_text
    assert "Your answer: 2" in alice.last_text
    assert alice.buttons()[:5] == ["1", "✅ 2", "3", "4", "5"]
    assert NEXT in alice.buttons()
    await alice.press("4")  # changed from 2 to 4
    assert await answers_of(sim, event.id, "overall") == [4]
    for rating in (4, 4, 4, 4, 4):
        await alice.press(str(rating))
    await alice.press(SKIP)
    await alice.press(SKIP)
    assert "Thank you!" in alice.last_text

    await alice.press("✏️ Change my answers")
    assert "1/8" in alice.last_text
    assert "Your answer: 4" in alice.last_text
    await alice.press("5")
    await alice.press(NEXT)  # keeps the content answer
    assert "3/8" in alice.last_text
    assert await answers_of(sim, event.id, "overall") == [5]
    assert await answers_of(sim, event.id, "content") == [4]
    rows = await sim.db.database.fetch_all("SELECT COUNT(*) FROM survey_responses")
    assert rows[0][0] == 1  # still one response per person


async def test_anonymous_mode_hides_who_answered_what(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    await organiser.send(f"/survey anonymous {event.id} on")
    assert "🔒 anonymous" in organiser.last_text
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    bob = await coming(sim, 2002, "Bob Jones", ORG_B, event.id)
    await open_at_end(sim, event.id)
    assert "The questionnaire is anonymous" in alice.last_text
    await answer_all(alice, (5, 5, 5, 5, 5, 5), recommend=9, comment="Alice thinks it was great")
    await answer_all(bob, (2, 2, 2, 2, 2, 2), recommend=None, comment="Bob wants more coffee")

    await organiser.send(f"/scores {event.id}")
    texts = "\n".join(organiser.texts())
    assert "💬 Alice thinks it was great" in texts
    assert "💬 Bob wants more coffee" in texts
    for secret in ("Alice Smith", "Bob Jones", ORG_A, ORG_B):
        assert secret not in texts
    assert "Anonymous questionnaire: no names are shown" in texts
    assert "Not shown: 2 respondents from groups smaller than 3." in texts

    await organiser.send(f"/export {event.id}")
    answers_csv = organiser.last.document
    assert answers_csv.filename == f"scores-event-{event.id}-answers.csv"
    table = list(csv.reader(io.StringIO(answers_csv.content.decode("utf-8-sig"))))
    assert table[0][3:6] == ["Response", "Participant", "Organisation"]
    assert {row[3] for row in table[1:]} == {"R1", "R2"}
    assert {row[4] for row in table[1:]} == {""}
    assert {row[5] for row in table[1:]} == {""}
    assert {row[11] for row in table[1:]} == {""}  # no answer times either
    assert "Bob wants more coffee" in answers_csv.content.decode("utf-8-sig")

    # One response per person is still enforced, and answers can still be changed...
    await alice.press("✏️ Change my answers")
    await alice.press("4")
    rows = await sim.db.database.fetch_all("SELECT COUNT(*) FROM survey_responses")
    assert rows[0][0] == 2
    # ...until it closes: then the links between people and responses are cut.
    await organiser.send(f"/survey close {event.id}")
    assert "is closed. 2 completed responses." in organiser.last_text
    links = await sim.db.database.fetch_all("SELECT response_id, completed FROM survey_respondents")
    assert [(r[0], r[1]) for r in links] == [(None, 1), (None, 1)]
    await alice.press("3")
    assert "This questionnaire is closed. Thank you!" in last_alert(sim)


async def test_closed_survey_refuses_answers_politely(sim: Simulation, organiser: SimUser) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    bob = await coming(sim, 2002, "Bob Jones", ORG_A, event.id)
    await open_at_end(sim, event.id)
    await alice.press(START)
    for rating in (5, 5, 5, 5, 5, 5):
        await alice.press(str(rating))
    await alice.press(SKIP)
    assert "8/8" in alice.last_text  # waiting for her typed answer

    await organiser.send(f"/survey close {event.id}")
    assert "is closed. 0 completed responses." in organiser.last_text
    await bob.press(START)
    assert last_alert(sim) == "This questionnaire is closed. Thank you!"
    await alice.send("A late comment")
    assert alice.last_text == "This questionnaire is closed. Thank you!"
    assert await sim.db.people.get_pending_input(2001) is None
    rows = await sim.db.database.fetch_all(
        "SELECT COUNT(*) FROM survey_answers WHERE text IS NOT NULL"
    )
    assert rows[0][0] == 0
    await organiser.send(f"/survey open {event.id}")
    assert "is closed; it cannot be opened again" in organiser.last_text


async def test_answers_refused_after_the_closing_time_even_without_close(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    await open_at_end(sim, event.id)
    sim.clock.set(END + timedelta(days=14, seconds=1))
    await alice.press(START)
    assert last_alert(sim) == "This questionnaire is closed. Thank you!"


async def test_non_organiser_cannot_see_scores_or_manage_surveys(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    await open_at_end(sim, event.id)
    await answer_all(alice, (5, 5, 5, 5, 5, 5), recommend=None, comment="secret")
    for command in (f"/scores {event.id}", f"/export {event.id}", f"/survey close {event.id}"):
        await alice.send(command)
        assert alice.last_text == "This is for organisers only."
    await alice.press_data(f"v1:os:sc:{event.id}:-")
    assert last_alert(sim) == "This is for organisers only."
    survey = await sim.db.surveys.get_survey(event.id)
    assert survey.status == "open"


async def test_only_recipients_may_answer_and_forged_buttons_change_nothing(
    sim: Simulation,
) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    carol = sim.user(2003, "Carol")
    await register(sim, carol, event, name="Carol White")
    await carol.press("❌ No")
    await open_at_end(sim, event.id)
    assert "How was" not in carol.last_text  # she said no: not asked
    await carol.press_data(SurveyPress(SvAction.GO, event.id).pack())
    assert last_alert(sim) == "This questionnaire is for the participants of the training."

    await alice.press(START)
    for data in (
        SurveyPress(SvAction.ANSWER, event.id, 0, 9).pack(),  # 9 on a 1-5 scale
        SurveyPress(SvAction.ANSWER, event.id, 99, 1).pack(),  # no such question
        SurveyPress(SvAction.TOGGLE, event.id, 0, 1).pack(),  # not a multiple choice
        SurveyPress(SvAction.ANSWER, event.id, 7, 1).pack(),  # a typed question
        SurveyPress(SvAction.SKIP, event.id, 0).pack(),  # required
        f"v1:sv:a:{event.id}:0",
        "v1:sv:zz:1:0:0",
    ):
        await alice.press_data(data)
    stale = sim.services.t("en", "error-stale-button")
    alerts = [str(a.get("text")) for a in sim.emulator.answered_callbacks.values()][-7:]
    assert alerts == [stale] * 4 + ["This question needs an answer."] + [stale] * 2
    await alice.press_data(SurveyPress(SvAction.GO, 999).pack())  # not invited to it
    assert last_alert(sim) == stale
    rows = await sim.db.database.fetch_all("SELECT COUNT(*) FROM survey_answers")
    assert rows[0][0] == 0


async def test_extended_template_single_and_multiple_choice(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    await organiser.send(f"/survey template {event.id}")
    assert organiser.buttons() == ["✅ default", "extended"]
    await organiser.press("extended")
    assert "template extended (questions: 10; 👤 with names)" in organiser.last_text
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    await open_at_end(sim, event.id)
    assert "10 short questions" in alice.last_text
    await alice.press(START)
    await alice.press("5")
    assert alice.buttons() == ["In person", "Online", BACK]
    await alice.press("In person")
    await alice.press("4")
    assert "Choose all that apply" in alice.last_text
    assert alice.buttons() == ["⬜ Lectures", "⬜ Practical cases", "⬜ Discussions", "⬜ Handouts",
                               BACK, SKIP, NEXT]  # fmt: skip
    await alice.press("⬜ Lectures")
    await alice.press("⬜ Discussions")
    assert alice.buttons()[:4] == ["✅ Lectures", "⬜ Practical cases", "✅ Discussions",
                                   "⬜ Handouts"]  # fmt: skip
    assert await answers_of(sim, event.id, "helpful") == [0b101]
    await alice.press(NEXT)
    assert "5/10" in alice.last_text
    # The template and the mode cannot change any more: it has been sent out.
    await organiser.send(f"/survey template {event.id} default")
    assert "can no longer be changed" in organiser.last_text
    await organiser.send(f"/survey anonymous {event.id} on")
    assert "can no longer be changed" in organiser.last_text

    await organiser.send(f"/scores {event.id}")
    texts = "\n".join(organiser.texts())
    assert "2. How they took part" in texts
    assert "In person: ██████████ 1 (100%)" in texts
    assert "Practical cases: ░░░░░░░░░░ 0 (0%)" in texts


async def test_reminder_goes_once_to_those_who_have_not_finished(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    bob = await coming(sim, 2002, "Bob Jones", ORG_A, event.id)
    assert await open_at_end(sim, event.id) == 2
    assert await lifecycle.open_survey(sim.services, event.id, now=sim.clock.now()) == 0
    await answer_all(alice, (5, 5, 5, 5, 5, 5), recommend=None, comment=None)
    await bob.press(START)
    await bob.press("3")  # started, not finished

    sim.clock.advance(timedelta(hours=48))
    assert await lifecycle.remind_survey(sim.services, event.id, now=sim.clock.now()) == 1
    await drain(sim)
    assert "A reminder: we would like your opinion" in bob.last_text
    assert bob.buttons() == ["📝 Answer now"]
    await bob.press("📝 Answer now")
    assert "2/8" in bob.last_text  # he continues where he stopped
    assert await lifecycle.remind_survey(sim.services, event.id, now=sim.clock.now()) == 0
    assert "A reminder" not in "\n".join(alice.texts())  # she had finished
    rows = await sim.db.database.fetch_all("SELECT dedup_key FROM outbox ORDER BY id")
    assert [r[0] for r in rows] == [
        f"survey-open:{event.id}:1",
        f"survey-open:{event.id}:2",
        f"survey-remind:{event.id}:2",
    ]
    survey = await sim.db.surveys.get_survey(event.id)
    assert survey.reminded_at == sim.clock.now()


async def test_scheduler_opens_the_survey_at_the_event_end(sim: Simulation) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    sim.clock.set(END)
    await sim.tick()
    assert "How was “Mokymai Akmenės rajonui" in alice.last_text
    survey = await sim.db.surveys.get_survey(event.id)
    assert survey.status == "open"
    assert survey.opened_at == END


async def test_organiser_opens_by_command_and_sees_status(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, event.id)
    await organiser.send("/survey")
    assert "/survey open 12" in organiser.last_text
    assert "default, extended" in organiser.last_text
    await organiser.send("/survey status")
    assert organiser.buttons()[0].startswith(f"#{event.id} ")
    await organiser.press(organiser.buttons()[0])
    assert "Questionnaire: not opened yet." in organiser.last_text
    assert "Template: default, questions: 8 · 👤 with names" in organiser.last_text
    assert "Asked to answer: 1 · started: 0 · completed: 0" in organiser.last_text
    await organiser.press("📝 Open now")
    assert "is open until 2027-03-23 16:00. Sent to 1 participant." in organiser.last_text
    assert "How was" in alice.last_text
    await organiser.send(f"/survey open #{event.id}")
    assert "Nobody new to send it to." in organiser.last_text
    await organiser.send("/survey open abc")
    assert "The questionnaire of an event" in organiser.last_text
    await organiser.send("/survey open 424242")
    assert organiser.last_text == sim.services.t("en", "error-event-not-found")


async def test_programme_scores_side_by_side_and_export(
    sim: Simulation, organiser: SimUser
) -> None:
    first = await add_event(sim)
    second = await add_event(
        sim,
        **{
            'slug = "akmene-2027-03"': 'slug = "joniskis-2027-03"',
            'title = "Mokymai Akmenės rajonui': 'title = "Mokymai Joniškio rajonui',
        },
    )
    alice = await coming(sim, 2001, "Alice Smith", ORG_A, first.id)
    bob = await coming(sim, 2002, "Bob Jones", ORG_B, second.id)
    await open_at_end(sim, first.id)
    await lifecycle.open_survey(sim.services, second.id, now=sim.clock.now())
    await drain(sim)
    await answer_all(alice, (5, 5, 5, 5, 5, 5), recommend=10, comment="Great")
    await answer_all(bob, (3, 3, 3, 3, 3, 3), recommend=None, comment=None)

    programme = first.programme_id
    await organiser.send(f"/scores p{programme}")
    texts = "\n".join(organiser.texts())
    assert "Programme: Savivaldybių kompetencijų didinimas" in texts
    assert "— 2 events" in texts
    assert "Responses: 2 completed, 0 unfinished." in texts
    assert "n 2 · mean 4.00 · median 4 · SD 1.41 · 4–5: 50%" in texts
    assert "Overall score: 4.00 of 5" in texts
    assert organiser.buttons() == ["⚖ Events side by side", "📥 Export XLSX/CSV"]

    await organiser.press("⚖ Events side by side", message_id=organiser.messages[-2].message_id)
    texts = "\n".join(organiser.texts())
    assert "Side by side: 2 events" in texts
    assert f"#{first.id} Mokymai Akmenės rajonui" in texts
    assert f"#{first.id} ██████████ 5.00 (n 1)" in texts
    assert f"#{second.id} ██████░░░░ 3.00 (n 1)" in texts
    assert organiser.last.photo is not None

    await organiser.send(f"/export p{programme}")
    workbook_message = organiser.messages[-2]
    assert workbook_message.document.filename == f"scores-programme-{programme}.xlsx"
    assert "2 answers" not in workbook_message.text  # 14 answers: 6 + 1 + 1 and 6
    assert ": 14 answers." in workbook_message.text
    book = load_workbook(io.BytesIO(workbook_message.document.content), read_only=True)
    assert book.sheetnames == ["Summary", "Responses", "Answers"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert answers[0][:4] == ("Event ID", "Event", "Date", "Response")
    assert len(answers) == 1 + 14
    assert answers[1][4:7] == ("Alice Smith", ORG_A, "overall")
    responses = list(book["Responses"].iter_rows(values_only=True))
    # Completed per event, then the total after a blank row (set apart from the data).
    assert [r[5] if r else None for r in responses[1:]] == [1, 1, None, 2]
    summary = list(book["Summary"].iter_rows(values_only=True))
    total_overall = [r for r in summary if r and r[0] is None and r[2] == "(overall)"]
    assert total_overall[0][7] == 4.0


async def test_a_long_report_is_split_into_messages_that_fit(
    sim: Simulation, organiser: SimUser
) -> None:
    event = await add_event(sim)
    await open_at_end(sim, event.id)
    storage, now = sim.db, sim.clock.now()
    for i in range(40):  # forty long comments, stored as the runner stores them
        participant = await storage.people.ensure_participant(9000 + i, language="en", now=now)
        response = await storage.surveys.start_response(
            event.id, participant.id, organisation="X", now=now
        )
        await storage.surveys.save_answer(
            response.id, event_id=event.id, question="improve", rating=None,
            text=f"Comment {i}: " + "very long remark " * 30, position=7, now=now,
        )  # fmt: skip
    await organiser.send(f"/scores {event.id}")
    texts = [t for t in organiser.texts() if t]
    report = [m for m in organiser.messages if m.photo is None]
    assert len(report) >= 3
    assert all(len(m.raw_text or "") <= 4096 for m in report)
    joined = "\n".join(texts)
    assert "— 40 comments" in joined
    assert "…and 10 more in the export (/export)." in joined
    assert organiser.buttons() == ["📥 Export XLSX/CSV", "📚 Whole programme"]
