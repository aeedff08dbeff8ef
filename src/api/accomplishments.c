/* SPDX-License-Identifier: MIT */
/* /api/v1/accomplishments: the journal a person brings to a review. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/accomplishments.h"
#include "store/people.h"
#include "util/csv.h"
#include "util/jsonx.h"
#include "util/text.h"
#include "util/timeutil.h"

/* ",a,b," -> ["a","b"] */
static json_t *csv_list(const char *s)
{
    json_t *a = json_array();

    for (const char *p = s; p && *p;) {
        const char *e = strchr(p + 1, ',');

        if (*p == ',' && e && e > p + 1)
            json_array_append_new(a, json_stringn(p + 1, (size_t)(e - p - 1)));
        p = e;
    }
    return a;
}

static json_t *acc_json(const struct accomplishment *x)
{
    json_t *links = json_loads(x->links ? x->links : "[]", 0, NULL), *goals = json_array();

    for (size_t i = 0; i < x->ngoals; i++)
        json_array_append_new(goals, json_integer(x->goal_ids[i]));
    return json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:o, s:o, s:o, s:o, s:b, s:s, s:s}", "id",
                     (json_int_t)x->id, "person_id", (json_int_t)x->person_id, "happened_on",
                     x->happened_on, "title", x->title, "impact", x->impact, "challenges",
                     x->challenges, "links", links ? links : json_array(), "tags",
                     csv_list(x->tags), "skills", csv_list(x->skills), "goal_ids", goals,
                     "shared_with_manager", x->shared, "created_at", x->created_at, "updated_at",
                     x->updated_at);
}

/* A list of short strings -> ",folded,folded," (arena). */
static const char *read_words(struct request *r, json_t *body, const char *key, size_t max,
                              const char *current, struct errinfo *ei)
{
    json_t *arr = json_object_get(body, key), *v;
    size_t i;
    struct buf b;
    const char *out;

    if (!arr)
        return current;
    if (!json_is_array(arr) || json_array_size(arr) > max) {
        err_field(ei, key, "must be an array of at most %zu strings", max);
        return current;
    }
    buf_init(&b, 8192);
    buf_add(&b, ",");
    json_array_foreach(arr, i, v)
    {
        char folded[64];

        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 40 ||
            strchr(json_string_value(v), ',')) {
            err_field(ei, key, "items must be non-empty strings of at most 40 bytes, no commas");
            break;
        }
        text_fold(json_string_value(v), folded, sizeof(folded));
        buf_add(&b, folded);
        buf_add(&b, ",");
    }
    out = arena_strdup(r->arena, b.len > 1 ? buf_str(&b) : "");
    buf_cleanup(&b);
    return out;
}

static void read_body(struct request *r, json_t *body, struct accomplishment *x, struct errinfo *ei)
{
    static const char *const allowed[] = {
        "happened_on", "title",  "impact",   "challenges",          "links",
        "tags",        "skills", "goal_ids", "shared_with_manager", NULL};
    json_t *links = json_object_get(body, "links"), *goals = json_object_get(body, "goal_ids"), *v;
    size_t i;

    jsonx_only(body, allowed, ei);
    jsonx_str(body, "happened_on", &x->happened_on, 10, false, ei);
    jsonx_str(body, "title", &x->title, 200, false, ei);
    jsonx_str(body, "impact", &x->impact, 5000, true, ei);
    jsonx_str(body, "challenges", &x->challenges, 5000, true, ei);
    jsonx_bool(body, "shared_with_manager", &x->shared, ei);
    if (links) {
        bool ok = json_is_array(links) && json_array_size(links) <= 10;

        json_array_foreach(links, i, v) ok = ok && json_is_string(v) &&
                                             json_string_length(v) <= 500 &&
                                             (strncmp(json_string_value(v), "https://", 8) == 0 ||
                                              strncmp(json_string_value(v), "http://", 7) == 0);
        if (!ok)
            err_field(ei, "links", "must be at most 10 http(s) URLs of at most 500 bytes");
        else {
            char *s = jsonx_dump(links);

            x->links = arena_strdup(r->arena, s);
            free(s);
        }
    }
    x->tags = read_words(r, body, "tags", 20, x->tags, ei);
    x->skills = read_words(r, body, "skills", 20, x->skills, ei);
    if (goals) {
        x->ngoals = 0;
        if (!json_is_array(goals) || json_array_size(goals) > ACCOMPLISHMENT_MAX_GOALS)
            err_field(ei, "goal_ids", "must be an array of at most %d goal ids",
                      ACCOMPLISHMENT_MAX_GOALS);
        else
            json_array_foreach(goals, i, v)
            {
                if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                    err_field(ei, "goal_ids", "must hold goal ids");
                    break;
                }
                x->goal_ids[x->ngoals++] = json_integer_value(v);
            }
    }
}

