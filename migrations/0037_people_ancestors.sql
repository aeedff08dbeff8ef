-- The reporting lines as a closure table: one row per (person, manager above them at any depth),
-- nearest first by depth. "Is A above B" is one primary-key range of B (a handful of rows) and
-- "everyone under A" one index range of A, whatever the size of the company, instead of a
-- recursive walk per question. Triggers keep it in the same transaction as every change of
-- people.manager_id (import, edits, SCIM, terminations, repairs), so no write path can forget it.
-- people.reports_count (active direct reports) is kept the same way: every person read and list
-- showed it through a correlated COUNT per row (a fifth of a person read).
ALTER TABLE people ADD COLUMN reports_count INTEGER NOT NULL DEFAULT 0;
UPDATE people SET reports_count = (SELECT COUNT(*) FROM people r
                                   WHERE r.manager_id = people.id AND r.status = 'active');
CREATE TABLE people_ancestors (
    person_id BIGINT NOT NULL,
    depth INTEGER NOT NULL,
    ancestor_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, depth)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
CREATE INDEX people_ancestors_by_ancestor ON people_ancestors (ancestor_id, depth, person_id);
INSERT INTO people_ancestors (person_id, depth, ancestor_id)
WITH RECURSIVE up(person_id, depth, ancestor_id) AS (
    SELECT id, 1, manager_id FROM people WHERE manager_id IS NOT NULL
    UNION ALL
    SELECT u.person_id, u.depth + 1, p.manager_id FROM up u JOIN people p ON p.id = u.ancestor_id
    WHERE u.depth < 64)
SELECT person_id, depth, ancestor_id FROM up WHERE ancestor_id IS NOT NULL;
-- (no "manager_id IS NOT NULL" in the recursive step: on an analyzed database SQLite would put a
-- Bloom filter on people in every step, a scan of the table per row)
-- @sqlite
CREATE TRIGGER people_ancestors_insert AFTER INSERT ON people WHEN new.manager_id IS NOT NULL
BEGIN
    INSERT INTO people_ancestors (person_id, depth, ancestor_id)
    SELECT new.id, 1, new.manager_id
    UNION ALL
    SELECT new.id, depth + 1, ancestor_id FROM people_ancestors WHERE person_id = new.manager_id;
END;
-- a move: the person and everyone under them lose the managers above the person, then gain the
-- new manager's line (the lines below the person are unchanged)
CREATE TRIGGER people_ancestors_move AFTER UPDATE OF manager_id ON people
WHEN old.manager_id IS NOT new.manager_id BEGIN
    DELETE FROM people_ancestors
    WHERE person_id IN (SELECT person_id FROM people_ancestors WHERE ancestor_id = new.id)
      AND ancestor_id IN (SELECT ancestor_id FROM people_ancestors WHERE person_id = new.id);
    DELETE FROM people_ancestors WHERE person_id = new.id;
    INSERT INTO people_ancestors (person_id, depth, ancestor_id)
    SELECT s.person_id, s.depth + a.depth, a.ancestor_id
    FROM (SELECT new.id AS person_id, 0 AS depth
          UNION ALL
          SELECT person_id, depth FROM people_ancestors WHERE ancestor_id = new.id) s,
         (SELECT new.manager_id AS ancestor_id, 1 AS depth WHERE new.manager_id IS NOT NULL
          UNION ALL
          SELECT ancestor_id, depth + 1 FROM people_ancestors WHERE person_id = new.manager_id) a;
END;
CREATE TRIGGER people_ancestors_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_ancestors WHERE person_id = old.id;
    DELETE FROM people_ancestors WHERE ancestor_id = old.id;
END;
CREATE TRIGGER people_reports_insert AFTER INSERT ON people
WHEN new.manager_id IS NOT NULL AND new.status = 'active' BEGIN
    UPDATE people SET reports_count = reports_count + 1 WHERE id = new.manager_id;
END;
CREATE TRIGGER people_reports_update AFTER UPDATE OF manager_id, status ON people
WHEN old.manager_id IS NOT new.manager_id OR old.status IS NOT new.status BEGIN
    UPDATE people SET reports_count = reports_count - 1
    WHERE id = old.manager_id AND old.status = 'active';
    UPDATE people SET reports_count = reports_count + 1
    WHERE id = new.manager_id AND new.status = 'active';
END;
CREATE TRIGGER people_reports_delete AFTER DELETE ON people
WHEN old.manager_id IS NOT NULL AND old.status = 'active' BEGIN
    UPDATE people SET reports_count = reports_count - 1 WHERE id = old.manager_id;
END;
-- @postgres
CREATE FUNCTION people_ancestors_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM people_ancestors WHERE person_id = OLD.id;
        DELETE FROM people_ancestors WHERE ancestor_id = OLD.id;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.manager_id IS NOT DISTINCT FROM NEW.manager_id THEN
            RETURN NEW;
        END IF;
        DELETE FROM people_ancestors
        WHERE person_id IN (SELECT person_id FROM people_ancestors WHERE ancestor_id = NEW.id)
          AND ancestor_id IN (SELECT ancestor_id FROM people_ancestors WHERE person_id = NEW.id);
        DELETE FROM people_ancestors WHERE person_id = NEW.id;
    END IF;
    IF NEW.manager_id IS NOT NULL THEN
        INSERT INTO people_ancestors (person_id, depth, ancestor_id)
        SELECT s.person_id, s.depth + a.depth, a.ancestor_id
        FROM (SELECT NEW.id AS person_id, 0 AS depth
              UNION ALL
              SELECT person_id, depth FROM people_ancestors WHERE ancestor_id = NEW.id) s,
             (SELECT NEW.manager_id AS ancestor_id, 1 AS depth
              UNION ALL
              SELECT ancestor_id, depth + 1 FROM people_ancestors
              WHERE person_id = NEW.manager_id) a;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER people_ancestors_sync AFTER INSERT OR DELETE OR UPDATE OF manager_id ON people
FOR EACH ROW EXECUTE FUNCTION people_ancestors_sync();
CREATE FUNCTION people_reports_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.manager_id IS NOT NULL AND OLD.status = 'active'
       AND (TG_OP = 'DELETE' OR OLD.manager_id IS DISTINCT FROM NEW.manager_id
            OR OLD.status IS DISTINCT FROM NEW.status) THEN
        UPDATE people SET reports_count = reports_count - 1 WHERE id = OLD.manager_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.manager_id IS NOT NULL AND NEW.status = 'active'
       AND (TG_OP = 'INSERT' OR OLD.manager_id IS DISTINCT FROM NEW.manager_id
            OR OLD.status IS DISTINCT FROM NEW.status) THEN
        UPDATE people SET reports_count = reports_count + 1 WHERE id = NEW.manager_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER people_reports_sync AFTER INSERT OR DELETE OR UPDATE OF manager_id, status ON people
FOR EACH ROW EXECUTE FUNCTION people_reports_sync();
-- @end
