/* sim/dist.c: the distributions of docs/scenario-format.md: constructors, draws, and
 * closed-form moments. Every draw goes through GSL (gsl_ran_* on the stream's
 * generator) so a stream's numbers depend only on its seed and GSL; the one
 * exception is the triangular law, which GSL lacks, drawn by inverting its CDF
 * at one gsl_rng_uniform. Invariant: a dist built by a constructor has finite
 * parameters inside its domain, owns exactly its values (EMPIRICAL) or its p
 * and parts (MIX), and after mr_dist_fini owns nothing and is a constant 0. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "mrsim/rng.h"

/* Below this standardised truncation point alpha = -mean / sd, the normal
 * density and upper tail at alpha are both far from underflow, so their ratio
 * is accurate; above it the continued fraction converges in a few terms. */
#define TAIL_SWITCH 30.0
#define TAIL_TERMS 60

/* Past 2^63 nanoseconds an mr_time cannot hold the value (llround would be
 * undefined), so such draws saturate at MR_TIME_NEVER. */
#define TIME_LIMIT 9223372036854775808.0

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            return 0;
    }
    return 1;
}

static double *copy_doubles(const double *v, size_t n)
{
    double *d = mr_xmalloc(n * sizeof *d);
    memcpy(d, v, n * sizeof *d);
    return d;
}

int mr_dist_const(mr_dist *out, double value)
{
    if (!isfinite(value))
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_CONST, .a = value};
    return MR_OK;
}

int mr_dist_uniform(mr_dist *out, double min, double max)
{
    if (!isfinite(min) || !isfinite(max) || min > max)
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_UNIFORM, .a = min, .b = max};
    return MR_OK;
}

int mr_dist_exponential(mr_dist *out, double mean)
{
    if (!isfinite(mean) || mean < 0)
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_EXPONENTIAL, .a = mean};
    return MR_OK;
}

int mr_dist_normal(mr_dist *out, double mean, double sd)
{
    if (!isfinite(mean) || !isfinite(sd) || sd < 0)
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_NORMAL, .a = mean, .b = sd};
    return MR_OK;
}

int mr_dist_lognormal(mr_dist *out, double median, double sigma)
{
    if (!isfinite(median) || !isfinite(sigma) || !(median > 0) || sigma < 0)
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_LOGNORMAL, .a = median, .b = sigma};
    return MR_OK;
}

int mr_dist_lognormal_q(mr_dist *out, double q1, double x1, double q2, double x2)
{
    if (!isfinite(q1) || !isfinite(q2) || !isfinite(x1) || !isfinite(x2))
        return MR_EINVAL;
    if (!(q1 > 0 && q1 < q2 && q2 < 1) || !(x1 > 0 && x1 < x2))
        return MR_EINVAL;
    /* ln X is normal: ln x = mu + sigma * z(q) at both points, two equations in
     * mu and sigma. */
    double z1 = gsl_cdf_ugaussian_Pinv(q1);
    double z2 = gsl_cdf_ugaussian_Pinv(q2);
    double l1 = log(x1), l2 = log(x2);
    double sigma = (l2 - l1) / (z2 - z1);
    double mu = l1 - sigma * z1;
    /* Extreme inputs can still overflow exp(mu) or make z1 == z2 in double;
     * the plain constructor rejects what results. */
    return mr_dist_lognormal(out, exp(mu), sigma);
}

int mr_dist_triangular(mr_dist *out, double min, double mode, double max)
{
    if (!isfinite(min) || !isfinite(mode) || !isfinite(max))
        return MR_EINVAL;
    if (!(min <= mode && mode <= max && min < max))
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_TRIANGULAR, .a = min, .b = mode, .c = max};
    return MR_OK;
}

int mr_dist_weibull(mr_dist *out, double scale, double shape)
{
    if (!isfinite(scale) || !isfinite(shape) || !(scale > 0) || !(shape > 0))
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_WEIBULL, .a = scale, .b = shape};
    return MR_OK;
}

int mr_dist_pareto(mr_dist *out, double scale, double shape)
{
    if (!isfinite(scale) || !isfinite(shape) || !(scale > 0) || !(shape > 0))
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_PARETO, .a = scale, .b = shape};
    return MR_OK;
}

int mr_dist_empirical(mr_dist *out, const double *values, size_t n)
{
    /* gsl_rng_uniform_int cannot draw an index past taus2's range, 2^32 - 1. */
    if (values == NULL || n < 1 || (uint64_t)n > UINT32_MAX)
        return MR_EINVAL;
    if (!all_finite(values, n))
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_EMPIRICAL, .n = n, .values = copy_doubles(values, n)};
    return MR_OK;
}

