/* SPDX-License-Identifier: MIT */
/* SCIM 2.0 (RFC 7643/7644) at /scim/v2 (docs/api-scim.md): Users, Groups (departments), the
 * discovery resources, filters, pagination and PATCH in the forms Okta and Microsoft Entra send,
 * errors in the SCIM shape; and the admin routes for SCIM tokens under /api/v1/admin. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "domain/scim.h"
#include "store/people.h"
#include "store/scim.h"
#include "util/jsonx.h"

#define SCHEMA_USER  "urn:ietf:params:scim:schemas:core:2.0:User"
#define SCHEMA_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define SCHEMA_ENT   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define SCHEMA_LIST  "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define SCHEMA_ERROR "urn:ietf:params:scim:api:messages:2.0:Error"
#define SCHEMA_PATCH "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SCIM_TYPE    "application/scim+json; charset=utf-8"
#define MAX_COUNT    200

static void scim_json(struct request *r, int status, json_t *body)
{
    response_json(r, status, body);
    r->content_type = SCIM_TYPE;
}

void api_scim_error(struct request *r, enum err e, const struct errinfo *ei)
{
    int status = e == ERR_VALIDATION || e == ERR_BAD_JSON ? 400 : err_status(e);
    const char *type = ei && ei->code ? ei->code : NULL;
    const char *detail = ei && ei->message[0] && e != ERR_INTERNAL ? ei->message : NULL;
    json_t *body;

    if (!type && e == ERR_BAD_JSON)
        type = "invalidSyntax";
    if (!type && e == ERR_VALIDATION)
        type = "invalidValue";
    if (!detail)
        detail = e == ERR_INTERNAL ? "something went wrong on our side" : err_code(e);
    if (e == ERR_VALIDATION && ei && ei->nfields && !ei->code)
        detail = arena_printf(r->arena, "%s: %s", ei->fields[0].field, ei->fields[0].problem);
    body = json_pack("{s:[s], s:s%, s:s}", "schemas", SCHEMA_ERROR, "status",
                     arena_printf(r->arena, "%d", status),
                     strlen(arena_printf(r->arena, "%d", status)), "detail", detail);
    if (!body)
        body = json_pack("{s:[s], s:s}", "schemas", SCHEMA_ERROR, "status", "500");
    if (type)
        json_object_set_new(body, "scimType", json_string(type));
    if (e == ERR_UNAUTHENTICATED)
        request_add_header(r, "WWW-Authenticate", "Bearer realm=\"trellis-scim\"");
    if (e == ERR_UNAVAILABLE)
        request_add_header(r, "Retry-After", "2");
    scim_json(r, status, body);
}

enum err api_scim_authenticate(struct request *r, struct errinfo *ei)
{
    const char *auth = request_header(r, "Authorization");

    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) > 200)
        return err_set(ei, ERR_UNAUTHENTICATED, "send a SCIM token as Authorization: Bearer");
    if (scim_authenticate(r->db, r->arena, auth + 7, &r->actor) != ERR_OK)
        return err_set(ei, ERR_UNAUTHENTICATED, "the SCIM token is not valid");
    return ERR_OK;
}

static enum err require_scim(struct request *r, struct errinfo *ei)
{
    enum err rc = policy_check(r->db, &r->actor, ACT_SCIM_PROVISION, NULL);

    return rc ? err_set(ei, rc, "a SCIM token is required") : ERR_OK;
}

/* Where clients reach /scim/v2 (api_base_url: a Host of an odd shape is not echoed). */
static const char *base_url(struct request *r)
{
    return arena_printf(r->arena, "%s/scim/v2", api_base_url(r));
}

static json_t *meta(struct request *r, const char *type, const char *path, int64_t id,
                    const char *created, const char *modified)
{
    json_t *m = json_pack("{s:s, s:s}", "resourceType", type, "location",
                          arena_printf(r->arena, "%s/%s/%lld", base_url(r), path, (long long)id));

    if (created)
        json_object_set_new(m, "created", json_string(created));
    if (modified) {
        json_object_set_new(m, "lastModified", json_string(modified));
        json_object_set_new(m, "version",
                            json_string(arena_printf(r->arena, "W/\"%s\"", modified)));
    }
    return m;
}

static const char *id_text(struct request *r, int64_t id)
{
    return arena_printf(r->arena, "%lld", (long long)id);
}

/* --- reading a request ---------------------------------------------------------------------- */

static bool prefix(const char **s, const char *p)
{
    size_t n = strlen(p);

    if (strncasecmp(*s, p, n) != 0)
        return false;
    *s += n;
    return true;
}

/* A string value (or null to clear); false (with a field problem) for anything else. */
static bool str_value(json_t *v, const char *field, const char **out, struct errinfo *ei)
{
    if (!v || json_is_null(v)) {
        *out = NULL;
        return true;
    }
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return true;
    }
    if (json_is_integer(v)) { /* an employee number sent as a number */
        *out = NULL;
        err_field(ei, field, "must be a string");
        return false;
    }
    err_field(ei, field, "must be a string");
    return false;
}

