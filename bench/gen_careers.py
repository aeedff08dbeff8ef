#!/usr/bin/python3
"""Adds career development to a bench database (after the people import), straight into SQLite
in one transaction with executemany:
two tracks (individual contributors IC1-IC5, managers M1-M5) with eight competencies expected at
every level and three skills per level; a catalogue of 200 skills in 8 categories; every person
placed (managers, people with reports, on the management track by depth, the others spread over
IC1-IC5); ten skill ratings per person (their own, and for about half of them their manager's
too) and, for half the people, their own rating of the eight competencies; a development plan
for 60% of people (target: the next level on their track, or the same level on the other track
at the top) with three course actions; 3,000 mentor offers with three skills each, the skills
skewed so that a few are offered by hundreds; 500 active mentorships; 300 open project
opportunities needing 2-3 skills at 3; and a promotion in the role history of about one person
in six (the dashboard's promotion rate and time in level).
Deterministic for a given date (dates are relative to today)."""
import datetime
import random
import sqlite3
import sys

SKILLS = 200
RATED = 10
# an optional scale (the plan test builds a small organisation of the same shape)
SCALE = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
OFFERS = int(3000 * SCALE)
MENTORSHIPS = int(500 * SCALE)
OPPORTUNITIES = int(300 * SCALE)

db = sqlite3.connect(sys.argv[1])
rnd = random.Random(20261215)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
today = now.date()


def stamp(days_ago, seconds=0):
    t = now - datetime.timedelta(days=days_ago, seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


_days = {}
_times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]


def quick_stamp(days_ago, second):
    """stamp() for whole days ago (at least one) and a second of that day, without datetime."""
    d = _days.get(days_ago)
    if d is None:
        d = _days[days_ago] = (today - datetime.timedelta(days=days_ago)).isoformat()
    return f"{d}T{_times[second]}Z"


def day(days_ago):
    return (today - datetime.timedelta(days=days_ago)).isoformat()


for t in ("career_tracks", "career_levels", "competencies", "skills", "ratings", "idps"):
    if db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]:
        sys.exit(f"gen_careers: {t} is not empty; run on a freshly imported database")

people = db.execute("SELECT id, manager_id, department_id FROM people WHERE status = 'active'"
                    " ORDER BY id").fetchall()
if len(people) < OFFERS + 10:
    sys.exit(f"gen_careers: {len(people)} people, too few for {OFFERS} mentor offers")
manager_of = {p: m for p, m, _ in people}
dept_of = {p: d for p, _, d in people}
managers = sorted({m for _, m, _ in people if m is not None})
is_manager = set(managers)


def depth(p):
    d = 0
    while manager_of.get(p) is not None and d < 64:
        p = manager_of[p]
        d += 1
    return d


# --- the framework ---------------------------------------------------------------------------
tracks = [(1, "Individual contributor", "Grows by depth and reach of their own work"),
          (2, "Management", "Grows by the reach of the teams they lead")]
ic_titles = ["Associate", "Professional", "Senior", "Staff", "Principal"]
m_titles = ["Team lead", "Manager", "Senior manager", "Director", "Vice president"]
levels = []  # (id, track, position, code, title, summary)
for pos in range(1, 6):
    levels.append((pos, 1, pos, f"IC{pos}", ic_titles[pos - 1], f"Individual contributor {pos}"))
for pos in range(1, 6):
    levels.append((5 + pos, 2, pos, f"M{pos}", m_titles[pos - 1], f"Management {pos}"))
level_id = {(t, pos): i for i, t, pos, _, _, _ in levels}
competencies = ["Communication", "Collaboration", "Craft", "Delivery", "Impact", "Leadership",
                "Ownership", "Strategy"]
categories = ["Engineering", "Data", "Design", "Product", "Leadership", "Communication", "Sales",
              "Operations"]
topics = ["Platform", "Analytics", "Research", "Automation", "Security", "Growth", "Quality",
          "Reliability", "Onboarding", "Pricing", "Discovery", "Migration", "Forecasting",
          "Accessibility", "Negotiation", "Coaching", "Storytelling", "Planning", "Compliance",
          "Partnerships", "Tooling", "Performance", "Localisation", "Support", "Hiring"]
skills = []  # (id, name, category)
for i in range(1, SKILLS + 1):
    cat = categories[(i - 1) % len(categories)]
    skills.append((i, f"{topics[(i - 1) % len(topics)]} {cat.lower()} {i}", cat))
exp_rows = []
for lid, _, pos, _, _, _ in levels:
    for c in range(1, len(competencies) + 1):
        exp_rows.append((lid, c, max(1, min(5, pos + c % 3 - 1)),
                         f"Level {pos} {competencies[c - 1]}"))
