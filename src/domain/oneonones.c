/* SPDX-License-Identifier: MIT */
/* See oneonones.h. */
#include "domain/oneonones.h"
#include "domain/settings.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/webhooks.h"
#include "domain/notify.h"
#include "store/goals.h"
#include "store/careers.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

bool oneonones_occurrence(struct arena *a, const struct series *s, const char *date,
                          struct meeting *m)
{
    int64_t t;
    char starts[21], local[17];

    if (!tz_to_utc(s->timezone, date, s->start_time, &t))
        return false;
    time_rfc3339(t, starts);
    tz_local(s->timezone, t, local);
    m->series_id = s->id;
    m->occurrence_date = arena_strdup(a, date);
    m->starts_at = arena_strdup(a, starts);
    m->local_start = arena_strdup(a, local);
    return true;
}

enum err oneonones_schedule_next(struct db *db, struct arena *a, const struct series *s,
                                 const char *after)
{
    struct meeting m = {0}, next;
    char date[11], now[21];
    int64_t step = 7 * s->cadence_weeks;

    if (s->status && !is(s->status, "active"))
        return ERR_OK; /* a paused or ended series has no meeting to come */
    if (store_meetings_next(db, a, s->id, &next) == ERR_OK)
        return ERR_OK; /* the series already has its next meeting */
    time_rfc3339(time_now(), now);
    snprintf(date, sizeof(date), "%s", s->first_date);
    if (after)
        while (strcmp(date, after) <= 0)
            date_add_days(date, step, date);
    /* a late completion does not schedule into the past: the first occurrence still to come */
    for (int guard = 0; guard < 1000; guard++) {
        if (!oneonones_occurrence(a, s, date, &m))
            return ERR_INTERNAL;
        if (strcmp(m.starts_at, now) > 0)
            break;
        date_add_days(date, step, date);
    }
    return store_meetings_insert(db, &m);
}

enum err oneonones_create(struct db *db, struct arena *a, const struct actor *actor,
                          struct series *s, struct errinfo *ei)
{
    json_t *after;
    enum err rc = db_begin(db);

    if (rc == ERR_OK)
        rc = store_series_insert(db, s);
    if (rc == ERR_OK)
        rc = oneonones_schedule_next(db, a, s, NULL);
    if (rc == ERR_OK) {
        after = json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:s}", "lead_id", (json_int_t)s->lead_id,
                          "member_id", (json_int_t)s->member_id, "relation", s->relation,
                          "cadence_weeks", (json_int_t)s->cadence_weeks, "weekday",
                          (json_int_t)s->weekday, "time", s->start_time, "timezone", s->timezone);
        rc = audit_record(db, actor->person_id, "oneonone_series.create", "oneonone_series", s->id,
                          NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the series") : ERR_OK;
}

static json_t *series_image(const struct series *s)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s?}", "cadence_weeks",
                     (json_int_t)s->cadence_weeks, "weekday", (json_int_t)s->weekday, "time",
                     s->start_time, "timezone", s->timezone, "first_date", s->first_date, "status",
                     s->status, "kind", s->kind);
}

/* The new rhythm's first date: the meeting to come keeps its place in the rhythm (one new
 * cadence after the last rhythm date), on the new weekday, never in the past. A resumed series
 * starts again from today. */
static bool new_first_date(struct arena *a, const struct series *s, const struct meeting *next,
                           int64_t old_cadence, char date[static 11], struct meeting *m)
{
    char now[21];

    time_rfc3339(time_now(), now);
    if (next)
        date_add_days(next->occurrence_date, 7 * (s->cadence_weeks - old_cadence), date);
    else
        time_date(time_now(), date);
    for (int guard = 0; guard < 7 && date_weekday(date) != s->weekday; guard++)
        date_add_days(date, 1, date);
    for (int guard = 0; guard < 1000; guard++) {
        if (!oneonones_occurrence(a, s, date, m))
            return false;
        if (strcmp(m->starts_at, now) > 0)
            return true;
        date_add_days(date, 7, date);
    }
    return false;
}

static enum err update_in_tx(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             const struct series_patch *p, struct series *s, struct errinfo *ei)
{
    struct subject sub = {0};
    struct meeting next = {0}, m = {0};
    bool has_next, resume = false, reschedule;
    int64_t old_cadence;
    char date[11];
    json_t *before, *after;
    enum err rc = store_series_get_for_update(db, a, id, s);

