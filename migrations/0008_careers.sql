-- Career development: frameworks (tracks, levels, competencies and what each level expects),
-- the skills catalogue and ratings with history, individual development plans with actions,
-- milestones, comments and sign-off history, learning records, mentorship and internal
-- opportunities.

CREATE TABLE career_tracks (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);

CREATE TABLE career_levels (
    id @ID@,
    track_id BIGINT NOT NULL REFERENCES career_tracks(id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT,
    UNIQUE (track_id, position)
);

CREATE TABLE competencies (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);

CREATE TABLE level_expectations (
    level_id BIGINT NOT NULL REFERENCES career_levels(id),
    competency_id BIGINT NOT NULL REFERENCES competencies(id),
    rating BIGINT NOT NULL,
    description TEXT,
    PRIMARY KEY (level_id, competency_id)
);

ALTER TABLE people ADD COLUMN career_level_id BIGINT REFERENCES career_levels(id);

CREATE TABLE skills (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL
);

-- Ratings of a person's skills and competencies by themselves or their manager; every rating is
-- kept, the latest per (person, subject, source) is the current one.
CREATE TABLE ratings (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    rating BIGINT NOT NULL,
    rater_id BIGINT NOT NULL REFERENCES people(id),
    created_at TEXT NOT NULL
);
-- covering: a current rating (latest by source) is read from the index alone
CREATE INDEX ratings_by_person ON ratings (person_id, subject, subject_id, source, id, rating);
CREATE INDEX ratings_by_subject ON ratings (subject, subject_id, rating);

CREATE TABLE idps (
    id @ID@,
    person_id BIGINT NOT NULL UNIQUE REFERENCES people(id),
    short_term TEXT,
    long_term TEXT,
    target_level_id BIGINT REFERENCES career_levels(id),
    target_role TEXT,
    strengths TEXT,
    improvements TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    signed_off_by BIGINT REFERENCES people(id),
    signed_off_at TEXT,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE idp_actions (
    id @ID@,
    idp_id BIGINT NOT NULL REFERENCES idps(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    success_measure TEXT,
    due_date TEXT,
    status TEXT NOT NULL,
    support_needed TEXT,
    skill_id BIGINT REFERENCES skills(id),
    competency_id BIGINT REFERENCES competencies(id),
    goal_id BIGINT REFERENCES goals(id),
    created_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX idp_actions_by_idp ON idp_actions (idp_id, id);

CREATE TABLE idp_milestones (
    id @ID@,
    idp_id BIGINT NOT NULL REFERENCES idps(id),
    title TEXT NOT NULL,
    due_date TEXT,
    done_at TEXT
);

CREATE TABLE idp_comments (
    id @ID@,
    idp_id BIGINT NOT NULL REFERENCES idps(id),
    author_id BIGINT NOT NULL REFERENCES people(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The plan as it was before each change made after a sign-off.
CREATE TABLE idp_history (
    id @ID@,
    idp_id BIGINT NOT NULL REFERENCES idps(id),
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES people(id),
    changed_at TEXT NOT NULL
);

CREATE TABLE learning_records (
    id @ID@,
    person_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    provider TEXT,
    completed_on TEXT NOT NULL,
    expires_on TEXT,
    idp_action_id BIGINT REFERENCES idp_actions(id),
    created_at TEXT NOT NULL
);
CREATE INDEX learning_by_person ON learning_records (person_id, completed_on);
CREATE INDEX learning_by_expiry ON learning_records (expires_on);

CREATE TABLE mentor_offers (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    capacity BIGINT NOT NULL,
    note TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE mentor_offer_skills (
    person_id BIGINT NOT NULL REFERENCES people(id),
    skill_id BIGINT NOT NULL REFERENCES skills(id),
    PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX mentor_offer_skills_by_skill ON mentor_offer_skills (skill_id);

CREATE TABLE mentorships (
    id @ID@,
    mentor_id BIGINT NOT NULL REFERENCES people(id),
    mentee_id BIGINT NOT NULL REFERENCES people(id),
    skill_id BIGINT REFERENCES skills(id),
    goals TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX mentorships_by_mentor ON mentorships (mentor_id, status);
CREATE INDEX mentorships_by_mentee ON mentorships (mentee_id, status);

CREATE TABLE opportunities (
    id @ID@,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    department_id BIGINT REFERENCES departments(id),
    posted_by BIGINT NOT NULL REFERENCES people(id),
    status TEXT NOT NULL,
    closes_on TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE opportunity_skills (
    opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
    skill_id BIGINT NOT NULL REFERENCES skills(id),
    min_rating BIGINT NOT NULL,
    PRIMARY KEY (opportunity_id, skill_id)
);
CREATE INDEX opportunity_skills_by_skill ON opportunity_skills (skill_id);

CREATE TABLE opportunity_interest (
    id @ID@,
    opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    note TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (opportunity_id, person_id)
);

CREATE TABLE level_skill_expectations (
    level_id BIGINT NOT NULL REFERENCES career_levels(id),
    skill_id BIGINT NOT NULL REFERENCES skills(id),
    rating BIGINT NOT NULL,
    PRIMARY KEY (level_id, skill_id)
);

-- The HR career dashboard, recomputed in the background (it reads the whole company).
CREATE TABLE career_dashboard_snapshots (
    id @ID@,
    computed_at TEXT NOT NULL,
    body TEXT NOT NULL
);
