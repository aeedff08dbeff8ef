/* SPDX-License-Identifier: MIT */
/* The admin console's accounts: one account with its sessions and invitation, role changes,
 * deactivation, ending a session, invitations, and the invitee's own link (no sign-in). */
#include <string.h>

#include "api/api.h"
#include "domain/sso.h"
#include "domain/settings.h"
#include "domain/admin.h"
#include "domain/audit.h"
#include "domain/oneonones.h"
#include "domain/people.h"
#include "store/accounts.h"
#include "store/admin.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/log.h"
#include "util/timeutil.h"

/* The admin check and the person of path parameter 0. */
static enum err admin_person(struct request *r, struct person *p, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);
    if (rc)
        return err_set(ei, rc, "only admins can manage accounts");
    rc = store_people_get(r->db, r->arena, id, p);
    if (rc)
        return err_set(ei, rc, "no such person");
    return ERR_OK;
}

/* {person, account|null, sessions, invitation|null} of p. */
static enum err account_reply(struct request *r, const struct person *p, int status,
                              struct errinfo *ei)
{
    struct account acc = {0};
    struct invitation inv = {0};
    char now[21];
    json_t *out, *account = json_null(), *invitation = json_null(), *sessions = NULL, *sso = NULL;
    enum err rc = store_accounts_get(r->db, r->arena, p->id, &acc);

    if (rc == ERR_OK)
        account = json_pack("{s:s, s:b, s:b, s:o}", "role", acc.role, "has_password",
                            acc.password_hash != NULL, "active", acc.disabled_at == NULL,
                            "disabled_at", jsonx_str_or_null(acc.disabled_at));
    else if (rc != ERR_NOT_FOUND)
        return err_set(ei, rc, "cannot read the account");
    time_rfc3339(time_now(), now);
    rc = store_invitations_latest(r->db, r->arena, p->id, &inv);
    if (rc == ERR_OK)
        invitation = json_pack("{s:s, s:s, s:o, s:s}", "created_at", inv.created_at, "expires_at",
                               inv.expires_at, "used_at", jsonx_str_or_null(inv.used_at), "state",
                               inv.used_at                       ? "used"
                               : strcmp(inv.expires_at, now) > 0 ? "pending"
                                                                 : "expired");
    else if (rc != ERR_NOT_FOUND) {
        json_decref(account);
        return err_set(ei, rc, "cannot read the invitation");
    }
    rc = store_admin_sessions(r->db, p->id, &sessions);
    if (rc == ERR_OK)
        rc = sso_identities(r->db, p->id, &sso);
    if (rc) {
        json_decref(account);
        json_decref(invitation);
        json_decref(sessions);
        return err_set(ei, rc, "cannot read the sessions");
    }
    out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "person", api_person_summary(p), "account",
                    account, "sessions", sessions, "invitation", invitation, "single_sign_on", sso);
    if (!out)
        return ERR_INTERNAL;
    response_json(r, status, out);
    return ERR_OK;
}

enum err api_admin_account_get(struct request *r, struct errinfo *ei)
{
    struct person p = {0};
    enum err rc = admin_person(r, &p, ei);

    return rc ? rc : account_reply(r, &p, 200, ei);
}

static enum err role_field(json_t *body, const char *key, enum role *out, bool optional,
                           struct errinfo *ei)
{
    const char *s = NULL;
    enum jsonx_got got = jsonx_str(body, key, &s, 20, false, ei);

    if (got == JSONX_ABSENT && !optional)
        err_field(ei, key, "is required");
    if (got != JSONX_SET)
        return ERR_OK;
    *out = policy_role_parse(s);
    if (*out == ROLE_NONE)
        err_field(ei, key, "must be employee, hr or admin");
    return ERR_OK;
}

