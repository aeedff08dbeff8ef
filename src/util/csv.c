/* SPDX-License-Identifier: MIT */
/* An RFC 4180 CSV reader for HRIS exports: one pass over the input, fields unescaped into a
 * scratch buffer reused across records, UTF-8 validated, every limit enforced. */
#include "util/csv.h"

#include "util/buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELD  65536
#define MAX_FIELDS 512

static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n);

    if (!q) {
        fprintf(stderr, "trellis: out of memory in the CSV reader\n");
        abort();
    }
    return q;
}

void csv_init(struct csv *c, const char *data, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->p = data;
    c->end = data + len;
    c->line = 1;
    c->delim = ',';
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
}

void csv_set_delimiter(struct csv *c, char d)
{
    c->delim = d;
}

char csv_sniff_delimiter(const char *data, size_t len)
{
    static const char cand[] = {',', ';', '\t', '|'};
    size_t count[sizeof(cand)] = {0}, best = 0;
    bool quoted = false;

    for (size_t i = 0; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
        if (data[i] == '"')
            quoted = !quoted;
        for (size_t k = 0; k < sizeof(cand) && !quoted; k++)
            count[k] += data[i] == cand[k];
    }
    for (size_t k = 1; k < sizeof(cand); k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

void csv_cleanup(struct csv *c)
{
    free(c->scratch);
    free(c->starts);
    free(c->fields);
    c->scratch = NULL;
    c->starts = NULL;
    c->fields = NULL;
}

long csv_line(const struct csv *c)
{
    return c->rec_line;
}

long csv_record(const struct csv *c)
{
    return c->record;
}

const char *csv_error(const struct csv *c)
{
    return c->err;
}

static int fail(struct csv *c, const char *msg)
{
    snprintf(c->err, sizeof(c->err), "%s (line %ld)", msg, c->line);
    c->p = c->end;
    return -1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    size_t len;
    unsigned cp;

    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, cp = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, cp = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, cp = b & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Appends one byte to the scratch buffer (the current field). */
static int put(struct csv *c, size_t *used, size_t field_start, char ch)
{
    if (*used - field_start >= MAX_FIELD)
        return fail(c, "field longer than 65536 bytes");
    if (*used + 1 >= c->scap) {
        c->scap = c->scap ? c->scap * 2 : 4096;
        c->scratch = grow(c->scratch, c->scap);
    }
    c->scratch[(*used)++] = ch;
    return 0;
}

/* Copies a run of n input bytes (already known valid) into the field. */
static int put_run(struct csv *c, size_t *used, size_t field_start, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (put(c, used, field_start, s[i]) < 0)
            return -1;
    return 0;
}

/* Consumes one character of field content at c->p (a whole UTF-8 sequence). */
static int content(struct csv *c, size_t *used, size_t start)
{
    size_t n;

    if (*c->p == '\0')
        return fail(c, "NUL byte in input");
    n = utf8_len((const unsigned char *)c->p, (size_t)(c->end - c->p));
    if (n == 0)
        return fail(c, "invalid UTF-8");
    if (put_run(c, used, start, c->p, n) < 0)
        return -1;
    c->p += n;
    return 0;
}

/* Consumes a line ending at c->p if there is one. */
static int eol(struct csv *c)
{
    if (c->p < c->end && *c->p == '\r') {
        c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return 1;
    }
    if (c->p < c->end && *c->p == '\n') {
        c->p++;
        c->line++;
        return 1;
    }
    return 0;
}

int csv_next(struct csv *c, const struct csv_field **fields, size_t *nfields)
{
    size_t used = 0, nf = 0, *starts;

    /* empty lines are skipped */
    while (c->p < c->end && eol(c))
        ;
    if (c->p >= c->end)
        return 0;
    c->rec_line = c->line;
    c->record++;
    if (!c->starts) {
        c->starts = grow(NULL, (MAX_FIELDS + 1) * sizeof(*c->starts));
        c->fields = grow(NULL, (MAX_FIELDS + 1) * sizeof(*c->fields));
    }
    starts = c->starts;
    for (;;) {
        size_t start = used;

        if (nf >= MAX_FIELDS) {
            return fail(c, "more than 512 fields");
        }
        starts[nf++] = start;
        /* spaces before an opening quote are dropped */
        const char *q = c->p;
        while (q < c->end && (*q == ' ' || (*q == '\t' && c->delim != '\t')))
            q++;
        if (q < c->end && *q == '"') {
            c->p = q + 1;
            for (;;) {
                if (c->p >= c->end) {
                    return fail(c, "unterminated quoted field");
                }
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        if (put(c, &used, start, '"') < 0)
                            goto bad;
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n' || (*c->p == '\r'))
                    c->line += *c->p == '\n' || c->p + 1 >= c->end || c->p[1] != '\n';
                if (content(c, &used, start) < 0)
                    goto bad;
            }
            while (c->p < c->end && (*c->p == ' ' || (*c->p == '\t' && c->delim != '\t')))
                c->p++;
            if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r') {
                return fail(c, "unexpected character after closing quote");
            }
        } else {
            while (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r')
                if (content(c, &used, start) < 0)
                    goto bad;
        }
        if (put(c, &used, start, '\0') < 0)
            goto bad;
        if (c->p < c->end && *c->p == c->delim) {
            c->p++;
            continue;
        }
        eol(c);
        break;
    }
    for (size_t i = 0; i < nf; i++) {
        size_t end = i + 1 < nf ? starts[i + 1] - 1 : used - 1;

        c->fields[i].p = c->scratch + starts[i];
        c->fields[i].len = end - starts[i];
    }
    *fields = c->fields;
    *nfields = nf;
    return 1;
bad:
    return -1;
}

void csv_norm_header(const char *in, size_t len, char *out, size_t outsz)
{
    size_t o = 0;

    if (outsz == 0)
        return;
    for (size_t i = 0; i < len && o + 1 < outsz; i++) {
        char ch = in[i];

        if (ch == ' ' || ch == '_' || ch == '-' || ch == '\t')
            continue;
        out[o++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    out[o] = '\0';
}

struct csv_field csv_trim(struct csv_field f)
{
    while (f.len && (f.p[0] == ' ' || f.p[0] == '\t')) {
        f.p++;
        f.len--;
    }
    while (f.len && (f.p[f.len - 1] == ' ' || f.p[f.len - 1] == '\t'))
        f.len--;
    return f;
}

void csv_write_field(struct buf *b, const char *s)
{
    const char *p = s ? s : "";

    buf_add(b, "\"");
    if (*p == '=' || *p == '+' || *p == '-' || *p == '@' || *p == '\t' || *p == '\r')
        buf_add(b, "'");
    for (; *p; p++)
        buf_addn(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    buf_add(b, "\"");
}

void csv_write_bom(struct buf *b, bool bom)
{
    if (bom)
        buf_add(b, "\xEF\xBB\xBF");
}
