#!/usr/bin/env bash
# make bench, part 3: review cycles at scale. 100,000 people; HR creates self, manager and peer
# templates and a cycle with three peers per person, and launches it in one request (every
# outcome and assignment; in ranges of whole teams above launch_batch participants) while HR
# writes every 200 ms (how long a write waits meanwhile); then the calibration view for the whole company
# (one request) and for the manager whose organisation is closest to 5,000 people, and the
# review packet beside a manager review, under wrk. Loopback only, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/..
. bench/lib.sh
use_db r.db
launch_max=${BENCH_LAUNCH_TIMEOUT:-300} # seconds; a launch slower than this fails the run

import_people
# A role is given to an imported person (accounts need one; only the first admin may exist
# without). The chief executive is HR here: HR reads the whole cycle whatever its place.
hr=$(user_token ceo@bench.example hr)
start_server
wait_scheduler # the state a running server reaches: its first pass (reminders) done

api() { # method path [json]: prints the response body; any status but 2xx fails the benchmark
    local out
    if ! out=$(curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $hr" \
        -H 'Content-Type: application/json' ${3:+-d "$3"} "$base$2"); then
        echo "bench: $1 $2 failed: $out" >&2
        exit 1
    fi
    echo "$out"
}
get() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

self_t=$(api POST /api/v1/review-templates \
    '{"name":"Self","kind":"self","questions":[{"id":"overall","type":"rating","text":"Overall"}]}' | get id)
manager_t=$(api POST /api/v1/review-templates \
    '{"name":"Manager","kind":"manager","questions":[{"id":"overall","type":"rating","text":"Overall"},
      {"id":"potential","type":"rating","text":"Potential","scale":3},
      {"id":"summary","type":"text","text":"Summary"}]}' | get id)
peer_t=$(api POST /api/v1/review-templates \
    '{"name":"Peer","kind":"peer","questions":[{"id":"collab","type":"rating","text":"Collaboration"}]}' | get id)
cycle=$(api POST /api/v1/review-cycles \
    "{\"name\":\"Bench\",\"period_start\":\"2026-01-01\",\"period_end\":\"2026-12-31\",
      \"self_template_id\":$self_t,\"manager_template_id\":$manager_t,\"peer_template_id\":$peer_t,
      \"peers_per_person\":3}" | get id)

# the launch: one request creates every outcome and assignment (a large company's in ranges of
# whole teams); meanwhile HR records an accomplishment every 200 ms, each write's status and time
# kept: how long another write waits during a launch, and whether it is refused
probe() {
    while :; do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 -X POST \
            -H "Authorization: Bearer $hr" -H 'Content-Type: application/json' \
            -d '{"happened_on":"2026-06-01","title":"Written during the launch"}' \
            "$base/api/v1/accomplishments" >>"$dir/probe.txt" || true
        sleep 0.2
    done
}
: >"$dir/probe.txt"
probe &
probe_pid=$!
read -r launch_status launch_s < <(curl -s -o "$dir/launch.json" -w '%{http_code} %{time_total}\n' \
    --max-time "$launch_max" -X POST -H "Authorization: Bearer $hr" -H 'Content-Type: application/json' \
    -d '{}' "$base/api/v1/review-cycles/$cycle/launch" || true)
