/* SPDX-License-Identifier: MIT */
/* See goals.h. Each function keeps its SQL beside it. */
#include "store/goals.h"

#include <stdio.h>
#include <string.h>

#define GOAL_COLS                                                                                  \
    "g.id, g.title, g.description, g.level, g.kind, g.status, g.visibility, g.start_date,"         \
    " g.due_date, g.created_at, g.updated_at, g.last_checkin_at, g.owner_id, g.department_id,"     \
    " g.parent_id, g.proposed_by, g.created_by, o.name, d.name, o.manager_id, g.weight,"           \
    " g.accepted, g.progress, g.rollup, g.kr_count, g.children_count, o.department_id, g.version"
#define GOAL_FROM                                                                                  \
    " FROM goals g JOIN people o ON o.id = g.owner_id"                                             \
    " LEFT JOIN departments d ON d.id = g.department_id "

#define KR_COLS                                                                                    \
    "id, goal_id, title, type, start_value, target_value, current_value, weight, unit,"            \
    " direction, done"

static const char *dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

static int64_t id_or_0(struct stmt *s, int col)
{
    return col_null(s, col) ? 0 : col_i64(s, col);
}

static void read_goal(struct stmt *s, struct arena *a, struct goal *g)
{
    memset(g, 0, sizeof(*g));
    g->id = col_i64(s, 0);
    g->title = dup(a, s, 1);
    g->description = dup(a, s, 2);
    g->level = dup(a, s, 3);
    g->kind = dup(a, s, 4);
    g->status = dup(a, s, 5);
    g->visibility = dup(a, s, 6);
    g->start_date = dup(a, s, 7);
    g->due_date = dup(a, s, 8);
    g->created_at = dup(a, s, 9);
    g->updated_at = dup(a, s, 10);
    g->last_checkin_at = dup(a, s, 11);
    g->owner_id = col_i64(s, 12);
    g->department_id = id_or_0(s, 13);
    g->parent_id = id_or_0(s, 14);
    g->proposed_by = id_or_0(s, 15);
    g->created_by = id_or_0(s, 16);
    g->owner_name = dup(a, s, 17);
    g->department_name = dup(a, s, 18);
    g->owner_manager_id = id_or_0(s, 19);
    g->weight = col_double(s, 20);
    g->accepted = col_i64(s, 21) != 0;
    g->progress = col_double(s, 22);
    g->has_rollup = !col_null(s, 23);
    g->rollup = g->has_rollup ? col_double(s, 23) : 0;
    g->kr_count = col_i64(s, 24);
    g->nchildren = (size_t)col_i64(s, 25);
    g->owner_department_id = id_or_0(s, 26);
    g->version = col_i64(s, 27);
}

static void read_kr(struct stmt *s, struct arena *a, struct key_result *k)
{
    k->id = col_i64(s, 0);
    k->goal_id = col_i64(s, 1);
    k->title = dup(a, s, 2);
    k->type = dup(a, s, 3);
    k->start = col_double(s, 4);
    k->target = col_double(s, 5);
    k->current = col_double(s, 6);
    k->weight = col_double(s, 7);
    k->unit = dup(a, s, 8);
    k->direction = dup(a, s, 9);
    k->done = col_i64(s, 10) != 0;
}

