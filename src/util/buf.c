/* SPDX-License-Identifier: MIT */
/* struct buf: see buf.h. */
#include "util/buf.h"

#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->over = false;
}

void buf_cleanup(struct buf *b)
{
    free(b->p);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

static enum err grow(struct buf *b, size_t extra)
{
    size_t need, cap;

    if (extra > b->max || b->len > b->max - extra) {
        b->over = true;
        return ERR_TOO_LARGE;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return ERR_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
    return ERR_OK;
}

enum err buf_addn(struct buf *b, const void *p, size_t n)
{
    enum err rc = grow(b, n);

    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return ERR_OK;
}

char *buf_extend(struct buf *b, size_t n)
{
    char *at;

    if (grow(b, n))
        return NULL;
    at = b->p + b->len;
    b->len += n;
    b->p[b->len] = '\0';
    return at;
}

enum err buf_add(struct buf *b, const char *s)
{
    return buf_addn(b, s, strlen(s));
}

enum err buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    enum err rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ERR_INTERNAL;
    rc = grow(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ERR_OK;
}

const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

char *buf_take(struct buf *b, size_t *len)
{
    char *p = b->p ? b->p : xstrdup("");

    if (len)
        *len = b->len;
    buf_init(b, b->max);
    return p;
}
