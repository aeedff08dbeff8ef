/* SPDX-License-Identifier: MIT */
/* See reviews.h. */
#include "domain/reviews.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/people.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

json_t *reviews_check_template(const char *kind, json_t *questions, struct errinfo *ei)
{
    json_t *out = json_array(), *q;
    size_t i;

    if (!is(kind, "self") && !is(kind, "manager") && !is(kind, "peer") && !is(kind, "upward"))
        err_field(ei, "kind", "must be self, manager, peer or upward");
    if (!json_is_array(questions) || json_array_size(questions) == 0 ||
        json_array_size(questions) > 50) {
        err_field(ei, "questions", "must be 1 to 50 questions");
        json_decref(out);
        return NULL;
    }
    json_array_foreach(questions, i, q)
    {
        const char *id = json_string_value(json_object_get(q, "id"));
        const char *type = json_string_value(json_object_get(q, "type"));
        const char *text = json_string_value(json_object_get(q, "text"));
        json_t *scale = json_object_get(q, "scale"), *req = json_object_get(q, "required");
        char f[40];

        snprintf(f, sizeof(f), "questions[%zu]", i);
        if (!json_is_object(q) || !id || !*id || strlen(id) > 40 || !text || !*text ||
            strlen(text) > 1000 || (!is(type, "rating") && !is(type, "text")) ||
            (scale && (!json_is_integer(scale) || json_integer_value(scale) < 2 ||
                       json_integer_value(scale) > 10)) ||
            (req && !json_is_boolean(req))) {
            err_field(ei, f,
                      "needs id, text, type rating or text, scale 2-10 for ratings, required "
                      "true or false");
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (is(json_string_value(json_object_get(json_array_get(questions, k), "id")), id))
                err_field(ei, f, "repeats the id %s", id);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:I, s:b}", "id", id, "type", type,
                                             "text", text, "scale",
                                             (json_int_t)(scale ? json_integer_value(scale) : 5),
                                             "required", req ? json_is_true(req) : 1));
    }
    if (ei->nfields) {
        json_decref(out);
        return NULL;
    }
    return out;
}

void reviews_check_answers(json_t *questions, json_t *answers, bool final, struct errinfo *ei)
{
    const char *key;
    json_t *v, *q;
    size_t i;

    json_object_foreach(answers, key, v)
    {
        json_t *found = NULL;

        json_array_foreach(questions, i,
                           q) if (is(json_string_value(json_object_get(q, "id")), key)) found = q;
        if (!found) {
            err_field(ei, "answers", "no question has the id %.40s", key);
            continue;
        }
        if (json_is_null(v))
            continue;
        if (is(json_string_value(json_object_get(found, "type")), "rating")) {
            json_int_t scale = json_integer_value(json_object_get(found, "scale"));

            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > scale)
                err_field(ei, "answers", "%.40s: a whole number from 1 to %lld", key,
                          (long long)scale);
        } else if (!json_is_string(v) || json_string_length(v) > 10000) {
            err_field(ei, "answers", "%.40s: text of at most 10000 bytes", key);
        }
    }
    if (!final)
        return;
    json_array_foreach(questions, i, q)
    {
        const char *id = json_string_value(json_object_get(q, "id"));
        json_t *a = json_object_get(answers, id);

        if (json_is_true(json_object_get(q, "required")) &&
            (!a || json_is_null(a) || (json_is_string(a) && json_string_length(a) == 0)))
            err_field(ei, "answers", "%.40s is required before submitting", id);
    }
}

/* Assigns one review. */
static enum err assign(struct db *db, const struct review_cycle *c, int64_t reviewee,
                       int64_t reviewer, const char *kind, int64_t tpl, const char *now,
                       int64_t *count)
{
    struct review r = {0};

    if (!tpl)
        return ERR_OK;
    r.cycle_id = c->id;
    r.reviewee_id = reviewee;
    r.reviewer_id = reviewer;
    r.kind = kind;
    r.template_id = tpl;
    r.updated_at = now;
    (*count)++;
    return store_reviews_insert(db, &r);
}

