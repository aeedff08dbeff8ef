#!/usr/bin/env bash
# make bench: 100,000 people; CSV import time; person read and search under wrk (64 connections,
# bearer token) beside nginx serving the same JSON bytes in the same run; peak server RSS.
# Loopback only, bounded in time (about two minutes). BENCH_PEOPLE and BENCH_SECONDS adjust it.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${BENCH_PEOPLE:-100000}
secs=${BENCH_SECONDS:-10}
dir=$(mktemp -d)
chmod 755 "$dir" # nginx workers run as an unprivileged user
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -f "$dir/nginx.pid" ] && nginx -c "$dir/nginx.conf" -s stop 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
[ -z "${BENCH_DEBUG:-}" ] || trap - EXIT
bin=build/trellis
db="sqlite:$dir/bench.db"
key="$dir/key"
export BENCH_PEOPLE=$people

python3 bench/gen_people.py "$people" >"$dir/people.csv"
t0=$(date +%s.%N)
"$bin" import people --db "$db" --key-file "$key" "$dir/people.csv" >"$dir/import.log"
t1=$(date +%s.%N)
import_s=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
# the issue's ceilings: 5 s at 100,000 people, 30 s at 1,000,000
import_limit=5
[ "$people" -le 100000 ] || import_limit=30
db_mb=$(du -cm "$dir"/bench.db* | tail -1 | cut -f1)
echo 'bench-password-1' | "$bin" user add --db "$db" --key-file "$key" --email ceo@bench.example \
    --role admin --password-stdin >/dev/null
token=$("$bin" user token --db "$db" --key-file "$key" --email ceo@bench.example)

"$bin" serve --db "$db" --key-file "$key" --listen 127.0.0.1:0 --quiet --max-connections-per-address 0 >"$dir/serve.out" 2>"$dir/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q listening "$dir/serve.out" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/serve.out")
# the state a running server reaches: its first scheduler pass (reminders for everyone at a first
# start, 5.8 s of writes at 1,000,000 people) has ended before anything is measured
for _ in $(seq 1 1200); do
    curl -sf "$base/metrics" | grep -q '^trellis_scheduler_passes_total [1-9]' && break
    sleep 0.1
done
auth="Authorization: Bearer $token"

# correctness first: a benchmark must not go fast by going wrong
count=$(curl -sf -H "$auth" "$base/api/v1/people?q=p${people}@&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$count" = 1 ] || { echo "bench: person $people not found after import" >&2; exit 1; }
curl -sf -H "$auth" "$base/api/v1/people/4242" >"$dir/person.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["id"]==4242 and d["manager_chain"], d' "$dir/person.json"

