/* SPDX-License-Identifier: MIT */
/* The API contract: the JSON files of src/api/schema/ (compiled into the binary) give each route of
 * the route table its query parameters, request body and reply as JSON Schema. The router refuses a
 * body field a route's schema does not name (api_body), and GET /api/v1/openapi.json is built
 * from the route table and these schemas, so the document and the server cannot disagree on
 * which fields a write takes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/embed.h"
#include "util/jsonx.h"
#include "util/log.h"

/* route index → its entry in the schema files ("METHOD /pattern"), parsed once */
static json_t *components; /* name → schema */
static json_t **entries;   /* one per route, NULL when a route has none */
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void)
{
    int n = api_route_count();
    json_t *all = json_object();

    components = json_object();
    entries = calloc((size_t)n, sizeof(json_t *));
    for (const struct embedded_file *f = embedded_schemas; f->name; f++) {
        json_error_t je;
        json_t *doc = json_loadb((const char *)f->data, f->len, 0, &je);
        const char *key;
        json_t *v;

        if (!doc) {
            /* a build-time file: the API test fails on it; the document says which */
            log_warn("openapi: %s:%d: %s", f->name, je.line, je.text);
            continue;
        }
        json_object_foreach(json_object_get(doc, "components"), key, v)
        {
            if (json_object_get(components, key))
                log_warn("openapi: %s: component %s defined twice", f->name, key);
            json_object_set(components, key, v);
        }
        json_object_foreach(json_object_get(doc, "routes"), key, v)
        {
            if (json_object_get(all, key))
                log_warn("openapi: %s: route %s described twice", f->name, key);
            json_object_set(all, key, v);
        }
        json_decref(doc);
    }
    for (int i = 0; entries && i < n; i++) {
        char key[256];

        snprintf(key, sizeof(key), "%s %s", api_route_method(i), api_route_name(i));
        entries[i] = json_object_get(all, key);
        if (entries[i])
            json_incref(entries[i]);
    }
    json_decref(all);
}

static json_t *entry(int route)
{
    pthread_once(&loaded, load);
    return entries && route >= 0 && route < api_route_count() ? entries[route] : NULL;
}

/* The top-level fields the body schema of route names, when it closes its object. */
enum err api_body_fields_check(int route, json_t *body, struct errinfo *ei)
{
    json_t *schema = json_object_get(entry(route), "body"), *props;
    const char *key;
    json_t *v;

    if (!json_is_object(schema) || !json_is_false(json_object_get(schema, "additionalProperties")))
        return ERR_OK;
    props = json_object_get(schema, "properties");
    json_object_foreach(body, key, v)
    {
        if (!json_object_get(props, key))
            err_field(ei, key, "unknown field");
    }
    return err_fields_result(ei);
}

static json_t *json_media(const char *type, json_t *schema)
{
    return json_pack("{s:{s:{s:o}}}", "content", type ? type : "application/json", "schema",
                     schema);
}

