/* SPDX-License-Identifier: MIT */
#include "domain/webhooks.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "store/people.h"
#include "store/webhooks.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

const char *const webhook_kinds[] = {"review.released", "goal.completed", "person.changed",
                                     "oneonone.held",   "feedback.given", NULL};

/* the waits after a failed attempt; one more failure after the last is final */
static const int64_t backoff[] = {60, 300, 1800, 7200, 43200};
#define MAX_ATTEMPTS ((int64_t)(sizeof(backoff) / sizeof(backoff[0])) + 1)

const char *webhook_url_problem(const char *url)
{
    CURLU *u;
    char *scheme = NULL, *host = NULL;
    const char *problem = NULL;

    if (!url || !*url)
        return "is required";
    if (strlen(url) > 2000)
        return "must be at most 2000 characters";
    if (strpbrk(url, " \t\r\n"))
        return "must not contain spaces";
    u = curl_url();
    if (!u)
        return "cannot be checked";
    /* "http://x" or "https://x" exactly: no scheme guessed, none but these two */
    bool absolute = (strncmp(url, "http://", 7) == 0 && url[7] && url[7] != '/') ||
                    (strncmp(url, "https://", 8) == 0 && url[8] && url[8] != '/');

    if (!absolute || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        problem = "must be an absolute http:// or https:// URL";
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return problem;
}

/* --- the secret: generated here, sealed with a key derived from the server key --------------- */

static const char *new_secret(struct arena *a, const char **box)
{
    unsigned char raw[32];
    char b64[64];
    const char *secret;

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    secret = arena_printf(a, "whsec_%s", b64);
    sodium_memzero(b64, sizeof(b64));
    *box = accounts_seal(a, "webhooks", secret);
    return secret;
}

/* The secret of box into out (NUL-terminated); false when it cannot be opened. */
static bool open_secret(const char *box, char *out, size_t outlen)
{
    return accounts_unseal("webhooks", box, out, outlen);
}

/* --- events ---------------------------------------------------------------------------------- */

static void new_event_id(char out[static 40])
{
    unsigned char raw[16];
    char hex[33];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    snprintf(out, 40, "evt_%s", hex);
}

static char *event_body(const char *event_id, const char *kind, const char *now, json_t *data)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:O}", "id", event_id, "kind", kind, "created_at", now,
                          "data", data ? data : json_null());
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    return s;
}

enum err webhooks_emit(struct db *db, const char *kind, json_t *data)
{
    char id[40], now[21];
    char *body;
    int64_t n = 0;
    enum err rc;

    if (!store_webhooks_wanted(db, kind))
        return ERR_OK;
    new_event_id(id);
    time_rfc3339(time_now(), now);
    body = event_body(id, kind, now, data);
    if (!body)
        return ERR_INTERNAL;
    rc = store_webhooks_enqueue(db, id, kind, body, now, &n);
    free(body);
    return rc;
}

enum err webhooks_person_changed(struct db *db, const struct person *before, const struct person *p)
{
    bool left = p->status && strcmp(p->status, "terminated") == 0 &&
                (!before || !before->status || strcmp(before->status, "terminated") != 0);
    json_t *data;
    enum err rc;

    if (!store_webhooks_wanted(db, "person.changed"))
        return ERR_OK; /* an import of a whole organisation builds no event nobody takes */
    data = json_pack("{s:s, s:{s:I, s:s?, s:s?, s:s?, s:s}}", "change",
                     !before ? "created"
                     : left  ? "terminated"
                             : "updated",
                     "person", "id", (json_int_t)p->id, "name", p->name, "title", p->title,
                     "department", p->department_name, "link", "#/people");
    if (!data)
        return ERR_INTERNAL;
    rc = webhooks_emit(db, "person.changed", data);
    json_decref(data);
    return rc;
}

/* --- admin writes ---------------------------------------------------------------------------- */

static bool known_kind(const char *k)
{
    for (size_t i = 0; webhook_kinds[i]; i++)
        if (strcmp(webhook_kinds[i], k) == 0)
            return true;
    return false;
}

