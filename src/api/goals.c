/* SPDX-License-Identifier: MIT */
/* /api/v1/goals: goals and OKRs, alignment trees, check-ins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/goals.h"
#include "store/goals.h"
#include "store/people.h"
#include "util/jsonw.h"
#include "util/jsonx.h"

/* the most goals one page of the alignment tree reads (store_goals_tree) */
#define GOAL_TREE_MAX 1000000

static struct subject goal_subject(struct request *r, struct goal *g)
{
    return goals_subject(r->db, &r->actor, g);
}

/* The members of a goal object (docs/api.md "Goals and progress"), into an open object. */
static void goal_members(struct jsonw *w, const struct goal *g)
{
    jsonw_kint(w, "id", g->id);
    jsonw_kstr(w, "title", g->title);
    jsonw_kstr(w, "description", g->description);
    jsonw_kint(w, "owner_id", g->owner_id);
    api_ref_write(w, "owner", g->owner_id, g->owner_name);
    api_ref_write(w, "department", g->department_id, g->department_name);
    jsonw_kid(w, "parent_id", g->parent_id);
    jsonw_kstr(w, "level", g->level);
    jsonw_kstr(w, "kind", g->kind);
    jsonw_kstr(w, "status", g->status);
    jsonw_kstr(w, "visibility", g->visibility);
    jsonw_kdouble(w, "weight", g->weight);
    jsonw_kstr(w, "start_date", g->start_date);
    jsonw_kstr(w, "due_date", g->due_date);
    jsonw_kdouble(w, "progress", g->progress);
    jsonw_key(w, "rollup_progress");
    if (g->has_rollup)
        jsonw_double(w, g->rollup);
    else
        jsonw_null(w);
    jsonw_kint(w, "children_count", (int64_t)g->nchildren);
    jsonw_kid(w, "proposed_by", g->proposed_by);
    jsonw_key(w, "accepted");
    jsonw_bool(w, g->accepted);
    jsonw_kstr(w, "created_at", g->created_at);
    jsonw_kstr(w, "updated_at", g->updated_at);
    jsonw_kint(w, "version", g->version);
    jsonw_kstr(w, "last_checkin_at", g->last_checkin_at);
    if (g->contributors_loaded) {
        jsonw_key(w, "contributor_ids");
        jsonw_arr(w);
        for (size_t i = 0; i < g->ncontributors; i++)
            jsonw_int(w, g->contributors[i]);
        jsonw_arr_end(w);
    }
    jsonw_key(w, "key_results");
    jsonw_arr(w);
    for (size_t i = 0; i < g->nkrs; i++) {
        const struct key_result *k = &g->krs[i];
        struct goal one = {0};

        one.krs = (struct key_result *)(uintptr_t)k;
        one.nkrs = 1;
        one.status = "on_track";
        goals_progress(&one);
        jsonw_obj(w);
        jsonw_kint(w, "id", k->id);
        jsonw_kstr(w, "title", k->title);
        jsonw_kstr(w, "type", k->type);
        jsonw_kdouble(w, "start", k->start);
        jsonw_kdouble(w, "target", k->target);
        jsonw_kdouble(w, "current", k->current);
        jsonw_kstr(w, "unit", k->unit);
        jsonw_kstr(w, "direction", k->direction);
        jsonw_kdouble(w, "weight", k->weight);
        jsonw_key(w, "done");
        jsonw_bool(w, k->done);
        jsonw_kdouble(w, "progress", one.progress);
        jsonw_obj_end(w);
    }
    jsonw_arr_end(w);
}

