/* SPDX-License-Identifier: MIT */
/* util/buf.c and util/arena.c: ceilings hold, contents survive growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"
#include "util/buf.h"

static void buf_grows_and_stops_at_max(void **state)
{
    struct buf b;
    char *taken;
    size_t len;

    (void)state;
    buf_init(&b, 1000);
    assert_string_equal(buf_str(&b), "");
    for (int i = 0; i < 99; i++)
        assert_int_equal(buf_add(&b, "0123456789"), ERR_OK);
    assert_int_equal(b.len, 990);
    assert_false(b.over);
    assert_int_equal(buf_add(&b, "0123456789A"), ERR_TOO_LARGE);
    assert_int_equal(b.len, 990); /* unchanged by the refused append */
    assert_true(b.over);          /* and the content is known to be incomplete */
    assert_int_equal(buf_addf(&b, "%d", 123456789), ERR_OK);
    assert_int_equal(b.len, 999);
    assert_int_equal(buf_addn(&b, "xy", 2), ERR_TOO_LARGE);
    assert_int_equal(buf_addn(&b, "x", 1), ERR_OK);
    assert_int_equal(strlen(buf_str(&b)), 1000);
    taken = buf_take(&b, &len);
    assert_int_equal(len, 1000);
    assert_int_equal(b.len, 0);
    assert_false(b.over); /* taken: empty and whole again */
    free(taken);
    buf_cleanup(&b);
}

static void buf_huge_addn_does_not_overflow(void **state)
{
    struct buf b;

    (void)state;
    buf_init(&b, 64);
    assert_int_equal(buf_add(&b, "abc"), ERR_OK);
    assert_int_equal(buf_addn(&b, "x", SIZE_MAX - 1), ERR_TOO_LARGE);
    assert_string_equal(buf_str(&b), "abc");
    buf_cleanup(&b);
}

static int deferred_calls;
static void count_call(void *p)
{
    (void)p;
    deferred_calls++;
}

static void arena_small_big_and_clear(void **state)
{
    struct arena *a = arena_new();
    char *big;

    (void)state;
    for (int i = 0; i < 5000; i++) {
        char *s = arena_printf(a, "item %d", i);

        assert_string_equal(s, arena_printf(a, "item %d", i));
    }
    big = arena_alloc(a, 1 << 20);
    memset(big, 'x', 1 << 20);
    arena_defer(a, count_call, NULL);
    arena_clear(a);
    assert_int_equal(deferred_calls, 1);
    assert_string_equal(arena_strdup(a, "after clear"), "after clear");
    assert_null(arena_strdup(a, NULL));
    arena_defer(a, count_call, NULL);
    arena_free(a);
    assert_int_equal(deferred_calls, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_stops_at_max),
        cmocka_unit_test(buf_huge_addn_does_not_overflow),
        cmocka_unit_test(arena_small_big_and_clear),
    };
    return cmocka_run_group_tests_name("util/buf.c", tests, NULL, NULL);
}
