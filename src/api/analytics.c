/* SPDX-License-Identifier: MIT */
/* HR analytics (issue #12): GET /api/v1/analytics/{report} for HR and admins, JSON or CSV
 * (?format=csv). Every report is {report, title, threshold, columns: [{key, label}], rows,
 * suppressed, note}. A group of fewer people (or items) than the anonymity threshold is left
 * out and counted in `suppressed`; goals and feedback are counted only where HR may read them
 * (private goals and private feedback belong to their people alone). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "util/csv.h"
#include "policy/policy.h"
#include "store/analytics.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* The smallest group a company figure is shown for (the default anonymity threshold of cycles) */
#define MIN_GROUP 3

struct report {
    const char *name, *title, *note;
    const char *const *cols; /* key, label, key, label, ..., NULL */
    json_t *rows;
    json_int_t threshold, suppressed;
};

static enum err require_analytics(struct request *r, struct errinfo *ei)
{
    enum err rc = policy_check(r->db, &r->actor, ACT_ANALYTICS_READ, NULL);

    return rc ? err_set(ei, rc, "company analytics are for HR and admins") : ERR_OK;
}

/* A cell: text through the one CSV writer (quoted, formulas neutralised), numbers and yes/no
 * as they are. */
static void csv_cell(struct buf *b, json_t *v)
{
    if (json_is_string(v))
        csv_write_field(b, json_string_value(v));
    else if (json_is_integer(v))
        buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_addf(b, "%.3f", json_real_value(v));
    else if (json_is_true(v))
        buf_add(b, "yes");
    else if (json_is_false(v))
        buf_add(b, "no");
}

static enum err send_report(struct request *r, struct report *rep, struct errinfo *ei)
{
    const char *format = request_query(r, "format"), *bom = request_query(r, "bom");

    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        err_field(ei, "format", "must be csv or json");
    if (bom && strcmp(bom, "true") != 0 && strcmp(bom, "false") != 0)
        err_field(ei, "bom", "must be true or false");
    if (ei->nfields) {
        json_decref(rep->rows);
        return err_fields_result(ei);
    }

    if (format && strcmp(format, "csv") == 0) {
        struct buf b;
        char *disposition = arena_alloc(r->arena, 80);
        size_t i;
        json_t *row;

        buf_init(&b, 32u << 20);
        csv_write_bom(&b, bom && strcmp(bom, "true") == 0);
        for (int c = 0; rep->cols[c]; c += 2) {
            if (c)
                buf_add(&b, ",");
            csv_write_field(&b, rep->cols[c + 1]);
        }
        buf_add(&b, "\r\n");
        json_array_foreach(rep->rows, i, row)
        {
            for (int c = 0; rep->cols[c]; c += 2) {
                if (c)
                    buf_add(&b, ",");
                csv_cell(&b, json_object_get(row, rep->cols[c]));
            }
            buf_add(&b, "\r\n");
        }
        response_bytes(r, 200, "text/csv; charset=utf-8", buf_str(&b), b.len);
        snprintf(disposition, 80, "attachment; filename=\"trellis-%s.csv\"", rep->name);
        request_add_header(r, "Content-Disposition", disposition);
        buf_cleanup(&b);
        json_decref(rep->rows);
        return ERR_OK;
    }
    {
        json_t *cols = json_array();

        for (int c = 0; rep->cols[c]; c += 2)
            json_array_append_new(
                cols, json_pack("{s:s, s:s}", "key", rep->cols[c], "label", rep->cols[c + 1]));
        response_json(r, 200,
                      json_pack("{s:s, s:s, s:I, s:o, s:o, s:I, s:s?}", "report", rep->name,
                                "title", rep->title, "threshold", rep->threshold, "columns", cols,
                                "rows", rep->rows, "suppressed", rep->suppressed, "note",
                                rep->note));
    }
    return ERR_OK;
}

