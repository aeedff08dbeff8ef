/* SPDX-License-Identifier: MIT */
/* See admin.h. */
#include "domain/admin.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "store/accounts.h"
#include "store/admin.h"
#include "store/oneonones.h"
#include "store/people.h"
#include "util/buf.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static json_t *account_image(const struct account *acc)
{
    return json_pack("{s:s, s:o, s:b}", "role", acc->role, "disabled_at",
                     jsonx_str_or_null(acc->disabled_at), "has_password",
                     acc->password_hash != NULL);
}

enum err admin_set_role(struct db *db, const struct actor *actor, int64_t person_id, enum role role,
                        struct errinfo *ei)
{
    struct arena *a = arena_new();
    struct account acc = {0};
    char now[21];
    json_t *before = NULL, *after;
    enum err rc;

    if (person_id == actor->person_id) {
        arena_free(a);
        return err_set(ei, ERR_CONFLICT,
                       "you cannot change your own role; another admin can change it");
    }
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc) {
        arena_free(a);
        return err_set(ei, rc, "cannot change the role");
    }
    rc = store_accounts_get(db, a, person_id, &acc);
    if (rc == ERR_NOT_FOUND) {
        rc = store_admin_account_insert(db, person_id, policy_role_name(role), now);
    } else if (rc == ERR_OK) {
        before = account_image(&acc);
        rc = store_admin_set_role(db, person_id, policy_role_name(role), now);
    }
    if (rc == ERR_OK) {
        after = before ? json_deep_copy(before)
                       : json_pack("{s:n, s:b}", "disabled_at", "has_password", 0);
        json_object_set_new(after, "role", json_string(policy_role_name(role)));
        rc = audit_record(db, actor->person_id, "account.role", "person", person_id, before, after);
        json_decref(after);
    }
    json_decref(before);
    rc = db_end(db, rc);
    arena_free(a);
    return rc ? err_set(ei, rc, "cannot change the role") : ERR_OK;
}

enum err admin_set_active(struct db *db, const struct actor *actor, int64_t person_id, bool active,
                          struct errinfo *ei)
{
    struct arena *a = arena_new();
    struct account acc = {0};
    char now[21];
    int64_t tokens = 0;
    json_t *before = NULL, *after = NULL;
    enum err rc;

    if (person_id == actor->person_id) {
        arena_free(a);
        return err_set(ei, ERR_CONFLICT, "you cannot deactivate your own account");
    }
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc) {
        arena_free(a);
        return err_set(ei, rc, "cannot change the account");
    }
    rc = store_accounts_get(db, a, person_id, &acc);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        arena_free(a);
        return err_set(ei, ERR_NOT_FOUND, "this person has no account");
    }
    /* already in the state asked for: nothing changes and nothing is recorded */
    if (rc == ERR_OK && (acc.disabled_at == NULL) == active) {
        rc = db_end(db, ERR_OK);
        arena_free(a);
        return rc ? err_set(ei, rc, "cannot change the account") : ERR_OK;
    }
    if (rc == ERR_OK) {
        before = account_image(&acc);
        rc = store_admin_set_disabled(db, person_id, active ? NULL : now, now);
    }
    if (rc == ERR_OK && !active) {
        rc = store_tokens_count_live(db, person_id, &tokens);
        if (rc == ERR_OK)
            rc = store_tokens_revoke_person(db, person_id, now);
        if (rc == ERR_OK)
            rc = store_sessions_delete_person(db, person_id);
        if (rc == ERR_OK)
            rc = store_invitations_void(db, person_id, now);
    }
    if (rc == ERR_OK) {
        after = json_deep_copy(before);
        json_object_set_new(after, "disabled_at", active ? json_null() : json_string(now));
        if (!active) {
            json_object_set_new(after, "sessions_ended", json_true());
            json_object_set_new(after, "tokens_revoked", json_integer(tokens));
        }
        rc =
            audit_record(db, actor->person_id, active ? "account.reactivate" : "account.deactivate",
                         "person", person_id, before, after);
    }
    json_decref(before);
    json_decref(after);
    rc = db_end(db, rc);
    arena_free(a);
    return rc ? err_set(ei, rc, "cannot change the account") : ERR_OK;
}

