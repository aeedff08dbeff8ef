/* SPDX-License-Identifier: MIT */
/* See people.h. Each function keeps its SQL beside it. */
#include "store/people.h"

#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PERSON_COLS                                                                                \
    "p.id, p.employee_id, p.email, p.name, p.title, p.level, p.hire_date, p.status, "              \
    "p.department_id, d.name, p.manager_id, "                                                      \
    "p.reports_count, "                                                                            \
    "p.sort_name"
#define PERSON_FROM " FROM people p LEFT JOIN departments d ON d.id = p.department_id "

static const char *dup(struct arena *a, struct stmt *s, int col)
{
    return arena_strdup(a, col_text(s, col));
}

static void read_person(struct stmt *s, struct arena *a, struct person *p)
{
    p->id = col_i64(s, 0);
    p->employee_id = dup(a, s, 1);
    p->email = dup(a, s, 2);
    p->name = dup(a, s, 3);
    p->title = dup(a, s, 4);
    p->level = dup(a, s, 5);
    p->hire_date = dup(a, s, 6);
    p->status = dup(a, s, 7);
    p->department_id = col_null(s, 8) ? 0 : col_i64(s, 8);
    p->department_name = dup(a, s, 9);
    p->manager_id = col_null(s, 10) ? 0 : col_i64(s, 10);
    p->reports_count = col_i64(s, 11);
    p->sort_name = dup(a, s, 12);
}

/* Runs s (bound) and collects every row as a person. */
static enum err collect(struct stmt *s, struct arena *a, struct person **items, size_t *n)
{
    size_t cap = 16, len = 0;
    struct person *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct person *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        read_person(s, a, &v[len++]);
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

static enum err one(struct stmt *s, struct arena *a, struct person *out)
{
    int rc = stmt_step(s);

