/* SPDX-License-Identifier: MIT */
/* See import.h. Three phases: read and check every row; resolve keys, managers and cycles
 * against the file and the database together; write in one transaction, managers before their
 * reports so every manager id is known when a row is written. */
#include "domain/import.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/audit.h"
#include "domain/people.h"
#include "domain/webhooks.h"
#include "store/webhooks.h"
#include "store/people.h"
#include "util/arena.h"
#include "util/csv.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/strmap.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define MAX_ERRORS 200

enum col {
    C_EMPLOYEE_ID,
    C_EMAIL,
    C_NAME,
    C_FIRST,
    C_LAST,
    C_TITLE,
    C_DEPARTMENT,
    C_MANAGER_EMAIL,
    C_MANAGER_ID,
    C_LEVEL,
    C_HIRE_DATE,
    C_STATUS,
    C_MANAGER_REF, /* "Reports To", "Supervisor": an email, an employee id or a name */
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "employee_id",   "email",      "name",  "first_name", "last_name", "title",  "department",
    "manager_email", "manager_id", "level", "hire_date",  "status",    "manager"};

/* docs/api.md "People CSV": header names and aliases, normalised (lowercase, no space, _ or -). */
static const struct {
    const char *name;
    enum col col;
} aliases[] = {
    /* the names Workday, BambooHR, Personio, HiBob and spreadsheets use */
    {"employeeid", C_EMPLOYEE_ID},
    {"employeenumber", C_EMPLOYEE_ID},
    {"employee#", C_EMPLOYEE_ID},
    {"employeeno", C_EMPLOYEE_ID},
    {"workerid", C_EMPLOYEE_ID},
    {"personnelnumber", C_EMPLOYEE_ID},
    {"staffid", C_EMPLOYEE_ID},
    {"id", C_EMPLOYEE_ID},
    {"email", C_EMAIL},
    {"workemail", C_EMAIL},
    {"emailwork", C_EMAIL},
    {"primaryworkemail", C_EMAIL},
    {"workemailaddress", C_EMAIL},
    {"emailaddress", C_EMAIL},
    {"businessemail", C_EMAIL},
    {"name", C_NAME},
    {"fullname", C_NAME},
    {"legalname", C_NAME},
    {"employeename", C_NAME},
    {"workername", C_NAME},
    {"displayname", C_NAME},
    {"firstname", C_FIRST},
    {"givenname", C_FIRST},
    {"legalfirstname", C_FIRST},
    {"lastname", C_LAST},
    {"surname", C_LAST},
    {"familyname", C_LAST},
    {"legallastname", C_LAST},
    {"title", C_TITLE},
    {"jobtitle", C_TITLE},
    {"businesstitle", C_TITLE},
    {"position", C_TITLE},
    {"positiontitle", C_TITLE},
    {"department", C_DEPARTMENT},
    {"departmentname", C_DEPARTMENT},
    {"supervisoryorganization", C_DEPARTMENT},
    {"manageremail", C_MANAGER_EMAIL},
    {"managerworkemail", C_MANAGER_EMAIL},
    {"supervisoremail", C_MANAGER_EMAIL},
    {"reportstoemail", C_MANAGER_EMAIL},
    {"linemanageremail", C_MANAGER_EMAIL},
    {"managerid", C_MANAGER_ID},
    {"manageremployeeid", C_MANAGER_ID},
    {"managerworkerid", C_MANAGER_ID},
    {"supervisorid", C_MANAGER_ID},
    {"reportstoid", C_MANAGER_ID},
    {"reportstoemployeeid", C_MANAGER_ID},
    {"manager", C_MANAGER_REF},
    {"managername", C_MANAGER_REF},
    {"reportsto", C_MANAGER_REF},
    {"supervisor", C_MANAGER_REF},
    {"supervisorname", C_MANAGER_REF},
    {"linemanager", C_MANAGER_REF},
    {"level", C_LEVEL},
    {"joblevel", C_LEVEL},
    {"grade", C_LEVEL},
    {"jobgrade", C_LEVEL},
    {"careerlevel", C_LEVEL},
    {"hiredate", C_HIRE_DATE},
    {"startdate", C_HIRE_DATE},
    {"originalhiredate", C_HIRE_DATE},
    {"dateofhire", C_HIRE_DATE},
    {"joindate", C_HIRE_DATE},
    {"employmentstartdate", C_HIRE_DATE},
    {"status", C_STATUS},
    {"employmentstatus", C_STATUS},
    {"workerstatus", C_STATUS},
};

struct row {
    long recno;
    const char *v[C_COUNT]; /* NULL when the column is absent; "" when empty */
    const char *name;
    int64_t node;     /* index in the node table */
    int64_t manager;  /* node of the manager, -1 none, -2 keep the current one */
    int64_t name_key; /* given by a large import into an empty directory (0: none) */
    bool written;
};

