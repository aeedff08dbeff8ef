/* SPDX-License-Identifier: MIT */
/* trellis scim token create|list|revoke: the SCIM tokens an identity provider provisions with
 * (docs/operations-scim.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/scim.h"
#include "store/scim.h"
#include "util/arena.h"

static const char help[] =
    "usage: trellis scim token create --db URL --name NAME\n"
    "       trellis scim token list   --db URL\n"
    "       trellis scim token revoke --db URL --id N\n"
    "  create  print a new SCIM token on stdout (the identity provider sends it as\n"
    "          Authorization: Bearer TOKEN to /scim/v2); it is shown only this once\n"
    "  list    the SCIM tokens: id, name, created, created by, last used, revoked\n"
    "  revoke  revoke the SCIM token with id N (the provider's next request is refused)\n"
    "  --key-file PATH  the server key (default: beside a SQLite database)\n";

static const char *or_dash(json_t *row, const char *k)
{
    const char *v = json_string_value(json_object_get(row, k));

    return v ? v : "-";
}

static int list(struct db *db)
{
    json_t *items, *row;
    size_t i;

    if (store_scim_tokens_list(db, &items) != ERR_OK) {
        fprintf(stderr, "trellis: cannot read the SCIM tokens: %s\n", db_errmsg(db));
        return EXIT_FAIL;
    }
    printf("id\tname\tcreated_at\tcreated_by\tlast_used_at\trevoked_at\n");
    json_array_foreach(items, i, row)
    {
        printf("%lld\t%s\t%s\t%s\t%s\t%s\n",
               (long long)json_integer_value(json_object_get(row, "id")), or_dash(row, "name"),
               or_dash(row, "created_at"), or_dash(row, "created_by"), or_dash(row, "last_used_at"),
               or_dash(row, "revoked_at"));
    }
    json_decref(items);
    return EXIT_OK;
}

int cli_scim(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},   {"key-file", required_argument, 0, 'k'},
        {"name", required_argument, 0, 'n'}, {"id", required_argument, 0, 'i'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    struct cli_common c;
    struct errinfo ei = {0};
    const char *name = NULL, *action, *token;
    long long id = 0;
    int64_t new_id;
    char *end;
    struct arena *a;
    struct db *db;
    int o, rc = EXIT_FAIL;

    cli_common_init(&c);
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        fputs(help, stdout);
        return EXIT_OK;
    }
    if (argc < 3 || strcmp(argv[1], "token") != 0)
        goto usage;
    action = argv[2];
    optind = 3;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            c.db = optarg;
            break;
        case 'k':
            c.key_file = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'i':
            id = strtoll(optarg, &end, 10);
            if (*end || id < 1) {
                fprintf(stderr, "trellis: --id must be a SCIM token id\n");
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
    if (optind != argc)
        goto usage;
    if ((strcmp(action, "create") == 0 && !name) || (strcmp(action, "revoke") == 0 && !id) ||
        (strcmp(action, "create") != 0 && strcmp(action, "list") != 0 &&
         strcmp(action, "revoke") != 0))
        goto usage;
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    a = arena_new();
    if (strcmp(action, "list") == 0) {
        rc = list(db);
    } else if (strcmp(action, "create") == 0) {
        if (scim_token_create(db, a, 0, name, &new_id, &token, &ei) != ERR_OK) {
            fprintf(stderr, "trellis: cannot create the SCIM token: %s%s%s\n", ei.message,
                    ei.nfields ? ": " : "", ei.nfields ? ei.fields[0].problem : "");
        } else {
            printf("%s\n", token);
            rc = EXIT_OK;
        }
    } else if (scim_token_revoke(db, 0, id, &ei) != ERR_OK) {
        fprintf(stderr, "trellis: %s\n", ei.message);
    } else {
        printf("SCIM token %lld revoked\n", id);
        rc = EXIT_OK;
    }
    arena_free(a);
    db_close(db);
    return rc;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
