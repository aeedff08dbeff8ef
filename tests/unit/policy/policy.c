/* SPDX-License-Identifier: MIT */
/* policy/policy.c: the access matrix of policy.h, one row per actor and action. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy/policy.h"

struct row {
    const char *who;
    enum role role;
    int64_t person;
    struct relation rel;
    enum action act;
    enum err want;
};

#define SELF                                                                                       \
    {                                                                                              \
        true, false                                                                                \
    }
#define MGR                                                                                        \
    {                                                                                              \
        false, true                                                                                \
    }
#define NONE                                                                                       \
    {                                                                                              \
        false, false                                                                               \
    }

static const struct row matrix[] = {
    {"anonymous reads directory", ROLE_NONE, 0, NONE, ACT_DIRECTORY_READ, ERR_UNAUTHENTICATED},
    {"employee reads directory", ROLE_EMPLOYEE, 5, NONE, ACT_DIRECTORY_READ, ERR_OK},
    {"self reads own private fields", ROLE_EMPLOYEE, 5, SELF, ACT_PERSON_READ_PRIVATE, ERR_OK},
    {"manager reads report's private fields", ROLE_EMPLOYEE, 5, MGR, ACT_PERSON_READ_PRIVATE,
     ERR_OK},
    {"peer reads private fields", ROLE_EMPLOYEE, 5, NONE, ACT_PERSON_READ_PRIVATE, ERR_FORBIDDEN},
    {"hr reads private fields", ROLE_HR, 5, NONE, ACT_PERSON_READ_PRIVATE, ERR_OK},
    {"admin reads private fields", ROLE_ADMIN, 5, NONE, ACT_PERSON_READ_PRIVATE, ERR_OK},
    {"employee edits self", ROLE_EMPLOYEE, 5, SELF, ACT_PERSON_UPDATE, ERR_FORBIDDEN},
    {"manager edits report", ROLE_EMPLOYEE, 5, MGR, ACT_PERSON_UPDATE, ERR_FORBIDDEN},
    {"hr edits anyone", ROLE_HR, 5, NONE, ACT_PERSON_UPDATE, ERR_OK},
    {"employee reads audit", ROLE_EMPLOYEE, 5, NONE, ACT_AUDIT_READ, ERR_FORBIDDEN},
    {"hr reads audit", ROLE_HR, 5, NONE, ACT_AUDIT_READ, ERR_OK},
    {"hr resets passwords", ROLE_HR, 5, NONE, ACT_ACCOUNT_ADMIN, ERR_FORBIDDEN},
    {"admin resets passwords", ROLE_ADMIN, 5, NONE, ACT_ACCOUNT_ADMIN, ERR_OK},
    {"manager exports report", ROLE_EMPLOYEE, 5, MGR, ACT_PERSON_EXPORT, ERR_FORBIDDEN},
    {"self exports self", ROLE_EMPLOYEE, 5, SELF, ACT_PERSON_EXPORT, ERR_OK},
    {"anonymous reads audit", ROLE_NONE, 0, NONE, ACT_AUDIT_READ, ERR_UNAUTHENTICATED},
    {"admin manages SCIM tokens", ROLE_ADMIN, 5, NONE, ACT_SCIM_ADMIN, ERR_OK},
    {"hr manages SCIM tokens", ROLE_HR, 5, NONE, ACT_SCIM_ADMIN, ERR_FORBIDDEN},
    {"employee manages SCIM tokens", ROLE_EMPLOYEE, 5, SELF, ACT_SCIM_ADMIN, ERR_FORBIDDEN},
    {"an admin provisions over SCIM", ROLE_ADMIN, 5, NONE, ACT_SCIM_PROVISION, ERR_UNAUTHENTICATED},
    {"anonymous provisions over SCIM", ROLE_NONE, 0, NONE, ACT_SCIM_PROVISION, ERR_UNAUTHENTICATED},
};

/* A SCIM client (a SCIM token, no person) provisions and does nothing else. */
static void scim_client(void **state)
{
    struct actor a = {0};
    struct relation none = NONE;

    (void)state;
    a.scim_token_id = 3;
    assert_int_equal(policy_decide(&a, ACT_SCIM_PROVISION, &none), ERR_OK);
    assert_int_equal(policy_decide(&a, ACT_DIRECTORY_READ, &none), ERR_UNAUTHENTICATED);
    assert_int_equal(policy_decide(&a, ACT_SCIM_ADMIN, &none), ERR_UNAUTHENTICATED);
    assert_int_equal(policy_decide(&a, ACT_PERSON_UPDATE, &none), ERR_UNAUTHENTICATED);
    a.person_id = 5; /* a token never carries a person as well */
    a.role = ROLE_ADMIN;
    assert_int_equal(policy_decide(&a, ACT_SCIM_PROVISION, &none), ERR_UNAUTHENTICATED);
}

static void access_matrix(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        const struct row *r = &matrix[i];
        struct actor a = {0};
        enum err got;

        a.person_id = r->person;
        a.role = r->role;
        got = policy_decide(&a, r->act, &r->rel);
        if (got != r->want)
            fail_msg("%s: got %d, want %d", r->who, got, r->want);
    }
}

/* Rules that look at the item: a one-on-one's sides (author = the actor is a side), the career
 * data of a person, peer nominations and the potential axis. */
