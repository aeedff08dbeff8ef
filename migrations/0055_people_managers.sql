-- Cadence health for the whole company (issue #15): at 1,000,000 people it counted the active
-- reports of 100,000 managers from the (manager_id, status) index, a million entries, to list
-- the 200 furthest behind, most of whom have no one-on-one at all. people.reports_count is kept
-- with every reporting-line change (migration 0037); this index holds the managers alone, the
-- most reports first, so that the managers without a current series are read in the order the
-- view lists them and only as far as it lists, and the managers and their reports are counted
-- from the index alone.
CREATE INDEX people_managers ON people (reports_count DESC, id) WHERE reports_count > 0;
