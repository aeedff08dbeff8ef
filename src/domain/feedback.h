/* SPDX-License-Identifier: MIT */
/* Continuous feedback and recognition: praise (private, for managers, or public on the wall,
 * optionally with a company value) and constructive feedback (private or for managers);
 * requests for feedback that coworkers answer or decline. Every write audited. */
#ifndef TRELLIS_DOMAIN_FEEDBACK_H
#define TRELLIS_DOMAIN_FEEDBACK_H

#include "policy/policy.h"
#include "store/feedback.h"
#include "util/err.h"

#define FEEDBACK_MAX_ASKED 10

/* Field rules needing no database (kinds, visibilities, lengths, not to oneself). */
void feedback_validate(const struct feedback *f, struct errinfo *ei);
/* The policy subject of f for actor. */
struct subject feedback_subject(const struct actor *actor, const struct feedback *f);
/* Praise's company value must be one of the company's values when an admin has listed them. */
void feedback_check_value(struct db *db, const struct feedback *f, struct errinfo *ei);
enum err feedback_give(struct db *db, const struct actor *actor, struct feedback *f,
                       struct errinfo *ei);
/* One request per asked person, in one transaction; ids are set. */
enum err feedback_request(struct db *db, const struct actor *actor, struct feedback_request *q,
                          size_t n, struct errinfo *ei);
/* The asked person answers: the feedback goes to the requester and closes the request. */
enum err feedback_answer(struct db *db, const struct actor *actor, const struct feedback_request *q,
                         struct feedback *f, struct errinfo *ei);
enum err feedback_decline(struct db *db, const struct actor *actor,
                          const struct feedback_request *q, const char *reason, struct errinfo *ei);

#endif
