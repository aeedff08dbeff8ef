-- The admin console: accounts an admin deactivates (nobody signs in with them; their sessions
-- and API tokens are ended at once) and invitations, one-time links to set a password that
-- expire. An invitation keeps only the keyed hash of its secret, like sessions and tokens.
ALTER TABLE accounts ADD COLUMN disabled_at TEXT;
CREATE TABLE invitations (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_by BIGINT REFERENCES people(id)
);
-- A person's invitations, newest first: the one shown on the account, and voiding older ones.
CREATE INDEX invitations_by_person ON invitations (person_id, id);
-- The sessions of a person, newest first, for the admin's list.
CREATE INDEX sessions_by_person_id ON sessions (person_id, id);
