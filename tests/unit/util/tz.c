/* SPDX-License-Identifier: MIT */
/* util/tz.c: civil-date arithmetic, and wall-clock times in IANA zones across daylight-saving
 * changes (the system's zoneinfo through libical). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/timeutil.h"
#include "util/tz.h"

static void weekdays_and_day_arithmetic(void **state)
{
    char out[11];

    (void)state;
    assert_int_equal(date_weekday("2026-12-02"), 3); /* a Wednesday */
    assert_int_equal(date_weekday("2027-03-08"), 1);
    assert_int_equal(date_weekday("2028-02-29"), 2);
    assert_int_equal(date_weekday("1970-01-01"), 4);
    assert_int_equal(date_weekday("not a date"), 0);
    date_add_days("2028-02-28", 1, out);
    assert_string_equal(out, "2028-02-29");
    date_add_days("2026-12-31", 1, out);
    assert_string_equal(out, "2027-01-01");
    date_add_days("2027-03-01", -1, out);
    assert_string_equal(out, "2027-02-28");
    date_add_days("2026-12-02", 28 * 13, out);
    assert_string_equal(out, "2027-12-01");
    assert_int_equal(date_diff("2026-12-02", "2027-12-01"), 364);
    assert_int_equal(date_diff("2027-12-01", "2026-12-02"), -364);
}

static void times_follow_the_zone_rules(void **state)
{
    int64_t t;
    char s[21], local[17];

    (void)state;
    /* New York: EST (UTC-5) before 2027-03-14, EDT (UTC-4) after */
    assert_true(tz_to_utc("America/New_York", "2027-03-08", "09:00", &t));
    time_rfc3339(t, s);
    assert_string_equal(s, "2027-03-08T14:00:00Z");
    assert_true(tz_to_utc("America/New_York", "2027-03-15", "09:00", &t));
    time_rfc3339(t, s);
    assert_string_equal(s, "2027-03-15T13:00:00Z");
    tz_local("America/New_York", t, local);
    assert_string_equal(local, "2027-03-15T09:00");
    /* London and Paris in summer and winter */
    assert_true(tz_to_utc("Europe/London", "2027-07-01", "10:00", &t));
    time_rfc3339(t, s);
    assert_string_equal(s, "2027-07-01T09:00:00Z");
    assert_true(tz_to_utc("Europe/Paris", "2026-12-07", "10:00", &t));
    time_rfc3339(t, s);
    assert_string_equal(s, "2026-12-07T09:00:00Z");
    assert_true(tz_to_utc("UTC", "2026-12-07", "23:59", &t));
    time_rfc3339(t, s);
    assert_string_equal(s, "2026-12-07T23:59:00Z");
}

static void bad_zones_and_times_are_refused(void **state)
{
    int64_t t;

    (void)state;
    assert_true(tz_valid("Europe/Paris"));
    assert_true(tz_valid("America/Argentina/Buenos_Aires"));
    assert_false(tz_valid("Mars/Olympus_Mons"));
    assert_false(tz_valid("../../etc/passwd"));
    assert_false(tz_valid("/etc/localtime"));
    assert_false(tz_valid(""));
    assert_false(tz_valid("Europe/Paris; rm"));
    assert_true(tz_valid_time("00:00"));
    assert_true(tz_valid_time("23:59"));
    assert_false(tz_valid_time("24:00"));
    assert_false(tz_valid_time("9:30"));
    assert_false(tz_valid_time("09:60"));
    assert_false(tz_to_utc("Nowhere/Land", "2027-01-01", "10:00", &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weekdays_and_day_arithmetic),
        cmocka_unit_test(times_follow_the_zone_rules),
        cmocka_unit_test(bad_zones_and_times_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
