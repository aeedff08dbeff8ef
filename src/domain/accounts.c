/* SPDX-License-Identifier: MIT */
/* See accounts.h. Passwords: HMAC-SHA-256 with the server key (the pepper), then argon2id with
 * 64 MiB and 3 passes (OWASP ASVS L2). Tokens: 32 random bytes, base64url; the database
 * keeps only their BLAKE2b hash. */
#include "domain/accounts.h"

#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/audit.h"
#include "domain/people.h"
#include "domain/sso.h"
#include "store/accounts.h"
#include "store/people.h"
#include "util/jsonx.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define KEY_LEN     32
#define HASH_HEX    (2 * 32 + 1)
#define WINDOW      (15 * 60)
#define MAX_DELAY   60
#define PW_OPSLIMIT 3
#define PW_MEMLIMIT (64u << 20)

static unsigned char server_key[KEY_LEN];
static bool key_loaded;
static struct accounts_config config = {30 * 60, 12 * 3600, 5, 30, 2, false};
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_free = PTHREAD_COND_INITIALIZER;
static int hashes_running;

void accounts_subkey(const char context[static 8], uint64_t id, unsigned char out[static 32])
{
    crypto_kdf_derive_from_key(out, 32, id, context, server_key);
}

char *accounts_seal(struct arena *a, const char context[static 8], const char *text)
{
    unsigned char key[32], nonce[crypto_secretbox_NONCEBYTES];
    size_t len = strlen(text), clen = sizeof(nonce) + crypto_secretbox_MACBYTES + len;
    unsigned char *sealed = arena_alloc(a, clen);
    char *hex = arena_alloc(a, clen * 2 + 1);

    randombytes_buf(nonce, sizeof(nonce));
    memcpy(sealed, nonce, sizeof(nonce));
    accounts_subkey(context, 1, key);
    crypto_secretbox_easy(sealed + sizeof(nonce), (const unsigned char *)text, len, nonce, key);
    sodium_memzero(key, sizeof(key));
    sodium_bin2hex(hex, clen * 2 + 1, sealed, clen);
    return hex;
}

bool accounts_unseal(const char context[static 8], const char *box, char *out, size_t outlen)
{
    unsigned char sealed[1024], key[32];
    size_t len = 0;
    bool ok;

    if (!box || sodium_hex2bin(sealed, sizeof(sealed), box, strlen(box), NULL, &len, NULL) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
        len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES >= outlen)
        return false;
    accounts_subkey(context, 1, key);
    ok = crypto_secretbox_open_easy((unsigned char *)out, sealed + crypto_secretbox_NONCEBYTES,
                                    len - crypto_secretbox_NONCEBYTES, sealed, key) == 0;
    sodium_memzero(key, sizeof(key));
    if (ok)
        out[len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES] = '\0';
    return ok;
}

void accounts_token_hash(const char *token, char out[static 65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), server_key,
                       KEY_LEN);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

void accounts_configure(const struct accounts_config *cfg)
{
    config = *cfg;
}

const struct accounts_config *accounts_config(void)
{
    return &config;
}

enum err accounts_load_key(const char *path, struct errinfo *ei)
{
    int fd;
    ssize_t n;

    if (sodium_init() < 0)
        return err_set(ei, ERR_INTERNAL, "libsodium failed to initialise");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        randombytes_buf(server_key, KEY_LEN);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return err_set(ei, ERR_INTERNAL, "cannot create key file %s: %s", path,
                           strerror(errno));
        n = write(fd, server_key, KEY_LEN);
        close(fd);
        if (n != KEY_LEN)
            return err_set(ei, ERR_INTERNAL, "cannot write key file %s", path);
        key_loaded = true;
        return ERR_OK;
    }
    if (fd < 0)
        return err_set(ei, ERR_INTERNAL, "cannot open key file %s: %s", path, strerror(errno));
    n = read(fd, server_key, KEY_LEN);
    close(fd);
    if (n != KEY_LEN)
        return err_set(ei, ERR_INTERNAL, "key file %s must hold %d bytes", path, KEY_LEN);
    key_loaded = true;
    return ERR_OK;
}

