-- API tokens become named, listable and revocable credentials with an optional expiry and the
-- time of their last use (written at most once a minute per token). Both are RFC 3339 UTC text,
-- like created_at and revoked_at, so that they compare as strings.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
-- A person's tokens, newest first, for the lists and for revoking them all at once.
CREATE INDEX api_tokens_by_person ON api_tokens (person_id, id);
