-- A launch for a large company is written in ranges of whole teams, a transaction each (issue
-- #15: at 1,000,000 people one transaction wrote 6 million rows in 45 s, and every other write
-- answered 503 meanwhile). While launching is 1 the cycle is active but not every participant's
-- reviews are written yet: release and sync wait, the cycle page shows the progress, and a
-- launch whose server stopped half-way is finished by the next (or by HR launching again) once
-- launch_touched_at (the last range's commit) is old. launch_participants is the number of
-- participants the launch found.
ALTER TABLE review_cycles ADD COLUMN launching BIGINT NOT NULL DEFAULT 0;
ALTER TABLE review_cycles ADD COLUMN launch_participants BIGINT;
ALTER TABLE review_cycles ADD COLUMN launch_touched_at TEXT;
