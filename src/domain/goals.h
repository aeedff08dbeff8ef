/* SPDX-License-Identifier: MIT */
/* Goals and OKRs: validation, alignment without cycles, computed progress and roll-ups,
 * check-ins kept as history; every write audited in its transaction. */
#ifndef TRELLIS_DOMAIN_GOALS_H
#define TRELLIS_DOMAIN_GOALS_H

#include <jansson.h>

#include "policy/policy.h"
#include "store/goals.h"
#include "util/err.h"

#define GOALS_MAX_KRS 25

/* The policy subject of goal g for actor: owner, visibility, level and whether the actor
 * contributes (contributors are loaded only when visibility makes it matter). */
struct subject goals_subject(struct db *db, const struct actor *actor, struct goal *g);
/* Checks every field of g that needs no database; problems go to ei. */
void goals_validate(const struct goal *g, struct errinfo *ei);
/* Sets g->progress from its key results (API.md). */
void goals_progress(struct goal *g);
/* Computes progress, and roll-ups from aligned children, for all goals in v (ascending ids;
 * parents outside v are ignored). Private children never feed a roll-up. */
void goals_rollup(struct goal *v, size_t n);
/* Recomputes and stores the numbers of goal id and of every goal it aligns to (inside the
 * caller's transaction). */
enum err goals_refresh(struct db *db, struct arena *a, int64_t id);
/* Recomputes every goal's stored numbers at once (after bulk loads: demo, benchmarks). */
enum err goals_recompute_all(struct db *db, struct arena *a);
/* The goal as an audit image (new reference). */
json_t *goals_snapshot(const struct goal *g);

/* Inserts g with its key results, alignment checked against what the actor may see. */
enum err goals_create(struct db *db, struct arena *a, const struct actor *actor, struct goal *g,
                      struct errinfo *ei);
/* Stores the edited goal (before is the stored one; after has the changes and, when
 * krs_changed, the complete list of key results). */
enum err goals_update(struct db *db, struct arena *a, const struct actor *actor,
                      const struct goal *before, struct goal *after, bool krs_changed,
                      struct errinfo *ei);
enum err goals_delete(struct db *db, struct arena *a, const struct actor *actor,
                      const struct goal *g, struct errinfo *ei);
/* Records a check-in: a key result's new value and/or the goal's status, with confidence and
 * comment; the goal's progress after it is kept for the chart. */
enum err goals_checkin(struct db *db, struct arena *a, const struct actor *actor, struct goal *g,
                       struct checkin *c, struct errinfo *ei);

#endif
