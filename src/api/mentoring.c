/* SPDX-License-Identifier: MIT */
/* The networking side of career development: mentor offers and matching, mentorships, internal
 * opportunities with interest and ranking, IDP suggestions; and the measures of progress: the
 * career page, the HR dashboard and the career record a person keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/careers.h"
#include "domain/mentoring.h"
#include "store/careers.h"
#include "store/feedback.h"
#include "store/people.h"
#include "util/buf.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/tz.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int64_t iv(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *sv(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
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

enum err api_mentor_offer_put(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"skill_ids", "capacity", "note", "active", NULL};
    json_t *body, *ids, *x, *out = NULL, *found = NULL;
    int64_t capacity = 2, skills[32];
    const char *note = NULL;
    bool active = true;
    size_t n = 0, i;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_int(body, "capacity", &capacity, false, ei);
    jsonx_str(body, "note", &note, 1000, true, ei);
    jsonx_bool(body, "active", &active, ei);
    ids = json_object_get(body, "skill_ids");
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 32)
        err_field(ei, "skill_ids", "name 1 to 32 skills you can mentor in");
    json_array_foreach(ids, i, x)
    {
        if (n < 32 && json_is_integer(x) &&
            store_skill_get(r->db, json_integer_value(x), &found) == ERR_OK)
            skills[n++] = json_integer_value(x);
        else
            err_field(ei, "skill_ids", "no skill has the id at position %zu", i);
        json_decref(found);
        found = NULL;
    }
    if (capacity < 1 || capacity > 10)
        err_field(ei, "capacity", "must be 1 to 10 mentees");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = mentoring_offer_put(
        r->db, &r->actor,
        &(struct mentor_offer){
            .capacity = capacity, .note = note, .active = active, .skills = skills, .nskills = n},
        &out, ei);
    if (rc)
        return rc;
    return reply(r, 200, out, rc, ei);
}

enum err api_mentors_match(struct request *r, struct errinfo *ei)
{
    struct person me;
    json_t *cands = NULL, *skill = NULL, *ranked;
    int64_t sk = 0;
    enum err rc = api_query_id(r, "skill", &sk, ei);

    if (rc)
        return rc;
    if (!sk || store_skill_get(r->db, sk, &skill) != ERR_OK) {
        err_field(ei, "skill", "name a skill of the catalogue");
        return err_fields_result(ei);
    }
    rc = store_people_get(r->db, r->arena, r->actor.person_id, &me);
    if (rc == ERR_OK)
        rc = store_mentor_candidates(r->db, sk, &cands);
    if (rc) {
        json_decref(skill);
        return err_set(ei, rc, "cannot read mentors");
    }
    ranked = careers_rank_mentors(cands, me.id, me.department_id);
    json_decref(cands);
    /* the best 25 with room: a short list to choose from, not the whole company */
    while (json_array_size(ranked) > 25)
        json_array_remove(ranked, json_array_size(ranked) - 1);
    response_json(r, 200, json_pack("{s:o, s:o}", "skill", skill, "items", ranked));
    return ERR_OK;
}

enum err api_mentorships_list(struct request *r, struct errinfo *ei)
{
    json_t *items = NULL, *offer = NULL;
    enum err rc = store_mentorships_of(r->db, r->actor.person_id, &items);

    if (store_mentor_offer_get(r->db, r->actor.person_id, &offer) != ERR_OK)
        offer = json_null();
    return reply(r, 200,
                 json_pack("{s:o, s:o}", "items", items ? items : json_array(), "offer", offer), rc,
                 ei);
}

