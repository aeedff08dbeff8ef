/* SPDX-License-Identifier: MIT */
/* An RFC 4180 CSV reader for HRIS exports (docs/api.md "People CSV"): UTF-8 with or without BOM,
 * CRLF, LF or CR line ends, quoted fields with doubled quotes and embedded newlines. It does not
 * know about columns: domain/import.c maps headers to meaning. */
#ifndef TRELLIS_CSV_H
#define TRELLIS_CSV_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* A field: p is NUL-terminated and valid until the next csv_next() or csv_cleanup(). */
struct csv_field {
    const char *p;
    size_t len;
};

struct csv {
    const char *p, *end;
    long line;     /* physical line at the cursor */
    long rec_line; /* line where the last record started */
    long record;   /* records returned so far */
    char *scratch; /* unescaped fields of the current record */
    size_t scap;
    size_t *starts;
    struct csv_field *fields;
    char err[128];
    char delim; /* ',' unless csv_set_delimiter() said otherwise */
};

/* Borrows data for the lifetime of c; skips a UTF-8 BOM. */
void csv_init(struct csv *c, const char *data, size_t len);
/* Fields separated by d (',', ';', '\t' or '|') instead of a comma. */
void csv_set_delimiter(struct csv *c, char d);
/* The separator an export uses: whichever of , ; TAB | occurs most often outside quotes in its
 * first line (the header); a comma when none does. */
char csv_sniff_delimiter(const char *data, size_t len);
void csv_cleanup(struct csv *c);
/* Reads the next record: 1 with *fields (borrowed) and *nfields, 0 at the end, -1 on malformed
 * input with csv_error() saying why. Empty lines are skipped. */
int csv_next(struct csv *c, const struct csv_field **fields, size_t *nfields);
/* 1-based physical line where the last returned record started. */
long csv_line(const struct csv *c);
/* 1-based number of the last returned record (the header is record 1). */
long csv_record(const struct csv *c);
const char *csv_error(const struct csv *c);
/* Header matching form: lowercase ASCII without spaces, '_' or '-'; at most outsz-1 bytes. */
void csv_norm_header(const char *in, size_t len, char *out, size_t outsz);
/* The field without leading and trailing blanks (a view: not NUL-terminated at the new end). */
struct csv_field csv_trim(struct csv_field f);

/* Writing (every CSV the server or the CLI produces goes through these two). */

/* Appends s (NULL as empty) as one quoted RFC 4180 field. A cell that a spreadsheet would read
 * as a formula (its first byte =, +, -, @, TAB or CR) gets a leading apostrophe, the way OWASP
 * recommends against CSV injection: it then shows as the text that was typed. */
void csv_write_field(struct buf *b, const char *s);
/* Appends the UTF-8 byte order mark when bom is true (spreadsheets then read UTF-8). */
void csv_write_bom(struct buf *b, bool bom);

#endif