/* The address among emails: the work one, else the primary, else the first. */
static const char *pick_email(json_t *emails)
{
    const char *first = NULL, *primary = NULL;
    size_t i;
    json_t *e;

    json_array_foreach(emails, i, e)
    {
        const char *v = json_string_value(json_object_get(e, "value"));
        const char *type = json_string_value(json_object_get(e, "type"));

        if (!v)
            continue;
        if (type && strcasecmp(type, "work") == 0)
            return v;
        if (json_is_true(json_object_get(e, "primary")) && !primary)
            primary = v;
        if (!first)
            first = v;
    }
    return primary ? primary : first;
}

static void set_attr(struct scim_user_in *in, const char *key, json_t *v, struct errinfo *ei);

static void set_object(struct scim_user_in *in, const char *base, json_t *obj, struct errinfo *ei)
{
    const char *k;
    json_t *v;
    char path[256];

    json_object_foreach(obj, k, v)
    {
        snprintf(path, sizeof(path), "%s%s", base, k);
        set_attr(in, path, v, ei);
    }
}

/* Applies one attribute (a path as PATCH writes it, or a resource's member) with value v (NULL
 * or null: remove). Attributes Trellis does not keep are accepted and ignored. */
static void set_attr(struct scim_user_in *in, const char *key, json_t *v, struct errinfo *ei)
{
    const char *k = key;
    bool ent = false;

    if (prefix(&k, SCHEMA_ENT)) {
        if (!*k) {
            if (json_is_object(v))
                set_object(in, SCHEMA_ENT ":", v, ei);
            return;
        }
        if (*k != ':')
            return;
        k++;
        ent = true;
    } else if (prefix(&k, SCHEMA_USER ":")) {
        /* the core schema's own attributes, written in full */
    }
    if (ent) {
        if (strcasecmp(k, "employeeNumber") == 0)
            in->has_employee_number = str_value(v, "employeeNumber", &in->employee_number, ei);
        else if (strcasecmp(k, "department") == 0)
            in->has_department = str_value(v, "department", &in->department, ei);
        else if (strcasecmp(k, "manager") == 0 || strcasecmp(k, "manager.value") == 0) {
            json_t *mv = json_is_object(v) ? json_object_get(v, "value") : v;

            in->has_manager = str_value(mv, "manager", &in->manager, ei);
        }
        return;
    }
    if (strcasecmp(k, "userName") == 0)
        in->has_user_name = str_value(v, "userName", &in->user_name, ei);
    else if (strcasecmp(k, "externalId") == 0)
        in->has_external_id = str_value(v, "externalId", &in->external_id, ei);
    else if (strcasecmp(k, "displayName") == 0)
        in->has_display = str_value(v, "displayName", &in->display, ei);
    else if (strcasecmp(k, "title") == 0)
        in->has_title = str_value(v, "title", &in->title, ei);
    else if (strcasecmp(k, "name.givenName") == 0)
        in->has_given = str_value(v, "name.givenName", &in->given, ei);
    else if (strcasecmp(k, "name.familyName") == 0)
        in->has_family = str_value(v, "name.familyName", &in->family, ei);
    else if (strcasecmp(k, "name.formatted") == 0)
        in->has_formatted = str_value(v, "name.formatted", &in->formatted, ei);
    else if (strcasecmp(k, "name") == 0) {
        if (json_is_object(v))
            set_object(in, "name.", v, ei);
        else if (!v || json_is_null(v)) {
            in->has_given = in->has_family = in->has_formatted = true;
            in->given = in->family = in->formatted = NULL;
        } else
            err_field(ei, "name", "must be an object");
    } else if (strcasecmp(k, "active") == 0) {
        /* Entra has sent "True"/"False" as strings */
        const char *s = json_string_value(v);

        if (json_is_boolean(v)) {
            in->has_active = true;
            in->active = json_is_true(v);
        } else if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)) {
            in->has_active = true;
            in->active = strcasecmp(s, "true") == 0;
        } else
            err_field(ei, "active", "must be true or false");
    } else if (strcasecmp(k, "emails") == 0) {
        if (json_is_array(v)) {
            const char *e = pick_email(v);

            if (e) {
                in->has_email = true;
                in->email = e;
            }
        } else if (v && !json_is_null(v))
            err_field(ei, "emails", "must be an array");
    } else if (strcasecmp(k, "emails[type eq \"work\"].value") == 0 ||
               strcasecmp(k, "emails.value") == 0 ||
               strcasecmp(k, "emails[primary eq true].value") == 0) {
        const char *e = NULL;

        if (str_value(v, "emails", &e, ei) && e) {
            in->has_email = true;
            in->email = e;
        }
    }
}

/* A whole User resource (POST, PUT). */
static void read_user(json_t *body, struct scim_user_in *in, struct errinfo *ei)
{
    const char *k;
    json_t *v;

    memset(in, 0, sizeof(*in));
    json_object_foreach(body, k, v)
    {
        if (strcmp(k, "schemas") == 0 || strcmp(k, "id") == 0 || strcmp(k, "meta") == 0)
            continue;
        set_attr(in, k, v, ei);
    }
}

