/* SPDX-License-Identifier: MIT */
/* See export.h. Reads only: the caller decides who may ask (policy_export_person). */
#include "domain/export.h"

#include <string.h>

#include "domain/goals.h"
#include "domain/oneonones.h"
#include "domain/people.h"
#include "domain/reviews.h"
#include "domain/feedback.h"
#include "policy/policy.h"
#include "store/accomplishments.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/careers.h"
#include "store/feedback.h"
#include "store/goals.h"
#include "store/oneonones.h"
#include "store/people.h"
#include "store/reviews.h"
#include "util/jsonx.h"
#include "util/log.h"

/* Who reads the export: NULL for the operator's CLI (the data-subject request as the person
 * would read it); an HR or admin reader gets only what the policy lets them read of each item. */
struct reader {
    const struct actor *actor;
    bool self;  /* the person exports their own data, or the CLI */
    bool notes; /* the person themself, signed in: their own private one-on-one notes too */
    struct relation rel;
};

static bool may(const struct reader *rd, enum action act, const struct subject *s)
{
    if (rd->self)
        return true;
    return policy_decide_subject(rd->actor, act, &rd->rel, s) == ERR_OK;
}

/* A failed read ends the export: the section is named in the log and in the error. */
#define READ(what, call)                                                                           \
    do {                                                                                           \
        enum err rc_ = (call);                                                                     \
        if (rc_ != ERR_OK) {                                                                       \
            log_warn("export of person %lld: cannot read %s (%s)", (long long)id, what,            \
                     err_code(rc_));                                                               \
            return err_set(ei, rc_ == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_INTERNAL,            \
                           "cannot read %s for the export", what);                                 \
        }                                                                                          \
    } while (0)

static json_t *parsed(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;

    return v ? v : json_null();
}

/* Audit rows about or by the person. Someone else exporting (HR, an admin) sees the images of
 * the person record only: an image of a goal, a note or a review is readable by whoever may read
 * that item, which GET /api/v1/audit decides row by row. */
static enum err audit_rows(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                           const struct audit_query *q, json_t *arr, struct errinfo *ei)
{
    struct audit_row *v;
    size_t n;

    READ("the audit log", store_audit_list(db, a, q, &v, &n));
    for (size_t i = 0; i < n; i++) {
        bool images = rd->self || strcmp(v[i].entity, "person") == 0;
        json_t *o =
            json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)v[i].id, "at",
                      v[i].at, "actor_id", (json_int_t)v[i].actor_id, "action", v[i].action,
                      "entity", v[i].entity, "entity_id", (json_int_t)v[i].entity_id, "before",
                      images ? parsed(v[i].before_json) : json_null(), "after",
                      images ? parsed(v[i].after_json) : json_null());

        if (!images)
            json_object_set_new(o, "redacted", json_true());
        json_array_append_new(arr, o);
    }
    return ERR_OK;
}

static enum err profile(struct db *db, struct arena *a, int64_t id, json_t *out, struct errinfo *ei)
{
    struct person p;
    struct account acc;
    struct role_change *h;
    size_t nh;
    json_t *hist = json_array();
    enum err rc = store_people_get(db, a, id, &p);

    json_object_set_new(out, "role_history", hist);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, ERR_NOT_FOUND, "no person has id %lld", (long long)id);
    READ("the person", rc);
    json_object_set_new(out, "person", people_snapshot(&p));
    json_object_set_new(json_object_get(out, "person"), "id", json_integer(id));
    rc = store_accounts_get(db, a, id, &acc);
    if (rc != ERR_NOT_FOUND)
        READ("the account", rc);
    json_object_set_new(out, "account",
                        rc == ERR_OK ? json_pack("{s:s, s:b}", "role", acc.role, "has_password",
                                                 acc.password_hash != NULL)
                                     : json_null());
    READ("the role history", store_people_role_history(db, a, id, &h, &nh));
    for (size_t i = 0; i < nh; i++)
        json_array_append_new(hist, json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I, s:s?, s:s}",
                                              "effective_date", h[i].effective_date, "kind",
                                              h[i].kind, "title", h[i].title, "level", h[i].level,
                                              "department_id", (json_int_t)h[i].department_id,
                                              "manager_id", (json_int_t)h[i].manager_id, "reason",
                                              h[i].reason, "recorded_at", h[i].recorded_at));
    return ERR_OK;
}

static enum err goals(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                      json_t *out, struct errinfo *ei)
{
    json_t *arr = json_array();
    struct goal_query q = {.owner_id = id, .limit = 200};

