/* SPDX-License-Identifier: MIT */
/* Recording writes in the audit log, inside the caller's transaction. */
#ifndef TRELLIS_DOMAIN_AUDIT_H
#define TRELLIS_DOMAIN_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* Writes one audit row; borrows before/after (either may be NULL). actor_id 0 = the command line.
 */
enum err audit_record(struct db *db, int64_t actor_id, const char *action, const char *entity,
                      int64_t entity_id, const json_t *before, const json_t *after);

#endif