static enum err load(struct request *r, enum action act, struct accomplishment *x,
                     struct errinfo *ei)
{
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc)
        return rc;
    rc = store_accomplishments_get(r->db, r->arena, id, x);
    if (rc == ERR_OK)
        rc = policy_check(r->db, &r->actor, act,
                          &(struct subject){.person_id = x->person_id, .shared = x->shared});
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no such accomplishment");
    return rc ? err_set(ei, rc, "you cannot change this accomplishment") : ERR_OK;
}

enum err api_accomplishments_get(struct request *r, struct errinfo *ei)
{
    struct accomplishment x;
    enum err rc = load(r, ACT_ACCOMPLISHMENT_READ, &x, ei);

    if (rc)
        return rc;
    response_json(r, 200, acc_json(&x));
    return ERR_OK;
}

static enum err respond(struct request *r, int status, int64_t id, struct errinfo *ei)
{
    struct accomplishment x;
    enum err rc = store_accomplishments_get(r->db, r->arena, id, &x);

    if (rc)
        return err_set(ei, rc, "cannot read the accomplishment");
    response_json(r, status, acc_json(&x));
    return ERR_OK;
}

static enum err save(struct request *r, struct accomplishment *x, int status, struct errinfo *ei)
{
    enum err rc;

    accomplishments_validate(x, ei);
    rc = accomplishments_check_goals(r->db, r->arena, &r->actor, x, ei);
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc == ERR_OK)
        rc = accomplishments_save(r->db, &r->actor, x, ei);
    return rc ? rc : respond(r, status, x->id, ei);
}

enum err api_accomplishments_create(struct request *r, struct errinfo *ei)
{
    struct accomplishment x;
    json_t *body;
    enum err rc = api_body(r, &body, ei);

    if (rc)
        return rc;
    memset(&x, 0, sizeof(x));
    x.person_id = r->actor.person_id; /* one writes only one's own journal */
    x.links = "[]";
    x.tags = "";
    x.skills = "";
    read_body(r, body, &x, ei);
    rc = err_fields_result(ei);
    return rc ? rc : save(r, &x, 201, ei);
}

struct acc_patch {
    struct request *r;
    json_t *body;
};

static void merge_acc(void *ctx, struct accomplishment *x, struct errinfo *ei)
{
    struct acc_patch *p = ctx;

    read_body(p->r, p->body, x, ei);
}

enum err api_accomplishments_patch(struct request *r, struct errinfo *ei)
{
    struct acc_patch p = {.r = r};
    struct accomplishment x;
    int64_t id;
    enum err rc = api_path_id(r, 0, &id, ei);

    if (rc == ERR_OK)
        rc = api_body(r, &p.body, ei);
    if (rc == ERR_OK)
        rc = accomplishments_edit(r->db, r->arena, &r->actor, id, merge_acc, &p, &x, ei);
    return rc ? rc : respond(r, 200, id, ei);
}

enum err api_accomplishments_delete(struct request *r, struct errinfo *ei)
{
    struct accomplishment x;
    enum err rc = load(r, ACT_ACCOMPLISHMENT_WRITE, &x, ei);

    if (rc)
        return rc;
    rc = accomplishments_delete(r->db, &r->actor, &x, ei);
    if (rc)
        return rc;
    response_empty(r, 204);
    return ERR_OK;
}

/* Reads the list filters; person defaults to the caller, whose managers see shared entries. */
static enum err query(struct request *r, struct accomplishment_query *q, struct errinfo *ei)
{
    const char *s;
    enum err rc;
    struct relation rel;

    memset(q, 0, sizeof(*q));
    if (api_query_id(r, "person", &q->person_id, ei))
        return ERR_VALIDATION;
    if (!q->person_id)
        q->person_id = r->actor.person_id;
    q->from = request_query(r, "from");
    q->to = request_query(r, "to");
    if (q->from && *q->from && !time_valid_date(q->from))
        err_field(ei, "from", "must be a date written YYYY-MM-DD");
    if (q->to && *q->to && !time_valid_date(q->to))
        err_field(ei, "to", "must be a date written YYYY-MM-DD");
    s = request_query(r, "tag");
    if (s && *s) {
        char folded[64];

        if (strlen(s) > 40 || strchr(s, ','))
            err_field(ei, "tag", "must be one tag");
        text_fold(s, folded, sizeof(folded));
        q->tag = arena_printf(r->arena, ",%s,", folded);
    }
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    rel = policy_relation(r->db, &r->actor, q->person_id);
    if (!rel.self) {
        /* others see only what was shared with them as managers; anyone else sees nothing */
        if (!rel.manager)
            return err_set(ei, ERR_NOT_FOUND, "no such journal");
        q->shared_only = true;
    }
    return ERR_OK;
}

