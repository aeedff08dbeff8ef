-- The reporting lines as a closure table: one row per (person, manager above them at any depth),
-- nearest first by depth. "Is A above B" is one primary-key range of B (a handful of rows) and
-- "everyone under A" one index range of A, whatever the size of the company, instead of a
-- recursive walk per question. Triggers keep it in the same transaction as every change of
-- people.manager_id (import, edits, SCIM, terminations, repairs), so no write path can forget it.
-- @sqlite
CREATE TABLE people_ancestors (
    person_id BIGINT NOT NULL,
    depth INTEGER NOT NULL,
    ancestor_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, depth)
) WITHOUT ROWID;
CREATE INDEX people_ancestors_by_ancestor ON people_ancestors (ancestor_id, depth, person_id);
INSERT INTO people_ancestors (person_id, depth, ancestor_id)
WITH RECURSIVE up(person_id, depth, ancestor_id) AS (
    SELECT id, 1, manager_id FROM people WHERE manager_id IS NOT NULL
    UNION ALL
    SELECT u.person_id, u.depth + 1, p.manager_id FROM up u JOIN people p ON p.id = u.ancestor_id
    WHERE p.manager_id IS NOT NULL AND u.depth < 64)
SELECT person_id, depth, ancestor_id FROM up;
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
-- @postgres
CREATE TABLE people_ancestors (
    person_id BIGINT NOT NULL,
    depth INTEGER NOT NULL,
    ancestor_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, depth)
);
CREATE INDEX people_ancestors_by_ancestor ON people_ancestors (ancestor_id, depth, person_id);
INSERT INTO people_ancestors (person_id, depth, ancestor_id)
WITH RECURSIVE up(person_id, depth, ancestor_id) AS (
    SELECT id, 1, manager_id FROM people WHERE manager_id IS NOT NULL
    UNION ALL
    SELECT u.person_id, u.depth + 1, p.manager_id FROM up u JOIN people p ON p.id = u.ancestor_id
    WHERE p.manager_id IS NOT NULL AND u.depth < 64)
SELECT person_id, depth, ancestor_id FROM up;
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
-- @end
