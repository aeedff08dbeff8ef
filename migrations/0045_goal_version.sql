-- A goal's version (issue #10): it counts the edits of the goal's own fields (a PATCH), so that
-- an edit made from an old copy is refused (If-Match or "version" in the body: 412) instead of
-- overwriting a change the editor never saw. Check-ins and roll-ups do not change it.
ALTER TABLE goals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
