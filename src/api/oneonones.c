/* SPDX-License-Identifier: MIT */
/* /api/v1/one-on-ones: series, meetings with their four-part agenda, talking points, notes,
 * action items; cadence health. Meetings are their two sides' alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "domain/oneonones.h"
#include "store/careers.h"
#include "store/feedback.h"
#include "store/goals.h"
#include "store/people.h"
#include "util/jsonw.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/tz.h"

static const char *const weekdays[] = {"",         "monday", "tuesday",  "wednesday",
                                       "thursday", "friday", "saturday", "sunday"};
static const char *const sections[] = {"goals",   "development", "feedback",
                                       "actions", "other",       NULL};

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static json_t *ref(int64_t id, const char *name)
{
    return json_pack("{s:I, s:s?}", "id", (json_int_t)id, "name", name);
}

static json_t *series_json(struct request *r, const struct series *s)
{
    struct meeting next;
    json_t *o = json_pack(
        "{s:I, s:o, s:o, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)s->id,
        "lead", ref(s->lead_id, s->lead_name), "member", ref(s->member_id, s->member_name),
        "relation", s->relation, "cadence_weeks", (json_int_t)s->cadence_weeks, "weekday",
        weekdays[s->weekday >= 1 && s->weekday <= 7 ? s->weekday : 0], "time", s->start_time,
        "timezone", s->timezone, "duration_minutes", (json_int_t)s->duration_minutes, "first_date",
        s->first_date, "status", s->status, "kind", s->kind ? s->kind : "regular");

    json_object_set_new(o, "next_meeting",
                        store_meetings_next(r->db, r->arena, s->id, &next) == ERR_OK
                            ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)next.id, "starts_at",
                                        next.starts_at, "local_start", next.local_start)
                            : json_null());
    json_object_set_new(o, "warnings",
                        s->cadence_weeks > 6
                            ? json_pack("[s]", "Meeting less often than every six weeks makes "
                                               "feedback too rare to act on.")
                            : json_array());
    return o;
}

/* Series {id} (path parameter 0) when the actor is one of its sides. */
static enum err load_series(struct request *r, int64_t id, struct series *s, struct errinfo *ei)
{
    struct subject sub = {0};
    enum err rc = store_series_get(r->db, r->arena, id, s);

    if (rc == ERR_OK) {
        sub.author = s->lead_id == r->actor.person_id || s->member_id == r->actor.person_id;
        rc = policy_check(r->db, &r->actor, ACT_ONEONONE, &sub);
    }
    return rc ? err_set(ei, rc == ERR_INTERNAL ? rc : ERR_NOT_FOUND, "no such one-on-one") : ERR_OK;
}

/* Meeting {id} (path parameter 0) with its series, for one of its sides. */
static enum err load_meeting(struct request *r, struct meeting *m, struct series *s,
                             struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_meetings_get(r->db, r->arena, id, m);
    if (rc)
        return err_set(ei, rc, "no such meeting");
    return load_series(r, m->series_id, s, ei);
}

enum err api_oneonones_list(struct request *r, struct errinfo *ei)
{
    struct series *v;
    size_t n;
    json_t *items;
    enum err rc = store_series_for(r->db, r->arena, r->actor.person_id, &v, &n);

