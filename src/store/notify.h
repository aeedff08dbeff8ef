/* SPDX-License-Identifier: MIT */
/* SQL for notification preferences, the notifications written by workflow events and the
 * emails (immediate or daily digest) they lead to. */
#ifndef TRELLIS_STORE_NOTIFY_H
#define TRELLIS_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A notification waiting for an email, with its person's address, their channel for its kind
 * ("" when they chose none) and whether they take a daily digest. */
struct notify_mail {
    int64_t id, person_id;
    const char *kind, *body, *link, *email, *channel;
    bool digest;
};

/* The person's channel for kind into channel ("" when none is chosen) and their digest flag. */
enum err store_notify_pref(struct db *db, int64_t person, const char *kind, char channel[8],
                           bool *digest);
/* The person's chosen channels as a JSON array of {kind, channel}, and their digest flag. */
enum err store_notify_prefs_of(struct db *db, int64_t person, json_t **out, bool *digest);
enum err store_notify_pref_set(struct db *db, int64_t person, const char *kind,
                               const char *channel);
enum err store_notify_digest_set(struct db *db, int64_t person, bool digest);
/* Inserts a notification unless its dedupe key exists; *id is the new row's id (0 when it
 * existed already). */
enum err store_notify_add(struct db *db, int64_t person, const char *kind, const char *body,
                          const char *link, const char *key, bool pending, const char *now,
                          int64_t *id);
/* Queues one email to the person (when active) unless dedupe exists. */
enum err store_notify_email(struct db *db, int64_t person, int64_t notification, const char *dedupe,
                            const char *subject, const char *body, const char *now);
/* The notifications a reminder pass created for the people with ids in (from, to], by person. */
enum err store_notify_of_pass(struct db *db, struct arena *a, const char *pass, int64_t from,
                              int64_t to, struct notify_mail **v, size_t *n);
/* Notifications waiting for a digest of people whose last digest is older than since (or who
 * never had one), by person; at most limit rows. */
enum err store_notify_digest_due(struct db *db, struct arena *a, const char *since, int limit,
                                 struct notify_mail **v, size_t *n);
enum err store_notify_set_pending(struct db *db, int64_t id);
/* Clears the person's waiting notifications up to max_id and records the digest time. */
enum err store_notify_digest_sent(struct db *db, int64_t person, int64_t max_id, const char *now);
/* The person's name into out ("Someone" when unknown); returns out. */
const char *store_notify_name(struct db *db, int64_t person, char *out, size_t size);
/* The person's manager, or 0. */
int64_t store_notify_manager(struct db *db, int64_t person);

#endif
