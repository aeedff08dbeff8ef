/* SPDX-License-Identifier: MIT */
/* See encoding.h. */
#include "util/encoding.h"

#include <errno.h>
#include <stdint.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Converts len bytes from code set `from` to UTF-8 with iconv: a new buffer, or NULL when the
 * input is not valid in that code set. */
static char *convert(const char *from, const char *data, size_t len, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = len * 2 + 16, left = cap - 1, inleft = len;
    char *out, *o, *in = (char *)(uintptr_t)data; /* iconv's prototype is not const */

    if (cd == (iconv_t)-1)
        return NULL;
    out = xmalloc(cap);
    o = out;
    while (inleft) {
        if (iconv(cd, &in, &inleft, &o, &left) != (size_t)-1)
            continue;
        if (errno != E2BIG) {
            free(out);
            iconv_close(cd);
            return NULL;
        }
        size_t used = (size_t)(o - out);

        cap *= 2;
        out = xrealloc(out, cap);
        o = out + used;
        left = cap - used - 1;
    }
    iconv_close(cd);
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}

/* Valid UTF-8, as iconv judges it. */
static bool is_utf8(const char *data, size_t len)
{
    size_t n;
    char *copy = convert("UTF-8", data, len, &n);

    free(copy);
    return copy != NULL;
}

char *encoding_to_utf8(const char *data, size_t len, size_t *outlen, const char **name)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *from = NULL;
    size_t skip = 0, even = 0, odd = 0;
    char *out;

    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        from = "UTF-16LE", skip = 2;
    else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        from = "UTF-16BE", skip = 2;
    else {
        /* UTF-16 without a mark: ASCII header text leaves every other byte NUL */
        for (size_t i = 0; i + 1 < len && i < 256; i += 2) {
            even += u[i] == 0;
            odd += u[i + 1] == 0;
        }
        if (len >= 8 && odd * 4 >= (len < 256 ? len : 256) / 2 && even == 0)
            from = "UTF-16LE";
        else if (len >= 8 && even * 4 >= (len < 256 ? len : 256) / 2 && odd == 0)
            from = "UTF-16BE";
    }
    if (from) {
        *name = from;
        out = convert(from, data + skip, len - skip, outlen);
        if (!out)
            *name = NULL;
        return out;
    }
    *name = "UTF-8";
    if (is_utf8(data, len))
        return NULL;
    *name = "Windows-1252";
    out = convert("WINDOWS-1252", data, len, outlen);
    if (!out) {
        *name = "ISO-8859-1";
        out = convert("ISO-8859-1", data, len, outlen);
    }
    return out;
}
