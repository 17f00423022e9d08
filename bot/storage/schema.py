"""Versioned schema: the number of migrations applied is ``PRAGMA user_version`` on
SQLite and the highest row of ``schema_migrations`` on PostgreSQL (bot/storage/postgres.py).

Append new migrations at the end of ``MIGRATIONS``; never edit one that has shipped.
Each entry is a :class:`Migration` with the DDL of each engine: ``sqlite`` always, and
``postgres`` for every migration after the PostgreSQL baseline (the baseline builds the
schema of the first ``POSTGRES_BASELINE`` migrations at once; ``postgres=None`` marks the
migrations it covers).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

log = logging.getLogger(__name__)

# Migration 1: events, participants, invitations, RSVPs, conversation state, outbox.
_V1 = """
CREATE TABLE programmes (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    slug           TEXT UNIQUE,                -- stable key for TOML import (create or update)
    programme_id   INTEGER REFERENCES programmes(id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    starts_at      TEXT NOT NULL,              -- UTC ISO
    ends_at        TEXT NOT NULL,
    timezone       TEXT NOT NULL,              -- IANA zone the event is shown in
    address        TEXT,
    hall           TEXT,
    floor          TEXT,
    online_url     TEXT,
    capacity       INTEGER CHECK (capacity IS NULL OR capacity > 0),
    rsvp_deadline  TEXT,
    invite_code    TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_by     INTEGER,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_by_start ON events (starts_at);

CREATE TABLE agenda_items (
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    time      TEXT NOT NULL,
    title     TEXT NOT NULL,
    lecturer  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, position)
);

CREATE TABLE participants (
    id               INTEGER PRIMARY KEY,
    telegram_id      INTEGER UNIQUE,           -- NULL for an imported row not yet bound
    name             TEXT,
    organisation     TEXT,
    email            TEXT,
    role             TEXT,
    language         TEXT,
    consent_at       TEXT,
    consent_version  TEXT,
    personal_code    TEXT UNIQUE,              -- personal invite payload for imported rows
    unreachable_at   TEXT,                     -- 403 / chat not found: skip in campaigns
    opted_out_at     TEXT,                     -- asked to receive nothing more
    forgotten_at     TEXT,                     -- personal data erased on request
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX participants_email ON participants (email) WHERE email IS NOT NULL;

CREATE TABLE invitations (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    source          TEXT NOT NULL,             -- link, personal, import, group
    invited_at      TEXT NOT NULL,
    PRIMARY KEY (event_id, participant_id)
);
CREATE INDEX invitations_by_participant ON invitations (participant_id);

-- One answer per person per event, enforced here rather than in code.
CREATE TABLE rsvps (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('yes', 'no', 'maybe', 'waitlist')),
    waitlist_seq    INTEGER,                   -- order on the waitlist (rsvp_history id)
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (event_id, participant_id)
);
CREATE INDEX rsvps_by_status ON rsvps (event_id, status, waitlist_seq);
CREATE INDEX rsvps_by_participant ON rsvps (participant_id);

CREATE TABLE rsvp_history (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT 'participant',  -- participant, promoted, organiser
    changed_at      TEXT NOT NULL
);
CREATE INDEX rsvp_history_by_event ON rsvp_history (event_id, participant_id);

-- Multi-step conversations (registration, guided organiser flows) survive restarts.
CREATE TABLE pending_inputs (
    telegram_id  INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}',
    updated_at   TEXT NOT NULL
);

CREATE TABLE campaigns (
    id                   INTEGER PRIMARY KEY,
    event_id             INTEGER REFERENCES events(id) ON DELETE SET NULL,
    kind                 TEXT NOT NULL,        -- invitation, update, reminder, notice, survey
    segment              TEXT NOT NULL DEFAULT '{}',
    created_by           INTEGER,
    status               TEXT NOT NULL DEFAULT 'running'
                         CHECK (status IN ('draft', 'running', 'done', 'cancelled')),
    progress_chat_id     INTEGER,
    progress_message_id  INTEGER,
    possible_duplicates  INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    finished_at          TEXT
);

