/* SPDX-License-Identifier: MIT */
/* FNV-1a hashing, linear probing, doubling at half load. */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void strmap_init(struct strmap *m)
{
    m->cap = 64;
    m->n = 0;
    m->keys = xcalloc(m->cap, sizeof(*m->keys));
    m->vals = xcalloc(m->cap, sizeof(*m->vals));
}

void strmap_cleanup(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static size_t find(const struct strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);

    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void strmap_put(struct strmap *m, const char *key, int64_t val)
{
    size_t i;

    if ((m->n + 1) * 2 > m->cap) {
        struct strmap big = {xcalloc(m->cap * 2, sizeof(char *)),
                             xcalloc(m->cap * 2, sizeof(int64_t)), m->cap * 2, 0};

        for (size_t j = 0; j < m->cap; j++) {
            if (!m->keys[j])
                continue;
            i = find(&big, m->keys[j]);
            big.keys[i] = m->keys[j];
            big.vals[i] = m->vals[j];
            big.n++;
        }
        free(m->keys);
        free(m->vals);
        m->keys = big.keys;
        m->vals = big.vals;
        m->cap = big.cap;
        m->n = big.n;
    }
    i = find(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
}

bool strmap_get(const struct strmap *m, const char *key, int64_t *val)
{
    size_t i = find(m, key);

    if (!m->keys[i])
        return false;
    *val = m->vals[i];
    return true;
}
