/* SPDX-License-Identifier: MIT */
/* Calibration of a review cycle: the distribution of ratings by department and by manager, the
 * outliers, the performance x potential grid, the company beside a manager's organisation,
 * leniency flags and HR's adjustments; and HR's target distribution. A manager of thousands
 * reads thousands of rows: the response is computed in arrays and written as it goes
 * (jsonw), not built as a jansson tree and dumped (about half of such a request). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/reviews.h"
#include "store/analytics.h"
#include "util/jsonw.h"
#include "util/jsonx.h"

/* A manager is flagged lenient or severe when the mean of at least this many of their ratings
 * stands this many standard errors from the company mean (a z-score of a group mean). */
#define FLAG_MIN_RATINGS 3
#define FLAG_Z           1.5
/* a grid's cell, and the unassessed, name at most this many people; the counts are whole */
#define BOX_NAMES 500
/* the managers' distributions, their flags and the outliers list at most this many, the most
 * telling first, beside their totals: a company of 1,000,000 has 100,000 managers and, with ratings
 * spread evenly, 400,000 outliers (a 74 MB answer no one reads through) */
#define LIST_MAX 200

/* {count, distribution, average} of a set of ratings. The distribution's buckets (ratings
 * rounded, 1 to 10) are listed in the order they were first seen. */
struct dist {
    int64_t count, bucket[11];
    double sum;
    int order[10], norder;
};

struct group {
    int64_t id;
    const char *name;
    struct dist d;
};

/* Groups by id in the order first seen; an open-addressed index from id to group. */
struct groups {
    struct group *v;
    size_t n, *slot, mask;
};

static void dist_add(struct dist *d, double rating, int64_t n)
{
    int b = (int)(rating + 0.5);

    b = b < 1 ? 1 : b > 10 ? 10 : b;
    if (!d->bucket[b])
        d->order[d->norder++] = b;
    d->bucket[b] += n;
    d->count += n;
    d->sum += rating * (double)n;
}

static double dist_avg(const struct dist *d)
{
    return d->count ? d->sum / (double)d->count : 0;
}

/* "count", "distribution" and "average" (null when empty) of d, into the open object. */
static void dist_write(struct jsonw *w, const struct dist *d)
{
    char key[4];

    jsonw_kint(w, "count", d->count);
    jsonw_key(w, "distribution");
    jsonw_obj(w);
    for (int i = 0; i < d->norder; i++) {
        snprintf(key, sizeof(key), "%d", d->order[i]);
        jsonw_kint(w, key, d->bucket[d->order[i]]);
    }
    jsonw_obj_end(w);
    jsonw_key(w, "average");
    if (d->count)
        jsonw_double(w, dist_avg(d));
    else
        jsonw_null(w);
}

static void groups_init(struct arena *a, struct groups *g, size_t most)
{
    size_t size = 16;

    while (size < 2 * most)
        size *= 2;
    g->v = arena_alloc(a, (most + 1) * sizeof(*g->v));
    g->slot = arena_alloc(a, size * sizeof(*g->slot));
    for (size_t i = 0; i < size; i++)
        g->slot[i] = SIZE_MAX;
    g->mask = size - 1;
    g->n = 0;
}

static struct group *group_of(struct groups *g, int64_t id, const char *name)
{
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15u >> 20) & g->mask;

    while (g->slot[h] != SIZE_MAX && g->v[g->slot[h]].id != id)
        h = (h + 1) & g->mask;
    if (g->slot[h] == SIZE_MAX) {
        g->slot[h] = g->n;
        g->v[g->n++] = (struct group){.id = id, .name = name};
    }
    return &g->v[g->slot[h]];
}

static int by_count(const void *x, const void *y, void *ctx)
{
    const struct group *v = ctx, *a = &v[*(const size_t *)x], *b = &v[*(const size_t *)y];

    if (a->d.count != b->d.count)
        return a->d.count < b->d.count ? 1 : -1;
    return (a->id > b->id) - (a->id < b->id);
}

