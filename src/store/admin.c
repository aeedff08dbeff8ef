/* SPDX-License-Identifier: MIT */
/* See admin.h. */
#include "store/admin.h"

enum err store_admin_account_insert(struct db *db, int64_t person_id, const char *role,
                                    const char *now)
{
    static const char sql[] = "INSERT INTO accounts (person_id, role, password_hash, created_at,"
                              " updated_at) VALUES ($1, $2, NULL, $3, $3)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, role);
    stmt_text(s, 3, now);
    return stmt_exec(s);
}

enum err store_admin_set_role(struct db *db, int64_t person_id, const char *role, const char *now)
{
    static const char sql[] = "UPDATE accounts SET role = $2, updated_at = $3 WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, role);
    stmt_text(s, 3, now);
    return stmt_exec(s);
}

enum err store_admin_set_disabled(struct db *db, int64_t person_id, const char *disabled_at,
                                  const char *now)
{
    static const char sql[] =
        "UPDATE accounts SET disabled_at = $2, updated_at = $3 WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, disabled_at);
    stmt_text(s, 3, now);
    return stmt_exec(s);
}

enum err store_admin_sessions(struct db *db, int64_t person_id, json_t **out)
{
    static const char sql[] = "SELECT id, created_at, last_seen, ip, user_agent FROM sessions"
                              " WHERE person_id = $1 ORDER BY id DESC";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    return store_json_rows(s, "id:i created_at:i last_seen:i ip:s user_agent:s", out);
}

enum err store_admin_session_delete(struct db *db, int64_t person_id, int64_t id)
{
    static const char sql[] = "DELETE FROM sessions WHERE id = $1 AND person_id = $2 RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, person_id);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_invitations_insert(struct db *db, int64_t person_id, const char *token_hash,
                                  const char *now, const char *expires_at, int64_t created_by,
                                  int64_t *id)
{
    static const char sql[] = "INSERT INTO invitations (person_id, token_hash, created_at,"
                              " expires_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, token_hash);
    stmt_text(s, 3, now);
    stmt_text(s, 4, expires_at);
    stmt_id(s, 5, created_by);
    return stmt_insert_id(s, id);
}

enum err store_invitations_void(struct db *db, int64_t person_id, const char *now)
{
    static const char sql[] = "UPDATE invitations SET expires_at = $2 WHERE person_id = $1"
                              " AND used_at IS NULL AND expires_at > $2";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

static enum err invitation_row(struct stmt *s, struct arena *a, struct invitation *out)
{
    int rc = stmt_step(s);

    if (rc == 1) {
        out->id = col_i64(s, 0);
        out->person_id = col_i64(s, 1);
        out->created_at = col_dup(a, s, 2);
        out->expires_at = col_dup(a, s, 3);
        out->used_at = col_dup(a, s, 4);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_invitations_by_hash(struct db *db, struct arena *a, const char *token_hash,
                                   struct invitation *out)
{
    static const char sql[] = "SELECT id, person_id, created_at, expires_at, used_at"
                              " FROM invitations WHERE token_hash = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, token_hash);
    return invitation_row(s, a, out);
}

enum err store_invitations_latest(struct db *db, struct arena *a, int64_t person_id,
                                  struct invitation *out)
{
    static const char sql[] = "SELECT id, person_id, created_at, expires_at, used_at"
                              " FROM invitations WHERE person_id = $1 ORDER BY id DESC LIMIT 1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    return invitation_row(s, a, out);
}

enum err store_invitations_use(struct db *db, int64_t id, const char *now)
{
    static const char sql[] =
        "UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}