/* The kinds as stored ("a,b"), checked; NULL with a field problem. */
static const char *kinds_text(struct arena *a, const struct webhook_in *in, struct errinfo *ei)
{
    struct buf b;
    const char *out;

    if (in->nkinds == 0) {
        err_field(ei, "event_kinds", "choose at least one event kind");
        return NULL;
    }
    for (size_t i = 0; i < in->nkinds; i++)
        if (!known_kind(in->kinds[i])) {
            err_field(ei, "event_kinds",
                      "must be among review.released, goal.completed, person.changed,"
                      " oneonone.held, feedback.given");
            return NULL;
        }
    buf_init(&b, 4096);
    for (size_t i = 0; webhook_kinds[i]; i++)
        for (size_t j = 0; j < in->nkinds; j++)
            if (strcmp(webhook_kinds[i], in->kinds[j]) == 0) {
                if (b.len)
                    buf_add(&b, ",");
                buf_add(&b, webhook_kinds[i]);
                break;
            }
    out = arena_strdup(a, buf_str(&b));
    buf_cleanup(&b);
    return out;
}

/* scheme://host[:port] of url: the path and query of an endpoint (chat services put their
 * credentials there) stay out of the audit log, which HR reads too. */
static json_t *origin_of(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    json_t *out = NULL;

    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
            out = json_sprintf("%s://%s:%s", scheme, host, port);
        else
            out = json_sprintf("%s://%s", scheme, host);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out ? out : json_null();
}

static json_t *snapshot(const struct webhook_endpoint *e)
{
    /* never the secret, nor the URL's path or query */
    return json_pack("{s:o, s:s, s:s, s:b}", "url_origin", origin_of(e->url), "description",
                     e->description ? e->description : "", "event_kinds", e->event_kinds, "active",
                     e->active);
}

static enum err admin_only(struct db *db, const struct actor *actor, struct errinfo *ei)
{
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    return rc ? err_set(ei, rc, "only an admin manages webhooks") : ERR_OK;
}

static void check_fields(const struct webhook_in *in, struct errinfo *ei)
{
    const char *p;

    if (in->has_url && (p = webhook_url_problem(in->url)) != NULL)
        err_field(ei, "url", "%s", p);
    if (in->has_description && in->description && strlen(in->description) > 500)
        err_field(ei, "description", "must be at most 500 characters");
}

enum err webhook_create(struct db *db, struct arena *a, const struct actor *actor,
                        const struct webhook_in *in, int64_t *id, const char **secret,
                        struct errinfo *ei)
{
    struct webhook_endpoint e = {0};
    char now[21];
    json_t *after;
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    if (!in->has_url)
        err_field(ei, "url", "is required");
    check_fields(in, ei);
    e.event_kinds = in->has_kinds ? kinds_text(a, in, ei) : NULL;
    if (!in->has_kinds)
        err_field(ei, "event_kinds", "is required");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    e.url = in->url;
    e.description = in->has_description && in->description ? in->description : "";
    e.active = in->has_active ? in->active : true;
    e.created_by = actor->person_id;
    e.created_at = e.updated_at = now;
    *secret = new_secret(a, &e.secret_box);
    rc = db_begin(db);
    if (rc == ERR_OK)
        rc = store_webhooks_insert(db, &e, id);
    if (rc == ERR_OK) {
        after = snapshot(&e);
        rc = audit_record(db, actor->person_id, "webhook.create", "webhook_endpoint", *id, NULL,
                          after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the webhook endpoint") : ERR_OK;
}

enum err webhook_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        const struct webhook_in *in, struct errinfo *ei)
{
    struct webhook_endpoint before, after;
    char now[21];
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    check_fields(in, ei);
    const char *kinds = in->has_kinds ? kinds_text(a, in, ei) : NULL;

    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot update the webhook endpoint");
    rc = store_webhooks_get(db, a, id, &before);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, rc, "no such webhook endpoint");
    }
    after = before;
    if (in->has_url)
        after.url = in->url;
    if (in->has_description)
        after.description = in->description ? in->description : "";
    if (kinds)
        after.event_kinds = kinds;
    if (in->has_active)
        after.active = in->active;
    time_rfc3339(time_now(), now);
    after.updated_at = now;
    if (rc == ERR_OK)
        rc = store_webhooks_update(db, &after);
    if (rc == ERR_OK) {
        json_t *b = snapshot(&before), *f = snapshot(&after);

        rc = audit_record(db, actor->person_id, "webhook.update", "webhook_endpoint", id, b, f);
        json_decref(b);
        json_decref(f);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot update the webhook endpoint") : ERR_OK;
}

