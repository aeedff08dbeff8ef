/* SPDX-License-Identifier: MIT */
/* See mentoring.h. */
#include "domain/mentoring.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/notify.h"
#include "store/careers.h"
#include "store/people.h"
#include "util/arena.h"
#include "util/timeutil.h"

static int64_t iv(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *sv(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "";
}

/* The mentorship as the policy sees it: the mentee is the subject person, the mentor its
 * author. */
static struct subject mentorship_subject(const struct actor *actor, const json_t *m)
{
    return (struct subject){.person_id = iv(m, "mentee_id"),
                            .author = iv(m, "mentor_id") == actor->person_id};
}

enum err mentoring_offer_put(struct db *db, const struct actor *actor, const struct mentor_offer *o,
                             json_t **out, struct errinfo *ei)
{
    json_t *before = NULL;
    char now[21];
    enum err rc = db_begin(db);

    *out = NULL;
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && store_mentor_offer_get(db, actor->person_id, &before) != ERR_OK) {
        json_decref(before);
        before = NULL;
    }
    if (rc == ERR_OK)
        rc = store_mentor_offer_put(db, actor->person_id, o->capacity, o->note, o->active, now);
    if (rc == ERR_OK)
        rc = store_mentor_offer_skills(db, actor->person_id, o->skills, o->nskills);
    if (rc == ERR_OK)
        rc = store_mentor_offer_get(db, actor->person_id, out);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "mentor_offer.update", "person", actor->person_id,
                          before, *out);
    json_decref(before);
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return err_set(ei, rc, "cannot save your mentoring offer");
    }
    return ERR_OK;
}

/* Inside the transaction: mentor_id offers, takes mentees and has room. */
static enum err check_room(struct db *db, int64_t mentor, struct errinfo *ei)
{
    json_t *offer = NULL;
    enum err rc = ERR_OK;

    store_mentor_offer_lock(db, mentor);
    if (store_mentor_offer_get(db, mentor, &offer) != ERR_OK)
        err_field(ei, "mentor_id", "this person does not offer mentoring");
    else if (!json_is_true(json_object_get(offer, "active")))
        err_field(ei, "mentor_id", "this person is not taking mentees now");
    else if (iv(offer, "load") >= iv(offer, "capacity")) /* active and requested */
        err_field(ei, "mentor_id", "this mentor is at capacity (%lld mentees)",
                  (long long)iv(offer, "capacity"));
    json_decref(offer);
    rc = err_fields_result(ei);
    return rc;
}

enum err mentoring_request(struct db *db, const struct actor *actor,
                           const struct mentorship_request *q, int64_t *id, struct errinfo *ei)
{
    struct arena *a = arena_new();
    struct person me;
    json_t *after = NULL;
    char now[21], key[64], text[300];
    enum err rc = db_begin(db);

    *id = 0;
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && q->mentor_id == actor->person_id) {
        err_field(ei, "mentor_id", "choose someone else as your mentor");
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK)
        rc = check_room(db, q->mentor_id, ei);
    if (rc == ERR_OK && store_people_get(db, a, actor->person_id, &me) != ERR_OK)
        rc = err_set(ei, ERR_INTERNAL, "cannot read you");
    if (rc == ERR_OK)
        rc = store_mentorship_insert(db, q->mentor_id, actor->person_id, q->skill_id, q->goals,
                                     q->start_date, q->end_date, now, id);
    if (rc == ERR_OK) {
        snprintf(key, sizeof(key), "mentorship:%lld", (long long)*id);
        snprintf(text, sizeof(text), "%s asked you to be their mentor.", me.name);
        rc = notify(db, q->mentor_id, "mentorship", text, "#/development?tab=mentoring", key, now);
    }
    if (rc == ERR_OK)
        rc = store_mentorship_get(db, *id, &after);
    if (rc == ERR_OK)
        rc =
            audit_record(db, actor->person_id, "mentorship.create", "mentorship", *id, NULL, after);
    json_decref(after);
    arena_free(a);
    rc = db_end(db, rc);
    return rc && !ei->message[0] && !ei->nfields ? err_set(ei, rc, "cannot ask for the mentorship")
                                                 : rc;
}

