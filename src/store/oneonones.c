/* SPDX-License-Identifier: MIT */
/* See oneonones.h. */
#include "store/oneonones.h"
#include "util/tz.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SERIES_COLS                                                                                \
    "s.id, s.lead_id, s.member_id, s.relation, s.cadence_weeks, s.weekday, s.start_time,"          \
    " s.timezone, s.duration_minutes, s.first_date, s.status, s.created_by, s.created_at,"         \
    " l.name, m.name, l.email, m.email, s.kind"
#define SERIES_FROM                                                                                \
    " FROM oneonone_series s JOIN people l ON l.id = s.lead_id JOIN people m ON m.id = "           \
    "s.member_id"

static void read_series(struct stmt *q, struct arena *a, struct series *s)
{
    s->id = col_i64(q, 0);
    s->lead_id = col_i64(q, 1);
    s->member_id = col_i64(q, 2);
    s->relation = col_dup(a, q, 3);
    s->cadence_weeks = col_i64(q, 4);
    s->weekday = col_i64(q, 5);
    s->start_time = col_dup(a, q, 6);
    s->timezone = col_dup(a, q, 7);
    s->duration_minutes = col_i64(q, 8);
    s->first_date = col_dup(a, q, 9);
    s->status = col_dup(a, q, 10);
    s->created_by = col_i64(q, 11);
    s->created_at = col_dup(a, q, 12);
    s->lead_name = col_dup(a, q, 13);
    s->member_name = col_dup(a, q, 14);
    s->lead_email = col_dup(a, q, 15);
    s->member_email = col_dup(a, q, 16);
    s->kind = col_dup(a, q, 17);
}

enum err store_series_insert(struct db *db, struct series *s)
{
    static const char sql[] =
        "INSERT INTO oneonone_series (lead_id, member_id, relation, cadence_weeks, weekday,"
        " start_time, timezone, duration_minutes, first_date, status, created_by, created_at, kind)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11, $12) RETURNING id";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, s->lead_id);
    stmt_i64(q, 2, s->member_id);
    stmt_text(q, 3, s->relation);
    stmt_i64(q, 4, s->cadence_weeks);
    stmt_i64(q, 5, s->weekday);
    stmt_text(q, 6, s->start_time);
    stmt_text(q, 7, s->timezone);
    stmt_i64(q, 8, s->duration_minutes);
    stmt_text(q, 9, s->first_date);
    stmt_i64(q, 10, s->created_by);
    stmt_text(q, 11, s->created_at);
    stmt_text(q, 12, s->kind ? s->kind : "regular");
    return stmt_insert_id(q, &s->id);
}