static double share(json_int_t part, json_int_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

static json_int_t geti(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static void addi(json_t *o, const char *k, json_int_t d)
{
    json_object_set_new(o, k, json_integer(geti(o, k) + d));
}

static const char *str_or(json_t *o, const char *k, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s && *s ? s : dflt;
}

/* Days from date a to date b (YYYY-MM-DD). */
static int64_t days_between(const char *a, const char *b)
{
    struct tm ta = {0}, tb = {0};

    if (!a || !b || sscanf(a, "%4d-%2d-%2d", &ta.tm_year, &ta.tm_mon, &ta.tm_mday) != 3 ||
        sscanf(b, "%4d-%2d-%2d", &tb.tm_year, &tb.tm_mon, &tb.tm_mday) != 3)
        return 0;
    ta.tm_year -= 1900;
    tb.tm_year -= 1900;
    ta.tm_mon--;
    tb.tm_mon--;
    return (int64_t)((timegm(&tb) - timegm(&ta)) / 86400);
}

static int by_int(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* The group named name in obj (created with its kind and name). */
static json_t *group(json_t *obj, const char *kind, const char *name)
{
    char key[300];
    json_t *g;

    snprintf(key, sizeof(key), "%s\x1f%s", kind, name);
    g = json_object_get(obj, key);
    if (!g) {
        g = json_pack("{s:s, s:s, s:I, s:{}}", "group_by", kind, "group", name, "people",
                      (json_int_t)0, "seen");
        json_object_set_new(obj, key, g);
    }
    return g;
}

/* Counts person id once in group g. */
static void see(json_t *g, int64_t person)
{
    char key[24];
    json_t *seen = json_object_get(g, "seen");

    snprintf(key, sizeof(key), "%lld", (long long)person);
    if (!json_object_get(seen, key)) {
        json_object_set_new(seen, key, json_true());
        addi(g, "people", 1);
    }
}

enum err api_analytics_completion(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {
        "cycle",           "Cycle",           "kind",      "Kind",
        "total",           "Reviews",         "submitted", "Submitted",
        "share_submitted", "Share submitted", NULL};
    struct report rep = {
        "completion", "Review completion by cycle", NULL, cols, NULL, MIN_GROUP, 0};
    json_t *rows, *row;
    size_t i;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK && (rc = store_analytics_completion(r->db, &rows)) != ERR_OK)
        return err_set(ei, rc, "cannot read reviews");
    if (rc)
        return rc;
    json_array_foreach(rows, i, row) json_object_set_new(
        row, "share_submitted", json_real(share(geti(row, "submitted"), geti(row, "total"))));
    rep.rows = rows;
    return send_report(r, &rep, ei);
}

enum err api_analytics_ratings(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {"cycle", "Cycle", "rated", "Rated",     "average", "Average",
                                       "r1",    "1",     "r2",    "2",         "r3",      "3",
                                       "r4",    "4",     "r5",    "5 or more", NULL};
    struct report rep = {"ratings",
                         "Rating distributions over cycles",
                         "A cycle with fewer ratings than its anonymity threshold is not shown. "
                         "Your own rating is not counted.",
                         cols,
                         json_array(),
                         MIN_GROUP,
                         0};
    json_t *rows, *row, *cur = NULL;
    double sum = 0;
    size_t i;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK && (rc = store_analytics_ratings(r->db, r->actor.person_id, &rows)) != ERR_OK)
        err_set(ei, rc, "cannot read outcomes");
    if (rc) {
        json_decref(rep.rows);
        return rc;
    }
    for (i = 0; i <= json_array_size(rows); i++) {
        row = json_array_get(rows, i);
        if (cur && (!row || geti(row, "cycle_id") != geti(cur, "cycle_id"))) {
            json_int_t n = geti(cur, "rated");

            if (n < geti(cur, "threshold")) {
                rep.suppressed++;
            } else {
                json_object_set_new(cur, "average", json_real(sum / (double)n));
                json_object_del(cur, "threshold");
                json_array_append(rep.rows, cur);
            }
            json_decref(cur);
            cur = NULL;
        }
        if (!row)
            break;
        if (!cur) {
            cur = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "cycle_id",
                            geti(row, "cycle_id"), "cycle", str_or(row, "cycle", ""), "threshold",
                            geti(row, "threshold"), "rated", (json_int_t)0, "r1", (json_int_t)0,
                            "r2", (json_int_t)0, "r3", (json_int_t)0, "r4", (json_int_t)0, "r5",
                            (json_int_t)0);
            sum = 0;
        }
        {
            double v = json_real_value(json_object_get(row, "rating"));
            int b = (int)(v + 0.5);
            char key[4];

            snprintf(key, sizeof(key), "r%d", b < 1 ? 1 : b > 5 ? 5 : b);
            addi(cur, key, 1);
            addi(cur, "rated", 1);
            sum += v;
        }
    }
    json_decref(rows);
    return send_report(r, &rep, ei);
}