int mr_dist_mix(mr_dist *out, const double *p, mr_dist *parts, size_t n)
{
    if (p == NULL || parts == NULL || n < 1 || n > SIZE_MAX / sizeof *p)
        return MR_EINVAL;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(p[i]) || p[i] < 0 || p[i] > 1)
            return MR_EINVAL;
        sum += p[i];
    }
    if (fabs(sum - 1) > 1e-9)
        return MR_EINVAL;
    *out = (mr_dist){.kind = MR_DIST_MIX, .n = n, .p = copy_doubles(p, n), .parts = parts};
    return MR_OK;
}

void mr_dist_fini(mr_dist *d)
{
    if (d == NULL)
        return;
    if (d->kind == MR_DIST_MIX && d->parts != NULL) {
        for (size_t i = 0; i < d->n; i++)
            mr_dist_fini(&d->parts[i]);
    }
    free(d->parts);
    free(d->p);
    free(d->values);
    /* A constant 0 owns nothing, so a second fini or a stray draw is harmless. */
    *d = (mr_dist){.kind = MR_DIST_CONST};
}

/* Inverse CDF of the triangular law at u in [0, 1). GSL has no triangular
 * sampler; inversion costs one uniform per draw and keeps common random
 * numbers monotone in u. */
static double triangular_at(double min, double mode, double max, double u)
{
    double width = max - min;
    double x;
    if (u < (mode - min) / width)
        x = min + sqrt(u * width * (mode - min));
    else
        x = max - sqrt((1 - u) * width * (max - mode));
    /* Rounding in the square root can step a hair outside the support. */
    return fmin(fmax(x, min), max);
}

static double mix_sample(const mr_dist *d, mr_rng *r)
{
    double u = gsl_rng_uniform(mr_rng_gsl(r));
    double cum = 0;
    size_t last = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->p[i] > 0)
            last = i;
        cum += d->p[i];
        if (u < cum)
            return mr_dist_sample(&d->parts[i], r);
    }
    /* The p sum to 1 only within 1e-9, so u can land past the last cumulative
     * sum; it then belongs to the last part that can be chosen at all. */
    return mr_dist_sample(&d->parts[last], r);
}

double mr_dist_sample(const mr_dist *d, mr_rng *r)
{
    gsl_rng *g = mr_rng_gsl(r);
    switch (d->kind) {
    case MR_DIST_CONST:
        return d->a;
    case MR_DIST_UNIFORM:
        return gsl_ran_flat(g, d->a, d->b);
    case MR_DIST_EXPONENTIAL:
        return gsl_ran_exponential(g, d->a);
    case MR_DIST_NORMAL:
        if (d->b == 0)
            return fmax(d->a, 0);
        /* The tail sampler draws Z >= -mean from N(0, sd): by rejection when the
         * bound is below one sd (the usual case, mean > -sd), by Marsaglia's
         * tail method above. Rounding in the sum can give -1e-17; clamp. */
        return fmax(d->a + gsl_ran_gaussian_tail(g, -d->a, d->b), 0);
    case MR_DIST_LOGNORMAL:
        return gsl_ran_lognormal(g, log(d->a), d->b);
    case MR_DIST_TRIANGULAR:
        return triangular_at(d->a, d->b, d->c, gsl_rng_uniform(g));
    case MR_DIST_WEIBULL:
        return gsl_ran_weibull(g, d->a, d->b);
    case MR_DIST_PARETO:
        /* GSL's Pareto takes the shape first and the scale second. */
        return gsl_ran_pareto(g, d->b, d->a);
    case MR_DIST_EMPIRICAL:
        return d->values[gsl_rng_uniform_int(g, (unsigned long)d->n)];
    case MR_DIST_MIX:
        return mix_sample(d, r);
    }
    mr_fatal("mr_dist_sample: unknown distribution kind %d", (int)d->kind);
}

mr_time mr_dist_sample_time(const mr_dist *d, mr_rng *r)
{
    double x = mr_dist_sample(d, r);
    if (!(x > 0)) /* Also NaN. */
        return 0;
    if (x >= TIME_LIMIT)
        return MR_TIME_NEVER;
    return (mr_time)llround(x);
}

/* lambda(alpha) = phi(alpha) / (1 - Phi(alpha)), the inverse Mills ratio: the
 * mean of a standard normal truncated to [alpha, inf). For alpha >= 30 both
 * density and tail underflow soon after, so the classical continued fraction
 * 1 / lambda = 1 / (x + 1 / (x + 2 / (x + 3 / (x + ...)))) takes over; it
 * converges fast for large x. gsl_sf_hazard is not used because it calls the
 * GSL error handler (abort by default) on underflow for alpha < -37. */
