/* SPDX-License-Identifier: MIT */
/* /api/v1/feedback and /api/v1/feedback-requests: continuous feedback and recognition. */
#include <string.h>

#include "api/api.h"
#include "domain/feedback.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static json_t *fb_json(const struct feedback *f)
{
    return json_pack(
        "{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:s?, s:s, s:o, s:s}", "id", (json_int_t)f->id,
        "author", "id", (json_int_t)f->author_id, "name", f->author_name, "recipient", "id",
        (json_int_t)f->recipient_id, "name", f->recipient_name, "kind", f->kind, "visibility",
        f->visibility, "company_value", f->company_value, "body", f->body, "request_id",
        f->request_id ? json_integer(f->request_id) : json_null(), "created_at", f->created_at);
}

static json_t *req_json(const struct feedback_request *q)
{
    return json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s?, s:s, s:o, s:s?, s:s, s:s}", "id",
                     (json_int_t)q->id, "requester", "id", (json_int_t)q->requester_id, "name",
                     q->requester_name, "asked", "id", (json_int_t)q->asked_id, "name",
                     q->asked_name, "topic", q->topic, "due_date", q->due_date, "status", q->status,
                     "feedback_id", q->feedback_id ? json_integer(q->feedback_id) : json_null(),
                     "decline_reason", q->decline_reason, "created_at", q->created_at, "updated_at",
                     q->updated_at);
}

/* kind, visibility, company_value, body from the body (recipient handled by callers). */
static void read_fb(json_t *body, struct feedback *f, const char *const *allowed,
                    struct errinfo *ei)
{
    f->kind = "praise";
    f->visibility = "private";
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "kind", &f->kind, 20, false, ei);
    jsonx_str(body, "visibility", &f->visibility, 20, false, ei);
    jsonx_str(body, "company_value", &f->company_value, 40, true, ei);
    jsonx_require(jsonx_str(body, "body", &f->body, 5000, false, ei), "body", ei);
}

static enum err respond_fb(struct request *r, int status, int64_t id, struct errinfo *ei)
{
    struct feedback f;
    enum err rc = store_feedback_get(r->db, r->arena, id, &f);

    if (rc)
        return err_set(ei, rc, "cannot read the feedback");
    response_json(r, status, fb_json(&f));
    return ERR_OK;
}

enum err api_feedback_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"recipient_id",  "kind", "visibility",
                                          "company_value", "body", NULL};
    struct feedback f = {0};
    struct person p;
    json_t *body;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    read_fb(body, &f, allowed, ei);
    jsonx_require(jsonx_int(body, "recipient_id", &f.recipient_id, false, ei), "recipient_id", ei);
    f.author_id = r->actor.person_id;
    feedback_validate(&f, ei);
    feedback_check_value(r->db, &f, ei);
    if (f.recipient_id > 0 && !ei->nfields &&
        (store_people_get(r->db, r->arena, f.recipient_id, &p) != ERR_OK ||
         strcmp(p.status, "active") != 0))
        err_field(ei, "recipient_id", "no such person");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = feedback_give(r->db, &r->actor, &f, ei);
    return rc ? rc : respond_fb(r, 201, f.id, ei);
}

enum err api_feedback_list(struct request *r, struct errinfo *ei)
{
    const char *given = request_query(r, "given"), *wall = request_query(r, "wall");
    enum feedback_scope scope = FB_RECEIVED;
    int64_t person = 0, before = 0;
    struct feedback *v;
    size_t n, shown = 0;
    int limit;
    json_t *items;
    enum err rc = api_limit(r, &limit, ei);

    if (rc || api_query_id(r, "person", &person, ei) || api_query_id(r, "cursor", &before, ei))
        return rc ? rc : ERR_VALIDATION;
    if (wall && strcmp(wall, "1") == 0)
        scope = FB_WALL;
    else if (given && strcmp(given, "1") == 0) {
        scope = FB_GIVEN;
        person = r->actor.person_id; /* what one gave is one's own business */
    }
    if (!person)
        person = r->actor.person_id;
    items = json_array();
    /* read pages until the visible items fill the limit: hidden ones are skipped, not shown */
    for (int round = 0; round < 20 && shown < (size_t)limit; round++) {
        rc = store_feedback_list(r->db, r->arena, scope, person, before, limit + 1, &v, &n);
        if (rc) {
            json_decref(items);
            return err_set(ei, rc, "cannot read feedback");
        }
        for (size_t i = 0; i < n && shown < (size_t)limit; i++) {
            struct subject sub = feedback_subject(&r->actor, &v[i]);

            before = v[i].id;
            if (policy_check(r->db, &r->actor, ACT_FEEDBACK_READ, &sub) != ERR_OK)
                continue;
            json_array_append_new(items, fb_json(&v[i]));
            shown++;
        }
        if (n <= (size_t)limit)
            break;
    }
    response_json(
        r, 200,
        json_pack("{s:o, s:o}", "items", items, "next_cursor",
                  shown == (size_t)limit ? json_sprintf("%lld", (long long)before) : json_null()));
    return ERR_OK;
}

