/* SPDX-License-Identifier: MIT */
/* See audit.h. */
#include "store/audit.h"

#include <string.h>

enum err store_audit_insert(struct db *db, const struct audit_row *r)
{
    static const char sql[] = "INSERT INTO audit (at, actor_id, action, entity, entity_id,"
                              " before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, r->at);
    if (r->actor_id)
        stmt_i64(s, 2, r->actor_id);
    else
        stmt_null(s, 2);
    stmt_text(s, 3, r->action);
    stmt_text(s, 4, r->entity);
    if (r->entity_id)
        stmt_i64(s, 5, r->entity_id);
    else
        stmt_null(s, 5);
    stmt_text(s, 6, r->before_json);
    stmt_text(s, 7, r->after_json);
    return stmt_exec(s);
}

enum err store_audit_list(struct db *db, struct arena *a, const struct audit_query *q,
                          struct audit_row **items, size_t *n)
{
    return store_audit_list_where(db, a, q, NULL, items, n);
}

enum err store_audit_list_where(struct db *db, struct arena *a, const struct audit_query *q,
                                const struct audit_filter *f, struct audit_row **items, size_t *n)
{
    /* one statement per index: "$1 = '' OR" in one statement plans a walk of the whole log */
#define AUDIT_SELECT                                                                               \
    "SELECT x.id, x.at, x.actor_id, p.name, x.action, x.entity, x.entity_id,"                      \
    " x.before_json, x.after_json FROM audit x LEFT JOIN people p ON p.id = x.actor_id"
#define AUDIT_FILTERS                                                                              \
    " AND ($6 = '' OR x.action LIKE $6) AND ($7 = '' OR x.at >= $7) AND ($8 = '' OR x.at <= $8)"
#define AUDIT_REST                                                                                 \
    " AND ($3 = 0 OR x.actor_id = $3) AND ($4 = 0 OR x.id < $4)" AUDIT_FILTERS                     \
    " ORDER BY x.id DESC LIMIT $5"
    static const char sql_entity[] =
        AUDIT_SELECT " WHERE x.entity = $1 AND x.entity_id = $2" AUDIT_REST;
    static const char sql_kind[] =
        AUDIT_SELECT " WHERE x.entity = $1 AND ($2 = 0 OR x.entity_id = $2)" AUDIT_REST;
    static const char sql_actor[] =
        AUDIT_SELECT " WHERE x.actor_id = $3 AND ($1 = '' OR"
                     " x.entity = $1) AND ($2 = 0 OR x.entity_id = $2)"
                     " AND ($4 = 0 OR x.id < $4)" AUDIT_FILTERS " ORDER BY x.id DESC LIMIT $5";
    static const char sql_all[] = AUDIT_SELECT " WHERE ($1 = '' OR x.entity = $1) AND ($2 = 0 OR"
                                               " x.entity_id = $2)" AUDIT_REST;
#undef AUDIT_SELECT
#undef AUDIT_FILTERS
#undef AUDIT_REST
    bool entity = q->entity && *q->entity;
    struct stmt *s = db_stmt(db, entity && q->entity_id ? sql_entity
                                 : q->actor_id          ? sql_actor
                                 : entity               ? sql_kind
                                                        : sql_all);
    size_t cap = 16, len = 0;
    struct audit_row *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_text(s, 1, q->entity ? q->entity : "");
    stmt_i64(s, 2, q->entity_id);
    stmt_i64(s, 3, q->actor_id);
    stmt_i64(s, 4, q->before_id);
    stmt_i64(s, 5, q->limit);
    stmt_text(s, 6, f && f->action_like ? f->action_like : "");
    stmt_text(s, 7, f && f->from ? f->from : "");
    stmt_text(s, 8, f && f->to ? f->to : "");
    while ((rc = stmt_step(s)) == 1) {
        struct audit_row *r;

        if (len == cap) {
            struct audit_row *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        r = &v[len++];
        r->id = col_i64(s, 0);
        r->at = arena_strdup(a, col_text(s, 1));
        r->actor_id = col_null(s, 2) ? 0 : col_i64(s, 2);
        r->actor_name = arena_strdup(a, col_text(s, 3));
        r->action = arena_strdup(a, col_text(s, 4));
        r->entity = arena_strdup(a, col_text(s, 5));
        r->entity_id = col_null(s, 6) ? 0 : col_i64(s, 6);
        r->before_json = arena_strdup(a, col_text(s, 7));
        r->after_json = arena_strdup(a, col_text(s, 8));
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}
