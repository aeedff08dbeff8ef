/* SPDX-License-Identifier: MIT */
/* /api/v1/promotion-cases: promotion, raise and responsibility cases backed by evidence. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/cases.h"
#include "store/people.h"
#include "util/jsonx.h"

static void decref(void *p)
{
    json_decref(p);
}

static json_t *case_json(struct request *r, const struct promotion_case *c)
{
    json_t *ev = c->evidence ? json_loads(c->evidence, 0, NULL) : NULL;

    if (ev)
        arena_defer(r->arena, decref, ev);
    return json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s, s:s?, s:s?, s:s, s:O, s:o,"
                     " s:s?, s:s, s:s?}",
                     "id", (json_int_t)c->id, "person", "id", (json_int_t)c->person_id, "name",
                     c->person_name, "opened_by", "id", (json_int_t)c->opened_by, "name",
                     c->opener_name, "kind", c->kind, "status", c->status, "proposed_title",
                     c->proposed_title, "proposed_level", c->proposed_level, "justification",
                     c->justification, "evidence", ev ? ev : json_object(), "decided_by",
                     c->decided_by ? json_integer(c->decided_by) : json_null(), "decision_note",
                     c->decision_note, "created_at", c->created_at, "decided_at", c->decided_at);
}

static enum err respond(struct request *r, int status, int64_t id, struct errinfo *ei)
{
    struct promotion_case c;
    enum err rc = store_cases_get(r->db, r->arena, id, &c);

    if (rc)
        return err_set(ei, rc, "cannot read the case");
    response_json(r, status, case_json(r, &c));
    return ERR_OK;
}

/* evidence: {goal_ids, accomplishment_ids, outcome_ids}, each item the person's own. */
static const char *read_evidence(struct request *r, json_t *ev, int64_t person, struct errinfo *ei)
{
    static const char *const kinds[] = {"goal_ids", "accomplishment_ids", "outcome_ids", NULL};
    char *text;
    const char *out;

    if (!ev)
        return "{}";
    if (!json_is_object(ev)) {
        err_field(ei, "evidence", "must be an object of goal_ids, accomplishment_ids, outcome_ids");
        return NULL;
    }
    jsonx_only(ev, kinds, ei);
    for (const char *const *k = kinds; *k; k++) {
        json_t *arr = json_object_get(ev, *k), *v;
        size_t i;

        if (!arr)
            continue;
        if (!json_is_array(arr) || json_array_size(arr) > 50) {
            err_field(ei, "evidence", "%s must be an array of at most 50 ids", *k);
            continue;
        }
        json_array_foreach(arr, i, v)
        {
            if (!json_is_integer(v) ||
                !store_cases_evidence_ok(r->db, *k, json_integer_value(v), person)) {
                err_field(ei, "evidence", "%s: %lld is not the person's", *k,
                          (long long)json_integer_value(v));
                break;
            }
        }
    }
    text = jsonx_dump(ev);
    out = arena_strdup(r->arena, text);
    free(text);
    return out;
}

