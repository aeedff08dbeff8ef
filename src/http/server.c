/* SPDX-License-Identifier: MIT */
/* The libmicrohttpd adapter. Each connection's request object lives from the first
 * access-handler call to the request-completed callback; the response is queued only after the
 * body has been read (queueing on the first call makes MHD close the connection). */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "http/metrics.h"
#include "http/request.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* workers (--threads, at most 64) and the two pools (at most 8 threads each) */
#define MAX_WORKER_DBS (64 + 8 + 8)

static const struct server_config *cfg;
static atomic_int active_requests;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *all_dbs[MAX_WORKER_DBS];
static int ndbs;
static _Thread_local struct db *tl_db;
static _Thread_local uint64_t tl_next_open_ns;

/* The worker's own connection, opened on first use (again at most once a second while that
 * fails) and made ready for the request: NULL when the database is unavailable. A lost
 * connection stays the worker's and is reconnected by db_ready with backoff. */
static struct db *worker_db(void)
{
    struct errinfo ei = {0};

    if (tl_db) {
        db_ready(tl_db);
        return tl_db;
    }
    if (time_mono_ns() < tl_next_open_ns)
        return NULL;
    tl_db = db_open(cfg->db_url, &ei);
    if (!tl_db) {
        tl_next_open_ns = time_mono_ns() + 1000000000ull;
        log_warn("database unavailable: %s", ei.message);
        return NULL;
    }
    pthread_mutex_lock(&dbs_lock);
    if (ndbs < MAX_WORKER_DBS)
        all_dbs[ndbs++] = tl_db;
    pthread_mutex_unlock(&dbs_lock);
    metrics_db_connections(1);
    return tl_db;
}

static struct request *request_new(void)
{
    struct request *r = xcalloc(1, sizeof(*r));

    r->arena = arena_new();
    buf_init(&r->body, cfg->body_limit);
    return r;
}

/* What counts as a heavy request: its memory (a company-wide view, an HRIS import) is returned
 * to the system afterwards instead of staying with the worker thread's malloc arena. */
#define HEAVY_NS    (50 * 1000000ull)
#define HEAVY_BYTES (1u << 20)

static void request_done(struct request *r)
{
    bool heavy = r->heavy || r->body.len > HEAVY_BYTES || r->resp_len > HEAVY_BYTES;

    arena_free(r->arena);
    buf_cleanup(&r->body);
    free(r->resp);
    free(r);
    if (heavy)
        malloc_trim(0);
}