    if (rc == 1)
        read_person(s, a, out);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_people_get(struct db *db, struct arena *a, int64_t id, struct person *out)
{
    static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM "WHERE p.id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    return one(s, a, out);
}

enum err store_people_get_for_update(struct db *db, struct arena *a, int64_t id, struct person *out)
{
    static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM "WHERE p.id = $1 FOR UPDATE OF p";
    struct stmt *s;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_people_get(db, a, id, out);
    s = db_stmt(db, sql);
    stmt_i64(s, 1, id);
    return one(s, a, out);
}

enum err store_people_by_email(struct db *db, struct arena *a, const char *email,
                               struct person *out)
{
    static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM "WHERE p.email = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, email);
    return one(s, a, out);
}

enum err store_people_by_employee_id(struct db *db, struct arena *a, const char *employee_id,
                                     struct person *out)
{
    static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM "WHERE p.employee_id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, employee_id);
    return one(s, a, out);
}

/* One statement per scope, with and without a text filter, so each uses its index (an
 * "x IS NULL OR" filter cannot) and no LIKE is bound when there is no q: SQLite re-prepares a
 * statement whose LIKE pattern is a parameter on every run. */
#define SEARCH_FILTER " AND p.search_text LIKE $2 ESCAPE '\\'"
#define SEARCH_ANY    " AND $2 = $2"
#define SEARCH_WORD   " AND (p.search_text LIKE $2 ESCAPE '\\' OR p.search_text LIKE $8 ESCAPE '\\')"
#define SEARCH_TAIL                                                                                \
    " AND ($3 = 'all' OR p.status = $3)"                                                           \
    " AND ($4 = 0 OR p.sort_name > $5 OR (p.sort_name = $5 AND p.id > $6))"                        \
    " ORDER BY p.sort_name, p.id LIMIT $7"
#define SEARCH_SQL(where, filter)                                                                  \
    "SELECT " PERSON_COLS PERSON_FROM "WHERE " where filter SEARCH_TAIL

/* The first rows of the scope in name order, searched before any index: a query that many
 * people match fills its page here at once. The rows come in the subquery's order (it is the
 * outer loop of a CROSS JOIN), so the page stops at its last row instead of sorting them all. */
#define SEARCH_BOUND    "2048"
#define SEARCH_IN_BOUND " AND w.search_text LIKE $2 ESCAPE '\\'"
#define SEARCH_WORD_BOUND                                                                          \
    " AND (w.search_text LIKE $2 ESCAPE '\\' OR w.search_text LIKE $8 ESCAPE '\\')"
#define SEARCH_KEYSET                                                                              \
    " AND ($3 = 'all' OR p.status = $3)"                                                           \
    " AND ($4 = 0 OR p.sort_name > $5 OR (p.sort_name = $5 AND p.id > $6))"
#define SEARCH_BOUNDED(where, filter)                                                              \
    "SELECT " PERSON_COLS                                                                          \
    " FROM (SELECT p.id, p.search_text FROM people p WHERE " where SEARCH_KEYSET                   \
    " ORDER BY p.sort_name, p.id LIMIT " SEARCH_BOUND ") w"                                        \
    " CROSS JOIN people p ON p.id = w.id LEFT JOIN departments d ON d.id = p.department_id"        \
    " WHERE $7 > 0" filter " LIMIT $7"

/* A query that fewer people match than this is looked up in the trigram index and its matches
 * sorted by name (only their ids and names: the page's rows are read after); a commoner one
 * walks the name index, where its page is near. The trigram match is exact: the folded text
 * against the folded query. */
#define FTS_FEW "10000"
#define SEARCH_FTS(where)                                                                          \
    "SELECT " PERSON_COLS " FROM (SELECT p.id FROM people_search f CROSS JOIN people p"            \
    " WHERE people_search MATCH $8 AND p.name_key = f.rowid AND " where                            \
    " AND $2 = $2" SEARCH_KEYSET                                                                   \
    " ORDER BY p.sort_name, p.id LIMIT $7) w CROSS JOIN people p ON p.id = w.id"                   \
    " LEFT JOIN departments d ON d.id = p.department_id ORDER BY p.sort_name, p.id"

/* The whole directory searched: the trigram index is keyed by name order (name_key, migration
 * 0046), so its matches come in the page's order and the walk stops at the page, whatever the
 * number of matches. $9 is the key of the cursor's row (0 for the first page). */
#define SEARCH_NAME_ORDER                                                                          \
    "SELECT " PERSON_COLS " FROM (SELECT p.id FROM people_search f CROSS JOIN people p"            \
    " ON p.name_key = f.rowid WHERE people_search MATCH $8 AND f.rowid > $9 AND $1 >= 0"           \
    " AND $2 = $2" SEARCH_KEYSET                                                                   \
    " ORDER BY f.rowid LIMIT $7) w CROSS JOIN people p ON p.id = w.id"                             \
    " LEFT JOIN departments d ON d.id = p.department_id ORDER BY p.sort_name, p.id"

/* The name keys next to (sort_name, id) in name order: *lo of the last row before it, *hi of the
 * first after it (0 and NAME_KEY_END when there is none). A row of that id is neither. */
#define NAME_KEY_END INT64_C(4611686018427387904) /* 2^62: keys are between 0 and this */
static enum err name_neighbours(struct db *db, const char *sort_name, int64_t id, int64_t *lo,
                                int64_t *hi)
{
    static const char prev[] =
        "SELECT name_key FROM people WHERE sort_name <= $1 AND (sort_name < $1 OR id < $2)"
        " AND name_key IS NOT NULL ORDER BY sort_name DESC, id DESC LIMIT 1";
    static const char next[] =
        "SELECT name_key FROM people WHERE sort_name >= $1 AND (sort_name > $1 OR id > $2)"
        " AND name_key IS NOT NULL ORDER BY sort_name, id LIMIT 1";
    int64_t *out[2] = {lo, hi};
    const char *sql[2] = {prev, next};

    for (int i = 0; i < 2; i++) {
        struct stmt *s = db_stmt(db, sql[i]);
        int rc;

        stmt_text(s, 1, sort_name);
        stmt_i64(s, 2, id);
        rc = stmt_step(s);
        *out[i] = rc == 1 ? col_i64(s, 0) : i ? NAME_KEY_END : 0;
        stmt_reset(s);
        if (rc < 0)
            return ERR_INTERNAL;
    }
    return ERR_OK;
}

/* PostgreSQL, the whole directory searched for a word start: its people in name order from
 * people_word_starts (migration 0047), $9 the two letters */
#define SEARCH_WORD_STARTS                                                                         \
    "SELECT " PERSON_COLS " FROM people_word_starts w JOIN people p ON p.id = w.person_id"         \
    " LEFT JOIN departments d ON d.id = p.department_id"                                           \
    " WHERE w.ws = $9 AND $1 >= 0 AND $2 = $2 AND $8 = $8 AND ($3 = 'all' OR p.status = $3)"       \
    " AND ($4 = 0 OR w.sort_name > $5 OR (w.sort_name = $5 AND w.person_id > $6))"                 \
    " ORDER BY w.sort_name, w.person_id LIMIT $7"

/* $1..$7 of a search, and $8 the second pattern of a word start */
static void bind_search(struct stmt *s, const struct people_query *q, bool words)
{
    bool filtered = q->pattern && strcmp(q->pattern, "%") != 0;

    stmt_i64(s, 1, q->scope_id);
    stmt_text(s, 2, words ? q->words[0] : filtered ? q->pattern : "");
    stmt_text(s, 3, q->status);
    stmt_i64(s, 4, q->after_name ? 1 : 0);
    stmt_text(s, 5, q->after_name ? q->after_name : "");
    stmt_i64(s, 6, q->after_id);
    stmt_i64(s, 7, q->limit);
    if (words)
        stmt_text(s, 8, q->words[1]);
}

enum err store_people_search(struct db *db, struct arena *a, const struct people_query *q,
                             struct person **items, size_t *n)
{
    static const char *const sql[3][4] = {
        {SEARCH_SQL("$1 >= 0", SEARCH_ANY), SEARCH_SQL("p.department_id = $1", SEARCH_ANY),
         SEARCH_SQL("p.manager_id = $1", SEARCH_ANY),
         SEARCH_SQL("p.manager_id IS NULL AND $1 >= 0", SEARCH_ANY)},
        {SEARCH_SQL("$1 >= 0", SEARCH_FILTER), SEARCH_SQL("p.department_id = $1", SEARCH_FILTER),
         SEARCH_SQL("p.manager_id = $1", SEARCH_FILTER),
         SEARCH_SQL("p.manager_id IS NULL AND $1 >= 0", SEARCH_FILTER)},
        {SEARCH_SQL("$1 >= 0", SEARCH_WORD), SEARCH_SQL("p.department_id = $1", SEARCH_WORD),
         SEARCH_SQL("p.manager_id = $1", SEARCH_WORD),
         SEARCH_SQL("p.manager_id IS NULL AND $1 >= 0", SEARCH_WORD)},
    };
    static const char *const sql_bounded[2][4] = {
        {SEARCH_BOUNDED("$1 >= 0", SEARCH_IN_BOUND),
         SEARCH_BOUNDED("p.department_id = $1", SEARCH_IN_BOUND),
         SEARCH_BOUNDED("p.manager_id = $1", SEARCH_IN_BOUND),
         SEARCH_BOUNDED("p.manager_id IS NULL AND $1 >= 0", SEARCH_IN_BOUND)},
        {SEARCH_BOUNDED("$1 >= 0", SEARCH_WORD_BOUND),
         SEARCH_BOUNDED("p.department_id = $1", SEARCH_WORD_BOUND),
         SEARCH_BOUNDED("p.manager_id = $1", SEARCH_WORD_BOUND),
         SEARCH_BOUNDED("p.manager_id IS NULL AND $1 >= 0", SEARCH_WORD_BOUND)},
    };
    /* SQLite: the first rows in name order, then the trigram index for a query that few people
     * match, else the name index walked to its page */
    static const char *const sql_fts[4] = {
        SEARCH_FTS("$1 >= 0"), SEARCH_FTS("p.department_id = $1"), SEARCH_FTS("p.manager_id = $1"),
        SEARCH_FTS("p.manager_id IS NULL AND $1 >= 0")};
    static const char sql_name_order[] = SEARCH_NAME_ORDER;
    static const char sql_word_starts[] = SEARCH_WORD_STARTS;
    static const char sql_count[] = "SELECT COUNT(*) FROM (SELECT 1 FROM people_search"
                                    " WHERE people_search MATCH $1 LIMIT " FTS_FEW ")";
    bool filtered = q->pattern && strcmp(q->pattern, "%") != 0;
    bool fts = false, words;
    struct stmt *s;
    enum err rc;

