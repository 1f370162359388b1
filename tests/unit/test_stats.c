/* tests/unit/test_stats.c: tallies and time-weighted averages.
 * The reference is always a direct computation: a two-pass mean and variance
 * for tallies, hand-computed areas for time-weighted averages; merges must
 * agree with one pass over the union. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "mrsim/stats.h"

/* |a - b| <= rel x |b|, written so the failure message shows both values. */
static void assert_rel(double a, double b, double rel)
{
    cr_assert(le(dbl, fabs(a - b), rel * fabs(b)), "%.17g vs %.17g (relative %.3g)", a, b, rel);
}

static void two_pass(const double *x, size_t n, double *mean, double *var)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    *mean = s / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *var = n > 1 ? ss / (double)(n - 1) : 0;
}

Test(stats, tally_matches_two_pass_mean_and_variance)
{
    static const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    mr_tally t;
    mr_tally_reset(&t);
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        mr_tally_add(&t, x[i]);
    cr_assert(eq(u64, t.n, 8));
    cr_assert(ieee_ulp_eq(dbl, t.mean, 5.0, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_tally_variance(&t), 32.0 / 7.0, 4));
    cr_assert(ieee_ulp_eq(dbl, mr_tally_sd(&t), sqrt(32.0 / 7.0), 4));
}

Test(stats, tally_is_accurate_for_values_with_a_large_offset)
{
    /* Welford's form keeps the variance where sum(x^2) - n mean^2 would lose
     * every digit. */
    double x[1000];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 7);
    for (size_t i = 0; i < 1000; i++)
        x[i] = 1e9 + gsl_ran_gaussian(g, 1.0);
    gsl_rng_free(g);
    mr_tally t;
    mr_tally_reset(&t);
    for (size_t i = 0; i < 1000; i++)
        mr_tally_add(&t, x[i]);
    double mean, var;
    two_pass(x, 1000, &mean, &var);
    assert_rel(t.mean, mean, 1e-15);
    assert_rel(mr_tally_variance(&t), var, 1e-6);
}

Test(stats, tally_merge_of_two_halves_equals_one_pass)
{
    enum { N = 1000, SPLITS = 300 };
    double x[N];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 12345);
    for (size_t i = 0; i < N; i++)
        x[i] = 100 + gsl_ran_gaussian(g, 3.0) * gsl_ran_exponential(g, 1.0);
    mr_tally all;
    mr_tally_reset(&all);
    for (size_t i = 0; i < N; i++)
        mr_tally_add(&all, x[i]);

    for (int s = 0; s < SPLITS; s++) {
        /* The first and last splits leave one side empty. */
        size_t k = s == 0 ? 0 : s == 1 ? N : gsl_rng_uniform_int(g, N + 1);
        mr_tally a, b;
        mr_tally_reset(&a);
        mr_tally_reset(&b);
        for (size_t i = 0; i < k; i++)
            mr_tally_add(&a, x[i]);
        for (size_t i = k; i < N; i++)
            mr_tally_add(&b, x[i]);
        mr_tally_merge(&a, &b);
        cr_assert(eq(u64, a.n, all.n));
        assert_rel(a.mean, all.mean, 1e-12);
        assert_rel(a.m2, all.m2, 1e-12);
        assert_rel(mr_tally_variance(&a), mr_tally_variance(&all), 1e-12);
        cr_assert(ieee_ulp_eq(dbl, a.min, all.min, 0));
        cr_assert(ieee_ulp_eq(dbl, a.max, all.max, 0));
    }
    gsl_rng_free(g);
}

Test(stats, tally_tracks_min_and_max)
{
    mr_tally t;
    mr_tally_reset(&t);
    mr_tally_add(&t, 3);
    cr_assert(ieee_ulp_eq(dbl, t.min, 3.0, 0));
    cr_assert(ieee_ulp_eq(dbl, t.max, 3.0, 0));
    mr_tally_add(&t, -2.5);
    mr_tally_add(&t, 7.25);
    mr_tally_add(&t, 1);
    cr_assert(ieee_ulp_eq(dbl, t.min, -2.5, 0));
    cr_assert(ieee_ulp_eq(dbl, t.max, 7.25, 0));
}

Test(stats, tally_with_fewer_than_two_values_has_zero_variance)
{
    mr_tally t;
    mr_tally_reset(&t);
    cr_assert(ieee_ulp_eq(dbl, mr_tally_variance(&t), 0.0, 0));
    mr_tally_add(&t, 42);
    cr_assert(ieee_ulp_eq(dbl, mr_tally_variance(&t), 0.0, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_tally_sd(&t), 0.0, 0));
}

