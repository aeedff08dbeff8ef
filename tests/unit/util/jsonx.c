/* SPDX-License-Identifier: MIT */
/* util/jsonx.c: body decoding and typed reads that collect every field problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/jsonx.h"

static enum err parse(struct arena *a, const char *text, json_t **out, struct errinfo *ei)
{
    return jsonx_parse_object(a, text, strlen(text), out, ei);
}

static void rejects_bad_bodies(void **state)
{
    static const char *const bad[] = {"",
                                      "[]",
                                      "42",
                                      "{",
                                      "{\"a\":}",
                                      "{\"a\":1,\"a\":2}",
                                      "{\"a\":\"\\u0000\"}",
                                      "{\"a\":\"\xff\"}",
                                      "{\"a\":1} x",
                                      "null"};
    struct arena *a = arena_new();
    json_t *o;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct errinfo ei = {0};

        if (parse(a, bad[i], &o, &ei) != ERR_BAD_JSON)
            fail_msg("accepted %s", bad[i]);
        assert_true(ei.message[0] != '\0');
    }
    arena_free(a);
}

static void collects_every_field_problem(void **state)
{
    static const char *const allowed[] = {"name", "age", "ok", NULL};
    struct arena *a = arena_new();
    struct errinfo ei = {0};
    json_t *o;
    const char *name;
    int64_t age;
    bool ok;

    (void)state;
    assert_int_equal(parse(a, "{\"name\":5,\"age\":\"x\",\"ok\":1,\"extra\":true}", &o, &ei),
                     ERR_OK);
    jsonx_only(o, allowed, &ei);
    assert_int_equal(jsonx_str(o, "name", &name, 10, false, &ei), JSONX_BAD);
    assert_int_equal(jsonx_int(o, "age", &age, false, &ei), JSONX_BAD);
    assert_int_equal(jsonx_bool(o, "ok", &ok, &ei), JSONX_BAD);
    assert_int_equal(ei.nfields, 4);
    assert_int_equal(err_fields_result(&ei), ERR_VALIDATION);
    assert_string_equal(ei.fields[0].field, "extra");
    arena_free(a);
}

static void reads_values_and_nulls(void **state)
{
    struct arena *a = arena_new();
    struct errinfo ei = {0};
    json_t *o;
    const char *s = "unset";
    int64_t n = 0;

    (void)state;
    assert_int_equal(
        parse(a, "{\"s\":\"Zoë\",\"n\":9007199254740993,\"z\":null,\"l\":\"toolong\"}", &o, &ei),
        ERR_OK);
    assert_int_equal(jsonx_str(o, "s", &s, 10, false, &ei), JSONX_SET);
    assert_string_equal(s, "Zoë");
    assert_int_equal(jsonx_int(o, "n", &n, false, &ei), JSONX_SET);
    assert_true(n == 9007199254740993LL); /* exact 64-bit integers */
    assert_int_equal(jsonx_str(o, "z", &s, 10, true, &ei), JSONX_NULL);
    assert_null(s);
    assert_int_equal(jsonx_str(o, "missing", &s, 10, true, &ei), JSONX_ABSENT);
    assert_int_equal(ei.nfields, 0);
    assert_int_equal(jsonx_str(o, "l", &s, 3, false, &ei), JSONX_BAD);
    assert_int_equal(jsonx_str(o, "z", &s, 10, false, &ei), JSONX_BAD);
    jsonx_require(JSONX_ABSENT, "needed", &ei);
    assert_int_equal(ei.nfields, 3);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects_bad_bodies),
        cmocka_unit_test(collects_every_field_problem),
        cmocka_unit_test(reads_values_and_nulls),
    };
    return cmocka_run_group_tests_name("util/jsonx.c", tests, NULL, NULL);
}
