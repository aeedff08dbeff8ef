/* SPDX-License-Identifier: MIT */
/* Career development: the framework, skills and ratings, placements, gap analysis, the
 * individual development plan, and learning records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/careers.h"
#include "domain/idp.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "store/careers.h"
#include "store/notify.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static void decref(void *p)
{
    json_decref(p);
}

/* Keeps v alive until the request ends; returns v. */
static json_t *owned(struct request *r, json_t *v)
{
    if (v)
        arena_defer(r->arena, decref, v);
    return v;
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Path person {id} (parameter 0) checked against act; 404 hides people one may not see. */
static enum err person_for(struct request *r, enum action act, int64_t *id, struct errinfo *ei)
{
    struct subject sub = {0};
    struct person p;
    enum err rc = api_path_id(r, 0, id, ei);

    if (rc)
        return rc;
    rc = store_people_get(r->db, r->arena, *id, &p);
    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such person" : "cannot read the person");
    sub.person_id = *id;
    rc = policy_check(r->db, &r->actor, act, &sub);
    if (rc == ERR_FORBIDDEN)
        return err_set(ei, rc,
                       act == ACT_CAREER_MANAGER ? "only their manager may do this"
                                                 : "only the person may do this");
    return rc ? err_set(ei, rc, "no such person") : ERR_OK;
}

static enum err reply(struct request *r, int status, json_t *v, enum err rc, struct errinfo *ei)
{
    if (rc) {
        json_decref(v);
        return err_set(ei, rc, "cannot read the data");
    }
    response_json(r, status, v);
    return ERR_OK;
}

/* The reply of a write: v, read inside the write's transaction; or the write's refusal (its
 * reason when it gave one). */
static enum err written(struct request *r, int status, json_t *v, enum err rc, const char *what,
                        struct errinfo *ei)
{
    if (rc) {
        json_decref(v);
        return ei->message[0] ? rc : err_set(ei, rc, "%s", what);
    }
    response_json(r, status, v);
    return ERR_OK;
}

/* The framework document: tracks with levels and what each expects; also the import format. */
enum err api_framework_get(struct request *r, struct errinfo *ei)
{
    json_t *out = NULL;
    enum err rc = careers_framework_json(r->db, &out);

    return reply(r, 200, out, rc, ei);
}

enum err api_framework_put(struct request *r, struct errinfo *ei)
{
    json_t *body, *out = NULL;
    enum err rc = policy_check(r->db, &r->actor, ACT_FRAMEWORK_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only HR edits career frameworks");
    rc = api_body(r, &body, ei);
    if (rc == ERR_OK)
        rc = careers_import(r->db, &r->actor, body, ei);
    if (rc)
        return rc;
    rc = careers_framework_json(r->db, &out);
    return reply(r, 200, out, rc, ei);
}

enum err api_skills_list(struct request *r, struct errinfo *ei)
{
    json_t *items = NULL;
    enum err rc = store_skills_list(r->db, &items);

    return reply(r, 200, json_pack("{s:o}", "items", items ? items : json_array()), rc, ei);
}

enum err api_skills_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name", "category", NULL};
    const char *name = NULL, *category = NULL;
    json_t *body, *out = NULL;
    enum err rc = policy_check(r->db, &r->actor, ACT_FRAMEWORK_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only HR edits the skills catalogue");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "name", &name, 100, false, ei), "name", ei);
    jsonx_require(jsonx_str(body, "category", &category, 100, false, ei), "category", ei);
    if ((name && !*name) || (category && !*category))
        err_field(ei, name && !*name ? "name" : "category", "must not be empty");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = careers_skill_add(r->db, &r->actor, name, category, &out, ei);
    return written(r, 201, out, rc, "cannot add the skill", ei);
}

enum err api_placement_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"level_id", "reason", NULL};
    const char *reason = NULL;
    json_t *body, *out = NULL;
    int64_t id, level_id = 0;
    enum err rc = policy_check(r->db, &r->actor, ACT_FRAMEWORK_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only HR places people on career levels");
    rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_int(body, "level_id", &level_id, false, ei), "level_id", ei);
    jsonx_str(body, "reason", &reason, 500, true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = careers_place(r->db, r->arena, &r->actor, id, level_id, reason, &out, ei);
    return written(r, 200, out, rc, "cannot place the person", ei);
}

/* Current ratings merged per subject: {kind, id, name, self, manager, rated_at}. */
static json_t *merged_ratings(json_t *rows)
{
    json_t *out = json_array(), *x, *last = NULL;
    size_t i;

    json_array_foreach(rows, i, x)
    {
        const char *src = json_string_value(json_object_get(x, "source"));

        if (!last ||
            !is(json_string_value(json_object_get(last, "kind")),
                json_string_value(json_object_get(x, "subject"))) ||
            json_integer_value(json_object_get(last, "id")) !=
                json_integer_value(json_object_get(x, "id"))) {
            last = json_pack("{s:O, s:O, s:O, s:n, s:n}", "kind", json_object_get(x, "subject"),
                             "id", json_object_get(x, "id"), "name", json_object_get(x, "name"),
                             "self", "manager");
            json_array_append_new(out, last);
        }
        json_object_set(last, is(src, "manager") ? "manager" : "self",
                        json_object_get(x, "rating"));
    }
    return out;
}

/* A person's skills page: current ratings merged per subject, and their history. */
static enum err skills_reply(struct request *r, int64_t person, json_t *cur, json_t *hist)
{
    response_json(r, 200,
                  json_pack("{s:I, s:o, s:O}", "person_id", (json_int_t)person, "ratings",
                            merged_ratings(cur), "history", hist ? hist : json_array()));
    return ERR_OK;
}

enum err api_person_skills(struct request *r, struct errinfo *ei)
{
    json_t *cur = NULL, *hist = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc)
        return rc;
    rc = store_ratings_current(r->db, id, &cur);
    if (rc == ERR_OK)
        rc = store_ratings_history(r->db, id, &hist);
    owned(r, cur);
    owned(r, hist);
    if (rc)
        return err_set(ei, rc, "cannot read the data");
    return skills_reply(r, id, cur, hist);
}

