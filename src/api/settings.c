/* SPDX-License-Identifier: MIT */
/* /api/v1/settings: what an admin sets for the whole organisation (domain/settings.h). Everyone
 * signed in reads it (the name, the values praise is given for); admins change it. */
#include <string.h>

#include "api/api.h"
#include "domain/settings.h"

enum err api_settings_get(struct request *r, struct errinfo *ei)
{
    (void)ei;
    response_json(r, 200, settings_json(r->db, r->arena));
    return ERR_OK;
}

enum err api_settings_patch(struct request *r, struct errinfo *ei)
{
    json_t *body, *out = NULL;
    enum err rc = api_body(r, &body, ei);

    if (rc == ERR_OK)
        rc = settings_patch(r->db, r->arena, &r->actor, body, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_settings_email_get(struct request *r, struct errinfo *ei)
{
    json_t *out = NULL;
    enum err rc = settings_email_get(r->db, r->arena, &r->actor, api_mail_config(), &out, ei);

    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_settings_email_patch(struct request *r, struct errinfo *ei)
{
    json_t *body, *out = NULL;
    enum err rc = api_body(r, &body, ei);

    if (rc == ERR_OK)
        rc = settings_email_patch(r->db, r->arena, &r->actor, api_mail_config(), body, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

/* GET /api/v1/settings/logo: the image, cached by the browser until the version in its URL
 * changes (settings.logo). */
enum err api_settings_logo_get(struct request *r, struct errinfo *ei)
{
    const char *type, *version;
    const void *bytes;
    size_t len;

    if (!settings_logo(r->db, r->arena, &type, &bytes, &len, &version))
        return err_set(ei, ERR_NOT_FOUND, "the organisation has no logo");
    request_add_header(r, "ETag", arena_printf(r->arena, "\"%s\"", version));
    r->cache_control = "private, max-age=86400";
    response_bytes(r, 200,
                   strcmp(type, "image/png") == 0    ? "image/png"
                   : strcmp(type, "image/jpeg") == 0 ? "image/jpeg"
                                                     : "image/webp",
                   bytes, len);
    return ERR_OK;
}

/* PUT /api/v1/settings/logo: the image file as the body (admins). */
enum err api_settings_logo_put(struct request *r, struct errinfo *ei)
{
    enum err rc = settings_logo_put(r->db, r->arena, &r->actor, request_header(r, "Content-Type"),
                                    r->body.p ? r->body.p : "", r->body.len, ei);
    if (rc)
        return rc;
    response_json(r, 200, settings_json(r->db, r->arena));
    return ERR_OK;
}

enum err api_settings_logo_delete(struct request *r, struct errinfo *ei)
{
    enum err rc = settings_logo_put(r->db, r->arena, &r->actor, NULL, NULL, 0, ei);

    if (rc)
        return rc;
    response_json(r, 200, settings_json(r->db, r->arena));
    return ERR_OK;
}
