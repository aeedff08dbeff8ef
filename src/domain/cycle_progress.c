/* SPDX-License-Identifier: MIT */
/* See cycle_progress.h. */
#include "util/xalloc.h"
#include "domain/cycle_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/webhooks.h"
#include "domain/notify.h"
#include "domain/reviews.h"
#include "store/careers.h"
#include "store/people.h"
#include "util/timeutil.h"

static const char *const kinds[] = {"self", "manager", "peer", "upward"};
#define NKINDS 4

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void decref(void *p)
{
    json_decref(p);
}

static bool in_scope(const struct release_row *x, const struct release_request *q)
{
    if (q->department_id)
        return x->department_id == q->department_id;
    if (q->n_persons) {
        for (size_t i = 0; i < q->n_persons; i++)
            if (q->person_ids[i] == x->person_id)
                return true;
        return false;
    }
    return true;
}

static json_t *counts_json(const struct release_counts *k)
{
    return json_pack("{s:I, s:I, s:I, s:b}", "to_release", (json_int_t)k->to_release,
                     "manager_reviews_not_submitted", (json_int_t)k->manager_reviews_not_submitted,
                     "calibration_incomplete", (json_int_t)k->calibration_incomplete,
                     "calibration_open", k->calibration_open);
}

/* The guard's refusal: a 409 whose error object carries the counts. */
static enum err refuse(struct arena *a, const struct review_cycle *c,
                       const struct release_counts *k, struct errinfo *ei)
{
    json_t *d = json_pack("{s:o}", "counts", counts_json(k));
    char what[160] = "";

    arena_defer(a, decref, d);
    if (k->manager_reviews_not_submitted)
        snprintf(what, sizeof(what), "%lld manager review%s not submitted",
                 (long long)k->manager_reviews_not_submitted,
                 k->manager_reviews_not_submitted == 1 ? " is" : "s are");
    if (k->calibration_incomplete) {
        size_t used = strlen(what);

        snprintf(what + used, sizeof(what) - used, "%s%lld outcome%s no rating yet",
                 used ? ", " : "", (long long)k->calibration_incomplete,
                 k->calibration_incomplete == 1 ? " has" : "s have");
    }
    if (k->calibration_open) {
        size_t used = strlen(what);

        snprintf(what + used, sizeof(what) - used, "%scalibration runs until %s", used ? ", " : "",
                 c->calibration_due);
    }
    ei->code = "release_incomplete";
    ei->details = d;
    return err_set(ei, ERR_CONFLICT,
                   "the cycle is not complete (%s); release with an override and a reason, or "
                   "wait",
                   what);
}

