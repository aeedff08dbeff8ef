-- Calibration as a picture (issue #12): the target distribution HR may set for a cycle, as
-- percentages of the ratings 1 to 5 ({"1": 5, "2": 15, "3": 60, "4": 15, "5": 5}), shown beside
-- the company's distribution on the calibration page. One row per cycle at most.
CREATE TABLE calibration_targets (
    cycle_id BIGINT PRIMARY KEY REFERENCES review_cycles(id),
    distribution TEXT NOT NULL,
    set_by BIGINT REFERENCES people(id),
    updated_at TEXT NOT NULL
);
