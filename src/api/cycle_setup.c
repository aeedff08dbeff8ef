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

void api_cycle_read(json_t *body, struct review_cycle *c, struct errinfo *ei)
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

void api_cycle_validate(struct request *r, struct review_cycle *c, struct errinfo *ei)
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

enum err api_cycle_scope_store(struct request *r, json_t *body, int64_t cycle, bool replace_only,
                               struct errinfo *ei)
{
    struct cycle_scope sc;
    bool given;

    enum err rc = read_scope(r, body, &sc, &given, ei);

    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc || !cycle)
        return rc;
    if (replace_only && !given)
        return ERR_OK;
    return store_scope_replace(r->db, cycle, &sc);
}

json_t *api_cycle_full_json(struct request *r, const struct review_cycle *c)
{
    struct cycle_scope sc;
    json_t *o = api_cycle_json(c);

    if (store_scope_get(r->db, r->arena, c->id, &sc) == ERR_OK)
        json_object_set_new(o, "participants", scope_json(&sc));
    return o;
}

enum err api_review_cycles_get(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc)
        return rc;
    response_json(r, 200, api_cycle_full_json(r, &c));
    return ERR_OK;
}

/* PATCH of a draft: every setting may change; what is not sent stays as it was. */
enum err api_review_cycles_patch_draft(struct request *r, struct review_cycle *c, json_t *body,
                                       struct errinfo *ei)
{
    static const char *const allowed[] = {"name",
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
    json_t *before, *after;
    struct review_cycle now;
    enum err rc;

    jsonx_only(body, allowed, ei);
    api_cycle_read(body, c, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    api_cycle_validate(r, c, ei);
    rc = api_cycle_scope_store(r, body, 0, false, ei);
    if (rc)
        return rc;
    rc = db_begin(r->db);
    /* the body is applied again to the row as it is inside the transaction (locked): a setting
     * another edit changed meanwhile and this one did not send stays */
    if (rc == ERR_OK)
        rc = store_cycles_get_for_update(r->db, r->arena, c->id, &now);
    if (rc == ERR_OK && strcmp(now.status, "draft") != 0)
        rc = ERR_CONFLICT;
    if (rc) {
        db_end(r->db, rc);
        return rc == ERR_CONFLICT ? err_set(ei, rc, "the cycle was launched meanwhile")
                                  : err_set(ei, rc, "cannot read the cycle");
    }
    before = api_cycle_full_json(r, &now);
    *c = now;
    api_cycle_read(body, c, ei);
    api_cycle_validate(r, c, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = store_cycles_update_draft(r->db, c);
    if (rc == ERR_OK)
        rc = api_cycle_scope_store(r, body, c->id, true, ei);
    after = rc == ERR_OK ? api_cycle_full_json(r, c) : NULL;
    if (rc == ERR_OK)
        rc = audit_record(r->db, r->actor.person_id, "review_cycle.update", "review_cycle", c->id,
                          before, after);
    rc = db_end(r->db, rc);
    json_decref(before);
    if (rc) {
        json_decref(after);
        return ei->nfields || ei->message[0] ? rc : err_set(ei, rc, "cannot store the cycle");
    }
    response_json(r, 200, after);
    return ERR_OK;
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

/* Applies body (name, kind, questions: what is sent) to t, the questions checked for the kind
 * t ends with; field errors in ei. */
static void template_merge(struct request *r, json_t *body, struct review_template *t,
                           struct errinfo *ei)
{
    json_t *sent = json_object_get(body, "questions");
    json_t *stored, *q;
    char *text;

    jsonx_str(body, "name", &t->name, 200, false, ei);
    jsonx_str(body, "kind", &t->kind, 20, false, ei);
    if (t->name && !*t->name)
        err_field(ei, "name", "must not be empty");
    stored = sent ? NULL : json_loads(t->questions, 0, NULL);
    q = reviews_check_template(t->kind, sent ? sent : stored, ei);
    json_decref(stored);
    text = q && !ei->nfields ? json_dumps(q, JSON_COMPACT) : NULL;
    if (text)
        t->questions = arena_strdup(r->arena, text);
    free(text);
    json_decref(q);
}

/* The body is checked on a first read (422 early) and applied again, inside the write's
 * transaction, to the template as it is then: a field another edit changed meanwhile and this
 * one did not send stays. */
enum err api_review_templates_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"name", "kind", "questions", NULL};
    struct review_template t = {0}, cur = {0};
    json_t *body, *before = NULL, *after = NULL;
    char now[21];
    int64_t used = 0;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = load_template(r, &t, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    template_merge(r, body, &t, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = db_begin(r->db);
    if (rc == ERR_OK)
        rc = store_templates_get_for_update(r->db, r->arena, t.id, &cur);
    if (rc == ERR_OK)
        rc = store_templates_in_use(r->db, t.id, &used);
    if (rc == ERR_OK && used) {
        db_end(r->db, ERR_CONFLICT);
        return err_set(ei, ERR_CONFLICT,
                       "a launched cycle uses this template: its reviews keep these questions; "
                       "create a new template instead");
    }
    if (rc == ERR_OK) {
        t = cur;
        template_merge(r, body, &t, ei);
        rc = err_fields_result(ei);
        if (rc) {
            db_end(r->db, rc);
            return rc;
        }
    }
    if (rc == ERR_OK && strcmp(cur.kind, t.kind) != 0) {
        /* a draft cycle may name it for its kind: a change of kind would break that cycle */
        int64_t draft = 0;

        rc = store_templates_in_draft(r->db, t.id, &draft);
        if (rc == ERR_OK && draft) {
            db_end(r->db, ERR_VALIDATION);
            err_field(ei, "kind", "cannot change while a draft cycle uses this template");
            return err_fields_result(ei);
        }
    }
    if (rc == ERR_OK) {
        before = template_json(&cur);
        after = template_json(&t);
        rc = store_templates_update(r->db, &t, now);
    }
    if (rc == ERR_OK)
        rc = audit_record(r->db, r->actor.person_id, "review_template.update", "review_template",
                          t.id, before, after);
    rc = db_end(r->db, rc);
    json_decref(before);
    if (rc) {
        json_decref(after);
        return err_set(ei, rc, "cannot store the template");
    }
    response_json(r, 200, after);
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
