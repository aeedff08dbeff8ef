/* SPDX-License-Identifier: MIT */
/* IANA time zones (libical over the system's zoneinfo) and civil-date arithmetic. */
#ifndef TRELLIS_TZ_H
#define TRELLIS_TZ_H

#include <stdbool.h>
#include <stdint.h>

/* True when tzid names a zone of the system's database ("Europe/Paris", "UTC"). */
bool tz_valid(const char *tzid);
/* The UTC instant of the wall-clock time hhmm ("09:30") on date ("2026-03-29") in tzid. Times
 * that do not exist (a spring-forward gap) move forward as the zone's rules say. */
bool tz_to_utc(const char *tzid, const char *date, const char *hhmm, int64_t *out);
/* The wall-clock date and time of UTC t in tzid: "2026-03-29T09:30" (17 bytes). */
void tz_local(const char *tzid, int64_t t, char out[static 17]);
/* True when s is a wall-clock time written HH:MM. */
bool tz_valid_time(const char *s);

/* ISO weekday of a YYYY-MM-DD date: 1 Monday ... 7 Sunday (0 when not a date). */
int date_weekday(const char *date);
/* date + days, written YYYY-MM-DD into out. */
void date_add_days(const char *date, int64_t days, char out[static 11]);
/* Days from 1970-01-01 to a YYYY-MM-DD date. */
int64_t date_days(const char *date);
/* Days from a to b (b - a). */
int64_t date_diff(const char *a, const char *b);

#endif
