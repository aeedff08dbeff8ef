/* SPDX-License-Identifier: MIT */
#include "store/webhooks.h"

#include <stdio.h>
#include <string.h>

#define ENDPOINT_COLS                                                                              \
    "id, url, description, event_kinds, active, secret_box, created_by, created_at, updated_at"

static void read_endpoint(struct stmt *q, struct arena *a, struct webhook_endpoint *e)
{
    e->id = col_i64(q, 0);
    e->url = col_dup(a, q, 1);
    e->description = col_dup(a, q, 2);
    e->event_kinds = col_dup(a, q, 3);
    e->active = col_i64(q, 4) != 0;
    e->secret_box = col_dup(a, q, 5);
    e->created_by = col_id(q, 6);
    e->created_at = col_dup(a, q, 7);
    e->updated_at = col_dup(a, q, 8);
}

enum err store_webhooks_insert(struct db *db, const struct webhook_endpoint *e, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO webhook_endpoints (url, description, event_kinds, active, secret_box,"
        " created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
        " RETURNING id";
    struct stmt *q = db_stmt(db, sql);

    stmt_text(q, 1, e->url);
    stmt_text(q, 2, e->description ? e->description : "");
    stmt_text(q, 3, e->event_kinds);
    stmt_i64(q, 4, e->active ? 1 : 0);
    stmt_text(q, 5, e->secret_box);
    stmt_id(q, 6, e->created_by);
    stmt_text(q, 7, e->created_at);
    return stmt_insert_id(q, id);
}

enum err store_webhooks_get(struct db *db, struct arena *a, int64_t id, struct webhook_endpoint *e)
{
    static const char sql[] = "SELECT " ENDPOINT_COLS " FROM webhook_endpoints WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_endpoint(q, a, e);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_webhooks_update(struct db *db, const struct webhook_endpoint *e)
{
    static const char sql[] =
        "UPDATE webhook_endpoints SET url = $2, description = $3, event_kinds = $4, active = $5,"
        " updated_at = $6 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, e->id);
    stmt_text(q, 2, e->url);
    stmt_text(q, 3, e->description ? e->description : "");
    stmt_text(q, 4, e->event_kinds);
    stmt_i64(q, 5, e->active ? 1 : 0);
    stmt_text(q, 6, e->updated_at);
    return stmt_exec(q);
}

enum err store_webhooks_set_secret(struct db *db, int64_t id, const char *secret_box,
                                   const char *now)
{
    static const char sql[] =
        "UPDATE webhook_endpoints SET secret_box = $2, updated_at = $3 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    stmt_text(q, 2, secret_box);
    stmt_text(q, 3, now);
    return stmt_exec(q);
}

enum err store_webhooks_delete(struct db *db, int64_t id)
{
    /* explicit rather than by cascade: the same on both stores whatever their settings */
    static const char del_attempts[] =
        "DELETE FROM webhook_attempts WHERE delivery_id IN"
        " (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)";
    static const char del_deliveries[] = "DELETE FROM webhook_deliveries WHERE endpoint_id = $1";
    static const char del_endpoint[] = "DELETE FROM webhook_endpoints WHERE id = $1";
    struct stmt *q = db_stmt(db, del_attempts);
    enum err rc;

    stmt_i64(q, 1, id);
    rc = stmt_exec(q);
    if (rc == ERR_OK) {
        q = db_stmt(db, del_deliveries);
        stmt_i64(q, 1, id);
        rc = stmt_exec(q);
    }
    if (rc == ERR_OK) {
        q = db_stmt(db, del_endpoint);
        stmt_i64(q, 1, id);
        rc = stmt_exec(q);
    }
    return rc;
}

#define ENDPOINT_JSON_COLS                                                                         \
    "e.id, e.url, e.description, e.event_kinds, e.active, e.created_at, e.updated_at,"             \
    " (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id"                       \
    " AND d.status = 'delivered'),"                                                                \
    " (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id"                       \
    " AND d.status = 'queued'),"                                                                   \
    " (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id"                       \
    " AND d.status = 'failed') FROM webhook_endpoints e"
#define ENDPOINT_SPEC                                                                              \
    "id:i url:s description:s event_kinds:s active:b created_at:s updated_at:s delivered:i"        \
    " queued:i failed:i"

enum err store_webhooks_list(struct db *db, json_t **out)
{
    static const char sql[] = "SELECT " ENDPOINT_JSON_COLS " ORDER BY e.id DESC";

    return store_json_rows(db_stmt(db, sql), ENDPOINT_SPEC, out);
}

enum err store_webhooks_get_json(struct db *db, int64_t id, json_t **out)
{
    static const char sql[] = "SELECT " ENDPOINT_JSON_COLS " WHERE e.id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    return store_json_row(q, ENDPOINT_SPEC, out);
}

enum err store_webhooks_enqueue(struct db *db, const char *event_id, const char *kind,
                                const char *payload, const char *now, int64_t *n)
{
    /* endpoints are few (an admin registers them one by one): a scan of them is the plan */
    static const char sql[] =
        "INSERT INTO webhook_deliveries (event_id, endpoint_id, kind, payload, created_at,"
        " next_attempt_at) SELECT $1, id, $2, $3, $4, $4 FROM webhook_endpoints"
        " WHERE active = 1 AND (',' || event_kinds || ',') LIKE ('%,' || $5 || ',%') RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    char like[80];
    int rc;

    /* the pattern is an expression, not a bare parameter: SQLite re-prepares a statement whose
     * LIKE pattern is a parameter on every run (an HRIS import emits one event per person) */
    snprintf(like, sizeof(like), "%s", kind);
    stmt_text(q, 1, event_id);
    stmt_text(q, 2, kind);
    stmt_text(q, 3, payload);
    stmt_text(q, 4, now);
    stmt_text(q, 5, like);
    *n = 0;
    while ((rc = stmt_step(q)) == 1)
        (*n)++;
    stmt_reset(q);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

bool store_webhooks_wanted(struct db *db, const char *kind)
{
    static const char sql[] = "SELECT 1 FROM webhook_endpoints WHERE active = 1"
                              " AND (',' || event_kinds || ',') LIKE ('%,' || $1 || ',%') LIMIT 1";
    struct stmt *q = db_stmt(db, sql);
    char needle[80];
    bool yes;

    snprintf(needle, sizeof(needle), "%s", kind);
    stmt_text(q, 1, needle);
    yes = stmt_step(q) == 1;
    stmt_reset(q);
    return yes;
}

enum err store_webhooks_enqueue_one(struct db *db, int64_t endpoint_id, const char *event_id,
                                    const char *kind, const char *payload, const char *now)
{
    static const char sql[] =
        "INSERT INTO webhook_deliveries (event_id, endpoint_id, kind, payload, created_at,"
        " next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)";
    struct stmt *q = db_stmt(db, sql);

    stmt_text(q, 1, event_id);
    stmt_i64(q, 2, endpoint_id);
    stmt_text(q, 3, kind);
    stmt_text(q, 4, payload);
    stmt_text(q, 5, now);
    return stmt_exec(q);
}

enum err store_webhooks_claim(struct db *db, struct arena *a, const char *now,
                              const char *lease_until, const char *token,
                              struct webhook_delivery *d)
{
    /* as for email: the conditions are repeated outside the subquery, so a second server that
     * waited on the row lock re-checks them against the row the first one left */
    static const char sql[] =
        "UPDATE webhook_deliveries SET lease_until = $2, lease_token = $3,"
        " attempts = attempts + 1 WHERE id = (SELECT id FROM webhook_deliveries"
        " WHERE status = 'queued' AND next_attempt_at <= $1"
        " AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT 1)"
        " AND status = 'queued' AND (lease_until IS NULL OR lease_until < $1)"
        " RETURNING id, endpoint_id, attempts, event_id, kind, payload";
    static const char ep[] = "SELECT url, secret_box FROM webhook_endpoints WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_text(q, 1, now);
    stmt_text(q, 2, lease_until);
    stmt_text(q, 3, token);
    rc = stmt_step(q);
    if (rc == 1) {
        d->id = col_i64(q, 0);
        d->endpoint_id = col_i64(q, 1);
        d->attempts = col_i64(q, 2);
        d->event_id = col_dup(a, q, 3);
        d->kind = col_dup(a, q, 4);
        d->payload = col_dup(a, q, 5);
    }
    stmt_reset(q);
    if (rc != 1)
        return rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    q = db_stmt(db, ep);
    stmt_i64(q, 1, d->endpoint_id);
    rc = stmt_step(q);
    if (rc == 1) {
        d->url = col_dup(a, q, 0);
        d->secret_box = col_dup(a, q, 1);
    }
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_webhooks_attempt(struct db *db, int64_t delivery_id, const char *token,
                                const char *at, long status_code, const char *error,
                                int64_t duration_ms, const char *status, const char *next)
{
    static const char upd[] =
        "UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, lease_until = NULL,"
        " lease_token = NULL, last_status_code = $5, last_error = $6,"
        " delivered_at = CASE WHEN $3 = 'delivered' THEN $7 ELSE delivered_at END"
        " WHERE id = $1 AND lease_token = $2 RETURNING id";
    static const char ins[] =
        "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, error,"
        " duration_ms) VALUES ($1, $2, $3, $4, $5)";
    struct stmt *q;
    enum err rc = db_begin(db);
    int step;

    if (rc)
        return rc;
    q = db_stmt(db, upd);
    stmt_i64(q, 1, delivery_id);
    stmt_text(q, 2, token);
    stmt_text(q, 3, status);
    stmt_text(q, 4, next);
    if (status_code > 0)
        stmt_i64(q, 5, status_code);
    else
        stmt_null(q, 5);
    stmt_text(q, 6, error);
    stmt_text(q, 7, at);
    step = stmt_step(q);
    stmt_reset(q);
    rc = step == 1 ? ERR_OK : step == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
    if (rc == ERR_OK) {
        q = db_stmt(db, ins);
        stmt_i64(q, 1, delivery_id);
        stmt_text(q, 2, at);
        if (status_code > 0)
            stmt_i64(q, 3, status_code);
        else
            stmt_null(q, 3);
        stmt_text(q, 4, error);
        stmt_i64(q, 5, duration_ms);
        rc = stmt_exec(q);
    }
    return db_end(db, rc);
}

enum err store_webhooks_deliveries(struct db *db, int64_t endpoint_id, int limit, json_t **out)
{
    static const char sql[] =
        "SELECT id, event_id, kind, status, attempts, created_at, next_attempt_at,"
        " last_status_code, last_error, delivered_at FROM webhook_deliveries"
        " WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2";
    static const char att[] =
        "SELECT a.delivery_id, a.attempted_at, a.status_code, a.error, a.duration_ms"
        " FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id"
        " WHERE d.endpoint_id = $1 AND d.id >= $2 ORDER BY a.delivery_id, a.id";
    struct stmt *q = db_stmt(db, sql);
    json_t *rows = NULL, *attempts = NULL;
    json_int_t min_id = 0;
    size_t i, j;
    json_t *row;
    enum err rc;

    stmt_i64(q, 1, endpoint_id);
    stmt_i64(q, 2, limit);
    rc = store_json_rows(q,
                         "id:i event_id:s kind:s status:s attempts:i created_at:s"
                         " next_attempt_at:s last_status_code:i last_error:s delivered_at:s",
                         &rows);
    if (rc)
        return rc;
    json_array_foreach(rows, i, row)
    {
        json_int_t id = json_integer_value(json_object_get(row, "id"));

        if (!min_id || id < min_id)
            min_id = id;
        json_object_set_new(row, "history", json_array());
    }
    if (min_id) {
        q = db_stmt(db, att);
        stmt_i64(q, 1, endpoint_id);
        stmt_i64(q, 2, min_id);
        rc = store_json_rows(q, "delivery_id:i attempted_at:s status_code:i error:s duration_ms:i",
                             &attempts);
        if (rc) {
            json_decref(rows);
            return rc;
        }
        json_array_foreach(attempts, j, row)
        {
            json_int_t did = json_integer_value(json_object_get(row, "delivery_id"));
            json_t *d;

            json_array_foreach(rows, i, d)
            {
                if (json_integer_value(json_object_get(d, "id")) == did) {
                    json_object_del(row, "delivery_id");
                    json_array_append(json_object_get(d, "history"), row);
                    break;
                }
            }
        }
        json_decref(attempts);
    }
    *out = rows;
    return ERR_OK;
}

enum err store_webhooks_redeliver(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                  const char *now)
{
    static const char sql[] =
        "UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = $3, attempts = 0,"
        " lease_until = NULL, lease_token = NULL WHERE id = $1 AND endpoint_id = $2"
        " AND status = 'failed' RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, delivery_id);
    stmt_i64(q, 2, endpoint_id);
    stmt_text(q, 3, now);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}