const char *request_query(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *request_header(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *request_cookie(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void request_add_header(struct request *r, const char *name, const char *value)
{
    if (r->nheaders < REQUEST_MAX_HEADERS) {
        r->hnames[r->nheaders] = name;
        r->hvalues[r->nheaders] = value;
        r->nheaders++;
    }
}

void response_json(struct request *r, int status, json_t *obj)
{
    free(r->resp);
    r->resp = json_dumps(obj, JSON_COMPACT);
    r->resp_len = r->resp ? strlen(r->resp) : 0;
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
    json_decref(obj);
}

void response_json_buf(struct request *r, int status, struct buf *b)
{
    size_t ceiling = r->answer_max && r->answer_max < b->max ? r->answer_max : b->max;

    if (b->over || b->len > ceiling) {
        /* what did not fit was dropped: the JSON is cut, never sent as an answer */
        struct errinfo ei = {0};
        bool mb = ceiling >= (1u << 20);
        size_t n = mb ? ceiling >> 20 : ceiling >> 10;

        log_warn("http: the answer to %s %s passed its ceiling of %zu %s", r->method, r->path, n,
                 mb ? "MB" : "KB");
        buf_cleanup(b);
        err_set(&ei, ERR_TOO_LARGE,
                "the answer would be larger than %zu %s: ask for less (a page, fewer levels)", n,
                mb ? "MB" : "KB");
        ei.code = "answer_too_large";
        response_error(r, ERR_TOO_LARGE, &ei);
        return;
    }
    free(r->resp);
    r->resp = buf_take(b, &r->resp_len);
    r->status = status;
    r->content_type = "application/json; charset=utf-8";
}

void response_empty(struct request *r, int status)
{
    free(r->resp);
    r->resp = NULL;
    r->resp_len = 0;
    r->status = status;
    r->content_type = NULL;
}

void response_bytes(struct request *r, int status, const char *type, const void *p, size_t len)
{
    free(r->resp);
    r->resp = xmalloc(len + 1);
    memcpy(r->resp, p, len);
    r->resp_len = len;
    r->status = status;
    r->content_type = type;
}

/* a as 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d); false if it is neither */
static bool addr16(const struct sockaddr *sa, unsigned char out[16])
{
    if (sa->sa_family == AF_INET) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

static bool parse_ip(const char *s, unsigned char out[16])
{
    unsigned char v4[4];

    if (inet_pton(AF_INET, s, v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, s, out) == 1;
}

static void format_ip(const unsigned char a[16], char *out, size_t n)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (memcmp(a, mapped, 12) == 0)
        inet_ntop(AF_INET, a + 12, out, (socklen_t)n);
    else
        inet_ntop(AF_INET6, a, out, (socklen_t)n);
}

bool server_parse_cidr(const char *s, struct cidr *out)
{
    char host[INET6_ADDRSTRLEN + 1];
    const char *slash = strchr(s, '/');
    size_t hl = slash ? (size_t)(slash - s) : strlen(s);
    bool v4;
    char *end;
    long bits;

    if (hl == 0 || hl >= sizeof(host))
        return false;
    memcpy(host, s, hl);
    host[hl] = '\0';
    v4 = strchr(host, ':') == NULL;
    if (!parse_ip(host, out->addr))
        return false;
    if (!slash) {
        out->bits = 128;
        return true;
    }
    if (!slash[1] || slash[1] == '-' || slash[1] == '+')
        return false;
    bits = strtol(slash + 1, &end, 10);
    if (*end || bits < 0 || bits > (v4 ? 32 : 128))
        return false;
    out->bits = (int)(v4 ? bits + 96 : bits);
    return true;
}

static bool in_cidr(const unsigned char a[16], const struct cidr *c)
{
    int full = c->bits / 8, rest = c->bits % 8;

    if (memcmp(a, c->addr, (size_t)full) != 0)
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a[full] & mask) == (c->addr[full] & mask);
}

static bool trusted_proxy(const unsigned char a[16])
{
    for (int i = 0; i < cfg->ntrusted; i++)
        if (in_cidr(a, &cfg->trusted[i]))
            return true;
    return false;
}

struct forwarded {
    char list[1024]; /* every X-Forwarded-For header, in order, comma-separated */
    size_t len;
};

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
                                         const char *value)
{
    struct forwarded *f = cls;
    size_t n = value ? strlen(value) : 0;

    (void)kind;
    if (!key || strcasecmp(key, "X-Forwarded-For") != 0 || !n)
        return MHD_YES;
    if (f->len + n + 2 > sizeof(f->list)) {
        f->len = 0; /* too long to believe: keep nothing rather than the wrong end */
        f->list[0] = '\0';
        return MHD_NO;
    }
    if (f->len)
        f->list[f->len++] = ',';
    memcpy(f->list + f->len, value, n);
    f->len += n;
    f->list[f->len] = '\0';
    return MHD_YES;
}

/* The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most
 * address of X-Forwarded-For that is not a trusted proxy itself (the ones left of it are
 * whatever the client chose to send). */
static void client_ip(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    unsigned char peer[16], hop[16];
    struct forwarded f = {{0}, 0};

    snprintf(out, n, "-");
    if (!ci || !ci->client_addr || !addr16(ci->client_addr, peer))
        return;
    format_ip(peer, out, n);
    if (!cfg->ntrusted || !trusted_proxy(peer))
        return;
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_forwarded, &f);
    while (f.len) {
        char *comma = strrchr(f.list, ',');
        char *item = comma ? comma + 1 : f.list;
        char *e;

        while (*item == ' ' || *item == '\t')
            item++;
        e = item + strlen(item);
        while (e > item && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (!parse_ip(item, hop))
            return; /* not an address: the last hop we could read stands */
        format_ip(hop, out, n);
        if (!trusted_proxy(hop))
            return;
        if (!comma)
            return;
        *comma = '\0';
        f.len = (size_t)(comma - f.list);
    }
}

/* One JSON log line per request (DESIGN: structured logs). */
static void log_request(struct request *r, uint64_t ns)
{
    json_t *o;
    char at[21], *s;

    /* every 500 says why in the log, also when request lines are off */
    if (r->status >= 500 && r->cause) {
        json_t *x = json_pack("{s:s, s:s, s:i, s:s}", "method", r->method, "route",
                              api_route_name(r->route), "status", r->status, "cause", r->cause);
        char *extra = x ? json_dumps(x, JSON_COMPACT) : NULL;

        log_line("error", "internal error", extra);
        free(extra);
        json_decref(x);
    }
    if (cfg->quiet)
        return;
    time_rfc3339(time_now(), at);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:f, s:s, s:I}", "at", at, "level", "info", "msg",
                  "request", "method", r->method, "route", api_route_name(r->route), "status",
                  r->status, "duration_ms", (double)ns / 1e6, "ip", r->ip, "actor",
                  (json_int_t)r->actor.person_id);
    if (!o)
        return;
    /* a secret in the path (a calendar feed's token) never reaches the log: such routes log
     * their pattern instead */
    const char *route = api_route_name(r->route);
    json_t *path = json_string(strstr(route, "{token}") ? route : r->path);
    json_object_set_new(o, "path", path ? path : json_string("(invalid UTF-8)"));
    s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (s) {
        log_raw(s, strlen(s));
        free(s);
    }
    json_decref(o);
}

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                          "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static enum MHD_Result send_response(struct MHD_Connection *c, struct request *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    resp = MHD_create_response_from_buffer(r->resp_len, r->resp, MHD_RESPMEM_MUST_FREE);
    r->resp = NULL;
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cache_control ? r->cache_control : "no-store");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->hnames[i], r->hvalues[i]);
    ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* How long each route's handler took lately (an average that follows the last few requests):
 * a route slower than SLOW_NS is handled by the slow pool from its next request on, until it
 * is fast again. A fast request sent there pays a thread hand-over (microseconds); a slow one
 * kept on a worker costs every connection of that worker its duration. */
