/* SPDX-License-Identifier: MIT */
/* See sso.h. The provider is asked over HTTP (libcurl) for its discovery document, its key set,
 * the token exchange and, when the ID token carries no email, the userinfo endpoint; none of
 * these calls runs inside a transaction. Tokens and codes never reach the log. */
#include "domain/sso.h"

#include <curl/curl.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/people.h"
#include "store/accounts.h"
#include "store/people.h"
#include "store/settings.h"
#include "store/sso.h"
#include "util/buf.h"
#include "util/jsonx.h"
#include "util/jws.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

#define HTTP_TIMEOUT 10L
#define HTTP_MAX     (1u << 20)
#define CLOCK_SKEW   120
#define SEAL_CONTEXT "ssoclnt1"
#define PASSWORD_OFF "sso.password_off_roles"
#define SECRET_MAX   1024
static const char *const roles[] = {"employee", "hr", "admin", NULL};

/* ---- HTTP to the provider ------------------------------------------------------------------ */

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
    return buf_addn(arg, p, size * n) == ERR_OK ? size * n : 0;
}

/* GET (form NULL) or POST form to url with an optional Authorization header; *out is the JSON
 * object it answered with 2xx (released with a). why says what went wrong otherwise. */
static bool http_json(struct arena *a, const char *url, const char *form, const char *auth,
                      json_t **out, const char **why)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct buf b;
    long code = 0;
    CURLcode cc;
    json_t *j = NULL;

    *out = NULL;
    if (!c) {
        *why = "cannot start libcurl";
        return false;
    }
    buf_init(&b, HTTP_MAX);
    h = curl_slist_append(h, "Accept: application/json");
    h = curl_slist_append(h, "User-Agent: Trellis-SSO/1");
    if (auth)
        h = curl_slist_append(h, auth);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HTTP_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, HTTP_TIMEOUT);
    if (form)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    cc = curl_easy_perform(c);
    if (cc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (cc != CURLE_OK)
        *why = arena_printf(a, "cannot reach %s: %s", url, curl_easy_strerror(cc));
    else if (!(j = json_loadb(buf_str(&b), b.len, 0, NULL)) || !json_is_object(j))
        *why = arena_printf(a, "%s answered HTTP %ld without a JSON object", url, code);
    else if (code < 200 || code > 299) {
        const char *e = json_string_value(json_object_get(j, "error"));

        *why = arena_printf(a, "%s answered HTTP %ld (%s)", url, code, e ? e : "no error code");
    } else {
        *out = j;
        arena_defer(a, (void (*)(void *))json_decref, j);
        j = NULL;
    }
    json_decref(j);
    buf_cleanup(&b);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return *out != NULL;
}

/* The issuer without a trailing slash, as issuers are compared. */
static const char *issuer_key(struct arena *a, const char *issuer)
{
    size_t n = strlen(issuer);

    while (n > 0 && issuer[n - 1] == '/')
        n--;
    return arena_strndup(a, issuer, n);
}

/* The provider's discovery document, checked: it names the same issuer and has the endpoints
 * the code flow needs. */
static bool discover(struct arena *a, const char *issuer, json_t **doc, const char **why)
{
    const char *url = arena_printf(a, "%s/.well-known/openid-configuration", issuer_key(a, issuer));
    const char *iss, *need[] = {"authorization_endpoint", "token_endpoint", "jwks_uri", NULL};

    if (!http_json(a, url, NULL, NULL, doc, why))
        return false;
    iss = json_string_value(json_object_get(*doc, "issuer"));
    if (!iss || strcmp(issuer_key(a, iss), issuer_key(a, issuer)) != 0) {
        *why = arena_printf(a, "the discovery document names the issuer %s, not %s",
                            iss ? iss : "(none)", issuer);
        return false;
    }
    for (int i = 0; need[i]; i++)
        if (!json_string_value(json_object_get(*doc, need[i]))) {
            *why = arena_printf(a, "the discovery document has no %s", need[i]);
            return false;
        }
    return true;
}

static const char *doc_str(const json_t *doc, const char *key)
{
    return json_string_value(json_object_get(doc, key));
}

/* ---- admin: providers and the password sign-in switch ------------------------------------- */