    if (rc)
        return err_set(ei, rc, "cannot read one-on-ones");
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, series_json(r, &v[i]));
    response_json(r, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static int weekday_of(const char *name)
{
    for (int i = 1; i <= 7; i++)
        if (is(name, weekdays[i]))
            return i;
    return 0;
}

enum err api_oneonones_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"with", "relation", "cadence_weeks",    "weekday",
                                          "time", "timezone", "duration_minutes", "first_date",
                                          "kind", NULL};
    struct series s = {0};
    struct person other, me;
    const char *weekday = NULL;
    int64_t with = 0;
    json_t *body;
    char now[21], today[11];
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    s.relation = "manager";
    s.cadence_weeks = 4;
    s.duration_minutes = 30;
    s.kind = "regular";
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "kind", &s.kind, 20, false, ei);
    jsonx_require(jsonx_int(body, "with", &with, false, ei), "with", ei);
    jsonx_str(body, "relation", &s.relation, 20, false, ei);
    jsonx_int(body, "cadence_weeks", &s.cadence_weeks, false, ei);
    jsonx_require(jsonx_str(body, "weekday", &weekday, 20, false, ei), "weekday", ei);
    jsonx_require(jsonx_str(body, "time", &s.start_time, 5, false, ei), "time", ei);
    jsonx_require(jsonx_str(body, "timezone", &s.timezone, 64, false, ei), "timezone", ei);
    jsonx_int(body, "duration_minutes", &s.duration_minutes, false, ei);
    jsonx_require(jsonx_str(body, "first_date", &s.first_date, 10, false, ei), "first_date", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_date(time_now(), today);
    s.weekday = weekday_of(weekday);
    if (!s.weekday)
        err_field(ei, "weekday", "must be monday to sunday");
    if (s.cadence_weeks < 1 || s.cadence_weeks > 12)
        err_field(ei, "cadence_weeks", "must be 1 to 12 weeks");
    if (s.duration_minutes < 10 || s.duration_minutes > 240)
        err_field(ei, "duration_minutes", "must be 10 to 240 minutes");
    if (!tz_valid_time(s.start_time))
        err_field(ei, "time", "must be a time written HH:MM");
    if (!tz_valid(s.timezone))
        err_field(ei, "timezone", "must be an IANA time zone such as Europe/Paris");
    if (!time_valid_date(s.first_date))
        err_field(ei, "first_date", "must be a date written YYYY-MM-DD");
    else if (strcmp(s.first_date, today) < 0)
        err_field(ei, "first_date", "must not be in the past");
    else if (s.weekday && date_weekday(s.first_date) != s.weekday)
        err_field(ei, "first_date", "must fall on a %s", weekdays[s.weekday]);
    if (!is(s.relation, "manager") && !is(s.relation, "mentor"))
        err_field(ei, "relation", "must be manager or mentor");
    if (!is(s.kind, "regular") && !is(s.kind, "career"))
        err_field(ei, "kind", "must be regular or career");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (store_people_get(r->db, r->arena, with, &other) != ERR_OK || !is(other.status, "active") ||
        store_people_get(r->db, r->arena, r->actor.person_id, &me) != ERR_OK) {
        err_field(ei, "with", "no active person has this id");
        return err_fields_result(ei);
    }
    /* either side starts it; the manager leads */
    if (is(s.relation, "manager") && other.manager_id == me.id) {
        s.lead_id = me.id;
        s.member_id = other.id;
    } else if (is(s.relation, "manager") && me.manager_id == other.id) {
        s.lead_id = other.id;
        s.member_id = me.id;
    } else if (is(s.relation, "mentor") && store_mentor_between(r->db, me.id, other.id)) {
        s.lead_id = store_mentor_between(r->db, me.id, other.id);
        s.member_id = s.lead_id == me.id ? other.id : me.id;
    } else {
        err_field(ei, "with",
                  is(s.relation, "mentor")
                      ? "no mentorship joins you and this person"
                      : "one-on-ones are between a manager and a direct report");
        return err_fields_result(ei);
    }
    if (store_series_exists(r->db, s.lead_id, s.member_id, s.kind))
        return err_set(ei, ERR_CONFLICT,
                       is(s.kind, "career")
                           ? "you already hold a career conversation series with this person"
                           : "you already meet this person in a series");
    time_rfc3339(time_now(), now);
    s.created_by = r->actor.person_id;
    s.created_at = now;
    s.lead_name = s.lead_id == me.id ? me.name : other.name;
    s.member_name = s.member_id == me.id ? me.name : other.name;
    rc = oneonones_create(r->db, r->arena, &r->actor, &s, ei);
    if (rc == ERR_OK)
        rc = store_series_get(r->db, r->arena, s.id, &s);
    if (rc)
        return rc;
    response_json(r, 201, series_json(r, &s));
    return ERR_OK;
}

enum err api_oneonones_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"cadence_weeks", "weekday", "time", "timezone",
                                          "paused",        "ended",   NULL};
    struct series_patch p = {.paused = -1};
    struct series s = {0};
    const char *weekday = NULL;
    bool paused = false, ended = false;
    enum jsonx_got got_cadence, got_ended, got_paused;
    json_t *body;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    got_cadence = jsonx_int(body, "cadence_weeks", &p.cadence_weeks, false, ei);
    jsonx_str(body, "weekday", &weekday, 20, false, ei);
    jsonx_str(body, "time", &p.start_time, 5, false, ei);
    jsonx_str(body, "timezone", &p.timezone, 64, false, ei);
    got_paused = jsonx_bool(body, "paused", &paused, ei);
    got_ended = jsonx_bool(body, "ended", &ended, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (got_cadence == JSONX_SET && (p.cadence_weeks < 1 || p.cadence_weeks > 12))
        err_field(ei, "cadence_weeks", "must be 1 to 12 weeks");
    if (weekday && !(p.weekday = weekday_of(weekday)))
        err_field(ei, "weekday", "must be monday to sunday");
    if (p.start_time && !tz_valid_time(p.start_time))
        err_field(ei, "time", "must be a time written HH:MM");
    if (p.timezone && !tz_valid(p.timezone))
        err_field(ei, "timezone", "must be an IANA time zone such as Europe/Paris");
    if (got_ended == JSONX_SET && !ended)
        err_field(ei, "ended", "an ended series cannot be reopened; send true to end it");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (got_paused == JSONX_SET)
        p.paused = paused ? 1 : 0;
    p.ended = ended;
    rc = oneonones_update(r->db, r->arena, &r->actor, id, &p, &s, ei);
    if (rc)
        return rc;
    return api_oneonones_get(r, ei);
}

static json_t *meeting_brief(const struct meeting *m)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s?, s:s?, s:b}", "id", (json_int_t)m->id,
                     "status", m->status, "occurrence_date", m->occurrence_date, "starts_at",
                     m->starts_at, "local_start", m->local_start, "moved", m->moved, "skip_reason",
                     m->skip_reason, "held_at", m->held_at, "career_discussed",
                     m->career_discussed);
}

enum err api_oneonones_get(struct request *r, struct errinfo *ei)
{
    struct series s = {0};
    struct meeting *v;
    size_t n;
    json_t *o, *items;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = load_series(r, id, &s, ei);
    if (rc)
        return rc;
    rc = store_meetings_of(r->db, r->arena, s.id, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read meetings");
    o = series_json(r, &s);
    items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, meeting_brief(&v[i]));
    json_object_set_new(o, "meetings", items);
    response_json(r, 200, o);
    return ERR_OK;
}

