/* SPDX-License-Identifier: MIT */
/* See feedback.h. */
#include "store/feedback.h"

#include <string.h>

#define FB_COLS                                                                                    \
    "f.id, f.author_id, f.recipient_id, f.request_id, a.name, r.name, f.kind, f.visibility,"       \
    " f.company_value, f.body, f.created_at"
#define FB_FROM                                                                                    \
    " FROM feedback f JOIN people a ON a.id = f.author_id JOIN people r ON r.id = f.recipient_id "
#define REQ_COLS                                                                                   \
    "q.id, q.requester_id, q.asked_id, q.feedback_id, a.name, b.name, q.topic, q.due_date,"        \
    " q.status, q.decline_reason, q.created_at, q.updated_at"
#define REQ_FROM                                                                                   \
    " FROM feedback_requests q JOIN people a ON a.id = q.requester_id"                             \
    " JOIN people b ON b.id = q.asked_id "

static const char *dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

static void read_fb(struct stmt *s, struct arena *a, struct feedback *f)
{
    f->id = col_i64(s, 0);
    f->author_id = col_i64(s, 1);
    f->recipient_id = col_i64(s, 2);
    f->request_id = col_null(s, 3) ? 0 : col_i64(s, 3);
    f->author_name = dup(a, s, 4);
    f->recipient_name = dup(a, s, 5);
    f->kind = dup(a, s, 6);
    f->visibility = dup(a, s, 7);
    f->company_value = dup(a, s, 8);
    f->body = dup(a, s, 9);
    f->created_at = dup(a, s, 10);
}

static void read_req(struct stmt *s, struct arena *a, struct feedback_request *q)
{
    q->id = col_i64(s, 0);
    q->requester_id = col_i64(s, 1);
    q->asked_id = col_i64(s, 2);
    q->feedback_id = col_null(s, 3) ? 0 : col_i64(s, 3);
    q->requester_name = dup(a, s, 4);
    q->asked_name = dup(a, s, 5);
    q->topic = dup(a, s, 6);
    q->due_date = dup(a, s, 7);
    q->status = dup(a, s, 8);
    q->decline_reason = dup(a, s, 9);
    q->created_at = dup(a, s, 10);
    q->updated_at = dup(a, s, 11);
}

enum err store_feedback_insert(struct db *db, struct feedback *f)
{
    static const char sql[] =
        "INSERT INTO feedback (author_id, recipient_id, kind, visibility, company_value, body,"
        " request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, f->author_id);
    stmt_i64(s, 2, f->recipient_id);
    stmt_text(s, 3, f->kind);
    stmt_text(s, 4, f->visibility);
    stmt_text(s, 5, f->company_value);
    stmt_text(s, 6, f->body);
    if (f->request_id)
        stmt_i64(s, 7, f->request_id);
    else
        stmt_null(s, 7);
    stmt_text(s, 8, f->created_at);
    rc = stmt_step(s);
    if (rc == 1)
        f->id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_feedback_get(struct db *db, struct arena *a, int64_t id, struct feedback *out)
{
    static const char sql[] = "SELECT " FB_COLS FB_FROM "WHERE f.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_fb(s, a, out);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_feedback_list(struct db *db, struct arena *a, enum feedback_scope scope,
                             int64_t person, int64_t before_id, int limit, struct feedback **items,
                             size_t *n)
{
    static const char sql_received[] =
        "SELECT " FB_COLS FB_FROM "WHERE f.recipient_id = $1 AND ($2 = 0 OR f.id < $2)"
        " ORDER BY f.id DESC LIMIT $3";
    static const char sql_given[] =
        "SELECT " FB_COLS FB_FROM "WHERE f.author_id = $1 AND ($2 = 0 OR f.id < $2)"
        " ORDER BY f.id DESC LIMIT $3";
    static const char sql_wall[] =
        "SELECT " FB_COLS FB_FROM "WHERE f.visibility = 'public' AND $1 >= 0"
        " AND ($2 = 0 OR f.id < $2) ORDER BY f.id DESC LIMIT $3";
    struct stmt *s = db_stmt(db, scope == FB_RECEIVED ? sql_received
                                 : scope == FB_GIVEN  ? sql_given
                                                      : sql_wall);
    size_t cap = 16, len = 0;
    struct feedback *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_i64(s, 1, person);
    stmt_i64(s, 2, before_id);
    stmt_i64(s, 3, limit);
    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct feedback *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_fb(s, a, &v[len++]);
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_feedback_requests_insert(struct db *db, struct feedback_request *q)
{
    static const char sql[] =
        "INSERT INTO feedback_requests (requester_id, asked_id, topic, due_date, status,"
        " created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $5) RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, q->requester_id);
    stmt_i64(s, 2, q->asked_id);
    stmt_text(s, 3, q->topic);
    stmt_text(s, 4, q->due_date);
    stmt_text(s, 5, q->created_at);
    rc = stmt_step(s);
    if (rc == 1)
        q->id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_feedback_requests_get(struct db *db, struct arena *a, int64_t id,
                                     struct feedback_request *out)
{
    static const char sql[] = "SELECT " REQ_COLS REQ_FROM "WHERE q.id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1)
        read_req(s, a, out);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_feedback_requests_list(struct db *db, struct arena *a, int64_t person, int mine,
                                      struct feedback_request **items, size_t *n)
{
    static const char sql_mine[] =
        "SELECT " REQ_COLS REQ_FROM "WHERE q.requester_id = $1 ORDER BY q.id DESC LIMIT 500";
    static const char sql_asked[] =
        "SELECT " REQ_COLS REQ_FROM "WHERE q.asked_id = $1 ORDER BY q.id DESC LIMIT 500";
    struct stmt *s = db_stmt(db, mine ? sql_mine : sql_asked);
    size_t cap = 16, len = 0;
    struct feedback_request *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_i64(s, 1, person);
    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct feedback_request *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_req(s, a, &v[len++]);
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_feedback_requests_close(struct db *db, int64_t id, const char *status,
                                       int64_t feedback_id, const char *reason, const char *now)
{
    /* only an open request closes: a second answer finds nothing to update */
    static const char sql[] = "UPDATE feedback_requests SET status = $2, feedback_id = $3,"
                              " decline_reason = $4, updated_at = $5"
                              " WHERE id = $1 AND status = 'open' RETURNING id";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    stmt_text(s, 2, status);
    if (feedback_id)
        stmt_i64(s, 3, feedback_id);
    else
        stmt_null(s, 3);
    stmt_text(s, 4, reason);
    stmt_text(s, 5, now);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}