/* The groups as a list; with limit, the limit largest (then by id) and key_total beside it. */
static void groups_write(struct arena *a, struct jsonw *w, const char *key, const char *label,
                         const struct groups *g, size_t limit)
{
    size_t *ix = arena_alloc(a, (g->n + 1) * sizeof(*ix)), n = g->n;
    char total[64];

    for (size_t i = 0; i < g->n; i++)
        ix[i] = i;
    if (limit && n > limit) {
        qsort_r(ix, n, sizeof(*ix), by_count, g->v);
        n = limit;
    }
    jsonw_key(w, key);
    jsonw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jsonw_obj(w);
        api_ref_write(w, label, g->v[ix[i]].id, g->v[ix[i]].name);
        dist_write(w, &g->v[ix[i]].d);
        jsonw_obj_end(w);
    }
    jsonw_arr_end(w);
    snprintf(total, sizeof(total), "%s_total", key);
    jsonw_kint(w, total, (int64_t)g->n);
}

/* The square root of x >= 0 by Newton's method (the binary does not link libm). */
static double root(double x)
{
    double y = x > 1 ? x : 1;

    if (x <= 0)
        return 0;
    for (int i = 0; i < 60; i++)
        y = 0.5 * (y + x / y);
    return y;
}

static void person_ref(struct jsonw *w, const struct calibration_row *x)
{
    api_ref_write(w, "person", x->person_id, x->person_name);
}

static void box_person(struct jsonw *w, const struct calibration_row *x)
{
    jsonw_obj(w);
    jsonw_kint(w, "outcome_id", x->outcome_id);
    jsonw_kint(w, "id", x->person_id);
    jsonw_kstr(w, "name", x->person_name);
    jsonw_key(w, "rating");
    if (x->has_rating)
        jsonw_double(w, x->rating);
    else
        jsonw_null(w);
    jsonw_key(w, "calibrated");
    jsonw_bool(w, x->has_calibrated);
    jsonw_key(w, "potential");
    if (x->potential)
        jsonw_int(w, x->potential);
    else
        jsonw_null(w);
    jsonw_kid(w, "manager_id", x->manager_id);
    jsonw_obj_end(w);
}

static bool assessed(const struct calibration_row *x)
{
    return x->has_rating && x->potential >= 1 && x->potential <= 3;
}

/* The performance x potential grid: performance low (<= 2.5), medium (< 3.75) or high on the
 * effective rating; potential 1-3 from the manager review or calibration. Each cell lists its
 * people with their rating (calibration readers see these ratings anyway); unassessed people
 * are counted apart and listed too, so that every name can be reached and adjusted. */
static void nine_box(struct jsonw *w, const struct calibration_row *v, size_t n)
{
    static const char *const axis[] = {"low", "medium", "high"};
    int64_t count[3][3] = {{0}}, unassessed = 0;

    for (size_t i = 0; i < n; i++) {
        if (!assessed(&v[i])) {
            unassessed++;
            continue;
        }
        count[v[i].rating <= 2.5 ? 0 : v[i].rating < 3.75 ? 1 : 2][v[i].potential - 1]++;
    }
    jsonw_key(w, "nine_box");
    jsonw_obj(w);
    jsonw_key(w, "cells");
    jsonw_arr(w);
    for (int p = 0; p < 3; p++)
        for (int q = 0; q < 3; q++) {
            int64_t named = 0;

            jsonw_obj(w);
            jsonw_kstr(w, "performance", axis[p]);
            jsonw_kstr(w, "potential", axis[q]);
            jsonw_kint(w, "count", count[p][q]);
            jsonw_key(w, "people");
            jsonw_arr(w);
            for (size_t i = 0; i < n && named < BOX_NAMES; i++) {
                int perf = v[i].rating <= 2.5 ? 0 : v[i].rating < 3.75 ? 1 : 2;

                if (assessed(&v[i]) && perf == p && v[i].potential - 1 == q) {
                    box_person(w, &v[i]);
                    named++;
                }
            }
            jsonw_arr_end(w);
            jsonw_obj_end(w);
        }
    jsonw_arr_end(w);
    jsonw_kint(w, "unassessed", unassessed);
    jsonw_key(w, "unassessed_people");
    jsonw_arr(w);
    for (size_t i = 0, named = 0; i < n && named < BOX_NAMES; i++)
        if (!assessed(&v[i])) {
            box_person(w, &v[i]);
            named++;
        }
    jsonw_arr_end(w);
    jsonw_obj_end(w);
}

