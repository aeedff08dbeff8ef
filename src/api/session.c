/* SPDX-License-Identifier: MIT */
/* Sign in and out, the caller's own account and API tokens, admin password resets and token
 * revocation. */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "domain/settings.h"
#include "domain/accounts.h"
#include "store/accounts.h"
#include "store/people.h"
#include "util/jsonw.h"
#include "util/jsonx.h"

/* {person, role, is_manager, csrf} for the actor who just signed in. */
static enum err me_object(struct request *r, json_t **out)
{
    struct person p;
    enum err rc = store_people_get(r->db, r->arena, r->actor.person_id, &p);

    if (rc)
        return rc;
    *out = json_pack("{s:o, s:s, s:b, s:s}", "person", api_person_summary(&p), "role",
                     policy_role_name(r->actor.role), "is_manager", p.reports_count > 0, "csrf",
                     r->actor.csrf);
    return *out ? ERR_OK : ERR_INTERNAL;
}

/* Whether the request says its body is JSON: "application/json", any parameters after ";". */
static bool json_body(struct request *r)
{
    const char *t = request_header(r, "Content-Type");
    static const char json[] = "application/json";

    if (!t)
        return false;
    while (*t == ' ' || *t == '\t')
        t++;
    if (strncasecmp(t, json, sizeof(json) - 1) != 0)
        return false;
    t += sizeof(json) - 1;
    while (*t == ' ' || *t == '\t')
        t++;
    return *t == '\0' || *t == ';';
}

void api_session_cookie(struct request *r, const char *token)
{
    request_add_header(
        r, "Set-Cookie",
        arena_printf(r->arena, "trellis_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
                     token, (long long)accounts_config()->session_absolute,
                     accounts_config()->secure_cookies ? "; Secure" : ""));
}

