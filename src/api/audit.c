/* SPDX-License-Identifier: MIT */
/* /api/v1/audit: who changed what, for HR and admins. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "store/accomplishments.h"
#include "store/audit.h"
#include "store/people.h"
#include "store/feedback.h"
#include "store/reviews.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static json_t *image(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;

    return v ? v : json_null();
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* A goal image is readable when the goal it shows would be: its owner and visibility. */
static bool goal_image_readable(struct request *r, json_t *img)
{
    struct subject sub;

    if (!json_is_object(img))
        return true;
    sub = (struct subject){
        .person_id = json_integer_value(json_object_get(img, "owner_id")),
        .visibility = json_string_value(json_object_get(img, "visibility")),
        .level = json_string_value(json_object_get(img, "level")),
    };
    if (!sub.visibility)
        return false;
    return policy_check(r->db, &r->actor, ACT_GOAL_READ, &sub) == ERR_OK;
}

/* What of audit row x the reader may see: the images only when they may read the item itself
 * (the item's own rule, applied to each image and to the item as it is now), and the actor
 * unless naming them would tell a reviewee who wrote their peer or upward review. */
static void audit_visible(struct request *r, const struct audit_row *x, json_t *before,
                          json_t *after, bool *images, bool *actor)
{
    int64_t me = r->actor.person_id;

    *images = *actor = true;
    if (is(x->entity, "goal")) {
        *images = goal_image_readable(r, before) && goal_image_readable(r, after);
    } else if (is(x->entity, "feedback")) {
        struct feedback f;

        *images = store_feedback_get(r->db, r->arena, x->entity_id, &f) == ERR_OK &&
                  policy_check(r->db, &r->actor, ACT_FEEDBACK_READ,
                               &(struct subject){.person_id = f.recipient_id,
                                                 .visibility = f.visibility,
                                                 .author = f.author_id == me}) == ERR_OK;
    } else if (is(x->entity, "feedback_request")) {
        struct feedback_request q;

        *images = store_feedback_requests_get(r->db, r->arena, x->entity_id, &q) == ERR_OK &&
                  (q.requester_id == me || q.asked_id == me);
    } else if (is(x->entity, "accomplishment")) {
        struct accomplishment a;

        *images =
            store_accomplishments_get(r->db, r->arena, x->entity_id, &a) == ERR_OK &&
            policy_check(r->db, &r->actor, ACT_ACCOMPLISHMENT_READ,
                         &(struct subject){.person_id = a.person_id, .shared = a.shared}) == ERR_OK;
    } else if (is(x->entity, "oneonone_series") || is(x->entity, "oneonone_meeting") ||
               is(x->entity, "action_item")) {
        *images = x->actor_id == me; /* a one-on-one is its two sides' alone; HR reads none */
    } else if (is(x->entity, "mentorship")) {
        /* a mentorship (its goals) is its two sides' alone, as GET /mentorships shows it */
        const json_t *img = after ? after : before;

        *images = img && (json_integer_value(json_object_get(img, "mentor_id")) == me ||
                          json_integer_value(json_object_get(img, "mentee_id")) == me);
    } else if (is(x->entity, "review")) {
        struct review v;

        if (store_reviews_get(r->db, r->arena, x->entity_id, &v) != ERR_OK)
            *images = *actor = false;
        else if (v.reviewee_id == me && v.reviewer_id != me)
            *images = *actor = !(is(v.kind, "peer") || is(v.kind, "upward"));
    } else if (is(x->entity, "review_outcome")) {
        struct review_outcome o;

        /* the person's own outcome: the calibration's potential and notes are not theirs */
        *images =
            store_outcomes_get(r->db, r->arena, x->entity_id, &o) == ERR_OK && o.person_id != me;
    }
}

/* The name of person id into names (by id as text), once. */
static void name_of(struct request *r, json_t *names, json_t *id)
{
    char key[24];
    struct person p;

    if (!json_is_integer(id))
        return;
    snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
    if (json_object_get(names, key))
        return;
    if (store_people_get(r->db, r->arena, json_integer_value(id), &p) == ERR_OK)
        json_object_set_new(names, key, json_string(p.name));
}

