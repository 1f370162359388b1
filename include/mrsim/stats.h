/* include/mrsim/stats.h: statistics collected during a run.
 * Every collector has a reset for the end of the warm-up and a merge that
 * gives the same result as one pass over the union of the observations
 * (exactly for counters, histograms and exact samples; to rounding for the
 * tally's mean and variance, by Chan et al.'s pairwise update). */
#ifndef MRSIM_STATS_H
#define MRSIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "simtime.h"

/* Counter. */
typedef struct mr_counter {
    uint64_t n;
} mr_counter;

static inline void mr_counter_reset(mr_counter *c)
{
    c->n = 0;
}

static inline void mr_counter_add(mr_counter *c, uint64_t k)
{
    c->n += k;
}

/* Tally: count, mean, variance (Welford), min, max of observations. */
typedef struct mr_tally {
    uint64_t n;
    double mean;
    double m2; /* sum of squared deviations from the mean */
    double min, max;
} mr_tally;

void mr_tally_reset(mr_tally *t);
void mr_tally_add(mr_tally *t, double x);
void mr_tally_merge(mr_tally *dst, const mr_tally *src);
/* Sample variance (n - 1 in the denominator); 0 when n < 2. */
double mr_tally_variance(const mr_tally *t);
double mr_tally_sd(const mr_tally *t);

/* Time-weighted average of a piecewise-constant signal (a queue length, a
 * capacity): the signal holds each value from the time it was set. */
typedef struct mr_twa {
    mr_time start;  /* beginning of the measured interval */
    mr_time last;   /* time of the last change */
    double value;   /* current value */
    double area;    /* integral of the signal over [start, last], in value x seconds */
    double min, max;
} mr_twa;

/* Starts at time t with value v. */
void mr_twa_reset(mr_twa *w, mr_time t, double v);
/* The signal changes to v at time t (t >= the last change). */
void mr_twa_set(mr_twa *w, mr_time t, double v);
/* The average over [start, t], t >= the last change; the current value when
 * the interval is empty. */
double mr_twa_mean(const mr_twa *w, mr_time t);
/* Merges two measured intervals (of different replications or components)
 * into one whose mean is the length-weighted mean of both, each closed at
 * its own last change. */
void mr_twa_merge(mr_twa *dst, const mr_twa *src);

/* Mergeable log-bucket histogram of non-negative values with quantiles.
 * Each power of two is split into MR_HIST_SUB linear buckets, so a quantile
 * read from the buckets is within a relative error of 1/(2 x MR_HIST_SUB)
 * (0.4%) of a value in the right bucket. While it holds at most
 * MR_HIST_EXACT observations it also keeps them, and quantiles are exact
 * (GSL's interpolated quantile of the sorted sample). Values below
 * MR_HIST_MIN (including 0) share one bucket whose representative is 0. */
#define MR_HIST_SUB 128
#define MR_HIST_EXACT 512
#define MR_HIST_MIN 1e-9

typedef struct mr_hist {
    uint64_t n;
    uint64_t zero;     /* observations below MR_HIST_MIN */
    int lo_exp;        /* exponent of the first octave held in counts */
    int n_oct;         /* octaves held */
    uint64_t *counts;  /* n_oct x MR_HIST_SUB; owned */
    double *exact;     /* the observations while n <= MR_HIST_EXACT; owned; NULL after */
    size_t n_exact;
    double sum, sumsq, min, max; /* sumsq: for the results database's statistic rows */
} mr_hist;

void mr_hist_init(mr_hist *h);
void mr_hist_fini(mr_hist *h);
/* Forgets every observation, keeps the memory. */
void mr_hist_reset(mr_hist *h);
/* x must be finite and >= 0 (an internal invariant: latencies, lags, ages). */
void mr_hist_add(mr_hist *h, double x);
void mr_hist_merge(mr_hist *dst, const mr_hist *src);
/* The q-quantile, 0 <= q <= 1; NAN when empty. */
double mr_hist_quantile(const mr_hist *h, double q);
double mr_hist_mean(const mr_hist *h);
/* The q-quantile of the observations in now but not in before, where
 * before is an earlier state of the same histogram (copied then, e.g. by
 * mr_hist_reset and mr_hist_merge; no reset in between): what `mrsim tui`
 * charts per period. The layouts may differ (now may have grown octaves
 * either way). Exact while now is (the new observations are the tail of
 * its sample); otherwise from the differences of the buckets, within
 * 1/(2 x MR_HIST_SUB) like mr_hist_quantile, and equal to it when before
 * is empty. NAN when no observation came in (or before->n > now->n). */
double mr_hist_quantile_since(const mr_hist *now, const mr_hist *before, double q);
/* 1 while quantiles are exact. */
int mr_hist_is_exact(const mr_hist *h);
/* The histogram as bytes, to send it to another process of the same build
 * (MPI): writes them to buf when they fit in cap and returns their number
 * either way. mr_hist_unpack makes an initialised h the same histogram, bit
 * for bit (merging it gives what merging the original gives); MR_EINVAL for
 * bytes mr_hist_pack did not write. */
size_t mr_hist_pack(const mr_hist *h, void *buf, size_t cap);
int mr_hist_unpack(mr_hist *h, const void *buf, size_t len);

/* Iterates the non-empty buckets in increasing order: call with *i = 0;
 * returns 1 and sets lower bound and count while there is one, 0 at the end.
 * The zero bucket comes first with lower bound 0. This is what the results
 * database stores (histbin). */
int mr_hist_next_bin(const mr_hist *h, size_t *i, double *lower, uint64_t *count);

/* The bias-corrected and accelerated (BCa, Efron 1987) bootstrap 95%
 * interval of the mean of x[0..n), n >= 2, from nboot >= 100 resamples drawn
 * with a GSL taus2 generator seeded with seed (so the same x and seed give
 * the same bounds, bit for bit). Both bounds are means of resamples, hence
 * within [min x, max x]: they never leave a range that holds the data.
 * Returns 0, or -1 (bounds NaN) for n < 2 or nboot < 100. */
#define MR_BOOTSTRAP_RESAMPLES 2000
int mr_ci_bootstrap_bca(const double *x, size_t n, size_t nboot, uint64_t seed, double *lo,
                        double *hi);

#endif
