/* SPDX-License-Identifier: MIT */
/* The moving parts of a running review cycle: deadlines, joiners and leavers, peer nominations,
 * and reopening a released outcome with its history. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/reviews.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

/* A draft's every setting may change; a launched cycle's name, deadlines and participant rules.
 * What is not sent stays as it is stored when the edit is written. */
enum err api_review_cycles_patch(struct request *r, struct errinfo *ei)
{
    static const char *const launched[] = {"name", "deadlines", "participants", NULL};
    struct review_cycle c;
    struct cycle_body cb = {.r = r};
    struct cycle_edit e = api_cycle_edit(&cb);
    json_t *out;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &cb.body, ei);
    if (rc)
        return rc;
    if (strcmp(c.status, "released") == 0)
        return err_set(ei, ERR_CONFLICT, "a released cycle is closed");
    cb.form = strcmp(c.status, "draft") == 0 ? CYCLE_DRAFT : CYCLE_LAUNCHED;
    jsonx_only(cb.body, cb.form == CYCLE_DRAFT ? api_cycle_fields : launched, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = cycle_update(r->db, r->arena, &r->actor, c.id, c.status, &e, &c, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_review_cycles_sync(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    struct sync_result res;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = reviews_sync(r->db, r->arena, &r->actor, &c, &res, ei);
    if (rc)
        return rc;
    response_json(r, 200,
                  json_pack("{s:I, s:I, s:I, s:I}", "joined", (json_int_t)res.joined, "left",
                            (json_int_t)res.left, "moved_to_new_manager", (json_int_t)res.moved,
                            "assignments", (json_int_t)res.assignments));
    return ERR_OK;
}

/* Cycle {id} and person {person} (path parameters 0 and 1), checked against act. */
static enum err load_nominee(struct request *r, enum action act, struct review_cycle *c,
                             int64_t *person, struct errinfo *ei)
{
    struct subject sub = {0};
    struct review_outcome o;
    enum err rc = api_load_cycle(r, c, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 1, person, ei);
    if (rc)
        return rc;
    sub.person_id = *person;
    rc = policy_check(r->db, &r->actor, act, &sub);
    if (rc)
        return err_set(ei, rc,
                       rc == ERR_FORBIDDEN ? "the employee proposes peers; their manager approves"
                                           : "no such person in this cycle");
    rc = store_outcomes_find(r->db, r->arena, c->id, *person, &o);
    if (rc == ERR_OK && o.withdrawn_at)
        rc = ERR_NOT_FOUND;
    return rc ? err_set(ei, rc, "no such person in this cycle") : ERR_OK;
}

static enum err nominations_json(struct request *r, const struct review_cycle *c, int64_t person,
                                 json_t **out)
{
    struct nomination *v;
    size_t n;
    json_t *items = json_array();
    const char *status = "none";
    enum err rc = store_nominations_list(r->db, r->arena, c->id, person, &v, &n);

    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        status = v[i].status;
        json_array_append_new(items, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)v[i].peer_id,
                                               "name", v[i].peer_name, "status", v[i].status));
    }
    *out = json_pack("{s:I, s:I, s:s, s:o, s:I, s:I, s:s?}", "cycle_id", (json_int_t)c->id,
                     "person_id", (json_int_t)person, "status", status, "peers", items, "min_peers",
                     (json_int_t)c->min_peers, "max_peers", (json_int_t)c->peers_per_person, "due",
                     c->nomination_due);
    return rc;
}

