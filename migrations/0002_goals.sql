-- Goals and OKRs (company -> team -> individual alignment), key results, check-ins, and the
-- accomplishments journal. Numbers that users measure are DOUBLE PRECISION in both dialects.

CREATE TABLE goals (
    id @ID@,
    title TEXT NOT NULL,
    description TEXT,
    level TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES people(id),
    department_id BIGINT REFERENCES departments(id),
    parent_id BIGINT REFERENCES goals(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    start_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    proposed_by BIGINT REFERENCES people(id),
    accepted BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_checkin_at TEXT,
    -- computed on every write (domain/goals.c goals_refresh), so reads never recompute trees
    progress DOUBLE PRECISION NOT NULL DEFAULT 0,
    rollup DOUBLE PRECISION,
    kr_count BIGINT NOT NULL DEFAULT 0,
    children_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX goals_by_parent ON goals (parent_id);
CREATE INDEX goals_by_owner ON goals (owner_id, due_date);
CREATE INDEX goals_by_department ON goals (department_id);
CREATE INDEX goals_by_level ON goals (level, due_date);

CREATE TABLE goal_contributors (
    goal_id BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (goal_id, person_id)
);
CREATE INDEX goal_contributors_by_person ON goal_contributors (person_id);

CREATE TABLE key_results (
    id @ID@,
    goal_id BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    type TEXT NOT NULL,
    start_value DOUBLE PRECISION NOT NULL DEFAULT 0,
    target_value DOUBLE PRECISION NOT NULL DEFAULT 0,
    current_value DOUBLE PRECISION NOT NULL DEFAULT 0,
    unit TEXT,
    direction TEXT NOT NULL DEFAULT 'increase',
    weight DOUBLE PRECISION NOT NULL DEFAULT 1,
    done BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX key_results_by_goal ON key_results (goal_id, position);

CREATE TABLE goal_checkins (
    id @ID@,
    goal_id BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    key_result_id BIGINT REFERENCES key_results(id) ON DELETE SET NULL,
    author_id BIGINT NOT NULL REFERENCES people(id),
    value DOUBLE PRECISION,
    status TEXT,
    confidence BIGINT NOT NULL,
    comment TEXT,
    progress DOUBLE PRECISION NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX goal_checkins_by_goal ON goal_checkins (goal_id, id);

CREATE TABLE accomplishments (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    happened_on TEXT NOT NULL,
    title TEXT NOT NULL,
    impact TEXT,
    challenges TEXT,
    links TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    shared_with_manager BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX accomplishments_by_person ON accomplishments (person_id, happened_on, id);

CREATE TABLE accomplishment_goals (
    accomplishment_id BIGINT NOT NULL REFERENCES accomplishments(id) ON DELETE CASCADE,
    goal_id BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    PRIMARY KEY (accomplishment_id, goal_id)
);
CREATE INDEX accomplishment_goals_by_goal ON accomplishment_goals (goal_id);
