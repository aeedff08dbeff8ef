/* SPDX-License-Identifier: MIT */
/* util/jsonw.c: the streaming writer produces JSON that jansson reads back exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "util/jsonw.h"

static void round_trips_through_jansson(void **state)
{
    struct buf b;
    struct jsonw w;
    json_t *v;
    json_error_t je;

    (void)state;
    buf_init(&b, 1 << 16);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_kstr(&w, "name", "Zoë \"Q\" <b>\\\n\t\x01");
    jsonw_kint(&w, "min", INT64_MIN);
    jsonw_kint(&w, "max", INT64_MAX);
    jsonw_kint(&w, "zero", 0);
    jsonw_kid(&w, "none", 0);
    jsonw_key(&w, "tenth");
    jsonw_double(&w, 0.1);
    jsonw_key(&w, "third");
    jsonw_double(&w, 100.0 / 3);
    jsonw_key(&w, "whole");
    jsonw_double(&w, 25);
    jsonw_kstr(&w, "null", NULL);
    jsonw_key(&w, "list");
    jsonw_arr(&w);
    jsonw_int(&w, -42);
    jsonw_bool(&w, true);
    jsonw_obj(&w);
    jsonw_obj_end(&w);
    jsonw_arr(&w);
    jsonw_arr_end(&w);
    jsonw_arr_end(&w);
    jsonw_obj_end(&w);
    v = json_loads(buf_str(&b), JSON_REJECT_DUPLICATES, &je);
    if (!v)
        fail_msg("invalid JSON %s: %s", buf_str(&b), je.text);
    assert_string_equal(json_string_value(json_object_get(v, "name")), "Zoë \"Q\" <b>\\\n\t\x01");
    assert_true(json_integer_value(json_object_get(v, "min")) == INT64_MIN);
    assert_true(json_integer_value(json_object_get(v, "max")) == INT64_MAX);
    assert_int_equal(json_integer_value(json_object_get(v, "zero")), 0);
    assert_true(json_is_null(json_object_get(v, "none")));
    assert_true(json_real_value(json_object_get(v, "tenth")) == 0.1);
    assert_true(json_real_value(json_object_get(v, "third")) == 100.0 / 3);
    assert_true(json_is_real(json_object_get(v, "whole")));
    assert_non_null(strstr(buf_str(&b), "\"tenth\":0.1,"));
    assert_true(json_is_null(json_object_get(v, "null")));
    assert_int_equal(json_array_size(json_object_get(v, "list")), 4);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "list"), 0)), -42);
    json_decref(v);
    buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_through_jansson),
    };
    return cmocka_run_group_tests_name("util/jsonw.c", tests, NULL, NULL);
}
