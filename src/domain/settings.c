/* SPDX-License-Identifier: MIT */
/* See settings.h. */
#include "domain/settings.h"

#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/oneonones.h"
#include "store/oneonones.h"
#include "store/settings.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

static json_t *values_of(struct db *db, struct arena *a)
{
    const char *text = store_setting_get(db, a, "company_values");
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;

    if (!json_is_array(v)) {
        json_decref(v);
        v = json_array();
    }
    return v;
}

const char *settings_org_name(struct db *db, struct arena *a)
{
    const char *v = store_setting_get(db, a, "organisation_name");

    return v ? v : "";
}

int64_t settings_threshold(struct db *db, struct arena *a)
{
    const char *v = store_setting_get(db, a, "anonymity_threshold");
    long n = v ? strtol(v, NULL, 10) : 0;

    return n >= 2 && n <= 20 ? n : SETTINGS_THRESHOLD_DEFAULT;
}

enum err settings_threshold_read(struct db *db, struct arena *a, int64_t *out)
{
    const char *v;
    enum err rc = store_setting_read(db, a, "anonymity_threshold", &v);
    long n = v ? strtol(v, NULL, 10) : 0;

    *out = n >= 2 && n <= 20 ? n : SETTINGS_THRESHOLD_DEFAULT;
    return rc;
}

bool settings_value_allowed(struct db *db, struct arena *a, const char *value)
{
    json_t *v = values_of(db, a), *x;
    bool ok = json_array_size(v) == 0;
    size_t i;

    json_array_foreach(v, i, x)
    {
        ok = ok || (value && strcmp(json_string_value(x), value) == 0);
    }
    json_decref(v);
    return ok;
}

/* --- reminders ---------------------------------------------------------------------------------
 */

static const char *const rule_names[] = {
    "agenda_empty",    "action_due", "no_one_on_one", "review_overdue", "goal_stale",
    "review_deadline", NULL};
_Static_assert(sizeof(rule_names) / sizeof(rule_names[0]) == REMIND_RULES + 1,
               "a name per remind_rule");
static const struct {
    const char *key;
    int min, max, def;
} limits[] = {{"no_one_on_one_weeks", 2, 26, 6},
              {"goal_stale_days", 7, 180, 30},
              {"review_deadline_days", 1, 14, 1}};

void settings_reminders(struct db *db, struct arena *a, struct reminder_settings *out)
{
    const char *text = store_setting_get(db, a, "reminders");
    json_t *v = text ? json_loads(text, 0, NULL) : NULL, *rules = json_object_get(v, "rules");
    int *num[] = {&out->weeks, &out->stale_days, &out->deadline_days};
    json_t *hour = json_object_get(v, "hour_utc");

    for (int i = 0; i < REMIND_RULES; i++) {
        json_t *x = json_object_get(rules, rule_names[i]);

        out->on[i] = !json_is_false(x);
    }
    for (size_t i = 0; i < 3; i++) {
        json_t *x = json_object_get(v, limits[i].key);
        json_int_t n = json_is_integer(x) ? json_integer_value(x) : limits[i].def;

        *num[i] = n >= limits[i].min && n <= limits[i].max ? (int)n : limits[i].def;
    }
    out->hour_utc =
        json_is_integer(hour) && json_integer_value(hour) >= 0 && json_integer_value(hour) <= 23
            ? (int)json_integer_value(hour)
            : -1;
    json_decref(v);
}

static json_t *reminders_json(const struct reminder_settings *r)
{
    json_t *rules = json_object();

    for (int i = 0; i < REMIND_RULES; i++)
        json_object_set_new(rules, rule_names[i], json_boolean(r->on[i]));
    return json_pack("{s:o, s:i, s:i, s:i, s:o}", "rules", rules, "no_one_on_one_weeks", r->weeks,
                     "goal_stale_days", r->stale_days, "review_deadline_days", r->deadline_days,
                     "hour_utc", r->hour_utc < 0 ? json_null() : json_integer(r->hour_utc));
}

