/* SPDX-License-Identifier: MIT */
/* See goals.h. */
#include "domain/goals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "domain/progress.h"
#include "domain/webhooks.h"
#include "store/notify.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static bool one_of(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static const char *const levels[] = {"company", "team", "individual", NULL};
static const char *const kinds[] = {"performance", "development", NULL};
static const char *const statuses[] = {"draft", "on_track", "at_risk",   "off_track",
                                       "done",  "missed",   "abandoned", NULL};
static const char *const visibilities[] = {"public", "managers", "private", NULL};

struct subject goals_subject(struct db *db, const struct actor *actor, struct goal *g)
{
    struct subject s = {.person_id = g->owner_id, .visibility = g->visibility, .level = g->level};

    if (!g->contributors_loaded && strcmp(g->visibility, "public") != 0)
        store_goals_load_contributors(db, g);
    for (size_t i = 0; i < g->ncontributors; i++)
        if (g->contributors[i] == actor->person_id)
            s.contributor = true;
    return s;
}

void goals_validate(const struct goal *g, struct errinfo *ei)
{
    people_check_name(g->title, "title", ei);
    people_check_text(g->title, 200, "title", ei);
    if (g->description && strlen(g->description) > 5000)
        err_field(ei, "description", "must be at most 5000 bytes");
    if (!one_of(g->level, levels))
        err_field(ei, "level", "must be company, team or individual");
    if (!one_of(g->kind, kinds))
        err_field(ei, "kind", "must be performance or development");
    if (!one_of(g->status, statuses))
        err_field(ei, "status",
                  "must be draft, on_track, at_risk, off_track, done, missed or abandoned");
    if (!one_of(g->visibility, visibilities))
        err_field(ei, "visibility", "must be public, managers or private");
    else if (g->level && strcmp(g->level, "company") == 0 && strcmp(g->visibility, "public") != 0)
        err_field(ei, "visibility", "company goals are public");
    if (!(g->weight > 0 && g->weight <= 1000))
        err_field(ei, "weight", "must be a number above 0 and at most 1000");
    if (!g->start_date)
        err_field(ei, "start_date", "is required");
    else
        people_check_date(g->start_date, "start_date", ei);
    if (!g->due_date)
        err_field(ei, "due_date", "is required");
    else
        people_check_date(g->due_date, "due_date", ei);
    if (g->start_date && g->due_date && time_valid_date(g->start_date) &&
        time_valid_date(g->due_date) && strcmp(g->due_date, g->start_date) < 0)
        err_field(ei, "due_date", "must not be before start_date");
    if (g->nkrs > GOALS_MAX_KRS)
        err_field(ei, "key_results", "at most %d key results", GOALS_MAX_KRS);
    for (size_t i = 0; i < g->nkrs && i < GOALS_MAX_KRS; i++) {
        const struct key_result *k = &g->krs[i];
        char f[48];

        snprintf(f, sizeof(f), "key_results[%zu].title", i);
        people_check_name(k->title, f, ei);
        people_check_text(k->title, 200, f, ei);
        snprintf(f, sizeof(f), "key_results[%zu].type", i);
        if (!k->type || (strcmp(k->type, "metric") != 0 && strcmp(k->type, "milestone") != 0))
            err_field(ei, f, "must be metric or milestone");
        snprintf(f, sizeof(f), "key_results[%zu].direction", i);
        if (!k->direction ||
            (strcmp(k->direction, "increase") != 0 && strcmp(k->direction, "decrease") != 0))
            err_field(ei, f, "must be increase or decrease");
        else if (k->type && strcmp(k->type, "metric") == 0) {
            snprintf(f, sizeof(f), "key_results[%zu].target", i);
            if (!isfinite(k->start) || !isfinite(k->target) || !isfinite(k->current))
                err_field(ei, f, "values must be finite numbers");
            else if (strcmp(k->direction, "increase") == 0 && k->target < k->start)
                err_field(ei, f, "an increasing metric's target must not be below its start");
            else if (strcmp(k->direction, "decrease") == 0 && k->target > k->start)
                err_field(ei, f, "a decreasing metric's target must not be above its start");
        }
        snprintf(f, sizeof(f), "key_results[%zu].weight", i);
        if (!(k->weight > 0 && k->weight <= 1000))
            err_field(ei, f, "must be a number above 0 and at most 1000");
        snprintf(f, sizeof(f), "key_results[%zu].unit", i);
        people_check_text(k->unit, 30, f, ei);
    }
}