/* The operations of a PatchOp: ERR_OK with in filled, or a SCIM error in ei. */
static enum err read_patch(json_t *body, struct scim_user_in *in, struct errinfo *ei)
{
    json_t *ops = json_object_get(body, "Operations"), *op;
    size_t i;

    memset(in, 0, sizeof(*in));
    if (!json_is_array(ops) || json_array_size(ops) == 0) {
        ei->code = "invalidSyntax";
        return err_set(ei, ERR_VALIDATION, "a PatchOp needs a non-empty Operations array");
    }
    json_array_foreach(ops, i, op)
    {
        const char *name = json_string_value(json_object_get(op, "op"));
        const char *path = json_string_value(json_object_get(op, "path"));
        json_t *value = json_object_get(op, "value");
        bool remove = name && strcasecmp(name, "remove") == 0;

        if (!name ||
            (!remove && strcasecmp(name, "add") != 0 && strcasecmp(name, "replace") != 0)) {
            ei->code = "invalidSyntax";
            return err_set(ei, ERR_VALIDATION, "op must be add, replace or remove");
        }
        if (remove && !path) {
            ei->code = "noTarget";
            return err_set(ei, ERR_VALIDATION, "remove needs a path");
        }
        if (path)
            set_attr(in, path, remove ? NULL : value, ei);
        else if (json_is_object(value))
            set_object(in, "", value, ei);
        else {
            ei->code = "invalidValue";
            return err_set(ei, ERR_VALIDATION, "an operation without a path needs an object value");
        }
    }
    if (ei->nfields) {
        ei->code = "invalidValue";
        return ERR_VALIDATION;
    }
    return ERR_OK;
}

/* --- rendering ------------------------------------------------------------------------------ */

static enum err user_json(struct request *r, int64_t id, json_t **out)
{
    struct person p, m;
    struct scim_user_row u;
    json_t *o, *name, *ent;
    enum err rc = store_people_get(r->db, r->arena, id, &p);

    if (rc == ERR_OK && strcmp(p.status, "terminated") == 0)
        rc = ERR_NOT_FOUND;
    if (rc == ERR_OK)
        rc = store_scim_user_get(r->db, r->arena, id, &u);
    if (rc)
        return rc;
    name = json_pack("{s:s}", "formatted", p.name);
    if (u.given_name)
        json_object_set_new(name, "givenName", json_string(u.given_name));
    if (u.family_name)
        json_object_set_new(name, "familyName", json_string(u.family_name));
    o = json_pack("{s:[s, s], s:s, s:s, s:o, s:s, s:b, s:[{s:s, s:s, s:b}]}", "schemas",
                  SCHEMA_USER, SCHEMA_ENT, "id", id_text(r, id), "userName",
                  u.user_name ? u.user_name : p.email, "name", name, "displayName", p.name,
                  "active", strcmp(p.status, "active") == 0, "emails", "value", p.email, "type",
                  "work", "primary", 1);
    if (!o)
        return ERR_INTERNAL;
    if (u.external_id)
        json_object_set_new(o, "externalId", json_string(u.external_id));
    if (p.title)
        json_object_set_new(o, "title", json_string(p.title));
    ent = json_object();
    if (p.employee_id)
        json_object_set_new(ent, "employeeNumber", json_string(p.employee_id));
    if (p.department_name)
        json_object_set_new(ent, "department", json_string(p.department_name));
    if (p.manager_id && store_people_get(r->db, r->arena, p.manager_id, &m) == ERR_OK)
        json_object_set_new(
            ent, "manager",
            json_pack("{s:s, s:s, s:s}", "value", id_text(r, m.id), "$ref",
                      arena_printf(r->arena, "%s/Users/%lld", base_url(r), (long long)m.id),
                      "displayName", m.name));
    json_object_set_new(o, SCHEMA_ENT, ent);
    json_object_set_new(o, "meta", meta(r, "User", "Users", id, u.created_at, u.updated_at));
    *out = o;
    return ERR_OK;
}

static enum err group_json(struct request *r, int64_t id, const char *name, bool members,
                           json_t **out)
{
    json_t *o = json_pack("{s:[s], s:s, s:s}", "schemas", SCHEMA_GROUP, "id", id_text(r, id),
                          "displayName", name);

    if (!o)
        return ERR_INTERNAL;
    if (members) {
        json_t *list = NULL;
        enum err rc = store_scim_department_members(r->db, id, &list);
        size_t i;
        json_t *m;

        if (rc) {
            json_decref(o);
            return rc;
        }
        json_array_foreach(list, i, m)
        {
            const char *v = json_string_value(json_object_get(m, "value"));

            json_object_set_new(
                m, "$ref",
                json_string(arena_printf(r->arena, "%s/Users/%s", base_url(r), v ? v : "")));
        }
        json_object_set_new(o, "members", list);
    }
    json_object_set_new(o, "meta", meta(r, "Group", "Groups", id, NULL, NULL));
    *out = o;
    return ERR_OK;
}

