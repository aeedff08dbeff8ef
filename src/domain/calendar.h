/* SPDX-License-Identifier: MIT */
/* A person's one-on-ones as an RFC 5545 calendar (libical): one VEVENT with an RRULE per
 * series, EXDATEs for skipped meetings, and an overriding VEVENT for each moved one. */
#ifndef TRELLIS_CALENDAR_H
#define TRELLIS_CALENDAR_H

#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

/* The feed of person, owned (free()) text/calendar; NULL on failure. */
char *calendar_feed(struct db *db, struct arena *a, int64_t person);

struct actor;
/* The caller's feed link: a new secret token (written to token, shown once; only its keyed hash
 * is stored) replaces any older one, audited with when the feed was made before and after (never
 * the token). */
enum err calendar_feed_issue(struct db *db, const struct actor *actor, char token[64]);
/* Ends the caller's feed link (a no-op when there is none), audited the same way. */
enum err calendar_feed_revoke(struct db *db, const struct actor *actor);

#endif