/* The name of a nested field in its error ("reminders.rules.goal_stale"). */
static const char *nested(char name[static 64], const char *prefix, const char *key)
{
    snprintf(name, 64, "%s%s", prefix, key);
    return name;
}

/* Puts the members of patch over r; a wrong member is a field error "reminders.<name>". */
static void reminders_merge(json_t *patch, struct reminder_settings *r, struct errinfo *ei)
{
    static const char *const allowed[] = {"rules",           "no_one_on_one_weeks",
                                          "goal_stale_days", "review_deadline_days",
                                          "hour_utc",        NULL};
    int *num[] = {&r->weeks, &r->stale_days, &r->deadline_days};
    json_t *rules = json_object_get(patch, "rules"), *hour = json_object_get(patch, "hour_utc");
    const char *key;
    char name[64];
    json_t *x;

    if (!json_is_object(patch)) {
        err_field(ei, "reminders", "must be an object");
        return;
    }
    json_object_foreach(patch, key, x)
    {
        bool known = false;

        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(allowed[i], key) == 0;
        if (!known)
            err_field(ei, nested(name, "reminders.", key), "unknown field");
    }
    if (rules && !json_is_object(rules))
        err_field(ei, "reminders.rules", "must be an object of rules, each on (true) or off");
    json_object_foreach(json_is_object(rules) ? rules : NULL, key, x)
    {
        int i = 0;

        while (rule_names[i] && strcmp(rule_names[i], key) != 0)
            i++;
        if (!rule_names[i])
            err_field(ei, nested(name, "reminders.rules.", key), "is not a rule");
        else if (!json_is_boolean(x))
            err_field(ei, nested(name, "reminders.rules.", key), "must be true or false");
        else
            r->on[i] = json_is_true(x);
    }
    for (size_t i = 0; i < 3; i++) {
        json_t *n = json_object_get(patch, limits[i].key);

        if (!n)
            continue;
        if (!json_is_integer(n) || json_integer_value(n) < limits[i].min ||
            json_integer_value(n) > limits[i].max)
            err_field(ei, nested(name, "reminders.", limits[i].key),
                      "must be a whole number from %d to %d", limits[i].min, limits[i].max);
        else
            *num[i] = (int)json_integer_value(n);
    }
    if (hour && !json_is_null(hour) &&
        (!json_is_integer(hour) || json_integer_value(hour) < 0 || json_integer_value(hour) > 23))
        err_field(ei, "reminders.hour_utc", "must be an hour from 0 to 23, or null for every pass");
    else if (hour)
        r->hour_utc = json_is_null(hour) ? -1 : (int)json_integer_value(hour);
}

/* --- the logo ----------------------------------------------------------------------------------
 */

