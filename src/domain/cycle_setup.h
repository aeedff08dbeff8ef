/* SPDX-License-Identifier: MIT */
/* Who takes part in a review cycle: active people of the cycle's department, hired before its
 * date, in any of its departments or in the organisation of any of its managers (the manager
 * and everyone below), plus people included by name and minus people left out by name. */
#ifndef TRELLIS_DOMAIN_CYCLE_SETUP_H
#define TRELLIS_DOMAIN_CYCLE_SETUP_H

#include "store/cycle_setup.h"
#include "policy/policy.h"
#include "util/err.h"

/* The people matching c with rules sc (sorted by id), as candidates. */
enum err cycle_match(struct db *db, struct arena *a, const struct review_cycle *c,
                     const struct cycle_scope *sc, struct candidate **v, size_t *n);
/* Whether the rules list id under kind k. */
bool cycle_scope_has(const struct cycle_scope *sc, enum scope_kind k, int64_t id);
/* HR reopens a submitted review (back to draft, answers kept) while its cycle is active and
 * the outcome is not released; audited with the reason. */
enum err cycle_reopen_review(struct db *db, struct arena *a, const struct actor *actor,
                             const struct review *rv, const char *reason, struct errinfo *ei);
/* The participants of stored cycle c (its stored rules), as launch and sync read them. */
enum err cycle_participants(struct db *db, struct arena *a, const struct review_cycle *c,
                            struct participant **v, size_t *n);

#endif