    words = filtered && q->words[0];
    if (filtered && q->match && db_kind(db) == DB_SQLITE && q->scope == PEOPLE_ALL) {
        int64_t from = 0, past;

        /* the cursor's row is the last one at or before (after_name, after_id) */
        if (q->after_name && name_neighbours(db, q->after_name,
                                             q->after_id < INT64_MAX ? q->after_id + 1 : INT64_MAX,
                                             &from, &past) != ERR_OK)
            return ERR_INTERNAL;
        s = db_stmt(db, sql_name_order);
        bind_search(s, q, false);
        stmt_text(s, 8, q->match);
        stmt_i64(s, 9, from);
        return collect(s, a, items, n);
    }
    if (filtered && q->match && db_kind(db) == DB_SQLITE) {
        s = db_stmt(db, sql_bounded[words][q->scope]);
        bind_search(s, q, words);
        rc = collect(s, a, items, n);
        if (rc || *n == (size_t)q->limit)
            return rc;
        s = db_stmt(db, sql_count);
        stmt_text(s, 1, q->match);
        fts = stmt_step(s) == 1 && col_i64(s, 0) < strtol(FTS_FEW, NULL, 10);
        stmt_reset(s);
    }
    if (words && db_kind(db) == DB_POSTGRES && q->scope == PEOPLE_ALL) {
        /* the two letters: the pattern without its "%" at each end and LIKE's escapes */
        size_t len = strlen(q->pattern), o = 0;
        char *two = arena_alloc(a, len + 1);

        for (size_t i = 1; i + 1 < len; i++)
            two[o++] = q->pattern[i] == '\\' && i + 2 < len ? q->pattern[++i] : q->pattern[i];
        two[o] = '\0';
        s = db_stmt(db, sql_word_starts);
        bind_search(s, q, true);
        stmt_text(s, 9, two);
        return collect(s, a, items, n);
    }
    if (fts) {
        s = db_stmt(db, sql_fts[q->scope]);
        bind_search(s, q, false);
        stmt_text(s, 8, q->match);
    } else {
        s = db_stmt(db, sql[words ? 2 : filtered][q->scope]);
        bind_search(s, q, words);
    }
    return collect(s, a, items, n);
}

/* The people memo: a connection's copies of the people it read as someone's managers, each
 * with the stamp of the read transaction that read it (db_read_stamp: it holds while nothing was
 * committed since, for at most DB_MEMO_NS). A person read at 100,000 people spent a fifth of its
 * time on the rows of the manager chain, whose upper levels every read shares. Direct-mapped by
 * id; a person whose texts do not fit is not kept. */
#define PEOPLE_MEMO_SLOTS 4096
#define PEOPLE_MEMO_TEXT  400
enum { MEMO_TEXTS = 9 };
struct people_memo_slot {
    int64_t id, department_id, manager_id, reports_count;
    uint64_t stamp, until;
    uint16_t len[MEMO_TEXTS]; /* each text's length with its NUL, 0 for NULL */
    char text[PEOPLE_MEMO_TEXT];
};
struct people_memo {
    struct people_memo_slot slot[PEOPLE_MEMO_SLOTS];
};

/* the texts of a person, in the slot's order */
static void memo_texts(struct person *p, const char **t[MEMO_TEXTS])
{
    const char **v[MEMO_TEXTS] = {&p->employee_id, &p->email,           &p->name,
                                  &p->title,       &p->level,           &p->hire_date,
                                  &p->status,      &p->department_name, &p->sort_name};

    memcpy(t, v, sizeof(v));
}

static bool memo_get(struct db *db, struct arena *a, uint64_t stamp, int64_t id, struct person *p)
{
    struct people_memo_slot *m;
    const char **t[MEMO_TEXTS];
    size_t used = 0;
    char *copy;

    if (!db->people_memo)
        return false;
    m = &db->people_memo->slot[(uint64_t)id % PEOPLE_MEMO_SLOTS];
    if (m->id != id || m->stamp != stamp || m->until < time_mono_ns())
        return false;
    for (int i = 0; i < MEMO_TEXTS; i++)
        used += m->len[i];
    /* the slot can be taken by another id before the request ends: the texts are copied */
    copy = arena_alloc(a, used ? used : 1);
    memcpy(copy, m->text, used);
    p->id = id;
    p->department_id = m->department_id;
    p->manager_id = m->manager_id;
    p->reports_count = m->reports_count;
    memo_texts(p, t);
    for (int i = 0; i < MEMO_TEXTS; i++) {
        *t[i] = m->len[i] ? copy : NULL;
        copy += m->len[i];
    }
    return true;
}

static void memo_put(struct db *db, uint64_t stamp, struct person *p)
{
    struct people_memo_slot *m;
    const char **t[MEMO_TEXTS];
    size_t len[MEMO_TEXTS], used = 0;

    memo_texts(p, t);
    for (int i = 0; i < MEMO_TEXTS; i++) {
        len[i] = *t[i] ? strlen(*t[i]) + 1 : 0;
        used += len[i];
    }
    if (used > PEOPLE_MEMO_TEXT)
        return;
    if (!db->people_memo)
        db->people_memo = xcalloc(1, sizeof(*db->people_memo));
    m = &db->people_memo->slot[(uint64_t)p->id % PEOPLE_MEMO_SLOTS];
    used = 0;
    for (int i = 0; i < MEMO_TEXTS; i++) {
        memcpy(m->text + used, *t[i] ? *t[i] : "", len[i]);
        m->len[i] = (uint16_t)len[i];
        used += len[i];
    }
    m->id = p->id;
    m->department_id = p->department_id;
    m->manager_id = p->manager_id;
    m->reports_count = p->reports_count;
    m->stamp = stamp;
    m->until = time_mono_ns() + DB_MEMO_NS;
}

/* Person id as the read transaction of stamp sees them: from the memo, else read and kept. */
static enum err person_kept(struct db *db, struct arena *a, uint64_t stamp, int64_t id,
                            struct person *p)
{
    enum err rc;

