-- A meeting's action items by index: removing a meeting nobody wrote in (a series paused, ended
-- or rescheduled) checks the foreign key from action_items without a scan of every action item.
CREATE INDEX action_items_by_meeting ON action_items (meeting_id);
