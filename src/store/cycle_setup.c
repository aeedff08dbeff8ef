/* SPDX-License-Identifier: MIT */
/* See cycle_setup.h. */
#include "store/cycle_setup.h"

#include <string.h>

const char *const scope_kind_names[SCOPE_KINDS] = {"department", "organisation", "include",
                                                   "exclude"};

enum err store_scope_get(struct db *db, struct arena *a, int64_t cycle, struct cycle_scope *out)
{
    static const char sql[] = "SELECT kind, ref_id FROM review_cycle_scope WHERE cycle_id = $1"
                              " ORDER BY kind, ref_id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap[SCOPE_KINDS];
    int rc;

    for (size_t k = 0; k < SCOPE_KINDS; k++) {
        cap[k] = 8;
        out->n[k] = 0;
        out->ids[k] = arena_alloc(a, cap[k] * sizeof(int64_t));
    }
    stmt_i64(s, 1, cycle);
    while ((rc = stmt_step(s)) == 1) {
        const char *kind = col_text(s, 0);

        for (size_t k = 0; k < SCOPE_KINDS; k++) {
            if (!kind || strcmp(kind, scope_kind_names[k]) != 0)
                continue;
            {
                void *arr = out->ids[k];
                int64_t *slot = store_slot(a, &arr, &cap[k], out->n[k]++, sizeof(int64_t));

                *slot = col_i64(s, 1);
                out->ids[k] = arr;
            }
        }
    }
    stmt_reset(s);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_scope_replace(struct db *db, int64_t cycle, const struct cycle_scope *sc)
{
    static const char del[] = "DELETE FROM review_cycle_scope WHERE cycle_id = $1";
    static const char ins[] =
        "INSERT INTO review_cycle_scope (cycle_id, kind, ref_id) VALUES ($1, $2, $3)";
    struct stmt *s = db_stmt(db, del);
    enum err rc;

    stmt_i64(s, 1, cycle);
    rc = stmt_exec(s);
    for (size_t k = 0; rc == ERR_OK && k < SCOPE_KINDS; k++)
        for (size_t i = 0; rc == ERR_OK && i < sc->n[k]; i++) {
            s = db_stmt(db, ins);
            stmt_i64(s, 1, cycle);
            stmt_text(s, 2, scope_kind_names[k]);
            stmt_i64(s, 3, sc->ids[k][i]);
            rc = stmt_exec(s);
        }
    return rc;
}

enum err store_candidates(struct db *db, struct arena *a, struct candidate **v, size_t *n)
{
    static const char sql[] = "SELECT id, manager_id, department_id, name, hire_date,"
                              " CASE WHEN status = 'active' THEN 1 ELSE 0 END FROM people"
                              " ORDER BY id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(s)) == 1) {
        struct candidate *p = store_slot(a, &arr, &cap, len++, sizeof(**v));

        p->id = col_i64(s, 0);
        p->manager_id = col_id(s, 1);
        p->department_id = col_id(s, 2);
        p->name = col_dup(a, s, 3);
        p->hire_date = col_dup(a, s, 4);
        p->active = col_i64(s, 5) != 0;
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cycles_update_draft(struct db *db, const struct review_cycle *c)
{
    static const char sql[] =
        "UPDATE review_cycles SET name = $2, period_start = $3, period_end = $4,"
        " hired_before = $5, threshold = $6, peers_per_person = $7, self_template_id = $8,"
        " manager_template_id = $9, peer_template_id = $10, department_id = $11,"
        " manager_sees_peer_names = $12, upward_template_id = $13, peer_selection = $14,"
        " min_peers = $15, max_requests_per_peer = $16, nomination_due = $17, self_due = $18,"
        " peer_due = $19, manager_due = $20, calibration_due = $21"
        " WHERE id = $1 AND status = 'draft'";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, c->id);
    stmt_text(s, 2, c->name);
    stmt_text(s, 3, c->period_start);
    stmt_text(s, 4, c->period_end);
    stmt_text(s, 5, c->hired_before);
    stmt_i64(s, 6, c->threshold);
    stmt_i64(s, 7, c->peers_per_person);
    stmt_id(s, 8, c->self_template_id);
    stmt_id(s, 9, c->manager_template_id);
    stmt_id(s, 10, c->peer_template_id);
    stmt_id(s, 11, c->department_id);
    stmt_i64(s, 12, c->manager_sees_peer_names);
    stmt_id(s, 13, c->upward_template_id);
    stmt_text(s, 14, c->peer_selection);
    stmt_i64(s, 15, c->min_peers);
    stmt_i64(s, 16, c->max_requests_per_peer);
    stmt_text(s, 17, c->nomination_due);
    stmt_text(s, 18, c->self_due);
    stmt_text(s, 19, c->peer_due);
    stmt_text(s, 20, c->manager_due);
    stmt_text(s, 21, c->calibration_due);
    return stmt_exec(s);
}

enum err store_templates_update(struct db *db, const struct review_template *t, const char *now)
{
    static const char sql[] =
        "UPDATE review_templates SET name = $2, kind = $3, questions = $4, updated_at = $5"
        " WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, t->id);
    stmt_text(s, 2, t->name);
    stmt_text(s, 3, t->kind);
    stmt_text(s, 4, t->questions);
    stmt_text(s, 5, now);
    return stmt_exec(s);
}

enum err store_templates_in_use(struct db *db, int64_t id, int64_t *cycle)
{
    static const char sql[] =
        "SELECT id FROM review_cycles WHERE status <> 'draft' AND (self_template_id = $1"
        " OR manager_template_id = $1 OR peer_template_id = $1 OR upward_template_id = $1)"
        " ORDER BY id LIMIT 1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    *cycle = 0;
    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        *cycle = col_i64(s, 0);
    stmt_reset(s);
    return rc >= 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_templates_in_draft(struct db *db, int64_t id, int64_t *cycle)
{
    static const char sql[] =
        "SELECT id FROM review_cycles WHERE status = 'draft' AND (self_template_id = $1"
        " OR manager_template_id = $1 OR peer_template_id = $1 OR upward_template_id = $1)"
        " ORDER BY id LIMIT 1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    *cycle = 0;
    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        *cycle = col_i64(s, 0);
    stmt_reset(s);
    return rc >= 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_reviews_reopen(struct db *db, int64_t id, const char *now)
{
    static const char sql[] = "UPDATE reviews SET status = 'draft', submitted_at = NULL,"
                              " updated_at = $2 WHERE id = $1 AND status = 'submitted'";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}