enum err api_cases_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {
        "person_id", "kind", "proposed_title", "proposed_level", "justification", "evidence", NULL};
    struct promotion_case c = {0};
    struct person p;
    json_t *body;
    struct subject sub;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    c.kind = "promotion";
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_int(body, "person_id", &c.person_id, false, ei), "person_id", ei);
    jsonx_str(body, "kind", &c.kind, 20, false, ei);
    jsonx_str(body, "proposed_title", &c.proposed_title, 200, true, ei);
    jsonx_str(body, "proposed_level", &c.proposed_level, 50, true, ei);
    jsonx_require(jsonx_str(body, "justification", &c.justification, 5000, false, ei),
                  "justification", ei);
    if (strcmp(c.kind, "promotion") != 0 && strcmp(c.kind, "raise") != 0 &&
        strcmp(c.kind, "responsibilities") != 0)
        err_field(ei, "kind", "must be promotion, raise or responsibilities");
    if (c.justification && strlen(c.justification) < 20)
        err_field(ei, "justification", "make the case in a few sentences");
    if (strcmp(c.kind, "promotion") == 0 && !c.proposed_title && !c.proposed_level)
        err_field(ei, "proposed_level", "a promotion proposes a title or a level");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (store_people_get(r->db, r->arena, c.person_id, &p) != ERR_OK) {
        err_field(ei, "person_id", "no such person");
        return err_fields_result(ei);
    }
    sub = (struct subject){.person_id = c.person_id};
    rc = policy_check(r->db, &r->actor, ACT_CASE_OPEN, &sub);
    if (rc)
        return err_set(ei, rc, "cases are opened by the person's managers or HR");
    c.evidence = read_evidence(r, json_object_get(body, "evidence"), c.person_id, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    /* one's own case is a request to one's manager until they endorse it */
    c.status = c.person_id == r->actor.person_id ? "requested" : "open";
    rc = cases_open(r->db, &r->actor, &c, ei);
    return rc ? rc : respond(r, 201, c.id, ei);
}

static enum err load(struct request *r, struct promotion_case *c, struct errinfo *ei)
{
    struct subject sub;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_cases_get(r->db, r->arena, id, c);
    if (rc == ERR_OK) {
        sub = (struct subject){.person_id = c->person_id};
        rc = policy_check(r->db, &r->actor, ACT_CASE_READ, &sub);
    }
    return rc ? err_set(ei, rc, "no such case") : ERR_OK;
}

enum err api_cases_get(struct request *r, struct errinfo *ei)
{
    struct promotion_case c;
    enum err rc = load(r, &c, ei);

    if (rc)
        return rc;
    response_json(r, 200, case_json(r, &c));
    return ERR_OK;
}

enum err api_cases_list(struct request *r, struct errinfo *ei)
{
    struct promotion_case *v;
    size_t n;
    int64_t person = 0;
    json_t *items;
    enum err rc = api_query_id(r, "person", &person, ei);

    if (rc)
        return rc;
    rc = store_cases_list(r->db, r->arena, person, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read cases");
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        struct subject sub = {.person_id = v[i].person_id};

        if (policy_check(r->db, &r->actor, ACT_CASE_READ, &sub) == ERR_OK)
            json_array_append_new(items, case_json(r, &v[i]));
    }
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_cases_endorse(struct request *r, struct errinfo *ei)
{
    struct promotion_case c;
    struct relation rel;
    enum err rc = load(r, &c, ei);

    if (rc)
        return rc;
    rel = policy_relation(r->db, &r->actor, c.person_id);
    if (!rel.manager)
        return err_set(ei, ERR_FORBIDDEN, "the person's manager endorses a request");
    rc = cases_endorse(r->db, &r->actor, &c, ei);
    return rc ? rc : respond(r, 200, c.id, ei);
}

enum err api_cases_decide(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"decision", "note", NULL};
    struct promotion_case c;
    const char *decision = NULL, *note = NULL;
    json_t *body;
    enum err rc = load(r, &c, ei);

    if (rc == ERR_OK)
        rc = policy_check(r->db, &r->actor, ACT_CASE_DECIDE,
                          &(struct subject){.person_id = c.person_id});
    if (rc)
        return rc == ERR_FORBIDDEN
                   ? err_set(ei, rc, "HR decides cases, and nobody decides their own")
                   : rc;
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "decision", &decision, 20, false, ei), "decision", ei);
    jsonx_str(body, "note", &note, 2000, true, ei);
    if (decision && strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0)
        err_field(ei, "decision", "must be approved or rejected");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = cases_decide(r->db, r->arena, &r->actor, &c,
                          decision && strcmp(decision, "approved") == 0, note, ei);
    return rc ? rc : respond(r, 200, c.id, ei);
}
