/* include/mrsim/rng.h: random streams and distributions.
 * Every component owns its streams; a stream's seed is a fixed hash of
 * (scenario seed, replication index, stream name), so adding a component or
 * a purpose never shifts another stream's numbers. That is what makes
 * common random numbers across compared variants work. Variates come from
 * GSL (gsl_rng taus2, gsl_ran_*). */
#ifndef MRSIM_RNG_H
#define MRSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "simtime.h"
#include "types.h"

/* The seed of the stream named name in replication rep of a run seeded with
 * seed. Fixed forever: golden outputs depend on it. */
uint64_t mr_rng_seed_of(uint64_t seed, uint64_t rep, const char *name);

/* A new stream. Caller frees with mr_rng_free. */
mr_rng *mr_rng_new(uint64_t seed, uint64_t rep, const char *name);
void mr_rng_free(mr_rng *r);

/* Another stream of the same run for a named purpose of the owner of r
 * ("arrivals", "retry"): seeded from (seed, rep, "NAME#PURPOSE"). Caller frees. */
mr_rng *mr_rng_derive(const mr_rng *r, const char *purpose);

/* The name the stream was seeded with (not the purpose suffix's owner). */
const char *mr_rng_name(const mr_rng *r);

/* Uniform on [0, 1). */
double mr_rng_uniform(mr_rng *r);
/* Uniform on (0, 1). */
double mr_rng_uniform_pos(mr_rng *r);
/* Uniform integer on [0, n), n >= 1. */
uint32_t mr_rng_below(mr_rng *r, uint32_t n);
/* Exponential with the given mean. */
double mr_rng_exponential(mr_rng *r, double mean);

/* Poisson with the given mean, for any mean: GSL's exact sampler
 * (gsl_ran_poisson) up to MR_RNG_EXACT_MAX, past which that sampler's
 * 32-bit counts overflow (it loops forever from about 4.9e9); beyond it the
 * normal approximation N(mean, mean), rounded and clamped to [0, 2^64 - 1]
 * (its error in distribution is of order 1/sqrt(mean), 3e-5 at the
 * threshold). 0 for a mean that is not > 0 (NaN included). */
#define MR_RNG_EXACT_MAX 1e9
uint64_t mr_rng_poisson(mr_rng *r, double mean);
/* Binomial(n, p), p clamped to [0, 1]: GSL's exact sampler for n up to
 * MR_RNG_EXACT_MAX, the normal approximation N(np, np(1-p)) rounded and
 * clamped to [0, n] beyond. */
uint64_t mr_rng_binomial(mr_rng *r, double p, uint64_t n);

/* The underlying GSL generator, for gsl_ran_* calls this header does not wrap. */
gsl_rng *mr_rng_gsl(mr_rng *r);

/* Distributions of docs/scenario-format.md. Values are plain doubles in the unit of the
 * field they describe (the loader turns durations into nanoseconds). */
typedef enum mr_dist_kind {
    MR_DIST_CONST = 0,
    MR_DIST_UNIFORM,     /* a = min, b = max */
    MR_DIST_EXPONENTIAL, /* a = mean */
    MR_DIST_NORMAL,      /* a = mean, b = sd; truncated at 0 (resampled) */
    MR_DIST_LOGNORMAL,   /* a = median, b = sigma of the log */
    MR_DIST_TRIANGULAR,  /* a = min, b = mode, c = max */
    MR_DIST_WEIBULL,     /* a = scale, b = shape */
    MR_DIST_PARETO,      /* a = scale (minimum), b = shape */
    MR_DIST_EMPIRICAL,   /* n values, resampled uniformly */
    MR_DIST_MIX,         /* n parts, part i chosen with probability p[i] */
} mr_dist_kind;

typedef struct mr_dist mr_dist;
struct mr_dist {
    mr_dist_kind kind;
    double a, b, c;
    size_t n;       /* values or parts */
    double *values; /* EMPIRICAL: n values; owned */
    double *p;      /* MIX: n probabilities summing to 1; owned */
    mr_dist *parts; /* MIX: n distributions; owned */
};

/* Constructors. Each returns MR_OK and fills *out, or MR_EINVAL (and leaves
 * *out untouched) when the parameters are outside the distribution's domain
 * (negative scale, min > max, sigma < 0, ...). */
int mr_dist_const(mr_dist *out, double value);
int mr_dist_uniform(mr_dist *out, double min, double max);
int mr_dist_exponential(mr_dist *out, double mean);
int mr_dist_normal(mr_dist *out, double mean, double sd);
int mr_dist_lognormal(mr_dist *out, double median, double sigma);
/* Lognormal through two quantiles: P(X <= x1) = q1 and P(X <= x2) = q2,
 * 0 < q1 < q2 < 1 and 0 < x1 < x2 ("median 4m, p95 9m": 0.5, 4m, 0.95, 9m). */
int mr_dist_lognormal_q(mr_dist *out, double q1, double x1, double q2, double x2);
int mr_dist_triangular(mr_dist *out, double min, double mode, double max);
int mr_dist_weibull(mr_dist *out, double scale, double shape);
int mr_dist_pareto(mr_dist *out, double scale, double shape);
/* Copies the n >= 1 values. */
int mr_dist_empirical(mr_dist *out, const double *values, size_t n);
/* Takes ownership of parts (an mr_xmalloc'd array of n initialised dists)
 * on success only; p is copied and must sum to 1 within 1e-9. */
int mr_dist_mix(mr_dist *out, const double *p, mr_dist *parts, size_t n);

/* Frees what the dist owns (recursively); the struct itself is the caller's. */
void mr_dist_fini(mr_dist *d);

/* One draw. */
double mr_dist_sample(const mr_dist *d, mr_rng *r);
/* One draw of a duration in nanoseconds, rounded, never negative. */
mr_time mr_dist_sample_time(const mr_dist *d, mr_rng *r);

/* The mean and variance in closed form (INFINITY where they do not exist,
 * e.g. Pareto with shape <= 1). Used by tests and by `mrsim analyze`. */
double mr_dist_mean(const mr_dist *d);
double mr_dist_variance(const mr_dist *d);

/* P(X <= x), for `mrsim analyze` (sim/distcdf.c, GSL cdf functions); the
 * normal is the one mr_dist_sample draws, truncated at 0. */
double mr_dist_cdf(const mr_dist *d, double x);
/* The smallest x with P(X <= x) >= q, q in [0, 1]: q = 0 gives the bottom
 * of the support, q = 1 its top (INFINITY when unbounded); NaN outside. */
double mr_dist_quantile(const mr_dist *d, double q);

#endif
