-- A parent's children_count shows only its public children (issue #10: a public parent must
-- not reveal a managers-only or private child). Roll-up percentages are recomputed by
-- `trellis goals recompute` (docs/operations.md, "Upgrade").
UPDATE goals SET children_count = (SELECT COUNT(*) FROM goals c
    WHERE c.parent_id = goals.id AND c.visibility = 'public');
