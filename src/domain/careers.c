/* SPDX-License-Identifier: MIT */
/* See careers.h. */
#include "domain/careers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "store/careers.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

static int64_t iv(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static int by_gap(const void *x, const void *y)
{
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int64_t ga = iv(a, "gap"), gb = iv(b, "gap");

    if (ga != gb)
        return ga > gb ? -1 : 1;
    return strcmp(json_string_value(json_object_get(a, "name")),
                  json_string_value(json_object_get(b, "name")));
}

static int by_score(const void *x, const void *y)
{
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    double sa = json_number_value(json_object_get(a, "score")),
           sb = json_number_value(json_object_get(b, "score"));

    if (sa != sb)
        return sa > sb ? -1 : 1;
    return iv(a, "id") < iv(b, "id") ? -1 : iv(a, "id") > iv(b, "id");
}

/* A new array of the items of v sorted by cmp. */
static json_t *sorted(json_t **items, size_t n, int (*cmp)(const void *, const void *))
{
    json_t *out = json_array();

    qsort(items, n, sizeof(json_t *), cmp);
    for (size_t i = 0; i < n; i++)
        json_array_append(out, items[i]);
    return out;
}

json_t *careers_gaps(json_t *rows)
{
    size_t n = json_array_size(rows), m = 0, i;
    json_t **keep = xcalloc(n + 1, sizeof(json_t *)), *r, *out;

    json_array_foreach(rows, i, r)
    {
        int64_t current = json_is_integer(json_object_get(r, "current")) ? iv(r, "current") : 0;
        int64_t gap = iv(r, "expected") - current;

        json_object_set_new(r, "gap", json_integer(gap));
        if (gap > 0)
            keep[m++] = r;
    }
    out = sorted(keep, m, by_gap);
    free(keep);
    json_decref(rows);
    return out;
}

double careers_completion(json_t *actions, json_t *milestones)
{
    size_t i, total = 0, done = 0;
    json_t *x;

    json_array_foreach(actions, i, x)
    {
        const char *s = json_string_value(json_object_get(x, "status"));

        if (s && strcmp(s, "cancelled") == 0)
            continue;
        total++;
        done += s && strcmp(s, "done") == 0;
    }
    json_array_foreach(milestones, i, x)
    {
        total++;
        done += !json_is_null(json_object_get(x, "done_at"));
    }
    return total ? 100.0 * (double)done / (double)total : 0.0;
}

json_t *careers_rank_mentors(json_t *candidates, int64_t mentee, int64_t department)
{
    size_t n = json_array_size(candidates), m = 0, i;
    json_t **keep = xcalloc(n + 1, sizeof(json_t *)), *c, *out;

    json_array_foreach(candidates, i, c)
    {
        int64_t room = iv(c, "capacity") - iv(c, "load"), rating = iv(c, "rating");
        bool other = iv(c, "department_id") != department;
        json_t *why = json_array();

        if (iv(c, "id") == mentee || room <= 0) {
            json_decref(why);
            continue;
        }
        if (rating)
            json_array_append_new(why, json_pack("s", rating >= 4 ? "rated highly in the skill"
                                                                  : "rated in the skill"));
        if (other)
            json_array_append_new(why, json_string("another department: a wider network"));
        json_array_append_new(why, json_string(room > 1 ? "has room for more mentees"
                                                        : "has room for one more mentee"));
        json_object_set_new(c, "score",
                            json_integer(10 * rating + (other ? 5 : 0) + (room > 3 ? 3 : room)));
        json_object_set_new(c, "reasons", why);
        keep[m++] = c;
    }
    out = sorted(keep, m, by_score);
    free(keep);
    return out;
}

/* True when a word of at least four letters of `words` appears in text (case-folded). */
static bool shares_word(const char *words, const char *text)
{
    char w[64];
    size_t n = 0;

    if (!words || !text)
        return false;
    for (const char *p = words;; p++) {
        bool letter = *p && ((*p | 32) >= 'a' && (*p | 32) <= 'z');

        if (letter && n < sizeof(w) - 1) {
            w[n++] = (char)(*p | 32);
            continue;
        }
        if (n >= 4) {
            w[n] = '\0';
            for (const char *t = text; *t; t++) {
                size_t k = 0;

                while (k < n && t[k] && (char)(t[k] | 32) == w[k])
                    k++;
                if (k == n)
                    return true;
            }
        }
        n = 0;
        if (!*p)
            return false;
    }
}

json_t *careers_rank_opportunities(json_t *opps, json_t *required, json_t *ratings,
                                   json_t *gap_skills, const char *aspiration)
{
    size_t n = json_array_size(opps), i, k;
    json_t **all = xcalloc(n + 1, sizeof(json_t *)), *o, *req, *out;

    json_array_foreach(opps, i, o)
    {
        double cover = 0;
        int needs = 0, grows = 0;
        json_t *why = json_array();
        char key[24];

        /* required is ordered by opportunity: binary search for this one's rows */
        size_t lo = 0, hi = json_array_size(required);

        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (iv(json_array_get(required, mid), "opportunity_id") < iv(o, "id"))
                lo = mid + 1;
            else
                hi = mid;
        }
        for (k = lo; k < json_array_size(required) &&
                     iv((req = json_array_get(required, k)), "opportunity_id") == iv(o, "id");
             k++) {
            int64_t min = iv(req, "min_rating"), have;
            size_t g;
            json_t *gs;

            needs++;
            snprintf(key, sizeof(key), "%lld", (long long)iv(req, "skill_id"));
            have = json_integer_value(json_object_get(ratings, key));
            cover += min > 0 ? (double)(have < min ? have : min) / (double)min : 1.0;
            json_array_foreach(gap_skills, g, gs) grows +=
                json_integer_value(gs) == iv(req, "skill_id");
        }
        cover = needs ? cover / needs : 0.5;
        if (needs && cover >= 0.999)
            json_array_append_new(why, json_string("you have every skill it needs"));
        else if (needs && cover >= 0.5)
            json_array_append_new(why, json_string("you have most of the skills it needs"));
        if (grows)
            json_array_append_new(why, json_string("it grows a skill on your development gap"));
        if (shares_word(aspiration, json_string_value(json_object_get(o, "title"))))
            json_array_append_new(why, json_string("it matches your aspiration"));
        json_object_set_new(
            o, "score",
            json_real(50.0 * cover + 10.0 * grows +
                      (shares_word(aspiration, json_string_value(json_object_get(o, "title")))
                           ? 15.0
                           : 0.0)));
        json_object_set_new(o, "reasons", why);
        all[i] = o;
    }
    out = sorted(all, n, by_score);
    free(all);
    return out;
}

