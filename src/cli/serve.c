/* SPDX-License-Identifier: MIT */
/* trellis serve: migrate, then run the HTTP server until SIGTERM. */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "domain/accounts.h"
#include "domain/notify.h"
#include "http/server.h"
#include "util/log.h"

static const char help[] =
    "usage: trellis serve [--db URL] [--listen HOST:PORT] [--key-file PATH] [--threads N]\n"
    "                     [--session-idle SECONDS] [--session-max SECONDS] [--quiet]\n"
    "  --db URL             sqlite:PATH or postgres://... (env TRELLIS_DB; default "
    "sqlite:trellis.db)\n"
    "  --listen HOST:PORT   address to serve (env TRELLIS_LISTEN; default 127.0.0.1:8080; port 0 "
    "picks one)\n"
    "  --key-file PATH      server key for password pepper and token hashes (env "
    "TRELLIS_KEY_FILE)\n"
    "  --threads N          worker threads (default: the number of cores)\n"
    "  --session-idle S     end sessions idle for S seconds (default 1800)\n"
    "  --session-max S      end sessions S seconds after sign-in (default 43200)\n"
    "  --quiet              no per-request log lines\n"
    "  --public-url URL     the address users reach (env TRELLIS_PUBLIC_URL); https:// marks\n"
    "                       session cookies Secure\n"
    "  --metrics-token T    require Authorization: Bearer T on /metrics (env "
    "TRELLIS_METRICS_TOKEN)\n"
    "  --smtp-url URL       the mail server, smtp://host:587 or smtps://host:465 (env\n"
    "                       TRELLIS_SMTP_URL; without it email waits in the outbox)\n"
    "  --smtp-from ADDR     the sender, hr@example.com or 'Trellis <hr@example.com>' (env\n"
    "                       TRELLIS_SMTP_FROM)\n"
    "  --trusted-proxy CIDR a reverse proxy (e.g. 127.0.0.1/32, ::1/128, 10.0.0.0/8) whose\n"
    "                       X-Forwarded-For names the client; repeatable (setting\n"
    "                       trusted_proxies, comma-separated). Without it the TCP peer is the\n"
    "                       client: sign-in throttling and the log use that address\n"
    "  --max-connections N  open connections in all (setting max_connections; default 1024):\n"
    "                       beyond it new connections are refused at once\n"
    "  --max-connections-per-address N\n"
    "                       open connections from one client address (setting\n"
    "                       max_connections_per_address; default 64, 0 for no limit; behind\n"
    "                       a reverse proxy every client shares its address: raise it)\n"
    "  --connection-timeout S  close a connection idle (or sending its headers or body) for S\n"
    "                       seconds (setting connection_timeout; default 30)\n"
    "  SIGHUP reads the config file again: the mail settings and scheduler_interval apply at\n"
    "  once, the others at the next start\n"
    "  --test-faults        tests only: X-Trellis-Fault: N fails the Nth SQL statement\n"
    "Email and reminders (settings or TRELLIS_* variables): smtp_url, smtp_from, smtp_user,\n"
    "smtp_password, smtp_starttls (opportunistic: when the server offers it, the default;\n"
    "required; off), smtp_ca_file (CA bundle for the server's certificate),\n"
    "smtp_retry_seconds (first retry, doubling to an hour; default 30), smtp_max_attempts\n"
    "(then the message is marked failed; default 8), smtp_timeout_seconds (one SMTP\n"
    "transaction; default 300), smtp_lease_seconds (a message being sent is leased for this\n"
    "long, renewed while it is sent; default timeout + 60), scheduler_interval (seconds\n"
    "between reminder passes and deliveries; default 60), remind_batch (people per\n"
    "transaction of a reminder pass; default 50000), launch_batch (participants per\n"
    "transaction of a large cycle's launch; default 20000).\n"
    "Webhooks (docs/operations-webhooks.md): webhook_retry_seconds (every retry waits this\n"
    "long instead of 1 min, 5 min, 30 min, 2 h, 12 h; for drills and tests).\n";

/* What a reload keeps from the start: the flags that override settings, and the database. */
static const char *flag_smtp_url, *flag_smtp_from, *serve_db;

