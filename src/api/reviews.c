/* SPDX-License-Identifier: MIT */
/* /api/v1/review-templates, review-cycles, reviews and review-outcomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/settings.h"
#include "domain/audit.h"
#include "domain/cycle_progress.h"
#include "domain/feedback.h"
#include "domain/goals.h"
#include "domain/notify.h"
#include "domain/reviews.h"
#include "store/accomplishments.h"
#include "store/analytics.h"
#include "store/notify.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static void decref(void *p)
{
    json_decref(p);
}

/* Parses stored JSON text; the value is released with the request. */
static json_t *parsed(struct request *r, const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;

    if (v)
        arena_defer(r->arena, decref, v);
    return v;
}

enum err api_require_hr(struct request *r, struct errinfo *ei)
{
    enum err rc = policy_check(r->db, &r->actor, ACT_CYCLE_ADMIN, NULL);

    return rc ? err_set(ei, rc, "only HR runs review cycles") : ERR_OK;
}

static json_t *tpl_json(struct request *r, const struct review_template *t)
{
    json_t *q = parsed(r, t->questions);

    /* q belongs to the request; a template whose questions do not parse shows none */
    return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)t->id, "name", t->name, "kind",
                     t->kind, "questions", q ? json_incref(q) : json_array(), "created_at",
                     t->created_at);
}

enum err api_review_templates_list(struct request *r, struct errinfo *ei)
{
    struct review_template *v;
    size_t n;
    json_t *items;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = store_templates_list(r->db, r->arena, &v, &n);
    if (rc)
        return rc == ERR_FORBIDDEN ? rc : err_set(ei, rc, "cannot read templates");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, tpl_json(r, &v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_review_templates_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name", "kind", "questions", NULL};
    struct review_template t = {0};
    json_t *body, *q, *out = NULL;
    char now[21];
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "name", &t.name, 200, false, ei), "name", ei);
    jsonx_require(jsonx_str(body, "kind", &t.kind, 20, false, ei), "kind", ei);
    q = reviews_check_template(t.kind, json_object_get(body, "questions"), ei);
    rc = err_fields_result(ei);
    if (rc) {
        json_decref(q);
        return rc;
    }
    time_rfc3339(time_now(), now);
    t.created_at = now;
    rc = reviews_template_create(r->db, r->arena, &r->actor, &t, q, &out, ei);
    json_decref(q);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the template");
    response_json(r, 201, out);
    return ERR_OK;
}

json_t *api_cycle_json(const struct review_cycle *c)
{
    char today[11];
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:s?, s:s?, s:s?}", "id",
                  (json_int_t)c->id, "name", c->name, "period_start", c->period_start, "period_end",
                  c->period_end, "status", c->status, "threshold", (json_int_t)c->threshold,
                  "peers_per_person", (json_int_t)c->peers_per_person, "manager_sees_peer_names",
                  c->manager_sees_peer_names, "hired_before", c->hired_before, "launched_at",
                  c->launched_at, "released_at", c->released_at);
    const char *keys[] = {"self_template_id", "manager_template_id", "peer_template_id",
                          "upward_template_id", "department_id"};
    int64_t vals[] = {c->self_template_id, c->manager_template_id, c->peer_template_id,
                      c->upward_template_id, c->department_id};

    for (size_t i = 0; i < 5; i++)
        json_object_set_new(o, keys[i], vals[i] ? json_integer(vals[i]) : json_null());
    time_date(time_now(), today);
    json_object_set_new(
        o, "peer_selection",
        json_string(c->peer_selection && *c->peer_selection ? c->peer_selection : "auto"));
    json_object_set_new(o, "min_peers", json_integer(c->min_peers));
    /* a launch in ranges still writing its reviews (the cycle page says how far it got) */
    json_object_set_new(o, "launching", json_boolean(c->launching));
    json_object_set_new(o, "max_requests_per_peer",
                        json_integer((json_int_t)reviews_max_requests(c)));
    json_object_set_new(o, "deadlines",
                        json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "nomination", c->nomination_due,
                                  "self", c->self_due, "peer", c->peer_due, "manager",
                                  c->manager_due, "calibration", c->calibration_due));
    json_object_set_new(o, "phase", json_string(reviews_phase(c, today)));
    return o;
}

