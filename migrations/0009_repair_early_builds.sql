-- Repair for databases made by earlier builds of main whose migrations 0001, 0002, 0007 and 0008
-- changed after those builds ran them (the versions were recorded, so the new text never reached
-- them). Numbered 0009 so that it runs before 0016, which needs the goals' roll-up columns; the
-- migrator applies every migration a database has not recorded, so it reaches databases already
-- at a later version too. The goals' columns that 0002 gained are added by src/store/migrate.c
-- (late_columns) before any migration runs, since SQLite cannot add a column only when missing.
-- On a database made by today's migrations every statement here finds its object in place.

-- 0001: the directory search's covering index and the report count's index
DROP INDEX IF EXISTS people_by_name;
CREATE INDEX people_by_name ON people (sort_name, id, search_text, status);
CREATE INDEX IF NOT EXISTS people_reports_by_status ON people (manager_id, status);

-- 0002: goal contributors
CREATE TABLE IF NOT EXISTS goal_contributors (
    goal_id BIGINT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (goal_id, person_id)
);
CREATE INDEX IF NOT EXISTS goal_contributors_by_person ON goal_contributors (person_id);

-- 0007: the series index gained member_id; two meeting indexes were added
DROP INDEX IF EXISTS oneonone_series_by_lead;
CREATE INDEX oneonone_series_by_lead ON oneonone_series (lead_id, member_id);
CREATE INDEX IF NOT EXISTS oneonone_meetings_held ON oneonone_meetings
    (status, held_at, series_id, career_discussed);
CREATE INDEX IF NOT EXISTS oneonone_meetings_by_series ON oneonone_meetings
    (series_id, status, held_at);

-- 0008: the career dashboard's snapshot table and the covering ratings index
CREATE TABLE IF NOT EXISTS career_dashboard_snapshots (
    id @ID@,
    computed_at TEXT NOT NULL,
    body TEXT NOT NULL
);
DROP INDEX IF EXISTS ratings_by_person;
CREATE INDEX ratings_by_person ON ratings (person_id, subject, subject_id, source, id, rating);
