-- The cadence view (issue #15) reads every held meeting of the last six months through this
-- index and fetched each row for career_discussed: 95,000 random reads of the meetings table at
-- 100,000 people. With the column in the index the view reads the index alone (131 → 60 ms in
-- SQLite for that statement).
DROP INDEX oneonone_meetings_by_series;
CREATE INDEX oneonone_meetings_by_series ON oneonone_meetings
    (series_id, status, held_at, career_discussed);
