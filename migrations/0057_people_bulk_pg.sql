-- A large import on PostgreSQL (issue #15) spent 19 s of 27 s writing 100,000 people: the
-- reports-count trigger updated the manager's row once per report inside the one transaction
-- (59 us a report, every update walking the row's growing chain of versions in a large team) and
-- the closure trigger inserted each person's ancestors (22 us). In a large import
-- (trellis.bulk = 'on', which the word starts' trigger already reads) neither fires: the import
-- builds every reporting line and count again in one statement each at its end, as on SQLite
-- (store_people_bulk_end). The functions are migration 0037's.
-- @sqlite
SELECT 1;
-- @postgres
DROP TRIGGER people_ancestors_sync ON people;
CREATE TRIGGER people_ancestors_sync AFTER INSERT OR DELETE OR UPDATE OF manager_id ON people
FOR EACH ROW WHEN (current_setting('trellis.bulk', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION people_ancestors_sync();
DROP TRIGGER people_reports_sync ON people;
CREATE TRIGGER people_reports_sync AFTER INSERT OR DELETE OR UPDATE OF manager_id, status ON people
FOR EACH ROW WHEN (current_setting('trellis.bulk', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION people_reports_sync();
