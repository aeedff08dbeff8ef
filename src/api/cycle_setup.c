/* SPDX-License-Identifier: MIT */
/* Setting up a review cycle and its templates (HR): one template read and edited, a cycle read
 * with its participant rules, a draft edited field by field, the live count of who a set of
 * rules covers, and the dry run of a launch. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/cycle_setup.h"
#include "domain/reviews.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return (a > b) - (a < b);
}

static const char *const scope_fields[SCOPE_KINDS] = {"department_ids", "manager_ids",
                                                      "include_ids", "exclude_ids"};

static bool has_id(const int64_t *v, size_t n, int64_t id)
{
    return n && bsearch(&id, v, n, sizeof(*v), cmp_i64) != NULL;
}

static const struct candidate *find_person(const struct candidate *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (v[mid].id == id)
            return &v[mid];
        if (v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Reads body.participants into sc; *given tells whether it was sent. Every id must name a
 * department or a person of the organisation. */
static enum err read_scope(struct request *r, json_t *body, struct cycle_scope *sc, bool *given,
                           struct errinfo *ei)
{
    static const char *const allowed[] = {"department_ids", "manager_ids", "include_ids",
                                          "exclude_ids", NULL};
    json_t *p = json_object_get(body, "participants");
    struct candidate *people = NULL;
    size_t np = 0;

    memset(sc, 0, sizeof(*sc));
    for (size_t k = 0; k < SCOPE_KINDS; k++)
        sc->ids[k] = arena_alloc(r->arena, sizeof(int64_t));
    *given = p != NULL && !json_is_null(p);
    if (!*given)
        return ERR_OK;
    if (!json_is_object(p)) {
        err_field(ei, "participants", "must be an object of department, manager and people lists");
        return ERR_OK;
    }
    jsonx_only(p, allowed, ei);
    if (store_candidates(r->db, r->arena, &people, &np) != ERR_OK)
        return err_set(ei, ERR_INTERNAL, "cannot read people");
    for (size_t k = 0; k < SCOPE_KINDS; k++) {
        json_t *list = json_object_get(p, scope_fields[k]), *x;
        char f[48];
        size_t i;

        snprintf(f, sizeof(f), "participants.%s", scope_fields[k]);
        if (!list || json_is_null(list))
            continue;
        if (!json_is_array(list) || json_array_size(list) > 1000) {
            err_field(ei, f, "must be a list of at most 1000 ids");
            continue;
        }
        sc->ids[k] = arena_alloc(r->arena, (json_array_size(list) + 1) * sizeof(int64_t));
        json_array_foreach(list, i, x)
        {
            int64_t id = json_is_integer(x) ? json_integer_value(x) : 0;
            bool known;

            if (id <= 0) {
                err_field(ei, f, "must be a list of ids");
                break;
            }
            if (k == SCOPE_DEPARTMENT) {
                struct department d;

                known = store_departments_get(r->db, r->arena, id, &d) == ERR_OK;
            } else {
                const struct candidate *c = find_person(people, np, id);

                /* a leaver left out by name may no longer be active */
                known = c && (c->active || k == SCOPE_EXCLUDE);
            }
            if (!known) {
                err_field(ei, f,
                          k == SCOPE_DEPARTMENT ? "names a department that does not exist"
                                                : "names someone who is not an active person");
                break;
            }
            sc->ids[k][sc->n[k]++] = id;
        }
        qsort(sc->ids[k], sc->n[k], sizeof(int64_t), cmp_i64);
        {
            size_t w = 0; /* the same id twice counts once */

            for (size_t j = 0; j < sc->n[k]; j++)
                if (!w || sc->ids[k][w - 1] != sc->ids[k][j])
                    sc->ids[k][w++] = sc->ids[k][j];
            sc->n[k] = w;
        }
    }
    for (size_t i = 0; i < sc->n[SCOPE_INCLUDE]; i++)
        if (has_id(sc->ids[SCOPE_EXCLUDE], sc->n[SCOPE_EXCLUDE], sc->ids[SCOPE_INCLUDE][i])) {
            err_field(ei, "participants.exclude_ids",
                      "names someone who is also included: choose one");
            break;
        }
    return ERR_OK;
}

static json_t *scope_json(const struct cycle_scope *sc)
{
    json_t *o = json_object();

    for (size_t k = 0; k < SCOPE_KINDS; k++) {
        json_t *a = json_array();

        for (size_t i = 0; i < sc->n[k]; i++)
            json_array_append_new(a, json_integer((json_int_t)sc->ids[k][i]));
        json_object_set_new(o, scope_fields[k], a);
    }
    return o;
}

