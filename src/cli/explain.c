/* SPDX-License-Identifier: MIT */
/* trellis explain: the query plan of each statement of a plan log (statements the server
 * prepared while TRELLIS_PLAN_LOG named a file), one JSON line per statement, so a test can
 * fail on a full scan or a pathological plan without timing anything. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/xalloc.h"

/* statements are cached by address: each text stays alive until the command ends */
static char **kept;
static size_t nkept;

static char *keep(size_t n)
{
    kept = xrealloc(kept, (nkept + 1) * sizeof(*kept));
    return kept[nkept++] = xmalloc(n);
}

/* SQLite: EXPLAIN QUERY PLAN rows (id, parent, detail). */
static json_t *plan_sqlite(struct db *db, const char *sql)
{
    size_t n = strlen(sql) + 32;
    char *text = keep(n);
    json_t *rows = json_array();
    struct stmt *s;

    snprintf(text, n, "EXPLAIN QUERY PLAN %s", sql);
    s = db_stmt(db, text);
    while (stmt_step(s) == 1)
        json_array_append_new(rows, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)col_i64(s, 0),
                                              "parent", (json_int_t)col_i64(s, 1), "detail",
                                              col_text(s, 3) ? col_text(s, 3) : ""));
    stmt_reset(s);
    return rows;
}

/* PostgreSQL: the generic plan (the one a prepared statement keeps), whatever the values. */
static json_t *plan_postgres(struct db *db, const char *sql, int serial)
{
    int max = 0;
    size_t n = strlen(sql) + 64;
    char *prep = xmalloc(n), *exec = keep(64 + 6 * 100), dealloc[48];
    json_t *rows = json_array();
    struct stmt *s;

    for (const char *p = sql; *p; p++)
        if (*p == '$' && p[1] >= '0' && p[1] <= '9' && strtol(p + 1, NULL, 10) > max)
            max = (int)strtol(p + 1, NULL, 10);
    snprintf(prep, n, "PREPARE plan_q%d AS %s", serial, sql);
    if (db_exec(db, prep) != ERR_OK) {
        json_array_append_new(rows, json_pack("{s:s}", "error", db_errmsg(db)));
        free(prep);
        return rows;
    }
    n = (size_t)snprintf(exec, 64, "EXPLAIN EXECUTE plan_q%d", serial);
    for (int i = 1; i <= max && i <= 99; i++)
        n += (size_t)snprintf(exec + n, 8, "%sNULL", i == 1 ? "(" : ",");
    if (max)
        snprintf(exec + n, 4, ")");
    s = db_stmt(db, exec);
    while (stmt_step(s) == 1)
        json_array_append_new(rows, json_pack("{s:s}", "detail", col_text(s, 0)));
    stmt_reset(s);
    snprintf(dealloc, sizeof(dealloc), "DEALLOCATE plan_q%d", serial);
    db_exec(db, dealloc);
    free(prep);
    return rows;
}

int cli_explain(int argc, char **argv)
{
    static const char help[] =
        "usage: trellis explain [--db URL] [LOG]\n"
        "  prints the query plan of every distinct statement of a plan log (LOG or stdin),\n"
        "  a file the server writes while TRELLIS_PLAN_LOG names it: one JSON line per\n"
        "  statement, {\"sql\", \"plan\"}; on PostgreSQL the generic plan\n";
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    struct cli_common c;
    struct db *db;
    char *log, *p, *end;
    size_t len;
    int o, serial = 0;
    json_t *seen = json_object();

    cli_common_init(&c);
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd') {
            c.db = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else {
            fputs(help, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 < argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    log = cli_read_file(optind < argc ? argv[optind] : "-", (size_t)1 << 30, &len);
    if (!log)
        return EXIT_FAIL;
    db = cli_open(&c, false);
    if (!db) {
        free(log);
        return EXIT_FAIL;
    }
    if (db_kind(db) == DB_POSTGRES)
        db_exec(db, "SET plan_cache_mode = force_generic_plan");
    /* statements end with a NUL byte each */
    for (p = log, end = log + len; p < end; p += strlen(p) + 1) {
        json_t *line;

        if (!*p || json_object_get(seen, p))
            continue;
        json_object_set_new(seen, p, json_true());
        line = json_pack("{s:s, s:o}", "sql", p, "plan",
                         db_kind(db) == DB_SQLITE ? plan_sqlite(db, p)
                                                  : plan_postgres(db, p, serial++));
        json_dumpf(line, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(line);
    }
    json_decref(seen);
    db_close(db);
    for (size_t i = 0; i < nkept; i++)
        free(kept[i]);
    free(kept);
    free(log);
    return EXIT_OK;
}
