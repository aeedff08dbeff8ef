/* SPDX-License-Identifier: MIT */
/* Single sign-on rows: the identity providers an admin registered, the link of a provider's
 * subject to a person, and the sign-ins in progress (state, nonce, PKCE verifier). */
#ifndef TRELLIS_STORE_SSO_H
#define TRELLIS_STORE_SSO_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct sso_provider {
    int64_t id;
    const char *name, *issuer, *client_id;
    const char *client_secret; /* sealed */
    bool trust_email, enabled;
};

struct sso_login {
    int64_t provider_id;
    const char *browser_hash, *nonce, *verifier, *next;
    int64_t created_at;
};

enum err store_sso_provider_get(struct db *db, struct arena *a, int64_t id,
                                struct sso_provider *out);
/* [{id, name, issuer, client_id, trust_email, enabled}] in name order; enabled_only: those. */
enum err store_sso_providers_json(struct db *db, bool enabled_only, json_t **out);
enum err store_sso_provider_insert(struct db *db, const struct sso_provider *p, const char *now,
                                   int64_t *id);
enum err store_sso_provider_update(struct db *db, const struct sso_provider *p, const char *now);
enum err store_sso_provider_delete(struct db *db, int64_t id);
int64_t store_sso_providers_enabled(struct db *db);

/* The person linked to (provider_id, subject), or 0. */
int64_t store_sso_identity_person(struct db *db, int64_t provider_id, const char *subject);
/* Links (provider_id, subject) to person_id, or notes the sign-in of an existing link. */
enum err store_sso_identity_put(struct db *db, int64_t provider_id, const char *subject,
                                int64_t person_id, const char *email, const char *now);
/* [{provider_id, provider, email, created_at, last_login_at}] of person_id. */
enum err store_sso_identities_json(struct db *db, int64_t person_id, json_t **out);

enum err store_sso_login_insert(struct db *db, const char *state_hash, const struct sso_login *l);
/* Takes (reads and deletes) the sign-in with state_hash; ERR_NOT_FOUND when absent. */
enum err store_sso_login_take(struct db *db, struct arena *a, const char *state_hash,
                              struct sso_login *out);
/* Deletes the sign-ins started before cutoff. */
enum err store_sso_logins_expire(struct db *db, int64_t cutoff);

/* Creates an account without a password (role employee) for person_id unless one exists. */
enum err store_sso_account_ensure(struct db *db, int64_t person_id, const char *now);

#endif
