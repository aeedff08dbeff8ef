/* SPDX-License-Identifier: MIT */
/* See cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/accounts.h"
#include "domain/reviews.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const char *const setting_names[] = {"db",
                                            "listen",
                                            "key_file",
                                            "public_url",
                                            "metrics_token",
                                            "smtp_url",
                                            "smtp_from",
                                            "smtp_user",
                                            "smtp_password",
                                            "smtp_password_file",
                                            "metrics_token_file",
                                            "smtp_starttls",
                                            "smtp_retry_seconds",
                                            "smtp_ca_file",
                                            "smtp_max_attempts",
                                            "smtp_timeout_seconds",
                                            "smtp_lease_seconds",
                                            "scheduler_interval",
                                            "remind_batch",
                                            "launch_batch",
                                            "webhook_retry_seconds",
                                            "trusted_proxies",
                                            "max_connections",
                                            "max_connections_per_address",
                                            "connection_timeout",
                                            NULL};
static char *file_values[sizeof(setting_names) / sizeof(setting_names[0])];
/* secrets read from the files that name_file settings name, once per name */
static char *secret_values[sizeof(setting_names) / sizeof(setting_names[0])];
/* the config file: --config (cli_config_path), TRELLIS_CONFIG, ./trellis.conf, or the system's */
static const char *config_path;

#ifndef TRELLIS_SYSCONFDIR
#define TRELLIS_SYSCONFDIR "/etc"
#endif

void cli_config_path(const char *path)
{
    config_path = path;
}

/* Values a reload replaced: a thread may still hold one (cli_setting lends them), so they live
 * until the process ends. */
static char **retired;
static size_t nretired;

static void free_retired(void)
{
    for (size_t i = 0; i < nretired; i++)
        free(retired[i]);
    free(retired);
}

static void retire(char *v)
{
    if (!v)
        return;
    if (!retired)
        atexit(free_retired);
    retired = xrealloc(retired, (nretired + 1) * sizeof(*retired));
    retired[nretired++] = v;
}

static int setting_index(const char *name)
{
    for (int i = 0; setting_names[i]; i++)
        if (strcmp(setting_names[i], name) == 0)
            return i;
    return -1;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

bool cli_config_load(void)
{
    const char *path = config_path && *config_path ? config_path : getenv("TRELLIS_CONFIG");
    bool explicit_path = path && *path;
    char line[4096];
    FILE *f;
    int n = 0;

    if (!explicit_path)
        path = access("trellis.conf", F_OK) == 0 ? "trellis.conf"
                                                 : TRELLIS_SYSCONFDIR "/trellis/trellis.conf";
    f = fopen(path, "r");
    if (!f) {
        if (!explicit_path && errno == ENOENT)
            return true; /* the file is optional */
        fprintf(stderr, "trellis: cannot read config %s: %s\n", path, strerror(errno));
        return false;
    }
    for (size_t i = 0; i < sizeof(file_values) / sizeof(file_values[0]); i++) {
        retire(file_values[i]); /* a reload starts from the file alone */
        file_values[i] = NULL;
        retire(secret_values[i]);
        secret_values[i] = NULL;
    }
    while (fgets(line, sizeof(line), f)) {
        char *s = trim(line), *eq;
        int i;

        n++;
        if (!*s || *s == '#')
            continue;
        eq = strchr(s, '=');
        if (!eq) {
            fprintf(stderr, "trellis: config line %d: expected name = value\n", n);
            fclose(f);
            return false;
        }
        *eq = '\0';
        i = setting_index(trim(s));
        if (i < 0) {
            fprintf(stderr, "trellis: config line %d: unknown setting '%s'\n", n, trim(s));
            fclose(f);
            return false;
        }
        free(file_values[i]);
        file_values[i] = xstrdup(trim(eq + 1));
    }
    fclose(f);
    return true;
}

/* The secret of setting name read from the file its name_file setting names (first line, without
 * its newline), e.g. smtp_password_file for a password kept out of the config; NULL if unset. */
static const char *secret_from_file(const char *name, int i)
{
    char file_setting[64], line[4096];
    const char *path;
    FILE *f;

    if (secret_values[i])
        return secret_values[i];
    snprintf(file_setting, sizeof(file_setting), "%s_file", name);
    if (setting_index(file_setting) < 0 || !(path = cli_setting(file_setting)))
        return NULL;
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "trellis: cannot read %s %s: %s\n", file_setting, path, strerror(errno));
        return NULL;
    }
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    secret_values[i] = xstrdup(line);
    return secret_values[i];
}

