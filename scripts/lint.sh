#!/usr/bin/env bash
# make lint: clang-format, clang-tidy, shellcheck and the rules no formatter knows (STYLE.md I):
# banned calls, and the layering of DESIGN.md as greps.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "lint: $*"; status=1; }

src=$(ls src/*.c src/*/*.c src/*/*.h tools/*.c)
for f in $src $(ls tests/unit/*/*.c fuzz/*.c 2>/dev/null); do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || fail "$f is not clang-format clean"
done
# banned calls (curl's checksrc idea)
grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|strtok|gmtime|localtime|gets)\s*\(' $src &&
    fail "banned call (use snprintf, strtol, gmtime_r…)"
grep -nE '\b(malloc|calloc|realloc|strdup)\s*\(' $(ls src/*/*.c | grep -v '^src/util/') |
    grep -vE 'x(malloc|calloc|realloc|strdup)' && fail "raw allocation outside util/ (use xmalloc…)"
# layering
grep -nE '\bsqlite3_|\bPQ[a-z]' $(ls src/*/*.c | grep -v '^src/store/') && fail "database calls outside store/"
grep -nE '\bMHD_' $(ls src/*/*.c | grep -v '^src/http/') && fail "libmicrohttpd outside http/"
grep -nE '#include "(api|http)/' src/domain/*.c src/store/*.c src/policy/*.c && fail "a lower layer includes a higher one"
grep -nE '(TODO|FIXME)' $src | grep -vE 'TODO\(#[0-9]+\)' && fail "TODO without an issue number"
grep -n '//' $src | grep -vE '"[^"]*//[^"]*"|https?://' && fail "// comment (use /* */)"
shellcheck scripts/*.sh tests/run.sh .ci/run bench/*.sh 2>/dev/null || fail "shellcheck"
if command -v clang-tidy >/dev/null; then
    clang-tidy --quiet $(ls src/*.c src/*/*.c) -- -std=c17 -D_GNU_SOURCE -Isrc \
        -I"$(pg_config --includedir)" 2>/dev/null | grep -E 'warning:|error:' && fail "clang-tidy"
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
