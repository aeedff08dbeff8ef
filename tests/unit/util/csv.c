/* SPDX-License-Identifier: MIT */
/* util/csv.c: RFC 4180 reading of HRIS exports, case by case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/encoding.h"

/* Parses input and renders records as "a|b;c|d;" (fields joined by |, records ended by ;). */
static int render(const char *input, size_t len, char *out, size_t outsz, const char **err)
{
    struct csv c;
    const struct csv_field *f;
    size_t n, o = 0;
    int rc;

    csv_init(&c, input, len);
    out[0] = '\0';
    while ((rc = csv_next(&c, &f, &n)) == 1) {
        for (size_t i = 0; i < n; i++)
            o += (size_t)snprintf(out + o, outsz - o, "%s%s", i ? "|" : "", f[i].p);
        o += (size_t)snprintf(out + o, outsz - o, ";");
    }
    static char msg[128];
    snprintf(msg, sizeof(msg), "%s", csv_error(&c));
    *err = msg;
    csv_cleanup(&c);
    return rc;
}

static const struct {
    const char *name, *input, *want;
} good[] = {
    {"plain", "a,b\nc,d\n", "a|b;c|d;"},
    {"crlf", "a,b\r\nc,d\r\n", "a|b;c|d;"},
    {"lone cr", "a,b\rc,d", "a|b;c|d;"},
    {"bom", "\xEF\xBB\xBFid,name\n1,x\n", "id|name;1|x;"},
    {"quoted comma", "\"Lee, Ann\",x\n", "Lee, Ann|x;"},
    {"doubled quotes", "\"say \"\"hi\"\"\"\n", "say \"hi\";"},
    {"embedded newline", "\"two\nlines\",x\n", "two\nlines|x;"},
    {"embedded crlf kept", "\"two\r\nlines\"\n", "two\r\nlines;"},
    {"trailing comma", "a,b,\n", "a|b|;"},
    {"empty fields", ",,\n", "||;"},
    {"empty lines skipped", "\n\na\n\r\n\nb\n\n", "a;b;"},
    {"no final newline", "a,b", "a|b;"},
    {"space before quote", "  \"x\",y\n", "x|y;"},
    {"space after quote", "\"x\"  ,y\n", "x|y;"},
    {"quote inside unquoted", "ab\"c,d\n", "ab\"c|d;"},
    {"unicode", "Zoë,Ōtsuka,中文,😀\n", "Zoë|Ōtsuka|中文|😀;"},
    {"empty input", "", ""},
};

static void parses_good_input(void **state)
{
    char out[512];
    const char *err;

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        int rc = render(good[i].input, strlen(good[i].input), out, sizeof(out), &err);

        if (rc != 0 || strcmp(out, good[i].want) != 0)
            fail_msg("%s: rc %d, got [%s], want [%s] (%s)", good[i].name, rc, out, good[i].want,
                     err);
    }
}

static const struct {
    const char *name, *input, *error;
    size_t len;
} bad[] = {
    {"unterminated quote", "a,\"open\nb\n", "unterminated quoted field", 0},
    {"junk after quote", "\"a\"b,c\n", "unexpected character after closing quote", 0},
    {"invalid utf-8", "a,\xff\n", "invalid UTF-8", 0},
    {"overlong utf-8", "\xC0\xAF\n", "invalid UTF-8", 0},
    {"surrogate", "\xED\xA0\x80\n", "invalid UTF-8", 0},
    {"truncated utf-8", "\xE2\x82", "invalid UTF-8", 0},
    {"nul byte", "a\0b\n", "NUL byte in input", 4},
};

static void refuses_bad_input(void **state)
{
    char out[512];
    const char *err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].input);
        int rc = render(bad[i].input, len, out, sizeof(out), &err);

        if (rc != -1 || !strstr(err, bad[i].error))
            fail_msg("%s: rc %d, error [%s], want [%s]", bad[i].name, rc, err, bad[i].error);
    }
}

