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

/* The separator a key or value needs at the current level ('\0' for none), and marks the level
 * as no longer empty. */
static char sep_char(struct jsonw *w)
{
    char c = w->first[w->depth] ? '\0' : ',';

    w->first[w->depth] = false;
    return c;
}

/* Writes the separator before a value or key at the current level. */
static void sep(struct jsonw *w)
{
    char c = sep_char(w);

    if (c)
        buf_addn(w->b, &c, 1);
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

/* Bytes each input byte takes inside a JSON string: 1, 2 (\" \\ \n \r \t) or 6 (\u00XX). */
static const unsigned char esc_len[256] = {
    6, 6, 6, 6, 6, 6, 6, 6, 6, 2, 2, 6, 6, 2, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* Writes [lead] "s" [tail] with one reservation of the buffer: the separator before a key or
 * value, the string and its escapes, and the colon after a key. */
static void quoted3(struct buf *b, char lead, const char *s, char tail)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0, out = 2 + (lead != 0) + (tail != 0);
    bool plain = true;
    char *at;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
        out += esc_len[*p];
        plain &= esc_len[*p] == 1;
    }
    at = buf_extend(b, out);
    if (!at)
        return;
    if (lead)
        *at++ = lead;
    *at++ = '"';
    if (plain) {
        memcpy(at, s, n);
        at += n;
    } else {
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            unsigned char c = *p;

            if (esc_len[c] == 1) {
                *at++ = (char)c;
                continue;
            }
            *at++ = '\\';
            switch (c) {
            case '"':
            case '\\':
                *at++ = (char)c;
                break;
            case '\n':
                *at++ = 'n';
                break;
            case '\r':
                *at++ = 'r';
                break;
            case '\t':
                *at++ = 't';
                break;
            default:
                *at++ = 'u';
                *at++ = '0';
                *at++ = '0';
                *at++ = hex[c >> 4];
                *at++ = hex[c & 15];
            }
        }
    }
    *at++ = '"';
    if (tail)
        *at = tail;
}

void jsonw_key(struct jsonw *w, const char *k)
{
    quoted3(w->b, sep_char(w), k, ':');
    w->first[w->depth] = true; /* the value follows without a comma */
}

void jsonw_str(struct jsonw *w, const char *s)
{
    if (s) {
        quoted3(w->b, sep_char(w), s, '\0');
        return;
    }
    sep(w);
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

void jsonw_kdouble(struct jsonw *w, const char *k, double v)
{
    jsonw_key(w, k);
    jsonw_double(w, v);
}

void jsonw_kid(struct jsonw *w, const char *k, int64_t v)
{
    jsonw_key(w, k);
    if (v)
        jsonw_int(w, v);
    else
        jsonw_null(w);
}