/* A bounded pool for argon2id (64 MiB and ~0.1 s of a core each): a burst of sign-ins waits
 * here instead of taking every core and all that memory from the other requests. */
static void hash_enter(void)
{
    int slots = config.hash_slots > 0 ? config.hash_slots : 1;

    pthread_mutex_lock(&hash_lock);
    while (hashes_running >= slots)
        pthread_cond_wait(&hash_free, &hash_lock);
    hashes_running++;
    pthread_mutex_unlock(&hash_lock);
}

static void hash_leave(void)
{
    pthread_mutex_lock(&hash_lock);
    hashes_running--;
    pthread_cond_signal(&hash_free);
    pthread_mutex_unlock(&hash_lock);
}

static void pepper(const char *password, char hex[HASH_HEX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256(mac, (const unsigned char *)password, strlen(password), server_key);
    sodium_bin2hex(hex, HASH_HEX, mac, sizeof(mac));
}

char *accounts_hash_password(const char *password)
{
    char in[HASH_HEX];
    char out[crypto_pwhash_argon2id_STRBYTES];
    int rc;

    if (!key_loaded)
        return NULL;
    pepper(password, in);
    hash_enter();
    rc = crypto_pwhash_argon2id_str(out, in, strlen(in), PW_OPSLIMIT, PW_MEMLIMIT);
    hash_leave();
    return rc == 0 ? xstrdup(out) : NULL;
}

bool accounts_verify_password(const char *hash, const char *password)
{
    char in[HASH_HEX];
    bool ok;

    if (!hash || !key_loaded)
        return false;
    pepper(password, in);
    hash_enter();
    ok = crypto_pwhash_argon2id_str_verify(hash, in, strlen(in)) == 0;
    hash_leave();
    return ok;
}

const char *accounts_password_problem(const char *password)
{
    size_t n = strlen(password);

    if (n < 10)
        return "must be at least 10 characters";
    if (n > 256)
        return "must be at most 256 characters";
    for (const char *const *c = accounts_common_passwords; *c; c++)
        if (strcasecmp(password, *c) == 0)
            return "is one of the most common passwords, which attackers try first; choose "
                   "another (a few unrelated words make a good one)";
    return NULL;
}

char *accounts_random_token(struct arena *a, size_t n)
{
    unsigned char raw[48];
    size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, len);

    randombytes_buf(raw, n);
    sodium_bin2base64(out, len, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static void token_hash(const char *token, char hex[HASH_HEX])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), server_key,
                       KEY_LEN);
    sodium_bin2hex(hex, HASH_HEX, h, sizeof(h));
}

/* Wall-clock milliseconds: a wait of one second is measured from the failure, not its second. */
static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whole seconds (rounded up) until key may try again, or 0. A key's row holds its failures and
 * the time of the last one in milliseconds; max failures within WINDOW of each other are free,
 * each further one doubles the wait after it (1 s, 2 s, 4 s ... at most MAX_DELAY). A wait,
 * never a lock: nobody's wrong guesses keep an account shut for longer than a minute. */
static int64_t throttled(struct db *db, const char *key, int max, int64_t now)
{
    int64_t last, failures, over, delay;

    if (store_attempts_get(db, key, &last, &failures) != ERR_OK)
        return 0;
    if (now - last >= WINDOW * 1000 || failures < max)
        return 0;
    over = failures - max;
    delay = over >= 6 ? MAX_DELAY : (int64_t)1 << over;
    if (delay > MAX_DELAY)
        delay = MAX_DELAY;
    delay *= 1000;
    return last + delay > now ? (last + delay - now + 999) / 1000 : 0;
}

static void count_failure(struct db *db, const char *key, int64_t now)
{
    int64_t last, failures;

    if (store_attempts_get(db, key, &last, &failures) != ERR_OK)
        return;
    if (now - last >= WINDOW * 1000)
        failures = 0;
    store_attempts_put(db, key, now, failures + 1);
}

static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
    dummy_hash = accounts_hash_password("not a password of anyone");
}

static enum err session_start(struct db *db, struct arena *a, int64_t person_id, const char *role,
                              const char *ip, const char *user_agent, const char *throttle_key,
                              const char *action, struct actor *actor, const char **token,
                              struct errinfo *ei);