static void to_values(const struct key_result *k, struct kr_values *v)
{
    v->milestone = k->type && strcmp(k->type, "milestone") == 0;
    v->start = k->start;
    v->target = k->target;
    v->current = k->current;
    v->weight = k->weight;
    v->decrease = k->direction && strcmp(k->direction, "decrease") == 0;
    v->done = k->done;
}

void goals_progress(struct goal *g)
{
    struct kr_values v[GOALS_MAX_KRS];
    size_t n = g->nkrs < GOALS_MAX_KRS ? g->nkrs : GOALS_MAX_KRS;

    for (size_t i = 0; i < n; i++)
        to_values(&g->krs[i], &v[i]);
    g->progress = progress_goal(v, n, g->status && strcmp(g->status, "done") == 0);
}

static int by_id(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key, id = ((const struct goal *)elem)->id;

    return k < id ? -1 : k > id;
}

void goals_rollup(struct goal *v, size_t n)
{
    size_t *first = xcalloc(n + 1, sizeof(size_t)), *next = xcalloc(n + 1, sizeof(size_t));
    size_t *order = xcalloc(n + 1, sizeof(size_t)), *stack = xcalloc(n + 1, sizeof(size_t));
    size_t norder = 0, top = 0;
    const size_t none = (size_t)-1;

    for (size_t i = 0; i < n; i++) {
        goals_progress(&v[i]);
        v[i].has_rollup = false;
        v[i].nchildren = 0;
        first[i] = none;
    }
    /* child lists, and roots (no parent in v) on the stack */
    for (size_t i = n; i-- > 0;) {
        struct goal *p = v[i].parent_id ? bsearch(&v[i].parent_id, v, n, sizeof(*v), by_id) : NULL;

        if (p && p != &v[i]) {
            size_t pi = (size_t)(p - v);

            next[i] = first[pi];
            first[pi] = i;
            if (strcmp(v[i].visibility, "public") == 0)
                p->nchildren++; /* the count a parent shows everyone: its public children */
        } else {
            stack[top++] = i;
        }
    }
    /* depth-first pre-order; children are computed before parents in its reverse */
    while (top > 0 && norder < n) {
        size_t i = stack[--top];

        order[norder++] = i;
        for (size_t c = first[i]; c != none && top < n; c = next[c])
            stack[top++] = c;
    }
    for (size_t k = norder; k-- > 0;) {
        size_t i = order[k], nc = 0;
        struct rollup_child kids[64];
        double sum = 0, weights = 0, r;
        bool any = false;

        for (size_t c = first[i]; c != none; c = next[c]) {
            struct goal *ch = &v[c];

            if (strcmp(ch->visibility, "public") != 0)
                continue; /* private and managers-only goals never show through a parent */
            kids[nc].weight = ch->weight;
            kids[nc].progress = ch->progress;
            kids[nc].has_key_results = ch->nkrs > 0;
            kids[nc].has_rollup = ch->has_rollup;
            kids[nc].rollup = ch->rollup;
            kids[nc].abandoned = strcmp(ch->status, "abandoned") == 0;
            if (++nc == 64) { /* fold full batches so any number of children counts */
                if (progress_rollup(kids, nc, &r)) {
                    double w = 0;

                    for (size_t j = 0; j < nc; j++)
                        w += kids[j].abandoned ? 0 : kids[j].weight;
                    sum += r * w;
                    weights += w;
                    any = true;
                }
                nc = 0;
            }
        }
        if (nc && progress_rollup(kids, nc, &r)) {
            double w = 0;

            for (size_t j = 0; j < nc; j++)
                w += kids[j].abandoned ? 0 : kids[j].weight;
            sum += r * w;
            weights += w;
            any = true;
        }
        if (any) {
            v[i].has_rollup = true;
            v[i].rollup = weights > 0 ? sum / weights : 0;
        }
    }
    free(first);
    free(next);
    free(order);
    free(stack);
}

/* Recomputes goal id's stored numbers from its key results and its children's stored numbers;
 * returns its parent in *parent. */
static enum err refresh_one(struct db *db, struct arena *a, int64_t id, int64_t *parent)
{
    struct goal g, *kids;
    struct rollup_child *rc_kids;
    size_t n, m = 0;
    double r;
    enum err rc = store_goals_get(db, a, id, &g);

