/* SPDX-License-Identifier: MIT */
/* See timeutil.h. gmtime_r only: gmtime and localtime are not thread-safe. */
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

int64_t time_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

uint64_t time_mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void time_rfc3339(int64_t t, char out[static 21])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_date(int64_t t, char out[static 11])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool time_valid_date(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, max;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return false;
    max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}
