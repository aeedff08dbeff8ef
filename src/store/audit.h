/* SPDX-License-Identifier: MIT */
/* SQL for the audit log: one row per write, with the actor and JSON before/after images. */
#ifndef TRELLIS_STORE_AUDIT_H
#define TRELLIS_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"

struct audit_row {
    int64_t id;
    const char *at;
    int64_t actor_id;
    const char *actor_name;
    const char *action;
    const char *entity;
    int64_t entity_id;
    const char *before_json;
    const char *after_json;
};

struct audit_query {
    const char *entity; /* NULL for any */
    int64_t entity_id;  /* 0 for any */
    int64_t actor_id;   /* 0 for any */
    int64_t before_id;  /* keyset cursor: rows with id < before_id; 0 for the first page */
    int limit;
};

enum err store_audit_insert(struct db *db, const struct audit_row *r);
enum err store_audit_list(struct db *db, struct arena *a, const struct audit_query *q,
                          struct audit_row **items, size_t *n);

/* Narrower lists of the log: by kind of action and by time. */
struct audit_filter {
    const char *action_like; /* a LIKE pattern of the action ("account.%"), or NULL for any */
    const char *from, *to;   /* RFC 3339 bounds of at (inclusive), or NULL */
};
/* store_audit_list with f (NULL: none). */
enum err store_audit_list_where(struct db *db, struct arena *a, const struct audit_query *q,
                                const struct audit_filter *f, struct audit_row **items, size_t *n);

#endif