    if (rc == ERR_OK) {
        sub.author = s->lead_id == actor->person_id || s->member_id == actor->person_id;
        rc = policy_check(db, actor, ACT_ONEONONE, &sub);
    }
    if (rc)
        return err_set(ei, rc == ERR_INTERNAL ? rc : ERR_NOT_FOUND, "no such one-on-one");
    if (is(s->status, "ended"))
        return err_set(ei, ERR_CONFLICT, "this series has ended and can no longer change");
    before = series_image(s);
    old_cadence = s->cadence_weeks;
    reschedule = (p->cadence_weeks && p->cadence_weeks != s->cadence_weeks) ||
                 (p->weekday && p->weekday != s->weekday) ||
                 (p->start_time && !is(p->start_time, s->start_time)) ||
                 (p->timezone && !is(p->timezone, s->timezone));
    if (p->cadence_weeks)
        s->cadence_weeks = p->cadence_weeks;
    if (p->weekday)
        s->weekday = p->weekday;
    if (p->start_time)
        s->start_time = p->start_time;
    if (p->timezone)
        s->timezone = p->timezone;
    if (p->ended || p->paused == 1) {
        s->status = p->ended ? "ended" : "paused";
        rc = store_meetings_remove_scheduled(db, s->id);
        reschedule = false;
    } else if (p->paused == 0 && is(s->status, "paused")) {
        s->status = "active";
        resume = true;
    }
    has_next = !resume && store_meetings_next(db, a, s->id, &next) == ERR_OK;
    if (rc == ERR_OK && is(s->status, "active") && (reschedule || resume)) {
        if (!new_first_date(a, s, has_next ? &next : NULL, old_cadence, date, &m))
            rc = ERR_INTERNAL;
        s->first_date = arena_strdup(a, date);
        if (rc == ERR_OK)
            rc = store_series_update(db, s);
        if (rc == ERR_OK && has_next) {
            m.id = next.id;
            rc = store_meetings_reschedule(db, &m);
        } else if (rc == ERR_OK) {
            rc = oneonones_schedule_next(db, a, s, NULL);
        }
    } else if (rc == ERR_OK) {
        rc = store_series_update(db, s);
    }
    after = series_image(s);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id,
                          p->ended ? "oneonone_series.end" : "oneonone_series.update",
                          "oneonone_series", s->id, before, after);
    json_decref(before);
    json_decref(after);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "a meeting of this series is already on that date");
    return rc ? err_set(ei, rc, "cannot change the series") : ERR_OK;
}

enum err oneonones_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          const struct series_patch *p, struct series *out, struct errinfo *ei)
{
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot change the series");
    rc = update_in_tx(db, a, actor, id, p, out, ei);
    return db_end(db, rc);
}

/* "on_track" as "on track" */
static const char *words(struct arena *a, const char *s)
{
    char *w = arena_strdup(a, s ? s : "");

    for (char *c = w; *c; c++)
        if (*c == '_')
            *c = ' ';
    return w;
}

/* The agenda's goals and development plan as both sides may read them (the summary goes to
 * both): the member's running goals that the lead may read as any employee (the member reads
 * all of their own), with progress since the previous meeting, and the plan's actions when the
 * lead reads the member's plan (a manager; not a mentor). */
