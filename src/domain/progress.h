/* SPDX-License-Identifier: MIT */
/* Goal progress arithmetic of docs/api.md "Goals and progress": key results, goals, roll-ups.
 * Pure functions: no database, no allocation. */
#ifndef TRELLIS_PROGRESS_H
#define TRELLIS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct kr_values {
    bool milestone;
    double start, target, current, weight;
    bool decrease;
    bool done;
};

/* 0-100: metric clamp((current-start)/(target-start)) x 100, or when target = start 100 if
 * current has reached target in the direction; milestone 100 if done. */
double progress_key_result(const struct kr_values *kr);
/* The weight-averaged progress of n key results; without key results 100 if done, else 0. */
double progress_goal(const struct kr_values *krs, size_t n, bool status_done);

/* One aligned child for a roll-up. */
struct rollup_child {
    double weight;
    double progress;
    bool has_key_results;
    bool has_rollup;
    double rollup;
    bool abandoned;
};

/* The weight-averaged contribution of the children (abandoned ones left out); false when there
 * is nothing to roll up (then the roll-up is null). */
bool progress_rollup(const struct rollup_child *c, size_t n, double *out);

#endif