    *parent = 0;
    if (rc == ERR_NOT_FOUND)
        return ERR_OK;
    if (rc == ERR_OK)
        rc = store_goals_children(db, a, id, &kids, &n);
    if (rc)
        return rc;
    goals_progress(&g);
    rc_kids = arena_alloc(a, (n + 1) * sizeof(*rc_kids));
    for (size_t i = 0; i < n; i++) {
        if (strcmp(kids[i].visibility, "public") != 0)
            continue; /* private and managers-only goals never show through a parent */
        rc_kids[m].weight = kids[i].weight;
        rc_kids[m].progress = kids[i].progress;
        rc_kids[m].has_key_results = kids[i].kr_count > 0;
        rc_kids[m].has_rollup = kids[i].has_rollup;
        rc_kids[m].rollup = kids[i].rollup;
        rc_kids[m].abandoned = strcmp(kids[i].status, "abandoned") == 0;
        m++;
    }
    g.has_rollup = progress_rollup(rc_kids, m, &r);
    g.rollup = g.has_rollup ? r : 0;
    g.nchildren = m; /* the public children: a parent's count shows no hidden goal */
    *parent = g.parent_id;
    return store_goals_set_computed(db, &g);
}

enum err goals_refresh(struct db *db, struct arena *a, int64_t id)
{
    enum err rc = ERR_OK;

    /* the goal, then each ancestor: a write changes numbers only along its alignment chain */
    for (int hops = 0; id && hops < 64 && rc == ERR_OK; hops++)
        rc = refresh_one(db, a, id, &id);
    return rc;
}

enum err goals_recompute_all(struct db *db, struct arena *a)
{
    struct goal *v;
    size_t n;
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = store_goals_period(db, a, NULL, NULL, &v, &n);
    if (rc == ERR_OK) {
        goals_rollup(v, n);
        for (size_t i = 0; rc == ERR_OK && i < n; i++)
            rc = store_goals_set_computed(db, &v[i]);
    }
    rc = db_end(db, rc);
    return rc;
}

json_t *goals_snapshot(const struct goal *g)
{
    json_t *o = json_pack("{s:s?, s:s?, s:I, s:s?, s:s?, s:s?, s:f, s:s?, s:s?}", "title", g->title,
                          "level", g->level, "owner_id", (json_int_t)g->owner_id, "status",
                          g->status, "visibility", g->visibility, "kind", g->kind, "weight",
                          g->weight, "start_date", g->start_date, "due_date", g->due_date);
    json_t *krs = json_array();

    json_object_set_new(o, "parent_id", g->parent_id ? json_integer(g->parent_id) : json_null());
    for (size_t i = 0; i < g->nkrs; i++)
        json_array_append_new(krs, json_pack("{s:I, s:s?, s:f, s:f, s:f, s:b}", "id",
                                             (json_int_t)g->krs[i].id, "title", g->krs[i].title,
                                             "start", g->krs[i].start, "target", g->krs[i].target,
                                             "current", g->krs[i].current, "done", g->krs[i].done));
    json_object_set_new(o, "key_results", krs);
    return o;
}

/* The parent must exist, be visible to the actor and public (API: "an individual goal may align
 * to any public goal above it"), and must not be the goal or one of its descendants. */
static enum err check_parent(struct db *db, struct arena *a, const struct actor *actor,
                             const struct goal *g, struct errinfo *ei)
{
    struct goal p;
    struct subject sub;
    enum err rc;

    if (!g->parent_id)
        return ERR_OK;
    rc = store_goals_get(db, a, g->parent_id, &p);
    if (rc == ERR_OK) {
        sub = goals_subject(db, actor, &p);
        if (policy_check(db, actor, ACT_GOAL_READ, &sub) != ERR_OK)
            rc = ERR_NOT_FOUND; /* a goal one cannot read does not exist for them */
    }
    if (rc == ERR_NOT_FOUND) {
        err_field(ei, "parent_id", "no such goal");
        return ERR_OK;
    }
    if (rc)
        return rc;
    if (strcmp(p.visibility, "public") != 0)
        err_field(ei, "parent_id", "a goal can only align to a public goal");
    else if (g->id && store_goals_is_ancestor(db, g->id, p.id))
        err_field(ei, "parent_id", "would make an alignment cycle");
    return ERR_OK;
}