static void summary_agenda(struct db *db, struct arena *a, const struct series *s,
                           const struct meeting *m, struct buf *b)
{
    struct actor lead = {.person_id = s->lead_id, .role = ROLE_EMPLOYEE};
    struct relation rel = policy_relation(db, &lead, s->member_id);
    struct subject plan = {.person_id = s->member_id};
    const char *since = store_meetings_previous_held(db, a, s->id, m->occurrence_date);
    char today[11];
    struct goal_query q = {.owner_id = s->member_id, .from = today, .to = today, .limit = 50};
    struct goal *g;
    size_t n = 0, shown = 0, i;
    json_t *acts = NULL, *x;

    time_date(time_now(), today);
    buf_add(b, "Goals\r\n");
    if (store_goals_list(db, a, &q, &g, &n) != ERR_OK)
        n = 0;
    for (i = 0; i < n; i++) {
        struct subject sub = {
            .person_id = g[i].owner_id, .visibility = g[i].visibility, .level = g[i].level};
        double then = since ? store_goal_progress_at(db, g[i].id, since) : -1;

        if (is(g[i].status, "abandoned") || is(g[i].status, "draft") ||
            policy_decide_subject(&lead, ACT_GOAL_READ, &rel, &sub) != ERR_OK)
            continue;
        if (then >= 0)
            buf_addf(b, "- %s: %.0f%% (%.0f%% at the previous meeting), %s\r\n", g[i].title,
                     g[i].progress, then, words(a, g[i].status));
        else
            buf_addf(b, "- %s: %.0f%%, %s\r\n", g[i].title, g[i].progress, words(a, g[i].status));
        shown++;
    }
    if (!shown)
        buf_add(b, "- none\r\n");
    if (policy_decide_subject(&lead, ACT_CAREER_READ, &rel, &plan) != ERR_OK ||
        store_idp_actions_of(db, s->member_id, &acts) != ERR_OK) {
        json_decref(acts);
        buf_add(b, "\r\n");
        return;
    }
    buf_add(b, "\r\nDevelopment plan\r\n");
    shown = 0;
    json_array_foreach(acts, i, x)
    {
        const char *st = json_string_value(json_object_get(x, "status"));
        const char *title = json_string_value(json_object_get(x, "title"));
        const char *due = json_string_value(json_object_get(x, "due_date"));
        const char *done = json_string_value(json_object_get(x, "completed_at"));

        if (is(st, "done") && done && since && strcmp(done, since) > 0)
            buf_addf(b, "- done: %s\r\n", title ? title : "");
        else if (!is(st, "done") && !is(st, "cancelled"))
            buf_addf(b, "- %s: %s%s%s\r\n", words(a, st), title ? title : "", due ? ", due " : "",
                     due ? due : "");
        else
            continue;
        shown++;
    }
    if (!shown)
        buf_add(b, "- nothing open\r\n");
    buf_add(b, "\r\n");
    json_decref(acts);
}

/* The summary email: the goals and development plan, the talking points, the shared notes,
 * and action items with owners and dates. */
static char *summary_body(struct db *db, struct arena *a, const struct series *s,
                          const struct meeting *m)
{
    struct talking_point *p;
    struct action_item *x;
    size_t np = 0, nx = 0;
    struct buf b;
    char *out;

    buf_init(&b, 1u << 20);
    buf_addf(&b, "One-on-one of %s and %s, %s (%s).\r\n\r\n", s->lead_name, s->member_name,
             m->local_start, s->timezone);
    summary_agenda(db, a, s, m, &b);
    buf_add(&b, "Talking points\r\n");
    if (store_points_of(db, a, m->id, &p, &np) != ERR_OK)
        np = 0;
    for (size_t i = 0; i < np; i++)
        buf_addf(&b, "- [%s] %s (%s, %s)\r\n", p[i].section, p[i].body, p[i].author_name,
                 is(p[i].status, "moved") ? "moved to the next meeting" : p[i].status);
    if (!np)
        buf_add(&b, "- none\r\n");
    buf_addf(&b, "\r\nShared notes\r\n%s\r\n",
             m->shared_notes && *m->shared_notes ? m->shared_notes : "(none)");
    buf_add(&b, "\r\nAction items\r\n");
    if (store_actions_for_meeting(db, a, s->id, m->id, &x, &nx) != ERR_OK)
        nx = 0;
    for (size_t i = 0; i < nx; i++)
        buf_addf(&b, "- %s: %s, due %s [%s]\r\n", x[i].owner_name, x[i].body,
                 x[i].due_date ? x[i].due_date : "(no date)", x[i].status);
    if (!nx)
        buf_add(&b, "- none\r\n");
    buf_add(&b, "\r\n");
    notify_add_link(&b, "The meeting in Trellis",
                    arena_printf(a, "#/one-on-ones/meetings/%lld", (long long)m->id));
    buf_add(&b, "Sent by Trellis as the record of your meeting. Private notes are never "
                "included.\r\n");
    out = arena_strdup(a, buf_str(&b));
    buf_cleanup(&b);
    return out;
}

