-- A large import on PostgreSQL (issue #15) spent 19 s of 27 s writing 100,000 people: the
-- reports-count trigger updated the manager's row once per report inside the one transaction
-- (59 us a report, every update walking the row's growing chain of versions in a large team) and
-- the closure trigger inserted each person's ancestors (22 us). In a large import
-- (trellis.bulk = 'on', as the word starts' trigger already reads) both wait: the import builds
-- every reporting line and count again in one statement each at its end, as on SQLite
-- (store_people_bulk_end).
-- @sqlite
SELECT 1;
-- @postgres
CREATE OR REPLACE FUNCTION people_ancestors_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('trellis.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
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
END
$$;
CREATE OR REPLACE FUNCTION people_reports_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('trellis.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
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
END
$$;
