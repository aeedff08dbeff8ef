-- One-on-ones: recurring series, meetings with a four-part agenda, talking points, shared and
-- (encrypted) private notes, action items; the email outbox, in-app notifications and private
-- calendar feeds.

CREATE TABLE oneonone_series (
    id @ID@,
    lead_id BIGINT NOT NULL REFERENCES people(id),
    member_id BIGINT NOT NULL REFERENCES people(id),
    relation TEXT NOT NULL,
    cadence_weeks BIGINT NOT NULL,
    weekday BIGINT NOT NULL,
    start_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    first_date TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);
CREATE INDEX oneonone_series_by_lead ON oneonone_series (lead_id, member_id);
CREATE INDEX oneonone_series_by_member ON oneonone_series (member_id);

CREATE TABLE oneonone_meetings (
    id @ID@,
    series_id BIGINT NOT NULL REFERENCES oneonone_series(id),
    occurrence_date TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    local_start TEXT NOT NULL,
    status TEXT NOT NULL,
    moved BIGINT NOT NULL DEFAULT 0,
    skip_reason TEXT,
    shared_notes TEXT NOT NULL DEFAULT '',
    career_discussed BIGINT NOT NULL DEFAULT 0,
    held_at TEXT,
    completed_by BIGINT REFERENCES people(id),
    UNIQUE (series_id, occurrence_date)
);
CREATE INDEX oneonone_meetings_by_start ON oneonone_meetings (status, starts_at);
-- cadence health reads the held meetings of the last months from the index alone
CREATE INDEX oneonone_meetings_held ON oneonone_meetings
    (status, held_at, series_id, career_discussed);
-- "not met in six weeks": the held meetings of one series
CREATE INDEX oneonone_meetings_by_series ON oneonone_meetings (series_id, status, held_at);

CREATE TABLE oneonone_points (
    id @ID@,
    meeting_id BIGINT NOT NULL REFERENCES oneonone_meetings(id),
    author_id BIGINT NOT NULL REFERENCES people(id),
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX oneonone_points_by_meeting ON oneonone_points (meeting_id, id);

-- Readable by their author alone: sealed with a key derived from the server key for that author.
CREATE TABLE oneonone_private_notes (
    meeting_id BIGINT NOT NULL REFERENCES oneonone_meetings(id),
    author_id BIGINT NOT NULL REFERENCES people(id),
    sealed TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, author_id)
);

CREATE TABLE action_items (
    id @ID@,
    series_id BIGINT NOT NULL REFERENCES oneonone_series(id),
    meeting_id BIGINT NOT NULL REFERENCES oneonone_meetings(id),
    owner_id BIGINT NOT NULL REFERENCES people(id),
    body TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL,
    idp_action_id BIGINT,
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX action_items_by_series ON action_items (series_id, status);
CREATE INDEX action_items_due ON action_items (status, due_date);

CREATE TABLE email_outbox (
    id @ID@,
    dedupe_key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    entity TEXT,
    entity_id BIGINT,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (sent_at, next_attempt_at);
CREATE INDEX email_outbox_by_entity ON email_outbox (entity, entity_id);

CREATE TABLE notifications (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    dedupe_key TEXT NOT NULL UNIQUE,
    pass TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_by_person ON notifications (person_id, id);
CREATE INDEX notifications_by_pass ON notifications (pass);

CREATE TABLE calendar_feeds (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