struct node {
    struct person p; /* current state (existing) or to be created */
    int64_t manager; /* node index, -1 none */
    int64_t row;     /* file row index, -1 when not in the file */
    bool existing;
};

struct ctx {
    struct db *db;
    struct arena *a;
    struct import_result *res;
    int col_of[C_COUNT];
    struct row *rows;
    size_t nrows, caprows;
    struct node *nodes;
    size_t nnodes;
    struct strmap by_eid, by_email, by_id;
    struct strmap file_eid, file_email;
    struct strmap by_name, file_name; /* lowercased names; -2 when two people share one */
    const struct import_options *opt;
    /* a large import writes the hire entries of the people it creates in one statement at its
     * end (first_id: the first it created), and asks once whether anyone takes their events */
    bool bulk, hooks;
    int64_t first_id;
};

void import_result_init(struct import_result *res)
{
    memset(res, 0, sizeof(*res));
    buf_init(&res->errors, 1u << 20);
    buf_init(&res->ignored, 64u << 10);
}

void import_result_cleanup(struct import_result *res)
{
    buf_cleanup(&res->errors);
    buf_cleanup(&res->ignored);
}

static void row_error(struct ctx *c, long recno, const char *column, const char *problem)
{
    c->res->nerrors++;
    if (c->res->nerrors <= MAX_ERRORS)
        buf_addf(&c->res->errors, "row %ld: %s: %s\n", recno, column, problem);
}

static void lower(char *s)
{
    people_lower(s);
}

static enum err read_header(struct ctx *c, struct csv *csv)
{
    const struct csv_field *f;
    size_t nf;
    int rc = csv_next(csv, &f, &nf);

    for (int i = 0; i < C_COUNT; i++)
        c->col_of[i] = -1;
    if (rc <= 0) {
        row_error(c, 1, "header", rc < 0 ? csv_error(csv) : "the file is empty");
        return ERR_VALIDATION;
    }
    for (size_t i = 0; i < nf; i++) {
        char norm[64];
        bool known = false;

        csv_norm_header(f[i].p, f[i].len, norm, sizeof(norm));
        for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++) {
            if (strcmp(aliases[k].name, norm) != 0)
                continue;
            known = true;
            if (c->col_of[aliases[k].col] >= 0)
                row_error(c, 1, col_names[aliases[k].col], "the column appears twice");
            c->col_of[aliases[k].col] = (int)i;
        }
        if (!known && f[i].len) {
            if (c->res->ignored.len)
                buf_add(&c->res->ignored, ", ");
            buf_addn(&c->res->ignored, f[i].p, f[i].len > 100 ? 100 : f[i].len);
        }
    }
    if (c->col_of[C_EMAIL] < 0)
        row_error(c, 1, "email", "the file needs an email column");
    if (c->col_of[C_NAME] < 0 && (c->col_of[C_FIRST] < 0 || c->col_of[C_LAST] < 0))
        row_error(c, 1, "name", "the file needs a name column, or first_name and last_name");
    return c->res->nerrors ? ERR_VALIDATION : ERR_OK;
}

/* Month names of English-language exports ("5 Mar 2021", "March 5, 2021"): 1-12, or 0. */
static int month_of(const char *s, size_t n)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};

    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, m[i], 3) == 0)
            return i + 1;
    return 0;
}

/* A date as HRIS exports write it: *kind 'i' (year first, or a month name: unambiguous) with
 * y-m-d in a/b/y, or 'n' (two numbers then a four-digit year, a = first, b = second, sep its
 * separator). Returns false for anything else. A time after the date is ignored. */
static bool parse_date(const char *s, int *a, int *b, int *y, char *sep, char *kind)
{
    int p[3] = {0, 0, 0}, np = 0, mon = 0, len[3] = {0, 0, 0};
    const char *q = s;

    while (*q && np < 3) {
        if (*q >= '0' && *q <= '9') {
            while (*q >= '0' && *q <= '9' && len[np] < 5)
                p[np] = p[np] * 10 + (*q++ - '0'), len[np]++;
            np++;
        } else if ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') {
            const char *w = q;

            while (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z'))
                q++;
            if (mon || !(mon = month_of(w, (size_t)(q - w))))
                return false;
        } else if (*q == '/' || *q == '-' || *q == '.' || *q == ' ' || *q == ',') {
            if (np == 1 && !*sep && *q != ' ' && *q != ',')
                *sep = *q;
            q++;
        } else {
            return false;
        }
        if (np == 3 || (mon && np == 2))
            break;
    }
    if (*q && *q != ' ' && *q != 'T')
        return false;     /* "2021-03-05 00:00:00" and "…T09:00" keep their date */
    if (mon && np == 2) { /* "5 Mar 2021" or "Mar 5, 2021" */
        if (len[1] != 4)
            return false;
        *y = p[1], *a = mon, *b = p[0], *kind = 'i';
        return true;
    }
    if (mon || np != 3)
        return false;
    if (len[0] == 4) {
        *y = p[0], *a = p[1], *b = p[2], *kind = 'i';
        return true;
    }
    if (len[2] != 4)
        return false;
    *a = p[0], *b = p[1], *y = p[2], *kind = 'n';
    return true;
}

