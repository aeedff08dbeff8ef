/* SPDX-License-Identifier: MIT */
/* HR analytics and calibration targets: whole-company read models (issue #12). Each report
 * returns raw rows as JSON (store_json_rows); api/analytics.c groups them, applies the anonymity
 * threshold and the read rules of the items counted. */
#ifndef TRELLIS_STORE_ANALYTICS_H
#define TRELLIS_STORE_ANALYTICS_H

#include <jansson.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* The target distribution of a cycle as stored JSON text, or ERR_NOT_FOUND. */
enum err store_calibration_target_get(struct db *db, struct arena *a, int64_t cycle,
                                      const char **json);
/* Sets (json != NULL) or clears the target of a cycle. */
enum err store_calibration_target_put(struct db *db, int64_t cycle, const char *json, int64_t by,
                                      const char *now);

/* [{cycle_id, cycle, kind, total, submitted}] for every launched cycle. */
enum err store_analytics_completion(struct db *db, json_t **rows);
/* [{cycle_id, cycle, threshold, person_id, rating}]: effective ratings, withdrawn skipped,
 * the reader's own outcome left out. */
enum err store_analytics_ratings(struct db *db, int64_t reader, json_t **rows);
/* [{owner_id, department, level, status, progress}]: individual goals out of draft that HR may
 * read (public or for managers; private goals are their owner's alone). */
enum err store_analytics_goals(struct db *db, json_t **rows);
/* [{person_id, department, level, hire_date, level_since, promotions, has_idp, actions,
 * actions_done}] for every active person; promotions counted from `since`. */
enum err store_analytics_people(struct db *db, const char *since, json_t **rows);
/* [{month, kind, n}]: feedback shared beyond its two people (public or for managers). */
enum err store_analytics_feedback(struct db *db, json_t **rows);
/* [{manager_id, manager, report_id, last_held}]: every active report with a manager. */
enum err store_analytics_oneonones(struct db *db, json_t **rows);

#endif
