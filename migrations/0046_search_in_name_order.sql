-- People search in name order (issue #15): every person gets a name key, an integer that orders
-- like (sort_name, id), and the trigram index is keyed by it instead of by id. A search then
-- reads its matches from the index already in the directory's order and stops at its page,
-- whether many people match (a common word) or few (a rare surname): it never collects and
-- sorts every match. The keys are spread over 1..2^62 and each write of a name takes one between
-- its neighbours (src/store/people.c); when two neighbours have no room left between them every
-- key is spread again. PostgreSQL searches with pg_trgm and does not use it.
-- @sqlite
ALTER TABLE people ADD COLUMN name_key INTEGER;
UPDATE people SET name_key = r.k
FROM (SELECT id, row_number() OVER (ORDER BY sort_name, id)
                 * (4611686018427387904 / ((SELECT COUNT(*) FROM people) + 1)) AS k
      FROM people) r
WHERE r.id = people.id;
CREATE UNIQUE INDEX people_by_name_key ON people (name_key);
DROP TRIGGER IF EXISTS people_search_insert;
DROP TRIGGER IF EXISTS people_search_delete;
DROP TRIGGER IF EXISTS people_search_update;
DROP TABLE IF EXISTS people_search;
CREATE VIRTUAL TABLE people_search USING fts5(search_text, content='people',
                                              content_rowid='name_key', tokenize='trigram');
-- in key order (FTS5's rebuild reads them in id order, which makes it flush at every row)
INSERT INTO people_search (rowid, search_text) SELECT name_key, search_text FROM people
ORDER BY name_key;
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, search_text) VALUES (new.name_key, new.search_text);
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, search_text)
    VALUES ('delete', old.name_key, old.search_text);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF search_text, name_key ON people
WHEN old.search_text IS NOT new.search_text OR old.name_key IS NOT new.name_key BEGIN
    INSERT INTO people_search (people_search, rowid, search_text)
    VALUES ('delete', old.name_key, old.search_text);
    INSERT INTO people_search (rowid, search_text) VALUES (new.name_key, new.search_text);
END;
-- @postgres
SELECT 1; -- nothing changes: pg_trgm serves the search
-- @end
