/* SPDX-License-Identifier: MIT */
/* The SQLite driver: WAL, foreign keys, synchronous=FULL, a busy timeout, statements prepared
 * once per connection. $N placeholders are rewritten to ?N so they bind by number. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/cache.h"
#include "store/store.h"
#include "util/log.h"
#include "util/xalloc.h"

struct sqlite_stmt {
    struct stmt super;
    sqlite3_stmt *st;
    /* "INSERT INTO t … VALUES (…) RETURNING id" prepared without its RETURNING clause: SQLite
     * builds a temporary table for every execution of a RETURNING statement (about 10 µs, most
     * of a row's insert), while the row's id is its rowid. The step answers the one row itself:
     * rowid_state 1 before the step, 2 while the id row is current, 3 after. */
    int rowid_state;
    int64_t rowid;
    char rowid_text[24];
};

/* The transaction statements every request runs, prepared once instead of parsed each time */
static const char *const tx_sql[] = {"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK",
                                     "PRAGMA data_version"};
#define NTX (sizeof(tx_sql) / sizeof(tx_sql[0]))

struct gate;

struct sqlite_db {
    struct db super;
    sqlite3 *h;
    struct stmt_cache cache;
    sqlite3_stmt *tx[NTX];
    struct gate *gate; /* the database file's write gate (this process) */
    bool gated;        /* this connection holds it: a write transaction is open */
    int busy_ms;
};

/* The write gate: one per database file and process, handed to waiting writers in the order
 * they came. SQLite's own wait for its write lock polls (sleeps of 1 ms growing to 100 ms), so a
 * connection that writes transaction after transaction (a launch in ranges, a reminder pass)
 * takes the lock again before a writer that has waited long polls: writes meanwhile waited up to
 * 2.7 s. A writer of this process now queues here first, and the lock passes to the longest
 * waiting on every commit; SQLite's busy wait still covers other processes. */
struct gate_waiter {
    pthread_cond_t cv;
    bool granted;
    struct gate_waiter *next;
};

struct gate {
    char path[512];
    bool held;
    struct gate_waiter *head, *tail;
};

static pthread_mutex_t gates_lock = PTHREAD_MUTEX_INITIALIZER;
static struct gate gates[8];

/* The gate of path (NULL past eight files: unguarded, as before). */
static struct gate *gate_of(const char *path)
{
    struct gate *g = NULL;

    if (!path || !*path || strlen(path) >= sizeof(gates[0].path))
        return NULL;
    pthread_mutex_lock(&gates_lock);
    for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]) && !g; i++)
        if (strcmp(gates[i].path, path) == 0)
            g = &gates[i];
    for (size_t i = 0; i < sizeof(gates) / sizeof(gates[0]) && !g; i++)
        if (!gates[i].path[0]) {
            g = &gates[i];
            snprintf(g->path, sizeof(g->path), "%s", path);
        }
    pthread_mutex_unlock(&gates_lock);
    return g;
}

/* Waits for g in arrival order, at most ms; false when the wait ran out (the caller answers
 * busy, as SQLite's own timeout would). */
static bool gate_enter(struct gate *g, int ms)
{
    struct gate_waiter w = {.granted = false, .next = NULL};
    struct timespec until;
    bool ok = true;

    pthread_mutex_lock(&gates_lock);
    if (!g->held && !g->head) {
        g->held = true;
        pthread_mutex_unlock(&gates_lock);
        return true;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cv, &ca);
    pthread_condattr_destroy(&ca);
    if (g->tail)
        g->tail->next = &w;
    else
        g->head = &w;
    g->tail = &w;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!w.granted)
        if (pthread_cond_timedwait(&w.cv, &gates_lock, &until) != 0 && !w.granted) {
            /* out of the queue, never granted */
            struct gate_waiter **pp = &g->head, *prev = NULL;

            while (*pp != &w) {
                prev = *pp;
                pp = &(*pp)->next;
            }
            *pp = w.next;
            if (g->tail == &w)
                g->tail = prev;
            ok = false;
            break;
        }
    pthread_mutex_unlock(&gates_lock);
    pthread_cond_destroy(&w.cv);
    return ok;
}

