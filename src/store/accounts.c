/* SPDX-License-Identifier: MIT */
/* See accounts.h. */
#include "store/accounts.h"

enum err store_accounts_get(struct db *db, struct arena *a, int64_t person_id, struct account *out)
{
    static const char sql[] =
        "SELECT person_id, role, password_hash, disabled_at FROM accounts WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, person_id);
    rc = stmt_step(s);
    if (rc == 1) {
        out->person_id = col_i64(s, 0);
        out->role = arena_strdup(a, col_text(s, 1));
        out->password_hash = arena_strdup(a, col_text(s, 2));
        out->disabled_at = col_dup(a, s, 3);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_accounts_count(struct db *db, int64_t *n)
{
    static const char sql[] = "SELECT COUNT(*) FROM accounts";
    struct stmt *s = db_stmt(db, sql);
    int rc = stmt_step(s);

    if (rc == 1)
        *n = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_accounts_upsert(struct db *db, int64_t person_id, const char *role,
                               const char *password_hash, const char *now)
{
    static const char sql[] =
        "INSERT INTO accounts (person_id, role, password_hash, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (person_id) DO UPDATE SET"
        " role = excluded.role, password_hash = excluded.password_hash,"
        " updated_at = excluded.updated_at";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, role);
    stmt_text(s, 3, password_hash);
    stmt_text(s, 4, now);
    return stmt_exec(s);
}

enum err store_accounts_set_password(struct db *db, int64_t person_id, const char *hash,
                                     const char *now)
{
    static const char sql[] =
        "UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, hash);
    stmt_text(s, 3, now);
    return stmt_exec(s);
}

enum err store_sessions_insert(struct db *db, const char *token_hash, int64_t person_id,
                               const char *csrf, int64_t now, const char *ip, const char *ua)
{
    static const char sql[] =
        "INSERT INTO sessions (token_hash, person_id, csrf, created_at, last_seen, ip, user_agent)"
        " VALUES ($1, $2, $3, $4, $4, $5, $6)";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, token_hash);
    stmt_i64(s, 2, person_id);
    stmt_text(s, 3, csrf);
    stmt_i64(s, 4, now);
    stmt_text(s, 5, ip);
    stmt_text(s, 6, ua);
    return stmt_exec(s);
}

enum err store_sessions_get(struct db *db, struct arena *a, const char *token_hash,
                            struct session_row *out)
{
    static const char sql[] = "SELECT s.id, s.person_id, s.csrf, s.created_at, s.last_seen, a.role"
                              " FROM sessions s JOIN accounts a ON a.person_id = s.person_id"
                              " JOIN people p ON p.id = s.person_id"
                              " WHERE s.token_hash = $1 AND p.status = 'active'"
                              " AND a.disabled_at IS NULL";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_text(s, 1, token_hash);
    rc = stmt_step(s);
    if (rc == 1) {
        out->id = col_i64(s, 0);
        out->person_id = col_i64(s, 1);
        out->csrf = arena_strdup(a, col_text(s, 2));
        out->created_at = col_i64(s, 3);
        out->last_seen = col_i64(s, 4);
        out->role = arena_strdup(a, col_text(s, 5));
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_sessions_touch(struct db *db, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE sessions SET last_seen = $2 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, now);
    return stmt_exec(s);
}

enum err store_sessions_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM sessions WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    return stmt_exec(s);
}

enum err store_sessions_delete_person(struct db *db, int64_t person_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    return stmt_exec(s);
}

enum err store_tokens_insert(struct db *db, const char *token_hash, int64_t person_id,
                             const char *name, const char *now, const char *expires_at, int64_t *id)
{
    static const char sql[] = "INSERT INTO api_tokens (token_hash, person_id, name, created_at,"
                              " expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, token_hash);
    stmt_i64(s, 2, person_id);
    stmt_text(s, 3, name);
    stmt_text(s, 4, now);
    stmt_text(s, 5, expires_at);
    return stmt_insert_id(s, id);
}

enum err store_tokens_get(struct db *db, struct arena *a, const char *token_hash, const char *now,
                          struct token_auth *out)
{
    static const char sql[] = "SELECT t.id, t.person_id, a.role, t.last_used_at FROM api_tokens t"
                              " JOIN accounts a ON a.person_id = t.person_id"
                              " JOIN people p ON p.id = t.person_id"
                              " WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
                              " AND (t.expires_at IS NULL OR t.expires_at > $2)"
                              " AND p.status = 'active' AND a.disabled_at IS NULL";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_text(s, 1, token_hash);
    stmt_text(s, 2, now);
    rc = stmt_step(s);
    if (rc == 1) {
        out->id = col_i64(s, 0);
        out->person_id = col_i64(s, 1);
        out->role = arena_strdup(a, col_text(s, 2));
        out->last_used_at = col_dup(a, s, 3);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_tokens_touch(struct db *db, int64_t id, const char *now, const char *stale_before)
{
    static const char sql[] = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
                              " AND (last_used_at IS NULL OR last_used_at < $3)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    stmt_text(s, 3, stale_before);
    return stmt_exec(s);
}

#define TOKEN_COLS "id, name, created_at, expires_at, last_used_at, revoked_at"
#define TOKEN_SPEC "id:i name:s created_at:s expires_at:s last_used_at:s revoked_at:s"

enum err store_tokens_list(struct db *db, int64_t person_id, json_t **out)
{
    static const char sql[] =
        "SELECT " TOKEN_COLS " FROM api_tokens WHERE person_id = $1 ORDER BY id DESC";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    return store_json_rows(s, TOKEN_SPEC, out);
}

enum err store_tokens_get_of(struct db *db, int64_t person_id, int64_t id, json_t **out)
{
    static const char sql[] =
        "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = $1 AND person_id = $2";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, person_id);
    return store_json_row(s, TOKEN_SPEC, out);
}

enum err store_tokens_revoke(struct db *db, int64_t id, const char *now)
{
    static const char sql[] =
        "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_tokens_count_live(struct db *db, int64_t person_id, int64_t *n)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM api_tokens WHERE person_id = $1 AND revoked_at IS NULL";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, person_id);
    rc = stmt_step(s);
    if (rc == 1)
        *n = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_tokens_revoke_person(struct db *db, int64_t person_id, const char *now)
{
    static const char sql[] = "UPDATE api_tokens SET revoked_at = $2"
                              " WHERE person_id = $1 AND revoked_at IS NULL";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_attempts_get(struct db *db, const char *key, int64_t *window_start,
                            int64_t *failures)
{
    static const char sql[] = "SELECT window_start, failures FROM login_attempts WHERE key = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    *window_start = 0;
    *failures = 0;
    stmt_text(s, 1, key);
    rc = stmt_step(s);
    if (rc == 1) {
        *window_start = col_i64(s, 0);
        *failures = col_i64(s, 1);
    }
    stmt_reset(s);
    return rc < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_attempts_put(struct db *db, const char *key, int64_t window_start, int64_t failures)
{
    static const char sql[] = "INSERT INTO login_attempts (key, window_start, failures)"
                              " VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET"
                              " window_start = excluded.window_start,"
                              " failures = excluded.failures";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, key);
    stmt_i64(s, 2, window_start);
    stmt_i64(s, 3, failures);
    return stmt_exec(s);
}

enum err store_attempts_clear(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM login_attempts WHERE key = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, key);
    return stmt_exec(s);
}
