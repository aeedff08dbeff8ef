/* SPDX-License-Identifier: MIT */
/* trellis export person EMAIL|ID: everything stored about one person, as JSON (data-subject
 * requests), the same document as GET /api/v1/people/{id}/export (domain/export.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/export.h"
#include "store/people.h"
#include "util/arena.h"

int cli_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static const char help[] = "usage: trellis export person [--db URL] EMAIL|ID\n"
                               "  prints everything stored about the person as JSON\n";
    struct cli_common c;
    struct arena *a;
    struct db *db;
    struct person p;
    struct errinfo ei = {0};
    json_t *out = NULL;
    const char *who;
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
    who = argv[optind];
    id = strtoll(who, &end, 10);
    if (strchr(who, '@') == NULL && (*end || id <= 0))
        goto usage;
    db = cli_open(&c, false); /* private notes are their author's alone: never printed here */
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (strchr(who, '@')) {
        if (store_people_by_email(db, a, who, &p) != ERR_OK) {
            fprintf(stderr, "trellis: no person has the email %s\n", who);
            goto out;
        }
        id = p.id;
    }
    if (export_person(db, a, NULL, id, &out, &ei) != ERR_OK) {
        fprintf(stderr, "trellis: %s\n", ei.message[0] ? ei.message : "cannot export the person");
        goto out;
    }
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
