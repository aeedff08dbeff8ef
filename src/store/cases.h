/* SPDX-License-Identifier: MIT */
/* SQL for promotion, raise and responsibility cases. */
#ifndef TRELLIS_STORE_CASES_H
#define TRELLIS_STORE_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct promotion_case {
    int64_t id, person_id, opened_by, decided_by;
    const char *person_name, *opener_name;
    const char *kind;   /* promotion | raise | responsibilities */
    const char *status; /* requested | open | approved | rejected */
    const char *proposed_title, *proposed_level, *justification, *evidence;
    const char *decision_note, *created_at, *decided_at;
};

enum err store_cases_insert(struct db *db, struct promotion_case *c);
enum err store_cases_get(struct db *db, struct arena *a, int64_t id, struct promotion_case *c);
/* All cases (person 0) or one person's, newest first. */
enum err store_cases_list(struct db *db, struct arena *a, int64_t person, struct promotion_case **v,
                          size_t *n);
/* Moves a case from status from to status to (ERR_CONFLICT when it is not in from). */
enum err store_cases_transition(struct db *db, int64_t id, const char *from, const char *to,
                                int64_t decided_by, const char *note, const char *now);
/* True when the goal, accomplishment or outcome with id belongs to person. */
bool store_cases_evidence_ok(struct db *db, const char *what, int64_t id, int64_t person);

#endif
