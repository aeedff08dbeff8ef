/* SPDX-License-Identifier: MIT */
/* See reviews.h. */
#include "domain/reviews.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/cycle_setup.h"
#include "domain/notify.h"
#include "domain/people.h"
#include "store/analytics.h"
#include "store/notify.h"
#include "store/people.h"
#include "util/log.h"
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
            strlen(text) > 1000 ||
            (!is(type, "rating") && !is(type, "text") && !is(type, "competency") &&
             !is(type, "goals")) ||
            (scale && (!json_is_integer(scale) || json_integer_value(scale) < 2 ||
                       json_integer_value(scale) > 10)) ||
            (req && !json_is_boolean(req))) {
            /* the first problem, in words */
            err_field(ei, f, "%s",
                      !json_is_object(q)    ? "must be a question object"
                      : !text || !*text     ? "needs the text of the question"
                      : strlen(text) > 1000 ? "is too long (at most 1000 characters)"
                      : !id || !*id         ? "needs an answer key"
                      : strlen(id) > 40     ? "has an answer key longer than 40 characters"
                      : (!is(type, "rating") && !is(type, "text") && !is(type, "competency") &&
                         !is(type, "goals"))
                          ? "needs a kind of answer: rating, competency, text or goals"
                      : (req && !json_is_boolean(req)) ? "required: true or false"
                                                       : "needs a scale of 2 to 10 points");
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (is(json_string_value(json_object_get(json_array_get(questions, k), "id")), id))
                err_field(ei, f, "repeats the id %s", id);
        {
            json_int_t sc = scale ? json_integer_value(scale) : 5;
            json_t *labels = json_object_get(q, "labels"), *l, *item;
            json_t *comp = json_object_get(q, "competency");
            json_t *mo = json_object_get(q, "manager_only");
            size_t k;
            /* the potential axis, and any private manager note, never reach the reviewee */
            bool manager_only = is(kind, "manager") && (is(id, "potential") || json_is_true(mo));
            /* a goals section shows the reviewee's goals of the period; it takes no answer */
            bool answered = !is(type, "goals");

            if (labels && (!json_is_array(labels) || (json_int_t)json_array_size(labels) != sc))
                err_field(ei, f, "needs one label per point of the scale (%lld), or none",
                          (long long)sc);
            json_array_foreach(labels, k, l) if (!json_is_string(l) || json_string_length(l) == 0 ||
                                                 json_string_length(l) > 100)
                err_field(ei, f, "has a label that is empty or longer than 100 characters");
            if (mo && !json_is_boolean(mo))
                err_field(ei, f, "manager_only: true or false");
            else if (json_is_true(mo) && !is(kind, "manager"))
                err_field(ei, f,
                          "manager_only: only a manager review keeps answers from the "
                          "person reviewed");
            {
                json_t *w = json_object_get(q, "weight");

                if (w && !json_is_null(w) &&
                    (!json_is_number(w) || json_number_value(w) < 0 || json_number_value(w) > 100 ||
                     (!is(type, "rating") && !is(type, "competency"))))
                    err_field(ei, f,
                              "has a weight that is not 0 to 100, or on a question "
                              "without a rating");
            }
            if (is(type, "competency") && (!json_is_string(comp) || !json_string_length(comp)))
                err_field(ei, f, "needs a competency chosen from the career framework");
            item = json_pack("{s:s, s:s, s:s, s:I, s:b}", "id", id, "type", type, "text", text,
                             "scale", sc, "required", answered && (req ? json_is_true(req) : 1));
            if (json_is_array(labels))
                json_object_set(item, "labels", labels);
            if (json_is_string(comp))
                json_object_set(item, "competency", comp);
            if (json_is_number(json_object_get(q, "weight")) &&
                json_number_value(json_object_get(q, "weight")) > 0)
                json_object_set(item, "weight", json_object_get(q, "weight"));
            if (manager_only)
                json_object_set_new(item, "manager_only", json_true());
            json_array_append_new(out, item);
        }
    }
    if (ei->nfields) {
        json_decref(out);
        return NULL;
    }
    return out;
}

bool reviews_question_manager_only(const json_t *q)
{
    return json_is_true(json_object_get(q, "manager_only")) ||
           is(json_string_value(json_object_get(q, "id")), "potential");
}

