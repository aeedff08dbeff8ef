#!/usr/bin/env bash
# make bench, part 4: one-on-ones at scale. 100,000 people, 15,000 manager/report series with two
# years of meetings (bench/gen_oneonones.py, straight into SQLite); one scheduler pass over all
# reminders (trellis remind, alone, then again to show that dedupe makes the second one create
# nothing); one agenda (a meeting read by the report, under wrk) and the cadence health view of
# the whole company as HR. Loopback only, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/..
. bench/lib.sh
use_db o.db
remind_max=${BENCH_REMIND_TIMEOUT:-120} # seconds; a scheduler pass slower than this is stopped
unset TRELLIS_SMTP_URL # no delivery: the pass is measured, not the SMTP server

import_people
t0=$(date +%s.%N)
python3 bench/gen_oneonones.py "$dbfile" >"$dir/gen.log"
t1=$(date +%s.%N)
gen_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
hr=$(user_token ceo@bench.example hr)
# the report of one series in the middle, and their next (scheduled) meeting
read -r member member_email meeting series_id < <(python3 - "$dbfile" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("""SELECT s.member_id, p.email, m.id, s.id FROM oneonone_series s
  JOIN oneonone_meetings m ON m.series_id = s.id AND m.status = 'scheduled'
  JOIN people p ON p.id = s.member_id WHERE s.cadence_weeks = 4
  ORDER BY s.id LIMIT 1 OFFSET 5000""").fetchone())
PY
)
report=$(user_token "$member_email" employee)

remind() { # one pass, alone on the machine: prints status, created, the pass's ms, wall seconds
    local t0 t1 rc=0
    t0=$(date +%s.%N)
    timeout "$remind_max" "$bin" remind --db "$db" --key-file "$key" >"$dir/remind.out" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    local line
    line=$(sed -n 's/^reminders: \([0-9]*\) new in \([0-9]*\) ms$/\1 \2/p' "$dir/remind.out")
    if [ "$rc" = 124 ]; then
        echo "timeout - - $(python3 -c "print(f'{$t1 - $t0:.1f}')")"
    elif [ "$rc" != 0 ] || [ -z "$line" ]; then
        echo "bench: trellis remind failed ($rc): $(head -c 500 "$dir/remind.out")" >&2
        exit 1
    else
        echo "ok $line $(python3 -c "print(f'{$t1 - $t0:.2f}')")"
    fi
}
pass1=$(remind)
read -r p1_status p1_new p1_ms p1_s <<<"$pass1"
p2_new=- p2_ms=- p2_s=-
if [ "$p1_status" = ok ]; then
    pass2=$(remind)
    read -r _ p2_new p2_ms p2_s <<<"$pass2"
fi
read -r notifications emails < <(python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(*c.execute("SELECT (SELECT COUNT(*) FROM notifications), (SELECT COUNT(*) FROM email_outbox)").fetchone())' "$dbfile")

# serve runs the same reminder pass in a background thread as soon as it starts. It was measured
# alone above; after `trellis remind` it finds nothing new (the second pass above), and the run
# waits for it to end so that it does not share the two cores with wrk. A one-day interval keeps
# it from running again during the run.
export TRELLIS_SCHEDULER_INTERVAL=86400
start_server
wait_scheduler

# correctness first: the report reads their next meeting, its agenda and the open action items
agenda="$base/api/v1/one-on-ones/meetings/$meeting"
curl -sf -H "Authorization: Bearer $report" "$agenda" >"$dir/agenda.json" ||
    { echo "bench: GET $agenda as the report failed" >&2; exit 1; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["id"]==int(sys.argv[2]) and d["status"]=="scheduled" and len(d["points"])==2 and len(d["agenda"]["actions"]["open"])==2, d' \
    "$dir/agenda.json" "$meeting"
agenda_bytes=$(wc -c <"$dir/agenda.json")
health="$base/api/v1/one-on-ones/health"
read -r health_status health_bytes health_s < <(curl -s -o "$dir/health.json" \
    -w '%{http_code} %{size_download} %{time_total}\n' -H "Authorization: Bearer $hr" "$health")
[ "$health_status" = 200 ] || { echo "bench: cadence health answered $health_status" >&2; exit 1; }
read -r reports managers < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total"]["reports"], len(d["managers"]))' "$dir/health.json")
[ "$reports" = $((people - 1)) ] || { echo "bench: cadence health counts $reports reports, not $((people - 1))" >&2; exit 1; }

r15=$(run_wrk 4 "$agenda" "$report")
health_ms=$(python3 -c "print(f'{$health_s * 1000:.0f}')")
r16=""
if python3 -c "import sys; sys.exit(0 if $health_ms < 1000 else 1)"; then
    r16=$(run_wrk 2 "$health" "$hr")
fi
check_runs "$r15" ${r16:+"$r16"}
read -r _ health2_s _ < <(one health "$health" "$hr")
health2_ms=$(python3 -c "print(f'{$health2_s * 1000:.0f}')")

load=$(uptime | sed 's/.*load average: //')
printf '\nTrellis one-on-ones benchmark: %s people, wrk -t2 -cN -d%ss, %s cores, %s, load average %s\n' \
    "$people" "$secs" "$(nproc)" "$(date -u +%F)" "$load"
printf 'generated in %ss: %s\n' "$gen_s" "$(cat "$dir/gen.log")"
printf 'agenda of meeting %s (series %s), read by its report, person %s: %s bytes\n' "$meeting" "$series_id" "$member" "$agenda_bytes"
printf 'cadence health: %s managers, %s reports, %s KB; one request %s ms before the load, %s ms after\n' \
    "$managers" "$reports" "$((health_bytes / 1024))" "$health_ms" "$health2_ms"
if [ "$p1_status" = ok ]; then
    printf 'scheduler: first pass %s new in %s ms (command %s s); second pass %s new in %s ms (command %s s); then %s notifications, %s emails queued\n' \
        "$p1_new" "$p1_ms" "$p1_s" "$p2_new" "$p2_ms" "$p2_s" "$notifications" "$emails"
else
    printf 'scheduler: the first pass was stopped after %s s (BENCH_REMIND_TIMEOUT); second pass not run\n' "$p1_s"
fi
row "#" "case" "req/s" "p50 ms" "p99 ms" "target"
row 15 "agenda: a meeting read by its report (c=4)" "$(field "$r15" rps)" "$(field "$r15" p50_ms)" "$(field "$r15" p99_ms)" "p99 < 10 ms $(verdict "$(field "$r15" p99_ms)" '<' 10)"
if [ -n "$r16" ]; then
    row 16 "cadence health, whole company as HR (c=2)" "$(field "$r16" rps)" "$(field "$r16" p50_ms)" "$(field "$r16" p99_ms)" "p99 < 100 ms $(verdict "$(field "$r16" p99_ms)" '<' 100), $((health_bytes / 1024)) KB"
else
    row 16 "cadence health, whole company as HR (one request)" "-" "$health_ms" "-" "< 100 ms $(verdict "$health_ms" '<' 100), $((health_bytes / 1024)) KB"
fi
if [ "$p1_status" = ok ]; then
    row 17 "scheduler pass over all reminders (trellis remind)" "-" "$p1_ms" "-" "${p1_s} s < 2 s $(verdict "$p1_s" '<' 2), ${p1_new} new; again: ${p2_s} s, ${p2_new} new"
else
    row 17 "scheduler pass over all reminders (trellis remind)" "-" "-" "-" "> ${p1_s} s (stopped) < 2 s MISS"
fi
