-- The HR career dashboard computed live (issue #15) summed one career_facts row per person
-- (migration 0049) and walked each department's level dates to its median: 30 ms at 100,000
-- people, 264 ms at 1,000,000. The sums are kept here instead, by department and date in level,
-- by triggers on career_facts in the same transaction as every change of a person's figures:
-- the dashboard adds up a department's dates (a few thousand rows whatever the company's size)
-- and finds its median by walking them with their counts.
-- level_since '' holds the people without a date in level, department_id 0 those without a
-- department. Each column is the sum of what the dashboard sums: head = active,
-- idps = active * has_idp, acts = actions, done = actions_done, expd = active * expected,
-- rated = active * rated. Rows are never deleted (a date whose people all left keeps zeros).
-- career_promotions counts the promotions of the role history by the person's department (as
-- it is now) and date: the dashboard's promotions of the last year are a range of its dates,
-- not every promotion of the year joined to its person (58,624 at 1,000,000 people, 84 ms).
CREATE TABLE career_sums (
    department_id BIGINT NOT NULL,
    level_since TEXT NOT NULL,
    head BIGINT NOT NULL,
    idps BIGINT NOT NULL,
    acts BIGINT NOT NULL,
    done BIGINT NOT NULL,
    expd BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    PRIMARY KEY (department_id, level_since)
);
INSERT INTO career_sums (department_id, level_since, head, idps, acts, done, expd, rated)
SELECT COALESCE(department_id, 0), COALESCE(level_since, ''), SUM(active),
       SUM(active * has_idp), SUM(actions), SUM(actions_done), SUM(active * expected),
       SUM(active * rated)
FROM career_facts GROUP BY 1, 2;
CREATE TABLE career_promotions (
    effective_date TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (effective_date, department_id)
);
INSERT INTO career_promotions (effective_date, department_id, n)
SELECT h.effective_date, COALESCE(p.department_id, 0), COUNT(*)
FROM role_history h JOIN people p ON p.id = h.person_id WHERE h.kind = 'promotion'
GROUP BY 1, 2;
-- @sqlite
-- an UPDATE of the row, or an INSERT when there is none: no upsert, whose conflict clause an
-- outer statement's (INSERT OR IGNORE INTO career_refresh_ids) would override
CREATE TRIGGER career_sums_add AFTER INSERT ON career_facts BEGIN
    UPDATE career_sums SET head = head + new.active, idps = idps + new.active * new.has_idp,
        acts = acts + new.actions, done = done + new.actions_done,
        expd = expd + new.active * new.expected, rated = rated + new.active * new.rated
    WHERE department_id = COALESCE(new.department_id, 0)
      AND level_since = COALESCE(new.level_since, '');
    INSERT INTO career_sums (department_id, level_since, head, idps, acts, done, expd, rated)
    SELECT COALESCE(new.department_id, 0), COALESCE(new.level_since, ''), new.active,
           new.active * new.has_idp, new.actions, new.actions_done, new.active * new.expected,
           new.active * new.rated
    WHERE NOT EXISTS (SELECT 1 FROM career_sums WHERE department_id = COALESCE(new.department_id, 0)
                      AND level_since = COALESCE(new.level_since, ''));
END;
CREATE TRIGGER career_sums_drop AFTER DELETE ON career_facts BEGIN
    UPDATE career_sums SET head = head - old.active, idps = idps - old.active * old.has_idp,
        acts = acts - old.actions, done = done - old.actions_done,
        expd = expd - old.active * old.expected, rated = rated - old.active * old.rated
    WHERE department_id = COALESCE(old.department_id, 0)
      AND level_since = COALESCE(old.level_since, '');
END;
CREATE TRIGGER career_sums_edit AFTER UPDATE ON career_facts BEGIN
    UPDATE career_sums SET head = head - old.active, idps = idps - old.active * old.has_idp,
        acts = acts - old.actions, done = done - old.actions_done,
        expd = expd - old.active * old.expected, rated = rated - old.active * old.rated
    WHERE department_id = COALESCE(old.department_id, 0)
      AND level_since = COALESCE(old.level_since, '');
    UPDATE career_sums SET head = head + new.active, idps = idps + new.active * new.has_idp,
        acts = acts + new.actions, done = done + new.actions_done,
        expd = expd + new.active * new.expected, rated = rated + new.active * new.rated
    WHERE department_id = COALESCE(new.department_id, 0)
      AND level_since = COALESCE(new.level_since, '');
    INSERT INTO career_sums (department_id, level_since, head, idps, acts, done, expd, rated)
    SELECT COALESCE(new.department_id, 0), COALESCE(new.level_since, ''), new.active,
           new.active * new.has_idp, new.actions, new.actions_done, new.active * new.expected,
           new.active * new.rated
    WHERE NOT EXISTS (SELECT 1 FROM career_sums WHERE department_id = COALESCE(new.department_id, 0)
                      AND level_since = COALESCE(new.level_since, ''));
