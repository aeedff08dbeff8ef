/* SPDX-License-Identifier: MIT */
/* Allocation that never returns NULL: out of memory aborts with a message (we are a supervised
 * server; every input is bounded). */
#ifndef TRELLIS_XALLOC_H
#define TRELLIS_XALLOC_H

#include <stddef.h>

/* All return owned memory; free with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
