/* SPDX-License-Identifier: MIT */
/* See notify.h. */
#include "store/notify.h"

#include <stdio.h>
#include <string.h>

enum err store_notify_pref(struct db *db, int64_t person, const char *kind, char channel[8],
                           bool *digest)
{
    static const char sql[] =
        "SELECT (SELECT channel FROM notification_prefs WHERE person_id = $1 AND kind = $2),"
        " (SELECT digest FROM notification_settings WHERE person_id = $1)";
    struct stmt *q = db_stmt(db, sql);
    int st;

    stmt_i64(q, 1, person);
    stmt_text(q, 2, kind);
    channel[0] = '\0';
    *digest = false;
    st = stmt_step(q);
    if (st == 1) {
        if (!col_null(q, 0))
            snprintf(channel, 8, "%s", col_text(q, 0));
        *digest = !col_null(q, 1) && col_i64(q, 1) != 0;
    }
    stmt_reset(q);
    return st < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_notify_prefs_of(struct db *db, int64_t person, json_t **out, bool *digest)
{
    static const char list[] = "SELECT kind, channel FROM notification_prefs WHERE person_id = $1"
                               " ORDER BY kind";
    static const char dg[] = "SELECT digest FROM notification_settings WHERE person_id = $1";
    struct stmt *q = db_stmt(db, dg);
    enum err rc;

    stmt_i64(q, 1, person);
    *digest = stmt_step(q) == 1 && col_i64(q, 0) != 0;
    stmt_reset(q);
    q = db_stmt(db, list);
    stmt_i64(q, 1, person);
    rc = store_json_rows(q, "kind:s channel:s", out);
    return rc;
}

enum err store_notify_pref_set(struct db *db, int64_t person, const char *kind, const char *channel)
{
    static const char sql[] =
        "INSERT INTO notification_prefs (person_id, kind, channel) VALUES ($1, $2, $3)"
        " ON CONFLICT (person_id, kind) DO UPDATE SET channel = excluded.channel";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    stmt_text(q, 2, kind);
    stmt_text(q, 3, channel);
    return stmt_exec(q);
}

enum err store_notify_digest_set(struct db *db, int64_t person, bool digest)
{
    static const char sql[] =
        "INSERT INTO notification_settings (person_id, digest) VALUES ($1, $2)"
        " ON CONFLICT (person_id) DO UPDATE SET digest = excluded.digest";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    stmt_i64(q, 2, digest ? 1 : 0);
    return stmt_exec(q);
}

enum err store_notify_add(struct db *db, int64_t person, const char *kind, const char *body,
                          const char *link, const char *key, bool pending, const char *now,
                          int64_t *id)
{
    static const char sql[] =
        "INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at,"
        " email_pending) VALUES ($1, $2, $3, $4, $5, 'direct', $6, $7)"
        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int st;

    stmt_i64(q, 1, person);
    stmt_text(q, 2, kind);
    stmt_text(q, 3, body);
    stmt_text(q, 4, link);
    stmt_text(q, 5, key);
    stmt_text(q, 6, now);
    stmt_i64(q, 7, pending ? 1 : 0);
    *id = 0;
    st = stmt_step(q);
    if (st == 1)
        *id = col_i64(q, 0);
    if (st == 1)
        st = stmt_step(q);
    stmt_reset(q);
    return st < 0 ? ERR_INTERNAL : ERR_OK;
}

enum err store_notify_email(struct db *db, int64_t person, int64_t notification, const char *dedupe,
                            const char *subject, const char *body, const char *now)
{
    static const char sql[] =
        "INSERT INTO email_outbox (dedupe_key, recipient, subject, body, entity, entity_id,"
        " created_at, next_attempt_at) SELECT $2, p.email, $3, $4, 'notification', $5, $6, $6"
        " FROM people p WHERE p.id = $1 AND p.status = 'active' AND p.email IS NOT NULL"
        " ON CONFLICT (dedupe_key) DO NOTHING";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    stmt_text(q, 2, dedupe);
    stmt_text(q, 3, subject);
    stmt_text(q, 4, body);
    stmt_id(q, 5, notification);
    stmt_text(q, 6, now);
    return stmt_exec(q);
}

static enum err mail_rows(struct stmt *q, struct arena *a, struct notify_mail **v, size_t *n)
{
    size_t cap = 16, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int st;

    while ((st = stmt_step(q)) == 1) {
        struct notify_mail *x = store_slot(a, &arr, &cap, len++, sizeof(**v));

        x->id = col_i64(q, 0);
        x->person_id = col_i64(q, 1);
        x->kind = col_dup(a, q, 2);
        x->body = col_dup(a, q, 3);
        x->link = col_dup(a, q, 4);
        x->email = col_dup(a, q, 5);
        x->channel = col_null(q, 6) ? "" : col_dup(a, q, 6);
        x->digest = !col_null(q, 7) && col_i64(q, 7) != 0;
    }
    stmt_reset(q);
    *v = arr;
    *n = len;
    return st < 0 ? ERR_INTERNAL : ERR_OK;
}

#define MAIL_COLS                                                                                  \
    "SELECT n.id, n.person_id, n.kind, n.body, n.link, p.email, (SELECT np.channel FROM"           \
    " notification_prefs np WHERE np.person_id = n.person_id AND np.kind = n.kind),"               \
    " (SELECT s.digest FROM notification_settings s WHERE s.person_id = n.person_id)"              \
    " FROM notifications n JOIN people p ON p.id = n.person_id "

enum err store_notify_of_pass(struct db *db, struct arena *a, const char *pass, int64_t from,
                              int64_t to, struct notify_mail **v, size_t *n)
{
    static const char sql[] = MAIL_COLS "WHERE n.pass = $1 AND n.person_id > $2"
                                        " AND n.person_id <= $3 AND p.status = 'active'"
                                        " ORDER BY n.person_id, n.id";
    struct stmt *q = db_stmt(db, sql);

    stmt_text(q, 1, pass);
    stmt_i64(q, 2, from);
    stmt_i64(q, 3, to);
    return mail_rows(q, a, v, n);
}

enum err store_notify_digest_due(struct db *db, struct arena *a, const char *since, int limit,
                                 struct notify_mail **v, size_t *n)
{
    static const char sql[] =
        MAIL_COLS "WHERE n.email_pending = 1 AND p.status = 'active' AND NOT EXISTS (SELECT 1"
                  " FROM notification_settings s WHERE s.person_id = n.person_id"
                  " AND s.digest_sent_at > $1) ORDER BY n.person_id, n.id LIMIT $2";
    struct stmt *q = db_stmt(db, sql);

    stmt_text(q, 1, since);
    stmt_i64(q, 2, limit);
    return mail_rows(q, a, v, n);
}

enum err store_notify_set_pending(struct db *db, int64_t id)
{
    static const char sql[] = "UPDATE notifications SET email_pending = 1 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    return stmt_exec(q);
}

enum err store_notify_digest_sent(struct db *db, int64_t person, int64_t max_id, const char *now)
{
    static const char clear[] = "UPDATE notifications SET email_pending = 0 WHERE"
                                " email_pending = 1 AND person_id = $1 AND id <= $2";
    static const char mark[] =
        "INSERT INTO notification_settings (person_id, digest, digest_sent_at) VALUES ($1, 1, $2)"
        " ON CONFLICT (person_id) DO UPDATE SET digest_sent_at = excluded.digest_sent_at";
    struct stmt *q = db_stmt(db, clear);
    enum err rc;

    stmt_i64(q, 1, person);
    stmt_i64(q, 2, max_id);
    rc = stmt_exec(q);
    if (rc == ERR_OK) {
        q = db_stmt(db, mark);
        stmt_i64(q, 1, person);
        stmt_text(q, 2, now);
        rc = stmt_exec(q);
    }
    return rc;
}

const char *store_notify_name(struct db *db, int64_t person, char *out, size_t size)
{
    static const char sql[] = "SELECT name FROM people WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    snprintf(out, size, "Someone");
    if (stmt_step(q) == 1 && !col_null(q, 0))
        snprintf(out, size, "%s", col_text(q, 0));
    stmt_reset(q);
    return out;
}

int64_t store_notify_manager(struct db *db, int64_t person)
{
    static const char sql[] = "SELECT manager_id FROM people WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);
    int64_t m = 0;

    stmt_i64(q, 1, person);
    if (stmt_step(q) == 1)
        m = col_id(q, 0);
    stmt_reset(q);
    return m;
}
