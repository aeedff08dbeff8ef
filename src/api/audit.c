/* SPDX-License-Identifier: MIT */
/* /api/v1/audit: who changed what, for HR and admins. */
#include <string.h>

#include "api/api.h"
#include "store/audit.h"
#include "util/jsonx.h"

static json_t *image(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;

    return v ? v : json_null();
}

enum err api_audit_list(struct request *r, struct errinfo *ei)
{
    struct audit_query q = {0};
    struct audit_row *v;
    size_t n;
    int limit;
    json_t *items, *out;
    const char *cursor;
    enum err rc = policy_check(r->db, &r->actor, ACT_AUDIT_READ, NULL);

    if (rc)
        return err_set(ei, rc, "only HR and admins can read the audit log");
    if (api_limit(r, &limit, ei) || api_query_id(r, "entity_id", &q.entity_id, ei) ||
        api_query_id(r, "actor", &q.actor_id, ei))
        return ERR_VALIDATION;
    q.entity = request_query(r, "entity");
    if (q.entity && strlen(q.entity) > 40)
        err_field(ei, "entity", "must be at most 40 bytes");
    if (q.entity && !*q.entity)
        q.entity = NULL;
    cursor = request_query(r, "cursor");
    if (cursor && *cursor && api_query_id(r, "cursor", &q.before_id, ei))
        err_field(ei, "cursor", "is not a cursor this server gave out");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    q.limit = limit + 1;
    rc = store_audit_list(r->db, r->arena, &q, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read the audit log");
    items = json_array();
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *o = json_object();

        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "at", json_string(v[i].at));
        json_object_set_new(
            o, "actor",
            v[i].actor_id
                ? json_pack("{s:I, s:s?}", "id", (json_int_t)v[i].actor_id, "name", v[i].actor_name)
                : json_null());
        json_object_set_new(o, "action", json_string(v[i].action));
        json_object_set_new(o, "entity", json_string(v[i].entity));
        json_object_set_new(o, "entity_id",
                            v[i].entity_id ? json_integer(v[i].entity_id) : json_null());
        json_object_set_new(o, "before", image(v[i].before_json));
        json_object_set_new(o, "after", image(v[i].after_json));
        json_array_append_new(items, o);
    }
    out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
                    n > (size_t)limit ? json_sprintf("%lld", (long long)v[limit - 1].id)
                                      : json_null());
    response_json(r, 200, out);
    return ERR_OK;
}
