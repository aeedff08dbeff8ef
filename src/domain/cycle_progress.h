/* SPDX-License-Identifier: MIT */
/* How far a review cycle has got, reminding those behind, and releasing its outcomes behind a
 * guard: while manager reviews or calibration are incomplete the release is refused with the
 * counts, unless HR overrides with a reason. */
#ifndef TRELLIS_DOMAIN_CYCLE_PROGRESS_H
#define TRELLIS_DOMAIN_CYCLE_PROGRESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/reviews.h"
#include "util/err.h"

/* What to release: every outcome (department 0, no people), one department's people, or a
 * list of people; with override and a reason, despite incomplete reviews. */
struct release_request {
    int64_t department_id;
    const int64_t *person_ids;
    size_t n_persons;
    bool override;
    const char *reason;
};

/* What the guard read, in the scope: outcomes not yet released (and not withdrawn), manager
 * reviews not submitted for those people, outcomes without a rating to release, and whether the
 * calibration deadline is still ahead. */
struct release_counts {
    int64_t to_release, manager_reviews_not_submitted, calibration_incomplete;
    bool calibration_open;
    bool cycle_closed; /* after the release: nothing is left to release, the cycle is released */
};

/* Releases the outcomes in scope in one transaction that also reads the guard's counts and
 * writes the audit entry. ERR_CONFLICT with ei->code "release_incomplete" and the counts in
 * ei->details (deferred on a) when incomplete without override. */
enum err cycle_release(struct db *db, struct arena *a, const struct actor *actor,
                       const struct review_cycle *c, const struct release_request *q,
                       struct release_counts *out, struct errinfo *ei);

/* The progress object of docs/api.md: counts per review kind overall, by department and by
 * manager (the reviewee's), the overdue list, outcomes and the reminder count (new reference). */
enum err cycle_progress(struct db *db, struct arena *a, const struct review_cycle *c, json_t **out,
                        struct errinfo *ei);

/* Notifies every reviewer with an unsubmitted review in the cycle, except those reminded
 * within the hour; audited. */
enum err cycle_remind(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review_cycle *c, int64_t *reminded, int64_t *skipped,
                      struct errinfo *ei);

#endif
