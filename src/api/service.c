/* SPDX-License-Identifier: MIT */
/* Health, metrics and the embedded web UI. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "http/metrics.h"
#include "util/embed.h"

enum err api_service_healthz(struct request *r, struct errinfo *ei)
{
    struct stmt *s;
    int rc;

    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    s = db_stmt(r->db, "SELECT 1");
    rc = stmt_step(s);
    stmt_reset(s);
    if (rc != 1)
        return err_set(ei, ERR_UNAVAILABLE, "the database does not answer");
    response_json(r, 200, json_pack("{s:s}", "status", "ok"));
    return ERR_OK;
}

static struct api_config config;

const char *api_public_url(void)
{
    return config.public_url;
}

void api_configure(const struct api_config *cfg)
{
    config = *cfg;
}

enum err api_service_metrics(struct request *r, struct errinfo *ei)
{
    struct buf b;

    if (config.metrics_token) {
        const char *auth = request_header(r, "Authorization");
        size_t n = strlen(config.metrics_token);

        /* constant-time compare of the bearer value */
        if (!auth || strncmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) != n ||
            sodium_memcmp(auth + 7, config.metrics_token, n) != 0)
            return err_set(ei, ERR_UNAUTHENTICATED, "metrics need the metrics token");
    }
    buf_init(&b, 4u << 20);
    metrics_render(&b, api_route_name, api_route_method, api_route_count());
    response_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf_str(&b), b.len);
    buf_cleanup(&b);
    return ERR_OK;
}

static const char *mime(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".ico") == 0)
        return "image/x-icon";
    if (strcmp(dot, ".json") == 0)
        return "application/json";
    return "application/octet-stream";
}

enum err api_static_serve(struct request *r, struct errinfo *ei)
{
    const char *name = r->path;

    if (strcmp(name, "/") == 0)
        name = "/index.html";
    /* only exact names of embedded files: no file system, so no traversal */
    for (const struct embedded_file *f = embedded_web; f->name; f++) {
        if (strcmp(f->name, name + 1) == 0) {
            response_bytes(r, 200, mime(f->name), f->data, f->len);
            r->cache_control = "no-cache";
            return ERR_OK;
        }
    }
    return err_set(ei, ERR_NOT_FOUND, "no such page");
}
