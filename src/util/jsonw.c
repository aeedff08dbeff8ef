/* SPDX-License-Identifier: MIT */
/* See jsonw.h. */
#include "util/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init(struct jsonw *w, struct buf *b)
{
    w->b = b;
    w->depth = 0;
    w->first[0] = true;
}

/* Writes the separator before a value or key at the current level. */
static void sep(struct jsonw *w)
{
    if (!w->first[w->depth])
        buf_addn(w->b, ",", 1);
    w->first[w->depth] = false;
}

static void open(struct jsonw *w, char c)
{
    sep(w);
    buf_addn(w->b, &c, 1);
    if (w->depth + 1 < JSONW_MAX_DEPTH)
        w->depth++;
    w->first[w->depth] = true;
}

static void close_(struct jsonw *w, char c)
{
    buf_addn(w->b, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void jsonw_obj(struct jsonw *w)
{
    open(w, '{');
}

void jsonw_obj_end(struct jsonw *w)
{
    close_(w, '}');
}

void jsonw_arr(struct jsonw *w)
{
    open(w, '[');
}

void jsonw_arr_end(struct jsonw *w)
{
    close_(w, ']');
}

static void quoted(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;

    buf_addn(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char esc[6];
        size_t n = 0;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_addn(b, run, (size_t)(p - run));
        run = p + 1;
        esc[n++] = '\\';
        switch (c) {
        case '"':
        case '\\':
            esc[n++] = (char)c;
            break;
        case '\n':
            esc[n++] = 'n';
            break;
        case '\r':
            esc[n++] = 'r';
            break;
        case '\t':
            esc[n++] = 't';
            break;
        default:
            esc[n++] = 'u';
            esc[n++] = '0';
            esc[n++] = '0';
            esc[n++] = hex[c >> 4];
            esc[n++] = hex[c & 15];
        }
        buf_addn(b, esc, n);
    }
    buf_add(b, run);
    buf_addn(b, "\"", 1);
}

void jsonw_key(struct jsonw *w, const char *k)
{
    sep(w);
    quoted(w->b, k);
    buf_addn(w->b, ":", 1);
    w->first[w->depth] = true; /* the value follows without a comma */
}

void jsonw_str(struct jsonw *w, const char *s)
{
    sep(w);
    if (s)
        quoted(w->b, s);
    else
        buf_addn(w->b, "null", 4);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
    char num[24];
    char *end = num + sizeof(num), *p = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    /* hand-rolled: snprintf was a tenth of a person read */
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sep(w);
    buf_addn(w->b, p, (size_t)(end - p));
}

void jsonw_double(struct jsonw *w, double v)
{
    char num[40];
    int n;

    sep(w);
    if (!isfinite(v)) {
        buf_addn(w->b, "null", 4);
        return;
    }
    /* integers print without a fraction, as jansson does, but stay JSON numbers */
    n = snprintf(num, sizeof(num), "%.15g", v);
    if (strtod(num, NULL) != v) /* the shortest of 15 or 17 digits that reads back exactly */
        n = snprintf(num, sizeof(num), "%.17g", v);
    if (!strpbrk(num, ".eE") && n + 2 < (int)sizeof(num)) {
        num[n++] = '.';
        num[n++] = '0';
        num[n] = '\0';
    }
    buf_addn(w->b, num, (size_t)n);
}

void jsonw_bool(struct jsonw *w, bool v)
{
    sep(w);
    buf_add(w->b, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
    sep(w);
    buf_addn(w->b, "null", 4);
}

void jsonw_kstr(struct jsonw *w, const char *k, const char *s)
{
    jsonw_key(w, k);
    jsonw_str(w, s);
}

void jsonw_kint(struct jsonw *w, const char *k, int64_t v)
{
    jsonw_key(w, k);
    jsonw_int(w, v);
}

void jsonw_kid(struct jsonw *w, const char *k, int64_t v)
{
    jsonw_key(w, k);
    if (v)
        jsonw_int(w, v);
    else
        jsonw_null(w);
}