/* Reads key_results[] into g (arena), collecting type problems. */
static void read_krs(struct request *r, json_t *arr, struct goal *g, struct errinfo *ei)
{
    static const char *const allowed[] = {"id",     "title",   "type", "start",
                                          "target", "current", "unit", "direction",
                                          "weight", "done",    NULL};
    size_t n = json_array_size(arr);

    if (!json_is_array(arr)) {
        err_field(ei, "key_results", "must be an array");
        return;
    }
    g->nkrs = n;
    g->krs = arena_zalloc(r->arena, (n + 1) * sizeof(*g->krs));
    for (size_t i = 0; i < n && i <= GOALS_MAX_KRS; i++) {
        json_t *o = json_array_get(arr, i);
        struct key_result *k = &g->krs[i];
        struct errinfo sub = {0};
        bool has_current = false;

        if (!json_is_object(o)) {
            err_field(ei, "key_results", "items must be objects");
            return;
        }
        k->type = "metric";
        k->direction = "increase";
        k->weight = 1;
        jsonx_only(o, allowed, &sub);
        jsonx_int(o, "id", &k->id, true, &sub);
        jsonx_str(o, "title", &k->title, 200, false, &sub);
        jsonx_str(o, "type", &k->type, 20, false, &sub);
        jsonx_num(o, "start", &k->start, &sub);
        jsonx_num(o, "target", &k->target, &sub);
        has_current = jsonx_num(o, "current", &k->current, &sub) == JSONX_SET;
        jsonx_str(o, "unit", &k->unit, 30, true, &sub);
        jsonx_str(o, "direction", &k->direction, 20, false, &sub);
        jsonx_num(o, "weight", &k->weight, &sub);
        jsonx_bool(o, "done", &k->done, &sub);
        if (!has_current)
            k->current = k->start;
        for (size_t f = 0; f < sub.nfields; f++)
            err_field(ei, arena_printf(r->arena, "key_results[%zu].%s", i, sub.fields[f].field),
                      "%s", sub.fields[f].problem);
    }
}

/* Applies the body's fields onto g; patch forbids level/owner changes. */
static void read_goal(struct request *r, json_t *body, struct goal *g, bool patch, bool *krs,
                      struct errinfo *ei)
{
    static const char *const allowed[] = {
        "title",       "description", "level",           "owner_id", "department_id", "parent_id",
        "kind",        "status",      "visibility",      "weight",   "start_date",    "due_date",
        "key_results", "accepted",    "contributor_ids", NULL};
    json_t *arr;
    bool accepted;

    jsonx_only(body, allowed, ei);
    jsonx_str(body, "title", &g->title, 200, false, ei);
    jsonx_str(body, "description", &g->description, 5000, true, ei);
    if (patch && (json_object_get(body, "level") || json_object_get(body, "owner_id"))) {
        if (json_object_get(body, "level"))
            err_field(ei, "level", "cannot be changed; create a new goal");
        if (json_object_get(body, "owner_id"))
            err_field(ei, "owner_id", "cannot be changed; create a new goal");
    } else {
        jsonx_str(body, "level", &g->level, 20, false, ei);
        jsonx_int(body, "owner_id", &g->owner_id, false, ei);
    }
    if (jsonx_int(body, "department_id", &g->department_id, true, ei) == JSONX_NULL)
        g->department_id = 0;
    if (jsonx_int(body, "parent_id", &g->parent_id, true, ei) == JSONX_NULL)
        g->parent_id = 0;
    jsonx_str(body, "kind", &g->kind, 20, false, ei);
    jsonx_str(body, "status", &g->status, 20, false, ei);
    jsonx_str(body, "visibility", &g->visibility, 20, false, ei);
    jsonx_num(body, "weight", &g->weight, ei);
    jsonx_str(body, "start_date", &g->start_date, 10, false, ei);
    jsonx_str(body, "due_date", &g->due_date, 10, false, ei);
    if (jsonx_bool(body, "accepted", &accepted, ei) == JSONX_SET) {
        if (!patch || !accepted)
            err_field(ei, "accepted", "only true, by the owner, to accept a proposed goal");
        else
            g->accepted = true;
    }
    arr = json_object_get(body, "contributor_ids");
    if (arr) {
        json_t *v;
        size_t i;

        g->ncontributors = 0;
        g->contributors_loaded = true;
        if (!json_is_array(arr) || json_array_size(arr) > GOAL_MAX_CONTRIBUTORS)
            err_field(ei, "contributor_ids", "must be an array of at most %d person ids",
                      GOAL_MAX_CONTRIBUTORS);
        else
            json_array_foreach(arr, i, v)
            {
                if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                    err_field(ei, "contributor_ids", "must hold person ids");
                    break;
                }
                g->contributors[g->ncontributors++] = json_integer_value(v);
            }
    }
    arr = json_object_get(body, "key_results");
    *krs = arr != NULL;
    if (arr)
        read_krs(r, arr, g, ei);
}

