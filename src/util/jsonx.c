/* SPDX-License-Identifier: MIT */
/* See jsonx.h. */
#include "util/jsonx.h"

#include <stdbool.h>
#include <string.h>

static void decref(void *p)
{
    json_decref(p);
}

enum err jsonx_parse_object(struct arena *a, const char *body, size_t len, json_t **out,
                            struct errinfo *ei)
{
    json_error_t je;
    json_t *root;

    *out = NULL;
    if (!body || len == 0)
        return err_set(ei, ERR_BAD_JSON, "the request body must be a JSON object");
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root && strstr(je.text, "too big integer"))
        /* well-formed JSON, a number no id or count can be: the value is what is wrong */
        return err_set(ei, ERR_VALIDATION, "a number in the body is too large (line %d, column %d)",
                       je.line, je.column);
    if (!root)
        return err_set(ei, ERR_BAD_JSON, "malformed JSON at line %d, column %d: %s", je.line,
                       je.column, je.text);
    arena_defer(a, decref, root);
    if (!json_is_object(root))
        return err_set(ei, ERR_BAD_JSON, "the request body must be a JSON object");
    *out = root;
    return ERR_OK;
}

void jsonx_only(json_t *obj, const char *const *allowed, struct errinfo *ei)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        bool ok = false;

        for (const char *const *k = allowed; *k; k++)
            if (strcmp(*k, key) == 0)
                ok = true;
        if (!ok)
            err_field(ei, key, "unknown field");
    }
}

enum jsonx_got jsonx_str(json_t *obj, const char *key, const char **out, size_t maxlen,
                         bool nullable, struct errinfo *ei)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        return JSONX_ABSENT;
    if (json_is_null(v)) {
        if (nullable) {
            *out = NULL;
            return JSONX_NULL;
        }
        err_field(ei, key, "must not be null");
        return JSONX_BAD;
    }
    if (!json_is_string(v)) {
        err_field(ei, key, "must be a string");
        return JSONX_BAD;
    }
    if (json_string_length(v) > maxlen) {
        err_field(ei, key, "must be at most %zu bytes", maxlen);
        return JSONX_BAD;
    }
    *out = json_string_value(v);
    return JSONX_SET;
}

/* A member that names a row: "id" or "..._id". */
static bool is_id_key(const char *key)
{
    size_t n = strlen(key);

    return strcmp(key, "id") == 0 || (n > 3 && strcmp(key + n - 3, "_id") == 0);
}

enum jsonx_got jsonx_int(json_t *obj, const char *key, int64_t *out, bool nullable,
                         struct errinfo *ei)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        return JSONX_ABSENT;
    if (json_is_null(v)) {
        if (nullable)
            return JSONX_NULL;
        err_field(ei, key, "must not be null");
        return JSONX_BAD;
    }
    if (!json_is_integer(v)) {
        err_field(ei, key, "must be an integer");
        return JSONX_BAD;
    }
    *out = (int64_t)json_integer_value(v);
    if (*out <= 0 && is_id_key(key)) {
        /* an id is a positive integer: 0 and -1 name nothing (422, never a 500 further on) */
        err_field(ei, key, "must be a positive integer id");
        return JSONX_BAD;
    }
    return JSONX_SET;
}

enum jsonx_got jsonx_num(json_t *obj, const char *key, double *out, struct errinfo *ei)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        return JSONX_ABSENT;
    if (!json_is_number(v)) {
        err_field(ei, key, "must be a number");
        return JSONX_BAD;
    }
    *out = json_number_value(v);
    return JSONX_SET;
}

enum jsonx_got jsonx_bool(json_t *obj, const char *key, bool *out, struct errinfo *ei)
{
    json_t *v = json_object_get(obj, key);

    if (!v)
        return JSONX_ABSENT;
    if (!json_is_boolean(v)) {
        err_field(ei, key, "must be true or false");
        return JSONX_BAD;
    }
    *out = json_is_true(v);
    return JSONX_SET;
}

void jsonx_require(enum jsonx_got got, const char *key, struct errinfo *ei)
{
    if (got == JSONX_ABSENT || got == JSONX_NULL)
        err_field(ei, key, "is required");
}

json_t *jsonx_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

char *jsonx_dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}
