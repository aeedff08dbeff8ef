/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd with epoll and a thread pool, one database connection per
 * worker thread, graceful shutdown on SIGTERM/SIGINT. */
#ifndef TRELLIS_SERVER_H
#define TRELLIS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* An address block, e.g. 10.0.0.0/8 or ::1/128 (IPv4 blocks stored as IPv4-mapped IPv6). */
struct cidr {
    unsigned char addr[16];
    int bits; /* of the 128 */
};

#define SERVER_MAX_PROXIES 32

struct server_config {
    const char *db_url;
    const char *listen; /* HOST:PORT; port 0 picks a free one */
    unsigned threads;
    size_t body_limit;
    unsigned timeout; /* seconds of connection inactivity */
    int quiet;        /* no per-request log lines */
    int test_faults;  /* honour X-Trellis-Fault: N (fail the Nth statement), for tests only */
    int listen_fd;    /* a socket from server_listen (taken), or -1 to bind listen itself */
    /* peers whose X-Forwarded-For names the client (--trusted-proxy); no others are believed */
    struct cidr trusted[SERVER_MAX_PROXIES];
    int ntrusted;
    unsigned hash_threads;    /* threads that run sign-ins (0: the workers do) */
    unsigned slow_threads;    /* threads that run slow routes' requests (0: the workers do) */
    void (*reload)(void);     /* SIGHUP: read the settings again (NULL: SIGHUP is ignored) */
    unsigned max_connections; /* open connections in all */
    unsigned max_connections_per_address; /* open connections from one address (0: no limit) */
};

/* Parses "ADDRESS[/BITS]" (IPv4 or IPv6; no bits: the one address) into *out. */
bool server_parse_cidr(const char *s, struct cidr *out);

/* Binds and listens on HOST:PORT; returns the socket, or -1 with ei (an address already in use
 * is refused, never shared with another server). */
int server_listen(const char *listen, struct errinfo *ei);
/* Runs until SIGTERM/SIGINT; prints "listening on http://HOST:PORT" when ready. */
enum err server_run(const struct server_config *cfg, struct errinfo *ei);

#endif