enum err api_session_login(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"email", "password", NULL};
    const char *email = NULL, *password = NULL, *token;
    json_t *body, *out;
    enum err rc;

    /* a form on another site can post a urlencoded, multipart or text/plain body without any
     * preflight; only a JSON body can sign in, so no other site can sign a browser in */
    if (!json_body(r))
        return err_set(ei, ERR_MEDIA_TYPE,
                       "sign in with a JSON body (Content-Type: application/json)");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "email", &email, 254, false, ei), "email", ei);
    jsonx_require(jsonx_str(body, "password", &password, 256, false, ei), "password", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    rc = accounts_login(r->db, r->arena, email, password, r->ip, request_header(r, "User-Agent"),
                        &r->actor, &token, ei);
    if (rc)
        return rc;
    rc = me_object(r, &out);
    if (rc)
        return rc;
    api_session_cookie(r, token);
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_session_logout(struct request *r, struct errinfo *ei)
{
    enum err rc = accounts_logout(r->db, &r->actor);

    if (rc)
        return err_set(ei, rc, "cannot end the session");
    request_add_header(r, "Set-Cookie",
                       accounts_config()->secure_cookies
                           ? "trellis_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
                           : "trellis_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_me_get(struct request *r, struct errinfo *ei)
{
    struct person p;
    struct buf b;
    struct jsonw w;
    enum err rc;

    buf_init(&b, 16u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_key(&w, "person");
    rc = api_person_detail_write(r, r->actor.person_id, &w, &p);
    if (rc) {
        buf_cleanup(&b);
        return err_set(ei, rc, "cannot read your profile");
    }
    jsonw_kstr(&w, "role", policy_role_name(r->actor.role));
    jsonw_key(&w, "is_manager");
    jsonw_bool(&w, p.reports_count > 0);
    jsonw_kstr(&w, "csrf", r->actor.via_cookie ? r->actor.csrf : NULL);
    jsonw_kstr(&w, "organisation_name", settings_org_name(r->db, r->arena));
    {
        const char *logo = settings_logo_version(r->db, r->arena);

        jsonw_key(&w, "organisation_logo");
        if (logo)
            jsonw_str(&w, logo);
        else
            jsonw_null(&w);
    }
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

enum err api_me_password(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    const char *cur = NULL, *next = NULL;
    json_t *body;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "current_password", &cur, 256, false, ei), "current_password",
                  ei);
    jsonx_require(jsonx_str(body, "new_password", &next, 256, false, ei), "new_password", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = accounts_change_password(r->db, &r->actor, cur, next, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_accounts_reset(struct request *r, struct errinfo *ei)
{
    int64_t id;
    const char *temp;
    struct person p;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);
    if (rc)
        return err_set(ei, rc, "only admins can reset passwords");
    rc = store_people_get(r->db, r->arena, id, &p);
    if (rc)
        return err_set(ei, rc, "no such person");
    rc = accounts_reset_password(r->db, r->arena, &r->actor, id, &temp, ei);
    if (rc)
        return rc;
    response_json(r, 200, json_pack("{s:s}", "temporary_password", temp));
    return ERR_OK;
}

/* {items: [...]} of person_id's tokens (never a secret or hash). */
static enum err tokens_reply(struct request *r, int64_t person_id, struct errinfo *ei)
{
    json_t *items;
    enum err rc = store_tokens_list(r->db, person_id, &items);

    if (rc)
        return err_set(ei, rc, "cannot read the API tokens");
    response_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
    return ERR_OK;
}

enum err api_me_tokens_list(struct request *r, struct errinfo *ei)
{
    return tokens_reply(r, r->actor.person_id, ei);
}

enum err api_me_tokens_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name", "expires_in_days", NULL};
    const char *name = NULL;
    int64_t days = 0;
    struct issued_token t;
    json_t *body;
    enum jsonx_got got;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    /* the domain counts characters (1-100); this bound only stops absurd bodies */
    jsonx_require(jsonx_str(body, "name", &name, 4096, false, ei), "name", ei);
    got = jsonx_int(body, "expires_in_days", &days, true, ei);
    if (got == JSONX_SET && (days < 1 || days > 365))
        err_field(ei, "expires_in_days", "must be a whole number of days from 1 to 365");
    if (got != JSONX_SET)
        days = 0;
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    /* a leaked token must not be able to mint tokens that outlive its own revocation */
    if (!r->actor.via_cookie)
        return err_set(ei, ERR_FORBIDDEN,
                       "API tokens are created when signed in, or with trellis user token");
    rc = accounts_issue_token(r->db, r->arena, r->actor.person_id, r->actor.person_id, name, days,
                              &t, ei);
    if (rc)
        return rc;
    response_json(r, 201,
                  json_pack("{s:I, s:s, s:s, s:o, s:n, s:n, s:s}", "id", (json_int_t)t.id, "name",
                            name, "created_at", t.created_at, "expires_at",
                            jsonx_str_or_null(t.expires_at), "last_used_at", "revoked_at", "token",
                            t.token));
    return ERR_OK;
}

enum err api_me_tokens_delete(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = accounts_revoke_token(r->db, r->actor.person_id, r->actor.person_id, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

/* The admin check and the person of path parameter 0. */
static enum err account_of_path(struct request *r, int64_t *person_id, struct errinfo *ei)
{
    struct person p;
    enum err rc = api_path_id(r, 0, person_id, ei);

    if (rc)
        return rc;
    rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);
    if (rc)
        return err_set(ei, rc, "only admins can manage other people's API tokens");
    rc = store_people_get(r->db, r->arena, *person_id, &p);
    if (rc)
        return err_set(ei, rc, "no such person");
    return ERR_OK;
}

enum err api_account_tokens_list(struct request *r, struct errinfo *ei)
{
    int64_t person;
    enum err rc = account_of_path(r, &person, ei);

    return rc ? rc : tokens_reply(r, person, ei);
}

enum err api_account_tokens_delete(struct request *r, struct errinfo *ei)
{
    int64_t person, id;
    enum err rc = account_of_path(r, &person, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 1, &id, ei);
    if (rc == ERR_OK)
        rc = accounts_revoke_token(r->db, r->actor.person_id, person, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}
