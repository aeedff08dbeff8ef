/* SPDX-License-Identifier: MIT */
/* trellis user add|passwd|token|tokens|revoke-token: accounts and API tokens from the command
 * line. */
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
    "usage: trellis user add          --db URL --email E --role employee|hr|admin "
    "--password-stdin\n"
    "       trellis user passwd       --db URL --email E --password-stdin\n"
    "       trellis user token        --db URL --email E [--name NAME] [--expires-in-days D]\n"
    "       trellis user tokens       --db URL --email E\n"
    "       trellis user revoke-token --db URL --email E --id N\n"
    "  add           create the account of an imported person (or the first admin), or change it\n"
    "  passwd        set a new password, end the person's sessions and revoke their API tokens\n"
    "  token         print a new API token (Authorization: Bearer TOKEN) on stdout; NAME\n"
    "                defaults to \"cli\", D (1-365) days until it expires, default never\n"
    "  tokens        list the person's API tokens: id, name, created, expires, last used, revoked\n"
    "  revoke-token  revoke the person's API token with id N\n"
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

/* The person id of the account with email (any case), or 0. */
static int64_t account_of(struct db *db, struct arena *a, const char *email)
{
    struct person p;
    struct account acc;
    char *lemail = arena_strdup(a, email);

    for (char *s = lemail; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
    if (store_people_by_email(db, a, lemail, &p) != ERR_OK ||
        store_accounts_get(db, a, p.id, &acc) != ERR_OK)
        return 0;
    return p.id;
}

static int issue(struct db *db, struct arena *a, int64_t person, const char *name, long long days)
{
    struct errinfo ei = {0};
    struct issued_token t;

    if (accounts_issue_token(db, a, 0, person, name, days, &t, &ei) != ERR_OK) {
        fprintf(stderr, "trellis: cannot store the token: %s\n",
                ei.message[0] ? ei.message : db_errmsg(db));
        return EXIT_FAIL;
    }
    printf("%s\n", t.token);
    return EXIT_OK;
}

static const char *or_dash(json_t *row, const char *key)
{
    const char *v = json_string_value(json_object_get(row, key));

    return v ? v : "-";
}

/* One tab-separated line per token under a header line. */
static int list(struct db *db, int64_t person)
{
    json_t *items, *row;
    size_t i;

    if (store_tokens_list(db, person, &items) != ERR_OK) {
        fprintf(stderr, "trellis: cannot read the tokens: %s\n", db_errmsg(db));
        return EXIT_FAIL;
    }
    printf("id\tname\tcreated_at\texpires_at\tlast_used_at\trevoked_at\n");
    json_array_foreach(items, i, row)
    {
        printf("%lld\t%s\t%s\t%s\t%s\t%s\n",
               (long long)json_integer_value(json_object_get(row, "id")), or_dash(row, "name"),
               or_dash(row, "created_at"), or_dash(row, "expires_at"), or_dash(row, "last_used_at"),
               or_dash(row, "revoked_at"));
    }
    json_decref(items);
    return EXIT_OK;
}

int cli_user(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"email", required_argument, 0, 'e'},
                                         {"role", required_argument, 0, 'r'},
                                         {"name", required_argument, 0, 'n'},
                                         {"password-stdin", no_argument, 0, 'p'},
                                         {"expires-in-days", required_argument, 0, 'x'},
                                         {"id", required_argument, 0, 'i'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    struct cli_common c;
    struct errinfo ei = {0};
    const char *email = NULL, *role = NULL, *name = "cli", *action;
    bool pw_stdin = false;
    long long days = 0, token_id = 0;
    char *end;
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
        case 'x':
            days = strtoll(optarg, &end, 10);
            if (*end || days < 1 || days > 365) {
                fprintf(stderr, "trellis: --expires-in-days must be a number from 1 to 365\n");
                return EXIT_USAGE;
            }
            break;
        case 'i':
            token_id = strtoll(optarg, &end, 10);
            if (*end || token_id < 1) {
                fprintf(stderr, "trellis: --id must be a token id\n");
                return EXIT_USAGE;
            }
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
    if (strcmp(action, "revoke-token") == 0 && !token_id)
        goto usage;
    if (strcmp(action, "add") != 0 && strcmp(action, "passwd") != 0 &&
        strcmp(action, "token") != 0 && strcmp(action, "tokens") != 0 &&
        strcmp(action, "revoke-token") != 0)
        goto usage;
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (strcmp(action, "token") == 0 || strcmp(action, "tokens") == 0 ||
        strcmp(action, "revoke-token") == 0) {
        int64_t person = account_of(db, a, email);

        if (!person)
            fprintf(stderr, "trellis: no account has the email %s\n", email);
        else if (strcmp(action, "token") == 0)
            rc = issue(db, a, person, name, days);
        else if (strcmp(action, "tokens") == 0)
            rc = list(db, person);
        else if (accounts_revoke_token(db, 0, person, token_id, &ei) != ERR_OK)
            fprintf(stderr, "trellis: %s\n", ei.message);
        else {
            printf("token %lld of %s revoked\n", token_id, email);
            rc = EXIT_OK;
        }
    } else {
        char *pw = read_password();
        enum role r = role ? policy_role_parse(role) : ROLE_NONE;

        if (!pw) {
            fprintf(stderr, "trellis: no password on standard input\n");
        } else if (strcmp(action, "passwd") == 0) {
            if (accounts_passwd(db, a, email, pw, &ei) != ERR_OK)
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
