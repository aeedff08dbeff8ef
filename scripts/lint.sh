#!/usr/bin/env bash
# make lint: clang-format, clang-tidy, shellcheck and the rules no formatter knows: banned
# calls, and the layering (http -> api -> domain -> policy and store) as greps.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
shopt -s nullglob
status=0
fail() {
    echo "lint: $*"
    status=1
}

src=(src/*.c src/*/*.c src/*/*.h tools/*.c)
below_util=() not_store=() not_http=()
for f in src/*/*.c; do
    [[ $f == src/util/* ]] || below_util+=("$f")
    [[ $f == src/store/* ]] || not_store+=("$f")
    [[ $f == src/http/* ]] || not_http+=("$f")
done

for f in "${src[@]}" tests/unit/*/*.c fuzz/*.c; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || fail "$f is not clang-format clean"
done
grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|gmtime|localtime|gets)\s*\(' "${src[@]}" &&
    fail "banned call (use snprintf, strtol, gmtime_r...)"
grep -nE '(^|[^x])\b(malloc|calloc|realloc|strdup)\s*\(' "${below_util[@]}" &&
    fail "raw allocation outside util/ (use xmalloc...)"
grep -nE '\bsqlite3_|\bPQ[a-z]' "${not_store[@]}" && fail "database calls outside store/"
grep -nE '\bMHD_' "${not_http[@]}" && fail "libmicrohttpd outside http/"
grep -nE '#include "(api|http|cli)/' src/domain/*.c src/store/*.c src/policy/*.c src/util/*.c &&
    fail "a lower layer includes a higher one"
grep -nE '(TODO|FIXME)' "${src[@]}" | grep -vE 'TODO\(#[0-9]+\)' && fail "TODO without an issue number"
shellcheck scripts/*.sh tests/run.sh .ci/run bench/*.sh || fail "shellcheck"
if command -v clang-tidy >/dev/null; then
    read -r -a gmime <<<"$(pkg-config --cflags gmime-3.0)"
    out=$(clang-tidy --quiet src/*.c src/*/*.c -- -std=c17 -D_GNU_SOURCE -Isrc \
        -I"$(pg_config --includedir)" "${gmime[@]}" 2>/dev/null | grep -E 'warning:|error:')
    [ -z "$out" ] || { echo "$out"; fail "clang-tidy"; }
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