enum err accounts_login(struct db *db, struct arena *a, const char *email, const char *password,
                        const char *ip, const char *user_agent, struct actor *actor,
                        const char **token, struct errinfo *ei)
{
    char *lemail = arena_strdup(a, email);
    char *key_email, *key_ip;
    int64_t wait, wait_ip;
    struct person p;
    struct account acc;
    bool ok = false;
    enum err rc;

    people_lower(lemail);
    /* the account's throttle is per address: someone else's wrong guesses from elsewhere never
     * slow its owner down; the looser per-address one slows a guesser trying many accounts */
    key_email = arena_printf(a, "email:%s ip:%s", lemail, ip ? ip : "-");
    key_ip = arena_printf(a, "ip:%s", ip ? ip : "-");
    wait = throttled(db, key_email, config.max_failures_account, now_ms());
    wait_ip = throttled(db, key_ip, config.max_failures_address, now_ms());
    if (wait_ip > wait)
        wait = wait_ip;
    if (wait) {
        ei->retry_after = (int)wait;
        return err_set(ei, ERR_RATE_LIMITED,
                       "too many failed sign-in attempts; try again in %lld second%s",
                       (long long)wait, wait == 1 ? "" : "s");
    }
    rc = store_people_by_email(db, a, lemail, &p);
    if (rc == ERR_OK && strcmp(p.status, "active") == 0 &&
        store_accounts_get(db, a, p.id, &acc) == ERR_OK && acc.password_hash && !acc.disabled_at)
        ok = accounts_verify_password(acc.password_hash, password);
    else {
        /* same work for unknown emails, so timing does not reveal which accounts exist */
        pthread_once(&dummy_once, make_dummy_hash);
        accounts_verify_password(dummy_hash, password);
    }
    if (!ok) {
        if (db_begin(db) == ERR_OK) {
            count_failure(db, key_email, now_ms());
            count_failure(db, key_ip, now_ms());
            if (db_commit(db) != ERR_OK)
                return err_set(ei, ERR_INTERNAL, "cannot record the failed attempt");
        }
        return err_set(ei, ERR_UNAUTHENTICATED, "the email or password is not correct");
    }
    /* the password was right: only its owner learns that their role signs in through SSO */
    if (sso_password_off(db, a, acc.role))
        return err_set(ei, ERR_FORBIDDEN,
                       "your organisation signs in through single sign-on: use the button of "
                       "your identity provider");
    return session_start(db, a, p.id, acc.role, ip, user_agent, key_email, "session.login", actor,
                         token, ei);
}

/* A new session for person_id (role as stored) in one transaction with its audit row (action)
 * and, when throttle_key is not NULL, the failed attempts under it cleared. */
static enum err session_start(struct db *db, struct arena *a, int64_t person_id, const char *role,
                              const char *ip, const char *user_agent, const char *throttle_key,
                              const char *action, struct actor *actor, const char **token,
                              struct errinfo *ei)
{
    char th[HASH_HEX];
    enum err rc;

    memset(actor, 0, sizeof(*actor));
    actor->person_id = person_id;
    actor->role = policy_role_parse(role);
    actor->via_cookie = true;
    *token = accounts_random_token(a, 32);
    snprintf(actor->csrf, sizeof(actor->csrf), "%s", accounts_random_token(a, 24));
    token_hash(*token, th);
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_sessions_insert(db, th, person_id, actor->csrf, time_now(), ip, user_agent);
        if (rc == ERR_OK && throttle_key)
            rc = store_attempts_clear(db, throttle_key);
        if (rc == ERR_OK)
            rc = audit_record(db, person_id, action, "person", person_id, NULL, NULL);
        rc = db_end(db, rc);
    }
    if (rc)
        return err_set(ei, ERR_INTERNAL, "cannot create the session");
    return ERR_OK;
}

enum err accounts_session_start(struct db *db, struct arena *a, int64_t person_id, const char *role,
                                const char *ip, const char *user_agent, const char *action,
                                struct actor *actor, const char **token, struct errinfo *ei)
{
    return session_start(db, a, person_id, role, ip, user_agent, NULL, action, actor, token, ei);
}

