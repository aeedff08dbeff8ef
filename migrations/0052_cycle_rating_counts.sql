-- A manager's calibration shows the company's distribution of ratings beside their own
-- organisation's (issue #15). Counted from the outcomes' index on every request, it cost the size
-- of the cycle: about 20 ms at 100,000 people and 200 ms at 1,000,000 (the manager's view p99
-- 580 ms at c=4). The counts are kept here instead, by triggers, in the same transaction as every
-- write of an outcome's rating, calibrated rating, cycle or withdrawal: n is the number of the
-- cycle's outcomes, not withdrawn, whose effective rating (the calibrated one, else the
-- manager's) is `rating`.
CREATE TABLE cycle_rating_counts (
    cycle_id BIGINT NOT NULL,
    rating DOUBLE PRECISION NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, rating)
);
INSERT INTO cycle_rating_counts (cycle_id, rating, n)
SELECT cycle_id, COALESCE(calibrated_rating, rating), COUNT(*) FROM review_outcomes
WHERE withdrawn_at IS NULL AND COALESCE(calibrated_rating, rating) IS NOT NULL
GROUP BY cycle_id, COALESCE(calibrated_rating, rating);
-- @sqlite
-- (no upsert: an outer statement's conflict clause would override it; the NOT EXISTS insert
-- cannot conflict)
CREATE TRIGGER cycle_rating_counts_add AFTER INSERT ON review_outcomes
    WHEN new.withdrawn_at IS NULL AND COALESCE(new.calibrated_rating, new.rating) IS NOT NULL
BEGIN
    UPDATE cycle_rating_counts SET n = n + 1
    WHERE cycle_id = new.cycle_id AND rating = COALESCE(new.calibrated_rating, new.rating);
    INSERT INTO cycle_rating_counts (cycle_id, rating, n)
    SELECT new.cycle_id, COALESCE(new.calibrated_rating, new.rating), 1
    WHERE NOT EXISTS (SELECT 1 FROM cycle_rating_counts WHERE cycle_id = new.cycle_id
                      AND rating = COALESCE(new.calibrated_rating, new.rating));
END;
CREATE TRIGGER cycle_rating_counts_drop AFTER DELETE ON review_outcomes
    WHEN old.withdrawn_at IS NULL AND COALESCE(old.calibrated_rating, old.rating) IS NOT NULL
BEGIN
    UPDATE cycle_rating_counts SET n = n - 1
    WHERE cycle_id = old.cycle_id AND rating = COALESCE(old.calibrated_rating, old.rating);
END;
CREATE TRIGGER cycle_rating_counts_edit AFTER UPDATE OF cycle_id, rating, calibrated_rating,
    withdrawn_at ON review_outcomes BEGIN
    UPDATE cycle_rating_counts SET n = n - 1
    WHERE cycle_id = old.cycle_id AND rating = COALESCE(old.calibrated_rating, old.rating)
    AND old.withdrawn_at IS NULL;
    UPDATE cycle_rating_counts SET n = n + 1
    WHERE cycle_id = new.cycle_id AND rating = COALESCE(new.calibrated_rating, new.rating)
    AND new.withdrawn_at IS NULL;
    INSERT INTO cycle_rating_counts (cycle_id, rating, n)
    SELECT new.cycle_id, COALESCE(new.calibrated_rating, new.rating), 1
    WHERE new.withdrawn_at IS NULL AND COALESCE(new.calibrated_rating, new.rating) IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM cycle_rating_counts WHERE cycle_id = new.cycle_id
                    AND rating = COALESCE(new.calibrated_rating, new.rating));
END;
-- @postgres
-- the two counts an edit moves are locked in rating order, so that two calibrations moving
-- people in opposite directions cannot deadlock on them
CREATE FUNCTION cycle_rating_counts_move(c BIGINT, r DOUBLE PRECISION, d BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO cycle_rating_counts (cycle_id, rating, n) VALUES (c, r, d)
    ON CONFLICT (cycle_id, rating) DO UPDATE SET n = cycle_rating_counts.n + excluded.n;
$$;
CREATE FUNCTION cycle_rating_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was DOUBLE PRECISION;
    now_ DOUBLE PRECISION;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.withdrawn_at IS NULL THEN
        was := COALESCE(OLD.calibrated_rating, OLD.rating);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.withdrawn_at IS NULL THEN
        now_ := COALESCE(NEW.calibrated_rating, NEW.rating);
    END IF;
    IF TG_OP = 'UPDATE' AND was IS NOT DISTINCT FROM now_ AND OLD.cycle_id = NEW.cycle_id THEN
        RETURN NULL;
    END IF;
    IF was IS NOT NULL AND (now_ IS NULL OR was <= now_) THEN
        PERFORM cycle_rating_counts_move(OLD.cycle_id, was, -1);
        was := NULL;
    END IF;
    IF now_ IS NOT NULL THEN
        PERFORM cycle_rating_counts_move(NEW.cycle_id, now_, 1);
    END IF;
    IF was IS NOT NULL THEN
        PERFORM cycle_rating_counts_move(OLD.cycle_id, was, -1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cycle_rating_counts_sync AFTER INSERT OR DELETE
    OR UPDATE OF cycle_id, rating, calibrated_rating, withdrawn_at ON review_outcomes
    FOR EACH ROW EXECUTE FUNCTION cycle_rating_counts_sync();
-- @end