/* Every contributor must be a person (422 otherwise, before anything is written). */
static void check_contributors(struct request *r, const struct goal *g, struct errinfo *ei)
{
    for (size_t i = 0; i < g->ncontributors; i++) {
        struct person p;

        if (store_people_get(r->db, r->arena, g->contributors[i], &p) != ERR_OK) {
            err_field(ei, "contributor_ids", "person %lld does not exist",
                      (long long)g->contributors[i]);
            return;
        }
    }
}

/* What the caller may do with the goal, so the web UI offers only forms the server accepts:
 * one relation lookup decides them all. */
static void goal_can(struct request *r, struct jsonw *w, struct goal *g)
{
    struct subject sub = goal_subject(r, g);
    struct relation rel = policy_relation(r->db, &r->actor, g->owner_id);
    bool owner = g->owner_id == r->actor.person_id;
    bool edit = policy_decide_subject(&r->actor, ACT_GOAL_EDIT, &rel, &sub) == ERR_OK;
    bool checkin = policy_decide_subject(&r->actor, ACT_GOAL_CHECKIN, &rel, &sub) == ERR_OK;

    jsonw_key(w, "can");
    jsonw_obj(w);
    jsonw_key(w, "edit");
    jsonw_bool(w, edit || owner);
    jsonw_key(w, "delete");
    jsonw_bool(w, edit);
    jsonw_key(w, "check_in");
    jsonw_bool(w, checkin);
    /* a proposal is answered once: a declined one is abandoned */
    bool open = owner && !g->accepted && (!g->status || strcmp(g->status, "abandoned") != 0);

    jsonw_key(w, "accept");
    jsonw_bool(w, open);
    jsonw_key(w, "decline");
    jsonw_bool(w, open && g->proposed_by);
    jsonw_obj_end(w);
}

/* Renders the goal with its stored progress and roll-up. */
static enum err respond_goal(struct request *r, int status, struct goal *g, struct errinfo *ei)
{
    struct buf b;
    struct jsonw w;

    (void)ei;
    if (!g->contributors_loaded)
        store_goals_load_contributors(r->db, g);
    buf_init(&b, 64u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    goal_members(&w, g);
    goal_can(r, &w, g);
    request_add_header(r, "ETag", arena_printf(r->arena, "\"%lld\"", (long long)g->version));
    jsonw_obj_end(&w);
    response_json_buf(r, status, &b);
    return ERR_OK;
}

/* Loads goal id and checks act on it (a goal one may not read: 404). */
static enum err checked_goal(struct request *r, int64_t id, enum action act, struct goal *g,
                             struct errinfo *ei)
{
    struct subject sub;
    enum err rc = store_goals_get(r->db, r->arena, id, g);

    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such goal" : "cannot read the goal");
    store_goals_load_contributors(r->db, g);
    sub = goal_subject(r, g);
    rc = policy_check(r->db, &r->actor, act, &sub);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such goal");
    if (rc)
        return err_set(ei, rc, "you cannot change this goal");
    return ERR_OK;
}

/* Loads goal {id} and checks act on it. */
static enum err load_goal(struct request *r, enum action act, struct goal *g, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    return rc ? rc : checked_goal(r, id, act, g, ei);
}

enum err api_goals_get(struct request *r, struct errinfo *ei)
{
    struct goal g;
    enum err rc = load_goal(r, ACT_GOAL_READ, &g, ei);

