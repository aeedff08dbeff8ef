/* SPDX-License-Identifier: MIT */
/* See tz.h. libical loads zones lazily into shared tables: one mutex serialises our calls. */
#include "util/tz.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

/* Zone names are path-like ("America/Argentina/Buenos_Aires"): refuse anything else before
 * libical turns the name into a file path. */
static bool plausible(const char *tzid)
{
    size_t n = tzid ? strlen(tzid) : 0;

    if (n == 0 || n > 64 || tzid[0] == '/' || strstr(tzid, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = tzid[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+'))
            return false;
    }
    return true;
}

static bool is_utc(const char *tzid)
{
    return strcmp(tzid, "UTC") == 0 || strcmp(tzid, "Etc/UTC") == 0;
}

/* Called with tz_lock held. */
static icaltimezone *zone(const char *tzid)
{
    if (!plausible(tzid))
        return NULL;
    if (is_utc(tzid))
        return icaltimezone_get_utc_timezone();
    return icaltimezone_get_builtin_timezone(tzid);
}

bool tz_valid(const char *tzid)
{
    bool ok;

    pthread_mutex_lock(&tz_lock);
    ok = zone(tzid) != NULL;
    pthread_mutex_unlock(&tz_lock);
    return ok;
}

bool tz_valid_time(const char *s)
{
    return s && strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
           s[2] == ':' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
           (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

/* YYYY-MM-DD by hand: reports walk it for every meeting of a company, and sscanf was a tenth
 * of the cadence view. */
static bool parse_date(const char *date, int *y, int *m, int *d)
{
    int v[10];

    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (date[i] < '0' || date[i] > '9')
            return false;
        v[i] = date[i] - '0';
    }
    *y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    *m = v[5] * 10 + v[6];
    *d = v[8] * 10 + v[9];
    return true;
}

bool tz_to_utc(const char *tzid, const char *date, const char *hhmm, int64_t *out)
{
    struct icaltimetype t = icaltime_null_time();
    icaltimezone *z;
    int y, m, d;

    if (!parse_date(date, &y, &m, &d) || !tz_valid_time(hhmm))
        return false;
    t.year = y;
    t.month = m;
    t.day = d;
    t.hour = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
    t.minute = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
    pthread_mutex_lock(&tz_lock);
    z = zone(tzid);
    if (z)
        *out = (int64_t)icaltime_as_timet_with_zone(t, z);
    pthread_mutex_unlock(&tz_lock);
    return z != NULL;
}

void tz_local(const char *tzid, int64_t t, char out[static 17])
{
    struct icaltimetype lt;
    icaltimezone *z;

    pthread_mutex_lock(&tz_lock);
    z = zone(tzid);
    lt = icaltime_from_timet_with_zone((time_t)t, 0, z ? z : icaltimezone_get_utc_timezone());
    pthread_mutex_unlock(&tz_lock);
    snprintf(out, 17, "%04u-%02u-%02uT%02u:%02u", (unsigned)lt.year % 10000u,
             (unsigned)lt.month % 13u, (unsigned)lt.day % 32u, (unsigned)lt.hour % 24u,
             (unsigned)lt.minute % 60u);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_of(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil(int64_t z, char out[static 11])
{
    int64_t era, doe, yoe, y, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y % 10000), (unsigned)m % 13u,
             (unsigned)d % 32u);
}

int date_weekday(const char *date)
{
    int y, m, d;
    int64_t z;

    if (!parse_date(date, &y, &m, &d))
        return 0;
    z = days_of(y, m, d); /* 1970-01-01 was a Thursday (4) */
    return (int)(((z % 7) + 7 + 3) % 7) + 1;
}

void date_add_days(const char *date, int64_t days, char out[static 11])
{
    int y = 1970, m = 1, d = 1;

    parse_date(date, &y, &m, &d);
    civil(days_of(y, m, d) + days, out);
}

int64_t date_days(const char *date)
{
    int y = 1970, m = 1, d = 1;

    parse_date(date, &y, &m, &d);
    return days_of(y, m, d);
}

int64_t date_diff(const char *a, const char *b)
{
    return date_days(b) - date_days(a);
}
