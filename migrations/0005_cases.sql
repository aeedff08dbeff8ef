-- Promotion, raise and responsibility cases, backed by evidence and decided by HR.

CREATE TABLE promotion_cases (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    opened_by BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_title TEXT,
    proposed_level TEXT,
    justification TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    decided_by BIGINT REFERENCES people(id),
    decision_note TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX promotion_cases_by_person ON promotion_cases (person_id, id);
