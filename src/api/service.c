/* SPDX-License-Identifier: MIT */
/* Health, metrics and the embedded web UI. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "http/metrics.h"
#include "store/oneonones.h"
#include "util/timeutil.h"
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

const struct mail_config *api_mail_config(void)
{
    return config.mail;
}

void api_configure(const struct api_config *cfg)
{
    config = *cfg;
}

/* The email outbox as gauges: messages by status and the age of the oldest queued one. */
static void outbox_metrics(struct request *r, struct buf *b)
{
    struct outbox_counts c;
    int64_t age = 0, created;

    if (!r->db || store_outbox_counts(r->db, &c) != ERR_OK)
        return;
    struct tm tm = {0};

    if (sscanf(c.oldest_queued, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        created = (int64_t)timegm(&tm);
        age = time_now() - created;
    }
    buf_addf(b,
             "# HELP trellis_outbox_messages Email in the outbox by status.\n"
             "# TYPE trellis_outbox_messages gauge\n"
             "trellis_outbox_messages{status=\"queued\"} %lld\n"
             "trellis_outbox_messages{status=\"sent\"} %lld\n"
             "trellis_outbox_messages{status=\"failed\"} %lld\n"
             "# HELP trellis_outbox_oldest_queued_age_seconds Age of the oldest queued email.\n"
             "# TYPE trellis_outbox_oldest_queued_age_seconds gauge\n"
             "trellis_outbox_oldest_queued_age_seconds %lld\n",
             (long long)c.queued, (long long)c.sent, (long long)c.failed,
             (long long)(age > 0 ? age : 0));
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
    outbox_metrics(r, &b);
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