/* Makes every hire date YYYY-MM-DD. Numeric dates are day-first or month-first for the whole
 * file: the --date-format option says which, else the file's own dates must (a day above 12, or
 * dots as in 05.03.2021); a file whose dates could be read either way is refused. */
static void normalise_dates(struct ctx *c)
{
    const char *fmt = c->opt ? c->opt->date_format : NULL;
    bool dmy = fmt && (strcasecmp(fmt, "DD/MM/YYYY") == 0 || strcasecmp(fmt, "dmy") == 0);
    bool mdy = fmt && (strcasecmp(fmt, "MM/DD/YYYY") == 0 || strcasecmp(fmt, "mdy") == 0);
    bool seen_dmy = false, seen_mdy = false;
    long ambiguous = 0;

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->nrows; i++) {
            struct row *r = &c->rows[i];
            const char *v = r->v[C_HIRE_DATE];
            int a = 0, b = 0, y = 0, m, d;
            char sep = 0, kind = 0;

            if (!v || !*v)
                continue;
            if (!parse_date(v, &a, &b, &y, &sep, &kind)) {
                if (pass == 1)
                    row_error(c, r->recno, "hire_date",
                              arena_printf(c->a, "%s is not a date (write YYYY-MM-DD)", v));
                continue;
            }
            if (pass == 0) {
                if (kind == 'n') {
                    seen_dmy = seen_dmy || a > 12 || sep == '.';
                    seen_mdy = seen_mdy || b > 12;
                    if (a <= 12 && b <= 12 && a != b && sep != '.' && !ambiguous)
                        ambiguous = r->recno;
                }
                continue;
            }
            m = kind == 'i' ? a : dmy ? b : a;
            d = kind == 'i' ? b : dmy ? a : b;
            if (kind == 'n' && !dmy && !mdy) {
                continue; /* reported once below */
            }
            r->v[C_HIRE_DATE] = arena_printf(c->a, "%04d-%02d-%02d", y, m, d);
        }
        if (pass == 0 && !dmy && !mdy) {
            if (seen_dmy && seen_mdy)
                row_error(c, 1, "hire_date",
                          "the file mixes day-first and month-first dates; pass --date-format");
            else if (seen_dmy)
                dmy = true;
            else if (!seen_mdy && ambiguous)
                row_error(c, ambiguous, "hire_date",
                          "dates such as 03/04/2021 could be day-first or month-first: pass "
                          "--date-format DD/MM/YYYY or MM/DD/YYYY");
            else
                mdy = true; /* month-first seen, or every date reads the same either way */
        }
    }
}

/* Employment states as exports word them. */
static const char *status_of(const char *v)
{
    static const struct {
        const char *in, *out;
    } map[] = {
        {"on leave", "active"},       {"leave", "active"},      {"leave of absence", "active"},
        {"employed", "active"},       {"left", "terminated"},   {"former", "terminated"},
        {"terminated", "terminated"}, {"inactive", "inactive"}, {"active", "active"}};

    for (size_t i = 0; v && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(v, map[i].in) == 0)
            return map[i].out;
    return v;
}

/* Checks one row's own fields (no cross-row rules); adds problems. */
static void check_row(struct ctx *c, struct row *r)
{
    struct errinfo ei = {0};
    const char **v = r->v;

    if (v[C_NAME] && *v[C_NAME])
        r->name = v[C_NAME];
    else if (v[C_FIRST] || v[C_LAST])
        r->name = arena_printf(c->a, "%s%s%s", v[C_FIRST] ? v[C_FIRST] : "",
                               v[C_FIRST] && *v[C_FIRST] && v[C_LAST] && *v[C_LAST] ? " " : "",
                               v[C_LAST] ? v[C_LAST] : "");
    people_check_name(r->name, "name", &ei);
    people_check_email(v[C_EMAIL], "email", &ei);
    if (v[C_MANAGER_EMAIL] && *v[C_MANAGER_EMAIL])
        people_check_email(v[C_MANAGER_EMAIL], "manager_email", &ei);
    if (v[C_HIRE_DATE] && *v[C_HIRE_DATE])
        people_check_date(v[C_HIRE_DATE], "hire_date", &ei);
    if (v[C_STATUS] && *v[C_STATUS]) {
        v[C_STATUS] = status_of(v[C_STATUS]);
        people_check_status(v[C_STATUS], "status", &ei);
    }
    people_check_text(v[C_EMPLOYEE_ID], 64, "employee_id", &ei);
    people_check_text(v[C_TITLE], 200, "title", &ei);
    people_check_text(v[C_DEPARTMENT], 200, "department", &ei);
    people_check_text(v[C_LEVEL], 50, "level", &ei);
    for (size_t i = 0; i < ei.nfields; i++)
        row_error(c, r->recno, ei.fields[i].field, ei.fields[i].problem);
}

