-- Notification preferences (GET/PUT /api/v1/me/notification-preferences): per person and kind
-- a channel, 'app' (in the app only), 'email' (in the app and by email) or 'off'; a kind with
-- no row takes its default. A person with the daily digest on receives their emails as one
-- message a day (digest_sent_at is when the last one was queued).
CREATE TABLE notification_prefs (
    person_id BIGINT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (person_id, kind)
);
CREATE TABLE notification_settings (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    digest INTEGER NOT NULL DEFAULT 0,
    digest_sent_at TEXT
);
-- A notification waiting for its person's next digest email (1), else 0.
ALTER TABLE notifications ADD COLUMN email_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX notifications_email_pending ON notifications (email_pending, person_id);
