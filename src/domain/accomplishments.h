/* SPDX-License-Identifier: MIT */
/* The accomplishments journal: dated wins with impact, challenges, links, tags, skills and goals;
 * private by default, shareable with the manager chain; every write audited. */
#ifndef TRELLIS_DOMAIN_ACCOMPLISHMENTS_H
#define TRELLIS_DOMAIN_ACCOMPLISHMENTS_H

#include "policy/policy.h"
#include "store/accomplishments.h"
#include "util/err.h"

/* Field checks (dates, lengths); problems go to ei. */
void accomplishments_validate(const struct accomplishment *x, struct errinfo *ei);
/* Each linked goal must exist and be readable by the actor. */
enum err accomplishments_check_goals(struct db *db, struct arena *a, const struct actor *actor,
                                     const struct accomplishment *x, struct errinfo *ei);
/* Insert (x->id == 0) or update, with the audit row, in one transaction. */
enum err accomplishments_save(struct db *db, const struct actor *actor, struct accomplishment *x,
                              struct errinfo *ei);
/* Merges a PATCH into out, the entry as accomplishments_edit has just read it. */
typedef void (*accomplishments_patch_fn)(void *ctx, struct accomplishment *out, struct errinfo *ei);
/* Edits entry id in one transaction: reads it with its row locked, checks that the actor may
 * write it, lets patch merge the fields sent, validates (goals included), stores and audits
 * before and after; out is the stored entry. Concurrent edits of different fields all stay. */
enum err accomplishments_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                              accomplishments_patch_fn patch, void *ctx, struct accomplishment *out,
                              struct errinfo *ei);
enum err accomplishments_delete(struct db *db, const struct actor *actor,
                                const struct accomplishment *x, struct errinfo *ei);

#endif
