#!/usr/bin/env bash
# Runs every test suite and ends with one line "N passed, N failed":
#   unit  C unit tests (cmocka), built with ASan+UBSan
#   api   HTTP tests against the ASan+UBSan server, on SQLite and on a private PostgreSQL, and
#         the plan test of every statement the SQLite run prepared (tests/plans), and the
#         contract test of every exchange it made against the OpenAPI document (tests/contract)
#   e2e   Chromium tests of the web UI against the release server
# TRELLIS_SUITES limits the run (e.g. "unit api").
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
suites=${TRELLIS_SUITES:-unit api e2e}
passed=0
failed=0
log_dir=$(mktemp -d)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Adds the counts of a node --test run (TAP reporter) from its log.
count_node() {
    local log=$1 p f
    p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
    f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
    if [ -z "$p" ]; then
        echo "  (no test summary: the runner itself failed)"
        failed=$((failed + 1))
        return
    fi
    passed=$((passed + p))
    failed=$((failed + ${f:-0}))
}

run_node() { # name, VAR=value..., test directory
    local name=$1
    shift
    echo "== $name"
    local dir=${*: -1}
    env "${@:1:$#-1}" node --test --test-reporter=tap --test-concurrency=2 "$dir" >"$log_dir/$name.log" 2>&1
    local rc=$?
    grep -E '^not ok|^# (pass|fail|skip)' "$log_dir/$name.log" | sed 's/^/  /'
    if [ $rc -ne 0 ]; then
        grep -B2 -A30 '^not ok' "$log_dir/$name.log" | head -120 | sed 's/^/    /'
    fi
    count_node "$log_dir/$name.log"
}

if [[ " $suites " == *" unit "* ]]; then
    echo "== unit"
    for t in $(find build/unit -type f -perm -u+x 2>/dev/null | sort); do
        out=$("$t" 2>&1)
        rc=$?
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0}))
        if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); fi
        printf '  %-40s %s passed, %s failed\n' "${t#build/unit/}" "${p:-0}" "${f:-0}"
        [ $rc -eq 0 ] || printf '%s\n' "$out" | grep -v '^\[ \(RUN\|  OK\) ' | head -40 | sed 's/^/    /'
    done
fi

if [[ " $suites " == *" api "* ]]; then
    # every statement the server prepares during the API suite goes to the plan log, and the
    # plan test then plans each one on an analyzed database of realistic shape
    # and every exchange goes to the contract log, which tests/contract checks against the
    # OpenAPI document
    run_node api-sqlite TRELLIS_BIN=build/trellis-san TRELLIS_PLAN_LOG="$log_dir/plans.sql" \
        TRELLIS_CONTRACT_LOG="$log_dir/contract.ndjson" tests/api/
    run_node plans TRELLIS_BIN=build/trellis-san TRELLIS_PLAN_LOG_IN="$log_dir/plans.sql" tests/plans/
    run_node contract TRELLIS_BIN=build/trellis-san TRELLIS_CONTRACT_LOG_IN="$log_dir/contract.ndjson" \
        tests/contract/
    if pg_url=$(scripts/pg.sh start); then
        run_node api-postgres TRELLIS_BIN=build/trellis-san TRELLIS_TEST_PG="$pg_url" tests/api/
        scripts/pg.sh stop >/dev/null 2>&1
    else
        echo "  could not start PostgreSQL"
        failed=$((failed + 1))
    fi
fi

if [[ " $suites " == *" e2e "* ]]; then
    if compgen -G 'tests/e2e/*.test.js' >/dev/null; then
        run_node e2e TRELLIS_BIN=build/trellis tests/e2e/
    else
        echo "== e2e: no browser tests yet"
    fi
fi

rm -rf "$log_dir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
