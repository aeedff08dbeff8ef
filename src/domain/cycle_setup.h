/* SPDX-License-Identifier: MIT */
/* Who takes part in a review cycle: active people of the cycle's department, hired before its
 * date, in any of its departments or in the organisation of any of its managers (the manager
 * and everyone below), plus people included by name and minus people left out by name. */
#ifndef TRELLIS_DOMAIN_CYCLE_SETUP_H
#define TRELLIS_DOMAIN_CYCLE_SETUP_H

#include <jansson.h>

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

/* How a cycle write reads its request. apply runs inside the write's transaction on the cycle as
 * it is there (locked): it reads the settings sent into c and checks them (field errors in ei,
 * ERR_INTERNAL when a read fails), and the participant rules into sc (*sc_given: they were
 * sent). image is the cycle with its stored rules as the audit and the answer show it (new; NULL
 * when the rules cannot be read). */
struct cycle_edit {
    enum err (*apply)(void *ctx, struct review_cycle *c, struct cycle_scope *sc, bool *sc_given,
                      struct errinfo *ei);
    json_t *(*image)(void *ctx, const struct review_cycle *c);
    void *ctx;
};
/* HR creates draft cycle c (defaults and created_at set by the caller) as e reads it: one
 * transaction that asks the policy (ACT_CYCLE_ADMIN), reads the organisation's anonymity
 * threshold (the cycle's unless e sets one), applies e, inserts the cycle and its rules (none
 * when not sent) and audits it as created; *out is its image (the caller's). */
enum err cycle_create(struct db *db, struct arena *a, const struct actor *actor,
                      const struct cycle_edit *e, struct review_cycle *c, json_t **out,
                      struct errinfo *ei);
/* HR edits cycle id, which must still have status (draft: every setting; otherwise the name,
 * deadlines and rules): one transaction that asks the policy, reads and locks the cycle, applies
 * e to it (what was not sent stays as stored), writes it and the rules if sent, and audits before
 * and after. *c is the cycle written and *out its image (the caller's). */
enum err cycle_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                      const char *status, const struct cycle_edit *e, struct review_cycle *c,
                      json_t **out, struct errinfo *ei);

#endif