/* The company's ratings: {count, distribution, average, sd}, its mean and sd. */
static void company_write(struct jsonw *w, const struct rating_count *v, size_t n, bool shown,
                          double *mean, double *sd)
{
    struct dist d = {0};
    double sq = 0;

    for (size_t i = 0; i < n; i++)
        dist_add(&d, v[i].rating, v[i].count);
    *mean = dist_avg(&d);
    for (size_t i = 0; i < n; i++)
        sq += (double)v[i].count * (v[i].rating - *mean) * (v[i].rating - *mean);
    *sd = d.count > 1 ? root(sq / (double)(d.count - 1)) : 0;
    jsonw_key(w, "company");
    if (!shown) {
        jsonw_null(w);
        return;
    }
    jsonw_obj(w);
    dist_write(w, &d);
    jsonw_kdouble(w, "sd", *sd);
    jsonw_obj_end(w);
}

/* One manager's leniency: z is 0 without a spread or enough ratings, flagged past FLAG_Z. */
struct flag_row {
    size_t group;
    double avg, z;
    bool enough;
    const char *flag;
};

static double magnitude(double x)
{
    return x < 0 ? -x : x;
}

/* Flagged first, then the largest |z|, then the most ratings, then by id. */
static int by_telling(const void *x, const void *y, void *ctx)
{
    const struct flag_row *a = x, *b = y;
    const struct group *v = ctx;

    if ((a->flag != NULL) != (b->flag != NULL))
        return a->flag ? -1 : 1;
    if (magnitude(a->z) != magnitude(b->z))
        return magnitude(a->z) < magnitude(b->z) ? 1 : -1;
    if (v[a->group].d.count != v[b->group].d.count)
        return v[a->group].d.count < v[b->group].d.count ? 1 : -1;
    return (v[a->group].id > v[b->group].id) - (v[a->group].id < v[b->group].id);
}

/* Leniency and severity: each manager's mean against the company's, z = (m - M) / (S / sqrt(n)). */
static void manager_flags(struct arena *a, struct jsonw *w, const struct groups *g, double mean,
                          double sd)
{
    struct flag_row *f = arena_alloc(a, (g->n + 1) * sizeof(*f));
    size_t n = 0, shown;

    for (size_t i = 0; i < g->n; i++) {
        const struct group *m = &g->v[i];
        struct flag_row *x;

        if (!m->id)
            continue;
        x = &f[n++];
        x->group = i;
        x->avg = dist_avg(&m->d);
        x->z = m->d.count && sd > 0 ? (x->avg - mean) / (sd / root((double)m->d.count)) : 0;
        x->enough = m->d.count >= FLAG_MIN_RATINGS;
        x->flag = !x->enough        ? NULL
                  : x->z >= FLAG_Z  ? "lenient"
                  : x->z <= -FLAG_Z ? "severe"
                                    : NULL;
        if (!x->enough)
            x->z = 0;
    }
    shown = n;
    if (n > LIST_MAX) {
        qsort_r(f, n, sizeof(*f), by_telling, g->v);
        shown = LIST_MAX;
    }
    jsonw_key(w, "flags");
    jsonw_obj(w);
    jsonw_kint(w, "min_ratings", FLAG_MIN_RATINGS);
    jsonw_kdouble(w, "z_threshold", FLAG_Z);
    jsonw_kint(w, "managers_total", (int64_t)n);
    jsonw_key(w, "managers");
    jsonw_arr(w);
    for (size_t i = 0; i < shown; i++) {
        const struct group *m = &g->v[f[i].group];

        jsonw_obj(w);
        api_ref_write(w, "manager", m->id, m->name);
        jsonw_kint(w, "count", m->d.count);
        jsonw_kdouble(w, "average", f[i].avg);
        jsonw_key(w, "z");
        if (f[i].enough)
            jsonw_double(w, f[i].z);
        else
            jsonw_null(w);
        jsonw_kstr(w, "flag", f[i].flag);
        jsonw_obj_end(w);
    }
    jsonw_arr_end(w);
    jsonw_obj_end(w);
}

/* The target distribution HR set for the cycle, or null. */
static json_t *calibration_target(struct request *r, int64_t cycle)
{
    const char *text;
    json_t *t;

    if (store_calibration_target_get(r->db, r->arena, cycle, &text) != ERR_OK)
        return json_null();
    t = json_loads(text, 0, NULL);
    return t ? t : json_null();
}

/* The target as stored ({"1": 10, …}, written by this file's handler): rating keys and
 * numbers. */
