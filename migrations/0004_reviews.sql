-- Performance reviews: templates, cycles, review assignments with answers, and outcomes.

CREATE TABLE review_templates (
    id @ID@,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    questions TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL
);

CREATE TABLE review_cycles (
    id @ID@,
    name TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    peers_per_person BIGINT NOT NULL,
    manager_sees_peer_names BIGINT NOT NULL,
    self_template_id BIGINT REFERENCES review_templates(id),
    manager_template_id BIGINT REFERENCES review_templates(id),
    peer_template_id BIGINT REFERENCES review_templates(id),
    department_id BIGINT REFERENCES departments(id),
    hired_before TEXT,
    created_by BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL,
    launched_at TEXT,
    released_at TEXT
);

CREATE TABLE reviews (
    id @ID@,
    cycle_id BIGINT NOT NULL REFERENCES review_cycles(id),
    reviewee_id BIGINT NOT NULL REFERENCES people(id),
    reviewer_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    template_id BIGINT NOT NULL REFERENCES review_templates(id),
    status TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    submitted_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX reviews_by_reviewer ON reviews (reviewer_id, cycle_id);
CREATE INDEX reviews_by_reviewee ON reviews (reviewee_id, cycle_id, kind);

CREATE TABLE review_outcomes (
    id @ID@,
    cycle_id BIGINT NOT NULL REFERENCES review_cycles(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    rating DOUBLE PRECISION,
    calibrated_rating DOUBLE PRECISION,
    calibration_note TEXT,
    manager_summary TEXT,
    released_at TEXT,
    acknowledged_at TEXT,
    employee_comment TEXT,
    UNIQUE (cycle_id, person_id)
);
CREATE INDEX review_outcomes_by_person ON review_outcomes (person_id);
