/* SPDX-License-Identifier: MIT */
/* /api/v1/notifications (the in-app notification centre) and the private calendar feed. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/calendar.h"
#include "domain/notify.h"
#include "store/oneonones.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

enum err api_notifications_list(struct request *r, struct errinfo *ei)
{
    struct notification *v;
    size_t n;
    int limit;
    json_t *items;
    enum err rc = api_limit(r, &limit, ei);

    if (rc)
        return rc;
    rc = store_notifications_of(r->db, r->arena, r->actor.person_id, limit, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read notifications");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?}", "id",
                                               (json_int_t)v[i].id, "kind", v[i].kind, "body",
                                               v[i].body, "link", v[i].link, "created_at",
                                               v[i].created_at, "read_at", v[i].read_at));
    response_json(r, 200,
                  json_pack("{s:o, s:I}", "items", items, "unread",
                            (json_int_t)store_notifications_unread(r->db, r->actor.person_id)));
    return ERR_OK;
}

enum err api_notifications_read(struct request *r, struct errinfo *ei)
{
    char now[21];
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    /* someone else's notification does not exist for the caller */
    rc = store_notifications_read(r->db, id, r->actor.person_id, now);
    if (rc)
        return err_set(ei, rc, "no such notification");
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_notifications_read_all(struct request *r, struct errinfo *ei)
{
    char now[21];
    int64_t up_to;
    enum err rc = api_query_id(r, "up_to", &up_to, ei);

    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = store_notifications_read_all(r->db, r->actor.person_id, up_to, now);
    if (rc)
        return err_set(ei, rc, "cannot mark the notifications read");
    response_json(r, 200,
                  json_pack("{s:I}", "unread",
                            (json_int_t)store_notifications_unread(r->db, r->actor.person_id)));
    return ERR_OK;
}

enum err api_calendar_create(struct request *r, struct errinfo *ei)
{
    char token[64], path[160];
    const char *base = api_public_url();
    enum err rc = calendar_feed_issue(r->db, &r->actor, token);

    if (rc)
        return err_set(ei, rc, "cannot create the calendar feed");
    snprintf(path, sizeof(path), "/api/v1/calendar/%s.ics", token);
    /* the token is shown once: only its keyed hash is stored */
    response_json(r, 201,
                  json_pack("{s:s, s:s}", "path", path, "url",
                            base ? arena_printf(r->arena, "%s%s", base, path) : path));
    return ERR_OK;
}

enum err api_calendar_delete(struct request *r, struct errinfo *ei)
{
    enum err rc = calendar_feed_revoke(r->db, &r->actor);

    if (rc)
        return err_set(ei, rc, "cannot revoke the calendar feed");
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_calendar_feed(struct request *r, struct errinfo *ei)
{
    char token[64], hash[65];
    const char *p = r->nparams ? r->params[0] : "";
    size_t len = strlen(p);
    int64_t person;
    char *ics;

    if (len < 5 || len >= sizeof(token) + 4 || strcmp(p + len - 4, ".ics") != 0)
        return err_set(ei, ERR_NOT_FOUND, "no such calendar");
    memcpy(token, p, len - 4);
    token[len - 4] = '\0';
    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    accounts_token_hash(token, hash);
    person = store_calendar_person(r->db, hash);
    if (!person)
        return err_set(ei, ERR_NOT_FOUND, "no such calendar");
    ics = calendar_feed(r->db, r->arena, person);
    if (!ics)
        return err_set(ei, ERR_INTERNAL, "cannot build the calendar");
    response_bytes(r, 200, "text/calendar; charset=utf-8", ics, strlen(ics));
    free(ics);
    return ERR_OK;
}

enum err api_notification_prefs_get(struct request *r, struct errinfo *ei)
{
    json_t *out;
    enum err rc = notify_prefs_get(r->db, r->actor.person_id, &out, ei);

    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_notification_prefs_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"kinds", "digest", NULL};
    json_t *body, *kinds, *out = NULL;
    bool digest = false;
    enum jsonx_got got;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    kinds = json_object_get(body, "kinds");
    if (kinds && !json_is_object(kinds))
        err_field(ei, "kinds", "must be an object of kind: app, email or off");
    got = jsonx_bool(body, "digest", &digest, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    json_t *none = json_object();

    rc = notify_prefs_set(r->db, &r->actor, kinds ? kinds : none, got == JSONX_SET ? &digest : NULL,
                          &out, ei);
    json_decref(none);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}
