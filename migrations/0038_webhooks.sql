-- Signed webhooks (docs/operations-webhooks.md): endpoints an admin registers for event kinds,
-- one delivery row per (event, endpoint) written in the same transaction as the change that
-- caused it, and the history of every attempt. event_kinds is a comma-separated list of kinds;
-- secret_box holds the signing secret sealed with a key derived from the server key (hex of
-- nonce and ciphertext), so the server can sign and the database alone does not reveal it.
CREATE TABLE webhook_endpoints (
    id @ID@,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_kinds TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    secret_box TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    id @ID@,
    event_id TEXT NOT NULL,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    lease_token TEXT,
    last_status_code BIGINT,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE TABLE webhook_attempts (
    id @ID@,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TEXT NOT NULL,
    status_code BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_id, id);
