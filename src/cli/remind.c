/* SPDX-License-Identifier: MIT */
/* trellis remind: one reminder pass and one round of email and webhook delivery, as serve's
 * scheduler does every interval (for cron on a server that does not run serve, and for
 * measurement). Webhooks are signed with secrets sealed by the server key: without the key
 * file they are left to serve. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/accounts.h"
#include "domain/notify.h"
#include "util/timeutil.h"

int cli_remind(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},       {"key-file", required_argument, 0, 'k'},
        {"smtp-url", required_argument, 0, 'S'}, {"smtp-from", required_argument, 0, 'f'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    static const char help[] =
        "usage: trellis remind [--db URL] [--smtp-url URL] [--smtp-from ADDR]\n"
        "  creates due reminders (notifications and their emails), delivers due email and,\n"
        "  when the key file is there, due webhooks\n"
        "  (the smtp_* settings as for serve; the flags override smtp_url and smtp_from)\n";
    struct cli_common c;
    struct mail_config mail;
    struct webhook_config hooks;
    struct errinfo ei = {0};
    const char *smtp_url = NULL, *smtp_from = NULL;
    struct db *db;
    int64_t created = 0;
    uint64_t t0;
    int sent = 0, o;
    enum err rc;

    cli_common_init(&c);
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'd') {
            c.db = optarg;
        } else if (o == 'k') {
            c.key_file = optarg;
        } else if (o == 'S') {
            smtp_url = optarg;
        } else if (o == 'f') {
            smtp_from = optarg;
        } else if (o == 'h') {
            fputs(help, stdout);
            return EXIT_OK;
        } else {
            fputs(help, stderr);
            return EXIT_USAGE;
        }
    }
    if (!cli_mail_config(&mail, smtp_url, smtp_from) || !cli_webhook_config(&hooks) ||
        !cli_remind_config())
        return EXIT_USAGE;
    db = cli_open(&c, false);
    if (!db)
        return EXIT_FAIL;
    notify_configure(cli_setting("public_url"));
    t0 = time_mono_ns();
    rc = reminders_pass(db, time_now(), &created);
    if (rc == ERR_OK)
        printf("reminders: %lld new in %.0f ms\n", (long long)created,
               (double)(time_mono_ns() - t0) / 1e6);
    if (rc == ERR_OK)
        rc = outbox_deliver(db, &mail, 1000, &sent);
    if (rc == ERR_OK)
        printf("email: %d sent\n", sent);
    if (rc == ERR_OK && access(cli_key_file(&c), R_OK) == 0 &&
        accounts_load_key(cli_key_file(&c), &ei) == ERR_OK) {
        rc = webhooks_deliver(db, &hooks, 1000, &sent);
        if (rc == ERR_OK)
            printf("webhooks: %d delivered\n", sent);
    }
    if (rc != ERR_OK)
        fprintf(stderr, "trellis: remind failed: %s\n", db_errmsg(db));
    db_close(db);
    return rc == ERR_OK ? EXIT_OK : EXIT_FAIL;
}
