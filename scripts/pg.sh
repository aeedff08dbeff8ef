#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests, from Debian's server binaries, on a loopback port
# in a temporary directory. `start` prints its URL once it accepts connections; `stop` removes it;
# `down`, `up` and `restart` stop, start and restart it keeping its data (fault tests).
# As root the server runs as the postgres system user (PostgreSQL refuses to run as root).
set -euo pipefail
port=${TRELLIS_PG_PORT:-54329}
state=${TMPDIR:-/tmp}/trellis-pg-$port
url="postgresql://trellis@127.0.0.1:$port/postgres"
bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL server binaries not found" >&2; exit 1; }
run() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    if [ -f "$state/data/postmaster.pid" ] && run "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
        echo "$url"
        exit 0
    fi
    rm -rf "$state"
    mkdir -p "$state"
    [ "$(id -u)" -ne 0 ] || chown postgres "$state"
    run "$bin/initdb" -D "$state/data" -U trellis --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 ||
        { cat "$state/initdb.log" >&2; exit 1; }
    run "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 30 \
        -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$state/server.log" >&2; exit 1; }
    for _ in $(seq 1 50); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        sleep 0.2
    done
    echo "$url"
    ;;
stop)
    if [ -d "$state/data" ]; then
        run "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$state"
    ;;
down) # stops the server and keeps its data (fault tests: the database goes away)
    run "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null
    ;;
up) # starts the kept data again
    run "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 30 \
        -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    ;;
restart) # a fast restart, as an upgrade or a configuration change does
    run "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -m fast -w -t 30 restart >/dev/null
    ;;
url)
    echo "$url"
    ;;
*)
    echo "usage: scripts/pg.sh start|stop|down|up|restart|url" >&2
    exit 2
    ;;
esac