/* 1. performance against goals: the member's running goals the reader may see, progress now and
 * at the previous meeting, and the goal they align to at the top of their chain. */
static json_t *agenda_goals(struct request *r, const struct series *s, const char *since,
                            const char *today)
{
    struct goal_query q = {.owner_id = s->member_id, .from = today, .to = today, .limit = 50};
    struct goal *g;
    size_t n;
    json_t *items = json_array();

    /* every goal here is the member's: one relation serves all of them */
    struct relation rel = policy_relation(r->db, &r->actor, s->member_id);

    if (store_goals_list(r->db, r->arena, &q, &g, &n) != ERR_OK)
        return items;
    for (size_t i = 0; i < n; i++) {
        struct subject sub = {
            .person_id = g[i].owner_id, .visibility = g[i].visibility, .level = g[i].level};
        struct goal top = {0}, cur;
        double then = since ? store_goal_progress_at(r->db, g[i].id, since) : -1;
        int64_t parent = g[i].parent_id;
        json_t *aligned = json_null();

        if (is(g[i].status, "abandoned") || is(g[i].status, "draft") ||
            policy_decide_subject(&r->actor, ACT_GOAL_READ, &rel, &sub) != ERR_OK)
            continue;
        for (int depth = 0; parent && depth < 8; depth++) {
            if (store_goals_get(r->db, r->arena, parent, &cur) != ERR_OK)
                break;
            top = cur;
            parent = cur.parent_id;
        }
        if (top.id) {
            struct subject ts = {
                .person_id = top.owner_id, .visibility = top.visibility, .level = top.level};

            if (policy_check(r->db, &r->actor, ACT_GOAL_READ, &ts) == ERR_OK)
                aligned = json_pack("{s:I, s:s, s:s, s:f}", "id", (json_int_t)top.id, "title",
                                    top.title, "level", top.level, "progress", top.progress);
        }
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s, s:f, s:o, s:o}", "id", (json_int_t)g[i].id,
                             "title", g[i].title, "status", g[i].status, "due_date", g[i].due_date,
                             "progress", g[i].progress, "progress_at_previous",
                             then >= 0 ? json_real(then) : json_null(), "aligned_to", aligned));
    }
    return items;
}

/* One IDP action as the meeting shows it: what the agenda needs and nothing more of the plan. */
static json_t *agenda_idp_action(json_t *a)
{
    static const char *const keep[] = {"id",     "kind",     "title",        "success_measure",
                                       "status", "due_date", "completed_at", NULL};
    json_t *o = json_object();

    for (size_t i = 0; keep[i]; i++) {
        json_t *v = json_object_get(a, keep[i]);

        json_object_set(o, keep[i], v ? v : json_null());
    }
    return o;
}

/* 2. the IDP action plan: open actions, those due before the next meeting, those done since the
 * previous one; only for readers of the member's plan (the member and their managers, as the
 * IDP itself; a mentor is not one). can_add says whether the reader may add an action to the
 * plan (the plan's owner, once the plan exists), as POST /people/{id}/idp/actions decides. */
static json_t *agenda_development(struct request *r, const struct series *s, const char *since,
                                  const char *until)
{
    struct subject sub = {.person_id = s->member_id};
    json_t *acts = NULL, *plan = NULL, *open, *due, *done, *a;
    bool mine;
    size_t i;

    if (policy_check(r->db, &r->actor, ACT_CAREER_READ, &sub) != ERR_OK)
        return json_pack("{s:b, s:b, s:s}", "available", 0, "can_add", 0, "note",
                         "The development plan is for the person and their managers only.");
    mine = policy_check(r->db, &r->actor, ACT_CAREER_SELF, &sub) == ERR_OK;
    if (store_idp_get(r->db, s->member_id, &plan) != ERR_OK) {
        json_decref(plan);
        return json_pack("{s:b, s:b, s:s}", "available", 0, "can_add", 0, "note",
                         mine ? "You have no development plan yet: write its aspirations on "
                                "the Development page, then add actions here."
                              : "No development plan yet.");
    }
    json_decref(plan);
    if (store_idp_actions_of(r->db, s->member_id, &acts) != ERR_OK) {
        json_decref(acts);
        acts = json_array();
    }
    open = json_array();
    due = json_array();
    done = json_array();
    json_array_foreach(acts, i, a)
    {
        const char *st = json_string_value(json_object_get(a, "status"));
        const char *d = json_string_value(json_object_get(a, "due_date"));
        const char *c = json_string_value(json_object_get(a, "completed_at"));

        if (is(st, "done")) {
            if (c && strcmp(c, since) > 0)
                json_array_append_new(done, agenda_idp_action(a));
        } else if (!is(st, "cancelled")) {
            json_array_append_new(open, agenda_idp_action(a));
            if (d && strncmp(d, until, 10) <= 0)
                json_array_append_new(due, agenda_idp_action(a));
        }
    }
    json_decref(acts);
    return json_pack("{s:b, s:b, s:o, s:o, s:o}", "available", 1, "can_add", mine, "open", open,
                     "due_before_next_meeting", due, "done_since_previous", done);
}

