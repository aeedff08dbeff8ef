#!/usr/bin/env bash
# Writes tests/fixtures/migration-states/: every set of migrations an earlier build of main shipped
# (each first-parent commit that changed migrations/), so the upgrade test can build a database as
# that build left it and upgrade it. Each file version is stored once, named by its git blob id;
# manifest.tsv lists "commit<TAB>file<TAB>blob" per state. Run after a migration lands on main.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/migration-states
rm -rf "$out/blobs" # only the versions the states use
mkdir -p "$out/blobs"
: >"$out/manifest.tsv"
# Commits that never landed (CI failed, or fixed before the round landed) left no database in
# their state: 56fcee2 had migration 0037 without reports_count, which 129295f added to the same
# file before anything landed; e000b2a had 0049 whose PostgreSQL triggers refreshed a person for
# every hire entry, and 09fff3b 0049 with its SQLite backfill written out a third time, both
# fixed in the same file before anything landed; db0e303 had 0057 repeat 0037's trigger functions
# with a bulk check inside, replaced before it landed by a WHEN clause on the triggers.
never_landed=" db0e303658314c67e5db14de96517a3a0088948c 56fcee2a322fb252baa5698edf368e08ea278f46 129295f35c3d1e25c040135567466b3c1f2fa81b e000b2a2b45dec3dcbeccbc07a697a0ca0efb692 09fff3b71ecb0adc3145e6eb82980e734561e732 "
for c in $(git log --first-parent --reverse --format=%h -- migrations); do
    [[ "$never_landed" != *" $(git rev-parse "$c") "* ]] || continue
    git ls-tree "$c" migrations/ | while read -r _ _ blob path; do
        [[ "$path" == *.sql ]] || continue
        printf '%s\t%s\t%s\n' "$c" "${path#migrations/}" "$blob" >>"$out/manifest.tsv"
        [ -f "$out/blobs/$blob.sql" ] || git cat-file blob "$blob" >"$out/blobs/$blob.sql"
    done
done
echo "$(cut -f1 "$out/manifest.tsv" | sort -u | wc -l) states, $(find "$out/blobs" -name "*.sql" | wc -l) file versions"
