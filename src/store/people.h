/* SPDX-License-Identifier: MIT */
/* SQL for people, departments and role history. Rows come back as structs whose strings are
 * allocated in the caller's arena. */
#ifndef TRELLIS_STORE_PEOPLE_H
#define TRELLIS_STORE_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct person {
    int64_t id;
    const char *employee_id;
    const char *email;
    const char *name;
    const char *title;
    const char *level;
    const char *hire_date;
    const char *status;
    int64_t department_id; /* 0 when none */
    const char *department_name;
    int64_t manager_id; /* 0 when none */
    int64_t reports_count;
    const char *sort_name;
    /* SQLite, written by a large import into an empty directory: the name key it gives the
     * person (0: the store chooses) */
    int64_t name_key;
};

struct role_change {
    int64_t id;
    int64_t person_id;
    const char *effective_date;
    const char *kind;
    const char *title;
    const char *level;
    const char *status;
    const char *reason;
    const char *recorded_at;
    int64_t department_id;
    const char *department_name;
    int64_t manager_id;
    const char *manager_name;
    int64_t actor_id;
};

enum people_scope { PEOPLE_ALL, PEOPLE_DEPARTMENT, PEOPLE_MANAGER, PEOPLE_NO_MANAGER };

struct people_query {
    enum people_scope scope;
    int64_t scope_id;       /* department or manager id */
    const char *pattern;    /* lowercased LIKE pattern, already escaped; "%" for all */
    const char *match;      /* the same text as an FTS5 phrase when it has 3+ characters */
    const char *words[2];   /* a two-character query: LIKE patterns of a field's or word's start */
    const char *status;     /* "active", "inactive", "terminated" or "all" */
    const char *after_name; /* keyset cursor; NULL for the first page */
    int64_t after_id;
    int limit;
};

struct department {
    int64_t id;
    const char *name;
    int64_t parent_id;
    int64_t people_count;
};

/* Each returns ERR_OK, ERR_NOT_FOUND or ERR_INTERNAL; arrays are arena-allocated. */
enum err store_people_get(struct db *db, struct arena *a, int64_t id, struct person *out);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL: FOR UPDATE;
 * SQLite: the transaction's BEGIN IMMEDIATE already serialises writers). */
enum err store_people_get_for_update(struct db *db, struct arena *a, int64_t id,
                                     struct person *out);
enum err store_people_by_email(struct db *db, struct arena *a, const char *email,
                               struct person *out);
enum err store_people_by_employee_id(struct db *db, struct arena *a, const char *employee_id,
                                     struct person *out);
enum err store_people_search(struct db *db, struct arena *a, const struct people_query *q,
                             struct person **items, size_t *n);
/* The person (as store_people_get) and their manager chain, nearest manager first. */
enum err store_people_get_with_chain(struct db *db, struct arena *a, int64_t id, struct person *out,
                                     struct person **chain, size_t *n);
bool store_people_is_manager_of(struct db *db, int64_t manager_id, int64_t person_id);
enum err store_people_role_history(struct db *db, struct arena *a, int64_t person_id,
                                   struct role_change **items, size_t *n);
/* Inserts p (id is set) or updates every column of the row p->id. */
enum err store_people_insert(struct db *db, struct person *p, const char *now);
enum err store_people_update(struct db *db, const struct person *p, const char *now);
/* The hire entries in role history of the people created since first_id at now (a large
 * import's, in one statement): each as it was hired (its hire date, else today). */
enum err store_people_hire_entries(struct db *db, int64_t first_id, const char *now,
                                   const char *today, int64_t actor_id);
enum err store_people_add_role_change(struct db *db, const struct role_change *rc);
int64_t store_people_count(struct db *db);
/* Recomputes every person's search text with today's folding (after an upgrade that changed
 * it); rows already right are not written. */
enum err store_people_refold(struct db *db);
/* A large import on SQLite writes people without what is kept row by row and builds it once, at
 * its end (three times faster): _begin drops the triggers of the search index, the closure table
 * and the reports counts and the closure table's second index (their text in *saved, NULL when
 * there is nothing to do); _end spreads the name keys, fills the search index, builds the closure
 * table and the counts and puts everything back. On PostgreSQL only the table of word starts
 * waits for the end (its trigger skips while trellis.bulk is on). Both inside the import's
 * transaction, so no one ever sees them partial. */
enum err store_people_bulk_begin(struct db *db, struct arena *a, const char **saved);
enum err store_people_bulk_end(struct db *db, const char *saved, bool keyed);
/* Whether the directory has no one yet (a large import then gives the name keys itself and
 * store_people_bulk_end is told keyed). */
bool store_people_none(struct db *db);
/* Every person (reports_count left 0), for bulk work such as imports. */
enum err store_people_all(struct db *db, struct arena *a, struct person **items, size_t *n);

enum err store_departments_list(struct db *db, struct arena *a, struct department **items,
                                size_t *n);
/* The id of the department named name, creating it (top level) when missing. */
enum err store_departments_ensure(struct db *db, const char *name, const char *now, int64_t *id);
enum err store_departments_get(struct db *db, struct arena *a, int64_t id, struct department *out);
enum err store_departments_set_parent(struct db *db, int64_t id, int64_t parent_id);

#endif
