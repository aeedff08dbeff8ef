/* SPDX-License-Identifier: MIT */
/* SQL for setting up a review cycle: who takes part beyond the cycle's department (several
 * departments, a manager's organisation, people included or left out by name), the people the
 * rules are applied to, editing a draft cycle and editing a template. */
#ifndef TRELLIS_STORE_CYCLE_SETUP_H
#define TRELLIS_STORE_CYCLE_SETUP_H

#include "store/reviews.h"

enum scope_kind { SCOPE_DEPARTMENT, SCOPE_ORGANISATION, SCOPE_INCLUDE, SCOPE_EXCLUDE, SCOPE_KINDS };

/* The stored names of the kinds ("department", "organisation", "include", "exclude"). */
extern const char *const scope_kind_names[SCOPE_KINDS];

/* The participant rules of a cycle: ids by kind, sorted ascending. */
struct cycle_scope {
    int64_t *ids[SCOPE_KINDS];
    size_t n[SCOPE_KINDS];
};

/* One person as the participant rules see them. */
struct candidate {
    int64_t id, manager_id, department_id;
    const char *name, *hire_date;
    bool active;
};

enum err store_scope_get(struct db *db, struct arena *a, int64_t cycle, struct cycle_scope *s);
/* Replaces the cycle's rules with s (inside the caller's transaction). */
enum err store_scope_replace(struct db *db, int64_t cycle, const struct cycle_scope *s);
/* Every person of the company, ordered by id. */
enum err store_candidates(struct db *db, struct arena *a, struct candidate **v, size_t *n);
/* Every setting of a draft cycle. */
enum err store_cycles_update_draft(struct db *db, const struct review_cycle *c);
enum err store_templates_update(struct db *db, const struct review_template *t, const char *now);
/* The id of a launched cycle using template id, 0 when none. */
enum err store_templates_in_use(struct db *db, int64_t id, int64_t *cycle);
/* A submitted review back to draft, its answers kept. */
enum err store_reviews_reopen(struct db *db, int64_t id, const char *now);
/* The id of a draft cycle using template id, 0 when none. */
enum err store_templates_in_draft(struct db *db, int64_t id, int64_t *cycle);

#endif