    return rc ? rc : respond_goal(r, 200, &g, ei);
}

enum err api_goals_create(struct request *r, struct errinfo *ei)
{
    struct goal g = {0};
    struct person owner, me;
    json_t *body;
    bool krs;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    g.level = "individual";
    g.kind = "performance";
    g.visibility = "public";
    g.weight = 1;
    g.accepted = true;
    g.owner_id = r->actor.person_id;
    read_goal(r, body, &g, false, &krs, ei);
    jsonx_require(json_object_get(body, "title") ? JSONX_SET : JSONX_ABSENT, "title", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = store_people_get(r->db, r->arena, g.owner_id, &owner);
    if (rc == ERR_NOT_FOUND) {
        err_field(ei, "owner_id", "no such person");
        return err_fields_result(ei);
    }
    if (rc == ERR_OK)
        rc = store_people_get(r->db, r->arena, r->actor.person_id, &me);
    if (rc)
        return err_set(ei, rc, "cannot read people");
    rc = policy_check(
        r->db, &r->actor, ACT_GOAL_CREATE,
        &(struct subject){.person_id = g.owner_id, .visibility = g.visibility, .level = g.level});
    if (rc == ERR_OK && g.level && strcmp(g.level, "team") == 0 && r->actor.role == ROLE_EMPLOYEE &&
        me.reports_count == 0)
        rc = ERR_FORBIDDEN; /* team goals are set by managers (and HR) */
    if (rc)
        return err_set(ei, rc, "you cannot create this goal for this person");
    if (g.level && strcmp(g.level, "team") == 0 && !json_object_get(body, "department_id"))
        g.department_id = owner.department_id;
    if (g.owner_id != r->actor.person_id && r->actor.role == ROLE_EMPLOYEE) {
        /* a manager proposes; the report accepts (PATCH accepted=true) */
        g.proposed_by = r->actor.person_id;
        g.accepted = false;
        if (!json_object_get(body, "status"))
            g.status = "draft";
    }
    if (!g.status)
        g.status = "on_track";
    check_contributors(r, &g, ei);
    goals_validate(&g, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = goals_create(r->db, r->arena, &r->actor, &g, ei);
    if (rc)
        return rc;
    g.owner_name = owner.name;
    g.department_name = NULL;
    return api_goals_get_after(r, g.id, 201, ei);
}

enum err api_goals_get_after(struct request *r, int64_t id, int status, struct errinfo *ei)
{
    struct goal g;
    enum err rc = store_goals_get(r->db, r->arena, id, &g);

    if (rc)
        return err_set(ei, rc, "cannot read the goal");
    return respond_goal(r, status, &g, ei);
}

struct goal_patch {
    struct request *r;
    json_t *body;
};

/* Merges the PATCH body into the goal as goals_edit read it, in its transaction. */
static void merge_goal(struct db *db, struct arena *a, void *ctx, const struct goal *before,
                       struct goal *after, bool *krs, struct errinfo *ei)
{
    struct goal_patch *p = ctx;
    struct request *r = p->r;

    (void)db;
    (void)a;
    read_goal(r, p->body, after, true, krs, ei);
    if (after->accepted && !before->accepted && r->actor.person_id != before->owner_id)
        err_field(ei, "accepted", "only the owner accepts a proposed goal");
    else if (after->accepted && !before->accepted && before->status &&
             strcmp(before->status, "abandoned") == 0)
        err_field(ei, "accepted", "this proposal was declined");
    if (after->accepted && !before->accepted && strcmp(after->status, "draft") == 0 &&
        !json_object_get(p->body, "status"))
        after->status = "on_track";
    if (err_fields_result(ei) == ERR_OK)
        check_contributors(r, after, ei);
}

/* The version an edit was made from: If-Match ("N" or W/"N"), else "version" in the body (taken
 * out of it); 0 when neither is sent. */
static enum err edit_version(struct request *r, json_t *body, int64_t *version, struct errinfo *ei)
{
    const char *m = request_header(r, "If-Match");
    json_t *v = json_object_get(body, "version");
    char *end;

    *version = 0;
    if (m) {
        if (strncmp(m, "W/", 2) == 0)
            m += 2;
        if (*m == '"')
            m++;
        *version = strtoll(m, &end, 10);
        if (*version < 1 || (*end != '"' && *end != '\0'))
            return err_set(ei, ERR_PRECONDITION,
                           "If-Match must be the goal's ETag, as GET /api/v1/goals/{id} sent it");
    } else if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            err_field(ei, "version", "must be the goal's version, as it was read");
            return err_fields_result(ei);
        }
        *version = json_integer_value(v);
    }
    json_object_del(body, "version");
    return ERR_OK;
}

enum err api_goals_patch(struct request *r, struct errinfo *ei)
{
    struct goal_patch p = {.r = r};
    int64_t id, version = 0;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &p.body, ei);
    if (rc == ERR_OK)
        rc = edit_version(r, p.body, &version, ei);
    if (rc == ERR_OK)
        rc = goals_edit(r->db, r->arena, &r->actor, id, version, merge_goal, &p, ei);
    return rc ? rc : api_goals_get_after(r, id, 200, ei);
}

