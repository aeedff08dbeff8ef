/* SPDX-License-Identifier: MIT */
/* SQL for the settings an admin changes at run time (migration 0042). */
#ifndef TRELLIS_STORE_SETTINGS_H
#define TRELLIS_STORE_SETTINGS_H

#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* The stored value of key (copied into a), or NULL when none is stored. */
const char *store_setting_get(struct db *db, struct arena *a, const char *key);
/* The first n characters of the stored value of key (a large value is not read), or NULL. */
const char *store_setting_head(struct db *db, struct arena *a, const char *key, int n);
/* Stores value for key (inside the caller's transaction). */
/* Setting key into *out (NULL when it is not set); ERR_INTERNAL when it cannot be read. */
enum err store_setting_read(struct db *db, struct arena *a, const char *key, const char **out);
enum err store_setting_put(struct db *db, const char *key, const char *value, int64_t by,
                           const char *now);

/* Removes the stored value of key (inside the caller's transaction). */
enum err store_setting_delete(struct db *db, const char *key);

#endif
