/* SPDX-License-Identifier: MIT */
/* Single sign-on: the providers on the sign-in page, the browser's trip to the provider and
 * back, and the admin's settings. The trip answers with redirects (it is a navigation, not a
 * fetch): a failure lands on the sign-in page with the reason in words. */
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
#include "domain/sso.h"
#include "util/text.h"

#define BROWSER_COOKIE "trellis_sso"

static const char *callback_uri(struct request *r)
{
    return arena_printf(r->arena, "%s" SSO_CALLBACK_PATH, api_base_url(r));
}

static void redirect(struct request *r, const char *location)
{
    request_add_header(r, "Location", location);
    request_add_header(r, "Cache-Control", "no-store");
    response_empty(r, 302);
}

static const char *cookie(struct request *r, const char *value, int max_age)
{
    return arena_printf(r->arena,
                        BROWSER_COOKIE "=%s; Path=/api/v1/sso; HttpOnly; SameSite=Lax; "
                                       "Max-Age=%d%s",
                        value, max_age, accounts_config()->secure_cookies ? "; Secure" : "");
}

/* The sign-in page with msg shown (percent-encoded into the hash's query). */
static void back_to_login(struct request *r, const char *msg)
{
    redirect(r, arena_printf(r->arena, "%s/#/login?sso_error=%s", api_base_url(r),
                             text_url_encode(r->arena, msg)));
}

enum err api_sso_providers(struct request *r, struct errinfo *ei)
{
    json_t *items;
    enum err rc = sso_public_providers(r->db, &items);

    if (rc)
        return err_set(ei, rc, "cannot read the identity providers");
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_sso_start(struct request *r, struct errinfo *ei)
{
    const char *location, *browser;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = sso_begin(r->db, r->arena, id, callback_uri(r), request_query(r, "next"), &location,
                   &browser, ei);
    if (rc) {
        back_to_login(r, ei->message);
        return ERR_OK;
    }
    request_add_header(r, "Set-Cookie", cookie(r, browser, SSO_LOGIN_TTL));
    redirect(r, location);
    return ERR_OK;
}

enum err api_sso_callback(struct request *r, struct errinfo *ei)
{
    const char *token, *next, *error = request_query(r, "error");
    enum err rc;

    request_add_header(r, "Set-Cookie", cookie(r, "", 0));
    if (error) {
        /* the person cancelled or the provider refused: its words, never ours to invent */
        const char *d = request_query(r, "error_description");

        back_to_login(r, arena_printf(r->arena,
                                      "The identity provider did not sign you in (%.80s%s%.160s).",
                                      error, d ? ": " : "", d ? d : ""));
        return ERR_OK;
    }
    rc = sso_finish(r->db, r->arena, callback_uri(r), request_query(r, "code"),
                    request_query(r, "state"), request_cookie(r, BROWSER_COOKIE), r->ip,
                    request_header(r, "User-Agent"), &r->actor, &token, &next, ei);
    if (rc) {
        back_to_login(r, ei->message);
        return ERR_OK;
    }
    api_session_cookie(r, token);
    redirect(r, arena_printf(r->arena, "%s/%s", api_base_url(r), next));
    return ERR_OK;
}

enum err api_sso_settings_get(struct request *r, struct errinfo *ei)
{
    json_t *out;
    enum err rc = sso_settings_get(r->db, r->arena, &r->actor, api_base_url(r), &out, ei);

    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_sso_settings_patch(struct request *r, struct errinfo *ei)
{
    json_t *body, *out;
    enum err rc = api_body(r, &body, ei);

    if (rc == ERR_OK)
        rc = sso_settings_patch(r->db, r->arena, &r->actor, api_base_url(r), body, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_sso_provider_create(struct request *r, struct errinfo *ei)
{
    json_t *body, *out;
    enum err rc = api_body(r, &body, ei);

    if (rc == ERR_OK)
        rc = sso_provider_create(r->db, r->arena, &r->actor, api_base_url(r), body, &out, ei);
    if (rc)
        return rc;
    response_json(r, 201, out);
    return ERR_OK;
}

enum err api_sso_provider_patch(struct request *r, struct errinfo *ei)
{
    json_t *body, *out;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc == ERR_OK)
        rc = sso_provider_patch(r->db, r->arena, &r->actor, api_base_url(r), id, body, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_sso_provider_delete(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = sso_provider_delete(r->db, r->arena, &r->actor, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}
