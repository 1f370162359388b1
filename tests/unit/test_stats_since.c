/* tests/unit/test_stats_since.c: mr_hist_quantile_since, the quantile of
 * the observations a histogram received after an earlier state of it
 * (`mrsim tui`'s p99 latency per period). Expected values are GSL's
 * interpolated quantile of the new values, worked out by hand below; from
 * the buckets within the documented 1/(2 x MR_HIST_SUB) relative error. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "mrsim/stats.h"

#define BUCKET_ERR (1.0 / (2.0 * MR_HIST_SUB))

static void expect_rel(double got, double want)
{
    cr_expect(fabs(got - want) <= BUCKET_ERR * fabs(want), "%.17g, not within %.3g of %.17g",
              got, BUCKET_ERR, want);
}

/* The state of h now, as the live run keeps it: reset, then merged. */
static void snapshot(mr_hist *copy, const mr_hist *h)
{
    mr_hist_reset(copy);
    mr_hist_merge(copy, h);
}

/* 1000 values of 10 ms, then 100 values 100, 101, ..., 199 ms. Of the new
 * ones (sorted, n = 100) GSL's q-quantile is at rank q x 99: p99 at 98.01,
 * 198 + 0.01 x (199 - 198) = 198.01; p50 at 49.5, 149.5. now holds 1100
 * values (past MR_HIST_EXACT: from the buckets) over the octaves of 10
 * ([8, 16)) to 199 ([128, 256)); before only the first: fewer octaves. */
Test(stats_since, new_values_after_a_steady_state)
{
    mr_hist h, before;
    mr_hist_init(&h);
    mr_hist_init(&before);
    for (int i = 0; i < 1000; i++)
        mr_hist_add(&h, 10.0);
    snapshot(&before, &h);
    for (int i = 0; i < 100; i++)
        mr_hist_add(&h, 100.0 + i);
    cr_assert(before.n_oct < h.n_oct, "before %d octaves, now %d", before.n_oct, h.n_oct);
    cr_assert(!mr_hist_is_exact(&h));
    expect_rel(mr_hist_quantile_since(&h, &before, 0.99), 198.01);
    expect_rel(mr_hist_quantile_since(&h, &before, 0.50), 149.5);
    /* Over everything the p99 is still among the new values (rank 1088.01
     * of 1100: 100 + 88 + 0.01), far from 10: the difference matters. */
    expect_rel(mr_hist_quantile(&h, 0.99), 188.01);
    mr_hist_fini(&h);
    mr_hist_fini(&before);
}

/* Nothing came in since: NaN, exact or not; and NaN for an empty pair. */
Test(stats_since, nan_without_a_new_value)
{
    mr_hist h, before;
    mr_hist_init(&h);
    mr_hist_init(&before);
    cr_expect(isnan(mr_hist_quantile_since(&h, &before, 0.99)));
    for (int i = 0; i < 10; i++)
        mr_hist_add(&h, 3.0);
    snapshot(&before, &h);
    cr_expect(isnan(mr_hist_quantile_since(&h, &before, 0.99)), "exact");
    for (int i = 0; i < 1000; i++)
        mr_hist_add(&h, 3.0);
    snapshot(&before, &h);
    cr_expect(isnan(mr_hist_quantile_since(&h, &before, 0.99)), "from the buckets");
    mr_hist_fini(&h);
    mr_hist_fini(&before);
}

/* An empty earlier state: the histogram's own quantile, bit for bit (the
 * live run's first period against `mrsim run`'s cumulative p99). */
Test(stats_since, from_empty_is_the_quantile)
{
    mr_hist h, empty;
    mr_hist_init(&h);
    mr_hist_init(&empty);
    for (int i = 0; i < 2000; i++)
        mr_hist_add(&h, 1.0 + 0.37 * (i % 97));
    for (int k = 0; k <= 100; k++) {
        double q = k / 100.0, a = mr_hist_quantile(&h, q), b = mr_hist_quantile_since(&h, &empty, q);
        cr_expect(memcmp(&a, &b, sizeof a) == 0, "q %g: %.17g vs %.17g", q, b, a);
    }
    mr_hist_fini(&h);
    mr_hist_fini(&empty);
}

/* While the histogram keeps its sample the answer is exact: 1 .. 10, then
 * 101 .. 110; of the new ten the median is at rank 4.5, (105 + 106) / 2 =
 * 105.5, and the 0.9-quantile at 8.1, 109 + 0.1 = 109.1. */
Test(stats_since, exact_while_the_sample_is_kept)
{
    mr_hist h, before;
    mr_hist_init(&h);
    mr_hist_init(&before);
    for (int i = 1; i <= 10; i++)
        mr_hist_add(&h, i);
    snapshot(&before, &h);
    for (int i = 110; i >= 101; i--) /* out of order: the quantile sorts */
        mr_hist_add(&h, i);
    cr_assert(mr_hist_is_exact(&h));
    cr_expect_eq(mr_hist_quantile_since(&h, &before, 0.5), 105.5);
    cr_expect(fabs(mr_hist_quantile_since(&h, &before, 0.9) - 109.1) < 1e-12);
    mr_hist_fini(&h);
    mr_hist_fini(&before);
}

/* The histogram grows octaves downwards and fills the zero bucket after
 * the earlier state: 600 values of 100 (past MR_HIST_EXACT), then 50 zeros
 * and 50 values of 1.5 (octave [1, 2), below before's only one). Of the new
 * hundred, sorted, ranks 0 .. 49 are 0 and 50 .. 99 are 1.5: the quantile
 * at q x 99 is 0 up to q = 49/99 (0.25: rank 24.75), 1.5 from q = 50/99
 * (0.75: rank 74.25; 1: rank 99). */
Test(stats_since, lower_octaves_and_zero_bucket)
{
    mr_hist h, before;
    mr_hist_init(&h);
    mr_hist_init(&before);
    for (int i = 0; i < 600; i++)
        mr_hist_add(&h, 100.0);
    snapshot(&before, &h);
    for (int i = 0; i < 50; i++) {
        mr_hist_add(&h, 0.0);
        mr_hist_add(&h, 1.5);
    }
    cr_assert(h.lo_exp < before.lo_exp);
    cr_expect_eq(mr_hist_quantile_since(&h, &before, 0.25), 0.0);
    expect_rel(mr_hist_quantile_since(&h, &before, 0.75), 1.5);
    expect_rel(mr_hist_quantile_since(&h, &before, 1.0), 1.5);
    mr_hist_fini(&h);
    mr_hist_fini(&before);
}
