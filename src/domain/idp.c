/* SPDX-License-Identifier: MIT */
/* Career writes, each one transaction: what it decides on is read inside it, policy/ decides,
 * and the audit row holds the item before and after (see idp.h). */
#include "domain/idp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/careers.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "store/careers.h"
#include "store/notify.h"
#include "util/timeutil.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Hands v to *out when the write committed (rc ERR_OK), else releases it. */
static enum err give(enum err rc, json_t *v, json_t **out)
{
    if (rc == ERR_OK && out)
        *out = v;
    else
        json_decref(v);
    return rc;
}

/* The plan of person as the reply of a write, read inside it. */
static enum err plan_reply(struct db *db, enum err rc, int64_t person, json_t **plan)
{
    *plan = NULL;
    return rc == ERR_OK ? idp_plan(db, person, plan) : rc;
}

static enum err allowed(struct db *db, const struct actor *actor, enum action act, int64_t person,
                        const char *why, struct errinfo *ei)
{
    struct subject sub = {.person_id = person};
    enum err rc = policy_check(db, actor, act, &sub);

    if (rc == ERR_FORBIDDEN)
        return err_set(ei, rc, "%s", why);
    return rc ? err_set(ei, rc, "no such person") : ERR_OK;
}

enum err idp_plan(struct db *db, int64_t person, json_t **out)
{
    json_t *idp = NULL, *actions = NULL, *ms = NULL, *comments = NULL;
    int64_t id;
    enum err rc = store_idp_get(db, person, &idp);

    *out = NULL;
    if (rc)
        return rc;
    id = json_integer_value(json_object_get(idp, "id"));
    rc = store_idp_actions(db, id, &actions);
    if (rc == ERR_OK)
        rc = store_idp_milestones(db, id, &ms);
    if (rc == ERR_OK)
        rc = store_idp_comments(db, id, &comments);
    if (rc) {
        json_decref(idp);
        json_decref(actions);
        json_decref(ms);
        json_decref(comments);
        return rc == ERR_NOT_FOUND ? ERR_INTERNAL : rc;
    }
    json_object_set_new(idp, "completion", json_real(careers_completion(actions, ms)));
    json_object_set_new(idp, "actions", actions);
    json_object_set_new(idp, "milestones", ms);
    json_object_set_new(idp, "comments", comments);
    *out = idp;
    return ERR_OK;
}

/* Before a change to a signed-off plan, keeps the plan as it was (history) and bumps its
 * version; the sign-off stays with the version it signed. */
static enum err keep_version(struct db *db, const struct actor *actor, int64_t person,
                             const char *now)
{
    json_t *before = NULL;
    enum err rc = idp_plan(db, person, &before);

    if (rc)
        return rc == ERR_NOT_FOUND ? ERR_OK : rc;
    if (!json_is_null(json_object_get(before, "signed_off_at"))) {
        char *text = json_dumps(before, JSON_COMPACT);
        int64_t id = json_integer_value(json_object_get(before, "id"));

        rc = text ? store_idp_snapshot(db, id,
                                       json_integer_value(json_object_get(before, "version")), text,
                                       actor->person_id, now)
                  : ERR_INTERNAL;
        if (rc == ERR_OK)
            rc = store_idp_bump(db, id, now);
        free(text);
    }
    json_decref(before);
    return rc;
}

enum err careers_skill_add(struct db *db, const struct actor *actor, const char *name,
                           const char *category, json_t **out, struct errinfo *ei)
{
    json_t *after = NULL;
    int64_t id = 0;
    enum err rc = db_begin(db);

    if (rc == ERR_OK && policy_check(db, actor, ACT_FRAMEWORK_ADMIN, NULL) != ERR_OK)
        rc = err_set(ei, ERR_FORBIDDEN, "only HR edits the skills catalogue");
    if (rc == ERR_OK && (rc = store_skills_insert(db, name, category, &id)) == ERR_CONFLICT)
        err_set(ei, rc, "the catalogue already has a skill named %s", name);
    if (rc == ERR_OK)
        rc = store_skill_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "skill.create", "skill", id, NULL, after);
    return give(db_end(db, rc), after, out);
}