static enum err read_rows(struct ctx *c, struct csv *csv)
{
    const struct csv_field *f;
    size_t nf;
    int rc;

    while ((rc = csv_next(csv, &f, &nf)) == 1) {
        struct row *r;

        if (c->nrows == c->caprows) {
            c->caprows = c->caprows ? c->caprows * 2 : 1024;
            c->rows = xrealloc(c->rows, c->caprows * sizeof(*c->rows));
        }
        r = &c->rows[c->nrows++];
        memset(r, 0, sizeof(*r));
        r->recno = csv_record(csv);
        for (int k = 0; k < C_COUNT; k++) {
            int col = c->col_of[k];
            struct csv_field t;

            if (col < 0)
                continue;
            if ((size_t)col >= nf) {
                r->v[k] = "";
                continue;
            }
            t = csv_trim(f[col]);
            char *v = arena_strndup(c->a, t.p, t.len);

            if (k == C_EMAIL || k == C_MANAGER_EMAIL || k == C_STATUS)
                lower(v);
            r->v[k] = v;
        }
    }
    if (rc < 0)
        row_error(c, csv_record(csv) + 1, "file", csv_error(csv));
    normalise_dates(c);
    for (size_t i = 0; i < c->nrows; i++)
        check_row(c, &c->rows[i]);
    return c->res->nerrors ? ERR_VALIDATION : ERR_OK;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* Indexes a person by lowercased name; a name two people share maps to -2 (ambiguous). */
static void name_put(struct ctx *c, struct strmap *m, const char *name, int64_t v)
{
    char *k;
    int64_t prev;

    if (!name || !*name)
        return;
    k = arena_strdup(c->a, name);
    lower(k);
    strmap_put(m, k, strmap_get(m, k, &prev) && prev != v ? -2 : v);
}

/* Looks a name up ("First Last", or "Last, First" as some exports write it). */
static bool name_get(struct ctx *c, struct strmap *m, const char *name, int64_t *v)
{
    char *k = arena_strdup(c->a, name), *comma;

    lower(k);
    if (strmap_get(m, k, v))
        return true;
    comma = strchr(k, ',');
    if (!comma)
        return false;
    *comma = '\0';
    for (comma++; *comma == ' '; comma++)
        ;
    return strmap_get(m, arena_printf(c->a, "%s %s", comma, k), v);
}

/* A "Reports To" value: an email, an employee id, else a name; a node, -1 none found (with the
 * problem reported), -3 ambiguous (reported). */
static int64_t manager_by_ref(struct ctx *c, const struct row *r, const char *ref)
{
    int64_t m = -1, fi;

    if (strchr(ref, '@')) {
        char *e = arena_strdup(c->a, ref);

        lower(e);
        if (strmap_get(&c->file_email, e, &fi))
            return c->rows[fi].node;
        if (strmap_get(&c->by_email, e, &m))
            return m;
    } else if (strmap_get(&c->file_eid, ref, &fi)) {
        return c->rows[fi].node;
    } else if (strmap_get(&c->by_eid, ref, &m)) {
        return m;
    } else if (name_get(c, &c->file_name, ref, &fi) ||
               (fi = -1, name_get(c, &c->by_name, ref, &m))) {
        if (fi == -2 || m == -2) {
            row_error(c, r->recno, "manager",
                      arena_printf(c->a,
                                   "two people are named %s: use a manager email or "
                                   "employee id column",
                                   ref));
            return -3;
        }
        return fi >= 0 ? c->rows[fi].node : m;
    }
    row_error(c, r->recno, "manager", arena_printf(c->a, "no person is %s", ref));
    return -3;
}

/* Loads every existing person as a node and indexes them. */
static enum err load_people(struct ctx *c)
{
    struct person *all;
    size_t n;
    enum err rc = store_people_all(c->db, c->a, &all, &n);

