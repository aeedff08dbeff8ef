/* SPDX-License-Identifier: MIT */
/* /api/v1/people: directory search, a person's page, HR edits. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/people.h"
#include "store/people.h"
#include "util/jsonw.h"
#include "util/jsonx.h"
#include "util/text.h"

json_t *api_person_summary(const struct person *p)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "employee_id", jsonx_str_or_null(p->employee_id));
    json_object_set_new(o, "name", jsonx_str_or_null(p->name));
    json_object_set_new(o, "email", jsonx_str_or_null(p->email));
    json_object_set_new(o, "title", jsonx_str_or_null(p->title));
    json_object_set_new(o, "department",
                        p->department_id
                            ? json_pack("{s:I, s:s?}", "id", (json_int_t)p->department_id, "name",
                                        p->department_name)
                            : json_null());
    json_object_set_new(o, "manager_id", p->manager_id ? json_integer(p->manager_id) : json_null());
    json_object_set_new(o, "status", jsonx_str_or_null(p->status));
    json_object_set_new(o, "reports_count", json_integer(p->reports_count));
    return o;
}

void api_person_summary_write(struct jsonw *w, const struct person *p)
{
    jsonw_obj(w);
    jsonw_kint(w, "id", p->id);
    jsonw_kstr(w, "employee_id", p->employee_id);
    jsonw_kstr(w, "name", p->name);
    jsonw_kstr(w, "email", p->email);
    jsonw_kstr(w, "title", p->title);
    jsonw_key(w, "department");
    if (p->department_id) {
        jsonw_obj(w);
        jsonw_kint(w, "id", p->department_id);
        jsonw_kstr(w, "name", p->department_name);
        jsonw_obj_end(w);
    } else {
        jsonw_null(w);
    }
    jsonw_kid(w, "manager_id", p->manager_id);
    jsonw_kstr(w, "status", p->status);
    jsonw_kint(w, "reports_count", p->reports_count);
    jsonw_obj_end(w);
}

static void summaries_write(struct jsonw *w, const struct person *v, size_t n)
{
    jsonw_arr(w);
    for (size_t i = 0; i < n; i++)
        api_person_summary_write(w, &v[i]);
    jsonw_arr_end(w);
}

/* {"id","name"} of a reference, or null. */
static void role_change_write(struct jsonw *w, const struct role_change *c)
{
    jsonw_obj(w);
    jsonw_kint(w, "id", c->id);
    jsonw_kstr(w, "effective_date", c->effective_date);
    jsonw_kstr(w, "kind", c->kind);
    jsonw_kstr(w, "title", c->title);
    jsonw_kstr(w, "level", c->level);
    jsonw_kstr(w, "status", c->status);
    api_ref_write(w, "department", c->department_id, c->department_name);
    api_ref_write(w, "manager", c->manager_id, c->manager_name);
    jsonw_kstr(w, "reason", c->reason);
    jsonw_kstr(w, "recorded_at", c->recorded_at);
    jsonw_obj_end(w);
}

enum err api_person_detail_write(struct request *r, int64_t id, struct jsonw *w, struct person *p)
{
    struct person *chain, *reports = NULL;
    struct role_change *h = NULL;
    size_t nchain, nreports = 0, nh = 0;
    struct people_query q = {
        .scope = PEOPLE_MANAGER, .scope_id = id, .status = "active", .limit = 500};
    struct relation rel = {false, false};
    bool private_ok;
    enum err rc = store_people_get_with_chain(r->db, r->arena, id, p, &chain, &nchain);

