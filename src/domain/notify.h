/* SPDX-License-Identifier: MIT */
/* Notifications of workflow events: every event writes its notification inside the event's own
 * transaction through notify(), which honours the person's preference for the kind (in the app,
 * by email as well, or off) and their daily digest. */
#ifndef TRELLIS_DOMAIN_NOTIFY_H
#define TRELLIS_DOMAIN_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

struct notify_kind {
    const char *kind, *label, *channel; /* channel: the default, "app" or "email" */
};

extern const struct notify_kind notify_kinds[];
extern const size_t notify_nkinds;

/* The kind's entry, or NULL when kind is not one. */
const struct notify_kind *notify_kind_find(const char *kind);
/* Where people reach the server (public_url, e.g. https://trellis.example.com), so that emails
 * link to the page that resolves what they say; NULL or "" leaves links out. Called once at
 * start (serve, remind). */
void notify_configure(const char *public_url);
/* Appends "label: <public_url>/<link>" and a blank line to b when a public URL is configured
 * and link (a route of the web app such as "#/reviews/7") is not NULL. */
void notify_add_link(struct buf *b, const char *label, const char *link);
/* Writes one notification for person (nothing when person is 0 or their channel is "off") and,
 * for the email channel, queues its email or keeps it for their digest. The caller's
 * transaction is open; key makes the notification exist once. */
enum err notify(struct db *db, int64_t person, const char *kind, const char *body, const char *link,
                const char *key, const char *now);
/* Emails the notifications reminder pass `pass` created for the people with ids in (from, to]:
 * one message per person (never one per person per rule); people on the digest have them kept
 * for it instead. */
enum err notify_pass_emails(struct db *db, struct arena *a, const char *pass, int64_t from,
                            int64_t to, const char *now);
/* Queues one digest email per person on the daily digest whose last one is a day old;
 * *sent counts them. */
enum err notify_digests(struct db *db, struct arena *a, int64_t now, int64_t *sent);
/* GET /api/v1/me/notification-preferences: {digest, kinds: [{kind, label, channel,
 * default}]} for every kind. */
enum err notify_prefs_get(struct db *db, int64_t person, json_t **out, struct errinfo *ei);
/* Sets the channels named in kinds ({kind: "app"|"email"|"off"}) and, when digest is not NULL,
 * the daily digest; nothing else changes. One transaction, audited; *out as in get. */
enum err notify_prefs_set(struct db *db, const struct actor *actor, json_t *kinds,
                          const bool *digest, json_t **out, struct errinfo *ei);

#endif