/* {key: group} -> rows, leaving out groups of fewer than MIN_GROUP people. */
static void finish_groups(json_t *groups, struct report *rep, void (*fill)(json_t *g))
{
    const char *key;
    json_t *g;

    json_object_foreach(groups, key, g)
    {
        if (geti(g, "people") < MIN_GROUP) {
            rep->suppressed++;
            continue;
        }
        json_object_del(g, "seen");
        if (fill)
            fill(g);
        json_array_append(rep->rows, g);
    }
}

static void goal_fill(json_t *g)
{
    json_object_set_new(g, "share_done", json_real(share(geti(g, "done"), geti(g, "goals"))));
    json_object_set_new(g, "average_progress",
                        json_real(geti(g, "goals") ? json_real_value(json_object_get(g, "sum")) /
                                                         (double)geti(g, "goals")
                                                   : 0.0));
    json_object_del(g, "sum");
}

enum err api_analytics_goals(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {"group_by",
                                       "By",
                                       "group",
                                       "Group",
                                       "people",
                                       "People",
                                       "goals",
                                       "Goals",
                                       "done",
                                       "Done",
                                       "share_done",
                                       "Share done",
                                       "average_progress",
                                       "Average progress",
                                       NULL};
    struct report rep = {"goals",
                         "Goal attainment by department and level",
                         "Individual goals out of draft. Private goals are their owner's alone "
                         "and are not counted. Groups of fewer than 3 people are not shown.",
                         cols,
                         json_array(),
                         MIN_GROUP,
                         0};
    json_t *rows, *row, *groups = json_object();
    size_t i;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK && (rc = store_analytics_goals(r->db, &rows)) != ERR_OK)
        err_set(ei, rc, "cannot read goals");
    if (rc) {
        json_decref(rep.rows);
        json_decref(groups);
        return rc;
    }
    json_array_foreach(rows, i, row)
    {
        json_t *gs[2] = {group(groups, "department", str_or(row, "department", "No department")),
                         group(groups, "level", str_or(row, "level", "No level"))};

        for (int k = 0; k < 2; k++) {
            see(gs[k], geti(row, "owner_id"));
            addi(gs[k], "goals", 1);
            addi(gs[k], "done", strcmp(str_or(row, "status", ""), "done") == 0);
            json_object_set_new(gs[k], "sum",
                                json_real(json_real_value(json_object_get(gs[k], "sum")) +
                                          json_real_value(json_object_get(row, "progress"))));
        }
    }
    finish_groups(groups, &rep, goal_fill);
    json_decref(groups);
    json_decref(rows);
    return send_report(r, &rep, ei);
}

/* Rows of people grouped by department and by level, for promotions and IDPs. */
static enum err people_groups(struct request *r, json_t **groups, struct errinfo *ei)
{
    char since[11], today[11];
    json_t *rows, *row;
    size_t i;
    enum err rc;

    time_date(time_now() - 365 * 86400, since);
    time_date(time_now(), today);
    rc = store_analytics_people(r->db, since, &rows);
    if (rc)
        return err_set(ei, rc, "cannot read people");
    *groups = json_object();
    json_array_foreach(rows, i, row)
    {
        json_t *gs[2] = {group(*groups, "department", str_or(row, "department", "No department")),
                         group(*groups, "level", str_or(row, "level", "No level"))};
        const char *from = str_or(row, "level_since", str_or(row, "hire_date", NULL));
        int64_t idp = json_is_true(json_object_get(row, "has_idp"));

        for (int k = 0; k < 2; k++) {
            see(gs[k], geti(row, "person_id"));
            addi(gs[k], "promoted", geti(row, "promotions") > 0);
            addi(gs[k], "with_idp", idp);
            addi(gs[k], "actions", geti(row, "actions"));
            addi(gs[k], "actions_done", geti(row, "actions_done"));
            if (!json_object_get(gs[k], "days"))
                json_object_set_new(gs[k], "days", json_array());
            if (from)
                json_array_append_new(json_object_get(gs[k], "days"),
                                      json_integer(days_between(from, today)));
        }
    }
    json_decref(rows);
    return ERR_OK;
}

