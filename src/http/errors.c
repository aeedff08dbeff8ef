/* SPDX-License-Identifier: MIT */
/* The one table from enum err to HTTP status, and the error body of docs/api.md
 * {"error":{"code","message","fields"}}. Nothing else writes an error status. */
#include <stdio.h>

#include "http/request.h"

static const struct {
    enum err e;
    int status;
    const char *fallback;
} table[] = {
    {ERR_OK, 200, "ok"},
    {ERR_BAD_JSON, 400, "the request body is not valid JSON"},
    {ERR_VALIDATION, 422, "some fields are invalid"},
    {ERR_UNAUTHENTICATED, 401, "sign in first"},
    {ERR_CSRF, 403, "the X-CSRF-Token header is missing or wrong"},
    {ERR_FORBIDDEN, 403, "you are not allowed to do this"},
    {ERR_NOT_FOUND, 404, "not found"},
    {ERR_METHOD, 405, "this method is not allowed here"},
    {ERR_CONFLICT, 409, "the change conflicts with existing data"},
    {ERR_PRECONDITION, 412, "someone else changed this since you read it"},
    {ERR_TOO_LARGE, 413, "the request body is too large"},
    {ERR_MEDIA_TYPE, 415, "send the body as application/json"},
    {ERR_RATE_LIMITED, 429, "too many requests; try again later"},
    {ERR_STORAGE_FULL, 507, "the server's disk is full, so nothing was saved; try again later"},
    {ERR_UNAVAILABLE, 503, "the database is unavailable"},
    {ERR_INTERNAL, 500, "something went wrong on our side"},
};

int err_status(enum err e)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].e == e)
            return table[i].status;
    return 500;
}

void response_error(struct request *r, enum err e, const struct errinfo *ei)
{
    json_t *body = json_object(), *err = json_object();
    const char *msg = NULL;

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].e == e)
            msg = table[i].fallback;
    /* internal details never reach the client; they are in the log */
    if (e == ERR_INTERNAL)
        r->cause = arena_strdup(r->arena, ei && ei->message[0] ? ei->message : "no cause given");
    if (ei && ei->message[0] && e != ERR_INTERNAL)
        msg = ei->message;
    json_object_set_new(err, "code",
                        json_string(ei && ei->code && e != ERR_INTERNAL ? ei->code : err_code(e)));
    if (ei && ei->details && e != ERR_INTERNAL)
        json_object_update_missing(err, ei->details);
    json_t *m = json_string(msg ? msg : "error");

    /* a message cut inside a multi-byte character is not valid UTF-8: fall back */
    json_object_set_new(err, "message", m ? m : json_string(err_code(e)));
    if (ei && ei->nfields) {
        json_t *fields = json_object();

        for (size_t i = 0; i < ei->nfields; i++)
            json_object_set_new(fields, ei->fields[i].field, json_string(ei->fields[i].problem));
        json_object_set_new(err, "fields", fields);
    }
    json_object_set_new(body, "error", err);
    if (e == ERR_RATE_LIMITED && ei && ei->retry_after > 0)
        request_add_header(r, "Retry-After", arena_printf(r->arena, "%d", ei->retry_after));
    /* the database is restarting, unreachable or locked: the client may simply try again */
    if (e == ERR_UNAVAILABLE)
        request_add_header(
            r, "Retry-After",
            arena_printf(r->arena, "%d", ei && ei->retry_after > 0 ? ei->retry_after : 2));
    response_json(r, err_status(e), body);
}
