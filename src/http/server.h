/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd with epoll and a thread pool, one database connection per
 * worker thread, graceful shutdown on SIGTERM/SIGINT. */
#ifndef TRELLIS_SERVER_H
#define TRELLIS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct server_config {
    const char *db_url;
    const char *listen; /* HOST:PORT; port 0 picks a free one */
    unsigned threads;
    size_t body_limit;
    unsigned timeout; /* seconds of connection inactivity */
    int quiet;        /* no per-request log lines */
    int test_faults;  /* honour X-Trellis-Fault: N (fail the Nth statement), for tests only */
    int listen_fd;    /* a socket from server_listen (taken), or -1 to bind listen itself */
};

/* Binds and listens on HOST:PORT; returns the socket, or -1 with ei (an address already in use
 * is refused, never shared with another server). */
int server_listen(const char *listen, struct errinfo *ei);
/* Runs until SIGTERM/SIGINT; prints "listening on http://HOST:PORT" when ready. */
enum err server_run(const struct server_config *cfg, struct errinfo *ei);

#endif
