/* SPDX-License-Identifier: MIT */
/* /api/v1/admin/outbox: the email outbox for admins (failed messages first of all), and
 * queueing a failed message again. */
#include <string.h>

#include "api/api.h"
#include "domain/oneonones.h"
#include "store/oneonones.h"

enum err api_outbox_list(struct request *r, struct errinfo *ei)
{
    struct outbox_msg *v;
    size_t n;
    int limit;
    json_t *items;
    const char *status = request_query(r, "status");
    enum err rc = policy_check(r->db, &r->actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can read the email outbox");
    if (!status || !*status)
        status = "failed";
    if (strcmp(status, "failed") != 0 && strcmp(status, "queued") != 0 &&
        strcmp(status, "sent") != 0)
        err_field(ei, "status", "must be failed, queued or sent");
    if (api_limit(r, &limit, ei))
        return ERR_VALIDATION;
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = store_outbox_list(r->db, r->arena, status, limit, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read the email outbox");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?, s:s, s:s?, s:s?, s:s?}", "id",
                             (json_int_t)v[i].id, "to", v[i].recipient, "subject", v[i].subject,
                             "status", v[i].status, "attempts", (json_int_t)v[i].attempts,
                             "last_error", v[i].last_error, "created_at", v[i].created_at,
                             "next_attempt_at", v[i].next_attempt_at, "sent_at", v[i].sent_at,
                             "message_id", v[i].message_id));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_outbox_retry(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = outbox_retry(r->db, &r->actor, id, ei);
    if (rc)
        return rc;
    response_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "queued"));
    return ERR_OK;
}
