/* SPDX-License-Identifier: MIT */
/* GET /api/v1/people/{id}/export: the data-subject export (domain/export.c) as a download, for
 * the person themself, HR and admins. */
#include <stdio.h>

#include "api/api.h"
#include "domain/export.h"
#include "policy/policy.h"
#include "util/log.h"

enum err api_person_export(struct request *r, struct errinfo *ei)
{
    int64_t id;
    json_t *out = NULL;
    char disposition[96];
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    if (policy_check(r->db, &r->actor, ACT_PERSON_EXPORT, &(struct subject){.person_id = id}))
        return err_set(ei, ERR_FORBIDDEN, "only the person themself, HR and admins may export it");
    rc = export_person(r->db, r->arena, &r->actor, id, &out, ei);
    if (rc)
        return rc;
    if (r->actor.person_id != id)
        log_info("person %lld exported the data of person %lld", (long long)r->actor.person_id,
                 (long long)id);
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"trellis-person-%lld.json\"",
             (long long)id);
    response_json(r, 200, out);
    request_add_header(r, "Content-Disposition", arena_strdup(r->arena, disposition));
    return ERR_OK;
}
