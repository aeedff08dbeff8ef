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
    int max_failures_account; /* by one address, before each further try waits (1 s, 2 s ... 60 s)
                               */
    int max_failures_address; /* by one address over all accounts */
    int hash_slots;           /* password hashes run at once (64 MiB each); others wait */
    bool secure_cookies;      /* served over HTTPS (--public-url https://…): cookies get Secure */
};

/* Loads (or creates, mode 0600) the 32-byte server key at path; aborts the command on failure. */
enum err accounts_load_key(const char *path, struct errinfo *ei);
void accounts_configure(const struct accounts_config *cfg);
/* A 32-byte key for (context, id) derived from the server key (libsodium crypto_kdf); context is
 * exactly 8 characters. Nothing derived from it is stored. */
void accounts_subkey(const char context[static 8], uint64_t id, unsigned char out[static 32]);
/* A secret sealed for storage with the subkey (context, 1): hex of nonce and secretbox. */
char *accounts_seal(struct arena *a, const char context[static 8], const char *text);
/* The text of a sealed box into out (NUL-terminated); false when it cannot be opened or does
 * not fit. */
bool accounts_unseal(const char context[static 8], const char *box, char *out, size_t outlen);
/* base64url of n (at most 48) random bytes, in a. */
char *accounts_random_token(struct arena *a, size_t n);
/* A keyed hash of a secret token for storage (hex, 65 bytes with the terminator). */
void accounts_token_hash(const char *token, char out[static 65]);
const struct accounts_config *accounts_config(void);

/* Returns owned (free()) argon2id hash of the peppered password, or NULL on failure. */
char *accounts_hash_password(const char *password);
bool accounts_verify_password(const char *hash, const char *password);
/* A password policy check: returns a problem text or NULL when acceptable (10 to 256 bytes, not
 * one of accounts_common_passwords, case-insensitively). */
const char *accounts_password_problem(const char *password);
/* NULL-terminated, lower case (domain/common_passwords.c). */
extern const char *const accounts_common_passwords[];

/* Signs in: on success fills *actor and returns the new session token (arena) in *token.
 * ERR_UNAUTHENTICATED for a wrong email or password, ERR_RATE_LIMITED (ei->retry_after) when
 * this address failed too often for this account or for all accounts; ip is the client
 * address. */
enum err accounts_login(struct db *db, struct arena *a, const char *email, const char *password,
                        const char *ip, const char *user_agent, struct actor *actor,
                        const char **token, struct errinfo *ei);
/* A new browser session for person_id with the role of their account, audited as action (for a
 * sign-in that proved who the person is in another way: single sign-on). */
enum err accounts_session_start(struct db *db, struct arena *a, int64_t person_id, const char *role,
                                const char *ip, const char *user_agent, const char *action,
                                struct actor *actor, const char **token, struct errinfo *ei);
/* What an authentication leaves to write once the request's reads are done: a credential's
 * last use (moved at most once a minute) and an ended session's removal. A read request reads
 * its credential and its data in one transaction; these writes never hold it. */
struct auth_upkeep {
    int64_t token_id, session_id, ended_session_id;
    int64_t now;
};
/* Resolves a session cookie value or bearer token into *actor; ERR_UNAUTHENTICATED if invalid.
 * *up says what accounts_upkeep writes afterwards. */
enum err accounts_authenticate_session(struct db *db, struct arena *a, const char *token,
                                       struct actor *actor, struct auth_upkeep *up);
enum err accounts_authenticate_token(struct db *db, struct arena *a, const char *token,
                                     struct actor *actor, struct auth_upkeep *up);
/* Writes what the authentication left (bookkeeping: skipped behind a long write, next time). */
void accounts_upkeep(struct db *db, const struct auth_upkeep *up);
enum err accounts_logout(struct db *db, const struct actor *actor);
/* A new API token: the secret (arena, shown once, never stored) and its row. */
struct issued_token {
    int64_t id;
    const char *token;
    const char *created_at;
    const char *expires_at; /* NULL: never expires */
};
/* The problem with a token name (1 to 100 characters, no control characters), or NULL. */
const char *accounts_token_name_problem(const char *name);
/* Issues a new API token for person_id named name, expiring after expires_in_days (1..365; 0 =
 * never), audited as actor_id (0 = the command line) without the secret. */
enum err accounts_issue_token(struct db *db, struct arena *a, int64_t actor_id, int64_t person_id,
                              const char *name, int64_t expires_in_days, struct issued_token *out,
                              struct errinfo *ei);
/* Revokes token_id of person_id (audited); ERR_NOT_FOUND when person_id has no such token.
 * Revoking a revoked token succeeds and changes nothing. */
enum err accounts_revoke_token(struct db *db, int64_t actor_id, int64_t person_id, int64_t token_id,
                               struct errinfo *ei);
/* The caller's own change: ends their sessions, keeps their API tokens. */
enum err accounts_change_password(struct db *db, const struct actor *actor, const char *current,
                                  const char *next, struct errinfo *ei);
/* Admin reset: sets a random temporary password (arena), ends the person's sessions and revokes
 * their API tokens. */
enum err accounts_reset_password(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t person_id, const char **temporary, struct errinfo *ei);
/* `trellis user passwd`: a new password for the account with email; ends the person's sessions
 * and revokes their API tokens. */
enum err accounts_passwd(struct db *db, struct arena *a, const char *email, const char *password,
                         struct errinfo *ei);
/* Creates or updates the account of the person with email (CLI `user add`). */
enum err accounts_add(struct db *db, struct arena *a, const char *email, enum role role,
                      const char *password, struct errinfo *ei);

#endif