enum err cycle_release(struct db *db, struct arena *a, const struct actor *actor,
                       const struct review_cycle *c, const struct release_request *q,
                       struct release_counts *out, struct errinfo *ei)
{
    struct release_row *v = NULL;
    size_t n = 0, k = 0;
    int64_t *ids, *people_of;
    char now[21], today[11];
    bool remaining = false, incomplete;
    const char *why = "cannot release the outcomes";
    json_t *after;
    enum err rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL);

    memset(out, 0, sizeof(*out));
    if (rc)
        return err_set(ei, rc, "only HR releases outcomes");
    if (!is(c->status, "active"))
        return err_set(ei, ERR_CONFLICT, "only an active cycle is released (this one is %s)",
                       c->status);
    if (c->launching)
        return err_set(
            ei, ERR_CONFLICT,
            "the cycle is still being launched; release it once every review is written");
    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    rc = db_begin(db);
    /* the guard reads inside the transaction that releases */
    if (rc == ERR_OK)
        rc = store_release_rows(db, a, c->id, &v, &n);
    ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
    people_of = arena_alloc(a, (n ? n : 1) * sizeof(*people_of));
    for (size_t p = 0; rc == ERR_OK && p < q->n_persons; p++) {
        bool found = false;

        for (size_t i = 0; i < n && !found; i++)
            found = v[i].person_id == q->person_ids[p];
        if (!found)
            err_field(ei, "person_ids", "person %lld is not in this cycle",
                      (long long)q->person_ids[p]);
    }
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (v[i].released || v[i].withdrawn)
            continue;
        if (!in_scope(&v[i], q)) {
            remaining = true;
            continue;
        }
        people_of[k] = v[i].person_id;
        ids[k++] = v[i].outcome_id;
        out->manager_reviews_not_submitted += v[i].manager_pending;
        if (!v[i].rated)
            out->calibration_incomplete++;
    }
    out->to_release = (int64_t)k;
    out->calibration_open = c->calibration_due && strcmp(today, c->calibration_due) <= 0;
    incomplete =
        out->manager_reviews_not_submitted || out->calibration_incomplete || out->calibration_open;
    if (rc == ERR_OK && k == 0 && (q->department_id || q->n_persons))
        rc = err_set(ei, ERR_CONFLICT, "nothing is left to release for those people");
    if (rc == ERR_OK && incomplete && !q->override)
        rc = refuse(a, c, out, ei);
    if (rc == ERR_VALIDATION || rc == ERR_CONFLICT)
        why = NULL;
    for (size_t i = 0; rc == ERR_OK && i < k; i++) {
        char key[64], text[300];

        rc = store_outcomes_release_one(db, ids[i], now);
        /* the employee is told in the app; a reopened and re-released outcome is told again */
        snprintf(key, sizeof(key), "review_release:%lld:%s", (long long)ids[i], now);
        snprintf(text, sizeof(text), "Your review outcome for %s is released.", c->name);
        if (rc == ERR_OK)
            rc = notify(db, people_of[i], "review_released", text, "#/reviews?tab=outcomes", key,
                        now);
    }
    if (rc == ERR_OK && !remaining) {
        rc = store_cycles_set_status(db, c->id, "released", NULL, now);
        out->cycle_closed = true;
    }
    if (rc == ERR_OK) {
        json_t *people = json_array();

        for (size_t p = 0; p < q->n_persons; p++)
            json_array_append_new(people, json_integer(q->person_ids[p]));
        after = counts_json(out);
        json_object_set_new(after, "released", json_integer((json_int_t)k));
        json_object_set_new(after, "department_id",
                            q->department_id ? json_integer(q->department_id) : json_null());
        json_object_set_new(after, "person_ids", q->n_persons ? people : json_null());
        if (!q->n_persons)
            json_decref(people);
        json_object_set_new(after, "override", json_boolean(incomplete && q->override));
        json_object_set_new(after, "reason", q->reason ? json_string(q->reason) : json_null());
        json_object_set_new(after, "cycle_released", json_boolean(out->cycle_closed));
        rc = audit_record(db, actor->person_id, "review_cycle.release", "review_cycle", c->id, NULL,
                          after);
        json_decref(after);
    }
    if (rc == ERR_OK && k > 0) {
        /* the cycle and how many outcomes: never whose, or any rating */
        json_t *data = json_pack("{s:{s:I, s:s}, s:I, s:b, s:s}", "cycle", "id", (json_int_t)c->id,
                                 "name", c->name, "released", (json_int_t)k, "cycle_released",
                                 out->cycle_closed, "link", "#/reviews?tab=outcomes");

        rc = data ? webhooks_emit(db, "review.released", data) : ERR_INTERNAL;
        json_decref(data);
    }
    rc = db_end(db, rc);
    return rc && why ? err_set(ei, rc, "%s", why) : rc;
}

/* submitted, in_progress (a draft saved) or not_started */
static const char *state_of(const char *status)
{
    return is(status, "submitted") ? "submitted"
           : is(status, "draft")   ? "in_progress"
                                   : "not_started";
}

static const char *due_of(const struct review_cycle *c, const char *kind)
{
    return is(kind, "self")                         ? c->self_due
           : is(kind, "manager")                    ? c->manager_due
           : is(kind, "peer") || is(kind, "upward") ? c->peer_due
                                                    : NULL;
}

static json_t *zero_counts(void)
{
    json_t *o = json_object();

    for (size_t i = 0; i < NKINDS; i++)
        json_object_set_new(o, kinds[i],
                            json_pack("{s:i, s:i, s:i, s:i}", "submitted", 0, "in_progress", 0,
                                      "not_started", 0, "total", 0));
    return o;
}

static void bump(json_t *counts, const char *kind, const char *state)
{
    json_t *k = json_object_get(counts, kind);

    if (!k)
        return;
    json_object_set_new(k, state, json_integer(json_integer_value(json_object_get(k, state)) + 1));
    json_object_set_new(k, "total",
                        json_integer(json_integer_value(json_object_get(k, "total")) + 1));
}

