/* SPDX-License-Identifier: MIT */
/* A per-connection map from static SQL text (by address) to a driver's prepared statement. */
#ifndef TRELLIS_STORE_CACHE_H
#define TRELLIS_STORE_CACHE_H

#include <stddef.h>

struct stmt_cache {
    const char **keys;
    void **vals;
    size_t cap;
    size_t n;
};

void stmt_cache_init(struct stmt_cache *c);
/* Frees the table (not the values: call stmt_cache_each first). */
void stmt_cache_cleanup(struct stmt_cache *c);
void *stmt_cache_get(const struct stmt_cache *c, const char *key);
/* Takes val. */
void stmt_cache_put(struct stmt_cache *c, const char *key, void *val);
void stmt_cache_each(struct stmt_cache *c, void (*fn)(void *val));

#endif
