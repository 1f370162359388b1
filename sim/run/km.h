/* sim/run/km.h: private to sim/run: percentiles of durations some of
 * which are censored (a group or an episode that had not recovered when
 * its episode ended: its value is only a lower bound), by the
 * Kaplan-Meier estimate (docs/results.md "Censoring"). */
#ifndef MRSIM_RUN_KM_H
#define MRSIM_RUN_KM_H

#include <stddef.h>

#include "mrsim/stats.h"
#include "run/runner.h"

/* One observation, or `count` equal ones: a duration t, censored (only
 * known to exceed t) or not. */
typedef struct mr__km_obs {
    double t;
    double count;
    int censored;
} mr__km_obs;

/* The Kaplan-Meier q-quantile (0 < q < 1) of obs[0..n) (sorted in place:
 * by time, an event before a censoring at the same time): the smallest
 * observed time at which the estimated share recovered reaches q. When it
 * never does (q falls in the censored mass), *lower is 1 and the result is
 * the largest observed time, which the quantile is at least; else *lower
 * is 0. NaN (and *lower 0) with no observation. */
double mr__km_quantile(mr__km_obs *obs, size_t n, double q, int *lower);

/* The observations of two histograms, recovered durations and censored
 * ones, into a new array (free it) of *n entries: the values themselves
 * while both histograms are exact, else each non-empty bucket at its
 * middle. */
mr__km_obs *mr__km_from_hists(const mr_hist *recovered, const mr_hist *censored, size_t *n);

/* The Kaplan-Meier p50, p95 and p99 of obs into s, each marked a lower
 * bound (MR_LB_*) when it falls in the censored mass. */
void mr__km_percentiles(mr_summary *s, mr__km_obs *obs, size_t n);

/* A summary over replications made censorable: value i (values[i x
 * stride]) censored when cens[i x cstride] > 0; with none censored the
 * percentiles stay as mr_summarize made them, else Kaplan-Meier's and the
 * mean a lower bound. */
void mr__km_censor_reps(mr_summary *s, const double *values, const double *cens, size_t cstride,
                        uint64_t reps, size_t stride);

#endif
