/* SPDX-License-Identifier: MIT */
/* SQL for webhooks: the endpoints, their delivery outbox (one row per event and endpoint) and
 * the history of delivery attempts. */
#ifndef TRELLIS_STORE_WEBHOOKS_H
#define TRELLIS_STORE_WEBHOOKS_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct webhook_endpoint {
    int64_t id;
    const char *url, *description, *event_kinds, *secret_box;
    bool active;
    int64_t created_by;
    const char *created_at, *updated_at;
};

/* A claimed delivery with what sending it needs. */
struct webhook_delivery {
    int64_t id, endpoint_id, attempts;
    const char *event_id, *kind, *payload, *url, *secret_box;
};

enum err store_webhooks_insert(struct db *db, const struct webhook_endpoint *e, int64_t *id);
/* ERR_NOT_FOUND when there is no such endpoint. */
enum err store_webhooks_get(struct db *db, struct arena *a, int64_t id, struct webhook_endpoint *e);
enum err store_webhooks_update(struct db *db, const struct webhook_endpoint *e);
enum err store_webhooks_set_secret(struct db *db, int64_t id, const char *secret_box,
                                   const char *now);
/* Deletes the endpoint with its deliveries and their attempts. */
enum err store_webhooks_delete(struct db *db, int64_t id);
/* Endpoints as JSON rows: id url description event_kinds active created_at updated_at, with
 * counts of delivered, queued and failed deliveries. */
enum err store_webhooks_list(struct db *db, json_t **out);
enum err store_webhooks_get_json(struct db *db, int64_t id, json_t **out);

/* Queues the event for every active endpoint subscribed to kind; *n counts the rows. */
enum err store_webhooks_enqueue(struct db *db, const char *event_id, const char *kind,
                                const char *payload, const char *now, int64_t *n);
/* Queues the event for one endpoint (a test event). */
/* Whether an active endpoint takes events of kind (nothing to build or queue otherwise). */
bool store_webhooks_wanted(struct db *db, const char *kind);
enum err store_webhooks_enqueue_one(struct db *db, int64_t endpoint_id, const char *event_id,
                                    const char *kind, const char *payload, const char *now);
/* Claims the next due delivery (leased until lease_until with token); ERR_NOT_FOUND when none. */
enum err store_webhooks_claim(struct db *db, struct arena *a, const char *now,
                              const char *lease_until, const char *token,
                              struct webhook_delivery *d);
/* The outcome of one attempt: the attempt row, then the delivery delivered, queued again at
 * next or failed (status). Only the holder of the lease (token) records it. */
enum err store_webhooks_attempt(struct db *db, int64_t delivery_id, const char *token,
                                const char *at, long status_code, const char *error,
                                int64_t duration_ms, const char *status, const char *next);
/* An endpoint's deliveries, newest first, each with its attempts (JSON rows). */
enum err store_webhooks_deliveries(struct db *db, int64_t endpoint_id, int limit, json_t **out);
/* Queues a failed delivery again now; ERR_NOT_FOUND unless it is failed and the endpoint's. */
enum err store_webhooks_redeliver(struct db *db, int64_t endpoint_id, int64_t delivery_id,
                                  const char *now);

#endif