static enum err queue_summary(struct db *db, struct arena *a, const struct series *s,
                              const struct meeting *m, const char *now)
{
    const char *to[2] = {s->lead_email, s->member_email};
    int64_t who[2] = {s->lead_id, s->member_id};
    char subject[300], key[80];
    const char *body = summary_body(db, a, s, m);
    enum err rc = ERR_OK;

    snprintf(subject, sizeof(subject), "One-on-one summary: %s and %s, %.10s", s->lead_name,
             s->member_name, m->local_start);
    for (int i = 0; rc == ERR_OK && i < 2; i++) {
        struct outbox_msg msg = {.dedupe_key = key,
                                 .recipient = to[i],
                                 .subject = subject,
                                 .body = body,
                                 .entity = "oneonone_meeting",
                                 .entity_id = m->id,
                                 .created_at = now};

        snprintf(key, sizeof(key), "summary:%lld:%lld", (long long)m->id, (long long)who[i]);
        rc = store_outbox_add(db, &msg);
    }
    return rc;
}

/* Ends m as held or skipped, schedules the next meeting and carries the points moved to it;
 * the caller's transaction is open. */
static enum err finish(struct db *db, struct arena *a, const struct actor *actor,
                       const struct series *s, const struct meeting *m, const char *status,
                       const char *reason, bool career, const char *now)
{
    struct meeting next;
    enum err rc = store_meetings_finish(db, m->id, status, reason, career,
                                        is(status, "held") ? now : NULL, actor->person_id);

    if (rc == ERR_OK)
        rc = oneonones_schedule_next(db, a, s, m->occurrence_date);
    if (rc == ERR_OK)
        rc = store_meetings_next(db, a, s->id, &next);
    if (rc == ERR_OK)
        rc = store_points_carry(db, m->id, next.id, is(status, "skipped"), now);
    return rc;
}

enum err oneonones_complete(struct db *db, struct arena *a, const struct actor *actor,
                            const struct series *s, const struct meeting *m, bool career,
                            struct errinfo *ei)
{
    char now[21];
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = finish(db, a, actor, s, m, "held", NULL, career, now);
    if (rc == ERR_OK)
        rc = queue_summary(db, a, s, m, now);
    if (rc == ERR_OK) {
        /* the other side is told in the app that the summary went out */
        bool lead = actor->person_id == s->lead_id;
        int64_t other = lead ? s->member_id : s->lead_id;
        char key[64], text[400];

        snprintf(key, sizeof(key), "summary-sent:%lld:%lld", (long long)m->id, (long long)other);
        snprintf(text, sizeof(text), "%s sent the summary of your one-on-one of %.10s.",
                 lead ? s->lead_name : s->member_name, m->local_start);
        rc = notify(db,
                    actor->person_id == s->lead_id || actor->person_id == s->member_id ? other : 0,
                    "oneonone_summary", text,
                    arena_printf(a, "#/one-on-ones/meetings/%lld", (long long)m->id), key, now);
    }
    if (rc == ERR_OK) { /* the status only: never the agenda or the notes */
        json_t *before = json_pack("{s:s}", "status", m->status ? m->status : "scheduled"),
               *after = json_pack("{s:s}", "status", "completed");

        rc = audit_record(db, actor->person_id, "oneonone_meeting.complete", "oneonone_meeting",
                          m->id, before, after);
        json_decref(before);
        json_decref(after);
    }
    if (rc == ERR_OK) {
        /* that it was held and by whom: never the agenda, the notes or the actions */
        json_t *data =
            json_pack("{s:{s:I, s:I, s:[I, I], s:s, s:s}}", "meeting", "id", (json_int_t)m->id,
                      "series_id", (json_int_t)s->id, "participant_ids", (json_int_t)s->lead_id,
                      (json_int_t)s->member_id, "held_at", now, "link",
                      arena_printf(a, "#/one-on-ones/meetings/%lld", (long long)m->id));

        rc = data ? webhooks_emit(db, "oneonone.held", data) : ERR_INTERNAL;
        json_decref(data);
    }
    rc = db_end(db, rc);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this meeting is already %s", m->status);
    return rc ? err_set(ei, rc, "cannot complete the meeting") : ERR_OK;
}