enum err api_feedback_get(struct request *r, struct errinfo *ei)
{
    struct feedback f;
    struct subject sub;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_feedback_get(r->db, r->arena, id, &f);
    if (rc == ERR_OK) {
        sub = feedback_subject(&r->actor, &f);
        rc = policy_check(r->db, &r->actor, ACT_FEEDBACK_READ, &sub);
    }
    if (rc)
        return err_set(ei, rc, "no such feedback");
    response_json(r, 200, fb_json(&f));
    return ERR_OK;
}

enum err api_feedback_requests_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"asked_ids", "topic", "due_date", NULL};
    struct feedback_request q[FEEDBACK_MAX_ASKED];
    const char *topic = NULL, *due = NULL;
    json_t *body, *arr, *v, *items;
    size_t n = 0, i;
    char today[11];
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "topic", &topic, 500, false, ei), "topic", ei);
    jsonx_str(body, "due_date", &due, 10, true, ei);
    time_date(time_now(), today);
    if (due && !time_valid_date(due))
        err_field(ei, "due_date", "must be a date written YYYY-MM-DD");
    else if (due && strcmp(due, today) < 0)
        err_field(ei, "due_date", "must not be in the past");
    arr = json_object_get(body, "asked_ids");
    if (!json_is_array(arr) || json_array_size(arr) == 0 ||
        json_array_size(arr) > FEEDBACK_MAX_ASKED)
        err_field(ei, "asked_ids", "must name 1 to %d coworkers", FEEDBACK_MAX_ASKED);
    else
        json_array_foreach(arr, i, v)
        {
            struct person p;

            memset(&q[n], 0, sizeof(q[n]));
            if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                err_field(ei, "asked_ids", "must hold person ids");
                break;
            }
            q[n].asked_id = json_integer_value(v);
            if (q[n].asked_id == r->actor.person_id) {
                err_field(ei, "asked_ids", "ask someone other than yourself");
                break;
            }
            for (size_t k = 0; k < n; k++)
                if (q[k].asked_id == q[n].asked_id)
                    err_field(ei, "asked_ids", "names the same person twice");
            if (store_people_get(r->db, r->arena, q[n].asked_id, &p) != ERR_OK ||
                strcmp(p.status, "active") != 0) {
                err_field(ei, "asked_ids", "person %lld does not exist", (long long)q[n].asked_id);
                break;
            }
            q[n].topic = topic;
            q[n].due_date = due;
            n++;
        }
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = feedback_request(r->db, &r->actor, q, n, ei);
    if (rc)
        return rc;
    items = json_array();
    for (i = 0; i < n; i++) {
        struct feedback_request got;

        if (store_feedback_requests_get(r->db, r->arena, q[i].id, &got) == ERR_OK)
            json_array_append_new(items, req_json(&got));
    }
    response_json(r, 201, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_feedback_requests_list(struct request *r, struct errinfo *ei)
{
    const char *mine = request_query(r, "mine");
    struct feedback_request *v;
    size_t n;
    json_t *items;
    enum err rc = store_feedback_requests_list(r->db, r->arena, r->actor.person_id,
                                               mine && strcmp(mine, "1") == 0, &v, &n);

    if (rc)
        return err_set(ei, rc, "cannot read requests");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, req_json(&v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

/* The request {id}, when the caller is the person asked (others: 404). */
static enum err load_asked(struct request *r, struct feedback_request *q, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_feedback_requests_get(r->db, r->arena, id, q);
    if (rc == ERR_OK && q->asked_id != r->actor.person_id)
        rc = ERR_NOT_FOUND;
    if (rc)
        return err_set(ei, rc, "no such request");
    if (strcmp(q->status, "open") != 0)
        return err_set(ei, ERR_CONFLICT, "this request is already %s", q->status);
    return ERR_OK;
}

enum err api_feedback_requests_answer(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"kind", "visibility", "company_value", "body", NULL};
    struct feedback_request q;
    struct feedback f = {0};
    json_t *body;
    enum err rc = load_asked(r, &q, ei);

    if (rc)
        return rc;
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    read_fb(body, &f, allowed, ei);
    f.author_id = r->actor.person_id;
    f.recipient_id = q.requester_id;
    feedback_validate(&f, ei);
    feedback_check_value(r->db, &f, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = feedback_answer(r->db, &r->actor, &q, &f, ei);
    return rc ? rc : respond_fb(r, 201, f.id, ei);
}

enum err api_feedback_requests_decline(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"reason", NULL};
    struct feedback_request q, got;
    const char *reason = NULL;
    json_t *body = NULL;
    enum err rc = load_asked(r, &q, ei);

    if (rc)
        return rc;
    if (r->body.len) {
        rc = api_body(r, &body, ei);
        if (rc)
            return rc;
        jsonx_only(body, allowed, ei);
        jsonx_str(body, "reason", &reason, 500, true, ei);
        rc = err_fields_result(ei);
        if (rc)
            return rc;
    }
    rc = feedback_decline(r->db, &r->actor, &q, reason, ei);
    if (rc == ERR_OK)
        rc = store_feedback_requests_get(r->db, r->arena, q.id, &got);
    if (rc)
        return rc;
    response_json(r, 200, req_json(&got));
    return ERR_OK;
}