#define SLOW_NS (10 * 1000000ull)

#define MAX_TIMED_ROUTES 512

static _Atomic uint64_t route_ns[MAX_TIMED_ROUTES];

static void route_timed(int route, uint64_t ns)
{
    uint64_t avg;

    if (route < 0 || route >= MAX_TIMED_ROUTES)
        return;
    avg = atomic_load_explicit(&route_ns[route], memory_order_relaxed);
    /* a quarter of the new figure: one request of 40 ms makes a fast route slow, a few fast
     * ones make it fast again */
    atomic_store_explicit(&route_ns[route], avg - avg / 4 + ns / 4, memory_order_relaxed);
}

static bool route_slow(const struct request *r)
{
    if (r->body.len > HEAVY_BYTES || api_route_heavy(r->route))
        return true; /* an HRIS import's parsing alone takes a while; a launch, a release */
    return r->route >= 0 && r->route < MAX_TIMED_ROUTES &&
           atomic_load_explicit(&route_ns[r->route], memory_order_relaxed) > SLOW_NS;
}

/* Runs the request on this thread with its database connection: the response is in r. */
static void handle(struct request *r)
{
    uint64_t t0;

    r->db = worker_db();
    if (r->db) {
        const char *fault = cfg->test_faults ? request_header(r, "X-Trellis-Fault") : NULL;

        r->db_ns0 = r->db->ns_in_db;
        /* fault injection proves "partial writes never happen" */
        r->fault = fault ? (int)strtol(fault, NULL, 10) : 0;
    }
    if (cfg->test_faults) { /* tests: an answer past its ceiling */
        const char *max = request_header(r, "X-Trellis-Answer-Max");

        r->answer_max = max ? strtoul(max, NULL, 10) : 0;
    }
    t0 = time_mono_ns();
    if (cfg->test_faults) { /* tests: a slow request */
        const char *delay = request_header(r, "X-Trellis-Delay-Ms");

        if (delay)
            usleep((useconds_t)strtoul(delay, NULL, 10) * 1000);
    }
    api_dispatch(r);
    route_timed(r->route, time_mono_ns() - t0);
    if (r->db && r->db->full) {
        /* the disk is full: the transaction was rolled back, reads go on; say so plainly */
        struct errinfo ei = {0};

        log_warn("%s %s: the disk is full; the write was not saved", r->method,
                 api_route_name(r->route));
        err_set(&ei, ERR_STORAGE_FULL,
                "the server's disk is full, so nothing was saved; try again later");
        r->nheaders = 0;
        r->cache_control = NULL;
        response_error(r, ERR_STORAGE_FULL, &ei);
    } else if (r->db && r->db->unavailable) {
        /* a statement failed for want of a database, whatever the handler made of it (a session
         * that cannot be looked up is not "signed out"): nothing was done, try again later */
        struct errinfo ei = {0};

        ei.retry_after = r->db->retry_after;
        err_set(&ei, ERR_UNAVAILABLE, "the database is unavailable; try again in a moment");
        r->nheaders = 0;
        r->cache_control = NULL;
        response_error(r, ERR_UNAVAILABLE, &ei);
    }
    if (r->db)
        r->db->fail_after = 0;
    if (r->db && r->db->txdepth) {
        log_warn("transaction left open by %s %s; rolled back", r->method,
                 api_route_name(r->route));
        while (r->db->txdepth)
            db_rollback(r->db);
    }
}

