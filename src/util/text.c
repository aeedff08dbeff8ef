/* SPDX-License-Identifier: MIT */
/* See text.h. Every mapping keeps the encoded length, so folding never grows a string. */
#include "util/text.h"

#include <stdint.h>

/* The lowercase code point of cp for the ranges we fold. */
static uint32_t lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149 && cp != 0x178) {
        if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
            return cp % 2 ? cp + 1 : cp;
        return cp % 2 ? cp : cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp == 0x386)
        return 0x3AC;
    if (cp >= 0x388 && cp <= 0x38A)
        return cp + 37;
    if (cp == 0x38C)
        return 0x3CC;
    if (cp == 0x38E || cp == 0x38F)
        return cp + 63;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

size_t text_fold(const char *s, char *out, size_t outsz)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;

    if (outsz == 0)
        return 0;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        uint32_t cp;

        if (o + n >= outsz)
            break;
        if (n == 2 && (p[1] & 0xC0) == 0x80) {
            cp = lower(((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F));
            if (cp < 0x800) {
                out[o++] = (char)(0xC0 | (cp >> 6));
                out[o++] = (char)(0x80 | (cp & 0x3F));
                p += 2;
                continue;
            }
        }
        if (n == 1) {
            out[o++] = (char)lower(*p++);
            continue;
        }
        for (size_t i = 0; i < n && *p; i++)
            out[o++] = (char)*p++;
    }
    out[o] = '\0';
    return o;
}