/* The operation of route i: summary, parameters, body and replies. */
static json_t *operation(int i)
{
    const char *pattern = api_route_name(i), *method = api_route_method(i);
    json_t *e = entry(i), *op = json_object(), *params = json_array(), *responses = json_object();
    json_t *path_types = json_object_get(e, "path"), *v, *reply = json_object_get(e, "reply");
    const char *status = json_string_value(json_object_get(e, "status"));
    size_t k;
    char id[300];

    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        char name[64];
        json_t *type;

        snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
        type = json_object_get(path_types, name);
        json_array_append_new(
            params,
            json_pack("{s:s, s:s, s:b, s:o}", "name", name, "in", "path", "required", 1, "schema",
                      type ? json_incref(type)
                           : json_pack("{s:s, s:i}", "type", "integer", "minimum", 1)));
    }
    json_array_foreach(json_object_get(e, "query"), k, v)
    {
        json_t *q = json_deep_copy(v);

        json_object_set_new(q, "in", json_string("query"));
        json_array_append_new(params, q);
    }
    json_object_set_new(op, "summary", json_string(api_route_summary(i)));
    snprintf(id, sizeof(id), "%s %s", method, pattern);
    json_object_set_new(op, "operationId", json_string(id));
    if (json_object_get(e, "description"))
        json_object_set(op, "description", json_object_get(e, "description"));
    json_object_set_new(op, "tags",
                        json_pack("[s]", json_string_value(json_object_get(e, "tag"))
                                             ? json_string_value(json_object_get(e, "tag"))
                                             : "other"));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (json_object_get(e, "body")) {
        json_t *rb = json_media(json_string_value(json_object_get(e, "body_type")),
                                json_incref(json_object_get(e, "body")));

        json_object_set_new(rb, "required",
                            json_boolean(!json_is_false(json_object_get(e, "body_required"))));
        json_object_set_new(op, "requestBody", rb);
    }
    switch (api_route_auth_kind(i)) {
    case API_AUTH_NONE:
        json_object_set_new(op, "security", json_array());
        break;
    case API_AUTH_SCIM: /* SCIM tokens only; SCIM errors (docs/api-scim.md) */
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "scim"));
        break;
    default:
        break;
    }
    if (!status)
        status = strcmp(method, "POST") == 0 ? "201" : "200";
    if (json_is_null(reply) || strcmp(status, "204") == 0 || (status[0] == '3'))
        json_object_set_new(responses, status, json_pack("{s:s}", "description", "success"));
    else {
        json_t *r = json_media(json_string_value(json_object_get(e, "reply_type")),
                               reply ? json_incref(reply) : json_pack("{s:s}", "type", "object"));

        json_object_set_new(r, "description", json_string("success"));
        json_object_set_new(responses, status, r);
    }
    /* SCIM answers its own error shape (RFC 7644 section 3.12) */
    json_object_set_new(
        responses, "default",
        api_route_auth_kind(i) == API_AUTH_SCIM
            ? json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "a SCIM error (docs/api-scim.md)",
                        "content", "application/scim+json", "schema", "$ref",
                        "#/components/schemas/ScimError")
            : json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
                        "an error (docs/api-foundation.md)", "content", "application/json",
                        "schema", "$ref", "#/components/schemas/Error"));
    json_object_set_new(op, "responses", responses);
    if (!e)
        json_object_set_new(op, "x-trellis-undocumented", json_true());
    return op;
}

/* The OpenAPI 3.1 document, built from the route table so no route can be missing from it. */
enum err api_service_openapi(struct request *r, struct errinfo *ei)
{
    json_t *doc, *paths = json_object(), *schemes;

    (void)ei;
    for (int i = 0; i < api_route_count(); i++) {
        json_t *item = json_object_get(paths, api_route_name(i));
        char method[8];
        size_t k;

        if (!item) {
            item = json_object();
            json_object_set_new(paths, api_route_name(i), item);
        }
        for (k = 0; api_route_method(i)[k] && k + 1 < sizeof(method); k++)
            method[k] = (char)(api_route_method(i)[k] - 'A' + 'a');
        method[k] = '\0';
        json_object_set_new(item, method, operation(i));
    }
    schemes = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}", "session", "type",
                        "apiKey", "in", "cookie", "name", "trellis_session", "bearer", "type",
                        "http", "scheme", "bearer", "scim", "type", "http", "scheme", "bearer");
    doc = json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:O, s:o}, s:[{s:[]}, {s:[]}]}", "openapi",
                    "3.1.0", "info", "title", "Trellis API", "version", "1", "description",
                    "Performance management and career development. Errors, pagination and "
                    "authentication: docs/api-foundation.md.",
                    "paths", paths, "components", "schemas", components, "securitySchemes", schemes,
                    "security", "session", "bearer");
    if (!doc)
        return ERR_INTERNAL;
    response_json(r, 200, doc);
    return ERR_OK;
}
