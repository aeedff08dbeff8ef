/* SPDX-License-Identifier: MIT */
/* The database interface: one connection (struct db) per worker thread, statements prepared
 * once per connection from static SQL text and cached by that text's address. SQL uses $1, $2…
 * placeholders in both dialects. Two drivers fill struct db_ops: sqlite.c and postgres.c. */
#ifndef TRELLIS_STORE_H
#define TRELLIS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

enum db_kind { DB_SQLITE, DB_POSTGRES };

#define STMT_MAX_PARAMS 24
/* How long a SQLite statement waits for another connection's write lock before it gives up
 * (the request then answers 503 with Retry-After). */
#define DB_BUSY_WAIT_MS 5000

struct db;

/* The common head of every driver's statement. */
struct stmt {
    struct db *db;
    uint32_t steps; /* of the current execution, for the sampled timing of stmt_step */
};

struct db_ops {
    enum db_kind kind;
    void (*close)(struct db *db);
    struct stmt *(*prepare)(struct db *db, const char *sql);
    void (*bind_i64)(struct stmt *s, int idx, int64_t v);
    void (*bind_text)(struct stmt *s, int idx, const char *v);
    void (*bind_null)(struct stmt *s, int idx);
    int (*step)(struct stmt *s);
    void (*reset)(struct stmt *s);
    int (*ncols)(struct stmt *s);
    bool (*is_null)(struct stmt *s, int col);
    int64_t (*col_i64)(struct stmt *s, int col);
    double (*col_double)(struct stmt *s, int col);
    const char *(*col_text)(struct stmt *s, int col);
    enum err (*exec)(struct db *db, const char *sql);
    const char *(*errmsg)(struct db *db);
    /* Makes the connection usable (reconnects a lost one); false when it cannot yet. */
    bool (*ready)(struct db *db);
    /* How long a statement waits for another writer's lock (SQLite); NULL where rows lock
     * one by one (PostgreSQL). */
    void (*busy_wait)(struct db *db, int ms);
    /* SQLite: PRAGMA data_version, which moves when another connection commits; NULL when the
     * driver has none (no memo then) */
    uint64_t (*data_version)(struct db *db);
};

/* A connection's memo of hot lookups (who a bearer token is): an entry holds while nothing was
 * committed since it was read (by this process or any other connection to the database) and
 * for at most DB_MEMO_NS. */
#define DB_MEMO_SLOTS 64
#define DB_MEMO_NS    (2ull * 1000000000ull)
struct db_memo {
    char key[72];
    int64_t v[3];
    uint64_t stamp, until;
};

/* The common head of every driver's connection (drivers embed it first, h2o's "super"). */
struct db {
    const struct db_ops *ops;
    int txdepth;
    int64_t changes;
    /* time spent in the driver, for /metrics: every statement's first step, and one in
     * STEP_SAMPLE of the rows after it counted that many times (a clock read per row was 8% of
     * a request that reads 200,000 rows) */
    uint64_t ns_in_db;
    int fail_after; /* test hook: fail the Nth statement step when > 0 */
    /* Set while the request's body has a field its route's schema does not name: the handler
     * still runs to collect every problem of the body for one 422, but db_begin refuses
     * (ERR_VALIDATION), so nothing can be written. Cleared when the request ends. */
    bool refuse_writes;
    /* SQLite, inside a large import: people are written without a name key and the search
     * index, the closure table and the reports counts are built at its end
     * (store_people_bulk_begin) */
    bool search_bulk;
    /* Set by the driver when a statement failed because the database could not be reached
     * (PostgreSQL down or restarting) or stayed locked past the busy timeout (SQLite): the work
     * did not happen and may be retried after retry_after seconds. Cleared by db_ready. */
    bool unavailable;
    int retry_after;
    /* Set by the driver when a write failed because the disk is full (SQLite): nothing was
     * written, reads still work; the HTTP layer answers 507. Cleared by db_ready. */
    bool full;
    /* Inside db_try_write: a failure is expected and not logged. */
    bool trying;
    bool tx_write; /* the open transaction was begun (or joined) by db_begin: a write */
    /* The memo stamp of the open read transaction (db_begin_read), taken before its first
     * read: 0 outside one, in a write, or without a data version (PostgreSQL). */
    uint64_t tx_stamp;
    struct db_memo memo[DB_MEMO_SLOTS];
    /* The people directory's memo (store/people.c), allocated on its first use. */
    struct people_memo *people_memo;
};