enum err admin_end_session(struct db *db, const struct actor *actor, int64_t person_id,
                           int64_t session_id, struct errinfo *ei)
{
    json_t *before;
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot end the session");
    rc = store_admin_session_delete(db, person_id, session_id);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, ERR_NOT_FOUND, "no such session");
    }
    if (rc == ERR_OK) {
        before = json_pack("{s:I}", "session_id", (json_int_t)session_id);
        rc =
            audit_record(db, actor->person_id, "session.revoke", "person", person_id, before, NULL);
        json_decref(before);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot end the session") : ERR_OK;
}

/* base64url of 32 random bytes (arena). */
static char *new_secret(struct arena *a)
{
    unsigned char raw[32];
    size_t len = sodium_base64_encoded_len(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, len);

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, len, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static const char *invite_body(struct arena *a, const struct person *p, const char *link,
                               const char *expires_at)
{
    struct buf b;
    const char *out;

    buf_init(&b, 1u << 16);
    buf_addf(&b, "Hello %s,\r\n\r\n", p->name);
    buf_add(&b, "An administrator invited you to Trellis, where your goals, reviews, feedback "
                "and growth live.\r\n\r\nChoose your password here:\r\n");
    buf_addf(&b, "%s\r\n\r\n", link);
    buf_addf(&b, "The link works once and until %.10s %.5s UTC. You sign in with %s.\r\n\r\n",
             expires_at, expires_at + 11, p->email);
    buf_add(&b, "If you did not expect this email, ignore it: nothing happens until the link is "
                "used.\r\n");
    out = arena_strdup(a, buf_str(&b));
    buf_cleanup(&b);
    return out;
}

enum err admin_invite(struct db *db, struct arena *a, const struct actor *actor, int64_t person_id,
                      enum role role, const char *base_url, const char **expires_at,
                      struct errinfo *ei)
{
    struct person p = {0};
    struct account acc = {0};
    char now[21], expires[21], th[65], key[64];
    int64_t when = time_now(), id = 0;
    const char *token = new_secret(a), *link;
    json_t *after;
    struct outbox_msg msg = {0};
    enum err rc;

    time_rfc3339(when, now);
    time_rfc3339(when + (int64_t)INVITATION_DAYS * 86400, expires);
    accounts_token_hash(token, th);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot store the invitation");
    rc = store_people_get(db, a, person_id, &p);
    if (rc == ERR_OK && strcmp(p.status, "active") != 0) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT, "%s is %s; only active people can be invited", p.name,
                       p.status);
    }
    if (rc == ERR_OK) {
        rc = store_accounts_get(db, a, person_id, &acc);
        if (rc == ERR_OK && acc.disabled_at) {
            db_rollback(db);
            return err_set(ei, ERR_CONFLICT,
                           "the account of %s is deactivated; reactivate it before inviting",
                           p.name);
        }
        if (rc == ERR_NOT_FOUND)
            rc = store_admin_account_insert(db, person_id, policy_role_name(role), now);
    }
    if (rc == ERR_OK)
        rc = store_invitations_void(db, person_id, now);
    if (rc == ERR_OK)
        rc = store_invitations_insert(db, person_id, th, now, expires, actor->person_id, &id);
    if (rc == ERR_OK) {
        link = arena_printf(a, "%s/#/invite/%s", base_url, token);
        snprintf(key, sizeof(key), "invitation:%lld", (long long)id);
        msg.dedupe_key = key;
        msg.recipient = p.email;
        msg.subject = "You are invited to Trellis: choose your password";
        msg.body = invite_body(a, &p, link, expires);
        msg.entity = "person";
        msg.entity_id = person_id;
        msg.created_at = now;
        rc = store_outbox_add(db, &msg);
    }
    if (rc == ERR_OK) {
        /* the audit row says who was invited until when; never the link's secret */
        after = json_pack("{s:I, s:s, s:s}", "invitation_id", (json_int_t)id, "email", p.email,
                          "expires_at", expires);
        rc = audit_record(db, actor->person_id, "account.invite", "person", person_id, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, ERR_NOT_FOUND, "no such person");
    }
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot store the invitation");
    *expires_at = arena_strdup(a, expires);
    return ERR_OK;
}