    if (rc)
        return rc;
    c->nnodes = n;
    c->nodes = xcalloc(n + c->nrows + 1, sizeof(*c->nodes));
    for (size_t i = 0; i < n; i++) {
        char key[32];

        c->nodes[i].p = all[i];
        c->nodes[i].existing = true;
        c->nodes[i].row = -1;
        if (all[i].employee_id)
            strmap_put(&c->by_eid, all[i].employee_id, (int64_t)i);
        name_put(c, &c->by_name, all[i].name, (int64_t)i);
        strmap_put(&c->by_email, all[i].email, (int64_t)i);
        snprintf(key, sizeof(key), "%lld", (long long)all[i].id);
        strmap_put(&c->by_id, key, (int64_t)i);
    }
    for (size_t i = 0; i < n; i++) {
        char key[32];
        int64_t m = -1;

        snprintf(key, sizeof(key), "%lld", (long long)all[i].manager_id);
        if (!all[i].manager_id || !strmap_get(&c->by_id, key, &m))
            m = -1;
        c->nodes[i].manager = m;
    }
    return ERR_OK;
}

/* Gives every row its node: an existing person (by employee id, else email) or a new one. */
static void match_rows(struct ctx *c)
{
    for (size_t i = 0; i < c->nrows; i++) {
        struct row *r = &c->rows[i];
        const char *eid = nz(r->v[C_EMPLOYEE_ID]);
        int64_t at = -1, other = -1, prev;

        r->node = -1;
        if (!r->v[C_EMAIL] || !*r->v[C_EMAIL])
            continue; /* already reported */
        if (eid && strmap_get(&c->file_eid, eid, &prev)) {
            row_error(c, r->recno, "employee_id",
                      arena_printf(c->a, "duplicate of row %ld", c->rows[prev].recno));
            continue;
        }
        if (strmap_get(&c->file_email, r->v[C_EMAIL], &prev)) {
            row_error(c, r->recno, "email",
                      arena_printf(c->a, "duplicate of row %ld", c->rows[prev].recno));
            continue;
        }
        if (eid)
            strmap_put(&c->file_eid, eid, (int64_t)i);
        strmap_put(&c->file_email, r->v[C_EMAIL], (int64_t)i);
        if (eid)
            strmap_get(&c->by_eid, eid, &at);
        strmap_get(&c->by_email, r->v[C_EMAIL], &other);
        if (at < 0 && other >= 0) {
            const char *their = c->nodes[other].p.employee_id;

            if (eid && their && strcmp(their, eid) != 0) {
                row_error(c, r->recno, "email",
                          arena_printf(c->a, "is already used by employee %s", their));
                continue;
            }
            at = other;
        } else if (at >= 0 && other >= 0 && other != at) {
            row_error(c, r->recno, "email", "is already used by another person");
            continue;
        }
        if (at >= 0 && c->nodes[at].row >= 0) {
            row_error(
                c, r->recno, "employee_id",
                arena_printf(c->a, "same person as row %ld", c->rows[c->nodes[at].row].recno));
            continue;
        }
        if (at < 0) {
            at = (int64_t)c->nnodes++;
            c->nodes[at].existing = false;
            c->nodes[at].manager = -1;
        }
        c->nodes[at].row = (int64_t)i;
        r->node = at;
    }
}

/* Resolves each row's manager to a node: file rows first, then the database. */
static void resolve_managers(struct ctx *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].node >= 0)
            name_put(c, &c->file_name, c->rows[i].name, (int64_t)i);
    for (size_t i = 0; i < c->nrows; i++) {
        struct row *r = &c->rows[i];
        const char *mid = c->col_of[C_MANAGER_ID] >= 0 ? r->v[C_MANAGER_ID] : NULL;
        const char *mem = c->col_of[C_MANAGER_EMAIL] >= 0 ? r->v[C_MANAGER_EMAIL] : NULL;
        const char *ref = c->col_of[C_MANAGER_REF] >= 0 ? r->v[C_MANAGER_REF] : NULL;
        int64_t m = -1, fi;

        r->manager = -2;
        if (r->node < 0)
            continue;
        if (!mid && !mem && !ref)
            continue; /* no manager column: keep what the database says */
        r->manager = -1;
        if (!nz(mid) && !nz(mem) && nz(ref)) {
            m = manager_by_ref(c, r, ref);
            if (m == -3)
                continue;
        }
        if (nz(mid)) {
            if (strmap_get(&c->file_eid, mid, &fi))
                m = c->rows[fi].node >= 0 ? c->rows[fi].node : -1;
            else if (!strmap_get(&c->by_eid, mid, &m)) {
                row_error(c, r->recno, "manager_id",
                          arena_printf(c->a, "no person has employee id %s", mid));
                continue;
            }
        } else if (nz(mem)) {
            if (strmap_get(&c->file_email, mem, &fi))
                m = c->rows[fi].node >= 0 ? c->rows[fi].node : -1;
            else if (!strmap_get(&c->by_email, mem, &m)) {
                row_error(c, r->recno, "manager_email",
                          arena_printf(c->a, "no person has the email %s", mem));
                continue;
            }
        }
        r->manager = m;
        c->nodes[r->node].manager = m;
    }
}