static void limits(void **state)
{
    size_t big = 70000;
    char *field = malloc(big + 2), *many = malloc(600 * 2 + 2), out[64];
    const char *err;

    (void)state;
    memset(field, 'x', big);
    field[big] = '\n';
    assert_int_equal(render(field, big + 1, out, sizeof(out), &err), -1);
    assert_non_null(strstr(err, "longer than 65536"));
    for (int i = 0; i < 600; i++) {
        many[2 * i] = 'a';
        many[2 * i + 1] = ',';
    }
    many[1200] = '\n';
    assert_int_equal(render(many, 1201, out, sizeof(out), &err), -1);
    assert_non_null(strstr(err, "more than 512"));
    free(field);
    free(many);
}

static void lines_and_records(void **state)
{
    static const char input[] = "h1,h2\n\"multi\nline\",x\n\nlast,y\n";
    struct csv c;
    const struct csv_field *f;
    size_t n;

    (void)state;
    csv_init(&c, input, sizeof(input) - 1);
    assert_int_equal(csv_next(&c, &f, &n), 1);
    assert_int_equal(csv_record(&c), 1);
    assert_int_equal(csv_line(&c), 1);
    assert_int_equal(csv_next(&c, &f, &n), 1);
    assert_int_equal(csv_record(&c), 2);
    assert_int_equal(csv_line(&c), 2);
    assert_int_equal(csv_next(&c, &f, &n), 1);
    assert_int_equal(csv_record(&c), 3);
    assert_int_equal(csv_line(&c), 5);
    assert_string_equal(f[0].p, "last");
    assert_int_equal(csv_next(&c, &f, &n), 0);
    csv_cleanup(&c);
}

static void headers_and_trim(void **state)
{
    char out[32];
    struct csv_field t = csv_trim((struct csv_field){"  padded\t ", 10});

    (void)state;
    csv_norm_header("Work Email", 10, out, sizeof(out));
    assert_string_equal(out, "workemail");
    csv_norm_header("manager_e-mail", 14, out, sizeof(out));
    assert_string_equal(out, "manageremail");
    csv_norm_header("Employee-ID ", 12, out, sizeof(out));
    assert_string_equal(out, "employeeid");
    csv_norm_header("abcdefghij", 10, out, 4);
    assert_string_equal(out, "abc");
    assert_int_equal(t.len, 6);
    assert_memory_equal(t.p, "padded", 6);
}

static void hundred_thousand_rows_parse(void **state)
{
    size_t cap = 100000 * 48, len = 0;
    char *data = malloc(cap);
    struct csv c;
    const struct csv_field *f;
    size_t n, rows = 0;

    (void)state;
    for (int i = 0; i < 100000; i++)
        len +=
            (size_t)snprintf(data + len, cap - len, "E%d,\"Name, %d\",p%d@x.example\r\n", i, i, i);
    csv_init(&c, data, len);
    while (csv_next(&c, &f, &n) == 1) {
        assert_int_equal(n, 3);
        rows++;
    }
    assert_int_equal(rows, 100000);
    csv_cleanup(&c);
    free(data);
}

/* The separator of an export: from its header, quotes respected. */
static void delimiters(void **state)
{
    struct csv c;
    const struct csv_field *f;
    size_t n;

    (void)state;
    assert_int_equal(csv_sniff_delimiter("a,b,c\n", 6), ',');
    assert_int_equal(csv_sniff_delimiter("a;b;c\n1,5;2;3\n", 15), ';');
    assert_int_equal(csv_sniff_delimiter("a\tb\tc", 5), '\t');
    assert_int_equal(csv_sniff_delimiter("a|b", 3), '|');
    assert_int_equal(csv_sniff_delimiter("\"x;y;z\",b\n", 10), ',');
    assert_int_equal(csv_sniff_delimiter("name\n", 5), ',');
    csv_init(&c, "a\t \"b\"\t\tc\n", 12);
    csv_set_delimiter(&c, '\t');
    assert_int_equal(csv_next(&c, &f, &n), 1);
    assert_int_equal(n, 4);
    assert_string_equal(f[1].p, "b");
    assert_string_equal(f[2].p, "");
    csv_cleanup(&c);
}