END;
-- a promotion written, removed or changed counts at its date in its person's department; a
-- person who moves takes their promotions along
CREATE TRIGGER career_promotions_add AFTER INSERT ON role_history WHEN new.kind = 'promotion'
BEGIN
    UPDATE career_promotions SET n = n + 1 WHERE effective_date = new.effective_date
        AND department_id = (SELECT COALESCE(department_id, 0) FROM people WHERE id = new.person_id);
    INSERT INTO career_promotions (effective_date, department_id, n)
    SELECT new.effective_date, COALESCE(p.department_id, 0), 1 FROM people p
    WHERE p.id = new.person_id AND NOT EXISTS (SELECT 1 FROM career_promotions c
        WHERE c.effective_date = new.effective_date AND c.department_id = COALESCE(p.department_id, 0));
END;
CREATE TRIGGER career_promotions_drop AFTER DELETE ON role_history WHEN old.kind = 'promotion'
BEGIN
    UPDATE career_promotions SET n = n - 1 WHERE effective_date = old.effective_date
        AND department_id = (SELECT COALESCE(department_id, 0) FROM people WHERE id = old.person_id);
END;
CREATE TRIGGER career_promotions_edit_old AFTER UPDATE OF person_id, kind, effective_date
    ON role_history WHEN old.kind = 'promotion' BEGIN
    UPDATE career_promotions SET n = n - 1 WHERE effective_date = old.effective_date
        AND department_id = (SELECT COALESCE(department_id, 0) FROM people WHERE id = old.person_id);
END;
CREATE TRIGGER career_promotions_edit_new AFTER UPDATE OF person_id, kind, effective_date
    ON role_history WHEN new.kind = 'promotion' BEGIN
    UPDATE career_promotions SET n = n + 1 WHERE effective_date = new.effective_date
        AND department_id = (SELECT COALESCE(department_id, 0) FROM people WHERE id = new.person_id);
    INSERT INTO career_promotions (effective_date, department_id, n)
    SELECT new.effective_date, COALESCE(p.department_id, 0), 1 FROM people p
    WHERE p.id = new.person_id AND NOT EXISTS (SELECT 1 FROM career_promotions c
        WHERE c.effective_date = new.effective_date AND c.department_id = COALESCE(p.department_id, 0));
END;
CREATE TRIGGER career_promotions_move AFTER UPDATE OF department_id ON people
    WHEN old.department_id IS NOT new.department_id BEGIN
    UPDATE career_promotions SET n = n - (SELECT COUNT(*) FROM role_history h
        WHERE h.person_id = new.id AND h.kind = 'promotion'
        AND h.effective_date = career_promotions.effective_date)
    WHERE department_id = COALESCE(old.department_id, 0) AND effective_date IN
        (SELECT effective_date FROM role_history WHERE person_id = new.id AND kind = 'promotion');
    UPDATE career_promotions SET n = n + (SELECT COUNT(*) FROM role_history h
        WHERE h.person_id = new.id AND h.kind = 'promotion'
        AND h.effective_date = career_promotions.effective_date)
    WHERE department_id = COALESCE(new.department_id, 0) AND effective_date IN
        (SELECT effective_date FROM role_history WHERE person_id = new.id AND kind = 'promotion');
    INSERT INTO career_promotions (effective_date, department_id, n)
    SELECT h.effective_date, COALESCE(new.department_id, 0), COUNT(*) FROM role_history h
    WHERE h.person_id = new.id AND h.kind = 'promotion' AND NOT EXISTS (SELECT 1
        FROM career_promotions c WHERE c.effective_date = h.effective_date
        AND c.department_id = COALESCE(new.department_id, 0))
    GROUP BY h.effective_date;
