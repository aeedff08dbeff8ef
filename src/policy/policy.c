/* SPDX-License-Identifier: MIT */
/* See policy.h, which states every rule implemented here. */
#include "policy/policy.h"

#include <string.h>

#include "store/people.h"

static bool is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Goals: public for everyone signed in; "managers" for the owner, their managers and HR; private
 * for the owner alone. A goal the actor may not read does not exist for them (404). */
static bool goal_readable(const struct relation *rel, const struct subject *s, bool hr)
{
    if (is(s->visibility, "public"))
        return true;
    if (is(s->visibility, "managers"))
        return rel->self || rel->manager || hr || s->contributor;
    return rel->self || s->contributor;
}

enum err policy_decide_subject(const struct actor *a, enum action act, const struct relation *rel,
                               const struct subject *s)
{
    bool hr = a->role == ROLE_HR || a->role == ROLE_ADMIN;

    if (a->person_id == 0 || a->role == ROLE_NONE)
        return ERR_UNAUTHENTICATED;
    switch (act) {
    case ACT_GOAL_READ:
        return goal_readable(rel, s, hr) ? ERR_OK : ERR_NOT_FOUND;
    case ACT_GOAL_EDIT:
        if (!goal_readable(rel, s, hr))
            return ERR_NOT_FOUND;
        if (is(s->level, "company"))
            return hr || rel->self ? ERR_OK : ERR_FORBIDDEN;
        return rel->self || rel->manager || hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_GOAL_CHECKIN:
        /* API: the owner, contributors and the owner's managers */
        if (!goal_readable(rel, s, hr))
            return ERR_NOT_FOUND;
        return rel->self || rel->manager || s->contributor ? ERR_OK : ERR_FORBIDDEN;
    case ACT_GOAL_CREATE:
        if (is(s->level, "company"))
            return hr ? ERR_OK : ERR_FORBIDDEN;
        if (is(s->level, "team"))
            return hr || rel->self ? ERR_OK : ERR_FORBIDDEN; /* a manager for their own team */
        return rel->self || rel->manager || hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_FEEDBACK_READ:
        /* public: the recognition wall; managers: the recipient's manager chain; private: the
         * two people in the conversation. HR reads none of it. */
        if (is(s->visibility, "public") || rel->self || s->author)
            return ERR_OK;
        return is(s->visibility, "managers") && rel->manager ? ERR_OK : ERR_NOT_FOUND;
    case ACT_REVIEW_READ: {
        bool anonymous = is(s->level, "peer") || is(s->level, "upward");

        if (s->author)
            return ERR_OK;
        /* the reviewee never reads a peer or upward review itself, only the aggregate, and
         * reads the manager review once released: being the subject outranks every role */
        if (rel->self)
            return is(s->level, "manager") && s->shared ? ERR_OK : ERR_NOT_FOUND;
        if (hr)
            return ERR_OK;
        if (rel->manager)
            return !anonymous || s->peer_names ? ERR_OK : ERR_NOT_FOUND;
        return ERR_NOT_FOUND;
    }
    case ACT_REVIEW_WRITE:
        return s->author ? ERR_OK : ERR_NOT_FOUND;
    case ACT_OUTCOME_READ:
        /* released to the employee; an HR reviewee waits for release like everyone */
        if (rel->self)
            return s->shared ? ERR_OK : ERR_NOT_FOUND;
        return hr || rel->manager ? ERR_OK : ERR_NOT_FOUND;
    case ACT_CYCLE_ADMIN:
        return hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_CASE_DECIDE:
        /* nobody decides their own case, whatever their role */
        return hr && !rel->self ? ERR_OK : ERR_FORBIDDEN;
    case ACT_CASE_READ:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_NOT_FOUND;
    case ACT_CASE_OPEN:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_FORBIDDEN;
    case ACT_NOMINATION_READ:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_NOT_FOUND;
    case ACT_NOMINATION_PROPOSE:
        if (rel->self)
            return ERR_OK;
        return hr || rel->manager ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_NOMINATION_APPROVE:
        if (rel->self)
            return ERR_FORBIDDEN; /* the reviewee proposes; someone else approves */
        if (hr || rel->manager)
            return ERR_OK;
        return rel->self ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_OUTCOME_POTENTIAL:
        return !rel->self && (hr || rel->manager) ? ERR_OK : ERR_FORBIDDEN;
    case ACT_OUTCOME_ACKNOWLEDGE:
        if (rel->self)
            return ERR_OK;
        return hr || rel->manager ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_CAREER_READ:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_NOT_FOUND;
    case ACT_CAREER_SELF:
        if (rel->self)
            return ERR_OK;
        return hr || rel->manager ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_CAREER_MANAGER:
        if (rel->manager)
            return ERR_OK;
        return hr || rel->self ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_CAREER_COMMENT:
        if (rel->self || rel->manager)
            return ERR_OK;
        return hr ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_FRAMEWORK_ADMIN:
        return hr ? ERR_OK : ERR_FORBIDDEN;
    case ACT_CAREER_RECORD:
        return hr || rel->self ? ERR_OK : ERR_FORBIDDEN;
    case ACT_OPPORTUNITY_POST:
        return hr || s->shared ? ERR_OK : ERR_FORBIDDEN;
    case ACT_OPPORTUNITY_MANAGE:
        return hr || s->author ? ERR_OK : ERR_FORBIDDEN;
    case ACT_MENTORSHIP_ANSWER:
        /* the mentee sees the request and is refused; anyone else does not see it */
        return s->author ? ERR_OK : rel->self ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    case ACT_MENTORSHIP_END:
        return s->author || rel->self ? ERR_OK : ERR_NOT_FOUND;
    case ACT_ONEONONE:
        return s->author ? ERR_OK : ERR_NOT_FOUND;
    case ACT_CADENCE_READ:
        return hr || rel->self || rel->manager ? ERR_OK : ERR_FORBIDDEN;
    case ACT_ACCOMPLISHMENT_READ:
        /* private journal: the author, and the manager chain for entries shared with it */
        return rel->self || (rel->manager && s->shared) ? ERR_OK : ERR_NOT_FOUND;
    case ACT_ACCOMPLISHMENT_WRITE:
        if (rel->self)
            return ERR_OK;
        return rel->manager && s->shared ? ERR_FORBIDDEN : ERR_NOT_FOUND;
    default:
        return policy_decide(a, act, rel);
    }
}