/* A pool of threads that handle suspended requests, so that the workers go on serving
 * everyone else: one for sign-ins (a password hash takes a while and 64 MiB), one for slow
 * requests (a company-wide view, an import, a launch). libmicrohttpd keeps each connection on
 * one worker thread: a slow request handled there would stall that worker's other connections,
 * and two slow ones on the same worker would wait for each other while a core stays idle. */
struct pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct request *head, *tail;
    bool stopping;
    pthread_t threads[8];
    unsigned n;
};

static struct pool hashers = {.lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER};
static struct pool slow_pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
                                .ready = PTHREAD_COND_INITIALIZER};

static void enqueue(struct pool *p, struct request *r)
{
    pthread_mutex_lock(&p->lock);
    r->next_queued = NULL;
    if (p->tail)
        p->tail->next_queued = r;
    else
        p->head = r;
    p->tail = r;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

/* Handles queued requests until stopped and the queue is empty (every connection resumed). */
static void *pool_main(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        struct request *r;

        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->ready, &p->lock);
        r = p->head;
        if (r) {
            p->head = r->next_queued;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        if (!r)
            return NULL;
        handle(r);
        r->handled = true;
        MHD_resume_connection(r->conn);
    }
}

static void pool_start(struct pool *p, unsigned n)
{
    p->stopping = false;
    for (p->n = 0; p->n < n && p->n < sizeof(p->threads) / sizeof(p->threads[0]); p->n++)
        if (pthread_create(&p->threads[p->n], NULL, pool_main, p) != 0)
            break;
}

static void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    p->n = 0;
}

/* RFC 9112 framing: what a request's headers say about where its body ends. */
struct framing {
    int content_lengths; /* Content-Length headers */
    bool lengths_differ; /* ... with different values */
    const char *first_length;
    bool transfer_encoding;
    bool space_in_name; /* whitespace inside a field name, i.e. before its colon */
};

static enum MHD_Result collect_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    struct framing *f = cls;

    (void)kind;
    if (strpbrk(key, " \t"))
        f->space_in_name = true;
    if (strcasecmp(key, "Content-Length") == 0) {
        if (f->content_lengths++ && strcmp(f->first_length, value ? value : "") != 0)
            f->lengths_differ = true;
        if (!f->first_length)
            f->first_length = value ? value : "";
    } else if (strcasecmp(key, "Transfer-Encoding") == 0)
        f->transfer_encoding = true;
    return MHD_YES;
}

/* NULL when the request's framing is unambiguous, else why it is refused. Content-Length and
 * Transfer-Encoding together, Content-Length values that disagree and whitespace before a
 * colon are how requests are smuggled past a proxy that reads them differently. */
