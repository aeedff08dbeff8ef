/* SPDX-License-Identifier: MIT */
/* See accomplishments.h. */
#include "domain/accomplishments.h"

#include <string.h>

#include "domain/audit.h"
#include "domain/people.h"
#include "domain/goals.h"
#include "store/goals.h"
#include "util/timeutil.h"

void accomplishments_validate(const struct accomplishment *x, struct errinfo *ei)
{
    if (!x->happened_on)
        err_field(ei, "happened_on", "is required");
    else
        people_check_date(x->happened_on, "happened_on", ei);
    people_check_name(x->title, "title", ei);
    people_check_text(x->title, 200, "title", ei);
    if (x->impact && strlen(x->impact) > 5000)
        err_field(ei, "impact", "must be at most 5000 bytes");
    if (x->challenges && strlen(x->challenges) > 5000)
        err_field(ei, "challenges", "must be at most 5000 bytes");
}

enum err accomplishments_check_goals(struct db *db, struct arena *a, const struct actor *actor,
                                     const struct accomplishment *x, struct errinfo *ei)
{
    for (size_t i = 0; i < x->ngoals; i++) {
        struct goal g;
        enum err rc = store_goals_get(db, a, x->goal_ids[i], &g);

        if (rc == ERR_OK) {
            struct subject sub = goals_subject(db, actor, &g);

            rc = policy_check(db, actor, ACT_GOAL_READ, &sub);
        }
        if (rc == ERR_NOT_FOUND) {
            err_field(ei, "goal_ids", "goal %lld does not exist", (long long)x->goal_ids[i]);
            continue;
        }
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static json_t *snapshot(const struct accomplishment *x)
{
    /* the journal is private: the audit keeps what changed, not the text itself */
    return json_pack("{s:s, s:b, s:I}", "happened_on", x->happened_on, "shared_with_manager",
                     x->shared, "goals", (json_int_t)x->ngoals);
}

enum err accomplishments_save(struct db *db, const struct actor *actor, struct accomplishment *x,
                              struct errinfo *ei)
{
    char now[21];
    bool create = x->id == 0;
    enum err rc;

    time_rfc3339(time_now(), now);
    x->updated_at = now;
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = create ? store_accomplishments_insert(db, x) : store_accomplishments_update(db, x);
    if (rc == ERR_OK) {
        json_t *f = snapshot(x);

        rc = audit_record(db, actor->person_id,
                          create ? "accomplishment.create" : "accomplishment.update",
                          "accomplishment", x->id, NULL, f);
        json_decref(f);
    }
    rc = db_end(db, rc);
    x->updated_at = NULL;
    return rc ? err_set(ei, rc, "cannot store the accomplishment") : ERR_OK;
}

enum err accomplishments_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                              accomplishments_patch_fn patch, void *ctx, struct accomplishment *out,
                              struct errinfo *ei)
{
    struct accomplishment before;
    char now[21];
    bool told = true;
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    /* read, decided on and written in one transaction, the row locked from the first read */
    rc = store_accomplishments_get_for_update(db, a, id, &before);
    if (rc == ERR_OK)
        rc =
            policy_check(db, actor, ACT_ACCOMPLISHMENT_WRITE,
                         &(struct subject){.person_id = before.person_id, .shared = before.shared});
    if (rc == ERR_NOT_FOUND)
        err_set(ei, rc, "no such accomplishment");
    else if (rc)
        err_set(ei, rc, "you cannot change this accomplishment");
    if (rc == ERR_OK) {
        *out = before;
        patch(ctx, out, ei);
        accomplishments_validate(out, ei);
        rc = accomplishments_check_goals(db, a, actor, out, ei);
        if (rc == ERR_OK)
            rc = err_fields_result(ei);
        told = rc == ERR_VALIDATION;
    }
    if (rc == ERR_OK) {
        time_rfc3339(time_now(), now);
        out->updated_at = now;
        rc = store_accomplishments_update(db, out);
        out->updated_at = NULL;
        told = false;
    }
    if (rc == ERR_OK) {
        json_t *b = snapshot(&before), *f = snapshot(out);

        rc =
            audit_record(db, actor->person_id, "accomplishment.update", "accomplishment", id, b, f);
        json_decref(b);
        json_decref(f);
    }
    rc = db_end(db, rc);
    if (rc && !told)
        return err_set(ei, rc, "cannot store the accomplishment");
    return rc;
}

enum err accomplishments_delete(struct db *db, const struct actor *actor,
                                const struct accomplishment *x, struct errinfo *ei)
{
    json_t *before = snapshot(x);
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = store_accomplishments_delete(db, x->id);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "accomplishment.delete", "accomplishment", x->id,
                          before, NULL);
    json_decref(before);
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot delete the accomplishment") : ERR_OK;
}
