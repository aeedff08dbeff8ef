/* SPDX-License-Identifier: MIT */
/* SQL for review templates, cycles, review assignments and outcomes. Questions and answers are
 * JSON text; the domain reads them. */
#ifndef TRELLIS_STORE_REVIEWS_H
#define TRELLIS_STORE_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct review_template {
    int64_t id;
    const char *name, *kind, *questions, *created_at;
};

struct review_cycle {
    int64_t id;
    const char *name, *period_start, *period_end, *status, *hired_before, *created_at;
    const char *launched_at, *released_at;
    int64_t threshold, peers_per_person, self_template_id, manager_template_id, peer_template_id;
    int64_t department_id, upward_template_id, min_peers, max_requests_per_peer;
    bool manager_sees_peer_names;
    const char *peer_selection; /* "auto" (teammates) or "nominated" (employee, then manager) */
    /* phase deadlines (YYYY-MM-DD, inclusive) or NULL */
    const char *nomination_due, *self_due, *peer_due, *manager_due, *calibration_due;
    /* a launch in ranges not finished yet (migration 0054): participants found, last range */
    bool launching;
    int64_t launch_participants;
    const char *launch_touched_at;
};

struct review {
    int64_t id, cycle_id, reviewee_id, reviewer_id, template_id;
    const char *kind, *status, *answers, *submitted_at, *updated_at;
    const char *reviewee_name, *reviewer_name;
};

struct review_outcome {
    int64_t id, cycle_id, person_id;
    bool has_rating, has_calibrated;
    double rating, calibrated_rating;
    const char *calibration_note, *manager_summary, *released_at, *acknowledged_at,
        *employee_comment, *withdrawn_at;
    int64_t potential, version; /* potential 1-3, 0 = not assessed */
};

/* A released version kept when HR reopened the outcome. */
struct outcome_version {
    struct review_outcome o;
    const char *reopened_at, *reason, *reopened_by_name;
    int64_t reopened_by;
};

struct nomination {
    int64_t id, cycle_id, reviewee_id, peer_id, proposed_by, decided_by;
    const char *status, *peer_name, *updated_at;
};

struct participant {
    int64_t id, manager_id;
    bool active; /* store_cycles_members: still an active person */
    bool withdrawn;
};

enum err store_templates_insert(struct db *db, struct review_template *t);
enum err store_templates_get(struct db *db, struct arena *a, int64_t id, struct review_template *t);
/* The template with its row locked until the transaction ends (PostgreSQL). */
enum err store_templates_get_for_update(struct db *db, struct arena *a, int64_t id,
                                        struct review_template *t);
enum err store_templates_list(struct db *db, struct arena *a, struct review_template **v,
                              size_t *n);

enum err store_cycles_insert(struct db *db, struct review_cycle *c);
enum err store_cycles_get(struct db *db, struct arena *a, int64_t id, struct review_cycle *c);
/* The cycle with its row locked until the transaction ends (PostgreSQL; SQLite's BEGIN
 * IMMEDIATE already holds the write lock). */
enum err store_cycles_get_for_update(struct db *db, struct arena *a, int64_t id,
                                     struct review_cycle *c);
enum err store_cycles_list(struct db *db, struct arena *a, struct review_cycle **v, size_t *n);
/* Draft -> active, in the launch's transaction: ERR_CONFLICT when the cycle is no longer a draft
 * (another launch got there first; on PostgreSQL the row lock makes the second wait). */
enum err store_cycles_claim_launch(struct db *db, int64_t id, const char *launched_at);
/* A launch in ranges begins (participants) or goes on (participants 0: kept), or ends
 * (launching false); now is the time of its last range. */
enum err store_cycles_set_launching(struct db *db, int64_t id, bool launching, int64_t participants,
                                    const char *now);
/* Takes over a launch in ranges that wrote nothing since stalled (RFC 3339): stamps it now, so
 * that of two runs that would finish it one does; ERR_CONFLICT when it is not launching or was
 * written to since. */
enum err store_cycles_claim_resume(struct db *db, int64_t id, const char *stalled, const char *now);
/* The cycles whose launch has not finished. */
enum err store_cycles_launching(struct db *db, struct arena *a, struct review_cycle **v, size_t *n);
/* The cycle's outcomes (people enrolled) and reviews, counted. */
enum err store_cycles_launch_counts(struct db *db, int64_t id, int64_t *enrolled,
                                    int64_t *assignments);
enum err store_cycles_set_status(struct db *db, int64_t id, const char *status,
                                 const char *launched_at, const char *released_at);

/* People with an outcome in the cycle (withdrawn or not), their manager and whether active. */
enum err store_cycles_members(struct db *db, struct arena *a, int64_t cycle, struct participant **v,
                              size_t *n);
enum err store_cycles_update(struct db *db, const struct review_cycle *c);

enum err store_reviews_insert(struct db *db, struct review *r);
enum err store_reviews_get(struct db *db, struct arena *a, int64_t id, struct review *r);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL). */
enum err store_reviews_get_for_update(struct db *db, struct arena *a, int64_t id, struct review *r);
/* Reviews written by reviewer (cycle 0 = all), or about reviewee of one kind (kind NULL = all). */
enum err store_reviews_by_reviewer(struct db *db, struct arena *a, int64_t reviewer, int64_t cycle,
                                   struct review **v, size_t *n);