/* Refuses reporting cycles through any row of the file. */
static void check_cycles(struct ctx *c)
{
    unsigned char *state = xcalloc(c->nnodes + 1, 1); /* 0 new, 1 on path, 2 done */

    for (size_t i = 0; i < c->nrows; i++) {
        int64_t n = c->rows[i].node;
        int64_t steps = 0;

        if (state[n])
            continue;
        while (n >= 0 && state[n] == 0 && steps++ <= (int64_t)c->nnodes) {
            state[n] = 1;
            n = c->nodes[n].manager;
        }
        if (n >= 0 && state[n] == 1) {
            int64_t at = n;
            struct buf path;

            buf_init(&path, 4096);
            do {
                const struct node *x = &c->nodes[at];
                const char *who = x->row >= 0 ? c->rows[x->row].v[C_EMAIL] : x->p.email;

                buf_addf(&path, "%s → ", who);
                at = x->manager;
            } while (at != n && path.len < 3000);
            buf_add(&path, c->nodes[n].row >= 0 ? c->rows[c->nodes[n].row].v[C_EMAIL]
                                                : c->nodes[n].p.email);
            row_error(c, c->nodes[n].row >= 0 ? c->rows[c->nodes[n].row].recno : c->rows[i].recno,
                      "manager", arena_printf(c->a, "makes a reporting cycle: %s", buf_str(&path)));
            buf_cleanup(&path);
        }
        /* everything walked is now settled */
        for (int64_t k = c->rows[i].node; k >= 0 && state[k] == 1; k = c->nodes[k].manager)
            state[k] = 2;
    }
    free(state);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool same_person(const struct person *x, const struct person *y)
{
    return str_eq(x->employee_id, y->employee_id) && str_eq(x->email, y->email) &&
           str_eq(x->name, y->name) && str_eq(x->title, y->title) && str_eq(x->level, y->level) &&
           str_eq(x->hire_date, y->hire_date) && str_eq(x->status, y->status) &&
           x->department_id == y->department_id && x->manager_id == y->manager_id;
}

/* Column value when the file has it (empty = cleared), else the current one. */
static const char *pick(const struct row *r, enum col k, const char *current)
{
    return r->v[k] ? nz(r->v[k]) : current;
}

static enum err write_row(struct ctx *c, struct row *r, struct strmap *depts, const char *now,
                          const char *today, int64_t actor_id)
{
    struct node *n = &c->nodes[r->node];
    struct person before = n->p, after = n->p;
    const char *dept = pick(r, C_DEPARTMENT, n->existing ? before.department_name : NULL);
    enum err rc;

    after.employee_id = pick(r, C_EMPLOYEE_ID, before.employee_id);
    after.email = r->v[C_EMAIL];
    after.name = r->name;
    char *sort = arena_strdup(c->a, r->name);

    lower(sort);
    after.sort_name = sort;
    after.name_key = r->name_key;
    after.title = pick(r, C_TITLE, before.title);
    after.level = pick(r, C_LEVEL, before.level);
    after.hire_date = pick(r, C_HIRE_DATE, before.hire_date);
    after.status = pick(r, C_STATUS, before.status ? before.status : "active");
    after.department_id = 0;
    after.department_name = dept;
    if (dept) {
        int64_t id;

        if (!strmap_get(depts, dept, &id)) {
            rc = store_departments_ensure(c->db, dept, now, &id);
            if (rc)
                return rc;
            strmap_put(depts, dept, id);
        }
        after.department_id = id;
    }
    if (r->manager == -2)
        after.manager_id = before.manager_id;
    else
        after.manager_id = r->manager >= 0 ? c->nodes[r->manager].p.id : 0;
    if (!n->existing) {
        struct role_change h = {0};

        rc = store_people_insert(c->db, &after, now);
        if (rc)
            return rc;
        if (!c->first_id)
            c->first_id = after.id;
        h.person_id = after.id;
        h.effective_date = after.hire_date ? after.hire_date : today;
        h.kind = "hire";
        h.title = after.title;
        h.level = after.level;
        h.department_id = after.department_id;
        h.manager_id = after.manager_id;
        h.status = after.status;
        h.recorded_at = now;
        h.actor_id = actor_id;
        rc = c->bulk ? ERR_OK : store_people_add_role_change(c->db, &h);
        if (rc == ERR_OK && c->hooks)
            rc = webhooks_person_changed(c->db, NULL, &after);
        c->res->created++;
    } else if (!same_person(&before, &after)) {
        const char *kind = people_change_kind(&before, &after, NULL);

        rc = store_people_update(c->db, &after, now);
        if (rc == ERR_OK && kind) {
            struct role_change h = {0};

            h.person_id = after.id;
            h.effective_date = today;
            h.kind = kind;
            h.title = after.title;
            h.level = after.level;
            h.department_id = after.department_id;
            h.manager_id = after.manager_id;
            h.status = after.status;
            h.reason = "HRIS import";
            h.recorded_at = now;
            h.actor_id = actor_id;
            rc = store_people_add_role_change(c->db, &h);
        }
        if (rc == ERR_OK) {
            json_t *b = people_snapshot(&before), *f = people_snapshot(&after);

            rc = audit_record(c->db, actor_id, "person.import", "person", after.id, b, f);
            json_decref(b);
            json_decref(f);
        }
        if (rc == ERR_OK && c->hooks)
            rc = webhooks_person_changed(c->db, &before, &after);
        c->res->updated++;
    } else {
        rc = ERR_OK;
        c->res->unchanged++;
    }
    n->p = after;
    r->written = true;
    return rc;
}

/* Pushes row i and the rows of its managers above it not yet written, nearest last; returns how
 * many (iteratively: chains can be long). */
static size_t unwritten_chain(struct ctx *c, size_t i, int64_t *stack)
{
    size_t top = 0;
    int64_t at = (int64_t)i;

    while (at >= 0 && !c->rows[at].written) {
        int64_t m = c->rows[at].manager;

        stack[top++] = at;
        at = m >= 0 ? c->nodes[m].row : -1;
    }
    return top;
}

/* Writes row i after its manager's row. */
static enum err write_chain(struct ctx *c, size_t i, struct strmap *depts, const char *now,
                            const char *today, int64_t actor_id, int64_t *stack)
{
    size_t top = unwritten_chain(c, i, stack);
    enum err rc = ERR_OK;

    while (top > 0 && rc == ERR_OK)
        rc = write_row(c, &c->rows[stack[--top]], depts, now, today, actor_id);
    return rc;
}

struct keyed_row {
    const char *sort;
    size_t pos; /* in the order of writing: of the ids the rows will have */
    size_t row;
};

static int keyed_cmp(const void *a, const void *b)
{
    const struct keyed_row *x = a, *y = b;
    int c = strcmp(x->sort, y->sort);

    return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A large import into an empty directory gives each person the name key the store would spread
 * after it (name_keys_spread: 1..2^62 evenly in (sort name, id) order), so that no row is
 * written twice: the ids follow the order in which write_chain writes the rows, which this
 * walks the same way, marking the rows written meanwhile and none at its end. */
static void name_keys_given(struct ctx *c, int64_t *stack)
{
    struct keyed_row *k = xcalloc(c->nrows + 1, sizeof(*k));
    size_t n = 0;
    int64_t step;

    for (size_t i = 0; i < c->nrows; i++)
        for (size_t top = unwritten_chain(c, i, stack); top > 0; n++) {
            size_t r = (size_t)stack[--top];
            char *sort = arena_strdup(c->a, c->rows[r].name);

            lower(sort);
            c->rows[r].written = true;
            k[n] = (struct keyed_row){sort, n, r};
        }
    qsort(k, n, sizeof(*k), keyed_cmp);
    step = INT64_C(4611686018427387904) / (int64_t)(n + 1);
    for (size_t i = 0; i < n; i++) {
        c->rows[k[i].row].name_key = (int64_t)(i + 1) * step;
        c->rows[k[i].row].written = false;
    }
    free(k);
}

static enum err write_all(struct ctx *c, int64_t actor_id)
{
    char now[21], today[11];
    struct strmap depts;
    int64_t *stack = xcalloc(c->nrows + 1, sizeof(*stack));
    const char *trigger = NULL;
    /* a large import (a new organisation, or a quarter of one) indexes search once at the end */
    bool bulk = c->nrows > 1000 && c->nrows > c->nnodes / 4;
    /* alone on the database, it writes the file once: through the WAL, a million people were
     * written twice (to the WAL, then by the checkpoint at the commit) */
    bool direct = bulk && c->opt->alone && db_journal_direct(c->db, true);
    enum err rc = db_begin(c->db);

    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    strmap_init(&depts);

    c->bulk = bulk;
    c->first_id = 0;
    c->hooks = store_webhooks_wanted(c->db, "person.changed");
    if (rc == ERR_OK && bulk)
        rc = db_bulk(c->db, true);
    /* decided inside the transaction: no one can be added meanwhile */
    bool keyed = rc == ERR_OK && bulk && db_kind(c->db) == DB_SQLITE && store_people_none(c->db);

    if (keyed)
        name_keys_given(c, stack);
    if (rc == ERR_OK && bulk)
        rc = store_people_bulk_begin(c->db, c->a, &trigger);
    uint64_t t0 = time_mono_ns();

    for (size_t i = 0; rc == ERR_OK && i < c->nrows; i++)
        rc = write_chain(c, i, &depts, now, today, actor_id, stack);
    if (bulk)
        log_info("import: %zu rows written in %.1f s", c->nrows,
                 (double)(time_mono_ns() - t0) / 1e9);
    t0 = time_mono_ns();
    if (rc == ERR_OK && bulk && c->first_id) {
        rc = store_people_hire_entries(c->db, c->first_id, now, today, actor_id);
        log_info("import: hire entries written in %.1f s", (double)(time_mono_ns() - t0) / 1e9);
    }
    if (rc == ERR_OK)
        rc = store_people_bulk_end(c->db, trigger, keyed);
    if (rc == ERR_OK) {
        json_t *summary = json_pack("{s:i, s:i, s:i}", "created", c->res->created, "updated",
                                    c->res->updated, "unchanged", c->res->unchanged);

        rc = audit_record(c->db, actor_id, "people.import", "import", 0, NULL, summary);
        json_decref(summary);
    }
    t0 = time_mono_ns();
    rc = db_end(c->db, rc);
    if (bulk) {
        log_info("import: committed in %.1f s%s", (double)(time_mono_ns() - t0) / 1e9,
                 direct ? " (to the database file)" : "");
        (void)db_bulk(c->db, false);
    }
    if (direct && !db_journal_direct(c->db, false))
        log_warn("import: the database stays in rollback-journal mode until the server opens it");
    strmap_cleanup(&depts);
    free(stack);
    return rc;
}

enum err import_people(struct db *db, const char *data, size_t len, bool dry_run, int64_t actor_id,
                       struct import_result *res)
{
    struct import_options o = {.dry_run = dry_run};

    return import_people_opts(db, data, len, &o, actor_id, res);
}

enum err import_people_opts(struct db *db, const char *data, size_t len,
                            const struct import_options *opt, int64_t actor_id,
                            struct import_result *res)
{
    struct ctx c;
    struct csv csv;
    bool dry_run = opt->dry_run;
    size_t ulen = 0;
    char *utf8 = encoding_to_utf8(data, len, &ulen, &res->encoding);
    enum err rc;

    if (!res->encoding) {
        row_error(&(struct ctx){.res = res}, 1, "file",
                  "is neither UTF-8, UTF-16 nor Windows-1252");
        return ERR_VALIDATION;
    }
    if (utf8) {
        data = utf8;
        len = ulen;
    }
    res->delimiter = csv_sniff_delimiter(data, len);

    memset(&c, 0, sizeof(c));
    c.db = db;
    c.a = arena_new();
    c.res = res;
    strmap_init(&c.by_eid);
    strmap_init(&c.by_email);
    strmap_init(&c.by_id);
    strmap_init(&c.file_eid);
    strmap_init(&c.file_email);
    strmap_init(&c.by_name);
    strmap_init(&c.file_name);
    c.opt = opt;
    csv_init(&csv, data, len);
    csv_set_delimiter(&csv, res->delimiter);
    rc = read_header(&c, &csv);
    if (rc == ERR_OK) {
        /* report every problem of the file at once: rows, keys, managers, then cycles */
        read_rows(&c, &csv);
        rc = load_people(&c);
    }
    res->rows = (int)c.nrows;
    if (rc == ERR_OK) {
        match_rows(&c);
        resolve_managers(&c);
        if (!res->nerrors)
            check_cycles(&c);
        rc = res->nerrors ? ERR_VALIDATION : ERR_OK;
    }
    if (res->nerrors > MAX_ERRORS)
        buf_addf(&res->errors, "… and %d more problems\n", res->nerrors - MAX_ERRORS);
    if (rc == ERR_OK && !dry_run)
        rc = write_all(&c, actor_id);
    else if (rc == ERR_OK) {
        /* a dry run reports what would happen */
        for (size_t i = 0; i < c.nrows; i++) {
            if (c.nodes[c.rows[i].node].existing)
                res->updated++;
            else
                res->created++;
        }
    }
    csv_cleanup(&csv);
    strmap_cleanup(&c.by_eid);
    strmap_cleanup(&c.by_email);
    strmap_cleanup(&c.by_id);
    strmap_cleanup(&c.file_eid);
    strmap_cleanup(&c.file_email);
    strmap_cleanup(&c.by_name);
    strmap_cleanup(&c.file_name);
    free(c.rows);
    free(utf8);
    free(c.nodes);
    arena_free(c.a);
    return rc;
}
