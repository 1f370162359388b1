/* tests/unit/test_counts.c: the count samplers of rng.h (mr_rng_poisson,
 * mr_rng_binomial) and the saturating time sum of simtime.h (issue 14,
 * items 1 and 2). Below MR_RNG_EXACT_MAX the samplers are GSL's, draw for
 * draw (outputs of existing scenarios do not move); above it they return
 * at once with the right mean and spread, where gsl_ran_poisson loops for
 * ever (its counts are 32-bit: a mean of 1e10 never returned). */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "mrsim/rng.h"
#include "mrsim/simtime.h"

Test(counts, below_the_threshold_the_draws_are_gsls)
{
    mr_rng *a = mr_rng_new(1, 0, "x"), *b = mr_rng_new(1, 0, "x");
    const double means[] = {0.5, 3, 40, 1e4, 4e6, 1e9};
    for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
        for (int k = 0; k < 50; k++) {
            uint64_t x = mr_rng_poisson(a, means[i]);
            unsigned y = gsl_ran_poisson(mr_rng_gsl(b), means[i]);
            cr_assert_eq(x, (uint64_t)y, "mean %g draw %d", means[i], k);
            unsigned n = means[i] < 1 ? 1 : (unsigned)means[i]; /* 1e9: the last exact n */
            uint64_t u = mr_rng_binomial(a, 0.3, n);
            unsigned v = gsl_ran_binomial(mr_rng_gsl(b), 0.3, n);
            cr_assert_eq(u, (uint64_t)v);
        }
    }
    /* The edges draw as GSL does too (it consumes a number at p = 0 and 1). */
    cr_assert_eq(mr_rng_binomial(a, 0, 10), gsl_ran_binomial(mr_rng_gsl(b), 0, 10));
    cr_assert_eq(mr_rng_binomial(a, 1, 10), gsl_ran_binomial(mr_rng_gsl(b), 1, 10));
    cr_assert_eq(mr_rng_uniform(a), mr_rng_uniform(b));
    mr_rng_free(a);
    mr_rng_free(b);
}

/* Past the threshold: the sample mean of 400 draws within 5 standard errors,
 * the sample variance within 30% of the mean (Poisson) or np(1-p). */
static void moments(mr_rng *r, double mean, double p, uint64_t n, int binomial)
{
    double s = 0, s2 = 0;
    const int k = 400;
    double want = binomial ? p * (double)n : mean;
    double var = binomial ? want * (1 - p) : mean;
    for (int i = 0; i < k; i++) {
        double x = binomial ? (double)mr_rng_binomial(r, p, n) : (double)mr_rng_poisson(r, mean);
        s += x - want; /* shifted: x^2 at 1e24 would drown the variance */
        s2 += (x - want) * (x - want);
    }
    double m = s / k, v = s2 / k - m * m;
    m += want;
    cr_assert(fabs(m - want) < 5 * sqrt(var / k), "mean %.6g, want %.6g", m, want);
    cr_assert(fabs(v / var - 1) < 0.3, "variance %.6g, want %.6g", v, var);
}

Test(counts, any_mean_returns_with_the_right_moments, .timeout = 10)
{
    mr_rng *r = mr_rng_new(2, 0, "y");
    moments(r, 4.9e9, 0, 0, 0); /* where gsl_ran_poisson's count wraps */
    moments(r, 1e12, 0, 0, 0);
    moments(r, 8.64e9, 0, 0, 0); /* 1e5/s over a one-day window */
    moments(r, 0, 0.25, 5000000000ull, 1);
    moments(r, 0, 0.999, 1000000000000ull, 1);
    mr_rng_free(r);
}

Test(counts, the_edges_are_counts_never_garbage)
{
    mr_rng *r = mr_rng_new(3, 0, "z");
    cr_assert_eq(mr_rng_poisson(r, 0), 0);
    cr_assert_eq(mr_rng_poisson(r, -5), 0);
    cr_assert_eq(mr_rng_poisson(r, NAN), 0);
    cr_assert_eq(mr_rng_poisson(r, INFINITY), UINT64_MAX);
    cr_assert_eq(mr_rng_poisson(r, 1e30), UINT64_MAX);
    cr_assert_eq(mr_rng_binomial(r, NAN, 5), 0);
    cr_assert_eq(mr_rng_binomial(r, 1, 1ull << 40), 1ull << 40);
    cr_assert_eq(mr_rng_binomial(r, 0, 1ull << 40), 0);
    cr_assert_eq(mr_rng_binomial(r, 0.5, 0), 0);
    for (int i = 0; i < 100; i++)
        cr_assert_leq(mr_rng_binomial(r, 1 - 1e-15, 2000000000ull), 2000000000ull);
    mr_rng_free(r);
}

Test(counts, time_sums_saturate)
{
    cr_assert_eq(mr_time_add_sat(1, 2), 3);
    cr_assert_eq(mr_time_add_sat(MR_TIME_NEVER - 1, 5), MR_TIME_NEVER);
    cr_assert_eq(mr_time_add_sat(-MR_TIME_NEVER + 1, -5), -MR_TIME_NEVER);
    /* the largest TTL a file may give (2^31 - 1 s) and the 64 lifetimes
     * the resolvers' burn-in went back */
    mr_time ttl = (mr_time)2147483647 * MR_S;
    cr_assert_eq(mr_time_add_sat(ttl, ttl), 2 * ttl);
    cr_assert_eq(mr_time_add_sat(4 * ttl, 4 * ttl), MR_TIME_NEVER);
    cr_assert_eq(mr_time_add_sat(MR_TIME_NEVER, -1), MR_TIME_NEVER - 1);
}