/* Passes g to the longest waiting writer, or frees it. */
static void gate_leave(struct gate *g)
{
    pthread_mutex_lock(&gates_lock);
    if (g->head) {
        struct gate_waiter *w = g->head;

        g->head = w->next;
        if (!g->head)
            g->tail = NULL;
        w->granted = true;
        pthread_cond_signal(&w->cv);
    } else
        g->held = false;
    pthread_mutex_unlock(&gates_lock);
}

static const struct db_ops sqlite_ops;

static void finalize_one(void *p)
{
    struct sqlite_stmt *s = p;

    sqlite3_finalize(s->st);
    free(s);
}

static void s_close(struct db *db)
{
    struct sqlite_db *d = (struct sqlite_db *)db;

    if (d->gated) { /* closed inside a write transaction: SQLite rolls it back */
        d->gated = false;
        gate_leave(d->gate);
    }

    stmt_cache_each(&d->cache, finalize_one);
    stmt_cache_cleanup(&d->cache);
    for (size_t i = 0; i < NTX; i++)
        sqlite3_finalize(d->tx[i]);
    sqlite3_close(d->h);
    free(d);
}

/* "$12" -> "?12": SQLite numbers "?NNN" parameters exactly, while "$AAA" is a name. */
static char *rewrite_params(const char *sql)
{
    char *out = xstrdup(sql);

    for (char *p = out; *p; p++)
        if (*p == '$' && p[1] >= '0' && p[1] <= '9')
            *p = '?';
    return out;
}

/* The length of sql without its " RETURNING id" when the statement is a one-row insert into a
 * table whose id is its rowid (an alias of it: INTEGER PRIMARY KEY), 0 otherwise. An insert of
 * SELECT's rows or an upsert's update must keep RETURNING: its ids are not the last rowid. */
static size_t rowid_insert_len(sqlite3 *h, const char *sql)
{
    static const char head[] = "INSERT INTO ", tail[] = " RETURNING id";
    size_t len = strlen(sql), tl = sizeof(tail) - 1, n;
    char table[64];
    const char *type = NULL;
    int pk = 0;

    if (strncmp(sql, head, sizeof(head) - 1) != 0 || len <= tl ||
        strcmp(sql + len - tl, tail) != 0 || strstr(sql, "SELECT") || strstr(sql, "DO UPDATE"))
        return 0;
    n = strcspn(sql + sizeof(head) - 1, " (");
    if (n == 0 || n >= sizeof(table))
        return 0;
    memcpy(table, sql + sizeof(head) - 1, n);
    table[n] = '\0';
    if (sqlite3_table_column_metadata(h, NULL, table, "id", &type, NULL, NULL, &pk, NULL) !=
            SQLITE_OK ||
        !pk || !type || sqlite3_stricmp(type, "INTEGER") != 0)
        return 0;
    return len - tl;
}

static struct stmt *s_prepare(struct db *db, const char *sql)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    struct sqlite_stmt *s = stmt_cache_get(&d->cache, sql);
    char *text;
    int rc;

    if (s)
        return &s->super;
    s = xcalloc(1, sizeof(*s));
    s->super.db = db;
    text = rewrite_params(sql);
    size_t cut = rowid_insert_len(d->h, text);

    if (cut) {
        text[cut] = '\0';
        s->rowid_state = 1;
    }
    rc = sqlite3_prepare_v3(d->h, text, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "trellis: cannot prepare SQL: %s\n%s\n", sqlite3_errmsg(d->h), sql);
        abort();
    }
    free(text);
    db_plan_log(sql);
    stmt_cache_put(&d->cache, sql, s);
    return &s->super;
}

static void s_bind_i64(struct stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(((struct sqlite_stmt *)st)->st, idx, v);
}