enum err store_series_get(struct db *db, struct arena *a, int64_t id, struct series *s)
{
    static const char sql[] = "SELECT " SERIES_COLS SERIES_FROM " WHERE s.id = $1";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_series(q, a, s);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_series_for(struct db *db, struct arena *a, int64_t person, struct series **v,
                          size_t *n)
{
    static const char sql[] = "SELECT " SERIES_COLS SERIES_FROM
                              " WHERE s.lead_id = $1 OR s.member_id = $1 ORDER BY s.status, s.id"
                              " LIMIT 500";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, person);
    while ((rc = stmt_step(q)) == 1)
        read_series(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

bool store_series_exists(struct db *db, int64_t lead, int64_t member, const char *kind)
{
    static const char sql[] = "SELECT 1 FROM oneonone_series WHERE lead_id = $1 AND member_id = $2"
                              " AND kind = $3 AND status IN ('active', 'paused') LIMIT 1";
    struct stmt *q = db_stmt(db, sql);
    bool found;

    stmt_i64(q, 1, lead);
    stmt_i64(q, 2, member);
    stmt_text(q, 3, kind);
    found = stmt_step(q) == 1;
    stmt_reset(q);
    return found;
}

enum err store_series_get_for_update(struct db *db, struct arena *a, int64_t id, struct series *s)
{
    static const char sql[] = "SELECT " SERIES_COLS SERIES_FROM " WHERE s.id = $1 FOR UPDATE OF s";
    struct stmt *q;
    int rc;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_series_get(db, a, id, s);
    q = db_stmt(db, sql);
    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_series(q, a, s);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_series_update(struct db *db, const struct series *s)
{
    static const char sql[] =
        "UPDATE oneonone_series SET cadence_weeks = $2, weekday = $3, start_time = $4,"
        " timezone = $5, first_date = $6, status = $7 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, s->id);
    stmt_i64(q, 2, s->cadence_weeks);
    stmt_i64(q, 3, s->weekday);
    stmt_text(q, 4, s->start_time);
    stmt_text(q, 5, s->timezone);
    stmt_text(q, 6, s->first_date);
    stmt_text(q, 7, s->status);
    return stmt_exec(q);
}

#define MEETING_COLS                                                                               \
    "id, series_id, occurrence_date, starts_at, local_start, status, moved, skip_reason,"          \
    " shared_notes, career_discussed, held_at, completed_by"

static void read_meeting(struct stmt *q, struct arena *a, struct meeting *m)
{
    m->id = col_i64(q, 0);
    m->series_id = col_i64(q, 1);
    m->occurrence_date = col_dup(a, q, 2);
    m->starts_at = col_dup(a, q, 3);
    m->local_start = col_dup(a, q, 4);
    m->status = col_dup(a, q, 5);
    m->moved = col_i64(q, 6) != 0;
    m->skip_reason = col_dup(a, q, 7);
    m->shared_notes = col_dup(a, q, 8);
    m->career_discussed = col_i64(q, 9) != 0;
    m->held_at = col_dup(a, q, 10);
    m->completed_by = col_id(q, 11);
}

static enum err one_meeting(struct stmt *q, struct arena *a, struct meeting *m)
{
    int rc = stmt_step(q);

    if (rc == 1)
        read_meeting(q, a, m);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

static enum err meetings(struct stmt *q, struct arena *a, struct meeting **v, size_t *n)
{
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    while ((rc = stmt_step(q)) == 1)
        read_meeting(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_meetings_insert(struct db *db, struct meeting *m)
{
    static const char sql[] =
        "INSERT INTO oneonone_meetings (series_id, occurrence_date, starts_at, local_start,"
        " status) VALUES ($1, $2, $3, $4, 'scheduled') RETURNING id";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, m->series_id);
    stmt_text(q, 2, m->occurrence_date);
    stmt_text(q, 3, m->starts_at);
    stmt_text(q, 4, m->local_start);
    return stmt_insert_id(q, &m->id);
}

enum err store_meetings_reschedule(struct db *db, const struct meeting *m)
{
    static const char sql[] =
        "UPDATE oneonone_meetings SET occurrence_date = $2, starts_at = $3, local_start = $4,"
        " moved = 0 WHERE id = $1 AND status = 'scheduled'";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, m->id);
    stmt_text(q, 2, m->occurrence_date);
    stmt_text(q, 3, m->starts_at);
    stmt_text(q, 4, m->local_start);
    return stmt_exec(q);
}

enum err store_meetings_remove_scheduled(struct db *db, int64_t series)
{
    static const char del[] =
        "DELETE FROM oneonone_meetings WHERE series_id = $1 AND status = 'scheduled'"
        " AND NOT EXISTS (SELECT 1 FROM oneonone_points p WHERE p.meeting_id = "
        "oneonone_meetings.id)"
        " AND NOT EXISTS (SELECT 1 FROM oneonone_private_notes x"
        " WHERE x.meeting_id = oneonone_meetings.id)"
        " AND NOT EXISTS (SELECT 1 FROM action_items x WHERE x.series_id = $1"
        " AND x.meeting_id = oneonone_meetings.id)";
    static const char cancel[] = "UPDATE oneonone_meetings SET status = 'cancelled'"
                                 " WHERE series_id = $1 AND status = 'scheduled'";
    struct stmt *q = db_stmt(db, del);
    enum err rc;

    stmt_i64(q, 1, series);
    rc = stmt_exec(q);
    if (rc == ERR_OK) {
        q = db_stmt(db, cancel);
        stmt_i64(q, 1, series);
        rc = stmt_exec(q);
    }
    return rc;
}

enum err store_meetings_get(struct db *db, struct arena *a, int64_t id, struct meeting *m)
{
    static const char sql[] = "SELECT " MEETING_COLS " FROM oneonone_meetings WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    return one_meeting(q, a, m);
}

enum err store_meetings_get_for_update(struct db *db, struct arena *a, int64_t id,
                                       struct meeting *m)
{
    static const char sql[] =
        "SELECT " MEETING_COLS " FROM oneonone_meetings WHERE id = $1 FOR UPDATE";
    struct stmt *q;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_meetings_get(db, a, id, m);
    q = db_stmt(db, sql);
    stmt_i64(q, 1, id);
    return one_meeting(q, a, m);
}

enum err store_meetings_of(struct db *db, struct arena *a, int64_t series, struct meeting **v,
                           size_t *n)
{
    static const char sql[] = "SELECT " MEETING_COLS " FROM oneonone_meetings WHERE series_id = $1"
                              " ORDER BY occurrence_date DESC LIMIT 200";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, series);
    return meetings(q, a, v, n);
}

enum err store_meetings_next(struct db *db, struct arena *a, int64_t series, struct meeting *m)
{
    static const char sql[] = "SELECT " MEETING_COLS " FROM oneonone_meetings WHERE series_id = $1"
                              " AND status = 'scheduled' ORDER BY occurrence_date LIMIT 1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, series);
    return one_meeting(q, a, m);
}

const char *store_meetings_previous_held(struct db *db, struct arena *a, int64_t series,
                                         const char *occurrence)
{
    static const char sql[] =
        "SELECT held_at FROM oneonone_meetings WHERE series_id = $1 AND status = 'held'"
        " AND occurrence_date < $2 ORDER BY occurrence_date DESC LIMIT 1";
    struct stmt *q = db_stmt(db, sql);
    const char *out = NULL;

    stmt_i64(q, 1, series);
    stmt_text(q, 2, occurrence);
    if (stmt_step(q) == 1)
        out = col_dup(a, q, 0);
    stmt_reset(q);
    return out;
}

enum err store_meetings_exceptions(struct db *db, struct arena *a, int64_t series,
                                   struct meeting **v, size_t *n)
{
    static const char sql[] =
        "SELECT " MEETING_COLS " FROM oneonone_meetings WHERE series_id = $1"
        " AND (moved = 1 OR status = 'skipped') ORDER BY occurrence_date LIMIT 500";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, series);
    return meetings(q, a, v, n);
}

enum err store_meetings_move(struct db *db, int64_t id, const char *starts_at,
                             const char *local_start)
{
    static const char sql[] = "UPDATE oneonone_meetings SET starts_at = $2, local_start = $3,"
                              " moved = 1 WHERE id = $1 AND status = 'scheduled' RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    stmt_text(q, 2, starts_at);
    stmt_text(q, 3, local_start);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_meetings_finish(struct db *db, int64_t id, const char *status, const char *reason,
                               bool career, const char *held_at, int64_t by)
{
    static const char sql[] =
        "UPDATE oneonone_meetings SET status = $2, skip_reason = $3, career_discussed = $4,"
        " held_at = $5, completed_by = $6 WHERE id = $1 AND status = 'scheduled' RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    stmt_text(q, 2, status);
    stmt_text(q, 3, reason);
    stmt_i64(q, 4, career);
    stmt_text(q, 5, held_at);
    stmt_i64(q, 6, by);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_meetings_set_notes(struct db *db, int64_t id, const char *notes)
{
    static const char sql[] = "UPDATE oneonone_meetings SET shared_notes = $2 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    stmt_text(q, 2, notes);
    return stmt_exec(q);
}

#define POINT_COLS                                                                                 \
    "p.id, p.meeting_id, p.author_id, p.section, p.body, p.status, p.created_at, a.name"           \
    " FROM oneonone_points p JOIN people a ON a.id = p.author_id"

static void read_point(struct stmt *q, struct arena *a, struct talking_point *p)
{
    p->id = col_i64(q, 0);
    p->meeting_id = col_i64(q, 1);
    p->author_id = col_i64(q, 2);
    p->section = col_dup(a, q, 3);
    p->body = col_dup(a, q, 4);
    p->status = col_dup(a, q, 5);
    p->created_at = col_dup(a, q, 6);
    p->author_name = col_dup(a, q, 7);
}

enum err store_points_insert(struct db *db, struct talking_point *p)
{
    static const char sql[] =
        "INSERT INTO oneonone_points (meeting_id, author_id, section, body, status, created_at)"
        " VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, p->meeting_id);
    stmt_i64(q, 2, p->author_id);
    stmt_text(q, 3, p->section);
    stmt_text(q, 4, p->body);
    stmt_text(q, 5, p->created_at);
    return stmt_insert_id(q, &p->id);
}

enum err store_points_get(struct db *db, struct arena *a, int64_t id, struct talking_point *p)
{
    static const char sql[] = "SELECT " POINT_COLS " WHERE p.id = $1";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_point(q, a, p);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_points_of(struct db *db, struct arena *a, int64_t meeting, struct talking_point **v,
                         size_t *n)
{
    static const char sql[] = "SELECT " POINT_COLS " WHERE p.meeting_id = $1 ORDER BY p.id";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, meeting);
    while ((rc = stmt_step(q)) == 1)
        read_point(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_points_set_status(struct db *db, int64_t id, const char *status)
{
    static const char sql[] = "UPDATE oneonone_points SET status = $2 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    stmt_text(q, 2, status);
    return stmt_exec(q);
}

enum err store_points_carry(struct db *db, int64_t from, int64_t to, bool open_too, const char *now)
{
    static const char sql[] =
        "INSERT INTO oneonone_points (meeting_id, author_id, section, body, status, created_at)"
        " SELECT $2, author_id, section, body, 'open', $3 FROM oneonone_points"
        " WHERE meeting_id = $1 AND (status = 'moved' OR ($4 = 1 AND status = 'open'))"
        " ORDER BY id";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, from);
    stmt_i64(q, 2, to);
    stmt_text(q, 3, now);
    stmt_i64(q, 4, open_too);
    return stmt_exec(q);
}

enum err store_private_note_put(struct db *db, int64_t meeting, int64_t author, const char *sealed,
                                const char *now)
{
    static const char sql[] =
        "INSERT INTO oneonone_private_notes (meeting_id, author_id, sealed, updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, author_id) DO UPDATE SET"
        " sealed = excluded.sealed, updated_at = excluded.updated_at";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, meeting);
    stmt_i64(q, 2, author);
    stmt_text(q, 3, sealed);
    stmt_text(q, 4, now);
    return stmt_exec(q);
}

enum err store_private_note_get(struct db *db, struct arena *a, int64_t meeting, int64_t author,
                                const char **sealed)
{
    static const char sql[] =
        "SELECT sealed FROM oneonone_private_notes WHERE meeting_id = $1 AND author_id = $2";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, meeting);
    stmt_i64(q, 2, author);
    rc = stmt_step(q);
    *sealed = rc == 1 ? col_dup(a, q, 0) : NULL;
    stmt_reset(q);
    return rc < 0 ? ERR_INTERNAL : ERR_OK;
}

#define ACTION_COLS                                                                                \
    "x.id, x.series_id, x.meeting_id, x.owner_id, x.idp_action_id, x.body, x.due_date, x.status,"  \
    " x.created_at, x.done_at, o.name FROM action_items x JOIN people o ON o.id = x.owner_id"

static void read_action(struct stmt *q, struct arena *a, struct action_item *x)
{
    x->id = col_i64(q, 0);
    x->series_id = col_i64(q, 1);
    x->meeting_id = col_i64(q, 2);
    x->owner_id = col_i64(q, 3);
    x->idp_action_id = col_id(q, 4);
    x->body = col_dup(a, q, 5);
    x->due_date = col_dup(a, q, 6);
    x->status = col_dup(a, q, 7);
    x->created_at = col_dup(a, q, 8);
    x->done_at = col_dup(a, q, 9);
    x->owner_name = col_dup(a, q, 10);
}

enum err store_actions_insert(struct db *db, struct action_item *x)
{
    static const char sql[] =
        "INSERT INTO action_items (series_id, meeting_id, owner_id, body, due_date, status,"
        " idp_action_id, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, x->series_id);
    stmt_i64(q, 2, x->meeting_id);
    stmt_i64(q, 3, x->owner_id);
    stmt_text(q, 4, x->body);
    stmt_text(q, 5, x->due_date);
    stmt_id(q, 6, x->idp_action_id);
    stmt_text(q, 7, x->created_at);
    return stmt_insert_id(q, &x->id);
}

enum err store_actions_get(struct db *db, struct arena *a, int64_t id, struct action_item *x)
{
    static const char sql[] = "SELECT " ACTION_COLS " WHERE x.id = $1";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_action(q, a, x);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_actions_get_for_update(struct db *db, struct arena *a, int64_t id,
                                      struct action_item *x)
{
    static const char sql[] = "SELECT " ACTION_COLS " WHERE x.id = $1 FOR UPDATE OF x";
    struct stmt *q;
    int rc;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_actions_get(db, a, id, x);
    q = db_stmt(db, sql);
    stmt_i64(q, 1, id);
    rc = stmt_step(q);
    if (rc == 1)
        read_action(q, a, x);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_actions_update(struct db *db, const struct action_item *x)
{
    static const char sql[] = "UPDATE action_items SET owner_id = $2, body = $3, due_date = $4,"
                              " status = $5, done_at = $6 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, x->id);
    stmt_i64(q, 2, x->owner_id);
    stmt_text(q, 3, x->body);
    stmt_text(q, 4, x->due_date);
    stmt_text(q, 5, x->status);
    stmt_text(q, 6, x->done_at);
    return stmt_exec(q);
}

enum err store_actions_for_meeting(struct db *db, struct arena *a, int64_t series, int64_t meeting,
                                   struct action_item **v, size_t *n)
{
    /* carried until done: every open item of the series, plus what this meeting added */
    static const char sql[] = "SELECT " ACTION_COLS " WHERE x.series_id = $1"
                              " AND (x.status = 'open' OR x.meeting_id = $2)"
                              " ORDER BY x.due_date IS NULL, x.due_date, x.id LIMIT 500";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, series);
    stmt_i64(q, 2, meeting);
    while ((rc = stmt_step(q)) == 1)
        read_action(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

#define OUTBOX_COLS                                                                                \
    "id, dedupe_key, recipient, subject, body, entity, entity_id, created_at, attempts,"           \
    " next_attempt_at, sent_at, last_error, status, message_id"

static void read_outbox(struct stmt *q, struct arena *a, struct outbox_msg *m)
{
    m->id = col_i64(q, 0);
    m->dedupe_key = col_dup(a, q, 1);
    m->recipient = col_dup(a, q, 2);
    m->subject = col_dup(a, q, 3);
    m->body = col_dup(a, q, 4);
    m->entity = col_dup(a, q, 5);
    m->entity_id = col_id(q, 6);
    m->created_at = col_dup(a, q, 7);
    m->attempts = col_i64(q, 8);
    m->next_attempt_at = col_dup(a, q, 9);
    m->sent_at = col_dup(a, q, 10);
    m->last_error = col_dup(a, q, 11);
    m->status = col_dup(a, q, 12);
    m->message_id = col_dup(a, q, 13);
}

enum err store_outbox_add(struct db *db, const struct outbox_msg *m)
{
    static const char sql[] =
        "INSERT INTO email_outbox (dedupe_key, recipient, subject, body, entity, entity_id,"
        " created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
        " ON CONFLICT (dedupe_key) DO NOTHING";
    struct stmt *q = db_stmt(db, sql);

    stmt_text(q, 1, m->dedupe_key);
    stmt_text(q, 2, m->recipient);
    stmt_text(q, 3, m->subject);
    stmt_text(q, 4, m->body);
    stmt_text(q, 5, m->entity);
    stmt_id(q, 6, m->entity_id);
    stmt_text(q, 7, m->created_at);
    return stmt_exec(q);
}

enum err store_outbox_claim(struct db *db, struct arena *a, const struct outbox_claim *c,
                            struct outbox_msg *m)
{
    /* the lease condition is repeated outside the subquery: with several servers, a second
     * claimer that waited on the row lock re-checks it against the row as the first left it.
     * The first claim gives the row its Message-ID; every later attempt reuses it. */
    static const char sql[] =
        "UPDATE email_outbox SET lease_until = $2, lease_token = $3, attempts = attempts + 1,"
        " message_id = COALESCE(message_id, '<outbox-' || CAST(id AS TEXT) || '.' || $4 || '@'"
        " || $5 || '>') WHERE id = (SELECT id FROM email_outbox WHERE status = 'queued'"
        " AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until < $1)"
        " ORDER BY next_attempt_at, id LIMIT 1) AND status = 'queued'"
        " AND (lease_until IS NULL OR lease_until < $1) RETURNING " OUTBOX_COLS;
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_text(q, 1, c->now);
    stmt_text(q, 2, c->lease_until);
    stmt_text(q, 3, c->token);
    stmt_text(q, 4, c->id_random);
    stmt_text(q, 5, c->id_host);
    rc = stmt_step(q);
    if (rc == 1)
        read_outbox(q, a, m);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_outbox_renew(struct db *db, int64_t id, const char *token, const char *lease_until)
{
    static const char sql[] = "UPDATE email_outbox SET lease_until = $3 WHERE id = $1"
                              " AND lease_token = $2 AND status = 'queued' RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    stmt_text(q, 2, token);
    stmt_text(q, 3, lease_until);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_outbox_sent(struct db *db, int64_t id, const char *now)
{
    static const char sql[] =
        "UPDATE email_outbox SET status = 'sent', sent_at = $2, lease_until = NULL,"
        " lease_token = NULL, last_error = NULL WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    stmt_text(q, 2, now);
    return stmt_exec(q);
}

enum err store_outbox_failed(struct db *db, int64_t id, const char *next, const char *error,
                             bool give_up)
{
    static const char sql[] = "UPDATE email_outbox SET next_attempt_at = $2, lease_until = NULL,"
                              " lease_token = NULL, last_error = $3, status = $4 WHERE id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, id);
    stmt_text(q, 2, next);
    stmt_text(q, 3, error);
    stmt_text(q, 4, give_up ? "failed" : "queued");
    return stmt_exec(q);
}

enum err store_outbox_list(struct db *db, struct arena *a, const char *status, int limit,
                           struct outbox_msg **v, size_t *n)
{
    static const char sql[] = "SELECT " OUTBOX_COLS " FROM email_outbox WHERE status = $1"
                              " ORDER BY id DESC LIMIT $2";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_text(q, 1, status);
    stmt_i64(q, 2, limit);
    while ((rc = stmt_step(q)) == 1)
        read_outbox(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_outbox_retry(struct db *db, int64_t id, const char *now)
{
    static const char sql[] =
        "UPDATE email_outbox SET status = 'queued', attempts = 0, next_attempt_at = $2,"
        " lease_until = NULL, lease_token = NULL WHERE id = $1 AND status = 'failed' RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    stmt_text(q, 2, now);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_outbox_counts(struct db *db, struct outbox_counts *c)
{
    static const char sql[] =
        "SELECT status, COUNT(*), MIN(created_at) FROM email_outbox GROUP BY status";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    memset(c, 0, sizeof(*c));
    while ((rc = stmt_step(q)) == 1) {
        const char *st = col_text(q, 0);
        int64_t k = col_i64(q, 1);

        if (st && strcmp(st, "queued") == 0) {
            const char *oldest = col_text(q, 2);

            c->queued = k;
            if (oldest)
                snprintf(c->oldest_queued, sizeof(c->oldest_queued), "%s", oldest);
        } else if (st && strcmp(st, "sent") == 0) {
            c->sent = k;
        } else if (st && strcmp(st, "failed") == 0) {
            c->failed = k;
        }
    }
    stmt_reset(q);
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_outbox_of(struct db *db, struct arena *a, const char *entity, int64_t id,
                         struct outbox_msg **v, size_t *n)
{
    static const char sql[] = "SELECT " OUTBOX_COLS " FROM email_outbox WHERE entity = $1"
                              " AND entity_id = $2 ORDER BY id LIMIT 50";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 4, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_text(q, 1, entity);
    stmt_i64(q, 2, id);
    while ((rc = stmt_step(q)) == 1)
        read_outbox(q, a, store_slot(a, &arr, &cap, len++, sizeof(**v)));
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_notifications_of(struct db *db, struct arena *a, int64_t person, int limit,
                                struct notification **v, size_t *n)
{
    static const char sql[] =
        "SELECT id, person_id, kind, body, link, created_at, read_at FROM notifications"
        " WHERE person_id = $1 ORDER BY read_at IS NOT NULL, id DESC LIMIT $2";
    struct stmt *q = db_stmt(db, sql);
    size_t cap = 8, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, person);
    stmt_i64(q, 2, limit);
    while ((rc = stmt_step(q)) == 1) {
        struct notification *x = store_slot(a, &arr, &cap, len++, sizeof(**v));

        x->id = col_i64(q, 0);
        x->person_id = col_i64(q, 1);
        x->kind = col_dup(a, q, 2);
        x->body = col_dup(a, q, 3);
        x->link = col_dup(a, q, 4);
        x->created_at = col_dup(a, q, 5);
        x->read_at = col_dup(a, q, 6);
    }
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_notifications_read(struct db *db, int64_t id, int64_t person, const char *now)
{
    static const char sql[] = "UPDATE notifications SET read_at = COALESCE(read_at, $3)"
                              " WHERE id = $1 AND person_id = $2 RETURNING id";
    struct stmt *q = db_stmt(db, sql);
    int rc;

    stmt_i64(q, 1, id);
    stmt_i64(q, 2, person);
    stmt_text(q, 3, now);
    rc = stmt_step(q);
    stmt_reset(q);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_notifications_read_all(struct db *db, int64_t person, int64_t up_to, const char *now)
{
    static const char sql[] = "UPDATE notifications SET read_at = $3 WHERE person_id = $1"
                              " AND read_at IS NULL AND ($2 = 0 OR id <= $2)";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    stmt_i64(q, 2, up_to);
    stmt_text(q, 3, now);
    return stmt_exec(q);
}

int64_t store_notifications_unread(struct db *db, int64_t person)
{
    static const char sql[] =
        "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL";
    struct stmt *q = db_stmt(db, sql);
    int64_t n = 0;

    stmt_i64(q, 1, person);
    if (stmt_step(q) == 1)
        n = col_i64(q, 0);
    stmt_reset(q);
    return n;
}

/* The columns every reminder insert fills, and its tail: one notification per dedupe key. */
#define NOTIFY                                                                                     \
    "INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass, created_at) "
#define ONCE " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
/* unless the person turned the kind off (notification preferences) */
/* the parameters a rule does not use itself, named for PostgreSQL's sake */
#define PARAMS_8_10 " AND $8 <> '' AND $9 <> '' AND $10 <> ''"
/* the people this transaction of the pass reminds: ids in ($11, $12] */
#define FOR_RANGE(person) " AND " person " > $11 AND " person " <= $12"
#define UNMUTED(person, kind)                                                                      \
    " AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.person_id = " person            \
    " AND np.kind = '" kind "' AND np.channel = 'off')"

enum err store_remind(struct db *db, const struct remind_clock *k, int64_t *created)
{
    /* $1 pass, $2 now, $3 today, $4 in 24 hours, $5 the one-on-one threshold ago, $6 the stale
     * goal threshold ago, $7 week, $8 the review deadline horizon, $9 weeks, $10 days (text),
     * $11 and $12 the range of the people reminded (ids in ($11, $12]);
     * every statement names every parameter, as PostgreSQL requires */
    static const char *const rules[] = {
        /* a meeting within a day with no talking point yet: both sides */
        NOTIFY "SELECT p.id, 'agenda_empty', 'Your one-on-one with ' || o.name || ' starts "
               "within a day and its agenda is empty: add your talking points.',"
               " '#/one-on-ones/meetings/' || CAST(m.id AS TEXT), 'agenda-empty:' ||"
               " CAST(m.id AS TEXT) || ':' || CAST(p.id AS TEXT), $1, $2"
               " FROM oneonone_meetings m JOIN oneonone_series s ON s.id = m.series_id"
               " JOIN people p ON p.id IN (s.lead_id, s.member_id)"
               " JOIN people o ON o.id IN (s.lead_id, s.member_id) AND o.id <> p.id"
               " WHERE m.status = 'scheduled' AND m.starts_at > $2 AND m.starts_at <= $4"
               " AND NOT EXISTS (SELECT 1 FROM oneonone_points t WHERE t.meeting_id = m.id)"
               " AND $3 <> '' AND $5 <> '' AND $6 <> '' AND $7 <> ''" PARAMS_8_10 FOR_RANGE("p.id")
                   UNMUTED("p.id", "agenda_empty") ONCE,
        /* an open action item due by tomorrow: its owner */
        NOTIFY "SELECT x.owner_id, 'action_due', 'Action item due ' || x.due_date || ': ' ||"
               " x.body, '#/one-on-ones/' || CAST(x.series_id AS TEXT), 'action-due:' ||"
               " CAST(x.id AS TEXT), $1, $2 FROM action_items x WHERE x.status = 'open'"
               " AND x.due_date IS NOT NULL AND x.due_date <= $3 AND $4 <> '' AND $5 <> ''"
               " AND $6 <> '' AND $7 <> ''" PARAMS_8_10 FOR_RANGE("x.owner_id")
                   UNMUTED("x.owner_id", "action_due") ONCE,
        /* a report not met in six weeks: their manager, once a week */
        NOTIFY
        "SELECT r.manager_id, 'no_one_on_one', 'You have not had a one-on-one with ' ||"
        " r.name || ' in ' || $9 || ' weeks.', '#/one-on-ones', 'no-1on1:' || CAST(r.id AS TEXT)"
        " || ':' || $7, $1, $2 FROM people r WHERE r.status = 'active' AND r.manager_id"
        " IS NOT NULL AND (r.hire_date IS NULL OR r.hire_date <= $5)"
        /* CROSS JOIN keeps SQLite on the series index (manager, report) and then the
         * meetings of that series, rather than every held meeting of the company */
        " AND NOT EXISTS (SELECT 1 FROM oneonone_series s CROSS JOIN oneonone_meetings m"
        " WHERE m.series_id = s.id AND s.lead_id = r.manager_id AND s.member_id = r.id"
        " AND m.status = 'held' AND m.held_at >= $5)"
        " AND $3 <> '' AND $4 <> '' AND $6 <> ''" PARAMS_8_10 FOR_RANGE("r.manager_id")
            UNMUTED("r.manager_id", "no_one_on_one") ONCE,
        /* a review not submitted after its deadline: its writer */
        NOTIFY "SELECT r.reviewer_id, 'review_overdue', 'Your ' || r.kind || ' review of ' ||"
               " e.name || ' in ' || c.name || ' is overdue.', '#/reviews/' ||"
               " CAST(r.id AS TEXT), 'review-overdue:' || CAST(r.id AS TEXT), $1, $2"
               " FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id"
               " JOIN people e ON e.id = r.reviewee_id WHERE c.status = 'active'"
               " AND r.status IN ('assigned', 'draft') AND (CASE r.kind WHEN 'self' THEN"
               " c.self_due WHEN 'manager' THEN c.manager_due ELSE c.peer_due END) < $3"
               " AND $4 <> '' AND $5 <> '' AND $6 <> '' AND $7 <> ''" PARAMS_8_10 FOR_RANGE(
                   "r.reviewer_id") UNMUTED("r.reviewer_id", "review_overdue") ONCE,
        /* a running goal with no check-in for a month: its owner, once a month */
        NOTIFY
        "SELECT g.owner_id, 'goal_stale', 'No check-in for ' || $10 || ' days on your goal: '"
        " || g.title, '#/goals/' || CAST(g.id AS TEXT), 'goal-stale:' || CAST(g.id AS TEXT)"
        " || ':' || SUBSTR($3, 1, 7), $1, $2 FROM goals g WHERE g.status IN"
        " ('on_track', 'at_risk', 'off_track') AND g.level <> 'company'"
        " AND g.start_date <= $3 AND g.due_date >= $3"
        " AND COALESCE(g.last_checkin_at, g.created_at) < $6"
        " AND $4 <> '' AND $5 <> '' AND $7 <> ''" PARAMS_8_10 FOR_RANGE("g.owner_id")
            UNMUTED("g.owner_id", "goal_stale") ONCE,
        /* a review due within a day and not yet submitted: its writer, once per review */
        NOTIFY "SELECT r.reviewer_id, 'review_deadline', 'Your ' || r.kind || ' review of ' ||"
               " e.name || ' in ' || c.name || ' is due ' || (CASE r.kind WHEN 'self' THEN"
               " c.self_due WHEN 'manager' THEN c.manager_due ELSE c.peer_due END) || '.',"
               " '#/reviews/' || CAST(r.id AS TEXT), 'review-deadline:' || CAST(r.id AS TEXT),"
               " $1, $2 FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id"
               " JOIN people e ON e.id = r.reviewee_id WHERE c.status = 'active'"
               " AND r.status IN ('assigned', 'draft') AND (CASE r.kind WHEN 'self' THEN"
               " c.self_due WHEN 'manager' THEN c.manager_due ELSE c.peer_due END)"
               " BETWEEN $3 AND $8 AND $4 <> '' AND $5 <> '' AND $6 <> '' AND $7 <> ''" PARAMS_8_10
                   FOR_RANGE("r.reviewer_id") UNMUTED("r.reviewer_id", "review_deadline") ONCE,
    };
    enum err rc = ERR_OK;
    int64_t made;

    *created = 0;
    _Static_assert(sizeof(rules) / sizeof(rules[0]) == REMIND_RULES, "a rule per remind_rule");
    for (size_t i = 0; rc == ERR_OK && i < sizeof(rules) / sizeof(rules[0]); i++) {
        struct stmt *q;

        if (!(k->rules & (1u << i)))
            continue; /* switched off by an admin */
        q = db_stmt(db, rules[i]);

        stmt_text(q, 1, k->pass);
        stmt_text(q, 2, k->now);
        stmt_text(q, 3, k->today);
        stmt_text(q, 4, k->soon);
        stmt_text(q, 5, k->six_weeks_ago);
        stmt_text(q, 6, k->month_ago);
        stmt_text(q, 7, k->week);
        stmt_text(q, 8, k->deadline_until);
        stmt_text(q, 9, k->weeks);
        stmt_text(q, 10, k->stale_days);
        stmt_i64(q, 11, k->from);
        stmt_i64(q, 12, k->to);
        rc = stmt_exec_rows(q, &made);
        *created += made;
    }
    return rc;
}

enum err store_remind_ranges(struct db *db, struct arena *a, int64_t batch, int64_t **ends,
                             size_t *n)
{
    struct stmt *q = db_stmt(db, "SELECT COUNT(*) FROM people");
    int64_t people = 0, weight = 0;
    size_t cap = 16, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**ends));
    int rc;

    if (stmt_step(q) == 1)
        people = col_i64(q, 0);
    stmt_reset(q);
    rc = 0;
    /* a company of up to `batch` people is one range, read no further */
    if (people > batch) {
        q = db_stmt(db, "SELECT id, reports_count FROM people ORDER BY id");
        while ((rc = stmt_step(q)) == 1) {
            weight += 1 + col_i64(q, 1);
            if (weight >= batch) {
                *(int64_t *)store_slot(a, &arr, &cap, len++, sizeof(**ends)) = col_i64(q, 0);
                weight = 0;
            }
        }
        stmt_reset(q);
    }
    *(int64_t *)store_slot(a, &arr, &cap, len++, sizeof(**ends)) = INT64_MAX;
    *ends = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_calendar_set(struct db *db, int64_t person, const char *token_hash, const char *now)
{
    static const char sql[] =
        "INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash,"
        " created_at = excluded.created_at";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    stmt_text(q, 2, token_hash);
    stmt_text(q, 3, now);
    return stmt_exec(q);
}

enum err store_calendar_delete(struct db *db, int64_t person)
{
    static const char sql[] = "DELETE FROM calendar_feeds WHERE person_id = $1";
    struct stmt *q = db_stmt(db, sql);

    stmt_i64(q, 1, person);
    return stmt_exec(q);
}

enum err store_calendar_created(struct db *db, int64_t person, char out[21])
{
    static const char sql[] = "SELECT created_at FROM calendar_feeds WHERE person_id = $1";
    struct stmt *q = db_stmt(db, sql);
    int step;

    stmt_i64(q, 1, person);
    step = stmt_step(q);
    if (step == 1)
        snprintf(out, 21, "%s", col_text(q, 0) ? col_text(q, 0) : "");
    stmt_reset(q);
    return step == 1 ? ERR_OK : step == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

int64_t store_calendar_person(struct db *db, const char *token_hash)
{
    /* a leaver's feed stops with their other credentials */
    static const char sql[] = "SELECT f.person_id FROM calendar_feeds f JOIN people p ON p.id ="
                              " f.person_id AND p.status = 'active' WHERE f.token_hash = $1";
    struct stmt *q = db_stmt(db, sql);
    int64_t id = 0;

    stmt_text(q, 1, token_hash);
    if (stmt_step(q) == 1)
        id = col_i64(q, 0);
    stmt_reset(q);
    return id;
}

/* Cadence health reads one organisation: the root and everyone below, from the closure table's
 * index (a manager's view costs the size of their organisation, not of the company). */
#define ORG_IDS(root)                                                                              \
    "(SELECT CAST(" root " AS BIGINT) UNION ALL"                                                   \
    " SELECT person_id FROM people_ancestors WHERE ancestor_id = " root ")"

enum err store_cadence_managers(struct db *db, struct arena *a, int64_t root,
                                struct cadence_manager **v, size_t *n)
{
/* the active reports counted from the (manager_id, status) index, then one name per manager */
#define MANAGERS(where)                                                                            \
    "SELECT g.manager_id, g.n, m.name FROM (SELECT manager_id, COUNT(*) AS n FROM people"          \
    " WHERE status = 'active' AND manager_id " where " GROUP BY manager_id) g"                     \
    " JOIN people m ON m.id = g.manager_id ORDER BY g.manager_id"
    static const char sql_all[] = MANAGERS("IS NOT NULL AND $1 = $1");
    static const char sql_org[] = MANAGERS("IN " ORG_IDS("$1"));
#undef MANAGERS
    struct stmt *q = db_stmt(db, root ? sql_org : sql_all);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, root);
    while ((rc = stmt_step(q)) == 1) {
        struct cadence_manager *x = store_slot(a, &arr, &cap, len++, sizeof(**v));

        x->id = col_i64(q, 0);
        x->reports = col_i64(q, 1);
        x->name = col_dup(a, q, 2);
    }
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cadence_series(struct db *db, struct arena *a, int64_t root,
                              struct cadence_series **v, size_t *n)
{
/* in (lead, member, kind, status, id) index order; a series counts while its member is an
 * active direct report of its lead */
#define SERIES(where)                                                                              \
    "SELECT s.id, s.lead_id, s.member_id, l.reports_count, l.name FROM oneonone_series s"          \
    " JOIN people r ON r.id = s.member_id AND r.manager_id = s.lead_id AND r.status = 'active'"    \
    " JOIN people l ON l.id = s.lead_id WHERE s.relation = 'manager' AND " where                   \
    " ORDER BY s.lead_id, s.member_id, s.kind, s.status, s.id"
    static const char sql_all[] = SERIES("$1 = $1");
    static const char sql_org[] = SERIES("s.lead_id IN " ORG_IDS("$1"));
#undef SERIES
    struct stmt *q = db_stmt(db, root ? sql_org : sql_all);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_i64(q, 1, root);
    while ((rc = stmt_step(q)) == 1) {
        struct cadence_series *x = store_slot(a, &arr, &cap, len++, sizeof(**v));

        x->id = col_i64(q, 0);
        x->lead_id = col_i64(q, 1);
        x->member_id = col_i64(q, 2);
        x->lead_reports = col_i64(q, 3);
        x->lead_name = len > 1 && x[-1].lead_id == x->lead_id ? x[-1].lead_name : col_dup(a, q, 4);
    }
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cadence_totals(struct db *db, int64_t *managers, int64_t *reports)
{
    /* the partial (reports_count DESC, id) index holds the managers alone (migration 0055) */
    static const char sql[] = "SELECT COUNT(*), COALESCE(SUM(reports_count), 0) FROM people"
                              " WHERE reports_count > 0";
    struct stmt *q = db_stmt(db, sql);
    int step = stmt_step(q);

    if (step == 1) {
        *managers = col_i64(q, 0);
        *reports = col_i64(q, 1);
    }
    stmt_reset(q);
    return step == 1 ? ERR_OK : ERR_INTERNAL;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

enum err store_cadence_most_reports(struct db *db, struct arena *a, const int64_t *skip,
                                    size_t nskip, size_t cap, struct cadence_manager **v, size_t *n)
{
    /* at most cap + nskip rows hold cap not skipped (PostgreSQL reads a result whole) */
    static const char sql[] = "SELECT id, reports_count, name FROM people WHERE reports_count > 0"
                              " ORDER BY reports_count DESC, id LIMIT $1";
    struct stmt *q = db_stmt(db, sql);
    struct cadence_manager *out = arena_alloc(a, (cap + 1) * sizeof(*out));
    size_t len = 0;
    int rc = 0;

    stmt_i64(q, 1, (int64_t)(cap + nskip));
    while (len < cap && (rc = stmt_step(q)) == 1) {
        int64_t id = col_i64(q, 0);

        if (nskip && bsearch(&id, skip, nskip, sizeof(*skip), cmp_id))
            continue;
        out[len++] =
            (struct cadence_manager){.id = id, .reports = col_i64(q, 1), .name = col_dup(a, q, 2)};
    }
    stmt_reset(q);
    *v = out;
    *n = len;
    return rc >= 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_cadence_meetings(struct db *db, struct arena *a, int64_t root, const char *since,
                                struct cadence_meeting **v, size_t *n)
{
    /* the company's: one range of the (status, held_at, series_id, career_discussed) index, in
     * date order; an organisation's: its leads' series, each one's meetings from the covering
     * (series_id, status, held_at, career_discussed) index */
    static const char sql_all[] =
        "SELECT m.series_id, SUBSTR(m.held_at, 1, 10), m.career_discussed FROM oneonone_meetings m"
        " WHERE m.status = 'held' AND m.held_at >= $1 AND $2 = $2";
    static const char sql_org[] =
        "SELECT m.series_id, SUBSTR(m.held_at, 1, 10), m.career_discussed FROM oneonone_series s"
        " CROSS JOIN oneonone_meetings m WHERE m.series_id = s.id AND m.status = 'held'"
        " AND m.held_at >= $1 AND s.relation = 'manager' AND s.lead_id IN " ORG_IDS("$2");
    struct stmt *q = db_stmt(db, root ? sql_org : sql_all);
    size_t cap = 64, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(**v));
    int rc;

    stmt_text(q, 1, since);
    stmt_i64(q, 2, root);
    while ((rc = stmt_step(q)) == 1) {
        struct cadence_meeting *x = store_slot(a, &arr, &cap, len++, sizeof(**v));

        x->series_id = col_i64(q, 0);
        x->day = (int32_t)date_days(col_text(q, 1));
        x->career = col_i64(q, 2) != 0;
    }
    stmt_reset(q);
    *v = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

double store_goal_progress_at(struct db *db, int64_t goal, const char *t)
{
    static const char sql[] = "SELECT progress FROM goal_checkins WHERE goal_id = $1"
                              " AND created_at <= $2 ORDER BY id DESC LIMIT 1";
    struct stmt *q = db_stmt(db, sql);
    double v = -1;

    stmt_i64(q, 1, goal);
    stmt_text(q, 2, t);
    if (stmt_step(q) == 1)
        v = col_double(q, 0);
    stmt_reset(q);
    return v;
}