/* The group of id in groups (an object keyed by id), made with its name when new. */
static json_t *group(json_t *groups, const char *what, int64_t id, const char *name)
{
    char key[24];
    json_t *g;

    snprintf(key, sizeof(key), "%lld", (long long)id);
    g = json_object_get(groups, key);
    if (!g) {
        g = json_pack("{s:o, s:o}", what,
                      id ? json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "")
                         : json_null(),
                      "counts", zero_counts());
        json_object_set_new(groups, key, g);
    }
    return json_object_get(g, "counts");
}

static int by_group_name(json_t *a, json_t *b)
{
    const char *na = json_string_value(json_object_get(a, "name")),
               *nb = json_string_value(json_object_get(b, "name"));

    if (!na || !nb)
        return na ? -1 : nb ? 1 : 0; /* "none" last */
    return strcmp(na, nb);
}

static int by_department(const void *x, const void *y)
{
    return by_group_name(json_object_get(*(json_t *const *)x, "department"),
                         json_object_get(*(json_t *const *)y, "department"));
}

static int by_manager(const void *x, const void *y)
{
    return by_group_name(json_object_get(*(json_t *const *)x, "manager"),
                         json_object_get(*(json_t *const *)y, "manager"));
}

/* The groups as an array sorted by name (takes groups). */
static json_t *sorted(json_t *groups, const char *what)
{
    size_t n = json_object_size(groups), i = 0;
    json_t **v = xcalloc(n ? n : 1, sizeof(json_t *)), *arr = json_array(), *g;
    const char *key;

    json_object_foreach(groups, key, g) v[i++] = g;
    qsort(v, n, sizeof(json_t *), strcmp(what, "manager") == 0 ? by_manager : by_department);
    for (i = 0; i < n; i++)
        json_array_append(arr, v[i]);
    free(v);
    json_decref(groups);
    return arr;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return a < b ? -1 : a > b;
}

/* The distinct reviewers with an unsubmitted review, sorted (arena). */
static size_t behind(struct arena *a, const struct progress_row *v, size_t n, int64_t **out)
{
    int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof(*ids));
    size_t k = 0, u = 0;

    for (size_t i = 0; i < n; i++)
        if (!is(v[i].status, "submitted"))
            ids[k++] = v[i].reviewer_id;
    qsort(ids, k, sizeof(*ids), cmp_i64);
    for (size_t i = 0; i < k; i++)
        if (u == 0 || ids[u - 1] != ids[i])
            ids[u++] = ids[i];
    *out = ids;
    return u;
}

static void hour_ago(char since[static 21])
{
    time_rfc3339(time_now() - 3600, since);
}

enum err cycle_progress(struct db *db, struct arena *a, const struct review_cycle *c, json_t **out,
                        struct errinfo *ei)
{
    struct progress_row *v = NULL;
    struct release_row *o = NULL;
    size_t n = 0, no = 0, nb;
    int64_t *who, due_now = 0, released = 0, withdrawn = 0, pending = 0, unrated = 0, open = 0;
    char today[11], since[21];
    json_t *overall, *deps, *mgrs, *overdue, *res;
    enum err rc;

    *out = NULL;
    time_date(time_now(), today);
    hour_ago(since);
    rc = store_progress_rows(db, a, c->id, &v, &n);
    if (rc == ERR_OK)
        rc = store_release_rows(db, a, c->id, &o, &no);
    if (rc)
        return err_set(ei, rc, "cannot read the cycle's progress");
    overall = zero_counts();
    deps = json_object();
    mgrs = json_object();
    overdue = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *state = state_of(v[i].status), *due = due_of(c, v[i].kind);

