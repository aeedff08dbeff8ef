/* SPDX-License-Identifier: MIT */
/* See cases.h. */
#include "domain/cases.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "store/careers.h"
#include "store/notify.h"
#include "util/timeutil.h"

/* Tells the person the case is about and the other side (their manager when they opened it
 * themselves, else the opener) -- never the actor, who knows. */
static enum err tell(struct db *db, const struct actor *actor, const struct promotion_case *c,
                     const char *kind, const char *what, int64_t other, const char *now)
{
    char key[80], name[200], text[400];
    int64_t who[2] = {c->person_id, other};
    enum err rc = ERR_OK;

    store_notify_name(db, c->person_id, name, sizeof(name));
    for (int i = 0; rc == ERR_OK && i < 2; i++) {
        if (!who[i] || who[i] == actor->person_id || (i == 1 && who[1] == who[0]))
            continue;
        snprintf(key, sizeof(key), "%s:%lld:%lld", kind, (long long)c->id, (long long)who[i]);
        if (i == 0)
            snprintf(text, sizeof(text), "A %s case about you was %s.", c->kind, what);
        else
            snprintf(text, sizeof(text), "The %s case of %s was %s.", c->kind, name, what);
        rc = notify(db, who[i], kind, text, "#/reviews?tab=cases", key, now);
    }
    return rc;
}

enum err cases_open(struct db *db, const struct actor *actor, struct promotion_case *c,
                    struct errinfo *ei)
{
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    c->opened_by = actor->person_id;
    c->created_at = now;
    if (rc == ERR_OK)
        rc = store_cases_insert(db, c);
    if (rc == ERR_OK) {
        json_t *after = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)c->person_id, "kind",
                                  c->kind, "status", c->status);

        rc = audit_record(db, actor->person_id, "case.open", "promotion_case", c->id, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_OK)
        rc = tell(db, actor, c, "case_opened", "opened",
                  c->person_id == actor->person_id ? store_notify_manager(db, c->person_id) : 0,
                  now);
    rc = db_end(db, rc);
    c->created_at = NULL;
    return rc ? err_set(ei, rc, "cannot store the case") : ERR_OK;
}

enum err cases_endorse(struct db *db, const struct actor *actor, const struct promotion_case *c,
                       struct errinfo *ei)
{
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = store_cases_transition(db, c->id, "requested", "open", 0, NULL, NULL);
    if (rc == ERR_OK)
        rc =
            audit_record(db, actor->person_id, "case.endorse", "promotion_case", c->id, NULL, NULL);
    rc = db_end(db, rc);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "only a requested case is endorsed");
    return rc ? err_set(ei, rc, "cannot endorse the case") : ERR_OK;
}

/* The career placement follows an approved promotion's level code, so the career page and the
 * profile agree: the level of that code on the person's current track, else on any track; no
 * framework level of that code leaves the placement as it is. */
static enum err place(struct db *db, int64_t person, const char *code)
{
    json_t *levels = NULL, *current = NULL, *x;
    int64_t track = 0, chosen = 0;
    size_t i;
    enum err rc = store_fw_levels(db, &levels);

    if (rc) {
        json_decref(levels);
        return rc;
    }
    if (store_placement_get(db, person, &current) == ERR_OK)
        track = json_integer_value(json_object_get(current, "track_id"));
    json_array_foreach(levels, i, x)
    {
        const char *lc = json_string_value(json_object_get(x, "code"));
        int64_t id = json_integer_value(json_object_get(x, "id"));

        if (!lc || strcmp(lc, code) != 0)
            continue;
        if (!chosen || json_integer_value(json_object_get(x, "track_id")) == track)
            chosen = id;
    }
    json_decref(levels);
    json_decref(current);
    return chosen ? store_placement_set(db, person, chosen) : ERR_OK;
}

enum err cases_decide(struct db *db, struct arena *a, const struct actor *actor,
                      const struct promotion_case *c, bool approve, const char *note,
                      struct errinfo *ei)
{
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = store_cases_transition(db, c->id, "open", approve ? "approved" : "rejected",
                                    actor->person_id, note, now);
    if (rc == ERR_OK && approve && strcmp(c->kind, "promotion") == 0 &&
        (c->proposed_title || c->proposed_level)) {
        /* the decision changes the record: title and level, with a role-history entry */
        struct person_patch patch = {0};
        char reason[64];

        snprintf(reason, sizeof(reason), "Promotion (case #%lld)", (long long)c->id);
        patch.has_title = c->proposed_title != NULL;
        patch.title = c->proposed_title;
        patch.has_level = c->proposed_level != NULL;
        patch.level = c->proposed_level;
        patch.reason = reason;
        rc = people_update(db, a, actor->person_id, c->person_id, &patch, ei);
        if (rc == ERR_OK && c->proposed_level)
            rc = place(db, c->person_id, c->proposed_level);
    }
    if (rc == ERR_OK) {
        json_t *after =
            json_pack("{s:s, s:s?}", "status", approve ? "approved" : "rejected", "note", note);

        rc =
            audit_record(db, actor->person_id, "case.decide", "promotion_case", c->id, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_OK)
        rc = tell(db, actor, c, "case_decided", approve ? "approved" : "not approved", c->opened_by,
                  now);
    rc = db_end(db, rc);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "only an open case is decided (endorse a request first)");
    if (rc == ERR_VALIDATION)
        return rc;
    return rc ? err_set(ei, rc, "cannot store the decision") : ERR_OK;
}