static const struct row subject_matrix[] = {
    {"a side reads the one-on-one", ROLE_EMPLOYEE, 5, SELF, ACT_ONEONONE, ERR_OK},
    {"hr does not read one-on-ones", ROLE_HR, 5, NONE, ACT_ONEONONE, ERR_NOT_FOUND},
    {"admin does not read one-on-ones", ROLE_ADMIN, 5, NONE, ACT_ONEONONE, ERR_NOT_FOUND},
    {"a skip manager does not read one-on-ones", ROLE_EMPLOYEE, 5, MGR, ACT_ONEONONE,
     ERR_NOT_FOUND},
    {"self reads own plan", ROLE_EMPLOYEE, 5, SELF, ACT_CAREER_READ, ERR_OK},
    {"manager reads report's plan", ROLE_EMPLOYEE, 5, MGR, ACT_CAREER_READ, ERR_OK},
    {"hr reads plans", ROLE_HR, 5, NONE, ACT_CAREER_READ, ERR_OK},
    {"peer reads plan", ROLE_EMPLOYEE, 5, NONE, ACT_CAREER_READ, ERR_NOT_FOUND},
    {"manager writes report's plan", ROLE_EMPLOYEE, 5, MGR, ACT_CAREER_SELF, ERR_FORBIDDEN},
    {"self signs off own plan", ROLE_EMPLOYEE, 5, SELF, ACT_CAREER_MANAGER, ERR_FORBIDDEN},
    {"manager signs off", ROLE_EMPLOYEE, 5, MGR, ACT_CAREER_MANAGER, ERR_OK},
    {"hr signs off", ROLE_HR, 5, NONE, ACT_CAREER_MANAGER, ERR_FORBIDDEN},
    {"hr comments on a plan", ROLE_HR, 5, NONE, ACT_CAREER_COMMENT, ERR_FORBIDDEN},
    {"self proposes peers", ROLE_EMPLOYEE, 5, SELF, ACT_NOMINATION_PROPOSE, ERR_OK},
    {"manager approves peers", ROLE_EMPLOYEE, 5, MGR, ACT_NOMINATION_APPROVE, ERR_OK},
    {"self approves own peers", ROLE_EMPLOYEE, 5, SELF, ACT_NOMINATION_APPROVE, ERR_FORBIDDEN},
    {"stranger reads nominations", ROLE_EMPLOYEE, 5, NONE, ACT_NOMINATION_READ, ERR_NOT_FOUND},
    {"self sees own potential", ROLE_EMPLOYEE, 5, SELF, ACT_OUTCOME_POTENTIAL, ERR_FORBIDDEN},
    {"hr reading own outcome sees no potential", ROLE_HR, 5, SELF, ACT_OUTCOME_POTENTIAL,
     ERR_FORBIDDEN},
    {"manager sees potential", ROLE_EMPLOYEE, 5, MGR, ACT_OUTCOME_POTENTIAL, ERR_OK},
};

static void subject_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(subject_matrix) / sizeof(subject_matrix[0]); i++) {
        const struct row *r = &subject_matrix[i];
        struct actor a = {.person_id = r->person, .role = r->role};
        /* for one-on-ones the subject says whether the actor is a side */
        struct subject sub = {.person_id = 9, .author = r->rel.self};
        enum err got = policy_decide_subject(&a, r->act, &r->rel, &sub);

        if (got != r->want)
            fail_msg("%s: got %d, want %d", r->who, got, r->want);
    }
}

/* Being the subject outranks the role: an HR or admin reviewee is a reviewee first. */
static void subject_outranks_role(void **state)
{
    const struct relation self = {true, false}, none = {false, false};
    (void)state;
    for (enum role role = ROLE_EMPLOYEE; role <= ROLE_ADMIN; role++) {
        struct actor a = {.person_id = 9, .role = role};

        for (int k = 0; k < 2; k++) {
            struct subject peer = {.person_id = 9, .level = k ? "upward" : "peer", .shared = true};

            assert_int_equal(policy_decide_subject(&a, ACT_REVIEW_READ, &self, &peer),
                             ERR_NOT_FOUND);
        }
        assert_int_equal(policy_decide_subject(&a, ACT_REVIEW_READ, &self,
                                               &(struct subject){.level = "manager"}),
                         ERR_NOT_FOUND); /* before release */
        assert_int_equal(
            policy_decide_subject(&a, ACT_OUTCOME_READ, &self, &(struct subject){.shared = false}),
            ERR_NOT_FOUND);
        assert_int_equal(policy_decide_subject(&a, ACT_OUTCOME_POTENTIAL, &self,
                                               &(struct subject){.person_id = 9}),
                         ERR_FORBIDDEN);
        assert_int_equal(
            policy_decide_subject(&a, ACT_CASE_DECIDE, &self, &(struct subject){.person_id = 9}),
            ERR_FORBIDDEN);
        assert_int_equal(policy_decide_subject(&a, ACT_NOMINATION_APPROVE, &self,
                                               &(struct subject){.person_id = 9}),
                         ERR_FORBIDDEN);
    }
    /* and HR reading someone else's peer review keeps the role's reach */
    assert_int_equal(policy_decide_subject(&(struct actor){.person_id = 9, .role = ROLE_HR},
                                           ACT_REVIEW_READ, &none,
                                           &(struct subject){.person_id = 4, .level = "peer"}),
                     ERR_OK);
}

static void role_names_round_trip(void **state)
{
    (void)state;
    assert_int_equal(policy_role_parse("employee"), ROLE_EMPLOYEE);
    assert_int_equal(policy_role_parse("hr"), ROLE_HR);
    assert_int_equal(policy_role_parse("admin"), ROLE_ADMIN);
    assert_int_equal(policy_role_parse("Admin"), ROLE_NONE);
    assert_int_equal(policy_role_parse(NULL), ROLE_NONE);
    assert_string_equal(policy_role_name(ROLE_HR), "hr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(access_matrix),         cmocka_unit_test(subject_rules),
        cmocka_unit_test(scim_client),           cmocka_unit_test(subject_outranks_role),
        cmocka_unit_test(role_names_round_trip),
    };
    return cmocka_run_group_tests_name("policy/policy.c", tests, NULL, NULL);
}