enum err webhook_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        struct errinfo *ei)
{
    struct webhook_endpoint before;
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot delete the webhook endpoint");
    rc = store_webhooks_get(db, a, id, &before);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, rc, "no such webhook endpoint");
    }
    if (rc == ERR_OK)
        rc = store_webhooks_delete(db, id);
    if (rc == ERR_OK) {
        json_t *b = snapshot(&before);

        rc = audit_record(db, actor->person_id, "webhook.delete", "webhook_endpoint", id, b, NULL);
        json_decref(b);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot delete the webhook endpoint") : ERR_OK;
}

enum err webhook_rotate(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                        const char **secret, struct errinfo *ei)
{
    struct webhook_endpoint e;
    const char *box;
    char now[21];
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    *secret = new_secret(a, &box);
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot rotate the secret");
    rc = store_webhooks_get(db, a, id, &e);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, rc, "no such webhook endpoint");
    }
    if (rc == ERR_OK)
        rc = store_webhooks_set_secret(db, id, box, now);
    if (rc == ERR_OK) { /* when, never the secret */
        json_t *after = json_pack("{s:s, s:s}", "url", e.url, "secret_rotated_at", now);

        rc = audit_record(db, actor->person_id, "webhook.rotate_secret", "webhook_endpoint", id,
                          NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot rotate the secret") : ERR_OK;
}

enum err webhook_test(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                      const char **event_id, struct errinfo *ei)
{
    struct webhook_endpoint e;
    char eid[40], now[21];
    char *body;
    json_t *data;
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    new_event_id(eid);
    time_rfc3339(time_now(), now);
    data = json_pack("{s:I, s:s}", "endpoint_id", (json_int_t)id, "message",
                     "A test event from Trellis");
    body = event_body(eid, "ping", now, data);
    json_decref(data);
    if (!body)
        return err_set(ei, ERR_INTERNAL, "cannot queue the test event");
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_webhooks_get(db, a, id, &e);
        if (rc == ERR_OK)
            rc = store_webhooks_enqueue_one(db, id, eid, "ping", body, now);
        if (rc == ERR_OK)
            rc = audit_record(db, actor->person_id, "webhook.test", "webhook_endpoint", id, NULL,
                              NULL);
        rc = db_end(db, rc);
    }
    free(body);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such webhook endpoint");
    if (rc)
        return err_set(ei, rc, "cannot queue the test event");
    *event_id = arena_strdup(a, eid);
    return ERR_OK;
}

enum err webhook_redeliver(struct db *db, const struct actor *actor, int64_t id,
                           int64_t delivery_id, struct errinfo *ei)
{
    char now[21];
    enum err rc = admin_only(db, actor, ei);

    if (rc)
        return rc;
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot queue the delivery again");
    rc = store_webhooks_redeliver(db, id, delivery_id, now);
    if (rc == ERR_OK) {
        json_t *f = json_pack("{s:I}", "delivery_id", (json_int_t)delivery_id);

        rc = audit_record(db, actor->person_id, "webhook.redeliver", "webhook_endpoint", id, NULL,
                          f);
        json_decref(f);
    }
    rc = db_end(db, rc);
    if (rc == ERR_NOT_FOUND) {
        ei->code = "not_failed";
        return err_set(ei, ERR_CONFLICT, "no failed delivery with this id for this endpoint");
    }
    return rc ? err_set(ei, rc, "cannot queue the delivery again") : ERR_OK;
}

/* --- delivery -------------------------------------------------------------------------------- */

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userp)
{
    (void)ptr, (void)userp;
    return size * nmemb;
}

/* The signature header value: v1=<hex HMAC-SHA256 of "timestamp.body"> under secret. */
static void sign(const char *secret, const char *ts, const char *body, char out[static 68])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
    out[0] = 'v', out[1] = '1', out[2] = '=';
    sodium_bin2hex(out + 3, 65, mac, sizeof(mac));
}

