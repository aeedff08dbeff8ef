-- Reviews, continued: upward reviews, peer nomination with manager approval, phase deadlines,
-- the potential axis, people joining or leaving mid-cycle, and reopened outcomes with history.

ALTER TABLE review_cycles ADD COLUMN upward_template_id BIGINT REFERENCES review_templates(id);
ALTER TABLE review_cycles ADD COLUMN peer_selection TEXT NOT NULL DEFAULT 'auto';
ALTER TABLE review_cycles ADD COLUMN min_peers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cycles ADD COLUMN max_requests_per_peer BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cycles ADD COLUMN nomination_due TEXT;
ALTER TABLE review_cycles ADD COLUMN self_due TEXT;
ALTER TABLE review_cycles ADD COLUMN peer_due TEXT;
ALTER TABLE review_cycles ADD COLUMN manager_due TEXT;
ALTER TABLE review_cycles ADD COLUMN calibration_due TEXT;

ALTER TABLE review_outcomes ADD COLUMN potential BIGINT;
ALTER TABLE review_outcomes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE review_outcomes ADD COLUMN withdrawn_at TEXT;

-- The employee proposes peers; their manager approves (or edits) the set, which assigns them.
CREATE TABLE peer_nominations (
    id @ID@,
    cycle_id BIGINT NOT NULL REFERENCES review_cycles(id),
    reviewee_id BIGINT NOT NULL REFERENCES people(id),
    peer_id BIGINT NOT NULL REFERENCES people(id),
    status TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES people(id),
    decided_by BIGINT REFERENCES people(id),
    updated_at TEXT NOT NULL,
    UNIQUE (cycle_id, reviewee_id, peer_id)
);
CREATE INDEX peer_nominations_by_peer ON peer_nominations (cycle_id, peer_id);

-- Every released version of an outcome, kept when HR reopens it for correction.
CREATE TABLE review_outcome_versions (
    id @ID@,
    outcome_id BIGINT NOT NULL REFERENCES review_outcomes(id),
    version BIGINT NOT NULL,
    rating DOUBLE PRECISION,
    calibrated_rating DOUBLE PRECISION,
    calibration_note TEXT,
    manager_summary TEXT,
    potential BIGINT,
    released_at TEXT,
    acknowledged_at TEXT,
    employee_comment TEXT,
    reopened_at TEXT NOT NULL,
    reopened_by BIGINT NOT NULL REFERENCES people(id),
    reason TEXT NOT NULL,
    UNIQUE (outcome_id, version)
);
