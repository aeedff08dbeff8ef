-- A manager's calibration shows the company's distribution beside their organisation (issue
-- #15): the ratings of a cycle are counted from this index alone instead of from each outcome's
-- row.
CREATE INDEX review_outcomes_ratings ON review_outcomes
    (cycle_id, withdrawn_at, calibrated_rating, rating, person_id);
