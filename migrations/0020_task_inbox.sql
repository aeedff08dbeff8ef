-- The task inbox (GET /api/v1/me/tasks) and the bell's unread count read these by person.
CREATE INDEX action_items_by_owner ON action_items (owner_id, status);
CREATE INDEX notifications_unread ON notifications (person_id, read_at);
