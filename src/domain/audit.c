/* SPDX-License-Identifier: MIT */
/* See audit.h. */
#include "domain/audit.h"

#include <stdlib.h>

#include "store/audit.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

enum err audit_record(struct db *db, int64_t actor_id, const char *action, const char *entity,
                      int64_t entity_id, const json_t *before, const json_t *after)
{
    char now[21];
    char *b = before ? jsonx_dump(before) : NULL;
    char *f = after ? jsonx_dump(after) : NULL;
    struct audit_row r = {0};
    enum err rc;

    time_rfc3339(time_now(), now);
    r.at = now;
    r.actor_id = actor_id;
    r.action = action;
    r.entity = entity;
    r.entity_id = entity_id;
    r.before_json = b;
    r.after_json = f;
    rc = store_audit_insert(db, &r);
    free(b);
    free(f);
    return rc;
}
