/* SPDX-License-Identifier: MIT */
/* See metrics.h. Counters by route and status class, a latency histogram per route. */
#include "http/metrics.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
                               412, 413, 415, 422, 429, 500, 503, 507, 0};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct route_metrics {
    atomic_uint_fast64_t count[NSTATUS];
    atomic_uint_fast64_t bucket[NBOUNDS + 1];
    atomic_uint_fast64_t sum_ns;
};

static struct route_metrics routes[METRICS_MAX_ROUTES + 1];
static atomic_uint_fast64_t db_ns_total;
/* the scheduler: passes, failed passes, the last one's end (unix seconds) and length */
static atomic_uint_fast64_t sched_passes, sched_failures, sched_last_end, sched_last_ns;
static atomic_int db_connections;
static atomic_uint_fast64_t process_start;

void metrics_scheduler_pass(uint64_t ns, bool ok, int64_t ended_at)
{
    atomic_fetch_add_explicit(&sched_passes, 1, memory_order_relaxed);
    if (!ok)
        atomic_fetch_add_explicit(&sched_failures, 1, memory_order_relaxed);
    atomic_store_explicit(&sched_last_end, (uint64_t)ended_at, memory_order_relaxed);
    atomic_store_explicit(&sched_last_ns, ns, memory_order_relaxed);
}

void metrics_db_connections(int delta)
{
    atomic_fetch_add_explicit(&db_connections, delta, memory_order_relaxed);
}

void metrics_process_start(int64_t at)
{
    atomic_store_explicit(&process_start, (uint64_t)at, memory_order_relaxed);
}

/* Resident memory and open descriptors from /proc (Linux); 0 where it cannot be read. */
static void process_figures(uint64_t *rss_bytes, uint64_t *fds)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, resident = 0;
    DIR *d;

    *rss_bytes = 0;
    *fds = 0;
    if (f) {
        if (fscanf(f, "%llu %llu", &size, &resident) == 2)
            *rss_bytes = (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
        fclose(f);
    }
    d = opendir("/proc/self/fd");
    if (d) {
        for (struct dirent *e; (e = readdir(d));)
            if (e->d_name[0] != '.')
                (*fds)++;
        closedir(d);
        if (*fds)
            (*fds)--; /* the directory's own descriptor */
    }
}

static void render_process(struct buf *out)
{
    uint64_t rss, fds;

    process_figures(&rss, &fds);
    buf_addf(out,
             "# HELP trellis_scheduler_passes_total Scheduler passes (reminders, email, "
             "snapshots).\n"
             "# TYPE trellis_scheduler_passes_total counter\ntrellis_scheduler_passes_total %llu\n"
             "# HELP trellis_scheduler_failures_total Passes that found the database "
             "unavailable.\n"
             "# TYPE trellis_scheduler_failures_total counter\n"
             "trellis_scheduler_failures_total %llu\n"
             "# HELP trellis_scheduler_last_pass_timestamp_seconds When the last pass ended.\n"
             "# TYPE trellis_scheduler_last_pass_timestamp_seconds gauge\n"
             "trellis_scheduler_last_pass_timestamp_seconds %llu\n"
             "# HELP trellis_scheduler_last_pass_duration_seconds How long the last pass took.\n"
             "# TYPE trellis_scheduler_last_pass_duration_seconds gauge\n"
             "trellis_scheduler_last_pass_duration_seconds %.6f\n"
             "# HELP trellis_db_connections Open database connections of the workers.\n"
             "# TYPE trellis_db_connections gauge\ntrellis_db_connections %d\n"
             "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
             "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %llu\n"
             "# HELP process_open_fds Number of open file descriptors.\n"
             "# TYPE process_open_fds gauge\nprocess_open_fds %llu\n"
             "# HELP process_start_time_seconds Start time of the process since the epoch.\n"
             "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %llu\n",
             (unsigned long long)atomic_load(&sched_passes),
             (unsigned long long)atomic_load(&sched_failures),
             (unsigned long long)atomic_load(&sched_last_end),
             (double)atomic_load(&sched_last_ns) / 1e9, atomic_load(&db_connections),
             (unsigned long long)rss, (unsigned long long)fds,
             (unsigned long long)atomic_load(&process_start));
}