/* 3. feedback the member received since the previous meeting that the reader may see, and the
 * member's open requests for feedback. */
static json_t *agenda_feedback(struct request *r, const struct series *s, const char *since)
{
    struct feedback *f;
    struct feedback_request *q;
    size_t nf = 0, nq = 0;
    json_t *received = json_array(), *requests = json_array();

    /* all of it was received by the member: one relation serves every item */
    struct relation rel = policy_relation(r->db, &r->actor, s->member_id);

    if (store_feedback_list(r->db, r->arena, FB_RECEIVED, s->member_id, 0, 50, &f, &nf) != ERR_OK)
        nf = 0;
    for (size_t i = 0; i < nf; i++) {
        struct subject sub = {.person_id = f[i].recipient_id,
                              .visibility = f[i].visibility,
                              .author = f[i].author_id == r->actor.person_id};

        if ((since && strcmp(f[i].created_at, since) <= 0) ||
            policy_decide_subject(&r->actor, ACT_FEEDBACK_READ, &rel, &sub) != ERR_OK)
            continue;
        json_array_append_new(received,
                              json_pack("{s:I, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)f[i].id,
                                        "kind", f[i].kind, "visibility", f[i].visibility, "from",
                                        ref(f[i].author_id, f[i].author_name), "body", f[i].body,
                                        "created_at", f[i].created_at));
    }
    if (store_feedback_requests_list(r->db, r->arena, s->member_id, 1, &q, &nq) != ERR_OK)
        nq = 0;
    for (size_t i = 0; i < nq; i++)
        if (is(q[i].status, "open"))
            json_array_append_new(requests, json_pack("{s:I, s:s, s:o, s:s?}", "id",
                                                      (json_int_t)q[i].id, "topic", q[i].topic,
                                                      "asked", ref(q[i].asked_id, q[i].asked_name),
                                                      "due_date", q[i].due_date));
    return json_pack("{s:o, s:o}", "received", received, "open_requests", requests);
}

static json_t *action_json(const struct action_item *x)
{
    return json_pack("{s:I, s:I, s:o, s:s, s:s?, s:s, s:s?, s:o}", "id", (json_int_t)x->id,
                     "meeting_id", (json_int_t)x->meeting_id, "owner",
                     ref(x->owner_id, x->owner_name), "body", x->body, "due_date", x->due_date,
                     "status", x->status, "done_at", x->done_at, "idp_action_id",
                     x->idp_action_id ? json_integer(x->idp_action_id) : json_null());
}

static json_t *point_json(const struct talking_point *p)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)p->id, "section",
                     p->section, "body", p->body, "status", p->status, "author",
                     ref(p->author_id, p->author_name), "created_at", p->created_at);
}

/* The date of the meeting after m: the next occurrence on the cadence. */
static const char *next_date(struct request *r, const struct series *s, const struct meeting *m)
{
    char *d = arena_alloc(r->arena, 11);

    date_add_days(m->occurrence_date, 7 * s->cadence_weeks, d);
    return d;
}

enum err api_meetings_get(struct request *r, struct errinfo *ei)
{
    struct series s = {0};
    struct meeting m = {0};
    struct talking_point *p;
    struct action_item *x;
    struct outbox_msg *mail;
    size_t np, nx, nm;
    const char *since, *sealed;
    char today[11], fallback[21];
    json_t *o, *points, *carried, *added, *emails;
    enum err rc = load_meeting(r, &m, &s, ei);

    if (rc)
        return rc;
    since = store_meetings_previous_held(r->db, r->arena, s.id, m.occurrence_date);
    if (!since) { /* a first meeting looks back six weeks */
        int64_t t = time_now() - 42 * 86400;

        time_rfc3339(t, fallback);
        since = fallback;
    }
    time_date(time_now(), today);
    rc = store_points_of(r->db, r->arena, m.id, &p, &np);
    if (rc == ERR_OK)
        rc = store_actions_for_meeting(r->db, r->arena, s.id, m.id, &x, &nx);
    if (rc == ERR_OK)
        rc = store_outbox_of(r->db, r->arena, "oneonone_meeting", m.id, &mail, &nm);
    /* a note that cannot be read is an error, never an empty note the next autosave would
     * write over it */
    if (rc == ERR_OK)
        rc = store_private_note_get(r->db, r->arena, m.id, r->actor.person_id, &sealed);
    if (rc)
        return err_set(ei, rc, "cannot read the meeting");
    points = json_array();
    for (size_t i = 0; i < np; i++)
        json_array_append_new(points, point_json(&p[i]));
    carried = json_array();
    added = json_array();
    for (size_t i = 0; i < nx; i++)
        json_array_append_new(x[i].meeting_id == m.id ? added : carried, action_json(&x[i]));
    emails = json_array();
    for (size_t i = 0; i < nm; i++)
        json_array_append_new(
            emails, json_pack("{s:s, s:s, s:s?, s:I, s:s?, s:s}", "to", mail[i].recipient,
                              "queued_at", mail[i].created_at, "sent_at", mail[i].sent_at,
                              "attempts", (json_int_t)mail[i].attempts, "last_error",
                              mail[i].last_error, "next_attempt_at", mail[i].next_attempt_at));
    o = meeting_brief(&m);
    json_object_set_new(o, "series", series_json(r, &s));
    json_object_set_new(o, "shared_notes", json_string(m.shared_notes ? m.shared_notes : ""));
    /* the caller's own private note, never the other side's */
    json_object_set_new(
        o, "private_note",
        jsonx_str_or_null(sealed ? oneonones_unseal(r->arena, r->actor.person_id, sealed) : NULL));
    json_object_set_new(o, "points", points);
    json_object_set_new(o, "agenda",
                        json_pack("{s:s, s:o, s:o, s:o, s:{s:o, s:o}}", "since", since, "goals",
                                  agenda_goals(r, &s, since, today), "development",
                                  agenda_development(r, &s, since, next_date(r, &s, &m)),
                                  "feedback", agenda_feedback(r, &s, since), "actions", "open",
                                  carried, "new", added));
    json_object_set_new(o, "summary_emails", emails);
    response_json(r, 200, o);
    return ERR_OK;
}