enum err api_admin_account_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"role", NULL};
    struct person p = {0};
    enum role role = ROLE_NONE;
    json_t *body;
    enum err rc = admin_person(r, &p, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    role_field(body, "role", &role, false, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = admin_set_role(r->db, &r->actor, p.id, role, ei);
    return rc ? rc : account_reply(r, &p, 200, ei);
}

static enum err set_active(struct request *r, bool active, struct errinfo *ei)
{
    struct person p = {0};
    enum err rc = admin_person(r, &p, ei);

    if (rc == ERR_OK)
        rc = admin_set_active(r->db, &r->actor, p.id, active, ei);
    return rc ? rc : account_reply(r, &p, 200, ei);
}

enum err api_admin_account_deactivate(struct request *r, struct errinfo *ei)
{
    return set_active(r, false, ei);
}

enum err api_admin_account_reactivate(struct request *r, struct errinfo *ei)
{
    return set_active(r, true, ei);
}

enum err api_admin_session_delete(struct request *r, struct errinfo *ei)
{
    struct person p = {0};
    int64_t sid;
    enum err rc = admin_person(r, &p, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 1, &sid, ei);
    if (rc == ERR_OK)
        rc = admin_end_session(r->db, &r->actor, p.id, sid, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_admin_invite(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"role", NULL};
    struct person p = {0};
    enum role role = ROLE_EMPLOYEE;
    const char *expires;
    json_t *body;
    enum err rc = admin_person(r, &p, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    role_field(body, "role", &role, true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = admin_invite(r->db, r->arena, &r->actor, p.id, role, api_base_url(r), &expires, ei);
    if (rc)
        return rc;
    response_json(r, 201, json_pack("{s:s, s:s}", "email", p.email, "expires_at", expires));
    return ERR_OK;
}

static json_t *view_json(const struct invitation_view *v)
{
    return json_pack("{s:s, s:s, s:s}", "name", v->name, "email", v->email, "expires_at",
                     v->expires_at);
}

enum err api_invitation_get(struct request *r, struct errinfo *ei)
{
    struct invitation_view v = {0};
    enum err rc;

    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    rc = admin_invitation_get(r->db, r->arena, r->params[0], &v, ei);
    if (rc)
        return rc;
    response_json(r, 200, view_json(&v));
    return ERR_OK;
}

enum err api_invitation_accept(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"password", NULL};
    const char *password = NULL;
    struct invitation_view v = {0};
    json_t *body;
    enum err rc;

    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "password", &password, 256, false, ei), "password", ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = admin_invitation_accept(r->db, r->arena, r->params[0], password, &v, ei);
    if (rc)
        return rc;
    response_json(r, 200, view_json(&v));
    return ERR_OK;
}

/* An optional id field (0 when absent or null). */
static void id_field(json_t *body, const char *key, int64_t *out, struct errinfo *ei)
{
    if (jsonx_int(body, key, out, true, ei) != JSONX_SET)
        *out = 0;
    else if (*out < 1)
        err_field(ei, key, "must be a positive id");
}

enum err api_people_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name",  "email",         "employee_id",
                                          "title", "department_id", "manager_id",
                                          "level", "hire_date",     NULL};
    struct person_patch f = {0};
    const char *employee_id = NULL;
    struct person p = {0};
    int64_t id = 0;
    json_t *body;
    enum err rc = policy_check(r->db, &r->actor, ACT_PERSON_UPDATE, NULL);

    if (rc)
        return err_set(ei, rc, "only HR and admins add people");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "name", &f.name, 200, false, ei), "name", ei);
    jsonx_require(jsonx_str(body, "email", &f.email, 254, false, ei), "email", ei);
    jsonx_str(body, "employee_id", &employee_id, 64, true, ei);
    jsonx_str(body, "title", &f.title, 200, true, ei);
    jsonx_str(body, "level", &f.level, 64, true, ei);
    jsonx_str(body, "hire_date", &f.hire_date, 10, true, ei);
    id_field(body, "department_id", &f.department_id, ei);
    id_field(body, "manager_id", &f.manager_id, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    f.has_name = f.has_email = true;
    f.has_department = f.department_id != 0;
    f.has_manager = f.manager_id != 0;
    if (f.title && !*f.title)
        f.title = NULL;
    if (f.level && !*f.level)
        f.level = NULL;
    if (f.hire_date && !*f.hire_date)
        f.hire_date = NULL;
    rc = people_create(r->db, r->arena, r->actor.person_id, &f, employee_id, &id, ei);
    if (rc)
        return rc;
    rc = store_people_get(r->db, r->arena, id, &p);
    if (rc)
        return err_set(ei, rc, "cannot read the new person");
    response_json(r, 201, api_person_summary(&p));
    return ERR_OK;
}

enum err api_admin_test_email(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"to", NULL};
    const char *to = NULL;
    char answer[512];
    struct person me = {0};
    struct mail_config mail;
    json_t *body;
    enum err rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins send test emails");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "to", &to, 254, true, ei);
    if (to && *to)
        people_check_email(to, "to", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (!to || !*to) {
        rc = store_people_get(r->db, r->arena, r->actor.person_id, &me);
        if (rc)
            return err_set(ei, rc, "cannot read your address");
        to = me.email;
    }
    /* the answer is recorded, never a message body or the server's password */
    settings_mail(r->db, r->arena, api_mail_config(), &mail);
    rc = mail_send_now(&mail, to, "Trellis test email",
                       "This is a test email from Trellis, sent by an administrator to check the "
                       "SMTP settings.\r\n\r\nIf you can read it, email delivery works.\r\n",
                       answer, sizeof(answer));
    /* the message has gone: a failed record of it is logged, not turned into a failed test */
    if (admin_email_tested(r->db, &r->actor, to, rc == ERR_OK, answer) != ERR_OK)
        log_warn("email.test: the audit row of a test email was not written");
    if (rc == ERR_CONFLICT)
        return err_set(ei, ERR_CONFLICT, "%s", answer);
    if (rc) {
        ei->code = "smtp_failed";
        return err_set(ei, ERR_UNAVAILABLE, "the SMTP server did not take the message: %s", answer);
    }
    response_json(r, 200, json_pack("{s:s, s:s}", "to", to, "answer", answer));
    return ERR_OK;
}
