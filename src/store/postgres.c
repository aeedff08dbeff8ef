/* SPDX-License-Identifier: MIT */
/* The PostgreSQL driver over libpq: one connection per worker, each statement prepared once per
 * connection (PQprepare) under a generated name, parameters sent as text. A connection lost to
 * a restart or an outage is reset by the ready hook with backoff; each statement remembers the
 * connection generation it was prepared on and is prepared again on its next use. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define BACKOFF_FIRST_NS 250000000ull
#define BACKOFF_MAX_NS   5000000000ull

struct pg_stmt {
    struct stmt super;
    const char *sql; /* static text, borrowed */
    char name[16];
    unsigned gen; /* the connection generation it is prepared on; 0 = not yet */
    int nparams;
    char *vals[STMT_MAX_PARAMS];
    PGresult *res;
    int row;
    int nrows;
};

struct pg_db {
    struct db super;
    PGconn *conn;
    struct stmt_cache cache;
    int next_id;
    unsigned gen;         /* bumped on every reconnect */
    bool lost;            /* the server closed the connection or cannot be reached */
    uint64_t backoff_ns;  /* wait before the next reconnect attempt; 0 after a success */
    uint64_t next_try_ns; /* monotonic time of the next reconnect attempt */
    char err[512];
};

static void stmt_free(void *p)
{
    struct pg_stmt *s = p;

    for (int i = 0; i < STMT_MAX_PARAMS; i++)
        free(s->vals[i]);
    PQclear(s->res);
    free(s);
}

static void p_close(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;

    stmt_cache_each(&d->cache, stmt_free);
    stmt_cache_cleanup(&d->cache);
    PQfinish(d->conn);
    free(d);
}

/* Marks the work as not done for want of a database: the HTTP layer answers 503. */
static void set_unavailable(struct pg_db *d)
{
    uint64_t now = time_mono_ns();

    d->super.unavailable = true;
    d->super.retry_after =
        d->next_try_ns > now ? (int)((d->next_try_ns - now + 999999999ull) / 1000000000ull) : 1;
    if (d->super.retry_after < 1)
        d->super.retry_after = 1;
}

/* After a failed call: true when the failure is the database's absence, not the statement's
 * (connection closed, server shutting down or starting, too many connections), or a conflict
 * with another transaction that a retry resolves (class 40: a deadlock the server broke by
 * ending this transaction, a serialization failure; 55P03: a lock not available): the work
 * did not happen and the client is told when to try again (503), not that it failed. */
static bool failed_unavailable(struct pg_db *d, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

    if (PQstatus(d->conn) == CONNECTION_BAD) {
        if (!d->lost)
            log_warn("postgres: connection lost: %s", PQerrorMessage(d->conn));
        d->lost = true;
    }
    if (d->lost || !state || strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
        strncmp(state, "53", 2) == 0 || strncmp(state, "40", 2) == 0 ||
        strcmp(state, "55P03") == 0) {
        set_unavailable(d);
        return true;
    }
    return false;
}

/* Prepares s on the current connection; false when the database went away meanwhile. */
static bool prepare_now(struct pg_db *d, struct pg_stmt *s)
{
    PGresult *r = PQprepare(d->conn, s->name, s->sql, 0, NULL);

    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        if (failed_unavailable(d, r)) {
            snprintf(d->err, sizeof(d->err), "%s", PQerrorMessage(d->conn));
            PQclear(r);
            return false;
        }
        fprintf(stderr, "trellis: cannot prepare SQL: %s\n%s\n", PQerrorMessage(d->conn), s->sql);
        abort();
    }
    PQclear(r);
    r = PQdescribePrepared(d->conn, s->name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        failed_unavailable(d, r);
        snprintf(d->err, sizeof(d->err), "%s", PQerrorMessage(d->conn));
        PQclear(r);
        return false;
    }
    s->nparams = PQnparams(r);
    PQclear(r);
    if (s->nparams > STMT_MAX_PARAMS) {
        fprintf(stderr, "trellis: too many parameters in SQL:\n%s\n", s->sql);
        abort();
    }
    s->gen = d->gen;
    return true;
}

static struct stmt *p_prepare(struct db *db, const char *sql)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_stmt *s = stmt_cache_get(&d->cache, sql);

    if (s)
        return &s->super;
    s = xcalloc(1, sizeof(*s));
    s->super.db = db;
    s->sql = sql;
    snprintf(s->name, sizeof(s->name), "s%d", d->next_id++);
    stmt_cache_put(&d->cache, sql, s);
    if (!d->lost)
        prepare_now(d, s); /* at once, so a mistake in our SQL shows on first use */
    return &s->super;
}

static void set_val(struct pg_stmt *s, int idx, char *v)
{
    if (idx < 1 || idx > STMT_MAX_PARAMS) {
        free(v);
        return;
    }
    free(s->vals[idx - 1]);
    s->vals[idx - 1] = v;
}

static void p_bind_i64(struct stmt *st, int idx, int64_t v)
{
    char num[24];

    snprintf(num, sizeof(num), "%lld", (long long)v);
    set_val((struct pg_stmt *)st, idx, xstrdup(num));
}

static void p_bind_text(struct stmt *st, int idx, const char *v)
{
    set_val((struct pg_stmt *)st, idx, xstrdup(v));
}

