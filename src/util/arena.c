/* SPDX-License-Identifier: MIT */
/* Bump allocation in chained blocks; big requests get a block of their own. */
#include "util/arena.h"

#include <stdlib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"

#define BLOCK_SIZE 16384

struct block {
    struct block *next;
    size_t used;
    size_t cap;
    max_align_t data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct block *head;
    struct block *first; /* the original block, kept across arena_clear */
    struct deferred *defers;
};

static struct block *block_new(size_t cap)
{
    struct block *b = xmalloc(sizeof(*b) + cap);

    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

struct arena *arena_new(void)
{
    struct arena *a = xmalloc(sizeof(*a));

    a->head = block_new(BLOCK_SIZE);
    a->first = a->head;
    a->defers = NULL;
    return a;
}

static void run_defers(struct arena *a)
{
    while (a->defers) {
        struct deferred *d = a->defers;

        a->defers = d->next;
        d->fn(d->p);
    }
}

void arena_clear(struct arena *a)
{
    struct block *b, *next;

    run_defers(a);
    for (b = a->head; b; b = next) {
        next = b->next;
        if (b != a->first)
            free(b);
    }
    a->head = a->first;
    a->head->next = NULL;
    a->head->used = 0;
}

void arena_free(struct arena *a)
{
    struct block *b, *next;

    if (!a)
        return;
    run_defers(a);
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    struct block *b = a->head;

    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    if (b->cap - b->used < n) {
        b = block_new(n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE);
        if (n > BLOCK_SIZE / 4 && a->head->cap - a->head->used >= BLOCK_SIZE / 4) {
            /* a big one-off: insert behind the current block so it keeps serving small ones */
            b->next = a->head->next;
            a->head->next = b;
            b->used = n;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);

    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
    struct deferred *d = arena_alloc(a, sizeof(*d));

    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
}