enum err policy_decide(const struct actor *a, enum action act, const struct relation *rel)
{
    bool hr = a->role == ROLE_HR || a->role == ROLE_ADMIN;

    /* a SCIM client is no person: it provisions and nothing else, and no person provisions */
    if (act == ACT_SCIM_PROVISION)
        return a->scim_token_id > 0 && a->person_id == 0 ? ERR_OK : ERR_UNAUTHENTICATED;
    if (a->person_id == 0 || a->role == ROLE_NONE)
        return ERR_UNAUTHENTICATED;
    switch (act) {
    case ACT_SCIM_ADMIN:
        return a->role == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN;
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
    case ACT_ANALYTICS_READ:
        return hr ? ERR_OK : ERR_FORBIDDEN;
    default:
        break;
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
    bool needs_relation =
        act != ACT_DIRECTORY_READ && act != ACT_AUDIT_READ && act != ACT_ACCOUNT_ADMIN &&
        act != ACT_ANALYTICS_READ && act != ACT_PERSON_UPDATE && act != ACT_SCIM_ADMIN &&
        act != ACT_SCIM_PROVISION && act != ACT_CYCLE_ADMIN && act != ACT_ONEONONE;

    /* public goals are readable by everyone signed in: no need to walk the manager chain */
    if ((act == ACT_GOAL_READ || act == ACT_FEEDBACK_READ) && s && s->visibility &&
        strcmp(s->visibility, "public") == 0)
        needs_relation = false;
    if (needs_relation && s)
        rel = policy_relation(db, a, s->person_id);
    if (act >= ACT_GOAL_READ)
        return policy_decide_subject(a, act, &rel, s ? s : &(struct subject){0});
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
