/* SPDX-License-Identifier: MIT */
/* See progress.h. docs/api.md is the specification; each rule below cites it. */
#include "domain/progress.h"

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double progress_key_result(const struct kr_values *kr)
{
    if (kr->milestone)
        return kr->done ? 100.0 : 0.0; /* docs/api.md: milestone 100 if done, else 0 */
    if (kr->target == kr->start) {
        /* docs/api.md: when target = start, 100 if current has reached target in the direction */
        bool reached = kr->decrease ? kr->current <= kr->target : kr->current >= kr->target;

        return reached ? 100.0 : 0.0;
    }
    return clamp01((kr->current - kr->start) / (kr->target - kr->start)) * 100.0;
}

double progress_goal(const struct kr_values *krs, size_t n, bool status_done)
{
    double sum = 0, weights = 0;

    if (n == 0)
        return status_done ? 100.0 : 0.0; /* docs/api.md: a goal without key results */
    for (size_t i = 0; i < n; i++) {
        sum += krs[i].weight * progress_key_result(&krs[i]);
        weights += krs[i].weight;
    }
    return weights > 0 ? sum / weights : 0.0;
}

bool progress_rollup(const struct rollup_child *c, size_t n, double *out)
{
    double sum = 0, weights = 0;
    size_t counted = 0;

    for (size_t i = 0; i < n; i++) {
        double v;

        if (c[i].abandoned)
            continue; /* docs/api.md: abandoned children are left out */
        /* docs/api.md: a child contributes its progress if it has key results, else its own roll-up
         * if it has children, else its progress */
        v = c[i].has_key_results ? c[i].progress : c[i].has_rollup ? c[i].rollup : c[i].progress;
        sum += c[i].weight * v;
        weights += c[i].weight;
        counted++;
    }
    if (counted == 0)
        return false;
    *out = weights > 0 ? sum / weights : 0.0;
    return true;
}
