-- A two-letter people search on PostgreSQL (issue #15) matches the start of a word. pg_trgm
-- finds those people but not in name order: a common start ("zo": every Zoë) read and sorted
-- thousands of rows, and under load the bench's searches timed out. Each person's word starts
-- (the first two letters of every word of the folded search text, words split at spaces and
-- field separators) are kept here in name order, by a trigger, so that the search walks them to
-- its page. SQLite looks them up in its trigram index, in name order (migrations 0043, 0046).
-- @sqlite
SELECT 1;
-- @postgres
CREATE TABLE people_word_starts (
    ws TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (ws, sort_name, person_id)
);
CREATE INDEX people_word_starts_by_person ON people_word_starts (person_id);
INSERT INTO people_word_starts (ws, sort_name, person_id)
SELECT DISTINCT left(w, 2), p.sort_name, p.id
FROM people p, unnest(string_to_array(translate(p.search_text, chr(31), ' '), ' ')) AS w
WHERE length(w) >= 2;
CREATE FUNCTION people_word_starts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- a large import builds the table once at its end (store_people_bulk_end)
    IF current_setting('trellis.bulk', true) = 'on' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.search_text IS NOT DISTINCT FROM NEW.search_text
       AND OLD.sort_name IS NOT DISTINCT FROM NEW.sort_name THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM people_word_starts WHERE person_id = OLD.id;
    END IF;
    INSERT INTO people_word_starts (ws, sort_name, person_id)
    SELECT DISTINCT left(w, 2), NEW.sort_name, NEW.id
    FROM unnest(string_to_array(translate(NEW.search_text, chr(31), ' '), ' ')) AS w
    WHERE length(w) >= 2;
    RETURN NEW;
END $$;
CREATE TRIGGER people_word_starts_sync AFTER INSERT OR UPDATE OF search_text, sort_name ON people
FOR EACH ROW EXECUTE FUNCTION people_word_starts_sync();
-- @end
