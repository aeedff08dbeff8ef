/* SPDX-License-Identifier: MIT */
/* Text helpers. Percent-encoding for URLs and forms; folding for search: Unicode compatibility
 * composition and full case folding (utf8proc), so "ZOË" finds "Zoë", "NGUYỄN" finds "Nguyễn" and a
 * name stored decomposed finds its composed query, the same way in SQLite and PostgreSQL (the
 * folded text is what both stores compare). */
#ifndef TRELLIS_TEXT_H
#define TRELLIS_TEXT_H

#include <stddef.h>

#include "util/arena.h"

/* Writes the folded form of the UTF-8 text s into out (at most outsz-1 bytes, whole characters
 * only) and returns its length. Folding may lengthen text ("ß" -> "ss"): give room to spare. */
size_t text_fold(const char *s, char *out, size_t outsz);

/* s percent-encoded for a URL's query or a form (RFC 3986: only unreserved characters stay), in
 * a. */
const char *text_url_encode(struct arena *a, const char *s);

#endif
