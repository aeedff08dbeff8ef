/* SPDX-License-Identifier: MIT */
/* A string-keyed hash map to int64 values (open addressing), for bulk work such as imports. */
#ifndef TRELLIS_STRMAP_H
#define TRELLIS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap {
    char **keys;
    int64_t *vals;
    size_t cap;
    size_t n;
};

void strmap_init(struct strmap *m);
void strmap_cleanup(struct strmap *m);
/* Borrows key (copied). Replaces an existing value. */
void strmap_put(struct strmap *m, const char *key, int64_t val);
/* True and *val when key is present. */
bool strmap_get(const struct strmap *m, const char *key, int64_t *val);

#endif