enum err api_ratings_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"subject", "subject_id", "rating", NULL};
    const char *subject = NULL;
    int64_t id, subject_id = 0, rating = 0;
    json_t *body, *out = NULL;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "subject", &subject, 20, false, ei), "subject", ei);
    jsonx_require(jsonx_int(body, "subject_id", &subject_id, false, ei), "subject_id", ei);
    jsonx_require(jsonx_int(body, "rating", &rating, false, ei), "rating", ei);
    if (subject && !is(subject, "skill") && !is(subject, "competency"))
        err_field(ei, "subject", "must be skill or competency");
    if (json_object_get(body, "rating") && (rating < 1 || rating > 5))
        err_field(ei, "rating", "must be 1 to 5");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = careers_rate(r->db, &r->actor, id, subject, subject_id, rating, &out, ei);
    if (rc)
        return written(r, 200, out, rc, "cannot store the rating", ei);
    owned(r, out);
    return skills_reply(r, id, json_object_get(out, "current"), json_object_get(out, "history"));
}

/* The target of a gap analysis: ?level= (checked against the path from the person's placement),
 * or ?opportunity=, or the IDP's target level, or the next level on the person's track. */
static enum err gap_target(struct request *r, int64_t person, json_t **rows, json_t **target,
                           struct errinfo *ei)
{
    json_t *place = NULL, *idp = NULL, *lv = NULL, *levels = NULL, *x;
    int64_t level = 0, opp = 0;
    size_t i;
    enum err rc;

