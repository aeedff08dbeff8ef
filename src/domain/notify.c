/* SPDX-License-Identifier: MIT */
/* See notify.h. */
#include "domain/notify.h"

#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "store/notify.h"
#include "util/buf.h"
#include "util/timeutil.h"

const struct notify_kind notify_kinds[] = {
    {"review_assigned", "A review is assigned to you", "email"},
    {"review_deadline", "A review deadline is near", "email"},
    {"review_overdue", "A review of yours is overdue", "email"},
    {"review_reminder", "HR reminds you of reviews", "app"},
    {"review_released", "Your review outcome is released", "email"},
    {"outcome_response", "A report acknowledged or answered their outcome", "email"},
    {"feedback_received", "You received feedback", "app"},
    {"feedback_request", "Someone asks you for feedback", "email"},
    {"feedback_answered", "Your feedback request was answered", "app"},
    {"case_opened", "A promotion case is opened", "app"},
    {"case_decided", "A promotion case is decided", "email"},
    {"idp_comment", "A comment on a development plan", "app"},
    {"idp_signed_off", "A development plan is signed off", "app"},
    {"oneonone_summary", "A one-on-one summary is sent", "app"},
    {"agenda_empty", "A one-on-one soon has an empty agenda", "email"},
    {"action_due", "An action item is due", "email"},
    {"no_one_on_one", "No one-on-one with a report in six weeks", "email"},
    {"goal_stale", "A goal has had no check-in for a month", "email"},
    {"goal_proposal", "A goal is proposed to you, or your proposal is answered", "app"},
    {"mentorship", "Mentorship requests and answers", "app"},
    {"opportunity_interest", "Interest in an opportunity", "app"},
};
const size_t notify_nkinds = sizeof(notify_kinds) / sizeof(notify_kinds[0]);

const struct notify_kind *notify_kind_find(const char *kind)
{
    for (size_t i = 0; kind && i < notify_nkinds; i++)
        if (strcmp(notify_kinds[i].kind, kind) == 0)
            return &notify_kinds[i];
    return NULL;
}

static const char *channel_of(const char *kind, const char *chosen)
{
    const struct notify_kind *k = notify_kind_find(kind);

    if (chosen && *chosen)
        return chosen;
    return k ? k->channel : "app";
}

static const char footer[] = "You can choose what you are told about, and how, on your Account"
                             " page in Trellis.\r\n";
static char base_url[512];

void notify_configure(const char *public_url)
{
    size_t n = public_url ? strlen(public_url) : 0;

    while (n > 0 && public_url[n - 1] == '/')
        n--;
    if (n >= sizeof(base_url))
        n = 0;
    memcpy(base_url, public_url ? public_url : "", n);
    base_url[n] = '\0';
}

/* prefix, the link's address and suffix, when a public URL is configured and there is a link */
static void add_url(struct buf *b, const char *prefix, const char *link, const char *suffix)
{
    if (base_url[0] && link && *link)
        buf_addf(b, "%s%s/%s%s", prefix, base_url, link[0] == '/' ? link + 1 : link, suffix);
}

void notify_add_link(struct buf *b, const char *label, const char *link)
{
    char prefix[128];

    snprintf(prefix, sizeof(prefix), "%s: ", label);
    add_url(b, prefix, link, "\r\n\r\n");
}

enum err notify(struct db *db, int64_t person, const char *kind, const char *body, const char *link,
                const char *key, const char *now)
{
    char chosen[8], dedupe[200], subject[160];
    const struct notify_kind *k = notify_kind_find(kind);
    const char *ch;
    bool digest, email;
    int64_t id;
    enum err rc;

    if (!person)
        return ERR_OK;
    rc = store_notify_pref(db, person, kind, chosen, &digest);
    if (rc)
        return rc;
    ch = channel_of(kind, chosen);
    if (strcmp(ch, "off") == 0)
        return ERR_OK;
    email = strcmp(ch, "email") == 0;
    rc = store_notify_add(db, person, kind, body, link, key, email && digest, now, &id);
    if (rc || !id || !email || digest)
        return rc;
    struct buf b;

    buf_init(&b, 1 << 20);
    buf_addf(&b, "%s\r\n\r\n", body);
    notify_add_link(&b, "Open it in Trellis", link);
    buf_add(&b, footer);
    snprintf(dedupe, sizeof(dedupe), "notify:%s", key);
    snprintf(subject, sizeof(subject), "Trellis: %s", k ? k->label : "a notification");
    rc = store_notify_email(db, person, id, dedupe, subject, buf_str(&b), now);
    buf_cleanup(&b);
    return rc;
}

/* One message for the rows [from, to) of one person. */
static enum err mail_one(struct db *db, const struct notify_mail *v, size_t from, size_t to,
                         const char *dedupe, const char *what, const char *now)
{
    char subject[160];
    struct buf b;
    enum err rc;

    buf_init(&b, 1 << 20);
    if (to - from == 1) {
        const struct notify_kind *k = notify_kind_find(v[from].kind);

        snprintf(subject, sizeof(subject), "Trellis: %s", k ? k->label : "a reminder");
        buf_addf(&b, "%s\r\n\r\n", v[from].body);
        notify_add_link(&b, "Open it in Trellis", v[from].link);
    } else {
        snprintf(subject, sizeof(subject), "Trellis: %zu %s", to - from, what);
        for (size_t i = from; i < to; i++) {
            buf_addf(&b, "- %s\r\n", v[i].body);
            add_url(&b, "  ", v[i].link, "\r\n");
        }
        buf_add(&b, "\r\n");
    }
    buf_add(&b, footer);
    rc = store_notify_email(db, v[from].person_id, v[from].id, dedupe, subject, buf_str(&b), now);
    buf_cleanup(&b);
    return rc;
}

