/* SPDX-License-Identifier: MIT */
/* The task inbox (GET /api/v1/me/tasks): one query per kind of task, each row already shaped
 * as {kind, title, detail, due, href, id}, and the team status of a manager's direct reports. */
#ifndef TRELLIS_STORE_TASKS_H
#define TRELLIS_STORE_TASKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* today YYYY-MM-DD; stale_before RFC 3339 (a goal with no check-in since then is stale). */
struct task_clock {
    const char *today;
    const char *stale_before;
};

/* Appends the open tasks of person to items (an array). hr: the person decides open cases. */
enum err store_tasks_of(struct db *db, int64_t person, bool hr, const struct task_clock *k,
                        json_t *items);
/* The direct reports of manager with their status; an empty array when there are none. */
enum err store_team_status(struct db *db, int64_t manager, const struct task_clock *k,
                           json_t **out);

#endif
