/* SPDX-License-Identifier: MIT */
/* See scim.h. */
#include "store/scim.h"

#include <string.h>

enum err store_scim_tokens_insert(struct db *db, const char *token_hash, const char *name,
                                  int64_t created_by, const char *now, int64_t *id)
{
    static const char sql[] = "INSERT INTO scim_tokens (token_hash, name, created_by, created_at)"
                              " VALUES ($1, $2, $3, $4) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, token_hash);
    stmt_text(s, 2, name);
    stmt_id(s, 3, created_by);
    stmt_text(s, 4, now);
    return stmt_insert_id(s, id);
}

enum err store_scim_tokens_get(struct db *db, struct arena *a, const char *token_hash, int64_t *id,
                               const char **last_used_at)
{
    static const char sql[] = "SELECT id, last_used_at FROM scim_tokens"
                              " WHERE token_hash = $1 AND revoked_at IS NULL";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_text(s, 1, token_hash);
    rc = stmt_step(s);
    if (rc == 1) {
        *id = col_i64(s, 0);
        *last_used_at = col_dup(a, s, 1);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_scim_tokens_touch(struct db *db, int64_t id, const char *now,
                                 const char *stale_before)
{
    static const char sql[] = "UPDATE scim_tokens SET last_used_at = $2 WHERE id = $1"
                              " AND (last_used_at IS NULL OR last_used_at < $3)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    stmt_text(s, 3, stale_before);
    return stmt_exec(s);
}

#define SCIM_TOKEN_COLS                                                                            \
    "t.id, t.name, t.created_at, p.name, t.last_used_at, t.revoked_at FROM scim_tokens t"          \
    " LEFT JOIN people p ON p.id = t.created_by"
#define SCIM_TOKEN_SPEC "id:i name:s created_at:s created_by:s last_used_at:s revoked_at:s"

enum err store_scim_tokens_list(struct db *db, json_t **out)
{
    static const char sql[] = "SELECT " SCIM_TOKEN_COLS " ORDER BY t.id DESC";

    return store_json_rows(db_stmt(db, sql), SCIM_TOKEN_SPEC, out);
}

enum err store_scim_tokens_get_one(struct db *db, int64_t id, json_t **out)
{
    static const char sql[] = "SELECT " SCIM_TOKEN_COLS " WHERE t.id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    return store_json_row(s, SCIM_TOKEN_SPEC, out);
}

enum err store_scim_tokens_revoke(struct db *db, int64_t id, const char *now)
{
    static const char sql[] =
        "UPDATE scim_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_scim_user_get(struct db *db, struct arena *a, int64_t person_id,
                             struct scim_user_row *out)
{
    static const char sql[] =
        "SELECT p.id, u.user_name, u.external_id, u.given_name, u.family_name, u.manager_ref,"
        " p.created_at, p.updated_at, u.updated_at FROM people p"
        " LEFT JOIN scim_users u ON u.person_id = p.id WHERE p.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    memset(out, 0, sizeof(*out));
    stmt_i64(s, 1, person_id);
    rc = stmt_step(s);
    if (rc == 1) {
        out->person_id = col_i64(s, 0);
        out->user_name = col_dup(a, s, 1);
        out->external_id = col_dup(a, s, 2);
        out->given_name = col_dup(a, s, 3);
        out->family_name = col_dup(a, s, 4);
        out->manager_ref = col_dup(a, s, 5);
        out->created_at = col_dup(a, s, 6);
        out->updated_at = col_dup(a, s, 7);
        /* the later of the two rows' times is the resource's last change */
        if (!col_null(s, 8) && out->updated_at && strcmp(col_text(s, 8), out->updated_at) > 0)
            out->updated_at = col_dup(a, s, 8);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_scim_user_put(struct db *db, const struct scim_user_row *r, const char *now)
{
    static const char sql[] =
        "INSERT INTO scim_users (person_id, user_name, external_id, given_name, family_name,"
        " manager_ref, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (person_id) DO UPDATE SET user_name = excluded.user_name,"
        " external_id = excluded.external_id, given_name = excluded.given_name,"
        " family_name = excluded.family_name, manager_ref = excluded.manager_ref,"
        " updated_at = excluded.updated_at";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, r->person_id);
    stmt_text(s, 2, r->user_name);
    stmt_text(s, 3, r->external_id);
    stmt_text(s, 4, r->given_name);
    stmt_text(s, 5, r->family_name);
    stmt_text(s, 6, r->manager_ref);
    stmt_text(s, 7, now);
    return stmt_exec(s);
}

enum err store_scim_user_delete(struct db *db, int64_t person_id)
{
    static const char sql[] = "DELETE FROM scim_users WHERE person_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, person_id);
    return stmt_exec(s);
}

static enum err find_one(struct stmt *s, const char *v, int64_t *id)
{
    int rc;

    *id = 0;
    stmt_text(s, 1, v);
    rc = stmt_step(s);
    if (rc == 1)
        *id = col_i64(s, 0);
    stmt_reset(s);
    return rc < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_scim_find_user_name(struct db *db, const char *user_name, int64_t *person_id)
{
    static const char by_user[] = "SELECT person_id FROM scim_users WHERE user_name = $1";
    static const char by_email[] = "SELECT id FROM people WHERE email = $1";
    enum err rc = find_one(db_stmt(db, by_user), user_name, person_id);

    if (rc == ERR_OK && !*person_id)
        rc = find_one(db_stmt(db, by_email), user_name, person_id);
    return rc;
}

enum err store_scim_find_external_id(struct db *db, const char *external_id, int64_t *person_id)
{
    static const char sql[] =
        "SELECT person_id FROM scim_users WHERE external_id = $1 ORDER BY person_id LIMIT 1";

    return find_one(db_stmt(db, sql), external_id, person_id);
}

static enum err ids_of(struct stmt *s, struct arena *a, int max, int64_t **ids, size_t *n)
{
    int rc;

    *ids = arena_alloc(a, sizeof(**ids) * (size_t)(max > 0 ? max : 1));
    *n = 0;
    while ((rc = stmt_step(s)) == 1 && *n < (size_t)max)
        (*ids)[(*n)++] = col_i64(s, 0);
    stmt_reset(s);
    return rc < 0 ? ERR_INTERNAL : ERR_OK;
}

static enum err count_of(struct stmt *s, int64_t *total)
{
    int rc = stmt_step(s);

    if (rc == 1)
        *total = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_scim_people_page(struct db *db, struct arena *a, int64_t offset, int count,
                                int64_t **ids, size_t *n, int64_t *total)
{
    static const char page[] = "SELECT id FROM people WHERE status <> 'terminated'"
                               " ORDER BY id LIMIT $1 OFFSET $2";
    static const char all[] = "SELECT COUNT(*) FROM people WHERE status <> 'terminated'";
    struct stmt *s = db_stmt(db, all);
    enum err rc = count_of(s, total);

    *n = 0;
    if (rc || count <= 0)
        return rc;
    s = db_stmt(db, page);
    stmt_i64(s, 1, count);
    stmt_i64(s, 2, offset);
    return ids_of(s, a, count, ids, n);
}

enum err store_scim_pending(struct db *db, struct arena *a, const char *ref, int64_t **ids,
                            size_t *n)
{
    static const char sql[] =
        "SELECT person_id FROM scim_users WHERE manager_ref = $1 ORDER BY person_id LIMIT 200";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, ref);
    return ids_of(s, a, 200, ids, n);
}

enum err store_scim_department_members(struct db *db, int64_t department_id, json_t **out)
{
    static const char sql[] = "SELECT CAST(id AS TEXT), name FROM people"
                              " WHERE department_id = $1 AND status = 'active' ORDER BY id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, department_id);
    return store_json_rows(s, "value:s display:s", out);
}

enum err store_scim_departments_page(struct db *db, struct arena *a, int64_t offset, int count,
                                     int64_t **ids, const char ***names, size_t *n, int64_t *total)
{
    static const char page[] = "SELECT id, name FROM departments ORDER BY id LIMIT $1 OFFSET $2";
    static const char all[] = "SELECT COUNT(*) FROM departments";
    struct stmt *s = db_stmt(db, all);
    enum err rc = count_of(s, total);
    int step;

    *n = 0;
    if (rc || count <= 0)
        return rc;
    *ids = arena_alloc(a, sizeof(**ids) * (size_t)count);
    *names = arena_alloc(a, sizeof(**names) * (size_t)count);
    s = db_stmt(db, page);
    stmt_i64(s, 1, count);
    stmt_i64(s, 2, offset);
    while ((step = stmt_step(s)) == 1 && *n < (size_t)count) {
        (*ids)[*n] = col_i64(s, 0);
        (*names)[*n] = col_dup(a, s, 1);
        (*n)++;
    }
    stmt_reset(s);
    return step < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_scim_department_by_name(struct db *db, const char *name, int64_t *id)
{
    static const char sql[] = "SELECT id FROM departments WHERE name = $1";

    return find_one(db_stmt(db, sql), name, id);
}

enum err store_scim_department_rename(struct db *db, int64_t id, const char *name)
{
    static const char sql[] = "UPDATE departments SET name = $2 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, name);
    return stmt_exec(s);
}
