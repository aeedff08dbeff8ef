/* SPDX-License-Identifier: MIT */
/* trellis user add|token|passwd: accounts from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/accounts.h"
#include "store/accounts.h"
#include "store/people.h"
#include "util/arena.h"

static const char help[] =
    "usage: trellis user add    --db URL --email E --role employee|hr|admin --password-stdin\n"
    "       trellis user passwd --db URL --email E --password-stdin\n"
    "       trellis user token  --db URL --email E [--name NAME]\n"
    "  add      create the account of an imported person (or the first admin), or change it\n"
    "  passwd   set a new password and end the person's sessions\n"
    "  token    print a new API token (Authorization: Bearer TOKEN) on stdout\n"
    "  --key-file PATH   server key (env TRELLIS_KEY_FILE; default beside a SQLite database)\n";

/* Reads the password from stdin: one line, newline stripped. */
static char *read_password(void)
{
    static char line[512];
    size_t n;

    if (!fgets(line, sizeof(line), stdin))
        return NULL;
    n = strcspn(line, "\r\n");
    line[n] = '\0';
    return line;
}

int cli_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},    {"key-file", required_argument, 0, 'k'},
        {"email", required_argument, 0, 'e'}, {"role", required_argument, 0, 'r'},
        {"name", required_argument, 0, 'n'},  {"password-stdin", no_argument, 0, 'p'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    struct cli_common c;
    struct errinfo ei = {0};
    const char *email = NULL, *role = NULL, *name = "cli", *action;
    bool pw_stdin = false;
    struct arena *a;
    struct db *db;
    int o, rc = EXIT_FAIL;

    cli_common_init(&c);
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    action = argv[1];
    optind = 2;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            c.db = optarg;
            break;
        case 'k':
            c.key_file = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'p':
            pw_stdin = true;
            break;
        case 'h':
            fputs(help, stdout);
            return EXIT_OK;
        default:
            goto usage;
        }
    }
    if (optind != argc || !email)
        goto usage;
    if (strcmp(action, "add") == 0 && (!role || policy_role_parse(role) == ROLE_NONE || !pw_stdin))
        goto usage;
    if (strcmp(action, "passwd") == 0 && !pw_stdin)
        goto usage;
    if (strcmp(action, "add") != 0 && strcmp(action, "passwd") != 0 && strcmp(action, "token") != 0)
        goto usage;
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (strcmp(action, "token") == 0) {
        struct person p;
        struct account acc;
        const char *token;
        char *lemail = arena_strdup(a, email);

        for (char *s = lemail; *s; s++)
            if (*s >= 'A' && *s <= 'Z')
                *s = (char)(*s - 'A' + 'a');
        if (store_people_by_email(db, a, lemail, &p) != ERR_OK ||
            store_accounts_get(db, a, p.id, &acc) != ERR_OK)
            fprintf(stderr, "trellis: no account has the email %s\n", email);
        else if (accounts_issue_token(db, a, p.id, name, &token) != ERR_OK)
            fprintf(stderr, "trellis: cannot store the token: %s\n", db_errmsg(db));
        else {
            printf("%s\n", token);
            rc = EXIT_OK;
        }
    } else {
        char *pw = read_password();
        enum role r = role ? policy_role_parse(role) : ROLE_NONE;

        if (!pw) {
            fprintf(stderr, "trellis: no password on standard input\n");
        } else if (strcmp(action, "passwd") == 0) {
            struct person p;
            struct account acc;

            if (store_people_by_email(db, a, email, &p) != ERR_OK ||
                store_accounts_get(db, a, p.id, &acc) != ERR_OK)
                fprintf(stderr, "trellis: no account has the email %s\n", email);
            else if (accounts_add(db, a, email, policy_role_parse(acc.role), pw, &ei) != ERR_OK)
                fprintf(stderr, "trellis: %s\n", ei.message);
            else
                rc = EXIT_OK;
        } else if (accounts_add(db, a, email, r, pw, &ei) != ERR_OK) {
            fprintf(stderr, "trellis: %s\n", ei.message);
        } else {
            printf("account %s: role %s\n", email, role);
            rc = EXIT_OK;
        }
    }
    arena_free(a);
    db_close(db);
    return rc;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
