/* SPDX-License-Identifier: MIT */
/* Driver-independent parts of the store: opening by URL, dispatch, timing, transactions. */
#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/timeutil.h"

struct db *db_open(const char *url, struct errinfo *ei)
{
    if (strncmp(url, "sqlite:", 7) == 0)
        return db_sqlite_open(url + 7, ei);
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return db_postgres_open(url, ei);
    err_set(ei, ERR_VALIDATION, "unknown database URL '%s' (use sqlite:PATH or postgres://…)", url);
    return NULL;
}

void db_close(struct db *db)
{
    if (db) {
        free(db->people_memo);
        db->ops->close(db);
    }
}

enum db_kind db_kind(const struct db *db)
{
    return db->ops->kind;
}

static int plan_fd = -1;
static pthread_once_t plan_once = PTHREAD_ONCE_INIT;

static void plan_open(void)
{
    const char *path = getenv("TRELLIS_PLAN_LOG");

    if (path && *path)
        plan_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

void db_plan_log(const char *sql)
{
    pthread_once(&plan_once, plan_open);
    if (plan_fd >= 0 && write(plan_fd, sql, strlen(sql) + 1) < 0)
        log_warn("plan log: cannot write");
}

enum err db_ready(struct db *db)
{
    db->unavailable = false;
    db->full = false;
    db->retry_after = 0;
    return db->ops->ready(db) ? ERR_OK : ERR_UNAVAILABLE;
}

struct stmt *db_stmt(struct db *db, const char *sql)
{
    return db->ops->prepare(db, sql);
}

void stmt_i64(struct stmt *s, int idx, int64_t v)
{
    s->db->ops->bind_i64(s, idx, v);
}

void stmt_text(struct stmt *s, int idx, const char *v)
{
    if (v)
        s->db->ops->bind_text(s, idx, v);
    else
        s->db->ops->bind_null(s, idx);
}

void stmt_null(struct stmt *s, int idx)
{
    s->db->ops->bind_null(s, idx);
}

#define STEP_SAMPLE 16

int stmt_step(struct stmt *s)
{
    struct db *db = s->db;
    uint32_t k = s->steps++;
    bool timed = k == 0 || k % STEP_SAMPLE == 0;
    uint64_t t0 = timed ? time_mono_ns() : 0;
    int rc;

    if (db->fail_after > 0 && --db->fail_after == 0) {
        db->fail_after = -1;
        return -1;
    }
    rc = db->ops->step(s);
    if (timed)
        db->ns_in_db += (time_mono_ns() - t0) * (k == 0 ? 1 : STEP_SAMPLE);
    return rc;
}

void stmt_reset(struct stmt *s)
{
    s->steps = 0;
    s->db->ops->reset(s);
}

bool col_null(struct stmt *s, int col)
{
    return s->db->ops->is_null(s, col);
}

int64_t col_i64(struct stmt *s, int col)
{
    return s->db->ops->col_i64(s, col);
}

double col_double(struct stmt *s, int col)
{
    return s->db->ops->col_double(s, col);
}

const char *col_text(struct stmt *s, int col)
{
    return s->db->ops->col_text(s, col);
}

/* Counts the writes this process committed: what a cache keeps is as old as this was when it
 * read it (db_memo_stamp). */
static _Atomic uint64_t write_generation;

uint64_t db_memo_stamp(struct db *db)
{
    /* the generation is read before the data version starts the snapshot: a commit it counts
     * is in the snapshot (read after, it could count a commit the snapshot does not hold) */
    uint64_t gen = write_generation, dv;

    if (db->tx_stamp && db->txdepth > 0)
        return db_read_stamp(db);
    dv = db->ops->data_version ? db->ops->data_version(db) : 0;
    /* the process's commits (this connection's own do not move its data version) and the
     * others' (SQLite's data version starts at 1) */
    return dv ? (gen << 32) ^ dv : 0;
}

uint64_t db_read_stamp(const struct db *db)
{
    return db->txdepth > 0 && !db->tx_write ? db->tx_stamp : 0;
}

static struct db_memo *memo_slot(struct db *db, const char *key)
{
    uint32_t h = 2166136261u;

    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &db->memo[h % DB_MEMO_SLOTS];
}

bool db_memo_get(struct db *db, const char *key, uint64_t stamp, int64_t v[3])
{
    struct db_memo *m = memo_slot(db, key);

    if (!stamp || m->stamp != stamp || m->until < time_mono_ns() || strcmp(m->key, key) != 0)
        return false;
    memcpy(v, m->v, sizeof(m->v));
    return true;
}

void db_memo_put(struct db *db, const char *key, uint64_t stamp, const int64_t v[3])
{
    struct db_memo *m = memo_slot(db, key);

    if (!stamp || strlen(key) >= sizeof(m->key))
        return;
    snprintf(m->key, sizeof(m->key), "%s", key);
    memcpy(m->v, v, sizeof(m->v));
    m->stamp = stamp;
    m->until = time_mono_ns() + DB_MEMO_NS;
}

enum err stmt_exec(struct stmt *s)
{
    int64_t rows;

    return stmt_exec_rows(s, &rows);
}

enum err stmt_exec_rows(struct stmt *s, int64_t *rows)
{
    int rc;

    *rows = 0;
    while ((rc = stmt_step(s)) == 1)
        (*rows)++;
    if (s->db->txdepth == 0) /* a write of its own (autocommit) */
        write_generation++;
    if (rc < 0 && rc != -2 && !s->db->trying)
        log_warn("database: %s", db_errmsg(s->db));
    stmt_reset(s);
    return rc == 0 ? ERR_OK : rc == -2 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err db_begin(struct db *db)
{
    enum err rc = ERR_OK;

    if (db->refuse_writes)
        return ERR_VALIDATION;
    if (db->txdepth == 0)
        rc = db->ops->exec(db, db->ops->kind == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
    if (rc == ERR_OK) {
        db->txdepth++;
        db->tx_write = true;
    }
    return rc;
}

enum err db_begin_read(struct db *db)
{
    enum err rc = ERR_OK;

    if (db->txdepth == 0 && db->ops->kind == DB_SQLITE) {
        rc = db->ops->exec(db, "BEGIN");
        db->tx_write = false;
        db->tx_stamp = 0;
        /* the stamp is the transaction's first read: it starts the snapshot */
        if (rc == ERR_OK)
            db->tx_stamp = db_memo_stamp(db);
    }
    if (rc == ERR_OK && (db->txdepth > 0 || db->ops->kind == DB_SQLITE))
        db->txdepth++;
    return rc;
}

enum err db_commit(struct db *db)
{
    enum err rc = ERR_OK;

    if (db->txdepth == 1) {
        rc = db->ops->exec(db, "COMMIT");
        if (rc)
            db->ops->exec(db, "ROLLBACK");
        if (db->tx_write)
            write_generation++;
        db->tx_write = false;
        db->tx_stamp = 0;
    }
    if (db->txdepth > 0)
        db->txdepth--;
    return rc;
}

void db_rollback(struct db *db)
{
    if (db->txdepth == 1) {
        db->ops->exec(db, "ROLLBACK");
        db->tx_write = false;
        db->tx_stamp = 0;
    }
    if (db->txdepth > 0)
        db->txdepth--;
}

enum err db_end(struct db *db, enum err rc)
{
    if (rc == ERR_OK)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

enum err db_exec(struct db *db, const char *sql)
{
    uint64_t t0 = time_mono_ns();
    enum err rc = db->ops->exec(db, sql);

    db->ns_in_db += time_mono_ns() - t0;
    if (db->txdepth == 0) /* it may have written, on its own: no memo outlives it */
        write_generation++;
    return rc;
}

const char *db_errmsg(struct db *db)
{
    return db->ops->errmsg(db);
}

enum err db_backup_into(struct db *db, const char *path)
{
    static const char sql[] = "VACUUM INTO $1";
    struct stmt *s;

    if (db_kind(db) != DB_SQLITE)
        return ERR_VALIDATION;
    s = db_stmt(db, sql);
    stmt_text(s, 1, path);
    return stmt_exec(s);
}

bool db_check_integrity(struct db *db)
{
    static const char sql[] = "PRAGMA integrity_check";
    struct stmt *s;
    bool ok;

    if (db_kind(db) != DB_SQLITE)
        return true;
    s = db_stmt(db, sql);
    ok = stmt_step(s) == 1 && col_text(s, 0) && strcmp(col_text(s, 0), "ok") == 0;
    stmt_reset(s);
    return ok;
}

const char *col_dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

int64_t col_id(struct stmt *s, int col)
{
    return col_null(s, col) ? 0 : col_i64(s, col);
}

void stmt_id(struct stmt *s, int idx, int64_t v)
{
    if (v)
        stmt_i64(s, idx, v);
    else
        stmt_null(s, idx);
}

enum err stmt_insert_id(struct stmt *s, int64_t *id)
{
    int rc = stmt_step(s);

    if (rc == 1)
        *id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == -2 ? ERR_CONFLICT : ERR_INTERNAL;
}

void *store_slot(struct arena *a, void **v, size_t *cap, size_t len, size_t elem)
{
    if (len == *cap) {
        void *w = arena_alloc(a, *cap * 2 * elem);

        memcpy(w, *v, len * elem);
        *v = w;
        *cap *= 2;
    }
    return (char *)*v + len * elem;
}

enum err store_ids(struct stmt *s, struct arena *a, int64_t **ids, size_t *n)
{
    size_t cap = 16, len = 0;
    void *arr = arena_alloc(a, cap * sizeof(int64_t));
    int rc;

    while ((rc = stmt_step(s)) == 1)
        *(int64_t *)store_slot(a, &arr, &cap, len++, sizeof(int64_t)) = col_i64(s, 0);
    stmt_reset(s);
    *ids = arr;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

/* One row of s as an object, the columns named and typed by spec. */
static json_t *row_object(struct stmt *s, const char *spec)
{
    json_t *o = json_object();
    const char *p = spec;

    for (int col = 0; *p; col++) {
        char name[64];
        size_t n = 0;
        char type;

        while (*p == ' ')
            p++;
        while (*p && *p != ':' && n < sizeof(name) - 1)
            name[n++] = *p++;
        name[n] = '\0';
        if (*p != ':')
            break;
        type = p[1];
        p += 2;
        if (col_null(s, col))
            json_object_set_new(o, name, json_null());
        else if (type == 'i')
            json_object_set_new(o, name, json_integer(col_i64(s, col)));
        else if (type == 'f')
            json_object_set_new(o, name, json_real(col_double(s, col)));
        else if (type == 'b')
            json_object_set_new(o, name, json_boolean(col_i64(s, col) != 0));
        else
            json_object_set_new(o, name, json_string(col_text(s, col)));
    }
    return o;
}

enum err store_json_rows(struct stmt *s, const char *spec, json_t **out)
{
    int rc;

    *out = json_array();
    while ((rc = stmt_step(s)) == 1)
        json_array_append_new(*out, row_object(s, spec));
    stmt_reset(s);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

enum err store_json_row(struct stmt *s, const char *spec, json_t **out)
{
    int rc = stmt_step(s);

    *out = rc == 1 ? row_object(s, spec) : NULL;
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err db_analyze(struct db *db)
{
    return db_kind(db) == DB_SQLITE ? db_exec(db, "PRAGMA analysis_limit=400; ANALYZE;") : ERR_OK;
}

enum err db_try_write(struct db *db, enum err (*fn)(struct db *db, const void *arg),
                      const void *arg)
{
    bool unavailable = db->unavailable;
    int retry_after = db->retry_after;
    enum err rc;

    if (db->ops->busy_wait)
        db->ops->busy_wait(db, 0);
    db->trying = true;
    rc = fn(db, arg);
    db->trying = false;
    if (db->ops->busy_wait)
        db->ops->busy_wait(db, DB_BUSY_WAIT_MS);
    db->unavailable = unavailable;
    db->retry_after = retry_after;
    return rc;
}

enum err db_bulk(struct db *db, bool on)
{
    if (db_kind(db) != DB_SQLITE)
        return ERR_OK;
    return db_exec(db, on ? "PRAGMA cache_size=-262144;" : "PRAGMA cache_size=-2000;");
}

bool db_journal_direct(struct db *db, bool on)
{
    static const char sql_on[] = "PRAGMA journal_mode=DELETE",
                      sql_off[] = "PRAGMA journal_mode=WAL";
    struct stmt *s;
    bool ok;

    if (db_kind(db) != DB_SQLITE || db->txdepth > 0)
        return false;
    s = db_stmt(db, on ? sql_on : sql_off);
    ok = stmt_step(s) == 1 && strcmp(col_text(s, 0), on ? "delete" : "wal") == 0;
    stmt_reset(s);
    return ok;
}

enum err db_optimize(struct db *db)
{
    /* analysis_limit keeps each ANALYZE approximate and short, so writers barely wait */
    return db_kind(db) == DB_SQLITE ? db_exec(db, "PRAGMA analysis_limit=400; PRAGMA optimize;")
                                    : ERR_OK;
}