static json_t *list_response(int64_t total, int64_t start, json_t *items)
{
    return json_pack("{s:[s], s:I, s:I, s:I, s:o}", "schemas", SCHEMA_LIST, "totalResults",
                     (json_int_t)total, "startIndex", (json_int_t)start, "itemsPerPage",
                     (json_int_t)json_array_size(items), "Resources", items);
}

/* startIndex (1-based) and count of RFC 7644 3.4.2.4. */
static enum err paging(struct request *r, int64_t *start, int *count, struct errinfo *ei)
{
    const char *s = request_query(r, "startIndex"), *c = request_query(r, "count");
    char *end;

    *start = 1;
    *count = 100;
    if (s && *s) {
        long long v = strtoll(s, &end, 10);

        if (*end) {
            ei->code = "invalidValue";
            return err_set(ei, ERR_VALIDATION, "startIndex must be an integer");
        }
        *start = v < 1 ? 1 : v;
    }
    if (c && *c) {
        long long v = strtoll(c, &end, 10);

        if (*end) {
            ei->code = "invalidValue";
            return err_set(ei, ERR_VALIDATION, "count must be an integer");
        }
        *count = v < 0 ? 0 : v > MAX_COUNT ? MAX_COUNT : (int)v;
    }
    return ERR_OK;
}

/* `ATTR eq "VALUE"` (the one operator identity providers probe with): attr and value (arena). */
static enum err parse_filter(struct request *r, const char *f, const char **attr,
                             const char **value, struct errinfo *ei)
{
    const char *p = f, *q;
    size_t n;
    char *v;

    while (*p == ' ')
        p++;
    /* emails[type eq "work"].value eq "…": the operator comes after the value filter */
    {
        const char *br = strchr(p, '['), *quote = strchr(p, '"'), *from = p;

        if (br && (!quote || br < quote) && strchr(br, ']'))
            from = strchr(br, ']');
        q = strcasestr(from, " eq ");
    }
    if (!q)
        goto bad;
    *attr = arena_strndup(r->arena, p, (size_t)(q - p));
    p = q + 4;
    while (*p == ' ')
        p++;
    if (*p != '"')
        goto bad;
    p++;
    v = arena_alloc(r->arena, strlen(p) + 1);
    n = 0;
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])
            p++;
        v[n++] = *p;
    }
    if (*p != '"')
        goto bad;
    v[n] = '\0';
    for (p++; *p == ' '; p++)
        ;
    if (*p)
        goto bad;
    *value = v;
    return ERR_OK;
bad:
    ei->code = "invalidFilter";
    return err_set(ei, ERR_VALIDATION,
                   "filters supported: userName, externalId, emails[type eq \"work\"].value, id "
                   "or displayName eq \"value\"");
}