enum err api_nominations_get(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    int64_t person;
    json_t *out;
    enum err rc = load_nominee(r, ACT_NOMINATION_READ, &c, &person, ei);

    if (rc == ERR_OK)
        rc = nominations_json(r, &c, person, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the nominations");
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_nominations_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"peer_ids", NULL};
    struct review_cycle c = {0};
    int64_t person;
    json_t *body, *out;
    bool self;
    enum err rc = api_path_id(r, 1, &person, ei);

    if (rc)
        return rc;
    /* the employee proposes; anyone else who may touch the set approves (or edits) it; the
     * cycle is loaded once, by load_nominee */
    self = person == r->actor.person_id;
    rc = load_nominee(r, self ? ACT_NOMINATION_PROPOSE : ACT_NOMINATION_APPROVE, &c, &person, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    if (!json_object_get(body, "peer_ids"))
        err_field(ei, "peer_ids", "is required");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_nominate(r->db, r->arena, &r->actor, &c, person,
                              json_object_get(body, "peer_ids"), !self, ei);
    if (rc)
        return rc;
    rc = nominations_json(r, &c, person, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the nominations");
    response_json(r, 200, out);
    return ERR_OK;
}

/* Outcome {id} for HR. */
static enum err hr_outcome(struct request *r, struct review_outcome *o, struct review_cycle *c,
                           struct errinfo *ei)
{
    bool names;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_outcome(r, o, c, &names, ei);
    if (rc == ERR_OK && o->person_id == r->actor.person_id)
        return err_set(ei, ERR_FORBIDDEN, "another HR partner handles your own outcome");
    return rc == ERR_NOT_FOUND ? err_set(ei, rc, "no such outcome") : rc;
}

static enum err outcome_reply(struct request *r, struct review_outcome *o, struct review_cycle *c,
                              struct errinfo *ei)
{
    json_t *out;
    enum err rc = store_outcomes_get(r->db, r->arena, o->id, o);

    if (rc == ERR_OK)
        rc = api_outcome_json(r, o, c, true, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the outcome");
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_outcomes_reopen(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"reason", NULL};
    struct review_outcome o = {0};
    struct review_cycle c = {0};
    const char *reason = NULL;
    json_t *body;
    enum err rc = hr_outcome(r, &o, &c, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "reason", &reason, 2000, false, ei), "reason", ei);
    if (reason && strlen(reason) < 10)
        err_field(ei, "reason", "explain the correction in a sentence");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_outcome_reopen(r->db, r->arena, &r->actor, o.id, reason, &o, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot reopen the outcome");
    return outcome_reply(r, &o, &c, ei);
}

enum err api_outcomes_release(struct request *r, struct errinfo *ei)
{
    struct review_outcome o = {0};
    struct review_cycle c = {0};
    enum err rc = hr_outcome(r, &o, &c, ei);

    if (rc == ERR_OK)
        rc = reviews_outcome_release(r->db, r->arena, &r->actor, o.id, &o, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot release the outcome");
    return outcome_reply(r, &o, &c, ei);
}

enum err api_outcomes_history(struct request *r, struct errinfo *ei)
{
    struct review_outcome o;
    struct review_cycle c;
    struct outcome_version *v;
    size_t n;
    bool names;
    json_t *items, *cur;
    enum err rc = api_load_outcome(r, &o, &c, &names, ei);

    if (rc == ERR_OK)
        rc = store_outcomes_versions(r->db, r->arena, o.id, &v, &n);
    if (rc)
        return err_set(ei, rc == ERR_INTERNAL ? rc : ERR_NOT_FOUND, "no such outcome");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items,
            json_pack("{s:I, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s, s:{s:I, s:s}, s:s}", "version",
                      (json_int_t)v[i].o.version, "rating",
                      v[i].o.has_rating ? json_real(v[i].o.rating) : json_null(),
                      "calibrated_rating",
                      v[i].o.has_calibrated ? json_real(v[i].o.calibrated_rating) : json_null(),
                      "manager_summary", v[i].o.manager_summary, "released_at", v[i].o.released_at,
                      "acknowledged_at", v[i].o.acknowledged_at, "employee_comment",
                      v[i].o.employee_comment, "reopened_at", v[i].reopened_at, "reopened_by", "id",
                      (json_int_t)v[i].reopened_by, "name", v[i].reopened_by_name, "reason",
                      v[i].reason));
    rc = api_outcome_json(r, &o, &c, names, &cur);
    if (rc) {
        json_decref(items);
        return err_set(ei, rc, "cannot read the outcome");
    }
    response_json(r, 200, json_pack("{s:o, s:o}", "current", cur, "versions", items));
    return ERR_OK;
}
