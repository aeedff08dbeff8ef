/* SPDX-License-Identifier: MIT */
/* Accounts and authentication: argon2id password hashes with a server-side pepper, login with
 * rate limiting, database-backed sessions with idle and absolute expiry, and API tokens. */
#ifndef TRELLIS_DOMAIN_ACCOUNTS_H
#define TRELLIS_DOMAIN_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct accounts_config {
    int64_t session_idle;     /* seconds */
    int64_t session_absolute; /* seconds */
    int max_failures_account; /* per 15 minutes */
    int max_failures_address;
    bool secure_cookies; /* served over HTTPS (--public-url https://…): cookies get Secure */
};

/* Loads (or creates, mode 0600) the 32-byte server key at path; aborts the command on failure. */
enum err accounts_load_key(const char *path, struct errinfo *ei);
void accounts_configure(const struct accounts_config *cfg);
/* A 32-byte key for (context, id) derived from the server key (libsodium crypto_kdf); context is
 * exactly 8 characters. Nothing derived from it is stored. */
void accounts_subkey(const char context[static 8], uint64_t id, unsigned char out[static 32]);
/* A keyed hash of a secret token for storage (hex, 65 bytes with the terminator). */
void accounts_token_hash(const char *token, char out[static 65]);
const struct accounts_config *accounts_config(void);

/* Returns owned (free()) argon2id hash of the peppered password, or NULL on failure. */
char *accounts_hash_password(const char *password);
bool accounts_verify_password(const char *hash, const char *password);
/* A password policy check: returns a problem text or NULL when acceptable. */
const char *accounts_password_problem(const char *password);

/* Signs in: on success fills *actor and returns the new session token (arena) in *token.
 * ERR_UNAUTHENTICATED for a wrong email or password, ERR_RATE_LIMITED when throttled. */
enum err accounts_login(struct db *db, struct arena *a, const char *email, const char *password,
                        const char *ip, const char *user_agent, struct actor *actor,
                        const char **token, struct errinfo *ei);
/* Resolves a session cookie value or bearer token into *actor; ERR_UNAUTHENTICATED if invalid. */
enum err accounts_authenticate_session(struct db *db, struct arena *a, const char *token,
                                       struct actor *actor);
enum err accounts_authenticate_token(struct db *db, struct arena *a, const char *token,
                                     struct actor *actor);
enum err accounts_logout(struct db *db, const struct actor *actor);
/* Issues a new API token for person_id (returns arena string). */
enum err accounts_issue_token(struct db *db, struct arena *a, int64_t person_id, const char *name,
                              const char **token);
enum err accounts_change_password(struct db *db, const struct actor *actor, const char *current,
                                  const char *next, struct errinfo *ei);
/* Admin reset: sets a random temporary password (arena) and ends the person's sessions. */
enum err accounts_reset_password(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t person_id, const char **temporary, struct errinfo *ei);
/* Creates or updates the account of the person with email (CLI `user add`). */
enum err accounts_add(struct db *db, struct arena *a, const char *email, enum role role,
                      const char *password, struct errinfo *ei);

#endif
