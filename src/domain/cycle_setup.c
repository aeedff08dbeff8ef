/* SPDX-License-Identifier: MIT */
/* See cycle_setup.h. */
#include "domain/cycle_setup.h"

#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/settings.h"
#include "util/timeutil.h"

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return (a > b) - (a < b);
}

static bool has(const int64_t *v, size_t n, int64_t id)
{
    return n && bsearch(&id, v, n, sizeof(*v), cmp_i64) != NULL;
}

bool cycle_scope_has(const struct cycle_scope *sc, enum scope_kind k, int64_t id)
{
    return has(sc->ids[k], sc->n[k], id);
}

static int cmp_candidate(const void *x, const void *y)
{
    int64_t a = ((const struct candidate *)x)->id, b = ((const struct candidate *)y)->id;

    return (a > b) - (a < b);
}

static const struct candidate *find(const struct candidate *v, size_t n, int64_t id)
{
    struct candidate key = {.id = id};

    return id ? bsearch(&key, v, n, sizeof(*v), cmp_candidate) : NULL;
}

/* Whether p or one of its managers (up to 64 levels, a loop stops the walk) heads an
 * organisation of the rules. */
static bool in_organisation(const struct candidate *all, size_t n, const struct candidate *p,
                            const struct cycle_scope *sc)
{
    const int64_t *orgs = sc->ids[SCOPE_ORGANISATION];
    size_t no = sc->n[SCOPE_ORGANISATION];

    for (int depth = 0; p && depth < 64; depth++) {
        if (has(orgs, no, p->id))
            return true;
        p = find(all, n, p->manager_id);
    }
    return false;
}

enum err cycle_match(struct db *db, struct arena *a, const struct review_cycle *c,
                     const struct cycle_scope *sc, struct candidate **v, size_t *n)
{
    struct candidate *all, *out;
    size_t total, len = 0;
    bool scoped = sc->n[SCOPE_DEPARTMENT] || sc->n[SCOPE_ORGANISATION];
    enum err rc = store_candidates(db, a, &all, &total);

    *v = NULL;
    *n = 0;
    if (rc)
        return rc;
    out = arena_alloc(a, (total + 1) * sizeof(*out));
    for (size_t i = 0; i < total; i++) {
        const struct candidate *p = &all[i];
        bool in;

        if (!p->active || has(sc->ids[SCOPE_EXCLUDE], sc->n[SCOPE_EXCLUDE], p->id))
            continue;
        in = has(sc->ids[SCOPE_INCLUDE], sc->n[SCOPE_INCLUDE], p->id);
        if (!in) {
            in =
                (!c->department_id || p->department_id == c->department_id) &&
                (!c->hired_before || (p->hire_date && strcmp(p->hire_date, c->hired_before) < 0)) &&
                (!scoped ||
                 has(sc->ids[SCOPE_DEPARTMENT], sc->n[SCOPE_DEPARTMENT], p->department_id) ||
                 in_organisation(all, total, p, sc));
        }
        if (in)
            out[len++] = *p;
    }
    *v = out;
    *n = len;
    return ERR_OK;
}

enum err cycle_participants(struct db *db, struct arena *a, const struct review_cycle *c,
                            struct participant **v, size_t *n)
{
    struct cycle_scope sc;
    struct candidate *m;
    size_t len;
    struct participant *out;
    enum err rc = store_scope_get(db, a, c->id, &sc);

    if (rc == ERR_OK)
        rc = cycle_match(db, a, c, &sc, &m, &len);
    if (rc)
        return rc;
    out = arena_alloc(a, (len + 1) * sizeof(*out));
    for (size_t i = 0; i < len; i++)
        out[i] = (struct participant){.id = m[i].id, .manager_id = m[i].manager_id, .active = true};
    *v = out;
    *n = len;
    return ERR_OK;
}

