/* sim/stats.c: tallies and time-weighted averages, with the merges that
 * combine replications and components.
 * Invariants: a tally holds n, the mean and the sum of squared deviations m2
 * of its observations (n = 0: mean = m2 = 0, min = +INF, max = -INF). A
 * time-weighted average holds in area the integral of its signal over
 * [start, last] in value x seconds, so its mean at t is
 * (area + value x (t - last)) / (t - start). Interval estimates of a mean
 * that must stay in a metric's range (the bootstrap) are here too. */
#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "mrsim/stats.h"

void mr_tally_reset(mr_tally *t)
{
    t->n = 0;
    t->mean = 0.0;
    t->m2 = 0.0;
    t->min = INFINITY;
    t->max = -INFINITY;
}

/* Welford's update: summing squared deviations from the running mean avoids
 * the cancellation of sum(x^2) - n mean^2 when the mean is large. */
void mr_tally_add(mr_tally *t, double x)
{
    t->n++;
    double delta = x - t->mean;
    t->mean += delta / (double)t->n;
    t->m2 += delta * (x - t->mean);
    if (x < t->min)
        t->min = x;
    if (x > t->max)
        t->max = x;
}

/* Chan, Golub and LeVeque's pairwise update. An empty side is handled apart:
 * the general formula would give the right numbers too, but copying keeps a
 * merge into an empty tally bit-for-bit equal to its source. */
void mr_tally_merge(mr_tally *dst, const mr_tally *src)
{
    if (src->n == 0)
        return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    double na = (double)dst->n;
    double nb = (double)src->n;
    double n = na + nb;
    double delta = src->mean - dst->mean;
    dst->mean += delta * (nb / n);
    dst->m2 += src->m2 + delta * delta * (na * nb / n);
    dst->n += src->n;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

double mr_tally_variance(const mr_tally *t)
{
    if (t->n < 2)
        return 0.0;
    return t->m2 / (double)(t->n - 1);
}

double mr_tally_sd(const mr_tally *t)
{
    return sqrt(mr_tally_variance(t));
}

void mr_twa_reset(mr_twa *w, mr_time t, double v)
{
    w->start = t;
    w->last = t;
    w->value = v;
    w->area = 0.0;
    w->min = v;
    w->max = v;
}

void mr_twa_set(mr_twa *w, mr_time t, double v)
{
    assert(t >= w->last);
    /* The difference is taken in integer nanoseconds before converting, so
     * the length of each piece is exact however late in the run it falls. */
    w->area += w->value * mr_time_to_s(t - w->last);
    w->last = t;
    w->value = v;
    if (v < w->min)
        w->min = v;
    if (v > w->max)
        w->max = v;
}

double mr_twa_mean(const mr_twa *w, mr_time t)
{
    assert(t >= w->last);
    if (t == w->start)
        return w->value;
    double area = w->area + w->value * mr_time_to_s(t - w->last);
    return area / mr_time_to_s(t - w->start);
}

/* The merged struct describes one closed interval: its length is the sum of
 * both lengths (each up to its own last change) and its area the sum of both
 * areas. It keeps dst's last change and moves start back so that
 * last - start is that total length; mr_twa_mean(dst, dst->last) is then
 * (area_a + area_b) / (len_a + len_b), the length-weighted mean of the two.
 * Reading it later than dst->last would extend the interval with dst's
 * current value, which is only meaningful if dst's signal is still running.
 * Lengths are summed in integer nanoseconds, so they add exactly. */
void mr_twa_merge(mr_twa *dst, const mr_twa *src)
{
    mr_time len = (dst->last - dst->start) + (src->last - src->start);
    dst->start = dst->last - len;
    dst->area += src->area;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

/* BCa for the mean. The acceleration from the jackknife has a closed form
 * for the mean: the leave-one-out means are (S - x_i) / (n - 1), their
 * deviations from their mean (x_i - m) / (n - 1), and the (n - 1) factors
 * cancel in a = sum d^3 / (6 (sum d^2)^1.5). The bias correction z0 counts
 * ties half (a symmetric sample then gets z0 = 0 exactly) and is clamped to
 * the resolution of nboot resamples so it stays finite. The bounds are
 * GSL's interpolated quantiles of the sorted resample means. */
int mr_ci_bootstrap_bca(const double *x, size_t n, size_t nboot, uint64_t seed, double *lo,
                        double *hi)
{
    *lo = *hi = NAN;
    if (n < 2 || nboot < 100)
        return -1;
    double m = gsl_stats_mean(x, 1, n);
    double s2 = 0, s3 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m;
        s2 += d * d;
        s3 += d * d * d;
    }
    double a = s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
    double *means = malloc(nboot * sizeof *means);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
    if (means == NULL || g == NULL) {
        free(means);
        if (g)
            gsl_rng_free(g);
        return -1;
    }
    gsl_rng_set(g, (unsigned long)((seed ^ (seed >> 32)) & 0xffffffffULL));
    double below = 0;
    for (size_t b = 0; b < nboot; b++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += x[gsl_rng_uniform_int(g, (unsigned long)n)];
        means[b] = sum / (double)n;
        below += means[b] < m ? 1 : means[b] == m ? 0.5 : 0;
    }
    gsl_rng_free(g);
    gsl_sort(means, 1, nboot);
    double p0 = below / (double)nboot, eps = 0.5 / (double)nboot;
    double z0 = gsl_cdf_ugaussian_Pinv(p0 < eps ? eps : p0 > 1 - eps ? 1 - eps : p0);
    double q[2];
    for (int k = 0; k < 2; k++) {
        double z = gsl_cdf_ugaussian_Pinv(k ? 0.975 : 0.025);
        double den = 1 - a * (z0 + z);
        /* A non-positive denominator (|a| that large needs a sample of
         * one huge outlier) sends the level to its end of the range. */
        q[k] = den > 0 ? gsl_cdf_ugaussian_P(z0 + (z0 + z) / den) : (k ? 1 : 0);
    }
    *lo = gsl_stats_quantile_from_sorted_data(means, 1, nboot, q[0]);
    *hi = gsl_stats_quantile_from_sorted_data(means, 1, nboot, q[1]);
    free(means);
    return 0;
}