    json_object_set_new(out, "goals", arr);
    for (;;) {
        struct goal *g;
        size_t n;

        READ("goals", store_goals_list(db, a, &q, &g, &n));
        READ("key results", store_goals_attach_krs(db, a, g, n));
        for (size_t i = 0; i < n; i++) {
            json_t *o, *cs;
            struct checkin *c;
            size_t nc;

            if (!rd->self) {
                struct subject sub = goals_subject(db, rd->actor, &g[i]);

                if (!may(rd, ACT_GOAL_READ, &sub))
                    continue;
            }
            o = goals_snapshot(&g[i]);
            cs = json_array();
            json_array_append_new(arr, o); /* owned by out from here: nothing leaks on failure */
            json_object_set_new(o, "checkins", cs);
            json_object_set_new(o, "id", json_integer(g[i].id));
            json_object_set_new(o, "description", jsonx_str_or_null(g[i].description));
            json_object_set_new(o, "created_at", jsonx_str_or_null(g[i].created_at));
            READ("check-ins", store_checkins_list(db, a, g[i].id, &c, &nc));
            for (size_t k = 0; k < nc; k++)
                json_array_append_new(
                    cs, json_pack("{s:s?, s:s?, s:s?, s:o, s:s?}", "created_at", c[k].created_at,
                                  "status", c[k].status, "comment", c[k].comment, "value",
                                  c[k].has_value ? json_real(c[k].value) : json_null(), "by",
                                  c[k].author_name));
        }
        if (n < (size_t)q.limit)
            return ERR_OK;
        q.after_id = g[n - 1].id;
    }
}

static enum err journal(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                        json_t *out, struct errinfo *ei)
{
    struct accomplishment_query q = {.person_id = id, .limit = 100000};
    struct accomplishment *v;
    size_t n;
    json_t *arr = json_array();

    json_object_set_new(out, "accomplishments", arr);
    READ("the journal", store_accomplishments_list(db, a, &q, &v, &n));
    for (size_t i = 0; i < n; i++)
        if (may(rd, ACT_ACCOMPLISHMENT_READ,
                &(struct subject){.person_id = id, .shared = v[i].shared}))
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:b, s:s?}", "happened_on",
                               v[i].happened_on, "title", v[i].title, "impact", v[i].impact,
                               "challenges", v[i].challenges, "links", parsed(v[i].links), "tags",
                               v[i].tags, "skills", v[i].skills, "shared_with_manager", v[i].shared,
                               "created_at", v[i].created_at));
    return ERR_OK;
}

static enum err feedback(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                         json_t *out, struct errinfo *ei)
{
    static const char *const keys[] = {"feedback_received", "feedback_given"};
    const enum feedback_scope scopes[] = {FB_RECEIVED, FB_GIVEN};

    for (int s = 0; s < 2; s++) {
        json_t *arr = json_array();
        int64_t before = 0;

        json_object_set_new(out, keys[s], arr);
        for (;;) {
            struct feedback *f;
            size_t n;

            READ("feedback", store_feedback_list(db, a, scopes[s], id, before, 200, &f, &n));
            for (size_t i = 0; i < n; i++) {
                struct subject sub =
                    rd->self ? (struct subject){0} : feedback_subject(rd->actor, &f[i]);

                if (!may(rd, ACT_FEEDBACK_READ, &sub))
                    continue;
                json_array_append_new(arr,
                                      json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:s, s:s}", "kind",
                                                f[i].kind, s == 0 ? "from" : "to",
                                                s == 0 ? f[i].author_name : f[i].recipient_name,
                                                "visibility", f[i].visibility, "body", f[i].body,
                                                "company_value", f[i].company_value, "created_at",
                                                f[i].created_at, "scope", keys[s]));
            }
            if (n < 200)
                break;
            before = f[n - 1].id;
        }
    }
    return ERR_OK;
}

/* Reviews the person wrote (all of their answers), and the manager reviews about them once the
 * outcome is released, without manager-only answers. Peer and upward reviews about them are
 * never listed one by one: the released outcomes hold their aggregate. */
static enum err reviews(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                        json_t *out, struct errinfo *ei)
{
    struct review *v;
    struct review_cycle *cycles;
    size_t n, ncycles;
    json_t *written = json_array(), *received = json_array();

