/* SPDX-License-Identifier: MIT */
/* Open addressing with linear probing, keyed by pointer identity. */
#include "store/cache.h"

#include <stdint.h>
#include <stdlib.h>

#include "util/xalloc.h"

void stmt_cache_init(struct stmt_cache *c)
{
    c->cap = 256;
    c->n = 0;
    c->keys = xcalloc(c->cap, sizeof(*c->keys));
    c->vals = xcalloc(c->cap, sizeof(*c->vals));
}

void stmt_cache_cleanup(struct stmt_cache *c)
{
    free(c->keys);
    free(c->vals);
    c->keys = NULL;
    c->vals = NULL;
    c->cap = c->n = 0;
}

static size_t slot(const struct stmt_cache *c, const char *key)
{
    uintptr_t h = (uintptr_t)key;

    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (c->cap - 1);
}

void *stmt_cache_get(const struct stmt_cache *c, const char *key)
{
    for (size_t i = slot(c, key);; i = (i + 1) & (c->cap - 1)) {
        if (c->keys[i] == key)
            return c->vals[i];
        if (!c->keys[i])
            return NULL;
    }
}

void stmt_cache_put(struct stmt_cache *c, const char *key, void *val)
{
    if ((c->n + 1) * 2 > c->cap) {
        struct stmt_cache big = {xcalloc(c->cap * 2, sizeof(char *)),
                                 xcalloc(c->cap * 2, sizeof(void *)), c->cap * 2, 0};

        for (size_t i = 0; i < c->cap; i++)
            if (c->keys[i])
                stmt_cache_put(&big, c->keys[i], c->vals[i]);
        free(c->keys);
        free(c->vals);
        c->keys = big.keys;
        c->vals = big.vals;
        c->cap = big.cap;
        c->n = big.n;
    }
    size_t i = slot(c, key);
    while (c->keys[i] && c->keys[i] != key)
        i = (i + 1) & (c->cap - 1);
    if (!c->keys[i])
        c->n++;
    c->keys[i] = key;
    c->vals[i] = val;
}

void stmt_cache_each(struct stmt_cache *c, void (*fn)(void *val))
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->keys[i])
            fn(c->vals[i]);
}