static void promotion_fill(json_t *g)
{
    json_t *days = json_object_get(g, "days");
    size_t n = json_array_size(days);
    int64_t *v = xcalloc(n ? n : 1, sizeof(*v));

    for (size_t i = 0; i < n; i++)
        v[i] = json_integer_value(json_array_get(days, i));
    if (n)
        qsort(v, n, sizeof(*v), by_int);
    json_object_set_new(g, "promotion_rate",
                        json_real(share(geti(g, "promoted"), geti(g, "people"))));
    if (n) {
        size_t mid = n / 2;
        double days_in_level = (double)v[mid];

        /* months to one decimal */
        json_object_set_new(g, "median_months_in_level",
                            json_real((double)(int64_t)(days_in_level / 30.44 * 10 + 0.5) / 10.0));
    } else {
        json_object_set_new(g, "median_months_in_level", json_null());
    }
    free(v);
    json_object_del(g, "days");
    json_object_del(g, "with_idp");
    json_object_del(g, "actions");
    json_object_del(g, "actions_done");
}

static void idp_fill(json_t *g)
{
    json_object_set_new(g, "coverage", json_real(share(geti(g, "with_idp"), geti(g, "people"))));
    json_object_set_new(g, "completion",
                        json_real(share(geti(g, "actions_done"), geti(g, "actions"))));
    json_object_del(g, "days");
    json_object_del(g, "promoted");
}

enum err api_analytics_promotions(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {"group_by",
                                       "By",
                                       "group",
                                       "Group",
                                       "people",
                                       "People",
                                       "promoted",
                                       "Promoted in the last 12 months",
                                       "promotion_rate",
                                       "Promotion rate",
                                       "median_months_in_level",
                                       "Median months in level",
                                       NULL};
    struct report rep = {"promotions",
                         "Promotion rate and time in level",
                         "Active people; promotions from role history. Groups of fewer than 3 "
                         "people are not shown.",
                         cols,
                         NULL,
                         MIN_GROUP,
                         0};
    json_t *groups = NULL;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK)
        rc = people_groups(r, &groups, ei);
    if (rc)
        return rc;
    rep.rows = json_array();
    finish_groups(groups, &rep, promotion_fill);
    json_decref(groups);
    return send_report(r, &rep, ei);
}

enum err api_analytics_idps(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {
        "group_by",     "By",           "group",      "Group",      "people",  "People",
        "with_idp",     "With a plan",  "coverage",   "Coverage",   "actions", "Actions",
        "actions_done", "Actions done", "completion", "Completion", NULL};
    struct report rep = {"idps",
                         "Development plan coverage and completion",
                         "Groups of fewer than 3 people are not shown.",
                         cols,
                         NULL,
                         MIN_GROUP,
                         0};
    json_t *groups = NULL;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK)
        rc = people_groups(r, &groups, ei);
    if (rc)
        return rc;
    rep.rows = json_array();
    finish_groups(groups, &rep, idp_fill);
    json_decref(groups);
    return send_report(r, &rep, ei);
}

