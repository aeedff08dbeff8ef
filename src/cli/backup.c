/* SPDX-License-Identifier: MIT */
/* trellis backup FILE / restore FILE: consistent online copies of a SQLite database
 * (PostgreSQL deployments use pg_dump and pg_restore). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* Parses [--db URL] FILE; returns the file or NULL after printing usage. */
static const char *parse(int argc, char **argv, struct cli_common *c, const char *help, int *rc)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int o;

    cli_common_init(c);
    optind = 1;
    *rc = EXIT_USAGE;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd') {
            c->db = optarg;
        } else if (o == 'k') {
            c->key_file = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            *rc = EXIT_OK;
            return NULL;
        } else {
            fputs(help, stderr);
            return NULL;
        }
    }
    if (optind + 1 != argc) {
        fputs(help, stderr);
        return NULL;
    }
    if (strncmp(c->db, "sqlite:", 7) != 0) {
        fprintf(stderr, "trellis: backup and restore are for SQLite; use pg_dump/pg_restore "
                        "for PostgreSQL\n");
        *rc = EXIT_FAIL;
        return NULL;
    }
    return argv[optind];
}

int cli_backup(int argc, char **argv)
{
    static const char help[] = "usage: trellis backup [--db sqlite:PATH] FILE\n"
                               "  writes a consistent copy while the server runs\n";
    struct cli_common c;
    int rc;
    const char *file = parse(argc, argv, &c, help, &rc);
    struct db *db;

    if (!file)
        return rc;
    if (access(file, F_OK) == 0) {
        fprintf(stderr, "trellis: %s exists; choose a new file\n", file);
        return EXIT_FAIL;
    }
    db = cli_open(&c, false);
    if (!db)
        return EXIT_FAIL;
    rc = db_backup_into(db, file) == ERR_OK ? EXIT_OK : EXIT_FAIL;
    if (rc)
        fprintf(stderr, "trellis: backup failed: %s\n", db_errmsg(db));
    else
        printf("backup written to %s\n", file);
    db_close(db);
    return rc;
}

/* Checks file and puts a copy of it in place of the database of c (the lock held). */
static int restore_locked(const struct cli_common *c, const char *file)
{
    struct errinfo ei = {0};
    char url[4200], tmp[4200];
    const char *target = c->db + 7;
    struct db *db;
    int rc;

    snprintf(url, sizeof(url), "sqlite:%s", file);
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "trellis: cannot read %s\n", file);
        return EXIT_FAIL;
    }
    db = db_open(url, &ei);
    if (!db) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        return EXIT_FAIL;
    }
    if (!db_check_integrity(db) || db_schema_version(db) < 1) {
        fprintf(stderr, "trellis: %s is not a Trellis backup\n", file);
        db_close(db);
        return EXIT_FAIL;
    }
    snprintf(tmp, sizeof(tmp), "%s.restore-tmp", target);
    unlink(tmp);
    rc = db_backup_into(db, tmp) == ERR_OK ? EXIT_OK : EXIT_FAIL;
    db_close(db);
    if (rc == EXIT_OK && rename(tmp, target) != 0)
        rc = EXIT_FAIL;
    if (rc) {
        unlink(tmp);
        fprintf(stderr, "trellis: restore failed\n");
        return rc;
    }
    snprintf(tmp, sizeof(tmp), "%s-wal", target);
    unlink(tmp);
    snprintf(tmp, sizeof(tmp), "%s-shm", target);
    unlink(tmp);
    printf("restored %s from %s\n", target, file);
    return EXIT_OK;
}

int cli_restore(int argc, char **argv)
{
    static const char help[] =
        "usage: trellis restore [--db sqlite:PATH] FILE\n"
        "  checks FILE and replaces the database with it; refuses while a server uses it\n";
    struct cli_common c;
    int rc, lock_fd;
    const char *file = parse(argc, argv, &c, help, &rc);

    if (!file)
        return rc;
    /* held to the end: no server starts on the database while it is being replaced */
    if (!cli_db_lock(c.db, true, &lock_fd))
        return EXIT_FAIL;
    rc = restore_locked(&c, file);
    close(lock_fd);
    return rc;
}
