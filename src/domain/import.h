/* SPDX-License-Identifier: MIT */
/* The people CSV import of docs/api.md: HRIS exports with aliases, BOM, CRLF and quoting; an upsert
 * keyed by employee id (else email), all-or-nothing, managers may come after their reports,
 * reporting cycles refused, row-numbered errors, and a dry run. */
#ifndef TRELLIS_DOMAIN_IMPORT_H
#define TRELLIS_DOMAIN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

struct import_result {
    int rows;
    int created;
    int updated;
    int unchanged;
    int nerrors;
    struct buf errors;    /* "row N: column: problem\n" lines */
    struct buf ignored;   /* unknown column names, comma separated */
    const char *encoding; /* what the file was read as: "UTF-8", "UTF-16LE", "Windows-1252"… */
    char delimiter;       /* the field separator found in the header */
};

struct import_options {
    bool dry_run;
    /* how numeric hire dates are written when the file cannot tell: "DD/MM/YYYY" or
     * "MM/DD/YYYY" (NULL: decided from the file, or refused when ambiguous) */
    const char *date_format;
    /* SQLite: no other connection uses the database until the import ends (the CLI holds the
     * serve lock): a large import writes the database file directly, not through the WAL */
    bool alone;
};

/* Caller-owned result storage. */
void import_result_init(struct import_result *res);
void import_result_cleanup(struct import_result *res);
/* Validates the whole file, then (unless dry_run or any error) writes it in one transaction.
 * Returns ERR_VALIDATION when rows were refused (res->errors says why; nothing written). */
enum err import_people(struct db *db, const char *data, size_t len, bool dry_run, int64_t actor_id,
                       struct import_result *res);
/* The same with options. The file may be UTF-8, UTF-16 or Windows-1252, separated by commas,
 * semicolons, tabs or bars, with the header names of common HRIS exports, hire dates written
 * YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY or with month names, and managers named by
 * employee id, email or name ("Reports To"). */
enum err import_people_opts(struct db *db, const char *data, size_t len,
                            const struct import_options *opt, int64_t actor_id,
                            struct import_result *res);

#endif
