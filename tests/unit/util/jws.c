/* SPDX-License-Identifier: MIT */
/* util/jws.c: an ID token signed ES256 with a fresh P-256 key verifies against its JWK; a changed
 * payload, another key, "none", HMAC and a token of the wrong shape do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "util/jws.h"

static EVP_PKEY *key;
static char jwks[512];

static void b64(const unsigned char *p, size_t n, char *out, size_t cap)
{
    sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void coord(const char *name, char *out, size_t cap)
{
    BIGNUM *bn = NULL;
    unsigned char raw[32];

    assert_int_equal(EVP_PKEY_get_bn_param(key, name, &bn), 1);
    assert_int_equal(BN_bn2binpad(bn, raw, 32), 32);
    BN_free(bn);
    b64(raw, 32, out, cap);
}

static int setup(void **state)
{
    char x[64], y[64];

    (void)state;
    key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!key)
        return -1;
    coord(OSSL_PKEY_PARAM_EC_PUB_X, x, sizeof(x));
    coord(OSSL_PKEY_PARAM_EC_PUB_Y, y, sizeof(y));
    snprintf(jwks, sizeof(jwks),
             "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\",\"use\":\"sig\","
             "\"x\":\"%s\",\"y\":\"%s\"}]}",
             x, y);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(key);
    return 0;
}

/* header.payload.signature with an ES256 signature of the first two by key. */
static void sign(const char *header, const char *payload, char *out, size_t cap)
{
    char h[256], p[512], sig64[128];
    unsigned char der[128], raw[64];
    size_t derlen = sizeof(der);
    const unsigned char *dp = der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    ECDSA_SIG *sig;

    b64((const unsigned char *)header, strlen(header), h, sizeof(h));
    b64((const unsigned char *)payload, strlen(payload), p, sizeof(p));
    snprintf(out, cap, "%s.%s", h, p);
    assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key), 1);
    assert_int_equal(EVP_DigestSign(md, der, &derlen, (unsigned char *)out, strlen(out)), 1);
    EVP_MD_CTX_free(md);
    sig = d2i_ECDSA_SIG(NULL, &dp, (long)derlen);
    assert_non_null(sig);
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
    b64(raw, 64, sig64, sizeof(sig64));
    strncat(out, ".", cap - strlen(out) - 1);
    strncat(out, sig64, cap - strlen(out) - 1);
}

static bool check(const char *token, const char *keys)
{
    json_t *set = json_loads(keys, 0, NULL), *claims = NULL;
    const char *why = NULL;
    bool ok = jws_verify(token, set, &claims, &why);

    assert_non_null(why);
    if (ok)
        assert_string_equal(json_string_value(json_object_get(claims, "sub")), "u1");
    else
        assert_null(claims);
    json_decref(claims);
    json_decref(set);
    return ok;
}

static void a_signed_token_verifies(void **state)
{
    char t[1024];

    (void)state;
    sign("{\"alg\":\"ES256\",\"kid\":\"k1\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_true(check(t, jwks));
}

static void a_changed_payload_does_not(void **state)
{
    char t[1024], forged[1024], p[64];
    const char *dot1, *dot2;

    (void)state;
    sign("{\"alg\":\"ES256\",\"kid\":\"k1\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    dot1 = strchr(t, '.');
    dot2 = strchr(dot1 + 1, '.');
    b64((const unsigned char *)"{\"sub\":\"u2\"}", 12, p, sizeof(p));
    snprintf(forged, sizeof(forged), "%.*s.%s%s", (int)(dot1 - t), t, p, dot2);
    assert_false(check(forged, jwks));
}

static void another_key_or_kid_does_not(void **state)
{
    char t[1024];
    static const char other[] = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\","
                                "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                                "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

    (void)state;
    sign("{\"alg\":\"ES256\",\"kid\":\"k1\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_false(check(t, other));
    sign("{\"alg\":\"ES256\",\"kid\":\"k9\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_false(check(t, jwks));
}

static void none_hmac_and_bad_shapes_do_not(void **state)
{
    char t[1024];

    (void)state;
    sign("{\"alg\":\"none\",\"kid\":\"k1\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_false(check(t, jwks));
    sign("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_false(check(t, jwks));
    sign("{\"alg\":\"ES256\",\"kid\":\"k1\",\"crit\":[\"x\"]}", "{\"sub\":\"u1\"}", t, sizeof(t));
    assert_false(check(t, jwks));
    assert_false(check("", jwks));
    assert_false(check("a.b", jwks));
    assert_false(check("a.b.c.d", jwks));
    assert_false(check("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AAAA", jwks));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_signed_token_verifies),
        cmocka_unit_test(a_changed_payload_does_not),
        cmocka_unit_test(another_key_or_kid_does_not),
        cmocka_unit_test(none_hmac_and_bad_shapes_do_not),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
