/* SPDX-License-Identifier: MIT */
/* See text.h. utf8proc does the Unicode work: compatibility composition (NFKC) and full case
 * folding, so a name stored decomposed, in full width or in any script folds like its query. */
#include "util/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The length of the UTF-8 sequence that starts with byte c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

size_t text_fold(const char *s, char *out, size_t outsz)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n;
    const char *src;
    size_t len, o = 0;

    if (!outsz)
        return 0;
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                         UTF8PROC_CASEFOLD);
    /* text that is not UTF-8 is folded as ASCII, byte for byte */
    src = n >= 0 ? (const char *)folded : s;
    len = n >= 0 ? (size_t)n : strlen(s);
    for (size_t i = 0; i < len;) {
        size_t k = n >= 0 ? seq_len((unsigned char)src[i]) : 1;

        if (i + k > len || o + k > outsz - 1)
            break; /* whole characters only */
        for (size_t j = 0; j < k; j++) {
            char c = src[i + j];

            out[o++] = n < 0 && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }
        i += k;
    }
    out[o] = '\0';
    free(folded);
    return o;
}

const char *text_url_encode(struct arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = arena_alloc(a, 3 * strlen(s) + 1), *o = out;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}