enum err store_reviews_about(struct db *db, struct arena *a, int64_t cycle, int64_t reviewee,
                             const char *kind, struct review **v, size_t *n);
enum err store_reviews_save(struct db *db, int64_t id, const char *answers, const char *status,
                            const char *submitted_at, const char *now);

/* Cancels the unsubmitted reviews a person writes or receives in the cycle. */
enum err store_reviews_cancel_person(struct db *db, int64_t cycle, int64_t person);
/* Cancels one review unless submitted; moves an unsubmitted review to another reviewer. */
enum err store_reviews_cancel(struct db *db, int64_t id);
enum err store_reviews_unlock(struct db *db, int64_t cycle, int64_t reviewee, const char *kind);
enum err store_reviews_reassign(struct db *db, int64_t id, int64_t reviewer);
/* Peer reviews a person is asked to write in the cycle, except those about `except`. */
enum err store_reviews_peer_load(struct db *db, int64_t cycle, int64_t peer, int64_t except,
                                 int64_t *count);

enum err store_nominations_list(struct db *db, struct arena *a, int64_t cycle, int64_t reviewee,
                                struct nomination **v, size_t *n);
enum err store_nominations_clear(struct db *db, int64_t cycle, int64_t reviewee);
enum err store_nominations_insert(struct db *db, const struct nomination *m);

enum err store_outcomes_insert(struct db *db, struct review_outcome *o);
enum err store_outcomes_get(struct db *db, struct arena *a, int64_t id, struct review_outcome *o);
/* The same inside a write, its row locked on PostgreSQL until the transaction ends. */
enum err store_outcomes_get_for_update(struct db *db, struct arena *a, int64_t id,
                                       struct review_outcome *o);
enum err store_outcomes_find(struct db *db, struct arena *a, int64_t cycle, int64_t person,
                             struct review_outcome *o);
enum err store_outcomes_list(struct db *db, struct arena *a, int64_t cycle, int64_t person,
                             struct review_outcome **v, size_t *n);
enum err store_outcomes_update(struct db *db, const struct review_outcome *o);
/* Records the person's acknowledgement (and response) of a released outcome, once: ERR_CONFLICT
 * when it is already acknowledged, not released or withdrawn (decided by the UPDATE itself). */
enum err store_outcomes_acknowledge(struct db *db, int64_t id, const char *now,
                                    const char *comment);
/* One outcome for calibration: the effective rating is the calibrated one when set. */
struct calibration_row {
    int64_t outcome_id, person_id, department_id, manager_id;
    const char *person_name, *department_name, *manager_name;
    bool has_rating;
    double rating;
    int64_t potential;
    /* the manager's rating and HR's calibration of it, with its justification */
    bool has_original, has_calibrated;
    double original, calibrated;
    const char *note;
};

/* Outcomes of the cycle (manager != 0: only people below that manager). */
enum err store_outcomes_calibration(struct db *db, struct arena *a, int64_t cycle, int64_t manager,
                                    struct calibration_row **v, size_t *n);
/* The company's ratings in the cycle (calibrated where calibrated), each distinct value with its
 * count, leaving out one person (the reader): what a manager's calibration shows beside their
 * organisation, without reading every outcome's row. */
struct rating_count {
    double rating;
    int64_t count;
};
enum err store_outcomes_rating_counts(struct db *db, struct arena *a, int64_t cycle,
                                      int64_t without, struct rating_count **v, size_t *n);
enum err store_outcomes_release(struct db *db, int64_t cycle, const char *now);
enum err store_outcomes_release_one(struct db *db, int64_t id, const char *now);
enum err store_outcomes_withdraw(struct db *db, int64_t id, const char *now);
/* Keeps the released state of o as a version, then clears release and acknowledgement. */
enum err store_outcomes_reopen(struct db *db, const struct review_outcome *o, int64_t by,
                               const char *reason, const char *now);
enum err store_outcomes_versions(struct db *db, struct arena *a, int64_t outcome,
                                 struct outcome_version **v, size_t *n);

/* One outcome of a cycle as the release guard reads it: the person's department, whether
 * released or withdrawn, whether it has a rating to release (the manager's or a calibrated
 * one), and how many of the person's manager reviews are not submitted. */
struct release_row {
    int64_t outcome_id, person_id, department_id, manager_pending;
    bool released, withdrawn, rated;
};

enum err store_release_rows(struct db *db, struct arena *a, int64_t cycle, struct release_row **v,
                            size_t *n);

/* Every review of the cycle (cancelled ones left out) with its people, the reviewee's
 * department and manager, for the progress view. */
struct progress_row {
    int64_t review_id, reviewer_id, reviewee_id, department_id, manager_id;
    const char *kind, *status, *reviewer_name, *reviewee_name, *department_name, *manager_name;
};

enum err store_progress_rows(struct db *db, struct arena *a, int64_t cycle, struct progress_row **v,
                             size_t *n);
/* Whether person has a review reminder whose dedupe key is LIKE key_like, created after since
 * (RFC 3339). */
enum err store_reminded_since(struct db *db, int64_t person, const char *key_like,
                              const char *since, bool *yes);

#endif