-- Every message to a participant that is not a direct reply goes through here.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER REFERENCES campaigns(id) ON DELETE CASCADE,
    chat_id         INTEGER NOT NULL,
    participant_id  INTEGER REFERENCES participants(id) ON DELETE SET NULL,
    dedup_key       TEXT UNIQUE,               -- makes scheduled sends exactly-once
    payload         TEXT NOT NULL,             -- JSON of bot.messages.OutgoingMessage
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed',
                                      'unreachable', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT NOT NULL,
    message_id      INTEGER,
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, not_before, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, status);
"""

# Migrations 2-6 are reserved, one per feature area, so work on several areas can proceed
# side by side; each area fills in its own string (until it has shipped).
# Migration 2: broadcasts, personal invitations and group posts (bot/broadcast.py).
_V2 = """
-- A held row is pending but not due: its campaign is being queued (draft) or was stopped.
-- Stopped campaigns keep their unsent rows 'pending', so they can be resumed and reported.
ALTER TABLE outbox ADD COLUMN on_hold INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0, 1));
-- What the sender scans: only live pending rows, in due order.
CREATE INDEX outbox_live ON outbox (not_before, id) WHERE status = 'pending' AND on_hold = 0;

ALTER TABLE campaigns ADD COLUMN body TEXT;          -- the organiser's own text (update kind)
ALTER TABLE campaigns ADD COLUMN started_at TEXT;    -- confirmed and released to the sender
ALTER TABLE campaigns ADD COLUMN reported_at TEXT;   -- final report queued to the organiser
ALTER TABLE campaigns ADD COLUMN language TEXT;      -- of the organiser: progress and report

-- Personal invitations from an imported list (the code itself is participants.personal_code).
ALTER TABLE participants ADD COLUMN category TEXT;
ALTER TABLE participants ADD COLUMN imported_at TEXT;

-- Groups and channels where the bot may post invitation cards (learnt from my_chat_member
-- updates and from /postcard sent inside a group).
CREATE TABLE bot_chats (
    chat_id     INTEGER PRIMARY KEY,
    type        TEXT NOT NULL,                   -- group, supergroup, channel
    title       TEXT NOT NULL DEFAULT '',
    is_admin    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL
);

-- Invitation cards posted into groups and channels.
CREATE TABLE group_posts (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    posted_by_user_id  INTEGER,                 -- the organiser
    posted_at   TEXT NOT NULL,
    UNIQUE (chat_id, message_id)
);
"""
# Migration 3: questionnaires and answers (bot/surveys/).
_V3 = """
-- One questionnaire per event: the template as it was picked, frozen as JSON, so later
-- edits of the template file never change what the stored answers mean.
CREATE TABLE surveys (
    event_id     INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    template     TEXT NOT NULL,
    definition   TEXT NOT NULL,               -- JSON of bot.surveys.model.SurveyDefinition
    anonymous    INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    opened_at    TEXT,
    reminded_at  TEXT,
    closes_at    TEXT,                        -- answers are refused from then on
    closed_at    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX surveys_by_status ON surveys (status, closes_at);

-- A response holds no person: only the organisation (for breakdowns) and progress.
CREATE TABLE survey_responses (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    organisation  TEXT,                       -- the respondent's organisation at the start
    position      INTEGER NOT NULL DEFAULT 0, -- question shown last: where a restart resumes
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    completed_at  TEXT
);
CREATE INDEX survey_responses_by_event ON survey_responses (event_id, completed_at);

-- Who responded: one row per person and event (one response per person). The link to the
-- response is what lets a person resume and change answers; for an anonymous survey it is
-- cut (set NULL) when the survey closes, and organisers' screens never read it.
CREATE TABLE survey_respondents (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    response_id     INTEGER UNIQUE REFERENCES survey_responses(id) ON DELETE SET NULL,
    completed       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, participant_id)
) WITHOUT ROWID;

