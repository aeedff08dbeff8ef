/* SPDX-License-Identifier: MIT */
/* /api/v1/admin/webhooks: signed webhook endpoints for admins (docs/api-webhooks.md): register,
 * change, delete, rotate the secret (shown once), send a test event, read the deliveries with
 * their attempts and queue a failed delivery again. */
#include <string.h>

#include "api/api.h"
#include "domain/webhooks.h"
#include "store/webhooks.h"
#include "util/jsonx.h"

static enum err require_admin(struct request *r, struct errinfo *ei)
{
    enum err rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);

    return rc ? err_set(ei, rc, "only an admin manages webhooks") : ERR_OK;
}

/* event_kinds "a,b" as a JSON array, in place. */
static void kinds_array(json_t *row)
{
    const char *s = json_string_value(json_object_get(row, "event_kinds"));
    json_t *arr = json_array();

    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);

        if (n)
            json_array_append_new(arr, json_stringn(s, n));
        s = comma ? comma + 1 : s + n;
    }
    json_object_set_new(row, "event_kinds", arr);
}

static json_t *kinds_json(void)
{
    json_t *k = json_array();

    for (size_t i = 0; webhook_kinds[i]; i++)
        json_array_append_new(k, json_string(webhook_kinds[i]));
    return k;
}

static enum err read_in(struct request *r, struct webhook_in *in, struct errinfo *ei)
{
    static const char *const allowed[] = {"url", "description", "event_kinds", "active", NULL};
    json_t *body, *kinds;
    enum err rc = api_body(r, &body, ei);
    enum jsonx_got g;

    if (rc)
        return rc;
    memset(in, 0, sizeof(*in));
    jsonx_only(body, allowed, ei);
    g = jsonx_str(body, "url", &in->url, 2000, false, ei);
    in->has_url = g == JSONX_SET;
    if (g == JSONX_ABSENT && json_object_get(body, "url"))
        in->has_url = true; /* "" is a URL problem, not a missing field */
    g = jsonx_str(body, "description", &in->description, 500, true, ei);
    in->has_description = g == JSONX_SET || g == JSONX_NULL;
    in->has_active = jsonx_bool(body, "active", &in->active, ei) == JSONX_SET;
    kinds = json_object_get(body, "event_kinds");
    if (kinds) {
        size_t i;
        json_t *k;

        if (!json_is_array(kinds) || json_array_size(kinds) > WEBHOOK_MAX_KINDS) {
            err_field(ei, "event_kinds", "must be a list of at most %d event kinds",
                      WEBHOOK_MAX_KINDS);
        } else {
            in->has_kinds = true;
            json_array_foreach(kinds, i, k)
            {
                if (!json_is_string(k)) {
                    err_field(ei, "event_kinds", "must be a list of event kind names");
                    break;
                }
                in->kinds[in->nkinds++] = json_string_value(k);
            }
        }
    }
    return err_fields_result(ei);
}

static enum err answer_one(struct request *r, int64_t id, int status, const char *secret,
                           struct errinfo *ei)
{
    json_t *row = NULL;
    enum err rc = store_webhooks_get_json(r->db, id, &row);

    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such webhook endpoint");
    if (rc)
        return err_set(ei, rc, "cannot read the webhook endpoint");
    kinds_array(row);
    if (secret)
        json_object_set_new(row, "secret", json_string(secret));
    response_json(r, status, row);
    return ERR_OK;
}

enum err api_webhooks_list(struct request *r, struct errinfo *ei)
{
    json_t *items = NULL, *row;
    size_t i;
    enum err rc = require_admin(r, ei);

    if (rc)
        return rc;
    rc = store_webhooks_list(r->db, &items);
    if (rc)
        return err_set(ei, rc, "cannot read the webhook endpoints");
    json_array_foreach(items, i, row) kinds_array(row);
    response_json(r, 200, json_pack("{s:o, s:o}", "items", items, "event_kinds", kinds_json()));
    return ERR_OK;
}

enum err api_webhooks_create(struct request *r, struct errinfo *ei)
{
    struct webhook_in in;
    const char *secret = NULL;
    int64_t id = 0;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = read_in(r, &in, ei);
    if (rc == ERR_OK)
        rc = webhook_create(r->db, r->arena, &r->actor, &in, &id, &secret, ei);
    if (rc)
        return rc;
    return answer_one(r, id, 201, secret, ei);
}

enum err api_webhooks_get(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc)
        return rc;
    return answer_one(r, id, 200, NULL, ei);
}

enum err api_webhooks_patch(struct request *r, struct errinfo *ei)
{
    struct webhook_in in;
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = read_in(r, &in, ei);
    if (rc == ERR_OK)
        rc = webhook_update(r->db, r->arena, &r->actor, id, &in, ei);
    if (rc)
        return rc;
    return answer_one(r, id, 200, NULL, ei);
}

enum err api_webhooks_delete(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = webhook_delete(r->db, r->arena, &r->actor, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_webhooks_rotate(struct request *r, struct errinfo *ei)
{
    const char *secret = NULL;
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = webhook_rotate(r->db, r->arena, &r->actor, id, &secret, ei);
    if (rc)
        return rc;
    return answer_one(r, id, 200, secret, ei);
}

enum err api_webhooks_test(struct request *r, struct errinfo *ei)
{
    const char *event_id = NULL;
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = webhook_test(r->db, r->arena, &r->actor, id, &event_id, ei);
    if (rc)
        return rc;
    response_json(
        r, 202,
        json_pack("{s:s, s:s, s:s}", "event_id", event_id, "kind", "ping", "status", "queued"));
    return ERR_OK;
}

enum err api_webhooks_deliveries(struct request *r, struct errinfo *ei)
{
    struct webhook_endpoint e;
    json_t *items = NULL;
    int64_t id;
    int limit;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK && api_limit(r, &limit, ei))
        rc = ERR_VALIDATION;
    if (rc)
        return rc;
    rc = store_webhooks_get(r->db, r->arena, id, &e);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such webhook endpoint");
    if (rc == ERR_OK)
        rc = store_webhooks_deliveries(r->db, id, limit, &items);
    if (rc)
        return err_set(ei, rc, "cannot read the deliveries");
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_webhooks_redeliver(struct request *r, struct errinfo *ei)
{
    int64_t id, did;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = api_path_id(r, 1, &did, ei);
    if (rc == ERR_OK)
        rc = webhook_redeliver(r->db, &r->actor, id, did, ei);
    if (rc)
        return rc;
    response_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)did, "status", "queued"));
    return ERR_OK;
}
