/* tests/unit/test_quantile.c: the log-bucket histogram against exact
 * quantiles.
 * The reference is GSL's interpolated quantile of the sorted sample: equal
 * while the histogram is exact, within the documented relative error
 * 1 / (2 MR_HIST_SUB) of it once the histogram has dropped its samples.
 * Merges must give the same buckets as one pass over the union. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/stats.h"

static const double qs[] = {0,    0.001, 0.01, 0.05, 0.1,   0.25,   0.5,
                            0.75, 0.9,   0.95, 0.99, 0.999, 0.9999, 1};
#define N_QS (sizeof qs / sizeof qs[0])

/* The documented bound, with room for the rounding of the interpolation. */
static const double rel_bound = 1.0 / (2 * MR_HIST_SUB) + 1e-12;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
    double *s = malloc(n * sizeof *s);
    cr_assert_not_null(s);
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return s;
}

/* Every quantile of h is within the documented bound of the sample's. */
static void assert_quantiles_within_bound(const mr_hist *h, const double *x, size_t n)
{
    double *s = sorted_copy(x, n);
    for (size_t i = 0; i < N_QS; i++) {
        double want = gsl_stats_quantile_from_sorted_data(s, 1, n, qs[i]);
        double got = mr_hist_quantile(h, qs[i]);
        cr_assert(le(dbl, fabs(got - want), rel_bound * want),
                  "q=%g: histogram %.17g, sample %.17g", qs[i], got, want);
    }
    free(s);
}

/* Both histograms hold the same non-empty buckets with the same counts. */
static void assert_same_bins(const mr_hist *a, const mr_hist *b)
{
    size_t ia = 0, ib = 0;
    double la, lb;
    uint64_t ca, cb;
    size_t bins = 0;
    for (;;) {
        int more_a = mr_hist_next_bin(a, &ia, &la, &ca);
        int more_b = mr_hist_next_bin(b, &ib, &lb, &cb);
        cr_assert(eq(int, more_a, more_b), "bin %zu exists in only one histogram", bins);
        if (!more_a)
            break;
        cr_assert(ieee_ulp_eq(dbl, la, lb, 0), "bin %zu", bins);
        cr_assert(eq(u64, ca, cb), "bin %zu (lower %g)", bins, la);
        bins++;
    }
}

static void fill(double *x, size_t n, unsigned long seed, int lognormal)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = lognormal ? gsl_ran_lognormal(g, 0.0, 1.5) : gsl_ran_exponential(g, 2.0);
    gsl_rng_free(g);
}

Test(quantile, small_samples_give_gsl_quantiles_of_the_sorted_data)
{
    static const size_t sizes[] = {1, 2, 3, 7, 10, 100, 511, MR_HIST_EXACT};
    double x[MR_HIST_EXACT];
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        fill(x, n, 100 + k, k % 2);
        mr_hist h;
        mr_hist_init(&h);
        for (size_t i = 0; i < n; i++)
            mr_hist_add(&h, x[i]);
        cr_assert(eq(int, mr_hist_is_exact(&h), 1));
        double *s = sorted_copy(x, n);
        for (size_t i = 0; i < N_QS; i++) {
            double want = gsl_stats_quantile_from_sorted_data(s, 1, n, qs[i]);
            cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, qs[i]), want, 0), "n=%zu q=%g", n,
                      qs[i]);
        }
        free(s);
        mr_hist_fini(&h);
    }
}

Test(quantile, the_exact_samples_are_dropped_after_the_limit)
{
    mr_hist h;
    mr_hist_init(&h);
    for (int i = 0; i < MR_HIST_EXACT; i++)
        mr_hist_add(&h, 1.0 + i);
    cr_assert(eq(int, mr_hist_is_exact(&h), 1));
    cr_assert(eq(sz, h.n_exact, MR_HIST_EXACT));
    mr_hist_add(&h, 0.5);
    cr_assert(eq(int, mr_hist_is_exact(&h), 0));
    cr_assert_null(h.exact);
    cr_assert(eq(sz, h.n_exact, 0));
    mr_hist_add(&h, 0.25);
    cr_assert_null(h.exact);
    mr_hist_fini(&h);
}

Test(quantile, lognormal_quantiles_are_within_the_documented_error)
{
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    fill(x, N, 42, 1);
    mr_hist h;
    mr_hist_init(&h);
    for (size_t i = 0; i < N; i++)
        mr_hist_add(&h, x[i]);
    cr_assert(eq(int, mr_hist_is_exact(&h), 0));
    assert_quantiles_within_bound(&h, x, N);
    mr_hist_fini(&h);
    free(x);
}

Test(quantile, exponential_quantiles_are_within_the_documented_error)
{
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    fill(x, N, 43, 0);
    mr_hist h;
    mr_hist_init(&h);
    for (size_t i = 0; i < N; i++)
        mr_hist_add(&h, x[i]);
    assert_quantiles_within_bound(&h, x, N);
    double sum = 0;
    for (size_t i = 0; i < N; i++)
        sum += x[i];
    cr_assert(ieee_ulp_eq(dbl, mr_hist_mean(&h), sum / N, 0));
    mr_hist_fini(&h);
    free(x);
}

