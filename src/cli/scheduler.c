/* SPDX-License-Identifier: MIT */
/* The background jobs of serve: every interval, one reminder pass and the delivery of due email
 * from the outbox. With several servers on one PostgreSQL database every instance runs them:
 * dedupe keys make each reminder exist once and outbox leases make each email go once. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/careers.h"
#include "domain/oneonones.h"
#include "util/log.h"
#include "util/timeutil.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool stopping, running;
static struct scheduler_config config;

/* One pass of the jobs; false when the database could not be reached. */
static bool pass(struct db *db, int64_t *optimized)
{
    int64_t created = 0;
    int sent = 0;

    if (db_ready(db) != ERR_OK)
        return false;
    if (reminders_pass(db, time_now(), &created) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: reminder pass failed: %s\n", db_errmsg(db));
    if (outbox_deliver(db, &config.mail, 100, &sent) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: outbox delivery failed: %s\n", db_errmsg(db));
    /* SQLite plans with statistics it gathers itself; an hour is the documented rhythm */
    if (time_now() - *optimized >= 3600) {
        if (db_optimize(db) != ERR_OK)
            fprintf(stderr, "trellis: scheduler: optimize failed: %s\n", db_errmsg(db));
        *optimized = time_now();
    }
    /* the HR career dashboard reads the whole company: keep a snapshot under 10 minutes */
    if (careers_dashboard_refresh(db, 600) != ERR_OK)
        fprintf(stderr, "trellis: scheduler: dashboard snapshot failed: %s\n", db_errmsg(db));
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

        if (!db)
            db = db_open(config.db_url, &ei);
        ok = db && pass(db, &optimized);
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
    config = *cfg;
    if (config.interval < 1)
        config.interval = 60;
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
}