/* Tells `to` about goal g's proposal: what `who` did ("proposed a goal to you", "accepted the goal
 * you proposed", ...), inside the caller's transaction. */
static enum err tell_proposal(struct db *db, int64_t to, int64_t who, const char *what,
                              const struct goal *g, const char *reason, const char *key,
                              const char *now)
{
    char name[200], text[900], link[48];

    store_notify_name(db, who, name, sizeof(name));
    snprintf(text, sizeof(text), "%s %s: %s%s%s", name, what, g->title ? g->title : "",
             reason ? ". Their reason: " : "", reason ? reason : "");
    snprintf(link, sizeof(link), "#/goals/%lld", (long long)g->id);
    return notify(db, to, "goal_proposal", text, link, key, now);
}

enum err goals_create(struct db *db, struct arena *a, const struct actor *actor, struct goal *g,
                      struct errinfo *ei)
{
    char now[21];
    enum err rc = check_parent(db, a, actor, g, ei);

    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    g->created_at = g->updated_at = arena_strdup(a, now);
    g->created_by = actor->person_id;
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_goals_insert(db, g);
    if (rc == ERR_OK)
        rc = store_goals_save_krs(db, g->id, g->krs, g->nkrs);
    if (rc == ERR_OK)
        rc = store_goals_save_contributors(db, g);
    if (rc == ERR_OK)
        rc = goals_refresh(db, a, g->id);
    if (rc == ERR_OK) {
        json_t *snap = goals_snapshot(g);

        rc = audit_record(db, actor->person_id, "goal.create", "goal", g->id, NULL, snap);
        json_decref(snap);
    }
    if (rc == ERR_OK && g->proposed_by && !g->accepted && g->owner_id != actor->person_id) {
        char key[64];

        snprintf(key, sizeof(key), "goal-proposed:%lld", (long long)g->id);
        rc = tell_proposal(db, g->owner_id, actor->person_id, "proposed a goal to you", g, NULL,
                           key, now);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the goal") : ERR_OK;
}

/* goal.completed when a public goal becomes done (inside the change's transaction): a goal
 * that is not public is no event at all. */
static enum err completed_event(struct db *db, const char *before_status, const struct goal *g)
{
    json_t *data;
    enum err rc;

