/* SPDX-License-Identifier: MIT */
/* See settings.h. */
#include "domain/settings.h"

#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
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

json_t *settings_json(struct db *db, struct arena *a)
{
    return json_pack("{s:s, s:o, s:I}", "organisation_name", settings_org_name(db, a),
                     "company_values", values_of(db, a), "anonymity_threshold",
                     (json_int_t)settings_threshold(db, a));
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
                                          "anonymity_threshold", NULL};
    const char *name = NULL;
    int64_t threshold = 0;
    json_t *values = json_object_get(body, "company_values"), *before = NULL;
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
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK)
        before = settings_json(db, a);
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