/* Inside the transaction: the mentorship, when the actor is one of its two sides. */
static enum err load(struct db *db, const struct actor *actor, int64_t id, enum action act,
                     json_t **m, struct errinfo *ei)
{
    struct subject sub;
    enum err rc;

    *m = NULL;
    if (store_mentorship_get(db, id, m) != ERR_OK) {
        json_decref(*m);
        *m = NULL;
        return err_set(ei, ERR_NOT_FOUND, "no such mentorship");
    }
    sub = mentorship_subject(actor, *m);
    rc = policy_check(db, actor, act, &sub);
    if (rc)
        return err_set(ei, rc,
                       rc == ERR_FORBIDDEN ? "the mentor answers a request" : "no such mentorship");
    return ERR_OK;
}

enum err mentoring_answer(struct db *db, const struct actor *actor, int64_t id, bool accept,
                          struct errinfo *ei)
{
    json_t *m = NULL, *offer = NULL, *after = NULL;
    char now[21], key[64], text[300];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = load(db, actor, id, ACT_MENTORSHIP_ANSWER, &m, ei);
    if (rc == ERR_OK) { /* then read it again: another answer may have come first */
        store_mentor_offer_lock(db, actor->person_id);
        json_decref(m);
        rc = load(db, actor, id, ACT_MENTORSHIP_ANSWER, &m, ei);
    }
    if (rc == ERR_OK && strcmp(sv(m, "status"), "requested") != 0)
        rc = err_set(ei, ERR_CONFLICT, "this mentorship is %s", sv(m, "status"));
    if (rc == ERR_OK && accept && store_mentor_offer_get(db, actor->person_id, &offer) == ERR_OK &&
        store_mentor_load(db, actor->person_id) >= iv(offer, "capacity"))
        rc = err_set(ei, ERR_CONFLICT, "you are at capacity (%lld mentees)",
                     (long long)iv(offer, "capacity"));
    json_decref(offer);
    if (rc == ERR_OK)
        rc = store_mentorship_set_status(db, id, accept ? "active" : "declined");
    if (rc == ERR_OK) {
        snprintf(key, sizeof(key), "mentorship:%lld:%s", (long long)id, accept ? "yes" : "no");
        snprintf(text, sizeof(text), "%s %s your mentorship request.", sv(m, "mentor"),
                 accept ? "accepted" : "declined");
        rc = notify(db, iv(m, "mentee_id"), "mentorship", text, "#/development?tab=mentoring", key,
                    now);
    }
    if (rc == ERR_OK)
        rc = store_mentorship_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, accept ? "mentorship.accept" : "mentorship.decline",
                          "mentorship", id, m, after);
    json_decref(m);
    json_decref(after);
    rc = db_end(db, rc);
    return rc && !ei->message[0] && !ei->nfields ? err_set(ei, rc, "cannot answer the request")
                                                 : rc;
}

enum err mentoring_end(struct db *db, const struct actor *actor, int64_t id, struct errinfo *ei)
{
    json_t *m = NULL, *after = NULL;
    char today[11];
    enum err rc = db_begin(db);

    time_date(time_now(), today);
    if (rc == ERR_OK)
        rc = load(db, actor, id, ACT_MENTORSHIP_END, &m, ei);
    if (rc == ERR_OK)
        rc = store_mentorship_end(db, id, today);
    if (rc == ERR_OK)
        rc = store_mentorship_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "mentorship.end", "mentorship", id, m, after);
    json_decref(m);
    json_decref(after);
    rc = db_end(db, rc);
    return rc && !ei->message[0] && !ei->nfields ? err_set(ei, rc, "cannot end the mentorship")
                                                 : rc;
}

enum err opportunities_create(struct db *db, const struct actor *actor, json_t *body, int64_t *id,
                              struct errinfo *ei)
{
    json_t *skills = json_object_get(body, "skills"), *x, *after = NULL;
    char now[21];
    size_t i;
    enum err rc = db_begin(db);

