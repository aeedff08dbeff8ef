/* SPDX-License-Identifier: MIT */
/* util/text.c: case folding for search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/text.h"

static void folds_names(void **state)
{
    static const char *const cases[][2] = {{"ZOË ŌTSUKA", "zoë ōtsuka"},
                                           {"ÀÉÎÕÜ Ç Ñ", "àéîõü ç ñ"},
                                           {"ŁÓDŹ", "łódź"},
                                           {"ΣΟΦΊΑ", "σοφία"},
                                           {"ИВАН", "иван"},
                                           {"Ёлка", "ёлка"},
                                           {"中文 😀", "中文 😀"},
                                           {"Robert'); --", "robert'); --"},
                                           {"×÷", "×÷"},
                                           {"NGUYỄN Thị", "nguyễn thị"},
                                           {"Zoe\xcc\x88", "zoë"},  /* stored decomposed */
                                           {"ＡＭＡＲＡ", "amara"}, /* full width */
                                           {"STRASSE Straße", "strasse strasse"},
                                           {"ΣΟΦΊΑ Ὀδυσσεύς", "σοφία ὀδυσσεύσ"}};
    char out[64];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = text_fold(cases[i][0], out, sizeof(out));

        assert_string_equal(out, cases[i][1]);
        assert_int_equal(n, strlen(cases[i][1]));
    }
}

static void never_overflows_or_splits(void **state)
{
    char out[6];

    (void)state;
    assert_int_equal(text_fold("ÉÉÉÉ", out, sizeof(out)), 4); /* two whole characters */
    assert_string_equal(out, "éé");
    assert_int_equal(text_fold("abc", out, 1), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folds_names),
        cmocka_unit_test(never_overflows_or_splits),
    };
    return cmocka_run_group_tests_name("util/text.c", tests, NULL, NULL);
}