    /* the kept count of active reports, read with the row: most people have none to look up */
    if (rc == ERR_OK && p->reports_count > 0)
        rc = store_people_search(r->db, r->arena, &q, &reports, &nreports);
    if (rc)
        return rc;
    /* the chain we already hold answers "is the actor a manager of this person" */
    rel.self = r->actor.person_id == id;
    for (size_t i = 0; i < nchain; i++)
        if (chain[i].id == r->actor.person_id)
            rel.manager = true;
    private_ok = policy_decide(&r->actor, ACT_PERSON_READ_PRIVATE, &rel) == ERR_OK;
    if (private_ok) {
        rc = store_people_role_history(r->db, r->arena, id, &h, &nh);
        if (rc)
            return rc;
    }
    api_person_summary_write(w, p);
    /* reopen the summary object to append the detail members */
    w->b->len--;
    w->depth++;
    w->first[w->depth] = false;
    jsonw_key(w, "manager");
    if (nchain)
        api_person_summary_write(w, &chain[0]);
    else
        jsonw_null(w);
    jsonw_key(w, "manager_chain");
    summaries_write(w, chain, nchain);
    jsonw_key(w, "reports");
    summaries_write(w, reports, nreports);
    if (private_ok) {
        jsonw_kstr(w, "level", p->level);
        jsonw_kstr(w, "hire_date", p->hire_date);
        jsonw_key(w, "role_history");
        jsonw_arr(w);
        for (size_t i = 0; i < nh; i++)
            role_change_write(w, &h[i]);
        jsonw_arr_end(w);
    }
    jsonw_obj_end(w);
    return ERR_OK;
}

enum err api_people_get(struct request *r, struct errinfo *ei)
{
    int64_t id;
    struct person p;
    struct buf b;
    struct jsonw w;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = policy_check(r->db, &r->actor, ACT_DIRECTORY_READ, NULL);
    if (rc)
        return err_set(ei, rc, "not allowed");
    buf_init(&b, 16u << 20);
    jsonw_init(&w, &b);
    rc = api_person_detail_write(r, id, &w, &p);
    if (rc) {
        buf_cleanup(&b);
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such person" : "cannot read the person");
    }
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

/* Cursor = base64url("<id>:<sort_name>") of the last row of the previous page. */
static char *cursor_encode(struct arena *a, const struct person *p)
{
    char *raw = arena_printf(a, "%lld:%s", (long long)p->id, p->sort_name ? p->sort_name : "");
    size_t n = strlen(raw);
    size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, len);