/* Nullable id: null clears it. */
static void read_id(json_t *body, const char *key, int64_t *out, struct errinfo *ei)
{
    if (jsonx_int(body, key, out, true, ei) == JSONX_NULL)
        *out = 0;
}

static void cycle_read(json_t *body, struct review_cycle *c, struct errinfo *ei)
{
    jsonx_str(body, "name", &c->name, 200, false, ei);
    jsonx_str(body, "period_start", &c->period_start, 10, false, ei);
    jsonx_str(body, "period_end", &c->period_end, 10, false, ei);
    jsonx_int(body, "threshold", &c->threshold, false, ei);
    jsonx_int(body, "peers_per_person", &c->peers_per_person, false, ei);
    jsonx_bool(body, "manager_sees_peer_names", &c->manager_sees_peer_names, ei);
    read_id(body, "self_template_id", &c->self_template_id, ei);
    read_id(body, "manager_template_id", &c->manager_template_id, ei);
    read_id(body, "peer_template_id", &c->peer_template_id, ei);
    read_id(body, "upward_template_id", &c->upward_template_id, ei);
    read_id(body, "department_id", &c->department_id, ei);
    if (jsonx_str(body, "hired_before", &c->hired_before, 10, true, ei) == JSONX_NULL)
        c->hired_before = NULL;
    jsonx_str(body, "peer_selection", &c->peer_selection, 20, false, ei);
    jsonx_int(body, "min_peers", &c->min_peers, false, ei);
    jsonx_int(body, "max_requests_per_peer", &c->max_requests_per_peer, false, ei);
    api_cycle_deadlines(body, c, ei);
}

/* A template id must name a template of the given kind. */
static void check_tpl(struct request *r, const char *field, int64_t id, const char *kind,
                      struct errinfo *ei)
{
    struct review_template t = {0};

    if (!id)
        return;
    if (store_templates_get(r->db, r->arena, id, &t) != ERR_OK)
        err_field(ei, field, "no such template");
    else if (strcmp(t.kind, kind) != 0)
        err_field(ei, field, "must be a %s template", kind);
}

static void cycle_validate(struct request *r, struct review_cycle *c, struct errinfo *ei)
{
    if (!c->name || !*c->name)
        err_field(ei, "name", "is required");
    if (!c->period_start || !time_valid_date(c->period_start))
        err_field(ei, "period_start", "must be a date written YYYY-MM-DD");
    if (!c->period_end || !time_valid_date(c->period_end) ||
        (c->period_start && strcmp(c->period_end, c->period_start) < 0))
        err_field(ei, "period_end", "must be a date not before the start of the period");
    if (c->hired_before && *c->hired_before && !time_valid_date(c->hired_before))
        err_field(ei, "hired_before", "must be a date written YYYY-MM-DD");
    if (c->hired_before && !*c->hired_before)
        c->hired_before = NULL;
    if (c->threshold < 2 || c->threshold > 20)
        err_field(ei, "threshold", "must be 2 to 20 (anonymity needs at least two)");
    if (c->peers_per_person < 0 || c->peers_per_person > 10)
        err_field(ei, "peers_per_person", "must be 0 to 10");
    if (c->min_peers < 0 || c->min_peers > c->peers_per_person)
        err_field(ei, "min_peers", "must be 0 to peers_per_person");
    if (c->max_requests_per_peer < 0 || c->max_requests_per_peer > 20)
        err_field(ei, "max_requests_per_peer", "must be 0 (as peers_per_person) to 20");
    if (!c->peer_selection)
        c->peer_selection = "auto";
    else if (strcmp(c->peer_selection, "auto") != 0 && strcmp(c->peer_selection, "nominated") != 0)
        err_field(ei, "peer_selection", "must be auto (teammates) or nominated (by the employee)");
    if (!c->self_template_id && !c->manager_template_id && !c->peer_template_id &&
        !c->upward_template_id)
        err_field(ei, "self_template_id", "a cycle needs at least one template");
    if (c->department_id) {
        struct department d;

        if (store_departments_get(r->db, r->arena, c->department_id, &d) != ERR_OK)
            err_field(ei, "department_id", "names a department that does not exist");
    }
    check_tpl(r, "self_template_id", c->self_template_id, "self", ei);
    check_tpl(r, "manager_template_id", c->manager_template_id, "manager", ei);
    check_tpl(r, "peer_template_id", c->peer_template_id, "peer", ei);
    check_tpl(r, "upward_template_id", c->upward_template_id, "upward", ei);
}

/* The cycle with its stored participant rules; NULL when they cannot be read. */
static json_t *cycle_full_json(struct request *r, const struct review_cycle *c)
{
    struct cycle_scope sc;
    json_t *o;

    if (store_scope_get(r->db, r->arena, c->id, &sc) != ERR_OK)
        return NULL;
    o = api_cycle_json(c);
    json_object_set_new(o, "participants", scope_json(&sc));
    return o;
}

