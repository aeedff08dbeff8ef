-- Repair for databases made by earlier builds of main that ran an earlier text of 0017 (it changed
-- four times after release): the trigram search index and its triggers, the update trigger that
-- fires only when the text changes, a cycle's reviews by index and open cases by status. On a
-- database made by today's 0017 everything is in place already.
-- @sqlite
CREATE VIRTUAL TABLE IF NOT EXISTS people_search USING fts5(search_text, content='people',
                                                            content_rowid='id', tokenize='trigram');
-- built from the people when it was just made (a complete index has a row per person already)
INSERT INTO people_search (people_search)
SELECT 'rebuild' WHERE NOT EXISTS (SELECT 1 FROM people_search_docsize);
CREATE TRIGGER IF NOT EXISTS people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER IF NOT EXISTS people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
DROP TRIGGER IF EXISTS people_search_update;
CREATE TRIGGER people_search_update AFTER UPDATE OF search_text ON people
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO people_search (people_search, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO people_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- @postgres
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS people_search_trgm ON people USING gin (search_text gin_trgm_ops);
-- @end
CREATE INDEX IF NOT EXISTS reviews_by_cycle ON reviews (cycle_id, kind, status);
CREATE INDEX IF NOT EXISTS promotion_cases_by_status ON promotion_cases (status, id);
