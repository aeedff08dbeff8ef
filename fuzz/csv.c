/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the CSV reader over arbitrary bytes, then header normalisation and trimming
 * of every field it returns, as the people import does. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv c;
    const struct csv_field *f;
    size_t n;
    char norm[64];

    csv_init(&c, (const char *)data, size);
    while (csv_next(&c, &f, &n) == 1) {
        for (size_t i = 0; i < n; i++) {
            struct csv_field t = csv_trim(f[i]);

            csv_norm_header(t.p, t.len, norm, sizeof(norm));
            if (strlen(f[i].p) != f[i].len && memchr(f[i].p, '\0', f[i].len) == NULL)
                __builtin_trap(); /* fields are NUL-terminated at their length */
        }
    }
    csv_cleanup(&c);
    return 0;
}
