/* SPDX-License-Identifier: MIT */
/* Case folding for search: ASCII plus the Latin-1, Latin Extended-A, Greek and Cyrillic capitals
 * that people's names use, so "ZOË" finds "Zoë" the same way in SQLite and PostgreSQL. */
#ifndef TRELLIS_TEXT_H
#define TRELLIS_TEXT_H

#include <stddef.h>

/* Writes the lowercase form of the UTF-8 text s into out (at most outsz-1 bytes, whole
 * characters only) and returns its length. */
size_t text_fold(const char *s, char *out, size_t outsz);

#endif
