/* SPDX-License-Identifier: MIT */
/* Process-wide request metrics, lock-free (atomics), rendered as Prometheus text. */
#ifndef TRELLIS_METRICS_H
#define TRELLIS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define METRICS_MAX_ROUTES 512

/* Records one request: route index (-1 = unmatched), status and duration. */
void metrics_observe(int route, int status, uint64_t ns, uint64_t db_ns);
/* The scheduler finished a pass that took ns (ok: the database was there) at ended_at. */
void metrics_scheduler_pass(uint64_t ns, bool ok, int64_t ended_at);
/* A worker opened (+1) or closed (-1) its database connection. */
void metrics_db_connections(int delta);
/* When the process started (unix seconds). */
void metrics_process_start(int64_t at);
/* Appends the exposition text; route_name(i) and route_method(i) name route i. */
void metrics_render(struct buf *out, const char *(*route_name)(int),
                    const char *(*route_method)(int), int nroutes);

#endif