/* The roles password sign-in is off for, as stored (a JSON array; empty when never set). */
static json_t *password_off_roles(struct db *db, struct arena *a)
{
    const char *v = store_setting_get(db, a, PASSWORD_OFF);
    json_t *j = v ? json_loads(v, 0, NULL) : NULL;

    if (!json_is_array(j)) {
        json_decref(j);
        j = json_array();
    }
    return j;
}

bool sso_password_off(struct db *db, struct arena *a, const char *role)
{
    json_t *j = password_off_roles(db, a), *v;
    size_t i;
    bool off = false;

    json_array_foreach(j, i, v) off =
        off || (role && json_string_value(v) && strcmp(json_string_value(v), role) == 0);
    json_decref(j);
    /* with no enabled provider nobody could sign in: the switch holds only with one */
    return off && store_sso_providers_enabled(db) > 0;
}

enum err sso_public_providers(struct db *db, json_t **out)
{
    json_t *all;
    enum err rc = store_sso_providers_json(db, true, &all);
    json_t *v;
    size_t i;

    if (rc)
        return rc;
    *out = json_array();
    json_array_foreach(all, i, v)
        json_array_append_new(*out, json_pack("{s:O, s:O}", "id", json_object_get(v, "id"), "name",
                                              json_object_get(v, "name")));
    json_decref(all);
    return ERR_OK;
}

static const char *redirect_uri(struct arena *a, const char *base)
{
    return arena_printf(a, "%s" SSO_CALLBACK_PATH, base);
}

/* One provider for admins: no secret, only whether it is set. */
static json_t *provider_json(struct arena *a, const struct sso_provider *p, const char *base)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:s}", "id", (json_int_t)p->id, "name",
                     p->name, "issuer", p->issuer, "client_id", p->client_id, "client_secret_set",
                     p->client_secret && *p->client_secret, "trust_email", p->trust_email,
                     "enabled", p->enabled, "redirect_uri", redirect_uri(a, base));
}

enum err sso_settings_get(struct db *db, struct arena *a, const struct actor *actor,
                          const char *base, json_t **out, struct errinfo *ei)
{
    json_t *items, *v;
    size_t i;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can change single sign-on");
    rc = store_sso_providers_json(db, false, &items);
    if (rc)
        return err_set(ei, rc, "cannot read the identity providers");
    json_array_foreach(items, i, v)
    {
        json_object_set_new(v, "client_secret_set", json_true());
        json_object_set_new(v, "redirect_uri", json_string(redirect_uri(a, base)));
    }
    *out = json_pack("{s:o, s:s, s:o}", "providers", items, "redirect_uri", redirect_uri(a, base),
                     "password_off_roles", password_off_roles(db, a));
    return *out ? ERR_OK : ERR_INTERNAL;
}

enum err sso_settings_patch(struct db *db, struct arena *a, const struct actor *actor,
                            const char *base, json_t *body, json_t **out, struct errinfo *ei)
{
    static const char *const allowed[] = {"password_off_roles", NULL};
    json_t *list = json_object_get(body, "password_off_roles"), *v, *before = NULL;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);
    char now[21];
    char *text;
    size_t i;

    if (rc)
        return err_set(ei, rc, "only admins can change single sign-on");
    jsonx_only(body, allowed, ei);
    if (!json_is_array(list))
        err_field(ei, "password_off_roles", "must be a list of roles (employee, hr, admin)");
    json_array_foreach(list, i, v)
    {
        bool known = false;

        for (int k = 0; roles[k] && json_is_string(v); k++)
            known = known || strcmp(json_string_value(v), roles[k]) == 0;
        if (!known)
            err_field(ei, "password_off_roles", "each must be employee, hr or admin");
    }
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    text = jsonx_dump(list);
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc == ERR_OK) {
        before = password_off_roles(db, a);
        if (json_array_size(list) > 0 && store_sso_providers_enabled(db) == 0) {
            err_field(ei, "password_off_roles",
                      "add and enable an identity provider before turning password sign-in off");
            rc = err_fields_result(ei);
        }
        if (rc == ERR_OK)
            rc = store_setting_put(db, PASSWORD_OFF, text, actor->person_id, now);
        if (rc == ERR_OK)
            rc = audit_record(db, actor->person_id, "settings.sso", "settings", 0, before, list);
        rc = db_end(db, rc);
    }
    free(text);
    json_decref(before);
    if (rc)
        return rc == ERR_VALIDATION ? rc : err_set(ei, rc, "cannot change single sign-on");
    return sso_settings_get(db, a, actor, base, out, ei);
}