kill "$probe_pid" 2>/dev/null || true
wait "$probe_pid" 2>/dev/null || true
read -r probe_n probe_failed probe_max_ms < <(python3 -c '
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(len(rows), sum(1 for s, _ in rows if not s.startswith("2")),
      f"{max((float(t) for _, t in rows), default=0) * 1000:.0f}")' "$dir/probe.txt")
if [ "$launch_status" != 200 ]; then
    echo "bench: launch answered ${launch_status:-nothing} after ${launch_s:-?} s (limit ${launch_max} s):" \
        "$(head -c 500 "$dir/launch.json" 2>/dev/null)" >&2
    exit 1
fi
assignments=$(get assignments <"$dir/launch.json")

# correctness first: the database holds what the launch reported; then ratings and potential
# for every outcome, as calibration would see them once the manager reviews are in
read -r mgr mgr_email below review stored outcomes < <(python3 - "$dbfile" "$cycle" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
cycle = int(sys.argv[2])
# the manager whose organisation (everyone below, at any depth) is closest to 5,000 people,
# other than the chief executive, whose account is HR's
m, n = c.execute("""WITH RECURSIVE up(id, boss) AS (
    SELECT id, manager_id FROM people WHERE manager_id IS NOT NULL
    UNION ALL SELECT up.id, p.manager_id FROM up JOIN people p ON p.id = up.boss
    WHERE p.manager_id IS NOT NULL)
  SELECT boss, COUNT(*) FROM up WHERE boss NOT IN (SELECT id FROM people WHERE email = 'ceo@bench.example')
  GROUP BY boss ORDER BY ABS(COUNT(*) - 5000), boss LIMIT 1""").fetchone()
email = c.execute("SELECT email FROM people WHERE id = ?", (m,)).fetchone()[0]
review = c.execute("SELECT id FROM reviews WHERE cycle_id = ? AND kind = 'manager' AND reviewer_id = ?"
                   " ORDER BY id LIMIT 1", (cycle, m)).fetchone()[0]
stored = c.execute("SELECT COUNT(*) FROM reviews WHERE cycle_id = ?", (cycle,)).fetchone()[0]
outcomes = c.execute("SELECT COUNT(*) FROM review_outcomes WHERE cycle_id = ?", (cycle,)).fetchone()[0]
with c:
    c.execute("UPDATE review_outcomes SET rating = 1 + (person_id % 5), potential = 1 + (person_id % 3)"
              " WHERE cycle_id = ?", (cycle,))
print(m, email, n, review, stored, outcomes)
PY
)
[ "$assignments" -ge $((people * 2)) ] ||
    { echo "bench: launch made $assignments assignments, fewer than $((people * 2))" >&2; exit 1; }
[ "$stored" = "$assignments" ] ||
    { echo "bench: launch reported $assignments assignments, the database holds $stored" >&2; exit 1; }
[ "$outcomes" = "$people" ] || { echo "bench: $outcomes outcomes for $people people" >&2; exit 1; }
manager=$(user_token "$mgr_email" employee)

calibration="$base/api/v1/review-cycles/$cycle/calibration"
packet="$base/api/v1/reviews/$review/packet"
curl -sf -H "Authorization: Bearer $manager" "$calibration" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); n=int(sys.argv[1]); assert d["outcomes"]==n and sum(c["count"] for c in d["nine_box"]["cells"])==n, (d["outcomes"], n)' "$below"
curl -sf -H "Authorization: Bearer $manager" "$packet" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["review_id"]==int(sys.argv[1]), d' "$review"
read -r company_status company_bytes company_s < <(curl -s -o "$dir/company.json" \
    -w '%{http_code} %{size_download} %{time_total}\n' -H "Authorization: Bearer $hr" "$calibration")
[ "$company_status" = 200 ] || { echo "bench: company calibration answered $company_status" >&2; exit 1; }
# everyone but the HR reader: their own outcome is not theirs to calibrate
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["outcomes"]==int(sys.argv[2])-1, d["outcomes"]' \
    "$dir/company.json" "$people"

r13=$(run_wrk 4 "$calibration" "$manager")
r14=$(run_wrk 4 "$packet" "$manager")
check_runs "$r13" "$r14"
launch_ms=$(python3 -c "print(f'{$launch_s * 1000:.0f}')")
launch_s=$(python3 -c "print(f'{$launch_s:.2f}')")
company_ms=$(python3 -c "print(f'{$company_s * 1000:.0f}')")
printf '\nTrellis reviews benchmark: %s people, wrk -t2 -c4 -d%ss, %s cores, %s\n' "$people" "$secs" "$(nproc)" "$(date -u +%F)"
printf 'cycle launched with %s assignments (self, manager, up to 3 teammates as peers);\n' "$assignments"
printf 'calibration as person %s (%s people below), packet of review %s (one they write)\n' "$mgr" "$below" "$review"
row "#" "case" "req/s" "p50 ms" "p99 ms" "target"
row 11 "launch a cycle of ${people} people (one request)" "-" "$launch_ms" "-" "${launch_s} s < 5 s $(verdict "$launch_s" '<' 5), ${assignments} assignments"
row 11b "a write during the launch (every 200 ms)" "-" "-" "$probe_max_ms" "max; ${probe_n} writes, ${probe_failed} refused (target 0) $(verdict "$probe_failed" '<' 1)"
row 12 "calibration, whole company as HR (one request)" "-" "$company_ms" "-" "$((company_bytes / 1024)) KB (no target)"
row 13 "calibration, manager of ${below} at any depth (c=4)" "$(field "$r13" rps)" "$(field "$r13" p50_ms)" "$(field "$r13" p99_ms)" "p99 < 100 ms $(verdict "$(field "$r13" p99_ms)" '<' 100)"
row 14 "review packet, a manager review (c=4)" "$(field "$r14" rps)" "$(field "$r14" p50_ms)" "$(field "$r14" p99_ms)" "p99 < 10 ms $(verdict "$(field "$r14" p99_ms)" '<' 10)"