enum err oneonones_skip(struct db *db, struct arena *a, const struct actor *actor,
                        const struct series *s, const struct meeting *m, const char *reason,
                        struct errinfo *ei)
{
    char now[21];
    json_t *after = json_pack("{s:s}", "reason", reason);
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    /* what was prepared for the skipped meeting goes to the next one */
    if (rc == ERR_OK)
        rc = finish(db, a, actor, s, m, "skipped", reason, false, now);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "oneonone_meeting.skip", "oneonone_meeting", m->id,
                          NULL, after);
    rc = db_end(db, rc);
    json_decref(after);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "this meeting is already %s", m->status);
    return rc ? err_set(ei, rc, "cannot skip the meeting") : ERR_OK;
}

enum err oneonones_move(struct db *db, struct arena *a, const struct actor *actor,
                        const struct series *s, const struct meeting *m, const char *date,
                        const char *time, struct errinfo *ei)
{
    struct series at = *s;
    struct meeting moved = {0};
    char now[21];
    json_t *after;
    enum err rc;

    at.start_time = time;
    if (!oneonones_occurrence(a, &at, date, &moved)) {
        err_field(ei, "date", "must be a date written YYYY-MM-DD with a time HH:MM");
        return err_fields_result(ei);
    }
    time_rfc3339(time_now(), now);
    if (strcmp(moved.starts_at, now) <= 0) {
        err_field(ei, "date", "a meeting is moved to a time still to come");
        return err_fields_result(ei);
    }
    after = json_pack("{s:s, s:s}", "from", m->local_start, "to", moved.local_start);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_meetings_move(db, m->id, moved.starts_at, moved.local_start);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "oneonone_meeting.move", "oneonone_meeting", m->id,
                          NULL, after);
    rc = db_end(db, rc);
    json_decref(after);
    if (rc == ERR_CONFLICT)
        return err_set(ei, rc, "only a scheduled meeting is moved");
    return rc ? err_set(ei, rc, "cannot move the meeting") : ERR_OK;
}