/* Runs s and collects goals; grows an arena array. */
static enum err collect(struct stmt *s, struct arena *a, struct goal **items, size_t *n)
{
    size_t cap = 16, len = 0;
    struct goal *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct goal *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_goal(s, a, &v[len++]);
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_goals_load_krs(struct db *db, struct arena *a, struct goal *g)
{
    static const char sql[] =
        "SELECT " KR_COLS " FROM key_results WHERE goal_id = $1 ORDER BY position, id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 4, len = 0;
    struct key_result *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_i64(s, 1, g->id);
    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct key_result *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_kr(s, a, &v[len++]);
    }
    stmt_reset(s);
    g->krs = v;
    g->nkrs = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_goals_get(struct db *db, struct arena *a, int64_t id, struct goal *out)
{
    static const char sql[] = "SELECT " GOAL_COLS GOAL_FROM "WHERE g.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_goal(s, a, out);
    stmt_reset(s);
    if (rc != 1)
        return rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    return store_goals_load_krs(db, a, out);
}

enum err store_goals_get_for_update(struct db *db, struct arena *a, int64_t id, struct goal *out)
{
    static const char sql[] = "SELECT " GOAL_COLS GOAL_FROM "WHERE g.id = $1 FOR UPDATE OF g";
    struct stmt *s;
    int rc;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_goals_get(db, a, id, out);
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_goal(s, a, out);
    stmt_reset(s);
    if (rc != 1)
        return rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    return store_goals_load_krs(db, a, out);
}

/* One statement per leading filter, so each uses its index (owner, the manager's reports,
 * parent, or everything by id); the other filters are checked on the rows found. */
#define LIST_TAIL                                                                                  \
    " AND ($1 = 0 OR g.owner_id = $1) AND ($2 = 0 OR o.manager_id = $2)"                           \
    " AND ($3 = 0 OR g.parent_id = $3) AND ($4 = '' OR g.level = $4)"                              \
    " AND ($5 = '' OR g.status = $5) AND ($6 = '' OR g.due_date >= $6)"                            \
    " AND ($7 = '' OR g.start_date <= $7) AND g.id > $8 ORDER BY g.id LIMIT $9"

enum err store_goals_list(struct db *db, struct arena *a, const struct goal_query *q,
                          struct goal **items, size_t *n)
{
    static const char sql_owner[] = "SELECT " GOAL_COLS GOAL_FROM "WHERE g.owner_id = $1" LIST_TAIL;
    static const char sql_team[] =
        "SELECT " GOAL_COLS GOAL_FROM
        "WHERE g.owner_id IN (SELECT id FROM people WHERE manager_id = $2)" LIST_TAIL;
    static const char sql_parent[] =
        "SELECT " GOAL_COLS GOAL_FROM "WHERE g.parent_id = $3" LIST_TAIL;
    static const char sql_all[] = "SELECT " GOAL_COLS GOAL_FROM "WHERE g.id > 0" LIST_TAIL;
    const char *sql = q->owner_id     ? sql_owner
                      : q->manager_id ? sql_team
                      : q->parent_id  ? sql_parent
                                      : sql_all;
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, q->owner_id);
    stmt_i64(s, 2, q->manager_id);
    stmt_i64(s, 3, q->parent_id);
    stmt_text(s, 4, q->level ? q->level : "");
    stmt_text(s, 5, q->status ? q->status : "");
    stmt_text(s, 6, q->from ? q->from : "");
    stmt_text(s, 7, q->to ? q->to : "");
    stmt_i64(s, 8, q->after_id);
    stmt_i64(s, 9, q->limit);
    return collect(s, a, items, n);
}

/* Attaches key results (ordered by goal id) to goals (ordered by id) in one pass. */
static enum err attach_krs(struct stmt *s, struct arena *a, struct goal *g, size_t n)
{
    size_t gi = 0;
    int rc;

    while ((rc = stmt_step(s)) == 1) {
        int64_t goal_id = col_i64(s, 1);
        struct goal *x;

        while (gi < n && g[gi].id < goal_id)
            gi++;
        if (gi == n)
            continue;
        x = &g[gi];
        if (x->id != goal_id)
            continue;
        if (x->nkrs % 8 == 0) {
            struct key_result *w = arena_alloc(a, (x->nkrs + 8) * sizeof(*w));

            if (x->nkrs)
                memcpy(w, x->krs, x->nkrs * sizeof(*w));
            x->krs = w;
        }
        read_kr(s, a, &x->krs[x->nkrs++]);
    }
    stmt_reset(s);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_goals_period(struct db *db, struct arena *a, const char *from, const char *to,
                            struct goal **items, size_t *n)
{
    static const char sql[] =
        "SELECT " GOAL_COLS GOAL_FROM
        "WHERE ($1 = '' OR g.due_date >= $1) AND ($2 = '' OR g.start_date <= $2)"
        " ORDER BY g.id";
    static const char sql_krs[] =
        "SELECT kr.id, kr.goal_id, kr.title, kr.type, kr.start_value, kr.target_value,"
        " kr.current_value, kr.weight, kr.unit, kr.direction, kr.done"
        " FROM key_results kr JOIN goals g ON g.id = kr.goal_id"
        " WHERE ($1 = '' OR g.due_date >= $1) AND ($2 = '' OR g.start_date <= $2)"
        " ORDER BY kr.goal_id, kr.position, kr.id";
    struct stmt *s = db_stmt(db, sql);
    enum err rc;

