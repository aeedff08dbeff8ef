/* SPDX-License-Identifier: MIT */
/* /api/v1/departments: the department tree. */
#include "api/api.h"
#include "store/people.h"

/* Builds the subtree of parent (0 = roots) from the flat list; depth bounds bad data. */
static json_t *children(const struct department *v, size_t n, int64_t parent, int depth)
{
    json_t *a = json_array();

    if (depth > 32)
        return a;
    for (size_t i = 0; i < n; i++) {
        if (v[i].parent_id != parent)
            continue;
        json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:I, s:o}", "id", (json_int_t)v[i].id,
                                           "name", v[i].name, "parent_id",
                                           parent ? json_integer(parent) : json_null(),
                                           "people_count", (json_int_t)v[i].people_count,
                                           "children", children(v, n, v[i].id, depth + 1)));
    }
    return a;
}

enum err api_departments_list(struct request *r, struct errinfo *ei)
{
    struct department *v;
    size_t n;
    enum err rc = policy_check(r->db, &r->actor, ACT_DIRECTORY_READ, NULL);

    if (rc)
        return err_set(ei, rc, "not allowed");
    rc = store_departments_list(r->db, r->arena, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read departments");
    response_json(r, 200, json_pack("{s:o}", "items", children(v, n, 0, 0)));
    return ERR_OK;
}