-- One row per answered (or skipped: both values NULL) question of a response.
-- rating: 1-5, 0-10, the option number (single) or a bitmask of options (multi).
CREATE TABLE survey_answers (
    response_id  INTEGER NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    event_id     INTEGER NOT NULL,            -- copied from the response for the index below
    rating       INTEGER,
    text         TEXT,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
-- Covering index of every score: count, mean and histogram per question without the table.
CREATE INDEX survey_answers_scores ON survey_answers (event_id, question, rating);
"""
# Migration 4: scheduled work derived from events (bot/scheduling.py).
_V4 = """
-- Per-event reminder offsets; no row = settings.reminders.before_event_hours.
CREATE TABLE event_reminder_offsets (
    event_id        INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    minutes_before  TEXT NOT NULL,             -- JSON list of minutes before the start; [] = none
    updated_at      TEXT NOT NULL
);

-- Timed work derived from events (bot/scheduling.py re-derives it on every pass; a
-- pending row whose key is no longer derived is deleted). The key is fixed per moment
-- (event, kind, offset, the event time it is measured from), so each runs exactly once.
CREATE TABLE scheduled_items (
    key          TEXT PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,                -- reminder, deadline, survey-open/-remind/-close
    due_at       TEXT NOT NULL,                -- UTC ISO
    basis_at     TEXT NOT NULL,                -- the event moment due_at is measured from
    planned_at   TEXT NOT NULL,                -- since when the item exists (downtime policy)
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'done', 'skipped')),
    detail       TEXT NOT NULL DEFAULT '',     -- recipients queued, or why it was skipped
    finished_at  TEXT
);
CREATE INDEX scheduled_items_by_kind ON scheduled_items (kind, state, event_id);
CREATE INDEX scheduled_items_by_event ON scheduled_items (event_id);
"""
# Migration 5: attendance, waitlist offers, certificates (bot/attendance.py).
_V5 = """
-- Per-event attendance choices; no row = the defaults below.
CREATE TABLE attendance_settings (
    event_id              INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    checkin_code          TEXT UNIQUE,         -- the check-in QR opens /start c_<code>
    offer_minutes         INTEGER CHECK (offer_minutes IS NULL OR offer_minutes > 0),
                                               -- NULL: a freed place promotes at once
    survey_audience       TEXT NOT NULL DEFAULT 'auto'
                          CHECK (survey_audience IN ('auto', 'present', 'yes')),
    certificates          TEXT NOT NULL DEFAULT 'after-event'
                          CHECK (certificates IN ('after-event', 'after-survey', 'off')),
    updated_at            TEXT NOT NULL
);

-- Who came: one row per person and event (QR check-in, online join or the organiser).
CREATE TABLE attendance (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('present', 'absent')),
    source          TEXT NOT NULL,             -- qr, join, organiser
    marked_at       TEXT NOT NULL,
    PRIMARY KEY (event_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX attendance_by_participant ON attendance (participant_id);

-- A freed place offered to the first person on the waitlist for a limited time.
CREATE TABLE waitlist_offers (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    state           TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'accepted', 'declined', 'expired', 'withdrawn')),
    offered_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    answered_at     TEXT
);
-- At most one open offer per person and event; open offers hold a place.
CREATE UNIQUE INDEX waitlist_offers_open ON waitlist_offers (event_id, participant_id)
    WHERE state = 'open';
CREATE INDEX waitlist_offers_due ON waitlist_offers (state, expires_at);

-- Certificates of attendance. Name and organisation are kept as printed, so the
-- verification link confirms exactly what the paper says.
CREATE TABLE certificates (
    code            TEXT PRIMARY KEY,          -- verification: /start v_<code>
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    organisation    TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL,
    hours           REAL NOT NULL,
    source          TEXT NOT NULL,             -- auto, request, organiser
    issued_at       TEXT NOT NULL,
    UNIQUE (event_id, participant_id)
);
CREATE INDEX certificates_by_participant ON certificates (participant_id);

-- A check-in begun by someone who had to register first: it resumes after registration.
CREATE TABLE checkin_intents (
    participant_id  INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL
);
"""
# Migration 6: privacy and operations (bot/privacy.py).
_V6 = """
-- Accountability without personal data: what was exported or erased, when and why.
-- No foreign key: the record outlives the participant row it names.
CREATE TABLE privacy_log (
    id              INTEGER PRIMARY KEY,
    participant_id  INTEGER,
    action          TEXT NOT NULL CHECK (action IN ('export', 'forget', 'retention')),
    at              TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}'   -- counts only, never names
);
CREATE INDEX privacy_log_by_participant ON privacy_log (participant_id);

-- Whatever feature queues a message, nothing is ever queued to a forgotten person.
CREATE TRIGGER outbox_skip_forgotten BEFORE INSERT ON outbox
WHEN NEW.participant_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM participants WHERE id = NEW.participant_id AND forgotten_at IS NOT NULL)
BEGIN
    SELECT RAISE(IGNORE);
END;

-- The people lists and exports may show (see docs/privacy.md).
CREATE VIEW active_participants AS SELECT * FROM participants WHERE forgotten_at IS NULL;

