/* SPDX-License-Identifier: MIT */
/* Sign in and out, the caller's own account, admin password resets. */
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
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

enum err api_session_login(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"email", "password", NULL};
    const char *email = NULL, *password = NULL, *token;
    json_t *body, *out;
    enum err rc = api_body(r, &body, ei);

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
    request_add_header(
        r, "Set-Cookie",
        arena_printf(r->arena, "trellis_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
                     token, (long long)accounts_config()->session_absolute,
                     accounts_config()->secure_cookies ? "; Secure" : ""));
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