enum err sso_password_on(struct db *db, struct arena *a)
{
    json_t *before = NULL, *after = json_array();
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK) {
        before = password_off_roles(db, a);
        rc = store_setting_put(db, PASSWORD_OFF, "[]", 0, now);
    }
    if (rc == ERR_OK)
        rc = audit_record(db, 0, "settings.sso", "settings", 0, before, after);
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

/* Whether url is http(s) with a host; plain http only for a loopback host (a provider for
 * tests or on the same machine). */
static bool issuer_ok(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    bool ok = false;

    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host && *host)
        ok = strcmp(scheme, "https") == 0 ||
             (strcmp(scheme, "http") == 0 &&
              (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
               strcmp(host, "[::1]") == 0));
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

/* Reads body's members over p (those sent); field errors in ei. *secret is the new secret when
 * one was sent. */
static void provider_fields(json_t *body, struct sso_provider *p, const char **secret,
                            struct errinfo *ei)
{
    static const char *const allowed[] = {"name",        "issuer",  "client_id", "client_secret",
                                          "trust_email", "enabled", NULL};

    jsonx_only(body, allowed, ei);
    jsonx_str(body, "name", &p->name, 100, false, ei);
    jsonx_str(body, "issuer", &p->issuer, 500, false, ei);
    jsonx_str(body, "client_id", &p->client_id, 255, false, ei);
    jsonx_str(body, "client_secret", secret, SECRET_MAX, false, ei);
    jsonx_bool(body, "trust_email", &p->trust_email, ei);
    jsonx_bool(body, "enabled", &p->enabled, ei);
    if (!p->name || !*p->name)
        err_field(ei, "name", "is required");
    if (!p->issuer || !*p->issuer)
        err_field(ei, "issuer", "is required");
    else if (!issuer_ok(p->issuer))
        err_field(ei, "issuer", "must be an https:// URL (http:// only on this machine)");
    if (!p->client_id || !*p->client_id)
        err_field(ei, "client_id", "is required");
}

/* The audit image of a provider: never the secret. */
static json_t *provider_image(const struct sso_provider *p)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:b}", "name", p->name, "issuer", p->issuer, "client_id",
                     p->client_id, "trust_email", p->trust_email, "enabled", p->enabled);
}

/* Writes p (new when p->id is 0) after checking the issuer answers discovery. */
static enum err provider_save(struct db *db, struct arena *a, const struct actor *actor,
                              const char *base, struct sso_provider *p,
                              const struct sso_provider *before, const char *secret, json_t **out,
                              struct errinfo *ei)
{
    json_t *doc, *img_before = before ? provider_image(before) : NULL, *img_after;
    const char *why;
    char now[21];
    enum err rc;

    if (secret)
        p->client_secret = accounts_seal(a, SEAL_CONTEXT, secret);
    else if (!p->client_secret)
        err_field(ei, "client_secret", "is required");
    if (!ei->nfields && (!before || strcmp(before->issuer, p->issuer) != 0) &&
        !discover(a, p->issuer, &doc, &why))
        err_field(ei, "issuer", "%s", why);
    rc = err_fields_result(ei);
    if (rc) {
        json_decref(img_before);
        return rc;
    }
    time_rfc3339(time_now(), now);
    img_after = provider_image(p);
    rc = db_begin(db);
    if (rc == ERR_OK) {
        struct sso_provider cur;

        /* the row is read again inside: a provider deleted meanwhile is not written back */
        if (p->id && store_sso_provider_get(db, a, p->id, &cur) != ERR_OK)
            rc = err_set(ei, ERR_NOT_FOUND, "no such identity provider");
        else if (p->id)
            rc = store_sso_provider_update(db, p, now);
        else
            rc = store_sso_provider_insert(db, p, now, &p->id);
        if (rc == ERR_OK)
            rc = audit_record(db, actor->person_id,
                              before ? "sso.provider.update" : "sso.provider.create",
                              "sso_provider", p->id, img_before, img_after);
        rc = db_end(db, rc);
    }
    json_decref(img_before);
    json_decref(img_after);
    if (rc)
        return rc == ERR_NOT_FOUND ? rc : err_set(ei, rc, "cannot save the identity provider");
    *out = provider_json(a, p, base);
    return ERR_OK;
}

