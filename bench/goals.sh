#!/usr/bin/env bash
# make bench, part 2: goals at scale. 100,000 people with five goals each (three key results per
# goal, twelve check-ins per key result: 500,000 goals, 1.5 million key results, 18 million
# check-ins); the company alignment tree with roll-up progress, a department's tree, and
# "my team's goals" for a manager of 8, under wrk. Loopback only, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${BENCH_PEOPLE:-100000}
secs=${BENCH_SECONDS:-10}
dir=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
bin=build/trellis
db="sqlite:$dir/goals.db"
key="$dir/key"

python3 bench/gen_people.py "$people" >"$dir/people.csv"
"$bin" import people --db "$db" --key-file "$key" "$dir/people.csv" >/dev/null
t0=$(date +%s.%N)
python3 bench/gen_goals.py "$dir/goals.db" >"$dir/gen.log"
t1=$(date +%s.%N)
"$bin" goals recompute --db "$db" >/dev/null
t2=$(date +%s.%N)
echo 'bench-password-1' | "$bin" user add --db "$db" --key-file "$key" --email ceo@bench.example \
    --role admin --password-stdin >/dev/null
admin=$("$bin" user token --db "$db" --key-file "$key" --email ceo@bench.example)
# a manager with exactly 8 direct reports, and the department closest to 5,000 people
read -r mgr dept dept_size < <(python3 - "$dir/goals.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
m = c.execute("SELECT manager_id FROM people GROUP BY manager_id HAVING COUNT(*) = 8 LIMIT 1").fetchone()[0]
d = c.execute("SELECT department_id, COUNT(*) n FROM people GROUP BY 1 ORDER BY ABS(COUNT(*) - 5000) LIMIT 1").fetchone()
print(m, d[0], d[1])
PY
)
echo 'bench-password-1' | "$bin" user add --db "$db" --key-file "$key" --email "p${mgr}@bench.example" \
    --role employee --password-stdin >/dev/null
manager=$("$bin" user token --db "$db" --key-file "$key" --email "p${mgr}@bench.example")

"$bin" serve --db "$db" --key-file "$key" --listen 127.0.0.1:0 --quiet >"$dir/serve.out" 2>"$dir/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q listening "$dir/serve.out" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/serve.out")

# correctness first
team_count=$(curl -sf -H "Authorization: Bearer $manager" "$base/api/v1/goals?team=1&limit=100" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$team_count" = 40 ] || { echo "bench: team view returned $team_count goals, not 40" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $admin" "$base/api/v1/goals/tree?period=2026&depth=3" |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["items"]; assert len(t)==5 and t[0]["rollup_progress"] is not None, t[:1]'

one() { # label url token: a single timed request (bytes, seconds)
    curl -s -o /dev/null -w "%{size_download} %{time_total}\n" -H "Authorization: Bearer $3" "$2"
}
run_wrk() { # connections url token
    wrk -t2 -c"$1" -d"${secs}s" --latency -s bench/static.lua -H "Authorization: Bearer $3" "$2" 2>&1 |
        sed -n 's/^RESULT //p'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
verdict() { if python3 -c "import sys; sys.exit(0 if $1 $2 $3 else 1)"; then echo PASS; else echo MISS; fi; }

company="$base/api/v1/goals/tree?period=2026&depth=3"
company_all="$base/api/v1/goals/tree?period=2026&depth=16"
department="$base/api/v1/goals/tree?period=2026&department=$dept&depth=16"
team="$base/api/v1/goals?team=1&limit=100"
r1=$(run_wrk 8 "$company" "$admin")
r2=$(run_wrk 4 "$department" "$admin")
r3=$(run_wrk 4 "$team" "$manager")
r4=$(wrk -t1 -c1 -d"${secs}s" --latency -s bench/static.lua -H "Authorization: Bearer $manager" "$team" 2>&1 | sed -n 's/^RESULT //p')
read -r all_bytes all_s < <(one all "$company_all" "$admin")
read -r dept_bytes _ < <(one dept "$department" "$admin")
for r in "$r1" "$r2" "$r3" "$r4"; do
    if [ "$(field "$r" non2xx)" != 0 ] || [ "$(field "$r" errors)" != 0 ]; then
        echo "bench: invalid run: $r" >&2
        exit 1
    fi
done
gen_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
rec_s=$(python3 -c "print(f'{$t2 - $t1:.1f}')")
all_ms=$(python3 -c "print(f'{$all_s * 1000:.0f}')")
printf '\nTrellis goals benchmark: %s\n' "$(tr '\n' ' ' <"$dir/gen.log")"
printf 'generated in %ss (SQL), stored roll-ups recomputed in %ss\n' "$gen_s" "$rec_s"
printf '%-4s %-52s %10s %10s %10s  %s\n' "#" "case" "req/s" "p50 ms" "p99 ms" "target"
printf '%-4s %-52s %10s %10s %10s  %s\n' 6 "company tree, roll-ups, 3 levels (c=8)" "$(field "$r1" rps)" "$(field "$r1" p50_ms)" "$(field "$r1" p99_ms)" "< 300 ms $(verdict "$(field "$r1" p99_ms)" '<' 300)"
printf '%-4s %-52s %10s %10s %10s  %s\n' 7 "company tree, every aligned goal (one request)" "-" "$all_ms" "-" "$((all_bytes / 1024)) KB"
printf '%-4s %-52s %10s %10s %10s  %s\n' 8 "department of ${dept_size}: whole tree (c=4)" "$(field "$r2" rps)" "$(field "$r2" p50_ms)" "$(field "$r2" p99_ms)" "< 50 ms $(verdict "$(field "$r2" p50_ms)" '<' 50), $((dept_bytes / 1024)) KB"
printf '%-4s %-52s %10s %10s %10s  %s\n' 9 "my team's goals, manager of 8 (c=4)" "$(field "$r3" rps)" "$(field "$r3" p50_ms)" "$(field "$r3" p99_ms)" "p99 < 5 ms $(verdict "$(field "$r3" p99_ms)" '<' 5)"
printf '%-4s %-52s %10s %10s %10s  %s\n' 10 "my team's goals, manager of 8 (c=1)" "$(field "$r4" rps)" "$(field "$r4" p50_ms)" "$(field "$r4" p99_ms)" "p99 < 5 ms $(verdict "$(field "$r4" p99_ms)" '<' 5)"