enum err api_accomplishments_list(struct request *r, struct errinfo *ei)
{
    struct accomplishment_query q;
    struct accomplishment *v;
    size_t n;
    int limit;
    json_t *items;
    const char *cursor = request_query(r, "cursor");
    enum err rc = api_limit(r, &limit, ei);

    if (rc == ERR_OK)
        rc = query(r, &q, ei);
    if (rc)
        return rc;
    if (cursor && *cursor) {
        /* cursor = "YYYY-MM-DD.id" of the last row */
        char *dot = strchr(cursor, '.');
        char *end;
        long long id = dot ? strtoll(dot + 1, &end, 10) : 0;

        if (!dot || dot - cursor != 10 || id <= 0 || *end)
            return err_set(ei, ERR_VALIDATION, "cursor is not a cursor this server gave out");
        q.before_date = arena_strndup(r->arena, cursor, 10);
        q.before_id = id;
    }
    q.limit = limit + 1;
    rc = store_accomplishments_list(r->db, r->arena, &q, &v, &n);
    if (rc)
        return err_set(ei, rc, "cannot read the journal");
    items = json_array();
    for (size_t i = 0; i < n && i < (size_t)limit; i++)
        json_array_append_new(items, acc_json(&v[i]));
    response_json(r, 200,
                  json_pack("{s:o, s:o}", "items", items, "next_cursor",
                            n > (size_t)limit ? json_sprintf("%s.%lld", v[limit - 1].happened_on,
                                                             (long long)v[limit - 1].id)
                                              : json_null()));
    return ERR_OK;
}

enum err api_accomplishments_export(struct request *r, struct errinfo *ei)
{
    struct accomplishment_query q;
    struct accomplishment *v;
    struct person p;
    size_t n;
    struct buf b;
    const char *format = request_query(r, "format");
    const char *bom = request_query(r, "bom");
    bool csv = format && strcmp(format, "csv") == 0;
    enum err rc;

    if (format && strcmp(format, "csv") != 0 && strcmp(format, "markdown") != 0) {
        err_field(ei, "format", "must be markdown or csv");
        return err_fields_result(ei);
    }
    if (bom && strcmp(bom, "true") != 0 && strcmp(bom, "false") != 0) {
        err_field(ei, "bom", "must be true or false");
        return err_fields_result(ei);
    }
    rc = query(r, &q, ei);
    if (rc)
        return rc;
    q.limit = 5000;
    rc = store_accomplishments_list(r->db, r->arena, &q, &v, &n);
    if (rc == ERR_OK)
        rc = store_people_get(r->db, r->arena, q.person_id, &p);
    if (rc)
        return err_set(ei, rc, "cannot read the journal");
    buf_init(&b, 32u << 20);
    if (csv) {
        csv_write_bom(&b, bom && strcmp(bom, "true") == 0);
        buf_add(&b, "date,title,impact,challenges,tags,skills,links,shared_with_manager\r\n");
        for (size_t i = 0; i < n; i++) {
            csv_write_field(&b, v[i].happened_on);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].title);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].impact);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].challenges);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].tags);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].skills);
            buf_add(&b, ",");
            csv_write_field(&b, v[i].links);
            buf_addf(&b, ",%s\r\n", v[i].shared ? "yes" : "no");
        }
    } else {
        buf_addf(&b, "# Accomplishments — %s\n\n", p.name);
        for (size_t i = 0; i < n; i++) {
            buf_addf(&b, "## %s — %s\n\n", v[i].happened_on, v[i].title);
            if (v[i].impact)
                buf_addf(&b, "**Impact:** %s\n\n", v[i].impact);
            if (v[i].challenges)
                buf_addf(&b, "**Challenges overcome:** %s\n\n", v[i].challenges);
            if (v[i].tags && strlen(v[i].tags) > 2) {
                /* ",a,b," -> "a, b" */
                buf_add(&b, "**Tags:** ");
                for (const char *t = v[i].tags + 1; *t; t++)
                    buf_add(&b, *t == ',' ? (t[1] ? ", " : "") : (char[]){*t, 0});
                buf_add(&b, "\n\n");
            }
        }
    }
    response_bytes(r, 200, csv ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8",
                   buf_str(&b), b.len);
    request_add_header(r, "Content-Disposition",
                       csv ? "attachment; filename=\"accomplishments.csv\""
                           : "attachment; filename=\"accomplishments.md\"");
    buf_cleanup(&b);
    return ERR_OK;
}