enum err api_review_cycles_get(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    json_t *out;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    out = rc ? NULL : cycle_full_json(r, &c);
    if (rc == ERR_OK && !out)
        rc = err_set(ei, ERR_INTERNAL, "cannot read the cycle's participant rules");
    if (rc == ERR_OK && c.launching) {
        /* how far a launch in ranges got: the people with their reviews written so far */
        int64_t enrolled = 0, assignments = 0;

        if (store_cycles_launch_counts(r->db, c.id, &enrolled, &assignments) != ERR_OK) {
            json_decref(out);
            return err_set(ei, ERR_INTERNAL, "cannot count the launch's progress");
        }
        json_object_set_new(out, "launch_progress",
                            json_pack("{s:I, s:I, s:I, s:s?}", "participants",
                                      (json_int_t)c.launch_participants, "enrolled",
                                      (json_int_t)enrolled, "assignments", (json_int_t)assignments,
                                      "last_written_at", c.launch_touched_at));
    }
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

const char *const api_cycle_fields[] = {"name",
                                        "period_start",
                                        "period_end",
                                        "threshold",
                                        "peers_per_person",
                                        "manager_sees_peer_names",
                                        "self_template_id",
                                        "manager_template_id",
                                        "peer_template_id",
                                        "department_id",
                                        "hired_before",
                                        "upward_template_id",
                                        "peer_selection",
                                        "min_peers",
                                        "max_requests_per_peer",
                                        "deadlines",
                                        "participants",
                                        NULL};

/* A cycle's settings as a create, a draft edit or a launched cycle's edit reads them, applied
 * inside the write's transaction (domain/cycle_setup.h). */
static enum err cycle_apply(void *ctx, struct review_cycle *c, struct cycle_scope *sc,
                            bool *sc_given, struct errinfo *ei)
{
    struct cycle_body *b = ctx;

    if (b->form == CYCLE_LAUNCHED) {
        /* after launch only the name and deadlines change, and the rules say who joins or
         * leaves at the next sync */
        jsonx_str(b->body, "name", &c->name, 200, false, ei);
        if (!c->name || !*c->name)
            err_field(ei, "name", "is required");
        api_cycle_deadlines(b->body, c, ei);
    } else {
        if (b->form == CYCLE_NEW) {
            jsonx_require(jsonx_str(b->body, "name", &c->name, 200, false, ei), "name", ei);
            jsonx_require(jsonx_str(b->body, "period_start", &c->period_start, 10, false, ei),
                          "period_start", ei);
            jsonx_require(jsonx_str(b->body, "period_end", &c->period_end, 10, false, ei),
                          "period_end", ei);
        }
        cycle_read(b->body, c, ei);
        if (!ei->nfields) /* the checks of what could not be read would only repeat it */
            cycle_validate(b->r, c, ei);
    }
    return read_scope(b->r, b->body, sc, sc_given, ei);
}

static json_t *cycle_image(void *ctx, const struct review_cycle *c)
{
    return cycle_full_json(((struct cycle_body *)ctx)->r, c);
}

struct cycle_edit api_cycle_edit(struct cycle_body *b)
{
    return (struct cycle_edit){.apply = cycle_apply, .image = cycle_image, .ctx = b};
}

enum err api_review_cycles_dry_run(struct request *r, struct errinfo *ei)
{
    static const char *const kinds[] = {"self", "manager", "peer", "upward"};
    struct review_cycle c;
    struct launch_tally t;
    json_t *by;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = reviews_launch_dry_run(r->db, r->arena, &c, &t, ei);
    if (rc)
        return rc;
    by = json_object();
    for (size_t k = 0; k < 4; k++)
        json_object_set_new(by, kinds[k], json_integer((json_int_t)t.by_kind[k]));
    response_json(r, 200,
                  json_pack("{s:I, s:I, s:o}", "participants", (json_int_t)t.participants,
                            "reviews", (json_int_t)t.total, "by_kind", by));
    return ERR_OK;
}

enum err api_review_cycle_participants(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"department_id", "hired_before", "participants", NULL};
    struct review_cycle c = {0};
    struct cycle_scope sc;
    struct candidate *m;
    size_t n;
    bool given;
    json_t *body, *people;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    read_id(body, "department_id", &c.department_id, ei);
    if (jsonx_str(body, "hired_before", &c.hired_before, 10, true, ei) == JSONX_NULL ||
        (c.hired_before && !*c.hired_before))
        c.hired_before = NULL;
    if (c.hired_before && !time_valid_date(c.hired_before))
        err_field(ei, "hired_before", "must be a date written YYYY-MM-DD");
    rc = read_scope(r, body, &sc, &given, ei);
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = cycle_match(r->db, r->arena, &c, &sc, &m, &n);
    if (rc)
        return rc == ERR_VALIDATION ? rc : err_set(ei, rc, "cannot count participants");
    people = json_array();
    for (size_t i = 0; i < n && i < 500; i++)
        json_array_append_new(people, json_pack("{s:I, s:s}", "id", (json_int_t)m[i].id, "name",
                                                m[i].name ? m[i].name : ""));
    response_json(r, 200, json_pack("{s:I, s:o}", "count", (json_int_t)n, "people", people));
    return ERR_OK;
}

