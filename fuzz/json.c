/* SPDX-License-Identifier: MIT */
/* libFuzzer target: a JSON request body through jsonx decoding and the typed readers and
 * validators that every write handler uses (the PATCH /people body as the model). */
#include <stddef.h>
#include <stdint.h>

#include "domain/people.h"
#include "util/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const allowed[] = {"name",       "email",     "title",
                                          "manager_id", "hire_date", NULL};
    struct arena *a = arena_new();
    struct errinfo ei = {0};
    json_t *o;
    const char *s = NULL;
    int64_t n;
    bool b;

    if (jsonx_parse_object(a, (const char *)data, size, &o, &ei) == ERR_OK) {
        jsonx_only(o, allowed, &ei);
        if (jsonx_str(o, "name", &s, 200, false, &ei) == JSONX_SET)
            people_check_name(s, "name", &ei);
        if (jsonx_str(o, "email", &s, 254, false, &ei) == JSONX_SET)
            people_check_email(s, "email", &ei);
        if (jsonx_str(o, "hire_date", &s, 10, true, &ei) == JSONX_SET)
            people_check_date(s, "hire_date", &ei);
        if (jsonx_str(o, "title", &s, 200, true, &ei) == JSONX_SET)
            people_check_text(s, 200, "title", &ei);
        jsonx_int(o, "manager_id", &n, true, &ei);
        jsonx_bool(o, "active", &b, &ei);
        err_fields_result(&ei);
    }
    arena_free(a);
    return 0;
}
