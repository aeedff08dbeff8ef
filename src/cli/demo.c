/* SPDX-License-Identifier: MIT */
/* trellis demo: fill an empty database with the demo organisation and print the logins. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "domain/demo.h"

int cli_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static const char help[] = "usage: trellis demo [--db URL] [--key-file PATH]\n"
                               "  fills an empty database with a demo organisation\n";
    struct cli_common c;
    struct errinfo ei = {0};
    struct db *db;
    int o;
    enum err rc;

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
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    rc = demo_build(db, &ei);
    db_close(db);
    if (rc) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        return EXIT_FAIL;
    }
    printf("demo organisation created. Sign in with password '%s' as:\n"
           "  helena.marsh@%s   admin (CEO)\n"
           "  priya.raman@%s    hr (VP of People)\n"
           "  marcus.webb@%s    manager (Engineering Manager)\n"
           "  sofia.alvarez@%s  employee (Software Engineer)\n",
           DEMO_PASSWORD, DEMO_DOMAIN, DEMO_DOMAIN, DEMO_DOMAIN, DEMO_DOMAIN);
    return EXIT_OK;
}