/* SIGHUP: the config file is read again; the mail settings and the scheduler's interval apply
 * from the next pass, the others (listen, db, threads...) at the next start. A file with a
 * problem changes nothing. */
static void reload(void)
{
    struct scheduler_config s = {0};
    const char *interval;

    if (!cli_config_load() || !cli_mail_config(&s.mail, flag_smtp_url, flag_smtp_from) ||
        !cli_webhook_config(&s.webhooks) || !cli_remind_config()) {
        log_warn("SIGHUP: the settings have a problem (above); nothing was changed");
        return;
    }
    interval = cli_setting("scheduler_interval");
    s.db_url = serve_db;
    s.interval = interval ? strtol(interval, NULL, 10) : 60;
    scheduler_reload(&s);
    log_info("SIGHUP: settings read again; mail and scheduler settings apply now, the others "
             "at the next start");
}

/* Adds one CIDR to sc's trusted proxies; false (with a message) if it is not one. */
static bool add_proxy(struct server_config *sc, const char *s, size_t n)
{
    char one[128];

    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= sizeof(one))
        goto bad;
    memcpy(one, s, n);
    one[n] = '\0';
    if (sc->ntrusted >= SERVER_MAX_PROXIES) {
        fprintf(stderr, "trellis: at most %d trusted proxies\n", SERVER_MAX_PROXIES);
        return false;
    }
    if (server_parse_cidr(one, &sc->trusted[sc->ntrusted])) {
        sc->ntrusted++;
        return true;
    }
bad:
    fprintf(stderr, "trellis: trusted proxy '%.*s' is not an address or ADDRESS/BITS\n", (int)n, s);
    return false;
}

static bool positive(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*end || v <= 0)
        return false;
    *out = v;
    return true;
}

