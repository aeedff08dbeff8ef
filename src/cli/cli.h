/* SPDX-License-Identifier: MIT */
/* The subcommands of the trellis binary and what they share: option defaults from flags, then
 * TRELLIS_* environment variables, and opening the database with the server key. */
#ifndef TRELLIS_CLI_H
#define TRELLIS_CLI_H

#include <stdbool.h>

#include "store/store.h"

/* Exit codes of docs/api.md. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli_common {
    const char *db;
    const char *key_file;
};

/* Names the config file (trellis --config PATH), before cli_config_load. */
void cli_config_path(const char *path);
/* Reads the config file (--config, else TRELLIS_CONFIG, else ./trellis.conf, else
 * /etc/trellis/trellis.conf; the last two only when present): lines of "name = value" with #
 * comments. Called again (SIGHUP) it reads the file afresh. Returns false after printing the
 * problem (unknown name, bad line, unreadable file). */
bool cli_config_load(void);
/* A setting: TRELLIS_<NAME> from the environment, else the config file, else (for secrets) the
 * first line of the file that NAME_file names (smtp_password_file, metrics_token_file), else NULL
 * (borrowed). Flags override all. */
const char *cli_setting(const char *name);
/* Reads a whole-number setting within [lo, hi] into *out when it is set; false (with a message)
 * when it is not such a number. */
bool cli_unsigned_setting(const char *name, long lo, long hi, unsigned *out);
/* The reminder pass's people per transaction (remind_batch) and a large launch's participants
 * per transaction (launch_batch); false on a bad value. */
bool cli_remind_config(void);
/* Defaults from the settings (db, key_file). */
void cli_common_init(struct cli_common *c);
/* The key file: the flag, TRELLIS_KEY_FILE, else beside a SQLite database (PATH.key), else
 * ./trellis.key. Returns a static or borrowed string. */
const char *cli_key_file(const struct cli_common *c);
/* Opens and migrates the database and loads the key; prints the problem and returns NULL. */
struct db *cli_open(const struct cli_common *c, bool need_key);
/* SQLite: the lock that keeps a restore from replacing a database in use, an flock on
 * PATH.serve.lock held for the life of the process: shared by every serve, exclusive for a
 * restore; never waits. Prints the problem and returns false when the other side holds it.
 * *fd is the lock (-1 for PostgreSQL, whose restore is pg_restore's). */
bool cli_db_lock(const char *db, bool exclusive, int *fd);
/* The exclusive lock without a message: true when no server (or restore) uses the SQLite
 * database db, which then cannot start until *fd is closed; false (and *fd -1) otherwise, and
 * for PostgreSQL. */
bool cli_db_lock_alone(const char *db, int *fd);
/* Reads all of a file (or stdin for "-") into a malloc'd buffer; NULL with a message. */
char *cli_read_file(const char *path, size_t max, size_t *len);

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_goals(int argc, char **argv);
int cli_remind(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_scim(int argc, char **argv);
int cli_sso(int argc, char **argv);

/* The background jobs of serve (cli/scheduler.c). */
#include "domain/oneonones.h"
#include "domain/webhooks.h"
struct scheduler_config {
    const char *db_url;
    long interval; /* seconds between passes */
    struct mail_config mail;
    struct webhook_config webhooks;
};
bool scheduler_start(const struct scheduler_config *cfg);
void scheduler_stop(void);
/* Hands the scheduler new settings (SIGHUP): the db URL is kept, the mail settings and the
 * interval apply from the next pass, which starts at once. cfg's strings are copied. */
void scheduler_reload(const struct scheduler_config *cfg);
/* The SMTP settings of the environment and config file (smtp_url, smtp_from...); url and from
 * (flags) override them when not NULL. Returns false after printing a bad setting. */
bool cli_mail_config(struct mail_config *m, const char *url, const char *from);
/* The webhook delivery settings (webhook_retry_seconds). Returns false after printing a bad one. */
bool cli_webhook_config(struct webhook_config *w);

#endif
