/* SPDX-License-Identifier: MIT */
/* trellis sso password-on: turns password sign-in back on for every role, for the operator of a
 * server whose identity provider is down while password sign-in is off (docs/operations-sso.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/sso.h"
#include "util/arena.h"

static const char help[] =
    "usage: trellis sso password-on --db URL\n"
    "  password-on  let every role sign in with a password again (when single sign-on was\n"
    "               made the only way in and the identity provider cannot be reached); the\n"
    "               change is audited. Admins can turn it off again in Admin > Single sign-on.\n"
    "  --key-file PATH  the server key (default: beside a SQLite database)\n";

int cli_sso(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct cli_common c;
    struct arena *a;
    struct db *db;
    int o, rc = EXIT_FAIL;

    cli_common_init(&c);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(help, stdout);
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "password-on") != 0)
        goto usage;
    optind = 2;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            c.db = optarg;
            break;
        case 'k':
            c.key_file = optarg;
            break;
        case 'h':
            fputs(help, stdout);
            return EXIT_OK;
        default:
            goto usage;
        }
    }
    if (optind != argc)
        goto usage;
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (sso_password_on(db, a) != ERR_OK) {
        fprintf(stderr, "trellis: cannot change the setting: %s\n", db_errmsg(db));
    } else {
        printf("password sign-in is on for every role\n");
        rc = EXIT_OK;
    }
    arena_free(a);
    db_close(db);
    return rc;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