static char *lower(struct arena *a, const char *s)
{
    char *d = arena_strdup(a, s);

    for (char *c = d; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return d;
}

static bool has_attr(const char *list, const char *attr)
{
    size_t n = strlen(attr);

    for (const char *p = list; p && *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        if (strncasecmp(p, attr, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

/* --- Users ---------------------------------------------------------------------------------- */

enum err api_scim_users_list(struct request *r, struct errinfo *ei)
{
    const char *filter = request_query(r, "filter");
    json_t *items = json_array(), *u;
    int64_t start, total = 0;
    int count;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = paging(r, &start, &count, ei);
    if (rc)
        goto fail;
    if (filter && *filter) {
        const char *attr = "", *value = "";
        int64_t id = 0;

        rc = parse_filter(r, filter, &attr, &value, ei);
        if (rc)
            goto fail;
        if (strcasecmp(attr, "userName") == 0 || strcasecmp(attr, "emails.value") == 0 ||
            strcasecmp(attr, "emails[type eq \"work\"].value") == 0)
            rc = store_scim_find_user_name(r->db, lower(r->arena, value), &id);
        else if (strcasecmp(attr, "externalId") == 0)
            rc = store_scim_find_external_id(r->db, value, &id);
        else if (strcasecmp(attr, "id") == 0)
            id = strtoll(value, NULL, 10);
        else if (strcasecmp(attr, SCHEMA_ENT ":employeeNumber") == 0 ||
                 strcasecmp(attr, "employeeNumber") == 0) {
            struct person p;

            rc = store_people_by_employee_id(r->db, r->arena, value, &p);
            id = rc == ERR_OK ? p.id : 0;
            rc = rc == ERR_NOT_FOUND ? ERR_OK : rc;
        } else {
            rc = parse_filter(r, "", &attr, &value, ei);
            goto fail;
        }
        if (rc)
            goto fail;
        if (id > 0) {
            rc = user_json(r, id, &u);
            if (rc == ERR_OK) {
                total = 1;
                if (start == 1 && count > 0)
                    json_array_append_new(items, u);
                else
                    json_decref(u);
            } else if (rc != ERR_NOT_FOUND)
                goto fail;
        }
    } else {
        int64_t *ids;
        size_t n;

        rc = store_scim_people_page(r->db, r->arena, start - 1, count, &ids, &n, &total);
        for (size_t i = 0; rc == ERR_OK && i < n; i++) {
            rc = user_json(r, ids[i], &u);
            if (rc == ERR_OK)
                json_array_append_new(items, u);
        }
        if (rc)
            goto fail;
    }
    scim_json(r, 200, list_response(total, start, items));
    return ERR_OK;
fail:
    json_decref(items);
    return rc;
}

static enum err render_user(struct request *r, int64_t id, int status, struct errinfo *ei)
{
    json_t *u;
    enum err rc = user_json(r, id, &u);

    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such User" : "cannot read the User");
    if (status == 201)
        request_add_header(
            r, "Location",
            json_string_value(json_object_get(json_object_get(u, "meta"), "location"))
                ? arena_strdup(r->arena, json_string_value(json_object_get(
                                             json_object_get(u, "meta"), "location")))
                : "");
    scim_json(r, status, u);
    return ERR_OK;
}

enum err api_scim_users_get(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc)
        return err_set(ei, rc, "no such User");
    return render_user(r, id, 200, ei);
}

enum err api_scim_users_create(struct request *r, struct errinfo *ei)
{
    struct scim_user_in in;
    json_t *body;
    int64_t id = 0;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    read_user(body, &in, ei);
    if (ei->nfields) {
        ei->code = "invalidValue";
        return ERR_VALIDATION;
    }
    rc = scim_user_create(r->db, r->arena, &r->actor, &in, &id, ei);
    if (rc)
        return rc;
    return render_user(r, id, 201, ei);
}

static enum err update_user(struct request *r, bool patch, struct errinfo *ei)
{
    struct scim_user_in in;
    json_t *body;
    int64_t id;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK && api_path_id(r, 0, &id, ei) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such User");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    if (patch) {
        rc = read_patch(body, &in, ei);
        if (rc)
            return rc;
    } else {
        read_user(body, &in, ei);
        if (ei->nfields) {
            ei->code = "invalidValue";
            return ERR_VALIDATION;
        }
        if (!in.has_user_name || !in.user_name) {
            ei->code = "invalidValue";
            return err_set(ei, ERR_VALIDATION, "userName is required");
        }
    }
    rc = scim_user_update(r->db, r->arena, &r->actor, id, &in, ei);
    if (rc)
        return rc;
    return render_user(r, id, 200, ei);
}

enum err api_scim_users_put(struct request *r, struct errinfo *ei)
{
    return update_user(r, false, ei);
}

enum err api_scim_users_patch(struct request *r, struct errinfo *ei)
{
    return update_user(r, true, ei);
}

enum err api_scim_users_delete(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK && api_path_id(r, 0, &id, ei) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such User");
    if (rc == ERR_OK)
        rc = scim_user_delete(r->db, r->arena, &r->actor, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

/* --- Groups --------------------------------------------------------------------------------- */

enum err api_scim_groups_list(struct request *r, struct errinfo *ei)
{
    const char *filter = request_query(r, "filter");
    bool members = !has_attr(request_query(r, "excludedAttributes"), "members");
    json_t *items = json_array(), *g;
    int64_t start, total = 0;
    int count;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = paging(r, &start, &count, ei);
    if (rc)
        goto fail;
    if (filter && *filter) {
        const char *attr = "", *value = "";
        int64_t id = 0;
        struct department d;

        rc = parse_filter(r, filter, &attr, &value, ei);
        if (rc == ERR_OK && strcasecmp(attr, "displayName") == 0)
            rc = store_scim_department_by_name(r->db, value, &id);
        else if (rc == ERR_OK && strcasecmp(attr, "id") == 0)
            id = strtoll(value, NULL, 10);
        else if (rc == ERR_OK)
            rc = parse_filter(r, "", &attr, &value, ei);
        if (rc)
            goto fail;
        if (id > 0 && store_departments_get(r->db, r->arena, id, &d) == ERR_OK) {
            total = 1;
            if (start == 1 && count > 0) {
                rc = group_json(r, id, d.name, members, &g);
                if (rc)
                    goto fail;
                json_array_append_new(items, g);
            }
        }
    } else {
        int64_t *ids;
        const char **names;
        size_t n;

        rc = store_scim_departments_page(r->db, r->arena, start - 1, count, &ids, &names, &n,
                                         &total);
        for (size_t i = 0; rc == ERR_OK && i < n; i++) {
            rc = group_json(r, ids[i], names[i], members, &g);
            if (rc == ERR_OK)
                json_array_append_new(items, g);
        }
        if (rc)
            goto fail;
    }
    scim_json(r, 200, list_response(total, start, items));
    return ERR_OK;
fail:
    json_decref(items);
    return rc;
}

static enum err render_group(struct request *r, int64_t id, int status, struct errinfo *ei)
{
    struct department d;
    json_t *g;
    enum err rc = store_departments_get(r->db, r->arena, id, &d);

    if (rc == ERR_OK)
        rc = group_json(r, id, d.name, !has_attr(request_query(r, "excludedAttributes"), "members"),
                        &g);
    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such Group" : "cannot read the Group");
    if (status == 201)
        request_add_header(r, "Location",
                           arena_printf(r->arena, "%s/Groups/%lld", base_url(r), (long long)id));
    scim_json(r, status, g);
    return ERR_OK;
}

enum err api_scim_groups_get(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc)
        return err_set(ei, rc, "no such Group");
    return render_group(r, id, 200, ei);
}

/* The user ids of a members array ([{value}]) into the arena array *ids. */
static enum err member_ids(struct request *r, json_t *v, int64_t **ids, size_t *n,
                           struct errinfo *ei)
{
    size_t i, k = 0;
    json_t *m;

    *n = 0;
    *ids = NULL;
    if (!v || json_is_null(v))
        return ERR_OK;
    if (!json_is_array(v) || json_array_size(v) > 10000) {
        ei->code = "invalidValue";
        return err_set(ei, ERR_VALIDATION, "members must be an array of {value}");
    }
    *ids = arena_alloc(r->arena, sizeof(**ids) * (json_array_size(v) + 1));
    json_array_foreach(v, i, m)
    {
        const char *s = json_string_value(json_object_get(m, "value"));
        char *end;
        long long id = s ? strtoll(s, &end, 10) : 0;

        if (!s || *end || id <= 0) {
            ei->code = "invalidValue";
            return err_set(ei, ERR_VALIDATION, "a member's value must be a User id");
        }
        (*ids)[k++] = (int64_t)id;
    }
    *n = k;
    return ERR_OK;
}

enum err api_scim_groups_create(struct request *r, struct errinfo *ei)
{
    json_t *body;
    const char *name;
    int64_t id = 0, *add;
    size_t nadd;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    name = json_string_value(json_object_get(body, "displayName"));
    rc = member_ids(r, json_object_get(body, "members"), &add, &nadd, ei);
    if (rc == ERR_OK)
        rc = scim_group_create(r->db, &r->actor, name, &id, ei);
    if (rc == ERR_OK && nadd)
        rc = scim_group_update(r->db, r->arena, &r->actor, id, NULL, add, nadd, NULL, 0, false, ei);
    if (rc)
        return rc;
    return render_group(r, id, 201, ei);
}

enum err api_scim_groups_put(struct request *r, struct errinfo *ei)
{
    json_t *body;
    int64_t id, *add;
    size_t nadd;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK && api_path_id(r, 0, &id, ei) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such Group");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc == ERR_OK)
        rc = member_ids(r, json_object_get(body, "members"), &add, &nadd, ei);
    if (rc == ERR_OK)
        rc = scim_group_update(r->db, r->arena, &r->actor, id,
                               json_string_value(json_object_get(body, "displayName")), add, nadd,
                               NULL, 0, json_object_get(body, "members") != NULL, ei);
    if (rc)
        return rc;
    return render_group(r, id, 200, ei);
}

enum err api_scim_groups_patch(struct request *r, struct errinfo *ei)
{
    json_t *body, *ops, *op;
    int64_t id, *add = NULL, *remove = NULL;
    size_t nadd = 0, nremove = 0, cap, i;
    const char *name = NULL;
    bool replace = false;
    enum err rc = require_scim(r, ei);

    if (rc == ERR_OK && api_path_id(r, 0, &id, ei) != ERR_OK)
        rc = err_set(ei, ERR_NOT_FOUND, "no such Group");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    ops = json_object_get(body, "Operations");
    if (!json_is_array(ops) || !json_array_size(ops)) {
        ei->code = "invalidSyntax";
        return err_set(ei, ERR_VALIDATION, "a PatchOp needs a non-empty Operations array");
    }
    cap = 0;
    json_array_foreach(ops, i, op) cap += json_array_size(json_object_get(op, "value")) + 1;
    add = arena_alloc(r->arena, sizeof(*add) * cap);
    remove = arena_alloc(r->arena, sizeof(*remove) * cap);
    json_array_foreach(ops, i, op)
    {
        const char *o = json_string_value(json_object_get(op, "op"));
        const char *path = json_string_value(json_object_get(op, "path"));
        json_t *value = json_object_get(op, "value");
        int64_t *ids = NULL;
        size_t n = 0;

        if (!o || (strcasecmp(o, "add") != 0 && strcasecmp(o, "replace") != 0 &&
                   strcasecmp(o, "remove") != 0)) {
            ei->code = "invalidSyntax";
            return err_set(ei, ERR_VALIDATION, "op must be add, replace or remove");
        }
        if (!path && json_is_object(value)) { /* Okta: replace {id, displayName} */
            if (json_is_string(json_object_get(value, "displayName")))
                name = json_string_value(json_object_get(value, "displayName"));
            if (json_object_get(value, "members")) {
                rc = member_ids(r, json_object_get(value, "members"), &ids, &n, ei);
                if (rc)
                    return rc;
                if (n)
                    memcpy(add + nadd, ids, n * sizeof(*ids));
                nadd += n;
                replace = replace || strcasecmp(o, "replace") == 0;
            }
        } else if (path && strcasecmp(path, "displayName") == 0) {
            name = json_string_value(value);
        } else if (path && strcasecmp(path, "members") == 0) {
            rc = member_ids(r, value, &ids, &n, ei);
            if (rc)
                return rc;
            if (strcasecmp(o, "remove") == 0 && !n)
                replace = true; /* remove every member */
            else if (strcasecmp(o, "remove") == 0) {
                if (n)
                    memcpy(remove + nremove, ids, n * sizeof(*ids));
                nremove += n;
            } else {
                if (n)
                    memcpy(add + nadd, ids, n * sizeof(*ids));
                nadd += n;
                replace = replace || strcasecmp(o, "replace") == 0;
            }
        } else if (path && strncasecmp(path, "members[value eq \"", 18) == 0) {
            long long v = strtoll(path + 18, NULL, 10);

            if (strcasecmp(o, "remove") != 0 || v <= 0) {
                ei->code = "invalidPath";
                return err_set(ei, ERR_VALIDATION, "members[value eq ...] is for remove");
            }
            remove[nremove++] = (int64_t)v;
        } else {
            ei->code = "invalidPath";
            return err_set(ei, ERR_VALIDATION, "a Group's paths are displayName and members");
        }
    }
    rc = scim_group_update(r->db, r->arena, &r->actor, id, name, add, nadd, remove, nremove,
                           replace, ei);
    if (rc)
        return rc;
    if (request_query(r, "attributes") || request_query(r, "excludedAttributes"))
        return render_group(r, id, 200, ei);
    response_empty(r, 204);
    return ERR_OK;
}

/* --- discovery ------------------------------------------------------------------------------ */

enum err api_scim_config(struct request *r, struct errinfo *ei)
{
    json_t *o;
    enum err rc = require_scim(r, ei);

    if (rc)
        return rc;
    o = json_pack("{s:[s], s:s, s:{s:b}, s:{s:b, s:i}, s:{s:b, s:i, s:i}, s:{s:b}, s:{s:b},"
                  " s:{s:b}, s:[{s:s, s:s, s:s, s:b}], s:{s:s}}",
                  "schemas", "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
                  "documentationUri", "docs/api-scim.md", "patch", "supported", 1, "filter",
                  "supported", 1, "maxResults", MAX_COUNT, "bulk", "supported", 0, "maxOperations",
                  0, "maxPayloadSize", 0, "changePassword", "supported", 0, "sort", "supported", 0,
                  "etag", "supported", 0, "authenticationSchemes", "type", "oauthbearertoken",
                  "name", "Bearer token", "description",
                  "A SCIM token an admin creates under Integrations", "primary", 1, "meta",
                  "resourceType", "ServiceProviderConfig");
    scim_json(r, 200, o);
    return ERR_OK;
}

static json_t *attr(const char *name, const char *type, bool required, const char *mutability,
                    const char *uniqueness)
{
    return json_pack("{s:s, s:s, s:b, s:b, s:b, s:s, s:s, s:s}", "name", name, "type", type,
                     "multiValued", 0, "required", required, "caseExact", 0, "mutability",
                     mutability, "returned", "default", "uniqueness", uniqueness);
}

static json_t *schemas(struct request *r)
{
    json_t *name = attr("name", "complex", false, "readWrite", "none");
    json_t *emails = attr("emails", "complex", false, "readWrite", "none");
    json_t *manager = attr("manager", "complex", false, "readWrite", "none");
    json_t *members = attr("members", "complex", false, "readWrite", "none");
    json_t *user, *ent, *group;

    json_object_set_new(name, "subAttributes",
                        json_pack("[o, o, o]",
                                  attr("formatted", "string", false, "readWrite", "none"),
                                  attr("givenName", "string", false, "readWrite", "none"),
                                  attr("familyName", "string", false, "readWrite", "none")));
    json_object_set_new(emails, "multiValued", json_true());
    json_object_set_new(emails, "subAttributes",
                        json_pack("[o, o, o]",
                                  attr("value", "string", false, "readWrite", "server"),
                                  attr("type", "string", false, "readWrite", "none"),
                                  attr("primary", "boolean", false, "readWrite", "none")));
    json_object_set_new(manager, "subAttributes",
                        json_pack("[o, o]", attr("value", "string", false, "readWrite", "none"),
                                  attr("displayName", "string", false, "readOnly", "none")));
    json_object_set_new(members, "multiValued", json_true());
    json_object_set_new(members, "subAttributes",
                        json_pack("[o, o]", attr("value", "string", false, "immutable", "none"),
                                  attr("display", "string", false, "readOnly", "none")));
    user = json_pack("{s:s, s:s, s:s, s:[o, o, o, o, o, o, o], s:{s:s, s:s}}", "id", SCHEMA_USER,
                     "name", "User", "description", "A person in the directory", "attributes",
                     attr("userName", "string", true, "readWrite", "server"),
                     attr("externalId", "string", false, "readWrite", "none"), name,
                     attr("displayName", "string", false, "readWrite", "none"),
                     attr("title", "string", false, "readWrite", "none"),
                     attr("active", "boolean", false, "readWrite", "none"), emails, "meta",
                     "resourceType", "Schema", "location",
                     arena_printf(r->arena, "%s/Schemas/%s", base_url(r), SCHEMA_USER));
    ent = json_pack("{s:s, s:s, s:s, s:[o, o, o], s:{s:s, s:s}}", "id", SCHEMA_ENT, "name",
                    "EnterpriseUser", "description", "Enterprise User", "attributes",
                    attr("employeeNumber", "string", false, "readWrite", "server"),
                    attr("department", "string", false, "readWrite", "none"), manager, "meta",
                    "resourceType", "Schema", "location",
                    arena_printf(r->arena, "%s/Schemas/%s", base_url(r), SCHEMA_ENT));
    group = json_pack("{s:s, s:s, s:s, s:[o, o], s:{s:s, s:s}}", "id", SCHEMA_GROUP, "name",
                      "Group", "description", "A department", "attributes",
                      attr("displayName", "string", true, "readWrite", "server"), members, "meta",
                      "resourceType", "Schema", "location",
                      arena_printf(r->arena, "%s/Schemas/%s", base_url(r), SCHEMA_GROUP));
    return json_pack("[o, o, o]", user, ent, group);
}

enum err api_scim_schemas(struct request *r, struct errinfo *ei)
{
    json_t *all;
    enum err rc = require_scim(r, ei);

    if (rc)
        return rc;
    all = schemas(r);
    scim_json(r, 200, list_response((int64_t)json_array_size(all), 1, all));
    return ERR_OK;
}

enum err api_scim_resource_types(struct request *r, struct errinfo *ei)
{
    json_t *all;
    enum err rc = require_scim(r, ei);

    if (rc)
        return rc;
    all = json_pack("[{s:[s], s:s, s:s, s:s, s:s, s:[{s:s, s:b}], s:{s:s, s:s}},"
                    " {s:[s], s:s, s:s, s:s, s:s, s:{s:s, s:s}}]",
                    "schemas", "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "id", "User",
                    "name", "User", "endpoint", "/Users", "schema", SCHEMA_USER, "schemaExtensions",
                    "schema", SCHEMA_ENT, "required", 0, "meta", "resourceType", "ResourceType",
                    "location", arena_printf(r->arena, "%s/ResourceTypes/User", base_url(r)),
                    "schemas", "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "id", "Group",
                    "name", "Group", "endpoint", "/Groups", "schema", SCHEMA_GROUP, "meta",
                    "resourceType", "ResourceType", "location",
                    arena_printf(r->arena, "%s/ResourceTypes/Group", base_url(r)));
    scim_json(r, 200, list_response(2, 1, all));
    return ERR_OK;
}

/* --- the admin routes for SCIM tokens (/api/v1, Trellis errors) ----------------------------- */

static enum err require_admin(struct request *r, struct errinfo *ei)
{
    enum err rc = policy_check(r->db, &r->actor, ACT_SCIM_ADMIN, NULL);

    return rc ? err_set(ei, rc, "only an admin manages SCIM provisioning") : ERR_OK;
}

enum err api_scim_tokens_list(struct request *r, struct errinfo *ei)
{
    json_t *items = NULL;
    enum err rc = require_admin(r, ei);

    if (rc)
        return rc;
    rc = store_scim_tokens_list(r->db, &items);
    if (rc)
        return err_set(ei, rc, "cannot read the SCIM tokens");
    response_json(r, 200, json_pack("{s:o, s:s}", "items", items, "base_url", base_url(r)));
    return ERR_OK;
}

enum err api_scim_tokens_create(struct request *r, struct errinfo *ei)
{
    json_t *body, *row = NULL;
    const char *name = NULL, *token;
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    if (jsonx_str(body, "name", &name, 100, false, ei) != JSONX_SET)
        err_field(ei, "name", "is required");
    rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = scim_token_create(r->db, r->arena, r->actor.person_id, name, &id, &token, ei);
    if (rc == ERR_OK)
        rc = store_scim_tokens_get_one(r->db, id, &row);
    if (rc)
        return rc;
    json_object_set_new(row, "token", json_string(token));
    json_object_set_new(row, "base_url", json_string(base_url(r)));
    response_json(r, 201, row);
    return ERR_OK;
}

enum err api_scim_tokens_delete(struct request *r, struct errinfo *ei)
{
    int64_t id;
    enum err rc = require_admin(r, ei);

    if (rc == ERR_OK)
        rc = api_path_id(r, 0, &id, ei);
    if (rc == ERR_OK)
        rc = scim_token_revoke(r->db, r->actor.person_id, id, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}
