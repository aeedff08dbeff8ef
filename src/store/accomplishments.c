/* SPDX-License-Identifier: MIT */
/* See accomplishments.h. */
#include "store/accomplishments.h"

#include <string.h>

#define ACC_COLS                                                                                   \
    "id, person_id, happened_on, title, impact, challenges, links, tags, skills,"                  \
    " shared_with_manager, created_at, updated_at"

static const char *dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

static enum err load_goals(struct db *db, struct accomplishment *x)
{
    static const char sql[] =
        "SELECT goal_id FROM accomplishment_goals WHERE accomplishment_id = $1 ORDER BY goal_id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    x->ngoals = 0;
    stmt_i64(s, 1, x->id);
    while ((rc = stmt_step(s)) == 1)
        if (x->ngoals < ACCOMPLISHMENT_MAX_GOALS)
            x->goal_ids[x->ngoals++] = col_i64(s, 0);
    stmt_reset(s);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

static void read_acc(struct stmt *s, struct arena *a, struct accomplishment *x)
{
    memset(x, 0, sizeof(*x));
    x->id = col_i64(s, 0);
    x->person_id = col_i64(s, 1);
    x->happened_on = dup(a, s, 2);
    x->title = dup(a, s, 3);
    x->impact = dup(a, s, 4);
    x->challenges = dup(a, s, 5);
    x->links = dup(a, s, 6);
    x->tags = dup(a, s, 7);
    x->skills = dup(a, s, 8);
    x->shared = col_i64(s, 9) != 0;
    x->created_at = dup(a, s, 10);
    x->updated_at = dup(a, s, 11);
}

enum err store_accomplishments_get(struct db *db, struct arena *a, int64_t id,
                                   struct accomplishment *out)
{
    static const char sql[] = "SELECT " ACC_COLS " FROM accomplishments WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_acc(s, a, out);
    stmt_reset(s);
    if (rc != 1)
        return rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    return load_goals(db, out);
}

enum err store_accomplishments_get_for_update(struct db *db, struct arena *a, int64_t id,
                                              struct accomplishment *out)
{
    static const char sql[] = "SELECT " ACC_COLS " FROM accomplishments WHERE id = $1 FOR UPDATE";
    struct stmt *s;
    int rc;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_accomplishments_get(db, a, id, out);
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_acc(s, a, out);
    stmt_reset(s);
    if (rc != 1)
        return rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    return load_goals(db, out);
}

enum err store_accomplishments_list(struct db *db, struct arena *a,
                                    const struct accomplishment_query *q,
                                    struct accomplishment **items, size_t *n)
{
    static const char sql[] =
        "SELECT " ACC_COLS " FROM accomplishments WHERE person_id = $1"
        " AND ($2 = 0 OR shared_with_manager = 1) AND ($3 = '' OR happened_on >= $3)"
        " AND ($4 = '' OR happened_on <= $4) AND ($5 = '' OR tags LIKE $5)"
        " AND ($6 = '' OR happened_on < $6 OR (happened_on = $6 AND id < $7))"
        " ORDER BY happened_on DESC, id DESC LIMIT $8";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 16, len = 0;
    struct accomplishment *v = arena_alloc(a, cap * sizeof(*v));
    char *like = q->tag ? arena_printf(a, "%%%s%%", q->tag) : NULL;
    int rc;

    stmt_i64(s, 1, q->person_id);
    stmt_i64(s, 2, q->shared_only ? 1 : 0);
    stmt_text(s, 3, q->from ? q->from : "");
    stmt_text(s, 4, q->to ? q->to : "");
    stmt_text(s, 5, like ? like : "");
    stmt_text(s, 6, q->before_date ? q->before_date : "");
    stmt_i64(s, 7, q->before_id);
    stmt_i64(s, 8, q->limit);
    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct accomplishment *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_acc(s, a, &v[len++]);
    }
    stmt_reset(s);
    if (rc != 0)
        return ERR_INTERNAL;
    for (size_t i = 0; i < len; i++)
        if (load_goals(db, &v[i]))
            return ERR_INTERNAL;
    *items = v;
    *n = len;
    return ERR_OK;
}

static enum err save_goals(struct db *db, const struct accomplishment *x)
{
    static const char sql_del[] = "DELETE FROM accomplishment_goals WHERE accomplishment_id = $1";
    static const char sql_ins[] =
        "INSERT INTO accomplishment_goals (accomplishment_id, goal_id) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING";
    struct stmt *s = db_stmt(db, sql_del);
    enum err rc;

    stmt_i64(s, 1, x->id);
    rc = stmt_exec(s);
    for (size_t i = 0; rc == ERR_OK && i < x->ngoals; i++) {
        s = db_stmt(db, sql_ins);
        stmt_i64(s, 1, x->id);
        stmt_i64(s, 2, x->goal_ids[i]);
        rc = stmt_exec(s);
    }
    return rc;
}

/* $1..$9 shared by insert and update. */
static void bind_acc(struct stmt *s, const struct accomplishment *x)
{
    stmt_text(s, 1, x->happened_on);
    stmt_text(s, 2, x->title);
    stmt_text(s, 3, x->impact);
    stmt_text(s, 4, x->challenges);
    stmt_text(s, 5, x->links);
    stmt_text(s, 6, x->tags);
    stmt_text(s, 7, x->skills);
    stmt_i64(s, 8, x->shared ? 1 : 0);
    stmt_text(s, 9, x->updated_at);
}

enum err store_accomplishments_insert(struct db *db, struct accomplishment *x)
{
    static const char sql[] =
        "INSERT INTO accomplishments (happened_on, title, impact, challenges, links, tags, skills,"
        " shared_with_manager, updated_at, created_at, person_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    bind_acc(s, x);
    stmt_i64(s, 10, x->person_id);
    rc = stmt_step(s);
    if (rc == 1)
        x->id = col_i64(s, 0);
    stmt_reset(s);
    if (rc != 1)
        return ERR_INTERNAL;
    return save_goals(db, x);
}

enum err store_accomplishments_update(struct db *db, const struct accomplishment *x)
{
    static const char sql[] =
        "UPDATE accomplishments SET happened_on = $1, title = $2, impact = $3, challenges = $4,"
        " links = $5, tags = $6, skills = $7, shared_with_manager = $8, updated_at = $9"
        " WHERE id = $10";
    struct stmt *s = db_stmt(db, sql);
    enum err rc;

    bind_acc(s, x);
    stmt_i64(s, 10, x->id);
    rc = stmt_exec(s);
    return rc ? rc : save_goals(db, x);
}

enum err store_accomplishments_delete(struct db *db, int64_t id)
{
    static const char sql_links[] = "DELETE FROM accomplishment_goals WHERE accomplishment_id = $1";
    static const char sql[] = "DELETE FROM accomplishments WHERE id = $1";
    struct stmt *s = db_stmt(db, sql_links);
    enum err rc;

    stmt_i64(s, 1, id);
    rc = stmt_exec(s);
    if (rc)
        return rc;
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    return stmt_exec(s);
}
