/* SPDX-License-Identifier: MIT */
/* See cases.h. */
#include "store/cases.h"

#include <string.h>

#define CASE_COLS                                                                                  \
    "c.id, c.person_id, c.opened_by, c.decided_by, p.name, o.name, c.kind, c.status,"              \
    " c.proposed_title, c.proposed_level, c.justification, c.evidence, c.decision_note,"           \
    " c.created_at, c.decided_at"
/* CROSS JOIN keeps the cases outermost (SQLite would otherwise walk every person when the case
 * table is small beside the people table); the join conditions open each WHERE */
#define CASE_FROM                                                                                  \
    " FROM promotion_cases c CROSS JOIN people p CROSS JOIN people o"                              \
    " WHERE p.id = c.person_id AND o.id = c.opened_by AND "

static void read_case(struct stmt *s, struct arena *a, struct promotion_case *c)
{
    c->id = col_i64(s, 0);
    c->person_id = col_i64(s, 1);
    c->opened_by = col_i64(s, 2);
    c->decided_by = col_null(s, 3) ? 0 : col_i64(s, 3);
    c->person_name = arena_strdup(a, col_text(s, 4));
    c->opener_name = arena_strdup(a, col_text(s, 5));
    c->kind = arena_strdup(a, col_text(s, 6));
    c->status = arena_strdup(a, col_text(s, 7));
    c->proposed_title = arena_strdup(a, col_text(s, 8));
    c->proposed_level = arena_strdup(a, col_text(s, 9));
    c->justification = arena_strdup(a, col_text(s, 10));
    c->evidence = arena_strdup(a, col_text(s, 11));
    c->decision_note = arena_strdup(a, col_text(s, 12));
    c->created_at = arena_strdup(a, col_text(s, 13));
    c->decided_at = arena_strdup(a, col_text(s, 14));
}

enum err store_cases_insert(struct db *db, struct promotion_case *c)
{
    static const char sql[] =
        "INSERT INTO promotion_cases (person_id, opened_by, kind, status, proposed_title,"
        " proposed_level, justification, evidence, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, c->person_id);
    stmt_i64(s, 2, c->opened_by);
    stmt_text(s, 3, c->kind);
    stmt_text(s, 4, c->status);
    stmt_text(s, 5, c->proposed_title);
    stmt_text(s, 6, c->proposed_level);
    stmt_text(s, 7, c->justification);
    stmt_text(s, 8, c->evidence);
    stmt_text(s, 9, c->created_at);
    rc = stmt_step(s);
    if (rc == 1)
        c->id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cases_get(struct db *db, struct arena *a, int64_t id, struct promotion_case *c)
{
    static const char sql[] = "SELECT " CASE_COLS CASE_FROM "c.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_case(s, a, c);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_cases_list(struct db *db, struct arena *a, int64_t person, struct promotion_case **v,
                          size_t *n)
{
    /* two statements: "$1 = 0 OR" would make one plan for both and walk every person */
    static const char sql_all[] =
        "SELECT " CASE_COLS CASE_FROM "$1 = 0 ORDER BY c.id DESC LIMIT 500";
    static const char sql_person[] =
        "SELECT " CASE_COLS CASE_FROM "c.person_id = $1 ORDER BY c.id DESC LIMIT 500";
    struct stmt *s = db_stmt(db, person ? sql_person : sql_all);
    size_t cap = 16, len = 0;
    struct promotion_case *arr = arena_alloc(a, cap * sizeof(*arr));
    int rc;

    stmt_i64(s, 1, person);
    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct promotion_case *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, arr, len * sizeof(*arr));
            arr = w;
            cap *= 2;
        }
        read_case(s, a, &arr[len++]);
    }
    stmt_reset(s);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cases_transition(struct db *db, int64_t id, const char *from, const char *to,
                                int64_t decided_by, const char *note, const char *now)
{
    static const char sql[] = "UPDATE promotion_cases SET status = $3, decided_by = $4,"
                              " decision_note = COALESCE($5, decision_note), decided_at = $6"
                              " WHERE id = $1 AND status = $2 RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, from);
    stmt_text(s, 3, to);
    if (decided_by)
        stmt_i64(s, 4, decided_by);
    else
        stmt_null(s, 4);
    stmt_text(s, 5, note);
    stmt_text(s, 6, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

bool store_cases_evidence_ok(struct db *db, const char *what, int64_t id, int64_t person)
{
    static const char sql_goal[] = "SELECT 1 FROM goals WHERE id = $1 AND owner_id = $2";
    static const char sql_acc[] = "SELECT 1 FROM accomplishments WHERE id = $1 AND person_id = $2";
    static const char sql_out[] = "SELECT 1 FROM review_outcomes WHERE id = $1 AND person_id = $2";
    const char *sql = strcmp(what, "goal_ids") == 0             ? sql_goal
                      : strcmp(what, "accomplishment_ids") == 0 ? sql_acc
                                                                : sql_out;
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_i64(s, 2, person);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1;
}
