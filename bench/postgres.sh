#!/usr/bin/env bash
# make bench, part "postgres": the same organisation on a private local PostgreSQL (scripts/pg.sh,
# its own port), beside SQLite in the same run: CSV import time, the person read and the search
# under the same wrk load as part 1, after ANALYZE (as the server's scheduler gathers
# statistics). The PostgreSQL cluster is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/..
. bench/lib.sh
export TRELLIS_PG_PORT=${BENCH_PG_PORT:-54390}
pg_stop() { scripts/pg.sh stop >/dev/null 2>&1 || true; }
trap 'pg_stop; cleanup' EXIT
pg=$(scripts/pg.sh start)
psql "$pg" -q -c 'CREATE DATABASE bench'
db="${pg%/postgres}/bench"
key="$dir/key"

python3 bench/gen_people.py "$people" >"$dir/people.csv"
t0=$(date +%s.%N)
"$bin" import people --db "$db" --key-file "$key" "$dir/people.csv" >/dev/null
t1=$(date +%s.%N)
import_s=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
# the state a server reaches once autovacuum has passed after a large import: statistics
# gathered and the visibility map set (else the measurement races autovacuum's first pass)
psql "$db" -q -c 'VACUUM ANALYZE'
token=$(user_token ceo@bench.example admin)
start_server
wait_scheduler # the state a running server reaches: its first pass (reminders) done
auth="Authorization: Bearer $token"

# correctness first, as in part 1
count=$(curl -sf -H "$auth" "$base/api/v1/people?q=p${people}@&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$count" = 1 ] || { echo "bench: person $people not found after the PostgreSQL import" >&2; exit 1; }
curl -sf -H "$auth" "$base/api/v1/people/4242" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["id"]==4242 and d["manager_chain"], d'

wrk_script() { # script
    wrk -t2 -c64 -d"${secs}s" --latency -s "$1" -H "$auth" "$base" 2>&1 | sed -n 's/^RESULT //p'
}
person=$(wrk_script bench/person.lua)
search=$(wrk_script bench/search.lua)
check_runs "$person" "$search"
printf '\nPostgreSQL (local, private cluster), %s people, wrk -t2 -c64 -d%ss\n' "$people" "$secs"
printf '%-4s %-36s %12s %10s %10s\n' "#" "case" "req/s" "p50 ms" "p99 ms"
printf '%-4s %-36s %12s %10s %10s\n' P1 "import ${people} people (CSV)" "${import_s}s" - -
printf '%-4s %-36s %12s %10s %10s\n' P2 "GET /api/v1/people/{id}" "$(field "$person" rps)" "$(field "$person" p50_ms)" "$(field "$person" p99_ms)"
printf '%-4s %-36s %12s %10s %10s\n' P3 "GET /api/v1/people?q=…&limit=20" "$(field "$search" rps)" "$(field "$search" p50_ms)" "$(field "$search" p99_ms)"