    if (memo_get(db, a, stamp, id, p))
        return ERR_OK;
    rc = store_people_get(db, a, id, p);
    if (rc == ERR_OK)
        memo_put(db, stamp, p);
    return rc;
}

/* The manager chain of $1, nearest first: one primary-key range of the closure table
 * people_ancestors (migration 0037), kept by triggers with every change of a manager. */
enum err store_people_get_with_chain(struct db *db, struct arena *a, int64_t id, struct person *out,
                                     struct person **chain, size_t *n)
{
    /* the person (depth 0) and their managers in one statement: a round trip fewer on
     * PostgreSQL, a statement fewer on SQLite, for every person read */
    static const char sql[] = "SELECT " PERSON_COLS ", 0" PERSON_FROM "WHERE p.id = $1"
                              " UNION ALL SELECT " PERSON_COLS ", c.depth FROM people_ancestors c"
                              " JOIN people p ON p.id = c.ancestor_id"
                              " LEFT JOIN departments d ON d.id = p.department_id"
                              " WHERE c.person_id = $1 ORDER BY 14";
    /* with a memo: the person and their managers' ids, the managers then read from the memo */
    static const char sql_ids[] =
        "SELECT " PERSON_COLS ", 0" PERSON_FROM "WHERE p.id = $1"
        " UNION ALL SELECT c.ancestor_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        " NULL, 0, NULL, c.depth FROM people_ancestors c WHERE c.person_id = $1 ORDER BY 14";
    uint64_t stamp = db_read_stamp(db);
    struct stmt *s = db_stmt(db, stamp ? sql_ids : sql);
    struct person *v;
    size_t len;
    enum err rc;

    stmt_i64(s, 1, id);
    rc = collect(s, a, &v, &len);
    if (rc)
        return rc;
    if (len == 0 || v[0].id != id)
        return ERR_NOT_FOUND;
    for (size_t i = 1; stamp && i < len; i++) {
        rc = person_kept(db, a, stamp, v[i].id, &v[i]);
        if (rc)
            return rc == ERR_NOT_FOUND ? ERR_INTERNAL : rc; /* the closure names no one */
    }
    *out = v[0];
    *chain = v + 1;
    *n = len - 1;
    return ERR_OK;
}

bool store_people_is_manager_of(struct db *db, int64_t manager_id, int64_t person_id)
{
    static const char sql[] = "SELECT 1 FROM people_ancestors"
                              " WHERE person_id = $1 AND ancestor_id = $2 LIMIT 1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, person_id);
    stmt_i64(s, 2, manager_id);
    rc = stmt_step(s);
    stmt_reset(s);
    return rc == 1;
}

enum err store_people_role_history(struct db *db, struct arena *a, int64_t person_id,
                                   struct role_change **items, size_t *n)
{
    static const char sql[] =
        "SELECT h.id, h.effective_date, h.kind, h.title, h.level, h.status, h.reason,"
        " h.recorded_at, h.department_id, d.name, h.manager_id, m.name, h.actor_id"
        " FROM role_history h LEFT JOIN departments d ON d.id = h.department_id"
        " LEFT JOIN people m ON m.id = h.manager_id"
        " WHERE h.person_id = $1 ORDER BY h.effective_date DESC, h.id DESC LIMIT 500";
    /* with a memo the managers' names come from it (a person's manager at hire is most often
     * the one their chain has just read) */
    static const char sql_memo[] =
        "SELECT h.id, h.effective_date, h.kind, h.title, h.level, h.status, h.reason,"
        " h.recorded_at, h.department_id, d.name, h.manager_id, NULL, h.actor_id"
        " FROM role_history h LEFT JOIN departments d ON d.id = h.department_id"
        " WHERE h.person_id = $1 ORDER BY h.effective_date DESC, h.id DESC LIMIT 500";
    uint64_t stamp = db_read_stamp(db);
    struct stmt *s = db_stmt(db, stamp ? sql_memo : sql);
    size_t cap = 8, len = 0;
    struct role_change *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    stmt_i64(s, 1, person_id);
    while ((rc = stmt_step(s)) == 1) {
        struct role_change *r;

        if (len == cap) {
            struct role_change *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        r = &v[len++];
        r->id = col_i64(s, 0);
        r->person_id = person_id;
        r->effective_date = dup(a, s, 1);
        r->kind = dup(a, s, 2);
        r->title = dup(a, s, 3);
        r->level = dup(a, s, 4);
        r->status = dup(a, s, 5);
        r->reason = dup(a, s, 6);
        r->recorded_at = dup(a, s, 7);
        r->department_id = col_null(s, 8) ? 0 : col_i64(s, 8);
        r->department_name = dup(a, s, 9);
        r->manager_id = col_null(s, 10) ? 0 : col_i64(s, 10);
        r->manager_name = dup(a, s, 11);
        r->actor_id = col_null(s, 12) ? 0 : col_i64(s, 12);
    }
    stmt_reset(s);
    for (size_t i = 0; stamp && rc == 0 && i < len; i++) {
        struct person m;
        enum err e;

        if (!v[i].manager_id)
            continue;
        e = person_kept(db, a, stamp, v[i].manager_id, &m);
        if (e == ERR_OK)
            v[i].manager_name = m.name;
        else if (e != ERR_NOT_FOUND) /* a manager who was deleted is unnamed, as by the join */
            return e;
    }
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

/* Binds the columns shared by insert and update ($1..$11). */
static void bind_person(struct stmt *s, const struct person *p, const char *now)
{
    stmt_text(s, 1, p->employee_id);
    stmt_text(s, 2, p->email);
    stmt_text(s, 3, p->name);
    stmt_text(s, 4, p->sort_name);
    stmt_text(s, 6, p->title);
    if (p->department_id)
        stmt_i64(s, 7, p->department_id);
    else
        stmt_null(s, 7);
    if (p->manager_id)
        stmt_i64(s, 8, p->manager_id);
    else
        stmt_null(s, 8);
    stmt_text(s, 9, p->level);
    stmt_text(s, 10, p->hire_date);
    stmt_text(s, 11, p->status ? p->status : "active");
    stmt_text(s, 12, now);
}

/* The folded text that q searches: name, email, title and employee id. */
static void search_text(const struct person *p, char *text, size_t size)
{
    size_t o = 1;
    const char *parts[] = {p->name, p->email, p->title, p->employee_id};

    text[0] = '\x1f'; /* every field starts after a separator: a two-letter query's word start */

    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!parts[i] || o + 2 >= size)
            continue;
        o += text_fold(parts[i], text + o, size - o - 1);
        text[o++] = '\x1f'; /* a separator no query contains, so terms never straddle */
    }
    text[o] = '\0';
}

static void bind_search_text(struct stmt *s, const struct person *p)
{
    char text[1200];

    search_text(p, text, sizeof(text));
    stmt_text(s, 5, text);
}

/* Every person's name key spread evenly over 1..2^62 in name order. Only while the search
 * index's triggers are off: the index is rebuilt after. */
static enum err name_keys_spread(struct db *db)
{
    /* no key is taken twice (without the unique index in a bulk import, anyway) */
    enum err rc = db_exec(db, "UPDATE people SET name_key = -id WHERE name_key IS NOT NULL");

