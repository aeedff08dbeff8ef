#!/usr/bin/env bash
# make bench, part 2: goals at scale. 100,000 people with five goals each (three key results per
# goal, twelve check-ins per key result: 500,000 goals, 1.5 million key results, 18 million
# check-ins); the company alignment tree with roll-up progress, a department's tree (its first
# page, and the goals below one of its goals, as the web UI asks for them), and
# "my team's goals" for a manager of 8, under wrk. Loopback only, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/..
. bench/lib.sh
use_db goals.db

import_people
t0=$(date +%s.%N)
python3 bench/gen_goals.py "$dbfile" >"$dir/gen.log"
t1=$(date +%s.%N)
"$bin" goals recompute --db "$db" >/dev/null
t2=$(date +%s.%N)
admin=$(user_token ceo@bench.example admin)
# a manager with exactly 8 direct reports, and the department closest to 5,000 people in
# 100,000 (the same department of the generated organisation at every size: at 1,000,000 the one
# closest to 5,000 would be the chief executive's, of one person)
read -r mgr dept dept_size < <(python3 - "$dbfile" "$people" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
m = c.execute("SELECT m.email FROM people m WHERE m.manager_id IS NOT NULL AND"
              " (SELECT COUNT(*) FROM people r WHERE r.manager_id = m.id) = 8 LIMIT 1").fetchone()[0]
d = c.execute("SELECT department_id, COUNT(*) n FROM people GROUP BY 1 ORDER BY ABS(COUNT(*) - ?) LIMIT 1",
              (5000 * int(sys.argv[2]) // 100000,)).fetchone()
print(m, d[0], d[1])
PY
)
manager=$(user_token "$mgr" employee)

export TRELLIS_SCHEDULER_INTERVAL=86400 # one pass at start, waited for, and none during the run
start_server
wait_scheduler

# correctness first
team_count=$(curl -sf -H "Authorization: Bearer $manager" "$base/api/v1/goals?team=1&limit=100" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$team_count" = 40 ] || { echo "bench: team view returned $team_count goals, not 40" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $admin" "$base/api/v1/goals/tree?period=2026&depth=2" |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["items"]; assert len(t)==5 and t[0]["rollup_progress"] is not None, t[:1]'
# the department's top goal with the most aligned goals: what a person opens in its tree (one whose
# aligned goals the page does not show, if any: at 1,000,000 people every one is shown)
dept_page="$base/api/v1/goals/tree?period=2026&department=$dept&depth=2&limit=50"
read -r opened opened_n < <(curl -sf -H "Authorization: Bearer $admin" "$dept_page" |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["items"]; k=[k for g in t for k in g["children"]]; c=[x for x in k if not x["children_complete"]] or k; b=max(c, key=lambda k: k["children_count"]); print(b["id"], b["children_count"])')

# the web UI asks for two levels, 50 top goals to a page, and the next level when a goal is opened
company="$base/api/v1/goals/tree?period=2026&depth=2&limit=50"
company_all="$base/api/v1/goals/tree?period=2026&depth=16"
children="$base/api/v1/goals/tree?parent=$opened&depth=2&limit=50"
team="$base/api/v1/goals?team=1&limit=100"
r1=$(run_wrk 8 "$company" "$admin")
r2=$(run_wrk 4 "$dept_page" "$admin")
r5=$(run_wrk 4 "$children" "$admin")
r3=$(run_wrk 4 "$team" "$manager")
r4=$(wrk -t1 -c1 -d"${secs}s" --latency -s bench/static.lua -H "Authorization: Bearer $manager" "$team" 2>&1 | sed -n 's/^RESULT //p')
read -r all_bytes all_s all_status < <(one all "$company_all" "$admin")
read -r dept_bytes _ _ < <(one dept "$dept_page" "$admin")
read -r children_bytes _ _ < <(one children "$children" "$admin")
check_runs "$r1" "$r2" "$r3" "$r4" "$r5"
gen_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
rec_s=$(python3 -c "print(f'{$t2 - $t1:.1f}')")
all_ms=$(python3 -c "print(f'{$all_s * 1000:.0f}')")
printf '\nTrellis goals benchmark: %s\n' "$(tr '\n' ' ' <"$dir/gen.log")"
printf 'generated in %ss (SQL), stored roll-ups recomputed in %ss\n' "$gen_s" "$rec_s"
row "#" "case" "req/s" "p50 ms" "p99 ms" "target"
row 6 "company tree, 2 levels as the web asks (c=8)" "$(field "$r1" rps)" "$(field "$r1" p50_ms)" "$(field "$r1" p99_ms)" "p99 < 300 ms $(verdict "$(field "$r1" p99_ms)" '<' 300)"
all_what="$((all_bytes / 1024)) KB"
# past the answer's ceiling (512 MB: 1,000,000 people's 5 million goals) the tree is refused whole
[ "$all_status" = 200 ] || all_what="HTTP $all_status (answer_too_large: ask for levels or pages)"
row 7 "company tree, every aligned goal (one request)" "-" "$all_ms" "-" "$all_what"
row 8 "department of ${dept_size}: first page, 2 levels (c=4)" "$(field "$r2" rps)" "$(field "$r2" p50_ms)" "$(field "$r2" p99_ms)" "p99 < 50 ms $(verdict "$(field "$r2" p99_ms)" '<' 50), $((dept_bytes / 1024)) KB"
row 8b "opening a goal there: ${opened_n} aligned (c=4)" "$(field "$r5" rps)" "$(field "$r5" p50_ms)" "$(field "$r5" p99_ms)" "p99 < 50 ms $(verdict "$(field "$r5" p99_ms)" '<' 50), $((children_bytes / 1024)) KB"
row 9 "my team's goals, manager of 8 (c=4)" "$(field "$r3" rps)" "$(field "$r3" p50_ms)" "$(field "$r3" p99_ms)" "p99 < 5 ms $(verdict "$(field "$r3" p99_ms)" '<' 5)"
row 10 "my team's goals, manager of 8 (c=1)" "$(field "$r4" rps)" "$(field "$r4" p50_ms)" "$(field "$r4" p99_ms)" "p99 < 5 ms $(verdict "$(field "$r4" p99_ms)" '<' 5)"