run_wrk() { # script url [header]
    wrk -t2 -c64 -d"${secs}s" --latency -s "$1" ${3:+-H "$3"} "$2" 2>&1 | sed -n 's/^RESULT //p'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

person=$(run_wrk bench/person.lua "$base" "$auth")
search=$(run_wrk bench/search.lua "$base" "$auth")
rss_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
# RSS counts the memory-mapped database once per worker connection (the same page-cache pages
# twice with two workers); PSS counts each page once, and anonymous memory is the server's own.
pss_kb=$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/smaps_rollup")
anon_kb=$(sed -n 's/^Pss_Anon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/smaps_rollup")
# heavy requests (an HRIS dry run of the whole file, three times) must not leave their memory
# with the worker threads
# (up to 200,000 people: a larger file is over the API's 64 MiB body limit, the CLI imports it)
dry_file="$dir/people.csv"
if [ "$people" -gt 200000 ]; then
    head -n 200001 "$dir/people.csv" >"$dir/dry.csv"
    dry_file="$dir/dry.csv"
fi
for _ in 1 2 3; do
    curl -sf -o /dev/null -H "$auth" -H 'Content-Type: text/csv' --data-binary "@$dry_file" \
        "$base/api/v1/people/import?dry_run=true" || { echo "bench: the dry-run import failed" >&2; exit 1; }
done
# curl has the answer before the worker has finished with the request (its memory goes back to
# the system once the response is sent): read the memory once the worker is done
sleep 1
heavy_kb=$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/smaps_rollup")
heavy_anon_kb=$(sed -n 's/^Pss_Anon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/smaps_rollup")

# the ceiling: nginx, same cores, the same bytes as one static file
mkdir -p "$dir/www"
cp "$dir/person.json" "$dir/www/person.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" bench/nginx.conf.in >"$dir/nginx.conf"
mkdir -p "$dir/tmp"
nginx -c "$dir/nginx.conf" 2>"$dir/nginx-start.log" || { cat "$dir/nginx-start.log" >&2; exit 1; }
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/person.json" >/dev/null && break; sleep 0.1; done
cmp -s <(curl -s "http://127.0.0.1:$port/person.json") "$dir/person.json" || { echo "bench: nginx bytes differ" >&2; exit 1; }
ceiling=$(run_wrk bench/static.lua "http://127.0.0.1:$port/person.json")

for r in "$person" "$search" "$ceiling"; do
    if [ "$(field "$r" non2xx)" != 0 ] || [ "$(field "$r" errors)" != 0 ]; then
        echo "bench: invalid run, errors or non-2xx responses: $r" >&2
        printf 'bench: import %ss; person read %s; search %s; nginx %s\n' "$import_s" "$person" "$search" "$ceiling" >&2
        exit 1
    fi
done

verdict() { # value op target
    if python3 -c "import sys; sys.exit(0 if $1 $2 $3 else 1)"; then echo PASS; else echo MISS; fi
}
p_rps=$(field "$person" rps); s_rps=$(field "$search" rps); n_rps=$(field "$ceiling" rps)
ratio=$(python3 -c "print(f'{$p_rps / $n_rps:.2f}')")
rss_mb=$(python3 -c "print(f'{$rss_kb / 1024:.1f}')")
pss_mb=$(python3 -c "print(f'{$pss_kb / 1024:.1f}')")
anon_mb=$(python3 -c "print(f'{$anon_kb / 1024:.1f}')")
printf '\nTrellis benchmark: %s people, wrk -t2 -c64 -d%ss, %s cores, %s\n' "$people" "$secs" "$(nproc)" "$(date -u +%F)"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' "#" "case" "req/s" "p50 ms" "p99 ms" "nginx req/s" "target"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 1 "import ${people} people (CSV)" "-" "-" "-" "-" "${import_s}s < ${import_limit}s $(verdict "$import_s" '<' "$import_limit"), database ${db_mb} MB"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 2 "GET /api/v1/people/{id}" "$p_rps" "$(field "$person" p50_ms)" "$(field "$person" p99_ms)" "$n_rps" "ratio ${ratio} >= 0.6 $(verdict "$ratio" '>=' 0.6), p99 < 10 ms $(verdict "$(field "$person" p99_ms)" '<' 10)"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 3 "GET /api/v1/people?q=…&limit=20" "$s_rps" "$(field "$search" p50_ms)" "$(field "$search" p99_ms)" "-" ">= 5000 req/s $(verdict "$s_rps" '>=' 5000)"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 4 "nginx static, same bytes" "$n_rps" "$(field "$ceiling" p50_ms)" "$(field "$ceiling" p99_ms)" "-" "ceiling"
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 5 "server memory after the load" "-" "-" "-" "-" "PSS ${pss_mb} MB < 100 MB $(verdict "$pss_mb" '<' 100) (peak RSS ${rss_mb} MB counts the mmapped db per worker; anonymous ${anon_mb} MB)"
heavy_mb=$(python3 -c "print(f'{$heavy_kb / 1024:.1f}')")
heavy_anon_mb=$(python3 -c "print(f'{$heavy_anon_kb / 1024:.1f}')")
printf '%-4s %-36s %12s %10s %10s %14s  %s\n' 6 "memory after 3 HRIS dry runs" "-" "-" "-" "-" "PSS ${heavy_mb} MB < 100 MB $(verdict "$heavy_mb" '<' 100) (anonymous ${heavy_anon_mb} MB)"
# BENCH_PARTS limits the run to some parts (e.g. "people oneonones")
parts=" ${BENCH_PARTS:-people postgres goals reviews oneonones careers} "
# this part's server and nginx stop before the next part: they would share its cores
[ -n "${BENCH_DEBUG:-}" ] || { cleanup; trap - EXIT; }
for part in postgres goals reviews oneonones careers; do
    [[ "$parts" != *" $part "* ]] || "bench/$part.sh"
done