    if (rc == ERR_OK)
        rc = db_exec(db, "UPDATE people SET name_key = r.k"
                         " FROM (SELECT id, row_number() OVER (ORDER BY sort_name, id)"
                         " * (4611686018427387904 / ((SELECT COUNT(*) FROM people) + 1)) AS k"
                         " FROM people) r WHERE r.id = people.id");
    return rc;
}

/* The closure table again for everyone: each person's managers read once into memory and their
 * chains walked there, the rows written in the table's key order, a hundred a statement. A
 * recursive statement took 4.4 s at 1,000,000 people (2.4 s of lookups in people, 1.2 s sorting
 * 5.9 million rows); this takes about 1 s. */
#define CLOSURE_ROW  "(?,?,?)"
#define CLOSURE_ROW5 CLOSURE_ROW "," CLOSURE_ROW "," CLOSURE_ROW "," CLOSURE_ROW "," CLOSURE_ROW
#define CLOSURE_ROW25                                                                              \
    CLOSURE_ROW5 "," CLOSURE_ROW5 "," CLOSURE_ROW5 "," CLOSURE_ROW5 "," CLOSURE_ROW5
#define CLOSURE_BATCH 100

static size_t closure_find(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : SIZE_MAX;
}

/* Writes the buffered rows: a full batch in one statement, fewer one by one. */
static enum err closure_flush(struct db *db, int64_t (*rows)[3], size_t k)
{
    static const char sql_batch[] =
        "INSERT INTO people_ancestors (person_id, depth, ancestor_id)"
        " VALUES " CLOSURE_ROW25 "," CLOSURE_ROW25 "," CLOSURE_ROW25 "," CLOSURE_ROW25;
    static const char sql_one[] = "INSERT INTO people_ancestors (person_id, depth, ancestor_id)"
                                  " VALUES ($1, $2, $3)";
    bool batch = k == CLOSURE_BATCH;
    struct stmt *s = db_stmt(db, batch ? sql_batch : sql_one);
    enum err rc = ERR_OK;

    for (size_t j = 0; rc == ERR_OK && j < k; j++) {
        int at = batch ? (int)(3 * j) : 0;

        for (int c = 0; c < 3; c++)
            stmt_i64(s, at + c + 1, rows[j][c]);
        if (!batch)
            rc = stmt_exec(s);
    }
    return batch ? stmt_exec(s) : rc;
}

static enum err closure_rebuild(struct db *db)
{
    static const char sql_all[] = "SELECT id, manager_id FROM people ORDER BY id";
    struct stmt *s = db_stmt(db, sql_all);
    size_t n = 0, cap = 1024, k = 0;
    int64_t *ids = xmalloc(cap * sizeof(*ids)), *mgr = xmalloc(cap * sizeof(*mgr));
    int64_t rows[CLOSURE_BATCH][3];
    size_t *up;
    enum err rc = db_exec(db, "DELETE FROM people_ancestors");
    int step = 0;

    while (rc == ERR_OK && (step = stmt_step(s)) == 1) {
        if (n == cap) {
            cap *= 2;
            ids = xrealloc(ids, cap * sizeof(*ids));
            mgr = xrealloc(mgr, cap * sizeof(*mgr));
        }
        ids[n] = col_i64(s, 0);
        mgr[n++] = col_id(s, 1);
    }
    if (step < 0)
        rc = ERR_INTERNAL;
    stmt_reset(s);
    /* each person's manager as a position in the arrays (SIZE_MAX: none) */
    up = xmalloc((n ? n : 1) * sizeof(*up));
    for (size_t i = 0; i < n; i++)
        up[i] = mgr[i] ? closure_find(ids, n, mgr[i]) : SIZE_MAX;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        int64_t depth = 0;

        for (size_t m = i; rc == ERR_OK && mgr[m]; m = up[m]) {
            if ((size_t)++depth > n) { /* a cycle: the import refuses one before it writes */
                log_warn("reporting lines: person %lld is above themselves", (long long)ids[i]);
                rc = ERR_INTERNAL;
                break;
            }
            rows[k][0] = ids[i];
            rows[k][1] = depth;
            rows[k][2] = mgr[m];
            if (++k == CLOSURE_BATCH) {
                rc = closure_flush(db, rows, k);
                k = 0;
            }
            if (up[m] == SIZE_MAX) /* a manager who is not in the table (none: a key) */
                break;
        }
    }
    if (rc == ERR_OK && k)
        rc = closure_flush(db, rows, k);
    free(up);
    free(ids);
    free(mgr);
    return rc;
}

enum err store_people_bulk_begin(struct db *db, struct arena *a, const char **saved)
{
    static const char sql[] =
        "SELECT group_concat(sql, ';') FROM sqlite_master WHERE name IN ('people_search_insert',"
        " 'people_search_update', 'people_ancestors_insert', 'people_reports_insert',"
        " 'people_ancestors_by_ancestor', 'people_by_name', 'people_by_department',"
        " 'people_by_manager', 'people_reports_by_status', 'people_by_department_status',"
        " 'people_by_name_key', 'career_facts_hire', 'career_facts_by_department',"
        " 'career_facts_by_level_since', 'career_sums_add', 'role_history_by_kind')";
    struct stmt *s;
    enum err rc = ERR_OK;