static double inverse_mills(double alpha)
{
    if (alpha < TAIL_SWITCH)
        return gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_P(-alpha);
    double t = alpha;
    for (int k = TAIL_TERMS; k >= 1; k--)
        t = alpha + k / t;
    return t;
}

/* Gamma(x) for x >= 1 without GSL's overflow error: exp of lgamma saturates
 * to INFINITY instead. */
static double gamma_of(double x)
{
    if (!isfinite(x))
        return INFINITY;
    return exp(gsl_sf_lngamma(x));
}

static double empirical_mean(const mr_dist *d)
{
    /* Dividing before summing keeps the sum of finite values finite. */
    double m = 0;
    for (size_t i = 0; i < d->n; i++)
        m += d->values[i] / (double)d->n;
    return m;
}

double mr_dist_mean(const mr_dist *d)
{
    switch (d->kind) {
    case MR_DIST_CONST:
        return d->a;
    case MR_DIST_UNIFORM:
        return d->a / 2 + d->b / 2;
    case MR_DIST_EXPONENTIAL:
        return d->a;
    case MR_DIST_NORMAL:
        if (d->b == 0)
            return fmax(d->a, 0);
        return d->a + d->b * inverse_mills(-d->a / d->b);
    case MR_DIST_LOGNORMAL:
        return d->a * exp(d->b * d->b / 2);
    case MR_DIST_TRIANGULAR:
        return (d->a + d->b + d->c) / 3;
    case MR_DIST_WEIBULL:
        return d->a * gamma_of(1 + 1 / d->b);
    case MR_DIST_PARETO:
        if (d->b <= 1)
            return INFINITY;
        return d->b * d->a / (d->b - 1);
    case MR_DIST_EMPIRICAL:
        return empirical_mean(d);
    case MR_DIST_MIX: {
        double m = 0;
        for (size_t i = 0; i < d->n; i++) {
            /* A part that is never chosen adds nothing, even with an infinite mean. */
            if (d->p[i] > 0)
                m += d->p[i] * mr_dist_mean(&d->parts[i]);
        }
        return m;
    }
    }
    mr_fatal("mr_dist_mean: unknown distribution kind %d", (int)d->kind);
}

double mr_dist_variance(const mr_dist *d)
{
    switch (d->kind) {
    case MR_DIST_CONST:
        return 0;
    case MR_DIST_UNIFORM: {
        double w = d->b - d->a;
        return w * w / 12;
    }
    case MR_DIST_EXPONENTIAL:
        return d->a * d->a;
    case MR_DIST_NORMAL: {
        if (d->b == 0)
            return 0;
        double alpha = -d->a / d->b;
        double lambda = inverse_mills(alpha);
        return d->b * d->b * (1 + alpha * lambda - lambda * lambda);
    }
    case MR_DIST_LOGNORMAL: {
        double s2 = d->b * d->b;
        /* expm1 keeps small sigma exact: the variance is then about median^2 s2. */
        return d->a * d->a * exp(s2) * expm1(s2);
    }
    case MR_DIST_TRIANGULAR: {
        /* (a^2 + b^2 + c^2 - ab - ac - bc) / 18, as squared differences so that
         * a narrow law far from 0 does not cancel to garbage. */
        double ab = d->a - d->b, ac = d->a - d->c, bc = d->b - d->c;
        return (ab * ab + ac * ac + bc * bc) / 36;
    }
    case MR_DIST_WEIBULL: {
        double g1 = gamma_of(1 + 1 / d->b);
        double g2 = gamma_of(1 + 2 / d->b);
        if (!isfinite(g2))
            return INFINITY;
        return d->a * d->a * (g2 - g1 * g1);
    }
    case MR_DIST_PARETO: {
        double k = d->b;
        if (k <= 2)
            return INFINITY;
        return d->a * d->a * k / ((k - 1) * (k - 1) * (k - 2));
    }
    case MR_DIST_EMPIRICAL: {
        /* Resampling draws each value with probability 1/n: the population
         * variance, not the n - 1 sample estimate. */
        double m = empirical_mean(d), v = 0;
        for (size_t i = 0; i < d->n; i++) {
            double e = d->values[i] - m;
            v += e * e / (double)d->n;
        }
        return v;
    }
    case MR_DIST_MIX: {
        /* Law of total variance: E[Var(X | part)] + Var(E[X | part]). */
        double m = mr_dist_mean(d);
        if (!isfinite(m))
            return INFINITY;
        double v = 0;
        for (size_t i = 0; i < d->n; i++) {
            if (d->p[i] > 0) {
                double e = mr_dist_mean(&d->parts[i]) - m;
                v += d->p[i] * (mr_dist_variance(&d->parts[i]) + e * e);
            }
        }
        return v;
    }
    }
    mr_fatal("mr_dist_variance: unknown distribution kind %d", (int)d->kind);
}