enum err api_goals_decline(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"reason", NULL};
    const char *reason = NULL;
    json_t *body;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "reason", &reason, 1000, false, ei), "reason", ei);
    if (reason && !*reason)
        err_field(ei, "reason", "must say why, for the person who proposed it");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = goals_decline(r->db, r->arena, &r->actor, id, reason, ei);
    return rc ? rc : api_goals_get_after(r, id, 200, ei);
}

enum err api_goals_delete(struct request *r, struct errinfo *ei)
{
    struct goal g;
    enum err rc = load_goal(r, ACT_GOAL_EDIT, &g, ei);

    if (rc)
        return rc;
    rc = goals_delete(r->db, r->arena, &r->actor, &g, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

static json_t *checkin_json(const struct checkin *c)
{
    return json_pack("{s:I, s:o, s:{s:I, s:s?}, s:o, s:s?, s:I, s:s?, s:f, s:s}", "id",
                     (json_int_t)c->id, "key_result_id",
                     c->key_result_id ? json_integer(c->key_result_id) : json_null(), "author",
                     "id", (json_int_t)c->author_id, "name", c->author_name, "value",
                     c->has_value ? json_real(c->value) : json_null(), "status", c->status,
                     "confidence", (json_int_t)c->confidence, "comment", c->comment, "progress",
                     c->progress, "created_at", c->created_at);
}

enum err api_goals_checkins_list(struct request *r, struct errinfo *ei)
{
    struct goal g;
    struct checkin *v;
    size_t n;
    json_t *items;
    enum err rc = load_goal(r, ACT_GOAL_READ, &g, ei);

    if (rc)
        return rc;
    rc = store_checkins_list(r->db, r->arena, g.id, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read check-ins");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, checkin_json(&v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

enum err api_goals_checkin(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"key_result_id", "value",   "status",
                                          "confidence",    "comment", NULL};
    struct goal g;
    struct checkin c = {0};
    json_t *body;
    enum err rc = load_goal(r, ACT_GOAL_CHECKIN, &g, ei);

    if (rc)
        return rc;
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_int(body, "key_result_id", &c.key_result_id, true, ei);
    c.has_value = jsonx_num(body, "value", &c.value, ei) == JSONX_SET;
    jsonx_str(body, "status", &c.status, 20, true, ei);
    jsonx_require(jsonx_int(body, "confidence", &c.confidence, false, ei), "confidence", ei);
    if (json_is_integer(json_object_get(body, "confidence")) &&
        (c.confidence < 1 || c.confidence > 5))
        err_field(ei, "confidence", "must be 1 to 5");
    jsonx_str(body, "comment", &c.comment, 2000, true, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = goals_checkin(r->db, r->arena, &r->actor, &g, &c, ei);
    if (rc)
        return rc;
    return api_goals_get_after(r, g.id, 201, ei);
}

/* "2026", "2026-Q3", "2026-H1" -> the first and last dates. */
static bool parse_period(struct arena *a, const char *p, const char **from, const char **to)
{
    static const char *const q_from[] = {"01-01", "04-01", "07-01", "10-01"};
    static const char *const q_to[] = {"03-31", "06-30", "09-30", "12-31"};
    char *end;
    long y = strtol(p, &end, 10);

    if (end != p + 4 || y < 1900 || y > 2999)
        return false;
    if (*end == '\0') {
        *from = arena_printf(a, "%ld-01-01", y);
        *to = arena_printf(a, "%ld-12-31", y);
        return true;
    }
    if (end[0] == '-' && end[1] == 'Q' && end[2] >= '1' && end[2] <= '4' && !end[3]) {
        *from = arena_printf(a, "%ld-%s", y, q_from[end[2] - '1']);
        *to = arena_printf(a, "%ld-%s", y, q_to[end[2] - '1']);
        return true;
    }
    if (end[0] == '-' && end[1] == 'H' && (end[2] == '1' || end[2] == '2') && !end[3]) {
        *from = arena_printf(a, "%ld-%s", y, end[2] == '1' ? "01-01" : "07-01");
        *to = arena_printf(a, "%ld-%s", y, end[2] == '1' ? "06-30" : "12-31");
        return true;
    }
    return false;
}

enum err api_goals_list(struct request *r, struct errinfo *ei)
{
    struct goal_query q = {0};
    const char *s;
    struct goal *v;
    size_t n, shown = 0;
    int limit;
    int64_t last = 0;
    struct buf b;
    struct jsonw w;
    enum err rc = api_limit(r, &limit, ei);

    if (rc)
        return rc;
    if (api_query_id(r, "owner", &q.owner_id, ei) || api_query_id(r, "parent", &q.parent_id, ei))
        return ERR_VALIDATION;
    s = request_query(r, "mine");
    if (s && strcmp(s, "1") == 0)
        q.owner_id = r->actor.person_id;
    s = request_query(r, "team");
    if (s && strcmp(s, "1") == 0)
        q.manager_id = r->actor.person_id;
    q.level = request_query(r, "level");
    q.status = request_query(r, "status");
    if (q.level && !*q.level)
        q.level = NULL;
    if (q.status && !*q.status)
        q.status = NULL;
    s = request_query(r, "period");
    if (s && *s && !parse_period(r->arena, s, &q.from, &q.to))
        err_field(ei, "period", "must be YYYY, YYYY-Qn or YYYY-Hn");
    s = request_query(r, "cursor");
    if (s && *s && api_query_id(r, "cursor", &q.after_id, ei))
        err_field(ei, "cursor", "is not a cursor this server gave out");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    buf_init(&b, 64u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_key(&w, "items");
    jsonw_arr(&w);
    /* keep reading pages until the visible ones fill the limit (hidden goals are skipped) */
    for (int round = 0; round < 20 && shown < (size_t)limit; round++) {
        q.limit = limit + 1;
        rc = store_goals_list(r->db, r->arena, &q, &v, &n);
        if (rc == ERR_OK)
            rc = store_goals_attach_krs(r->db, r->arena, v, n);
        if (rc) {
            buf_cleanup(&b);
            return err_set(ei, rc, "cannot list goals");
        }
        for (size_t i = 0; i < n && shown < (size_t)limit; i++) {
            struct subject sub = goal_subject(r, &v[i]);

            last = v[i].id;
            q.after_id = v[i].id;
            if (policy_check(r->db, &r->actor, ACT_GOAL_READ, &sub) != ERR_OK)
                continue; /* docs/api.md: private goals are absent from lists */
            jsonw_obj(&w);
            goal_members(&w, &v[i]);
            jsonw_obj_end(&w);
            shown++;
        }
        if (n <= (size_t)limit)
            break;
    }
    jsonw_arr_end(&w);
    jsonw_kstr(&w, "next_cursor",
               shown == (size_t)limit && last ? arena_printf(r->arena, "%lld", (long long)last)
                                              : NULL);
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

/* Writes node i and, down to max_depth, its kept children (child lists by index). A node at the
 * last level lists no children: children_complete says whether there are more to ask for. */
static void tree_node(struct jsonw *w, struct goal *v, const size_t *first, const size_t *next,
                      size_t i, const bool *keep, int depth, int max_depth)
{
    bool listed = depth + 1 < max_depth;

    jsonw_obj(w);
    goal_members(w, &v[i]);
    jsonw_key(w, "children");
    jsonw_arr(w);
    if (listed)
        for (size_t c = first[i]; c != (size_t)-1; c = next[c])
            if (keep[c])
                tree_node(w, v, first, next, c, keep, depth + 1, max_depth);
    jsonw_arr_end(w);
    jsonw_key(w, "children_complete");
    jsonw_bool(w, listed || v[i].nchildren == 0);
    jsonw_obj_end(w);
}

static int by_id(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key, id = ((const struct goal *)elem)->id;

    return k < id ? -1 : k > id;
}

enum err api_goals_tree(struct request *r, struct errinfo *ei)
{
    struct goal_tree_query q = {.roots = TREE_COMPANY, .depth = 3};
    const char *s = request_query(r, "period");
    int64_t dept = 0, parent = 0, depth = 0, *roots;
    int limit;
    size_t n, nroots, shown, *up, *first, *next;
    struct goal *v;
    bool *keep;
    struct buf b;
    struct jsonw w;
    const size_t none = (size_t)-1;
    enum err rc = api_limit(r, &limit, ei);

    if (rc)
        return rc;
    if (s && *s && !parse_period(r->arena, s, &q.from, &q.to))
        err_field(ei, "period", "must be YYYY, YYYY-Qn or YYYY-Hn");
    if (api_query_id(r, "department", &dept, ei) || api_query_id(r, "depth", &depth, ei) ||
        api_query_id(r, "parent", &parent, ei))
        return ERR_VALIDATION;
    s = request_query(r, "cursor");
    if (s && *s && api_query_id(r, "cursor", &q.after_id, ei))
        err_field(ei, "cursor", "is not a cursor this server gave out");
    if (depth > 16)
        err_field(ei, "depth", "must be 1 to 16");
    if (dept && parent)
        err_field(ei, "parent", "cannot be combined with department");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (parent) {
        /* the goals aligned to one goal: only below a goal the caller may read */
        struct goal g;

        rc = checked_goal(r, parent, ACT_GOAL_READ, &g, ei);
        if (rc)
            return rc;
        q.roots = TREE_PARENT;
        q.of = parent;
    } else if (dept) {
        q.roots = TREE_DEPARTMENT;
        q.of = dept;
    }
    if (depth)
        q.depth = (int)depth;
    q.roots_limit = limit + 1; /* one more root tells whether there is a next page */
    /* a page of the tree holds at most a million goals (the whole tree of 100,000 people's five
     * goals each is half that); tests lower it with the answer's ceiling, a goal per 64 bytes */
    q.max_goals = r->answer_max ? (int64_t)(r->answer_max / 64) : GOAL_TREE_MAX;
    rc = store_goals_tree(r->db, r->arena, &q, &roots, &nroots, &v, &n);
    if (rc == ERR_TOO_LARGE) {
        ei->code = "answer_too_large";
        return err_set(ei, rc,
                       "the tree holds more than %lld goals: ask for less (a page, fewer levels)",
                       (long long)q.max_goals);
    }
    if (rc)
        return err_set(ei, rc, "cannot read goals");
    shown = nroots > (size_t)limit ? (size_t)limit : nroots;
    up = arena_alloc(r->arena, (n + 1) * sizeof(size_t));
    first = arena_alloc(r->arena, (n + 1) * sizeof(size_t));
    next = arena_alloc(r->arena, (n + 1) * sizeof(size_t));
    keep = arena_zalloc(r->arena, n + 1);
    for (size_t i = 0; i < n; i++) {
        struct goal *p = v[i].parent_id ? bsearch(&v[i].parent_id, v, n, sizeof(*v), by_id) : NULL;
        struct subject sub = goal_subject(r, &v[i]);

        up[i] = p ? (size_t)(p - v) : none;
        first[i] = none;
        keep[i] = policy_check(r->db, &r->actor, ACT_GOAL_READ, &sub) == ERR_OK;
    }
    for (size_t i = n; i-- > 0;)
        if (up[i] != none) {
            next[i] = first[up[i]];
            first[up[i]] = i;
        }
    buf_init(&b, 512u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_key(&w, "items");
    jsonw_arr(&w);
    /* the page's roots in id order (one aligned below another goal of the page shows there);
     * the root past the limit, and what hangs below it, only tells that there is another page */
    for (size_t k = 0; k < shown; k++) {
        struct goal *g = bsearch(&roots[k], v, n, sizeof(*v), by_id);
        size_t i = g ? (size_t)(g - v) : none;

        if (i != none && up[i] == none && keep[i])
            tree_node(&w, v, first, next, i, keep, 0, q.depth);
    }
    jsonw_arr_end(&w);
    jsonw_kstr(&w, "next_cursor",
               nroots > (size_t)limit ? arena_printf(r->arena, "%lld", (long long)roots[shown - 1])
                                      : NULL);
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}
