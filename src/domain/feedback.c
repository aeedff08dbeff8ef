/* SPDX-License-Identifier: MIT */
/* See feedback.h. */
#include "domain/feedback.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/settings.h"
#include "domain/webhooks.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "store/notify.h"
#include "util/timeutil.h"

void feedback_validate(const struct feedback *f, struct errinfo *ei)
{
    bool praise = f->kind && strcmp(f->kind, "praise") == 0;
    bool constructive = f->kind && strcmp(f->kind, "constructive") == 0;

    if (!praise && !constructive)
        err_field(ei, "kind", "must be praise or constructive");
    if (!f->visibility ||
        (strcmp(f->visibility, "private") != 0 && strcmp(f->visibility, "managers") != 0 &&
         strcmp(f->visibility, "public") != 0))
        err_field(ei, "visibility", "must be private, managers or public");
    else if (constructive && strcmp(f->visibility, "public") == 0)
        err_field(ei, "visibility", "constructive feedback is private or for managers");
    if (f->company_value && !praise)
        err_field(ei, "company_value", "only praise carries a company value");
    people_check_text(f->company_value, 40, "company_value", ei);
    people_check_name(f->body, "body", ei);
    if (f->body && strlen(f->body) > 5000)
        err_field(ei, "body", "must be at most 5000 bytes");
    if (f->author_id && f->author_id == f->recipient_id)
        err_field(ei, "recipient_id", "feedback goes to someone else");
}

struct subject feedback_subject(const struct actor *actor, const struct feedback *f)
{
    return (struct subject){.person_id = f->recipient_id,
                            .visibility = f->visibility,
                            .author = actor->person_id == f->author_id};
}

/* Tells the recipient, who may read every feedback about them whatever its visibility. */
static enum err tell(struct db *db, const struct feedback *f, const char *kind)
{
    char key[64], name[200], text[400];

    store_notify_name(db, f->author_id, name, sizeof(name));
    snprintf(key, sizeof(key), "feedback:%lld", (long long)f->id);
    if (f->request_id)
        snprintf(text, sizeof(text), "%s answered your feedback request.", name);
    else
        snprintf(text, sizeof(text), "%s gave you %s.", name,
                 strcmp(f->kind, "praise") == 0 ? "praise" : "feedback");
    return notify(db, f->recipient_id, kind, text, "#/feedback?tab=received", key, f->created_at);
}

static enum err insert_audited(struct db *db, const struct actor *actor, struct feedback *f)
{
    enum err rc = store_feedback_insert(db, f);

    if (rc == ERR_OK)
        rc = tell(db, f, f->request_id ? "feedback_answered" : "feedback_received");

    if (rc == ERR_OK) {
        /* the audit keeps who, to whom and how visible: not the words */
        json_t *after = json_pack("{s:I, s:s, s:s}", "recipient_id", (json_int_t)f->recipient_id,
                                  "kind", f->kind, "visibility", f->visibility);

        rc = audit_record(db, actor->person_id, "feedback.give", "feedback", f->id, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_OK && strcmp(f->visibility, "public") == 0) {
        /* only public feedback is an event: who gave it to whom, never the words */
        char from[200], to[200];
        json_t *data;

        store_notify_name(db, f->author_id, from, sizeof(from));
        store_notify_name(db, f->recipient_id, to, sizeof(to));
        data = json_pack("{s:{s:I, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:s?, s:s, s:s}}", "feedback",
                         "id", (json_int_t)f->id, "kind", f->kind, "from", "id",
                         (json_int_t)f->author_id, "name", from, "to", "id",
                         (json_int_t)f->recipient_id, "name", to, "company_value", f->company_value,
                         "created_at", f->created_at, "link", "#/feedback");
        rc = data ? webhooks_emit(db, "feedback.given", data) : ERR_INTERNAL;
        json_decref(data);
    }
    return rc;
}

void feedback_check_value(struct db *db, const struct feedback *f, struct errinfo *ei)
{
    struct arena *a;

    if (!f->company_value)
        return;
    a = arena_new();
    if (!settings_value_allowed(db, a, f->company_value))
        err_field(ei, "company_value", "is not one of the company's values");
    arena_free(a);
}

enum err feedback_give(struct db *db, const struct actor *actor, struct feedback *f,
                       struct errinfo *ei)
{
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    f->author_id = actor->person_id;
    f->created_at = now;
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = db_end(db, insert_audited(db, actor, f));
    f->created_at = NULL;
    return rc ? err_set(ei, rc, "cannot store the feedback") : ERR_OK;
}

enum err feedback_request(struct db *db, const struct actor *actor, struct feedback_request *q,
                          size_t n, struct errinfo *ei)
{
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        q[i].requester_id = actor->person_id;
        q[i].created_at = now;
        rc = store_feedback_requests_insert(db, &q[i]);
        if (rc == ERR_OK) {
            json_t *after = json_pack("{s:I}", "asked_id", (json_int_t)q[i].asked_id);

            rc = audit_record(db, actor->person_id, "feedback_request.create", "feedback_request",
                              q[i].id, NULL, after);
            json_decref(after);
        }
        if (rc == ERR_OK) {
            char key[64], name[200], text[600];

            store_notify_name(db, actor->person_id, name, sizeof(name));
            snprintf(key, sizeof(key), "feedback-request:%lld", (long long)q[i].id);
            snprintf(text, sizeof(text), "%s asks you for feedback%s%.300s%s", name,
                     q[i].topic && *q[i].topic ? " on “" : ".", q[i].topic ? q[i].topic : "",
                     q[i].topic && *q[i].topic ? "”." : "");
            rc = notify(db, q[i].asked_id, "feedback_request", text, "#/feedback?tab=requests", key,
                        now);
        }
        q[i].created_at = NULL;
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the requests") : ERR_OK;
}

enum err feedback_answer(struct db *db, const struct actor *actor, const struct feedback_request *q,
                         struct feedback *f, struct errinfo *ei)
{
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    f->author_id = actor->person_id;
    f->recipient_id = q->requester_id;
    f->request_id = q->id;
    f->created_at = now;
    rc = db_begin(db);
    if (rc == ERR_OK) {
        enum err w = insert_audited(db, actor, f);

        if (w == ERR_OK)
            w = store_feedback_requests_close(db, q->id, "answered", f->id, NULL, now);
        rc = db_end(db, w);
    }
    f->created_at = NULL;
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this request is already answered or declined");
    return rc ? err_set(ei, rc, "cannot store the answer") : ERR_OK;
}

enum err feedback_decline(struct db *db, const struct actor *actor,
                          const struct feedback_request *q, const char *reason, struct errinfo *ei)
{
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK) {
        enum err w = store_feedback_requests_close(db, q->id, "declined", 0, reason, now);
        /* the status only: the reason is for the person who asked */
        json_t *before = json_pack("{s:s}", "status", "pending"),
               *after = json_pack("{s:s}", "status", "declined");

        if (w == ERR_OK)
            w = audit_record(db, actor->person_id, "feedback_request.decline", "feedback_request",
                             q->id, before, after);
        json_decref(before);
        json_decref(after);
        rc = db_end(db, w);
    }
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this request is already answered or declined");
    return rc ? err_set(ei, rc, "cannot decline") : ERR_OK;
}