/* Stored as "<type> <version> <base64>". */
bool settings_logo(struct db *db, struct arena *a, const char **type, const void **bytes,
                   size_t *len, const char **version)
{
    const char *v = store_setting_get(db, a, "logo");
    const char *sp1 = v ? strchr(v, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    size_t b64 = sp2 ? strlen(sp2 + 1) : 0;
    unsigned char *out;

    if (!sp2)
        return false;
    out = arena_alloc(a, b64 + 1);
    if (sodium_base642bin(out, b64 + 1, sp2 + 1, b64, NULL, len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    *type = arena_strndup(a, v, (size_t)(sp1 - v));
    *version = arena_strndup(a, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    *bytes = out;
    return true;
}

/* The version of the stored logo without decoding it, or NULL. */
const char *settings_logo_version(struct db *db, struct arena *a)
{
    const char *head = store_setting_head(db, a, "logo", 40);
    const char *sp1 = head ? strchr(head, ' ') : NULL, *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;

    return sp2 ? arena_strndup(a, sp1 + 1, (size_t)(sp2 - sp1 - 1)) : NULL;
}

/* The image type of the first bytes: PNG, JPEG or WebP, else NULL. */
static const char *sniff(const unsigned char *p, size_t len)
{
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return "image/jpeg";
    if (len >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "image/webp";
    return NULL;
}

static json_t *logo_json(struct db *db, struct arena *a)
{
    const char *type, *version;
    const void *bytes;
    size_t len;

    if (!settings_logo(db, a, &type, &bytes, &len, &version))
        return json_null();
    return json_pack("{s:s, s:I, s:s}", "type", type, "bytes", (json_int_t)len, "version", version);
}

enum err settings_logo_put(struct db *db, struct arena *a, const struct actor *actor,
                           const char *declared, const void *bytes, size_t len, struct errinfo *ei)
{
    const char *type = bytes ? sniff(bytes, len) : NULL;
    char *value = NULL, now[21];
    json_t *before = NULL, *after = NULL;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins change the organisation's logo");
    if (bytes && len == 0)
        err_field(ei, "logo", "is empty: choose an image file");
    else if (bytes && len > SETTINGS_LOGO_MAX)
        err_field(ei, "logo", "is %zu KB; it must be at most %d KB", (len + 1023) / 1024,
                  SETTINGS_LOGO_MAX / 1024);
    else if (bytes && !type)
        err_field(ei, "logo", "must be a PNG, JPEG or WebP image");
    else if (bytes && declared && *declared && strncmp(declared, type, strlen(type)) != 0)
        err_field(ei, "logo", "is a %s file, not %s as its Content-Type says", type + 6, declared);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    if (bytes) {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        size_t b64 = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
        char *enc = arena_alloc(a, b64);

        crypto_hash_sha256(h, bytes, len);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        hex[12] = '\0';
        sodium_bin2base64(enc, b64, bytes, len, sodium_base64_VARIANT_ORIGINAL);
        value = arena_printf(a, "%s %s %s", type, hex, enc);
    }
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        before = logo_json(db, a);
    if (rc == ERR_OK)
        rc = value ? store_setting_put(db, "logo", value, actor->person_id, now)
                   : store_setting_delete(db, "logo");
    if (rc == ERR_OK) {
        after = logo_json(db, a);
        rc = audit_record(db, actor->person_id,
                          value ? "settings.logo.update" : "settings.logo.remove", "settings", 0,
                          before, after);
    }
    json_decref(before);
    json_decref(after);
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot save the logo") : ERR_OK;
}

json_t *settings_json(struct db *db, struct arena *a)
{
    struct reminder_settings r;
    const char *logo = settings_logo_version(db, a);

    settings_reminders(db, a, &r);
    return json_pack("{s:s, s:o, s:I, s:o, s:o}", "organisation_name", settings_org_name(db, a),
                     "company_values", values_of(db, a), "anonymity_threshold",
                     (json_int_t)settings_threshold(db, a), "logo",
                     logo ? json_string(logo) : json_null(), "reminders", reminders_json(&r));
}

/* company_values: a list of 0 to 12 distinct values of 1 to 40 characters. */
static void check_values(json_t *v, struct errinfo *ei)
{
    size_t i, j;
    json_t *x;

    if (!json_is_array(v) || json_array_size(v) > 12) {
        err_field(ei, "company_values", "must be a list of at most 12 values");
        return;
    }
    json_array_foreach(v, i, x)
    {
        const char *s = json_string_value(x);

        if (!s || !*s || strlen(s) > 40) {
            err_field(ei, "company_values", "value %zu must be 1 to 40 characters", i + 1);
            return;
        }
        for (j = 0; j < i; j++)
            if (strcmp(json_string_value(json_array_get(v, j)), s) == 0) {
                err_field(ei, "company_values", "\"%s\" is listed twice", s);
                return;
            }
    }
}

enum err settings_patch(struct db *db, struct arena *a, const struct actor *actor, json_t *body,
                        json_t **out, struct errinfo *ei)
{
    static const char *const allowed[] = {"organisation_name", "company_values",
                                          "anonymity_threshold", "reminders", NULL};
    const char *name = NULL;
    int64_t threshold = 0;
    json_t *values = json_object_get(body, "company_values"), *before = NULL;
    json_t *reminders = json_object_get(body, "reminders");
    enum jsonx_got got_name, got_threshold;
    char now[21];
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    *out = NULL;
    if (rc)
        return err_set(ei, rc, "only admins change the organisation's settings");
    jsonx_only(body, allowed, ei);
    got_name = jsonx_str(body, "organisation_name", &name, 100, false, ei);
    if (got_name == JSONX_SET && !*name)
        err_field(ei, "organisation_name", "must not be empty");
    got_threshold = jsonx_int(body, "anonymity_threshold", &threshold, false, ei);
    if (got_threshold == JSONX_SET && (threshold < 2 || threshold > 20))
        err_field(ei, "anonymity_threshold", "must be 2 to 20 people");
    if (values)
        check_values(values, ei);
    if (reminders) /* checked against defaults here, merged with the stored ones below */
        reminders_merge(reminders, &(struct reminder_settings){0}, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        before = settings_json(db, a);
    if (rc == ERR_OK && reminders) {
        struct reminder_settings r;
        json_t *j;
        char *text;

        settings_reminders(db, a, &r);
        reminders_merge(reminders, &r, ei);
        j = reminders_json(&r);
        text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rc = text ? store_setting_put(db, "reminders", text, actor->person_id, now) : ERR_INTERNAL;
        free(text);
    }
    if (rc == ERR_OK && got_name == JSONX_SET)
        rc = store_setting_put(db, "organisation_name", name, actor->person_id, now);
    if (rc == ERR_OK && got_threshold == JSONX_SET)
        rc =
            store_setting_put(db, "anonymity_threshold",
                              arena_printf(a, "%lld", (long long)threshold), actor->person_id, now);
    if (rc == ERR_OK && values) {
        char *text = json_dumps(values, JSON_COMPACT);

        rc = text ? store_setting_put(db, "company_values", text, actor->person_id, now)
                  : ERR_INTERNAL;
        free(text);
    }
    if (rc == ERR_OK)
        *out = settings_json(db, a);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "settings.update", "settings", 0, before, *out);
    json_decref(before);
    rc = db_end(db, rc);
    if (rc) {
        json_decref(*out);
        *out = NULL;
        return err_set(ei, rc, "cannot save the settings");
    }
    return ERR_OK;
}

/* --- email ------------------------------------------------------------------------------------ */

static const char *const email_keys[] = {"smtp_url", "smtp_from", "smtp_user", "smtp_starttls",
                                         NULL};

static const char *tls_name(enum smtp_tls t)
{
    return t == SMTP_TLS_REQUIRED ? "required" : t == SMTP_TLS_OFF ? "off" : "opportunistic";
}

static bool tls_parse(const char *s, enum smtp_tls *t)
{
    if (strcmp(s, "opportunistic") == 0)
        *t = SMTP_TLS_OPPORTUNISTIC;
    else if (strcmp(s, "required") == 0)
        *t = SMTP_TLS_REQUIRED;
    else if (strcmp(s, "off") == 0)
        *t = SMTP_TLS_OFF;
    else
        return false;
    return true;
}

void settings_mail(struct db *db, struct arena *a, const struct mail_config *base,
                   struct mail_config *out)
{
    const char *url = store_setting_get(db, a, "smtp_url");
    const char *from = store_setting_get(db, a, "smtp_from");
    const char *user = store_setting_get(db, a, "smtp_user");
    const char *tls = store_setting_get(db, a, "smtp_starttls");
    const char *box = store_setting_get(db, a, "smtp_password");

    *out = *base;
    if (url)
        out->url = url;
    if (from)
        out->from = from;
    if (user)
        out->user = user;
    if (tls)
        (void)tls_parse(tls, &out->tls);
    if (box) {
        char *pw = arena_alloc(a, 512);

        if (accounts_unseal("smtppass", box, pw, 512))
            out->password = pw;
    }
}

static json_t *email_json(struct db *db, struct arena *a, const struct mail_config *base)
{
    json_t *o = json_object();

    for (size_t i = 0; email_keys[i]; i++) {
        const char *v = store_setting_get(db, a, email_keys[i]);

        json_object_set_new(o, email_keys[i], v ? json_string(v) : json_null());
    }
    json_object_set_new(o, "smtp_password_set",
                        json_boolean(store_setting_get(db, a, "smtp_password") != NULL));
    if (base)
        json_object_set_new(o, "config",
                            json_pack("{s:s?, s:s?, s:s?, s:s, s:b}", "smtp_url", base->url,
                                      "smtp_from", base->from, "smtp_user", base->user,
                                      "smtp_starttls", tls_name(base->tls), "smtp_password_set",
                                      base->password && *base->password));
    return o;
}

enum err settings_email_get(struct db *db, struct arena *a, const struct actor *actor,
                            const struct mail_config *base, json_t **out, struct errinfo *ei)
{
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    *out = NULL;
    if (rc)
        return err_set(ei, rc, "only admins read the email settings");
    *out = email_json(db, a, base);
    return ERR_OK;
}

/* A field of the email body: *v the text (NULL: null, remove it), *sent whether the
 * body names it. */
static void email_field(json_t *body, const char *key, size_t max, const char **v, bool *sent,
                        struct errinfo *ei)
{
    json_t *x = json_object_get(body, key);

    *v = NULL;
    *sent = x != NULL;
    if (!x || json_is_null(x))
        return;
    if (!json_is_string(x)) {
        err_field(ei, key, "must be text or null");
        return;
    }
    *v = json_string_value(x);
    if (strlen(*v) > max)
        err_field(ei, key, "must be at most %zu characters", max);
    else if (!**v && strcmp(key, "smtp_password") != 0)
        *v = NULL; /* an emptied field: the server's configuration applies */
}

static void email_check(const char *url, const char *from, const char *tls, struct errinfo *ei)
{
    char err[600];
    enum smtp_tls t;

    if (url) {
        const char *host = strncmp(url, "smtps://", 8) == 0  ? url + 8
                           : strncmp(url, "smtp://", 7) == 0 ? url + 7
                                                             : NULL;

        if (!host)
            err_field(ei, "smtp_url", "must start with smtp:// or smtps://");
        else if (!*host || *host == ':' || *host == '/' || strpbrk(url, " \t\r\n"))
            err_field(ei, "smtp_url",
                      "must name the mail server, e.g. smtp://mail.example.com:587");
    }
    if (from && !mail_address_check(from, err, sizeof(err)))
        err_field(ei, "smtp_from", "%s", err);
    if (tls && !tls_parse(tls, &t))
        err_field(ei, "smtp_starttls", "must be opportunistic, required or off");
}

enum err settings_email_patch(struct db *db, struct arena *a, const struct actor *actor,
                              const struct mail_config *base, json_t *body, json_t **out,
                              struct errinfo *ei)
{
    static const char *const allowed[] = {"smtp_url",      "smtp_from",     "smtp_user",
                                          "smtp_starttls", "smtp_password", NULL};
    static const size_t max[] = {500, 254, 254, 20, 500};
    const char *v[5];
    bool sent[5];
    json_t *before = NULL;
    char now[21];
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    *out = NULL;
    if (rc)
        return err_set(ei, rc, "only admins change the email settings");
    jsonx_only(body, allowed, ei);
    for (size_t i = 0; i < 5; i++)
        email_field(body, allowed[i], max[i], &v[i], &sent[i], ei);
    email_check(v[0], v[1], v[3], ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        before = email_json(db, a, NULL);
    for (size_t i = 0; rc == ERR_OK && i < 5; i++) {
        const char *value = v[i];

        if (!sent[i])
            continue;
        if (i == 4 && value && *value)
            value = accounts_seal(a, "smtppass", value);
        else if (i == 4)
            value = NULL; /* "" or null: the saved password is removed */
        rc = value ? store_setting_put(db, allowed[i], value, actor->person_id, now)
                   : store_setting_delete(db, allowed[i]);
    }
    if (rc == ERR_OK) {
        json_t *after = email_json(db, a, NULL);

        rc = audit_record(db, actor->person_id, "settings.email.update", "settings", 0, before,
                          after);
        json_decref(after);
    }
    json_decref(before);
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot save the email settings");
    *out = email_json(db, a, base);
    return ERR_OK;
}