    if (!g->status || strcmp(g->status, "done") != 0 ||
        (before_status && strcmp(before_status, "done") == 0) || !g->visibility ||
        strcmp(g->visibility, "public") != 0)
        return ERR_OK;
    data = json_pack("{s:{s:I, s:s, s:s, s:f, s:s}}", "goal", "id", (json_int_t)g->id, "title",
                     g->title ? g->title : "", "level", g->level ? g->level : "", "progress",
                     g->progress, "link", "#/goals");
    if (!data)
        return ERR_INTERNAL;
    if (g->owner_id)
        json_object_set_new(
            json_object_get(data, "goal"), "owner",
            json_pack("{s:I, s:s?}", "id", (json_int_t)g->owner_id, "name", g->owner_name));
    rc = webhooks_emit(db, "goal.completed", data);
    json_decref(data);
    return rc;
}

/* Stores the edited goal inside the caller's transaction (before is the row as read there). */
static enum err store_edit(struct db *db, struct arena *a, const struct actor *actor,
                           const struct goal *before, struct goal *after, bool krs_changed,
                           struct errinfo *ei)
{
    char now[21];
    enum err rc = check_parent(db, a, actor, after, ei);

    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    after->updated_at = arena_strdup(a, now);
    rc = store_goals_update(db, after);
    if (rc == ERR_OK && krs_changed) {
        rc = store_goals_save_krs(db, after->id, after->krs, after->nkrs);
        if (rc == ERR_NOT_FOUND) {
            err_field(ei, "key_results", "has an id that is not a key result of this goal");
            rc = err_fields_result(ei);
        }
    }
    if (rc == ERR_OK && after->contributors_loaded)
        rc = store_goals_save_contributors(db, after);
    if (rc == ERR_OK)
        rc = goals_refresh(db, a, after->id);
    if (rc == ERR_OK && before->parent_id != after->parent_id)
        rc = goals_refresh(db, a, before->parent_id);
    if (rc == ERR_OK) {
        json_t *b = goals_snapshot(before), *f = goals_snapshot(after);

        rc = audit_record(db, actor->person_id, "goal.update", "goal", after->id, b, f);
        json_decref(b);
        json_decref(f);
    }
    if (rc == ERR_OK)
        rc = completed_event(db, before->status, after);
    if (rc == ERR_OK && after->accepted && !before->accepted && before->proposed_by) {
        char key[64];

        snprintf(key, sizeof(key), "goal-accepted:%lld", (long long)after->id);
        rc = tell_proposal(db, before->proposed_by, actor->person_id,
                           "accepted the goal you proposed", after, NULL, key, now);
    }
    return rc;
}

enum err goals_decline(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                       const char *reason, struct errinfo *ei)
{
    struct goal before = {0}, after;
    struct checkin c = {0};
    char now[21], key[64];
    json_t *b = NULL, *f = NULL;
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && store_goals_get_for_update(db, a, id, &before) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such goal");
    if (rc == ERR_OK) {
        struct subject sub = goals_subject(db, actor, &before);

        if (policy_check(db, actor, ACT_GOAL_READ, &sub) != ERR_OK)
            rc = err_set(ei, ERR_NOT_FOUND, "no such goal");
        else if (before.owner_id != actor->person_id)
            rc = err_set(ei, ERR_FORBIDDEN, "the person a goal is proposed to declines it");
        else if (before.accepted || !before.proposed_by ||
                 (before.status && strcmp(before.status, "abandoned") == 0))
            rc = err_set(ei, ERR_CONFLICT, "only a proposal not yet answered is declined");
    }
    if (rc == ERR_OK) {
        after = before;
        after.status = "abandoned";
        after.updated_at = arena_strdup(a, now);
        rc = store_goals_update(db, &after);
    }
    if (rc == ERR_OK) { /* the reason stays with the goal, in its history */
        c.goal_id = id;
        c.author_id = actor->person_id;
        c.status = "abandoned";
        c.comment = arena_printf(a, "Declined: %s", reason);
        c.progress = after.progress;
        c.created_at = now;
        rc = store_checkins_insert(db, &c);
    }
    if (rc == ERR_OK)
        rc = goals_refresh(db, a, before.parent_id);
    if (rc == ERR_OK) {
        b = goals_snapshot(&before);
        f = goals_snapshot(&after);
        json_object_set_new(f, "declined_reason", json_string(reason));
        rc = audit_record(db, actor->person_id, "goal.decline", "goal", id, b, f);
    }
    if (rc == ERR_OK) {
        snprintf(key, sizeof(key), "goal-declined:%lld", (long long)id);
        rc = tell_proposal(db, before.proposed_by, actor->person_id,
                           "declined the goal you proposed", &after, reason, key, now);
    }
    json_decref(b);
    json_decref(f);
    rc = db_end(db, rc);
    return rc && !ei->message[0] ? err_set(ei, rc, "cannot decline the goal") : rc;
}

enum err goals_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                    int64_t version, goals_patch_fn patch, void *ctx, struct errinfo *ei)
{
    struct goal before = {0}, after;
    struct subject sub;
    bool krs = false, told = false;
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    /* what the edit decides on (existence, access, the current values) is read here, in the
     * write's transaction with the row locked, so a concurrent edit cannot slip in between */
    rc = store_goals_get_for_update(db, a, id, &before);
    if (rc == ERR_OK)
        rc = store_goals_load_contributors(db, &before);
    if (rc) {
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such goal" : "cannot read the goal");
        told = true;
        goto out;
    }
    sub = goals_subject(db, actor, &before);
    rc = policy_check(db, actor, ACT_GOAL_EDIT, &sub);
    if (rc == ERR_FORBIDDEN && actor->person_id == before.owner_id)
        rc = ERR_OK; /* an owner edits their own goal, managers' proposals included */
    if (rc) {
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such goal" : "you cannot change this goal");
        told = true;
        goto out;
    }
    if (version && version != before.version) {
        json_t *d = json_pack("{s:I}", "current_version", (json_int_t)before.version);

        arena_defer(a, (void (*)(void *))json_decref, d);
        ei->details = d;
        rc = err_set(ei, ERR_PRECONDITION,
                     "someone changed this goal after you opened it (it is at version %lld, "
                     "you edited version %lld); nothing was saved",
                     (long long)before.version, (long long)version);
        told = true;
        goto out;
    }
    after = before;
    patch(db, a, ctx, &before, &after, &krs, ei);
    rc = err_fields_result(ei);
    if (rc == ERR_OK) {
        goals_validate(&after, ei);
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK)
        rc = store_edit(db, a, actor, &before, &after, krs, ei);
    told = rc == ERR_VALIDATION;
out:
    rc = db_end(db, rc);
    if (rc && !told)
        return err_set(ei, rc, "cannot store the goal");
    return rc;
}

