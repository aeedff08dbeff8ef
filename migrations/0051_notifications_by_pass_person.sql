-- A reminder pass over a large company writes its reminders in ranges of people, a transaction
-- each (issue #15: one transaction of 7 s at 1,000,000 people made concurrent writes answer
-- 503); each range reads back its own people's reminders for their emails. With the pass alone
-- in the index every range read all of the pass's reminders (a million rows): with the person
-- beside it, a range reads its own.
DROP INDEX notifications_by_pass;
CREATE INDEX notifications_by_pass ON notifications (pass, person_id, id);