char *oneonones_seal(struct arena *a, int64_t author, const char *text)
{
    unsigned char key[32];
    size_t len = strlen(text), blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    unsigned char *box = arena_alloc(a, blen);
    size_t b64 = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(a, 3 + b64);

    accounts_subkey("1on1note", (uint64_t)author, key);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)text, len, box,
                          key);
    sodium_memzero(key, sizeof(key));
    out[0] = 'v';
    out[1] = '1';
    out[2] = ':';
    sodium_bin2base64(out + 3, b64, box, blen, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

char *oneonones_unseal(struct arena *a, int64_t author, const char *sealed)
{
    unsigned char key[32];
    size_t slen, blen;
    unsigned char *box;
    char *out;
    int rc;

    if (!sealed || strncmp(sealed, "v1:", 3) != 0)
        return NULL;
    slen = strlen(sealed + 3);
    box = arena_alloc(a, slen + 1);
    if (sodium_base642bin(box, slen, sealed + 3, slen, NULL, &blen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return NULL;
    out = arena_alloc(a, blen + 1);
    accounts_subkey("1on1note", (uint64_t)author, key);
    rc = crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                    blen - crypto_secretbox_NONCEBYTES, box, key);
    sodium_memzero(key, sizeof(key));
    if (rc != 0)
        return NULL;
    out[blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES] = '\0';
    return out;
}

static _Atomic int64_t remind_batch = REMIND_BATCH_DEFAULT;

/* The ranges of the last pass, kept for the next ones: cutting a million people into ranges
 * reads the whole table (0.4 s), and the cut only balances the transactions (any cut covers
 * everyone). Cut again after an hour, or when the batch size changed. */
static pthread_mutex_t ranges_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t *kept_ends, kept_batch, kept_at;
static size_t kept_n;

static enum err remind_ranges(struct db *db, struct arena *a, int64_t now, int64_t **ends,
                              size_t *n)
{
    int64_t batch = remind_batch;
    enum err rc = ERR_OK;

    pthread_mutex_lock(&ranges_lock);
    if (!kept_ends || kept_batch != batch || now - kept_at >= 3600) {
        int64_t *v;
        size_t len;

        rc = store_remind_ranges(db, a, batch, &v, &len);
        if (rc == ERR_OK) {
            free(kept_ends);
            kept_ends = xmalloc(len * sizeof(*kept_ends));
            memcpy(kept_ends, v, len * sizeof(*kept_ends));
            kept_n = len;
            kept_batch = batch;
            kept_at = now;
        }
    }
    if (rc == ERR_OK) {
        *ends = arena_alloc(a, kept_n * sizeof(**ends));
        memcpy(*ends, kept_ends, kept_n * sizeof(**ends));
        *n = kept_n;
    }
    pthread_mutex_unlock(&ranges_lock);
    return rc;
}

void reminders_configure(int64_t people_per_transaction)
{
    remind_batch = people_per_transaction > 0 ? people_per_transaction : REMIND_BATCH_DEFAULT;
}

enum err reminders_pass(struct db *db, int64_t now, int64_t *created)
{
    char pass[48], t_now[21], soon[21], six[21], month[21], today[11], week[24], until[11];
    char weeks[12], days[12];
    unsigned char rnd[8];
    char hex[17];
    struct remind_clock k = {.pass = pass,
                             .now = t_now,
                             .soon = soon,
                             .six_weeks_ago = six,
                             .month_ago = month,
                             .today = today,
                             .week = week,
                             .deadline_until = until,
                             .weeks = weeks,
                             .stale_days = days};
    struct reminder_settings r;
    int64_t *ends = NULL, digests;
    size_t nends = 0;
    struct arena *a = arena_new();
    enum err rc;

    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
    time_rfc3339(now, t_now);
    time_rfc3339(now + 86400, soon);
    time_date(now, today);
    snprintf(week, sizeof(week), "w%lld", (long long)(now / (7 * 86400)));
    snprintf(pass, sizeof(pass), "%s-%s", t_now, hex);
    *created = 0;
    rc = db_begin_read(db);
    if (rc == ERR_OK) {
        /* the rules an admin set, read once for the whole pass */
        settings_reminders(db, a, &r);
        time_rfc3339(now - (int64_t)r.weeks * 7 * 86400, six);
        time_rfc3339(now - (int64_t)r.stale_days * 86400, month);
        time_date(now + (int64_t)r.deadline_days * 86400, until);
        snprintf(weeks, sizeof(weeks), "%d", r.weeks);
        snprintf(days, sizeof(days), "%d", r.stale_days);
        for (int i = 0; i < REMIND_RULES; i++)
            k.rules |= r.on[i] ? 1u << i : 0;
        if (r.hour_utc >= 0 && (int)((now % 86400) / 3600) != r.hour_utc)
            k.rules = 0; /* not the hour the rules run */
    }
    if (rc == ERR_OK && k.rules)
        rc = remind_ranges(db, a, now, &ends, &nends);
    db_commit(db); /* the read */
    /* the people in ranges of ids, a transaction each: everything a person is reminded of and
     * their one email for it commit together, and a writer waits for one range at most */
    k.to = 0;
    for (size_t i = 0; rc == ERR_OK && i < nends; i++) {
        struct arena *b = arena_new();
        int64_t n = 0;

        k.from = k.to;
        k.to = ends[i];
        rc = db_begin(db);
        if (rc == ERR_OK)
            rc = store_remind(db, &k, &n);
        if (rc == ERR_OK && n)
            rc = notify_pass_emails(db, b, pass, k.from, k.to, t_now);
        rc = db_end(db, rc);
        arena_free(b);
        if (rc == ERR_OK)
            *created += n;
    }
    if (rc == ERR_OK)
        rc = notify_digests(db, a, now, &digests);
    arena_free(a);
    return rc;
}

/* Meeting id, locked, and its series, for a side of it (404 for anyone else). */
static enum err side_meeting(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             struct meeting *m, struct series *s, struct errinfo *ei)
{
    struct subject sub = {0};
    enum err rc = store_meetings_get_for_update(db, a, id, m);

    if (rc == ERR_OK)
        rc = store_series_get(db, a, m->series_id, s);
    if (rc == ERR_OK) {
        sub.author = s->lead_id == actor->person_id || s->member_id == actor->person_id;
        rc = policy_check(db, actor, ACT_ONEONONE, &sub);
    }
    if (rc == ERR_FORBIDDEN || rc == ERR_NOT_FOUND)
        return err_set(ei, ERR_NOT_FOUND, "no such meeting");
    return rc;
}

static json_t *point_image(const struct talking_point *p)
{
    return json_pack("{s:I, s:s?, s:s?}", "meeting_id", (json_int_t)p->meeting_id, "section",
                     p->section, "status", p->status);
}

enum err oneonones_point_add(struct db *db, struct arena *a, const struct actor *actor,
                             struct talking_point *p, struct errinfo *ei)
{
    struct meeting m;
    struct series s;
    json_t *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = side_meeting(db, a, actor, p->meeting_id, &m, &s, ei);
    if (rc == ERR_OK && strcmp(m.status, "scheduled") != 0)
        rc = err_set(ei, ERR_CONFLICT, "talking points go on a meeting still to come");
    if (rc == ERR_OK) {
        p->author_id = actor->person_id;
        p->created_at = now;
        rc = store_points_insert(db, p);
    }
    if (rc == ERR_OK)
        rc = store_points_get(db, a, p->id, p);
    if (rc == ERR_OK) {
        after = point_image(p);
        rc = audit_record(db, actor->person_id, "oneonone_point.create", "oneonone_meeting", m.id,
                          NULL, after);
    }
    json_decref(after);
    return db_end(db, rc);
}

enum err oneonones_point_status(struct db *db, struct arena *a, const struct actor *actor,
                                int64_t id, const char *status, struct talking_point *p,
                                struct errinfo *ei)
{
    struct meeting m;
    struct series s;
    json_t *before = NULL, *after = NULL;
    enum err rc = db_begin(db);

    if (rc == ERR_OK && (rc = store_points_get(db, a, id, p)) == ERR_NOT_FOUND)
        err_set(ei, rc, "no such talking point");
    if (rc == ERR_OK &&
        (rc = side_meeting(db, a, actor, p->meeting_id, &m, &s, ei)) == ERR_NOT_FOUND)
        err_set(ei, rc, "no such talking point");
    if (rc == ERR_OK && strcmp(m.status, "scheduled") != 0)
        rc = err_set(ei, ERR_CONFLICT, "the meeting is %s", m.status);
    if (rc == ERR_OK) {
        before = point_image(p);
        rc = store_points_set_status(db, id, status);
    }
    if (rc == ERR_OK)
        rc = store_points_get(db, a, id, p);
    if (rc == ERR_OK) {
        after = point_image(p);
        rc = audit_record(db, actor->person_id, "oneonone_point.update", "oneonone_meeting", m.id,
                          before, after);
    }
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

enum err oneonones_notes(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                         const char *shared, const char *private_note, oneonones_reply reply,
                         void *ctx, struct errinfo *ei)
{
    struct meeting m = {0};
    struct series s = {0};
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = side_meeting(db, a, actor, id, &m, &s, ei);
    if (rc == ERR_OK && strcmp(m.status, "skipped") == 0)
        rc = err_set(ei, ERR_CONFLICT, "this meeting was skipped");
    if (rc == ERR_OK && shared)
        rc = store_meetings_set_notes(db, m.id, shared);
    if (rc == ERR_OK && private_note)
        rc = store_private_note_put(db, m.id, actor->person_id,
                                    oneonones_seal(a, actor->person_id, private_note), now);
    if (rc == ERR_OK && shared)
        rc = audit_record(db, actor->person_id, "oneonone_meeting.shared_notes", "oneonone_meeting",
                          m.id, NULL, NULL);
    if (rc == ERR_OK && private_note)
        rc = audit_record(db, actor->person_id, "oneonone_meeting.private_note", "oneonone_meeting",
                          m.id, NULL, NULL);
    if (rc == ERR_OK && reply)
        rc = reply(ctx, ei);
    return db_end(db, rc);
}

static json_t *action_image(const struct action_item *x)
{
    return json_pack("{s:I, s:s?, s:s?, s:s?}", "owner_id", (json_int_t)x->owner_id, "body",
                     x->body, "status", x->status, "due_date", x->due_date);
}

/* Field errors for an owner who is not a side of s and a plan action not the member's; a
 * failed read is an error of its own, never taken for a bad field. */
static enum err action_links_check(struct db *db, const struct series *s,
                                   const struct action_item *x, struct errinfo *ei)
{
    json_t *ia = NULL;
    int64_t owner = 0;
    enum err rc = ERR_OK;

    if (x->owner_id != s->lead_id && x->owner_id != s->member_id)
        err_field(ei, "owner_id", "must be one of the two people who meet");
    if (x->idp_action_id) {
        rc = store_idp_action_get(db, x->idp_action_id, &ia);
        if (rc == ERR_OK)
            rc = store_idp_owner(db, json_integer_value(json_object_get(ia, "idp_id")), &owner);
        if (rc == ERR_NOT_FOUND || (rc == ERR_OK && owner != s->member_id)) {
            err_field(ei, "idp_action_id", "must be an action of %s's development plan",
                      s->member_name);
            rc = ERR_OK;
        }
    }
    json_decref(ia);
    return rc ? rc : err_fields_result(ei);
}

enum err oneonones_action_add(struct db *db, struct arena *a, const struct actor *actor,
                              struct action_item *x, struct errinfo *ei)
{
    struct meeting m = {0};
    struct series s = {0};
    json_t *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = side_meeting(db, a, actor, x->meeting_id, &m, &s, ei);
    if (rc == ERR_OK)
        rc = action_links_check(db, &s, x, ei);
    if (rc == ERR_OK && strcmp(m.status, "skipped") == 0)
        rc = err_set(ei, ERR_CONFLICT, "this meeting was skipped");
    if (rc == ERR_OK) {
        x->series_id = s.id;
        x->created_at = now;
        rc = store_actions_insert(db, x);
    }
    if (rc == ERR_OK)
        rc = store_actions_get(db, a, x->id, x);
    if (rc == ERR_OK) {
        after = action_image(x);
        rc = audit_record(db, actor->person_id, "action_item.create", "action_item", x->id, NULL,
                          after);
    }
    json_decref(after);
    return db_end(db, rc);
}

/* Done here, done in the plan: the linked plan action x->idp_action_id, locked. */
static enum err action_done_in_plan(struct db *db, const struct action_item *x, const char *now)
{
    json_t *ia = NULL;
    enum err rc = store_idp_action_get_for_update(db, x->idp_action_id, &ia);

    if (rc == ERR_OK &&
        strcmp(json_string_value(json_object_get(ia, "status")) ?: "", "done") != 0) {
        json_object_set_new(ia, "status", json_string("done"));
        json_object_set_new(ia, "completed_at", json_string(now));
        rc = store_idp_action_update(db, x->idp_action_id, ia);
    }
    json_decref(ia);
    return rc;
}

enum err oneonones_action_update(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, const struct action_change *c, struct action_item *x,
                                 struct errinfo *ei)
{
    struct series s = {0};
    struct subject sub = {0};
    json_t *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        rc = store_actions_get_for_update(db, a, id, x);
    if (rc == ERR_OK)
        rc = store_series_get(db, a, x->series_id, &s);
    if (rc == ERR_OK) {
        sub.author = s.lead_id == actor->person_id || s.member_id == actor->person_id;
        rc = policy_check(db, actor, ACT_ONEONONE, &sub);
    }
    if (rc == ERR_FORBIDDEN || rc == ERR_NOT_FOUND)
        rc = err_set(ei, ERR_NOT_FOUND, "no such action item");
    if (rc == ERR_OK) {
        before = action_image(x);
        if (c->owner_set)
            x->owner_id = c->owner_id;
        if (c->body)
            x->body = c->body;
        if (c->due_set)
            x->due_date = c->due_date;
        if (c->status && strcmp(c->status, x->status) != 0) {
            x->status = c->status;
            x->done_at = strcmp(c->status, "done") == 0 ? arena_strdup(a, now) : NULL;
        }
        if (c->owner_set && x->owner_id != s.lead_id && x->owner_id != s.member_id)
            err_field(ei, "owner_id", "must be one of the two people who meet");
        rc = err_fields_result(ei);
    }
    if (rc == ERR_OK)
        rc = store_actions_update(db, x);
    if (rc == ERR_OK && x->idp_action_id && strcmp(x->status, "done") == 0)
        rc = action_done_in_plan(db, x, now);
    if (rc == ERR_OK)
        rc = store_actions_get(db, a, id, x);
    if (rc == ERR_OK) {
        after = action_image(x);
        rc = audit_record(db, actor->person_id, "action_item.update", "action_item", x->id, before,
                          after);
    }
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}