enum err careers_place(struct db *db, struct arena *a, const struct actor *actor, int64_t person,
                       int64_t level_id, const char *reason, json_t **out, struct errinfo *ei)
{
    struct person_patch patch = {.reason = reason, .has_level = true};
    json_t *level = NULL, *placed = NULL;
    enum err rc = db_begin(db);

    if (rc == ERR_OK && policy_check(db, actor, ACT_FRAMEWORK_ADMIN, NULL) != ERR_OK)
        rc = err_set(ei, ERR_FORBIDDEN, "only HR places people on career levels");
    if (rc == ERR_OK && (rc = store_fw_level(db, level_id, &level)) == ERR_NOT_FOUND) {
        err_field(ei, "level_id", "no such level");
        rc = err_fields_result(ei);
    }
    /* the level code goes through the same path as an HR edit: role history and audit */
    if (rc == ERR_OK) {
        patch.level = json_string_value(json_object_get(level, "code"));
        rc = people_update(db, a, actor->person_id, person, &patch, ei);
    }
    if (rc == ERR_OK)
        rc = store_placement_set(db, person, level_id);
    if (rc == ERR_OK)
        rc = store_placement_get(db, person, &placed);
    json_decref(level);
    return give(db_end(db, rc), placed, out);
}

enum err careers_rate(struct db *db, const struct actor *actor, int64_t person, const char *subject,
                      int64_t subject_id, int64_t rating, json_t **out, struct errinfo *ei)
{
    struct subject sub = {.person_id = person};
    const char *source = NULL;
    json_t *found = NULL, *after, *cur = NULL, *hist = NULL;
    char now[21];
    enum err rc = db_begin(db);

    if (rc == ERR_OK) {
        if (policy_check(db, actor, ACT_CAREER_SELF, &sub) == ERR_OK)
            source = "self";
        else if (policy_check(db, actor, ACT_CAREER_MANAGER, &sub) == ERR_OK)
            source = "manager";
        else
            rc = err_set(ei, ERR_FORBIDDEN, "the person and their managers rate skills");
    }
    if (rc == ERR_OK &&
        (rc = is(subject, "skill")
                  ? store_skill_get(db, subject_id, &found)
                  : store_competency_get(db, subject_id, &found)) == ERR_NOT_FOUND) {
        err_field(ei, "subject_id", "no such %s", subject);
        rc = err_fields_result(ei);
    }
    json_decref(found);
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = store_ratings_insert(db, person, subject, subject_id, source, rating, actor->person_id,
                                  now);
    if (rc == ERR_OK) {
        after = json_pack("{s:s, s:I, s:I, s:s}", "subject", subject, "subject_id",
                          (json_int_t)subject_id, "rating", (json_int_t)rating, "source", source);
        rc = audit_record(db, actor->person_id, "rating.create", "person", person, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_OK)
        rc = store_ratings_current(db, person, &cur);
    if (rc == ERR_OK)
        rc = store_ratings_history(db, person, &hist);
    after = rc == ERR_OK ? json_pack("{s:o, s:o}", "current", cur, "history", hist) : NULL;
    if (!after) {
        json_decref(cur);
        json_decref(hist);
    }
    return give(db_end(db, rc), after, out);
}

enum err careers_learning_add(struct db *db, const struct actor *actor, int64_t person, json_t *rec,
                              json_t **out, struct errinfo *ei)
{
    json_t *items = NULL;
    int64_t id = 0;
    char now[21];
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_RECORD, person, "the person and HR record learning", ei);
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = store_learning_insert(db, person, rec, 0, now, &id);
    if (rc == ERR_OK) {
        json_t *after = json_deep_copy(rec);

        json_object_set_new(after, "person_id", json_integer(person));
        rc = audit_record(db, actor->person_id, "learning.create", "learning_record", id, NULL,
                          after);
        json_decref(after);
    }
    if (rc == ERR_OK)
        rc = store_learning_of(db, person, &items);
    return give(db_end(db, rc), items, out);
}

enum err idp_put(struct db *db, const struct actor *actor, int64_t person, json_t *fields,
                 json_t **out, struct errinfo *ei)
{
    json_t *before = NULL, *after = NULL;
    int64_t id = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_SELF, person, "only the person may do this", ei);
    if (rc == ERR_OK && (rc = store_idp_get(db, person, &before)) == ERR_NOT_FOUND)
        rc = ERR_OK;
    if (rc == ERR_OK)
        rc = keep_version(db, actor, person, now);
    if (rc == ERR_OK)
        rc = store_idp_upsert(db, person, fields, now, &id);
    if (rc == ERR_OK)
        rc = store_idp_get(db, person, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp.update", "idp", id, before, after);
    json_decref(before);
    json_decref(after);
    rc = plan_reply(db, rc, person, &after);
    return give(db_end(db, rc), after, out);
}

