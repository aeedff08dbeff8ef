/* SPDX-License-Identifier: MIT */
/* SQL for accounts, sessions, API tokens and login-attempt counters. Tokens are stored only as
 * hashes (hex), so a copy of the database cannot be used to sign in. */
#ifndef TRELLIS_STORE_ACCOUNTS_H
#define TRELLIS_STORE_ACCOUNTS_H

#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct account {
    int64_t person_id;
    const char *role;
    const char *password_hash; /* NULL for accounts without a password (SSO later) */
    const char *disabled_at;   /* NULL unless an admin deactivated the account */
};

struct session_row {
    int64_t id;
    int64_t person_id;
    const char *csrf;
    int64_t created_at;
    int64_t last_seen;
    const char *role;
};

enum err store_accounts_get(struct db *db, struct arena *a, int64_t person_id, struct account *out);
enum err store_accounts_count(struct db *db, int64_t *n);
/* Inserts or replaces the role and password hash of person_id's account. */
enum err store_accounts_upsert(struct db *db, int64_t person_id, const char *role,
                               const char *password_hash, const char *now);
enum err store_accounts_set_password(struct db *db, int64_t person_id, const char *hash,
                                     const char *now);

enum err store_sessions_insert(struct db *db, const char *token_hash, int64_t person_id,
                               const char *csrf, int64_t now, const char *ip, const char *ua);
/* The session with token_hash joined with the account role; ERR_NOT_FOUND when absent. */
enum err store_sessions_get(struct db *db, struct arena *a, const char *token_hash,
                            struct session_row *out);
enum err store_sessions_touch(struct db *db, int64_t id, int64_t now);
enum err store_sessions_delete(struct db *db, int64_t id);
enum err store_sessions_delete_person(struct db *db, int64_t person_id);

struct token_auth {
    int64_t id;
    int64_t person_id;
    const char *role;
    const char *last_used_at; /* NULL before the first use */
};

/* A new token row (expires_at NULL: never expires); *id is its id. */
enum err store_tokens_insert(struct db *db, const char *token_hash, int64_t person_id,
                             const char *name, const char *now, const char *expires_at,
                             int64_t *id);
/* The live token with token_hash (not revoked, not expired at now, its person active) with the
 * account role; ERR_NOT_FOUND otherwise. */
enum err store_tokens_get(struct db *db, struct arena *a, const char *token_hash, const char *now,
                          struct token_auth *out);
/* Sets last_used_at = now unless it is already at or after stale_before (one write a minute). */
enum err store_tokens_touch(struct db *db, int64_t id, const char *now, const char *stale_before);
/* A person's tokens, newest first, as [{id, name, created_at, expires_at, last_used_at,
 * revoked_at}] (never the hash). */
enum err store_tokens_list(struct db *db, int64_t person_id, json_t **out);
/* Token id of person_id in the same shape; ERR_NOT_FOUND when it is not theirs. */
enum err store_tokens_get_of(struct db *db, int64_t person_id, int64_t id, json_t **out);
enum err store_tokens_revoke(struct db *db, int64_t id, const char *now);
/* The number of person_id's tokens not revoked yet (expired ones included). */
enum err store_tokens_count_live(struct db *db, int64_t person_id, int64_t *n);
/* Revokes every token of person_id not revoked yet. */
enum err store_tokens_revoke_person(struct db *db, int64_t person_id, const char *now);

/* Failed-login counters keyed by "email:… ip:…" or "ip:…": the failures and, in the
 * window_start column, the time of the last one in milliseconds (domain/accounts.c). */
enum err store_attempts_get(struct db *db, const char *key, int64_t *last_failure,
                            int64_t *failures);
enum err store_attempts_put(struct db *db, const char *key, int64_t last_failure, int64_t failures);
enum err store_attempts_clear(struct db *db, const char *key);

#endif
