/* SPDX-License-Identifier: MIT */
/* SQL of the admin console: account roles and deactivation, a person's sessions, and
 * invitations (one-time links to set a password, kept only as keyed hashes). */
#ifndef TRELLIS_STORE_ADMIN_H
#define TRELLIS_STORE_ADMIN_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct invitation {
    int64_t id;
    int64_t person_id;
    const char *created_at;
    const char *expires_at;
    const char *used_at; /* NULL until the link was used */
};

/* A new account of person_id without a password. */
enum err store_admin_account_insert(struct db *db, int64_t person_id, const char *role,
                                    const char *now);
enum err store_admin_set_role(struct db *db, int64_t person_id, const char *role, const char *now);
/* disabled_at NULL reactivates. */
enum err store_admin_set_disabled(struct db *db, int64_t person_id, const char *disabled_at,
                                  const char *now);
/* A person's sessions, newest first, as [{id, created_at, last_seen, ip, user_agent}] with the
 * times in seconds since the epoch (never the token hash or CSRF secret). */
enum err store_admin_sessions(struct db *db, int64_t person_id, json_t **out);
/* Deletes session id of person_id; ERR_NOT_FOUND when it is not theirs. */
enum err store_admin_session_delete(struct db *db, int64_t person_id, int64_t id);

enum err store_invitations_insert(struct db *db, int64_t person_id, const char *token_hash,
                                  const char *now, const char *expires_at, int64_t created_by,
                                  int64_t *id);
/* Ends every unused invitation of person_id (expires_at moved to now). */
enum err store_invitations_void(struct db *db, int64_t person_id, const char *now);
/* The invitation with token_hash; ERR_NOT_FOUND when none. */
enum err store_invitations_by_hash(struct db *db, struct arena *a, const char *token_hash,
                                   struct invitation *out);
/* The newest invitation of person_id; ERR_NOT_FOUND when none. */
enum err store_invitations_latest(struct db *db, struct arena *a, int64_t person_id,
                                  struct invitation *out);
/* Marks invitation id used at now unless it was used already (then ERR_CONFLICT). */
enum err store_invitations_use(struct db *db, int64_t id, const char *now);

#endif