enum err api_mentorships_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"mentor_id",  "skill_id", "goals",
                                          "start_date", "end_date", NULL};
    json_t *body, *out = NULL;
    struct mentorship_request q = {0};
    int64_t id = 0;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_int(body, "mentor_id", &q.mentor_id, false, ei), "mentor_id", ei);
    jsonx_int(body, "skill_id", &q.skill_id, true, ei);
    jsonx_str(body, "goals", &q.goals, 2000, true, ei);
    jsonx_require(jsonx_str(body, "start_date", &q.start_date, 10, false, ei), "start_date", ei);
    jsonx_str(body, "end_date", &q.end_date, 10, true, ei);
    if (q.start_date && !time_valid_date(q.start_date))
        err_field(ei, "start_date", "must be a date written YYYY-MM-DD");
    if (q.end_date &&
        (!time_valid_date(q.end_date) || (q.start_date && strcmp(q.end_date, q.start_date) <= 0)))
        err_field(ei, "end_date", "must be a date after start_date");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = mentoring_request(r->db, &r->actor, &q, &id, ei);
    if (rc)
        return rc;
    rc = store_mentorship_get(r->db, id, &out);
    return reply(r, 201, out, rc, ei);
}

/* The mentor answers a request: accepted (within capacity) or declined; the mentee is told. */
static enum err answer(struct request *r, bool accept, struct errinfo *ei)
{
    json_t *out = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = mentoring_answer(r->db, &r->actor, id, accept, ei);
    if (rc)
        return rc;
    rc = store_mentorship_get(r->db, id, &out);
    return reply(r, 200, out, rc, ei);
}

enum err api_mentorships_accept(struct request *r, struct errinfo *ei)
{
    return answer(r, true, ei);
}

enum err api_mentorships_decline(struct request *r, struct errinfo *ei)
{
    return answer(r, false, ei);
}

enum err api_mentorships_end(struct request *r, struct errinfo *ei)
{
    json_t *out = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = mentoring_end(r->db, &r->actor, id, ei);
    if (rc)
        return rc;
    rc = store_mentorship_get(r->db, id, &out);
    return reply(r, 200, out, rc, ei);
}

enum err api_opportunities_list(struct request *r, struct errinfo *ei)
{
    const char *status = request_query(r, "status");
    json_t *items = NULL, *x;
    size_t i;
    enum err rc;

    if (status && *status && !is(status, "open") && !is(status, "closed")) {
        err_field(ei, "status", "must be open or closed");
        return err_fields_result(ei);
    }
    rc = store_opportunities(r->db, status && *status ? status : "open", &items);
    json_array_foreach(items, i, x)
    {
        json_t *skills = NULL;

        if (store_opportunity_skills(r->db, iv(x, "id"), &skills) == ERR_OK)
            json_object_set_new(x, "skills", skills);
    }
    return reply(r, 200, json_pack("{s:o}", "items", items ? items : json_array()), rc, ei);
}

static const char *const opp_kinds[] = {"project", "role", "rotation", "shadowing", NULL};

enum err api_opportunities_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"kind",      "title",  "description", "department_id",
                                          "closes_on", "skills", NULL};
    struct person me;
    json_t *body, *skills, *x, *out = NULL, *found = NULL;
    const char *s = NULL;
    int64_t n, id = 0;
    bool known = false;
    size_t i;
    enum err rc;

    if (store_people_get(r->db, r->arena, r->actor.person_id, &me) != ERR_OK)
        return err_set(ei, ERR_INTERNAL, "cannot read you");
    if (policy_check(r->db, &r->actor, ACT_OPPORTUNITY_POST,
                     &(struct subject){.shared = store_has_reports(r->db, me.id)}))
        return err_set(ei, ERR_FORBIDDEN, "managers and HR post opportunities");
    rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "kind", &s, 20, false, ei), "kind", ei);
    for (i = 0; opp_kinds[i]; i++)
        known = known || is(sv(body, "kind"), opp_kinds[i]);
    if (json_object_get(body, "kind") && !known)
        err_field(ei, "kind", "must be project, role, rotation or shadowing");
    s = NULL;
    jsonx_require(jsonx_str(body, "title", &s, 300, false, ei), "title", ei);
    if (s && !*s)
        err_field(ei, "title", "must not be empty");
    jsonx_str(body, "description", &s, 4000, true, ei);
    jsonx_int(body, "department_id", &n, true, ei);
    if (jsonx_str(body, "closes_on", &s, 10, true, ei) == JSONX_SET && !time_valid_date(s))
        err_field(ei, "closes_on", "must be a date written YYYY-MM-DD");
    skills = json_object_get(body, "skills");
    if (skills && !json_is_array(skills))
        err_field(ei, "skills", "must be a list of {skill_id, min_rating}");
    json_array_foreach(skills, i, x)
    {
        char f[40];
        json_int_t m = iv(x, "min_rating");

        snprintf(f, sizeof(f), "skills[%zu]", i);
        if (store_skill_get(r->db, iv(x, "skill_id"), &found) != ERR_OK || m < 1 || m > 5)
            err_field(ei, f, "needs a skill_id of the catalogue and min_rating 1 to 5");
        json_decref(found);
        found = NULL;
    }
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = opportunities_create(r->db, &r->actor, body, &id, ei);
    if (rc)
        return rc;
    rc = store_opportunity_get(r->db, id, &out);
    return reply(r, 201, out, rc, ei);
}