enum err sso_provider_create(struct db *db, struct arena *a, const struct actor *actor,
                             const char *base, json_t *body, json_t **out, struct errinfo *ei)
{
    struct sso_provider p = {.enabled = true};
    const char *secret = NULL;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can change single sign-on");
    provider_fields(body, &p, &secret, ei);
    return provider_save(db, a, actor, base, &p, NULL, secret, out, ei);
}

enum err sso_provider_patch(struct db *db, struct arena *a, const struct actor *actor,
                            const char *base, int64_t id, json_t *body, json_t **out,
                            struct errinfo *ei)
{
    struct sso_provider before, p;
    const char *secret = NULL;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can change single sign-on");
    rc = store_sso_provider_get(db, a, id, &before);
    if (rc)
        return err_set(ei, rc, "no such identity provider");
    p = before;
    provider_fields(body, &p, &secret, ei);
    return provider_save(db, a, actor, base, &p, &before, secret, out, ei);
}

enum err sso_provider_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             struct errinfo *ei)
{
    struct sso_provider p;
    json_t *img = NULL, *off;
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can change single sign-on");
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_sso_provider_get(db, a, id, &p);
        if (rc)
            err_set(ei, rc, "no such identity provider");
        off = password_off_roles(db, a);
        if (rc == ERR_OK && p.enabled && json_array_size(off) > 0 &&
            store_sso_providers_enabled(db) == 1)
            rc = err_set(ei, ERR_CONFLICT,
                         "password sign-in is off for some roles and this is the last identity "
                         "provider: turn password sign-in back on first");
        json_decref(off);
        if (rc == ERR_OK) {
            img = provider_image(&p);
            rc = store_sso_provider_delete(db, id);
        }
        if (rc == ERR_OK)
            rc = audit_record(db, actor->person_id, "sso.provider.delete", "sso_provider", id, img,
                              NULL);
        rc = db_end(db, rc);
    }
    json_decref(img);
    if (rc && !ei->message[0])
        return err_set(ei, rc, "cannot remove the identity provider");
    return rc;
}

enum err sso_identities(struct db *db, int64_t person_id, json_t **out)
{
    return store_sso_identities_json(db, person_id, out);
}

/* ---- the sign-in ------------------------------------------------------------------------- */

static const char *s256(struct arena *a, const char *verifier)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    size_t len = sodium_base64_ENCODED_LEN(sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = arena_alloc(a, len);

    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, len, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

static const char *hashed(struct arena *a, const char *secret)
{
    char *out = arena_alloc(a, 65);

    accounts_token_hash(secret, out);
    return out;
}

/* A provider that may be used for signing in, with its discovery document. */
static enum err usable(struct db *db, struct arena *a, int64_t id, struct sso_provider *p,
                       json_t **doc, struct errinfo *ei)
{
    const char *why;

    *doc = NULL;
    if (store_sso_provider_get(db, a, id, p) != ERR_OK || !p->enabled)
        return err_set(ei, ERR_NOT_FOUND, "no such identity provider");
    if (!discover(a, p->issuer, doc, &why)) {
        log_warn("sso: provider %lld: %s", (long long)id, why);
        return err_set(ei, ERR_UNAVAILABLE, "%s cannot be reached; try again later", p->name);
    }
    return ERR_OK;
}

enum err sso_begin(struct db *db, struct arena *a, int64_t id, const char *redirect,
                   const char *next, const char **location, const char **browser,
                   struct errinfo *ei)
{
    struct sso_provider p;
    struct sso_login l = {.provider_id = id, .created_at = time_now()};
    const char *state = accounts_random_token(a, 32), *ep;
    json_t *doc = NULL;
    enum err rc = usable(db, a, id, &p, &doc, ei);

    if (rc)
        return rc;
    *browser = accounts_random_token(a, 32);
    l.browser_hash = hashed(a, *browser);
    l.nonce = accounts_random_token(a, 24);
    l.verifier = accounts_random_token(a, 32);
    /* a web-app route only, of printable characters (it goes back into a Location header) */
    l.next = next && next[0] == '#' && next[1] == '/' && strlen(next) < 500 &&
                     strspn(next, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                  "#/?&=%-_.~+,:;!*'()@") == strlen(next)
                 ? next
                 : "#/";
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_sso_logins_expire(db, l.created_at - SSO_LOGIN_TTL);
        if (rc == ERR_OK)
            rc = store_sso_login_insert(db, hashed(a, state), &l);
        rc = db_end(db, rc);
    }
    if (rc)
        return err_set(ei, rc, "cannot start the sign-in");
    ep = doc_str(doc, "authorization_endpoint");
    *location = arena_printf(
        a,
        "%s%cresponse_type=code&client_id=%s&redirect_uri=%s&scope=openid%%20email%%20profile"
        "&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256",
        ep, strchr(ep, '?') ? '&' : '?', text_url_encode(a, p.client_id),
        text_url_encode(a, redirect), state, l.nonce, s256(a, l.verifier));
    return ERR_OK;
}