/* The plan of person inside a write, or ERR_CONFLICT with the reason when there is none. */
static enum err plan_of(struct db *db, int64_t person, json_t **idp, struct errinfo *ei)
{
    enum err rc = store_idp_get(db, person, idp);

    if (rc == ERR_NOT_FOUND)
        return err_set(ei, ERR_CONFLICT, "write the plan's aspirations first (PUT …/idp)");
    return rc;
}

enum err idp_action_add(struct db *db, const struct actor *actor, int64_t person, json_t *a,
                        json_t **out, struct errinfo *ei)
{
    json_t *idp = NULL, *after = NULL;
    int64_t action = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_SELF, person, "only the person may do this", ei);
    if (rc == ERR_OK)
        rc = plan_of(db, person, &idp, ei);
    if (rc == ERR_OK)
        rc = keep_version(db, actor, person, now);
    if (rc == ERR_OK)
        rc = store_idp_action_insert(db, json_integer_value(json_object_get(idp, "id")), a, now,
                                     &action);
    if (rc == ERR_OK)
        rc = store_idp_action_get(db, action, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp_action.create", "idp_action", action, NULL,
                          after);
    json_decref(idp);
    return give(db_end(db, rc), after, out);
}

/* Completing a training, certification or course records a course or certification; any other
 * action a workshop. */
static const char *learning_kind(const char *kind)
{
    if (is(kind, "certification"))
        return "certification";
    return is(kind, "training") || is(kind, "course") ? "course" : "workshop";
}

enum err idp_action_update(struct db *db, const struct actor *actor, int64_t id,
                           idp_action_merge merge, void *ctx, json_t *learning, json_t **out,
                           struct errinfo *ei)
{
    json_t *before = NULL, *a = NULL, *idp = NULL, *after = NULL;
    int64_t person = 0, rec = 0;
    const char *status = NULL;
    char now[21], today[11];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    /* the row as it is now (locked on PostgreSQL), so two edits of different fields both stay */
    if (rc == ERR_OK && (rc = store_idp_action_get_for_update(db, id, &before)) == ERR_OK)
        rc = store_idp_owner(db, json_integer_value(json_object_get(before, "idp_id")), &person);
    if (rc == ERR_NOT_FOUND)
        err_set(ei, rc, "no such action");
    if (rc == ERR_OK)
        rc =
            allowed(db, actor, ACT_CAREER_SELF, person, "the plan's owner updates its actions", ei);
    if (rc == ERR_OK)
        rc = store_idp_get(db, person, &idp);
    if (rc == ERR_OK) {
        a = json_deep_copy(before);
        merge(ctx, a, idp, &status, ei);
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK) {
        if (is(status, "done") && json_is_null(json_object_get(a, "completed_at")))
            json_object_set_new(a, "completed_at", json_string(now));
        else if (status && !is(status, "done"))
            json_object_set_new(a, "completed_at", json_null());
        rc = keep_version(db, actor, person, now);
    }
    if (rc == ERR_OK)
        rc = store_idp_action_update(db, id, a);
    if (rc == ERR_OK && learning) {
        const char *done = json_string_value(json_object_get(learning, "completed_on"));
        json_t *lr =
            json_pack("{s:s, s:O, s:O?, s:s, s:O?}", "kind",
                      learning_kind(json_string_value(json_object_get(a, "kind"))), "title",
                      json_object_get(a, "title"), "provider",
                      json_object_get(learning, "provider"), "completed_on", done ? done : today,
                      "expires_on", json_object_get(learning, "expires_on"));

        rc = lr ? store_learning_insert(db, person, lr, id, now, &rec) : ERR_INTERNAL;
        json_decref(lr);
    }
    if (rc == ERR_OK)
        rc = store_idp_action_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp_action.update", "idp_action", id, before,
                          after);
    if (rc == ERR_OK && rec)
        json_object_set_new(after, "learning_record_id", json_integer(rec));
    json_decref(before);
    json_decref(a);
    json_decref(idp);
    return give(db_end(db, rc), after, out);
}

enum err idp_milestone_add(struct db *db, const struct actor *actor, int64_t person,
                           const char *title, const char *due, json_t **out, struct errinfo *ei)
{
    json_t *idp = NULL, *after = NULL;
    int64_t mid = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_SELF, person, "only the person may do this", ei);
    if (rc == ERR_OK)
        rc = plan_of(db, person, &idp, ei);
    if (rc == ERR_OK)
        rc = keep_version(db, actor, person, now);
    if (rc == ERR_OK)
        rc = store_idp_milestone_insert(db, json_integer_value(json_object_get(idp, "id")), title,
                                        due, &mid);
    if (rc == ERR_OK)
        rc = store_idp_milestone_get(db, mid, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp_milestone.create", "idp_milestone", mid, NULL,
                          after);
    json_decref(idp);
    return give(db_end(db, rc), after, out);
}

