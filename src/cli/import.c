/* SPDX-License-Identifier: MIT */
/* trellis import people FILE.csv: the HRIS import of docs/api.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/import.h"

static const char help[] =
    "usage: trellis import people [--db URL] [--dry-run] [--date-format F] FILE.csv\n"
    "  Upserts people keyed by employee_id (else email), all or nothing. Columns (any order,\n"
    "  case and _/-/space ignored): employee_id, email, name | first_name + last_name, title,\n"
    "  department, manager_email | manager_id | manager (\"Reports To\": email, id or name),\n"
    "  level, hire_date, status, and the header names of Workday, BambooHR, Personio and HiBob\n"
    "  exports. The file may be UTF-8, UTF-16 or Windows-1252, separated by commas,\n"
    "  semicolons, tabs or bars. Columns it does not know are listed, never imported.\n"
    "  --dry-run          check the file and report what would change, writing nothing\n"
    "  --date-format F    DD/MM/YYYY or MM/DD/YYYY, for files whose numeric dates could be\n"
    "                     either (YYYY-MM-DD, DD.MM.YYYY and month names are always read)\n";

int cli_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"key-file", required_argument, 0, 'k'},
        {"dry-run", no_argument, 0, 'n'},  {"date-format", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},     {0, 0, 0, 0}};
    struct cli_common c;
    struct import_result res;
    struct import_options io = {0};
    bool dry = false;
    int lock_fd = -1;
    char *data;
    size_t len;
    struct db *db;
    enum err rc;
    int o;

    cli_common_init(&c);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "people") != 0)
        goto usage;
    optind = 2;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd')
            c.db = optarg;
        else if (o == 'k')
            c.key_file = optarg;
        else if (o == 'n')
            dry = true;
        else if (o == 'f') {
            if (strcasecmp(optarg, "DD/MM/YYYY") != 0 && strcasecmp(optarg, "MM/DD/YYYY") != 0) {
                fprintf(stderr, "trellis: --date-format is DD/MM/YYYY or MM/DD/YYYY\n");
                return EXIT_USAGE;
            }
            io.date_format = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else
            goto usage;
    }
    if (optind + 1 != argc)
        goto usage;
    data = cli_read_file(argv[optind], 256u << 20, &len);
    if (!data)
        return EXIT_FAIL;
    db = cli_open(&c, false);
    if (!db) {
        free(data);
        return EXIT_FAIL;
    }
    import_result_init(&res);
    io.dry_run = dry;
    /* no server uses the database: it cannot start until the import has ended */
    io.alone = !dry && cli_db_lock_alone(c.db, &lock_fd);
    rc = import_people_opts(db, data, len, &io, 0, &res);
    if (lock_fd >= 0)
        close(lock_fd);
    if (res.encoding && (strcmp(res.encoding, "UTF-8") != 0 || res.delimiter != ','))
        printf("read as %s, %s-separated\n", res.encoding,
               res.delimiter == ';'    ? "semicolon"
               : res.delimiter == '\t' ? "tab"
               : res.delimiter == '|'  ? "bar"
                                       : "comma");
    if (res.ignored.len)
        printf("ignored columns (not imported): %s\n", buf_str(&res.ignored));
    if (rc == ERR_VALIDATION) {
        fputs(buf_str(&res.errors), stderr);
        fprintf(stderr, "trellis: import refused: %d problem%s; nothing was written\n", res.nerrors,
                res.nerrors == 1 ? "" : "s");
    } else if (rc) {
        fprintf(stderr, "trellis: import failed: %s; nothing was written\n", db_errmsg(db));
    } else {
        printf("%s%d rows: %d created, %d updated, %d unchanged\n",
               dry ? "dry run, nothing written: " : "", res.rows, res.created, res.updated,
               res.unchanged);
    }
    import_result_cleanup(&res);
    db_close(db);
    free(data);
    return rc ? EXIT_FAIL : EXIT_OK;
usage:
    fputs(help, stderr);
    return EXIT_USAGE;
}