/* Reads the optional deadlines object into c; each a date within reach of the period. */
void api_cycle_deadlines(json_t *body, struct review_cycle *c, struct errinfo *ei)
{
    static const char *const allowed[] = {"nomination", "self",        "peer",
                                          "manager",    "calibration", NULL};
    json_t *d = json_object_get(body, "deadlines");
    const char **slots[] = {&c->nomination_due, &c->self_due, &c->peer_due, &c->manager_due,
                            &c->calibration_due};
    const char *prev = NULL, *prev_key = NULL;

    if (!d)
        return;
    if (!json_is_object(d)) {
        err_field(ei, "deadlines", "must be an object of dates by phase");
        return;
    }
    jsonx_only(d, allowed, ei);
    for (size_t i = 0; allowed[i]; i++) {
        char f[32];
        json_t *v = json_object_get(d, allowed[i]);

        snprintf(f, sizeof(f), "deadlines.%s", allowed[i]);
        if (!v)
            continue;
        if (json_is_null(v)) {
            *slots[i] = NULL;
            continue;
        }
        if (!json_is_string(v) || !time_valid_date(json_string_value(v))) {
            err_field(ei, f, "must be a date written YYYY-MM-DD");
            continue;
        }
        *slots[i] = json_string_value(v);
    }
    /* phases follow one another: each deadline on or after the one before */
    for (size_t i = 0; allowed[i]; i++) {
        char f[32];

        if (!*slots[i])
            continue;
        snprintf(f, sizeof(f), "deadlines.%s", allowed[i]);
        if (prev && strcmp(*slots[i], prev) < 0)
            err_field(ei, f, "must not be before the %s deadline", prev_key);
        prev = *slots[i];
        prev_key = allowed[i];
    }
}

enum err api_review_cycles_list(struct request *r, struct errinfo *ei)
{
    struct review_cycle *v;
    size_t n;
    json_t *items;
    enum err rc = policy_check(r->db, &r->actor, ACT_DIRECTORY_READ, NULL);

