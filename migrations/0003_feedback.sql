-- Continuous feedback and recognition, and requests for feedback from coworkers.

CREATE TABLE feedback (
    id @ID@,
    author_id BIGINT NOT NULL REFERENCES people(id),
    recipient_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL,
    company_value TEXT,
    body TEXT NOT NULL,
    request_id BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX feedback_by_recipient ON feedback (recipient_id, id);
CREATE INDEX feedback_by_author ON feedback (author_id, id);
CREATE INDEX feedback_wall ON feedback (visibility, id);

CREATE TABLE feedback_requests (
    id @ID@,
    requester_id BIGINT NOT NULL REFERENCES people(id),
    asked_id BIGINT NOT NULL REFERENCES people(id),
    topic TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL,
    feedback_id BIGINT REFERENCES feedback(id),
    decline_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX feedback_requests_by_asked ON feedback_requests (asked_id, id);
CREATE INDEX feedback_requests_by_requester ON feedback_requests (requester_id, id);