    *id = 0;
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK &&
        policy_check(db, actor, ACT_OPPORTUNITY_POST,
                     &(struct subject){.shared = store_has_reports(db, actor->person_id)}))
        rc = err_set(ei, ERR_FORBIDDEN, "managers and HR post opportunities");
    if (rc == ERR_OK)
        rc = store_opportunity_insert(db, body, actor->person_id, now, id);
    json_array_foreach(skills, i, x)
    {
        if (rc == ERR_OK)
            rc = store_opportunity_skill(db, *id, iv(x, "skill_id"), iv(x, "min_rating"));
    }
    if (rc == ERR_CONFLICT && !ei->message[0])
        err_set(ei, rc, "a skill is listed twice");
    if (rc == ERR_OK)
        rc = store_opportunity_get(db, *id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "opportunity.create", "opportunity", *id, NULL,
                          after);
    json_decref(after);
    rc = db_end(db, rc);
    return rc && !ei->message[0] && !ei->nfields ? err_set(ei, rc, "cannot post the opportunity")
                                                 : rc;
}

/* Inside the transaction: the opportunity. */
static enum err load_opportunity(struct db *db, int64_t id, json_t **o, struct errinfo *ei)
{
    *o = NULL;
    if (store_opportunity_get(db, id, o) == ERR_OK)
        return ERR_OK;
    json_decref(*o);
    *o = NULL;
    return err_set(ei, ERR_NOT_FOUND, "no such opportunity");
}

enum err opportunities_close(struct db *db, const struct actor *actor, int64_t id,
                             struct errinfo *ei)
{
    json_t *o = NULL, *after = NULL;
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = load_opportunity(db, id, &o, ei);
    if (rc == ERR_OK &&
        policy_check(db, actor, ACT_OPPORTUNITY_MANAGE,
                     &(struct subject){.author = iv(o, "posted_by") == actor->person_id}))
        rc = err_set(ei, ERR_FORBIDDEN, "whoever posted it, or HR, closes an opportunity");
    if (rc == ERR_OK)
        rc = store_opportunity_close(db, id);
    if (rc == ERR_OK)
        rc = store_opportunity_get(db, id, &after);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "opportunity.close", "opportunity", id, o, after);
    json_decref(o);
    json_decref(after);
    rc = db_end(db, rc);
    return rc && !ei->message[0] ? err_set(ei, rc, "cannot close the opportunity") : rc;
}

enum err opportunities_interest(struct db *db, const struct actor *actor, int64_t id,
                                const char *note, struct errinfo *ei)
{
    struct arena *a = arena_new();
    struct person me;
    json_t *o = NULL, *after = NULL;
    char now[21], key[64], text[400];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = load_opportunity(db, id, &o, ei);
    if (rc == ERR_OK && strcmp(sv(o, "status"), "open") != 0)
        rc = err_set(ei, ERR_CONFLICT, "this opportunity is closed");
    if (rc == ERR_OK && store_people_get(db, a, actor->person_id, &me) != ERR_OK)
        rc = err_set(ei, ERR_INTERNAL, "cannot read you");
    if (rc == ERR_OK) {
        rc = store_interest_insert(db, id, me.id, note, now);
        if (rc == ERR_CONFLICT)
            err_set(ei, rc, "you already expressed interest");
    }
    /* their manager is told, and whoever posted it */
    if (rc == ERR_OK) {
        snprintf(text, sizeof(text), "%s is interested in \"%s\".", me.name, sv(o, "title"));
        snprintf(key, sizeof(key), "interest:%lld:%lld:m", (long long)id, (long long)me.id);
        if (me.manager_id)
            rc = notify(db, me.manager_id, "opportunity_interest", text,
                        "#/development?tab=opportunities", key, now);
        key[strlen(key) - 1] = 'p';
        if (rc == ERR_OK && iv(o, "posted_by") != me.manager_id)
            rc = notify(db, iv(o, "posted_by"), "opportunity_interest", text,
                        "#/development?tab=opportunities", key, now);
    }
    if (rc == ERR_OK) {
        after = json_pack("{s:I, s:I, s:s?}", "opportunity_id", (json_int_t)id, "person_id",
                          (json_int_t)me.id, "note", note);
        rc = audit_record(db, me.id, "opportunity.interest", "opportunity", id, NULL, after);
    }
    json_decref(o);
    json_decref(after);
    arena_free(a);
    rc = db_end(db, rc);
    return rc && !ei->message[0] ? err_set(ei, rc, "cannot store your interest") : rc;
}