/* The meeting as its reader sees it, the answer to a notes edit (inside its transaction). */
static enum err notes_reply(void *r, struct errinfo *ei)
{
    return api_meetings_get(r, ei);
}

enum err api_meetings_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"shared_notes", "private_note", NULL};
    const char *shared = NULL, *private_note = NULL;
    json_t *body;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "shared_notes", &shared, 20000, false, ei);
    jsonx_str(body, "private_note", &private_note, 20000, false, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = oneonones_notes(r->db, r->arena, &r->actor, id, shared, private_note, notes_reply, r,
                             ei);
    return rc && !ei->message[0] ? err_set(ei, rc, "cannot store the notes") : rc;
}

enum err api_points_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"section", "body", NULL};
    struct series s = {0};
    struct meeting m = {0};
    struct talking_point p = {0};
    json_t *body;
    bool known = false;
    enum err rc = load_meeting(r, &m, &s, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    p.section = "other";
    jsonx_only(body, allowed, ei);
    jsonx_str(body, "section", &p.section, 20, false, ei);
    jsonx_require(jsonx_str(body, "body", &p.body, 2000, false, ei), "body", ei);
    for (size_t i = 0; sections[i]; i++)
        known = known || is(p.section, sections[i]);
    if (!known)
        err_field(ei, "section", "must be goals, development, feedback, actions or other");
    if (p.body && !*p.body)
        err_field(ei, "body", "must not be empty");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    p.meeting_id = m.id;
    rc = oneonones_point_add(r->db, r->arena, &r->actor, &p, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the point");
    response_json(r, 201, point_json(&p));
    return ERR_OK;
}

enum err api_points_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"status", NULL};
    struct talking_point p;
    struct series s = {0};
    struct meeting m = {0};
    const char *status = NULL;
    json_t *body;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    if (store_points_get(r->db, r->arena, id, &p) != ERR_OK ||
        store_meetings_get(r->db, r->arena, p.meeting_id, &m) != ERR_OK)
        return err_set(ei, ERR_NOT_FOUND, "no such talking point");
    rc = load_series(r, m.series_id, &s, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "status", &status, 20, false, ei), "status", ei);
    if (status && !is(status, "open") && !is(status, "discussed") && !is(status, "moved"))
        err_field(ei, "status", "must be open, discussed or moved (to the next meeting)");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = oneonones_point_status(r->db, r->arena, &r->actor, id, status, &p, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the point");
    response_json(r, 200, point_json(&p));
    return ERR_OK;
}

/* Reads owner_id, body and due_date into x (whether the owner is a side is the domain's). */
static void read_action(json_t *body, struct action_item *x, struct errinfo *ei)
{
    jsonx_require(jsonx_int(body, "owner_id", &x->owner_id, false, ei), "owner_id", ei);
    jsonx_require(jsonx_str(body, "body", &x->body, 2000, false, ei), "body", ei);
    if (x->body && !*x->body)
        err_field(ei, "body", "must not be empty");
    jsonx_str(body, "due_date", &x->due_date, 10, true, ei);
    if (x->due_date && !time_valid_date(x->due_date))
        err_field(ei, "due_date", "must be a date written YYYY-MM-DD");
}