-- Retention asks for a programme's last event.
CREATE INDEX events_by_programme ON events (programme_id, ends_at);
"""

# Access follows invitations (bot/access.py, docs/privacy.md).
_V_ACCESS = """
-- The organiser who added the bot to a group or channel, or confirmed it (/postcard sent
-- in it, or its id typed): only such chats are offered by /postcard. NULL: a chat someone
-- else added the bot to, never offered.
ALTER TABLE bot_chats ADD COLUMN trusted_by INTEGER;
UPDATE bot_chats SET trusted_by = (
    SELECT g.posted_by_user_id FROM group_posts g
    WHERE g.chat_id = bot_chats.chat_id AND g.posted_by_user_id IS NOT NULL
    ORDER BY g.posted_at DESC LIMIT 1);
-- An answer given before answers required an invitation keeps its access.
INSERT INTO invitations (event_id, participant_id, source, invited_at)
SELECT event_id, participant_id, 'rsvp', updated_at FROM rsvps WHERE true
ON CONFLICT DO NOTHING;
"""


# Certificates a public body can issue (bot/certificates.py, docs/documents.md): the document
# language, bilingual pages and declared hours per event or programme, the programme's own
# funding block, and a serial registration number per deployment.
_V_CERTIFICATES = """
-- Per event; NULL = the programme's choice, else [documents] in the settings.
ALTER TABLE attendance_settings ADD COLUMN cert_language TEXT
    CHECK (cert_language IS NULL OR cert_language IN ('lt', 'en', 'uk'));
ALTER TABLE attendance_settings ADD COLUMN cert_bilingual INTEGER;   -- 1 = lt + en page
ALTER TABLE attendance_settings ADD COLUMN cert_hours REAL
    CHECK (cert_hours IS NULL OR cert_hours > 0);                     -- declared; NULL = computed
ALTER TABLE attendance_settings ADD COLUMN cert_hours_unit TEXT NOT NULL DEFAULT 'hours'
    CHECK (cert_hours_unit IN ('hours', 'academic'));                -- academic hour = 45 min
ALTER TABLE attendance_settings ADD COLUMN cert_hours_precision INTEGER
    CHECK (cert_hours_precision IS NULL OR cert_hours_precision BETWEEN 0 AND 2);

