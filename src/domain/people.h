/* SPDX-License-Identifier: MIT */
/* Rules about people: validation of person fields, reporting lines without cycles, role
 * history entries for every change of title, level, department, manager or status. */
#ifndef TRELLIS_DOMAIN_PEOPLE_H
#define TRELLIS_DOMAIN_PEOPLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/people.h"
#include "util/err.h"

/* A partial update; a field is applied when its has_ flag is set (NULL/0 clears it). */
struct person_patch {
    bool has_name, has_email, has_title, has_department, has_manager, has_level, has_status,
        has_hire_date;
    const char *name, *email, *title, *level, *status, *hire_date;
    int64_t department_id, manager_id;
    const char *reason;
    const char *effective_date;
};

/* Field checks that need no database; adds problems to ei under the given field names. */
void people_check_name(const char *name, const char *field, struct errinfo *ei);
void people_check_email(const char *email, const char *field, struct errinfo *ei);
void people_check_status(const char *status, const char *field, struct errinfo *ei);
void people_check_date(const char *date, const char *field, struct errinfo *ei);
void people_check_text(const char *s, size_t max, const char *field, struct errinfo *ei);
/* Lowercases ASCII letters in place (emails, sort keys). */
void people_lower(char *s);
/* The kind of role-history entry for a change from before to after. NULL when nothing that
 * role history records changed. */
const char *people_change_kind(const struct person *before, const struct person *after,
                               const char *reason);
/* The person's fields as an audit image (returns a new reference). */
json_t *people_snapshot(const struct person *p);
/* True when making manager_id the manager of person_id would close a reporting cycle. */
bool people_would_cycle(struct db *db, int64_t person_id, int64_t manager_id);
/* Applies patch to person id inside one transaction: validation that needs the database, the
 * update, a role-history entry and an audit row. */
enum err people_update(struct db *db, struct arena *a, int64_t actor_id, int64_t id,
                       const struct person_patch *patch, struct errinfo *ei);

/* HR edits person id by patch: one transaction that reads and locks the person, asks the policy
 * (ACT_PERSON_UPDATE), applies patch as people_update does and then calls reply (the answer, read
 * in the same transaction: if it cannot be read nothing is written). */
enum err people_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                     const struct person_patch *patch, enum err (*reply)(void *ctx, int64_t id),
                     void *ctx, struct errinfo *ei);

/* Adds an active person (name and email required; has_ flags of f are ignored except that
 * department and manager are checked when not 0) with a hire entry in role history and an audit
 * row, in one transaction; *id is the new person's. */
enum err people_create(struct db *db, struct arena *a, int64_t actor_id,
                       const struct person_patch *f, const char *employee_id, int64_t *id,
                       struct errinfo *ei);

#endif