    json_object_set_new(out, "reviews_written", written);
    json_object_set_new(out, "reviews_received", received);
    READ("reviews written", store_reviews_by_reviewer(db, a, id, 0, &v, &n));
    for (size_t i = 0; i < n; i++)
        if (rd->self || policy_check(db, rd->actor, ACT_REVIEW_READ,
                                     &(struct subject){.person_id = v[i].reviewee_id,
                                                       .level = v[i].kind}) == ERR_OK)
            json_array_append_new(written,
                                  json_pack("{s:I, s:s, s:s?, s:s, s:o, s:s?}", "cycle_id",
                                            (json_int_t)v[i].cycle_id, "kind", v[i].kind, "about",
                                            v[i].reviewee_id == id ? "self" : v[i].reviewee_name,
                                            "status", v[i].status, "answers", parsed(v[i].answers),
                                            "submitted_at", v[i].submitted_at));
    READ("review cycles", store_cycles_list(db, a, &cycles, &ncycles));
    for (size_t c = 0; c < ncycles; c++) {
        struct review_outcome o;
        enum err rc = store_outcomes_find(db, a, cycles[c].id, id, &o);

        if (rc == ERR_NOT_FOUND)
            continue;
        READ("review outcomes", rc);
        if (!o.released_at || o.withdrawn_at)
            continue;
        READ("reviews received", store_reviews_about(db, a, cycles[c].id, id, "manager", &v, &n));
        for (size_t i = 0; i < n; i++) {
            struct review_template t;
            json_t *answers, *questions;

            if (v[i].reviewer_id == id || !v[i].status || strcmp(v[i].status, "submitted") != 0)
                continue;
            READ("review templates", store_templates_get(db, a, v[i].template_id, &t));
            answers = parsed(v[i].answers);
            questions = parsed(t.questions);
            if (json_is_object(answers))
                reviews_strip_manager_only(questions, answers);
            json_decref(questions);
            json_array_append_new(received,
                                  json_pack("{s:I, s:s?, s:s, s:s?, s:o, s:s?}", "cycle_id",
                                            (json_int_t)v[i].cycle_id, "cycle", cycles[c].name,
                                            "kind", v[i].kind, "by", v[i].reviewer_name, "answers",
                                            answers, "submitted_at", v[i].submitted_at));
        }
    }
    return ERR_OK;
}

static enum err career(struct db *db, const struct reader *rd, int64_t id, json_t *out,
                       struct errinfo *ei)
{
    json_t *v = NULL, *idp = NULL;
    enum err rc;

    READ("skill ratings", store_ratings_history(db, id, &v));
    json_object_set_new(out, "ratings", v);
    rc = store_idp_get(db, id, &idp);
    if (rc != ERR_NOT_FOUND)
        READ("the development plan", rc);
    if (idp) {
        int64_t pid = json_integer_value(json_object_get(idp, "id"));

        json_object_set_new(out, "development_plan", idp);
        READ("development actions", store_idp_actions(db, pid, &v));
        json_object_set_new(idp, "actions", v);
        READ("development milestones", store_idp_milestones(db, pid, &v));
        json_object_set_new(idp, "milestones", v);
        READ("development comments", store_idp_comments(db, pid, &v));
        json_object_set_new(idp, "comments", v);
    } else
        json_object_set_new(out, "development_plan", json_null());
    READ("learning", store_learning_of(db, id, &v));
    json_object_set_new(out, "learning", v);
    READ("mentorships", store_mentorships_of(db, id, &v));
    if (!rd->self) { /* what a mentorship is for is its two sides' alone */
        size_t i;
        json_t *m;

        json_array_foreach(v, i, m)
        {
            json_object_del(m, "goals");
        }
    }
    json_object_set_new(out, "mentorships", v);
    READ("review outcomes", store_released_outcomes(db, id, &v));
    json_object_set_new(out, "review_outcomes", v);
    return ERR_OK;
}

/* Every meeting of the person's series: shared notes, the agenda, action items and the person's
 * own private note. The other side's private note is theirs alone and never read here. */
