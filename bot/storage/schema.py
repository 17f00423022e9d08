"""Versioned schema: ``PRAGMA user_version`` is the number of migrations applied.

Append new migrations at the end of ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import logging

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
_V2 = ""
# Migration 3: questionnaires and answers (bot/surveys/).
_V3 = ""
# Migration 4: scheduled work derived from events (bot/scheduling.py).
_V4 = ""
# Migration 5: attendance, waitlist offers, certificates (bot/attendance.py).
_V5 = ""
# Migration 6: privacy and operations (bot/privacy.py).
_V6 = ""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6]


async def migrate(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    current = int(row[0]) if row else 0
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {current} is newer than this code ({len(MIGRATIONS)})"
        )
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        log.info("applying schema migration %d", version)
        await db.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