bool careers_has_path(int64_t from_track, int64_t from_pos, int64_t to_track, int64_t to_pos)
{
    if (from_track == to_track)
        return to_pos > from_pos;
    return to_pos == from_pos || to_pos == from_pos - 1;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

enum err careers_framework_json(struct db *db, json_t **out)
{
    json_t *tracks = NULL, *levels = NULL, *comps = NULL, *exp = NULL, *t, *l, *e;
    size_t i, j, k;
    enum err rc = store_fw_tracks(db, &tracks);

    if (rc == ERR_OK)
        rc = store_fw_levels(db, &levels);
    if (rc == ERR_OK)
        rc = store_fw_competencies(db, &comps);
    if (rc == ERR_OK)
        rc = store_fw_expectations(db, 0, &exp);
    if (rc) {
        json_decref(tracks);
        json_decref(levels);
        json_decref(comps);
        json_decref(exp);
        return rc;
    }
    json_array_foreach(tracks, i, t)
    {
        json_t *mine = json_array();

        json_array_foreach(levels, j, l)
        {
            json_t *ce, *se;

            if (json_integer_value(json_object_get(l, "track_id")) !=
                json_integer_value(json_object_get(t, "id")))
                continue;
            ce = json_array();
            se = json_array();
            json_array_foreach(exp, k, e)
            {
                if (json_integer_value(json_object_get(e, "level_id")) !=
                    json_integer_value(json_object_get(l, "id")))
                    continue;
                if (strcmp(json_string_value(json_object_get(e, "kind"))
                               ? json_string_value(json_object_get(e, "kind"))
                               : "",
                           "skill") == 0)
                    json_array_append_new(se, json_pack("{s:O, s:O, s:O}", "skill_id",
                                                        json_object_get(e, "id"), "skill",
                                                        json_object_get(e, "name"), "rating",
                                                        json_object_get(e, "rating")));
                else
                    json_array_append_new(ce, json_pack("{s:O, s:O, s:O, s:O}", "competency_id",
                                                        json_object_get(e, "id"), "competency",
                                                        json_object_get(e, "name"), "rating",
                                                        json_object_get(e, "rating"), "description",
                                                        json_object_get(e, "description")));
            }
            json_object_set_new(l, "expectations", ce);
            json_object_set_new(l, "skills", se);
            json_array_append(mine, l);
        }
        json_object_set_new(t, "levels", mine);
    }
    *out = json_pack("{s:o, s:o}", "tracks", tracks, "competencies", comps);
    json_decref(levels);
    json_decref(exp);
    return ERR_OK;
}

/* Checks doc before anything is written; field names locate the problem. */
static void check_doc(struct db *db, json_t *doc, struct errinfo *ei)
{
    json_t *tracks = json_object_get(doc, "tracks"), *comps = json_object_get(doc, "competencies");
    json_t *t, *l, *e, *c;
    size_t i, j, k;
    char f[96];

    if (!json_is_array(tracks) || json_array_size(tracks) == 0)
        err_field(ei, "tracks", "must be a list of tracks");
    if (comps && !json_is_array(comps))
        err_field(ei, "competencies", "must be a list");
    json_array_foreach(comps, i, c)
    {
        snprintf(f, sizeof(f), "competencies[%zu].name", i);
        if (!str(c, "name") || !*str(c, "name"))
            err_field(ei, f, "is required");
    }
    json_array_foreach(tracks, i, t)
    {
        json_t *levels = json_object_get(t, "levels");

        snprintf(f, sizeof(f), "tracks[%zu].name", i);
        if (!str(t, "name") || !*str(t, "name"))
            err_field(ei, f, "is required");
        snprintf(f, sizeof(f), "tracks[%zu].levels", i);
        if (!json_is_array(levels) || json_array_size(levels) == 0)
            err_field(ei, f, "must list the levels in order");
        json_array_foreach(levels, j, l)
        {
            json_t *pos = json_object_get(l, "position");

            snprintf(f, sizeof(f), "tracks[%zu].levels[%zu]", i, j);
            if (!str(l, "code") || !*str(l, "code") || !str(l, "title") || !*str(l, "title"))
                err_field(ei, f, "needs a code and a title");
            if (pos && (!json_is_integer(pos) || json_integer_value(pos) != (json_int_t)j + 1))
                err_field(ei, f, "is out of order: position %zu expected", j + 1);
            json_array_foreach(json_object_get(l, "expectations"), k, e)
            {
                json_int_t r = json_integer_value(json_object_get(e, "rating"));
                const char *name = str(e, "competency");
                bool known = false;
                size_t q;
                json_t *cc;
                int64_t id;

                snprintf(f, sizeof(f), "tracks[%zu].levels[%zu].expectations[%zu]", i, j, k);
                json_array_foreach(comps, q, cc) known =
                    known || (name && str(cc, "name") && strcmp(name, str(cc, "name")) == 0);
                if (!known && name) {
                    json_t *all = NULL, *x;
                    size_t z;

                    if (store_fw_competencies(db, &all) == ERR_OK)
                        json_array_foreach(all, z, x) known =
                            known || strcmp(str(x, "name"), name) == 0;
                    json_decref(all);
                }
                (void)id;
                if (!name || !known)
                    err_field(ei, f, "names no competency");
                if (!json_is_integer(json_object_get(e, "rating")) || r < 1 || r > 5)
                    err_field(ei, f, "rating must be 1 to 5");
            }
            json_array_foreach(json_object_get(l, "skills"), k, e)
            {
                json_int_t r = json_integer_value(json_object_get(e, "rating"));

                snprintf(f, sizeof(f), "tracks[%zu].levels[%zu].skills[%zu]", i, j, k);
                if (!str(e, "skill"))
                    err_field(ei, f, "names no skill");
                if (!json_is_integer(json_object_get(e, "rating")) || r < 1 || r > 5)
                    err_field(ei, f, "rating must be 1 to 5");
            }
        }
    }
}

static int64_t skill_id(json_t *skills, const char *name)
{
    size_t i;
    json_t *s;

    json_array_foreach(skills, i, s) if (strcmp(str(s, "name"), name) == 0) return iv(s, "id");
    return 0;
}

enum err careers_import(struct db *db, const struct actor *actor, json_t *doc, struct errinfo *ei)
{
    json_t *skills = NULL, *t, *l, *e, *c, *all = NULL, *before = NULL, *after = NULL;
    size_t i, j, k;
    enum err rc;

    check_doc(db, doc, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (store_skills_list(db, &skills) != ERR_OK)
        return err_set(ei, ERR_INTERNAL, "cannot read skills");
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = careers_framework_json(db, &before);
    json_array_foreach(json_object_get(doc, "competencies"), i, c)
    {
        int64_t id;

        if (rc == ERR_OK)
            rc = store_fw_competency_upsert(db, str(c, "name"), str(c, "description"), &id);
    }
    if (rc == ERR_OK)
        rc = store_fw_competencies(db, &all);
    json_array_foreach(json_object_get(doc, "tracks"), i, t)
    {
        int64_t track = 0;

        if (rc == ERR_OK)
            rc = store_fw_track_upsert(db, str(t, "name"), str(t, "description"), &track);
        json_array_foreach(json_object_get(t, "levels"), j, l)
        {
            int64_t level = 0;

            if (rc == ERR_OK)
                rc = store_fw_level_upsert(db, track, (int64_t)j + 1, str(l, "code"),
                                           str(l, "title"), str(l, "summary"), &level);
            if (rc == ERR_OK)
                rc = store_fw_clear_expectations(db, level);
            json_array_foreach(json_object_get(l, "expectations"), k, e)
            {
                int64_t comp = 0;
                size_t z;
                json_t *x;

                json_array_foreach(all, z, x) if (strcmp(str(x, "name"), str(e, "competency")) == 0)
                    comp = iv(x, "id");
                if (rc == ERR_OK)
                    rc = store_fw_expect(db, level, comp, iv(e, "rating"), str(e, "description"));
            }
            json_array_foreach(json_object_get(l, "skills"), k, e)
            {
                int64_t sk = skill_id(skills, str(e, "skill"));
                char f[96];

                if (!sk) {
                    snprintf(f, sizeof(f), "tracks[%zu].levels[%zu].skills[%zu]", i, j, k);
                    err_field(ei, f, "names no skill of the catalogue");
                    rc = ERR_VALIDATION;
                }
                if (rc == ERR_OK)
                    rc = store_fw_expect_skill(db, level, sk, iv(e, "rating"));
            }
        }
    }
    if (rc == ERR_OK)
        rc = careers_framework_json(db, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "career_framework.import", "career_framework", 0,
                          before, after);
    json_decref(before);
    json_decref(after);
    rc = db_end(db, rc);
    json_decref(skills);
    json_decref(all);
    if (rc == ERR_VALIDATION)
        return err_fields_result(ei);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "a level code is used twice, or a position is taken on its track");
    return rc ? err_set(ei, rc, "cannot store the framework") : ERR_OK;
}

enum err careers_dashboard(struct db *db, json_t **out)
{
    json_t *rows = NULL, *x;
    char year_ago[11], today[11];
    size_t i;
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    time_date(time_now() - 365 * 86400, year_ago);
    rc = store_career_dashboard(db, year_ago, &rows);
    if (rc)
        return rc;
    json_array_foreach(rows, i, x)
    {
        int64_t head = iv(x, "headcount"), dept = iv(x, "department_id");
        int64_t unknown = iv(x, "since_unknown"), k = head - 1 - head / 2;
        char since[11];
        json_t *median = json_null();

        /* the median of the days in level: the (head / 2)-th shortest is the k-th latest date;
         * people without a date count as in their level since today, the latest of all */
        json_object_del(x, "since_unknown");
        if (head && k >= head - unknown)
            median = json_integer(0);
        else if (head) {
            rc = store_career_level_since_at(db, dept, k, since);
            if (rc) {
                json_decref(rows);
                return rc == ERR_NOT_FOUND ? ERR_INTERNAL : rc;
            }
            median = json_integer(date_diff(since, today));
        }
        json_object_set_new(x, "median_days_in_level", median);
        json_object_set_new(x, "promotion_rate",
                            json_real(head ? (double)iv(x, "promotions") / (double)head : 0.0));
        json_object_set_new(x, "idp_coverage",
                            json_real(head ? (double)iv(x, "idps") / (double)head : 0.0));
        json_object_set_new(x, "idp_completion",
                            json_real(iv(x, "idp_actions") ? (double)iv(x, "idp_actions_done") /
                                                                 (double)iv(x, "idp_actions")
                                                           : 0.0));
        json_object_set_new(
            x, "framework_coverage",
            json_real(iv(x, "expected_ratings")
                          ? (double)iv(x, "rated_expectations") / (double)iv(x, "expected_ratings")
                          : 0.0));
    }
    *out = json_pack("{s:s, s:s, s:o}", "as_of", today, "computed_at", now, "departments", rows);
    return ERR_OK;
}

enum err careers_dashboard_refresh(struct db *db, int64_t max_age)
{
    struct arena *a = arena_new();
    const char *at = NULL, *text = NULL;
    char stale[21];
    json_t *out = NULL;
    char *body;
    enum err rc;

    time_rfc3339(time_now() - max_age, stale);
    if (store_dashboard_snapshot_get(db, a, &at, &text) == ERR_OK && strcmp(at, stale) >= 0) {
        arena_free(a);
        return ERR_OK;
    }
    rc = careers_dashboard(db, &out);
    if (rc == ERR_OK) {
        json_object_del(out, "computed_at");
        body = json_dumps(out, JSON_COMPACT);
        char now[21];

        time_rfc3339(time_now(), now);
        rc = db_begin(db);
        if (rc == ERR_OK)
            rc = store_dashboard_snapshot_put(db, now, body);
        rc = db_end(db, rc);
        free(body);
    }
    json_decref(out);
    arena_free(a);
    return rc;
}