    if (api_query_id(r, "level", &level, ei) || api_query_id(r, "opportunity", &opp, ei))
        return ERR_VALIDATION;
    if (opp) {
        json_t *o = NULL;

        if (store_opportunity_get(r->db, opp, &o) != ERR_OK) {
            err_field(ei, "opportunity", "no such opportunity");
            return err_fields_result(ei);
        }
        *target = json_pack("{s:s, s:O, s:O}", "kind", "opportunity", "id",
                            json_object_get(o, "id"), "title", json_object_get(o, "title"));
        json_decref(o);
        return store_gap_rows_opportunity(r->db, person, opp, rows);
    }
    owned(r, store_placement_get(r->db, person, &place) == ERR_OK ? place : NULL);
    if (!level && store_idp_get(r->db, person, &idp) == ERR_OK)
        level = json_integer_value(json_object_get(idp, "target_level_id"));
    json_decref(idp);
    if (!level && place && store_fw_levels(r->db, &levels) == ERR_OK) {
        json_array_foreach(levels, i,
                           x) if (json_integer_value(json_object_get(x, "track_id")) ==
                                      json_integer_value(json_object_get(place, "track_id")) &&
                                  json_integer_value(json_object_get(x, "position")) ==
                                      json_integer_value(json_object_get(place, "position")) + 1)
            level = json_integer_value(json_object_get(x, "id"));
        json_decref(levels);
    }
    if (!level) {
        err_field(ei, "level",
                  "choose a target level (the person is not placed on a track with "
                  "a next level)");
        return err_fields_result(ei);
    }
    if (store_fw_level(r->db, level, &lv) != ERR_OK) {
        err_field(ei, "level", "no such level");
        return err_fields_result(ei);
    }
    owned(r, lv);
    if (place && !careers_has_path(json_integer_value(json_object_get(place, "track_id")),
                                   json_integer_value(json_object_get(place, "position")),
                                   json_integer_value(json_object_get(lv, "track_id")),
                                   json_integer_value(json_object_get(lv, "position")))) {
        err_field(ei, "level",
                  "no path from %s to %s: a higher level on the same track, or a "
                  "lateral move to another track",
                  json_string_value(json_object_get(place, "code")),
                  json_string_value(json_object_get(lv, "code")));
        return err_fields_result(ei);
    }
    *target = json_pack("{s:s, s:O, s:O, s:O, s:O}", "kind", "level", "id",
                        json_object_get(lv, "id"), "code", json_object_get(lv, "code"), "title",
                        json_object_get(lv, "title"), "track", json_object_get(lv, "track"));
    rc = store_gap_rows(r->db, person, level, rows);
    return rc;
}

enum err api_person_gaps(struct request *r, struct errinfo *ei)
{
    json_t *rows = NULL, *target = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc == ERR_OK)
        rc = gap_target(r, id, &rows, &target, ei);
    if (rc) {
        json_decref(target);
        return rc == ERR_INTERNAL ? err_set(ei, rc, "cannot read ratings") : rc;
    }
    response_json(r, 200,
                  json_pack("{s:I, s:o, s:o}", "person_id", (json_int_t)id, "target", target,
                            "gaps", careers_gaps(rows)));
    return ERR_OK;
}

/* The plan with actions, milestones, comments and completion; NULL when there is none. */
static json_t *idp_json(struct request *r, int64_t person)
{
    json_t *idp = NULL;

    return idp_plan(r->db, person, &idp) == ERR_OK ? idp : NULL;
}

enum err api_idp_get(struct request *r, struct errinfo *ei)
{
    int64_t id;
    json_t *idp;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc)
        return rc;
    idp = idp_json(r, id);
    if (!idp)
        return err_set(ei, ERR_NOT_FOUND, "no development plan yet");
    response_json(r, 200, idp);
    return ERR_OK;
}

enum err api_idp_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"short_term",  "long_term", "target_level_id",
                                          "target_role", "strengths", "improvements",
                                          NULL};
    json_t *body, *place = NULL, *lv = NULL, *out = NULL;
    int64_t id, level = 0;
    const char *s;
    size_t i;
    enum err rc = person_for(r, ACT_CAREER_SELF, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    for (i = 0; allowed[i]; i++)
        if (i != 2)
            jsonx_str(body, allowed[i], &s, 4000, true, ei);
    jsonx_int(body, "target_level_id", &level, true, ei);
    if (level && store_fw_level(r->db, level, &lv) != ERR_OK)
        err_field(ei, "target_level_id", "no such level");
    owned(r, lv);
    if (lv && store_placement_get(r->db, id, &place) == ERR_OK &&
        !careers_has_path(json_integer_value(json_object_get(place, "track_id")),
                          json_integer_value(json_object_get(place, "position")),
                          json_integer_value(json_object_get(lv, "track_id")),
                          json_integer_value(json_object_get(lv, "position"))))
        err_field(ei, "target_level_id",
                  "no path from your level: a higher level on your track, or a lateral move");
    json_decref(place);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = idp_put(r->db, &r->actor, id, body, &out, ei);
    return written(r, 200, out, rc, "cannot store the plan", ei);
}

