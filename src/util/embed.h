/* SPDX-License-Identifier: MIT */
/* Files compiled into the binary by tools/embed.c (migrations, web assets, API schemas). */
#ifndef TRELLIS_EMBED_H
#define TRELLIS_EMBED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data; /* NUL-terminated after len bytes */
    size_t len;
};

/* Terminated by an entry whose name is NULL; sorted by name. */
extern const struct embedded_file embedded_migrations[];
extern const struct embedded_file embedded_web[];
extern const struct embedded_file embedded_schemas[];

#endif
