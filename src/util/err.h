/* SPDX-License-Identifier: MIT */
/* The project-wide error values and the details that ride with them. Every fallible function
 * returns enum err; http/errors.c maps each value to one HTTP status and stable code. */
#ifndef TRELLIS_ERR_H
#define TRELLIS_ERR_H

#include <stddef.h>

struct json_t;

enum err {
    ERR_OK = 0,
    ERR_BAD_JSON,
    ERR_VALIDATION,
    ERR_UNAUTHENTICATED,
    ERR_CSRF,
    ERR_FORBIDDEN,
    ERR_NOT_FOUND,
    ERR_METHOD,
    ERR_CONFLICT,
    ERR_PRECONDITION, /* If-Match (or a version in the body) names a version no longer current */
    ERR_TOO_LARGE,
    ERR_MEDIA_TYPE, /* the body is not in a format the route accepts */
    ERR_RATE_LIMITED,
    ERR_STORAGE_FULL, /* the disk is full: nothing was written */
    ERR_UNAVAILABLE,
    ERR_INTERNAL,
};

#define ERRINFO_MAX_FIELDS 32

struct errfield {
    char field[64];
    char problem[160];
};

/* Caller-provided details of an error: a human message and, for ERR_VALIDATION, the fields. */
struct errinfo {
    char message[256];
    size_t nfields;
    struct errfield fields[ERRINFO_MAX_FIELDS];
    int retry_after;        /* seconds, for ERR_RATE_LIMITED */
    const char *code;       /* a more specific stable code than e's (a literal), or NULL */
    struct json_t *details; /* extra members of the error object (borrowed; must outlive the
                             * response, e.g. deferred on the request arena), or NULL */
};

/* Sets the message (printf-style) and returns e, so callers write `return err_set(...)`. */
enum err err_set(struct errinfo *ei, enum err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a field problem (first problem per field wins). Borrows both strings (copied). */
void err_field(struct errinfo *ei, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ERR_VALIDATION with a standard message when any field failed, else ERR_OK. */
enum err err_fields_result(struct errinfo *ei);
/* The stable API code string of e ("validation_failed"...). */
const char *err_code(enum err e);

#endif