enum err reviews_launch(struct db *db, struct arena *a, const struct actor *actor,
                        const struct review_cycle *c, int64_t *assignments, struct errinfo *ei)
{
    struct participant *p;
    size_t n;
    char now[21];
    int64_t *asked;
    enum err rc;

    *assignments = 0;
    if (!is(c->status, "draft"))
        return err_set(ei, ERR_CONFLICT, "the cycle was already launched");
    rc = store_cycles_participants(db, a, c, &p, &n);
    if (rc)
        return err_set(ei, rc, "cannot read participants");
    if (n == 0) {
        err_field(ei, "participants", "nobody matches this cycle's participants");
        return err_fields_result(ei);
    }
    time_rfc3339(time_now(), now);
    asked = xcalloc(n, sizeof(*asked)); /* peer requests per person (by index) */
    rc = db_begin(db);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct review_outcome o = {0};
        int64_t peers = 0;

        o.cycle_id = c->id;
        o.person_id = p[i].id;
        rc = store_outcomes_insert(db, &o);
        if (rc == ERR_OK)
            rc = assign(db, c, p[i].id, p[i].id, "self", c->self_template_id, now, assignments);
        if (rc == ERR_OK && p[i].manager_id)
            rc = assign(db, c, p[i].id, p[i].manager_id, "manager", c->manager_template_id, now,
                        assignments);
        /* peers: teammates (same manager), each asked at most peers_per_person times */
        for (size_t k = 1; rc == ERR_OK && k < n && peers < c->peers_per_person; k++) {
            size_t j = (i + k) % n;

            if (!p[i].manager_id || p[j].manager_id != p[i].manager_id ||
                asked[j] >= c->peers_per_person)
                continue;
            rc = assign(db, c, p[i].id, p[j].id, "peer", c->peer_template_id, now, assignments);
            asked[j]++;
            peers++;
        }
    }
    if (rc == ERR_OK)
        rc = store_cycles_set_status(db, c->id, "active", now, NULL);
    if (rc == ERR_OK) {
        json_t *after = json_pack("{s:I, s:I}", "participants", (json_int_t)n, "assignments",
                                  (json_int_t)*assignments);

        rc = audit_record(db, actor->person_id, "review_cycle.launch", "review_cycle", c->id, NULL,
                          after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    free(asked);
    return rc ? err_set(ei, rc, "cannot launch the cycle") : ERR_OK;
}

enum err reviews_save(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review *r, json_t *answers, bool submit, struct errinfo *ei)
{
    char now[21];
    char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_reviews_save(db, r->id, text, submit ? "submitted" : "draft",
                                submit ? now : NULL, now);
    if (rc == ERR_OK && submit && is(r->kind, "manager")) {
        struct review_outcome o;
        json_t *overall = json_object_get(answers, "overall"),
               *summary = json_object_get(answers, "summary");

        rc = store_outcomes_find(db, a, r->cycle_id, r->reviewee_id, &o);
        if (rc == ERR_OK) {
            o.has_rating = json_is_integer(overall);
            o.rating = o.has_rating ? (double)json_integer_value(overall) : 0;
            o.manager_summary = json_string_value(summary);
            rc = store_outcomes_update(db, &o);
        }
    }
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, submit ? "review.submit" : "review.save", "review",
                          r->id, NULL, NULL);
    rc = db_end(db, rc);
    free(text);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this review is submitted and locked");
    return rc ? err_set(ei, rc, "cannot save the review") : ERR_OK;
}

/* A sort key for a comment unrelated to its author: a keyed hash of its text. */
static int by_hash(const void *x, const void *y)
{
    const unsigned char *a = *(unsigned char *const *)x, *b = *(unsigned char *const *)y;

    return memcmp(a, b, 16);
}

json_t *reviews_peer_summary(struct db *db, struct arena *a, const struct review_cycle *c,
                             int64_t person, bool with_names)
{
    struct review *v;
    size_t n, m = 0;
    struct review_template t;
    json_t *questions = NULL, *out, *qs = json_array(), *names = json_array(), *q, **ans;
    size_t i;

    if (store_reviews_about(db, a, c->id, person, "peer", &v, &n) != ERR_OK ||
        !c->peer_template_id || store_templates_get(db, a, c->peer_template_id, &t) != ERR_OK)
        n = 0;
    ans = arena_zalloc(a, (n + 1) * sizeof(json_t *));
    for (size_t k = 0; k < n; k++) {
        if (!is(v[k].status, "submitted"))
            continue;
        ans[m] = json_loads(v[k].answers, 0, NULL);
        if (ans[m]) {
            if (with_names)
                json_array_append_new(names,
                                      json_pack("{s:I, s:s}", "id", (json_int_t)v[k].reviewer_id,
                                                "name", v[k].reviewer_name));
            m++;
        }
    }
    /* API.md: below the threshold the reviewee learns only that there were too few */
    if (n && (int64_t)m >= c->threshold)
        questions = json_loads(t.questions, 0, NULL);
    json_array_foreach(questions, i, q)
    {
        const char *id = json_string_value(json_object_get(q, "id"));
        bool rating = is(json_string_value(json_object_get(q, "type")), "rating");
        double sum = 0;
        int count = 0;
        unsigned char **keys = arena_zalloc(a, (m + 1) * sizeof(*keys));
        size_t nc = 0;
        json_t *comments = json_array();

        for (size_t k = 0; k < m; k++) {
            json_t *x = json_object_get(ans[k], id);

            if (rating && json_is_integer(x)) {
                sum += (double)json_integer_value(x);
                count++;
            } else if (!rating && json_is_string(x) && json_string_length(x)) {
                /* 16 bytes of hash, then the text: sorting by hash scrambles author order */
                size_t len = json_string_length(x);
                unsigned char *kbuf = arena_alloc(a, 16 + len + 1);

                crypto_generichash(kbuf, 16, (const unsigned char *)json_string_value(x), len, NULL,
                                   0);
                memcpy(kbuf + 16, json_string_value(x), len + 1);
                keys[nc++] = kbuf;
            }
        }
        qsort(keys, nc, sizeof(*keys), by_hash);
        for (size_t k = 0; k < nc; k++)
            json_array_append_new(comments, json_string((const char *)keys[k] + 16));
        json_array_append_new(qs, json_pack("{s:s, s:o, s:o}", "question_id", id, "average",
                                            rating && count ? json_real(sum / count) : json_null(),
                                            "comments", comments));
    }
    out = json_pack("{s:I, s:b, s:o}", "responses", (json_int_t)m, "below_threshold",
                    (int64_t)m < c->threshold, "questions", qs);
    if (with_names)
        json_object_set_new(out, "respondents", names);
    else
        json_decref(names);
    json_decref(questions);
    for (size_t k = 0; k < m; k++)
        json_decref(ans[k]);
    return out;
}
