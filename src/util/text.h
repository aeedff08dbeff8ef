/* SPDX-License-Identifier: MIT */
/* Folding for search: Unicode compatibility composition and full case folding (utf8proc), so
 * "ZOË" finds "Zoë", "NGUYỄN" finds "Nguyễn" and a name stored decomposed finds its composed
 * query, the same way in SQLite and PostgreSQL (the folded text is what both stores compare). */
#ifndef TRELLIS_TEXT_H
#define TRELLIS_TEXT_H

#include <stddef.h>

/* Writes the folded form of the UTF-8 text s into out (at most outsz-1 bytes, whole characters
 * only) and returns its length. Folding may lengthen text ("ß" -> "ss"): give room to spare. */
size_t text_fold(const char *s, char *out, size_t outsz);

#endif