    *saved = NULL;
    if (db_kind(db) == DB_POSTGRES) { /* the word starts' trigger waits for the end */
        *saved = "";
        return db_exec(db, "SET LOCAL trellis.bulk = 'on'");
    }
    s = db_stmt(db, sql);
    if (stmt_step(s) == 1 && !col_null(s, 0))
        *saved = arena_strdup(a, col_text(s, 0));
    stmt_reset(s);
    if (*saved)
        rc = db_exec(db, "DROP TRIGGER IF EXISTS people_search_insert;"
                         " DROP TRIGGER IF EXISTS people_search_update;"
                         " DROP TRIGGER IF EXISTS people_ancestors_insert;"
                         " DROP TRIGGER IF EXISTS people_reports_insert;"
                         " DROP INDEX IF EXISTS people_ancestors_by_ancestor;"
                         " DROP INDEX IF EXISTS people_by_name;"
                         " DROP INDEX IF EXISTS people_by_department;"
                         " DROP INDEX IF EXISTS people_by_manager;"
                         " DROP INDEX IF EXISTS people_reports_by_status;"
                         " DROP INDEX IF EXISTS people_by_department_status;"
                         " DROP INDEX IF EXISTS people_by_name_key;"
                         " DROP TRIGGER IF EXISTS career_facts_hire;"
                         " DROP INDEX IF EXISTS career_facts_by_department;"
                         " DROP INDEX IF EXISTS career_facts_by_level_since;"
                         " DROP TRIGGER IF EXISTS career_sums_add;"
                         " DROP INDEX IF EXISTS role_history_by_kind");
    db->search_bulk = *saved != NULL;
    return rc;
}

/* The career figures of the people a large import hired (migration 0049): no plan, rating or
 * level change yet, what the hire trigger writes for one. */
#define HIRED_FACTS                                                                                \
    "INSERT INTO career_facts (person_id, department_id, active, level_since, has_idp, actions,"   \
    " actions_done, expected, rated) SELECT p.id, p.department_id,"                                \
    " CASE WHEN p.status = 'active' THEN 1 ELSE 0 END, p.hire_date, 0, 0, 0,"                      \
    " (SELECT COUNT(*) FROM level_expectations e WHERE e.level_id = p.career_level_id), 0"         \
    " FROM people p WHERE NOT EXISTS (SELECT 1 FROM career_facts f WHERE f.person_id = p.id)"

/* Every manager's count of active reports again, written to the managers alone (a correlated
 * count rewrote every row: 1,000,000 rows for 100,000 managers). */
#define REPORTS_RECOUNT                                                                            \
    "UPDATE people SET reports_count = 0 WHERE reports_count <> 0;"                                \
    " UPDATE people SET reports_count = g.n FROM (SELECT manager_id, COUNT(*) AS n FROM people"    \
    " WHERE status = 'active' AND manager_id IS NOT NULL GROUP BY manager_id) g"                   \
    " WHERE people.id = g.manager_id"

bool store_people_none(struct db *db)
{
    /* a key range, not a scan (the plan test holds every statement to it) */
    static const char sql[] = "SELECT 1 FROM people WHERE id > 0 LIMIT 1";
    struct stmt *s = db_stmt(db, sql);
    bool none = stmt_step(s) == 0;

    stmt_reset(s);
    return none;
}

enum err store_people_bulk_end(struct db *db, const char *saved, bool keyed)
{
    enum err rc;

    if (!saved)
        return ERR_OK;
    uint64_t t0 = time_mono_ns();

    /* PostgreSQL: the closure and the counts waited too (migration 0057); the word starts in
     * their key's order (100,000 people: 8.6 -> 4.8 s, the person index's inserts the rest) */
    if (db_kind(db) == DB_POSTGRES) {
        rc = db_exec(db, "SET LOCAL trellis.bulk = 'off';" HIRED_FACTS ";"
                         " DELETE FROM people_ancestors;"
                         " INSERT INTO people_ancestors (person_id, depth, ancestor_id)"
                         " WITH RECURSIVE c (person_id, depth, ancestor_id) AS ("
                         " SELECT id, 1, manager_id FROM people WHERE manager_id IS NOT NULL"
                         " UNION ALL SELECT c.person_id, c.depth + 1, p.manager_id FROM c"
                         " JOIN people p ON p.id = c.ancestor_id"
                         " WHERE p.manager_id IS NOT NULL AND c.depth < 100000)"
                         " SELECT person_id, depth, ancestor_id FROM c;" REPORTS_RECOUNT ";"
                         " DELETE FROM people_word_starts;"
                         " INSERT INTO people_word_starts (ws, sort_name, person_id)"
                         " SELECT DISTINCT left(w, 2), p.sort_name, p.id FROM people p,"
                         " unnest(string_to_array(translate(p.search_text, chr(31), ' '), ' '))"
                         " AS w WHERE length(w) >= 2 ORDER BY 1, 2, 3");
        log_info("import: reporting lines, counts and word starts built in %.1f s",
                 (double)(time_mono_ns() - t0) / 1e9);
        return rc;
    }
    db->search_bulk = false;