enum err notify_pass_emails(struct db *db, struct arena *a, const char *pass, int64_t from,
                            int64_t to, const char *now)
{
    struct notify_mail *v, *keep;
    size_t n, k = 0;
    enum err rc = store_notify_of_pass(db, a, pass, from, to, &v, &n);

    if (rc)
        return rc;
    keep = arena_alloc(a, (n ? n : 1) * sizeof(*keep));
    /* only the email channel, and the digest keeps its own */
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (strcmp(channel_of(v[i].kind, v[i].channel), "email") != 0)
            continue;
        if (v[i].digest)
            rc = store_notify_set_pending(db, v[i].id);
        else
            keep[k++] = v[i];
    }
    for (size_t i = 0; rc == ERR_OK && i < k;) {
        size_t j = i;
        char dedupe[128];

        while (j < k && keep[j].person_id == keep[i].person_id)
            j++;
        snprintf(dedupe, sizeof(dedupe), "notify-pass:%s:%lld", pass, (long long)keep[i].person_id);
        rc = mail_one(db, keep, i, j, dedupe, "reminders", now);
        i = j;
    }
    return rc;
}

enum err notify_digests(struct db *db, struct arena *a, int64_t now, int64_t *sent)
{
    char t_now[21], since[21];
    struct notify_mail *v;
    size_t n;
    enum err rc;

    *sent = 0;
    time_rfc3339(now, t_now);
    time_rfc3339(now - 86400, since);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_notify_digest_due(db, a, since, 5000, &v, &n);
    for (size_t i = 0; rc == ERR_OK && i < n;) {
        size_t j = i;
        char dedupe[128];

        while (j < n && v[j].person_id == v[i].person_id)
            j++;
        /* a person cut by the limit waits for the next pass whole */
        if (j == n && n == 5000 && i > 0)
            break;
        snprintf(dedupe, sizeof(dedupe), "digest:%lld:%s", (long long)v[i].person_id, t_now);
        rc = mail_one(db, v, i, j, dedupe, "things in your daily digest", t_now);
        if (rc == ERR_OK)
            rc = store_notify_digest_sent(db, v[i].person_id, v[j - 1].id, t_now);
        (*sent)++;
        i = j;
    }
    return db_end(db, rc);
}

/* The person's preferences as {digest, kinds: [{kind, label, channel, default}]}. */
static json_t *prefs_json(struct db *db, int64_t person, enum err *rc)
{
    json_t *chosen = NULL, *kinds = json_array();
    bool digest = false;

    *rc = store_notify_prefs_of(db, person, &chosen, &digest);
    for (size_t i = 0; *rc == ERR_OK && i < notify_nkinds; i++) {
        const char *ch = NULL;
        size_t j;
        json_t *x;

        json_array_foreach(chosen, j, x)
        {
            if (strcmp(json_string_value(json_object_get(x, "kind")), notify_kinds[i].kind) == 0)
                ch = json_string_value(json_object_get(x, "channel"));
        }
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:s}", "kind", notify_kinds[i].kind,
                                               "label", notify_kinds[i].label, "channel",
                                               ch ? ch : notify_kinds[i].channel, "default",
                                               notify_kinds[i].channel));
    }
    json_decref(chosen);
    return json_pack("{s:b, s:o}", "digest", digest, "kinds", kinds);
}

enum err notify_prefs_get(struct db *db, int64_t person, json_t **out, struct errinfo *ei)
{
    enum err rc;

    *out = prefs_json(db, person, &rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return err_set(ei, rc, "cannot read the notification preferences");
    }
    return ERR_OK;
}

enum err notify_prefs_set(struct db *db, const struct actor *actor, json_t *kinds,
                          const bool *digest, json_t **out, struct errinfo *ei)
{
    const char *kind;
    json_t *v, *before = NULL;
    enum err rc;

    /* every kind and channel is checked before anything is written */
    json_object_foreach(kinds, kind, v)
    {
        const char *ch = json_string_value(v);

        if (!notify_kind_find(kind))
            err_field(ei, "kinds", "“%.60s” is not a kind of notification", kind);
        else if (!ch ||
                 (strcmp(ch, "app") != 0 && strcmp(ch, "email") != 0 && strcmp(ch, "off") != 0))
            err_field(ei, "kinds", "choose in the app, by email, or off for “%.60s”", kind);
    }
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = db_begin(db);
    if (rc == ERR_OK)
        before = prefs_json(db, actor->person_id, &rc);
    json_object_foreach(kinds, kind, v)
    {
        if (rc == ERR_OK)
            rc = store_notify_pref_set(db, actor->person_id, kind, json_string_value(v));
    }
    if (rc == ERR_OK && digest)
        rc = store_notify_digest_set(db, actor->person_id, *digest);
    if (rc == ERR_OK)
        *out = prefs_json(db, actor->person_id, &rc);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "notification_prefs.update", "person",
                          actor->person_id, before, *out);
    json_decref(before);
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return err_set(ei, rc, "cannot store the notification preferences");
    }
    return ERR_OK;
}
