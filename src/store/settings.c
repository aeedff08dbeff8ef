/* SPDX-License-Identifier: MIT */
/* See settings.h. */
#include "store/settings.h"

#include "util/arena.h"

const char *store_setting_get(struct db *db, struct arena *a, const char *key)
{
    struct stmt *s = db_stmt(db, "SELECT value FROM settings WHERE key = $1");
    const char *v = NULL;

    stmt_text(s, 1, key);
    if (stmt_step(s) == 1)
        v = arena_strdup(a, col_text(s, 0));
    stmt_reset(s);
    return v;
}

enum err store_setting_read(struct db *db, struct arena *a, const char *key, const char **out)
{
    struct stmt *s = db_stmt(db, "SELECT value FROM settings WHERE key = $1");
    int rc;

    stmt_text(s, 1, key);
    rc = stmt_step(s);
    *out = rc == 1 ? arena_strdup(a, col_text(s, 0)) : NULL;
    stmt_reset(s);
    return rc < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_setting_put(struct db *db, const char *key, const char *value, int64_t by,
                           const char *now)
{
    struct stmt *s = db_stmt(db, "INSERT INTO settings (key, value, updated_by, updated_at)"
                                 " VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET"
                                 " value = excluded.value, updated_by = excluded.updated_by,"
                                 " updated_at = excluded.updated_at");

    stmt_text(s, 1, key);
    stmt_text(s, 2, value);
    if (by)
        stmt_i64(s, 3, by);
    else
        stmt_null(s, 3);
    stmt_text(s, 4, now);
    return stmt_exec(s);
}

enum err store_setting_delete(struct db *db, const char *key)
{
    struct stmt *s = db_stmt(db, "DELETE FROM settings WHERE key = $1");

    stmt_text(s, 1, key);
    return stmt_exec(s);
}

const char *store_setting_head(struct db *db, struct arena *a, const char *key, int n)
{
    struct stmt *s = db_stmt(db, "SELECT substr(value, 1, $2) FROM settings WHERE key = $1");
    const char *v = NULL;

    stmt_text(s, 1, key);
    stmt_i64(s, 2, n);
    if (stmt_step(s) == 1)
        v = arena_strdup(a, col_text(s, 0));
    stmt_reset(s);
    return v;
}
