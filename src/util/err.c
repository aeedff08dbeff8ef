/* SPDX-License-Identifier: MIT */
/* Filling struct errinfo; the status mapping itself lives in http/errors.c. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum err err_set(struct errinfo *ei, enum err e, const char *fmt, ...)
{
    va_list ap;

    if (ei) {
        va_start(ap, fmt);
        vsnprintf(ei->message, sizeof(ei->message), fmt, ap);
        va_end(ap);
    }
    return e;
}

void err_field(struct errinfo *ei, const char *field, const char *fmt, ...)
{
    va_list ap;
    struct errfield *f;

    if (!ei || ei->nfields >= ERRINFO_MAX_FIELDS)
        return;
    for (size_t i = 0; i < ei->nfields; i++)
        if (strcmp(ei->fields[i].field, field) == 0)
            return;
    f = &ei->fields[ei->nfields++];
    snprintf(f->field, sizeof(f->field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(f->problem, sizeof(f->problem), fmt, ap);
    va_end(ap);
}

enum err err_fields_result(struct errinfo *ei)
{
    if (!ei || ei->nfields == 0)
        return ERR_OK;
    if (ei->nfields == 1)
        return err_set(ei, ERR_VALIDATION, "%s: %s", ei->fields[0].field, ei->fields[0].problem);
    return err_set(ei, ERR_VALIDATION, "%zu fields are invalid", ei->nfields);
}

const char *err_code(enum err e)
{
    switch (e) {
    case ERR_OK:
        return "ok";
    case ERR_BAD_JSON:
        return "bad_json";
    case ERR_VALIDATION:
        return "validation_failed";
    case ERR_UNAUTHENTICATED:
        return "unauthenticated";
    case ERR_CSRF:
        return "csrf_failed";
    case ERR_FORBIDDEN:
        return "forbidden";
    case ERR_NOT_FOUND:
        return "not_found";
    case ERR_METHOD:
        return "method_not_allowed";
    case ERR_CONFLICT:
        return "conflict";
    case ERR_PRECONDITION:
        return "precondition_failed";
    case ERR_TOO_LARGE:
        return "too_large";
    case ERR_MEDIA_TYPE:
        return "unsupported_media_type";
    case ERR_RATE_LIMITED:
        return "rate_limited";
    case ERR_STORAGE_FULL:
        return "storage_full";
    case ERR_UNAVAILABLE:
        return "unavailable";
    case ERR_INTERNAL:
        return "internal";
    }
    return "internal";
}
