/* SPDX-License-Identifier: MIT */
/* The data-subject export: everything stored about one person, as one JSON document, for the
 * person themself, HR or an admin (GET /api/v1/people/{id}/export, trellis export person). */
#ifndef TRELLIS_DOMAIN_EXPORT_H
#define TRELLIS_DOMAIN_EXPORT_H

#include <jansson.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* Builds the export of person id into *out (owned by the caller). Others' anonymity is kept:
 * peer and upward reviews about the person stay in the released outcomes' aggregate, manager-only
 * answers (potential) of reviews about them are left out, one-on-ones carry the person's own
 * private notes and never the other side's. actor NULL (the CLI) or the person themself gets all
 * of it; an HR or admin actor gets only what the policy lets them read of each item (no private
 * goals, journal, feedback or one-on-one content). ERR_NOT_FOUND for no such person; any failed
 * read is an error (its cause logged), never an empty section. */
enum err export_person(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                       json_t **out, struct errinfo *ei);

#endif