static void p_bind_null(struct stmt *st, int idx)
{
    set_val((struct pg_stmt *)st, idx, NULL);
}

static int p_step(struct stmt *st)
{
    struct pg_stmt *s = (struct pg_stmt *)st;
    struct pg_db *d = (struct pg_db *)st->db;

    if (!s->res) {
        ExecStatusType t;

        if (d->lost) {
            snprintf(d->err, sizeof(d->err), "the connection to PostgreSQL is lost");
            set_unavailable(d);
            return -1;
        }
        if (s->gen != d->gen && !prepare_now(d, s))
            return -1;
        s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, NULL,
                                NULL, 0);
        t = PQresultStatus(s->res);
        if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
            const char *state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);

            snprintf(d->err, sizeof(d->err), "%s", PQresultErrorMessage(s->res));
            if (state && strncmp(state, "23", 2) == 0)
                return -2;
            failed_unavailable(d, s->res);
            return -1;
        }
        s->nrows = t == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return 1;
    }
    return 0;
}

static void p_reset(struct stmt *st)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    PQclear(s->res);
    s->res = NULL;
    for (int i = 0; i < STMT_MAX_PARAMS; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
    }
}

static int p_ncols(struct stmt *st)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return s->res ? PQnfields(s->res) : 0;
}

static bool p_is_null(struct stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return PQgetisnull(s->res, s->row, col);
}

static int64_t p_col_i64(struct stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return strtoll(PQgetvalue(s->res, s->row, col), NULL, 10);
}

static double p_col_double(struct stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *p_col_text(struct stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    if (PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static enum err p_exec(struct db *db, const char *sql)
{
    struct pg_db *d = (struct pg_db *)db;
    PGresult *r;
    ExecStatusType t;
    enum err rc = ERR_OK;

    if (d->lost) {
        snprintf(d->err, sizeof(d->err), "the connection to PostgreSQL is lost");
        set_unavailable(d);
        return ERR_UNAVAILABLE;
    }
    r = PQexec(d->conn, sql);
    t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

        snprintf(d->err, sizeof(d->err), "%s", PQresultErrorMessage(r));
        log_warn("postgres: %s", d->err);
        rc = state && strncmp(state, "23", 2) == 0 ? ERR_CONFLICT
             : failed_unavailable(d, r)            ? ERR_UNAVAILABLE
                                                   : ERR_INTERNAL;
    }
    PQclear(r);
    return rc;
}

static const char *p_errmsg(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;

    return d->err[0] ? d->err : PQerrorMessage(d->conn);
}

static void session_setup(struct pg_db *d)
{
    PGresult *r = PQexec(d->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");

    PQclear(r);
}

static bool p_ready(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;
    uint64_t now;

    /* between units of work: a server that went away (restart, shutdown) has left an EOF or a
     * FATAL message on the socket, which reading without blocking turns into CONNECTION_BAD */
    if (!d->lost && db->txdepth == 0 &&
        (!PQconsumeInput(d->conn) || PQstatus(d->conn) == CONNECTION_BAD)) {
        log_warn("postgres: connection lost: %s", PQerrorMessage(d->conn));
        d->lost = true;
    }
    if (!d->lost)
        return true;
    now = time_mono_ns();
    if (now < d->next_try_ns)
        return false;
    PQreset(d->conn);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        d->backoff_ns = d->backoff_ns ? d->backoff_ns * 2 : BACKOFF_FIRST_NS;
        if (d->backoff_ns > BACKOFF_MAX_NS)
            d->backoff_ns = BACKOFF_MAX_NS;
        d->next_try_ns = time_mono_ns() + d->backoff_ns;
        snprintf(d->err, sizeof(d->err), "%s", PQerrorMessage(d->conn));
        return false;
    }
    log_info("postgres: reconnected");
    d->lost = false;
    d->backoff_ns = 0;
    d->next_try_ns = 0;
    d->gen++;
    d->err[0] = '\0';
    db->txdepth = 0; /* the transaction died with the old connection */
    session_setup(d);
    return true;
}

static const struct db_ops postgres_ops = {
    .kind = DB_POSTGRES,
    .close = p_close,
    .prepare = p_prepare,
    .bind_i64 = p_bind_i64,
    .bind_text = p_bind_text,
    .bind_null = p_bind_null,
    .step = p_step,
    .reset = p_reset,
    .ncols = p_ncols,
    .is_null = p_is_null,
    .col_i64 = p_col_i64,
    .col_double = p_col_double,
    .col_text = p_col_text,
    .exec = p_exec,
    .errmsg = p_errmsg,
    .ready = p_ready,
};

static void notice_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

struct db *db_postgres_open(const char *conninfo, struct errinfo *ei)
{
    struct pg_db *d = xcalloc(1, sizeof(*d));

    /* a default connect timeout, which the URL's own connect_timeout overrides */
    static const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *vals[] = {"5", conninfo, NULL};

    d->super.ops = &postgres_ops;
    d->gen = 1;
    d->conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        err_set(ei, ERR_UNAVAILABLE, "cannot connect to PostgreSQL: %s", PQerrorMessage(d->conn));
        PQfinish(d->conn);
        free(d);
        return NULL;
    }
    PQsetNoticeProcessor(d->conn, notice_quiet, NULL);
    stmt_cache_init(&d->cache);
    session_setup(d);
    return &d->super;
}
