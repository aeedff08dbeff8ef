/* SPDX-License-Identifier: MIT */
/* One HTTP request as the API layer sees it: method, path, query, headers, body, the actor,
 * the worker's database connection, the request arena, and the response being built. */
#ifndef TRELLIS_REQUEST_H
#define TRELLIS_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define REQUEST_MAX_PARAMS  4
#define REQUEST_MAX_HEADERS 6

struct request {
    struct arena *arena;
    void *conn; /* the server's connection handle (opaque above http/) */
    const char *method;
    const char *path;
    struct buf body;
    bool body_too_large;
    struct db *db; /* NULL when the database is unavailable */
    struct actor actor;
    int route;         /* index in the route table, -1 when none matched */
    bool resolved;     /* route (and params) found by api_route_resolve */
    bool path_known;   /* ... the path is a route's, perhaps for another method */
    bool body_unknown; /* the body has a field the route's schema does not name (api_body) */
    const char *params[REQUEST_MAX_PARAMS];
    int nparams;
    char ip[64];
    uint64_t t0;
    bool heavy; /* a long or large request: the worker gives its free memory back after it */
    uint64_t db_ns0;
    int fault;         /* tests: fail the Nth statement after authentication (0 = off) */
    size_t answer_max; /* tests: a JSON answer's ceiling in bytes below its own (0 = off) */
    /* handed to a pool (http/server.c): the connection is suspended until handled */
    bool offloaded, handled;
    struct request *next_queued;
    /* response */
    int status;
    const char *cause; /* of a 500: what the handler said, for the log (never the client) */
    char *resp;        /* malloc'd */
    size_t resp_len;
    const char *content_type;
    const char *cache_control;
    int nheaders;
    const char *hnames[REQUEST_MAX_HEADERS];
    const char *hvalues[REQUEST_MAX_HEADERS];
};

/* Borrowed values, valid for the request; NULL when absent. */
const char *request_query(struct request *r, const char *name);
const char *request_header(struct request *r, const char *name);
const char *request_cookie(struct request *r, const char *name);
/* Adds a response header (strings must live as long as the request: literals or arena). */
void request_add_header(struct request *r, const char *name, const char *value);

/* Takes obj (a new reference): serialises it as the response body. */
void response_json(struct request *r, int status, json_t *obj);
/* Takes the bytes of b (a JSON document) as the response body; b is left empty. */
void response_json_buf(struct request *r, int status, struct buf *b);
/* A response with no body (204). */
void response_empty(struct request *r, int status);
/* Copies len bytes as the body with the given content type (a literal). */
void response_bytes(struct request *r, int status, const char *type, const void *p, size_t len);
/* The JSON error object of docs/api.md for e with ei's message and fields. */
void response_error(struct request *r, enum err e, const struct errinfo *ei);
/* The HTTP status of e (the one table: http/errors.c). */
int err_status(enum err e);

#endif