    /* keys given at insert, in name order: no row is written again */
    rc = keyed ? ERR_OK : name_keys_spread(db);
    if (!keyed)
        log_info("import: name keys spread in %.1f s", (double)(time_mono_ns() - t0) / 1e9);
    /* every reporting line and count again, in one pass each (the triggers did it row by row,
     * at three times the cost); the closure table in its key order, its second index after */
    t0 = time_mono_ns();
    if (rc == ERR_OK)
        rc = closure_rebuild(db);
    log_info("import: reporting lines built in %.1f s", (double)(time_mono_ns() - t0) / 1e9);
    /* the career figures of the people hired here, before their indexes; then the indexes
     * (built by sorting, faster than row by row) and triggers back, then the counts read by the
     * reports index */
    t0 = time_mono_ns();
    if (rc == ERR_OK)
        rc = db_exec(db, HIRED_FACTS);
    if (rc == ERR_OK)
        rc = db_exec(db, saved);
    /* the department sums again from everyone's figures (the import wrote them without) */
    if (rc == ERR_OK)
        rc = db_exec(db, "DELETE FROM career_sums;"
                         " INSERT INTO career_sums (department_id, level_since, head, idps, acts,"
                         " done, expd, rated) SELECT COALESCE(department_id, 0),"
                         " COALESCE(level_since, ''), SUM(active), SUM(active * has_idp),"
                         " SUM(actions), SUM(actions_done), SUM(active * expected),"
                         " SUM(active * rated) FROM career_facts GROUP BY 1, 2");
    /* the counts by one pass of the reports index */
    if (rc == ERR_OK)
        rc = db_exec(db, REPORTS_RECOUNT);
    log_info("import: indexes and counts built in %.1f s", (double)(time_mono_ns() - t0) / 1e9);
    /* the search index last: the tables and indexes a person read walks come before it in the
     * file (within the first 64 MiB that the server maps at 100,000 people).
     * Not FTS5's rebuild, which reads the people in id order: rows that come out of key order
     * make it flush its buffer at each one (four times slower) */
    t0 = time_mono_ns();
    if (rc == ERR_OK)
        rc = db_exec(db, "INSERT INTO people_search (people_search) VALUES ('delete-all');"
                         /* FTS5 writes a segment each time its buffer of new terms fills (1 MB
                          * by default) and merges them later: a 256 MB buffer for the fill
                          * (1,000,000 people: 17 s with the default, 8 s with 64 MB, 6.7 s, for
                          * 90 MB more at the import's peak), the default again for everyday
                          * writes */
                         " INSERT INTO people_search (people_search, rank)"
                         " VALUES ('hashsize', 268435456);"
                         " INSERT INTO people_search (rowid, search_text)"
                         " SELECT name_key, search_text FROM people ORDER BY name_key;"
                         " INSERT INTO people_search (people_search, rank)"
                         " VALUES ('hashsize', 1048576)");
    log_info("import: search index filled in %.1f s", (double)(time_mono_ns() - t0) / 1e9);
    return rc;
}

/* The name key for a person named sort_name (id; INT64_MAX for one not inserted yet, who sorts
 * after every namesake) whose key is now cur (0: none): cur while it is still between its
 * neighbours, else one between them. When they have no room left between them every key is
 * spread again first (rare: the keys start 2^62 / people apart). SQLite only. */
static enum err name_key_for(struct db *db, struct arena *a, const char *sort_name, int64_t id,
                             int64_t cur, int64_t *key)
{
    int64_t lo, hi;
    enum err rc = name_neighbours(db, sort_name, id, &lo, &hi);

    if (rc == ERR_OK && cur > lo && cur < hi) {
        *key = cur;
        return ERR_OK;
    }
    if (rc == ERR_OK && hi - lo < 2) {
        const char *saved;

        log_info("people: no room between two name keys: spreading every key again");
        rc = store_people_bulk_begin(db, a, &saved);
        if (rc == ERR_OK)
            rc = store_people_bulk_end(db, saved, false);
        if (rc == ERR_OK)
            rc = name_neighbours(db, sort_name, id, &lo, &hi);
        if (rc == ERR_OK && hi - lo < 2)
            rc = ERR_INTERNAL;
    }
    if (rc)
        return rc;
    /* at the end of the directory a step, so that names added in order keep room; else the
     * middle */
    *key = lo + (hi == NAME_KEY_END && (hi - lo) / 2 > (INT64_C(1) << 40) ? INT64_C(1) << 40
                                                                          : (hi - lo) / 2);
    return ERR_OK;
}

/* The name key person p (p->id 0: a new one) is written with, or NULL (a bulk import spreads the
 * keys at its end; PostgreSQL has none). */
static enum err bind_name_key(struct db *db, struct stmt *s, int idx, const struct person *p)
{
    static const char sql[] = "SELECT name_key FROM people WHERE id = $1";
    int64_t cur = 0, key;
    struct arena *a;
    enum err rc;

    if (db_kind(db) == DB_SQLITE && db->search_bulk && p->name_key > 0) {
        stmt_i64(s, idx, p->name_key);
        return ERR_OK;
    }
    if (db_kind(db) != DB_SQLITE || db->search_bulk) {
        stmt_null(s, idx);
        return ERR_OK;
    }
    if (p->id) {
        struct stmt *q = db_stmt(db, sql);
        int step;

        stmt_i64(q, 1, p->id);
        step = stmt_step(q);
        if (step == 1 && !col_null(q, 0))
            cur = col_i64(q, 0);
        stmt_reset(q);
        if (step < 0)
            return ERR_INTERNAL;
    }
    a = arena_new();
    rc =
        name_key_for(db, a, p->sort_name ? p->sort_name : "", p->id ? p->id : INT64_MAX, cur, &key);
    arena_free(a);
    if (rc == ERR_OK)
        stmt_i64(s, idx, key);
    return rc;
}

enum err store_people_refold(struct db *db)
{
    static const char sql[] =
        "UPDATE people SET search_text = $2 WHERE id = $1 AND search_text <> $2";
    struct arena *a = arena_new();
    struct person *v;
    size_t n;
    enum err rc = store_people_all(db, a, &v, &n);

    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        char text[1200];
        struct stmt *s = db_stmt(db, sql);

        search_text(&v[i], text, sizeof(text));
        stmt_i64(s, 1, v[i].id);
        stmt_text(s, 2, text);
        rc = stmt_exec(s);
    }
    arena_free(a);
    return rc;
}

enum err store_people_insert(struct db *db, struct person *p, const char *now)
{
    static const char sql[] =
        "INSERT INTO people (employee_id, email, name, sort_name, search_text, title,"
        " department_id, manager_id, level, hire_date, status, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
    static const char sql_keyed[] =
        "INSERT INTO people (employee_id, email, name, sort_name, search_text, title,"
        " department_id, manager_id, level, hire_date, status, created_at, updated_at, name_key)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id";
    bool keyed = db_kind(db) == DB_SQLITE;
    struct stmt *s;
    struct person fresh = *p;
    int rc;

    fresh.id = 0;
    s = db_stmt(db, keyed ? sql_keyed : sql);
    bind_person(s, p, now);
    bind_search_text(s, p);
    if (keyed && bind_name_key(db, s, 13, &fresh) != ERR_OK) {
        stmt_reset(s);
        return ERR_INTERNAL;
    }
    rc = stmt_step(s);
    if (rc == 1)
        p->id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == -2 ? ERR_CONFLICT : ERR_INTERNAL;
}

