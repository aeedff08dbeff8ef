/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, always NUL-terminated, with a maximum size: appending past it fails
 * with ERR_TOO_LARGE and leaves the buffer unchanged (curl's dynbuf "toobig"). */
#ifndef TRELLIS_BUF_H
#define TRELLIS_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct buf {
    char *p;
    size_t len;
    size_t cap;
    size_t max;
    bool over; /* an addition would have passed max and was dropped: the content is incomplete */
};

/* Caller-owned storage; max is the ceiling in bytes (excluding the NUL). */
void buf_init(struct buf *b, size_t max);
void buf_cleanup(struct buf *b);
void buf_reset(struct buf *b);
enum err buf_addn(struct buf *b, const void *p, size_t n);
enum err buf_add(struct buf *b, const char *s);
/* Makes room for n more bytes and counts them as written: returns where to write them, or NULL
 * (ERR_TOO_LARGE, the buffer unchanged) past the maximum. */
char *buf_extend(struct buf *b, size_t n);
enum err buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents (borrowed; "" when empty). */
const char *buf_str(const struct buf *b);
/* Hands the bytes to the caller (returns owned, free()) and resets the buffer. */
char *buf_take(struct buf *b, size_t *len);

#endif