    stmt_text(s, 1, from ? from : "");
    stmt_text(s, 2, to ? to : "");
    rc = collect(s, a, items, n);
    if (rc)
        return rc;
    s = db_stmt(db, sql_krs);
    stmt_text(s, 1, from ? from : "");
    stmt_text(s, 2, to ? to : "");
    return attach_krs(s, a, *items, *n);
}

enum err store_goals_descendants(struct db *db, struct arena *a, int64_t id, struct goal **items,
                                 size_t *n)
{
    static const char sql[] =
        "WITH RECURSIVE sub(id, depth) AS ("
        " SELECT id, 1 FROM goals WHERE parent_id = $1"
        " UNION ALL SELECT g.id, s.depth + 1 FROM goals g"
        " JOIN sub s ON g.parent_id = s.id WHERE s.depth < 32)"
        " SELECT " GOAL_COLS GOAL_FROM "WHERE g.id IN (SELECT id FROM sub) ORDER BY g.id";
    static const char sql_krs[] =
        "WITH RECURSIVE sub(id, depth) AS ("
        " SELECT id, 1 FROM goals WHERE parent_id = $1"
        " UNION ALL SELECT g.id, s.depth + 1 FROM goals g"
        " JOIN sub s ON g.parent_id = s.id WHERE s.depth < 32)"
        " SELECT " KR_COLS " FROM key_results WHERE goal_id IN (SELECT id FROM sub)"
        " ORDER BY goal_id, position, id";
    struct stmt *s = db_stmt(db, sql);
    enum err rc;

    stmt_i64(s, 1, id);
    rc = collect(s, a, items, n);
    if (rc)
        return rc;
    s = db_stmt(db, sql_krs);
    stmt_i64(s, 1, id);
    return attach_krs(s, a, *items, *n);
}

bool store_goals_is_ancestor(struct db *db, int64_t ancestor, int64_t id)
{
    static const char sql[] = "WITH RECURSIVE up(id, depth) AS ("
                              " SELECT id, 0 FROM goals WHERE id = $1"
                              " UNION ALL SELECT g.parent_id, u.depth + 1 FROM goals g"
                              " JOIN up u ON g.id = u.id WHERE u.depth < 64)"
                              " SELECT 1 FROM up WHERE id = $2 LIMIT 1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, ancestor);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1;
}

int64_t store_goals_children_count(struct db *db, int64_t id)
{
    static const char sql[] = "SELECT COUNT(*) FROM goals WHERE parent_id = $1";
    struct stmt *s = db_stmt(db, sql);
    int64_t n = 0;

    stmt_i64(s, 1, id);
    if (stmt_step(s) == 1)
        n = col_i64(s, 0);
    stmt_reset(s);
    return n;
}

static void bind_id(struct stmt *s, int idx, int64_t v)
{
    if (v)
        stmt_i64(s, idx, v);
    else
        stmt_null(s, idx);
}

static void bind_double(struct stmt *s, int idx, double v)
{
    char num[40];

    /* text keeps every digit that matters and binds the same way in both drivers */
    snprintf(num, sizeof(num), "%.17g", v);
    stmt_text(s, idx, num);
}

/* $1..$15: the columns shared by insert and update. */
static void bind_goal(struct stmt *s, const struct goal *g)
{
    stmt_text(s, 1, g->title);
    stmt_text(s, 2, g->description);
    stmt_text(s, 3, g->level);
    stmt_i64(s, 4, g->owner_id);
    bind_id(s, 5, g->department_id);
    bind_id(s, 6, g->parent_id);
    stmt_text(s, 7, g->kind);
    stmt_text(s, 8, g->status);
    stmt_text(s, 9, g->visibility);
    bind_double(s, 10, g->weight);
    stmt_text(s, 11, g->start_date);
    stmt_text(s, 12, g->due_date);
    bind_id(s, 13, g->proposed_by);
    stmt_i64(s, 14, g->accepted ? 1 : 0);
    stmt_text(s, 15, g->updated_at);
}

enum err store_goals_insert(struct db *db, struct goal *g)
{
    static const char sql[] =
        "INSERT INTO goals (title, description, level, owner_id, department_id, parent_id, kind,"
        " status, visibility, weight, start_date, due_date, proposed_by, accepted, updated_at,"
        " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " CAST($10 AS DOUBLE PRECISION), $11, $12, $13, $14, $15, $16, $15) RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    bind_goal(s, g);
    bind_id(s, 16, g->created_by);
    rc = stmt_step(s);
    if (rc == 1)
        g->id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == -2 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_goals_update(struct db *db, const struct goal *g)
{
    static const char sql[] =
        "UPDATE goals SET title = $1, description = $2, level = $3, owner_id = $4,"
        " department_id = $5, parent_id = $6, kind = $7, status = $8, visibility = $9,"
        " weight = CAST($10 AS DOUBLE PRECISION), start_date = $11, due_date = $12,"
        " proposed_by = $13, accepted = $14, updated_at = $15, version = version + 1 WHERE id = "
        "$16";
    struct stmt *s = db_stmt(db, sql);

    bind_goal(s, g);
    stmt_i64(s, 16, g->id);
    return stmt_exec(s);
}

enum err store_goals_delete(struct db *db, int64_t id)
{
    static const char sql_links[] = "DELETE FROM accomplishment_goals WHERE goal_id = $1";
    static const char sql_contrib[] = "DELETE FROM goal_contributors WHERE goal_id = $1";
    static const char sql_checkins[] = "DELETE FROM goal_checkins WHERE goal_id = $1";
    static const char sql_krs[] = "DELETE FROM key_results WHERE goal_id = $1";
    static const char sql[] = "DELETE FROM goals WHERE id = $1";
    const char *steps[] = {sql_links, sql_contrib, sql_checkins, sql_krs, sql};
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct stmt *s = db_stmt(db, steps[i]);