const char *cli_setting(const char *name)
{
    char env[64];
    const char *v;
    int i = setting_index(name);

    snprintf(env, sizeof(env), "TRELLIS_%s", name);
    for (char *p = env; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    v = getenv(env);
    if (v && *v)
        return v;
    if (i >= 0 && file_values[i] && *file_values[i])
        return file_values[i];
    return i >= 0 ? secret_from_file(name, i) : NULL;
}

/* Reads a whole-number setting within [lo, hi] into *out when it is set; false (with a message)
 * when it is not such a number. */
bool cli_unsigned_setting(const char *name, long lo, long hi, unsigned *out)
{
    const char *s = cli_setting(name);
    char *end;
    long v;

    if (!s)
        return true;
    v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "trellis: setting %s must be a whole number from %ld to %ld\n", name, lo,
                hi);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

bool cli_remind_config(void)
{
    unsigned batch = REMIND_BATCH_DEFAULT;

    unsigned launch = LAUNCH_BATCH_DEFAULT;

    if (!cli_unsigned_setting("remind_batch", 1, 100000000, &batch) ||
        !cli_unsigned_setting("launch_batch", 1, 100000000, &launch))
        return false;
    reminders_configure(batch);
    reviews_configure_launch(launch);
    return true;
}

void cli_common_init(struct cli_common *c)
{
    const char *db = cli_setting("db");

    c->db = db ? db : "sqlite:trellis.db";
    c->key_file = cli_setting("key_file");
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

/* A whole number of seconds or attempts within [1, max]; fallback when the setting is unset. */
static bool mail_number(const char *name, int64_t fallback, int64_t max, int64_t *out)
{
    const char *v = cli_setting(name);
    char *end;
    long long n;

    *out = fallback;
    if (!v)
        return true;
    n = strtoll(v, &end, 10);
    if (*end || n < 1 || n > max) {
        fprintf(stderr, "trellis: %s must be a whole number from 1 to %lld, not '%s'\n", name,
                (long long)max, v);
        return false;
    }
    *out = n;
    return true;
}

bool cli_mail_config(struct mail_config *m, const char *url, const char *from)
{
    const char *tls = cli_setting("smtp_starttls");
    char err[600];

    memset(m, 0, sizeof(*m));
    m->url = url ? url : cli_setting("smtp_url");
    from = from ? from : cli_setting("smtp_from");
    m->from = from ? from : "trellis@localhost";
    m->user = cli_setting("smtp_user");
    m->password = cli_setting("smtp_password");
    m->ca_file = cli_setting("smtp_ca_file");
    if (!tls || strcmp(tls, "opportunistic") == 0) {
        m->tls = SMTP_TLS_OPPORTUNISTIC;
    } else if (strcmp(tls, "required") == 0 || strcmp(tls, "true") == 0 ||
               strcmp(tls, "yes") == 0 || strcmp(tls, "1") == 0) {
        m->tls = SMTP_TLS_REQUIRED;
    } else if (strcmp(tls, "off") == 0 || strcmp(tls, "false") == 0 || strcmp(tls, "no") == 0 ||
               strcmp(tls, "0") == 0) {
        m->tls = SMTP_TLS_OFF;
    } else {
        fprintf(stderr, "trellis: smtp_starttls is required, opportunistic or off, not '%s'\n",
                tls);
        return false;
    }
    if (m->url && strncmp(m->url, "smtp://", 7) != 0 && strncmp(m->url, "smtps://", 8) != 0) {
        fprintf(stderr, "trellis: smtp_url must start with smtp:// or smtps://, not '%s'\n",
                m->url);
        return false;
    }
    if (!mail_address_check(m->from, err, sizeof(err))) {
        fprintf(stderr, "trellis: %s\n", err);
        return false;
    }
    if (!mail_number("smtp_retry_seconds", 30, 86400, &m->retry_base) ||
        !mail_number("smtp_max_attempts", 8, 100, &m->max_attempts) ||
        !mail_number("smtp_timeout_seconds", 300, 3600, &m->timeout) ||
        !mail_number("smtp_lease_seconds", m->timeout + 60, 7200, &m->lease))
        return false;
    return true;
}

bool cli_webhook_config(struct webhook_config *w)
{
    /* 0: the documented backoff (1 min, 5 min, 30 min, 2 h, 12 h) */
    w->timeout = 10;
    if (!mail_number("webhook_retry_seconds", 0, 86400, &w->retry_seconds))
        return false;
    return true;
}

bool cli_db_lock(const char *db, bool exclusive, int *fd)
{
    char path[4200];

    *fd = -1;
    if (strncmp(db, "sqlite:", 7) != 0)
        return true;
    snprintf(path, sizeof(path), "%s.serve.lock", db + 7);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0) {
        fprintf(stderr, "trellis: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    if (flock(*fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        return true;
    if (errno == EWOULDBLOCK)
        fprintf(stderr,
                exclusive ? "trellis: a trellis server is using %s; stop every server on it, then "
                            "restore (see docs/operations.md)\n"
                          : "trellis: a restore or an import is writing %s; start the server "
                            "once it has finished\n",
                db + 7);
    else
        fprintf(stderr, "trellis: cannot lock %s: %s\n", path, strerror(errno));
    close(*fd);
    *fd = -1;
    return false;
}

bool cli_db_lock_alone(const char *db, int *fd)
{
    char path[4200];

    *fd = -1;
    if (strncmp(db, "sqlite:", 7) != 0)
        return false;
    snprintf(path, sizeof(path), "%s.serve.lock", db + 7);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd >= 0 && flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return true;
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
    return false;
}
