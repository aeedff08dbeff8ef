/* SPDX-License-Identifier: MIT */
/* Small parsing helpers every handler uses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/jsonw.h"
#include "util/jsonx.h"

/* A positive decimal id of at most 18 digits, nothing else. */
static bool parse_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    int n = 0;

    if (!s || !*s)
        return false;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 18)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return v > 0;
}

enum err api_path_id(struct request *r, int i, int64_t *id, struct errinfo *ei)
{
    if (i >= r->nparams || !parse_id(r->params[i], id))
        return err_set(ei, ERR_NOT_FOUND, "no such item");
    return ERR_OK;
}

enum err api_body(struct request *r, json_t **out, struct errinfo *ei)
{
    enum err rc = jsonx_parse_object(r->arena, buf_str(&r->body), r->body.len, out, ei);

    /* the unknown fields join the handler's own findings in one 422; no write can happen */
    if (rc == ERR_OK && api_body_fields_check(r->route, *out, ei) != ERR_OK) {
        r->body_unknown = true;
        if (r->db)
            r->db->refuse_writes = true;
    }
    return rc;
}

enum err api_limit(struct request *r, int *limit, struct errinfo *ei)
{
    const char *s = request_query(r, "limit");
    int64_t v;

    *limit = 50;
    if (!s)
        return ERR_OK;
    if (!parse_id(s, &v) || v > 200) {
        err_field(ei, "limit", "must be an integer from 1 to 200");
        return err_fields_result(ei);
    }
    *limit = (int)v;
    return ERR_OK;
}

enum err api_query_id(struct request *r, const char *name, int64_t *out, struct errinfo *ei)
{
    const char *s = request_query(r, name);

    *out = 0;
    if (!s || !*s)
        return ERR_OK;
    if (!parse_id(s, out)) {
        err_field(ei, name, "must be a positive integer id");
        return err_fields_result(ei);
    }
    return ERR_OK;
}

void api_ref_write(struct jsonw *w, const char *key, int64_t id, const char *name)
{
    jsonw_key(w, key);
    if (!id) {
        jsonw_null(w);
        return;
    }
    jsonw_obj(w);
    jsonw_kint(w, "id", id);
    jsonw_kstr(w, "name", name);
    jsonw_obj_end(w);
}

/* Where the browser reaches this server: the configured public URL, else http:// and the Host
 * the request came to (a host name or address with an optional port, nothing else). */
const char *api_base_url(struct request *r)
{
    const char *pub = api_public_url(), *host = request_header(r, "Host");
    size_t n;

    if (pub && *pub) {
        n = strlen(pub);
        while (n > 0 && pub[n - 1] == '/')
            n--;
        return arena_strndup(r->arena, pub, n);
    }
    if (!host || !*host || strlen(host) > 255 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            strlen(host))
        host = "localhost";
    return arena_printf(r->arena, "http://%s", host);
}