END;
-- @postgres
-- once per statement, from its transition tables: a refresh of many people (an import, a change
-- of the framework) adds up its rows first. The keys are written in order, so that two
-- transactions meet on the rows in the same order.
CREATE FUNCTION career_sums_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO career_sums AS s (department_id, level_since, head, idps, acts, done, expd,
                                      rated)
        SELECT COALESCE(department_id, 0), COALESCE(level_since, ''), SUM(active),
               SUM(active * has_idp), SUM(actions), SUM(actions_done), SUM(active * expected),
               SUM(active * rated)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (department_id, level_since) DO UPDATE SET head = s.head + excluded.head,
            idps = s.idps + excluded.idps, acts = s.acts + excluded.acts,
            done = s.done + excluded.done, expd = s.expd + excluded.expd,
            rated = s.rated + excluded.rated;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO career_sums AS s (department_id, level_since, head, idps, acts, done, expd,
                                      rated)
        SELECT COALESCE(department_id, 0), COALESCE(level_since, ''), -SUM(active),
               -SUM(active * has_idp), -SUM(actions), -SUM(actions_done),
               -SUM(active * expected), -SUM(active * rated)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (department_id, level_since) DO UPDATE SET head = s.head + excluded.head,
            idps = s.idps + excluded.idps, acts = s.acts + excluded.acts,
            done = s.done + excluded.done, expd = s.expd + excluded.expd,
            rated = s.rated + excluded.rated;
    ELSE
        INSERT INTO career_sums AS s (department_id, level_since, head, idps, acts, done, expd,
                                      rated)
        SELECT d, l, SUM(h), SUM(i), SUM(a), SUM(o), SUM(e), SUM(r) FROM (
            SELECT COALESCE(department_id, 0) d, COALESCE(level_since, '') l, active h,
                   active * has_idp i, actions a, actions_done o, active * expected e,
                   active * rated r FROM new_rows
            UNION ALL
            SELECT COALESCE(department_id, 0), COALESCE(level_since, ''), -active,
                   -active * has_idp, -actions, -actions_done, -active * expected,
                   -active * rated FROM old_rows) x
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (department_id, level_since) DO UPDATE SET head = s.head + excluded.head,
            idps = s.idps + excluded.idps, acts = s.acts + excluded.acts,
            done = s.done + excluded.done, expd = s.expd + excluded.expd,
            rated = s.rated + excluded.rated;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER career_sums_add AFTER INSERT ON career_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION career_sums_apply();
CREATE TRIGGER career_sums_drop AFTER DELETE ON career_facts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION career_sums_apply();
CREATE TRIGGER career_sums_edit AFTER UPDATE ON career_facts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION career_sums_apply();
-- a promotion written, removed or changed counts at its date in its person's department; a
-- person who moves takes their promotions along
CREATE FUNCTION career_promotions_count(d TEXT, person BIGINT, delta BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO career_promotions AS c (effective_date, department_id, n)
    SELECT d, COALESCE(p.department_id, 0), delta FROM people p WHERE p.id = person
    ON CONFLICT (effective_date, department_id) DO UPDATE SET n = c.n + excluded.n;
$$;
CREATE FUNCTION career_promotions_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'people' THEN
        INSERT INTO career_promotions AS c (effective_date, department_id, n)
        SELECT h.effective_date, x.d, SUM(x.delta) FROM role_history h,
            (VALUES (COALESCE(OLD.department_id, 0), -1), (COALESCE(NEW.department_id, 0), 1))
            AS x (d, delta)
        WHERE h.person_id = NEW.id AND h.kind = 'promotion' GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (effective_date, department_id) DO UPDATE SET n = c.n + excluded.n;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        IF OLD.kind = 'promotion' THEN
            PERFORM career_promotions_count(OLD.effective_date, OLD.person_id, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.kind = 'promotion' THEN
            PERFORM career_promotions_count(NEW.effective_date, NEW.person_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER career_promotions_add AFTER INSERT ON role_history FOR EACH ROW
    WHEN (NEW.kind = 'promotion') EXECUTE FUNCTION career_promotions_sync();
CREATE TRIGGER career_promotions_drop AFTER DELETE ON role_history FOR EACH ROW
    WHEN (OLD.kind = 'promotion') EXECUTE FUNCTION career_promotions_sync();
CREATE TRIGGER career_promotions_edit AFTER UPDATE OF person_id, kind, effective_date
    ON role_history FOR EACH ROW EXECUTE FUNCTION career_promotions_sync();
CREATE TRIGGER career_promotions_move AFTER UPDATE OF department_id ON people FOR EACH ROW
    WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id)
    EXECUTE FUNCTION career_promotions_sync();
-- @end
