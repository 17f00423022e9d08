"""All SQL of the bot lives in this package (it stands for the card's ``bot/storage.py``).

:class:`Storage` is the composed database object the rest of the code reaches as
``services.db``: one :class:`~bot.storage.database.Database` (SQLite, or PostgreSQL in
bot/storage/postgres.py: connections, transactions, migrations, the driver seam) and one
repository per group of tables, each a class in ``bot/storage/<area>.py`` that uses only
the seam::

    db.events  db.people  db.rsvps  db.invitations  db.outbox  db.campaigns
    db.surveys  db.schedule  db.attendance  db.documents  db.privacy  db.email_outbox
    db.email_invitations  db.leases

The row types the repositories return live in :mod:`bot.models`. Add a repository as a
new module, construct it here, and re-run ``tools/codemod_storage.py`` if call sites move.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.storage import attendance, email, email_invitations, invitations, privacy
from bot.storage.attendance import AttendanceRepository
from bot.storage.broadcast import CampaignRepository, OutboxRepository
from bot.storage.database import Database, SqliteDatabase
from bot.storage.documents import DocumentRepository
from bot.storage.email import EmailOutboxRepository
from bot.storage.email_invitations import EmailInvitationRepository
from bot.storage.events import EventRepository
from bot.storage.invitations import InvitationRepository
from bot.storage.leases import LeaseRepository
from bot.storage.participants import PeopleRepository
from bot.storage.privacy import PrivacyRepository
from bot.storage.rsvp import RsvpRepository
from bot.storage.schedule import ScheduleRepository
from bot.storage.surveys import SurveyRepository

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = ["REPOSITORIES", "Database", "Storage", "database_for", "storage_for"]

# attribute on Storage -> repository class (tools/codemod_storage.py reads this table).
REPOSITORIES: dict[str, type] = {
    "events": EventRepository,
    "people": PeopleRepository,
    "rsvps": RsvpRepository,
    "invitations": InvitationRepository,
    "outbox": OutboxRepository,
    "campaigns": CampaignRepository,
    "surveys": SurveyRepository,
    "schedule": ScheduleRepository,
    "attendance": AttendanceRepository,
    "documents": DocumentRepository,
    "privacy": PrivacyRepository,
    "email_outbox": EmailOutboxRepository,
    "email_invitations": EmailInvitationRepository,
    # Not an area: which worker runs each background loop (bot/leases.py).
    "leases": LeaseRepository,
}


class Storage:
    """The database: the only state of the bot that matters."""

    def __init__(self, where: Path | str | Database) -> None:
        """``where``: a SQLite file (tests of one engine), or any engine's database."""
        self.database = where if isinstance(where, Database) else SqliteDatabase(where)
        self.events = EventRepository(self.database)
        self.people = PeopleRepository(self.database)
        self.rsvps = RsvpRepository(self.database)
        self.invitations = InvitationRepository(self.database)
        self.outbox = OutboxRepository(self.database)
        self.campaigns = CampaignRepository(self.database)
        self.surveys = SurveyRepository(self.database)
        self.schedule = ScheduleRepository(self.database)
        self.attendance = AttendanceRepository(self.database)
        self.documents = DocumentRepository(self.database)
        self.email_outbox = EmailOutboxRepository(self.database)
        self.email_invitations = EmailInvitationRepository(self.database)
        # Each area's own way of forgetting a person in its tables (see storage/privacy.py).
        forget_hooks = {
            **privacy.FORGET, **invitations.FORGET, **attendance.FORGET, **email.FORGET,
            **email_invitations.FORGET,
        }  # fmt: skip
        self.privacy = PrivacyRepository(self.database, forget_hooks)
        self.leases = LeaseRepository(self.database)

    @property
    def path(self) -> Path | str:
        return self.database.path

    async def open(self) -> None:
        await self.database.open()

    async def close(self) -> None:
        await self.database.close()


def database_for(settings: Settings) -> Database:
    """The engine and namespace the settings name: PostgreSQL (``[database] url``, the
    schema ``[database] schema``) or the SQLite file ``[database] path``."""
    config = settings.database
    if config.url is not None:
        from bot.storage.postgres import PostgresDatabase

        return PostgresDatabase(
            config.url.get_secret_value(), config.schema_, pool_size=config.pool_size
        )
    return SqliteDatabase(config.path)


def storage_for(settings: Settings) -> Storage:
    """The storage the settings name (not opened yet). Every command, the bot and the
    tools build their storage here, so the engine and the namespace are chosen once."""
    return Storage(database_for(settings))
