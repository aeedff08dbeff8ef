/* SPDX-License-Identifier: MIT */
/* trellis export person ID: everything stored about one person, as JSON (data-subject
 * requests). Later areas add their sections here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/people.h"
#include "store/careers.h"
#include "store/oneonones.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/people.h"
#include "util/arena.h"
#include "util/jsonx.h"

static json_t *audit_rows(struct db *db, struct arena *a, const struct audit_query *q)
{
    struct audit_row *v;
    size_t n;
    json_t *arr = json_array();

    if (store_audit_list(db, a, q, &v, &n) != ERR_OK)
        return arr;
    for (size_t i = 0; i < n; i++) {
        json_t *b = v[i].before_json ? json_loads(v[i].before_json, 0, NULL) : NULL;
        json_t *f = v[i].after_json ? json_loads(v[i].after_json, 0, NULL) : NULL;

        json_array_append_new(arr, json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o}", "id",
                                             (json_int_t)v[i].id, "at", v[i].at, "actor_id",
                                             (json_int_t)v[i].actor_id, "action", v[i].action,
                                             "entity", v[i].entity, "before", b ? b : json_null(),
                                             "after", f ? f : json_null()));
    }
    return arr;
}

/* What the later areas store about the person: ratings, the development plan, learning,
 * mentorships, released review outcomes (peer feedback stays aggregated), one-on-ones with
 * their shared notes and action items (private notes are their author's alone and never
 * exported), and notifications. */
static void add_career_and_meetings(struct db *db, struct arena *a, int64_t id, json_t *out)
{
    json_t *v = NULL, *idp = NULL, *meetings = json_array();
    struct series *s;
    struct notification *nv;
    size_t n, nn;

    json_object_set_new(out, "ratings",
                        store_ratings_history(db, id, &v) == ERR_OK ? v : json_array());
    if (store_idp_get(db, id, &idp) == ERR_OK) {
        int64_t pid = json_integer_value(json_object_get(idp, "id"));

        if (store_idp_actions(db, pid, &v) == ERR_OK)
            json_object_set_new(idp, "actions", v);
        if (store_idp_milestones(db, pid, &v) == ERR_OK)
            json_object_set_new(idp, "milestones", v);
        if (store_idp_comments(db, pid, &v) == ERR_OK)
            json_object_set_new(idp, "comments", v);
    }
    json_object_set_new(out, "development_plan", idp ? idp : json_null());
    json_object_set_new(out, "learning",
                        store_learning_of(db, id, &v) == ERR_OK ? v : json_array());
    json_object_set_new(out, "mentorships",
                        store_mentorships_of(db, id, &v) == ERR_OK ? v : json_array());
    json_object_set_new(out, "review_outcomes",
                        store_released_outcomes(db, id, &v) == ERR_OK ? v : json_array());
    if (store_series_for(db, a, id, &s, &n) == ERR_OK)
        for (size_t i = 0; i < n; i++) {
            struct meeting *m;
            size_t nm;

            if (store_meetings_of(db, a, s[i].id, &m, &nm) != ERR_OK)
                continue;
            for (size_t k = 0; k < nm; k++)
                json_array_append_new(
                    meetings, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "with",
                                        s[i].lead_id == id ? s[i].member_name : s[i].lead_name,
                                        "starts_at", m[k].starts_at, "status", m[k].status,
                                        "shared_notes", m[k].shared_notes ? m[k].shared_notes : "",
                                        "skip_reason", m[k].skip_reason));
        }
    json_object_set_new(out, "one_on_ones", meetings);
    v = json_array();
    if (store_notifications_of(db, a, id, 1000, &nv, &nn) == ERR_OK)
        for (size_t i = 0; i < nn; i++)
            json_array_append_new(v, json_pack("{s:s, s:s, s:s}", "kind", nv[i].kind, "body",
                                               nv[i].body, "created_at", nv[i].created_at));
    json_object_set_new(out, "notifications", v);
}

int cli_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static const char help[] = "usage: trellis export person [--db URL] ID\n"
                               "  prints everything stored about the person as JSON\n";
    struct cli_common c;
    struct arena *a;
    struct db *db;
    struct person p;
    struct account acc;
    struct role_change *h;
    size_t nh;
    json_t *out, *hist;
    char *end;
    long long id;
    int o, rc = EXIT_FAIL;

    cli_common_init(&c);
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "person") != 0)
        goto usage;
    optind = 2;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd')
            c.db = optarg;
        else if (o == 'k')
            c.key_file = optarg;
        else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else
            goto usage;
    }
    if (optind + 1 != argc)
        goto usage;
    id = strtoll(argv[optind], &end, 10);
    if (*end || id <= 0)
        goto usage;
    db = cli_open(&c, false);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (store_people_get(db, a, id, &p) != ERR_OK) {
        fprintf(stderr, "trellis: no person has id %lld\n", id);
        goto out;
    }
    out = json_object();
    json_object_set_new(out, "exported_for", json_integer(id));
    json_object_set_new(out, "person", people_snapshot(&p));
    json_object_set_new(json_object_get(out, "person"), "id", json_integer(id));
    json_object_set_new(
        out, "account",
        store_accounts_get(db, a, id, &acc) == ERR_OK
            ? json_pack("{s:s, s:b}", "role", acc.role, "has_password", acc.password_hash != NULL)
            : json_null());
    hist = json_array();
    if (store_people_role_history(db, a, id, &h, &nh) == ERR_OK)
        for (size_t i = 0; i < nh; i++)
            json_array_append_new(hist,
                                  json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I, s:s?, s:s}",
                                            "effective_date", h[i].effective_date, "kind",
                                            h[i].kind, "title", h[i].title, "level", h[i].level,
                                            "department_id", (json_int_t)h[i].department_id,
                                            "manager_id", (json_int_t)h[i].manager_id, "reason",
                                            h[i].reason, "recorded_at", h[i].recorded_at));
    json_object_set_new(out, "role_history", hist);
    add_career_and_meetings(db, a, id, out);
    json_object_set_new(out, "audit_about",
                        audit_rows(db, a, &(struct audit_query){"person", id, 0, 0, 10000}));
    json_object_set_new(out, "audit_by",
                        audit_rows(db, a, &(struct audit_query){NULL, 0, id, 0, 10000}));
    json_dumpf(out, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(out);
    rc = EXIT_OK;
out:
    arena_free(a);
    db_close(db);
    return rc;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