static enum err touch_session(struct db *db, const void *arg)
{
    const struct auth_upkeep *up = arg;

    return store_sessions_touch(db, up->session_id, up->now);
}

static enum err drop_session(struct db *db, const void *arg)
{
    const struct auth_upkeep *up = arg;

    return store_sessions_delete(db, up->ended_session_id);
}

static enum err touch_token(struct db *db, const void *arg)
{
    const struct auth_upkeep *up = arg;
    char now[21], stale[21];

    /* the UPDATE's own condition keeps concurrent requests from writing it twice */
    time_rfc3339(up->now, now);
    time_rfc3339(up->now - 60, stale);
    return store_tokens_touch(db, up->token_id, now, stale);
}

void accounts_upkeep(struct db *db, const struct auth_upkeep *up)
{
    if (!db)
        return;
    /* bookkeeping: never makes a request wait behind a long write (nor fail with it) */
    if (up->ended_session_id)
        (void)db_try_write(db, drop_session, up);
    if (up->session_id)
        (void)db_try_write(db, touch_session, up);
    if (up->token_id)
        (void)db_try_write(db, touch_token, up);
}

enum err accounts_authenticate_session(struct db *db, struct arena *a, const char *token,
                                       struct actor *actor, struct auth_upkeep *up)
{
    char th[HASH_HEX];
    struct session_row s;
    int64_t now = time_now();
    int64_t touch_every = config.session_idle / 4 < 60 ? config.session_idle / 4 : 60;

    token_hash(token, th);
    if (store_sessions_get(db, a, th, &s) != ERR_OK)
        return ERR_UNAUTHENTICATED;
    if (now - s.last_seen > config.session_idle || now - s.created_at > config.session_absolute) {
        up->ended_session_id = s.id;
        return ERR_UNAUTHENTICATED;
    }
    if (now - s.last_seen >= touch_every) {
        up->session_id = s.id;
        up->now = now;
    }
    memset(actor, 0, sizeof(*actor));
    actor->person_id = s.person_id;
    actor->role = policy_role_parse(s.role);
    actor->via_cookie = true;
    actor->session_id = s.id;
    snprintf(actor->csrf, sizeof(actor->csrf), "%s", s.csrf);
    return actor->role == ROLE_NONE ? ERR_UNAUTHENTICATED : ERR_OK;
}

enum err accounts_authenticate_token(struct db *db, struct arena *a, const char *token,
                                     struct actor *actor, struct auth_upkeep *up)
{
    char th[HASH_HEX], now[21], stale[21];
    struct token_auth t;
    int64_t when = time_now();
    uint64_t stamp = db_memo_stamp(db); /* before the read: a commit after it counts */
    int64_t kept[3];

    token_hash(token, th);
    /* a client's burst of reads looks its token up once (db_memo: until anything is committed,
     * two seconds at most) */
    if (db_memo_get(db, th, stamp, kept)) {
        memset(actor, 0, sizeof(*actor));
        actor->person_id = kept[0];
        actor->role = (enum role)kept[1];
        actor->token_id = kept[2];
        return ERR_OK;
    }
    time_rfc3339(when, now);
    if (store_tokens_get(db, a, th, now, &t) != ERR_OK)
        return ERR_UNAUTHENTICATED;
    memset(actor, 0, sizeof(*actor));
    actor->person_id = t.person_id;
    actor->role = policy_role_parse(t.role);
    actor->token_id = t.id;
    if (actor->role == ROLE_NONE)
        return ERR_UNAUTHENTICATED;
    /* last_used_at moves at most once a minute: no write on most requests */
    time_rfc3339(when - 60, stale);
    if (!t.last_used_at || strcmp(t.last_used_at, stale) < 0) {
        up->token_id = t.id;
        up->now = when;
    }
    db_memo_put(db, th, stamp, (int64_t[3]){actor->person_id, actor->role, actor->token_id});
    return ERR_OK;
}

enum err accounts_logout(struct db *db, const struct actor *actor)
{
    enum err rc;