-- Per programme: certificate defaults and the funding block (NULL = the settings').
ALTER TABLE programmes ADD COLUMN cert_language TEXT
    CHECK (cert_language IS NULL OR cert_language IN ('lt', 'en', 'uk'));
ALTER TABLE programmes ADD COLUMN cert_bilingual INTEGER;
ALTER TABLE programmes ADD COLUMN funding_statement TEXT;
ALTER TABLE programmes ADD COLUMN project_code TEXT;
ALTER TABLE programmes ADD COLUMN emblem_path TEXT;

-- What a certificate was issued as, kept so that every re-send prints the same page.
-- language stays the holder's chat language (the caption); doc_language is the page's.
ALTER TABLE certificates ADD COLUMN doc_language TEXT;             -- NULL: older, = language
ALTER TABLE certificates ADD COLUMN bilingual INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN hours_unit TEXT NOT NULL DEFAULT 'hours';
ALTER TABLE certificates ADD COLUMN hours_precision INTEGER NOT NULL DEFAULT 2;
ALTER TABLE certificates ADD COLUMN serial INTEGER;                -- 1, 2, 3 ... per deployment
ALTER TABLE certificates ADD COLUMN reg_number TEXT;               -- "KV-2027-000123"
CREATE UNIQUE INDEX certificates_by_serial ON certificates (serial);
CREATE UNIQUE INDEX certificates_by_reg_number ON certificates (reg_number);

-- Serial numbers of registered documents, allocated inside the issuing transaction.
CREATE TABLE document_counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO document_counters (name, value) VALUES ('certificate', 0);
"""


# Identities: a personal link opened from a second Telegram account is refused and counted
# here, so organisers can see it (bot/participants.py). Counts and times only: nothing about
# who tried.
_V_IDENTITY = """
CREATE TABLE personal_link_refusals (
    participant_id  INTEGER PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    first_at        TEXT NOT NULL,
    last_at         TEXT NOT NULL
);
"""


# E-mails are stored lower-cased, so a lookup is ``email = ?`` through the unique index
# participants_email (``lower(email) = ?`` cannot use it: one table scan per imported row).
_V_EMAIL_LOWER = """
UPDATE participants SET email = lower(email) WHERE email IS NOT NULL AND email <> lower(email);
CREATE TRIGGER participants_email_lower_insert BEFORE INSERT ON participants
WHEN NEW.email IS NOT NULL AND NEW.email <> lower(NEW.email)
BEGIN
    SELECT RAISE(ABORT, 'participants.email is stored lower-case');
END;
CREATE TRIGGER participants_email_lower_update BEFORE UPDATE OF email ON participants
WHEN NEW.email IS NOT NULL AND NEW.email <> lower(NEW.email)
BEGIN
    SELECT RAISE(ABORT, 'participants.email is stored lower-case');
END;
"""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step in each engine's dialect (append new ones with both set)."""

    sqlite: str
    postgres: str | None = None


# How many of the first migrations the PostgreSQL baseline (bot/storage/postgres_baseline.py)
# builds at once; every migration after these has ``postgres`` DDL.
POSTGRES_BASELINE = 10

# E-mail (issue 16; bot/storage/email.py): every e-mail is an outbox row holding the whole
# message, sent by bot/email/sender.py; a row is 'sending' only while its SMTP transaction
# is under way (``claimed_by``/``claimed_at`` say which sender and since when). Suppressed
# addresses get no more e-mail; a forgotten person's address is kept only as a digest
# (``address_key``: "sha256:..."), never in clear.
_V_EMAIL_OUTBOX_SQL = """
CREATE TABLE email_outbox (
    id                   {id},
    campaign_id          {ref},                 -- the e-mail campaign, if any
    participant_id       {ref} REFERENCES participants(id) ON DELETE SET NULL,
    address              TEXT NOT NULL,         -- lower-case; the digest once forgotten
    address_key          TEXT NOT NULL,         -- bot.models.address_key(address)
    dedup_key            TEXT NOT NULL UNIQUE,
    message              {blob} NOT NULL,       -- the RFC 5322 bytes, sent as they are
    status               TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending',
                             'sending', 'sent', 'failed', 'undeliverable', 'cancelled')),
    attempts             INTEGER NOT NULL DEFAULT 0,
    not_before           TEXT NOT NULL,         -- UTC ISO: due from then (retries later)
    last_error           TEXT,
    smtp_code            INTEGER,
    possible_duplicates  INTEGER NOT NULL DEFAULT 0,  -- in flight at a crash or a drop
    claimed_by           TEXT,                  -- the sender that has it in flight
    claimed_at           TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    sent_at              TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (status, not_before, id);
CREATE INDEX email_outbox_by_campaign ON email_outbox (campaign_id, status);
CREATE INDEX email_outbox_by_participant ON email_outbox (participant_id);
CREATE INDEX email_outbox_by_address ON email_outbox (address);

CREATE TABLE email_suppressions (
    address  TEXT PRIMARY KEY,                  -- lower-case, or the digest once forgotten
    reason   TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained',
                 'forgotten')),
    at       TEXT NOT NULL
);
"""
_V_EMAIL_OUTBOX = Migration(
    sqlite=_V_EMAIL_OUTBOX_SQL.format(id="INTEGER PRIMARY KEY", ref="INTEGER", blob="BLOB"),
    postgres=_V_EMAIL_OUTBOX_SQL.format(
        id="BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", ref="BIGINT", blob="BYTEA"
    ),
)


# Invitations by e-mail (issue 16; bot/storage/email_invitations.py): e-mail campaigns of an
# event (an invitation, or a reminder waiting for its moment in ``send_at``) and one row per
# e-mail, behind its unsubscribe link and the report. The queued messages themselves are
# the transport's outbox.
_V_EMAIL_INVITATIONS_SQL = """
CREATE TABLE email_campaigns (
    id          {id},
    event_id    {ref} NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    segment     TEXT NOT NULL,                 -- JSON: bot.models.EmailSegment
    created_by  BIGINT,                        -- the organiser's Telegram id
    created_at  TEXT NOT NULL,
    send_at     TEXT,                          -- UTC ISO; NULL: at once
    queued_at   TEXT                           -- its e-mails went to the outbox
);
CREATE INDEX email_campaigns_by_event ON email_campaigns (event_id);

CREATE TABLE email_sends (
    id               {id},
    campaign_id      {ref} NOT NULL REFERENCES email_campaigns(id) ON DELETE CASCADE,
    participant_id   {ref} REFERENCES participants(id) ON DELETE SET NULL,
    personal_code    TEXT,                     -- the link it carried (survives a merge)
    address          TEXT,                     -- lower-case; NULL once forgotten
    organisation     TEXT,
    language         TEXT,
    queued_at        TEXT NOT NULL,
    opened_at        TEXT,                     -- the personal link was opened
    bounced_at       TEXT,                     -- a delivery report said undeliverable
    unsubscribed_at  TEXT,
    UNIQUE (campaign_id, personal_code)
);
CREATE INDEX email_sends_by_code ON email_sends (personal_code);
CREATE INDEX email_sends_by_address ON email_sends (address);
CREATE INDEX email_sends_by_participant ON email_sends (participant_id);
"""
_V_EMAIL_INVITATIONS = Migration(
    sqlite=_V_EMAIL_INVITATIONS_SQL.format(id="INTEGER PRIMARY KEY", ref="INTEGER"),
    postgres=_V_EMAIL_INVITATIONS_SQL.format(
        id="BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", ref="BIGINT"
    ),
)

# Several workers on one database (issue 14, docs/operations.md "Several workers"): a named
# lease ("sender", "scheduler", "poller", "worker:<id>" ...) held by one worker until it
# expires (bot/leases.py); outbox rows claimed by a worker until their claim expires, so
# recovery touches only rows no live worker is sending; the worker queueing a draft
# campaign, so another worker's sender discards a draft only when its worker is gone.
_V_WORKERS = """
CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,            -- UTC ISO with milliseconds
    acquired_at  TEXT NOT NULL,            -- when this holder took it
    renewed_at   TEXT NOT NULL,
    generation   INTEGER NOT NULL DEFAULT 1  -- +1 each time the lease changes hands
);
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claim_expires_at TEXT;
CREATE INDEX outbox_claims ON outbox (claimed_by, claim_expires_at) WHERE status = 'sending';
ALTER TABLE campaigns ADD COLUMN queued_by TEXT;
"""
_V_WORKERS_PG = """
CREATE TABLE leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    acquired_at  TEXT NOT NULL,
    renewed_at   TEXT NOT NULL,
    generation   BIGINT NOT NULL DEFAULT 1
);
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claim_expires_at TEXT;
CREATE INDEX outbox_claims ON outbox (claimed_by, claim_expires_at) WHERE status = 'sending';
ALTER TABLE campaigns ADD COLUMN queued_by TEXT;
"""


MIGRATIONS: list[Migration] = [
    Migration(_V1),
    Migration(_V2),
    Migration(_V3),
    Migration(_V4),
    Migration(_V5),
    Migration(_V6),
    Migration(_V_ACCESS),
    Migration(_V_CERTIFICATES),
    Migration(_V_IDENTITY),
    Migration(_V_EMAIL_LOWER),
    _V_EMAIL_OUTBOX,
    _V_EMAIL_INVITATIONS,
    Migration(sqlite=_V_WORKERS, postgres=_V_WORKERS_PG),
]


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the bot (refused, not downgraded)."""


def statements(script: str) -> list[str]:
    """A migration script as its statements (trigger bodies kept whole: SQLite's own
    ``complete_statement`` says where one ends)."""
    found: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                found.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise ValueError(f"incomplete statement at the end of a migration: {pending[:80]!r}")
    return found


async def migrate(db: aiosqlite.Connection, migrations: Sequence[Migration] | None = None) -> None:
    """Bring the database to the last of ``migrations`` (default :data:`MIGRATIONS`).

    The version is read and every missing step applied in ONE immediate transaction, so
    several processes starting at once on a new file (``run --workers N``) migrate it once:
    the others wait for the write lock, then find it done."""
    steps = MIGRATIONS if migrations is None else migrations

    def work(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("PRAGMA user_version").fetchone()
            current = int(row[0]) if row else 0
            if current > len(steps):
                raise SchemaTooNew(
                    f"database schema version {current} is newer than this code ({len(steps)})"
                )
            # A new database is built quietly; upgrading an existing one is worth a line each.
            level = logging.DEBUG if current == 0 else logging.INFO
            for version, migration in enumerate(steps[current:], start=current + 1):
                log.log(level, "applying schema migration %d", version)
                for statement in statements(migration.sqlite):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already (disk full ...)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    await db._execute(lambda: work(db._conn))  # type: ignore[no-untyped-call]