void reviews_strip_manager_only(json_t *questions, json_t *answers)
{
    for (size_t i = json_array_size(questions); i-- > 0;) {
        json_t *q = json_array_get(questions, i);

        if (!reviews_question_manager_only(q))
            continue;
        json_object_del(answers, json_string_value(json_object_get(q, "id")));
        json_array_remove(questions, i);
    }
    json_object_del(answers, "potential"); /* whatever the template said */
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
        if (is(json_string_value(json_object_get(found, "type")), "goals")) {
            err_field(ei, "answers", "%.40s lists goals and takes no answer", key);
            continue;
        }
        if (is(json_string_value(json_object_get(found, "type")), "rating") ||
            is(json_string_value(json_object_get(found, "type")), "competency")) {
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

/* Assigns one review. told, when not NULL, says whether the reviewer was already told of this
 * cycle's reviews by this launch: the notice is sent once (the database's dedupe key would drop
 * the others, at the cost of a statement each). */
static enum err assign(struct db *db, const struct review_cycle *c, int64_t reviewee,
                       int64_t reviewer, const char *kind, int64_t tpl, const char *now,
                       struct launch_tally *count, bool *told)
{
    struct review r = {0};
    enum err rc;

    if (!tpl)
        return ERR_OK;
    count->by_kind[is(kind, "self") ? 0 : is(kind, "manager") ? 1 : is(kind, "peer") ? 2 : 3]++;
    r.cycle_id = c->id;
    r.reviewee_id = reviewee;
    r.reviewer_id = reviewer;
    r.kind = kind;
    r.template_id = tpl;
    r.updated_at = now;
    count->total++;
    if (count->count_only)
        return ERR_OK;
    rc = store_reviews_insert(db, &r);
    if (rc == ERR_OK && !(told && *told)) {
        /* one notice per writer and cycle, however many reviews the cycle gives them */
        char key[64], text[300];

        snprintf(key, sizeof(key), "review-assigned:%lld:%lld", (long long)c->id,
                 (long long)reviewer);
        snprintf(text, sizeof(text), "You have reviews to write in %s.", c->name);
        rc = notify(db, reviewer, "review_assigned", text, "#/reviews", key, now);
        if (told)
            *told = true;
    }
    return rc;
}

static int by_id(const void *x, const void *y)
{
    int64_t a = ((const struct participant *)x)->id, b = ((const struct participant *)y)->id;

    return (a > b) - (a < b);
}

/* The index of id in p (sorted by id), or n when id does not take part. */
static size_t index_of(const struct participant *p, size_t n, int64_t id)
{
    struct participant key = {.id = id};
    const struct participant *f = id ? bsearch(&key, p, n, sizeof(*p), by_id) : NULL;

    return f ? (size_t)(f - p) : n;
}

size_t reviews_max_requests(const struct review_cycle *c)
{
    return (size_t)(c->max_requests_per_peer ? c->max_requests_per_peer : c->peers_per_person);
}

/* Participants grouped by manager, so finding teammates is linear in the team, not the
 * company: order[] holds indices sorted by (manager, id), pos[i] is i's place in order, and
 * first[i]/size[i] its team's range. */
struct teams {
    size_t *order, *pos, *first, *size;
};

static const struct participant *sort_base; /* qsort has no context: guarded by teams_lock */
static pthread_mutex_t teams_lock = PTHREAD_MUTEX_INITIALIZER;

static int by_manager(const void *x, const void *y)
{
    const struct participant *a = &sort_base[*(const size_t *)x],
                             *b = &sort_base[*(const size_t *)y];

    if (a->manager_id != b->manager_id)
        return (a->manager_id > b->manager_id) - (a->manager_id < b->manager_id);
    return (a->id > b->id) - (a->id < b->id);
}

static void teams_build(struct arena *a, const struct participant *p, size_t n, struct teams *t)
{
    t->order = arena_alloc(a, (n + 1) * sizeof(size_t));
    t->pos = arena_alloc(a, (n + 1) * sizeof(size_t));
    t->first = arena_alloc(a, (n + 1) * sizeof(size_t));
    t->size = arena_alloc(a, (n + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        t->order[i] = i;
    pthread_mutex_lock(&teams_lock);
    sort_base = p;
    qsort(t->order, n, sizeof(size_t), by_manager);
    pthread_mutex_unlock(&teams_lock);
    for (size_t k = 0; k < n;) {
        size_t end = k;

        while (end < n && p[t->order[end]].manager_id == p[t->order[k]].manager_id)
            end++;
        for (size_t m = k; m < end; m++) {
            t->pos[t->order[m]] = m;
            t->first[t->order[m]] = k;
            t->size[t->order[m]] = end - k;
        }
        k = end;
    }
}

/* Creates the outcome and the assignments of participant i of p (sorted by id): self, manager,
 * upward (to a manager who takes part), and teammates as peers unless peers are nominated.
 * asked[] counts peer requests and told[] marks the reviewers told, per participant index. */
static enum err enrol(struct db *db, const struct review_cycle *c, struct participant *p, size_t n,
                      const struct teams *t, size_t i, int64_t *asked, bool *told, const char *now,
                      struct launch_tally *count)
{
    struct review_outcome o = {.cycle_id = c->id, .person_id = p[i].id};
    size_t limit = reviews_max_requests(c), boss = index_of(p, n, p[i].manager_id);
    int64_t peers = 0;
    enum err rc = count->count_only ? ERR_OK : store_outcomes_insert(db, &o);

    if (rc == ERR_OK)
        rc = assign(db, c, p[i].id, p[i].id, "self", c->self_template_id, now, count, &told[i]);
    if (rc == ERR_OK && p[i].manager_id)
        rc = assign(db, c, p[i].id, p[i].manager_id, "manager", c->manager_template_id, now, count,
                    boss < n ? &told[boss] : NULL);
    if (rc == ERR_OK && boss < n)
        rc = assign(db, c, p[i].manager_id, p[i].id, "upward", c->upward_template_id, now, count,
                    &told[i]);
    if (is(c->peer_selection, "nominated") || !c->peer_template_id)
        return rc;
    /* peers: teammates (same manager), each asked at most max_requests_per_peer times */
    for (size_t k = 1;
         rc == ERR_OK && p[i].manager_id && k < t->size[i] && peers < c->peers_per_person; k++) {
        size_t j = t->order[t->first[i] + (t->pos[i] - t->first[i] + k) % t->size[i]];

        if ((size_t)asked[j] >= limit)
            continue;
        rc = assign(db, c, p[i].id, p[j].id, "peer", c->peer_template_id, now, count, &told[j]);
        asked[j]++;
        peers++;
    }
    return rc;
}

static _Atomic int64_t launch_batch = LAUNCH_BATCH_DEFAULT;

void reviews_configure_launch(int64_t participants_per_transaction)
{
    launch_batch =
        participants_per_transaction > 0 ? participants_per_transaction : LAUNCH_BATCH_DEFAULT;
}

/* Enrols the participants p (sorted by id) whole teams at a time, launch_batch participants or
 * so per transaction, skipping those an earlier run enrolled (a team partly enrolled counts its
 * teammates' peer requests from the database, as sync does). A team's members are enrolled in
 * id order, as a launch in one transaction does: peers are teammates, so the requests are the
 * same. Each range first checks that the cycle is still launching (another run may have
 * finished it) and stamps launch_touched_at. */
static enum err launch_ranges(struct db *db, struct arena *a, const struct review_cycle *c,
                              struct participant *p, size_t n, bool fresh,
                              struct launch_tally *tally)
{
    struct teams t;
    int64_t *asked = xcalloc(n + 1, sizeof(*asked));
    bool *told = xcalloc(n + 1, sizeof(*told));
    bool *done = xcalloc(n + 1, sizeof(*done));
    int64_t batch = launch_batch;
    enum err rc = ERR_OK;
    char now[21];

    teams_build(a, p, n, &t);
    for (size_t k = 0; rc == ERR_OK && k < n;) {
        struct review_cycle cur;
        size_t end = k;

        /* whole teams, until the range holds batch participants */
        while (end < n && (int64_t)(end - k) < batch)
            end += t.size[t.order[end]];
        time_rfc3339(time_now(), now);
        rc = db_begin(db);
        if (rc == ERR_OK)
            rc = store_cycles_get(db, a, c->id, &cur);
        if (rc == ERR_OK && !cur.launching) {
            db_rollback(db); /* finished by another run meanwhile */
            break;
        }
        for (size_t m0 = k; rc == ERR_OK && m0 < end; m0 += t.size[t.order[m0]]) {
            size_t size = t.size[t.order[m0]], enrolled = 0;

            /* a resumed launch: who of the team an earlier run enrolled (a range holds whole
             * teams, so all or none unless the participants changed meanwhile) */
            for (size_t m = m0; !fresh && rc == ERR_OK && m < m0 + size; m++) {
                struct review_outcome o;
                enum err found = store_outcomes_find(db, a, c->id, p[t.order[m]].id, &o);

                done[t.order[m]] = found == ERR_OK;
                enrolled += done[t.order[m]];
                rc = found == ERR_NOT_FOUND ? ERR_OK : found;
            }
            for (size_t m = m0; enrolled && enrolled < size && rc == ERR_OK && m < m0 + size; m++)
                if (p[t.order[m]].manager_id)
                    rc =
                        store_reviews_peer_load(db, c->id, p[t.order[m]].id, 0, &asked[t.order[m]]);
            for (size_t m = m0; enrolled < size && rc == ERR_OK && m < m0 + size; m++)
                if (!done[t.order[m]])
                    rc = enrol(db, c, p, n, &t, t.order[m], asked, told, now, tally);
        }
        if (rc == ERR_OK)
            rc = store_cycles_set_launching(db, c->id, true, 0, now);
        rc = db_end(db, rc);
        k = end;
    }
    free(done);
    free(told);
    free(asked);
    return rc;
}

/* The end of a launch in ranges: the cycle is whole, and the audit log says what it holds. A
 * fresh run wrote every review itself and knows its counts; a resumed one counts the cycle's
 * (at 1,000,000 people a count of five million reviews, held inside the write lock). */
static enum err launch_finish(struct db *db, const struct actor *actor,
                              const struct review_cycle *c, bool fresh, struct launch_tally *tally)
{
    int64_t enrolled = tally->participants, assignments = tally->total;
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK && !fresh)
        rc = store_cycles_launch_counts(db, c->id, &enrolled, &assignments);
    if (rc == ERR_OK)
        rc = store_cycles_set_launching(db, c->id, false, 0, now);
    if (rc == ERR_OK) {
        json_t *after = json_pack("{s:I, s:I}", "participants", (json_int_t)enrolled, "assignments",
                                  (json_int_t)assignments);

        rc = audit_record(db, actor ? actor->person_id : 0, "review_cycle.launch_finished",
                          "review_cycle", c->id, NULL, after);
        json_decref(after);
    }
    tally->participants = enrolled;
    tally->total = assignments;
    return db_end(db, rc);
}

/* Launch, or with dry the same count without writing: the counts are those a launch creates.
 * Up to launch_batch participants in one transaction; a larger launch claims the cycle and
 * marks it launching in one, enrols in ranges, then finishes. */
static enum err launch_tx(struct db *db, struct arena *a, const struct actor *actor,
                          const struct review_cycle *c, bool dry, struct launch_tally *tally,
                          struct errinfo *ei)
{
    struct participant *p;
    struct teams t;
    size_t n;
    char now[21];
    int64_t *asked;
    bool *told;
    bool ranges;
    enum err rc;

    memset(tally, 0, sizeof(*tally));
    tally->count_only = dry;
    if (!is(c->status, "draft"))
        return err_set(ei, ERR_CONFLICT, "the cycle was already launched");
    time_rfc3339(time_now(), now);
    /* a dry run writes nothing: a read transaction, however large the company */
    rc = dry ? db_begin_read(db) : db_begin(db);
    /* the cycle is claimed first, inside the transaction: of two launches at once one wins and
     * the other is told, never two sets of reviews */
    if (rc == ERR_OK && !dry && store_cycles_claim_launch(db, c->id, now) != ERR_OK) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT, "the cycle was already launched");
    }
    if (rc == ERR_OK)
        rc = cycle_participants(db, a, c, &p, &n);
    if (rc) {
        db_end(db, rc);
        return err_set(ei, rc, "cannot read participants");
    }
    if (n == 0) {
        db_rollback(db);
        err_field(ei, "participants", "nobody matches this cycle's participants");
        return err_fields_result(ei);
    }
    tally->participants = (int64_t)n;
    ranges = !dry && (int64_t)n > launch_batch;
    if (ranges) {
        /* the claim, marked launching, commits on its own; the reviews follow in ranges */
        json_t *after = json_pack("{s:I, s:b}", "participants", (json_int_t)n, "in_ranges", 1);

        rc = store_cycles_set_launching(db, c->id, true, (int64_t)n, now);
        if (rc == ERR_OK)
            rc = audit_record(db, actor->person_id, "review_cycle.launch", "review_cycle", c->id,
                              NULL, after);
        json_decref(after);
        rc = db_end(db, rc);
        if (rc == ERR_OK)
            rc = launch_ranges(db, a, c, p, n, true, tally);
        if (rc == ERR_OK)
            rc = launch_finish(db, actor, c, true, tally);
        if (rc)
            log_warn("launch of cycle %lld stopped after %lld reviews: %s; the scheduler finishes "
                     "it",
                     (long long)c->id, (long long)tally->total, db_errmsg(db));
        return rc ? err_set(ei, rc, "the launch stopped part-way; it will be finished shortly")
                  : ERR_OK;
    }
    asked = xcalloc(n, sizeof(*asked)); /* peer requests per person (by index) */
    told = xcalloc(n, sizeof(*told));
    teams_build(a, p, n, &t);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        rc = enrol(db, c, p, n, &t, i, asked, told, now, tally);
    free(told);
    free(asked);
    if (dry) {
        db_rollback(db);
        return rc ? err_set(ei, rc, "cannot count the reviews") : ERR_OK;
    }
    if (rc == ERR_OK) {
        json_t *after = json_pack("{s:I, s:I}", "participants", (json_int_t)n, "assignments",
                                  (json_int_t)tally->total);

        rc = audit_record(db, actor->person_id, "review_cycle.launch", "review_cycle", c->id, NULL,
                          after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot launch the cycle") : ERR_OK;
}

/* A launch writes several rows per participant: with the default page cache SQLite would spill
 * its pages to the WAL and read them back for every row. */
static enum err launch(struct db *db, struct arena *a, const struct actor *actor,
                       const struct review_cycle *c, bool dry, struct launch_tally *tally,
                       struct errinfo *ei)
{
    enum err rc;

    (void)db_bulk(db, true);
    rc = launch_tx(db, a, actor, c, dry, tally, ei);
    (void)db_bulk(db, false);
    return rc;
}

enum err reviews_launch(struct db *db, struct arena *a, const struct actor *actor,
                        const struct review_cycle *c, int64_t *assignments, struct errinfo *ei)
{
    struct launch_tally tally;
    enum err rc;

    if (c->launching)
        return reviews_launch_resume(db, a, actor, c, assignments, ei);
    rc = launch(db, a, actor, c, false, &tally, ei);
    *assignments = tally.total;
    return rc;
}

/* Seconds without a range after which a launch counts as stopped (its server went away). */
#define LAUNCH_STALLED_S 120

enum err reviews_launch_resume(struct db *db, struct arena *a, const struct actor *actor,
                               const struct review_cycle *c, int64_t *assignments,
                               struct errinfo *ei)
{
    struct launch_tally tally = {0};
    struct participant *p = NULL;
    char stalled[21], now[21];
    size_t n = 0;
    enum err rc;

    *assignments = 0;
    if (!c->launching)
        return err_set(ei, ERR_CONFLICT, "the cycle was already launched");
    /* taken over inside the transaction that reads who takes part: of two runs that would finish
     * it (the scheduler, HR) one does, and never one that is still writing (the timestamps are
     * all written alike, RFC 3339 in UTC: their order is the text's) */
    time_rfc3339(time_now() - LAUNCH_STALLED_S, stalled);
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK && store_cycles_claim_resume(db, c->id, stalled, now) != ERR_OK) {
        db_rollback(db);
        return err_set(ei, ERR_CONFLICT,
                       "the cycle is being launched; its reviews are still being written");
    }
    /* the participants as they are now: those enrolled already are skipped */
    if (rc == ERR_OK)
        rc = cycle_participants(db, a, c, &p, &n);
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot read participants");
    log_info("launch of cycle %lld: finishing it (%zu participants)", (long long)c->id, n);
    (void)db_bulk(db, true);
    rc = launch_ranges(db, a, c, p, n, false, &tally);
    if (rc == ERR_OK)
        rc = launch_finish(db, actor, c, false, &tally);
    (void)db_bulk(db, false);
    *assignments = tally.total;
    return rc ? err_set(ei, rc, "the launch stopped part-way; it will be finished shortly")
              : ERR_OK;
}

enum err reviews_launch_resume_stalled(struct db *db)
{
    struct arena *a = arena_new();
    struct errinfo ei = {0};
    struct review_cycle *c;
    int64_t assignments;
    size_t n = 0;
    enum err rc = db_begin_read(db);

    if (rc == ERR_OK)
        rc = store_cycles_launching(db, a, &c, &n);
    db_end(db, rc);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = reviews_launch_resume(db, a, NULL, &c[i], &assignments, &ei);
        if (rc == ERR_CONFLICT)
            rc = ERR_OK; /* still going, or finished meanwhile */
    }
    arena_free(a);
    return rc;
}

enum err reviews_launch_dry_run(struct db *db, struct arena *a, const struct review_cycle *c,
                                struct launch_tally *tally, struct errinfo *ei)
{
    return launch(db, a, NULL, c, true, tally, ei);
}

/* Sync, in one transaction: people who now match and are not in the cycle join it (outcome,
 * self, manager and upward reviews; peers by nomination or among teammates with capacity);
 * people who left (no longer active) are withdrawn and the unsubmitted reviews they write or
 * receive are cancelled; a manager review not yet submitted follows a change of manager. */
enum err reviews_sync(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review_cycle *c, struct sync_result *res, struct errinfo *ei)
{
    struct participant *now_in, *members;
    struct cycle_scope scope;
    struct launch_tally tally = {0};
    struct teams t;
    size_t n_in, n_mem;
    char now[21];
    enum err rc;

    memset(res, 0, sizeof(*res));
    if (!is(c->status, "active"))
        return err_set(ei, ERR_CONFLICT, "only an active cycle follows joiners and leavers");
    if (c->launching)
        return err_set(ei, ERR_CONFLICT,
                       "the cycle is still being launched; joiners and leavers follow once it is");
    /* who takes part now and who did is read inside the transaction that acts on it */
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = cycle_participants(db, a, c, &now_in, &n_in);
    if (rc == ERR_OK)
        rc = store_cycles_members(db, a, c->id, &members, &n_mem);
    if (rc == ERR_OK)
        rc = store_scope_get(db, a, c->id, &scope);
    if (rc) {
        db_end(db, rc);
        return err_set(ei, rc, "cannot read participants");
    }
    time_rfc3339(time_now(), now);
    teams_build(a, now_in, n_in, &t);
    for (size_t i = 0; rc == ERR_OK && i < n_mem; i++) {
        struct review_outcome o;
        struct review *mv;
        size_t nm;

        if (members[i].withdrawn)
            continue;
        /* a leaver: no longer active, or left out of the cycle by name */
        if (!members[i].active || cycle_scope_has(&scope, SCOPE_EXCLUDE, members[i].id)) {
            rc = store_outcomes_find(db, a, c->id, members[i].id, &o);
            if (rc == ERR_OK)
                rc = store_outcomes_withdraw(db, o.id, now);
            if (rc == ERR_OK)
                rc = store_reviews_cancel_person(db, c->id, members[i].id);
            res->left++;
            continue;
        }
        rc = store_reviews_about(db, a, c->id, members[i].id, "manager", &mv, &nm);
        for (size_t k = 0; rc == ERR_OK && k < nm; k++) {
            if (is(mv[k].status, "submitted") || mv[k].reviewer_id == members[i].manager_id)
                continue;
            rc = members[i].manager_id ? store_reviews_reassign(db, mv[k].id, members[i].manager_id)
                                       : store_reviews_cancel(db, mv[k].id);
            res->moved++;
        }
    }
    int64_t *asked = arena_zalloc(a, (n_in + 1) * sizeof(*asked));
    bool *told = arena_zalloc(a, (n_in + 1) * sizeof(*told));

    for (size_t i = 0; rc == ERR_OK && i < n_in; i++) {
        struct participant key = {.id = now_in[i].id};

        if (bsearch(&key, members, n_mem, sizeof(*members), by_id))
            continue;
        /* a joiner's teammates already carry their requests: count them (enrol reads only
         * the teammates' entries) */
        for (size_t m = t.first[i]; rc == ERR_OK && m < t.first[i] + t.size[i]; m++) {
            size_t j = t.order[m];

            asked[j] = 0;
            if (j != i && now_in[j].manager_id)
                rc = store_reviews_peer_load(db, c->id, now_in[j].id, 0, &asked[j]);
        }
        if (rc == ERR_OK)
            rc = enrol(db, c, now_in, n_in, &t, i, asked, told, now, &tally);
        res->assignments = tally.total;
        res->joined++;
    }
    if (rc == ERR_OK && (res->joined || res->left || res->moved)) {
        json_t *after = json_pack("{s:I, s:I, s:I, s:I}", "joined", (json_int_t)res->joined, "left",
                                  (json_int_t)res->left, "moved", (json_int_t)res->moved,
                                  "assignments", (json_int_t)res->assignments);

        rc = audit_record(db, actor->person_id, "review_cycle.sync", "review_cycle", c->id, NULL,
                          after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot update the cycle's participants") : ERR_OK;
}

const char *reviews_phase(const struct review_cycle *c, const char *today)
{
    const char *dues[] = {c->nomination_due, c->self_due, c->peer_due, c->manager_due,
                          c->calibration_due};
    const char *names[] = {"nomination", "self_assessment", "peer_feedback", "manager_review",
                           "calibration"};

    if (!is(c->status, "active"))
        return is(c->status, "released") ? "released" : "draft";
    for (size_t i = 0; i < 5; i++) {
        if (i == 0 && !is(c->peer_selection, "nominated"))
            continue;
        if (dues[i] && strcmp(today, dues[i]) <= 0)
            return names[i];
    }
    return "release";
}

enum err reviews_check_deadline(const struct review_cycle *c, const char *kind, struct errinfo *ei)
{
    char today[11];
    const char *due = is(kind, "self")                         ? c->self_due
                      : is(kind, "peer") || is(kind, "upward") ? c->peer_due
                      : is(kind, "manager")                    ? c->manager_due
                      : is(kind, "nomination")                 ? c->nomination_due
                      : is(kind, "calibration")                ? c->calibration_due
                                                               : NULL;

    time_date(time_now(), today);
    if (due && strcmp(today, due) > 0)
        return err_set(ei, ERR_CONFLICT, "the %s deadline (%s) has passed; HR can extend it", kind,
                       due);
    return ERR_OK;
}

/* What a nomination checks, inside its transaction: the cycle takes nominations, the number of
 * peers, each one an active person other than the reviewee and, for an approval, not asked up to
 * the cycle's limit already; the peers into peers. */
static enum err nominate_check(struct db *db, struct arena *a, const struct review_cycle *c,
                               int64_t reviewee, json_t *ids, bool approve, int64_t *peers,
                               struct errinfo *ei)
{
    size_t n = json_array_size(ids), i;
    size_t limit = reviews_max_requests(c);
    json_t *x;
    enum err rc;

    if (!is(c->status, "active") || !is(c->peer_selection, "nominated"))
        return err_set(ei, ERR_CONFLICT, "this cycle does not take peer nominations now");
    rc = reviews_check_deadline(c, "nomination", ei);
    if (rc)
        return rc;
    if (!json_is_array(ids) || n < (size_t)c->min_peers || n > (size_t)c->peers_per_person) {
        err_field(ei, "peer_ids", "name %lld to %lld coworkers", (long long)c->min_peers,
                  (long long)c->peers_per_person);
        return err_fields_result(ei);
    }
    json_array_foreach(ids, i, x)
    {
        struct person p;
        char f[40];
        int64_t load = 0;

        snprintf(f, sizeof(f), "peer_ids[%zu]", i);
        if (!json_is_integer(x) || json_integer_value(x) <= 0) {
            err_field(ei, f, "must be a person id");
            continue;
        }
        peers[i] = json_integer_value(x);
        for (size_t k = 0; k < i; k++)
            if (peers[k] == peers[i])
                err_field(ei, f, "names the same person twice");
        if (peers[i] == reviewee)
            err_field(ei, f, "nobody reviews themselves as a peer");
        else if ((rc = store_people_get(db, a, peers[i], &p)) == ERR_INTERNAL)
            return err_set(ei, rc, "cannot read people");
        else if (rc || !is(p.status, "active"))
            err_field(ei, f, "no active person in the organisation has this id");
        else if (approve && store_reviews_peer_load(db, c->id, peers[i], reviewee, &load) != ERR_OK)
            return err_set(ei, ERR_INTERNAL, "cannot count %s's peer reviews", p.name);
        else if (approve && (size_t)load >= limit)
            err_field(ei, f, "%s is already asked for %lld peer reviews in this cycle", p.name,
                      (long long)load);
    }
    return err_fields_result(ei);
}

enum err reviews_nominate(struct db *db, struct arena *a, const struct actor *actor,
                          const struct review_cycle *cycle, int64_t reviewee, json_t *ids,
                          bool approve, struct errinfo *ei)
{
    size_t n = json_array_size(ids), i;
    int64_t *peers = arena_zalloc(a, (n + 1) * sizeof(*peers));
    struct review_cycle locked;
    const struct review_cycle *c = &locked;
    struct review *existing;
    size_t ne;
    char now[21];
    enum err rc = db_begin(db);

    /* the cycle's row locked: two approvals in one cycle count a peer's requests one after the
     * other, so the limit holds */
    if (rc == ERR_OK && (rc = store_cycles_get_for_update(db, a, cycle->id, &locked)) != ERR_OK)
        err_set(ei, rc, "cannot read the cycle");
    if (rc == ERR_OK)
        rc = nominate_check(db, a, c, reviewee, ids, approve, peers, ei);
    if (rc == ERR_OK &&
        (rc = store_reviews_about(db, a, c->id, reviewee, "peer", &existing, &ne)) != ERR_OK)
        err_set(ei, rc, "cannot read peer reviews");
    if (rc) {
        db_end(db, rc);
        return rc;
    }
    time_rfc3339(time_now(), now);
    rc = store_nominations_clear(db, c->id, reviewee);
    for (i = 0; rc == ERR_OK && i < n; i++) {
        struct nomination m = {.cycle_id = c->id,
                               .reviewee_id = reviewee,
                               .peer_id = peers[i],
                               .status = approve ? "approved" : "proposed",
                               .proposed_by = actor->person_id,
                               .decided_by = approve ? actor->person_id : 0,
                               .updated_at = now};

        rc = store_nominations_insert(db, &m);
    }
    /* approval assigns: new peers get a review, peers taken off lose an unsubmitted one */
    for (size_t k = 0; approve && rc == ERR_OK && k < ne; k++) {
        bool kept = false;

        for (i = 0; i < n; i++)
            kept = kept || peers[i] == existing[k].reviewer_id;
        if (!kept)
            rc = store_reviews_cancel(db, existing[k].id);
    }
    for (i = 0; approve && rc == ERR_OK && i < n; i++) {
        bool has = false;
        struct launch_tally count = {0};

        for (size_t k = 0; k < ne; k++)
            has = has || peers[i] == existing[k].reviewer_id;
        if (!has)
            rc = assign(db, c, reviewee, peers[i], "peer", c->peer_template_id, now, &count, NULL);
    }
    if (rc == ERR_OK) {
        json_t *after = json_pack("{s:I, s:O, s:s}", "reviewee", (json_int_t)reviewee, "peer_ids",
                                  ids, "status", approve ? "approved" : "proposed");

        rc = audit_record(db, actor->person_id,
                          approve ? "peer_nomination.approve" : "peer_nomination.propose",
                          "review_cycle", c->id, NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the nominations") : ERR_OK;
}

/* Without an "overall" question, the weights of the template make the score: the weighted
 * mean of the weighted rating and competency answers, each brought to the 1-5 scale. */
static bool weighted_score(struct db *db, struct arena *a, int64_t template_id, json_t *answers,
                           double *score)
{
    struct review_template t;
    json_t *qs, *q;
    double sum = 0, weights = 0;
    size_t i;

    if (store_templates_get(db, a, template_id, &t) != ERR_OK ||
        !(qs = json_loads(t.questions, 0, NULL)))
        return false;
    json_array_foreach(qs, i, q)
    {
        double w = json_number_value(json_object_get(q, "weight"));
        json_int_t scale = json_integer_value(json_object_get(q, "scale"));
        json_t *v = json_object_get(answers, json_string_value(json_object_get(q, "id")));

        if (w <= 0 || scale < 2 || !json_is_integer(v))
            continue;
        sum += w * (1.0 + 4.0 * (double)(json_integer_value(v) - 1) / (double)(scale - 1));
        weights += w;
    }
    json_decref(qs);
    if (weights <= 0)
        return false;
    *score = (double)(long long)(sum / weights * 100.0 + 0.5) / 100.0;
    return true;
}

/* What an audit row shows of a review: its status and which questions have answers (never the
 * answers themselves: the audit log is no way around a review's anonymity). */
static json_t *review_image(const char *status, json_t *answers)
{
    json_t *ids = json_array(), *v;
    const char *k;

    json_object_foreach(answers, k, v) json_array_append_new(ids, json_string(k));
    return json_pack("{s:s?, s:o}", "status", status, "answered", ids);
}

/* Inside the transaction: saves answers (status draft or submitted) and, for a submitted manager
 * review, the outcome's rating. */
static enum err save_in_tx(struct db *db, struct arena *a, const struct actor *actor,
                           const struct review *r, json_t *before, json_t *answers, bool submit)
{
    char now[21];
    char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *after = review_image(submit ? "submitted" : "draft", answers);
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = store_reviews_save(db, r->id, text, submit ? "submitted" : "draft", submit ? now : NULL,
                            now);
    if (rc == ERR_OK && submit && is(r->kind, "manager")) {
        struct review_outcome o;
        json_t *overall = json_object_get(answers, "overall"),
               *summary = json_object_get(answers, "summary");

        rc = store_outcomes_find(db, a, r->cycle_id, r->reviewee_id, &o);
        if (rc == ERR_OK) {
            o.has_rating = json_is_integer(overall);
            o.rating = o.has_rating ? (double)json_integer_value(overall) : 0;
            if (!o.has_rating)
                o.has_rating = weighted_score(db, a, r->template_id, answers, &o.rating);
            o.manager_summary = json_string_value(summary);
            o.potential = json_is_integer(json_object_get(answers, "potential"))
                              ? json_integer_value(json_object_get(answers, "potential"))
                              : 0;
            rc = store_outcomes_update(db, &o);
        }
    }
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, submit ? "review.submit" : "review.save", "review",
                          r->id, before, after);
    json_decref(after);
    free(text);
    return rc;
}

enum err reviews_save(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review *r, json_t *answers, bool submit, struct errinfo *ei)
{
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = save_in_tx(db, a, actor, r, NULL, answers, submit);
    rc = db_end(db, rc);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this review is submitted and locked");
    return rc ? err_set(ei, rc, "cannot save the review") : ERR_OK;
}

enum err reviews_save_merge(struct db *db, struct arena *a, const struct actor *actor,
                            const struct review *r, json_t *questions, json_t *changes, bool submit,
                            struct errinfo *ei)
{
    struct review cur;
    json_t *merged = NULL, *before = NULL, *val;
    const char *key;
    enum err rc = db_begin(db);

    /* the answers as they are now, inside the transaction (row locked on PostgreSQL): two tabs
     * saving different questions at once both keep theirs */
    if (rc == ERR_OK && store_reviews_get_for_update(db, a, r->id, &cur) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such review");
    if (rc == ERR_OK && cur.status && strcmp(cur.status, "submitted") == 0)
        rc = err_set(ei, ERR_CONFLICT, "this review is submitted and locked");
    if (rc == ERR_OK) {
        merged = cur.answers ? json_loads(cur.answers, 0, NULL) : NULL;
        if (!json_is_object(merged)) {
            json_decref(merged);
            merged = json_object();
        }
        before = review_image(cur.status, merged);
        json_object_foreach(changes, key, val) json_object_set(merged, key, val);
        reviews_check_answers(questions, merged, submit, ei);
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK)
        rc = save_in_tx(db, a, actor, &cur, before, merged, submit);
    rc = db_end(db, rc);
    json_decref(merged);
    json_decref(before);
    if (rc && !ei->message[0])
        return err_set(ei, rc,
                       rc == ERR_CONFLICT ? "this review is submitted and locked"
                                          : "cannot save the review");
    return rc;
}

/* A sort key for a comment unrelated to its author: a keyed hash of its text. */
static int by_hash(const void *x, const void *y)
{
    const unsigned char *a = *(unsigned char *const *)x, *b = *(unsigned char *const *)y;

    return memcmp(a, b, 16);
}

json_t *reviews_peer_summary(struct db *db, struct arena *a, const struct review_cycle *c,
                             int64_t person, const char *kind, bool with_names)
{
    struct review *v;
    size_t n, m = 0;
    struct review_template t;
    json_t *questions = NULL, *out, *qs = json_array(), *names = json_array(), *q, **ans;
    size_t i;

    int64_t tpl = is(kind, "upward") ? c->upward_template_id : c->peer_template_id;

    if (store_reviews_about(db, a, c->id, person, kind, &v, &n) != ERR_OK || !tpl ||
        store_templates_get(db, a, tpl, &t) != ERR_OK)
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
    /* docs/api.md: below the threshold the reviewee learns only that there were too few */
    if (n && (int64_t)m >= c->threshold)
        questions = json_loads(t.questions, 0, NULL);
    json_array_foreach(questions, i, q)
    {
        const char *id = json_string_value(json_object_get(q, "id"));
        const char *qtype = json_string_value(json_object_get(q, "type"));
        bool rating = is(qtype, "rating") || is(qtype, "competency");
        double sum = 0;
        int count = 0;
        unsigned char **keys = arena_zalloc(a, (m + 1) * sizeof(*keys));
        size_t nc = 0;
        json_t *comments = json_array();

        if (is(qtype, "goals")) {
            json_decref(comments);
            continue;
        }
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
        /* anonymity holds per question: an optional question answered by fewer raters than
         * the threshold shows nothing, or one rater's score would be readable */
        bool few = (rating ? (int64_t)count : (int64_t)nc) < c->threshold;

        qsort(keys, nc, sizeof(*keys), by_hash);
        for (size_t k = 0; k < nc && !few; k++)
            json_array_append_new(comments, json_string((const char *)keys[k] + 16));
        /* the question's own words and scale, so that nobody reads an internal id */
        json_t *row = json_pack("{s:s, s:s?, s:o, s:o, s:b}", "question_id", id, "text",
                                json_string_value(json_object_get(q, "text")), "average",
                                rating && count && !few ? json_real(sum / count) : json_null(),
                                "comments", comments, "below_threshold", few);

        if (rating && json_object_get(q, "scale"))
            json_object_set(row, "scale", json_object_get(q, "scale"));
        if (rating && json_object_get(q, "labels"))
            json_object_set(row, "labels", json_object_get(q, "labels"));
        json_array_append_new(qs, row);
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

/* What an acknowledgement changes, for the audit log: never a rating of the outcome. */
static json_t *ack_image(const struct review_outcome *o)
{
    return json_pack("{s:I, s:s?, s:s?}", "person_id", (json_int_t)o->person_id, "acknowledged_at",
                     o->acknowledged_at, "employee_comment", o->employee_comment);
}

enum err reviews_acknowledge(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             const char *comment, struct review_outcome *o, struct errinfo *ei)
{
    struct review_cycle c;
    json_t *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && (rc = store_outcomes_get(db, a, id, o)) == ERR_NOT_FOUND)
        err_set(ei, rc, "no such outcome");
    if (rc == ERR_OK)
        rc = store_cycles_get(db, a, o->cycle_id, &c);
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_OUTCOME_ACKNOWLEDGE,
                                           &(struct subject){.person_id = o->person_id})))
        err_set(ei, rc, rc == ERR_FORBIDDEN ? "only the employee acknowledges" : "no such outcome");
    /* before its release an outcome does not exist for its person */
    if (rc == ERR_OK && (!o->released_at || o->withdrawn_at))
        rc = err_set(ei, ERR_NOT_FOUND, "no such outcome");
    if (rc == ERR_OK) {
        before = ack_image(o);
        if ((rc = store_outcomes_acknowledge(db, id, now, comment)) == ERR_CONFLICT)
            err_set(ei, rc, "already acknowledged");
    }
    if (rc == ERR_OK) {
        /* the manager is told, with the response when there is one */
        char key[64], name[200], text[400];

        o->acknowledged_at = arena_strdup(a, now);
        o->employee_comment = comment ? arena_strdup(a, comment) : NULL;
        store_notify_name(db, o->person_id, name, sizeof(name));
        snprintf(key, sizeof(key), "outcome-response:%lld", (long long)o->id);
        snprintf(text, sizeof(text), "%s acknowledged their review outcome for %s%s", name, c.name,
                 comment && *comment ? " and wrote a response." : ".");
        rc = notify(db, store_notify_manager(db, o->person_id), "outcome_response", text,
                    "#/reviews?tab=outcomes", key, now);
    }
    if (rc == ERR_OK) {
        after = ack_image(o);
        rc = audit_record(db, actor->person_id, "review_outcome.acknowledge", "review_outcome",
                          o->id, before, after);
    }
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

/* An outcome for HR inside a write: locked, with its cycle; HR never handles their own. */
static enum err hr_outcome(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                           struct review_outcome *o, struct review_cycle *c, struct errinfo *ei)
{
    enum err rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only HR handles review outcomes");
    rc = store_outcomes_get_for_update(db, a, id, o);
    if (rc == ERR_OK)
        rc = store_cycles_get(db, a, o->cycle_id, c);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such outcome");
    if (rc == ERR_OK && o->person_id == actor->person_id)
        return err_set(ei, ERR_FORBIDDEN, "another HR partner handles your own outcome");
    return rc;
}

/* What reopening and releasing change, for the audit log: never a rating. */
static json_t *release_image(const struct review_outcome *o, const char *reason)
{
    return json_pack("{s:I, s:I, s:s?, s:s?}", "person_id", (json_int_t)o->person_id, "version",
                     (json_int_t)o->version, "released_at", o->released_at, "reason", reason);
}

enum err reviews_outcome_reopen(struct db *db, struct arena *a, const struct actor *actor,
                                int64_t id, const char *reason, struct review_outcome *o,
                                struct errinfo *ei)
{
    struct review_cycle c;
    json_t *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = hr_outcome(db, a, actor, id, o, &c, ei);
    if (rc == ERR_OK && !o->released_at)
        rc = err_set(ei, ERR_CONFLICT, "only a released outcome is reopened");
    if (rc == ERR_OK) {
        before = release_image(o, NULL);
        rc = store_outcomes_reopen(db, o, actor->person_id, reason, now);
    }
    /* the manager corrects their review: it is a draft again until they submit it */
    if (rc == ERR_OK)
        rc = store_reviews_unlock(db, o->cycle_id, o->person_id, "manager");
    if (rc == ERR_OK)
        rc = store_outcomes_get(db, a, id, o);
    if (rc == ERR_OK) {
        after = release_image(o, reason);
        rc = audit_record(db, actor->person_id, "review_outcome.reopen", "review_outcome", id,
                          before, after);
    }
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

enum err reviews_outcome_release(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, struct review_outcome *o, struct errinfo *ei)
{
    struct review_cycle c = {0};
    json_t *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = hr_outcome(db, a, actor, id, o, &c, ei);
    if (rc == ERR_OK &&
        (o->released_at || o->withdrawn_at || !c.status || strcmp(c.status, "released") != 0))
        rc = err_set(ei, ERR_CONFLICT,
                     "only a reopened outcome of a released cycle is released on its own");
    if (rc == ERR_OK) {
        before = release_image(o, NULL);
        rc = store_outcomes_release_one(db, id, now);
    }
    if (rc == ERR_OK) {
        char key[64], text[300];

        snprintf(key, sizeof(key), "review_release:%lld:%s", (long long)id, now);
        snprintf(text, sizeof(text), "Your review outcome for %s is released.", c.name);
        rc = notify(db, o->person_id, "review_released", text, "#/reviews?tab=outcomes", key, now);
    }
    if (rc == ERR_OK)
        rc = store_outcomes_get(db, a, id, o);
    if (rc == ERR_OK) {
        after = release_image(o, NULL);
        rc = audit_record(db, actor->person_id, "review_outcome.release", "review_outcome", id,
                          before, after);
    }
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

/* A template as its answer and audit rows show it; questions that do not parse show none. */
static json_t *template_image(const struct review_template *t)
{
    json_t *q = t->questions ? json_loads(t->questions, 0, NULL) : NULL;

    return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)t->id, "name", t->name, "kind",
                     t->kind, "questions", q ? q : json_array(), "created_at", t->created_at);
}

enum err reviews_template_create(struct db *db, struct arena *a, const struct actor *actor,
                                 struct review_template *t, json_t *questions, json_t **out,
                                 struct errinfo *ei)
{
    char *text = json_dumps(questions, JSON_COMPACT);
    enum err rc = db_begin(db);

    *out = NULL;
    t->questions = arena_strdup(a, text ? text : "[]");
    free(text);
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL)) != ERR_OK)
        err_set(ei, rc, "only HR runs review cycles");
    if (rc == ERR_OK)
        rc = store_templates_insert(db, t);
    if (rc == ERR_OK) {
        *out = template_image(t);
        rc = audit_record(db, actor->person_id, "review_template.create", "review_template", t->id,
                          NULL, *out);
    }
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static json_t *calibration_image(const struct review_outcome *o, const char *why)
{
    json_t *v = json_pack("{s:o, s:o}", "calibrated_rating",
                          o->has_calibrated ? json_real(o->calibrated_rating) : json_null(),
                          "potential", o->potential ? json_integer(o->potential) : json_null());

    if (why) {
        json_object_set_new(v, "justification", json_string(why));
        json_object_set_new(v, "rating", o->has_rating ? json_real(o->rating) : json_null());
    }
    return v;
}

enum err reviews_outcome_calibrate(struct db *db, struct arena *a, const struct actor *actor,
                                   int64_t id, const struct calibration_change *k,
                                   struct review_outcome *o, struct review_cycle *c,
                                   struct errinfo *ei)
{
    json_t *before = NULL, *after = NULL;
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = hr_outcome(db, a, actor, id, o, c, ei);
    if (rc == ERR_OK && o->released_at)
        rc = err_set(ei, ERR_CONFLICT, "the outcome is released; calibrate before release");
    if (rc == ERR_OK)
        rc = reviews_check_deadline(c, "calibration", ei);
    if (rc == ERR_OK) {
        before = calibration_image(o, NULL);
        if (k->has_rating) {
            o->has_calibrated = true;
            o->calibrated_rating = k->rating;
        }
        if (k->has_potential)
            o->potential = k->potential;
        o->calibration_note = k->why;
        after = calibration_image(o, k->why);
        rc = store_outcomes_update(db, o);
    }
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "review_outcome.calibrate", "review_outcome", o->id,
                          before, after);
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

enum err reviews_calibration_target_set(struct db *db, struct arena *a, const struct actor *actor,
                                        int64_t cycle, const char *text, json_t *dist,
                                        struct errinfo *ei)
{
    const char *was = NULL;
    json_t *old = NULL, *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL)) != ERR_OK)
        err_set(ei, rc, "only HR runs review cycles");
    if (rc == ERR_OK) {
        rc = store_calibration_target_get(db, a, cycle, &was);
        if (rc == ERR_NOT_FOUND) /* no target yet */
            rc = ERR_OK;
    }
    if (rc == ERR_OK) {
        old = was ? json_loads(was, 0, NULL) : NULL;
        before = json_pack("{s:o}", "distribution", old ? old : json_null());
        after = json_pack("{s:O}", "distribution", dist ? dist : json_null());
        rc = store_calibration_target_put(db, cycle, text, actor->person_id, now);
    }
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "review_cycle.calibration_target", "review_cycle",
                          cycle, before, after);
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

