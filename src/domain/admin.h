/* SPDX-License-Identifier: MIT */
/* The admin console's account rules: roles, deactivation, ending sessions, and invitations (a
 * one-time link, emailed through the outbox, to set a password; it expires, is used once, and
 * only its keyed hash is stored). Each write is one transaction audited with before and after;
 * the caller has asked policy (ACT_ACCOUNT_ADMIN) except for the invitee's own two calls. */
#ifndef TRELLIS_DOMAIN_ADMIN_H
#define TRELLIS_DOMAIN_ADMIN_H

#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define INVITATION_DAYS 7

/* Sets person_id's role (creating an account without a password when they have none). An admin
 * cannot change their own role (ERR_CONFLICT), so the console always keeps its admin. */
enum err admin_set_role(struct db *db, const struct actor *actor, int64_t person_id, enum role role,
                        struct errinfo *ei);
/* Deactivates (ends every session, revokes every API token; nobody signs in with it) or
 * reactivates person_id's account. Not one's own (ERR_CONFLICT). */
enum err admin_set_active(struct db *db, const struct actor *actor, int64_t person_id, bool active,
                          struct errinfo *ei);
/* Ends session_id of person_id (ERR_NOT_FOUND when not theirs). */
enum err admin_end_session(struct db *db, const struct actor *actor, int64_t person_id,
                           int64_t session_id, struct errinfo *ei);
/* Invites person_id (active, with an account of role made if none; an existing account keeps
 * its role): voids their earlier unused links, stores a new one valid INVITATION_DAYS days and
 * queues the email with the link base_url/#/invite/TOKEN. *expires_at (arena) when it ends. */
enum err admin_invite(struct db *db, struct arena *a, const struct actor *actor, int64_t person_id,
                      enum role role, const char *base_url, const char **expires_at,
                      struct errinfo *ei);

/* What an invitation link shows before the password is chosen. */
struct invitation_view {
    int64_t person_id;
    const char *name, *email, *expires_at;
};
/* The invitation of token: ERR_NOT_FOUND with code invitation_expired, invitation_used or
 * not_found (ei) when it cannot be used. */
enum err admin_invitation_get(struct db *db, struct arena *a, const char *token,
                              struct invitation_view *out, struct errinfo *ei);
/* Sets the invitee's password from the link (password policy of accounts.h; 422 field
 * password), marks the link used (a second use is refused) and ends any session of theirs. */
enum err admin_invitation_accept(struct db *db, struct arena *a, const char *token,
                                 const char *password, struct invitation_view *out,
                                 struct errinfo *ei);

/* Records that an admin's test email to `to` was sent (accepted) or not, with the SMTP server's
 * answer: one transaction, audited as email.test; never the message or the server's password. */
enum err admin_email_tested(struct db *db, const struct actor *actor, const char *to, bool accepted,
                            const char *answer);

#endif