/* Logs the cause and answers the person with msg. */
static enum err refuse(struct errinfo *ei, enum err e, int64_t id, const char *cause,
                       const char *msg)
{
    log_warn("sso: provider %lld: sign-in refused: %s", (long long)id, cause);
    return err_set(ei, e, "%s", msg);
}

static bool has_audience(const json_t *claims, const char *client_id)
{
    const json_t *aud = json_object_get(claims, "aud"), *v;
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    size_t i;
    bool found = false;

    if (json_is_string(aud))
        return strcmp(json_string_value(aud), client_id) == 0;
    json_array_foreach(aud, i, v) found =
        found || (json_is_string(v) && strcmp(json_string_value(v), client_id) == 0);
    /* with several audiences the token must have been issued to us (OIDC Core 3.1.3.7) */
    return found && (json_array_size(aud) == 1 || (azp && strcmp(azp, client_id) == 0));
}

/* Checks the claims of a verified ID token; the problem, or NULL. */
static const char *claims_problem(struct arena *a, const json_t *c, const json_t *doc,
                                  const struct sso_provider *p, const char *nonce)
{
    const char *iss = json_string_value(json_object_get(c, "iss"));
    const char *n = json_string_value(json_object_get(c, "nonce"));
    const char *sub = json_string_value(json_object_get(c, "sub"));
    const json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
    int64_t now = time_now();

    if (!iss || strcmp(iss, doc_str(doc, "issuer")) != 0)
        return arena_printf(a, "the ID token's issuer is %s", iss ? iss : "missing");
    if (!has_audience(c, p->client_id))
        return "the ID token was not issued to this client";
    if (!json_is_integer(exp) || json_integer_value(exp) < now - CLOCK_SKEW)
        return "the ID token has expired";
    if (!json_is_integer(iat) || json_integer_value(iat) > now + CLOCK_SKEW)
        return "the ID token was issued in the future";
    if (!n || strcmp(n, nonce) != 0)
        return "the ID token's nonce is not this sign-in's";
    if (!sub || !*sub || strlen(sub) > 255)
        return "the ID token has no subject";
    return NULL;
}

/* The token endpoint's answer to the code (client_secret_basic, or _post when the provider
 * only takes that). */
