/* SPDX-License-Identifier: MIT */
/* trellis migrate: bring the database to the current schema. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

int cli_migrate(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static const char help[] = "usage: trellis migrate [--db URL]\n";
    struct cli_common c;
    struct db *db;
    int o;

    cli_common_init(&c);
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd') {
            c.db = optarg;
        } else if (o == 'k') {
            c.key_file = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else {
            fputs(help, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    db = cli_open(&c, false);
    if (!db)
        return EXIT_FAIL;
    printf("schema version %d\n", db_schema_version(db));
    db_close(db);
    return EXIT_OK;
}