int cli_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"listen", required_argument, 0, 'l'},
                                         {"key-file", required_argument, 0, 'k'},
                                         {"threads", required_argument, 0, 't'},
                                         {"session-idle", required_argument, 0, 'i'},
                                         {"session-max", required_argument, 0, 'm'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {"test-faults", no_argument, 0, 'F'},
                                         {"public-url", required_argument, 0, 'u'},
                                         {"metrics-token", required_argument, 0, 'M'},
                                         {"smtp-url", required_argument, 0, 'S'},
                                         {"smtp-from", required_argument, 0, 'f'},
                                         {"trusted-proxy", required_argument, 0, 'P'},
                                         {"max-connections", required_argument, 0, 'C'},
                                         {"max-connections-per-address", required_argument, 0, 'A'},
                                         {"connection-timeout", required_argument, 0, 'T'},
                                         {0, 0, 0, 0}};
    struct cli_common c;
    struct server_config sc = {0};
    struct accounts_config ac = *accounts_config();
    struct errinfo ei = {0};
    const char *listen = cli_setting("listen");
    const char *public_url = cli_setting("public_url");
    struct api_config apic = {cli_setting("metrics_token"), NULL, NULL};
    struct scheduler_config sched = {0};
    const char *interval = cli_setting("scheduler_interval");
    const char *smtp_url = NULL, *smtp_from = NULL;
    const char *proxies = cli_setting("trusted_proxies");
    bool proxy_flag = false;
    struct db *db;
    long v;
    int o, lock_fd;

    cli_common_init(&c);
    sc.listen = listen ? listen : "127.0.0.1:8080";
    sc.threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    sc.body_limit = 64 * 1024;
    sc.timeout = 30;
    sc.max_connections = 1024;
    sc.max_connections_per_address = 64;
    if (!cli_remind_config() ||
        !cli_unsigned_setting("max_connections", 1, 1000000, &sc.max_connections) ||
        !cli_unsigned_setting("max_connections_per_address", 0, 1000000,
                              &sc.max_connections_per_address) ||
        !cli_unsigned_setting("connection_timeout", 1, 3600, &sc.timeout))
        return EXIT_USAGE;
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            c.db = optarg;
            break;
        case 'l':
            sc.listen = optarg;
            break;
        case 'k':
            c.key_file = optarg;
            break;
        case 't':
            if (!positive(optarg, &v) || v > 64)
                goto bad;
            sc.threads = (unsigned)v;
            break;
        case 'i':
            if (!positive(optarg, &v))
                goto bad;
            ac.session_idle = v;
            break;
        case 'm':
            if (!positive(optarg, &v))
                goto bad;
            ac.session_absolute = v;
            break;
        case 'q':
            sc.quiet = 1;
            break;
        case 'F':
            sc.test_faults = 1;
            break;
        case 'u':
            public_url = optarg;
            break;
        case 'M':
            apic.metrics_token = optarg;
            break;
        case 'S':
            smtp_url = optarg;
            break;
        case 'f':
            smtp_from = optarg;
            break;
        case 'P':
            proxy_flag = true; /* the flags replace the setting */
            if (!add_proxy(&sc, optarg, strlen(optarg)))
                return EXIT_USAGE;
            break;
        case 'C':
            if (!positive(optarg, &v) || v > 1000000)
                goto bad;
            sc.max_connections = (unsigned)v;
            break;
        case 'A':
            if (strcmp(optarg, "0") == 0)
                v = 0;
            else if (!positive(optarg, &v) || v > 1000000)
                goto bad;
            sc.max_connections_per_address = (unsigned)v;
            break;
        case 'T':
            if (!positive(optarg, &v) || v > 3600)
                goto bad;
            sc.timeout = (unsigned)v;
            break;
        case 'h':
            fputs(help, stdout);
            return EXIT_OK;
        default:
            goto bad;
        }
    }
    if (optind != argc)
        goto bad;
    if (sc.threads < 1)
        sc.threads = 1;
    for (const char *p = proxies; !proxy_flag && p && *p;) {
        size_t n = strcspn(p, ",");

        if (!add_proxy(&sc, p, n))
            return EXIT_USAGE;
        p += n;
        if (*p == ',')
            p++;
    }
    /* at most two 64 MiB password hashes at once, and one worker always left for the rest */
    ac.hash_slots = sc.threads > 2 ? 2 : 1;
    sc.hash_threads = (unsigned)ac.hash_slots;
    /* as many for slow requests as for the others: two HR views at once use both cores */
    sc.slow_threads = sc.threads > 8 ? 8 : sc.threads;
    ac.secure_cookies = public_url && strncmp(public_url, "https://", 8) == 0;
    if (!cli_mail_config(&sched.mail, smtp_url, smtp_from) || !cli_webhook_config(&sched.webhooks))
        return EXIT_USAGE;
    accounts_configure(&ac);
    apic.public_url = public_url;
    apic.mail = &sched.mail;
    api_configure(&apic);
    notify_configure(public_url);
    /* held until exit: a restore refuses while any server uses the database */
    if (!cli_db_lock(c.db, false, &lock_fd))
        return EXIT_FAIL;
    db = cli_open(&c, true);
    if (!db)
        return EXIT_FAIL;
    /* statistics before any worker prepares a statement: every worker plans with the same
     * statistics, the ones the hourly optimize keeps, from its first request */
    if (db_analyze(db) != ERR_OK)
        fprintf(stderr, "trellis: cannot gather statistics: %s\n", db_errmsg(db));
    db_close(db);   /* workers open their own connections */
    malloc_trim(0); /* what the statistics took, before the workers start */
    /* bound before the scheduler starts: a second server on a taken address sends nothing */
    sc.listen_fd = server_listen(sc.listen, &ei);
    if (sc.listen_fd < 0) {
        fprintf(stderr, "trellis: %s\n", ei.message);
        return EXIT_FAIL;
    }
    sc.db_url = c.db;
    sched.db_url = c.db;
    serve_db = c.db;
    flag_smtp_url = smtp_url;
    flag_smtp_from = smtp_from;
    sc.reload = reload;
    sched.interval = interval ? strtol(interval, NULL, 10) : 60;
    if (!scheduler_start(&sched))
        fprintf(stderr, "trellis: cannot start the scheduler\n");
    if (server_run(&sc, &ei) != ERR_OK) {
        scheduler_stop();
        fprintf(stderr, "trellis: %s\n", ei.message);
        return EXIT_FAIL;
    }
    scheduler_stop();
    if (lock_fd >= 0)
        close(lock_fd);
    return EXIT_OK;
bad:
    fputs(help, stderr);
    return EXIT_USAGE;
}
