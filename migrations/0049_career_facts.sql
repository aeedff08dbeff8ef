-- The HR career dashboard computed live (issue #15) recounted the company on every request: an
-- EXISTS probe of the ratings for each of 800,000 person × expected-competency pairs, every IDP
-- action, and each person's last level change (2.2 s at 100,000 people). Each person's figures
-- are kept here instead, by triggers, in the same transaction as every write that changes them
-- (ratings, placements, the framework's expectations, plans and their actions, role history,
-- departments and leavers), so that no write path can forget them; the dashboard sums them by
-- department. A row is refreshed whole from its sources, so a trigger never adds up deltas that
-- could drift.
-- level_since: the last promotion or level change, else the hire date.
-- has_idp, actions (not cancelled), actions_done: the person's development plan.
-- expected, rated: the competencies the person's level expects, and those of them rated.
-- @sqlite
CREATE TABLE career_facts (
    person_id INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
-- @postgres
CREATE TABLE career_facts (
    person_id BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
-- @end
    department_id BIGINT,
    active INTEGER NOT NULL,
    level_since TEXT,
    has_idp INTEGER NOT NULL,
    actions INTEGER NOT NULL,
    actions_done INTEGER NOT NULL,
    expected INTEGER NOT NULL,
    rated INTEGER NOT NULL
);
-- the dashboard reads this index alone, in department order, for its sums
CREATE INDEX career_facts_by_department ON career_facts
    (department_id, active, has_idp, actions, actions_done, expected, rated, level_since);
-- and walks this one to the median date in level of each department
CREATE INDEX career_facts_by_level_since ON career_facts (department_id, active, level_since);
-- a change of the framework refreshes the people at that level
CREATE INDEX people_by_career_level ON people (career_level_id);
-- the dashboard's promotions of the last year, read by date
CREATE INDEX role_history_by_kind ON role_history (kind, effective_date, person_id);
-- @sqlite
-- SQLite triggers have no functions to call: each trigger names the people to refresh in
-- career_refresh_ids, whose own trigger rebuilds their rows with one statement and empties it
-- again (a plain DELETE and INSERT: an outer statement's conflict clause would override an
-- upsert's)
CREATE TABLE career_refresh_ids (person_id INTEGER PRIMARY KEY);
CREATE TRIGGER career_refresh_run AFTER INSERT ON career_refresh_ids BEGIN
    DELETE FROM career_facts WHERE person_id = new.person_id;
    INSERT INTO career_facts (person_id, department_id, active, level_since, has_idp, actions,
                              actions_done, expected, rated)
    SELECT p.id, p.department_id, CASE WHEN p.status = 'active' THEN 1 ELSE 0 END,
           COALESCE((SELECT MAX(h.effective_date) FROM role_history h WHERE h.person_id = p.id
                     AND h.kind IN ('promotion', 'level_change')), p.hire_date),
           (SELECT COUNT(*) FROM idps i WHERE i.person_id = p.id),
           (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id
            WHERE i.person_id = p.id AND a.status <> 'cancelled'),
           (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id
            WHERE i.person_id = p.id AND a.status = 'done'),
           (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = p.career_level_id),
           (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = p.career_level_id
            AND EXISTS (SELECT 1 FROM ratings r WHERE r.person_id = p.id
                        AND r.subject = 'competency' AND r.subject_id = e.competency_id))
    FROM people p WHERE p.id = new.person_id;
    DELETE FROM career_refresh_ids WHERE person_id = new.person_id;
END;
-- everyone's row, once
INSERT INTO career_refresh_ids (person_id) SELECT id FROM people;
-- a new person has no plan, ratings or level change yet: one cheap row (a large import drops
-- this trigger and writes the same rows at its end, store_people_bulk_end)
CREATE TRIGGER career_facts_hire AFTER INSERT ON people BEGIN
    INSERT INTO career_facts (person_id, department_id, active, level_since, has_idp, actions,
                              actions_done, expected, rated)
    VALUES (new.id, new.department_id, CASE WHEN new.status = 'active' THEN 1 ELSE 0 END,
            new.hire_date, 0, 0, 0,
            (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = new.career_level_id), 0);
END;
CREATE TRIGGER career_facts_person AFTER UPDATE OF department_id, status, career_level_id,
    hire_date ON people BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.id);
END;
CREATE TRIGGER career_facts_rating_add AFTER INSERT ON ratings WHEN new.subject = 'competency'
BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.person_id);
END;
CREATE TRIGGER career_facts_rating_drop AFTER DELETE ON ratings WHEN old.subject = 'competency'
BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (old.person_id);
END;
CREATE TRIGGER career_facts_rating_edit AFTER UPDATE OF person_id, subject, subject_id ON ratings
BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (old.person_id);
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.person_id);
END;
CREATE TRIGGER career_facts_level_add AFTER INSERT ON role_history
    WHEN new.kind IN ('promotion', 'level_change') BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.person_id);
END;
CREATE TRIGGER career_facts_level_drop AFTER DELETE ON role_history
    WHEN old.kind IN ('promotion', 'level_change') BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (old.person_id);