/* Reading who is interested: its poster and HR. */
static enum err poster_or_hr(struct request *r, json_t *o)
{
    struct subject sub = {.author = iv(o, "posted_by") == r->actor.person_id};

    return policy_check(r->db, &r->actor, ACT_OPPORTUNITY_MANAGE, &sub);
}

enum err api_opportunities_close(struct request *r, struct errinfo *ei)
{
    json_t *out = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = opportunities_close(r->db, &r->actor, id, ei);
    if (rc)
        return rc;
    rc = store_opportunity_get(r->db, id, &out);
    return reply(r, 200, out, rc, ei);
}

enum err api_opportunities_interest(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"note", NULL};
    json_t *body;
    const char *note = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "note", &note, 2000, true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = opportunities_interest(r->db, &r->actor, id, note, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

enum err api_opportunities_interested(struct request *r, struct errinfo *ei)
{
    json_t *o = NULL, *items = NULL;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    if (store_opportunity_get(r->db, id, &o) != ERR_OK)
        return err_set(ei, ERR_NOT_FOUND, "no such opportunity");
    if (poster_or_hr(r, o) != ERR_OK) {
        json_decref(o);
        return err_set(ei, ERR_FORBIDDEN, "whoever posted it, and HR, see who is interested");
    }
    json_decref(o);
    rc = store_interest_of(r->db, id, &items);
    return reply(r, 200, json_pack("{s:o}", "items", items ? items : json_array()), rc, ei);
}

/* Path person {id} readable as a career subject. */
static enum err career_person(struct request *r, struct person *p, struct errinfo *ei)
{
    struct subject sub = {0};
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    if (store_people_get(r->db, r->arena, id, p) != ERR_OK)
        return err_set(ei, ERR_NOT_FOUND, "no such person");
    sub.person_id = id;
    rc = policy_check(r->db, &r->actor, ACT_CAREER_READ, &sub);
    return rc ? err_set(ei, ERR_NOT_FOUND, "no such person") : ERR_OK;
}

/* The person's current skill ratings as {"skill id": rating} (manager's, else own). */
static json_t *skill_map(struct request *r, int64_t person)
{
    json_t *cur = NULL, *map = json_object(), *x;
    size_t i;
    char key[24];

    if (store_ratings_current(r->db, person, &cur) != ERR_OK)
        return map;
    json_array_foreach(cur, i, x)
    {
        if (!is(sv(x, "subject"), "skill"))
            continue;
        snprintf(key, sizeof(key), "%lld", (long long)iv(x, "id"));
        if (is(sv(x, "source"), "manager") || !json_object_get(map, key))
            json_object_set(map, key, json_object_get(x, "rating"));
    }
    json_decref(cur);
    return map;
}

/* Gap skills (ids) toward the person's target level, or their next level. */
static json_t *gap_skill_ids(struct request *r, int64_t person, json_t **gaps)
{
    json_t *idp = NULL, *place = NULL, *levels = NULL, *rows = NULL, *ids = json_array(), *x;
    int64_t level = 0;
    size_t i;

    *gaps = json_array();
    if (store_idp_get(r->db, person, &idp) == ERR_OK)
        level = iv(idp, "target_level_id");
    json_decref(idp);
    if (!level && store_placement_get(r->db, person, &place) == ERR_OK &&
        store_fw_levels(r->db, &levels) == ERR_OK)
        json_array_foreach(levels, i, x) if (iv(x, "track_id") == iv(place, "track_id") &&
                                             iv(x, "position") == iv(place, "position") + 1) level =
            iv(x, "id");
    json_decref(place);
    json_decref(levels);
    if (level && store_gap_rows(r->db, person, level, &rows) == ERR_OK) {
        json_decref(*gaps);
        *gaps = careers_gaps(rows);
        json_array_foreach(*gaps, i, x) if (is(sv(x, "kind"), "skill"))
            json_array_append_new(ids, json_integer(iv(x, "id")));
    }
    return ids;
}

enum err api_person_opportunities(struct request *r, struct errinfo *ei)
{
    struct person p;
    json_t *opps = NULL, *req = NULL, *ratings, *gaps, *ids, *idp = NULL, *ranked;
    enum err rc = career_person(r, &p, ei);

    if (rc)
        return rc;
    rc = store_opportunities(r->db, "open", &opps);
    if (rc == ERR_OK)
        rc = store_opportunity_all_skills(r->db, &req);
    if (rc) {
        json_decref(opps);
        json_decref(req);
        return err_set(ei, rc, "cannot read opportunities");
    }
    ratings = skill_map(r, p.id);
    ids = gap_skill_ids(r, p.id, &gaps);
    store_idp_get(r->db, p.id, &idp);
    ranked = careers_rank_opportunities(
        opps, req, ratings, ids,
        idp ? (sv(idp, "target_role") ? sv(idp, "target_role") : sv(idp, "long_term")) : NULL);
    json_decref(opps);
    json_decref(req);
    json_decref(ratings);
    json_decref(ids);
    json_decref(gaps);
    json_decref(idp);
    response_json(r, 200, json_pack("{s:o}", "items", ranked));
    return ERR_OK;
}

/* Suggested IDP actions from the gap analysis: for each of the top gaps, the mentors who have
 * the skill and the open opportunities that need it (competency gaps: a stretch assignment). */
enum err api_idp_suggestions(struct request *r, struct errinfo *ei)
{
    struct person p;
    json_t *gaps, *ids, *req = NULL, *opps = NULL, *items = json_array(), *g;
    size_t i;
    enum err rc = career_person(r, &p, ei);

    if (rc) {
        json_decref(items);
        return rc;
    }
    ids = gap_skill_ids(r, p.id, &gaps);
    json_decref(ids);
    store_opportunity_all_skills(r->db, &req);
    store_opportunities(r->db, "open", &opps);
    json_array_foreach(gaps, i, g)
    {
        json_t *mentors, *chances, *cands = NULL, *ranked, *x;
        size_t k;

        if (i >= 5)
            break;
        mentors = json_array();
        chances = json_array();
        if (is(sv(g, "kind"), "skill")) {
            if (store_mentor_candidates(r->db, iv(g, "id"), &cands) == ERR_OK) {
                ranked = careers_rank_mentors(cands, p.id, p.department_id);
                json_array_foreach(ranked, k, x) if (k < 3) json_array_append_new(
                    mentors, json_pack("{s:O, s:O, s:O}", "id", json_object_get(x, "id"), "name",
                                       json_object_get(x, "name"), "department",
                                       json_object_get(x, "department")));
                json_decref(ranked);
            }
            json_decref(cands);
            json_array_foreach(req, k, x)
            {
                size_t q;
                json_t *o;

                if (iv(x, "skill_id") != iv(g, "id"))
                    continue;
                json_array_foreach(opps, q, o) if (iv(o, "id") == iv(x, "opportunity_id"))
                    json_array_append_new(chances, json_pack("{s:O, s:O, s:O}", "id",
                                                             json_object_get(o, "id"), "title",
                                                             json_object_get(o, "title"), "kind",
                                                             json_object_get(o, "kind")));
            }
        }
        json_array_append_new(
            items,
            json_pack("{s:O, s:o, s:o, s:{s:s, s:s, s:O?, s:O?}}", "gap", g, "mentors", mentors,
                      "opportunities", chances, "action", "kind",
                      is(sv(g, "kind"), "skill")
                          ? (json_array_size(mentors) ? "mentorship" : "course")
                          : "stretch_assignment",
                      "title",
                      arena_printf(r->arena, "%s %s", is(sv(g, "kind"), "skill") ? "Grow" : "Show",
                                   sv(g, "name")),
                      "skill_id", is(sv(g, "kind"), "skill") ? json_object_get(g, "id") : NULL,
                      "competency_id",
                      is(sv(g, "kind"), "competency") ? json_object_get(g, "id") : NULL));
    }
    json_decref(gaps);
    json_decref(req);
    json_decref(opps);
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

/* The career page: placement and time in level, role history and promotions, skills over time,
 * learning, IDP progress, goals achieved, accomplishments and feedback over time. */
static enum err career_json(struct request *r, const struct person *p, json_t **out)
{
    json_t *place = NULL, *hist = NULL, *counts = NULL, *fb = NULL, *sk = NULL, *learn = NULL,
           *idp = NULL, *actions = NULL, *ms = NULL;
    const char *since = p->hire_date;
    char today[11];
    size_t i;
    json_t *h;
    enum err rc;

    time_date(time_now(), today);
    if (store_placement_get(r->db, p->id, &place) != ERR_OK)
        place = json_null();
    rc = store_career_role_history(r->db, p->id, &hist);
    if (rc == ERR_OK)
        rc = store_career_counts(r->db, p->id, &counts);
    if (rc == ERR_OK)
        rc = store_career_feedback_by_month(r->db, p->id, &fb);
    if (rc == ERR_OK)
        rc = store_career_skills_by_month(r->db, p->id, &sk);
    if (rc == ERR_OK)
        rc = store_learning_of(r->db, p->id, &learn);
    json_array_foreach(hist, i,
                       h) if (is(sv(h, "kind"), "promotion") || is(sv(h, "kind"), "level_change"))
        since = sv(h, "effective_date");
    if (store_idp_get(r->db, p->id, &idp) == ERR_OK) {
        store_idp_actions(r->db, iv(idp, "id"), &actions);
        store_idp_milestones(r->db, iv(idp, "id"), &ms);
        json_object_set_new(idp, "completion", json_real(careers_completion(actions, ms)));
        json_decref(actions);
        json_decref(ms);
    } else {
        idp = json_null();
    }
    if (rc) {
        json_decref(place);
        json_decref(hist);
        json_decref(counts);
        json_decref(fb);
        json_decref(sk);
        json_decref(learn);
        json_decref(idp);
        return rc;
    }
    *out = json_pack("{s:I, s:s, s:s?, s:s?, s:o, s:s?, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "person_id", (json_int_t)p->id, "name", p->name, "title", p->title, "level",
                     p->level, "placement", place, "in_level_since", since, "days_in_level",
                     (json_int_t)(since && time_valid_date(since) ? date_diff(since, today) : 0),
                     "role_history", hist, "counts", counts, "feedback_by_month", fb,
                     "skills_by_month", sk, "learning", learn, "idp", idp);
    return ERR_OK;
}

enum err api_career_page(struct request *r, struct errinfo *ei)
{
    struct person p;
    json_t *out = NULL;
    enum err rc = career_person(r, &p, ei);

    if (rc)
        return rc;
    rc = career_json(r, &p, &out);
    return reply(r, 200, out, rc, ei);
}

enum err api_career_dashboard(struct request *r, struct errinfo *ei)
{
    const char *at = NULL, *text = NULL, *fresh = request_query(r, "fresh");
    char stale[21];
    json_t *out;
    enum err rc = policy_check(r->db, &r->actor, ACT_FRAMEWORK_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "the career dashboard is for HR");
    /* the scheduler keeps a recent snapshot: the whole company is not recounted per request */
    time_rfc3339(time_now() - 15 * 60, stale);
    if ((!fresh || strcmp(fresh, "1") != 0) &&
        store_dashboard_snapshot_get(r->db, r->arena, &at, &text) == ERR_OK &&
        strcmp(at, stale) >= 0 && (out = json_loads(text, 0, NULL)) != NULL) {
        json_object_set_new(out, "computed_at", json_string(at));
        response_json(r, 200, out);
        return ERR_OK;
    }
    rc = careers_dashboard(r->db, &out);
    if (rc)
        return err_set(ei, rc, "cannot read the dashboard");
    response_json(r, 200, out);
    return ERR_OK;
}

/* The career record in Markdown: a document the person keeps. */
static void record_markdown(struct buf *b, json_t *c, json_t *skills, json_t *outcomes)
{
    size_t i;
    json_t *x;

    buf_addf(b, "# Career record: %s\n\n", sv(c, "name"));
    buf_addf(b, "%s%s%s\n\n", sv(c, "title") ? sv(c, "title") : "",
             sv(c, "level") ? ", level " : "", sv(c, "level") ? sv(c, "level") : "");
    buf_add(b, "## Role history\n\n");
    json_array_foreach(json_object_get(c, "role_history"), i, x)
        buf_addf(b, "- %s: %s%s%s%s%s\n", sv(x, "effective_date"), sv(x, "kind"),
                 sv(x, "title") ? ", " : "", sv(x, "title") ? sv(x, "title") : "",
                 sv(x, "level") ? " " : "", sv(x, "level") ? sv(x, "level") : "");
    buf_add(b, "\n## Review outcomes\n\n");
    json_array_foreach(outcomes, i, x)
        buf_addf(b, "- %s: rating %s. %s\n", sv(x, "cycle"),
                 sv(x, "rating") ? sv(x, "rating") : "—", sv(x, "summary") ? sv(x, "summary") : "");
    buf_add(b, "\n## Skills\n\n");
    json_array_foreach(skills, i, x)
    {
        json_t *self = json_object_get(x, "self"), *mgr = json_object_get(x, "manager");

        buf_addf(
            b, "- %s (%s): self %s, manager %s\n", sv(x, "name"), sv(x, "kind"),
            json_is_integer(self) ? (json_integer_value(self) >= 4 ? "strong" : "growing") : "—",
            json_is_integer(mgr) ? (json_integer_value(mgr) >= 4 ? "strong" : "growing") : "—");
    }
    buf_add(b, "\n## Learning\n\n");
    json_array_foreach(json_object_get(c, "learning"), i, x) buf_addf(
        b, "- %s %s (%s), %s%s%s\n", sv(x, "kind"), sv(x, "title"),
        sv(x, "provider") ? sv(x, "provider") : "—", sv(x, "completed_on"),
        sv(x, "expires_on") ? ", expires " : "", sv(x, "expires_on") ? sv(x, "expires_on") : "");
    buf_add(b, "\n## Counts\n\n");
    x = json_object_get(c, "counts");
    buf_addf(b,
             "Goals achieved %lld; accomplishments %lld; learning completed %lld; development "
             "actions done %lld; promotions %lld.\n",
             (long long)iv(x, "goals_achieved"), (long long)iv(x, "accomplishments"),
             (long long)iv(x, "learning_completed"), (long long)iv(x, "idp_actions_done"),
             (long long)iv(x, "promotions"));
    buf_add(b, "\n## Feedback received by month\n\n");
    json_array_foreach(json_object_get(c, "feedback_by_month"), i, x)
        buf_addf(b, "- %s: %lld %s\n", sv(x, "month"), (long long)iv(x, "count"), sv(x, "kind"));
}

enum err api_career_record(struct request *r, struct errinfo *ei)
{
    struct person p;
    json_t *c = NULL, *cur = NULL, *skills, *outcomes, *idp = NULL, *acc = NULL;
    const char *format = request_query(r, "format");
    enum err rc = career_person(r, &p, ei);

    if (rc)
        return rc;
    if (policy_check(r->db, &r->actor, ACT_CAREER_RECORD, &(struct subject){.person_id = p.id}))
        return err_set(ei, ERR_FORBIDDEN, "the career record is the person's (and HR's)");
    if (format && *format && !is(format, "json") && !is(format, "markdown")) {
        err_field(ei, "format", "must be json or markdown");
        return err_fields_result(ei);
    }
    rc = career_json(r, &p, &c);
    if (rc == ERR_OK)
        rc = store_ratings_current(r->db, p.id, &cur);
    if (rc == ERR_OK)
        rc = store_released_outcomes(r->db, p.id, &outcomes);
    if (rc) {
        json_decref(c);
        json_decref(cur);
        return err_set(ei, rc, "cannot read the record");
    }
    skills = json_array();
    {
        json_t *x, *last = NULL;
        size_t i;

        json_array_foreach(cur, i, x)
        {
            if (!last || iv(last, "id") != iv(x, "id") || !is(sv(last, "kind"), sv(x, "subject"))) {
                last = json_pack("{s:O, s:O, s:O, s:n, s:n}", "kind", json_object_get(x, "subject"),
                                 "id", json_object_get(x, "id"), "name", json_object_get(x, "name"),
                                 "self", "manager");
                json_array_append_new(skills, last);
            }
            json_object_set(last, is(sv(x, "source"), "manager") ? "manager" : "self",
                            json_object_get(x, "rating"));
        }
    }
    json_decref(cur);
    if (store_idp_get(r->db, p.id, &idp) == ERR_OK)
        store_idp_actions(r->db, iv(idp, "id"), &acc);
    json_decref(idp);
    json_object_set_new(c, "skills", skills);
    json_object_set_new(c, "review_outcomes", outcomes);
    json_object_set_new(c, "idp_actions", acc ? acc : json_array());
    /* continuous feedback is signed; review feedback stays aggregated in the outcomes. Each
     * item holds to the feedback rule for the reader: HR reading someone's record sees the
     * public praise, never what was said privately or to the manager chain. */
    {
        struct feedback *f;
        size_t nf = 0;
        json_t *items = json_array();

        if (store_feedback_list(r->db, r->arena, FB_RECEIVED, p.id, 0, 200, &f, &nf) != ERR_OK) {
            json_decref(items);
            json_decref(c);
            return err_set(ei, ERR_INTERNAL, "cannot read the feedback of the record");
        }
        /* every item is about the same recipient: one relation lookup decides them all */
        struct relation rel = policy_relation(r->db, &r->actor, p.id);

        for (size_t i = 0; i < nf; i++) {
            struct subject fs = {.person_id = f[i].recipient_id,
                                 .visibility = f[i].visibility,
                                 .author = f[i].author_id == r->actor.person_id};

            if (policy_decide_subject(&r->actor, ACT_FEEDBACK_READ, &rel, &fs) != ERR_OK)
                continue;
            json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "created_at",
                                                   f[i].created_at, "from", f[i].author_name,
                                                   "kind", f[i].kind, "body", f[i].body));
        }
        json_object_set_new(c, "feedback_received", items);
    }
    if (is(format, "markdown")) {
        struct buf b;

        buf_init(&b, 8u << 20);
        record_markdown(&b, c, skills, outcomes);
        response_bytes(r, 200, "text/markdown; charset=utf-8", buf_str(&b), b.len);
        buf_cleanup(&b);
        json_decref(c);
        return ERR_OK;
    }
    response_json(r, 200, c);
    return ERR_OK;
}
