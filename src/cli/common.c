/* SPDX-License-Identifier: MIT */
/* See cli.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/accounts.h"
#include "util/buf.h"

void cli_common_init(struct cli_common *c)
{
    const char *db = getenv("TRELLIS_DB");

    c->db = db && *db ? db : "sqlite:trellis.db";
    c->key_file = getenv("TRELLIS_KEY_FILE");
    if (c->key_file && !*c->key_file)
        c->key_file = NULL;
}

const char *cli_key_file(const struct cli_common *c)
{
    static char path[4096];

    if (c->key_file)
        return c->key_file;
    if (strncmp(c->db, "sqlite:", 7) == 0) {
        snprintf(path, sizeof(path), "%s.key", c->db + 7);
        return path;
    }
    return "trellis.key";
}

struct db *cli_open(const struct cli_common *c, bool need_key)
{
    struct errinfo ei = {0};
    struct db *db;

    if (need_key && accounts_load_key(cli_key_file(c), &ei) != ERR_OK) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        return NULL;
    }
    db = db_open(c->db, &ei);
    if (!db) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        return NULL;
    }
    if (db_migrate(db, &ei) != ERR_OK) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        db_close(db);
        return NULL;
    }
    return db;
}

char *cli_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct buf b;
    char chunk[65536];
    size_t n;

    if (!f) {
        fprintf(stderr, "trellis: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf_init(&b, max);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (buf_addn(&b, chunk, n) != ERR_OK) {
            fprintf(stderr, "trellis: %s is larger than %zu bytes\n", path, max);
            buf_cleanup(&b);
            if (f != stdin)
                fclose(f);
            return NULL;
        }
    }
    if (f != stdin)
        fclose(f);
    return buf_take(&b, len);
}