static void s_bind_text(struct stmt *st, int idx, const char *v)
{
    sqlite3_bind_text(((struct sqlite_stmt *)st)->st, idx, v, -1, SQLITE_TRANSIENT);
}

static void s_bind_null(struct stmt *st, int idx)
{
    sqlite3_bind_null(((struct sqlite_stmt *)st)->st, idx);
}

/* Locked past the busy timeout (another process holds the write lock): the work did not happen
 * and can be retried, which the HTTP layer answers with 503 and Retry-After. */
static bool busy(struct db *db, int rc)
{
    if ((rc & 0xff) == SQLITE_FULL)
        db->full = true;
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        return false;
    db->unavailable = true;
    db->retry_after = 2;
    return true;
}

static int s_step(struct stmt *st)
{
    struct sqlite_stmt *s = (struct sqlite_stmt *)st;
    int rc;

    if (s->rowid_state >= 2) { /* the id row was answered: the statement is done */
        s->rowid_state = 3;
        return 0;
    }
    rc = sqlite3_step(s->st);
    if (s->rowid_state == 1 && rc == SQLITE_DONE) {
        sqlite3 *h = sqlite3_db_handle(s->st);

        if (sqlite3_changes64(h) == 0) /* ON CONFLICT DO NOTHING: no row, as RETURNING says */
            return 0;
        s->rowid = sqlite3_last_insert_rowid(h);
        s->rowid_state = 2;
        return 1;
    }

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return -2;
    busy(st->db, rc);
    return -1;
}