static bool exchange(struct arena *a, const json_t *doc, const struct sso_provider *p,
                     const char *code, const char *redirect, const char *verifier, json_t **out,
                     const char **why)
{
    char secret[SECRET_MAX + 1];
    const json_t *methods = json_object_get(doc, "token_endpoint_auth_methods_supported"), *m;
    bool basic = !json_is_array(methods) || json_array_size(methods) == 0;
    const char *form, *auth = NULL;
    size_t i;

    if (!accounts_unseal(SEAL_CONTEXT, p->client_secret, secret, sizeof(secret))) {
        *why = "the client secret cannot be opened with this server's key";
        return false;
    }
    json_array_foreach(methods, i, m) basic =
        basic || (json_is_string(m) && strcmp(json_string_value(m), "client_secret_basic") == 0);
    form = arena_printf(a, "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s",
                        text_url_encode(a, code), text_url_encode(a, redirect), verifier);
    if (basic) {
        const char *pair =
            arena_printf(a, "%s:%s", text_url_encode(a, p->client_id), text_url_encode(a, secret));
        size_t len = sodium_base64_ENCODED_LEN(strlen(pair), sodium_base64_VARIANT_ORIGINAL);
        char *b64 = arena_alloc(a, len);

        sodium_bin2base64(b64, len, (const unsigned char *)pair, strlen(pair),
                          sodium_base64_VARIANT_ORIGINAL);
        auth = arena_printf(a, "Authorization: Basic %s", b64);
    } else {
        form = arena_printf(a, "%s&client_id=%s&client_secret=%s", form,
                            text_url_encode(a, p->client_id), text_url_encode(a, secret));
    }
    sodium_memzero(secret, sizeof(secret));
    return http_json(a, doc_str(doc, "token_endpoint"), form, auth, out, why);
}

/* The person's email and whether it is verified: from the ID token, else the userinfo endpoint
 * (whose subject must be the token's). */
static void email_of(struct arena *a, const json_t *doc, const json_t *claims, const json_t *tokens,
                     const char **email, bool *verified)
{
    const json_t *src = claims;
    json_t *info = NULL;
    const char *access = json_string_value(json_object_get(tokens, "access_token"));
    const char *ui = doc_str(doc, "userinfo_endpoint"), *why;

    if (!json_string_value(json_object_get(claims, "email")) && ui && access &&
        http_json(a, ui, NULL, arena_printf(a, "Authorization: Bearer %s", access), &info, &why)) {
        const char *s1 = json_string_value(json_object_get(info, "sub"));

        if (s1 && strcmp(s1, json_string_value(json_object_get(claims, "sub"))) == 0)
            src = info;
    }
    *email = json_string_value(json_object_get(src, "email"));
    *verified = json_is_true(json_object_get(src, "email_verified"));
}

/* In one transaction: the person of the subject (or of the verified email, then linked), their
 * account (created without a password when they have none) and a new session. */
static enum err link_and_sign_in(struct db *db, struct arena *a, const struct sso_provider *p,
                                 const char *sub, const char *email, bool verified, const char *ip,
                                 const char *ua, struct actor *actor, const char **token,
                                 struct errinfo *ei)
{
    struct person person;
    struct account acc;
    int64_t pid;
    char now[21];
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot sign you in");
    time_rfc3339(time_now(), now);
    pid = store_sso_identity_person(db, p->id, sub);
    if (!pid) {
        char *lower = email ? arena_strdup(a, email) : NULL;

        people_lower(lower);
        if (!lower || !verified)
            rc = refuse(ei, ERR_FORBIDDEN, p->id, "no verified email for a new subject",
                        "your identity provider did not send a verified email address, so "
                        "Trellis cannot tell who you are; ask your administrator");
        else if (store_people_by_email(db, a, lower, &person) != ERR_OK)
            rc = refuse(ei, ERR_FORBIDDEN, p->id, "no person with the email",
                        arena_printf(a,
                                     "nobody with the email %s is in your organisation's "
                                     "directory; ask HR to add you",
                                     lower));
        else
            pid = person.id;
    }
    if (rc == ERR_OK &&
        (store_people_get(db, a, pid, &person) != ERR_OK || strcmp(person.status, "active") != 0))
        rc = refuse(ei, ERR_FORBIDDEN, p->id, "the person is not active",
                    "your account is not active; ask your administrator");
    if (rc == ERR_OK && store_accounts_get(db, a, pid, &acc) == ERR_NOT_FOUND) {
        rc = store_sso_account_ensure(db, pid, now);
        if (rc == ERR_OK) {
            json_t *after = json_pack("{s:s, s:s}", "role", "employee", "login_method", "sso");

            rc = audit_record(db, pid, "account.create", "person", pid, NULL, after);
            json_decref(after);
        }
        if (rc == ERR_OK)
            rc = store_accounts_get(db, a, pid, &acc);
    }
    if (rc == ERR_OK && acc.disabled_at)
        rc = refuse(ei, ERR_FORBIDDEN, p->id, "the account is deactivated",
                    "your account is deactivated; ask your administrator");
    if (rc == ERR_OK && !store_sso_identity_person(db, p->id, sub)) {
        json_t *after = json_pack("{s:s, s:s?}", "provider", p->name, "email", email);

        rc = audit_record(db, pid, "sso.link", "person", pid, NULL, after);
        json_decref(after);
    }
    if (rc == ERR_OK)
        rc = store_sso_identity_put(db, p->id, sub, pid, email, now);
    if (rc == ERR_OK)
        rc = accounts_session_start(db, a, pid, acc.role, ip, ua, "session.login_sso", actor, token,
                                    ei);
    rc = db_end(db, rc);
    if (rc && !ei->message[0])
        return err_set(ei, rc, "cannot sign you in");
    return rc;
}

