#!/usr/bin/python3
"""The plan test's database, after the people import and bench/gen_goals.py, gen_oneonones.py and
gen_careers.py: the everyday activity those leave out, in the proportions a year of use gives:
feedback and requests, notifications, journal entries, sessions, audit rows and three review
cycles (self, manager and two peer reviews per person, an outcome each). Plans depend on row
counts and their spread, not on the words, so every text is short."""
import random
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
rnd = random.Random(20261202)
people = [r[0] for r in db.execute("SELECT id FROM people ORDER BY id")]
manager = dict(db.execute("SELECT id, manager_id FROM people"))
stamp = "2026-06-01T09:00:00Z"
KINDS = ["praise", "constructive", "note"]
VIS = ["public", "managers", "private"]

db.execute("BEGIN")
fb = []
for p in people:
    for _ in range(8):
        fb.append((rnd.choice(people), p, rnd.choice(KINDS), rnd.choice(VIS), "well done", stamp))
db.executemany("INSERT INTO feedback (author_id, recipient_id, kind, visibility, body, created_at)"
               " VALUES (?, ?, ?, ?, ?, ?)", fb)
db.executemany("INSERT INTO feedback_requests (requester_id, asked_id, topic, status, created_at,"
               " updated_at) VALUES (?, ?, 'the launch', ?, ?, ?)",
               [(p, rnd.choice(people), rnd.choice(["open", "answered", "declined"]), stamp, stamp)
                for p in people for _ in range(2)])
db.executemany("INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at,"
               " read_at) VALUES (?, 'feedback_received', 'new feedback', '/feedback', ?, 'x', ?, ?)",
               [(p, f"n{p}.{k}", stamp, stamp if k % 3 else None) for p in people for k in range(10)])
db.executemany("INSERT INTO accomplishments (person_id, happened_on, title, shared_with_manager,"
               " created_at, updated_at) VALUES (?, ?, 'shipped', ?, ?, ?)",
               [(p, f"2026-{1 + k:02d}-15", k % 2, stamp, stamp) for p in people for k in range(5)])
db.executemany("INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen)"
               " VALUES (?, ?, 'c', 1780000000, 1780000000)", [(f"h{p}", p) for p in people])
db.executemany("INSERT INTO audit (at, actor_id, action, entity, entity_id, after_json)"
               " VALUES (?, ?, ?, ?, ?, '{}')",
               [(stamp, p, a, e, rnd.choice(people)) for p in people
                for a, e in (("goal.update", "goal"), ("feedback.create", "feedback"),
                             ("person.update", "person"), ("review.submit", "review"))])
tpl = {}
for kind in ("self", "manager", "peer"):
    cur = db.execute("INSERT INTO review_templates (name, kind, questions, created_at)"
                     " VALUES (?, ?, '[{\"id\":\"overall\",\"type\":\"rating\",\"text\":\"Overall\"}]', ?)",
                     (kind, kind, stamp))
    tpl[kind] = cur.lastrowid
# three cycles (two closed ones before the open one), as a company has after a year and a half
for name, status in (("H2 2025", "released"), ("H1 2026 mid-year", "released"), ("H2 2026", "active")):
    cycle = db.execute("INSERT INTO review_cycles (name, period_start, period_end, status, threshold,"
                       " peers_per_person, manager_sees_peer_names, self_template_id, manager_template_id,"
                       " peer_template_id, created_at, launched_at) VALUES (?, '2026-01-01', '2026-06-30',"
                       " ?, 3, 2, 0, ?, ?, ?, ?, ?)",
                       (name, status, tpl["self"], tpl["manager"], tpl["peer"], stamp, stamp)).lastrowid
    rows = []
    for p in people:
        rows.append((cycle, p, p, "self", tpl["self"], rnd.choice(["submitted", "draft", "pending"])))
        if manager.get(p):
            rows.append((cycle, p, manager[p], "manager", tpl["manager"], rnd.choice(["submitted", "pending"])))
        for q in rnd.sample(people, 2):
            rows.append((cycle, p, q, "peer", tpl["peer"], rnd.choice(["submitted", "pending"])))
    db.executemany("INSERT INTO reviews (cycle_id, reviewee_id, reviewer_id, kind, template_id, status,"
                   " updated_at) VALUES (?, ?, ?, ?, ?, ?, '" + stamp + "')", rows)
    db.executemany("INSERT INTO review_outcomes (cycle_id, person_id, rating) VALUES (?, ?, ?)",
                   [(cycle, p, rnd.randint(1, 5)) for p in people])
idps = [r[0] for r in db.execute("SELECT id FROM idps")]
db.executemany("INSERT INTO idp_milestones (idp_id, title, due_date) VALUES (?, 'halfway', '2026-09-30')",
               [(i,) for i in idps for _ in range(2)])
db.executemany("INSERT INTO idp_comments (idp_id, author_id, body, created_at) VALUES (?, ?, 'ok', ?)",
               [(i, rnd.choice(people), stamp) for i in idps for _ in range(2)])
db.executemany("INSERT INTO idp_history (idp_id, version, snapshot, changed_by, changed_at)"
               " VALUES (?, ?, '{}', ?, ?)", [(i, v, rnd.choice(people), stamp) for i in idps for v in (1, 2)])
db.execute("COMMIT")
db.execute("PRAGMA analysis_limit=400")
db.execute("ANALYZE")
db.commit()
print(f"feedback={len(fb)} reviews={len(rows)} people={len(people)}")