static json_t *template_json(const struct review_template *t)
{
    json_t *q = t->questions ? json_loads(t->questions, 0, NULL) : NULL;

    return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)t->id, "name", t->name, "kind",
                     t->kind, "questions", q ? q : json_array(), "created_at", t->created_at);
}

static enum err load_template(struct request *r, struct review_template *t, struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = store_templates_get(r->db, r->arena, id, t);
    return rc == ERR_NOT_FOUND ? err_set(ei, rc, "no such template") : rc;
}

enum err api_review_templates_get(struct request *r, struct errinfo *ei)
{
    struct review_template t = {0};
    enum err rc = api_require_hr(r, ei);

    json_t *out;
    int64_t used = 0;

    if (rc == ERR_OK)
        rc = load_template(r, &t, ei);
    if (rc == ERR_OK)
        rc = store_templates_in_use(r->db, t.id, &used);
    if (rc)
        return rc == ERR_INTERNAL ? err_set(ei, rc, "cannot read the template") : rc;
    out = template_json(&t);
    /* the editor offers a copy instead of an edit the server would refuse */
    json_object_set_new(out, "launched_cycle_id",
                        used ? json_integer((json_int_t)used) : json_null());
    response_json(r, 200, out);
    return ERR_OK;
}

/* What is sent is applied, inside the write's transaction, to the template as it is then: a
 * field another edit changed meanwhile and this one did not send stays. */
enum err api_review_templates_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name", "kind", "questions", NULL};
    struct template_change k = {0};
    int64_t id;
    json_t *body, *out;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "name", &k.name, 200, false, ei);
    jsonx_str(body, "kind", &k.kind, 20, false, ei);
    if (k.name && !*k.name)
        err_field(ei, "name", "must not be empty");
    k.questions = json_object_get(body, "questions");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = reviews_template_update(r->db, r->arena, &r->actor, id, &k, &out, ei);
    if (rc)
        return rc;
    response_json(r, 200, out);
    return ERR_OK;
}

enum err api_reviews_reopen(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"reason", NULL};
    struct review rv;
    const char *reason = NULL;
    int64_t id;
    json_t *body;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK && store_reviews_get(r->db, r->arena, id, &rv) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such review");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "reason", &reason, 2000, false, ei), "reason", ei);
    if (reason && strlen(reason) < 10)
        err_field(ei, "reason", "explain in a sentence why the review is reopened (it is audited)");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = cycle_reopen_review(r->db, r->arena, &r->actor, &rv, reason, ei);
    if (rc)
        return rc;
    response_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)rv.id, "status", "draft"));
    return ERR_OK;
}

enum err api_review_cycles_person(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    struct review_outcome o;
    struct review *v;
    struct person p;
    size_t n;
    int64_t person;
    json_t *items, *out;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = api_path_id(r, 1, &person, ei);
    if (rc == ERR_OK && store_people_get(r->db, r->arena, person, &p) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such person");
    if (rc)
        return rc;
    rc = store_reviews_about(r->db, r->arena, c.id, person, NULL, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read the reviews");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s?, s:{s:I, s:s}}", "id", (json_int_t)v[i].id,
                             "kind", v[i].kind, "status", v[i].status, "submitted_at",
                             v[i].submitted_at, "reviewer", "id", (json_int_t)v[i].reviewer_id,
                             "name", v[i].reviewer_name ? v[i].reviewer_name : ""));
    out = json_pack("{s:{s:I, s:s}, s:o, s:n}", "person", "id", (json_int_t)p.id, "name",
                    p.name ? p.name : "", "reviews", items, "outcome");
    if (store_outcomes_find(r->db, r->arena, c.id, person, &o) == ERR_OK)
        json_object_set_new(out, "outcome",
                            json_pack("{s:I, s:I, s:s?, s:s?}", "id", (json_int_t)o.id, "version",
                                      (json_int_t)o.version, "released_at", o.released_at,
                                      "withdrawn_at", o.withdrawn_at));
    response_json(r, 200, out);
    return ERR_OK;
}