enum err goals_delete(struct db *db, struct arena *a, const struct actor *actor,
                      const struct goal *g, struct errinfo *ei)
{
    struct goal cur;
    bool told = false;
    enum err rc = db_begin(db);

    /* what the delete decides on is read again inside it, the row locked: a goal aligned to
     * this one meanwhile, or the goal already gone, is seen */
    if (rc == ERR_OK && store_goals_get_for_update(db, a, g->id, &cur) != ERR_OK) {
        rc = err_set(ei, ERR_NOT_FOUND, "no such goal");
        told = true;
    }
    if (rc == ERR_OK && store_goals_children_count(db, g->id) > 0) {
        rc = err_set(ei, ERR_CONFLICT, "other goals align to this one; move or delete them first");
        told = true;
    }
    if (rc == ERR_OK)
        rc = store_goals_delete(db, g->id);
    if (rc == ERR_OK)
        rc = goals_refresh(db, a, cur.parent_id);
    if (rc == ERR_OK) {
        json_t *b = goals_snapshot(&cur);

        rc = audit_record(db, actor->person_id, "goal.delete", "goal", g->id, b, NULL);
        json_decref(b);
    }
    rc = db_end(db, rc);
    return rc && !told ? err_set(ei, rc, "cannot delete the goal") : rc;
}

enum err goals_checkin(struct db *db, struct arena *a, const struct actor *actor, struct goal *g,
                       struct checkin *c, struct errinfo *ei)
{
    char now[21];
    struct key_result *kr = NULL;
    enum err rc;

    if (c->key_result_id) {
        for (size_t i = 0; i < g->nkrs; i++)
            if (g->krs[i].id == c->key_result_id)
                kr = &g->krs[i];
        if (!kr)
            err_field(ei, "key_result_id", "is not a key result of this goal");
        else if (!c->has_value)
            err_field(ei, "value", "is required with key_result_id");
        else if (strcmp(kr->type, "milestone") == 0 && c->value != 0 && c->value != 1)
            err_field(ei, "value", "a milestone takes 1 (done) or 0 (not done)");
    } else if (c->has_value) {
        err_field(ei, "key_result_id", "is required with value");
    }
    if (c->status && !one_of(c->status, statuses))
        err_field(ei, "status",
                  "must be draft, on_track, at_risk, off_track, done, missed or abandoned");
    if (!c->key_result_id && !c->status && !c->comment)
        err_field(ei, "value", "a check-in needs a value, a status or a comment");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (kr) {
        if (strcmp(kr->type, "milestone") == 0)
            kr->done = c->value == 1;
        else
            kr->current = c->value;
    }
    const char *was = g->status;

    if (c->status)
        g->status = c->status;
    goals_progress(g);
    time_rfc3339(time_now(), now);
    c->goal_id = g->id;
    c->author_id = actor->person_id;
    c->progress = g->progress;
    c->created_at = arena_strdup(a, now);
    rc = db_begin(db);
    if (rc == ERR_OK && kr)
        rc = store_goals_set_kr_value(db, kr->id, kr->current, kr->done);
    if (rc == ERR_OK)
        rc = store_goals_touch_checkin(db, g->id, c->status, now);
    if (rc == ERR_OK)
        rc = store_checkins_insert(db, c);
    if (rc == ERR_OK)
        rc = goals_refresh(db, a, g->id);
    if (rc == ERR_OK) {
        json_t *f = json_pack("{s:I, s:s?, s:I, s:f}", "key_result_id",
                              (json_int_t)c->key_result_id, "status", c->status, "confidence",
                              (json_int_t)c->confidence, "progress", c->progress);

        json_object_set_new(f, "value", c->has_value ? json_real(c->value) : json_null());
        rc = audit_record(db, actor->person_id, "goal.checkin", "goal", g->id, NULL, f);
        json_decref(f);
    }
    if (rc == ERR_OK)
        rc = completed_event(db, was, g);
    rc = db_end(db, rc);
    g->last_checkin_at = rc == ERR_OK ? c->created_at : g->last_checkin_at;
    return rc ? err_set(ei, rc, "cannot store the check-in") : ERR_OK;
}