static const char *const action_kinds[] = {"training",
                                           "certification",
                                           "mentorship",
                                           "stretch_assignment",
                                           "cross_functional_project",
                                           "job_rotation",
                                           "course",
                                           "reading",
                                           "other",
                                           NULL};

/* Reads an action's fields into a (an object of the store's columns). */
static void read_action(struct request *r, json_t *body, json_t *a, const char *plan_created,
                        bool creating, struct errinfo *ei)
{
    static const char *const texts[] = {"kind",     "title",          "success_measure",
                                        "due_date", "support_needed", NULL};
    static const char *const ids[] = {"skill_id", "competency_id", "goal_id", NULL};
    const char *v;
    int64_t n;
    json_t *found = NULL;

    for (size_t i = 0; texts[i]; i++) {
        enum jsonx_got g = jsonx_str(body, texts[i], &v, i == 1 ? 300 : 2000, i > 1, ei);

        if (g == JSONX_SET)
            json_object_set_new(a, texts[i], json_string(v));
        else if (g == JSONX_NULL)
            json_object_set_new(a, texts[i], json_null());
    }
    for (size_t i = 0; ids[i]; i++) {
        enum jsonx_got g = jsonx_int(body, ids[i], &n, true, ei);

        if (g == JSONX_SET)
            json_object_set_new(a, ids[i], json_integer(n));
        else if (g == JSONX_NULL)
            json_object_set_new(a, ids[i], json_null());
    }
    v = json_string_value(json_object_get(a, "title"));
    if (creating && !json_object_get(body, "title"))
        err_field(ei, "title", "is required");
    else if (!v || !*v)
        err_field(ei, "title", "must not be empty");
    v = json_string_value(json_object_get(a, "kind"));
    {
        bool known = false;

        for (size_t i = 0; action_kinds[i]; i++)
            known = known || is(v, action_kinds[i]);
        if (!known)
            err_field(ei, "kind",
                      "must be training, certification, mentorship, stretch_assignment, "
                      "cross_functional_project, job_rotation, course, reading or other");
    }
    v = json_string_value(json_object_get(a, "due_date"));
    if (v && !time_valid_date(v))
        err_field(ei, "due_date", "must be a date written YYYY-MM-DD");
    else if (v && plan_created && strncmp(v, plan_created, 10) < 0)
        err_field(ei, "due_date", "must not be before the plan was made (%.10s)", plan_created);
    n = json_integer_value(json_object_get(a, "skill_id"));
    if (n && store_skill_get(r->db, n, &found) != ERR_OK)
        err_field(ei, "skill_id", "no such skill");
    json_decref(found);
    found = NULL;
    n = json_integer_value(json_object_get(a, "competency_id"));
    if (n && store_competency_get(r->db, n, &found) != ERR_OK)
        err_field(ei, "competency_id", "no such competency");
    json_decref(found);
}

enum err api_idp_action_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"kind",          "title",          "success_measure",
                                          "due_date",      "support_needed", "skill_id",
                                          "competency_id", "goal_id",        NULL};
    json_t *body, *idp = NULL, *a, *out = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_SELF, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    rc = store_idp_get(r->db, id, &idp);
    if (rc)
        return rc == ERR_NOT_FOUND
                   ? err_set(ei, ERR_CONFLICT, "write the plan's aspirations first (PUT …/idp)")
                   : err_set(ei, rc, "cannot read the plan");
    owned(r, idp);
    a = owned(r, json_object());
    jsonx_only(body, allowed, ei);
    read_action(r, body, a, json_string_value(json_object_get(idp, "created_at")), true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = idp_action_add(r->db, &r->actor, id, a, &out, ei);
    return written(r, 201, out, rc, "cannot add the action", ei);
}