static void target_write(struct jsonw *w, struct request *r, int64_t cycle)
{
    json_t *t = calibration_target(r, cycle), *val;
    const char *key;

    jsonw_key(w, "target");
    if (!json_is_object(t)) {
        jsonw_null(w);
        json_decref(t);
        return;
    }
    jsonw_obj(w);
    json_object_foreach(t, key, val)
    {
        jsonw_key(w, key);
        if (json_is_integer(val))
            jsonw_int(w, json_integer_value(val));
        else
            jsonw_double(w, json_number_value(val));
    }
    jsonw_obj_end(w);
    json_decref(t);
}

static void adjustments(struct jsonw *w, const struct calibration_row *v, size_t n, bool hr,
                        int64_t reader)
{
    jsonw_key(w, "adjustments");
    jsonw_arr(w);
    for (size_t i = 0; i < n; i++) {
        /* the justification reaches HR and the manager of the person whose rating changed */
        if (!v[i].has_calibrated || !(hr || v[i].manager_id == reader))
            continue;
        jsonw_obj(w);
        jsonw_kint(w, "outcome_id", v[i].outcome_id);
        person_ref(w, &v[i]);
        jsonw_key(w, "rating");
        if (v[i].has_original)
            jsonw_double(w, v[i].original);
        else
            jsonw_null(w);
        jsonw_kdouble(w, "calibrated_rating", v[i].calibrated);
        jsonw_kstr(w, "justification", v[i].note);
        jsonw_obj_end(w);
    }
    jsonw_arr_end(w);
}

/* An outlier: at least 1.5 points from the average of its department (of 3 ratings or more). */
/* A rating 1.5 or more from its department's average (of 3 or more ratings). */
struct outlier {
    size_t row;
    double avg;
};

struct rows {
    const struct calibration_row *v;
};

static int by_distance(const void *x, const void *y, void *ctx)
{
    const struct outlier *a = x, *b = y;
    const struct calibration_row *v = ((const struct rows *)ctx)->v;
    double da = magnitude(v[a->row].rating - a->avg), db = magnitude(v[b->row].rating - b->avg);

    if (da != db)
        return da < db ? 1 : -1;
    return (v[a->row].outcome_id > v[b->row].outcome_id) -
           (v[a->row].outcome_id < v[b->row].outcome_id);
}

/* The outliers in outcome order; past LIST_MAX the farthest from their average first. */
static void outliers(struct arena *a, struct jsonw *w, const struct calibration_row *v, size_t n,
                     struct groups *depts)
{
    struct outlier *o = arena_alloc(a, (n + 1) * sizeof(*o));
    struct rows rows = {v};
    size_t k = 0, shown;

    for (size_t i = 0; i < n; i++) {
        const struct group *g;
        double avg;

        if (!v[i].has_rating)
            continue;
        g = group_of(depts, v[i].department_id, v[i].department_name);
        avg = dist_avg(&g->d);
        if (g->d.count < 3 || (v[i].rating - avg < 1.5 && avg - v[i].rating < 1.5))
            continue;
        o[k].row = i;
        o[k++].avg = avg;
    }
    shown = k;
    if (k > LIST_MAX) {
        qsort_r(o, k, sizeof(*o), by_distance, &rows);
        shown = LIST_MAX;
    }
    jsonw_key(w, "outliers");
    jsonw_arr(w);
    for (size_t i = 0; i < shown; i++) {
        const struct calibration_row *x = &v[o[i].row];

        jsonw_obj(w);
        jsonw_kint(w, "outcome_id", x->outcome_id);
        person_ref(w, x);
        jsonw_kdouble(w, "rating", x->rating);
        jsonw_kdouble(w, "department_average", o[i].avg);
        jsonw_obj_end(w);
    }
    jsonw_arr_end(w);
    jsonw_kint(w, "outliers_total", (int64_t)k);
}

enum err api_review_cycles_calibration(struct request *r, struct errinfo *ei)
{
    struct review_cycle c;
    struct calibration_row *v;
    struct rating_count *counts;
    struct groups depts, mgrs;
    size_t n, ncounts;
    int64_t company_count = 0;
    double mean, sd;
    struct buf b;
    struct jsonw w;
    bool hr = r->actor.role == ROLE_HR || r->actor.role == ROLE_ADMIN;
    enum err rc = api_load_cycle(r, &c, ei);

