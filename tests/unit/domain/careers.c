/* SPDX-License-Identifier: MIT */
/* domain/careers.c: gap analysis, plan completion, paths between levels, and the mentor and
 * opportunity rankings on hand-made cases with known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/careers.h"

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);

    assert_non_null(v);
    return v;
}

static void gaps_are_sorted_by_size_then_name(void **state)
{
    json_t *g = careers_gaps(parse(
        "[{\"kind\":\"skill\",\"id\":1,\"name\":\"SQL\",\"expected\":4,\"current\":2},"
        "{\"kind\":\"competency\",\"id\":2,\"name\":\"Craft\",\"expected\":3,\"current\":null},"
        "{\"kind\":\"skill\",\"id\":3,\"name\":\"Go\",\"expected\":3,\"current\":3},"
        "{\"kind\":\"competency\",\"id\":4,\"name\":\"Delivery\",\"expected\":4,\"current\":5},"
        "{\"kind\":\"skill\",\"id\":5,\"name\":\"AWS\",\"expected\":2,\"current\":0}]"));

    (void)state;
    assert_int_equal(json_array_size(g), 3); /* met or exceeded expectations drop out */
    assert_string_equal(json_string_value(json_object_get(json_array_get(g, 0), "name")), "Craft");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 0), "gap")), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(g, 1), "name")), "AWS");
    assert_string_equal(json_string_value(json_object_get(json_array_get(g, 2), "name")), "SQL");
    json_decref(g);
}

static void completion_counts_done_over_live(void **state)
{
    json_t *a = parse("[{\"status\":\"done\"},{\"status\":\"planned\"},{\"status\":\"cancelled\"},"
                      "{\"status\":\"in_progress\"}]");
    json_t *m = parse("[{\"done_at\":\"2026-01-01\"},{\"done_at\":null}]");
    json_t *none = json_array();

    (void)state;
    assert_float_equal(careers_completion(a, m), 100.0 * 2 / 5, 1e-9);
    assert_float_equal(careers_completion(none, none), 0.0, 1e-9);
    json_decref(a);
    json_decref(m);
    json_decref(none);
}

static void paths_between_levels(void **state)
{
    (void)state;
    assert_true(careers_has_path(1, 2, 1, 3));
    assert_true(careers_has_path(1, 2, 1, 5));
    assert_false(careers_has_path(1, 2, 1, 2));
    assert_false(careers_has_path(1, 3, 1, 1));
    assert_true(careers_has_path(1, 3, 2, 3));  /* lateral */
    assert_true(careers_has_path(1, 3, 2, 2));  /* one lower on the other track */
    assert_false(careers_has_path(1, 2, 2, 4)); /* no jump across tracks */
}

static void mentors_ranked_by_rating_network_and_room(void **state)
{
    json_t *c = parse("[{\"id\":1,\"department_id\":7,\"capacity\":2,\"load\":1,\"rating\":5},"
                      "{\"id\":2,\"department_id\":8,\"capacity\":3,\"load\":1,\"rating\":4},"
                      "{\"id\":3,\"department_id\":8,\"capacity\":1,\"load\":1,\"rating\":5},"
                      "{\"id\":9,\"department_id\":7,\"capacity\":5,\"load\":0,\"rating\":5},"
                      "{\"id\":4,\"department_id\":7,\"capacity\":9,\"load\":0,\"rating\":null}]");
    json_t *r = careers_rank_mentors(c, 9, 7);

    (void)state;
    /* 1: 50+0+1 = 51; 2: 40+5+2 = 47; 4: 0+0+3 = 3; 3 is full; 9 is the mentee */
    assert_int_equal(json_array_size(r), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "score")), 51);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 1), "score")), 47);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 2), "id")), 4);
    json_decref(r);
    json_decref(c);
}

static void opportunities_ranked_by_coverage_gaps_and_aspiration(void **state)
{
    json_t *o = parse("[{\"id\":1,\"title\":\"Infrastructure rotation\"},"
                      "{\"id\":2,\"title\":\"Data platform migration\"},"
                      "{\"id\":3,\"title\":\"Pricing experiment\"}]");
    json_t *req = parse("[{\"opportunity_id\":1,\"skill_id\":10,\"min_rating\":4},"
                        "{\"opportunity_id\":2,\"skill_id\":11,\"min_rating\":4},"
                        "{\"opportunity_id\":2,\"skill_id\":12,\"min_rating\":2}]");
    json_t *ratings = parse("{\"10\":2,\"11\":4,\"12\":1}");
    json_t *gaps = parse("[10]");
    json_t *r = careers_rank_opportunities(o, req, ratings, gaps, "lead the data platform");

    (void)state;
    /* 2: 50 x (1 + 0.5)/2 + 15 = 52.5; 1: 50 x 0.5 + 10 = 35; 3: no skills listed = 25 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "id")), 2);
    assert_float_equal(json_real_value(json_object_get(json_array_get(r, 0), "score")), 52.5, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 1), "id")), 1);
    assert_float_equal(json_real_value(json_object_get(json_array_get(r, 1), "score")), 35, 1e-9);
    assert_float_equal(json_real_value(json_object_get(json_array_get(r, 2), "score")), 25, 1e-9);
    json_decref(r);
    json_decref(o);
    json_decref(req);
    json_decref(ratings);
    json_decref(gaps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gaps_are_sorted_by_size_then_name),
        cmocka_unit_test(completion_counts_done_over_live),
        cmocka_unit_test(paths_between_levels),
        cmocka_unit_test(mentors_ranked_by_rating_network_and_room),
        cmocka_unit_test(opportunities_ranked_by_coverage_gaps_and_aspiration),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
