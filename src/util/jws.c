/* SPDX-License-Identifier: MIT */
/* See jws.h. The keys are built with OpenSSL's parameter API from the JWK's members (n and e of
 * an RSA key; x and y of a P-256 key) and the signature checked with EVP_DigestVerify. */
#include "util/jws.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define JWS_MAX     16384 /* an ID token is a few kilobytes */
#define RSA_MIN_LEN 256   /* 2048-bit modulus at least */

long jws_b64url_decode(const char *in, size_t inlen, unsigned char *out, size_t cap)
{
    size_t len = 0;

    if (sodium_base642bin(out, cap, in, inlen, NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return (long)len;
}

/* The decoded bytes of a JWK member (base64url text) into out; -1 when missing or invalid. */
static long member(const json_t *jwk, const char *name, unsigned char *out, size_t cap)
{
    const char *v = json_string_value(json_object_get(jwk, name));

    return v ? jws_b64url_decode(v, strlen(v), out, cap) : -1;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
    EVP_PKEY *key = NULL;

    if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return key;
}

static EVP_PKEY *rsa_key(const json_t *jwk)
{
    unsigned char n[1024], e[16];
    long nlen = member(jwk, "n", n, sizeof(n)), elen = member(jwk, "e", e, sizeof(e));
    OSSL_PARAM_BLD *bld;
    BIGNUM *bn = NULL, *be = NULL;
    EVP_PKEY *key = NULL;

    if (nlen < RSA_MIN_LEN || elen < 1)
        return NULL;
    bld = OSSL_PARAM_BLD_new();
    bn = BN_bin2bn(n, (int)nlen, NULL);
    be = BN_bin2bn(e, (int)elen, NULL);
    if (bld && bn && be && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) == 1)
        key = from_params("RSA", bld);
    BN_free(bn);
    BN_free(be);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

static EVP_PKEY *ec_key(const json_t *jwk)
{
    unsigned char point[65];
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    OSSL_PARAM_BLD *bld;
    EVP_PKEY *key = NULL;

    if (!crv || strcmp(crv, "P-256") != 0)
        return NULL;
    point[0] = 4; /* uncompressed: x then y */
    if (member(jwk, "x", point + 1, 32) != 32 || member(jwk, "y", point + 33, 32) != 32)
        return NULL;
    bld = OSSL_PARAM_BLD_new();
    if (bld &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) == 1)
        key = from_params("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    return key;
}

/* The key of jwks for kid (any key of kty when the token names none and the set has one). */
static const json_t *find_key(const json_t *jwks, const char *kty, const char *kid)
{
    const json_t *keys = json_object_get(jwks, "keys"), *k, *only = NULL;
    size_t i;
    int count = 0;

    json_array_foreach(keys, i, k)
    {
        const char *t = json_string_value(json_object_get(k, "kty"));
        const char *id = json_string_value(json_object_get(k, "kid"));
        const char *use = json_string_value(json_object_get(k, "use"));

        if (!t || strcmp(t, kty) != 0 || (use && strcmp(use, "sig") != 0))
            continue;
        if (kid && id && strcmp(kid, id) == 0)
            return k;
        only = k;
        count++;
    }
    return !kid && count == 1 ? only : NULL;
}

/* An ES256 signature (r || s, 32 bytes each) as the DER form OpenSSL verifies; its length, or
 * 0. */
static size_t ecdsa_der(const unsigned char *raw, unsigned char **der)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
    int len = 0;

    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = NULL; /* owned by sig now */
        len = i2d_ECDSA_SIG(sig, der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return len > 0 ? (size_t)len : 0;
}

static bool verify(EVP_PKEY *key, bool ec, const char *input, size_t inlen,
                   const unsigned char *sig, size_t siglen)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *der = NULL;
    bool ok = false;

    if (ec) {
        if (siglen != 64)
            goto out;
        siglen = ecdsa_der(sig, &der);
        sig = der;
        if (!siglen)
            goto out;
    }
    ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
         EVP_DigestVerify(md, sig, siglen, (const unsigned char *)input, inlen) == 1;
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    return ok;
}

/* The JSON object in base64url part [p, p + len); NULL when it is not one. */
static json_t *json_part(const char *p, size_t len)
{
    unsigned char buf[JWS_MAX];
    long n = jws_b64url_decode(p, len, buf, sizeof(buf));
    json_t *j =
        n < 0 ? NULL : json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);

    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

bool jws_verify(const char *token, const json_t *jwks, json_t **claims, const char **why)
{
    const char *dot1, *dot2, *alg, *kid;
    size_t len = token ? strlen(token) : 0;
    unsigned char sig[1024];
    long siglen;
    json_t *header = NULL, *payload = NULL;
    const json_t *jwk;
    EVP_PKEY *key = NULL;
    bool ec, ok = false;

    *claims = NULL;
    *why = "the ID token is not a signed JWT";
    if (!len || len > JWS_MAX)
        return false;
    dot1 = strchr(token, '.');
    dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.'))
        return false;
    header = json_part(token, (size_t)(dot1 - token));
    payload = json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    siglen = jws_b64url_decode(dot2 + 1, strlen(dot2 + 1), sig, sizeof(sig));
    if (!header || !payload || siglen <= 0)
        goto out;
    alg = json_string_value(json_object_get(header, "alg"));
    kid = json_string_value(json_object_get(header, "kid"));
    /* only the asymmetric algorithms a provider signs with: never "none", never HMAC with a
     * public key taken for a secret */
    if (!alg || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0)) {
        *why = "the ID token is signed with an algorithm other than RS256 or ES256";
        goto out;
    }
    if (json_object_get(header, "crit")) {
        *why = "the ID token has critical header parameters";
        goto out;
    }
    ec = alg[0] == 'E';
    jwk = find_key(jwks, ec ? "EC" : "RSA", kid);
    key = jwk ? (ec ? ec_key(jwk) : rsa_key(jwk)) : NULL;
    if (!key) {
        *why = "the provider's key set has no usable key for the ID token";
        goto out;
    }
    if (!verify(key, ec, token, (size_t)(dot2 - token), sig, (size_t)siglen)) {
        *why = "the ID token's signature does not verify";
        goto out;
    }
    *claims = payload;
    payload = NULL;
    ok = true;
out:
    EVP_PKEY_free(key);
    json_decref(header);
    json_decref(payload);
    return ok;
}
