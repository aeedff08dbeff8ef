/* SPDX-License-Identifier: MIT */
/* See reviews.h. */
#include "store/reviews.h"

#include <stdio.h>
#include <string.h>

static const char *dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

static int64_t id0(struct stmt *s, int col)
{
    return col_null(s, col) ? 0 : col_i64(s, col);
}

static void bind_id(struct stmt *s, int idx, int64_t v)
{
    if (v)
        stmt_i64(s, idx, v);
    else
        stmt_null(s, idx);
}

/* Grows an arena array of elem-sized items; returns the slot for item len. */
static void *slot(struct arena *a, void **v, size_t *cap, size_t len, size_t elem)
{
    if (len == *cap) {
        void *w = arena_alloc(a, *cap * 2 * elem);

        memcpy(w, *v, len * elem);
        *v = w;
        *cap *= 2;
    }
    return (char *)*v + len * elem;
}

static enum err insert_id(struct stmt *s, int64_t *id)
{
    int rc = stmt_step(s);

    if (rc == 1)
        *id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == -2 ? ERR_CONFLICT : ERR_INTERNAL;
}

#define TPL_COLS "id, name, kind, questions, created_at"

static void read_tpl(struct stmt *s, struct arena *a, struct review_template *t)
{
    t->id = col_i64(s, 0);
    t->name = dup(a, s, 1);
    t->kind = dup(a, s, 2);
    t->questions = dup(a, s, 3);
    t->created_at = dup(a, s, 4);
}

enum err store_templates_insert(struct db *db, struct review_template *t)
{
    static const char sql[] = "INSERT INTO review_templates (name, kind, questions, created_at)"
                              " VALUES ($1, $2, $3, $4) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, t->name);
    stmt_text(s, 2, t->kind);
    stmt_text(s, 3, t->questions);
    stmt_text(s, 4, t->created_at);
    return insert_id(s, &t->id);
}