static void s_reset(struct stmt *st)
{
    sqlite3_stmt *s = ((struct sqlite_stmt *)st)->st;

    if (((struct sqlite_stmt *)st)->rowid_state)
        ((struct sqlite_stmt *)st)->rowid_state = 1;

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static int s_ncols(struct stmt *st)
{
    if (((struct sqlite_stmt *)st)->rowid_state)
        return 1;
    return sqlite3_column_count(((struct sqlite_stmt *)st)->st);
}

static bool s_is_null(struct stmt *st, int col)
{
    if (((struct sqlite_stmt *)st)->rowid_state)
        return false;
    return sqlite3_column_type(((struct sqlite_stmt *)st)->st, col) == SQLITE_NULL;
}

static int64_t s_col_i64(struct stmt *st, int col)
{
    if (((struct sqlite_stmt *)st)->rowid_state)
        return ((struct sqlite_stmt *)st)->rowid;
    return sqlite3_column_int64(((struct sqlite_stmt *)st)->st, col);
}

static double s_col_double(struct stmt *st, int col)
{
    if (((struct sqlite_stmt *)st)->rowid_state)
        return (double)((struct sqlite_stmt *)st)->rowid;
    return sqlite3_column_double(((struct sqlite_stmt *)st)->st, col);
}

static const char *s_col_text(struct stmt *st, int col)
{
    struct sqlite_stmt *s = (struct sqlite_stmt *)st;

    if (s->rowid_state) {
        snprintf(s->rowid_text, sizeof(s->rowid_text), "%lld", (long long)s->rowid);
        return s->rowid_text;
    }
    return (const char *)sqlite3_column_text(((struct sqlite_stmt *)st)->st, col);
}

/* A transaction statement by its prepared handle: SQLITE_OK, or the step's error. */
static int tx_exec(struct sqlite_db *d, size_t i)
{
    int rc = SQLITE_OK;

    if (!d->tx[i])
        rc = sqlite3_prepare_v3(d->h, tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &d->tx[i], NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(d->tx[i]);
        sqlite3_reset(d->tx[i]);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    return rc;
}

/* Moves whenever another connection (of any process) commits to the database; 0 when it
 * cannot be read. */
static uint64_t s_data_version(struct db *db)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    sqlite3_stmt **st = &d->tx[NTX - 1];
    uint64_t v = 0;

    if (!*st && sqlite3_prepare_v3(d->h, tx_sql[NTX - 1], -1, SQLITE_PREPARE_PERSISTENT, st,
                                   NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(*st) == SQLITE_ROW)
        v = (uint64_t)sqlite3_column_int64(*st, 0);
    sqlite3_reset(*st);
    return v;
}

static enum err s_exec(struct db *db, const char *sql)
{
    struct sqlite_db *d = (struct sqlite_db *)db;
    char *msg = NULL;
    int rc = -1;

    for (size_t i = 0; i + 1 < NTX && rc == -1; i++)
        if (strcmp(sql, tx_sql[i]) == 0) {
            if (i == 1 && d->gate && !d->gated) { /* BEGIN IMMEDIATE */
                if (!gate_enter(d->gate, d->busy_ms)) {
                    log_warn("sqlite: another write of this server held the database for %d ms",
                             d->busy_ms);
                    busy(db, SQLITE_BUSY);
                    return ERR_UNAVAILABLE;
                }
                d->gated = true;
            }
            rc = tx_exec(d, i);
            /* the write transaction ended (or never began): the gate passes on */
            if (d->gated && (i == 1 || i == 2 || i == 3) && sqlite3_get_autocommit(d->h)) {
                d->gated = false;
                gate_leave(d->gate);
            }
        }
    if (rc == -1)
        rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        log_warn("sqlite: %s", msg ? msg : sqlite3_errmsg(d->h));
        sqlite3_free(msg);
        if (busy(db, rc))
            return ERR_UNAVAILABLE;
        return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_INTERNAL;
    }
    return ERR_OK;
}

static const char *s_errmsg(struct db *db)
{
    return sqlite3_errmsg(((struct sqlite_db *)db)->h);
}

/* A file is always there: nothing to reconnect. */
static bool s_ready(struct db *db)
{
    (void)db;
    return true;
}

static void s_busy_wait(struct db *db, int ms)
{
    ((struct sqlite_db *)db)->busy_ms = ms;
    sqlite3_busy_timeout(((struct sqlite_db *)db)->h, ms);
}

static const struct db_ops sqlite_ops = {
    .kind = DB_SQLITE,
    .close = s_close,
    .prepare = s_prepare,
    .bind_i64 = s_bind_i64,
    .bind_text = s_bind_text,
    .bind_null = s_bind_null,
    .step = s_step,
    .reset = s_reset,
    .ncols = s_ncols,
    .is_null = s_is_null,
    .col_i64 = s_col_i64,
    .col_double = s_col_double,
    .col_text = s_col_text,
    .exec = s_exec,
    .data_version = s_data_version,
    .errmsg = s_errmsg,
    .ready = s_ready,
    .busy_wait = s_busy_wait,
};

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* Process-wide: connections are never shared between threads, and the memory statistics
 * SQLite keeps by default cost a global mutex on every allocation. */
static void configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

struct db *db_sqlite_open(const char *path, struct errinfo *ei)
{
    struct sqlite_db *d = xcalloc(1, sizeof(*d));
    int rc;

    pthread_once(&configured, configure);
    d->super.ops = &sqlite_ops;
    rc = sqlite3_open_v2(path, &d->h,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(ei, ERR_UNAVAILABLE, "cannot open %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(d->h);
        free(d);
        return NULL;
    }
    stmt_cache_init(&d->cache);
    sqlite3_busy_timeout(d->h, DB_BUSY_WAIT_MS);
    d->busy_ms = DB_BUSY_WAIT_MS;
    d->gate = gate_of(sqlite3_db_filename(d->h, "main"));
    /* mmap (64 MiB, bounding what it adds to RSS): reads come from the page cache without a
     * read(2) per page (half the kernel time of
     * a person read at 100k people was pread) */
    if (s_exec(&d->super, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                          "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; "
                          "PRAGMA mmap_size=67108864;") != ERR_OK) {
        err_set(ei, ERR_UNAVAILABLE, "cannot configure %s: %s", path, sqlite3_errmsg(d->h));
        s_close(&d->super);
        return NULL;
    }
    return &d->super;
}
