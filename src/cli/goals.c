/* SPDX-License-Identifier: MIT */
/* trellis goals recompute: recompute every goal's stored progress and roll-up (after a bulk
 * load written straight to the database, such as a migration from another tool). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/goals.h"
#include "util/arena.h"

int cli_goals(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static const char help[] = "usage: trellis goals recompute [--db URL]\n"
                               "  recomputes every goal's stored progress and roll-up\n";
    struct cli_common c;
    struct arena *a;
    struct db *db;
    enum err rc;
    int o;

    cli_common_init(&c);
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "recompute") != 0)
        goto usage;
    optind = 2;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd') {
            c.db = optarg;
        } else if (o == 'k') {
            c.key_file = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else {
            goto usage;
        }
    }
    if (optind != argc)
        goto usage;
    db = cli_open(&c, false);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    rc = goals_recompute_all(db, a);
    arena_free(a);
    if (rc)
        fprintf(stderr, "trellis: recompute failed: %s\n", db_errmsg(db));
    else
        printf("goals recomputed\n");
    db_close(db);
    return rc ? EXIT_FAIL : EXIT_OK;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
