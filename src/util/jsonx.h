/* SPDX-License-Identifier: MIT */
/* Our jansson helpers: decode a request body and read typed members, collecting every type
 * problem into errinfo's field map instead of stopping at the first. */
#ifndef TRELLIS_JSONX_H
#define TRELLIS_JSONX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

enum jsonx_got { JSONX_BAD = -1, JSONX_ABSENT = 0, JSONX_SET = 1, JSONX_NULL = 2 };

/* Decodes body as one JSON object (duplicate keys and NUL escapes rejected); the root is released
 * with the arena. ERR_BAD_JSON with line/column in the message on failure. */
enum err jsonx_parse_object(struct arena *a, const char *body, size_t len, json_t **out,
                            struct errinfo *ei);
/* Adds "unknown field" for each member of obj whose key is not in the NULL-terminated list. */
void jsonx_only(json_t *obj, const char *const *allowed, struct errinfo *ei);
/* Reads a string member of at most maxlen bytes (borrowed from obj). Empty strings count as
 * missing when required. nullable allows JSON null. Records a field error for a wrong type. */
enum jsonx_got jsonx_str(json_t *obj, const char *key, const char **out, size_t maxlen,
                         bool nullable, struct errinfo *ei);
/* Reads an integer member (no floats, no strings). */
enum jsonx_got jsonx_int(json_t *obj, const char *key, int64_t *out, bool nullable,
                         struct errinfo *ei);
/* Reads a number member (integer or real). */
enum jsonx_got jsonx_num(json_t *obj, const char *key, double *out, struct errinfo *ei);
/* Reads a boolean member. */
enum jsonx_got jsonx_bool(json_t *obj, const char *key, bool *out, struct errinfo *ei);
/* Requires that key was present and not null: adds "is required" otherwise. */
void jsonx_require(enum jsonx_got got, const char *key, struct errinfo *ei);
/* json_string of s, or json_null when s is NULL (returns a new reference). */
json_t *jsonx_str_or_null(const char *s);
/* Serialises v compactly (returns owned, free()). */
char *jsonx_dump(const json_t *v);

#endif
