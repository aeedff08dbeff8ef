/* SPDX-License-Identifier: MIT */
/* The PostgreSQL driver over libpq: one connection per worker, each statement prepared once per
 * connection (PQprepare) under a generated name, parameters sent as text. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store.h"
#include "util/log.h"
#include "util/xalloc.h"

struct pg_stmt {
    struct stmt super;
    char name[16];
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

static struct stmt *p_prepare(struct db *db, const char *sql)
{
    struct pg_db *d = (struct pg_db *)db;
    struct pg_stmt *s = stmt_cache_get(&d->cache, sql);
    PGresult *r;

    if (s)
        return &s->super;
    s = xcalloc(1, sizeof(*s));
    s->super.db = db;
    snprintf(s->name, sizeof(s->name), "s%d", d->next_id++);
    r = PQprepare(d->conn, s->name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "trellis: cannot prepare SQL: %s\n%s\n", PQerrorMessage(d->conn), sql);
        abort();
    }
    PQclear(r);
    r = PQdescribePrepared(d->conn, s->name);
    s->nparams = PQnparams(r);
    PQclear(r);
    if (s->nparams > STMT_MAX_PARAMS) {
        fprintf(stderr, "trellis: too many parameters in SQL:\n%s\n", sql);
        abort();
    }
    stmt_cache_put(&d->cache, sql, s);
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

        s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, NULL,
                                NULL, 0);
        t = PQresultStatus(s->res);
        if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
            const char *state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);

            snprintf(d->err, sizeof(d->err), "%s", PQresultErrorMessage(s->res));
            if (state && strncmp(state, "23", 2) == 0)
                return -2;
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
    PGresult *r = PQexec(d->conn, sql);
    ExecStatusType t = PQresultStatus(r);
    enum err rc = ERR_OK;

    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

        snprintf(d->err, sizeof(d->err), "%s", PQresultErrorMessage(r));
        log_warn("postgres: %s", d->err);
        rc = state && strncmp(state, "23", 2) == 0 ? ERR_CONFLICT : ERR_INTERNAL;
    }
    PQclear(r);
    return rc;
}

static const char *p_errmsg(struct db *db)
{
    struct pg_db *d = (struct pg_db *)db;

    return d->err[0] ? d->err : PQerrorMessage(d->conn);
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
};

static void notice_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

struct db *db_postgres_open(const char *conninfo, struct errinfo *ei)
{
    struct pg_db *d = xcalloc(1, sizeof(*d));

    d->super.ops = &postgres_ops;
    d->conn = PQconnectdb(conninfo);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        err_set(ei, ERR_UNAVAILABLE, "cannot connect to PostgreSQL: %s", PQerrorMessage(d->conn));
        PQfinish(d->conn);
        free(d);
        return NULL;
    }
    PQsetNoticeProcessor(d->conn, notice_quiet, NULL);
    stmt_cache_init(&d->cache);
    p_exec(&d->super, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    return &d->super;
}
