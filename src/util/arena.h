/* SPDX-License-Identifier: MIT */
/* A per-request arena: every request-scoped allocation comes from it and is released at once
 * when the request completes (h2o's req->pool). Deferred callbacks release foreign objects
 * (jansson values) at the same moment. */
#ifndef TRELLIS_ARENA_H
#define TRELLIS_ARENA_H

#include <stddef.h>

struct arena;

/* Returns owned; release with arena_free. */
struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Releases everything allocated so far, keeping the first block for reuse. */
void arena_clear(struct arena *a);
/* All return memory owned by the arena (valid until clear/free). */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Calls fn(p) when the arena is cleared or freed (latest first). */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
