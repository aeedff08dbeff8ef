/* SPDX-License-Identifier: MIT */
/* trellis: one binary, git-style subcommands (docs/api.md "Command line"). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#ifndef TRELLIS_VERSION
#define TRELLIS_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv);

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", cli_serve, "run the HTTP server (API, web UI, background jobs)"},
    {"migrate", cli_migrate, "bring a database to the current schema"},
    {"user", cli_user, "add accounts, set roles and passwords, issue API tokens"},
    {"scim", cli_scim, "create, list and revoke the SCIM tokens of identity providers"},
    {"sso", cli_sso, "turn password sign-in back on when the identity provider is down"},
    {"import", cli_import, "import people from an HRIS CSV export"},
    {"demo", cli_demo, "fill an empty database with a demo organisation"},
    {"backup", cli_backup, "write a consistent copy of a SQLite database"},
    {"restore", cli_restore, "replace a SQLite database with a backup"},
    {"export", cli_export, "export everything stored about one person as JSON"},
    {"goals", cli_goals, "maintenance: recompute stored goal progress and roll-ups"},
    {"explain", cli_explain, "maintenance: print the query plans of a plan log (TRELLIS_PLAN_LOG)"},
    {"remind", cli_remind, "one pass of reminders and email delivery (serve runs it too)"},
    {"version", cmd_version, "print the version"},
};

static int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: trellis version\n");
        return EXIT_OK;
    }
    printf("trellis %s\n", TRELLIS_VERSION);
    return EXIT_OK;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: trellis [--config PATH] COMMAND [OPTIONS]   (trellis COMMAND --help for "
               "details)\n\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f,
            "\nSettings come from flags, TRELLIS_<NAME> variables and the config file: --config "
            "PATH,\nelse TRELLIS_CONFIG, else ./trellis.conf, else /etc/trellis/trellis.conf "
            "(lines of\nname = value). A secret may live in a file of its own: smtp_password_file, "
            "metrics_token_file.\n");
}

int main(int argc, char **argv)
{
    /* everything Trellis creates (the database and its -wal/-shm, the key file, backups)
     * holds people's data or secrets: readable by the owner only */
    umask(077);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv);
    if (strcmp(argv[1], "--config") == 0 || strncmp(argv[1], "--config=", 9) == 0) {
        const char *path = argv[1][8] == '=' ? argv[1] + 9 : argc > 2 ? argv[2] : NULL;
        int skip = argv[1][8] == '=' ? 1 : 2;

        if (!path || !*path || argc <= skip) {
            usage(stderr);
            return EXIT_USAGE;
        }
        cli_config_path(path);
        argc -= skip;
        argv += skip;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return cli_config_load() ? commands[i].run(argc - 1, argv + 1) : EXIT_USAGE;
    fprintf(stderr, "trellis: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
