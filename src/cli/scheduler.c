/* SPDX-License-Identifier: MIT */
/* The background jobs of serve: every interval, one reminder pass and the delivery of due email
 * from the outbox. With several servers on one PostgreSQL database every instance runs them:
 * dedupe keys make each reminder exist once and outbox leases make each email go once. */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/careers.h"
#include "domain/oneonones.h"
#include "domain/reviews.h"
#include "http/metrics.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping, running;
/* A configuration with its own copies of the strings (the scheduler outlives the caller's). */
struct owned_config {
    struct scheduler_config c;
    char *strings[6];
};

static struct owned_config current;
/* settings a reload (SIGHUP) handed over, taken by the loop between passes */
static struct owned_config pending;
static bool have_pending;
#define config (current.c)

static const char *keep(struct owned_config *o, int i, const char *s)
{
    o->strings[i] = s ? xstrdup(s) : NULL;
    return o->strings[i];
}

static void own(struct owned_config *dst, const struct scheduler_config *src)
{
    dst->c = *src;
    dst->c.db_url = keep(dst, 0, src->db_url);
    dst->c.mail.url = keep(dst, 1, src->mail.url);
    dst->c.mail.from = keep(dst, 2, src->mail.from);
    dst->c.mail.user = keep(dst, 3, src->mail.user);
    dst->c.mail.password = keep(dst, 4, src->mail.password);
    dst->c.mail.ca_file = keep(dst, 5, src->mail.ca_file);
    if (dst->c.interval < 1)
        dst->c.interval = 60;
}

static void disown(struct owned_config *o)
{
    for (size_t i = 0; i < sizeof(o->strings) / sizeof(o->strings[0]); i++)
        free(o->strings[i]);
    memset(o, 0, sizeof(*o));
}

/* One pass of the jobs; false when the database could not be reached. */
static bool pass(struct db *db, int64_t *optimized)
{
    int64_t created = 0;
    int sent = 0;

    if (db_ready(db) != ERR_OK)
        return false;
    if (reminders_pass(db, time_now(), &created) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: reminder pass failed: %s\n", db_errmsg(db));
    /* a launch in ranges whose server stopped half-way (its reviews' notices then go out) */
    if (reviews_launch_resume_stalled(db) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: finishing a launch failed: %s\n", db_errmsg(db));
    if (outbox_deliver(db, &config.mail, 100, &sent) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: outbox delivery failed: %s\n", db_errmsg(db));
    if (webhooks_deliver(db, &config.webhooks, 100, &sent) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: webhook delivery failed: %s\n", db_errmsg(db));
    /* SQLite plans with statistics it gathers itself; an hour is the documented rhythm */
    if (time_now() - *optimized >= 3600) {
        if (db_optimize(db) != ERR_OK)
            fprintf(stderr, "trellis: scheduler: optimize failed: %s\n", db_errmsg(db));
        *optimized = time_now();
    }
    /* the HR career dashboard reads the whole company: keep a snapshot under 10 minutes */
    if (careers_dashboard_refresh(db, 600) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: dashboard snapshot failed: %s\n", db_errmsg(db));
    /* a large pass (a first reminder pass over a million people reads each new notice for its
     * email) leaves its freed memory with this thread's malloc arena: give it back */
    if (created > 1000 || sent > 0)
        malloc_trim(0);
    return !db->unavailable;
}

/* Runs the passes until stopped. The database going away (a PostgreSQL restart) only skips
 * passes: the connection is opened or reconnected again every few seconds and the jobs resume
 * by themselves. */
static void *loop(void *arg)
{
    struct db *db = NULL;
    int64_t optimized = time_now(); /* serve gathered statistics before it started */
    bool down = false;

    (void)arg;
    for (;;) {
        struct timespec until;
        struct errinfo ei = {0};
        bool ok;

        pthread_mutex_lock(&lock);
        if (have_pending) {
            disown(&current);
            current = pending;
            memset(&pending, 0, sizeof(pending));
            have_pending = false;
        }
        pthread_mutex_unlock(&lock);
        if (!db)
            db = db_open(config.db_url, &ei);
        uint64_t t0 = time_mono_ns();

        ok = db && pass(db, &optimized);
        metrics_scheduler_pass(time_mono_ns() - t0, ok, time_now());
        if (!ok && !down)
            fprintf(stderr, "trellis: scheduler: the database is unavailable (%s); retrying\n",
                    db ? db_errmsg(db) : ei.message);
        else if (ok && down)
            fprintf(stderr, "trellis: scheduler: the database is back; jobs resumed\n");
        down = !ok;
        pthread_mutex_lock(&lock);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += down && config.interval > 2 ? 2 : config.interval;
        while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) == 0)
            ;
        if (stopping) {
            pthread_mutex_unlock(&lock);
            break;
        }
        pthread_mutex_unlock(&lock);
    }
    if (db)
        db_close(db);
    return NULL;
}

bool scheduler_start(const struct scheduler_config *cfg)
{
    own(&current, cfg);
    stopping = false;
    running = pthread_create(&thread, NULL, loop, NULL) == 0;
    return running;
}

void scheduler_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = false;
    disown(&current);
    if (have_pending)
        disown(&pending);
    have_pending = false;
}

void scheduler_reload(const struct scheduler_config *cfg)
{
    pthread_mutex_lock(&lock);
    if (have_pending)
        disown(&pending);
    own(&pending, cfg);
    have_pending = true;
    pthread_cond_signal(&wake); /* the next pass uses them at once */
    pthread_mutex_unlock(&lock);
}