/* Applies body to action a (validated: field errors in ei); status is what the body set. */
static void apply_action(struct request *r, json_t *body, json_t *a, json_t *idp,
                         const char **status, struct errinfo *ei)
{
    json_t *learning;

    *status = NULL;
    read_action(r, body, a, json_string_value(json_object_get(idp, "created_at")), false, ei);
    if (jsonx_str(body, "status", status, 20, false, ei) == JSONX_SET) {
        if (!is(*status, "planned") && !is(*status, "in_progress") && !is(*status, "done") &&
            !is(*status, "cancelled"))
            err_field(ei, "status", "must be planned, in_progress, done or cancelled");
        json_object_set_new(a, "status", json_string(*status));
    }
    learning = json_object_get(body, "learning");
    if (learning && (!json_is_object(learning) || !is(*status, "done")))
        err_field(ei, "learning",
                  "records learning when the action is done: {provider, "
                  "completed_on, expires_on}");
}

/* The action is read, checked and merged with the body inside the write's transaction (row
 * locked on PostgreSQL), so two edits of different fields at once both stay. */
struct action_edit {
    struct request *r;
    json_t *body;
};

/* idp_action_merge: the body applied to the action as it is inside the write */
static void merge_action(void *ctx, json_t *action, json_t *plan, const char **status,
                         struct errinfo *ei)
{
    struct action_edit *e = ctx;

    apply_action(e->r, e->body, action, plan, status, ei);
}

enum err api_idp_action_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {
        "kind",     "title",         "success_measure", "due_date", "status", "support_needed",
        "skill_id", "competency_id", "goal_id",         "learning", NULL};
    json_t *body, *a = NULL, *idp = NULL, *out = NULL;
    struct subject sub = {0};
    struct action_edit edit = {.r = r};
    const char *status = NULL;
    int64_t id, person;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    /* who may and whether the body is well formed, on a first read (answers 404/403/422 early);
     * the write decides again on the row as it is then */
    rc = store_idp_action_get(r->db, id, &a);
    owned(r, a);
    if (rc == ERR_OK)
        rc = store_idp_owner(r->db, json_integer_value(json_object_get(a, "idp_id")), &person);
    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such action" : "cannot read the action");
    sub.person_id = person;
    rc = policy_check(r->db, &r->actor, ACT_CAREER_SELF, &sub);
    if (rc)
        return err_set(ei, rc,
                       rc == ERR_FORBIDDEN ? "the plan's owner updates its actions"
                                           : "no such action");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    store_idp_get(r->db, person, &idp);
    owned(r, idp);
    jsonx_only(body, allowed, ei);
    apply_action(r, body, a, idp, &status, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    edit.body = body;
    rc = idp_action_update(r->db, &r->actor, id, merge_action, &edit,
                           json_object_get(body, "learning"), &out, ei);
    return written(r, 200, out, rc, "cannot save the action", ei);
}

enum err api_idp_milestone_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"title", "due_date", NULL};
    const char *title = NULL, *due = NULL;
    json_t *body, *out = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_SELF, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "title", &title, 300, false, ei), "title", ei);
    jsonx_str(body, "due_date", &due, 10, true, ei);
    if (title && !*title)
        err_field(ei, "title", "must not be empty");
    if (due && !time_valid_date(due))
        err_field(ei, "due_date", "must be a date written YYYY-MM-DD");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = idp_milestone_add(r->db, &r->actor, id, title, due, &out, ei);
    return written(r, 201, out, rc, "cannot add the milestone", ei);
}

enum err api_idp_milestone_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"done", NULL};
    json_t *body, *out = NULL;
    bool done = false;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_bool(body, "done", &done, ei), "done", ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = idp_milestone_done(r->db, &r->actor, id, done, &out, ei);
    return written(r, 200, out, rc, "cannot save the milestone", ei);
}

enum err api_idp_comment(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"body", NULL};
    const char *text = NULL;
    json_t *body, *out = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_COMMENT, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "body", &text, 4000, false, ei), "body", ei);
    if (text && !*text)
        err_field(ei, "body", "must not be empty");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = idp_comment(r->db, r->arena, &r->actor, id, text, &out, ei);
    return written(r, 201, out, rc, "cannot store the comment", ei);
}

enum err api_idp_sign_off(struct request *r, struct errinfo *ei)
{
    json_t *out = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_MANAGER, &id, ei);

    if (rc == ERR_OK)
        rc = idp_sign_off(r->db, &r->actor, id, &out, ei);
    return written(r, 200, out, rc, "cannot sign off the plan", ei);
}