enum err reviews_template_update(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, const struct template_change *k, json_t **out,
                                 struct errinfo *ei)
{
    struct review_template cur = {0}, t;
    json_t *stored = NULL, *q = NULL, *before = NULL;
    int64_t used = 0, draft = 0;
    char now[21], *text = NULL;
    enum err rc = db_begin(db);

    *out = NULL;
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_CYCLE_ADMIN, NULL)) != ERR_OK)
        err_set(ei, rc, "only HR runs review cycles");
    if (rc == ERR_OK && (rc = store_templates_get_for_update(db, a, id, &cur)) != ERR_OK)
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such template" : "cannot read the template");
    if (rc == ERR_OK)
        rc = store_templates_in_use(db, id, &used);
    if (rc == ERR_OK && used)
        rc = err_set(ei, ERR_CONFLICT,
                     "a launched cycle uses this template: its reviews keep these questions; "
                     "create a new template instead");
    t = cur;
    if (rc == ERR_OK) {
        t.name = k->name ? k->name : cur.name;
        t.kind = k->kind ? k->kind : cur.kind;
        stored = k->questions ? NULL : json_loads(cur.questions, 0, NULL);
        q = reviews_check_template(t.kind, k->questions ? k->questions : stored, ei);
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK && strcmp(cur.kind, t.kind) != 0) {
        /* a draft cycle may name it for its kind: a change of kind would break that cycle */
        rc = store_templates_in_draft(db, id, &draft);
        if (rc == ERR_OK && draft) {
            err_field(ei, "kind", "cannot change while a draft cycle uses this template");
            rc = err_fields_result(ei);
        }
    }
    if (rc == ERR_OK) {
        text = json_dumps(q, JSON_COMPACT);
        t.questions = arena_strdup(a, text ? text : "[]");
        before = template_image(&cur);
        *out = template_image(&t);
        rc = store_templates_update(db, &t, now);
    }
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "review_template.update", "review_template", id,
                          before, *out);
    free(text);
    json_decref(stored);
    json_decref(q);
    json_decref(before);
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        if (!ei->message[0] && !ei->nfields)
            err_set(ei, rc, "cannot store the template");
    }
    return rc;
}