Test(quantile, merge_of_two_histograms_equals_one_pass_bin_by_bin)
{
    /* The halves cover different octaves, so the merge has to widen dst's
     * range at both ends; zeros test the zero bucket. */
    enum { N = 5000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    fill(x, N, 7, 1);
    for (size_t i = 0; i < N; i++) {
        if (i % 97 == 0)
            x[i] = 0;
        else if (i < N / 2)
            x[i] *= 1e3;
        else
            x[i] *= 1e-4;
    }
    mr_hist all, a, b;
    mr_hist_init(&all);
    mr_hist_init(&a);
    mr_hist_init(&b);
    for (size_t i = 0; i < N; i++)
        mr_hist_add(&all, x[i]);
    for (size_t i = 0; i < N / 3; i++)
        mr_hist_add(&a, x[i]);
    for (size_t i = N / 3; i < N; i++)
        mr_hist_add(&b, x[i]);

    mr_hist_merge(&b, &a);
    assert_same_bins(&b, &all);
    cr_assert(eq(u64, b.n, all.n));
    cr_assert(eq(u64, b.zero, all.zero));
    cr_assert(ieee_ulp_eq(dbl, b.min, all.min, 0));
    cr_assert(ieee_ulp_eq(dbl, b.max, all.max, 0));
    cr_assert(le(dbl, fabs(b.sum - all.sum), 1e-12 * all.sum));
    for (size_t i = 0; i < N_QS; i++)
        cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&b, qs[i]), mr_hist_quantile(&all, qs[i]), 0));
    mr_hist_fini(&all);
    mr_hist_fini(&a);
    mr_hist_fini(&b);
    free(x);
}

Test(quantile, merging_exact_histograms_concatenates_in_insertion_order)
{
    double x[300];
    fill(x, 300, 11, 0);
    mr_hist one, a, b;
    mr_hist_init(&one);
    mr_hist_init(&a);
    mr_hist_init(&b);
    for (size_t i = 0; i < 300; i++)
        mr_hist_add(&one, x[i]);
    for (size_t i = 0; i < 120; i++)
        mr_hist_add(&a, x[i]);
    for (size_t i = 120; i < 300; i++)
        mr_hist_add(&b, x[i]);
    mr_hist_merge(&a, &b);
    cr_assert(eq(int, mr_hist_is_exact(&a), 1));
    cr_assert(eq(sz, a.n_exact, one.n_exact));
    cr_assert(eq(int, memcmp(a.exact, one.exact, 300 * sizeof *x), 0));
    assert_same_bins(&a, &one);
    for (size_t i = 0; i < N_QS; i++)
        cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&a, qs[i]), mr_hist_quantile(&one, qs[i]), 0));
    mr_hist_fini(&one);
    mr_hist_fini(&a);
    mr_hist_fini(&b);
}

Test(quantile, merging_past_the_limit_drops_the_exact_samples)
{
    mr_hist a, b, e;
    mr_hist_init(&a);
    mr_hist_init(&b);
    mr_hist_init(&e);
    for (int i = 0; i < 300; i++)
        mr_hist_add(&a, 1.0 + i);
    for (int i = 0; i < 300; i++)
        mr_hist_add(&b, 2.0 + i);
    /* An empty source changes nothing, exact samples included. */
    mr_hist_merge(&a, &e);
    cr_assert(eq(sz, a.n_exact, 300));
    mr_hist_merge(&a, &b);
    cr_assert(eq(u64, a.n, 600));
    cr_assert(eq(int, mr_hist_is_exact(&a), 0));
    cr_assert_null(a.exact);
    cr_assert(eq(sz, a.n_exact, 0));
    cr_assert(ieee_ulp_eq(dbl, a.min, 1.0, 0));
    cr_assert(ieee_ulp_eq(dbl, a.max, 301.0, 0));
    /* Merging into an empty histogram copies the source. */
    mr_hist_merge(&e, &b);
    cr_assert(eq(int, mr_hist_is_exact(&e), 1));
    cr_assert(eq(int, memcmp(e.exact, b.exact, 300 * sizeof *b.exact), 0));
    mr_hist_fini(&a);
    mr_hist_fini(&b);
    mr_hist_fini(&e);
}