level_skills = {}
skill_exp_rows = []
for lid, _, pos, _, _, _ in levels:
    level_skills[lid] = rnd.sample(range(1, SKILLS + 1), 3)
    for s in level_skills[lid]:
        skill_exp_rows.append((lid, s, max(2, min(5, pos + 1))))

# --- placements: managers on track 2 by depth (CEO M5), the others spread over IC1-IC5 --------
place = {}
for p, _, _ in people:
    if p in is_manager:
        place[p] = level_id[(2, max(1, 5 - depth(p)))]
    else:
        place[p] = level_id[(1, rnd.choices((1, 2, 3, 4, 5), weights=(25, 30, 25, 15, 5))[0])]
pos_of = {lid: (t, pos) for lid, t, pos, _, _, _ in levels}


def target_of(lid):
    t, pos = pos_of[lid]
    return level_id[(t, pos + 1)] if pos < 5 else level_id[(3 - t, pos)]


# --- ratings (random() arithmetic: two million rows, the random module's helpers are slow) ---
OWN = [1] * 5 + [2] * 20 + [3] * 40 + [4] * 25 + [5] * 10  # own ratings, weighted
NUDGE = (-1, 0, 0, 1)  # the manager's rating beside the person's own


def rating_rows():
    rand = rnd.random
    for p, m, _ in people:
        want = [s for s in level_skills[target_of(place[p])] if rand() < 0.4]
        rest = rnd.sample(range(1, SKILLS + 1), RATED + len(want))
        chosen = (want + [s for s in rest if s not in want])[:RATED]
        for s in chosen:
            ago = 10 + int(rand() * 691)
            own = OWN[int(rand() * 100)]
            yield (p, "skill", s, "self", own, p, quick_stamp(ago, int(rand() * 86400)))
            if m is not None and rand() < 0.5:
                theirs = max(1, min(5, own + NUDGE[int(rand() * 4)]))
                yield (p, "skill", s, "manager", theirs, m,
                       quick_stamp(ago - 3, int(rand() * 86400)))
        if rand() < 0.5:
            pos = pos_of[place[p]][1]
            ago = 10 + int(rand() * 391)
            for c in range(1, len(competencies) + 1):
                yield (p, "competency", c, "self", max(1, min(5, pos + int(rand() * 3) - 1)), p,
                       quick_stamp(ago, 36000 + c))


# --- development plans -----------------------------------------------------------------------
aspirations = [f"{t} lead" for t in topics] + [f"{t} specialist" for t in topics]
plans = []
for p, _, _ in people:
    if rnd.random() < 0.6:
        ago = rnd.randint(5, 300)
        plans.append((p, ago))

# --- mentoring: offers skewed to a few popular skills ----------------------------------------
order = list(range(1, SKILLS + 1))
rnd.shuffle(order)
weights = [1.0 / (rank + 5) for rank in range(SKILLS)]
mentors = rnd.sample([p for p, _, _ in people if manager_of[p] is not None], OFFERS)
offer_skills = {}
for p in mentors:
    chosen = set()
    while len(chosen) < 3:
        chosen.add(rnd.choices(order, weights=weights)[0])
    offer_skills[p] = sorted(chosen)
# 500 active mentorships: 400 mentors, 100 of them with a second mentee (at capacity)
ship_mentors = rnd.sample(mentors, 400)
ship_mentors += ship_mentors[:100]
ships = []
for mentor in ship_mentors:
    mentee = mentor
    while mentee == mentor:
        mentee = rnd.choice(people)[0]
    ago = rnd.randint(10, 200)
    ships.append((mentor, mentee, rnd.choice(offer_skills[mentor]), "Grow in the skill",
                  day(ago), None, "active", stamp(ago)))

# --- opportunities ---------------------------------------------------------------------------
opps = []
for k in range(1, OPPORTUNITIES + 1):
    poster = rnd.choice(managers)
    ago = rnd.randint(1, 60)
    opps.append((k, "project", f"{rnd.choice(topics)} project {k}", "A quarter-long project",
                 dept_of[poster], poster, "open", day(-rnd.randint(30, 120)), stamp(ago)))