/* Opens url ("sqlite:PATH" or "postgres://…"/"postgresql://…"); returns owned or NULL with ei. */
struct db *db_open(const char *url, struct errinfo *ei);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* The memo stamp of the read transaction open on db, under which what it reads may be kept
 * (db_memo_get/put, the people memo); 0 (keep nothing) outside a read transaction or once it
 * wrote. */
uint64_t db_read_stamp(const struct db *db);

/* SQLite, outside a transaction and with no other connection to the database: on, the
 * rollback journal (a large write goes to the database file once instead of to the WAL and then
 * to the file); off, WAL again. Returns whether the journal is now the one asked for. */
bool db_journal_direct(struct db *db, bool on);

/* Call before each unit of work (a request, a scheduler pass): clears the unavailable mark and,
 * when the connection was lost, reconnects with backoff (at most one attempt per backoff step,
 * 250 ms doubling to 5 s), after which every statement is prepared again on first use. Returns
 * ERR_UNAVAILABLE while the database cannot be reached; statements then fail at once and set
 * the mark. */
enum err db_ready(struct db *db);

/* Returns the cached prepared statement for sql (borrowed; sql must be a static string).
 * Aborts on a prepare failure with the database reachable: SQL text is ours, so that is a
 * programming error. With the connection lost the statement is prepared once it is back. */
struct stmt *db_stmt(struct db *db, const char *sql);
/* 1-based parameter index as in $1. text NULL binds SQL NULL. */
void stmt_i64(struct stmt *s, int idx, int64_t v);
void stmt_text(struct stmt *s, int idx, const char *v);
void stmt_null(struct stmt *s, int idx);
/* Runs or advances the statement: 1 = a row is ready, 0 = done, -1 = error (db_errmsg),
 * -2 = unique or foreign-key constraint violation. */
int stmt_step(struct stmt *s);
/* Resets for reuse and clears bindings; call when done with a statement. */
void stmt_reset(struct stmt *s);
/* Column readers for the current row (0-based); text is borrowed until the next step/reset. */
bool col_null(struct stmt *s, int col);
int64_t col_i64(struct stmt *s, int col);
double col_double(struct stmt *s, int col);
const char *col_text(struct stmt *s, int col);

/* Shared by the store files: a column copied into the arena (NULL stays NULL), an id column
 * with NULL read as 0, an id bound as NULL when 0, the id of INSERT ... RETURNING id, and the
 * next slot of an arena array grown by doubling. */
const char *col_dup(struct arena *a, struct stmt *s, int col);
int64_t col_id(struct stmt *s, int col);
void stmt_id(struct stmt *s, int idx, int64_t v);
enum err stmt_insert_id(struct stmt *s, int64_t *id);
void *store_slot(struct arena *a, void **v, size_t *cap, size_t len, size_t elem);
/* Runs s and returns its first column as ids, in the order of the rows. */
enum err store_ids(struct stmt *s, struct arena *a, int64_t **ids, size_t *n);

/* Read models that go straight to a response: runs s and returns its rows as a JSON array of
 * objects. spec names the selected columns in order with their types, "id:i name:s score:f
 * open:b" (i integer, s text, f double, b boolean; NULL stays null). */
#include <jansson.h>
enum err store_json_rows(struct stmt *s, const char *spec, json_t **out);
/* The first row only, or ERR_NOT_FOUND. */
enum err store_json_row(struct stmt *s, const char *spec, json_t **out);

