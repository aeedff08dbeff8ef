/* SPDX-License-Identifier: MIT */
/* store/sqlite.c: a one-row insert's id is answered without RETURNING (the driver's rewrite);
 * an insert that ON CONFLICT DO NOTHING skipped answers no row; an insert of several rows
 * (SELECT) or an upsert's update keeps RETURNING and answers each id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"

static char path[64];

static int setup(void **state)
{
    struct errinfo ei = {0};
    char url[80];
    int fd;
    struct db *db;

    snprintf(path, sizeof(path), "/tmp/trellis-unit-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    db = db_open(url, &ei);
    if (!db)
        return -1;
    if (db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, n BIGINT);"
                    "CREATE TABLE u (id TEXT PRIMARY KEY, n BIGINT);") != ERR_OK)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    char side[80];

    db_close(*state);
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
    return 0;
}

static int64_t insert(struct db *db, const char *k, int *rows)
{
    struct stmt *s = db_stmt(db, "INSERT INTO t (k, n) VALUES ($1, 1)"
                                 " ON CONFLICT (k) DO NOTHING RETURNING id");
    int64_t id = 0;
    int st;

    stmt_text(s, 1, k);
    *rows = 0;
    while ((st = stmt_step(s)) == 1) {
        id = col_i64(s, 0);
        assert_false(col_null(s, 0));
        (*rows)++;
    }
    stmt_reset(s);
    assert_int_equal(st, 0);
    return id;
}

static void one_row_ids(void **state)
{
    struct db *db = *state;
    int rows;

    assert_int_equal(insert(db, "a", &rows), 1);
    assert_int_equal(rows, 1);
    assert_int_equal(insert(db, "b", &rows), 2);
    assert_int_equal(rows, 1);
    insert(db, "a", &rows); /* skipped by the conflict: no row, as RETURNING says */
    assert_int_equal(rows, 0);
    assert_int_equal(insert(db, "c", &rows), 3);
    assert_int_equal(rows, 1);
}

static void several_rows_and_upserts_keep_returning(void **state)
{
    struct db *db = *state;
    struct stmt *s = db_stmt(db, "INSERT INTO t (k, n) SELECT k || 'x', 2 FROM t ORDER BY id"
                                 " RETURNING id");
    int rows = 0;

    while (stmt_step(s) == 1)
        rows++;
    stmt_reset(s);
    assert_int_equal(rows, 3);
    /* an upsert's update answers the existing row's id, not the last rowid */
    s = db_stmt(db, "INSERT INTO t (k, n) VALUES ('a', 9) ON CONFLICT (k) DO UPDATE"
                    " SET n = excluded.n RETURNING id");
    assert_int_equal(stmt_step(s), 1);
    assert_int_equal(col_i64(s, 0), 1);
    stmt_reset(s);
    /* a table whose id is not its rowid keeps RETURNING */
    s = db_stmt(db, "INSERT INTO u (id, n) VALUES ('k1', 1) RETURNING id");
    assert_int_equal(stmt_step(s), 1);
    assert_string_equal(col_text(s, 0), "k1");
    stmt_reset(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_row_ids),
        cmocka_unit_test(several_rows_and_upserts_keep_returning),
    };

    return cmocka_run_group_tests_name("store/sqlite.c", tests, setup, teardown);
}
