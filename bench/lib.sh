# shellcheck shell=bash
# Shared by the benchmark parts (goals.sh, reviews.sh), sourced from the repository root:
# a scratch directory removed on exit with the server it started, the generated organisation,
# accounts with bearer tokens, the server on a free loopback port, and the wrk helpers.
# BENCH_PEOPLE and BENCH_SECONDS adjust the size and the duration of each wrk run;
# BENCH_DEBUG=1 keeps the scratch directory (database, server output).
set -euo pipefail
people=${BENCH_PEOPLE:-100000}
secs=${BENCH_SECONDS:-10}
bin=build/trellis
dir=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    if [ -n "${BENCH_DEBUG:-}" ]; then echo "bench: kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT

use_db() { # file name in the scratch directory: sets dbfile, db (URL) and key
    dbfile="$dir/$1"
    db="sqlite:$dbfile"
    key="$dir/key"
}

import_people() { # the deterministic organisation of $people people (bench/gen_people.py)
    python3 bench/gen_people.py "$people" >"$dir/people.csv"
    "$bin" import people --db "$db" --key-file "$key" "$dir/people.csv" >/dev/null
}

user_token() { # email role: adds an account for the person with that email, prints a bearer token
    echo 'bench-password-1' | "$bin" user add --db "$db" --key-file "$key" --email "$1" \
        --role "$2" --password-stdin >/dev/null
    "$bin" user token --db "$db" --key-file "$key" --email "$1"
}

start_server() { # sets server_pid and base (http://127.0.0.1:port)
    "$bin" serve --db "$db" --key-file "$key" --listen 127.0.0.1:0 --quiet --max-connections-per-address 0 >"$dir/serve.out" 2>"$dir/serve.err" &
    server_pid=$!
    for _ in $(seq 1 100); do grep -q listening "$dir/serve.out" && break; sleep 0.1; done
    base=$(sed -n 's/^listening on //p' "$dir/serve.out")
    [ -n "$base" ] || { echo "bench: the server did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
}

wait_scheduler() { # until the server's first scheduler pass has ended (it runs at start)
    for _ in $(seq 1 1200); do
        curl -sf "$base/metrics" | grep -q '^trellis_scheduler_passes_total [1-9]' && return 0
        sleep 0.1
    done
    echo "bench: the server's first scheduler pass did not end within 120 s" >&2
    exit 1
}

one() { # label url token: a single timed request (bytes, seconds, HTTP status)
    curl -s -o /dev/null -w "%{size_download} %{time_total} %{http_code}\n" -H "Authorization: Bearer $3" "$2"
}
run_wrk() { # connections url token
    wrk -t2 -c"$1" -d"${secs}s" --latency -s bench/static.lua -H "Authorization: Bearer $3" "$2" 2>&1 |
        sed -n 's/^RESULT //p'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
verdict() { if python3 -c "import sys; sys.exit(0 if $1 $2 $3 else 1)"; then echo PASS; else echo MISS; fi; }
check_runs() { # wrk results...: any socket error or non-2xx response invalidates the benchmark
    for r in "$@"; do
        if [ "$(field "$r" non2xx)" != 0 ] || [ "$(field "$r" errors)" != 0 ]; then
            echo "bench: invalid run: $r" >&2
            exit 1
        fi
    done
}
row() { # the results table: # case req/s p50 p99 target
    printf '%-4s %-52s %10s %10s %10s  %s\n' "$@"
}
