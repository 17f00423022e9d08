"""Queries for the attendance area: who came, per-event choices, waitlist offers to send,
certificates and the figures of the funder's report (docs/attendance.md).

The capacity side of waitlist offers (making, accepting, lapsing them) lives with the RSVPs
in ``rsvp.py``, because it must run in the same transaction as the answers it changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.models import (
    AttendanceCounts,
    AttendanceEntry,
    AttendanceSettings,
    CertificateMode,
    HoursUnit,
    InstitutionCount,
    OpenOffer,
    Presence,
    RsvpStatus,
    SignInEntry,
    SurveyAudience,
)
from bot.storage.database import Database, Row, Tx, from_db_required, to_db
from bot.storage.privacy import ForgetHook, ForgetTarget

_CERT_SETTING_COLUMNS = frozenset(
    {"cert_language", "cert_bilingual", "cert_hours", "cert_hours_unit", "cert_hours_precision"}
)


_SETTINGS_COLUMNS = (
    "event_id, checkin_code, offer_minutes, survey_audience, certificates, cert_language, "
    "cert_bilingual, cert_hours, cert_hours_unit, cert_hours_precision"
)
_REACHABLE = (
    "p.telegram_id IS NOT NULL AND p.unreachable_at IS NULL AND p.opted_out_at IS NULL "
    "AND p.forgotten_at IS NULL"
)


def _settings(row: Row) -> AttendanceSettings:
    return AttendanceSettings(
        event_id=row["event_id"],
        checkin_code=row["checkin_code"],
        offer_minutes=row["offer_minutes"],
        survey_audience=SurveyAudience(row["survey_audience"]),
        certificates=CertificateMode(row["certificates"]),
        cert_language=row["cert_language"],
        cert_bilingual=None if row["cert_bilingual"] is None else bool(row["cert_bilingual"]),
        cert_hours=row["cert_hours"],
        cert_hours_unit=HoursUnit(row["cert_hours_unit"]),
        cert_hours_precision=row["cert_hours_precision"],
    )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def _forget_certificates(db: Tx, target: ForgetTarget) -> None:
    """A forgotten holder's certificates keep their code (still verifiable as genuine)
    but lose the name and organisation printed on them."""
    await db.execute(
        "UPDATE certificates SET name = '', organisation = '' WHERE participant_id = ?",
        (target.participant_id,),
    )


async def _forget_offers(db: Tx, target: ForgetTarget) -> None:
    """An open offer of a forgotten person no longer holds a place (it moves on)."""
    await db.execute(
        "UPDATE waitlist_offers SET state = 'withdrawn', answered_at = ? "
        "WHERE participant_id = ? AND state = 'open'",
        (target.stamp, target.participant_id),
    )


FORGET: Mapping[str, ForgetHook] = {
    "certificates": _forget_certificates,
    "waitlist_offers": _forget_offers,
}


class AttendanceRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- per-event choices -----------------------------------------------------------------

    async def attendance_settings(self, event_id: int) -> AttendanceSettings:
        row = await self.database.fetch_one(
            f"SELECT {_SETTINGS_COLUMNS} FROM attendance_settings WHERE event_id = ?",
            (event_id,),
        )
        return AttendanceSettings(event_id) if row is None else _settings(row)

    async def set_attendance_settings(
        self,
        event_id: int,
        *,
        now: datetime,
        offer_minutes: int | None = None,
        no_offers: bool = False,
        survey_audience: SurveyAudience | None = None,
        certificates: CertificateMode | None = None,
        certificate: dict[str, object] | None = None,
    ) -> AttendanceSettings:
        """Change some of an event's choices (None leaves one as it is; ``no_offers``
        switches waitlist offers off). ``certificate`` sets certificate columns by name
        (``cert_language``, ``cert_bilingual``, ``cert_hours``, ``cert_hours_unit``,
        ``cert_hours_precision``; a None value there resets one to its default)."""
        stamp = to_db(now)
        async with self.database.transaction() as db:
            await db.execute(
                "INSERT INTO attendance_settings (event_id, updated_at) VALUES (?, ?) "
                "ON CONFLICT(event_id) DO NOTHING",
                (event_id, stamp),
            )
            if offer_minutes is not None or no_offers:
                await db.execute(
                    "UPDATE attendance_settings SET offer_minutes = ?, updated_at = ? "
                    "WHERE event_id = ?",
                    (None if no_offers else offer_minutes, stamp, event_id),
                )
            if survey_audience is not None:
                await db.execute(
                    "UPDATE attendance_settings SET survey_audience = ?, updated_at = ? "
                    "WHERE event_id = ?",
                    (survey_audience.value, stamp, event_id),
                )
            if certificates is not None:
                await db.execute(
                    "UPDATE attendance_settings SET certificates = ?, updated_at = ? "
                    "WHERE event_id = ?",
                    (certificates.value, stamp, event_id),
                )
            for column, value in (certificate or {}).items():
                if column not in _CERT_SETTING_COLUMNS:
                    raise ValueError(f"not a certificate setting: {column}")
                if column == "cert_hours_unit" and value is None:
                    value = HoursUnit.HOURS.value
                await db.execute(
                    f"UPDATE attendance_settings SET {column} = ?, updated_at = ? "
                    "WHERE event_id = ?",
                    (value, stamp, event_id),
                )
            row = await db.fetch_one(
                f"SELECT {_SETTINGS_COLUMNS} FROM attendance_settings WHERE event_id = ?",
                (event_id,),
            )
        assert row is not None
        return _settings(row)

    async def ensure_checkin_code(self, event_id: int, code: str, *, now: datetime) -> str:
        """The event's check-in code, created with ``code`` the first time."""
        async with self.database.transaction() as db:
            await db.execute(
                "INSERT INTO attendance_settings (event_id, checkin_code, updated_at) "
                "VALUES (?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET "
                "checkin_code = COALESCE(attendance_settings.checkin_code, excluded.checkin_code)",
                (event_id, code, to_db(now)),
            )
            row = await db.fetch_one(
                "SELECT checkin_code FROM attendance_settings WHERE event_id = ?", (event_id,)
            )
        assert row is not None
        return str(row[0])

    async def event_id_by_checkin_code(self, code: str) -> int | None:
        value = await self.database.scalar(
            "SELECT event_id FROM attendance_settings WHERE checkin_code = ?", (code,)
        )
        return None if value is None else int(value)

    # -- who came ------------------------------------------------------------------------------

    async def get_presence(self, event_id: int, participant_id: int) -> Presence | None:
        value = await self.database.scalar(
            "SELECT status FROM attendance WHERE event_id = ? AND participant_id = ?",
            (event_id, participant_id),
        )
        return None if value is None else Presence(value)

    async def mark_presence(
        self,
        event_id: int,
        participant_ids: Sequence[int],
        presence: Presence | None,
        *,
        source: str,
        now: datetime,
    ) -> int:
        """Record present / absent (None: unmark) for people; returns rows changed."""
        if not participant_ids:
            return 0
        stamp = to_db(now)
        async with self.database.transaction() as db:
            if presence is None:
                deleted = await db.execute(
                    f"DELETE FROM attendance WHERE event_id = ? "
                    f"AND participant_id IN ({_marks(participant_ids)})",
                    (event_id, *participant_ids),
                )
                return deleted.rowcount
            return await db.executemany(
                "INSERT INTO attendance (event_id, participant_id, status, source, marked_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT(event_id, participant_id) DO UPDATE SET "
                "status = excluded.status, source = excluded.source, "
                "marked_at = excluded.marked_at WHERE attendance.status != excluded.status",
                [(event_id, p, presence.value, source, stamp) for p in participant_ids],
            )

    async def mark_yes_present(self, event_id: int, *, now: datetime) -> int:
        """Everyone who said yes and is not marked yet becomes present."""
        async with self.database.transaction() as db:
            cur = await db.execute(
                "INSERT INTO attendance (event_id, participant_id, status, source, marked_at) "
                "SELECT event_id, participant_id, 'present', 'organiser', ? FROM rsvps "
                "WHERE event_id = ? AND status = 'yes' ON CONFLICT DO NOTHING",
                (to_db(now), event_id),
            )
            return int(cur.rowcount)

    async def mark_unmarked_absent(self, event_id: int, *, now: datetime) -> int:
        """Everyone on the list (yes, maybe, waitlist) not marked yet becomes absent."""
        async with self.database.transaction() as db:
            cur = await db.execute(
                "INSERT INTO attendance (event_id, participant_id, status, source, marked_at) "
                "SELECT event_id, participant_id, 'absent', 'organiser', ? FROM rsvps "
                "WHERE event_id = ? AND status IN ('yes', 'maybe', 'waitlist') "
                "ON CONFLICT DO NOTHING",
                (to_db(now), event_id),
            )
            return int(cur.rowcount)

    async def attendance_list(self, event_id: int) -> list[AttendanceEntry]:
        """People with an answer other than "no", plus anyone marked (walk-ins too)."""
        rows = await self.database.fetch_all(
            """SELECT p.id, COALESCE(p.name, '') AS name, COALESCE(p.organisation, '') AS org,
                      r.status AS rsvp, a.status AS presence
               FROM participants p
               LEFT JOIN rsvps r ON r.event_id = ? AND r.participant_id = p.id
               LEFT JOIN attendance a ON a.event_id = ? AND a.participant_id = p.id
               WHERE p.forgotten_at IS NULL AND (a.status IS NOT NULL
                     OR r.status IN ('yes', 'maybe', 'waitlist'))
               ORDER BY lower(COALESCE(p.organisation, '')), lower(COALESCE(p.name, '')), p.id""",
            (event_id, event_id),
        )
        return [
            AttendanceEntry(
                r["id"], r["name"], r["org"],
                RsvpStatus(r["rsvp"]) if r["rsvp"] else None,
                Presence(r["presence"]) if r["presence"] else None,
            )
            for r in rows
        ]  # fmt: skip

    async def signin_list(self, event_id: int) -> list[SignInEntry]:
        """The sign-in sheet's people: those who said yes (waitlist promotions included)
        and anyone marked present; never forgotten people. Unsorted: the sheet sorts by
        name in its own language."""
        rows = await self.database.fetch_all(
            """SELECT COALESCE(p.name, '') AS name, COALESCE(p.organisation, '') AS org
               FROM participants p
               WHERE p.forgotten_at IS NULL AND (
                   EXISTS (SELECT 1 FROM rsvps r WHERE r.event_id = ?
                           AND r.participant_id = p.id AND r.status = 'yes')
                   OR EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = ?
                              AND a.participant_id = p.id AND a.status = 'present'))
               ORDER BY p.id""",
            (event_id, event_id),
        )
        return [SignInEntry(r["name"], r["org"]) for r in rows]

    async def attendance_counts(self, event_ids: Sequence[int]) -> dict[int, AttendanceCounts]:
        if not event_ids:
            return {}
        rows = await self.database.fetch_all(
            f"""SELECT e.id,
                   (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.id) AS invited,
                   (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id
                        AND r.status = 'yes') AS yes,
                   (SELECT COUNT(*) FROM attendance a WHERE a.event_id = e.id
                        AND a.status = 'present') AS present,
                   (SELECT COUNT(*) FROM attendance a WHERE a.event_id = e.id
                        AND a.status = 'absent') AS absent,
                   (SELECT COUNT(*) FROM attendance a WHERE a.event_id = e.id
                        AND a.status = 'present' AND NOT EXISTS (SELECT 1 FROM rsvps r
                        WHERE r.event_id = e.id AND r.participant_id = a.participant_id
                        AND r.status = 'yes')) AS walk_in,
                   (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id AND r.status = 'yes'
                        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = e.id
                        AND a.participant_id = r.participant_id
                        AND a.status = 'present')) AS no_show
                FROM events e WHERE e.id IN ({_marks(event_ids)})""",
            event_ids,
        )
        return {
            r["id"]: AttendanceCounts(
                invited=r["invited"], yes=r["yes"], present=r["present"],
                present_without_yes=r["walk_in"], absent=r["absent"], no_show=r["no_show"],
            )
            for r in rows
        }  # fmt: skip

    async def organisation_presence(self, event_id: int) -> dict[str, int]:
        """organisation ('' = not given) -> people marked present at one event."""
        rows = await self.database.fetch_all(
            """SELECT COALESCE(TRIM(p.organisation), '') AS org, COUNT(*) AS n
               FROM attendance a JOIN participants p ON p.id = a.participant_id
               WHERE a.event_id = ? AND a.status = 'present' AND p.forgotten_at IS NULL
               GROUP BY COALESCE(TRIM(p.organisation), '')""",
            (event_id,),
        )
        return {r["org"]: r["n"] for r in rows}

    async def institution_counts(self, event_ids: Sequence[int]) -> list[InstitutionCount]:
        """Per organisation: people invited, saying yes and present (over the events)."""
        if not event_ids:
            return []
        marks = _marks(event_ids)
        rows = await self.database.fetch_all(
            f"""WITH people AS (
                    SELECT event_id, participant_id FROM invitations WHERE event_id IN ({marks})
                    UNION SELECT event_id, participant_id FROM rsvps WHERE event_id IN ({marks})
                    UNION SELECT event_id, participant_id FROM attendance
                          WHERE event_id IN ({marks})),
                counted AS (
                SELECT COALESCE(NULLIF(TRIM(p.organisation), ''), '') AS org,
                       SUM(CASE WHEN i.participant_id IS NOT NULL THEN 1 ELSE 0 END) AS invited,
                       SUM(CASE WHEN r.status = 'yes' THEN 1 ELSE 0 END) AS yes,
                       SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present
                FROM people x JOIN participants p ON p.id = x.participant_id
                LEFT JOIN invitations i ON i.event_id = x.event_id
                     AND i.participant_id = x.participant_id
                LEFT JOIN rsvps r ON r.event_id = x.event_id AND r.participant_id = x.participant_id
                LEFT JOIN attendance a ON a.event_id = x.event_id
                     AND a.participant_id = x.participant_id
                GROUP BY COALESCE(NULLIF(TRIM(p.organisation), ''), ''))
                SELECT org, invited, yes, present FROM counted
                ORDER BY present DESC, yes DESC, lower(org)""",
            (*event_ids, *event_ids, *event_ids),
        )
        return [
            InstitutionCount(r["org"], r["invited"] or 0, r["yes"] or 0, r["present"] or 0)
            for r in rows
        ]

    # -- waitlist offers (the capacity side is in rsvp.py) -----------------------------------

    async def open_offers(self, event_id: int | None = None) -> list[OpenOffer]:
        """Open offers to reachable people (to send, or to show)."""
        where = "" if event_id is None else " AND o.event_id = ?"
        rows = await self.database.fetch_all(
            f"""SELECT o.id, o.event_id, o.participant_id, p.telegram_id, p.language,
                       o.offered_at, o.expires_at
                FROM waitlist_offers o JOIN participants p ON p.id = o.participant_id
                WHERE o.state = 'open' AND {_REACHABLE}{where} ORDER BY o.id""",
            () if event_id is None else (event_id,),
        )
        return [
            OpenOffer(
                r[0], r[1], r[2], r[3], r[4], from_db_required(r[5]), from_db_required(r[6])
            )
            for r in rows
        ]  # fmt: skip

    async def offer_state(self, event_id: int, participant_id: int) -> str | None:
        """The state of the person's latest offer for the event (None: never offered)."""
        value = await self.database.scalar(
            "SELECT state FROM waitlist_offers WHERE event_id = ? AND participant_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (event_id, participant_id),
        )
        return None if value is None else str(value)

    # -- certificates ----------------------------------------------------------------------------

    async def survey_completed(self, event_id: int, participant_id: int) -> bool:
        value = await self.database.scalar(
            "SELECT completed FROM survey_respondents WHERE event_id = ? AND participant_id = ?",
            (event_id, participant_id),
        )
        return bool(value)

    # -- programme documents ---------------------------------------------------------------

    # -- check-in begun before registration ---------------------------------------------------

    async def set_checkin_intent(
        self, participant_id: int, event_id: int, *, now: datetime
    ) -> None:
        await self.database.execute(
            "INSERT INTO checkin_intents (participant_id, event_id, created_at) VALUES (?,?,?) "
            "ON CONFLICT(participant_id) DO UPDATE SET event_id = excluded.event_id, "
            "created_at = excluded.created_at",
            (participant_id, event_id, to_db(now)),
        )

    async def pop_checkin_intent(self, participant_id: int) -> tuple[int, datetime] | None:
        """The event a check-in was begun for (and when), removed as it is read."""
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "SELECT event_id, created_at FROM checkin_intents WHERE participant_id = ?",
                (participant_id,),
            )
            if row is None:
                return None
            await db.execute(
                "DELETE FROM checkin_intents WHERE participant_id = ?", (participant_id,)
            )
        return int(row[0]), from_db_required(row[1])
