"""Questionnaires, responses and answers; the score aggregates are computed here, in SQL.

Anonymity lives in the schema: a response row holds no person. The only link between a
person and their response is ``survey_respondents.response_id``, used to resume and to
change answers; organisers' queries (scores, comments, export) of an anonymous survey never
read it, and closing an anonymous survey cuts it (see docs/surveys.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import (
    AnswerExportRow,
    CommentRow,
    Recipient,
    ResponseState,
    StoredAnswer,
    SurveyRow,
)
from bot.storage.database import Database, Row, Tx, from_db, to_db

# Who is asked to answer an event's questionnaire: one SQL fragment (parameter: the event id)
# that every survey query uses. With attendance (docs/attendance.md): those marked present,
# plus those who said yes when the organiser chose "yes" for the event
# (attendance_settings.survey_audience) or, by default ("auto"), when nobody was marked
# present at all.
SURVEY_ELIGIBLE = (
    "SELECT participant_id FROM attendance WHERE event_id = ? AND status = 'present' "
    "UNION SELECT r.participant_id FROM rsvps r WHERE r.event_id = ? AND r.status = 'yes' "
    "AND CASE COALESCE((SELECT survey_audience FROM attendance_settings s "
    "WHERE s.event_id = r.event_id), 'auto') WHEN 'yes' THEN TRUE WHEN 'present' THEN FALSE "
    "ELSE NOT EXISTS (SELECT 1 FROM attendance x WHERE x.event_id = r.event_id "
    "AND x.status = 'present') END"
)
SURVEY_ELIGIBLE_PARAMS = 2  # how many times the fragment needs the event id

_REACHABLE = (
    "p.telegram_id IS NOT NULL AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL "
    "AND p.forgotten_at IS NULL"
)


_SURVEY_COLUMNS = (
    "event_id, template, definition, anonymous, status, opened_at, reminded_at, closes_at, "
    "closed_at"
)


def _survey(row: Row) -> SurveyRow:
    return SurveyRow(
        event_id=row["event_id"],
        template=row["template"],
        definition=row["definition"],
        anonymous=bool(row["anonymous"]),
        status=row["status"],
        opened_at=from_db(row["opened_at"]),
        reminded_at=from_db(row["reminded_at"]),
        closes_at=from_db(row["closes_at"]),
        closed_at=from_db(row["closed_at"]),
    )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def _response_state(db: Tx, response_id: int) -> ResponseState | None:
    row = await db.fetch_one(
        "SELECT id, event_id, position, completed_at FROM survey_responses WHERE id = ?",
        (response_id,),
    )
    if row is None:
        return None
    answers = {
        r[0]: StoredAnswer(r[1], r[2])
        for r in await db.fetch_all(
            "SELECT question, rating, text FROM survey_answers WHERE response_id = ?",
            (response_id,),
        )
    }
    return ResponseState(row[0], row[1], row[2], row[3] is not None, answers)


class SurveyRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- the questionnaire of an event --------------------------------------------------------

    async def get_survey(self, event_id: int) -> SurveyRow | None:
        row = await self.database.fetch_one(
            f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE event_id = ?", (event_id,)
        )
        return None if row is None else _survey(row)

    async def surveys_for(self, event_ids: Sequence[int]) -> dict[int, SurveyRow]:
        if not event_ids:
            return {}
        rows = await self.database.fetch_all(
            f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE event_id IN ({_marks(event_ids)})",
            event_ids,
        )
        return {r["event_id"]: _survey(r) for r in rows}

    async def surveys_with_status(self, status: str) -> list[SurveyRow]:
        """For the scheduler: e.g. every open survey, to plan its reminder and its close."""
        rows = await self.database.fetch_all(
            f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE status = ? ORDER BY event_id", (status,)
        )
        return [_survey(r) for r in rows]

    async def create_survey(
        self, event_id: int, *, template: str, definition: str, anonymous: bool, now: datetime
    ) -> SurveyRow:
        """The event's survey row, created as a draft with this definition if it has none."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            await db.execute(
                "INSERT INTO surveys (event_id, template, definition, anonymous, created_at, "
                "updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT(event_id) DO NOTHING",
                (event_id, template, definition, int(anonymous), stamp, stamp),
            )
            row = await db.fetch_one(
                f"SELECT {_SURVEY_COLUMNS} FROM surveys WHERE event_id = ?", (event_id,)
            )
        assert row is not None
        return _survey(row)

    async def replace_survey(
        self,
        event_id: int,
        *,
        template: str,
        definition: str,
        anonymous: bool,
        now: datetime,
    ) -> bool:
        """Set the questionnaire and its mode while it is a draft; refused (False) once it
        has been sent out: people were told its questions and whether it is anonymous, and
        stored answers would change meaning."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "SELECT EXISTS (SELECT 1 FROM survey_responses WHERE event_id = ?) OR "
                "EXISTS (SELECT 1 FROM surveys WHERE event_id = ? AND status != 'draft')",
                (event_id, event_id),
            )
            if row is not None and row[0]:
                return False
            await db.execute(
                "INSERT INTO surveys (event_id, template, definition, anonymous, created_at, "
                "updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT(event_id) DO UPDATE SET "
                "template = excluded.template, definition = excluded.definition, "
                "anonymous = excluded.anonymous, updated_at = excluded.updated_at",
                (event_id, template, definition, int(anonymous), stamp, stamp),
            )
        return True

    async def mark_survey_open(self, event_id: int, *, closes_at: datetime, now: datetime) -> bool:
        """Draft -> open; False if it was open or closed already."""
        changed = await self.database.execute(
            "UPDATE surveys SET status = 'open', opened_at = ?, closes_at = ?, updated_at = ? "
            "WHERE event_id = ? AND status = 'draft'",
            (to_db(now), to_db(closes_at), to_db(now), event_id),
        )
        return changed > 0

    async def mark_survey_reminded(self, event_id: int, *, now: datetime) -> bool:
        """True the first time only: the reminder goes out once."""
        changed = await self.database.execute(
            "UPDATE surveys SET reminded_at = ?, updated_at = ? "
            "WHERE event_id = ? AND status = 'open' AND reminded_at IS NULL",
            (to_db(now), to_db(now), event_id),
        )
        return changed > 0

    async def mark_survey_closed(self, event_id: int, *, now: datetime) -> bool:
        """Open or draft -> closed. For an anonymous survey the person-response links are cut
        in the same transaction: from then on nobody can tell whose answers are whose."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            cur = await db.execute(
                "UPDATE surveys SET status = 'closed', closed_at = ?, updated_at = ? "
                "WHERE event_id = ? AND status != 'closed'",
                (stamp, stamp, event_id),
            )
            if cur.rowcount <= 0:
                return False
            await db.execute(
                "UPDATE survey_respondents SET response_id = NULL WHERE event_id = ? AND "
                "(SELECT anonymous FROM surveys WHERE event_id = ?) = 1",
                (event_id, event_id),
            )
        return True

    # -- recipients ---------------------------------------------------------------------------

    async def survey_recipients(
        self, event_id: int, *, unfinished_only: bool = False
    ) -> list[Recipient]:
        """Reachable people asked to answer (see SURVEY_ELIGIBLE); optionally only those who
        have not finished (for the reminder)."""
        unfinished = (
            " AND NOT EXISTS (SELECT 1 FROM survey_respondents s WHERE s.event_id = ? "
            "AND s.participant_id = p.id AND s.completed = 1)"
            if unfinished_only
            else ""
        )
        params: list[object] = [event_id] * SURVEY_ELIGIBLE_PARAMS
        if unfinished_only:
            params.append(event_id)
        rows = await self.database.fetch_all(
            f"SELECT p.id, p.telegram_id, p.language FROM participants p "
            f"WHERE p.id IN ({SURVEY_ELIGIBLE}) AND {_REACHABLE}{unfinished} ORDER BY p.id",
            params,
        )
        return [Recipient(r[0], r[1], r[2]) for r in rows]

    async def survey_eligible(self, event_id: int, participant_id: int) -> bool:
        value = await self.database.scalar(
            f"SELECT ? IN ({SURVEY_ELIGIBLE})",
            (participant_id, *[event_id] * SURVEY_ELIGIBLE_PARAMS),
        )
        return bool(value)

    async def survey_eligible_count(self, event_id: int) -> int:
        value = await self.database.scalar(
            f"SELECT COUNT(*) FROM ({SURVEY_ELIGIBLE}) AS eligible",
            [event_id] * SURVEY_ELIGIBLE_PARAMS,
        )
        return int(value or 0)

    # -- one person's response ------------------------------------------------------------------

    async def start_response(
        self, event_id: int, participant_id: int, *, organisation: str | None, now: datetime
    ) -> ResponseState | None:
        """The person's response, created on first use (one per person and event). None when
        the link was cut (an anonymous survey that has closed)."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "SELECT response_id FROM survey_respondents WHERE event_id = ? "
                "AND participant_id = ?",
                (event_id, participant_id),
            )
            if row is None:
                created = await db.fetch_one(
                    "INSERT INTO survey_responses (event_id, organisation, started_at, "
                    "updated_at) VALUES (?,?,?,?) RETURNING id",
                    (event_id, organisation, stamp, stamp),
                )
                assert created is not None
                response_id = int(created[0])
                await db.execute(
                    "INSERT INTO survey_respondents (event_id, participant_id, response_id) "
                    "VALUES (?,?,?)",
                    (event_id, participant_id, response_id),
                )
            elif row[0] is None:
                return None
            else:
                response_id = int(row[0])
            return await _response_state(db, response_id)

    async def get_response(self, event_id: int, participant_id: int) -> ResponseState | None:
        async with self.database.reading() as db:
            row = await db.fetch_one(
                "SELECT response_id FROM survey_respondents WHERE event_id = ? "
                "AND participant_id = ? AND response_id IS NOT NULL",
                (event_id, participant_id),
            )
            if row is None:
                return None
            return await _response_state(db, int(row[0]))

    async def save_answer(
        self,
        response_id: int,
        *,
        event_id: int,
        question: str,
        rating: int | None,
        text: str | None,
        position: int,
        now: datetime,
    ) -> None:
        """Store one answer (both values None: skipped) and where the person is now."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            await db.execute(
                "INSERT INTO survey_answers (response_id, question, event_id, rating, text, "
                "answered_at) VALUES (?,?,?,?,?,?) ON CONFLICT(response_id, question) DO UPDATE "
                "SET rating = excluded.rating, text = excluded.text, "
                "answered_at = excluded.answered_at",
                (response_id, question, event_id, rating, text, stamp),
            )
            await db.execute(
                "UPDATE survey_responses SET position = ?, updated_at = ? WHERE id = ?",
                (position, stamp, response_id),
            )

    async def move_response(self, response_id: int, *, position: int, now: datetime) -> None:
        await self.database.execute(
            "UPDATE survey_responses SET position = ?, updated_at = ? WHERE id = ?",
            (position, to_db(now), response_id),
        )

    async def complete_response(
        self, response_id: int, *, participant_id: int, position: int, now: datetime
    ) -> bool:
        """Mark finished (kept from the first time); True if it was not finished before."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            cur = await db.execute(
                "UPDATE survey_responses SET completed_at = ? "
                "WHERE id = ? AND completed_at IS NULL",
                (stamp, response_id),
            )
            first = cur.rowcount > 0
            await db.execute(
                "UPDATE survey_responses SET position = ?, updated_at = ? WHERE id = ?",
                (position, stamp, response_id),
            )
            await db.execute(
                "UPDATE survey_respondents SET completed = 1 WHERE response_id = ? "
                "AND participant_id = ?",
                (response_id, participant_id),
            )
        return first

    # -- aggregates (organisers' screens) -------------------------------------------------------

    async def answer_histograms(
        self, event_ids: Sequence[int]
    ) -> list[tuple[int, str, int | None, int]]:
        """(event, question, value, count) for every answer; value None = skipped or typed
        text. Read from the covering index alone."""
        if not event_ids:
            return []
        rows = await self.database.fetch_all(
            f"SELECT event_id, question, rating, COUNT(*) FROM survey_answers "
            f"WHERE event_id IN ({_marks(event_ids)}) GROUP BY event_id, question, rating",
            event_ids,
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def response_totals(self, event_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """event -> (responses started, responses completed)."""
        if not event_ids:
            return {}
        rows = await self.database.fetch_all(
            f"SELECT event_id, COUNT(*), COUNT(completed_at) FROM survey_responses "
            f"WHERE event_id IN ({_marks(event_ids)}) GROUP BY event_id",
            event_ids,
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    async def organisation_histograms(
        self, event_ids: Sequence[int], questions: Sequence[str]
    ) -> list[tuple[str | None, str, int, int]]:
        """(organisation, question, value, count) over the given scored questions."""
        if not event_ids or not questions:
            return []
        rows = await self.database.fetch_all(
            f"SELECT r.organisation, a.question, a.rating, COUNT(*) FROM survey_answers a "
            f"JOIN survey_responses r ON r.id = a.response_id "
            f"WHERE a.event_id IN ({_marks(event_ids)}) AND a.question IN ({_marks(questions)}) "
            f"AND a.rating IS NOT NULL GROUP BY r.organisation, a.question, a.rating",
            (*event_ids, *questions),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def organisation_respondents(
        self, event_ids: Sequence[int], questions: Sequence[str]
    ) -> dict[str | None, int]:
        """organisation -> responses with at least one answer to the given questions."""
        if not event_ids or not questions:
            return {}
        rows = await self.database.fetch_all(
            f"SELECT r.organisation, COUNT(*) FROM survey_responses r "
            f"WHERE r.event_id IN ({_marks(event_ids)}) AND EXISTS (SELECT 1 FROM survey_answers "
            f"a WHERE a.response_id = r.id AND a.question IN ({_marks(questions)}) "
            f"AND a.rating IS NOT NULL) GROUP BY r.organisation",
            (*event_ids, *questions),
        )
        return {r[0]: r[1] for r in rows}

    async def survey_comments(
        self, event_ids: Sequence[int], question: str, *, named: bool, limit: int
    ) -> tuple[list[CommentRow], int]:
        """The latest typed answers to ``question`` (at most ``limit``) and how many there
        are. With ``named`` False the query does not touch who wrote them."""
        if not event_ids:
            return [], 0
        marks = _marks(event_ids)
        total = await self.database.scalar(
            f"SELECT COUNT(*) FROM survey_answers WHERE event_id IN ({marks}) AND question = ? "
            f"AND text IS NOT NULL",
            (*event_ids, question),
        )
        if named:
            sql = (
                f"SELECT a.event_id, a.text, p.name, r.organisation FROM survey_answers a "
                f"JOIN survey_responses r ON r.id = a.response_id "
                f"LEFT JOIN survey_respondents s ON s.response_id = a.response_id "
                f"LEFT JOIN participants p ON p.id = s.participant_id "
                f"WHERE a.event_id IN ({marks}) AND a.question = ? AND a.text IS NOT NULL "
                f"ORDER BY a.answered_at DESC, a.response_id DESC LIMIT ?"
            )
        else:
            sql = (
                f"SELECT a.event_id, a.text, NULL, NULL FROM survey_answers a "
                f"WHERE a.event_id IN ({marks}) AND a.question = ? AND a.text IS NOT NULL "
                f"ORDER BY a.answered_at DESC, a.response_id DESC LIMIT ?"
            )
        rows = await self.database.fetch_all(sql, (*event_ids, question, limit))
        return [CommentRow(r[0], r[1], r[2], r[3]) for r in rows], int(total or 0)

    async def export_answers(self, event_id: int, *, named: bool) -> list[AnswerExportRow]:
        """Every answer of one event, response by response (one event at a time keeps the
        memory of an export bounded by the largest event)."""
        person = (
            "p.name FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id "
            "LEFT JOIN survey_respondents s ON s.response_id = r.id "
            "LEFT JOIN participants p ON p.id = s.participant_id"
            if named
            else "NULL FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id"
        )
        rows = await self.database.fetch_all(
            f"SELECT r.id, r.organisation, a.question, a.rating, a.text, a.answered_at, {person} "
            f"WHERE r.event_id = ? ORDER BY r.id",
            (event_id,),
        )
        return [AnswerExportRow(r[0], r[1], r[6], r[2], r[3], r[4], r[5]) for r in rows]

    async def load_answers(
        self,
        responses: Sequence[tuple[int, int, str | None, int, str, str, str | None]],
        answers: Sequence[tuple[int, str, int, int | None, str | None, str]],
    ) -> int:
        """Bulk load (benchmarks, imports of past results): responses (id, event, organisation,
        position, started, updated, completed) and answers (response, question, event,
        rating, text, answered at) in one transaction; returns the answers written."""
        async with self.database.transaction() as db:
            await db.executemany(
                "INSERT INTO survey_responses (id, event_id, organisation, position, started_at, "
                "updated_at, completed_at) VALUES (?,?,?,?,?,?,?)",
                responses,
            )
            await db.executemany(
                "INSERT INTO survey_answers (response_id, question, event_id, rating, text, "
                "answered_at) VALUES (?,?,?,?,?,?)",
                answers,
            )
            await db.after_explicit_ids("survey_responses")
        return len(answers)