/* One POST; the HTTP status in *code (0 when there was no answer), a problem in err. */
static void post_one(const struct webhook_delivery *d, const char *secret, int64_t timeout,
                     long *code, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char line[200], ts[24], sig[68], errbuf[CURL_ERROR_SIZE] = "";
    CURLcode cc;

    *code = 0;
    if (!c) {
        snprintf(err, errlen, "cannot start libcurl");
        return;
    }
    snprintf(ts, sizeof(ts), "%lld", (long long)time_now());
    sign(secret, ts, d->payload, sig);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "User-Agent: Trellis-Webhooks/1");
    h = curl_slist_append(h, "Expect:");
    snprintf(line, sizeof(line), "Trellis-Event: %s", d->kind);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "Trellis-Delivery: %s", d->event_id);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "Trellis-Timestamp: %s", ts);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "Trellis-Signature: %s", sig);
    h = curl_slist_append(h, line);
    curl_easy_setopt(c, CURLOPT_URL, d->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(d->payload));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
    cc = curl_easy_perform(c);
    if (cc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
        if (*code < 200 || *code > 299)
            snprintf(err, errlen, "the endpoint answered HTTP %ld", *code);
    } else {
        snprintf(err, errlen, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    sodium_memzero(sig, sizeof(sig));
}

static void log_failure(const struct webhook_delivery *d, long code, const char *err, bool give_up)
{
    /* never the secret, the signature or the payload */
    json_t *x = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:b}", "delivery_id",
                          (json_int_t)d->id, "endpoint_id", (json_int_t)d->endpoint_id, "event_id",
                          d->event_id, "kind", d->kind, "attempt", (json_int_t)d->attempts,
                          "status_code", (json_int_t)code, "error", err, "gave_up", give_up);
    char *s = x ? json_dumps(x, JSON_COMPACT) : NULL;

    log_line("warn", give_up ? "webhook delivery failed; giving up" : "webhook delivery failed", s);
    free(s);
    json_decref(x);
}

enum err webhooks_deliver(struct db *db, const struct webhook_config *cfg, int max, int *sent)
{
    struct arena *a = arena_new();
    int64_t timeout = cfg && cfg->timeout > 0 && cfg->timeout < 10 ? cfg->timeout : 10;
    enum err rc = ERR_OK;

    *sent = 0;
    for (int i = 0; i < max; i++) {
        struct webhook_delivery d = {0};
        char now[21], until[21], next[21], at[21], token[33], secret[128], err[512] = "";
        unsigned char raw[16];
        int64_t t = time_now(), wait;
        uint64_t t0;
        long code = 0;
        bool ok, give_up = false;

        randombytes_buf(raw, sizeof(raw));
        sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
        time_rfc3339(t, now);
        time_rfc3339(t + timeout + 60, until);
        rc = store_webhooks_claim(db, a, now, until, token, &d);
        if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK;
            break;
        }
        if (rc)
            break;
        t0 = time_mono_ns();
        if (!open_secret(d.secret_box, secret, sizeof(secret)))
            snprintf(err, sizeof(err), "the signing secret cannot be opened with this server key");
        else
            post_one(&d, secret, timeout, &code, err, sizeof(err));
        sodium_memzero(secret, sizeof(secret));
        ok = !*err;
        time_rfc3339(time_now(), at);
        if (ok) {
            (*sent)++;
            snprintf(next, sizeof(next), "%s", at);
        } else {
            give_up = d.attempts >= MAX_ATTEMPTS;
            wait = cfg && cfg->retry_seconds > 0                       ? cfg->retry_seconds
                   : d.attempts >= 1 && d.attempts <= MAX_ATTEMPTS - 1 ? backoff[d.attempts - 1]
                                                                       : backoff[0];
            time_rfc3339(time_now() + wait, next);
            log_failure(&d, code, err, give_up);
        }
        rc = store_webhooks_attempt(db, d.id, token, at, code, ok ? NULL : err,
                                    (int64_t)((time_mono_ns() - t0) / 1000000),
                                    ok        ? "delivered"
                                    : give_up ? "failed"
                                              : "queued",
                                    next);
        if (rc == ERR_NOT_FOUND) /* the lease passed to another server meanwhile */
            rc = ERR_OK;
        if (rc)
            break;
    }
    arena_free(a);
    return rc;
}