enum err api_idp_history(struct request *r, struct errinfo *ei)
{
    json_t *idp = NULL, *items = NULL, *x;
    int64_t id;
    size_t i;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc)
        return rc;
    rc = store_idp_get(r->db, id, &idp);
    if (rc)
        return err_set(ei, rc,
                       rc == ERR_NOT_FOUND ? "no development plan yet" : "cannot read the plan");
    rc = store_idp_history(r->db, json_integer_value(json_object_get(idp, "id")), &items);
    json_decref(idp);
    json_array_foreach(items, i, x)
    {
        json_t *snap = json_loads(json_string_value(json_object_get(x, "snapshot")), 0, NULL);

        json_object_set_new(x, "snapshot", snap ? snap : json_null());
    }
    return reply(r, 200, json_pack("{s:o}", "items", items ? items : json_array()), rc, ei);
}

enum err api_learning_list(struct request *r, struct errinfo *ei)
{
    json_t *items = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc)
        return rc;
    rc = store_learning_of(r->db, id, &items);
    return reply(r, 200, json_pack("{s:o}", "items", items ? items : json_array()), rc, ei);
}

enum err api_learning_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"kind",         "title",      "provider",
                                          "completed_on", "expires_on", NULL};
    const char *kind = NULL, *title = NULL, *s = NULL, *done = NULL, *exp = NULL;
    json_t *body, *out = NULL;
    int64_t id;
    enum err rc = person_for(r, ACT_CAREER_READ, &id, ei);

    if (rc == ERR_OK &&
        policy_check(r->db, &r->actor, ACT_CAREER_RECORD, &(struct subject){.person_id = id}))
        return err_set(ei, ERR_FORBIDDEN, "the person and HR record learning");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "kind", &kind, 20, false, ei), "kind", ei);
    jsonx_require(jsonx_str(body, "title", &title, 300, false, ei), "title", ei);
    jsonx_str(body, "provider", &s, 200, true, ei);
    jsonx_require(jsonx_str(body, "completed_on", &done, 10, false, ei), "completed_on", ei);
    jsonx_str(body, "expires_on", &exp, 10, true, ei);
    if (kind && !is(kind, "course") && !is(kind, "certification") && !is(kind, "workshop"))
        err_field(ei, "kind", "must be course, certification or workshop");
    if (title && !*title)
        err_field(ei, "title", "must not be empty");
    if (done && !time_valid_date(done))
        err_field(ei, "completed_on", "must be a date written YYYY-MM-DD");
    if (exp && (!time_valid_date(exp) || (done && strcmp(exp, done) < 0)))
        err_field(ei, "expires_on", "must be a date after completed_on");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = careers_learning_add(r->db, &r->actor, id, body, &out, ei);
    return written(r, 200, json_pack("{s:o}", "items", out ? out : json_array()), rc,
                   "cannot store the record", ei);
}

enum err api_learning_expiring(struct request *r, struct errinfo *ei)
{
    json_t *rows = NULL, *items, *x;
    char from[11], to[11];
    int64_t days = 0;
    bool hr = policy_check(r->db, &r->actor, ACT_FRAMEWORK_ADMIN, NULL) == ERR_OK;
    size_t i;
    enum err rc;

    if (api_query_id(r, "days", &days, ei))
        return ERR_VALIDATION;
    if (!days) /* not sent */
        days = 90;
    if (days > 3650) {
        err_field(ei, "days", "must be between 1 and 3650");
        return err_fields_result(ei);
    }
    items = json_array();
    time_date(time_now(), from);
    time_date(time_now() + days * 86400, to);
    rc = store_learning_expiring(r->db, from, to, &rows);
    json_array_foreach(rows, i, x)
    {
        struct subject sub = {.person_id = json_integer_value(json_object_get(x, "person_id"))};

        /* HR reads everyone's: no manager chain to walk per row */
        if ((hr || policy_check(r->db, &r->actor, ACT_CAREER_READ, &sub) == ERR_OK))
            json_array_append(items, x);
    }
    json_decref(rows);
    return reply(r, 200, json_pack("{s:s, s:o}", "until", to, "items", items), rc, ei);
}
