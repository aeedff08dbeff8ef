/* SPDX-License-Identifier: MIT */
/* domain/webhooks.c: only absolute http and https URLs with a host are endpoints; every event
 * kind an endpoint may choose is one the domain emits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/webhooks.h"

static void urls(void **state)
{
    static const char *const good[] = {"http://127.0.0.1:8080/hook", "https://hooks.example.com/t",
                                       "https://example.com", "http://[::1]:9000/x?y=1"};
    static const char *const bad[] = {"",
                                      "ftp://example.com/x",
                                      "example.com/hook",
                                      "/relative",
                                      "javascript:alert(1)",
                                      "file:///etc/passwd",
                                      "http://",
                                      "https:///path",
                                      "HTTP://example.com",
                                      "http://exa mple.com",
                                      "http://example.com/\n",
                                      "gopher://example.com"};

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_null(webhook_url_problem(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (!webhook_url_problem(bad[i]))
            fail_msg("accepted: %s", bad[i]);
    assert_non_null(webhook_url_problem(NULL));
}

static void kinds(void **state)
{
    size_t n = 0;

    (void)state;
    while (webhook_kinds[n])
        n++;
    assert_int_equal(n, 5);
    assert_string_equal(webhook_kinds[1], "goal.completed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls),
        cmocka_unit_test(kinds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
