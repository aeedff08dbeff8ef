/* SPDX-License-Identifier: MIT */
/* See policy.h. DESIGN.md "Access policy" is the source of every rule here. */
#include "policy/policy.h"

#include <string.h>

#include "store/people.h"

enum err policy_decide(const struct actor *a, enum action act, const struct relation *rel)
{
    bool hr = a->role == ROLE_HR || a->role == ROLE_ADMIN;

    if (a->person_id == 0 || a->role == ROLE_NONE)
        return ERR_UNAUTHENTICATED;
    switch (act) {
    case ACT_DIRECTORY_READ:
        return ERR_OK;
    case ACT_PERSON_READ_PRIVATE:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_FORBIDDEN;
    case ACT_PERSON_UPDATE:
        return hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_PERSON_EXPORT:
        return hr || rel->self ? ERR_OK : ERR_FORBIDDEN;
    case ACT_AUDIT_READ:
        return hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_ACCOUNT_ADMIN:
        return a->role == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN;
    }
    return ERR_FORBIDDEN;
}

struct relation policy_relation(struct db *db, const struct actor *a, int64_t person_id)
{
    struct relation rel = {false, false};

    if (a->person_id && person_id) {
        rel.self = a->person_id == person_id;
        if (!rel.self)
            rel.manager = store_people_is_manager_of(db, a->person_id, person_id);
    }
    return rel;
}

enum err policy_check(struct db *db, const struct actor *a, enum action act,
                      const struct subject *s)
{
    struct relation rel = {false, false};
    bool needs_relation = act == ACT_PERSON_READ_PRIVATE || act == ACT_PERSON_EXPORT;

    if (needs_relation && a->role == ROLE_EMPLOYEE && s)
        rel = policy_relation(db, a, s->person_id);
    return policy_decide(a, act, &rel);
}

const char *policy_role_name(enum role r)
{
    switch (r) {
    case ROLE_EMPLOYEE:
        return "employee";
    case ROLE_HR:
        return "hr";
    case ROLE_ADMIN:
        return "admin";
    case ROLE_NONE:
        break;
    }
    return "none";
}

enum role policy_role_parse(const char *s)
{
    if (!s)
        return ROLE_NONE;
    if (strcmp(s, "employee") == 0)
        return ROLE_EMPLOYEE;
    if (strcmp(s, "hr") == 0)
        return ROLE_HR;
    if (strcmp(s, "admin") == 0)
        return ROLE_ADMIN;
    return ROLE_NONE;
}
