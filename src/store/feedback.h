/* SPDX-License-Identifier: MIT */
/* SQL for continuous feedback, recognition and feedback requests. */
#ifndef TRELLIS_STORE_FEEDBACK_H
#define TRELLIS_STORE_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct feedback {
    int64_t id, author_id, recipient_id, request_id;
    const char *author_name, *recipient_name;
    const char *kind;       /* praise | constructive */
    const char *visibility; /* private | managers | public */
    const char *company_value, *body, *created_at;
};

enum feedback_scope { FB_RECEIVED, FB_GIVEN, FB_WALL };

struct feedback_request {
    int64_t id, requester_id, asked_id, feedback_id;
    const char *requester_name, *asked_name;
    const char *topic, *due_date, *status, *decline_reason, *created_at, *updated_at;
};

enum err store_feedback_insert(struct db *db, struct feedback *f);
enum err store_feedback_get(struct db *db, struct arena *a, int64_t id, struct feedback *out);
/* Newest first, ids below before_id (0 = from the newest). person: the recipient (RECEIVED) or
 * the author (GIVEN); ignored for the public WALL. */
enum err store_feedback_list(struct db *db, struct arena *a, enum feedback_scope scope,
                             int64_t person, int64_t before_id, int limit, struct feedback **items,
                             size_t *n);

enum err store_feedback_requests_insert(struct db *db, struct feedback_request *q);
enum err store_feedback_requests_get(struct db *db, struct arena *a, int64_t id,
                                     struct feedback_request *out);
/* Requests made by person (mine) or asked of person (!mine), newest first. */
enum err store_feedback_requests_list(struct db *db, struct arena *a, int64_t person, int mine,
                                      struct feedback_request **items, size_t *n);
enum err store_feedback_requests_close(struct db *db, int64_t id, const char *status,
                                       int64_t feedback_id, const char *reason, const char *now);

#endif