static const char *bad_framing(struct MHD_Connection *c)
{
    struct framing f = {0};

    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_framing, &f);
    if (f.space_in_name)
        return "a header has whitespace before its colon";
    if (f.content_lengths && f.transfer_encoding)
        return "the request has both Content-Length and Transfer-Encoding";
    if (f.lengths_differ)
        return "the request has Content-Length headers with different values";
    return NULL;
}

/* Refuses a request before its body is read: 400, a JSON error, and the connection closed
 * (queueing a response before the body makes MHD close it; Connection: close says so). */
static enum MHD_Result refuse_framing(struct MHD_Connection *c, const char *why)
{
    static const char fmt[] = "{\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}";
    char body[256];
    int n = snprintf(body, sizeof(body), fmt, why);
    struct MHD_Response *resp;
    enum MHD_Result ret;

    log_warn("refused a request with ambiguous framing: %s", why);
    resp = MHD_create_response_from_buffer((size_t)n, body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Connection", "close");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    ret = MHD_queue_response(c, MHD_HTTP_BAD_REQUEST, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct request *r = *con_cls;
    uint64_t ns;

    (void)cls;
    (void)version;
    if (!r) {
        const char *why = bad_framing(c);

        if (why)
            return refuse_framing(c, why);
        r = request_new();
        r->conn = c;
        r->method = method;
        r->path = url;
        r->route = -1;
        r->body.max = api_body_limit(method, url, cfg->body_limit);
        r->t0 = time_mono_ns();
        atomic_fetch_add(&active_requests, 1);
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->body_too_large && buf_addn(&r->body, upload_data, *upload_data_size) != ERR_OK)
            r->body_too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->offloaded) {
        if (!r->handled)
            return MHD_YES; /* woken before the pool finished: keep waiting */
    } else {
        struct pool *p = NULL;

        client_ip(c, r->ip, sizeof(r->ip));
        api_route_resolve(r);
        if (hashers.n && api_route_hashes(method, url))
            p = &hashers;
        else if (slow_pool.n && route_slow(r))
            p = &slow_pool;
        if (p) {
            /* its connection waits for the pool; this worker goes on serving the others */
            r->offloaded = true;
            MHD_suspend_connection(c);
            enqueue(p, r);
            return MHD_YES;
        }
        handle(r);
    }
    ns = time_mono_ns() - r->t0;
    r->heavy = ns > HEAVY_NS;
    metrics_observe(r->route, r->status, ns, r->db ? r->db->ns_in_db - r->db_ns0 : 0);
    log_request(r, ns);
    return send_response(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct request *r = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (!r)
        return;
    *con_cls = NULL;
    request_done(r);
    atomic_fetch_sub(&active_requests, 1);
}

static enum err parse_listen(const char *listen, struct sockaddr_storage *ss, struct errinfo *ei)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    char *end;
    long port;
    size_t hl;

    memset(ss, 0, sizeof(*ss));
    if (!colon)
        return err_set(ei, ERR_VALIDATION, "--listen must be HOST:PORT");
    hl = (size_t)(colon - listen);
    if (hl >= sizeof(host))
        return err_set(ei, ERR_VALIDATION, "--listen host is too long");
    memcpy(host, listen, hl);
    host[hl] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || end == colon + 1)
        return err_set(ei, ERR_VALIDATION, "--listen port must be 0-65535");
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

        host[hl - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return err_set(ei, ERR_VALIDATION, "--listen: bad IPv6 address");
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

        if (strcmp(host, "localhost") == 0)
            snprintf(host, sizeof(host), "127.0.0.1");
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return err_set(ei, ERR_VALIDATION, "--listen: bad IPv4 address '%s'", host);
    }
    return ERR_OK;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_line("warn", msg, "{\"source\":\"microhttpd\"}");
}

