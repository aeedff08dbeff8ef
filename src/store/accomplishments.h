/* SPDX-License-Identifier: MIT */
/* SQL for the accomplishments journal and its links to goals. */
#ifndef TRELLIS_STORE_ACCOMPLISHMENTS_H
#define TRELLIS_STORE_ACCOMPLISHMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

#define ACCOMPLISHMENT_MAX_GOALS 20

struct accomplishment {
    int64_t id, person_id;
    const char *happened_on, *title, *impact, *challenges;
    const char *links;  /* JSON array text */
    const char *tags;   /* ",tag,tag," (lowercase), so one tag matches with LIKE */
    const char *skills; /* ",skill," */
    bool shared;
    const char *created_at, *updated_at;
    int64_t goal_ids[ACCOMPLISHMENT_MAX_GOALS];
    size_t ngoals;
};

struct accomplishment_query {
    int64_t person_id;
    bool shared_only;
    const char *from, *to;   /* NULL = open */
    const char *tag;         /* ",tag," or NULL */
    const char *before_date; /* keyset: (happened_on, id) < (before_date, before_id) */
    int64_t before_id;
    int limit;
};

enum err store_accomplishments_get(struct db *db, struct arena *a, int64_t id,
                                   struct accomplishment *out);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL: FOR UPDATE;
 * SQLite: the transaction's BEGIN IMMEDIATE already serialises writers). */
enum err store_accomplishments_get_for_update(struct db *db, struct arena *a, int64_t id,
                                              struct accomplishment *out);
enum err store_accomplishments_list(struct db *db, struct arena *a,
                                    const struct accomplishment_query *q,
                                    struct accomplishment **items, size_t *n);
enum err store_accomplishments_insert(struct db *db, struct accomplishment *x);
enum err store_accomplishments_update(struct db *db, const struct accomplishment *x);
enum err store_accomplishments_delete(struct db *db, int64_t id);

#endif