        bump(overall, v[i].kind, state);
        bump(group(deps, "department", v[i].department_id, v[i].department_name), v[i].kind, state);
        bump(group(mgrs, "manager", v[i].manager_id, v[i].manager_name), v[i].kind, state);
        if (!is(state, "submitted") && due && strcmp(today, due) > 0)
            json_array_append_new(
                overdue, json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s}}", "review_id",
                                   (json_int_t)v[i].review_id, "kind", v[i].kind, "status", state,
                                   "deadline", due, "reviewer", "id", (json_int_t)v[i].reviewer_id,
                                   "name", v[i].reviewer_name, "reviewee", "id",
                                   (json_int_t)v[i].reviewee_id, "name", v[i].reviewee_name));
    }
    nb = behind(a, v, n, &who);
    for (size_t i = 0; rc == ERR_OK && i < nb; i++) {
        char like[64];
        bool yes = false;

        snprintf(like, sizeof(like), "review_remind:%lld:%lld:%%", (long long)c->id,
                 (long long)who[i]);
        rc = store_reminded_since(db, who[i], like, since, &yes);
        due_now += !yes;
    }
    for (size_t i = 0; i < no; i++) {
        released += o[i].released;
        withdrawn += o[i].withdrawn && !o[i].released;
        if (o[i].released || o[i].withdrawn)
            continue;
        open++;
        pending += o[i].manager_pending;
        unrated += !o[i].rated;
    }
    res = json_pack(
        "{s:I, s:s, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:b}, s:{s:I, s:I}}",
        "cycle_id", (json_int_t)c->id, "phase", reviews_phase(c, today), "overall", overall,
        "by_department", sorted(deps, "department"), "by_manager", sorted(mgrs, "manager"),
        "overdue", overdue, "outcomes", "total", (json_int_t)no, "released", (json_int_t)released,
        "withdrawn", (json_int_t)withdrawn, "to_release", (json_int_t)open, "release",
        "manager_reviews_not_submitted", (json_int_t)pending, "calibration_incomplete",
        (json_int_t)unrated, "calibration_open",
        c->calibration_due && strcmp(today, c->calibration_due) <= 0, "remind", "behind",
        (json_int_t)nb, "due", (json_int_t)due_now);
    if (rc) {
        json_decref(res);
        return err_set(ei, rc, "cannot read the cycle's reminders");
    }
    *out = res;
    return ERR_OK;
}

enum err cycle_remind(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review_cycle *c, int64_t *reminded, int64_t *skipped,
                      struct errinfo *ei)
{
    struct progress_row *v = NULL;
    struct person me;
    size_t n = 0, nb = 0;
    int64_t *who = NULL;
    char now[21], since[21];
    json_t *after;
    enum err rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL);

    *reminded = *skipped = 0;
    if (rc)
        return err_set(ei, rc, "only HR sends review reminders");
    if (!is(c->status, "active"))
        return err_set(ei, ERR_CONFLICT, "only an active cycle has reviews to remind of");
    if (store_people_get(db, a, actor->person_id, &me) != ERR_OK)
        me.name = "HR";
    time_rfc3339(time_now(), now);
    hour_ago(since);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_progress_rows(db, a, c->id, &v, &n);
    if (rc == ERR_OK)
        nb = behind(a, v, n, &who);
    for (size_t i = 0; rc == ERR_OK && i < nb; i++) {
        char like[64], key[96], text[400];
        const char *first = NULL;
        int64_t count = 0;
        bool yes = false;

        snprintf(like, sizeof(like), "review_remind:%lld:%lld:%%", (long long)c->id,
                 (long long)who[i]);
        rc = store_reminded_since(db, who[i], like, since, &yes);
        if (rc || yes) {
            *skipped += yes;
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            const char *due = due_of(c, v[j].kind);

            if (v[j].reviewer_id != who[i] || is(v[j].status, "submitted"))
                continue;
            count++;
            if (due && (!first || strcmp(due, first) < 0))
                first = due;
        }
        snprintf(key, sizeof(key), "review_remind:%lld:%lld:%s", (long long)c->id,
                 (long long)who[i], now);
        if (first)
            snprintf(text, sizeof(text),
                     "%s reminds you: %lld review%s in %s %s waiting for you (due %s).", me.name,
                     (long long)count, count == 1 ? "" : "s", c->name, count == 1 ? "is" : "are",
                     first);
        else
            snprintf(text, sizeof(text), "%s reminds you: %lld review%s in %s %s waiting for you.",
                     me.name, (long long)count, count == 1 ? "" : "s", c->name,
                     count == 1 ? "is" : "are");
        rc = store_notify(db, who[i], "review_reminder", text, "#/reviews", key, now);
        (*reminded)++;
    }
    if (rc == ERR_OK) {
        after = json_pack("{s:I, s:I}", "reminded", (json_int_t)*reminded, "skipped",
                          (json_int_t)*skipped);
        rc = audit_record(db, actor->person_id, "review_cycle.remind", "review_cycle", c->id, NULL,
                          after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot send the reminders") : ERR_OK;
}