        stmt_i64(s, 1, id);
        rc = stmt_exec(s);
    }
    return rc;
}

enum err store_goals_save_krs(struct db *db, int64_t goal_id, struct key_result *krs, size_t n)
{
    static const char sql_ids[] = "SELECT id FROM key_results WHERE goal_id = $1";
    static const char sql_del[] = "DELETE FROM key_results WHERE id = $1";
    static const char sql_upd[] =
        "UPDATE key_results SET position = $2, title = $3, type = $4,"
        " start_value = CAST($5 AS DOUBLE PRECISION), target_value = CAST($6 AS DOUBLE PRECISION),"
        " current_value = CAST($7 AS DOUBLE PRECISION), unit = $8, direction = $9,"
        " weight = CAST($10 AS DOUBLE PRECISION), done = $11 WHERE id = $1 AND goal_id = $12";
    static const char sql_ins[] =
        "INSERT INTO key_results (position, title, type, start_value, target_value,"
        " current_value, unit, direction, weight, done, goal_id) VALUES ($1, $2, $3,"
        " CAST($4 AS DOUBLE PRECISION), CAST($5 AS DOUBLE PRECISION),"
        " CAST($6 AS DOUBLE PRECISION), $7, $8, CAST($9 AS DOUBLE PRECISION), $10, $11)"
        " RETURNING id";
    struct stmt *s = db_stmt(db, sql_ids);
    int64_t existing[256];
    size_t nexisting = 0;
    int rc;