Test(quantile, zeros_and_values_below_the_minimum_share_the_zero_bucket)
{
    mr_hist h;
    mr_hist_init(&h);
    mr_hist_add(&h, 0.0);
    mr_hist_add(&h, 1e-12);
    mr_hist_add(&h, 0.999e-9);
    mr_hist_add(&h, MR_HIST_MIN);
    cr_assert(eq(u64, h.zero, 3));
    cr_assert(eq(int, h.n_oct, 1));

    size_t i = 0;
    double lower;
    uint64_t count;
    cr_assert(eq(int, mr_hist_next_bin(&h, &i, &lower, &count), 1));
    cr_assert(ieee_ulp_eq(dbl, lower, 0.0, 0));
    cr_assert(eq(u64, count, 3));
    cr_assert(eq(int, mr_hist_next_bin(&h, &i, &lower, &count), 1));
    cr_assert(le(dbl, lower, MR_HIST_MIN));
    cr_assert(gt(dbl, lower * (1 + 1.0 / MR_HIST_SUB), MR_HIST_MIN));
    cr_assert(eq(u64, count, 1));
    cr_assert(eq(int, mr_hist_next_bin(&h, &i, &lower, &count), 0));

    /* From the buckets, order statistics in the zero bucket read as 0. */
    mr_hist_reset(&h);
    for (int k = 0; k < 600; k++)
        mr_hist_add(&h, 0.0);
    for (int k = 0; k < 400; k++)
        mr_hist_add(&h, 1.0);
    cr_assert(eq(int, mr_hist_is_exact(&h), 0));
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 0.0), 0.0, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 0.5), 0.0, 0));
    /* The bucket midpoint of 1 is above 1; the clamp to max brings it back. */
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 0.9), 1.0, 0));
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 1.0), 1.0, 0));
    mr_hist_fini(&h);
}

Test(quantile, an_empty_histogram_has_nan_quantiles_and_mean)
{
    mr_hist h;
    mr_hist_init(&h);
    cr_assert(isnan(mr_hist_quantile(&h, 0.5)));
    cr_assert(isnan(mr_hist_mean(&h)));
    size_t i = 0;
    double lower;
    uint64_t count;
    cr_assert(eq(int, mr_hist_next_bin(&h, &i, &lower, &count), 0));
    mr_hist_fini(&h);
}

Test(quantile, a_range_from_a_microsecond_to_a_billion_works)
{
    /* Log-uniform values over 15 decades, in random order so the counts grow
     * at both ends many times. */
    enum { N = 20000 };
    double *x = malloc(N * sizeof *x);
    cr_assert_not_null(x);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 99);
    for (size_t i = 0; i < N; i++)
        x[i] = pow(10.0, gsl_ran_flat(g, -6.0, 9.0));
    gsl_rng_free(g);
    x[0] = 1e-6;
    x[N - 1] = 1e9;
    mr_hist h;
    mr_hist_init(&h);
    for (size_t i = 0; i < N; i++)
        mr_hist_add(&h, x[i]);
    cr_assert(le(int, h.lo_exp, -19));
    cr_assert(ge(int, h.lo_exp + h.n_oct, 30));
    assert_quantiles_within_bound(&h, x, N);

    size_t i = 0;
    double lower, prev = -1;
    uint64_t count, total = 0;
    while (mr_hist_next_bin(&h, &i, &lower, &count)) {
        cr_assert(gt(dbl, lower, prev));
        prev = lower;
        total += count;
    }
    cr_assert(eq(u64, total, N));
    mr_hist_fini(&h);
    free(x);
}

Test(quantile, reset_reuses_the_memory_and_restarts_exact_collection)
{
    mr_hist h;
    mr_hist_init(&h);
    for (int i = 0; i < 1000; i++)
        mr_hist_add(&h, 1.0 + i);
    uint64_t *counts = h.counts;
    int lo_exp = h.lo_exp, n_oct = h.n_oct;
    cr_assert_null(h.exact);

    mr_hist_reset(&h);
    cr_assert(eq(u64, h.n, 0));
    cr_assert(isnan(mr_hist_quantile(&h, 0.5)));
    size_t i = 0;
    double lower;
    uint64_t count;
    cr_assert(eq(int, mr_hist_next_bin(&h, &i, &lower, &count), 0));
    cr_assert(eq(ptr, (void *)h.counts, (void *)counts));
    cr_assert(eq(int, h.lo_exp, lo_exp));
    cr_assert(eq(int, h.n_oct, n_oct));

    for (int k = 0; k < 10; k++)
        mr_hist_add(&h, 10.0 + k);
    cr_assert(eq(ptr, (void *)h.counts, (void *)counts));
    cr_assert(eq(int, mr_hist_is_exact(&h), 1));
    cr_assert(eq(sz, h.n_exact, 10));
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 0.5), 14.5, 0));
    cr_assert(ieee_ulp_eq(dbl, h.min, 10.0, 0));
    cr_assert(ieee_ulp_eq(dbl, h.max, 19.0, 0));

    /* A reset while exact keeps the exact buffer too. */
    double *exact = h.exact;
    mr_hist_reset(&h);
    mr_hist_add(&h, 3.0);
    cr_assert(eq(ptr, (void *)h.exact, (void *)exact));
    cr_assert(ieee_ulp_eq(dbl, mr_hist_quantile(&h, 0.5), 3.0, 0));
    mr_hist_fini(&h);
}

Test(quantile, adding_a_negative_value_is_an_internal_error, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    mr_hist h;
    mr_hist_init(&h);
    mr_hist_add(&h, -1.0);
}

Test(quantile, adding_nan_is_an_internal_error, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    mr_hist h;
    mr_hist_init(&h);
    mr_hist_add(&h, 0.0 / 0.0);
}
