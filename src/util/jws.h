/* SPDX-License-Identifier: MIT */
/* Verifying a JSON Web Signature in compact form (RFC 7515), as an OpenID provider signs its ID
 * tokens: RS256 or ES256 with a key of the provider's JWK set (RFC 7517), chosen by "kid". The
 * claims are returned only when the signature holds; checking them is the caller's. */
#ifndef TRELLIS_UTIL_JWS_H
#define TRELLIS_UTIL_JWS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Decodes base64url without padding into out (at most cap bytes); -1 when it is not valid. */
long jws_b64url_decode(const char *in, size_t inlen, unsigned char *out, size_t cap);
/* Verifies token against jwks ({"keys": [...]}); on success *claims is the payload object (new
 * reference) and true is returned; otherwise *why says what failed (a literal). */
bool jws_verify(const char *token, const json_t *jwks, json_t **claims, const char **why);

#endif