    stmt_i64(s, 1, goal_id);
    while ((rc = stmt_step(s)) == 1 && nexisting < 256)
        existing[nexisting++] = col_i64(s, 0);
    stmt_reset(s);
    if (rc < 0)
        return ERR_INTERNAL;
    for (size_t i = 0; i < n; i++) {
        bool known = false;

        for (size_t j = 0; j < nexisting; j++)
            known |= existing[j] == krs[i].id;
        if (krs[i].id && !known)
            return ERR_NOT_FOUND;
    }
    for (size_t j = 0; j < nexisting; j++) {
        bool kept = false;

        for (size_t i = 0; i < n; i++)
            kept |= krs[i].id == existing[j];
        if (kept)
            continue;
        s = db_stmt(db, sql_del);
        stmt_i64(s, 1, existing[j]);
        if (stmt_exec(s))
            return ERR_INTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        struct key_result *k = &krs[i];

        if (k->id) {
            s = db_stmt(db, sql_upd);
            stmt_i64(s, 1, k->id);
            stmt_i64(s, 2, (int64_t)i);
            stmt_text(s, 3, k->title);
            stmt_text(s, 4, k->type);
            bind_double(s, 5, k->start);
            bind_double(s, 6, k->target);
            bind_double(s, 7, k->current);
            stmt_text(s, 8, k->unit);
            stmt_text(s, 9, k->direction);
            bind_double(s, 10, k->weight);
            stmt_i64(s, 11, k->done);
            stmt_i64(s, 12, goal_id);
            if (stmt_exec(s))
                return ERR_INTERNAL;
            continue;
        }
        s = db_stmt(db, sql_ins);
        stmt_i64(s, 1, (int64_t)i);
        stmt_text(s, 2, k->title);
        stmt_text(s, 3, k->type);
        bind_double(s, 4, k->start);
        bind_double(s, 5, k->target);
        bind_double(s, 6, k->current);
        stmt_text(s, 7, k->unit);
        stmt_text(s, 8, k->direction);
        bind_double(s, 9, k->weight);
        stmt_i64(s, 10, k->done);
        stmt_i64(s, 11, goal_id);
        rc = stmt_step(s);
        if (rc == 1)
            k->id = col_i64(s, 0);
        stmt_reset(s);
        if (rc != 1)
            return ERR_INTERNAL;
        k->goal_id = goal_id;
    }
    return ERR_OK;
}

enum err store_goals_set_kr_value(struct db *db, int64_t kr_id, double current, bool done)
{
    static const char sql[] = "UPDATE key_results SET current_value = CAST($2 AS DOUBLE PRECISION),"
                              " done = $3 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, kr_id);
    bind_double(s, 2, current);
    stmt_i64(s, 3, done);
    return stmt_exec(s);
}

enum err store_goals_touch_checkin(struct db *db, int64_t goal_id, const char *status,
                                   const char *now)
{
    static const char sql[] = "UPDATE goals SET last_checkin_at = $2, updated_at = $2,"
                              " status = COALESCE($3, status) WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, goal_id);
    stmt_text(s, 2, now);
    stmt_text(s, 3, status);
    return stmt_exec(s);
}

enum err store_checkins_insert(struct db *db, const struct checkin *c)
{
    static const char sql[] =
        "INSERT INTO goal_checkins (goal_id, key_result_id, author_id, value, status, confidence,"
        " comment, progress, created_at) VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), $5,"
        " $6, $7, CAST($8 AS DOUBLE PRECISION), $9)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, c->goal_id);
    bind_id(s, 2, c->key_result_id);
    stmt_i64(s, 3, c->author_id);
    if (c->has_value)
        bind_double(s, 4, c->value);
    else
        stmt_null(s, 4);
    stmt_text(s, 5, c->status);
    stmt_i64(s, 6, c->confidence);
    stmt_text(s, 7, c->comment);
    bind_double(s, 8, c->progress);
    stmt_text(s, 9, c->created_at);
    return stmt_exec(s);
}