END;
CREATE TRIGGER career_facts_level_edit AFTER UPDATE OF person_id, kind, effective_date
    ON role_history BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (old.person_id);
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.person_id);
END;
CREATE TRIGGER career_facts_plan_add AFTER INSERT ON idps BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (new.person_id);
END;
CREATE TRIGGER career_facts_plan_drop AFTER DELETE ON idps BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id) VALUES (old.person_id);
END;
CREATE TRIGGER career_facts_action_add AFTER INSERT ON idp_actions BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT person_id FROM idps WHERE id = new.idp_id;
END;
CREATE TRIGGER career_facts_action_drop AFTER DELETE ON idp_actions BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT person_id FROM idps WHERE id = old.idp_id;
END;
CREATE TRIGGER career_facts_action_edit AFTER UPDATE OF status, idp_id ON idp_actions BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT person_id FROM idps WHERE id IN (old.idp_id, new.idp_id);
END;
CREATE TRIGGER career_facts_expect_add AFTER INSERT ON level_expectations BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT id FROM people WHERE career_level_id = new.level_id;
END;
CREATE TRIGGER career_facts_expect_drop AFTER DELETE ON level_expectations BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT id FROM people WHERE career_level_id = old.level_id;
END;
CREATE TRIGGER career_facts_expect_edit AFTER UPDATE OF level_id, competency_id
    ON level_expectations BEGIN
    INSERT OR IGNORE INTO career_refresh_ids (person_id)
    SELECT id FROM people WHERE career_level_id IN (old.level_id, new.level_id);
END;
-- @postgres
CREATE FUNCTION career_facts_refresh(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO career_facts (person_id, department_id, active, level_since, has_idp, actions,
                              actions_done, expected, rated)
    SELECT p.id, p.department_id, CASE WHEN p.status = 'active' THEN 1 ELSE 0 END,
           COALESCE((SELECT MAX(h.effective_date) FROM role_history h WHERE h.person_id = p.id
                     AND h.kind IN ('promotion', 'level_change')), p.hire_date),
           (SELECT COUNT(*) FROM idps i WHERE i.person_id = p.id),
           (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id
            WHERE i.person_id = p.id AND a.status <> 'cancelled'),
           (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id
            WHERE i.person_id = p.id AND a.status = 'done'),
           (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = p.career_level_id),
           (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = p.career_level_id
            AND EXISTS (SELECT 1 FROM ratings r WHERE r.person_id = p.id
                        AND r.subject = 'competency' AND r.subject_id = e.competency_id))
    FROM people p WHERE p.id = ANY (ids)
    ON CONFLICT (person_id) DO UPDATE SET department_id = excluded.department_id,
        active = excluded.active, level_since = excluded.level_since,
        has_idp = excluded.has_idp, actions = excluded.actions,
        actions_done = excluded.actions_done, expected = excluded.expected,
        rated = excluded.rated;
$$;
SELECT career_facts_refresh(ARRAY(SELECT id FROM people));
CREATE FUNCTION career_facts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
BEGIN
    -- a large import writes the figures of the people it hires once at its end
    -- (store_people_bulk_end)
    IF TG_TABLE_NAME = 'people' AND TG_OP = 'INSERT'
       AND current_setting('trellis.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'people' THEN
        ids := ARRAY[NEW.id];
    ELSIF TG_TABLE_NAME = 'idp_actions' THEN
        SELECT array_agg(person_id) INTO ids FROM idps
        WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.idp_id END,
                     CASE WHEN TG_OP <> 'DELETE' THEN NEW.idp_id END);
    ELSIF TG_TABLE_NAME = 'level_expectations' THEN
        SELECT array_agg(id) INTO ids FROM people
        WHERE career_level_id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.level_id END,
                                  CASE WHEN TG_OP <> 'DELETE' THEN NEW.level_id END);
    ELSIF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.person_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.person_id];
    ELSE
        ids := ARRAY[OLD.person_id, NEW.person_id];
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM career_facts_refresh(ids);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER career_facts_person AFTER INSERT OR UPDATE OF department_id, status,
    career_level_id, hire_date ON people FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
-- only competency ratings and level changes move the figures (an import writes a hire entry
-- for everyone)
CREATE TRIGGER career_facts_rating_add AFTER INSERT ON ratings FOR EACH ROW
    WHEN (NEW.subject = 'competency') EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_rating_drop AFTER DELETE ON ratings FOR EACH ROW
    WHEN (OLD.subject = 'competency') EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_rating_edit AFTER UPDATE OF person_id, subject, subject_id
    ON ratings FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_level_add AFTER INSERT ON role_history FOR EACH ROW
    WHEN (NEW.kind IN ('promotion', 'level_change')) EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_level_drop AFTER DELETE ON role_history FOR EACH ROW
    WHEN (OLD.kind IN ('promotion', 'level_change')) EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_level_edit AFTER UPDATE OF person_id, kind, effective_date
    ON role_history FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_plan AFTER INSERT OR DELETE ON idps
    FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_action AFTER INSERT OR DELETE OR UPDATE OF status, idp_id
    ON idp_actions FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
CREATE TRIGGER career_facts_expect AFTER INSERT OR DELETE OR UPDATE OF level_id, competency_id
    ON level_expectations FOR EACH ROW EXECUTE FUNCTION career_facts_sync();
-- @end
