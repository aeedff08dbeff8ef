/* SPDX-License-Identifier: MIT */
/* Single sign-on through OpenID Connect: the authorization code flow with PKCE (S256), state
 * bound to the browser and a nonce; the provider found by discovery from its issuer URL; the ID
 * token's signature verified against the provider's key set and its claims (issuer, audience,
 * expiry, nonce) checked. A person is linked by the provider's subject, or the first time by a
 * verified email of a person in the directory (an account without a password is created for
 * them). Admins register providers and may turn password sign-in off per role. */
#ifndef TRELLIS_DOMAIN_SSO_H
#define TRELLIS_DOMAIN_SSO_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define SSO_LOGIN_TTL 600 /* seconds a sign-in may take at the provider */
/* The one redirect URI of every provider (after where the server is reached): the sign-in in
 * progress, found by its state, says which provider answers. */
#define SSO_CALLBACK_PATH "/api/v1/sso/callback"

/* For the sign-in page: [{id, name}] of the enabled providers. */
enum err sso_public_providers(struct db *db, json_t **out);
/* Whether a person of role (as stored) may not sign in with a password. */
bool sso_password_off(struct db *db, struct arena *a, const char *role);

/* Admins: {providers: [{id, name, issuer, client_id, client_secret_set, trust_email, enabled,
 * redirect_uri}], redirect_uri, password_off_roles: [..]}; base is where the server is reached
 * (the redirect URI begins with it). */
enum err sso_settings_get(struct db *db, struct arena *a, const struct actor *actor,
                          const char *base, json_t **out, struct errinfo *ei);
/* Admins: {password_off_roles: ["employee", "hr", "admin"]} (needs an enabled provider when not
 * empty); audited before and after. */
enum err sso_settings_patch(struct db *db, struct arena *a, const struct actor *actor,
                            const char *base, json_t *body, json_t **out, struct errinfo *ei);
/* Admins: a provider from {name, issuer, client_id, client_secret, trust_email, enabled}; the
 * issuer must answer discovery (a field error says what it answered). Audited without the
 * secret. *out as one provider of sso_settings_get. */
/* The operator's way back when the identity provider is down (trellis sso password-on): password
 * sign-in is on again for every role; audited as settings.sso by nobody (actor 0). */
enum err sso_password_on(struct db *db, struct arena *a);
enum err sso_provider_create(struct db *db, struct arena *a, const struct actor *actor,
                             const char *base, json_t *body, json_t **out, struct errinfo *ei);
/* Admins: changes the members body names (client_secret only when sent). */
enum err sso_provider_patch(struct db *db, struct arena *a, const struct actor *actor,
                            const char *base, int64_t id, json_t *body, json_t **out,
                            struct errinfo *ei);
/* Admins: removes a provider and its links; refused while it is the last enabled provider and
 * password sign-in is off for a role. */
enum err sso_provider_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             struct errinfo *ei);
/* Linked sign-ins of person_id: [{provider_id, provider, email, created_at, last_login_at}]. */
enum err sso_identities(struct db *db, int64_t person_id, json_t **out);

/* Starts a sign-in with provider id: *location is the provider's authorization URL and
 * *browser a secret for a short-lived cookie that binds the answer to this browser. next is
 * where the web app goes afterwards ("#/..." only; others fall back to "#/"). */
enum err sso_begin(struct db *db, struct arena *a, int64_t id, const char *redirect_uri,
                   const char *next, const char **location, const char **browser,
                   struct errinfo *ei);
/* The provider's answer (code and state, with the browser cookie): exchanges the code, verifies
 * the ID token, links the person and starts a session (*token, *actor); *next as begun. Every
 * failure is ERR_UNAUTHENTICATED or ERR_FORBIDDEN with a message for the person, and its cause
 * logged. */
enum err sso_finish(struct db *db, struct arena *a, const char *redirect_uri, const char *code,
                    const char *state, const char *browser, const char *ip, const char *user_agent,
                    struct actor *actor, const char **token, const char **next, struct errinfo *ei);

#endif
