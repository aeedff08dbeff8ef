-- Cycle set-up: who takes part beyond one department (several departments, a manager's whole
-- organisation, people added or left out by name), and templates edited after creation.

CREATE TABLE review_cycle_scope (
    id @ID@,
    cycle_id BIGINT NOT NULL REFERENCES review_cycles(id),
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    UNIQUE (cycle_id, kind, ref_id)
);

ALTER TABLE review_templates ADD COLUMN updated_at TEXT;