enum err store_checkins_list(struct db *db, struct arena *a, int64_t goal_id,
                             struct checkin **items, size_t *n)
{
    static const char sql[] =
        "SELECT c.id, c.goal_id, c.key_result_id, c.author_id, p.name, c.value, c.status,"
        " c.comment, c.created_at, c.confidence, c.progress FROM goal_checkins c"
        " JOIN people p ON p.id = c.author_id WHERE c.goal_id = $1 ORDER BY c.id LIMIT 1000";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 16, len = 0;
    struct checkin *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_i64(s, 1, goal_id);
    while ((rc = stmt_step(s)) == 1) {
        struct checkin *c;

        if (len == cap) {
            struct checkin *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        c = &v[len++];
        c->id = col_i64(s, 0);
        c->goal_id = col_i64(s, 1);
        c->key_result_id = id_or_0(s, 2);
        c->author_id = col_i64(s, 3);
        c->author_name = dup(a, s, 4);
        c->has_value = !col_null(s, 5);
        c->value = c->has_value ? col_double(s, 5) : 0;
        c->status = dup(a, s, 6);
        c->comment = dup(a, s, 7);
        c->created_at = dup(a, s, 8);
        c->confidence = col_i64(s, 9);
        c->progress = col_double(s, 10);
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_goals_set_computed(struct db *db, const struct goal *g)
{
    static const char sql[] =
        "UPDATE goals SET progress = CAST($2 AS DOUBLE PRECISION),"
        " rollup = CAST($3 AS DOUBLE PRECISION), kr_count = $4, children_count = $5 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, g->id);
    bind_double(s, 2, g->progress);
    if (g->has_rollup)
        bind_double(s, 3, g->rollup);
    else
        stmt_null(s, 3);
    stmt_i64(s, 4, (int64_t)g->nkrs);
    stmt_i64(s, 5, (int64_t)g->nchildren);
    return stmt_exec(s);
}

enum err store_goals_children(struct db *db, struct arena *a, int64_t parent_id,
                              struct goal **items, size_t *n)
{
    static const char sql[] = "SELECT " GOAL_COLS GOAL_FROM "WHERE g.parent_id = $1 ORDER BY g.id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, parent_id);
    return collect(s, a, items, n);
}

/* Roots: a page of the goals of a level overlapping the period, of a department's top team goals,
 * or of the goals aligned to one goal; then what is aligned below them, through the parent index,
 * down to $5 levels. One statement per kind of root, so each uses its own index ("$4 = 0 OR"
 * would scan every goal). */
#define TREE_ROOTS(roots)                                                                          \
    "SELECT id FROM goals WHERE " roots " AND ($1 = '' OR due_date >= $1)"                         \
    " AND ($2 = '' OR start_date <= $2) AND id > $6 ORDER BY id LIMIT $7"
#define TREE_CTE(roots)                                                                            \
    "WITH RECURSIVE t(id, depth) AS (SELECT id, 1 FROM (" TREE_ROOTS(                              \
        roots) ") r"                                                                               \
               " UNION ALL SELECT g.id, t.depth + 1 FROM goals g"                                  \
               " JOIN t ON g.parent_id = t.id WHERE t.depth < $5) "
#define BY_LEVEL "level = $3 AND $4 = $4"
#define BY_DEPT                                                                                    \
    "department_id = $4 AND level = $3 AND NOT EXISTS (SELECT 1 FROM goals pg"                     \
    " WHERE pg.id = goals.parent_id AND pg.department_id = $4 AND pg.level = $3)"
#define BY_PARENT "parent_id = $4 AND $3 = $3"
#define TREE_GOALS(roots)                                                                          \
    TREE_CTE(roots)                                                                                \
    "SELECT " GOAL_COLS GOAL_FROM "WHERE g.id IN (SELECT id FROM t) ORDER BY g.id"                 \
    " LIMIT $8"
#define TREE_KRS(roots)                                                                            \
    TREE_CTE(roots)                                                                                \
    "SELECT " KR_COLS " FROM key_results WHERE goal_id IN (SELECT id FROM t)"                      \
    " ORDER BY goal_id, position, id"

enum err store_goals_tree(struct db *db, struct arena *a, const struct goal_tree_query *q,
                          int64_t **roots, size_t *nroots, struct goal **items, size_t *n)
{
#define TREE_SQLS(roots)                                                                           \
    {                                                                                              \
        TREE_ROOTS(roots " AND $5 = $5"), TREE_GOALS(roots), TREE_KRS(roots)                       \
    }
    static const char *const sqls[3][3] = {TREE_SQLS(BY_LEVEL), TREE_SQLS(BY_DEPT),
                                           TREE_SQLS(BY_PARENT)};
#undef TREE_SQLS
    static const char *const levels[3] = {"company", "team", ""};
    enum err rc = ERR_OK;

    for (int i = 0; i < 3 && rc == ERR_OK; i++) {
        struct stmt *s = db_stmt(db, sqls[q->roots][i]);

        stmt_text(s, 1, q->from ? q->from : "");
        stmt_text(s, 2, q->to ? q->to : "");
        stmt_text(s, 3, levels[q->roots]);
        stmt_i64(s, 4, q->of);
        stmt_i64(s, 5, q->depth);
        stmt_i64(s, 6, q->after_id);
        stmt_i64(s, 7, q->roots_limit);
        if (i == 1) /* one more than the most tells that there are more */
            stmt_i64(s, 8, q->max_goals + 1);
        rc = i == 0   ? store_ids(s, a, roots, nroots)
             : i == 1 ? collect(s, a, items, n)
                      : attach_krs(s, a, *items, *n);
        if (rc == ERR_OK && i == 1 && *n > (size_t)q->max_goals)
            rc = ERR_TOO_LARGE;
    }
    return rc;
}

enum err store_goals_attach_krs(struct db *db, struct arena *a, struct goal *v, size_t n)
{
    static const char sql[] = "SELECT " KR_COLS " FROM key_results WHERE goal_id >= $1"
                              " AND goal_id <= $2 ORDER BY goal_id, position, id";
    struct stmt *s;

    if (n == 0)
        return ERR_OK;
    if (v[n - 1].id - v[0].id > 20000) {
        /* ids far apart: one indexed lookup per goal beats reading the whole range */
        for (size_t i = 0; i < n; i++)
            if (store_goals_load_krs(db, a, &v[i]))
                return ERR_INTERNAL;
        return ERR_OK;
    }
    s = db_stmt(db, sql);
    stmt_i64(s, 1, v[0].id);
    stmt_i64(s, 2, v[n - 1].id);
    return attach_krs(s, a, v, n);
}

enum err store_goals_load_contributors(struct db *db, struct goal *g)
{
    static const char sql[] =
        "SELECT person_id FROM goal_contributors WHERE goal_id = $1 ORDER BY person_id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    g->ncontributors = 0;
    stmt_i64(s, 1, g->id);
    while ((rc = stmt_step(s)) == 1)
        if (g->ncontributors < GOAL_MAX_CONTRIBUTORS)
            g->contributors[g->ncontributors++] = col_i64(s, 0);
    stmt_reset(s);
    g->contributors_loaded = true;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_goals_save_contributors(struct db *db, const struct goal *g)
{
    static const char sql_del[] = "DELETE FROM goal_contributors WHERE goal_id = $1";
    static const char sql_ins[] =
        "INSERT INTO goal_contributors (goal_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    struct stmt *s = db_stmt(db, sql_del);
    enum err rc;

    stmt_i64(s, 1, g->id);
    rc = stmt_exec(s);
    for (size_t i = 0; rc == ERR_OK && i < g->ncontributors; i++) {
        s = db_stmt(db, sql_ins);
        stmt_i64(s, 1, g->id);
        stmt_i64(s, 2, g->contributors[i]);
        rc = stmt_exec(s);
    }
    return rc;
}