Test(stats, tally_reset_forgets_everything)
{
    mr_tally t;
    mr_tally_reset(&t);
    mr_tally_add(&t, 1);
    mr_tally_add(&t, 5);
    mr_tally_reset(&t);
    cr_assert(eq(u64, t.n, 0));
    cr_assert(ieee_ulp_eq(dbl, t.mean, 0.0, 0));
    cr_assert(ieee_ulp_eq(dbl, t.m2, 0.0, 0));
    cr_assert(isinf(t.min) && t.min > 0);
    cr_assert(isinf(t.max) && t.max < 0);
    mr_tally_add(&t, 9);
    cr_assert(ieee_ulp_eq(dbl, t.mean, 9.0, 0));
    cr_assert(ieee_ulp_eq(dbl, t.min, 9.0, 0));
    cr_assert(ieee_ulp_eq(dbl, t.max, 9.0, 0));
}

Test(stats, tally_merge_with_an_empty_side_changes_nothing)
{
    mr_tally a, e;
    mr_tally_reset(&a);
    mr_tally_reset(&e);
    mr_tally_add(&a, 1);
    mr_tally_add(&a, 2);
    mr_tally_merge(&a, &e);
    cr_assert(eq(u64, a.n, 2));
    cr_assert(ieee_ulp_eq(dbl, a.mean, 1.5, 0));
    mr_tally_merge(&e, &a);
    cr_assert(eq(u64, e.n, 2));
    cr_assert(ieee_ulp_eq(dbl, e.mean, 1.5, 0));
    cr_assert(ieee_ulp_eq(dbl, e.m2, a.m2, 0));
    cr_assert(ieee_ulp_eq(dbl, e.min, 1.0, 0));
    cr_assert(ieee_ulp_eq(dbl, e.max, 2.0, 0));
}

Test(stats, twa_of_a_step_signal_is_its_exact_area_over_length)
{
    /* 0 for 10 s, 4 for 5 s, 1 for 5 s: area 25, mean over 20 s = 1.25. */
    mr_twa w;
    mr_twa_reset(&w, 0, 0.0);
    mr_twa_set(&w, 10 * MR_S, 4.0);
    mr_twa_set(&w, 15 * MR_S, 1.0);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, 20 * MR_S), 1.25, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, 15 * MR_S), 20.0 / 15.0, 0));
    cr_assert(ieee_ulp_eq(dbl, w.area, 20.0, 0));
    cr_assert(ieee_ulp_eq(dbl, w.min, 0.0, 0));
    cr_assert(ieee_ulp_eq(dbl, w.max, 4.0, 0));
}

Test(stats, twa_measured_late_in_a_run_keeps_exact_lengths)
{
    /* The same signal a simulated year in: lengths come from integer time. */
    mr_time t0 = MR_YEAR + 123456789;
    mr_twa w;
    mr_twa_reset(&w, t0, 0.0);
    mr_twa_set(&w, t0 + 10 * MR_S, 4.0);
    mr_twa_set(&w, t0 + 15 * MR_S, 1.0);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, t0 + 20 * MR_S), 1.25, 0));
}

Test(stats, twa_of_an_empty_interval_is_the_current_value)
{
    mr_twa w;
    mr_twa_reset(&w, 5 * MR_S, 3.5);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, 5 * MR_S), 3.5, 0));
    /* A change at the start time replaces the value of an empty interval. */
    mr_twa_set(&w, 5 * MR_S, 2.0);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, 5 * MR_S), 2.0, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&w, 9 * MR_S), 2.0, 0));
    cr_assert(ieee_ulp_eq(dbl, w.min, 2.0, 0));
    cr_assert(ieee_ulp_eq(dbl, w.max, 3.5, 0));
}

Test(stats, twa_merge_gives_the_length_weighted_mean)
{
    /* a: the step signal closed at 20 s (mean 1.25 over 20 s).
     * b: 2 for 30 s, starting at 100 s, then 6 for 10 s (mean 3 over 40 s). */
    mr_twa a, b;
    mr_twa_reset(&a, 0, 0.0);
    mr_twa_set(&a, 10 * MR_S, 4.0);
    mr_twa_set(&a, 15 * MR_S, 1.0);
    mr_twa_set(&a, 20 * MR_S, 1.0);
    mr_twa_reset(&b, 100 * MR_S, 2.0);
    mr_twa_set(&b, 130 * MR_S, 6.0);
    mr_twa_set(&b, 140 * MR_S, -1.0);
    double ma = mr_twa_mean(&a, a.last);
    double mb = mr_twa_mean(&b, b.last);
    cr_assert(ieee_ulp_eq(dbl, ma, 1.25, 0));
    cr_assert(ieee_ulp_eq(dbl, mb, 3.0, 0));

    mr_twa_merge(&a, &b);
    double want = (20.0 * ma + 40.0 * mb) / 60.0;
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&a, a.last), want, 2));
    cr_assert(eq(i64, a.last - a.start, 60 * MR_S));
    cr_assert(ieee_ulp_eq(dbl, a.min, -1.0, 0));
    cr_assert(ieee_ulp_eq(dbl, a.max, 6.0, 0));
}