enum err api_actions_create(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"owner_id", "body", "due_date", "idp_action_id", NULL};
    struct action_item x = {0};
    json_t *body;
    enum err rc = api_path_id(r, 0, &x.meeting_id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    read_action(body, &x, ei);
    jsonx_int(body, "idp_action_id", &x.idp_action_id, true, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = oneonones_action_add(r->db, r->arena, &r->actor, &x, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the action item");
    response_json(r, 201, action_json(&x));
    return ERR_OK;
}

/* Only the fields sent change, merged with the row inside the write's transaction (domain):
 * two edits of different fields at once both stay. */
enum err api_actions_patch(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"owner_id", "body", "due_date", "status", NULL};
    struct action_change c = {0};
    struct action_item x = {0};
    json_t *body;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    c.owner_set = jsonx_int(body, "owner_id", &c.owner_id, false, ei) == JSONX_SET;
    jsonx_str(body, "body", &c.body, 2000, false, ei);
    if (c.body && !*c.body)
        err_field(ei, "body", "must not be empty");
    c.due_set = jsonx_str(body, "due_date", &c.due_date, 10, true, ei) != JSONX_ABSENT;
    if (c.due_date && !time_valid_date(c.due_date))
        err_field(ei, "due_date", "must be a date written YYYY-MM-DD");
    if (jsonx_str(body, "status", &c.status, 10, false, ei) == JSONX_SET && !is(c.status, "open") &&
        !is(c.status, "done"))
        err_field(ei, "status", "must be open or done");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = oneonones_action_update(r->db, r->arena, &r->actor, id, &c, &x, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the action item");
    response_json(r, 200, action_json(&x));
    return ERR_OK;
}

enum err api_meetings_complete(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"career_discussed", NULL};
    struct series s = {0};
    struct meeting m = {0};
    json_t *body = NULL;
    bool career = false;
    enum err rc = load_meeting(r, &m, &s, ei);

    if (rc == ERR_OK && r->body.len)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    if (body) {
        jsonx_only(body, allowed, ei);
        jsonx_bool(body, "career_discussed", &career, ei);
        rc = err_fields_result(ei);
        if (rc)
            return rc;
    }
    if (!is(m.status, "scheduled"))
        return err_set(ei, ERR_CONFLICT, "this meeting is already %s", m.status);
    rc = oneonones_complete(r->db, r->arena, &r->actor, &s, &m, career, ei);
    if (rc)
        return rc;
    return api_meetings_get(r, ei);
}

enum err api_meetings_skip(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"reason", NULL};
    struct series s = {0};
    struct meeting m = {0};
    const char *reason = NULL;
    json_t *body;
    enum err rc = load_meeting(r, &m, &s, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "reason", &reason, 500, false, ei), "reason", ei);
    if (reason && !*reason)
        err_field(ei, "reason", "say why the meeting is skipped");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (!is(m.status, "scheduled"))
        return err_set(ei, ERR_CONFLICT, "this meeting is already %s", m.status);
    rc = oneonones_skip(r->db, r->arena, &r->actor, &s, &m, reason, ei);
    if (rc)
        return rc;
    return api_meetings_get(r, ei);
}

enum err api_meetings_move(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"date", "time", NULL};
    struct series s = {0};
    struct meeting m = {0};
    const char *date = NULL, *time = NULL;
    json_t *body;
    enum err rc = load_meeting(r, &m, &s, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    jsonx_require(jsonx_str(body, "date", &date, 10, false, ei), "date", ei);
    jsonx_str(body, "time", &time, 5, false, ei);
    if (date && !time_valid_date(date))
        err_field(ei, "date", "must be a date written YYYY-MM-DD");
    if (time && !tz_valid_time(time))
        err_field(ei, "time", "must be a time written HH:MM");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (!is(m.status, "scheduled"))
        return err_set(ei, ERR_CONFLICT, "this meeting is already %s", m.status);
    rc = oneonones_move(r->db, r->arena, &r->actor, &s, &m, date, time ? time : s.start_time, ei);
    if (rc)
        return rc;
    return api_meetings_get(r, ei);
}

static int by_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Series ids to their index in the series list: a table indexed by id (ids are the table's
 * rowids, whose span is about the number of series), or for sparser ids their rank among the
 * sorted ids. */
struct series_index {
    int64_t lo, hi, *ids; /* ids: sorted, when the ids are sparse */
    int32_t *slot;
    size_t n;
};

static int32_t series_find(const struct series_index *x, int64_t id)
{
    const int64_t *k;

    if (!x->ids)
        return id >= x->lo && id <= x->hi ? x->slot[id - x->lo] : -1;
    k = bsearch(&id, x->ids, x->n, sizeof(*x->ids), by_i64);
    return k ? x->slot[k - x->ids] : -1;
}

static void series_index(struct arena *a, const struct cadence_series *se, size_t ns,
                         struct series_index *x)
{
    size_t span;

    *x = (struct series_index){.lo = ns ? se[0].id : 1, .hi = ns ? se[0].id : 0, .n = ns};
    for (size_t i = 0; i < ns; i++) {
        x->lo = se[i].id < x->lo ? se[i].id : x->lo;
        x->hi = se[i].id > x->hi ? se[i].id : x->hi;
    }
    span = ns ? (size_t)(x->hi - x->lo) + 1 : 0;
    if (span > 8 * ns + 65536) {
        x->ids = arena_alloc(a, ns * sizeof(*x->ids));
        for (size_t i = 0; i < ns; i++)
            x->ids[i] = se[i].id;
        qsort(x->ids, ns, sizeof(*x->ids), by_i64);
        span = ns;
    }
    x->slot = arena_alloc(a, (span + 1) * sizeof(*x->slot));
    memset(x->slot, 0xff, (span + 1) * sizeof(*x->slot)); /* -1: no such series */
    for (size_t i = 0; i < ns; i++) {
        const int64_t *k = x->ids ? bsearch(&se[i].id, x->ids, ns, sizeof(*x->ids), by_i64) : NULL;

        x->slot[k ? (size_t)(k - x->ids) : (size_t)(se[i].id - x->lo)] = (int32_t)i;
    }
}

/* Places each meeting behind its series, in the order read (each series' in date order):
 * order[at[k]] .. order[at[k + 1] - 1] are series k's meetings; meetings of other series (not
 * a current report's) are left out. */