/* One review template by id from sql (with or without FOR UPDATE). */
static enum err one_templates(struct db *db, const char *sql, struct arena *a, int64_t id,
                              struct review_template *t)
{
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_tpl(s, a, t);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_templates_get(struct db *db, struct arena *a, int64_t id, struct review_template *t)
{
    static const char sql[] = "SELECT " TPL_COLS " FROM review_templates WHERE id = $1";

    return one_templates(db, sql, a, id, t);
}

enum err store_templates_get_for_update(struct db *db, struct arena *a, int64_t id,
                                        struct review_template *t)
{
    static const char sql[] = "SELECT " TPL_COLS " FROM review_templates WHERE id = $1 FOR UPDATE";

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_templates_get(db, a, id, t);
    return one_templates(db, sql, a, id, t);
}

enum err store_templates_list(struct db *db, struct arena *a, struct review_template **v, size_t *n)
{
    static const char sql[] = "SELECT " TPL_COLS " FROM review_templates ORDER BY id LIMIT 500";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(s)) == 1)
        read_tpl(s, a, slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

#define CYC_COLS                                                                                   \
    "id, name, period_start, period_end, status, hired_before, created_at, launched_at,"           \
    " released_at, threshold, peers_per_person, self_template_id, manager_template_id,"            \
    " peer_template_id, department_id, manager_sees_peer_names, upward_template_id,"               \
    " peer_selection, min_peers, max_requests_per_peer, nomination_due, self_due, peer_due,"       \
    " manager_due, calibration_due, launching, launch_participants, launch_touched_at"

static void read_cyc(struct stmt *s, struct arena *a, struct review_cycle *c)
{
    c->id = col_i64(s, 0);
    c->name = dup(a, s, 1);
    c->period_start = dup(a, s, 2);
    c->period_end = dup(a, s, 3);
    c->status = dup(a, s, 4);
    c->hired_before = dup(a, s, 5);
    c->created_at = dup(a, s, 6);
    c->launched_at = dup(a, s, 7);
    c->released_at = dup(a, s, 8);
    c->threshold = col_i64(s, 9);
    c->peers_per_person = col_i64(s, 10);
    c->self_template_id = id0(s, 11);
    c->manager_template_id = id0(s, 12);
    c->peer_template_id = id0(s, 13);
    c->department_id = id0(s, 14);
    c->manager_sees_peer_names = col_i64(s, 15) != 0;
    c->upward_template_id = id0(s, 16);
    c->peer_selection = dup(a, s, 17);
    c->min_peers = col_i64(s, 18);
    c->max_requests_per_peer = col_i64(s, 19);
    c->nomination_due = dup(a, s, 20);
    c->self_due = dup(a, s, 21);
    c->peer_due = dup(a, s, 22);
    c->manager_due = dup(a, s, 23);
    c->calibration_due = dup(a, s, 24);
    c->launching = col_i64(s, 25) != 0;
    c->launch_participants = id0(s, 26);
    c->launch_touched_at = dup(a, s, 27);
}

/* Binds the fields a cycle's creator sets after the first from $first on. */
static void bind_cycle_tail(struct stmt *s, int first, const struct review_cycle *c)
{
    bind_id(s, first, c->upward_template_id);
    stmt_text(s, first + 1, c->peer_selection ? c->peer_selection : "auto");
    stmt_i64(s, first + 2, c->min_peers);
    stmt_i64(s, first + 3, c->max_requests_per_peer);
    stmt_text(s, first + 4, c->nomination_due);
    stmt_text(s, first + 5, c->self_due);
    stmt_text(s, first + 6, c->peer_due);
    stmt_text(s, first + 7, c->manager_due);
    stmt_text(s, first + 8, c->calibration_due);
}

enum err store_cycles_insert(struct db *db, struct review_cycle *c)
{
    static const char sql[] =
        "INSERT INTO review_cycles (name, period_start, period_end, status, hired_before,"
        " created_at, threshold, peers_per_person, self_template_id, manager_template_id,"
        " peer_template_id, department_id, manager_sees_peer_names, upward_template_id,"
        " peer_selection, min_peers, max_requests_per_peer, nomination_due, self_due, peer_due,"
        " manager_due, calibration_due) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9,"
        " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, c->name);
    stmt_text(s, 2, c->period_start);
    stmt_text(s, 3, c->period_end);
    stmt_text(s, 4, c->hired_before);
    stmt_text(s, 5, c->created_at);
    stmt_i64(s, 6, c->threshold);
    stmt_i64(s, 7, c->peers_per_person);
    bind_id(s, 8, c->self_template_id);
    bind_id(s, 9, c->manager_template_id);
    bind_id(s, 10, c->peer_template_id);
    bind_id(s, 11, c->department_id);
    stmt_i64(s, 12, c->manager_sees_peer_names);
    bind_cycle_tail(s, 13, c);
    return insert_id(s, &c->id);
}

enum err store_cycles_update(struct db *db, const struct review_cycle *c)
{
    /* only what may change after launch: the name and the deadlines */
    static const char sql[] =
        "UPDATE review_cycles SET name = $2, nomination_due = $3, self_due = $4, peer_due = $5,"
        " manager_due = $6, calibration_due = $7 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, c->id);
    stmt_text(s, 2, c->name);
    stmt_text(s, 3, c->nomination_due);
    stmt_text(s, 4, c->self_due);
    stmt_text(s, 5, c->peer_due);
    stmt_text(s, 6, c->manager_due);
    stmt_text(s, 7, c->calibration_due);
    return stmt_exec(s);
}

enum err store_cycles_members(struct db *db, struct arena *a, int64_t cycle, struct participant **v,
                              size_t *n)
{
    static const char sql[] =
        "SELECT p.id, p.manager_id, CASE WHEN p.status = 'active' THEN 1 ELSE 0 END,"
        " CASE WHEN o.withdrawn_at IS NULL THEN 0 ELSE 1 END"
        " FROM review_outcomes o JOIN people p ON p.id = o.person_id WHERE o.cycle_id = $1"
        " ORDER BY p.id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    while ((rc = stmt_step(s)) == 1) {
        struct participant *p = slot(a, &arr, &cap, len++, sizeof(**v));

        p->id = col_i64(s, 0);
        p->manager_id = id0(s, 1);
        p->active = col_i64(s, 2) != 0;
        p->withdrawn = col_i64(s, 3) != 0;
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

/* One review cycle by id from sql (with or without FOR UPDATE). */
static enum err one_cycles(struct db *db, const char *sql, struct arena *a, int64_t id,
                           struct review_cycle *c)
{
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_cyc(s, a, c);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_cycles_get(struct db *db, struct arena *a, int64_t id, struct review_cycle *c)
{
    static const char sql[] = "SELECT " CYC_COLS " FROM review_cycles WHERE id = $1";

    return one_cycles(db, sql, a, id, c);
}

enum err store_cycles_get_for_update(struct db *db, struct arena *a, int64_t id,
                                     struct review_cycle *c)
{
    static const char sql[] = "SELECT " CYC_COLS " FROM review_cycles WHERE id = $1 FOR UPDATE";

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_cycles_get(db, a, id, c);
    return one_cycles(db, sql, a, id, c);
}

enum err store_cycles_list(struct db *db, struct arena *a, struct review_cycle **v, size_t *n)
{
    static const char sql[] = "SELECT " CYC_COLS " FROM review_cycles ORDER BY id DESC LIMIT 200";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(s)) == 1)
        read_cyc(s, a, slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cycles_set_status(struct db *db, int64_t id, const char *status,
                                 const char *launched_at, const char *released_at)
{
    static const char sql[] = "UPDATE review_cycles SET status = $2,"
                              " launched_at = COALESCE($3, launched_at),"
                              " released_at = COALESCE($4, released_at) WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, status);
    stmt_text(s, 3, launched_at);
    stmt_text(s, 4, released_at);
    return stmt_exec(s);
}

enum err store_cycles_claim_launch(struct db *db, int64_t id, const char *launched_at)
{
    static const char sql[] = "UPDATE review_cycles SET status = 'active', launched_at = $2"
                              " WHERE id = $1 AND status = 'draft' RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, launched_at);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_cycles_set_launching(struct db *db, int64_t id, bool launching, int64_t participants,
                                    const char *now)
{
    static const char sql[] = "UPDATE review_cycles SET launching = $2,"
                              " launch_participants = COALESCE($3, launch_participants),"
                              " launch_touched_at = $4 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, launching ? 1 : 0);
    bind_id(s, 3, participants);
    stmt_text(s, 4, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cycles_claim_resume(struct db *db, int64_t id, const char *stalled, const char *now)
{
    static const char sql[] = "UPDATE review_cycles SET launch_touched_at = $3"
                              " WHERE id = $1 AND launching = 1"
                              " AND (launch_touched_at IS NULL OR launch_touched_at <= $2)"
                              " RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, stalled);
    stmt_text(s, 3, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_cycles_launching(struct db *db, struct arena *a, struct review_cycle **v, size_t *n)
{
    static const char sql[] =
        "SELECT " CYC_COLS " FROM review_cycles WHERE launching = 1 ORDER BY id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 4, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(s)) == 1)
        read_cyc(s, a, slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cycles_launch_counts(struct db *db, int64_t id, int64_t *enrolled,
                                    int64_t *assignments)
{
    static const char sql[] = "SELECT (SELECT COUNT(*) FROM review_outcomes WHERE cycle_id = $1),"
                              " (SELECT COUNT(*) FROM reviews WHERE cycle_id = $1)";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1) {
        *enrolled = col_i64(s, 0);
        *assignments = col_i64(s, 1);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

#define REV_COLS                                                                                   \
    "r.id, r.cycle_id, r.reviewee_id, r.reviewer_id, r.template_id, r.kind, r.status,"             \
    " r.answers, r.submitted_at, r.updated_at, e.name, w.name"
#define REV_FROM                                                                                   \
    " FROM reviews r JOIN people e ON e.id = r.reviewee_id JOIN people w ON w.id = r.reviewer_id "

static void read_rev(struct stmt *s, struct arena *a, struct review *r)
{
    r->id = col_i64(s, 0);
    r->cycle_id = col_i64(s, 1);
    r->reviewee_id = col_i64(s, 2);
    r->reviewer_id = col_i64(s, 3);
    r->template_id = col_i64(s, 4);
    r->kind = dup(a, s, 5);
    r->status = dup(a, s, 6);
    r->answers = dup(a, s, 7);
    r->submitted_at = dup(a, s, 8);
    r->updated_at = dup(a, s, 9);
    r->reviewee_name = dup(a, s, 10);
    r->reviewer_name = dup(a, s, 11);
}

enum err store_reviews_insert(struct db *db, struct review *r)
{
    static const char sql[] =
        "INSERT INTO reviews (cycle_id, reviewee_id, reviewer_id, kind, template_id, status,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, 'assigned', $6) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, r->cycle_id);
    stmt_i64(s, 2, r->reviewee_id);
    stmt_i64(s, 3, r->reviewer_id);
    stmt_text(s, 4, r->kind);
    stmt_i64(s, 5, r->template_id);
    stmt_text(s, 6, r->updated_at);
    return insert_id(s, &r->id);
}

enum err store_reviews_get(struct db *db, struct arena *a, int64_t id, struct review *r)
{
    static const char sql[] = "SELECT " REV_COLS REV_FROM "WHERE r.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_rev(s, a, r);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_reviews_get_for_update(struct db *db, struct arena *a, int64_t id, struct review *r)
{
    static const char sql[] = "SELECT " REV_COLS REV_FROM "WHERE r.id = $1 FOR UPDATE OF r";
    struct stmt *s;
    int rc;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_reviews_get(db, a, id, r);
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_rev(s, a, r);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

static enum err collect_rev(struct stmt *s, struct arena *a, struct review **v, size_t *n)
{
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(s)) == 1)
        read_rev(s, a, slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_reviews_by_reviewer(struct db *db, struct arena *a, int64_t reviewer, int64_t cycle,
                                   struct review **v, size_t *n)
{
    static const char sql[] =
        "SELECT " REV_COLS REV_FROM "WHERE r.reviewer_id = $1 AND ($2 = 0 OR r.cycle_id = $2)"
        " AND r.status <> 'cancelled' ORDER BY r.id LIMIT 1000";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, reviewer);
    stmt_i64(s, 2, cycle);
    return collect_rev(s, a, v, n);
}

enum err store_reviews_about(struct db *db, struct arena *a, int64_t cycle, int64_t reviewee,
                             const char *kind, struct review **v, size_t *n)
{
    static const char sql[] =
        "SELECT " REV_COLS REV_FROM "WHERE r.reviewee_id = $2 AND r.cycle_id = $1"
        " AND ($3 = '' OR r.kind = $3) AND r.status <> 'cancelled' ORDER BY r.id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, reviewee);
    stmt_text(s, 3, kind ? kind : "");
    return collect_rev(s, a, v, n);
}

enum err store_reviews_save(struct db *db, int64_t id, const char *answers, const char *status,
                            const char *submitted_at, const char *now)
{
    static const char sql[] = "UPDATE reviews SET answers = $2, status = $3,"
                              " submitted_at = $4, updated_at = $5 WHERE id = $1"
                              " AND status NOT IN ('submitted', 'cancelled') RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, answers);
    stmt_text(s, 3, status);
    stmt_text(s, 4, submitted_at);
    stmt_text(s, 5, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_reviews_cancel_person(struct db *db, int64_t cycle, int64_t person)
{
    static const char sql[] =
        "UPDATE reviews SET status = 'cancelled' WHERE cycle_id = $1"
        " AND (reviewer_id = $2 OR reviewee_id = $2) AND status NOT IN ('submitted', 'cancelled')";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, person);
    return stmt_exec(s);
}

enum err store_reviews_cancel(struct db *db, int64_t id)
{
    static const char sql[] =
        "UPDATE reviews SET status = 'cancelled' WHERE id = $1 AND status <> 'submitted'";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    return stmt_exec(s);
}

enum err store_reviews_unlock(struct db *db, int64_t cycle, int64_t reviewee, const char *kind)
{
    static const char sql[] =
        "UPDATE reviews SET status = 'draft', submitted_at = NULL WHERE cycle_id = $1"
        " AND reviewee_id = $2 AND kind = $3 AND status = 'submitted'";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, reviewee);
    stmt_text(s, 3, kind);
    return stmt_exec(s);
}

enum err store_reviews_reassign(struct db *db, int64_t id, int64_t reviewer)
{
    static const char sql[] = "UPDATE reviews SET reviewer_id = $2 WHERE id = $1"
                              " AND status NOT IN ('submitted', 'cancelled')";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, reviewer);
    return stmt_exec(s);
}

enum err store_reviews_peer_load(struct db *db, int64_t cycle, int64_t peer, int64_t except,
                                 int64_t *count)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM reviews WHERE cycle_id = $1 AND reviewer_id = $2 AND kind = 'peer'"
        " AND reviewee_id <> $3 AND status <> 'cancelled'";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, peer);
    stmt_i64(s, 3, except);
    rc = stmt_step(s);
    *count = rc == 1 ? col_i64(s, 0) : 0;
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_nominations_list(struct db *db, struct arena *a, int64_t cycle, int64_t reviewee,
                                struct nomination **v, size_t *n)
{
    static const char sql[] =
        "SELECT m.id, m.cycle_id, m.reviewee_id, m.peer_id, m.proposed_by, m.decided_by,"
        " m.status, p.name, m.updated_at FROM peer_nominations m JOIN people p ON p.id = m.peer_id"
        " WHERE m.cycle_id = $1 AND m.reviewee_id = $2 ORDER BY m.id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, reviewee);
    while ((rc = stmt_step(s)) == 1) {
        struct nomination *m = slot(a, &arr, &cap, len++, sizeof(**v));

        m->id = col_i64(s, 0);
        m->cycle_id = col_i64(s, 1);
        m->reviewee_id = col_i64(s, 2);
        m->peer_id = col_i64(s, 3);
        m->proposed_by = col_i64(s, 4);
        m->decided_by = id0(s, 5);
        m->status = dup(a, s, 6);
        m->peer_name = dup(a, s, 7);
        m->updated_at = dup(a, s, 8);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_nominations_clear(struct db *db, int64_t cycle, int64_t reviewee)
{
    static const char sql[] =
        "DELETE FROM peer_nominations WHERE cycle_id = $1 AND reviewee_id = $2";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, reviewee);
    return stmt_exec(s);
}

enum err store_nominations_insert(struct db *db, const struct nomination *m)
{
    static const char sql[] =
        "INSERT INTO peer_nominations (cycle_id, reviewee_id, peer_id, status, proposed_by,"
        " decided_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, m->cycle_id);
    stmt_i64(s, 2, m->reviewee_id);
    stmt_i64(s, 3, m->peer_id);
    stmt_text(s, 4, m->status);
    stmt_i64(s, 5, m->proposed_by);
    bind_id(s, 6, m->decided_by);
    stmt_text(s, 7, m->updated_at);
    return stmt_exec(s);
}

#define OUT_COLS                                                                                   \
    "id, cycle_id, person_id, rating, calibrated_rating, calibration_note, manager_summary,"       \
    " released_at, acknowledged_at, employee_comment, potential, version, withdrawn_at"

static void read_out(struct stmt *s, struct arena *a, struct review_outcome *o)
{
    o->id = col_i64(s, 0);
    o->cycle_id = col_i64(s, 1);
    o->person_id = col_i64(s, 2);
    o->has_rating = !col_null(s, 3);
    o->rating = o->has_rating ? col_double(s, 3) : 0;
    o->has_calibrated = !col_null(s, 4);
    o->calibrated_rating = o->has_calibrated ? col_double(s, 4) : 0;
    o->calibration_note = dup(a, s, 5);
    o->manager_summary = dup(a, s, 6);
    o->released_at = dup(a, s, 7);
    o->acknowledged_at = dup(a, s, 8);
    o->employee_comment = dup(a, s, 9);
    o->potential = id0(s, 10);
    o->version = col_i64(s, 11);
    o->withdrawn_at = dup(a, s, 12);
}

enum err store_outcomes_insert(struct db *db, struct review_outcome *o)
{
    static const char sql[] =
        "INSERT INTO review_outcomes (cycle_id, person_id) VALUES ($1, $2) RETURNING id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, o->cycle_id);
    stmt_i64(s, 2, o->person_id);
    return insert_id(s, &o->id);
}

static enum err one_out(struct stmt *s, struct arena *a, struct review_outcome *o)
{
    int rc = stmt_step(s);

    if (rc == 1)
        read_out(s, a, o);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_outcomes_get(struct db *db, struct arena *a, int64_t id, struct review_outcome *o)
{
    static const char sql[] = "SELECT " OUT_COLS " FROM review_outcomes WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    return one_out(s, a, o);
}

enum err store_outcomes_get_for_update(struct db *db, struct arena *a, int64_t id,
                                       struct review_outcome *o)
{
    static const char sql[] = "SELECT " OUT_COLS " FROM review_outcomes WHERE id = $1 FOR UPDATE";
    struct stmt *s;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_outcomes_get(db, a, id, o);
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    return one_out(s, a, o);
}

enum err store_outcomes_find(struct db *db, struct arena *a, int64_t cycle, int64_t person,
                             struct review_outcome *o)
{
    static const char sql[] =
        "SELECT " OUT_COLS " FROM review_outcomes WHERE cycle_id = $1 AND person_id = $2";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, person);
    return one_out(s, a, o);
}

enum err store_outcomes_list(struct db *db, struct arena *a, int64_t cycle, int64_t person,
                             struct review_outcome **v, size_t *n)
{
    /* one statement per shape, so each uses its index (cycle_id, person_id) or (person_id) */
    static const char by_person[] = "SELECT " OUT_COLS " FROM review_outcomes"
                                    " WHERE person_id = $2 AND ($1 = 0 OR cycle_id = $1)"
                                    " ORDER BY id LIMIT 5000";
    static const char by_cycle[] = "SELECT " OUT_COLS " FROM review_outcomes"
                                   " WHERE cycle_id = $1 AND $2 = 0 ORDER BY id LIMIT 5000";
    static const char all[] = "SELECT " OUT_COLS " FROM review_outcomes"
                              " WHERE $1 = 0 AND $2 = 0 ORDER BY id LIMIT 5000";
    struct stmt *s = db_stmt(db, person ? by_person : cycle ? by_cycle : all);
    size_t cap = 16, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, person);
    while ((rc = stmt_step(s)) == 1)
        read_out(s, a, slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

static void bind_rating(struct stmt *s, int idx, bool has, double v)
{
    char num[40];

    if (!has) {
        stmt_null(s, idx);
        return;
    }
    snprintf(num, sizeof(num), "%.17g", v);
    stmt_text(s, idx, num);
}

enum err store_outcomes_update(struct db *db, const struct review_outcome *o)
{
    static const char sql[] =
        "UPDATE review_outcomes SET rating = CAST($2 AS DOUBLE PRECISION),"
        " calibrated_rating = CAST($3 AS DOUBLE PRECISION), calibration_note = $4,"
        " manager_summary = $5, acknowledged_at = $6, employee_comment = $7, potential = $8"
        " WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, o->id);
    bind_rating(s, 2, o->has_rating, o->rating);
    bind_rating(s, 3, o->has_calibrated, o->calibrated_rating);
    stmt_text(s, 4, o->calibration_note);
    stmt_text(s, 5, o->manager_summary);
    stmt_text(s, 6, o->acknowledged_at);
    stmt_text(s, 7, o->employee_comment);
    bind_id(s, 8, o->potential);
    return stmt_exec(s);
}

enum err store_outcomes_acknowledge(struct db *db, int64_t id, const char *now, const char *comment)
{
    static const char sql[] =
        "UPDATE review_outcomes SET acknowledged_at = $2, employee_comment = $3"
        " WHERE id = $1 AND acknowledged_at IS NULL AND released_at IS NOT NULL"
        " AND withdrawn_at IS NULL RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int step;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    stmt_text(s, 3, comment);
    step = stmt_step(s);
    stmt_reset(s);
    return step == 1 ? ERR_OK : step == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_outcomes_release(struct db *db, int64_t cycle, const char *now)
{
    static const char sql[] =
        "UPDATE review_outcomes SET released_at = $2 WHERE cycle_id = $1 AND released_at IS NULL"
        " AND withdrawn_at IS NULL";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, cycle);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_outcomes_release_one(struct db *db, int64_t id, const char *now)
{
    static const char sql[] = "UPDATE review_outcomes SET released_at = $2 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_outcomes_withdraw(struct db *db, int64_t id, const char *now)
{
    static const char sql[] = "UPDATE review_outcomes SET withdrawn_at = $2 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_outcomes_reopen(struct db *db, const struct review_outcome *o, int64_t by,
                               const char *reason, const char *now)
{
    static const char keep[] =
        "INSERT INTO review_outcome_versions (outcome_id, version, rating, calibrated_rating,"
        " calibration_note, manager_summary, potential, released_at, acknowledged_at,"
        " employee_comment, reopened_at, reopened_by, reason) SELECT id, version, rating,"
        " calibrated_rating, calibration_note, manager_summary, potential, released_at,"
        " acknowledged_at, employee_comment, $2, $3, $4 FROM review_outcomes WHERE id = $1";
    static const char clear[] =
        "UPDATE review_outcomes SET version = version + 1, released_at = NULL,"
        " acknowledged_at = NULL, employee_comment = NULL WHERE id = $1";
    struct stmt *s = db_stmt(db, keep);
    enum err rc;

    stmt_i64(s, 1, o->id);
    stmt_text(s, 2, now);
    stmt_i64(s, 3, by);
    stmt_text(s, 4, reason);
    rc = stmt_exec(s);
    if (rc)
        return rc;
    s = db_stmt(db, clear);
    stmt_i64(s, 1, o->id);
    return stmt_exec(s);
}

enum err store_outcomes_versions(struct db *db, struct arena *a, int64_t outcome,
                                 struct outcome_version **v, size_t *n)
{
    static const char sql[] =
        "SELECT v.outcome_id, v.version, v.rating, v.calibrated_rating, v.calibration_note,"
        " v.manager_summary, v.potential, v.released_at, v.acknowledged_at, v.employee_comment,"
        " v.reopened_at, v.reopened_by, v.reason, p.name FROM review_outcome_versions v"
        " JOIN people p ON p.id = v.reopened_by WHERE v.outcome_id = $1 ORDER BY v.version";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 4, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, outcome);
    while ((rc = stmt_step(s)) == 1) {
        struct outcome_version *x = slot(a, &arr, &cap, len++, sizeof(**v));

        x->o.id = col_i64(s, 0);
        x->o.version = col_i64(s, 1);
        x->o.has_rating = !col_null(s, 2);
        x->o.rating = x->o.has_rating ? col_double(s, 2) : 0;
        x->o.has_calibrated = !col_null(s, 3);
        x->o.calibrated_rating = x->o.has_calibrated ? col_double(s, 3) : 0;
        x->o.calibration_note = dup(a, s, 4);
        x->o.manager_summary = dup(a, s, 5);
        x->o.potential = id0(s, 6);
        x->o.released_at = dup(a, s, 7);
        x->o.acknowledged_at = dup(a, s, 8);
        x->o.employee_comment = dup(a, s, 9);
        x->reopened_at = dup(a, s, 10);
        x->reopened_by = col_i64(s, 11);
        x->reason = dup(a, s, 12);
        x->reopened_by_name = dup(a, s, 13);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_outcomes_calibration(struct db *db, struct arena *a, int64_t cycle, int64_t manager,
                                    struct calibration_row **v, size_t *n)
{
    /* HR: everyone in the cycle; a manager: the people below them, at any depth */
#define CAL_COLS                                                                                   \
    "SELECT o.id, o.person_id, p.name, p.department_id, d.name, p.manager_id, m.name, o.rating,"   \
    " o.calibrated_rating, o.potential, o.calibration_note FROM "
#define CAL_JOINS                                                                                  \
    " JOIN people p ON p.id = o.person_id"                                                         \
    " LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN people m ON m.id = p.manager_id"
    static const char sql_all[] =
        CAL_COLS "review_outcomes o" CAL_JOINS
                 " WHERE o.cycle_id = $1 AND $2 = 0 AND o.withdrawn_at IS NULL ORDER BY o.id";
    /* from the people below (the closure table) to each one's outcome by the cycle's unique
     * key: it costs the size of the organisation, not of the cycle (the cycle's outcomes read in
     * order and tested against the list took 125 ms at 1M people for 5,000 below). CROSS JOIN
     * keeps SQLite's order of the loops; PostgreSQL reads it as an inner join. */
    static const char sql_below[] =
        CAL_COLS "people_ancestors a CROSS JOIN review_outcomes o" CAL_JOINS
                 " WHERE a.ancestor_id = $2 AND o.cycle_id = $1 AND o.person_id = a.person_id"
                 " AND o.withdrawn_at IS NULL ORDER BY o.id";
#undef CAL_COLS
#undef CAL_JOINS
    struct stmt *s = db_stmt(db, manager ? sql_below : sql_all);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, manager);
    while ((rc = stmt_step(s)) == 1) {
        struct calibration_row *x = slot(a, &arr, &cap, len++, sizeof(**v));

        x->outcome_id = col_i64(s, 0);
        x->person_id = col_i64(s, 1);
        x->person_name = dup(a, s, 2);
        x->department_id = id0(s, 3);
        x->department_name = dup(a, s, 4);
        x->manager_id = id0(s, 5);
        x->manager_name = dup(a, s, 6);
        x->has_rating = !col_null(s, 8) || !col_null(s, 7);
        x->rating = !col_null(s, 8) ? col_double(s, 8) : !col_null(s, 7) ? col_double(s, 7) : 0;
        x->potential = id0(s, 9);
        x->has_original = !col_null(s, 7);
        x->original = x->has_original ? col_double(s, 7) : 0;
        x->has_calibrated = !col_null(s, 8);
        x->calibrated = x->has_calibrated ? col_double(s, 8) : 0;
        x->note = col_null(s, 10) ? NULL : dup(a, s, 10);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

static int by_rating(const void *x, const void *y)
{
    double a = ((const struct rating_count *)x)->rating,
           b = ((const struct rating_count *)y)->rating;

    return (a > b) - (a < b);
}

/* Adds k ratings of value r to v[0..*n) (a handful of distinct values: a linear search). */
static void count_rating(struct arena *a, void **v, size_t *cap, size_t *n, double r, int64_t k)
{
    struct rating_count *x = *v;

    for (size_t i = 0; i < *n; i++)
        if (x[i].rating == r) {
            x[i].count += k;
            return;
        }
    x = slot(a, v, cap, (*n)++, sizeof(*x));
    x->rating = r;
    x->count = k;
}

enum err store_outcomes_rating_counts(struct db *db, struct arena *a, int64_t cycle,
                                      int64_t without, struct rating_count **v, size_t *n)
{
    /* the cycle's counts as the triggers keep them (migration 0052: a few rows, whatever the
     * size of the cycle); the reader's own outcome is then taken away by its unique key */
    struct stmt *s = db_stmt(db, "SELECT rating, n FROM cycle_rating_counts"
                                 " WHERE cycle_id = $1 AND n > 0");
    size_t cap = 16, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    struct rating_count *x;
    int rc;

    stmt_i64(s, 1, cycle);
    while ((rc = stmt_step(s)) == 1)
        count_rating(a, &arr, &cap, &len, col_double(s, 0), col_i64(s, 1));
    stmt_reset(s);
    if (rc != 0)
        return ERR_INTERNAL;
    s = db_stmt(db, "SELECT COALESCE(calibrated_rating, rating) FROM review_outcomes"
                    " WHERE cycle_id = $1 AND person_id = $2 AND withdrawn_at IS NULL");
    stmt_i64(s, 1, cycle);
    stmt_i64(s, 2, without);
    rc = stmt_step(s);
    if (rc == 1 && !col_null(s, 0))
        count_rating(a, &arr, &cap, &len, col_double(s, 0), -1);
    stmt_reset(s);
    if (rc < 0)
        return ERR_INTERNAL;
    x = arr;
    for (size_t i = 0, k = 0, all = len; i < all; i++) /* a value only the reader had */
        if (x[i].count > 0)
            x[k++] = x[i];
        else
            len--;
    qsort(x, len, sizeof(*x), by_rating);
    *v = x;
    *n = len;
    return ERR_OK;
}

enum err store_release_rows(struct db *db, struct arena *a, int64_t cycle, struct release_row **v,
                            size_t *n)
{
    static const char sql[] =
        "SELECT o.id, o.person_id, p.department_id,"
        " CASE WHEN o.released_at IS NULL THEN 0 ELSE 1 END,"
        " CASE WHEN o.withdrawn_at IS NULL THEN 0 ELSE 1 END,"
        " CASE WHEN o.rating IS NULL AND o.calibrated_rating IS NULL THEN 0 ELSE 1 END,"
        " (SELECT COUNT(*) FROM reviews r WHERE r.cycle_id = o.cycle_id"
        " AND r.reviewee_id = o.person_id AND r.kind = 'manager'"
        " AND r.status NOT IN ('submitted', 'cancelled'))"
        " FROM review_outcomes o JOIN people p ON p.id = o.person_id WHERE o.cycle_id = $1"
        " ORDER BY o.id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    while ((rc = stmt_step(s)) == 1) {
        struct release_row *x = slot(a, &arr, &cap, len++, sizeof(**v));

        x->outcome_id = col_i64(s, 0);
        x->person_id = col_i64(s, 1);
        x->department_id = id0(s, 2);
        x->released = col_i64(s, 3) != 0;
        x->withdrawn = col_i64(s, 4) != 0;
        x->rated = col_i64(s, 5) != 0;
        x->manager_pending = col_i64(s, 6);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_progress_rows(struct db *db, struct arena *a, int64_t cycle, struct progress_row **v,
                             size_t *n)
{
    static const char sql[] =
        "SELECT r.id, r.kind, r.status, r.reviewer_id, w.name, r.reviewee_id, e.name,"
        " e.department_id, d.name, e.manager_id, m.name FROM reviews r"
        " JOIN people w ON w.id = r.reviewer_id JOIN people e ON e.id = r.reviewee_id"
        " LEFT JOIN departments d ON d.id = e.department_id"
        " LEFT JOIN people m ON m.id = e.manager_id"
        " WHERE r.cycle_id = $1 AND r.status <> 'cancelled' ORDER BY r.id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(s, 1, cycle);
    while ((rc = stmt_step(s)) == 1) {
        struct progress_row *x = slot(a, &arr, &cap, len++, sizeof(**v));

        x->review_id = col_i64(s, 0);
        x->kind = dup(a, s, 1);
        x->status = dup(a, s, 2);
        x->reviewer_id = col_i64(s, 3);
        x->reviewer_name = dup(a, s, 4);
        x->reviewee_id = col_i64(s, 5);
        x->reviewee_name = dup(a, s, 6);
        x->department_id = id0(s, 7);
        x->department_name = dup(a, s, 8);
        x->manager_id = id0(s, 9);
        x->manager_name = dup(a, s, 10);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_reminded_since(struct db *db, int64_t person, const char *key_like,
                              const char *since, bool *yes)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND kind = 'review_reminder'"
        " AND dedupe_key LIKE $2 AND created_at > $3";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, person);
    stmt_text(s, 2, key_like);
    stmt_text(s, 3, since);
    rc = stmt_step(s);
    *yes = rc == 1 && col_i64(s, 0) > 0;
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}