    if (!actor->session_id)
        return ERR_OK;
    rc = db_begin(db);
    if (rc)
        return rc;
    rc = store_sessions_delete(db, actor->session_id);
    if (rc == ERR_OK)
        rc = audit_record(db, actor->person_id, "session.logout", "person", actor->person_id, NULL,
                          NULL);
    if (rc) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

const char *accounts_token_name_problem(const char *name)
{
    size_t chars = 0;
    bool visible = false;

    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if ((*c & 0xC0) != 0x80)
            chars++;
        if (*c < 0x20 || *c == 0x7F)
            return "must not contain control characters";
        if (*c != ' ')
            visible = true;
    }
    if (!visible)
        return "must not be empty";
    if (chars > 100)
        return "must be at most 100 characters";
    return NULL;
}

enum err accounts_issue_token(struct db *db, struct arena *a, int64_t actor_id, int64_t person_id,
                              const char *name, int64_t expires_in_days, struct issued_token *out,
                              struct errinfo *ei)
{
    char th[HASH_HEX], now[21], expires[21];
    int64_t when = time_now();
    const char *problem = accounts_token_name_problem(name);
    json_t *after;
    enum err rc;

    if (problem)
        err_field(ei, "name", "%s", problem);
    if (expires_in_days < 0 || expires_in_days > 365)
        err_field(ei, "expires_in_days", "must be a whole number of days from 1 to 365");
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    time_rfc3339(when, now);
    if (expires_in_days)
        time_rfc3339(when + expires_in_days * 86400, expires);
    out->token = arena_printf(a, "trl_%s", accounts_random_token(a, 32));
    out->created_at = arena_strdup(a, now);
    out->expires_at = expires_in_days ? arena_strdup(a, expires) : NULL;
    token_hash(out->token, th);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot store the token");
    rc = store_tokens_insert(db, th, person_id, name, now, out->expires_at, &out->id);
    if (rc == ERR_OK) {
        /* the audit row names the token, never its secret or hash */
        after = json_pack("{s:I, s:s, s:o}", "token_id", (json_int_t)out->id, "name", name,
                          "expires_at", jsonx_str_or_null(out->expires_at));
        rc = audit_record(db, actor_id, "token.issue", "person", person_id, NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot store the token");
    return ERR_OK;
}

enum err accounts_revoke_token(struct db *db, int64_t actor_id, int64_t person_id, int64_t token_id,
                               struct errinfo *ei)
{
    char now[21];
    json_t *before = NULL, *after;
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot revoke the token");
    rc = store_tokens_get_of(db, person_id, token_id, &before);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, ERR_NOT_FOUND, "no such token");
    }
    /* revoking a revoked token changes nothing and records nothing */
    if (rc == ERR_OK && json_is_null(json_object_get(before, "revoked_at"))) {
        rc = store_tokens_revoke(db, token_id, now);
        if (rc == ERR_OK) {
            after = json_deep_copy(before);
            json_object_set_new(after, "revoked_at", json_string(now));
            rc = audit_record(db, actor_id, "token.revoke", "person", person_id, before, after);
            json_decref(after);
        }
    }
    json_decref(before);
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot revoke the token");
    return ERR_OK;
}

/* Stores a new hash for person_id, ends their sessions and (revoke_tokens) revokes their API
 * tokens, with an audit row, in one transaction. */
static enum err set_password(struct db *db, int64_t actor_id, int64_t person_id,
                             const char *password, const char *action, bool revoke_tokens,
                             struct errinfo *ei)
{
    char now[21];
    char *hash = accounts_hash_password(password);
    int64_t tokens = 0;
    json_t *after = NULL;
    enum err rc;

    if (!hash)
        return err_set(ei, ERR_INTERNAL, "cannot hash the password");
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_accounts_set_password(db, person_id, hash, now);
        if (rc == ERR_OK)
            rc = store_sessions_delete_person(db, person_id);
        if (rc == ERR_OK && revoke_tokens) {
            rc = store_tokens_count_live(db, person_id, &tokens);
            if (rc == ERR_OK)
                rc = store_tokens_revoke_person(db, person_id, now);
            after =
                json_pack("{s:b, s:I}", "sessions_ended", 1, "tokens_revoked", (json_int_t)tokens);
        }
        if (rc == ERR_OK)
            rc = audit_record(db, actor_id, action, "person", person_id, NULL, after);
        rc = db_end(db, rc);
    }
    json_decref(after);
    free(hash);
    if (rc)
        return err_set(ei, ERR_INTERNAL, "cannot store the password");
    return ERR_OK;
}

