-- Settings an admin changes in the web UI without a restart (issue #12): the organisation's
-- name, the company values praise is given for, and the anonymity threshold new review cycles
-- start with. One row per setting; a missing row means the built-in default.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by INTEGER REFERENCES people (id),
    updated_at TEXT NOT NULL
);
