/* SPDX-License-Identifier: MIT */
/* SQL for SCIM provisioning: the SCIM tokens (hashes only) and what the identity provider knows
 * about a person beyond the people row (userName, externalId, name parts, a pending manager). */
#ifndef TRELLIS_STORE_SCIM_H
#define TRELLIS_STORE_SCIM_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

/* A new token row; *id is its id. */
enum err store_scim_tokens_insert(struct db *db, const char *token_hash, const char *name,
                                  int64_t created_by, const char *now, int64_t *id);
/* The live (not revoked) token with token_hash: its id and last use; ERR_NOT_FOUND otherwise. */
enum err store_scim_tokens_get(struct db *db, struct arena *a, const char *token_hash, int64_t *id,
                               const char **last_used_at);
enum err store_scim_tokens_touch(struct db *db, int64_t id, const char *now,
                                 const char *stale_before);
/* Every token, newest first: [{id, name, created_at, created_by, last_used_at, revoked_at}]. */
enum err store_scim_tokens_list(struct db *db, json_t **out);
/* One token in the same shape; ERR_NOT_FOUND when there is none. */
enum err store_scim_tokens_get_one(struct db *db, int64_t id, json_t **out);
enum err store_scim_tokens_revoke(struct db *db, int64_t id, const char *now);

struct scim_user_row {
    int64_t person_id;
    const char *user_name; /* NULL when the person was never provisioned by SCIM */
    const char *external_id;
    const char *given_name;
    const char *family_name;
    const char *manager_ref;
    const char *created_at; /* of the people row */
    const char *updated_at;
};

/* The SCIM side of person_id (user_name NULL when there is none) with the person's times;
 * ERR_NOT_FOUND when there is no such person. */
enum err store_scim_user_get(struct db *db, struct arena *a, int64_t person_id,
                             struct scim_user_row *out);
/* Inserts or replaces the SCIM row of r->person_id. ERR_CONFLICT when user_name is taken. */
enum err store_scim_user_put(struct db *db, const struct scim_user_row *r, const char *now);
enum err store_scim_user_delete(struct db *db, int64_t person_id);
/* The person whose userName (lower case) is user_name, else whose email is; 0 when none. */
enum err store_scim_find_user_name(struct db *db, const char *user_name, int64_t *person_id);
enum err store_scim_find_external_id(struct db *db, const char *external_id, int64_t *person_id);
/* People (not terminated) by id from after_offset, count at most: ids and the total. */
enum err store_scim_people_page(struct db *db, struct arena *a, int64_t offset, int count,
                                int64_t **ids, size_t *n, int64_t *total);
/* People whose pending manager reference is ref; at most 200 per call. */
enum err store_scim_pending(struct db *db, struct arena *a, const char *ref, int64_t **ids,
                            size_t *n);
/* Active people of department_id (id order) as [{value, display}] for a Group's members. */
enum err store_scim_department_members(struct db *db, int64_t department_id, json_t **out);
/* Departments by id from offset: ids, names and the total. */
enum err store_scim_departments_page(struct db *db, struct arena *a, int64_t offset, int count,
                                     int64_t **ids, const char ***names, size_t *n, int64_t *total);
enum err store_scim_department_by_name(struct db *db, const char *name, int64_t *id);
/* Renames department id (ERR_CONFLICT when the name is taken). */
enum err store_scim_department_rename(struct db *db, int64_t id, const char *name);

#endif
