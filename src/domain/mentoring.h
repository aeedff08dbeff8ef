/* SPDX-License-Identifier: MIT */
/* Mentoring and internal opportunities, the writes: a mentor's offer, a request for a mentor,
 * the mentor's answer and the end of a mentorship; posting, closing and showing interest in an
 * opportunity. Each is one transaction that reads what it decides on (the offer, the mentor's
 * load, the mentorship's status) inside it, asks the policy, notifies and audits before and
 * after, so that two requests at once never take a mentor past their capacity. */
#ifndef TRELLIS_DOMAIN_MENTORING_H
#define TRELLIS_DOMAIN_MENTORING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/err.h"

struct mentor_offer {
    int64_t capacity;
    const char *note;
    bool active;
    const int64_t *skills;
    size_t nskills;
};

struct mentorship_request {
    int64_t mentor_id, skill_id;
    const char *goals, *start_date, *end_date;
};

/* The caller's offer to mentor, replaced; *out is the offer as stored. */
enum err mentoring_offer_put(struct db *db, const struct actor *actor, const struct mentor_offer *o,
                             json_t **out, struct errinfo *ei);
/* The caller asks mentor_id to mentor them: the mentor must offer, be taking mentees and have
 * room (field errors on mentor_id otherwise). The mentor is told. *id is the new mentorship. */
enum err mentoring_request(struct db *db, const struct actor *actor,
                           const struct mentorship_request *q, int64_t *id, struct errinfo *ei);
/* The mentor accepts (within capacity) or declines a requested mentorship; the mentee is told. */
enum err mentoring_answer(struct db *db, const struct actor *actor, int64_t id, bool accept,
                          struct errinfo *ei);
/* Either side ends a mentorship today. */
enum err mentoring_end(struct db *db, const struct actor *actor, int64_t id, struct errinfo *ei);

/* Posts an opportunity (body: the validated request) with its skills; the poster must manage
 * someone or be HR. *id is the new opportunity. */
enum err opportunities_create(struct db *db, const struct actor *actor, json_t *body, int64_t *id,
                              struct errinfo *ei);
/* Closes an opportunity: its poster or HR. */
enum err opportunities_close(struct db *db, const struct actor *actor, int64_t id,
                             struct errinfo *ei);
/* The caller is interested in an open opportunity; their manager and the poster are told. */
enum err opportunities_interest(struct db *db, const struct actor *actor, int64_t id,
                                const char *note, struct errinfo *ei);

#endif
