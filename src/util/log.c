/* SPDX-License-Identifier: MIT */
/* See log.h. */
#include "util/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/timeutil.h"

void log_raw(const char *line, unsigned long len)
{
    char stackbuf[2048];
    char *p = len + 1 <= sizeof(stackbuf) ? stackbuf : malloc(len + 1);
    ssize_t w;

    if (!p)
        return;
    memcpy(p, line, len);
    p[len] = '\n';
    w = write(STDERR_FILENO, p, len + 1);
    (void)w;
    if (p != stackbuf)
        free(p);
}

void log_line(const char *level, const char *msg, const char *extra_json)
{
    char at[21];
    json_t *o = json_object();
    char *s;

    time_rfc3339(time_now(), at);
    json_object_set_new(o, "at", json_string(at));
    json_object_set_new(o, "level", json_string(level));
    json_object_set_new(o, "msg", json_string(msg));
    if (extra_json) {
        json_t *x = json_loads(extra_json, 0, NULL);
        if (json_is_object(x))
            json_object_update(o, x);
        json_decref(x);
    }
    s = json_dumps(o, JSON_COMPACT);
    if (s) {
        log_raw(s, strlen(s));
        free(s);
    }
    json_decref(o);
}

void log_warn(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_line("warn", msg, NULL);
}

void log_info(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_line("info", msg, NULL);
}
