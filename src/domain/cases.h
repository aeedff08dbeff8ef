/* SPDX-License-Identifier: MIT */
/* Promotion, raise and responsibility cases: opened by a manager (or requested by the person and
 * endorsed by a manager) with evidence from goals, accomplishments and review outcomes; decided
 * by HR; an approved promotion changes the person's title and level and their role history. */
#ifndef TRELLIS_DOMAIN_CASES_H
#define TRELLIS_DOMAIN_CASES_H

#include "policy/policy.h"
#include "store/cases.h"
#include "util/err.h"

enum err cases_open(struct db *db, const struct actor *actor, struct promotion_case *c,
                    struct errinfo *ei);
enum err cases_endorse(struct db *db, const struct actor *actor, const struct promotion_case *c,
                       struct errinfo *ei);
/* approve: true to approve, false to reject. */
enum err cases_decide(struct db *db, struct arena *a, const struct actor *actor,
                      const struct promotion_case *c, bool approve, const char *note,
                      struct errinfo *ei);

#endif