static enum err meetings(struct db *db, struct arena *a, const struct reader *rd, int64_t id,
                         json_t *out, struct errinfo *ei)
{
    struct series *s;
    size_t n;
    json_t *arr = json_array();

    json_object_set_new(out, "one_on_ones", arr);
    READ("one-on-one series", store_series_for(db, a, id, &s, &n));
    for (size_t i = 0; i < n; i++) {
        struct meeting *m;
        size_t nm;
        json_t *ms = json_array(), *items = json_array(),
               *one = json_pack("{s:s?, s:s?, s:s?, s:o}", "with",
                                s[i].lead_id == id ? s[i].member_name : s[i].lead_name, "relation",
                                s[i].relation, "status", s[i].status, "meetings", ms);

        json_array_append_new(arr, one); /* owned by out from here: nothing leaks on failure */
        if (rd->self)
            json_object_set_new(one, "action_items", items);
        else
            json_decref(items);
        READ("meetings", store_meetings_of(db, a, s[i].id, &m, &nm));
        for (size_t k = 0; k < nm; k++) {
            struct talking_point *p;
            struct action_item *x;
            size_t np, nx;
            json_t *points, *meeting;
            const char *sealed;
            char *mine = NULL;

            meeting = json_pack("{s:s?, s:s?}", "starts_at", m[k].starts_at, "status", m[k].status);
            json_array_append_new(ms, meeting);
            if (!rd->self)
                continue; /* a one-on-one is its two sides' alone: others learn it happened */
            /* the person's own private note, when they ask themselves (the operator's CLI and
             * HR never read a private note); the other side's is never read here */
            if (rd->notes) {
                READ("your private note", store_private_note_get(db, a, m[k].id, id, &sealed));
                mine = sealed ? oneonones_unseal(a, id, sealed) : NULL;
                if (sealed && !mine)
                    READ("your private note", ERR_INTERNAL);
                json_object_set_new(meeting, "my_private_note", jsonx_str_or_null(mine));
            }
            json_object_set_new(meeting, "skip_reason", jsonx_str_or_null(m[k].skip_reason));
            json_object_set_new(meeting, "shared_notes", jsonx_str_or_null(m[k].shared_notes));
            points = json_array();
            json_object_set_new(meeting, "talking_points", points);
            READ("talking points", store_points_of(db, a, m[k].id, &p, &np));
            for (size_t j = 0; j < np; j++)
                json_array_append_new(points, json_pack("{s:s?, s:s?, s:s?, s:s?}", "by",
                                                        p[j].author_name, "section", p[j].section,
                                                        "body", p[j].body, "status", p[j].status));
            READ("action items", store_actions_for_meeting(db, a, s[i].id, m[k].id, &x, &nx));
            for (size_t j = 0; j < nx; j++) {
                bool seen = false;

                for (size_t q = 0; q < json_array_size(items) && !seen; q++)
                    seen = json_integer_value(json_object_get(json_array_get(items, q), "id")) ==
                           x[j].id;
                if (!seen)
                    json_array_append_new(items, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?}",
                                                           "id", (json_int_t)x[j].id, "body",
                                                           x[j].body, "owner", x[j].owner_name,
                                                           "due_date", x[j].due_date, "status",
                                                           x[j].status, "done_at", x[j].done_at));
            }
        }
    }
    return ERR_OK;
}

static enum err notifications(struct db *db, struct arena *a, int64_t id, json_t *out,
                              struct errinfo *ei)
{
    struct notification *v;
    size_t n;
    json_t *arr = json_array();

    json_object_set_new(out, "notifications", arr);
    READ("notifications", store_notifications_of(db, a, id, 100000, &v, &n));
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s, s:s?}", "kind", v[i].kind,
                                             "body", v[i].body, "link", v[i].link, "created_at",
                                             v[i].created_at, "read_at", v[i].read_at));
    return ERR_OK;
}

enum err export_person(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                       json_t **out, struct errinfo *ei)
{
    json_t *o = json_object(), *about = json_array(), *by = json_array();
    struct reader rd = {.actor = actor,
                        .self = !actor || actor->person_id == id,
                        .notes = actor && actor->person_id == id};
    enum err rc;

    if (!rd.self)
        rd.rel = policy_relation(db, actor, id); /* once for the whole export */

    json_object_set_new(o, "exported_for", json_integer(id));
    json_object_set_new(o, "audit_about", about);
    json_object_set_new(o, "audit_by", by);
    rc = profile(db, a, id, o, ei);
    if (!rc)
        rc = goals(db, a, &rd, id, o, ei);
    if (!rc)
        rc = journal(db, a, &rd, id, o, ei);
    if (!rc)
        rc = feedback(db, a, &rd, id, o, ei);
    if (!rc)
        rc = reviews(db, a, &rd, id, o, ei);
    if (!rc)
        rc = career(db, &rd, id, o, ei);
    if (!rc)
        rc = meetings(db, a, &rd, id, o, ei);
    if (!rc)
        rc = notifications(db, a, id, o, ei);
    if (!rc)
        rc =
            audit_rows(db, a, &rd, id, &(struct audit_query){"person", id, 0, 0, 10000}, about, ei);
    if (!rc)
        rc = audit_rows(db, a, &rd, id, &(struct audit_query){NULL, 0, id, 0, 10000}, by, ei);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return ERR_OK;
}