enum err cycle_reopen_review(struct db *db, struct arena *a, const struct actor *actor,
                             const struct review *rv, const char *reason, struct errinfo *ei)
{
    struct review cur;
    struct review_cycle c;
    struct review_outcome o;
    char now[21];
    json_t *before, *after;
    enum err rc = db_begin(db);

    /* what the reopening checks is read in its transaction */
    if (rc == ERR_OK)
        rc = store_reviews_get(db, a, rv->id, &cur);
    if (rc == ERR_OK)
        rc = store_cycles_get(db, a, cur.cycle_id, &c);
    if (rc) {
        db_end(db, rc);
        return err_set(ei, rc, "cannot read the review");
    }
    if (strcmp(cur.status, "submitted") != 0) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT, "only a submitted review is reopened (this one is %s)",
                       cur.status);
    }
    if (strcmp(c.status, "active") != 0) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT, "the cycle is %s: reopen the released outcome instead",
                       c.status);
    }
    if (store_outcomes_find(db, a, c.id, cur.reviewee_id, &o) == ERR_OK && o.released_at) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT,
                       "the outcome is released: reopen the outcome, which returns the manager "
                       "review to draft");
    }
    time_rfc3339(time_now(), now);
    rc = store_reviews_reopen(db, cur.id, now);
    before = json_pack("{s:s, s:s?, s:s}", "status", cur.status, "submitted_at", cur.submitted_at,
                       "kind", cur.kind);
    after = json_pack("{s:s, s:s, s:I, s:I}", "status", "draft", "reason", reason, "reviewer",
                      (json_int_t)cur.reviewer_id, "reviewee", (json_int_t)cur.reviewee_id);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "review.reopen", "review", cur.id, before, after);
    json_decref(before);
    json_decref(after);
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot reopen the review") : ERR_OK;
}

/* The end of a cycle write that went well so far (rc): the image of c as written into *out,
 * audited as action with before, then the transaction ended. */
static enum err finish(struct db *db, enum err rc, const struct actor *actor, const char *action,
                       const struct cycle_edit *e, const struct review_cycle *c, json_t *before,
                       json_t **out, struct errinfo *ei)
{
    if (rc == ERR_OK && !(*out = e->image(e->ctx, c)))
        rc = ERR_INTERNAL;
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, action, "review_cycle", c->id, before, *out);
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        if (!ei->message[0] && !ei->nfields)
            err_set(ei, rc, "cannot store the cycle");
    }
    return rc;
}

enum err cycle_create(struct db *db, struct arena *a, const struct actor *actor,
                      const struct cycle_edit *e, struct review_cycle *c, json_t **out,
                      struct errinfo *ei)
{
    struct cycle_scope sc;
    bool given = false;
    enum err rc = db_begin(db);

    *out = NULL;
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL)) != ERR_OK)
        err_set(ei, rc, "only HR runs review cycles");
    if (rc == ERR_OK) /* the organisation's anonymity threshold unless the cycle sets one */
        rc = settings_threshold_read(db, a, &c->threshold);
    if (rc == ERR_OK)
        rc = e->apply(e->ctx, c, &sc, &given, ei);
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = store_cycles_insert(db, c);
    if (rc == ERR_OK)
        rc = store_scope_replace(db, c->id, &sc);
    return finish(db, rc, actor, "review_cycle.create", e, c, NULL, out, ei);
}

enum err cycle_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                      const char *status, const struct cycle_edit *e, struct review_cycle *c,
                      json_t **out, struct errinfo *ei)
{
    struct cycle_scope sc;
    bool given = false, draft = strcmp(status, "draft") == 0;
    json_t *before = NULL;
    enum err rc = db_begin(db);

    *out = NULL;
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL)) != ERR_OK)
        err_set(ei, rc, "only HR runs review cycles");
    if (rc == ERR_OK && (rc = store_cycles_get_for_update(db, a, id, c)) != ERR_OK)
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such cycle" : "cannot read the cycle");
    if (rc == ERR_OK && strcmp(c->status, status) != 0)
        rc =
            err_set(ei, ERR_CONFLICT, "the cycle was %s meanwhile", draft ? "launched" : c->status);
    if (rc == ERR_OK && !(before = e->image(e->ctx, c)))
        rc = ERR_INTERNAL;
    if (rc == ERR_OK)
        rc = e->apply(e->ctx, c, &sc, &given, ei);
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = draft ? store_cycles_update_draft(db, c) : store_cycles_update(db, c);
    if (rc == ERR_OK && given)
        rc = store_scope_replace(db, c->id, &sc);
    rc = finish(db, rc, actor, "review_cycle.update", e, c, before, out, ei);
    json_decref(before);
    return rc;
}
