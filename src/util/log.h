/* SPDX-License-Identifier: MIT */
/* Logging: one JSON object per line on stderr, written with a single write(2) so lines from
 * worker threads never interleave. */
#ifndef TRELLIS_LOG_H
#define TRELLIS_LOG_H

/* Writes {"at":…,"level":…,"msg":…} with extra pre-rendered JSON members (may be NULL). */
void log_line(const char *level, const char *msg, const char *extra_json);
/* printf-style convenience for messages with no extra members. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a raw pre-rendered line (a trailing newline is added). */
void log_raw(const char *line, unsigned long len);

#endif