Test(stats, twa_merge_with_an_empty_interval_keeps_the_mean)
{
    mr_twa a, e;
    mr_twa_reset(&a, 0, 2.0);
    mr_twa_set(&a, 8 * MR_S, 5.0);
    mr_twa_reset(&e, 50 * MR_S, 100.0);
    mr_twa_merge(&a, &e);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&a, a.last), 2.0, 0));
    cr_assert(ieee_ulp_eq(dbl, a.max, 100.0, 0));

    mr_twa_reset(&e, 50 * MR_S, 100.0);
    mr_twa_reset(&a, 0, 2.0);
    mr_twa_set(&a, 8 * MR_S, 5.0);
    mr_twa_merge(&e, &a);
    cr_assert(ieee_ulp_eq(dbl, mr_twa_mean(&e, e.last), 2.0, 0));
}

Test(stats, counter_adds_and_resets_for_the_warm_up)
{
    mr_counter c = {0};
    mr_counter_add(&c, 3);
    mr_counter_add(&c, 4);
    cr_assert_eq(c.n, 7);
    mr_counter_reset(&c);
    cr_assert_eq(c.n, 0);
}

/* Two values {0, 1}: the resample means are 0, 1/2, 1 with probabilities
 * 1/4, 1/2, 1/4. Ties counted half, P(mean* < 1/2) = 1/4 + 1/4 = 1/2, so
 * z0 = 0; the sample is symmetric, so a = 0; the levels are 2.5% and 97.5%,
 * whose quantiles among ~500 zeros and ~500 ones of 2000 are 0 and 1. The t
 * interval is 1/2 +/- 12.706 x 0.7071 / 1.414 = [-5.85, 6.85]. */
Test(bootstrap, two_values_give_their_own_range)
{
    const double x[] = {0, 1};
    double lo, hi;
    cr_assert_eq(mr_ci_bootstrap_bca(x, 2, MR_BOOTSTRAP_RESAMPLES, 1, &lo, &hi), 0);
    cr_assert_eq(lo, 0);
    cr_assert_eq(hi, 1);
}

/* x = 1..100, symmetric (z0 ~ 0, a = 0): BCa is the percentile interval of
 * the resample mean, normal by the CLT with sd = population sd / sqrt(n) =
 * sqrt((n^2 - 1) / 12) / 10 = 2.8866, so 50.5 -/+ 1.96 x 2.8866 = 5.658.
 * With 2000 resamples each quantile is within a few percent. */
Test(bootstrap, a_symmetric_sample_matches_the_normal_interval)
{
    double x[100];
    for (int i = 0; i < 100; i++)
        x[i] = i + 1;
    double lo, hi;
    cr_assert_eq(mr_ci_bootstrap_bca(x, 100, MR_BOOTSTRAP_RESAMPLES, 7, &lo, &hi), 0);
    assert_rel(50.5 - lo, 5.658, 0.06);
    assert_rel(hi - 50.5, 5.658, 0.06);
}

/* Nine zeros and one 100 (an RPO that one forced failover made): mean 10,
 * sd 31.62, t half-width 2.262 x 31.62 / 3.162 = 22.6, so t says [-12.6,
 * 32.6]. Every resample mean is a multiple of 10 in [0, 100]: the bounds
 * are in the range, the lower one at 0 (P(no 100 among 10 draws) = 0.9^10
 * = 35% > 2.5%), the upper one above the mean (right skew: a > 0). The
 * same seed gives the same bounds, bit for bit; another seed may differ. */
Test(bootstrap, a_skewed_sample_stays_in_range_and_is_reproducible)
{
    double x[10] = {0};
    x[3] = 100;
    double lo, hi, lo2, hi2;
    cr_assert_eq(mr_ci_bootstrap_bca(x, 10, MR_BOOTSTRAP_RESAMPLES, 42, &lo, &hi), 0);
    cr_assert_eq(lo, 0);
    cr_assert(hi > 10 && hi <= 100, "hi %g", hi);
    cr_assert_eq(mr_ci_bootstrap_bca(x, 10, MR_BOOTSTRAP_RESAMPLES, 42, &lo2, &hi2), 0);
    cr_assert(lo == lo2 && hi == hi2);
}

Test(bootstrap, too_few_values_or_resamples_give_none)
{
    const double x[] = {3, 4};
    double lo, hi;
    cr_assert_eq(mr_ci_bootstrap_bca(x, 1, MR_BOOTSTRAP_RESAMPLES, 1, &lo, &hi), -1);
    cr_assert(isnan(lo) && isnan(hi));
    cr_assert_eq(mr_ci_bootstrap_bca(x, 2, 10, 1, &lo, &hi), -1);
}
