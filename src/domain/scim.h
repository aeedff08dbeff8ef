/* SPDX-License-Identifier: MIT */
/* SCIM 2.0 provisioning rules (docs/api-scim.md): SCIM tokens, and Users and Groups written
 * through the people domain, so every change lands in role history and the audit log. A manager
 * reference that names nobody yet is kept and resolved when that person is provisioned; a
 * deactivation ends the person's sessions and API tokens. */
#ifndef TRELLIS_DOMAIN_SCIM_H
#define TRELLIS_DOMAIN_SCIM_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* ei->code carries the SCIM scimType of a refusal ("uniqueness", "invalidValue"...). */

/* What a request says about a User; a field applies when its has_ flag is set (NULL clears). */
struct scim_user_in {
    bool has_user_name, has_external_id, has_given, has_family, has_formatted, has_display,
        has_title, has_active, has_email, has_employee_number, has_department, has_manager;
    const char *user_name, *external_id, *given, *family, *formatted, *display, *title, *email,
        *employee_number, *department;
    const char *manager; /* the manager's id, externalId, employeeNumber or userName; NULL: none */
    bool active;
};

/* A new SCIM token named name (1 to 100 characters), shown once in *token (arena). */
enum err scim_token_create(struct db *db, struct arena *a, int64_t actor_id, const char *name,
                           int64_t *id, const char **token, struct errinfo *ei);
/* Revokes token id (revoking a revoked one changes nothing); ERR_NOT_FOUND when there is none. */
enum err scim_token_revoke(struct db *db, int64_t actor_id, int64_t id, struct errinfo *ei);
/* Resolves a bearer value into a SCIM actor; ERR_UNAUTHENTICATED when it is no live SCIM
 * token (an API token is not one). */
enum err scim_authenticate(struct db *db, struct arena *a, const char *token, struct actor *actor);

/* Creates the User (or brings back a terminated person with that userName or email). */
enum err scim_user_create(struct db *db, struct arena *a, const struct actor *actor,
                          const struct scim_user_in *in, int64_t *id, struct errinfo *ei);
/* Applies in to person id (PUT and PATCH alike: fields not sent are kept). */
enum err scim_user_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          const struct scim_user_in *in, struct errinfo *ei);
/* DELETE: the person is terminated (their history stays), sessions and tokens end. */
enum err scim_user_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          struct errinfo *ei);

/* Groups are departments. Creates one named name; ERR_CONFLICT (uniqueness) when it exists. */
enum err scim_group_create(struct db *db, const struct actor *actor, const char *name, int64_t *id,
                           struct errinfo *ei);
/* Renames group id when name is not NULL, moves the people of add into it and, with
 * replace, out of it everyone else; the people of remove leave it (no department). */
enum err scim_group_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                           const char *name, const int64_t *add, size_t nadd, const int64_t *remove,
                           size_t nremove, bool replace, struct errinfo *ei);

#endif