enum err sso_finish(struct db *db, struct arena *a, const char *redirect, const char *code,
                    const char *state, const char *browser, const char *ip, const char *user_agent,
                    struct actor *actor, const char **token, const char **next, struct errinfo *ei)
{
    struct sso_provider p;
    struct sso_login l;
    json_t *doc = NULL, *tokens, *jwks, *claims = NULL;
    const char *why, *email, *idt;
    bool verified;
    int64_t id = 0;
    enum err rc;

    *next = "#/";
    if (!state || !code || strlen(state) > 200 || strlen(code) > 2000)
        return refuse(ei, ERR_UNAUTHENTICATED, id, "no code or state in the answer",
                      "the identity provider's answer is incomplete; sign in again");
    /* the state is taken (deleted) first: one answer per sign-in, whatever happens next */
    rc = db_begin(db);
    if (rc == ERR_OK) {
        rc = store_sso_login_take(db, a, hashed(a, state), &l);
        rc = db_end(db, rc);
    }
    if (rc)
        return refuse(ei, ERR_UNAUTHENTICATED, id, "unknown or used state",
                      "this sign-in is not known or was already used; sign in again");
    id = l.provider_id;
    *next = l.next ? l.next : "#/";
    if (!browser || strcmp(hashed(a, browser), l.browser_hash) != 0)
        return refuse(ei, ERR_UNAUTHENTICATED, id, "the browser cookie does not match",
                      "this sign-in was started in another browser; sign in again");
    if (time_now() - l.created_at > SSO_LOGIN_TTL)
        return refuse(ei, ERR_UNAUTHENTICATED, id, "the sign-in expired",
                      "the sign-in took too long; sign in again");
    rc = usable(db, a, id, &p, &doc, ei);
    if (rc)
        return rc;
    if (!exchange(a, doc, &p, code, redirect, l.verifier, &tokens, &why))
        return refuse(ei, ERR_UNAUTHENTICATED, id, why,
                      "the identity provider did not accept the sign-in; sign in again");
    idt = json_string_value(json_object_get(tokens, "id_token"));
    if (!idt)
        return refuse(ei, ERR_UNAUTHENTICATED, id, "the token answer has no id_token",
                      "the identity provider sent no ID token");
    if (!http_json(a, doc_str(doc, "jwks_uri"), NULL, NULL, &jwks, &why))
        return refuse(ei, ERR_UNAUTHENTICATED, id, why,
                      "the identity provider's keys cannot be read; try again later");
    if (!jws_verify(idt, jwks, &claims, &why))
        return refuse(ei, ERR_UNAUTHENTICATED, id, why,
                      "the identity provider's answer could not be verified");
    arena_defer(a, (void (*)(void *))json_decref, claims);
    why = claims_problem(a, claims, doc, &p, l.nonce);
    if (why)
        return refuse(ei, ERR_UNAUTHENTICATED, id, why,
                      "the identity provider's answer could not be verified");
    email_of(a, doc, claims, tokens, &email, &verified);
    verified = verified || p.trust_email;
    return link_and_sign_in(db, a, &p, json_string_value(json_object_get(claims, "sub")), email,
                            verified, ip, user_agent, actor, token, ei);
}