enum err accounts_change_password(struct db *db, const struct actor *actor, const char *current,
                                  const char *next, struct errinfo *ei)
{
    struct arena *a = arena_new();
    struct account acc;
    const char *problem = accounts_password_problem(next);
    enum err rc;

    if (problem) {
        err_field(ei, "new_password", "%s", problem);
        rc = err_fields_result(ei);
        goto out;
    }
    rc = store_accounts_get(db, a, actor->person_id, &acc);
    if (rc)
        goto out;
    if (!accounts_verify_password(acc.password_hash, current)) {
        err_field(ei, "current_password", "is not correct");
        rc = err_fields_result(ei);
        goto out;
    }
    rc = set_password(db, actor->person_id, actor->person_id, next, "account.password_change",
                      false, ei);
out:
    arena_free(a);
    return rc;
}

enum err accounts_reset_password(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t person_id, const char **temporary, struct errinfo *ei)
{
    struct account acc;

    if (store_accounts_get(db, a, person_id, &acc) != ERR_OK)
        return err_set(ei, ERR_NOT_FOUND, "this person has no account");
    *temporary = accounts_random_token(a, 15);
    return set_password(db, actor->person_id, person_id, *temporary, "account.password_reset", true,
                        ei);
}

enum err accounts_passwd(struct db *db, struct arena *a, const char *email, const char *password,
                         struct errinfo *ei)
{
    char *lemail = arena_strdup(a, email);
    const char *problem = accounts_password_problem(password);
    struct person p;
    struct account acc;

    people_lower(lemail);
    if (problem)
        return err_set(ei, ERR_VALIDATION, "password %s", problem);
    if (store_people_by_email(db, a, lemail, &p) != ERR_OK ||
        store_accounts_get(db, a, p.id, &acc) != ERR_OK)
        return err_set(ei, ERR_NOT_FOUND, "no account has the email %s", email);
    return set_password(db, 0, p.id, password, "account.password_set", true, ei);
}

enum err accounts_add(struct db *db, struct arena *a, const char *email, enum role role,
                      const char *password, struct errinfo *ei)
{
    char now[21];
    char *lemail = arena_strdup(a, email);
    const char *problem = accounts_password_problem(password);
    struct person p;
    int64_t naccounts = 0;
    char *hash;
    enum err rc;

    people_lower(lemail);
    if (problem)
        return err_set(ei, ERR_VALIDATION, "password %s", problem);
    time_rfc3339(time_now(), now);
    rc = store_people_by_email(db, a, lemail, &p);
    if (rc == ERR_NOT_FOUND) {
        /* docs/api.md: the first admin may exist before any person is imported */
        if (store_accounts_count(db, &naccounts) != ERR_OK || naccounts > 0 || role != ROLE_ADMIN)
            return err_set(ei, ERR_NOT_FOUND, "no person has the email %s; import people first",
                           email);
        memset(&p, 0, sizeof(p));
        p.email = lemail;
        p.name = "Administrator";
        p.sort_name = "administrator";
        p.status = "active";
    } else if (rc) {
        return err_set(ei, rc, "cannot read people: %s", db_errmsg(db));
    }
    hash = accounts_hash_password(password);
    if (!hash)
        return err_set(ei, ERR_INTERNAL, "cannot hash the password");
    rc = db_begin(db);
    if (rc == ERR_OK && p.id == 0)
        rc = store_people_insert(db, &p, now);
    if (rc == ERR_OK)
        rc = store_accounts_upsert(db, p.id, policy_role_name(role), hash, now);
    if (rc == ERR_OK) { /* the role, never the password */
        json_t *after = json_pack("{s:s, s:s}", "email", p.email, "role", policy_role_name(role));

        rc = audit_record(db, 0, "account.set", "person", p.id, NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    free(hash);
    if (rc)
        return err_set(ei, ERR_INTERNAL, "cannot store the account: %s", db_errmsg(db));
    return ERR_OK;
}
