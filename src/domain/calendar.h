/* SPDX-License-Identifier: MIT */
/* A person's one-on-ones as an RFC 5545 calendar (libical): one VEVENT with an RRULE per
 * series, EXDATEs for skipped meetings, and an overriding VEVENT for each moved one. */
#ifndef TRELLIS_CALENDAR_H
#define TRELLIS_CALENDAR_H

#include <stdint.h>

#include "store/store.h"

/* The feed of person, owned (free()) text/calendar; NULL on failure. */
char *calendar_feed(struct db *db, struct arena *a, int64_t person);

#endif
