/* SPDX-License-Identifier: MIT */
/* The one access policy: may ACTOR do ACTION on SUBJECT? Every handler asks it before it reads
 * or writes. The decision itself (policy_decide) is pure and unit-tested; policy_check first
 * looks up how the actor relates to the subject (self, manager in the chain, other). */
#ifndef TRELLIS_POLICY_H
#define TRELLIS_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

enum role { ROLE_NONE = 0, ROLE_EMPLOYEE, ROLE_HR, ROLE_ADMIN };

/* Who is asking: filled by authentication. */
struct actor {
    int64_t person_id; /* 0 when anonymous */
    enum role role;
    bool via_cookie;
    int64_t session_id;
    int64_t token_id;
    int64_t scim_token_id; /* a SCIM client (person_id 0): /scim/v2 only */
    char csrf[48];
};

enum action {
    ACT_DIRECTORY_READ,      /* names, titles, departments, managers: everyone signed in */
    ACT_PERSON_READ_PRIVATE, /* level, hire date, role history */
    ACT_PERSON_UPDATE,       /* HR edit of a person */
    ACT_PERSON_EXPORT,       /* everything stored about a person */
    ACT_AUDIT_READ,
    ACT_ACCOUNT_ADMIN,       /* password resets, roles */
    ACT_ANALYTICS_READ,      /* company-wide HR analytics: HR and admins */
    ACT_SCIM_ADMIN,          /* SCIM tokens: admins */
    ACT_SCIM_PROVISION,      /* /scim/v2 writes and reads: a live SCIM token, nobody else */
    ACT_GOAL_READ,           /* subject: owner, visibility */
    ACT_GOAL_EDIT,           /* subject: owner, visibility, level */
    ACT_GOAL_CHECKIN,        /* subject: owner, visibility */
    ACT_GOAL_CREATE,         /* subject: owner (0 for company goals), level */
    ACT_ACCOMPLISHMENT_READ, /* subject: owner, shared */
    ACT_ACCOMPLISHMENT_WRITE,
    ACT_FEEDBACK_READ,       /* subject: recipient, visibility, author */
    ACT_REVIEW_READ,         /* subject: reviewee, level = review kind, author = reviewer, shared =
                                released, peer_names = the cycle shows peer names to managers */
    ACT_REVIEW_WRITE,        /* subject: as above */
    ACT_OUTCOME_READ,        /* subject: the person, shared = released */
    ACT_CYCLE_ADMIN,         /* templates, cycles, launch, release, calibration: HR */
    ACT_CASE_READ,           /* promotion cases: the person, their managers, HR */
    ACT_CASE_OPEN,           /* managers and HR open; the person may request for themselves */
    ACT_CASE_DECIDE,         /* HR */
    ACT_NOMINATION_READ,     /* peer nominations: the reviewee, their managers, HR */
    ACT_NOMINATION_PROPOSE,  /* the reviewee proposes their own peers */
    ACT_NOMINATION_APPROVE,  /* the reviewee's managers and HR approve or edit */
    ACT_OUTCOME_POTENTIAL,   /* the potential axis: managers and HR, never the person */
    ACT_OUTCOME_ACKNOWLEDGE, /* a released outcome's acknowledgement: its person alone */
    ACT_ONEONONE,            /* a one-on-one series and its meetings: its two sides alone
                              * (subject: author = the actor is a side); not HR, not admins */
    ACT_CADENCE_READ,        /* cadence health: HR for everyone; managers for their subtree */
    ACT_CAREER_READ,         /* a person's IDP, skills, learning and career page: the person,
                              * their managers, HR */
    ACT_CAREER_SELF,         /* what the person writes about themselves (self ratings, the IDP) */
    ACT_CAREER_MANAGER,      /* what a manager adds (manager ratings, IDP sign-off) */
    ACT_CAREER_COMMENT,      /* IDP comments: the person and their managers */
    ACT_FRAMEWORK_ADMIN,     /* career frameworks, the skills catalogue, placements: HR */
    ACT_CAREER_RECORD,       /* a person's own record and learning entries: the person, HR */
    ACT_OPPORTUNITY_POST,    /* managers (subject: shared = the actor has reports) and HR */
    ACT_OPPORTUNITY_MANAGE,  /* close, see interest: the poster (subject: author) and HR */
    ACT_MENTORSHIP_ANSWER,   /* accept or decline a request: the mentor (subject: the mentee,
                              * author = the actor is the mentor) */
    ACT_MENTORSHIP_END,      /* end a mentorship: either side (subject as above) */
};

/* How the actor stands to the subject person. */
struct relation {
    bool self;
    bool manager; /* direct or indirect manager of the subject */
};

/* The subject of an action: the person the data is about (0 when none), and what the rules
 * need to know about the item. */
struct subject {
    int64_t person_id;
    const char *visibility; /* goals: public | managers | private */
    const char *level;      /* goals: company | team | individual */
    bool shared;            /* accomplishments: shared with the manager chain */
    bool contributor;       /* goals: the actor contributes to this goal */
    bool author;            /* feedback: the actor wrote it; reviews: the actor is the reviewer */
    bool peer_names;        /* reviews: managers may see who wrote peer reviews */
};

/* Pure decision: ERR_OK, ERR_NOT_FOUND (a forbidden read of something the actor may not know
 * exists: such a read answers 404 as if the item were not there), ERR_FORBIDDEN (existence known),
 * ERR_UNAUTHENTICATED (anonymous). */
enum err policy_decide(const struct actor *a, enum action act, const struct relation *rel);
/* The same, for rules that also look at the item (goal visibility and level, sharing). */
enum err policy_decide_subject(const struct actor *a, enum action act, const struct relation *rel,
                               const struct subject *s);
/* Looks up the relation in db when the decision needs it, then decides. */
enum err policy_check(struct db *db, const struct actor *a, enum action act,
                      const struct subject *s);
/* The relation of a to person (borrowed db). */
struct relation policy_relation(struct db *db, const struct actor *a, int64_t person_id);
/* "employee", "hr", "admin" and back; ROLE_NONE for an unknown name. */
const char *policy_role_name(enum role r);
enum role policy_role_parse(const char *s);

#endif
