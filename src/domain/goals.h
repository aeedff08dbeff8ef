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
/* Sets g->progress from its key results (docs/api.md). */
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
/* Merges a PATCH into the goal as goals_edit has just read it: after starts as a copy of
 * before; sets *krs when after holds the complete new list of key results; problems go to ei. */
typedef void (*goals_patch_fn)(struct db *db, struct arena *a, void *ctx, const struct goal *before,
                               struct goal *after, bool *krs, struct errinfo *ei);
/* Edits goal id in one transaction: reads it with its row locked, checks that the actor may
 * edit it (its owner always may), lets patch merge the fields sent into what was read,
 * validates, stores, refreshes the numbers along both alignment chains and audits before and
 * after. Two concurrent edits of different fields both keep their change. When version is not
 * 0 it must be the goal's current version (read in the transaction): ERR_PRECONDITION with
 * {current_version} in ei->details otherwise, and nothing changes. */
enum err goals_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                    int64_t version, goals_patch_fn patch, void *ctx, struct errinfo *ei);
/* The owner declines a goal proposed to them (not yet accepted) with a reason: it is abandoned,
 * the reason kept in its history and the proposer told; one transaction, audited. */
enum err goals_decline(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                       const char *reason, struct errinfo *ei);
enum err goals_delete(struct db *db, struct arena *a, const struct actor *actor,
                      const struct goal *g, struct errinfo *ei);
/* Records a check-in: a key result's new value and/or the goal's status, with confidence and
 * comment; the goal's progress after it is kept for the chart. */
enum err goals_checkin(struct db *db, struct arena *a, const struct actor *actor, struct goal *g,
                       struct checkin *c, struct errinfo *ei);

#endif