static void cadence_place(struct arena *a, const struct cadence_series *se, size_t ns,
                          const struct cadence_meeting *me, size_t nme, size_t **at_out,
                          size_t **order_out)
{
    size_t *at = arena_zalloc(a, (ns + 2) * sizeof(*at));
    size_t *order = arena_alloc(a, (nme + 1) * sizeof(*order));
    int32_t *of = arena_alloc(a, (nme + 1) * sizeof(*of));
    struct series_index x;

    series_index(a, se, ns, &x);
    for (size_t j = 0; j < nme; j++)
        if ((of[j] = series_find(&x, me[j].series_id)) >= 0)
            at[of[j] + 2]++;
    for (size_t k = 2; k < ns + 2; k++)
        at[k] += at[k - 1];
    /* at[k + 1] is where series k's next meeting goes; once all are placed, its end */
    for (size_t j = 0; j < nme; j++)
        if (of[j] >= 0)
            order[at[of[j] + 1]++] = j;
    *at_out = at;
    *order_out = order;
}

/* A manager's line of cadence health. */
struct cadence_row {
    int64_t id, reports, met, no_career, median; /* median -1: no gaps */
    double share;                                /* met / reports (0 without reports) */
    const char *name;
};

/* The furthest behind first: the lowest share met (nobody to meet: none behind), then the most
 * reports, then by id. */