/* Runs a statement with no result rows to completion and resets it; returns ERR_OK, ERR_CONFLICT
 * for a constraint violation, ERR_INTERNAL otherwise. */
enum err stmt_exec(struct stmt *s);
/* stmt_exec, counting the rows it answers (an INSERT's RETURNING: the rows it wrote). */
enum err stmt_exec_rows(struct stmt *s, int64_t *rows);
/* Transactions nest by counting: only the outermost begin/commit reach the database. */
/* The memo's stamp now, to be taken before the read it keeps (0: no memo on this driver). */
uint64_t db_memo_stamp(struct db *db);
/* Entry key when it holds at stamp: its values into v. */
bool db_memo_get(struct db *db, const char *key, uint64_t stamp, int64_t v[3]);
/* Keeps v under key as read at stamp (nothing when stamp is 0). */
void db_memo_put(struct db *db, const char *key, uint64_t stamp, const int64_t v[3]);
enum err db_begin(struct db *db);
enum err db_commit(struct db *db);
/* SQLite: one read snapshot for a whole read request (one lock instead of one per statement);
 * a no-op on PostgreSQL, where it would cost two round trips. Ends with db_commit. */
enum err db_begin_read(struct db *db);
void db_rollback(struct db *db);
/* Ends the transaction begun with db_begin: commits when rc is ERR_OK, else rolls back.
 * Returns the commit's result, or rc. */
enum err db_end(struct db *db, enum err rc);
/* Runs a script of statements (migrations, maintenance). */
enum err db_exec(struct db *db, const char *sql);
/* Drivers call this once per statement they prepare: when TRELLIS_PLAN_LOG names a file, the
 * text is appended to it (NUL-terminated) for `trellis explain` and the plan test. */
void db_plan_log(const char *sql);
const char *db_errmsg(struct db *db);
/* SQLite: PRAGMA optimize (statistics for the tables this connection's queries would plan
 * better with); a no-op on PostgreSQL, whose autovacuum analyzes. For long-lived connections,
 * about hourly. */
enum err db_optimize(struct db *db);
/* Runs fn(db, arg) as a best-effort write: on SQLite it does not wait for another writer's
 * lock (a long scheduler pass, an import) but gives up at once, and a failure leaves the
 * connection usable for the rest of the request. For bookkeeping a request may skip (a token's
 * last use). Returns fn's result. */
enum err db_try_write(struct db *db, enum err (*fn)(struct db *db, const void *arg),
                      const void *arg);
/* SQLite: a page cache of up to 256 MiB while on (the default 2 MiB after), so that a large
 * transaction (an import of a whole organisation) keeps its pages in memory instead of spilling
 * them to the WAL and reading them back for every row. A no-op on PostgreSQL. */
enum err db_bulk(struct db *db, bool on);
/* SQLite: statistics for every table and index (approximate, bounded work per index), so that
 * connections opened afterwards plan with them from their first statement; serve runs it before
 * its workers open theirs. A no-op on PostgreSQL. */
enum err db_analyze(struct db *db);

/* SQLite: writes a consistent copy of the live database to path (which must not exist).
 * ERR_VALIDATION on PostgreSQL, whose own tools (pg_dump) do this. */
enum err db_backup_into(struct db *db, const char *path);
/* SQLite: true when PRAGMA integrity_check answers ok. */
bool db_check_integrity(struct db *db);

/* Brings the schema to the current version; prints nothing. */
enum err db_migrate(struct db *db, struct errinfo *ei);
/* The current schema version (0 for an empty database). */
int db_schema_version(struct db *db);

/* Driver constructors (used by db_open). */
struct db *db_sqlite_open(const char *path, struct errinfo *ei);
struct db *db_postgres_open(const char *conninfo, struct errinfo *ei);

#endif
