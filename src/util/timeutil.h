/* SPDX-License-Identifier: MIT */
/* Clocks and the two textual forms of docs/api.md: RFC 3339 UTC timestamps and YYYY-MM-DD dates. */
#ifndef TRELLIS_TIMEUTIL_H
#define TRELLIS_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Seconds since the epoch (wall clock). */
int64_t time_now(void);
/* Monotonic nanoseconds, for durations. */
uint64_t time_mono_ns(void);
/* Writes "2026-11-24T21:39:26Z" for t into out (at least 21 bytes). */
void time_rfc3339(int64_t t, char out[static 21]);
/* Writes "2026-11-24" for t into out (at least 11 bytes). */
void time_date(int64_t t, char out[static 11]);
/* True when s is a real calendar date written YYYY-MM-DD (years 1900-2999). */
bool time_valid_date(const char *s);

#endif