static int by_behind(const void *x, const void *y)
{
    const struct cadence_row *a = x, *b = y;
    double sa = a->reports ? a->share : 1.0, sb = b->reports ? b->share : 1.0;

    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (a->reports != b->reports)
        return a->reports > b->reports ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Past this many managers the view lists the furthest behind first, beside the whole count (a
 * company of 1,000,000 has 100,000 managers: a 16 MB answer no one reads through). */
#define CADENCE_MAX 200

/* The line of the manager whose series start at se[*s] (in lead order): met, meetings without a
 * career discussion, the median gap; *s moves past the manager's series. gaps: room for every
 * meeting. */
static void cadence_line(const struct cadence_series *se, size_t ns, size_t *s, const size_t *at,
                         const size_t *order, const struct cadence_meeting *me, int64_t recent_day,
                         int64_t *gaps, struct cadence_row *out)
{
    int64_t mgr = se[*s].lead_id, ng = 0;

    while (*s < ns && se[*s].lead_id == mgr) {
        int64_t member = se[*s].member_id;
        bool seen = false;

        /* the pair's series one by one, each in date order: gaps within a series */
        for (; *s < ns && se[*s].lead_id == mgr && se[*s].member_id == member; (*s)++)
            for (size_t t = at[*s]; t < at[*s + 1]; t++) {
                const struct cadence_meeting *m = &me[order[t]];

                if (t > at[*s])
                    gaps[ng++] = m->day - me[order[t - 1]].day;
                if (m->day >= recent_day) {
                    seen = true;
                    out->no_career += !m->career;
                }
            }
        out->met += seen;
    }
    qsort(gaps, (size_t)ng, sizeof(*gaps), by_i64);
    out->median = ng ? gaps[ng / 2] : -1;
    out->share = out->reports ? (double)out->met / (double)out->reports : 0.0;
}

/* The whole company's lines past CADENCE_MAX managers: only the managers with a current series
 * can have met anyone; the others (met none, the most reports first) are read from the managers'
 * index as far as the list goes, and the two lists merged. The cost is the series and meetings
 * read, not the number of managers. */
static enum err cadence_company(struct request *r, const char *since, int64_t recent_day,
                                struct cadence_row **rows_out, size_t *shown_out, int64_t *tot_met)
{
    struct cadence_series *se;
    struct cadence_meeting *me;
    struct cadence_manager *rest;
    struct cadence_row *lines, *rows;
    size_t ns = 0, nme = 0, nl = 0, nrest = 0, s = 0, i = 0, j = 0, k = 0, *at, *order;
    int64_t *gaps, *leads;
    enum err rc = store_cadence_series(r->db, r->arena, 0, &se, &ns);

    if (rc == ERR_OK)
        rc = store_cadence_meetings(r->db, r->arena, 0, since, &me, &nme);
    if (rc)
        return rc;
    cadence_place(r->arena, se, ns, me, nme, &at, &order);
    gaps = arena_alloc(r->arena, (nme + 1) * sizeof(*gaps));
    lines = arena_alloc(r->arena, (ns + 1) * sizeof(*lines));
    leads = arena_alloc(r->arena, (ns + 1) * sizeof(*leads));
    while (s < ns) {
        struct cadence_row *x = &lines[nl];

        *x = (struct cadence_row){
            .id = se[s].lead_id, .reports = se[s].lead_reports, .name = se[s].lead_name};
        leads[nl++] = x->id; /* in lead order: sorted */
        cadence_line(se, ns, &s, at, order, me, recent_day, gaps, x);
        *tot_met += x->met;
    }
    qsort(lines, nl, sizeof(*lines), by_behind);
    rc = store_cadence_most_reports(r->db, r->arena, leads, nl, CADENCE_MAX, &rest, &nrest);
    if (rc)
        return rc;
    rows = arena_alloc(r->arena, (CADENCE_MAX + 1) * sizeof(*rows));
    while (k < CADENCE_MAX && (i < nl || j < nrest)) {
        struct cadence_row y = {0};

        if (j < nrest)
            y = (struct cadence_row){
                .id = rest[j].id, .reports = rest[j].reports, .median = -1, .name = rest[j].name};
        if (j >= nrest || (i < nl && by_behind(&lines[i], &y) < 0))
            rows[k++] = lines[i++];
        else {
            rows[k++] = y;
            j++;
        }
    }
    *rows_out = rows;
    *shown_out = k;
    return ERR_OK;
}

/* The answer: the shown lines of nm managers, beside the whole company's totals. */
static enum err cadence_write(struct request *r, const char *today, size_t nm,
                              const struct cadence_row *rows, size_t shown, int64_t tot_reports,
                              int64_t tot_met)
{
    struct buf b;
    struct jsonw w;

    buf_init(&b, 256u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_kstr(&w, "as_of", today);
    jsonw_kint(&w, "managers_total", (int64_t)nm);
    jsonw_key(&w, "managers");
    jsonw_arr(&w);
    for (size_t i = 0; i < shown; i++) {
        const struct cadence_row *x = &rows[i];

        jsonw_obj(&w);
        api_ref_write(&w, "manager", x->id, x->name);
        jsonw_kint(&w, "reports", x->reports);
        jsonw_kint(&w, "met_last_6_weeks", x->met);
        jsonw_kdouble(&w, "share_met", x->share);
        jsonw_key(&w, "median_gap_days");
        if (x->median >= 0)
            jsonw_int(&w, x->median);
        else
            jsonw_null(&w);
        jsonw_kint(&w, "meetings_without_career_discussion", x->no_career);
        jsonw_obj_end(&w);
    }
    jsonw_arr_end(&w);
    jsonw_key(&w, "total");
    jsonw_obj(&w);
    jsonw_kint(&w, "reports", tot_reports);
    jsonw_kint(&w, "met_last_6_weeks", tot_met);
    jsonw_kdouble(&w, "share_met", tot_reports ? (double)tot_met / (double)tot_reports : 0.0);
    jsonw_obj_end(&w);
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

enum err api_cadence_health(struct request *r, struct errinfo *ei)
{
    struct cadence_manager *mg;
    struct cadence_series *se;
    struct cadence_meeting *me;
    struct cadence_row *rows;
    size_t nm = 0, ns = 0, nme = 0, s = 0, *at, *order, shown;
    char since[21], recent[11], today[11];
    int64_t now = time_now(), *gaps, root, tot_reports = 0, tot_met = 0, recent_day, managers = 0;
    bool hr = r->actor.role == ROLE_HR || r->actor.role == ROLE_ADMIN;
    enum err rc = ERR_OK;

    time_rfc3339(now - 183 * 86400, since);
    time_date(now - 42 * 86400, recent);
    time_date(now, today);
    recent_day = date_days(recent);
    /* everyone else reads their own organisation: the policy decides once, for themselves, and
     * the statements read only what is below them */
    if (!hr && policy_check(r->db, &r->actor, ACT_CADENCE_READ,
                            &(struct subject){.person_id = r->actor.person_id}) != ERR_OK)
        return err_set(ei, ERR_FORBIDDEN, "cadence health is for managers and HR");
    root = hr ? 0 : r->actor.person_id;
    if (hr && (rc = store_cadence_totals(r->db, &managers, &tot_reports)) == ERR_OK &&
        managers > CADENCE_MAX) {
        rc = cadence_company(r, since, recent_day, &rows, &shown, &tot_met);
        if (rc)
            return err_set(ei, rc, "cannot read one-on-ones");
        return cadence_write(r, today, (size_t)managers, rows, shown, tot_reports, tot_met);
    }
    tot_reports = 0;
    if (rc == ERR_OK)
        rc = store_cadence_managers(r->db, r->arena, root, &mg, &nm);
    if (rc == ERR_OK)
        rc = store_cadence_series(r->db, r->arena, root, &se, &ns);
    if (rc == ERR_OK)
        rc = store_cadence_meetings(r->db, r->arena, root, since, &me, &nme);
    if (rc)
        return err_set(ei, rc, "cannot read one-on-ones");
    cadence_place(r->arena, se, ns, me, nme, &at, &order);
    gaps = arena_alloc(r->arena, (nme + 1) * sizeof(*gaps));
    rows = arena_alloc(r->arena, (nm + 1) * sizeof(*rows));
    /* managers by id, series by lead then member: one merge pass */
    for (size_t i = 0; i < nm; i++) {
        rows[i] = (struct cadence_row){
            .id = mg[i].id, .reports = mg[i].reports, .median = -1, .name = mg[i].name};
        while (s < ns && se[s].lead_id < mg[i].id)
            s++;
        if (s < ns && se[s].lead_id == mg[i].id)
            cadence_line(se, ns, &s, at, order, me, recent_day, gaps, &rows[i]);
        tot_reports += mg[i].reports;
        tot_met += rows[i].met;
    }
    shown = nm;
    if (nm > CADENCE_MAX) {
        qsort(rows, nm, sizeof(*rows), by_behind);
        shown = CADENCE_MAX;
    }
    return cadence_write(r, today, nm, rows, shown, tot_reports, tot_met);
}
