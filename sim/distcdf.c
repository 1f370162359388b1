/* sim/distcdf.c: distribution functions of the laws of docs/scenario-format.md, for the
 * closed forms of `mrsim analyze` (never used in the event loop). Each law
 * has its GSL cdf (gsl_cdf_*_P) and inverse (gsl_cdf_*_Pinv) where GSL has
 * one; the triangular and the normal truncated at 0 (as mr_dist_sample draws
 * it) are written out; a mixture's quantile is found by bisection on its cdf.
 * Invariant: mr_dist_cdf is nondecreasing, 0 below the support, 1 above it,
 * and mr_dist_quantile(d, q) is the smallest x with cdf(x) >= q. */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"

/* Bisection steps for a mixture's quantile: 200 halvings of any finite
 * bracket reach the resolution of a double. */
#define BISECT_STEPS 200

static double clamp01(double p)
{
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

static double triangular_cdf(const mr_dist *d, double x)
{
    double lo = d->a, mode = d->b, hi = d->c;
    if (x <= lo)
        return 0;
    if (x >= hi)
        return 1;
    if (x <= mode)
        return (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
    return 1 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
}

static double normal0_cdf(const mr_dist *d, double x)
{
    double mean = d->a, sd = d->b;
    if (x < 0)
        return 0;
    if (sd == 0)
        return x >= fmax(mean, 0) ? 1 : 0;
    /* Upper tails (Q) keep precision when the truncation point is far out. */
    double q0 = gsl_cdf_gaussian_Q(-mean, sd);
    return clamp01(1 - gsl_cdf_gaussian_Q(x - mean, sd) / q0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double mr_dist_cdf(const mr_dist *d, double x)
{
    if (isnan(x))
        return NAN;
    switch (d->kind) {
    case MR_DIST_CONST:
        return x >= d->a ? 1 : 0;
    case MR_DIST_UNIFORM:
        if (d->b == d->a)
            return x >= d->a ? 1 : 0;
        return clamp01((x - d->a) / (d->b - d->a));
    case MR_DIST_EXPONENTIAL:
        if (d->a == 0)
            return x >= 0 ? 1 : 0;
        return x <= 0 ? 0 : gsl_cdf_exponential_P(x, d->a);
    case MR_DIST_NORMAL:
        return normal0_cdf(d, x);
    case MR_DIST_LOGNORMAL:
        if (d->b == 0)
            return x >= d->a ? 1 : 0;
        return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, log(d->a), d->b);
    case MR_DIST_TRIANGULAR:
        if (d->c == d->a)
            return x >= d->a ? 1 : 0;
        return triangular_cdf(d, x);
    case MR_DIST_WEIBULL:
        return x <= 0 ? 0 : gsl_cdf_weibull_P(x, d->a, d->b);
    case MR_DIST_PARETO:
        /* GSL's Pareto takes the shape first and the scale second. */
        return x <= d->a ? 0 : gsl_cdf_pareto_P(x, d->b, d->a);
    case MR_DIST_EMPIRICAL: {
        size_t k = 0;
        for (size_t i = 0; i < d->n; i++)
            k += d->values[i] <= x;
        return (double)k / (double)d->n;
    }
    case MR_DIST_MIX: {
        double p = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->p[i] > 0)
                p += d->p[i] * mr_dist_cdf(&d->parts[i], x);
        return clamp01(p);
    }
    }
    mr_fatal("mr_dist_cdf: unknown distribution kind %d", (int)d->kind);
}

static double mix_quantile(const mr_dist *d, double q)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < d->n; i++) {
        if (d->p[i] <= 0)
            continue;
        lo = fmin(lo, mr_dist_quantile(&d->parts[i], q));
        hi = fmax(hi, mr_dist_quantile(&d->parts[i], q));
    }
    /* The mixture's q-quantile lies between its parts' q-quantiles. */
    if (!isfinite(hi))
        return hi;
    if (mr_dist_cdf(d, lo) >= q)
        return lo;
    for (int s = 0; s < BISECT_STEPS && hi - lo > 0; s++) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi)
            break;
        if (mr_dist_cdf(d, mid) >= q)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

double mr_dist_quantile(const mr_dist *d, double q)
{
    if (isnan(q) || q < 0 || q > 1)
        return NAN;
    switch (d->kind) {
    case MR_DIST_CONST:
        return d->a;
    case MR_DIST_UNIFORM:
        return d->a + q * (d->b - d->a);
    case MR_DIST_EXPONENTIAL:
        if (q == 1)
            return d->a > 0 ? INFINITY : 0;
        return d->a * -log1p(-q);
    case MR_DIST_NORMAL: {
        double mean = d->a, sd = d->b;
        if (sd == 0)
            return fmax(mean, 0);
        if (q == 1)
            return INFINITY;
        /* cdf(x) = 1 - Q(x - mean) / Q(-mean): invert on the upper tail. */
        double tail = (1 - q) * gsl_cdf_gaussian_Q(-mean, sd);
        if (tail <= 0)
            return INFINITY;
        return fmax(mean + gsl_cdf_gaussian_Qinv(tail, sd), 0);
    }
    case MR_DIST_LOGNORMAL:
        if (d->b == 0)
            return d->a;
        if (q == 0)
            return 0;
        if (q == 1)
            return INFINITY;
        return gsl_cdf_lognormal_Pinv(q, log(d->a), d->b);
    case MR_DIST_TRIANGULAR: {
        double lo = d->a, mode = d->b, hi = d->c, w = hi - lo;
        if (w == 0)
            return lo;
        double x = q < (mode - lo) / w ? lo + sqrt(q * w * (mode - lo))
                                       : hi - sqrt((1 - q) * w * (hi - mode));
        return fmin(fmax(x, lo), hi);
    }
    case MR_DIST_WEIBULL:
        if (q == 1)
            return INFINITY;
        return d->a * pow(-log1p(-q), 1 / d->b);
    case MR_DIST_PARETO:
        if (q == 1)
            return INFINITY;
        return d->a * pow(1 - q, -1 / d->b);
    case MR_DIST_EMPIRICAL: {
        double *v = mr_xmalloc(d->n * sizeof *v);
        memcpy(v, d->values, d->n * sizeof *v);
        qsort(v, d->n, sizeof *v, cmp_double);
        /* The smallest value whose share of values at or below it reaches q. */
        size_t k = (size_t)ceil(q * (double)d->n);
        double x = v[k == 0 ? 0 : k - 1];
        free(v);
        return x;
    }
    case MR_DIST_MIX:
        return mix_quantile(d, q);
    }
    mr_fatal("mr_dist_quantile: unknown distribution kind %d", (int)d->kind);
}