int server_listen(const char *addr, struct errinfo *ei)
{
    struct sockaddr_storage ss = {0};
    int fd, one = 1;

    if (parse_listen(addr, &ss, ei))
        return -1;
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        err_set(ei, ERR_UNAVAILABLE, "cannot listen on %s: %s", addr, strerror(errno));
        return -1;
    }
    /* SO_REUSEADDR only: a restart binds at once past TIME_WAIT, while a port another process
     * listens on stays refused (SO_REUSEPORT would let a second server share it silently) */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss,
             ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) !=
            0 ||
        listen(fd, 511) != 0) {
        int e = errno;

        close(fd);
        if (e == EADDRINUSE)
            err_set(ei, ERR_UNAVAILABLE,
                    "cannot listen on %s: the address is already in use (is another trellis "
                    "serve running?)",
                    addr);
        else
            err_set(ei, ERR_UNAVAILABLE, "cannot listen on %s: %s", addr, strerror(e));
        return -1;
    }
    return fd;
}

enum err server_run(const struct server_config *config, struct errinfo *ei)
{
    struct sockaddr_storage ss = {0};
    socklen_t sslen = sizeof(ss);
    struct MHD_Daemon *d;
    sigset_t set;
    int sig = 0, fd;
    char host[64] = "";
    unsigned port = 0;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;

    cfg = config;
    /* large blocks (big responses, import buffers) come from mmap and go back on free, and free
     * memory at a heap's top is returned beyond 128 KiB: glibc's dynamic thresholds otherwise
     * grow after the first large response and each worker keeps many times its largest one */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
    metrics_process_start(time_now());
    fd = cfg->listen_fd >= 0 ? cfg->listen_fd : server_listen(cfg->listen, ei);
    if (fd < 0)
        return ERR_UNAVAILABLE;
    if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
        close(fd);
        return err_set(ei, ERR_UNAVAILABLE, "cannot listen on %s: %s", cfg->listen,
                       strerror(errno));
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* each connection's memory (request line, headers, read buffer) is 16 KiB: libmicrohttpd
     * zeroes it for every request, and at 32 KiB that was an eighth of a person read's
     * instructions; a request whose headers pass about 14 KiB is answered 431 */
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16 * 1024,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->max_connections_per_address, MHD_OPTION_END);
    if (!d) {
        close(fd);
        return err_set(ei, ERR_UNAVAILABLE, "cannot serve on %s", cfg->listen);
    }
    for (int i = 0; i < MAX_TIMED_ROUTES; i++)
        atomic_store(&route_ns[i], 0);
    pool_start(&hashers, cfg->hash_threads);
    pool_start(&slow_pool, cfg->slow_threads);
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 a6;

        memcpy(&a6, &ss, sizeof(a6));
        inet_ntop(AF_INET6, &a6.sin6_addr, host, sizeof(host));
        port = ntohs(a6.sin6_port);
    } else {
        struct sockaddr_in a4;

        memcpy(&a4, &ss, sizeof(a4));
        inet_ntop(AF_INET, &a4.sin_addr, host, sizeof(host));
        port = ntohs(a4.sin_port);
    }
    printf(ss.ss_family == AF_INET6 ? "listening on http://[%s]:%u\n"
                                    : "listening on http://%s:%u\n",
           host, port);
    fflush(stdout);
    /* SIGHUP reads the settings again (log rotation needs nothing: the log is stderr); only
     * SIGTERM and SIGINT stop the server */
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
        if (cfg->reload)
            cfg->reload();
    }
    /* graceful: stop accepting, let in-flight requests finish (10 s at most), then stop */
    /* the quiesced socket stays open until MHD_stop_daemon: each pool thread takes it out of
     * its own epoll set later, and a socket closed before that makes MHD abort the process */
    fd = MHD_quiesce_daemon(d);
    for (int i = 0; i < 1000 && atomic_load(&active_requests) > 0; i++)
        usleep(10000);
    /* the pools handle what is queued first: no connection stays suspended */
    pool_stop(&hashers);
    pool_stop(&slow_pool);
    MHD_stop_daemon(d);
    if (fd >= 0)
        close(fd);
    pthread_mutex_lock(&dbs_lock);
    for (int i = 0; i < ndbs; i++)
        db_close(all_dbs[i]);
    ndbs = 0;
    pthread_mutex_unlock(&dbs_lock);
    log_info("stopped on signal %d", sig);
    return ERR_OK;
}
