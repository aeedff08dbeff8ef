-- People, organisation, accounts, sessions and the audit log.
-- @ID@ is the one dialect difference: an auto-assigned 64-bit primary key.

CREATE TABLE departments (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    parent_id BIGINT REFERENCES departments(id),
    created_at TEXT NOT NULL
);

CREATE TABLE people (
    id @ID@,
    employee_id TEXT UNIQUE,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    search_text TEXT NOT NULL,
    title TEXT,
    department_id BIGINT REFERENCES departments(id),
    manager_id BIGINT REFERENCES people(id),
    level TEXT,
    hire_date TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- covering the directory search: a text filter scans the index, not the table
CREATE INDEX people_by_name ON people (sort_name, id, search_text, status);
CREATE INDEX people_by_manager ON people (manager_id, sort_name, id);
-- reports_count is answered from the index alone
CREATE INDEX people_reports_by_status ON people (manager_id, status);
CREATE INDEX people_by_department ON people (department_id, sort_name, id);

CREATE TABLE role_history (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    effective_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    level TEXT,
    department_id BIGINT REFERENCES departments(id),
    manager_id BIGINT REFERENCES people(id),
    status TEXT,
    reason TEXT,
    recorded_at TEXT NOT NULL,
    actor_id BIGINT REFERENCES people(id)
);
CREATE INDEX role_history_by_person ON role_history (person_id, effective_date, id);

CREATE TABLE accounts (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    role TEXT NOT NULL,
    password_hash TEXT,
    login_method TEXT NOT NULL DEFAULT 'password',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id @ID@,
    token_hash TEXT NOT NULL UNIQUE,
    person_id BIGINT NOT NULL REFERENCES people(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_by_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id @ID@,
    token_hash TEXT NOT NULL UNIQUE,
    person_id BIGINT NOT NULL REFERENCES people(id),
    name TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL
);

CREATE TABLE audit (
    id @ID@,
    at TEXT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    before_json TEXT,
    after_json TEXT,
    ip TEXT
);
CREATE INDEX audit_by_entity ON audit (entity, entity_id, id);
CREATE INDEX audit_by_actor ON audit (actor_id, id);