void metrics_observe(int route, int status, uint64_t ns, uint64_t db_ns)
{
    struct route_metrics *m =
        &routes[route < 0 || route >= METRICS_MAX_ROUTES ? METRICS_MAX_ROUTES : route];
    size_t si = NSTATUS - 1, bi = NBOUNDS;
    double secs = (double)ns / 1e9;

    for (size_t i = 0; i + 1 < NSTATUS; i++)
        if (statuses[i] == status)
            si = i;
    for (size_t i = 0; i < NBOUNDS; i++)
        if (secs <= bounds[i]) {
            bi = i;
            break;
        }
    atomic_fetch_add_explicit(&m->count[si], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->bucket[bi], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_ns, ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&db_ns_total, db_ns, memory_order_relaxed);
}

void metrics_render(struct buf *out, const char *(*route_name)(int),
                    const char *(*route_method)(int), int nroutes)
{
    if (nroutes > METRICS_MAX_ROUTES)
        nroutes = METRICS_MAX_ROUTES; /* routes beyond the table count as unmatched */
    buf_add(out, "# HELP trellis_http_requests_total HTTP requests by route and status.\n"
                 "# TYPE trellis_http_requests_total counter\n");
    for (int r = 0; r <= nroutes; r++) {
        struct route_metrics *m = &routes[r == nroutes ? METRICS_MAX_ROUTES : r];
        const char *name = r == nroutes ? "unmatched" : route_name(r);
        const char *method = r == nroutes ? "ANY" : route_method(r);

        for (size_t s = 0; s < NSTATUS; s++) {
            uint64_t n = atomic_load_explicit(&m->count[s], memory_order_relaxed);

            if (n)
                buf_addf(out,
                         "trellis_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s%d\"}"
                         " %llu\n",
                         name, method, statuses[s] ? "" : "other", statuses[s] ? statuses[s] : 0,
                         (unsigned long long)n);
        }
    }
    buf_add(out, "# HELP trellis_http_request_duration_seconds Time to handle a request.\n"
                 "# TYPE trellis_http_request_duration_seconds histogram\n");
    for (int r = 0; r <= nroutes; r++) {
        struct route_metrics *m = &routes[r == nroutes ? METRICS_MAX_ROUTES : r];
        const char *name = r == nroutes ? "unmatched" : route_name(r);
        const char *method = r == nroutes ? "ANY" : route_method(r);
        uint64_t cum = 0;

        for (size_t b = 0; b <= NBOUNDS; b++)
            cum += atomic_load_explicit(&m->bucket[b], memory_order_relaxed);
        if (!cum)
            continue;
        cum = 0;
        for (size_t b = 0; b <= NBOUNDS; b++) {
            cum += atomic_load_explicit(&m->bucket[b], memory_order_relaxed);
            if (b < NBOUNDS)
                buf_addf(out,
                         "trellis_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                         "le=\"%g\"} %llu\n",
                         name, method, bounds[b], (unsigned long long)cum);
            else
                buf_addf(out,
                         "trellis_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                         "le=\"+Inf\"} %llu\n",
                         name, method, (unsigned long long)cum);
        }
        buf_addf(
            out, "trellis_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n",
            name, method, (double)atomic_load_explicit(&m->sum_ns, memory_order_relaxed) / 1e9);
        buf_addf(out,
                 "trellis_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n",
                 name, method, (unsigned long long)cum);
    }
    buf_addf(out,
             "# HELP trellis_db_seconds_total Time spent in the database.\n"
             "# TYPE trellis_db_seconds_total counter\ntrellis_db_seconds_total %.6f\n",
             (double)atomic_load_explicit(&db_ns_total, memory_order_relaxed) / 1e9);
    render_process(out);
}