/* For the log in words: "subject", the person a row is about, and "names", the people its
 * (visible) images name by id. Directory names only, which every signed-in person may read. */
static void add_names(struct request *r, const struct audit_row *x, json_t *before, json_t *after,
                      json_t *o)
{
    static const char *const keys[] = {"manager_id", "owner_id", "person_id", "recipient_id", NULL};
    json_t *names = json_object();
    struct person p;

    if (is(x->entity, "person") && x->entity_id &&
        store_people_get(r->db, r->arena, x->entity_id, &p) == ERR_OK)
        json_object_set_new(o, "subject",
                            json_pack("{s:I, s:s}", "id", (json_int_t)p.id, "name", p.name));
    for (const char *const *k = keys; *k; k++) {
        name_of(r, names, json_object_get(before, *k));
        name_of(r, names, json_object_get(after, *k));
    }
    json_object_set_new(o, "names", names);
}

enum err api_audit_list(struct request *r, struct errinfo *ei)
{
    struct audit_query q = {0};
    struct audit_filter fl = {0};
    struct audit_row *v;
    size_t n;
    int limit;
    json_t *items, *out;
    const char *cursor, *kind, *from, *to;
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
    kind = request_query(r, "kind");
    if (kind && *kind) {
        size_t k = strspn(kind, "abcdefghijklmnopqrstuvwxyz_");

        if (k == 0 || k > 40 || kind[k] != '\0')
            err_field(ei, "kind", "must be the first part of an action, such as account or person");
        else
            fl.action_like = arena_printf(r->arena, "%s.%%", kind);
    }
    from = request_query(r, "from");
    to = request_query(r, "to");
    if (from && *from) {
        if (!time_valid_date(from))
            err_field(ei, "from", "must be a date written YYYY-MM-DD");
        else
            fl.from = arena_printf(r->arena, "%sT00:00:00Z", from);
    }
    if (to && *to) {
        if (!time_valid_date(to))
            err_field(ei, "to", "must be a date written YYYY-MM-DD");
        else
            fl.to = arena_printf(r->arena, "%sT23:59:59Z", to);
    }
    cursor = request_query(r, "cursor");
    if (cursor && *cursor && api_query_id(r, "cursor", &q.before_id, ei))
        err_field(ei, "cursor", "is not a cursor this server gave out");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    q.limit = limit + 1;
    rc = store_audit_list_where(r->db, r->arena, &q, &fl, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read the audit log");
    items = json_array();
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *o = json_object(), *before = image(v[i].before_json),
               *after = image(v[i].after_json);
        bool images, actor;

        audit_visible(r, &v[i], before, after, &images, &actor);
        if (!actor && q.actor_id) { /* filtering by the actor would name them all the same */
            json_decref(before);
            json_decref(after);
            json_decref(o);
            continue;
        }
        if (!images) {
            json_decref(before);
            json_decref(after);
            before = json_null();
            after = json_null();
        }
        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "at", json_string(v[i].at));
        json_object_set_new(
            o, "actor",
            v[i].actor_id && actor
                ? json_pack("{s:I, s:s?}", "id", (json_int_t)v[i].actor_id, "name", v[i].actor_name)
                : json_null());
        json_object_set_new(o, "action", json_string(v[i].action));
        json_object_set_new(o, "entity", json_string(v[i].entity));
        json_object_set_new(o, "entity_id",
                            v[i].entity_id ? json_integer(v[i].entity_id) : json_null());
        add_names(r, &v[i], before, after, o);
        json_object_set_new(o, "before", before);
        json_object_set_new(o, "after", after);
        if (!images || !actor)
            json_object_set_new(o, "redacted", json_true());
        json_array_append_new(items, o);
    }
    out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
                    n > (size_t)limit ? json_sprintf("%lld", (long long)v[limit - 1].id)
                                      : json_null());
    response_json(r, 200, out);
    return ERR_OK;
}
