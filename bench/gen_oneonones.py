#!/usr/bin/python3
"""Adds one-on-ones to a bench database (after the people import): 15,000 series between a
manager and one direct report, two years of meetings at their cadence (every 2, 4 or 6 weeks),
about one in ten skipped, the next one scheduled; two talking points per meeting and one action
item per held meeting (open for the last two held meetings of a series, done before).
Deterministic for a given date; written in one transaction with executemany."""
import datetime
import random
import sqlite3
import sys

SERIES = int(sys.argv[2]) if len(sys.argv) > 2 else 15000  # the plan test asks for fewer
TZ = "Europe/London"

try:
    from zoneinfo import ZoneInfo

    LONDON = ZoneInfo(TZ)
except Exception:  # no tz database: treat 10:00 local as 10:00 UTC
    LONDON = None

db = sqlite3.connect(sys.argv[1])
rnd = random.Random(20261202)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
today = now.date()
stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")

_starts = {}


def starts_at(d):
    """10:00 in London on date d, in UTC (RFC 3339), cached per date."""
    s = _starts.get(d)
    if s is None:
        local = datetime.datetime(d.year, d.month, d.day, 10, 0)
        if LONDON:
            utc = local.replace(tzinfo=LONDON).astimezone(datetime.timezone.utc)
        else:
            utc = local
        s = _starts[d] = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return s


pairs = db.execute("SELECT manager_id, id FROM people WHERE manager_id IS NOT NULL"
                   " AND status = 'active' ORDER BY id").fetchall()
if len(pairs) < SERIES:
    sys.exit(f"gen_oneonones: {len(pairs)} people with a manager, fewer than {SERIES}")
pairs = sorted(rnd.sample(pairs, SERIES), key=lambda p: p[1])

notes = ["", "", "Went through the quarter's priorities.", "Talked about the team offsite.",
         "Agreed to revisit the roadmap next time.", "Discussed workload and focus."]
point_bodies = [("goals", "Progress on the quarter's goals"), ("development", "Training budget"),
                ("goals", "Blockers on the launch"), ("development", "Next step in my career")]
actions = ["Send the draft plan", "Book the training", "Review the design doc",
           "Follow up with the other team"]

series, meetings, points, items = [], [], [], []
mid = 0
for sid, (lead, member) in enumerate(pairs, start=1):
    cadence = rnd.choices((2, 4, 6), weights=(15, 70, 15))[0]
    first = today - datetime.timedelta(days=730 - rnd.randrange(14))
    series.append((sid, lead, member, "manager", cadence, first.isoweekday(), "10:00", TZ, 30,
                   first.isoformat(), "active", lead, first.isoformat() + "T09:00:00Z"))
    held = []  # (meeting id, date) of held meetings, for the action items
    d = first
    step = datetime.timedelta(weeks=cadence)
    while True:
        mid += 1
        sa = starts_at(d)
        day = d.isoformat()
        local = day + "T10:00"
        if sa > stamp:  # the next occurrence: scheduled, its agenda being prepared
            meetings.append((mid, sid, day, sa, local, "scheduled", None, "", 0, None, None))
            for k in range(2):
                sec, body = point_bodies[rnd.randrange(4)]
                points.append((mid, (lead, member)[k], sec, body, "open", stamp))
            break
        created = (d - datetime.timedelta(days=1)).isoformat() + "T12:00:00Z"
        if rnd.random() < 0.1:
            meetings.append((mid, sid, day, sa, local, "skipped", "Travel", "", 0, None, lead))
        else:
            meetings.append((mid, sid, day, sa, local, "held", None, rnd.choice(notes),
                             int(rnd.random() < 0.3), sa, lead))
            held.append((mid, d))
        for k in range(2):
            sec, body = point_bodies[rnd.randrange(4)]
            points.append((mid, (lead, member)[k], sec, body, "discussed", created))
        d += step
    for i, (m, md) in enumerate(held):
        open_ = i >= len(held) - 2
        done = None if open_ else (md + datetime.timedelta(days=7)).isoformat() + "T16:00:00Z"
        items.append((sid, m, member, rnd.choice(actions),
                      (md + datetime.timedelta(days=14)).isoformat(), "open" if open_ else "done",
                      starts_at(md), done))

db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
with db:
    db.executemany(
        "INSERT INTO oneonone_series (id, lead_id, member_id, relation, cadence_weeks, weekday,"
        " start_time, timezone, duration_minutes, first_date, status, created_by, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", series)
    db.executemany(
        "INSERT INTO oneonone_meetings (id, series_id, occurrence_date, starts_at, local_start,"
        " status, skip_reason, shared_notes, career_discussed, held_at, completed_by)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)", meetings)
    db.executemany(
        "INSERT INTO oneonone_points (meeting_id, author_id, section, body, status, created_at)"
        " VALUES (?,?,?,?,?,?)", points)
    db.executemany(
        "INSERT INTO action_items (series_id, meeting_id, owner_id, body, due_date, status,"
        " created_at, done_at) VALUES (?,?,?,?,?,?,?,?)", items)
db.close()
print(f"series={len(series)} meetings={len(meetings)} points={len(points)} actions={len(items)}")