/* The invitation of token as it stands (inside the caller's transaction when there is one). */
static enum err usable(struct db *db, struct arena *a, const char *token, struct invitation *inv,
                       struct invitation_view *out, struct errinfo *ei)
{
    char th[65], now[21];
    struct person p = {0};
    struct account acc = {0};

    if (strlen(token) > 100)
        return err_set(ei, ERR_NOT_FOUND, "this invitation link is not valid");
    accounts_token_hash(token, th);
    time_rfc3339(time_now(), now);
    if (store_invitations_by_hash(db, a, th, inv) != ERR_OK ||
        store_people_get(db, a, inv->person_id, &p) != ERR_OK ||
        store_accounts_get(db, a, inv->person_id, &acc) != ERR_OK || acc.disabled_at ||
        strcmp(p.status, "active") != 0)
        return err_set(ei, ERR_NOT_FOUND, "this invitation link is not valid");
    if (inv->used_at) {
        ei->code = "invitation_used";
        return err_set(ei, ERR_NOT_FOUND,
                       "this invitation link was used already; sign in with your password, or "
                       "ask your administrator for a new link");
    }
    if (strcmp(inv->expires_at, now) <= 0) {
        ei->code = "invitation_expired";
        return err_set(ei, ERR_NOT_FOUND,
                       "this invitation link has expired; ask your administrator for a new one");
    }
    out->person_id = p.id;
    out->name = p.name;
    out->email = p.email;
    out->expires_at = inv->expires_at;
    return ERR_OK;
}

enum err admin_invitation_get(struct db *db, struct arena *a, const char *token,
                              struct invitation_view *out, struct errinfo *ei)
{
    struct invitation inv = {0};

    return usable(db, a, token, &inv, out, ei);
}

enum err admin_invitation_accept(struct db *db, struct arena *a, const char *token,
                                 const char *password, struct invitation_view *out,
                                 struct errinfo *ei)
{
    struct invitation inv = {0};
    const char *problem = accounts_password_problem(password);
    char now[21], *hash;
    json_t *after;
    enum err rc;

    /* an unusable link says so before any password is looked at */
    rc = usable(db, a, token, &inv, out, ei);
    if (rc)
        return rc;
    if (problem) {
        err_field(ei, "password", "%s", problem);
        return err_fields_result(ei);
    }
    hash = accounts_hash_password(password);
    if (!hash)
        return err_set(ei, ERR_INTERNAL, "cannot hash the password");
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc) {
        free(hash);
        return err_set(ei, rc, "cannot store the password");
    }
    /* what the write checks is read again inside its transaction */
    rc = usable(db, a, token, &inv, out, ei);
    if (rc) {
        db_rollback(db);
        free(hash);
        return rc;
    }
    rc = store_invitations_use(db, inv.id, now);
    if (rc == ERR_CONFLICT) {
        db_rollback(db);
        free(hash);
        ei->code = "invitation_used";
        return err_set(ei, ERR_NOT_FOUND, "this invitation link was used already");
    }
    if (rc == ERR_OK)
        rc = store_accounts_set_password(db, inv.person_id, hash, now);
    if (rc == ERR_OK)
        rc = store_sessions_delete_person(db, inv.person_id);
    if (rc == ERR_OK) {
        after = json_pack("{s:I, s:b}", "invitation_id", (json_int_t)inv.id, "password_set", 1);
        rc = audit_record(db, inv.person_id, "account.invitation_accept", "person", inv.person_id,
                          NULL, after);
        json_decref(after);
    }
    free(hash);
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the password") : ERR_OK;
}

enum err admin_email_tested(struct db *db, const struct actor *actor, const char *to, bool accepted,
                            const char *answer)
{
    json_t *after = json_pack("{s:s, s:b, s:s}", "to", to, "accepted", accepted, "answer", answer);
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "email.test", "person", actor->person_id, NULL,
                          after);
    json_decref(after);
    return db_end(db, rc);
}
