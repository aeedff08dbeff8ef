/* SPDX-License-Identifier: MIT */
/* util/timeutil.c: calendar dates and RFC 3339 stamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/timeutil.h"

static void valid_dates(void **state)
{
    static const char *const good[] = {"2024-02-29", "2000-02-29", "2026-12-31", "1900-01-01"};
    static const char *const bad[] = {"2023-02-29",  "1900-02-29", "2026-13-01", "2026-00-10",
                                      "2026-04-31",  "2026-4-01",  "26-04-01",   "2026/04/01",
                                      "2026-04-01T", "",           "abcd-ef-gh", "3000-01-01"};
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!time_valid_date(good[i]))
            fail_msg("%s should be valid", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (time_valid_date(bad[i]))
            fail_msg("%s should be invalid", bad[i]);
    assert_false(time_valid_date(NULL));
}

static void formats(void **state)
{
    char ts[21], d[11];

    (void)state;
    time_rfc3339(0, ts);
    assert_string_equal(ts, "1970-01-01T00:00:00Z");
    time_rfc3339(1795210766, ts);
    assert_string_equal(ts, "2026-11-20T21:39:26Z");
    time_date(951782400, d); /* leap day 2000 */
    assert_string_equal(d, "2000-02-29");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_dates),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests_name("util/timeutil.c", tests, NULL, NULL);
}