with db:
    db.execute("PRAGMA synchronous=OFF")
    # the triggers that keep each person's career figures (migration 0049) are put back after
    # the load, and every person's figures rebuilt once: row by row they would read the ratings
    # while their indexes are away
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                          " AND name LIKE 'career_facts_%' AND name <> 'career_facts_hire'").fetchall()
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    db.executemany("INSERT INTO career_tracks (id, name, description) VALUES (?, ?, ?)", tracks)
    db.executemany("INSERT INTO career_levels (id, track_id, position, code, title, summary)"
                   " VALUES (?, ?, ?, ?, ?, ?)", levels)
    db.executemany("INSERT INTO competencies (id, name, description) VALUES (?, ?, ?)",
                   [(i, n, f"{n} at work") for i, n in enumerate(competencies, start=1)])
    db.executemany("INSERT INTO level_expectations (level_id, competency_id, rating, description)"
                   " VALUES (?, ?, ?, ?)", exp_rows)
    db.executemany("INSERT INTO skills (id, name, category) VALUES (?, ?, ?)", skills)
    db.executemany("INSERT INTO level_skill_expectations (level_id, skill_id, rating)"
                   " VALUES (?, ?, ?)", skill_exp_rows)
    db.executemany("UPDATE people SET career_level_id = ? WHERE id = ?",
                   ((lid, p) for p, lid in place.items()))
    # the ratings' indexes are built once after the rows (the same definitions, read back)
    indexes = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index'"
                                            " AND tbl_name = 'ratings' AND sql IS NOT NULL")]
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'"
                              " AND tbl_name = 'ratings' AND sql IS NOT NULL").fetchall():
        db.execute(f'DROP INDEX "{name}"')
    db.executemany("INSERT INTO ratings (person_id, subject, subject_id, source, rating, rater_id,"
                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rating_rows())
    for sql in indexes:
        db.execute(sql)
    db.executemany("INSERT INTO idps (id, person_id, short_term, long_term, target_level_id,"
                   " target_role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ((i, p, "Grow in my current role", "Take on more scope",
                     target_of(place[p]), rnd.choice(aspirations), stamp(ago), stamp(ago // 2))
                    for i, (p, ago) in enumerate(plans, start=1)))

    def action_rows():
        for i, (p, ago) in enumerate(plans, start=1):
            for k in range(3):
                done = rnd.random() < 0.4
                yield (i, "course", f"Course {k + 1}: {rnd.choice(topics)}",
                       "done" if done else "planned", rnd.randint(1, SKILLS), stamp(ago, k + 1),
                       stamp(max(0, ago - 20)) if done else None)
    db.executemany("INSERT INTO idp_actions (idp_id, kind, title, status, skill_id, created_at,"
                   " completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", action_rows())
    db.executemany("INSERT INTO mentor_offers (person_id, capacity, note, active, created_at)"
                   " VALUES (?, 2, 'Happy to help', 1, ?)",
                   ((p, stamp(rnd.randint(10, 400))) for p in mentors))
    db.executemany("INSERT INTO mentor_offer_skills (person_id, skill_id) VALUES (?, ?)",
                   ((p, s) for p in mentors for s in offer_skills[p]))
    db.executemany("INSERT INTO mentorships (mentor_id, mentee_id, skill_id, goals, start_date,"
                   " end_date, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ships)
    db.executemany("INSERT INTO opportunities (id, kind, title, description, department_id,"
                   " posted_by, status, closes_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   opps)
    db.executemany("INSERT INTO opportunity_skills (opportunity_id, skill_id, min_rating)"
                   " VALUES (?, ?, 3)",
                   ((k, s) for k in range(1, OPPORTUNITIES + 1)
                    for s in rnd.sample(range(1, SKILLS + 1), rnd.choice((2, 3)))))
    code_of = {lid: code for lid, _, _, code, _, _ in levels}
    db.executemany("INSERT INTO role_history (person_id, effective_date, kind, level,"
                   " department_id, manager_id, status, reason, recorded_at)"
                   " VALUES (?, ?, 'promotion', ?, ?, ?, 'active', 'Promotion', ?)",
                   ((p, day(ago), code_of[place[p]], dept_of[p], manager_of[p], stamp(ago))
                    for p, _, _ in people if rnd.random() < 0.17
                    for ago in (rnd.randint(30, 1000),)))
    for _, sql in triggers:
        db.execute(sql)
    if triggers:
        db.execute("INSERT INTO career_refresh_ids (person_id) SELECT id FROM people")

n = db.execute("SELECT (SELECT COUNT(*) FROM ratings), (SELECT COUNT(*) FROM idps),"
               " (SELECT COUNT(*) FROM idp_actions), (SELECT COUNT(*) FROM mentor_offers),"
               " (SELECT COUNT(*) FROM mentorships), (SELECT COUNT(*) FROM opportunities),"
               " (SELECT COUNT(*) FROM role_history WHERE kind = 'promotion'),"
               " (SELECT COUNT(*) FROM people WHERE career_level_id IS NOT NULL)").fetchone()
print(f"levels={len(levels)} competencies={len(competencies)} skills={SKILLS} placed={n[7]}"
      f" ratings={n[0]} idps={n[1]} idp_actions={n[2]} mentor_offers={n[3]} mentorships={n[4]}"
      f" opportunities={n[5]} promotions={n[6]}")