    sodium_bin2base64(out, len, (const unsigned char *)raw, n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static bool cursor_decode(struct arena *a, const char *c, int64_t *id, const char **name)
{
    size_t n = strlen(c), bin_len;
    unsigned char *bin;
    char *end;
    long long v;

    if (n == 0 || n > 1400)
        return false;
    bin = arena_alloc(a, n + 1);
    if (sodium_base642bin(bin, n, c, n, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    bin[bin_len] = '\0';
    if (memchr(bin, '\0', bin_len))
        return false;
    v = strtoll((char *)bin, &end, 10);
    if (v <= 0 || *end != ':')
        return false;
    *id = v;
    *name = end + 1;
    return true;
}

/* Folds q as the stored search text is folded, and escapes LIKE's metacharacters so they
 * match literally. */
static char *like_pattern(struct arena *a, const char *q)
{
    size_t n = 3 * strlen(q) + 4; /* folding may lengthen the text */
    char *folded = arena_alloc(a, n);
    char *out = arena_alloc(a, 2 * n + 3), *o = out;

    text_fold(q, folded, n);
    *o++ = '%';
    for (const char *c = folded; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            *o++ = '\\';
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

/* Writes the folded query of a LIKE pattern (% at each end) as an FTS5 phrase at o: "..." with
 * quotes doubled and LIKE's escapes removed, lead (if not NUL) first. Returns the end of what it
 * wrote (NUL-terminated) and the query's characters in *chars. */
static char *phrase(char *o, char lead, const char *pattern, size_t *chars)
{
    size_t n = strlen(pattern);

    *chars = 0;
    *o++ = '"';
    if (lead)
        *o++ = lead;
    for (size_t i = 1; i + 1 < n; i++) { /* without the pattern's % at each end */
        char c = pattern[i];

        if (c == '\\' && i + 2 < n)
            c = pattern[++i]; /* LIKE's escape: the character itself */
        if (c == '"')
            *o++ = '"';
        *o++ = c;
        *chars += ((unsigned char)c & 0xC0) != 0x80;
    }
    *o++ = '"';
    *o = '\0';
    return o;
}

/* The query as an FTS5 phrase, or NULL when it has fewer than three characters, which a
 * trigram index cannot look up. */
static const char *fts_phrase(struct arena *a, const char *pattern)
{
    char *out = arena_alloc(a, 2 * strlen(pattern) + 3);
    size_t chars;

    phrase(out, '\0', pattern, &chars);
    return chars >= 3 ? out : NULL;
}

/* A query of two characters cannot use the trigram index as a substring, and one that few names
 * contain would walk the whole directory. It matches the start of a word instead (what a person
 * typing the first letters of a name means): after a space or at the start of a field, which the
 * stored text marks with the separator. Both forms are three characters, so the trigram index
 * (and pg_trgm) looks them up. */
static void word_start(struct arena *a, struct people_query *q)
{
    size_t n = strlen(q->pattern), chars;
    char *match = arena_alloc(a, 4 * n + 16), *o;

    o = phrase(match, '\x1f', q->pattern, &chars);
    if (chars != 2)
        return;
    o += sprintf(o, " OR ");
    phrase(o, ' ', q->pattern, &chars);
    q->match = match;
    q->words[0] = arena_printf(a, "%%\x1f%s", q->pattern + 1);
    q->words[1] = arena_printf(a, "%% %s", q->pattern + 1);
}

enum err api_people_list(struct request *r, struct errinfo *ei)
{
    struct people_query q = {.scope = PEOPLE_ALL, .pattern = "%", .status = "active", .limit = 50};
    const char *s, *mgr = request_query(r, "manager");
    struct person *items;
    size_t n;
    int limit;
    struct buf b;
    struct jsonw w;
    enum err rc = policy_check(r->db, &r->actor, ACT_DIRECTORY_READ, NULL);

    if (rc)
        return err_set(ei, rc, "not allowed");
    rc = api_limit(r, &limit, ei);
    if (rc)
        return rc;
    s = request_query(r, "q");
    if (s && strlen(s) > 200)
        err_field(ei, "q", "must be at most 200 bytes");
    else if (s && *s) {
        q.pattern = like_pattern(r->arena, s);
        q.match = fts_phrase(r->arena, q.pattern);
        if (!q.match)
            word_start(r->arena, &q);
    }
    s = request_query(r, "status");
    if (s && *s) {
        if (strcmp(s, "all") != 0 && strcmp(s, "active") != 0 && strcmp(s, "inactive") != 0 &&
            strcmp(s, "terminated") != 0)
            err_field(ei, "status", "must be active, inactive, terminated or all");
        q.status = s;
    }
    if (api_query_id(r, "department", &q.scope_id, ei) == ERR_OK && q.scope_id)
        q.scope = PEOPLE_DEPARTMENT;
    if (mgr && strcmp(mgr, "none") == 0) {
        if (q.scope != PEOPLE_ALL)
            err_field(ei, "manager", "cannot be combined with department");
        q.scope = PEOPLE_NO_MANAGER;
    } else if (mgr && *mgr) {
        int64_t id = 0;

        if (api_query_id(r, "manager", &id, ei) == ERR_OK) {
            if (q.scope != PEOPLE_ALL)
                err_field(ei, "manager", "cannot be combined with department");
            q.scope = PEOPLE_MANAGER;
            q.scope_id = id;
        }
    }
    s = request_query(r, "cursor");
    if (s && *s && !cursor_decode(r->arena, s, &q.after_id, &q.after_name))
        err_field(ei, "cursor", "is not a cursor this server gave out");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    q.limit = limit + 1;
    rc = store_people_search(r->db, r->arena, &q, &items, &n);
    if (rc)
        return err_set(ei, rc, "cannot search people");
    buf_init(&b, 16u << 20);
    jsonw_init(&w, &b);
    jsonw_obj(&w);
    jsonw_key(&w, "items");
    summaries_write(&w, items, n > (size_t)limit ? (size_t)limit : n);
    jsonw_kstr(&w, "next_cursor",
               n > (size_t)limit ? cursor_encode(r->arena, &items[limit - 1]) : NULL);
    jsonw_obj_end(&w);
    response_json_buf(r, 200, &b);
    return ERR_OK;
}

/* Reads the PATCH body into patch, collecting type and format problems. */
static void read_patch(json_t *body, struct person_patch *p, struct errinfo *ei)
{
    static const char *const allowed[] = {"name",       "email",          "title",  "department_id",
                                          "manager_id", "level",          "status", "hire_date",
                                          "reason",     "effective_date", NULL};
    enum jsonx_got g;

    memset(p, 0, sizeof(*p));
    jsonx_only(body, allowed, ei);
    p->has_name = jsonx_str(body, "name", &p->name, 200, false, ei) == JSONX_SET;
    if (p->has_name)
        people_check_name(p->name, "name", ei);
    p->has_email = jsonx_str(body, "email", &p->email, 254, false, ei) == JSONX_SET;
    if (p->has_email)
        people_check_email(p->email, "email", ei);
    g = jsonx_str(body, "title", &p->title, 200, true, ei);
    p->has_title = g == JSONX_SET || g == JSONX_NULL;
    people_check_text(p->title, 200, "title", ei);
    g = jsonx_str(body, "level", &p->level, 50, true, ei);
    p->has_level = g == JSONX_SET || g == JSONX_NULL;
    people_check_text(p->level, 50, "level", ei);
    p->has_status = jsonx_str(body, "status", &p->status, 20, false, ei) == JSONX_SET;
    if (p->has_status)
        people_check_status(p->status, "status", ei);
    g = jsonx_str(body, "hire_date", &p->hire_date, 10, true, ei);
    p->has_hire_date = g == JSONX_SET || g == JSONX_NULL;
    people_check_date(p->hire_date, "hire_date", ei);
    g = jsonx_int(body, "department_id", &p->department_id, true, ei);
    p->has_department = g == JSONX_SET || g == JSONX_NULL;
    if (g == JSONX_SET && p->department_id <= 0)
        err_field(ei, "department_id", "must be a positive id");
    g = jsonx_int(body, "manager_id", &p->manager_id, true, ei);
    p->has_manager = g == JSONX_SET || g == JSONX_NULL;
    if (g == JSONX_SET && p->manager_id <= 0)
        err_field(ei, "manager_id", "must be a positive id");
    jsonx_str(body, "reason", &p->reason, 500, true, ei);
    people_check_text(p->reason, 500, "reason", ei);
    jsonx_str(body, "effective_date", &p->effective_date, 10, true, ei);
    people_check_date(p->effective_date, "effective_date", ei);
}

struct detail_reply {
    struct request *r;
    struct jsonw w;
    struct person p;
};

static enum err detail_reply(void *ctx, int64_t id)
{
    struct detail_reply *d = ctx;

    return api_person_detail_write(d->r, id, &d->w, &d->p);
}

/* The person is checked (404, then 403) and the body read (422) before the write, which reads,
 * locks and checks them again in its transaction with the answer read inside it: a concurrent
 * edit waits and then merges into this one's result. */
enum err api_people_patch(struct request *r, struct errinfo *ei)
{
    struct person_patch patch;
    struct detail_reply d = {.r = r};
    int64_t id;
    struct buf b;
    json_t *body;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK && (rc = store_people_get(r->db, r->arena, id, &d.p)) != ERR_OK)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such person" : "cannot read the person");
    if (rc == ERR_OK && (rc = policy_check(r->db, &r->actor, ACT_PERSON_UPDATE,
                                           &(struct subject){.person_id = id})) != ERR_OK)
        return err_set(ei, rc, "only HR can change people's records");
    if (rc == ERR_OK)
        rc = api_body(r, &body, ei);
    if (rc)
        return rc;
    read_patch(body, &patch, ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    buf_init(&b, 16u << 20);
    jsonw_init(&d.w, &b);
    rc = people_edit(r->db, r->arena, &r->actor, id, &patch, detail_reply, &d, ei);
    if (rc) {
        buf_cleanup(&b);
        return rc;
    }
    response_json_buf(r, 200, &b);
    return ERR_OK;
}
