/* SPDX-License-Identifier: MIT */
/* GET /api/v1/me/tasks: the caller's task inbox, and for a manager their team's status. Only
 * the caller's own items: reviews they write, requests asked of them, their reports' plans and
 * nominations. Nothing here names who wrote a peer review of the caller. */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "api/api.h"
#include "store/tasks.h"
#include "util/timeutil.h"

/* The inbox is sorted by due date (undated last), then in the order the kinds were read. */
struct slot {
    json_t *item;
    size_t order;
};

static int by_due(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    const char *dx = json_string_value(json_object_get(x->item, "due"));
    const char *dy = json_string_value(json_object_get(y->item, "due"));
    int c;

    if (dx && dy && (c = strcmp(dx, dy)) != 0)
        return c;
    if (!dx != !dy)
        return dx ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static json_t *sorted(json_t *items)
{
    size_t n = json_array_size(items), i;
    struct slot *v = xcalloc(n ? n : 1, sizeof(*v));
    json_t *out = json_array();

    if (!v)
        return out;
    for (i = 0; i < n; i++)
        v[i] = (struct slot){json_array_get(items, i), i};
    qsort(v, n, sizeof(*v), by_due);
    for (i = 0; i < n; i++)
        json_array_append(out, v[i].item);
    free(v);
    return out;
}

enum err api_me_tasks(struct request *r, struct errinfo *ei)
{
    char today[11], stale[21];
    struct task_clock k = {today, stale};
    bool hr = r->actor.role == ROLE_HR || r->actor.role == ROLE_ADMIN;
    int64_t now = time_now();
    json_t *items = json_array(), *team = NULL, *doc;
    enum err rc;

    time_date(now, today);
    time_rfc3339(now - 30 * 86400, stale);
    rc = store_tasks_of(r->db, r->actor.person_id, hr, &k, items);
    if (rc == ERR_OK)
        rc = store_team_status(r->db, r->actor.person_id, &k, &team);
    if (rc) {
        json_decref(items);
        return err_set(ei, rc, "cannot read your tasks");
    }
    doc = json_pack("{s:o}", "items", sorted(items));
    json_decref(items);
    /* only a manager has a team block */
    if (json_array_size(team))
        json_object_set_new(doc, "team", team);
    else
        json_decref(team);
    response_json(r, 200, doc);
    return ERR_OK;
}
