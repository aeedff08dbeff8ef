#!/usr/bin/python3
"""Adds goals to a bench database (after the people import): five goals per person, three key
results per goal, twelve check-ins per key result; the first goal of each person aligns to their
manager's first goal, managers' first goals are team goals, and the CEO holds five company goals.
Written with INSERT ... SELECT in SQLite itself: minutes of row-by-row work become seconds, and
with the rollback journal (the database is new and no one else has it open): through the WAL,
1,000,000 people's 180 million check-ins were written twice and the WAL passed 21 GB in five
minutes. The server opens the database in WAL mode again."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
db.executescript("""
PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;
BEGIN;
-- goal k (0..4) of person p gets id p*5 + k - 4 (ids start at 1)
INSERT INTO goals (id, title, level, owner_id, department_id, parent_id, kind, status, visibility,
                   weight, start_date, due_date, accepted, created_at, updated_at)
SELECT p.id * 5 + k.k - 4,
       'Goal ' || k.k || ' of ' || p.name,
       CASE WHEN p.manager_id IS NULL THEN 'company'
            WHEN k.k = 0 AND EXISTS (SELECT 1 FROM people r WHERE r.manager_id = p.id) THEN 'team'
            ELSE 'individual' END,
       p.id,
       CASE WHEN k.k = 0 AND EXISTS (SELECT 1 FROM people r WHERE r.manager_id = p.id)
            THEN p.department_id END,
       CASE WHEN k.k = 0 AND p.manager_id IS NOT NULL THEN p.manager_id * 5 - 4
            WHEN p.manager_id IS NULL THEN NULL END,
       CASE k.k % 2 WHEN 0 THEN 'performance' ELSE 'development' END,
       CASE p.id % 7 WHEN 0 THEN 'at_risk' ELSE 'on_track' END,
       'public', 1 + (p.id + k.k) % 3, '2026-01-01', '2026-12-31', 1,
       '2026-01-02T09:00:00Z', '2026-01-02T09:00:00Z'
FROM people p, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
                UNION ALL SELECT 4) k;
INSERT INTO key_results (id, goal_id, position, title, type, start_value, target_value,
                         current_value, unit, direction, weight, done)
SELECT g.id * 3 + j.j - 2, g.id, j.j, 'Key result ' || j.j, 'metric', 0, 100,
       (g.id * 37 + j.j * 11) % 120, '%', 'increase', 1, 0
FROM goals g, (SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2) j;
INSERT INTO goal_checkins (goal_id, key_result_id, author_id, value, status, confidence, comment,
                           progress, created_at)
SELECT kr.goal_id, kr.id, g.owner_id, kr.current_value * m.m / 12.0, NULL, 1 + (kr.id + m.m) % 5,
       'Monthly update', kr.current_value * m.m / 12.0,
       printf('2026-%02d-15T10:00:00Z', m.m)
FROM key_results kr JOIN goals g ON g.id = kr.goal_id,
     (WITH RECURSIVE s(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM s WHERE m < 12)
      SELECT m FROM s) m;
COMMIT;
""")
n = db.execute("SELECT (SELECT COUNT(*) FROM goals), (SELECT COUNT(*) FROM key_results),"
               " (SELECT COUNT(*) FROM goal_checkins)").fetchone()
print(f"goals={n[0]} key_results={n[1]} checkins={n[2]}")
