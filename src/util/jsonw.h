/* SPDX-License-Identifier: MIT */
/* A streaming JSON writer into a struct buf, for the hot read paths (people): building jansson
 * trees there cost two thirds of a request (measured with callgrind). Commas are automatic.
 * Strings must be valid UTF-8 (everything stored was validated on the way in). */
#ifndef TRELLIS_JSONW_H
#define TRELLIS_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define JSONW_MAX_DEPTH 16

struct jsonw {
    struct buf *b; /* borrowed */
    int depth;
    bool first[JSONW_MAX_DEPTH];
};

void jsonw_init(struct jsonw *w, struct buf *b);
void jsonw_obj(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
/* The key of the next member (a literal or any string). */
void jsonw_key(struct jsonw *w, const char *k);
/* Values; jsonw_str of NULL writes null. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
/* A finite double with up to 17 significant digits (non-finite values are written as null). */
void jsonw_double(struct jsonw *w, double v);
void jsonw_null(struct jsonw *w);
/* Key and value in one call. */
void jsonw_kstr(struct jsonw *w, const char *k, const char *s);
void jsonw_kint(struct jsonw *w, const char *k, int64_t v);
void jsonw_kdouble(struct jsonw *w, const char *k, double v);
/* An integer id, or null when 0. */
void jsonw_kid(struct jsonw *w, const char *k, int64_t v);

#endif
