/* SPDX-License-Identifier: MIT */
/* POST /api/v1/people/import: the HRIS import of `trellis import people`, for HR and HRIS
 * scripts. The body is the export itself (any encoding and separator the import reads). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "domain/import.h"
#include "util/jsonx.h"

/* Each "row N: column: problem" line of the import as a field problem "row N: column" (the
 * first 32; the message counts them all). */
static void row_problems(const char *text, struct errinfo *ei)
{
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        char line[512], *sep;

        snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1),
                 text);
        sep = strstr(line, ": ");
        sep = sep ? strstr(sep + 2, ": ") : NULL;
        if (sep) {
            *sep = '\0';
            err_field(ei, line, "%s", sep + 2);
        }
        text = end ? end + 1 : NULL;
    }
}

enum err api_people_import(struct request *r, struct errinfo *ei)
{
    struct import_options o = {0};
    struct import_result res;
    const char *dry = request_query(r, "dry_run"), *fmt = request_query(r, "date_format");
    json_t *out;
    enum err rc = policy_check(r->db, &r->actor, ACT_PERSON_UPDATE, NULL);

    if (rc)
        return err_set(ei, rc, "HR imports people");
    if (dry && strcmp(dry, "1") != 0 && strcmp(dry, "true") != 0 && strcmp(dry, "0") != 0 &&
        strcmp(dry, "false") != 0)
        err_field(ei, "dry_run", "must be true or false");
    if (fmt && strcasecmp(fmt, "DD/MM/YYYY") != 0 && strcasecmp(fmt, "MM/DD/YYYY") != 0)
        err_field(ei, "date_format", "must be DD/MM/YYYY or MM/DD/YYYY");
    if (r->body.len == 0)
        err_field(ei, "body", "send the export file as the request body");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    o.dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
    o.date_format = fmt;
    import_result_init(&res);
    rc = import_people_opts(r->db, r->body.p, r->body.len, &o, r->actor.person_id, &res);
    if (rc == ERR_VALIDATION) {
        /* every row error at once, the way the dry run shows them */
        row_problems(buf_str(&res.errors), ei);
        err_set(ei, ERR_VALIDATION, "the file has %d problem%s; nothing was written", res.nerrors,
                res.nerrors == 1 ? "" : "s");
        import_result_cleanup(&res);
        return ERR_VALIDATION;
    }
    if (rc) {
        import_result_cleanup(&res);
        return err_set(ei, rc, "cannot import the file");
    }
    out = json_pack("{s:b, s:i, s:i, s:i, s:i, s:s?, s:s%, s:s}", "dry_run", o.dry_run, "rows",
                    res.rows, "created", res.created, "updated", res.updated, "unchanged",
                    res.unchanged, "encoding", res.encoding, "delimiter", &res.delimiter, (size_t)1,
                    "ignored_columns", buf_str(&res.ignored));
    import_result_cleanup(&res);
    response_json(r, 200, out);
    return ERR_OK;
}
