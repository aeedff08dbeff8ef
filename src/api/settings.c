/* SPDX-License-Identifier: MIT */
/* /api/v1/settings: what an admin sets for the whole organisation (domain/settings.h). Everyone
 * signed in reads it (the name, the values praise is given for); admins change it. */
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