    if (rc == ERR_OK)
        rc = store_cycles_list(r->db, r->arena, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read cycles");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, api_cycle_json(&v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_review_cycles_create(struct request *r, struct errinfo *ei)
{
    struct review_cycle c = {0};
    struct cycle_body cb = {.r = r, .form = CYCLE_NEW};
    struct cycle_edit e = api_cycle_edit(&cb);
    json_t *out;
    char now[21];
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &cb.body, ei);
    if (rc)
        return rc;
    jsonx_only(cb.body, api_cycle_fields, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    c.peers_per_person = 3;
    time_rfc3339(time_now(), now);
    c.created_at = now;
    c.status = "draft";
    rc = cycle_create(r->db, r->arena, &r->actor, &e, &c, &out, ei);
    if (rc)
        return rc;
    response_json(r, 201, out);
    return ERR_OK;
}

enum err api_load_cycle(struct request *r, struct review_cycle *c, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_cycles_get(r->db, r->arena, id, c);
    return rc ? err_set(ei, rc, "no such cycle") : ERR_OK;
}

enum err api_review_cycles_launch(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    int64_t assignments;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = reviews_launch(r->db, r->arena, &r->actor, &c, &assignments, ei);
    if (rc == ERR_OK)
        rc = store_cycles_get(r->db, r->arena, c.id, &c);
    if (rc)
        return rc;
    response_json(r, 200,
                  json_pack("{s:o, s:I}", "cycle", api_cycle_json(&c), "assignments",
                            (json_int_t)assignments));
    return ERR_OK;
}

enum err api_review_cycles_release(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"department_id", "person_ids", "override", "reason",
                                          NULL};
    struct review_cycle c;
    struct release_request q = {0};
    struct release_counts k;
    json_t *body, *people, *out;
    int64_t *ids = NULL;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_int(body, "department_id", &q.department_id, true, ei);
    jsonx_bool(body, "override", &q.override, ei);
    jsonx_str(body, "reason", &q.reason, 2000, true, ei);
    people = json_object_get(body, "person_ids");
    if (people && !json_is_null(people)) {
        size_t i;
        json_t *x;

        if (!json_is_array(people) || !json_array_size(people) || json_array_size(people) > 1000)
            err_field(ei, "person_ids", "must be a list of 1 to 1000 person ids");
        else {
            ids = arena_alloc(r->arena, json_array_size(people) * sizeof(*ids));
            json_array_foreach(people, i, x)
            {
                if (!json_is_integer(x) || json_integer_value(x) <= 0)
                    err_field(ei, "person_ids", "must be a list of person ids");
                else
                    ids[q.n_persons++] = json_integer_value(x);
            }
        }
        if (q.department_id)
            err_field(ei, "person_ids", "give department_id or person_ids, not both");
    }
    q.person_ids = ids;
    if (q.override && (!q.reason || strlen(q.reason) < 10))
        err_field(ei, "reason", "explain the override in a sentence (it is audited)");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = cycle_release(r->db, r->arena, &r->actor, &c, &q, &k, ei);
    if (rc == ERR_OK)
        rc = store_cycles_get(r->db, r->arena, c.id, &c);
    if (rc)
        return rc == ERR_INTERNAL ? err_set(ei, rc, "cannot release the cycle") : rc;
    out = api_cycle_json(&c);
    json_object_set_new(out, "released_outcomes", json_integer((json_int_t)k.to_release));
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_review_cycles_progress(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    json_t *out;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = cycle_progress(r->db, r->arena, &c, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_review_cycles_remind(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    int64_t reminded, skipped;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = cycle_remind(r->db, r->arena, &r->actor, &c, &reminded, &skipped, ei);
    if (rc)
        return rc;
    response_json(r, 200,
                  json_pack("{s:I, s:I}", "reminded", (json_int_t)reminded, "already_reminded",
                            (json_int_t)skipped));
    return ERR_OK;
}

static struct subject review_subject(struct request *r, const struct review *v,
                                     const struct review_cycle *c, const struct review_outcome *o)
{
    return (struct subject){.person_id = v->reviewee_id,
                            .level = v->kind,
                            .author = v->reviewer_id == r->actor.person_id,
                            .shared = o && o->released_at != NULL,
                            .peer_names = c->manager_sees_peer_names};
}

static json_t *review_json(struct request *r, const struct review *v)
{
    struct review_template t;
    json_t *answers = parsed(r, v->answers), *q = NULL;

    if (store_templates_get(r->db, r->arena, v->template_id, &t) == ERR_OK)
        q = parsed(r, t.questions);
    if (!q) {
        q = json_array();
        arena_defer(r->arena, decref, q);
    }
    if (!answers) {
        answers = json_object();
        arena_defer(r->arena, decref, answers);
    }
    struct review_cycle c = {0};
    const char *due = NULL;

    /* the reviewee reads their released manager review without its manager-only answers */
    if (v->reviewee_id == r->actor.person_id && v->reviewer_id != r->actor.person_id)
        reviews_strip_manager_only(q, answers);
    /* the list says which cycle and by when, in words */
    if (store_cycles_get(r->db, r->arena, v->cycle_id, &c) == ERR_OK)
        due = strcmp(v->kind, "self") == 0      ? c.self_due
              : strcmp(v->kind, "manager") == 0 ? c.manager_due
                                                : c.peer_due;
    return json_pack("{s:I, s:I, s:s?, s:s?, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:O, s:O, s:s?}",
                     "id", (json_int_t)v->id, "cycle_id", (json_int_t)v->cycle_id, "cycle_name",
                     c.name, "due_date", due, "reviewee", "id", (json_int_t)v->reviewee_id, "name",
                     v->reviewee_name, "reviewer", "id", (json_int_t)v->reviewer_id, "name",
                     v->reviewer_name, "kind", v->kind, "status", v->status, "answers", answers,
                     "questions", q, "submitted_at", v->submitted_at);
}

enum err api_reviews_list(struct request *r, struct errinfo *ei)
{
    struct review *v;
    size_t n;
    int64_t cycle = 0;
    json_t *items;
    enum err rc = api_query_id(r, "cycle", &cycle, ei);

    if (rc)
        return rc;
    /* the caller's own assignments: reviews they write */
    rc = store_reviews_by_reviewer(r->db, r->arena, r->actor.person_id, cycle, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read reviews");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, review_json(r, &v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

/* Loads review {id} with its cycle and outcome, and checks act. */
static enum err load_review(struct request *r, enum action act, struct review *v,
                            struct review_cycle *c, struct errinfo *ei)
{
    struct review_outcome o;
    struct subject sub;
    int64_t id;
    bool has_o;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_reviews_get(r->db, r->arena, id, v);
    if (rc == ERR_OK)
        rc = store_cycles_get(r->db, r->arena, v->cycle_id, c);
    if (rc)
        return err_set(ei, rc, "no such review");
    has_o = store_outcomes_find(r->db, r->arena, v->cycle_id, v->reviewee_id, &o) == ERR_OK;
    sub = review_subject(r, v, c, has_o ? &o : NULL);
    rc = policy_check(r->db, &r->actor, act, &sub);
    return rc ? err_set(ei, rc, "no such review") : ERR_OK;
}

enum err api_reviews_get(struct request *r, struct errinfo *ei)
{
    struct review v;
    struct review_cycle c;
    enum err rc = load_review(r, ACT_REVIEW_READ, &v, &c, ei);

    if (rc)
        return rc;
    response_json(r, 200, review_json(r, &v));
    return ERR_OK;
}

/* A manager review of a released cycle whose outcome HR reopened for correction. */
static bool reopened(struct request *r, const struct review *v, const struct review_cycle *c)
{
    struct review_outcome o;

    return strcmp(v->kind, "manager") == 0 && strcmp(c->status, "released") == 0 &&
           store_outcomes_find(r->db, r->arena, c->id, v->reviewee_id, &o) == ERR_OK &&
           !o.released_at && !o.withdrawn_at;
}

static enum err write_review(struct request *r, bool submit, struct errinfo *ei)
{
    static const char *const allowed[] = {"answers", NULL};
    struct review v = {0};
    struct review_cycle c = {0};
    struct review_template t;
    json_t *body = NULL, *answers, *merged, *q;
    const char *key;
    json_t *val;
    enum err rc = load_review(r, ACT_REVIEW_WRITE, &v, &c, ei);

    if (rc)
        return rc;
    if (v.status && strcmp(v.status, "submitted") == 0)
        return err_set(ei, ERR_CONFLICT, "this review is submitted and locked");
    if (!c.status || (strcmp(c.status, "active") != 0 && !reopened(r, &v, &c)))
        return err_set(ei, ERR_CONFLICT, "the cycle is %s: reviews are written while it is active",
                       c.status);
    rc = reviews_check_deadline(&c, v.kind, ei);
    if (rc)
        return rc;
    if (r->body.len || !submit) {
        rc = api_body(r, &body, ei);
        if (rc)
            return rc;
        jsonx_only(body, allowed, ei);
    }
    answers = body ? json_object_get(body, "answers") : NULL;
    if (answers && !json_is_object(answers))
        err_field(ei, "answers", "must be an object of question id to answer");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    /* drafts accumulate: new answers replace old ones question by question */
    merged = parsed(r, v.answers);
    if (!merged) {
        merged = json_object();
        arena_defer(r->arena, decref, merged);
    }
    json_object_foreach(answers, key, val) json_object_set(merged, key, val);
    rc = store_templates_get(r->db, r->arena, v.template_id, &t);
    if (rc)
        return err_set(ei, rc, "cannot read the template");
    q = parsed(r, t.questions);
    /* checked here for an early answer; merged and checked again inside the transaction */
    reviews_check_answers(q, merged, submit, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_save_merge(r->db, r->arena, &r->actor, &v, q, answers, submit, ei);
    if (rc == ERR_OK)
        rc = store_reviews_get(r->db, r->arena, v.id, &v);
    if (rc)
        return rc;
    response_json(r, 200, review_json(r, &v));
    return ERR_OK;
}

enum err api_reviews_patch(struct request *r, struct errinfo *ei)
{
    return write_review(r, false, ei);
}

enum err api_reviews_submit(struct request *r, struct errinfo *ei)
{
    return write_review(r, true, ei);
}

enum err api_outcome_json(struct request *r, const struct review_outcome *o,
                          const struct review_cycle *c, bool with_names, json_t **out)
{
    struct subject sub = {.person_id = o->person_id};
    json_t *peer = reviews_peer_summary(r->db, r->arena, c, o->person_id, "peer", with_names);

    *out = json_pack(
        "{s:I, s:I, s:I, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:o, s:I, s:s?}", "id",
        (json_int_t)o->id, "cycle_id", (json_int_t)o->cycle_id, "person_id",
        (json_int_t)o->person_id, "rating", o->has_rating ? json_real(o->rating) : json_null(),
        "calibrated_rating", o->has_calibrated ? json_real(o->calibrated_rating) : json_null(),
        "released_at", o->released_at, "acknowledged_at", o->acknowledged_at, "employee_comment",
        o->employee_comment, "manager_summary", o->manager_summary, "peer_summary", peer, "version",
        (json_int_t)(o->version ? o->version : 1), "withdrawn_at", o->withdrawn_at);
    if (!*out)
        return ERR_INTERNAL;
    if (c->upward_template_id)
        json_object_set_new(
            *out, "upward_summary",
            reviews_peer_summary(r->db, r->arena, c, o->person_id, "upward", with_names));
    /* the employee reads their released manager review with the outcome: questions by text,
     * the scale and its labels, without the manager-only answers */
    if (o->person_id == r->actor.person_id && o->released_at) {
        struct review *mv;
        size_t nm;
        json_t *mr = json_null();

        if (store_reviews_about(r->db, r->arena, c->id, o->person_id, "manager", &mv, &nm) ==
            ERR_OK)
            for (size_t i = 0; i < nm; i++) {
                struct subject rs = review_subject(r, &mv[i], c, o);

                if (mv[i].status && strcmp(mv[i].status, "submitted") == 0 &&
                    policy_check(r->db, &r->actor, ACT_REVIEW_READ, &rs) == ERR_OK) {
                    json_decref(mr);
                    mr = review_json(r, &mv[i]);
                }
            }
        json_object_set_new(*out, "manager_review", mr);
    }
    /* the potential axis is a calibration tool: managers and HR, never the person */
    if (policy_check(r->db, &r->actor, ACT_OUTCOME_POTENTIAL, &sub) == ERR_OK)
        json_object_set_new(*out, "potential",
                            o->potential ? json_integer(o->potential) : json_null());
    return ERR_OK;
}

/* Reads outcome o for the actor: ERR_OK with whether peer names may be shown. */
static enum err outcome_access(struct request *r, const struct review_outcome *o,
                               const struct review_cycle *c, bool *with_names)
{
    struct subject sub = {.person_id = o->person_id, .shared = o->released_at != NULL};
    struct relation rel = policy_relation(r->db, &r->actor, o->person_id);
    bool hr = r->actor.role == ROLE_HR || r->actor.role == ROLE_ADMIN;
    enum err rc = policy_check(r->db, &r->actor, ACT_OUTCOME_READ, &sub);

    /* docs/api.md: for the reviewee no field names a peer; managers per the cycle; HR always */
    *with_names = !rel.self && (hr || (rel.manager && c->manager_sees_peer_names));
    return rc;
}

/* Loads outcome {id} and its cycle, when the actor may read it. */
enum err api_load_outcome(struct request *r, struct review_outcome *o, struct review_cycle *c,
                          bool *names, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = store_outcomes_get(r->db, r->arena, id, o);
    if (rc == ERR_OK)
        rc = store_cycles_get(r->db, r->arena, o->cycle_id, c);
    if (rc == ERR_OK)
        rc = outcome_access(r, o, c, names);
    return rc;
}

enum err api_outcomes_get(struct request *r, struct errinfo *ei)
{
    struct review_outcome o;
    struct review_cycle c;
    json_t *out;
    bool names;
    enum err rc = api_load_outcome(r, &o, &c, &names, ei);

    if (rc == ERR_OK)
        rc = api_outcome_json(r, &o, &c, names, &out);
    if (rc)
        return err_set(ei, rc == ERR_INTERNAL ? rc : ERR_NOT_FOUND, "no such outcome");
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_outcomes_list(struct request *r, struct errinfo *ei)
{
    struct review_outcome *v;
    size_t n;
    int64_t cycle = 0, person = 0;
    json_t *items;
    enum err rc;

    if (api_query_id(r, "cycle", &cycle, ei) || api_query_id(r, "person", &person, ei))
        return ERR_VALIDATION;
    if (!person)
        person = r->actor.person_id;
    rc = store_outcomes_list(r->db, r->arena, cycle, person, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read outcomes");
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        struct review_cycle c;
        json_t *o;
        bool names;

        if (store_cycles_get(r->db, r->arena, v[i].cycle_id, &c) != ERR_OK ||
            outcome_access(r, &v[i], &c, &names) != ERR_OK)
            continue; /* unreleased or not the caller's to see: absent */
        if (api_outcome_json(r, &v[i], &c, names, &o) == ERR_OK)
            json_array_append_new(items, o);
    }
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_outcomes_acknowledge(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"comment", NULL};
    struct review_outcome o;
    struct review_cycle c;
    json_t *body, *out = NULL;
    const char *comment = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "comment", &comment, 5000, true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_acknowledge(r->db, r->arena, &r->actor, id, comment, &o, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the acknowledgement");
    rc = store_cycles_get(r->db, r->arena, o.cycle_id, &c);
    if (rc == ERR_OK)
        rc = api_outcome_json(r, &o, &c, false, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the outcome");
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_outcomes_calibrate(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"calibrated_rating", "potential", "justification", NULL};
    struct calibration_change k = {0};
    struct review_outcome o;
    struct review_cycle c;
    json_t *body, *out;
    int64_t id;
    enum jsonx_got got_rating, got_potential;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    got_rating = jsonx_num(body, "calibrated_rating", &k.rating, ei);
    got_potential = jsonx_int(body, "potential", &k.potential, false, ei);
    if (got_rating == JSONX_ABSENT && got_potential == JSONX_ABSENT)
        jsonx_require(got_rating, "calibrated_rating", ei);
    jsonx_require(jsonx_str(body, "justification", &k.why, 2000, false, ei), "justification", ei);
    if (got_rating == JSONX_SET && (k.rating < 1 || k.rating > 10))
        err_field(ei, "calibrated_rating", "must be on the rating scale (1 to 10)");
    if (got_potential == JSONX_SET && (k.potential < 1 || k.potential > 3))
        err_field(ei, "potential", "must be 1 (low), 2 (medium) or 3 (high)");
    if (k.why && strlen(k.why) < 10)
        err_field(ei, "justification", "explain the change in a sentence");
    k.has_rating = got_rating == JSONX_SET;
    k.has_potential = got_potential == JSONX_SET;
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_outcome_calibrate(r->db, r->arena, &r->actor, id, &k, &o, &c, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the calibration");
    rc = api_outcome_json(r, &o, &c, true, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the calibration");
    response_json(r, 200, out);
    return ERR_OK;
}

/* The evidence of the period beside the review form: the reviewee's goals with progress and
 * recent check-ins, accomplishments (own ones for the self-review, shared ones for managers),
 * feedback received, and the previous released outcome; each item through the access policy. */
/* Beside a manager review: the employee's submitted self-review and the anonymous peer summary,
 * each only when the reader may read it (the same rules as their own routes). */
static void manager_context(struct request *r, const struct review *v, const struct review_cycle *c,
                            json_t *out)
{
    struct review *sv;
    struct review_outcome o;
    size_t ns;
    json_t *self = json_null(), *peers = json_null();

    if (store_reviews_about(r->db, r->arena, c->id, v->reviewee_id, "self", &sv, &ns) == ERR_OK)
        for (size_t i = 0; i < ns; i++) {
            bool has_o = store_outcomes_find(r->db, r->arena, c->id, v->reviewee_id, &o) == ERR_OK;
            struct subject sub = review_subject(r, &sv[i], c, has_o ? &o : NULL);

            if (sv[i].status && strcmp(sv[i].status, "submitted") == 0 &&
                policy_check(r->db, &r->actor, ACT_REVIEW_READ, &sub) == ERR_OK) {
                json_decref(self);
                self = review_json(r, &sv[i]);
            }
        }
    if (c->peer_template_id &&
        store_outcomes_find(r->db, r->arena, c->id, v->reviewee_id, &o) == ERR_OK) {
        bool names = false;

        if (outcome_access(r, &o, c, &names) == ERR_OK)
            peers = reviews_peer_summary(r->db, r->arena, c, v->reviewee_id, "peer", names);
    }
    json_object_set_new(out, "self_review", self);
    json_object_set_new(out, "peer_summary", peers ? peers : json_null());
}

enum err api_reviews_packet(struct request *r, struct errinfo *ei)
{
    struct review v = {0};
    struct review_cycle c = {0};
    struct goal_query gq = {0};
    struct goal *goals;
    struct accomplishment_query aq = {0};
    struct accomplishment *acc;
    struct feedback *fb;
    struct review_outcome *outs;
    size_t ng, na, nf, no;
    json_t *jg = json_array(), *ja = json_array(), *jf = json_array(), *prev = json_null(), *out;
    enum err rc = load_review(r, ACT_REVIEW_READ, &v, &c, ei);

    if (rc) {
        json_decref(jg);
        json_decref(ja);
        json_decref(jf);
        return rc;
    }
    if (!c.period_start || !c.period_end) { /* a stored cycle always has both */
        json_decref(jg);
        json_decref(ja);
        json_decref(jf);
        return err_set(ei, ERR_INTERNAL, "the cycle has no period");
    }
    gq.owner_id = v.reviewee_id;
    gq.from = c.period_start;
    gq.to = c.period_end;
    gq.limit = 100;
    rc = store_goals_list(r->db, r->arena, &gq, &goals, &ng);
    for (size_t i = 0; rc == ERR_OK && i < ng; i++) {
        struct subject sub = goals_subject(r->db, &r->actor, &goals[i]);
        struct checkin *ch;
        size_t nch;
        json_t *recent = json_array();

        if (policy_check(r->db, &r->actor, ACT_GOAL_READ, &sub) != ERR_OK) {
            json_decref(recent);
            continue;
        }
        if (store_checkins_list(r->db, r->arena, goals[i].id, &ch, &nch) == ERR_OK)
            for (size_t k = nch > 3 ? nch - 3 : 0; k < nch; k++)
                json_array_append_new(recent, json_pack("{s:f, s:s?, s:s}", "progress",
                                                        ch[k].progress, "comment", ch[k].comment,
                                                        "created_at", ch[k].created_at));
        json_array_append_new(
            jg, json_pack("{s:I, s:s, s:s, s:f, s:o, s:o}", "id", (json_int_t)goals[i].id, "title",
                          goals[i].title, "status", goals[i].status, "progress", goals[i].progress,
                          "rollup_progress",
                          goals[i].has_rollup ? json_real(goals[i].rollup) : json_null(),
                          "recent_checkins", recent));
    }
    aq.person_id = v.reviewee_id;
    aq.from = c.period_start;
    aq.to = c.period_end;
    aq.limit = 200;
    if (rc == ERR_OK)
        rc = store_accomplishments_list(r->db, r->arena, &aq, &acc, &na);
    for (size_t i = 0; rc == ERR_OK && i < na; i++) {
        struct subject sub = {.person_id = acc[i].person_id, .shared = acc[i].shared};

        if (policy_check(r->db, &r->actor, ACT_ACCOMPLISHMENT_READ, &sub) == ERR_OK)
            json_array_append_new(
                ja, json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)acc[i].id, "happened_on",
                              acc[i].happened_on, "title", acc[i].title, "impact", acc[i].impact));
    }
    if (rc == ERR_OK)
        rc = store_feedback_list(r->db, r->arena, FB_RECEIVED, v.reviewee_id, 0, 500, &fb, &nf);
    for (size_t i = 0; rc == ERR_OK && i < nf; i++) {
        struct subject sub = feedback_subject(&r->actor, &fb[i]);

        if (strncmp(fb[i].created_at, c.period_start, 10) < 0 ||
            strncmp(fb[i].created_at, c.period_end, 10) > 0 ||
            policy_check(r->db, &r->actor, ACT_FEEDBACK_READ, &sub) != ERR_OK)
            continue;
        json_array_append_new(jf, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)fb[i].id,
                                            "from", fb[i].author_name, "kind", fb[i].kind, "body",
                                            fb[i].body, "created_at", fb[i].created_at));
    }
    if (rc == ERR_OK)
        rc = store_outcomes_list(r->db, r->arena, 0, v.reviewee_id, &outs, &no);
    for (size_t i = 0; rc == ERR_OK && i < no; i++) {
        struct review_cycle pc;
        struct subject sub = {.person_id = outs[i].person_id,
                              .shared = outs[i].released_at != NULL};

        if (outs[i].cycle_id == c.id || !outs[i].released_at ||
            store_cycles_get(r->db, r->arena, outs[i].cycle_id, &pc) != ERR_OK ||
            strcmp(pc.period_end, c.period_start) >= 0 ||
            policy_check(r->db, &r->actor, ACT_OUTCOME_READ, &sub) != ERR_OK)
            continue;
        json_decref(prev);
        prev = json_pack(
            "{s:I, s:s, s:o, s:s?, s:s}", "cycle_id", (json_int_t)pc.id, "cycle", pc.name, "rating",
            outs[i].has_calibrated ? json_real(outs[i].calibrated_rating)
            : outs[i].has_rating   ? json_real(outs[i].rating)
                                   : json_null(),
            "manager_summary", outs[i].manager_summary, "released_at", outs[i].released_at);
    }
    if (rc) {
        json_decref(jg);
        json_decref(ja);
        json_decref(jf);
        json_decref(prev);
        return err_set(ei, rc, "cannot assemble the packet");
    }
    out = json_pack("{s:I, s:{s:s, s:s}, s:o, s:o, s:o, s:o}", "review_id", (json_int_t)v.id,
                    "period", "start", c.period_start, "end", c.period_end, "goals", jg,
                    "accomplishments", ja, "feedback", jf, "previous_outcome", prev);
    if (strcmp(v.kind, "manager") == 0 && v.reviewee_id != r->actor.person_id)
        manager_context(r, &v, &c, out);
    response_json(r, 200, out);
    return ERR_OK;
}
