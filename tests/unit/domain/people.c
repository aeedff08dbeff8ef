/* SPDX-License-Identifier: MIT */
/* domain/people.c: field validation and how a change is named in role history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/people.h"

static void emails(void **state)
{
    static const char *const good[] = {"a@b.co", "ana.lopez+hr@example.com", "x@sub.example.org"};
    static const char *const bad[] = {"",       "plain",     "@example.com", "a@",
                                      "a@b",    "a@b.",      "a b@c.com",    "a@b@c.com",
                                      "a@.com", "<a@b.com>", "a,b@c.com"};
    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct errinfo ei = {0};

        people_check_email(good[i], "email", &ei);
        if (ei.nfields)
            fail_msg("%s refused: %s", good[i], ei.fields[0].problem);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct errinfo ei = {0};

        people_check_email(bad[i], "email", &ei);
        if (!ei.nfields)
            fail_msg("%s accepted", bad[i]);
        assert_string_equal(ei.fields[0].field, "email");
    }
}

static void names_statuses_text(void **state)
{
    struct errinfo ei = {0};

    (void)state;
    people_check_name("  ", "name", &ei);
    people_check_status("retired", "status", &ei);
    people_check_text("tab\tok", 10, "title", &ei);
    people_check_text("bell\a", 10, "level", &ei);
    people_check_date("2026-02-30", "hire_date", &ei);
    assert_int_equal(ei.nfields, 4);
    assert_string_equal(ei.fields[0].field, "name");
    assert_string_equal(ei.fields[1].field, "status");
    assert_string_equal(ei.fields[2].field, "level");
    assert_string_equal(ei.fields[3].field, "hire_date");
}

static void change_kinds(void **state)
{
    struct person a = {0}, b;

    (void)state;
    a.title = "Engineer";
    a.level = "P3";
    a.status = "active";
    a.department_id = 1;
    a.manager_id = 7;
    b = a;
    assert_null(people_change_kind(&a, &b, NULL));
    b.level = "P4";
    assert_string_equal(people_change_kind(&a, &b, NULL), "promotion");
    b.level = "P2";
    assert_string_equal(people_change_kind(&a, &b, NULL), "level_change");
    b = a;
    b.title = "Senior Engineer";
    assert_string_equal(people_change_kind(&a, &b, NULL), "title_change");
    assert_string_equal(people_change_kind(&a, &b, "Promotion in cycle H2"), "promotion");
    b = a;
    b.department_id = 2;
    assert_string_equal(people_change_kind(&a, &b, NULL), "transfer");
    b = a;
    b.manager_id = 8;
    assert_string_equal(people_change_kind(&a, &b, NULL), "manager_change");
    b.status = "terminated";
    assert_string_equal(people_change_kind(&a, &b, NULL), "status_change");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emails),
        cmocka_unit_test(names_statuses_text),
        cmocka_unit_test(change_kinds),
    };
    return cmocka_run_group_tests_name("domain/people.c", tests, NULL, NULL);
}