    if (rc)
        return rc;
    /* HR sees the cycle; a manager sees the people below them (policy: manager chain) */
    rc = store_outcomes_calibration(r->db, r->arena, c.id, hr ? 0 : r->actor.person_id, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read outcomes");
    /* the subject outranks the role: an HR reviewee's own row (and potential) is not theirs to
     * see, nor to count in the groups shown to them */
    for (size_t i = 0, k = 0, len = n; i < len; i++) {
        if (v[i].person_id == r->actor.person_id) {
            n--;
            continue;
        }
        v[k++] = v[i];
    }
    if (!hr && n == 0)
        return err_set(ei, ERR_FORBIDDEN, "calibration is for HR and the managers above a group");
    /* the company's distribution beside a manager's organisation: an aggregate only, counted
     * by the database (every outcome's row for each manager's request was most of its cost) */
    if (store_outcomes_rating_counts(r->db, r->arena, c.id, r->actor.person_id, &counts,
                                     &ncounts) != ERR_OK)
        return err_set(ei, ERR_INTERNAL, "cannot read outcomes");
    for (size_t i = 0; i < ncounts; i++)
        company_count += counts[i].count;
    groups_init(r->arena, &depts, n);
    groups_init(r->arena, &mgrs, n);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].has_rating)
            continue;
        dist_add(&group_of(&depts, v[i].department_id, v[i].department_name)->d, v[i].rating, 1);
        dist_add(&group_of(&mgrs, v[i].manager_id, v[i].manager_name)->d, v[i].rating, 1);
    }
    buf_init(&b, 256u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_kint(&w, "cycle_id", c.id);
    jsonw_kint(&w, "outcomes", (int64_t)n);
    groups_write(r->arena, &w, "by_department", "department", &depts, 0);
    groups_write(r->arena, &w, "by_manager", "manager", &mgrs, LIST_MAX);
    outliers(r->arena, &w, v, n, &depts);
    nine_box(&w, v, n);
    /* a manager sees the company's aggregate only when it is large enough to hide anyone */
    company_write(&w, counts, ncounts, hr || company_count >= c.threshold, &mean, &sd);
    target_write(&w, r, c.id);
    manager_flags(r->arena, &w, &mgrs, mean, sd);
    adjustments(&w, v, n, hr, r->actor.person_id);
    jsonw_key(&w, "can_adjust");
    jsonw_bool(&w, hr && !c.released_at);
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

enum err api_review_cycles_calibration_target(struct request *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"distribution", NULL};
    struct review_cycle c;
    json_t *body, *dist;
    const char *key;
    json_t *val;
    double total = 0;
    char *text = NULL;
    enum err rc = api_require_hr(r, ei);

    if (rc == ERR_OK)
        rc = api_load_cycle(r, &c, ei);
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    jsonx_only(body, allowed, ei);
    dist = json_object_get(body, "distribution");
    if (!dist || (!json_is_null(dist) && !json_is_object(dist)))
        err_field(ei, "distribution",
                  "an object of rating (1 to 5) to percentage, or null to remove it");
    else if (json_is_object(dist)) {
        json_object_foreach(dist, key, val)
        {
            bool rating = strlen(key) == 1 && key[0] >= '1' && key[0] <= '5';

            if (!rating || !json_is_number(val) || json_number_value(val) < 0 ||
                json_number_value(val) > 100) {
                err_field(ei, "distribution",
                          "keys are the ratings 1 to 5, values percentages from 0 to 100");
                break;
            }
            total += json_number_value(val);
        }
        if (!ei->nfields && (total < 99.5 || total > 100.5))
            err_field(ei, "distribution", "the percentages must add up to 100");
    }
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (json_is_object(dist)) {
        text = json_dumps(dist, JSON_COMPACT | JSON_SORT_KEYS);
        if (!text)
            return err_set(ei, ERR_INTERNAL, "cannot store the target");
        arena_defer(r->arena, free, text);
    }
    rc = reviews_calibration_target_set(r->db, r->arena, &r->actor, c.id, text, dist, ei);
    if (rc)
        return ei->message[0] ? rc : err_set(ei, rc, "cannot store the target");
    response_json(r, 200,
                  json_pack("{s:I, s:o}", "cycle_id", (json_int_t)c.id, "target",
                            calibration_target(r, c.id)));
    return ERR_OK;
}
