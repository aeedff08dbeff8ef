/* SPDX-License-Identifier: MIT */
/* Signed webhooks (docs/operations-webhooks.md). Admins register endpoints for event kinds; a
 * domain change that is an event calls webhooks_emit inside its own transaction, which queues
 * one delivery per subscribed endpoint. The scheduler POSTs each delivery with an HMAC-SHA256
 * signature of "timestamp.body" under the endpoint's secret, retries with backoff (1 min, 5 min,
 * 30 min, 2 h, 12 h, then failed) and keeps every attempt. Payloads carry only what every
 * signed-in person may read. */
#ifndef TRELLIS_DOMAIN_WEBHOOKS_H
#define TRELLIS_DOMAIN_WEBHOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define WEBHOOK_MAX_KINDS 16

struct webhook_config {
    int64_t retry_seconds; /* > 0: every retry waits this long (drills, tests); else the backoff */
    int64_t timeout;       /* seconds one POST may take (default and most 10) */
};

/* What a create or update says; a field applies when its has_ flag is set. */
struct webhook_in {
    bool has_url, has_description, has_kinds, has_active;
    const char *url, *description;
    const char *kinds[WEBHOOK_MAX_KINDS];
    size_t nkinds;
    bool active;
};

/* The event kinds an endpoint may subscribe to, NULL-terminated. */
extern const char *const webhook_kinds[];
/* NULL when url is an absolute http or https URL with a host, else the problem. */
const char *webhook_url_problem(const char *url);

/* Queues the event kind with data (borrowed; only what everyone may read) for every active
 * endpoint subscribed to it. Call inside the transaction of the change. */
enum err webhooks_emit(struct db *db, const char *kind, json_t *data);

struct person;
/* person.changed for p (change: created, updated or terminated) with what the directory shows
 * everyone: never the email, level, hire date or role history. Inside the change's transaction;
 * the change of a status to terminated is "terminated" whatever change says. */
enum err webhooks_person_changed(struct db *db, const struct person *before,
                                 const struct person *p);

/* Admin only (ACT_ACCOUNT_ADMIN). The new secret is in *secret (arena), shown once. */
enum err webhook_create(struct db *db, struct arena *a, const struct actor *actor,
                        const struct webhook_in *in, int64_t *id, const char **secret,
                        struct errinfo *ei);
enum err webhook_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        const struct webhook_in *in, struct errinfo *ei);
enum err webhook_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        struct errinfo *ei);
enum err webhook_rotate(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        const char **secret, struct errinfo *ei);
/* Queues a "ping" event for the endpoint (whatever its kinds); its event id in *event_id. */
enum err webhook_test(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                      const char **event_id, struct errinfo *ei);
/* Queues a failed delivery of the endpoint again, attempts reset. */
enum err webhook_redeliver(struct db *db, const struct actor *actor, int64_t id,
                           int64_t delivery_id, struct errinfo *ei);

/* Delivers due deliveries (at most max); *sent counts the 2xx answers. */
enum err webhooks_deliver(struct db *db, const struct webhook_config *cfg, int max, int *sent);

#endif
