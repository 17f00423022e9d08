"""Queries for documents: certificates and their registration numbers, and each
programme's document settings."""

from __future__ import annotations

from datetime import datetime

from bot.models import Certificate, CertificateCandidate, HoursUnit, ProgrammeDocuments
from bot.storage.attendance import _REACHABLE
from bot.storage.database import Database, Row, Tx, from_db_required, to_db

_PROGRAMME_DOC_SETTABLE = frozenset(
    {"cert_language", "cert_bilingual", "funding_statement", "project_code", "emblem_path"}
)


_CERT_INSERT = (
    "code, event_id, participant_id, name, organisation, language, hours, source, issued_at, "
    "doc_language, bilingual, hours_unit, hours_precision"
)


_CERT_COLUMNS = _CERT_INSERT + ", reg_number"


_PROGRAMME_DOC_COLUMNS = (
    "id, cert_language, cert_bilingual, funding_statement, project_code, emblem_path"
)


def _certificate(row: Row) -> Certificate:
    return Certificate(
        code=row["code"],
        event_id=row["event_id"],
        participant_id=row["participant_id"],
        name=row["name"],
        organisation=row["organisation"],
        language=row["language"],
        hours=float(row["hours"]),
        source=row["source"],
        issued_at=from_db_required(row["issued_at"]),
        doc_language=row["doc_language"],
        bilingual=bool(row["bilingual"]),
        hours_unit=HoursUnit(row["hours_unit"]),
        hours_precision=int(row["hours_precision"]),
        reg_number=row["reg_number"],
    )


def _programme_documents(row: Row) -> ProgrammeDocuments:
    return ProgrammeDocuments(
        programme_id=row["id"],
        cert_language=row["cert_language"],
        cert_bilingual=None if row["cert_bilingual"] is None else bool(row["cert_bilingual"]),
        funding_statement=row["funding_statement"],
        project_code=row["project_code"],
        emblem_path=row["emblem_path"],
    )


class DocumentRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def certificate_candidates(
        self, *, ended_after: datetime, now: datetime
    ) -> list[CertificateCandidate]:
        """Present people of events that ended between ``ended_after`` and ``now``, with
        certificates on, no certificate yet, and (where the event asks for it) the
        questionnaire completed."""
        rows = await self.database.fetch_all(
            f"""SELECT a.event_id, a.participant_id, p.telegram_id, p.name,
                       COALESCE(p.organisation, '') AS org, p.language
                FROM attendance a
                JOIN events e ON e.id = a.event_id
                JOIN participants p ON p.id = a.participant_id
                LEFT JOIN attendance_settings s ON s.event_id = a.event_id
                WHERE a.status = 'present' AND e.status = 'active'
                  AND e.ends_at <= ? AND e.ends_at > ?
                  AND COALESCE(s.certificates, 'after-event') != 'off'
                  AND p.name IS NOT NULL AND p.name != '' AND {_REACHABLE}
                  AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.event_id = a.event_id
                                  AND c.participant_id = a.participant_id)
                  AND (COALESCE(s.certificates, 'after-event') != 'after-survey'
                       OR EXISTS (SELECT 1 FROM survey_respondents sr
                                  WHERE sr.event_id = a.event_id
                                  AND sr.participant_id = a.participant_id
                                  AND sr.completed = 1))
                ORDER BY a.event_id, a.participant_id LIMIT 500""",
            (to_db(now), to_db(ended_after)),
        )
        return [
            CertificateCandidate(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows
        ]  # fmt: skip

    async def create_certificate(
        self,
        *,
        code: str,
        event_id: int,
        participant_id: int,
        name: str,
        organisation: str,
        language: str,
        hours: float,
        source: str,
        now: datetime,
        doc_language: str | None = None,
        bilingual: bool = False,
        hours_unit: HoursUnit = HoursUnit.HOURS,
        hours_precision: int = 2,
        reg_prefix: str = "KV",
    ) -> tuple[Certificate, bool]:
        """The person's certificate for the event, created if missing; (it, created now).
        A new certificate takes the next serial number in the same transaction, so two
        certificates can never share one and a re-send keeps its number."""
        async with self.database.transaction() as db:
            cur = await db.execute(
                f"INSERT INTO certificates ({_CERT_INSERT}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(event_id, participant_id) DO NOTHING",
                (code, event_id, participant_id, name, organisation, language, hours, source,
                 to_db(now), doc_language or language, int(bilingual), hours_unit.value,
                 hours_precision),
            )  # fmt: skip
            created = cur.rowcount > 0
            await self._allocate_registration(db, event_id, participant_id, reg_prefix)
            row = await db.fetch_one(
                f"SELECT {_CERT_COLUMNS} FROM certificates "
                "WHERE event_id = ? AND participant_id = ?",
                (event_id, participant_id),
            )
        assert row is not None
        return _certificate(row), created

    @staticmethod
    async def _allocate_registration(
        db: Tx, event_id: int, participant_id: int, prefix: str
    ) -> None:
        """Give the certificate a registration number if it has none (new, or issued before
        numbers existed): the next serial, with the year it was issued."""
        row = await db.fetch_one(
            "SELECT issued_at FROM certificates WHERE event_id = ? AND participant_id = ? "
            "AND reg_number IS NULL",
            (event_id, participant_id),
        )
        if row is None:
            return
        counter = await db.fetch_one(
            "UPDATE document_counters SET value = value + 1 WHERE name = 'certificate' "
            "RETURNING value"
        )
        assert counter is not None
        serial = int(counter[0])
        number = f"{prefix}-{str(row[0])[:4]}-{serial:06d}" if prefix else f"{serial:06d}"
        await db.execute(
            "UPDATE certificates SET serial = ?, reg_number = ? "
            "WHERE event_id = ? AND participant_id = ?",
            (serial, number, event_id, participant_id),
        )

    async def ensure_registration(self, code: str, *, prefix: str) -> Certificate | None:
        """The certificate with a registration number (allocated now for one issued before
        numbers existed)."""
        async with self.database.transaction() as db:
            row = await db.fetch_one(
                "SELECT event_id, participant_id FROM certificates WHERE code = ?", (code,)
            )
            if row is None:
                return None
            await self._allocate_registration(db, int(row[0]), int(row[1]), prefix)
            found = await db.fetch_one(
                f"SELECT {_CERT_COLUMNS} FROM certificates WHERE code = ?", (code,)
            )
        assert found is not None
        return _certificate(found)

    async def programme_documents(self, programme_id: int) -> ProgrammeDocuments | None:
        row = await self.database.fetch_one(
            f"SELECT {_PROGRAMME_DOC_COLUMNS} FROM programmes WHERE id = ?", (programme_id,)
        )
        return None if row is None else _programme_documents(row)

    async def set_programme_documents(
        self, programme_id: int, values: dict[str, object]
    ) -> ProgrammeDocuments | None:
        """Set some of a programme's document columns by name (None resets one)."""
        async with self.database.transaction() as db:
            for column, value in values.items():
                if column not in _PROGRAMME_DOC_SETTABLE:
                    raise ValueError(f"not a programme document setting: {column}")
                await db.execute(
                    f"UPDATE programmes SET {column} = ? WHERE id = ?", (value, programme_id)
                )
            row = await db.fetch_one(
                f"SELECT {_PROGRAMME_DOC_COLUMNS} FROM programmes WHERE id = ?", (programme_id,)
            )
        return None if row is None else _programme_documents(row)

    async def get_certificate(self, code: str) -> Certificate | None:
        row = await self.database.fetch_one(
            f"SELECT {_CERT_COLUMNS} FROM certificates WHERE code = ?", (code,)
        )
        return None if row is None else _certificate(row)

    async def certificate_for(self, event_id: int, participant_id: int) -> Certificate | None:
        row = await self.database.fetch_one(
            f"SELECT {_CERT_COLUMNS} FROM certificates WHERE event_id = ? AND participant_id = ?",
            (event_id, participant_id),
        )
        return None if row is None else _certificate(row)

    async def attended_events(self, participant_id: int, *, ended_before: datetime) -> list[int]:
        """Events the person has a certificate of, or was marked present at and that have
        ended: newest first."""
        rows = await self.database.fetch_all(
            "SELECT e.id FROM events e WHERE EXISTS (SELECT 1 FROM certificates c "
            "WHERE c.event_id = e.id AND c.participant_id = ?) OR (e.status = 'active' "
            "AND e.ends_at <= ? AND EXISTS (SELECT 1 FROM attendance a WHERE a.event_id = e.id "
            "AND a.participant_id = ? AND a.status = 'present')) "
            "ORDER BY e.starts_at DESC LIMIT 20",
            (participant_id, to_db(ended_before), participant_id),
        )
        return [int(r[0]) for r in rows]

    async def certificate_count(self, event_id: int) -> int:
        return int(
            await self.database.scalar(
                "SELECT COUNT(*) FROM certificates WHERE event_id = ?", (event_id,)
            )
            or 0
        )

    async def event_certificates(self, event_id: int) -> list[Certificate]:
        rows = await self.database.fetch_all(
            f"SELECT {_CERT_COLUMNS} FROM certificates WHERE event_id = ? "
            "ORDER BY issued_at, participant_id",
            (event_id,),
        )
        return [_certificate(r) for r in rows]