/* Encodings Excel and HRIS systems write, made UTF-8. */
static void encodings(void **state)
{
    static const char utf16le[] = "\xFF\xFEZ\0o\0\xEB\0";        /* BOM, "Zoë" */
    static const char utf16be_nobom[] = "\0i\0d\0,\0n\0a\0m\0e"; /* "id,name" */
    const char *name;
    size_t n;
    char *out;

    (void)state;
    assert_null(encoding_to_utf8("Zo\xC3\xAB", 4, &n, &name));
    assert_string_equal(name, "UTF-8");
    out = encoding_to_utf8(utf16le, sizeof(utf16le) - 1, &n, &name);
    assert_string_equal(name, "UTF-16LE");
    assert_string_equal(out, "Zo\xC3\xAB");
    free(out);
    out = encoding_to_utf8(utf16be_nobom, sizeof(utf16be_nobom) - 1, &n, &name);
    assert_string_equal(name, "UTF-16BE");
    assert_string_equal(out, "id,name");
    free(out);
    out = encoding_to_utf8("Jos\xE9 \x80", 6, &n, &name); /* é and the euro sign */
    assert_string_equal(name, "Windows-1252");
    assert_string_equal(out, "Jos\xC3\xA9 \xE2\x82\xAC");
    free(out);
    out = encoding_to_utf8("\x81x", 2, &n, &name); /* undefined in 1252 */
    assert_string_equal(name, "ISO-8859-1");
    free(out);
}

/* Writing: quoting, and formula cells neutralised the OWASP way; a BOM on request. */
static void writes_safe_cells(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "\"plain\""},
        {NULL, "\"\""},
        {"", "\"\""},
        {"=1+1", "\"'=1+1\""},
        {"+SUM(A1)", "\"'+SUM(A1)\""},
        {"-2+3", "\"'-2+3\""},
        {"@cmd", "\"'@cmd\""},
        {"\tx", "\"'\tx\""},
        {"\rx", "\"'\rx\""},
        {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
        {"a=b", "\"a=b\""},
        {" =x", "\" =x\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"Ōtsuka, 🙂", "\"Ōtsuka, 🙂\""},
    };
    struct buf b;

    (void)state;
    buf_init(&b, 4096);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        buf_reset(&b);
        csv_write_field(&b, cases[i].in);
        assert_string_equal(buf_str(&b), cases[i].want);
    }
    buf_reset(&b);
    csv_write_bom(&b, false);
    assert_int_equal(b.len, 0);
    csv_write_bom(&b, true);
    csv_write_field(&b, "x");
    assert_string_equal(buf_str(&b), "\xEF\xBB\xBF\"x\"");
    /* what is written reads back as the neutralised text */
    {
        struct csv c;
        const struct csv_field *f;
        size_t n;

        buf_reset(&b);
        csv_write_bom(&b, true);
        csv_write_field(&b, "=1+1");
        buf_add(&b, ",");
        csv_write_field(&b, "two\nlines");
        buf_add(&b, "\r\n");
        csv_init(&c, buf_str(&b), b.len);
        assert_int_equal(csv_next(&c, &f, &n), 1);
        assert_int_equal(n, 2);
        assert_string_equal(f[0].p, "'=1+1");
        assert_string_equal(f[1].p, "two\nlines");
        csv_cleanup(&c);
    }
    buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_good_input),
        cmocka_unit_test(refuses_bad_input),
        cmocka_unit_test(limits),
        cmocka_unit_test(lines_and_records),
        cmocka_unit_test(headers_and_trim),
        cmocka_unit_test(hundred_thousand_rows_parse),
        cmocka_unit_test(delimiters),
        cmocka_unit_test(encodings),
        cmocka_unit_test(writes_safe_cells),
    };
    return cmocka_run_group_tests_name("util/csv.c", tests, NULL, NULL);
}