enum err api_analytics_feedback(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {"month",        "Month",        "praise", "Praise",
                                       "constructive", "Constructive", "total",  "Total",
                                       "share_praise", "Share praise", NULL};
    struct report rep = {"feedback",
                         "Feedback volume and balance",
                         "Feedback shared beyond its two people (public praise, feedback for "
                         "managers); private feedback is not counted. Months with fewer than 3 "
                         "items are not shown.",
                         cols,
                         json_array(),
                         MIN_GROUP,
                         0};
    json_t *rows, *row, *cur = NULL;
    size_t i;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK && (rc = store_analytics_feedback(r->db, &rows)) != ERR_OK)
        err_set(ei, rc, "cannot read feedback");
    if (rc) {
        json_decref(rep.rows);
        return rc;
    }
    for (i = 0; i <= json_array_size(rows); i++) {
        row = json_array_get(rows, i);
        if (cur && (!row || strcmp(str_or(row, "month", ""), str_or(cur, "month", "")) != 0)) {
            json_int_t total = geti(cur, "praise") + geti(cur, "constructive");

            if (total < MIN_GROUP) {
                rep.suppressed++;
            } else {
                json_object_set_new(cur, "total", json_integer(total));
                json_object_set_new(cur, "share_praise",
                                    json_real(share(geti(cur, "praise"), total)));
                json_array_append(rep.rows, cur);
            }
            json_decref(cur);
            cur = NULL;
        }
        if (!row)
            break;
        if (!cur)
            cur = json_pack("{s:s, s:I, s:I}", "month", str_or(row, "month", ""), "praise",
                            (json_int_t)0, "constructive", (json_int_t)0);
        addi(cur, strcmp(str_or(row, "kind", ""), "praise") == 0 ? "praise" : "constructive",
             geti(row, "n"));
    }
    json_decref(rows);
    return send_report(r, &rep, ei);
}

static int by_risk(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double rx = json_real_value(json_object_get(x, "risk")),
           ry = json_real_value(json_object_get(y, "risk"));
    json_int_t gx = geti(x, "longest_gap_days"), gy = geti(y, "longest_gap_days");

    if (rx != ry)
        return rx < ry ? 1 : -1;
    return gx < gy ? 1 : gx > gy ? -1 : 0;
}

enum err api_analytics_oneonones(struct request *r, struct errinfo *ei)
{
    static const char *const cols[] = {"manager",
                                       "Manager",
                                       "reports",
                                       "Reports",
                                       "met_last_6_weeks",
                                       "Met in the last 6 weeks",
                                       "never_met",
                                       "Never met",
                                       "longest_gap_days",
                                       "Longest wait (days)",
                                       "risk",
                                       "Share not met recently",
                                       NULL};
    struct report rep = {"one_on_ones",
                         "One-on-one cadence health, by risk",
                         "Per manager: their reports met in a held one-on-one. Sorted by the "
                         "share of reports not met in six weeks.",
                         cols,
                         NULL,
                         MIN_GROUP,
                         0};
    json_t *rows, *row, *cur = NULL, **v;
    char today[11], recent[11];
    size_t i, n = 0;
    enum err rc = require_analytics(r, ei);

    if (rc == ERR_OK && (rc = store_analytics_oneonones(r->db, &rows)) != ERR_OK)
        err_set(ei, rc, "cannot read one-on-ones");
    if (rc)
        return rc;
    time_date(time_now(), today);
    time_date(time_now() - 42 * 86400, recent);
    v = arena_alloc(r->arena, (json_array_size(rows) + 1) * sizeof(json_t *));
    json_array_foreach(rows, i, row)
    {
        const char *last = json_string_value(json_object_get(row, "last_held"));

        if (!cur || geti(cur, "manager_id") != geti(row, "manager_id")) {
            cur = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}", "manager_id", geti(row, "manager_id"),
                            "manager", str_or(row, "manager", ""), "reports", (json_int_t)0,
                            "met_last_6_weeks", (json_int_t)0, "never_met", (json_int_t)0,
                            "longest_gap_days", (json_int_t)0);
            v[n++] = cur;
        }
        addi(cur, "reports", 1);
        if (!last) {
            addi(cur, "never_met", 1);
        } else {
            int64_t gap = days_between(last, today);

            addi(cur, "met_last_6_weeks", strcmp(last, recent) >= 0);
            if (gap > geti(cur, "longest_gap_days"))
                json_object_set_new(cur, "longest_gap_days", json_integer(gap));
        }
    }
    for (i = 0; i < n; i++)
        json_object_set_new(
            v[i], "risk",
            json_real(1.0 - share(geti(v[i], "met_last_6_weeks"), geti(v[i], "reports"))));
    qsort(v, n, sizeof(json_t *), by_risk);
    rep.rows = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(rep.rows, v[i]);
    json_decref(rows);
    return send_report(r, &rep, ei);
}