enum err idp_milestone_done(struct db *db, const struct actor *actor, int64_t id, bool done,
                            json_t **out, struct errinfo *ei)
{
    json_t *before = NULL, *after = NULL;
    int64_t person = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && (rc = store_idp_milestone_get(db, id, &before)) == ERR_OK)
        rc = store_idp_owner(db, json_integer_value(json_object_get(before, "idp_id")), &person);
    if (rc == ERR_NOT_FOUND)
        err_set(ei, rc, "no such milestone");
    if (rc == ERR_OK &&
        policy_check(db, actor, ACT_CAREER_SELF, &(struct subject){.person_id = person}))
        rc = err_set(ei, ERR_NOT_FOUND, "no such milestone");
    if (rc == ERR_OK)
        rc = keep_version(db, actor, person, now);
    if (rc == ERR_OK)
        rc = store_idp_milestone_done(db, id, done ? now : NULL);
    if (rc == ERR_OK)
        rc = store_idp_milestone_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp_milestone.update", "idp_milestone", id, before,
                          after);
    json_decref(before);
    return give(db_end(db, rc), after, out);
}

enum err idp_comment(struct db *db, struct arena *a, const struct actor *actor, int64_t person,
                     const char *text, json_t **out, struct errinfo *ei)
{
    json_t *idp = NULL, *after = NULL;
    bool own = person == actor->person_id;
    int64_t id = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_COMMENT, person, "only the person may do this", ei);
    if (rc == ERR_OK && (rc = store_idp_get(db, person, &idp)) == ERR_NOT_FOUND)
        err_set(ei, rc, "no development plan yet");
    if (rc == ERR_OK) {
        id = json_integer_value(json_object_get(idp, "id"));
        rc = store_idp_comment_insert(db, id, actor->person_id, text, now);
    }
    if (rc == ERR_OK) {
        /* the owner is told of a comment by someone else; the manager of one by the owner */
        char key[96], name[200], msg[400];

        store_notify_name(db, actor->person_id, name, sizeof(name));
        snprintf(key, sizeof(key), "idp-comment:%lld:%lld:%s", (long long)person,
                 (long long)actor->person_id, now);
        snprintf(msg, sizeof(msg), "%s commented on %s development plan.", name,
                 own ? "their" : "your");
        rc = notify(db, own ? store_notify_manager(db, person) : person, "idp_comment", msg,
                    own ? arena_printf(a, "#/development?tab=plan&person=%lld", (long long)person)
                        : "#/development?tab=plan",
                    key, now);
    }
    if (rc == ERR_OK) {
        after = json_pack("{s:s, s:I}", "comment", text, "author_id", (json_int_t)actor->person_id);
        rc = audit_record(db, actor->person_id, "idp.comment", "idp", id, NULL, after);
    }
    json_decref(idp);
    json_decref(after);
    rc = plan_reply(db, rc, person, &after);
    return give(db_end(db, rc), after, out);
}

enum err idp_sign_off(struct db *db, const struct actor *actor, int64_t person, json_t **out,
                      struct errinfo *ei)
{
    json_t *before = NULL, *after = NULL;
    int64_t id = 0;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = allowed(db, actor, ACT_CAREER_MANAGER, person, "only their manager may do this", ei);
    if (rc == ERR_OK && (rc = store_idp_get(db, person, &before)) == ERR_NOT_FOUND)
        err_set(ei, rc, "no development plan yet");
    if (rc == ERR_OK) {
        id = json_integer_value(json_object_get(before, "id"));
        rc = store_idp_sign_off(db, id, actor->person_id, now);
    }
    if (rc == ERR_OK) {
        char key[96], name[200], msg[400];

        store_notify_name(db, actor->person_id, name, sizeof(name));
        snprintf(key, sizeof(key), "idp-signed:%lld:%s", (long long)id, now);
        snprintf(msg, sizeof(msg), "%s signed off your development plan.", name);
        rc = notify(db, person == actor->person_id ? 0 : person, "idp_signed_off", msg,
                    "#/development?tab=plan", key, now);
    }
    if (rc == ERR_OK)
        rc = store_idp_get(db, person, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "idp.sign_off", "idp", id, before, after);
    json_decref(before);
    json_decref(after);
    rc = plan_reply(db, rc, person, &after);
    return give(db_end(db, rc), after, out);
}
