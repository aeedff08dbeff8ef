-- Email that fails visibly and goes once (issue #14): a status (queued, sent, failed: failed
-- after the bounded attempts, shown to admins), the stable Message-ID every attempt of a row
-- carries, and the token of the lease that is sending it (renewed while the SMTP transaction
-- lasts, so a second server never takes a row that is still being sent).
ALTER TABLE email_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE email_outbox ADD COLUMN message_id TEXT;
ALTER TABLE email_outbox ADD COLUMN lease_token TEXT;
UPDATE email_outbox SET status = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX email_outbox_by_status ON email_outbox (status, next_attempt_at);
