/* SPDX-License-Identifier: MIT */
/* Text encodings of files people bring from other systems (HRIS exports opened in Excel):
 * detected and converted to UTF-8 with iconv. */
#ifndef TRELLIS_ENCODING_H
#define TRELLIS_ENCODING_H

#include <stddef.h>

/* Reads data as UTF-16 (by its byte order mark, or by the NUL bytes of ASCII text), as UTF-8
 * when it is valid UTF-8, else as Windows-1252 (ISO-8859-1 for the bytes 1252 leaves
 * undefined). Returns NULL when data is UTF-8 already (use it as is), else a new NUL-terminated
 * UTF-8 buffer (free() it) of *outlen bytes without a byte order mark. *name says what the data
 * was read as: "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1252" or "ISO-8859-1". On a
 * conversion failure (truncated UTF-16) returns NULL with *name NULL. */
char *encoding_to_utf8(const char *data, size_t len, size_t *outlen, const char **name);

#endif