enum err store_people_update(struct db *db, const struct person *p, const char *now)
{
    static const char sql[] = "UPDATE people SET employee_id = $1, email = $2, name = $3,"
                              " sort_name = $4, search_text = $5, title = $6,"
                              " department_id = $7, manager_id = $8, level = $9,"
                              " hire_date = $10, status = $11, updated_at = $12 WHERE id = $13";
    static const char sql_keyed[] = "UPDATE people SET employee_id = $1, email = $2, name = $3,"
                                    " sort_name = $4, search_text = $5, title = $6,"
                                    " department_id = $7, manager_id = $8, level = $9,"
                                    " hire_date = $10, status = $11, updated_at = $12,"
                                    " name_key = coalesce($14, name_key) WHERE id = $13";
    bool keyed = db_kind(db) == DB_SQLITE;
    struct stmt *s = db_stmt(db, keyed ? sql_keyed : sql);

    bind_person(s, p, now);
    bind_search_text(s, p);
    stmt_i64(s, 13, p->id);
    if (keyed && bind_name_key(db, s, 14, p) != ERR_OK) {
        stmt_reset(s);
        return ERR_INTERNAL;
    }
    return stmt_exec(s);
}

enum err store_people_hire_entries(struct db *db, int64_t first_id, const char *now,
                                   const char *today, int64_t actor_id)
{
    static const char sql[] =
        "INSERT INTO role_history (person_id, effective_date, kind, title, level,"
        " department_id, manager_id, status, reason, recorded_at, actor_id)"
        " SELECT p.id, coalesce(p.hire_date, $3), 'hire', p.title, p.level, p.department_id,"
        " p.manager_id, p.status, NULL, $2, $4 FROM people p"
        " WHERE p.id >= $1 AND p.created_at = $2"
        " AND NOT EXISTS (SELECT 1 FROM role_history h WHERE h.person_id = p.id)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, first_id);
    stmt_text(s, 2, now);
    stmt_text(s, 3, today);
    stmt_id(s, 4, actor_id);
    return stmt_exec(s);
}

enum err store_people_add_role_change(struct db *db, const struct role_change *rc)
{
    static const char sql[] =
        "INSERT INTO role_history (person_id, effective_date, kind, title, level,"
        " department_id, manager_id, status, reason, recorded_at, actor_id)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, rc->person_id);
    stmt_text(s, 2, rc->effective_date);
    stmt_text(s, 3, rc->kind);
    stmt_text(s, 4, rc->title);
    stmt_text(s, 5, rc->level);
    if (rc->department_id)
        stmt_i64(s, 6, rc->department_id);
    else
        stmt_null(s, 6);
    if (rc->manager_id)
        stmt_i64(s, 7, rc->manager_id);
    else
        stmt_null(s, 7);
    stmt_text(s, 8, rc->status);
    stmt_text(s, 9, rc->reason);
    stmt_text(s, 10, rc->recorded_at);
    if (rc->actor_id)
        stmt_i64(s, 11, rc->actor_id);
    else
        stmt_null(s, 11);
    return stmt_exec(s);
}

enum err store_people_all(struct db *db, struct arena *a, struct person **items, size_t *n)
{
    static const char sql[] = "SELECT p.id, p.employee_id, p.email, p.name, p.title, p.level,"
                              " p.hire_date, p.status, p.department_id, d.name, p.manager_id, 0,"
                              " p.sort_name" PERSON_FROM "ORDER BY p.id";

    return collect(db_stmt(db, sql), a, items, n);
}

int64_t store_people_count(struct db *db)
{
    static const char sql[] = "SELECT COUNT(*) FROM people";
    struct stmt *s = db_stmt(db, sql);
    int64_t n = -1;

    if (stmt_step(s) == 1)
        n = col_i64(s, 0);
    stmt_reset(s);
    return n;
}

enum err store_departments_list(struct db *db, struct arena *a, struct department **items,
                                size_t *n)
{
    static const char sql[] =
        "SELECT d.id, d.name, d.parent_id,"
        " (SELECT COUNT(*) FROM people p WHERE p.department_id = d.id AND p.status = 'active')"
        " FROM departments d ORDER BY d.name, d.id";
    struct stmt *s = db_stmt(db, sql);
    size_t cap = 16, len = 0;
    struct department *v = arena_alloc(a, cap * sizeof(*v));
    int rc;

    while ((rc = stmt_step(s)) == 1) {
        if (len == cap) {
            struct department *w = arena_alloc(a, cap * 2 * sizeof(*w));

            memcpy(w, v, len * sizeof(*v));
            v = w;
            cap *= 2;
        }
        v[len].id = col_i64(s, 0);
        v[len].name = dup(a, s, 1);
        v[len].parent_id = col_null(s, 2) ? 0 : col_i64(s, 2);
        v[len].people_count = col_i64(s, 3);
        len++;
    }
    stmt_reset(s);
    *items = v;
    *n = len;
    return rc == 0 ? ERR_OK : ERR_INTERNAL;
}

enum err store_departments_get(struct db *db, struct arena *a, int64_t id, struct department *out)
{
    static const char sql[] = "SELECT id, name, parent_id FROM departments WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, id);
    rc = stmt_step(s);
    if (rc == 1) {
        out->id = col_i64(s, 0);
        out->name = dup(a, s, 1);
        out->parent_id = col_null(s, 2) ? 0 : col_i64(s, 2);
        out->people_count = 0;
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_departments_ensure(struct db *db, const char *name, const char *now, int64_t *id)
{
    static const char sql_find[] = "SELECT id FROM departments WHERE name = $1";
    static const char sql_add[] =
        "INSERT INTO departments (name, created_at) VALUES ($1, $2) RETURNING id";
    struct stmt *s = db_stmt(db, sql_find);
    int rc;

    stmt_text(s, 1, name);
    rc = stmt_step(s);
    if (rc == 1)
        *id = col_i64(s, 0);
    stmt_reset(s);
    if (rc != 0)
        return rc == 1 ? ERR_OK : ERR_INTERNAL;
    s = db_stmt(db, sql_add);
    stmt_text(s, 1, name);
    stmt_text(s, 2, now);
    rc = stmt_step(s);
    if (rc == 1)
        *id = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : ERR_INTERNAL;
}

enum err store_departments_set_parent(struct db *db, int64_t id, int64_t parent_id)
{
    static const char sql[] = "UPDATE departments SET parent_id = $2 WHERE id = $1";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, id);
    if (parent_id)
        stmt_i64(s, 2, parent_id);
    else
        stmt_null(s, 2);
    return stmt_exec(s);
}
