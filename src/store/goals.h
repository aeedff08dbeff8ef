/* SPDX-License-Identifier: MIT */
/* SQL for goals, key results and check-ins. Rows come back in the caller's arena. */
#ifndef TRELLIS_STORE_GOALS_H
#define TRELLIS_STORE_GOALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

#define GOAL_MAX_CONTRIBUTORS 20

struct key_result {
    int64_t id; /* 0 for a new one */
    int64_t goal_id;
    const char *title;
    const char *type; /* metric | milestone */
    double start, target, current, weight;
    const char *unit;
    const char *direction; /* increase | decrease */
    bool done;
};

struct goal {
    int64_t id;
    const char *title, *description, *level, *kind, *status, *visibility;
    const char *start_date, *due_date, *created_at, *updated_at, *last_checkin_at;
    int64_t owner_id, department_id, parent_id, proposed_by, created_by;
    const char *owner_name, *department_name;
    int64_t owner_manager_id;
    int64_t owner_department_id;
    double weight;
    bool accepted;
    struct key_result *krs;
    size_t nkrs;
    /* computed by the domain and stored with the goal */
    double progress;
    bool has_rollup;
    double rollup;
    size_t nchildren;
    int64_t kr_count;
    int64_t version; /* counts the edits of the goal's fields (PATCH) */
    /* people who work on the goal with the owner: they may read and check in */
    int64_t contributors[GOAL_MAX_CONTRIBUTORS];
    size_t ncontributors;
    bool contributors_loaded;
};

struct checkin {
    int64_t id, goal_id, key_result_id, author_id;
    const char *author_name;
    bool has_value;
    double value;
    const char *status, *comment, *created_at;
    int64_t confidence;
    double progress;
};

struct goal_query {
    int64_t owner_id;      /* 0 = any */
    int64_t manager_id;    /* goals of this manager's direct reports; 0 = any */
    int64_t parent_id;     /* 0 = any */
    const char *level;     /* NULL = any */
    const char *status;    /* NULL = any */
    const char *from, *to; /* period overlap; NULL = any */
    int64_t after_id;      /* keyset cursor */
    int limit;
};

enum err store_goals_get(struct db *db, struct arena *a, int64_t id, struct goal *out);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL: FOR UPDATE;
 * SQLite: the transaction's BEGIN IMMEDIATE already serialises writers), so what the write
 * decides on cannot change under it. */
enum err store_goals_get_for_update(struct db *db, struct arena *a, int64_t id, struct goal *out);
/* Goals matching q (without key results), ordered by id. */
enum err store_goals_list(struct db *db, struct arena *a, const struct goal_query *q,
                          struct goal **items, size_t *n);
/* Every goal overlapping the period (from/to may be NULL), with its key results, ordered by id. */
enum err store_goals_period(struct db *db, struct arena *a, const char *from, const char *to,
                            struct goal **items, size_t *n);
/* Where an alignment tree starts: the company goals of a period, a department's top team goals
 * of a period, or the goals aligned to one goal. */
enum goal_tree_roots { TREE_COMPANY, TREE_DEPARTMENT, TREE_PARENT };
struct goal_tree_query {
    enum goal_tree_roots roots;
    int64_t of;            /* the department or the parent goal */
    const char *from, *to; /* the period the roots overlap (NULL: any) */
    int depth;             /* levels, the roots' included */
    int64_t after_id;      /* roots after this id (a page's cursor) */
    int roots_limit;       /* at most this many roots, in id order */
    int64_t max_goals;     /* more goals than this in the page: ERR_TOO_LARGE, read no further */
};
/* One page of the alignment tree: the ids of at most q->roots_limit roots (ascending), and those
 * roots with everything aligned below them down to q->depth levels, with key results, ordered by
 * id. ERR_TOO_LARGE when the page holds more than q->max_goals goals (the whole tree of a large
 * company: 5 million goals took 3 GB of memory at 1,000,000 people), before reading them all. */
enum err store_goals_tree(struct db *db, struct arena *a, const struct goal_tree_query *q,
                          int64_t **roots, size_t *nroots, struct goal **items, size_t *n);
/* Loads the key results of goals v (ascending ids) with one range query. */
enum err store_goals_attach_krs(struct db *db, struct arena *a, struct goal *v, size_t n);
/* Loads g's contributors; saves exactly g's list. */
enum err store_goals_load_contributors(struct db *db, struct goal *g);
enum err store_goals_save_contributors(struct db *db, const struct goal *g);
/* Loads g's key results into g->krs. */
enum err store_goals_load_krs(struct db *db, struct arena *a, struct goal *g);
/* All goals aligned below id (any depth, at most 32 levels), with key results. */
enum err store_goals_descendants(struct db *db, struct arena *a, int64_t id, struct goal **items,
                                 size_t *n);
/* True when ancestor is id itself or one of its parents (walking up, 64 levels at most). */
bool store_goals_is_ancestor(struct db *db, int64_t ancestor, int64_t id);
int64_t store_goals_children_count(struct db *db, int64_t id);
enum err store_goals_insert(struct db *db, struct goal *g);
enum err store_goals_update(struct db *db, const struct goal *g);
enum err store_goals_delete(struct db *db, int64_t id);
/* Makes the goal's key results exactly krs: updates those with an id, inserts new ones (ids are
 * set), deletes the others. ERR_NOT_FOUND when an id is not one of this goal's. */
enum err store_goals_save_krs(struct db *db, int64_t goal_id, struct key_result *krs, size_t n);
enum err store_goals_set_kr_value(struct db *db, int64_t kr_id, double current, bool done);
enum err store_goals_touch_checkin(struct db *db, int64_t goal_id, const char *status,
                                   const char *now);
/* Stores progress, roll-up, key-result and children counts computed by the domain. */
enum err store_goals_set_computed(struct db *db, const struct goal *g);
/* The goals aligned directly to parent_id (without key results). */
enum err store_goals_children(struct db *db, struct arena *a, int64_t parent_id,
                              struct goal **items, size_t *n);
enum err store_checkins_insert(struct db *db, const struct checkin *c);
enum err store_checkins_list(struct db *db, struct arena *a, int64_t goal_id,
                             struct checkin **items, size_t *n);

#endif
