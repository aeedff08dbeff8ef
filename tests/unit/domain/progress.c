/* SPDX-License-Identifier: MIT */
/* domain/progress.c: the arithmetic of docs/api.md, edge cases first. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/progress.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static struct kr_values metric(double start, double target, double current, bool decrease)
{
    struct kr_values k = {false, start, target, current, 1, decrease, false};

    return k;
}

static void key_results(void **state)
{
    struct kr_values m = {true, 0, 0, 0, 1, false, false};

    (void)state;
    NEAR(progress_key_result(&(struct kr_values){false, 0, 100, 25, 1, false, false}), 25);
    NEAR(progress_key_result(&(struct kr_values){false, 10, 20, 15, 1, false, false}), 50);
    /* overshoot and undershoot clamp */
    NEAR(progress_key_result(&(struct kr_values){false, 0, 100, 250, 1, false, false}), 100);
    NEAR(progress_key_result(&(struct kr_values){false, 0, 100, -5, 1, false, false}), 0);
    /* decreasing metric: churn 10% -> 4% */
    struct kr_values churn = metric(10, 4, 7, true);
    NEAR(progress_key_result(&churn), 50);
    churn.current = 2;
    NEAR(progress_key_result(&churn), 100);
    churn.current = 12;
    NEAR(progress_key_result(&churn), 0);
    /* target equal to start */
    struct kr_values flat = metric(5, 5, 5, false);
    NEAR(progress_key_result(&flat), 100);
    flat.current = 4.999;
    NEAR(progress_key_result(&flat), 0);
    flat.decrease = true;
    NEAR(progress_key_result(&flat), 100);
    flat.current = 6;
    NEAR(progress_key_result(&flat), 0);
    /* milestones */
    NEAR(progress_key_result(&m), 0);
    m.done = true;
    NEAR(progress_key_result(&m), 100);
}

static void goals(void **state)
{
    struct kr_values krs[3] = {
        metric(0, 100, 50, false), metric(0, 10, 10, false), {true, 0, 0, 0, 2, false, false}};

    (void)state;
    /* (1*50 + 1*100 + 2*0) / 4 */
    NEAR(progress_goal(krs, 3, false), 37.5);
    krs[2].done = true;
    NEAR(progress_goal(krs, 3, false), 87.5);
    NEAR(progress_goal(NULL, 0, false), 0);
    NEAR(progress_goal(NULL, 0, true), 100);
}

static void rollups(void **state)
{
    double out = -1;
    struct rollup_child c[4] = {
        {1, 40, true, false, 0, false},   /* has key results: contributes 40 */
        {3, 0, false, true, 80, false},   /* no key results, has children: contributes 80 */
        {1, 100, false, false, 0, false}, /* leaf without key results (done): 100 */
        {5, 0, true, false, 0, true},     /* abandoned: left out */
    };

    (void)state;
    assert_true(progress_rollup(c, 4, &out));
    NEAR(out, (40 + 3 * 80 + 100) / 5.0);
    assert_false(progress_rollup(c, 0, &out));
    assert_false(progress_rollup(&c[3], 1, &out)); /* only abandoned children: null */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_results),
        cmocka_unit_test(goals),
        cmocka_unit_test(rollups),
    };
    return cmocka_run_group_tests_name("domain/progress.c", tests, NULL, NULL);
}
