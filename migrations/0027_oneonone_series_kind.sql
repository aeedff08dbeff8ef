-- One-on-one series kinds: 'regular' (the default) or 'career' (a separate career-focused
-- series with the same person). One active series per (lead, member, kind).
ALTER TABLE oneonone_series ADD COLUMN kind TEXT NOT NULL DEFAULT 'regular';
CREATE INDEX oneonone_series_by_pair_kind ON oneonone_series (lead_id, member_id, kind, status);
